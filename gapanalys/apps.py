from django.apps import AppConfig
from django.utils.translation import gettext as _


def _not_ready_for_bp2(case):
    analysis = getattr(case, "gap_analysis", None)
    if analysis is None:
        return str(
            _(
                "Ärendet har ingen gap-analys i tjänsten: LAG:en gör gap-analysen här innan "
                "den går till beslut BP2."
            )
        )
    blockers = analysis.bp2_blockers()
    return " ".join([str(_("Gap-analysen är inte klar för BP2:"))] + [str(b) for b in blockers])


class GapanalysConfig(AppConfig):
    name = "gapanalys"

    def ready(self):
        from kunskapsstyrning import contributions as core

        from . import selectors, services

        # The analysis must be ready to go to BP2 and still be when BP2 approves it. Where the
        # region does not use BP2 the model holds `bp2_skipped` by submit_bp2's conditions;
        # registered for it too, the page says why planning cannot start yet.
        for transition in ("submit_bp2", "bp2_approved", "bp2_skipped"):
            core.register_condition(
                core.Condition(transition, selectors.gap_analysis_ready, _not_ready_for_bp2)
            )
        core.register_home_section(core.Panel("gapanalys/_home.html", selectors.home_sections, 20))
        # A recommendation added to the catalogue gets a row in the analyses under way.
        core.register_recommendations_added(services.rows_for_new_recommendations)
        core.register_case_panel(
            core.Panel("gapanalys/_case_panel.html", selectors.case_panel, 20),
            related=("gap_analysis", "gap_analysis__lag"),
        )
        core.register_decision_material(
            core.DecisionMaterial(
                "BP2",
                "gapanalys/_decision_material.html",
                "gapanalys/pdf/_bp2.html",
                selectors.decision_material,
                20,
            )
        )
