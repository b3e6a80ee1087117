from django.apps import AppConfig


class RemisserConfig(AppConfig):
    name = "remisser"

    def ready(self):
        from common.search import register_finder
        from kunskapsstyrning import contributions as core
        from kunskapsstyrning.models import DocumentKind
        from organisation.changes import register_followed

        from . import selectors, services
        from .finders import FINDERS

        for finder in FINDERS:
            register_finder(finder)
        core.register_home_section(core.Panel("remisser/_home.html", selectors.home_sections, 10))
        # An invited expert follows the round's region on their home page, unit or no unit.
        register_followed(selectors.invited_regions)
        core.register_case_panel(core.Panel("remisser/_case_panel.html", selectors.case_panel, 10))
        core.register_document(
            core.DocumentSection(
                DocumentKind.REMISS_ANSWER,
                "remisser/pdf/answer.html",
                selectors.answer_document_context,
            )
        )
        core.register_reminders(services.answer_reminders)
        core.register_reminders(services.rounds_at_risk_reminders)
        # A case with a round is answered by sending the round's compiled answer, not a button.
        core.register_own_step(
            core.OwnStep("remiss_answered", lambda case: hasattr(case, "remiss"))
        )
