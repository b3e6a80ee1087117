from django.apps import AppConfig
from django.utils.translation import gettext as _


def _checklist_not_ticked(case):
    if getattr(case, "bp3_checklist", None) is None:
        return _("BP3-checklistan är inte påbörjad: starta införandeplanen först.")
    return _("Inte alla punkter i BP3-checklistan är avbockade.")


def _followup_context(document):
    from .selectors import followup_report

    return {"followup": followup_report(document.case)}


class ImplementeringConfig(AppConfig):
    name = "implementering"

    def ready(self):
        from kunskapsstyrning import contributions as core
        from kunskapsstyrning.models import DocumentKind

        from . import region_report, selectors

        # The checklist must be ticked to go to BP3 and still be when BP3 approves it. Where
        # the region does not use BP3 the model holds `bp3_skipped` by submit_bp3's conditions;
        # registered for it too, the page says why implementation cannot start yet.
        for transition in ("submit_bp3", "bp3_approved", "bp3_skipped"):
            core.register_condition(
                core.Condition(transition, selectors.checklist_ready, _checklist_not_ticked)
            )
        # "Planen är genomförd" only when every activity is done or cancelled with a reason.
        core.register_condition(
            core.Condition(
                "implemented", selectors.plan_carried_out, selectors.plan_not_carried_out
            )
        )
        core.register_home_section(
            core.Panel("implementering/_home.html", selectors.home_sections, 30)
        )
        core.register_home_section(
            core.Panel("implementering/_home_followup.html", region_report.home_section, 35)
        )
        core.register_case_panel(
            core.Panel("implementering/_case_panel.html", selectors.case_panel, 30),
            related=("implementation_plan", "bp3_checklist"),
            annotations=selectors.plan_count_annotations,
        )
        core.register_decision_material(
            core.DecisionMaterial(
                "BP3",
                "implementering/_decision_material.html",
                "implementering/pdf/_bp3.html",
                selectors.decision_material,
                30,
            )
        )
        core.register_document(
            core.DocumentSection(
                DocumentKind.FOLLOW_UP, "implementering/pdf/followup.html", _followup_context
            )
        )
