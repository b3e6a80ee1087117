from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from implementering import selectors, services
from implementering.models import (
    Activity,
    ChecklistTemplateItem,
    CommunicationItem,
    GapRowExclusion,
    PhaseOut,
)
from kunskapsstyrning.models import CaseEvent
from kunskapsstyrning.services import ActionRefused

from .conftest import activity_data, gap_row


@pytest.fixture
def plan(planning_case, alice):
    return services.plan_start(case_id=planning_case.pk, actor=alice)


def add(case, actor, rows=(), **overrides):
    return services.activity_save(
        case_id=case.pk, actor=actor, data=activity_data(**overrides), gap_row_ids=rows
    )


# --- Starting the plan -----------------------------------------------------------------------


def test_starting_the_plan_opens_the_default_bp3_checklist(planning_case, plan):
    items = list(planning_case.bp3_checklist.items.values_list("text", flat=True))
    assert items == [
        "Gap-analysen är godkänd",
        "Införandeplanen är förankrad i LPO",
        "Kommunikationsplanen är klar",
        "Roller och ansvar är fördelade",
        "Indikatorer för uppföljning är valda",
        "Utbildningsbehov är identifierade",
        "Journalmallar är uppdaterade",
    ]
    assert CaseEvent.objects.filter(case=planning_case, message="Införandeplanen påbörjades.")


def test_a_region_with_its_own_checklist_gets_its_own_items(planning_case, alice, region):
    ChecklistTemplateItem.objects.create(region=region, position=1, text="Patientinformation klar")
    ChecklistTemplateItem.objects.create(
        region=region, position=2, text="Planen förankrad", requirement="plan_forankrad"
    )
    services.plan_start(case_id=planning_case.pk, actor=alice)
    items = list(planning_case.bp3_checklist.items.values_list("text", "requirement"))
    assert items == [("Patientinformation klar", ""), ("Planen förankrad", "plan_forankrad")]


def test_starting_twice_keeps_one_plan(planning_case, alice, plan):
    again = services.plan_start(case_id=planning_case.pk, actor=alice)
    assert again.pk == plan.pk
    assert planning_case.bp3_checklist.items.count() == 7


def test_an_outsider_cannot_start_a_plan(planning_case, olle):
    with pytest.raises(PermissionDenied):
        services.plan_start(case_id=planning_case.pk, actor=olle)


def test_a_plan_cannot_start_before_bp2(case, alice):
    with pytest.raises(ActionRefused, match="planering"):
        services.plan_start(case_id=case.pk, actor=alice)


# --- Each principal edits its own activities -------------------------------------------------


@pytest.mark.parametrize(
    "who, principal, allowed",
    [
        ("alice", "region", True),
        ("lars", "region", True),
        ("kim", "kommun", True),
        ("sara", "gemensam", True),
        ("greta", "gemensam", True),
        ("alice", "kommun", False),
        ("alice", "gemensam", False),
        ("lars", "kommun", False),
        ("kim", "region", False),
        ("kim", "gemensam", False),
        ("sara", "region", False),
        ("sara", "kommun", False),
        ("greta", "region", False),
        ("bob", "region", False),
    ],
)
def test_each_principal_adds_only_its_own_activities(
    request, planning_case, plan, who, principal, allowed
):
    actor = request.getfixturevalue(who)
    if allowed:
        activity = add(planning_case, actor, principal=principal)
        assert activity.principal == principal
    else:
        with pytest.raises(PermissionDenied):
            add(planning_case, actor, principal=principal)
        assert not Activity.objects.filter(principal=principal).exists()


