"""Plan activities and gaps left out of the plan appear on the case's timeline."""

from datetime import timedelta

from django.utils import timezone

from gapanalys.models import GapRow
from implementering import services
from kunskapsstyrning.models import CaseEvent
from kunskapsstyrning.tests.document_cases import bp2_document


def notes(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).values_list(
            "message", "actor__username"
        )
    )


def test_activities_and_exclusions_reach_the_timeline(case, alice, maja):
    case = bp2_document(case, 6, maja).case  # in planning
    services.plan_start(case_id=case.pk, actor=alice, goal="Infört.")
    day = timezone.localdate()
    activity = services.activity_save(
        case_id=case.pk,
        actor=alice,
        data={
            "title": "Utbilda sjuksköterskor i upptitrering",
            "principal": "region",
            "responsible": "Medicinkliniken",
            "start": day,
            "due": day + timedelta(days=60),
            "status": "planerad",
        },
    )
    services.activity_save(
        case_id=case.pk, actor=alice, activity_id=activity.pk, data={"status": "klar"}
    )
    row = GapRow.objects.filter(analysis__case=case).order_by("recommendation__number")[5]
    services.gap_row_exclude(
        case_id=case.pk, actor=alice, gap_row_id=row.pk, reason="Täcks av strokeprogrammet."
    )
    services.gap_row_include(case_id=case.pk, actor=alice, gap_row_id=row.pk)
    written = notes(case)
    assert (
        "Aktiviteten ”Utbilda sjuksköterskor i upptitrering” lades till i införandeplanen "
        "(Region).",
        "alice",
    ) in written
    assert ("Aktiviteten ”Utbilda sjuksköterskor i upptitrering” är klar.", "alice") in written
    assert (
        "Gapet för rekommendation 6 lämnas utanför planen: Täcks av strokeprogrammet.",
        "alice",
    ) in written
    assert ("Gapet för rekommendation 6 ska åter ha en aktivitet i planen.", "alice") in written
