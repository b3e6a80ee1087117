"""Planning a decision meeting and recording its sitting's decisions (issue 16)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from common.refusals import ActionRefused
from kunskapsstyrning.models import CaseEvent, Decision, Document, DocumentKind, State
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member
from sammantraden import services
from sammantraden.models import MeetingItem

from .conftest import decide

pytestmark = pytest.mark.django_db


def test_the_strategist_puts_three_bp1_cases_on_a_meeting_in_order(meeting, bp1_cases, sara):
    items = services.meeting_add_cases(
        meeting_id=meeting.pk, actor=sara, case_ids=[c.pk for c in reversed(bp1_cases)]
    )
    assert [(i.number, i.case_id) for i in items] == [
        (n, c.pk) for n, c in enumerate(bp1_cases, start=1)
    ]
    note = CaseEvent.objects.filter(case=bp1_cases[0], kind=CaseEvent.Kind.NOTE).last()
    assert "dagordningen" in note.message and "§ 1" in note.message


def test_a_meeting_in_the_past_cannot_get_a_new_agenda(sara, region, management_body):
    with pytest.raises(ActionRefused, match="redan varit"):
        services.meeting_create(
            actor=sara,
            region=region,
            deciding_body=management_body,
            point="BP1",
            date=timezone.localdate() - timedelta(days=1),
        )


def test_management_does_not_plan_meetings(maja, region, management_body):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=maja,
            region=region,
            deciding_body=management_body,
            point="BP1",
            date=timezone.localdate(),
        )


def test_a_unit_that_is_no_decision_body_cannot_sit(sara, region, lpo):
    with pytest.raises(ActionRefused, match="beslutsorgan"):
        services.meeting_create(
            actor=sara, region=region, deciding_body=lpo, point="BP1", date=timezone.localdate()
        )


def test_a_case_not_awaiting_the_point_is_refused_and_nothing_is_added(
    meeting, bp1_cases, make_case, sara
):
    prioritising = make_case("prioritering")
    with pytest.raises(ActionRefused, match="väntar inte på beslut BP1"):
        services.meeting_add_cases(
            meeting_id=meeting.pk, actor=sara, case_ids=[bp1_cases[0].pk, prioritising.pk]
        )
    assert not MeetingItem.objects.exists()


def test_a_case_of_another_region_is_refused(meeting, foreign_case):
    foreign = foreign_case
    with pytest.raises(ActionRefused, match="annan region"):
        services.meeting_add_cases(
            meeting_id=meeting.pk, actor=meeting.created_by, case_ids=[foreign.pk]
        )


def test_a_case_decided_by_another_body_is_refused(sara, region, bp1_cases):
    division = UnitFactory(kind=UnitKind.DIVISIONSLEDNING, name="Divisionsledningen", region=region)
    other = services.meeting_create(
        actor=sara, region=region, deciding_body=division, point="BP1", date=timezone.localdate()
    )
    with pytest.raises(ActionRefused, match="beslutas inte av Divisionsledningen"):
        services.meeting_add_cases(meeting_id=other.pk, actor=sara, case_ids=[bp1_cases[0].pk])


def test_a_case_on_another_open_meeting_is_refused_until_that_meeting_closes(
    agenda, bp1_cases, sara, region, management_body
):
    later = services.meeting_create(
        actor=sara,
        region=region,
        deciding_body=management_body,
        point="BP1",
        date=timezone.localdate() + timedelta(days=14),
    )
    with pytest.raises(ActionRefused, match="står redan på dagordningen"):
        services.meeting_add_cases(meeting_id=later.pk, actor=sara, case_ids=[bp1_cases[0].pk])
    services.meeting_close(meeting_id=agenda.pk, actor=sara)
    [item] = services.meeting_add_cases(meeting_id=later.pk, actor=sara, case_ids=[bp1_cases[0].pk])
    assert item.number == 1


def test_a_meeting_whose_day_has_passed_takes_no_more_cases(meeting, bp1_cases, sara):
    type(meeting).objects.filter(pk=meeting.pk).update(
        date=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ActionRefused, match="Dagordningen är stängd"):
        services.meeting_add_cases(meeting_id=meeting.pk, actor=sara, case_ids=[bp1_cases[0].pk])


def test_management_decides_the_three_cases_one_after_another_through_the_core(
    agenda, bp1_cases, maja
):
    items = list(agenda.items.order_by("number"))
    outcomes = ["bifall", "ater", "vilande"]
    for item, outcome in zip(items, outcomes, strict=True):
        decide(item, maja, outcome, registry_reference=f"HSL 2026/{item.number}")
    decisions = list(Decision.objects.filter(case__in=bp1_cases).order_by("case_id"))
    assert [d.outcome for d in decisions] == outcomes
    assert all(d.deciding_body_id == agenda.deciding_body_id for d in decisions)
    # Each its own decision with its own document, as the case page's decision has.
    assert Document.objects.filter(kind=DocumentKind.BP1, decision__in=decisions).count() == 3
    states = [
        c.state
        for c in type(bp1_cases[0]).objects.filter(pk__in=[c.pk for c in bp1_cases]).order_by("pk")
    ]
    assert states == [State.GAP_ANALYSIS, State.PRIORITISATION, State.POSTPONED]
    assert all(not i.open for i in agenda.items.all())
    assert [i.decision_id for i in agenda.items.order_by("number")] == [d.pk for d in decisions]


def test_a_case_is_decided_once_in_the_meeting(agenda, maja):
    item = agenda.items.first()
    decide(item, maja)
    with pytest.raises(ActionRefused, match="redan beslutat"):
        decide(item, maja)
    assert Decision.objects.count() == 1


def test_the_strategist_does_not_decide(agenda, sara):
    with pytest.raises(PermissionDenied):
        decide(agenda.items.first(), sara)
    assert not Decision.objects.exists()


def test_decisions_wait_for_the_meeting_day(agenda, maja):
    type(agenda).objects.filter(pk=agenda.pk).update(date=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ActionRefused, match="registreras från den dagen"):
        decide(agenda.items.first(), maja)


def test_a_case_decided_on_its_own_page_meanwhile_is_refused_and_rolls_back(agenda, maja):
    from kunskapsstyrning import services as core

    item = agenda.items.first()
    core.case_decide(
        case_id=item.case_id,
        actor=maja,
        point="BP1",
        outcome="bifall",
        decided_on=timezone.localdate(),
        motivation="Beslutat på ärendesidan.",
    )
    with pytest.raises(ActionRefused, match="redan gått vidare"):
        decide(item, maja)
    item.refresh_from_db()
    assert item.open and item.decision_id is None
    assert Decision.objects.count() == 1


def test_a_closed_meeting_takes_no_decisions(agenda, maja, sara):
    services.meeting_close(meeting_id=agenda.pk, actor=sara)
    with pytest.raises(ActionRefused):
        decide(agenda.items.first(), maja)


def test_management_of_another_body_does_not_decide(agenda, region):
    other = UserFactory(username="div")
    division = UnitFactory(kind=UnitKind.DIVISIONSLEDNING, region=region)
    member(other, division, Role.MANAGEMENT)
    with pytest.raises(PermissionDenied):
        decide(agenda.items.first(), other)


def test_the_strategist_takes_an_undecided_case_off_the_agenda(agenda, sara, maja):
    first, second = agenda.items.order_by("number")[:2]
    decide(first, maja)
    with pytest.raises(ActionRefused, match="redan beslutat"):
        services.meeting_remove_case(item_id=first.pk, actor=sara)
    services.meeting_remove_case(item_id=second.pk, actor=sara)
    assert agenda.items.count() == 2
