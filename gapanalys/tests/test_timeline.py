"""The LAG's work on the case's timeline: one row per person and day, counting the rows."""

from datetime import timedelta

from gapanalys import services
from gapanalys.models import GapRow
from kunskapsstyrning.models import CaseEvent


def work(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.WORK)
        .order_by("pk")
        .values_list("actor__username", "count", "message")
    )


def save(row, actor, state="delvis"):
    row.refresh_from_db()
    return services.row_save(
        row_id=row.pk, actor=actor, version=row.version, data={"current_state": state}
    )


def test_rows_assessed_are_counted_per_person_and_day(analysis, lars, alice):
    rows = list(analysis.rows.order_by("recommendation__number")[:3])
    for row in rows:
        save(row, lars)
    save(rows[0], lars, "gor_vi")  # the same row again the same day: still three
    save(rows[1], alice)
    assert work(analysis.case) == [
        ("lars", 3, "Lars Lagmedlem bedömde 3 rader i gap-analysen."),
        ("alice", 1, "Alice Ordförande bedömde 1 rad i gap-analysen."),
    ]


def test_the_next_day_starts_a_new_count(analysis, lars):
    row = analysis.rows.order_by("recommendation__number").first()
    save(row, lars)
    yesterday = CaseEvent.objects.get(case=analysis.case, kind=CaseEvent.Kind.WORK)
    CaseEvent.objects.filter(pk=yesterday.pk).update(at=yesterday.at - timedelta(days=1))
    GapRow.objects.filter(pk=row.pk).update(updated_at=yesterday.at - timedelta(days=1))
    save(row, lars, "gor_vi")  # yesterday's row, looked at again today
    assert [count for _, count, _ in work(analysis.case)] == [1, 1]


def test_the_timeline_names_the_person_once(analysis, lars):
    save(analysis.rows.first(), lars)
    event = CaseEvent.objects.get(case=analysis.case, kind=CaseEvent.Kind.WORK)
    assert event.names_actor
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTE).first().names_actor
