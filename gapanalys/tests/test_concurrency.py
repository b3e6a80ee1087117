"""Editors saving rows of one analysis at the same moment, with real threads and their own
connections (PostgreSQL only: SQLite's test database lives in one connection's memory)."""

import pytest
from django.db import connection

from gapanalys import services
from gapanalys.models import GapAnalysis
from kunskapsstyrning.tests.helpers import THREADS, run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
    ),
]


def test_rows_saved_at_once_leave_the_summary_counting_every_one(
    make_case, big_support, alice, maja, lars, lag
):
    case = make_case("gapanalys", knowledge_support=big_support(THREADS + 2))
    analysis = services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    rows = list(analysis.rows.order_by("recommendation__number"))

    def save(i):
        # A gap without proposal: each save changes all that the summary counts but the total.
        return services.row_save(
            row_id=rows[i].pk,
            actor=type(lars).objects.get(pk=lars.pk),
            version=1,
            data={"current_state": "delvis"},
        )

    results = run_at_once(save)
    assert [kind for kind, _ in results] == ["ok"] * THREADS, results
    summary = GapAnalysis.objects.values_list(
        "row_count", "assessed_count", "gaps_without_proposal"
    ).get(pk=analysis.pk)
    assert summary == (THREADS + 2, THREADS, THREADS)
