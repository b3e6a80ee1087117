"""Gap-analysis fixtures on top of the root personas.

`gap_case` is a case of LPO Hjärta walked through BP1 into the gap analysis; `analysis` is its
analysis, led by LAG Hjärtsvikt (the `lag` persona unit) with lars as process leader.
"""

from datetime import date

import pytest

from gapanalys import services
from kunskapsstyrning.models import Recommendation
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory


@pytest.fixture
def gap_case(make_case, alice, maja):
    return make_case("gapanalys")


@pytest.fixture
def analysis(gap_case, alice, lars, lag):
    return services.lag_form(
        case_id=gap_case.pk,
        actor=alice,
        lag=lag,
        process_leader=lars,
        start_date=date(2024, 6, 1),
        due_date=date(2024, 12, 1),
    )


@pytest.fixture
def big_support(db):
    """A knowledge support with `n` recommendations, made in one query."""

    def make(n, title="Stort vårdprogram"):
        support = KnowledgeSupportFactory(title=title)
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    knowledge_support=support,
                    number=i,
                    text=f"Rekommendation {i}: gör det som är rätt för patienten.",
                )
                for i in range(1, n + 1)
            ]
        )
        return support

    return make


def assess_all(analysis, actor, proposal="Förslag."):
    """Fill every row: gaps get a proposal (the helper for tests that need a finished analysis)."""
    states = ["gor_vi", "delvis", "gor_vi_inte", "ej_aktuellt"]
    for i, row in enumerate(analysis.rows.order_by("recommendation__number")):
        state = states[i % len(states)]
        services.row_save(
            row_id=row.pk,
            actor=actor,
            version=row.version,
            data={
                "current_state": state,
                "proposal": proposal if state in ("delvis", "gor_vi_inte") else "",
                "principal": "region",
            },
        )


def give_default_statements(analysis, actor):
    for kind in ["lpo", "patientsakerhet", "divisionsledning", "programagare"]:
        services.statement_add(
            analysis_id=analysis.pk,
            actor=actor,
            kind=kind,
            body="Instans",
            author="Någon",
            given_on=date(2024, 9, 1),
            text="Tillstyrks.",
        )
