from django.apps import AppConfig


class KunskapsstyrningConfig(AppConfig):
    name = "kunskapsstyrning"
    verbose_name = "Kunskapsstöd och ärenden"

    def ready(self):
        from common.search import register_finder

        from .finders import FINDERS

        for finder in FINDERS:
            register_finder(finder)
        register_decision_point_gates()
        register_notifications()
        register_change_counting()


def register_change_counting():
    """Every step on a case writes its timeline event, whoever or whatever takes it (a task,
    a command): once it has committed, the case's region counts a change, so what is cached
    about the region is rendered afresh (`organisation.changes`). A person's request counts
    its writes after the view instead (`RegionChangeMiddleware`)."""
    from django.db.models.signals import post_delete, post_save

    from organisation import changes

    from .models import CaseEvent, Indicator, KnowledgeSupport, Recommendation

    def event_saved(sender, instance, raw=False, **kwargs):
        if raw:
            return
        changes.bump_on_commit(instance.case.region_id)

    post_save.connect(
        event_saved, sender=CaseEvent, weak=False, dispatch_uid="case-event-region-change"
    )
    # The catalogue is every region's: its cases' pages show the support and its texts.
    for model in (KnowledgeSupport, Recommendation, Indicator):
        for signal in (post_save, post_delete):
            signal.connect(
                changes.bump_everywhere_on_commit,
                sender=model,
                dispatch_uid=f"catalogue-change-{model.__name__}",
            )


def register_notifications():
    """The person's unread notifications head the home page's sections; the digest reminds
    decision-makers of the parts that wait for them."""
    from .contributions import Panel, register_home_section, register_reminders
    from .notifications import decisions_waiting, unread_on_home

    register_home_section(
        Panel("kunskapsstyrning/_notifications.html", unread_on_home, -10, live=True)
    )
    register_reminders(decisions_waiting)


_GATES: list = []


def register_decision_point_gates():
    """A decision point is a gate only where the region's order uses it for the case: then
    the case is sent for the decision; otherwise it goes past it (`Case.bp1_skipped`, …)."""
    from django.utils.translation import gettext as _

    from .contributions import Condition, register_condition
    from .services import point_in_use

    def gates(point):
        def used(case):
            return point_in_use(case, point)

        def unused(case):
            return not point_in_use(case, point)

        def not_used_reason(_case):
            return _("Regionen använder inte %(point)s för ärendet.") % {"point": point}

        def used_reason(_case):
            return _("Regionen använder %(point)s: skicka ärendet till beslut.") % {"point": point}

        name = point.lower()
        return [
            Condition(f"{name}_in_use", used, not_used_reason),
            Condition(f"{name}_unused", unused, used_reason),
        ]

    if not _GATES:  # once: ready() may run again, and a condition is registered once
        _GATES.extend(c for point in ("BP1", "BP2", "BP3") for c in gates(point))
    for condition in _GATES:
        register_condition(condition)
