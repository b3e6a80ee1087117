"""Completing a case's gap analysis for BP2 through the real services, in one go.

For demo data and tests that walk a case past BP2 (the case's BP2 gate holds for them too): the
shortest honest analysis — a LAG formed by the chair, every row assessed (the first a gap with
a proposal, the rest done as recommended) and every statement the region requires recorded.
Like `implementering.preparations.prepare_for_bp3` for BP3.
"""

from datetime import date

from django.utils import timezone

from kunskapsstyrning.models import Case
from organisation.models import User

from . import services
from .models import GapAnalysis, required_statement_kinds, statement_labels, statement_types_of

GAP = {
    "current_state": "delvis",
    "today_practice": "Arbetssättet finns på en del av enheterna.",
    "proposal": "Inför arbetssättet på alla berörda enheter.",
    "principal": "region",
    "priority": 1,
}
DONE = {
    "current_state": "gor_vi",
    "today_practice": "Vi arbetar redan enligt rekommendationen.",
    "principal": "region",
}


def prepare_for_bp2(
    case: Case, chair: User, day: date | None = None, process_leader: User | None = None
) -> GapAnalysis:
    """Form the LAG (unless the case has an analysis), assess every row not yet assessed and
    record every required statement not yet given; the analysis is then ready for BP2."""
    day = day or timezone.localdate()
    analysis = GapAnalysis.objects.filter(case=case).first()
    if analysis is None or analysis.lag_id is None:
        analysis = services.lag_form(
            case_id=case.pk,
            actor=chair,
            process_leader=process_leader or chair,
            start_date=day,
            scope_region=True,
            scope_municipalities=case.joint,
        )
    first = True
    for row in analysis.rows.order_by("recommendation__number"):
        if not row.current_state:
            data = GAP if first else DONE
            services.row_save(row_id=row.pk, actor=chair, version=row.version, data=data)
        first = False
    types = statement_types_of(case.region)
    labels = statement_labels(case.region, types)
    given = set(analysis.statements.values_list("kind", flat=True))
    for kind in required_statement_kinds(case, types):
        if kind not in given:
            services.statement_add(
                analysis_id=analysis.pk,
                actor=chair,
                kind=kind,
                body=str(labels.get(kind, kind)),
                author=str(chair),
                given_on=day,
                text="Tillstyrker gap-analysen och förslagen.",
            )
    return analysis