def test_a_municipal_activity_of_a_joint_case_names_its_municipality(
    client, planning_case, plan, kim, alice
):
    """ "Kommun" alone could not say which of seven municipalities owns an activity."""
    from organisation.models import Municipality

    norrby = Municipality.objects.create(code="9001", name="Norrby", region=planning_case.region)
    sydby = Municipality.objects.create(code="9002", name="Sydby", region=planning_case.region)
    planning_case.municipalities.add(norrby)
    activity = add(planning_case, kim, principal="kommun", municipality=norrby, title="Hemtjänst")
    assert activity.principal_label == "Kommun: Norrby"
    assert CaseEvent.objects.filter(
        case=planning_case, message__endswith="lades till i införandeplanen (Kommun: Norrby)."
    ).exists()
    with pytest.raises(ValidationError, match="inte en av huvudmännen"):
        add(planning_case, kim, principal="kommun", municipality=sydby, title="Annan kommun")
    # On the page: the municipalities taking part are offered, and the plan names the owner.
    client.force_login(kim)
    form = client.get(reverse("implementering:activity_create", args=[planning_case.pk]))
    assert list(form.context["form"].fields["municipality"].queryset) == [norrby]
    page = client.get(reverse("implementering:plan_detail", args=[planning_case.pk]))
    assert "Kommun: Norrby" in page.content.decode()
    # A region's activity names no municipality: one who plans only the region's is not asked
    # for one, and one posted anyway is not kept.
    client.force_login(alice)
    url = reverse("implementering:activity_create", args=[planning_case.pk])
    assert "municipality" not in client.get(url).context["form"].fields
    saved = client.post(
        url, {**activity_form_data(), "principal": "region", "municipality": norrby.pk}
    )
    assert saved.status_code == 302
    assert (
        planning_case.implementation_plan.activities.get(title="Utbilda teamen").municipality
        is None
    )


def activity_form_data():
    return {
        "title": "Utbilda teamen",
        "responsible": "Verksamhetschef",
        "start": "2025-01-01",
        "due": "2025-06-30",
        "status": "planerad",
    }


def test_a_principal_cannot_change_another_principals_activity(planning_case, plan, alice, kim):
    municipal = add(planning_case, kim, principal="kommun", title="Rutin i hemtjänsten")
    with pytest.raises(PermissionDenied):
        services.activity_save(
            case_id=planning_case.pk,
            actor=alice,
            activity_id=municipal.pk,
            data={"title": "Regionen tar över"},
        )
    with pytest.raises(PermissionDenied):
        services.activity_progress(
            case_id=planning_case.pk,
            actor=alice,
            activity_id=municipal.pk,
            status="klar",
            progress_note="",
        )
    municipal.refresh_from_db()
    assert (municipal.title, municipal.status) == ("Rutin i hemtjänsten", "planerad")


def test_an_activity_cannot_be_handed_to_a_principal_one_does_not_represent(
    planning_case, plan, alice
):
    activity = add(planning_case, alice)
    with pytest.raises(PermissionDenied):
        services.activity_save(
            case_id=planning_case.pk,
            actor=alice,
            activity_id=activity.pk,
            data={"principal": "kommun"},
        )
    activity.refresh_from_db()
    assert activity.principal == "region"


def test_the_rights_say_which_principals_a_person_represents(planning_case, alice, kim, sara):
    assert services.plan_rights(alice, planning_case).principals == {"region"}
    assert services.plan_rights(kim, planning_case).principals == {"kommun"}
    assert services.plan_rights(sara, planning_case).principals == {"gemensam"}
    assert services.plan_rights(alice, planning_case).leads
    assert not services.plan_rights(kim, planning_case).leads


# --- Bad input ----------------------------------------------------------------------------------


def test_an_activity_due_before_it_starts_is_refused_and_nothing_is_saved(
    planning_case, plan, alice
):
    with pytest.raises(ValidationError) as error:
        add(planning_case, alice, start=date(2025, 6, 1), due=date(2025, 5, 1))
    assert "Aktiviteten kan inte vara klar innan den startar." in str(error.value)
    assert not Activity.objects.exists()


def test_a_gap_row_of_another_case_is_refused(planning_case, plan, alice, make_case):
    from gapanalys.models import GapRow

    other = make_case("planering")
    # A gap of the other case's analysis (the one its walk past BP2 made).
    foreign = GapRow.objects.filter(analysis__case=other, current_state="delvis").first()
    with pytest.raises(ActionRefused):
        add(planning_case, alice, rows=[foreign.pk])
    assert not Activity.objects.exists()


