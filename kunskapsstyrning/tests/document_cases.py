"""Cases with large decision documents, for the fault tests and `make bench-pdf`."""

from datetime import date

from gapanalys import services as gap_services
from gapanalys.models import GapAnalysis, GapRow, Statement, required_statement_kinds
from kunskapsstyrning import services
from kunskapsstyrning.models import Document, Recommendation, State
from kunskapsstyrning.tests.helpers import walk_to

RECOMMENDATION = (
    "Patienter med misstänkt hjärtsvikt bör utredas med NT-proBNP och ekokardiografi inom "
    "fyra veckor, och behandlingen bör upptitreras till måldos enligt det nationella "
    "vårdförloppet (rekommendation {n})."
)

FILLED_ROW = {
    "current_state": "delvis",
    "today_practice": "Utredningen sker i dag på medicinkliniken med varierande väntetider.",
    "proposal": "Inför en gemensam remissrutin och en sjuksköterskeledd titreringsmottagning.",
    "start_doing": "Sjuksköterskeledd upptitrering.",
    "stop_doing": "Dubbla återbesök hos läkare.",
    "principal": "region",
    "priority": 1,
    "resource_need": "0,5 årsarbetskraft sjuksköterska.",
    "consequence_patients": "Kortare väntan och färre inläggningar.",
    "consequence_staff": "Utbildning i upptitrering för sjuksköterskor.",
    "consequence_economy": "Kostnad för mottagningen, minskade vårddagar.",
    "consequence_it": "Mall i journalen.",
    "consequence_crowding_out": "Ingen väntad.",
    "consequence_close_care": "Uppföljning nära patienten i primärvården.",
}


def bp2_document(case, rows, decider):
    """Walk `case` to BP2 with an analysis of `rows` filled rows, decide it; its document."""
    support = case.knowledge_support
    have = support.recommendations.count()
    Recommendation.objects.bulk_create(
        Recommendation(
            knowledge_support=support, number=n, text=RECOMMENDATION.format(n=n), care_level="alla"
        )
        for n in range(have + 1, rows + 1)
    )
    case = walk_to(case, State.GAP_ANALYSIS)
    analysis, created = GapAnalysis.objects.get_or_create(
        case=case,
        defaults={
            "start_date": date(2024, 5, 2),
            "due_date": date(2024, 9, 30),
            "scope_region": True,
            "summary": "Regionen följer vårdförloppet i stora delar; gapen gäller väntetider.",
        },
    )
    if created:
        gap_services.rows_prefill(analysis=analysis)
    GapRow.objects.filter(analysis=analysis).update(**FILLED_ROW)
    gap_services.summary_refresh(analysis_id=analysis.pk)
    for kind in required_statement_kinds(case):
        Statement.objects.get_or_create(
            analysis=analysis,
            kind=kind,
            defaults={
                "body": "Instansen",
                "author": "Anna Andersson",
                "given_on": date(2024, 9, 20),
                "text": "Tillstyrker förslagen i gap-analysen.",
                "recorded_by": case.strategist,
            },
        )
    case = walk_to(case, State.BP2)
    decision = services.case_decide(
        case_id=case.pk,
        actor=decider,
        point="BP2",
        outcome="bifall",
        decided_on=date(2024, 10, 8),
        motivation="Gap-analysen är genomförd och förankrad.",
    )
    return Document.objects.get(decision=decision)
