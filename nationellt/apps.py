from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _waiting_nationally(case):
    from kunskapsstyrning.models import State

    return case.state in (State.REMISS, State.NATIONAL_DECISION)


class NationelltConfig(AppConfig):
    """Cross-region learning: where every region stands with each national knowledge support,
    and the national decision on each support.

    A top layer beside the feature apps: it reads the core and the feature apps and none of
    them reads it. A region decides what it shares (`RegionSharing`).
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "nationellt"
    verbose_name = _("Nationell överblick")

    def ready(self):
        from django.db.models.signals import post_save

        from kunskapsstyrning import contributions as core
        from organisation import changes

        from . import selectors
        from .models import NationalDecision

        # Every region's cases of the support show its national decision.
        post_save.connect(
            changes.bump_everywhere_on_commit,
            sender=NationalDecision,
            dispatch_uid="national-decision-change",
        )

        # The national decision is recorded here (date, body, reference, outcome), not by the
        # core's one-click buttons: "infört" and "införs inte" before prioritisation.
        for transition in ("nationally_adopted", "rejected"):
            core.register_own_step(core.OwnStep(transition, _waiting_nationally))
        core.register_case_panel(
            core.Panel("nationellt/_case_panel.html", selectors.national_decision_panel, 12),
            related=["knowledge_support__national_decision"],
        )
        # Those a national decision concerns (the LPOs' chairs, the municipalities' coordinator)
        # are told on their home page by the core's notifications, not by a block of this app.