def test_done_activities_record_when_they_were_done(planning_case, plan, alice):
    activity = add(planning_case, alice)
    services.activity_progress(
        case_id=planning_case.pk,
        actor=alice,
        activity_id=activity.pk,
        status="klar",
        progress_note="Alla team utbildade.",
    )
    activity.refresh_from_db()
    assert activity.completed_on == timezone.localdate()
    assert activity.progress_note == "Alla team utbildade."


def test_an_activity_that_has_not_started_is_not_reported_done(planning_case, plan, alice):
    later = timezone.localdate() + timedelta(days=37)
    activity = add(planning_case, alice, start=later, due=later + timedelta(days=50))
    with pytest.raises(ActionRefused, match=f"börjar {later.isoformat()} och kan inte vara klar"):
        services.activity_progress(
            case_id=planning_case.pk,
            actor=alice,
            activity_id=activity.pk,
            status="klar",
            progress_note="Klart.",
        )
    activity.refresh_from_db()
    assert activity.status == "planerad" and activity.completed_on is None
    # With its start put right (it began earlier than planned), it is done.
    services.activity_save(
        case_id=planning_case.pk,
        actor=alice,
        activity_id=activity.pk,
        data={"start": timezone.localdate() - timedelta(days=3), "status": "klar"},
    )
    activity.refresh_from_db()
    assert activity.completed_on == timezone.localdate()


def test_only_planned_activities_can_be_deleted(planning_case, plan, alice):
    activity = add(planning_case, alice, status="pagar")
    with pytest.raises(ActionRefused, match="inställd"):
        services.activity_delete(case_id=planning_case.pk, actor=alice, activity_id=activity.pk)
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_plan_is_frozen_while_bp3_is_pending(planning_case, plan, alice):
    from implementering.models import ChecklistItem

    ChecklistItem.objects.filter(checklist__case=planning_case).update(
        ticked_by=alice, ticked_on=date(2025, 1, 1)
    )
    from kunskapsstyrning import services as case_services

    case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    with pytest.raises(ActionRefused, match="Inväntar beslut BP3"):
        add(planning_case, alice)


# --- Communication, milestones, phasing out --------------------------------------------------


def test_everyone_in_the_plan_keeps_the_communication_plan(planning_case, plan, kim):
    item = services.plan_part_save(
        case_id=planning_case.pk,
        actor=kim,
        model=CommunicationItem,
        data={
            "audience": "Hemtjänstens personal",
            "message": "Ny rutin efter utskrivning",
            "channel": "APT",
            "planned_on": date(2025, 2, 1),
            "responsible": "Enhetschefer",
        },
    )
    assert item.plan == plan


def test_an_outsider_cannot_touch_the_communication_plan(planning_case, plan, bob):
    with pytest.raises(PermissionDenied):
        services.plan_part_save(
            case_id=planning_case.pk,
            actor=bob,
            model=CommunicationItem,
            data={
                "audience": "x",
                "message": "x",
                "channel": "x",
                "planned_on": date(2025, 2, 1),
                "responsible": "x",
            },
        )


def test_phasing_out_belongs_to_its_principal(planning_case, plan, alice, kim):
    data = {
        "what": "Pappersremisser till hemsjukvården",
        "principal": "kommun",
        "from_date": date(2025, 9, 1),
        "responsible": "MAS",
    }
    with pytest.raises(PermissionDenied):
        services.plan_part_save(case_id=planning_case.pk, actor=alice, model=PhaseOut, data=data)
    phase_out = services.plan_part_save(
        case_id=planning_case.pk, actor=kim, model=PhaseOut, data=data
    )
    assert phase_out.principal == "kommun"


# --- Coverage of the gap rows and anchoring ---------------------------------------------------


def test_coverage_lists_the_gaps_with_proposals_only(planning_case, plan):
    coverage = selectors.gap_coverage(plan)
    assert [c.row.recommendation.number for c in coverage.rows] == [2, 3]
    assert [c.row.recommendation.number for c in coverage.uncovered] == [2, 3]


