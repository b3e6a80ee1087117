"""Editors saving rows of one analysis at the same moment, with real threads and their own
connections (PostgreSQL only: SQLite's test database lives in one connection's memory)."""

import threading

import pytest
from django.db import connection, connections

from gapanalys import services
from gapanalys.models import GapAnalysis

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
    ),
]

THREADS = 8


def run_at_once(target, count=THREADS):
    """Start `count` threads that call target(i) at the same moment; collect outcomes."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = ("ok", target(i))
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test inspects)
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


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
