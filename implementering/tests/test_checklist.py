"""The BP3 checklist: each preparation ticked by a named person with a date; BP3 can be
requested only when every item is ticked."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from implementering import selectors, services
from implementering.models import ChecklistItem, CommunicationItem, FollowUpIndicator
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Case, State
from kunskapsstyrning.services import ActionRefused

from .conftest import activity_data, gap_row

DAY = date(2025, 1, 15)


@pytest.fixture
def plan(planning_case, alice):
    return services.plan_start(case_id=planning_case.pk, actor=alice)


def items(case):
    return list(ChecklistItem.objects.filter(checklist__case=case).order_by("position"))


def prepare_everything(case, alice, sara):
    """Meet every automatic check: a covered, anchored plan, communication, an indicator."""
    rows = [gap_row(case, 2).pk, gap_row(case, 3).pk]
    services.activity_save(case_id=case.pk, actor=alice, data=activity_data(), gap_row_ids=rows)
    services.plan_part_save(
        case_id=case.pk,
        actor=alice,
        model=CommunicationItem,
        data={
            "audience": "Primärvården",
            "message": "Nytt vårdförlopp",
            "channel": "APT",
            "planned_on": DAY,
            "responsible": "LPO-ordförande",
        },
    )
    services.plan_anchor(case_id=case.pk, actor=alice, anchored_on=DAY)
    services.indicator_save(
        case_id=case.pk,
        actor=alice,
        data={"code": "LOK-1", "name": "Andel uppföljda", "measure": "andel", "period": "manad"},
    )


def tick_all(case, actor):
    for item in items(case):
        services.checklist_tick(
            case_id=case.pk, actor=actor, item_id=item.pk, ticked_on=DAY, comment="Klart."
        )


def test_bp3_cannot_be_requested_until_every_item_is_ticked(planning_case, plan, alice, sara):
    prepare_everything(planning_case, alice, sara)
    checklist = items(planning_case)
    for item in checklist[:-1]:
        services.checklist_tick(
            case_id=planning_case.pk, actor=alice, item_id=item.pk, ticked_on=DAY
        )
    with pytest.raises(ActionRefused, match="Inte alla punkter i BP3-checklistan är avbockade"):
        case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    assert Case.objects.get(pk=planning_case.pk).state == State.PLANNING
    services.checklist_tick(
        case_id=planning_case.pk, actor=alice, item_id=checklist[-1].pk, ticked_on=DAY
    )
    case = case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    assert case.state == State.BP3


def test_the_hook_reads_the_checklist(planning_case, plan, alice, sara):
    assert not selectors.checklist_ready(Case.objects.get(pk=planning_case.pk))
    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    assert selectors.checklist_ready(Case.objects.get(pk=planning_case.pk))


def test_a_case_without_a_checklist_cannot_go_to_bp3(planning_case, alice):
    from kunskapsstyrning import services as case_services

    assert not selectors.checklist_ready(planning_case)
    with pytest.raises(case_services.ActionRefused, match="BP3-checklistan"):
        case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")


def test_each_item_records_who_ticked_it_when_and_why(planning_case, plan, sara):
    item = items(planning_case)[5]  # "Utbildningsbehov är identifierade": no automatic check
    services.checklist_tick(
        case_id=planning_case.pk,
        actor=sara,
        item_id=item.pk,
        ticked_on=DAY,
        comment="Inventerat med verksamhetscheferna.",
    )
    item.refresh_from_db()
    assert (item.ticked_by, item.ticked_on, item.comment) == (
        sara,
        DAY,
        "Inventerat med verksamhetscheferna.",
    )
    assert item.ticked_at is not None


def test_an_item_with_an_automatic_check_waits_for_it(planning_case, plan, alice):
    anchored = items(planning_case)[1]
    with pytest.raises(ActionRefused, match="inte förankrad"):
        services.checklist_tick(
            case_id=planning_case.pk, actor=alice, item_id=anchored.pk, ticked_on=DAY
        )
    anchored.refresh_from_db()
    assert not anchored.is_ticked


def test_the_gap_analysis_item_needs_an_approved_bp2(planning_case, plan, alice):
    # planning_case passed BP2 with "bifall": the check is met.
    services.checklist_tick(
        case_id=planning_case.pk, actor=alice, item_id=items(planning_case)[0].pk, ticked_on=DAY
    )


@pytest.mark.parametrize("who", ["lars", "kim", "bob", "olle"])
def test_only_the_chair_or_the_strategist_ticks(request, planning_case, plan, who):
    with pytest.raises(PermissionDenied):
        services.checklist_tick(
            case_id=planning_case.pk,
            actor=request.getfixturevalue(who),
            item_id=items(planning_case)[5].pk,
            ticked_on=DAY,
        )


def test_a_tick_cannot_be_dated_in_the_future(planning_case, plan, alice):
    with pytest.raises(ActionRefused, match="framtiden"):
        services.checklist_tick(
            case_id=planning_case.pk,
            actor=alice,
            item_id=items(planning_case)[5].pk,
            ticked_on=timezone.localdate() + timedelta(days=1),
        )


def test_a_tick_or_the_anchoring_is_not_dated_before_bp2(planning_case, plan, alice):
    """ "Gap-analysen är godkänd" ticked 2020-01-01, before the BP2 that approved it."""
    with pytest.raises(ActionRefused, match="Datumet kan inte ligga före ärendets beslut vid BP2"):
        services.checklist_tick(
            case_id=planning_case.pk,
            actor=alice,
            item_id=items(planning_case)[5].pk,
            ticked_on=date(2020, 1, 1),
        )
    with pytest.raises(ActionRefused, match="Förankringsdatumet kan inte ligga före"):
        services.plan_anchor(case_id=planning_case.pk, actor=alice, anchored_on=date(2020, 1, 1))


def test_a_tick_can_be_taken_back_during_planning(planning_case, plan, alice):
    item = items(planning_case)[5]
    services.checklist_tick(case_id=planning_case.pk, actor=alice, item_id=item.pk, ticked_on=DAY)
    services.checklist_untick(case_id=planning_case.pk, actor=alice, item_id=item.pk)
    item.refresh_from_db()
    assert item.ticked_by is None and item.ticked_on is None


def test_the_checklist_is_frozen_once_bp3_is_requested(planning_case, plan, alice, sara):
    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    with pytest.raises(ActionRefused, match="planeringen"):
        services.checklist_untick(
            case_id=planning_case.pk, actor=alice, item_id=items(planning_case)[0].pk
        )


def test_bp3_material_shows_the_checklist_and_the_plans(planning_case, plan, alice, sara):
    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    material = selectors.decision_material(planning_case, "BP3")["bp3"]
    assert [i.ticked_by for i in material["checklist"]] == [alice] * 7
    assert [a.title for a in material["activities"]] == ["Utbilda primärvårdens team"]
    assert [c.audience for c in material["communication"]] == ["Primärvården"]
    assert selectors.decision_material(planning_case, "BP2") == {}


def test_management_decides_bp3_and_the_document_carries_the_checklist(
    planning_case, plan, alice, sara, maja, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    with django_capture_on_commit_callbacks(execute=True):
        decision = case_services.case_decide(
            case_id=planning_case.pk,
            actor=maja,
            point="BP3",
            outcome="bifall",
            decided_on=DAY,
            motivation="Förberedelserna är klara.",
        )
    document = decision.documents.get()
    assert document.status == "klar", document.failure_reason
    text = "".join(page.extract_text() for page in PdfReader(document.file.path).pages)
    assert "BP3-checklista" in text
    assert "Utbildningsbehov är identifierade" in text
    assert "Utbilda primärvårdens" in text  # the activity (its cell wraps)
    assert "Förankrad i LPO Hjärta 2025-01-15" in text


def test_replanning_from_follow_up_starts_the_checklist_and_anchoring_over(
    planning_case, plan, alice, sara, maja
):
    from kunskapsstyrning.tests.helpers import walk_to

    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    case = walk_to(Case.objects.get(pk=planning_case.pk), State.FOLLOW_UP)
    case = services.followup_replan(
        case_id=case.pk, actor=alice, reason="Indikatorn visar ingen förbättring."
    )
    assert case.state == State.PLANNING
    assert not any(i.is_ticked for i in items(case))
    plan.refresh_from_db()
    assert not plan.is_anchored
    assert case.events.filter(message="Indikatorn visar ingen förbättring.").count() == 2
    assert FollowUpIndicator.objects.filter(case=case).count() == 1  # follow-up data stays


def test_replanning_needs_a_reason(planning_case, plan, alice):
    with pytest.raises(ActionRefused, match="varför"):
        services.followup_replan(case_id=planning_case.pk, actor=alice, reason=" ")


def test_the_case_page_counts_the_checklist_once_for_bp3s_condition_and_the_panel(
    planning_case, plan, alice, sara, django_assert_num_queries
):
    prepare_everything(planning_case, alice, sara)
    tick_all(planning_case, alice)
    case = Case.objects.select_related("bp3_checklist", "implementation_plan").get(
        pk=planning_case.pk
    )
    with django_assert_num_queries(1):  # activities, items and indicators counted together
        assert selectors.checklist_ready(case)
        panel = selectors.case_panel(case, alice)["implementation"]
    assert panel["checklist"]["ticked"] == panel["checklist"]["total"] == len(items(case))
    assert panel["plan"].total == plan.activities.count()


def test_the_plan_counts_are_what_the_plans_rows_say(planning_case, plan, alice, sara):
    from implementering.models import Activity

    today = timezone.localdate()
    for status, due in [
        ("planerad", today - timedelta(days=1)),  # overdue
        ("pagar", today - timedelta(days=3)),  # overdue
        ("pagar", today),  # due today: not overdue yet
        ("klar", today - timedelta(days=9)),  # done: never overdue
        ("installd", today - timedelta(days=9)),  # cancelled: never overdue
    ]:
        Activity.objects.create(plan=plan, **activity_data(status=status, due=due))
    FollowUpIndicator.objects.create(case=planning_case, code="L1", name="Andel uppföljda")
    prepare_everything(planning_case, alice, sara)
    first, second = items(planning_case)[:2]
    for item in (first, second):
        services.checklist_tick(
            case_id=planning_case.pk, actor=alice, item_id=item.pk, ticked_on=DAY
        )
    counts = selectors.plan_counts(Case.objects.get(pk=planning_case.pk))
    assert counts == {
        "activities": plan.activities.count(),
        "activities_done": plan.activities.filter(status="klar").count(),
        "activities_cancelled": plan.activities.filter(status="installd").count(),
        # Done or cancelled with a reason: the cancelled one here gave none.
        "activities_closed": plan.activities.filter(status="klar").count(),
        "activities_overdue": Activity.objects.filter(plan=plan).overdue(today).count(),
        "checklist_items": len(items(planning_case)),
        "checklist_ticked": 2,
        "indicators": FollowUpIndicator.objects.filter(case=planning_case).count(),
    }
    assert counts["activities_overdue"] >= 2 and counts["indicators"] >= 1