def test_a_gap_is_covered_by_an_activity_that_is_not_cancelled(planning_case, plan, alice, sara):
    add(planning_case, alice, rows=[gap_row(planning_case, 2).pk])
    joint = add(planning_case, sara, rows=[gap_row(planning_case, 3).pk], principal="gemensam")
    assert selectors.gap_coverage(plan).is_complete
    services.activity_progress(
        case_id=planning_case.pk,
        actor=sara,
        activity_id=joint.pk,
        status="installd",
        progress_note="Ersätts av länets gemensamma rutin.",
    )
    assert [c.row.recommendation.number for c in selectors.gap_coverage(plan).uncovered] == [3]


def test_a_gap_can_be_left_out_consciously_with_a_reason(planning_case, plan, alice):
    add(planning_case, alice, rows=[gap_row(planning_case, 2).pk])
    services.gap_row_exclude(
        case_id=planning_case.pk,
        actor=alice,
        gap_row_id=gap_row(planning_case, 3).pk,
        reason="Hanteras i länets satsning på nära vård 2026.",
    )
    coverage = selectors.gap_coverage(plan)
    assert coverage.is_complete
    assert coverage.rows[1].exclusion.reason.startswith("Hanteras")


def test_leaving_a_gap_out_needs_a_reason(planning_case, plan, alice):
    with pytest.raises(ActionRefused, match="varför"):
        services.gap_row_exclude(
            case_id=planning_case.pk,
            actor=alice,
            gap_row_id=gap_row(planning_case, 3).pk,
            reason="  ",
        )
    assert not GapRowExclusion.objects.exists()


def test_the_plan_cannot_be_anchored_until_every_gap_is_covered(planning_case, plan, alice):
    add(planning_case, alice, rows=[gap_row(planning_case, 2).pk])
    with pytest.raises(ActionRefused, match="rekommendation 3 saknar aktivitet"):
        services.plan_anchor(case_id=planning_case.pk, actor=alice, anchored_on=date(2025, 1, 10))
    plan.refresh_from_db()
    assert not plan.is_anchored


def test_an_anchored_plan_records_when_and_who(planning_case, plan, alice):
    add(planning_case, alice, rows=[gap_row(planning_case, 2).pk, gap_row(planning_case, 3).pk])
    services.plan_anchor(
        case_id=planning_case.pk,
        actor=alice,
        anchored_on=date(2025, 1, 10),
        note="LPO-möte 10 januari",
    )
    plan.refresh_from_db()
    assert (plan.anchored_on, plan.anchored_by, plan.anchored_note) == (
        date(2025, 1, 10),
        alice,
        "LPO-möte 10 januari",
    )
    assert not plan.changed_since_anchoring
    add(planning_case, alice, title="Ny aktivitet efter förankringen")
    plan.refresh_from_db()
    assert plan.changed_since_anchoring


def test_an_empty_plan_cannot_be_anchored(planning_case, plan, alice):
    with pytest.raises(ActionRefused, match="inga aktiviteter"):
        services.plan_anchor(case_id=planning_case.pk, actor=alice, anchored_on=date(2025, 1, 10))


def test_anchoring_is_for_the_chair_or_the_strategist(planning_case, plan, lars):
    with pytest.raises(PermissionDenied):
        services.plan_anchor(case_id=planning_case.pk, actor=lars, anchored_on=date(2025, 1, 10))


def test_anchoring_cannot_be_dated_in_the_future(planning_case, plan, alice):
    add(planning_case, alice, rows=[gap_row(planning_case, 2).pk, gap_row(planning_case, 3).pk])
    with pytest.raises(ActionRefused, match="framtiden"):
        services.plan_anchor(
            case_id=planning_case.pk,
            actor=alice,
            anchored_on=timezone.localdate() + timedelta(days=1),
        )


# --- Overdue and history ------------------------------------------------------------------------


def test_overdue_activities_are_open_and_past_their_due_date(planning_case, plan, alice):
    today = timezone.localdate()
    late = add(planning_case, alice, start=today - timedelta(days=60), due=today - timedelta(1))
    add(planning_case, alice, start=today - timedelta(days=60), due=today)
    add(planning_case, alice, start=today - timedelta(60), due=today - timedelta(1), status="klar")
    assert list(Activity.objects.overdue()) == [late]


def test_the_plan_history_shows_what_changed(planning_case, plan, alice):
    activity = add(planning_case, alice)
    services.activity_save(
        case_id=planning_case.pk,
        actor=alice,
        activity_id=activity.pk,
        data={"due": date(2025, 8, 31)},
        gap_row_ids=[],
    )
    entries = selectors.plan_history(plan)
    changed = [e for e in entries if e["kind"] == "Aktivitet" and e["type"] == "~"]
    assert changed and "klar senast" in changed[0]["changes"]
    assert [e for e in entries if e["kind"] == "Aktivitet" and e["type"] == "+"]


# --- "Planen är genomförd": every activity done or cancelled with a reason (issue 13) ----------


def test_an_activity_is_not_cancelled_without_a_reason_and_nothing_is_saved(
    planning_case, plan, alice
):
    activity = add(planning_case, alice)
    with pytest.raises(ActionRefused, match="varför aktiviteten ställs in"):
        services.activity_progress(
            case_id=planning_case.pk,
            actor=alice,
            activity_id=activity.pk,
            status="installd",
            progress_note="  ",
        )
    activity.refresh_from_db()
    assert activity.status == "planerad"


def test_a_cancelled_activity_says_why_on_the_timeline(planning_case, plan, alice):
    activity = add(planning_case, alice)
    services.activity_progress(
        case_id=planning_case.pk,
        actor=alice,
        activity_id=activity.pk,
        status="installd",
        progress_note="Ersätts av länets gemensamma rutin.",
    )
    assert CaseEvent.objects.filter(
        case=planning_case,
        message=f"Aktiviteten ”{activity.title}” ställdes in: Ersätts av länets gemensamma rutin.",
    ).exists()


def test_the_plan_is_carried_out_only_when_every_activity_is_done_or_cancelled_with_a_reason(
    planning_case, plan, alice
):
    from kunskapsstyrning import services as case_services
    from kunskapsstyrning.models import Case, State
    from kunskapsstyrning.tests.helpers import walk_to

    first, second, third = (add(planning_case, alice, title=f"Aktivitet {n}") for n in (1, 2, 3))
    case = walk_to(Case.objects.get(pk=planning_case.pk), State.IMPLEMENTATION)
    # walk_to carries a plan out only on its way past "implemented"; this walk stops before.
    assert not selectors.plan_carried_out(case)
    assert "4 av 4 aktiviteter" in selectors.plan_not_carried_out(case)  # with BP3's own
    chair = alice
    actions, blocked = case_services.case_actions(chair, case)
    assert "implemented" not in [a.name for a in actions]
    assert [a.name for a, _reason in blocked] == ["implemented"]
    with pytest.raises(ActionRefused, match="Planen är inte genomförd"):
        case_services.case_act(case_id=case.pk, actor=chair, action_name="implemented")
    assert Case.objects.get(pk=case.pk).state == State.IMPLEMENTATION
    for activity in Activity.objects.filter(plan__case=case).exclude(pk=third.pk):
        services.activity_progress(
            case_id=case.pk, actor=chair, activity_id=activity.pk, status="klar", progress_note=""
        )
    services.activity_progress(
        case_id=case.pk,
        actor=chair,
        activity_id=third.pk,
        status="installd",
        progress_note="Ingår i regionens nya journalsystem.",
    )
    case = Case.objects.get(pk=case.pk)
    assert selectors.plan_carried_out(case)
    case_services.case_act(case_id=case.pk, actor=chair, action_name="implemented")
    assert Case.objects.get(pk=case.pk).state == State.FOLLOW_UP
