from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kunskapsstyrning import services
from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    Decision,
    DecisionRule,
    Document,
    KnowledgeSupport,
    Notification,
    State,
)
from kunskapsstyrning.tests.helpers import walk_to
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def decide(case, actor, outcome="bifall", point=None):
    return services.case_decide(
        case_id=case.pk,
        actor=actor,
        point=point or case.awaiting_point,
        outcome=outcome,
        decided_on=date(2025, 3, 1),
        motivation="Underlaget räcker.",
    )


# --- Registration -------------------------------------------------------------------------


def test_registration_gives_sequential_registry_numbers(make_case, alice, maja, region):
    first, second = make_case("remiss"), make_case("remiss")
    year = timezone.localdate().year
    assert first.registry_number == f"RN {year}/0001"
    assert second.registry_number == f"RN {year}/0002"


def test_a_failed_registration_does_not_use_up_a_number(sara, region, lpo, foreign_lpo, support):
    with pytest.raises(services.ActionRefused, match="annan region"):
        services.case_register(
            actor=sara,
            region=region,
            knowledge_support=support,
            responsible_lpo=foreign_lpo,
            strategist=sara,
        )
    case = services.case_register(
        actor=sara, region=region, knowledge_support=support, responsible_lpo=lpo, strategist=sara
    )
    assert case.registry_sequence == 1
    assert Case.objects.count() == 1


def test_each_region_counts_its_own_numbers(
    sara, sven, region, other_region, lpo, foreign_lpo, support
):
    services.case_register(
        actor=sara, region=region, knowledge_support=support, responsible_lpo=lpo, strategist=sara
    )
    case = services.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
    )
    assert case.registry_sequence == 1


def test_a_region_runs_one_case_per_knowledge_support_at_a_time(
    sara, sven, region, other_region, lpo, foreign_lpo, support, maja, alice
):
    def register(actor=sara, in_region=region, responsible=lpo):
        return services.case_register(
            actor=actor,
            region=in_region,
            knowledge_support=support,
            responsible_lpo=responsible,
            strategist=actor,
            start_at_remiss=False,
        )

    first = register()
    with pytest.raises(services.ActionRefused) as refused:
        register()
    assert refused.value.message == (
        f"Regionen har redan ett pågående ärende för {support}: {first.registry_number} "
        "(Prioritering (LPO)). Arbeta vidare i det."
    )
    assert Case.objects.count() == 1
    # Another region has its own case for the same support.
    assert register(sven, other_region, foreign_lpo).registry_sequence == 1
    # Once the region's case has ended (not adopted at BP1), a new one may be registered,
    # with the next number: the refusal used none.
    walk_to(first, State.BP1)
    services.case_decide(
        case_id=first.pk,
        actor=maja,
        point="BP1",
        outcome="avslag",
        decided_on=date(2024, 5, 1),
        motivation="Inte nu.",
    )
    assert register().registry_sequence == 2


def test_only_the_regions_strategist_registers(alice, sven, region, lpo, support):
    for actor in (alice, sven):
        with pytest.raises(PermissionDenied):
            services.case_register(
                actor=actor,
                region=region,
                knowledge_support=support,
                responsible_lpo=lpo,
                strategist=actor,
            )
    assert not Case.objects.exists()


def test_registration_writes_the_first_timeline_event(make_case, alice, maja):
    case = make_case("remiss")
    event = case.events.get()
    assert event.kind == CaseEvent.Kind.REGISTERED
    assert case.registry_number in event.message


# --- Moving a case ------------------------------------------------------------------------


def test_bp1_cannot_be_requested_before_the_prioritisation_is_filled(case, alice):
    with pytest.raises(services.ActionRefused, match="Prioriteringen"):
        services.case_act(case_id=case.pk, actor=alice, action_name="submit_bp1")
    assert Case.objects.get(pk=case.pk).state == State.PRIORITISATION


def test_bp3_before_bp2_is_refused_and_nothing_changes(case, alice):
    events = case.events.count()
    with pytest.raises(services.ActionRefused, match="Det går inte att"):
        services.case_act(case_id=case.pk, actor=alice, action_name="submit_bp3")
    assert Case.objects.get(pk=case.pk).state == State.PRIORITISATION
    assert case.events.count() == events


def test_a_chair_of_another_lpo_cannot_move_the_case(case, bob):
    with pytest.raises(PermissionDenied):
        services.case_act(case_id=case.pk, actor=bob, action_name="submit_bp1")


def test_a_stale_page_is_told_the_case_has_moved_on(case, alice):
    with pytest.raises(services.ActionRefused, match="redan gått vidare"):
        services.case_act(
            case_id=case.pk, actor=alice, action_name="submit_bp1", expected_state=State.REMISS
        )


def test_a_transition_writes_one_timeline_event(case, alice):
    case = walk_to(case, State.BP1)
    event = case.events.filter(kind=CaseEvent.Kind.TRANSITION).last()
    assert (event.from_state, event.to_state, event.actor) == (
        State.PRIORITISATION,
        State.BP1,
        alice,
    )


def test_follow_up_leads_through_learning_back_to_planning(case, alice):
    case = walk_to(case, State.LEARNING)
    services.case_act(case_id=case.pk, actor=alice, action_name="replanned")
    assert Case.objects.get(pk=case.pk).state == State.PLANNING


# --- Decisions ----------------------------------------------------------------------------


def test_management_approves_bp1_and_the_case_starts_its_gap_analysis(case, maja):
    case = walk_to(case, State.BP1)
    decision = decide(case, maja)
    case.refresh_from_db()
    assert case.state == State.GAP_ANALYSIS
    assert decision.deciding_body.kind == UnitKind.HSL
    assert case.events.filter(kind=CaseEvent.Kind.DECISION, decision=decision).count() == 1


@pytest.mark.parametrize(
    "outcome,state",
    [
        ("ater", State.PRIORITISATION),
        ("vilande", State.POSTPONED),
        ("avslag", State.NOT_ADOPTED),
    ],
)
def test_bp1_outcomes_lead_where_they_should(case, maja, outcome, state):
    case = walk_to(case, State.BP1)
    decide(case, maja, outcome)
    assert Case.objects.get(pk=case.pk).state == state


def test_bp2_returned_goes_back_to_the_gap_analysis(case, maja):
    case = walk_to(case, State.BP2)
    decide(case, maja, "ater")
    assert Case.objects.get(pk=case.pk).state == State.GAP_ANALYSIS


def test_bp3_returned_goes_back_to_planning(case, maja):
    case = walk_to(case, State.BP3)
    decide(case, maja, "ater")
    assert Case.objects.get(pk=case.pk).state == State.PLANNING


def test_a_chair_cannot_decide(case, alice):
    case = walk_to(case, State.BP1)
    with pytest.raises(PermissionDenied):
        decide(case, alice)
    assert not Decision.objects.exists()


def test_deciding_twice_is_refused(case, maja):
    case = walk_to(case, State.BP1)
    decide(case, maja)
    with pytest.raises(services.ActionRefused, match="redan gått vidare"):
        decide(case, maja, point="BP1")
    assert Decision.objects.count() == 1


def test_a_decision_is_not_dated_before_the_cases_earlier_decision(case, maja):
    """BP2 "decided" 2020-01-01 on a case whose BP1 was 2024-05-01 went into the record and,
    outcome and date being fixed, could not be put right."""
    case = walk_to(case, State.BP2)  # BP1 decided 2024-05-01
    with pytest.raises(services.ActionRefused) as refused:
        services.case_decide(
            case_id=case.pk,
            actor=maja,
            point="BP2",
            outcome="bifall",
            decided_on=date(2020, 1, 1),
            motivation="Underlaget är komplett.",
        )
    assert refused.value.message == (
        "Beslutsdatumet kan inte ligga före ärendets beslut vid BP1 (godkänt 2024-05-01). "
        "Ange ett datum från och med 2024-05-01."
    )
    assert not Decision.objects.filter(point="BP2").exists()
    assert Case.objects.get(pk=case.pk).state == State.BP2
    # The same day as BP1 is possible: both decided at one meeting.
    services.case_decide(
        case_id=case.pk,
        actor=maja,
        point="BP2",
        outcome="bifall",
        decided_on=date(2024, 5, 1),
        motivation="Underlaget är komplett.",
    )
    assert Case.objects.get(pk=case.pk).state == State.PLANNING


def test_a_decision_needs_a_motivation(case, maja):
    case = walk_to(case, State.BP1)
    with pytest.raises(services.ActionRefused, match="motivering"):
        services.case_decide(
            case_id=case.pk,
            actor=maja,
            point="BP1",
            outcome="bifall",
            decided_on=date(2025, 1, 1),
            motivation="  ",
        )
    assert Case.objects.get(pk=case.pk).state == State.BP1


def test_a_decision_asks_for_its_document_in_the_same_transaction(
    case, maja, django_capture_on_commit_callbacks
):
    case = walk_to(case, State.BP1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = decide(case, maja)
    document = Document.objects.get(decision=decision)
    assert document.status == Document.Status.REQUESTED  # not rendered inside the transaction
    for callback in callbacks:
        callback()
    document.refresh_from_db()
    assert document.kind == "beslut_bp1"
    # Tasks run eagerly in tests: the document was rendered after the commit.
    assert document.status == Document.Status.READY
    assert document.sha256 and document.pages >= 1


def test_decisions_can_never_be_changed_or_deleted(case, maja):
    case = walk_to(case, State.BP1)
    decision = decide(case, maja)
    decision.motivation = "Ändrad i efterhand"
    with pytest.raises(TypeError, match="ändras aldrig"):
        decision.save()
    with pytest.raises(TypeError):
        decision.delete()
    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).update(motivation="x")
    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).delete()
    assert Decision.objects.get(pk=decision.pk).motivation == "Underlaget räcker."


def test_a_region_without_a_decision_rule_cannot_decide(make_case, alice, maja):
    case = walk_to(make_case("prioritering"), State.PRIORITISATION)
    DecisionRule.objects.all().delete()
    case = walk_to(case, State.BP1)  # sent without an order: nothing to keep
    with pytest.raises(services.ActionRefused, match="ingen beslutsordning"):
        decide(case, maja)


def test_a_case_keeps_the_order_it_was_sent_for_a_decision_with(make_case, alice, maja):
    # The order is removed after the case was sent: the case is decided by the order it has.
    case = walk_to(make_case("prioritering"), State.BP1)
    DecisionRule.objects.all().delete()
    assert decide(case, maja).outcome == "bifall"


def test_joint_cases_follow_the_joint_rule(make_case, region, alice, maja, sara):
    lansledning = UnitFactory(kind=UnitKind.LANSLEDNING, region=region, name="Länsledningen")
    DecisionRule.objects.create(
        region=region,
        point="BP1",
        deciding_body=lansledning,
        applies_to=DecisionRule.AppliesTo.JOINT,
    )
    director = UserFactory(username="hsd")
    member(director, lansledning, Role.MANAGEMENT, start_date=date(2024, 1, 1))
    joint = walk_to(make_case("prioritering", joint=True), State.BP1)
    own = walk_to(make_case("prioritering"), State.BP1)
    with pytest.raises(PermissionDenied):
        decide(joint, maja)  # the health-care management decides only the region's own
    assert decide(joint, director).deciding_body == lansledning
    assert decide(own, maja).deciding_body.kind == UnitKind.HSL


# --- Supersession -------------------------------------------------------------------------


def test_a_new_national_version_supersedes_the_case(case, sara, support):
    newer = KnowledgeSupport.objects.create(
        type=support.type, title=support.title, version="2.0", replaces=support
    )
    successor = services.case_supersede(case_id=case.pk, actor=sara, new_support=newer)
    assert Case.objects.get(pk=case.pk).state == State.SUPERSEDED
    assert successor.supersedes_id == case.pk
    assert successor.knowledge_support == newer
    assert successor.state == State.REMISS


def test_a_chair_cannot_supersede(case, alice, support):
    newer = KnowledgeSupport.objects.create(type=support.type, title=support.title, version="2")
    with pytest.raises(PermissionDenied):
        services.case_supersede(case_id=case.pk, actor=alice, new_support=newer)


def test_a_joint_case_names_its_municipalities(sara, region, lpo, support):
    from organisation.models import Municipality

    kommun = Municipality.objects.create(code="9001", name="Norrby", region=region)
    case = services.case_register(
        actor=sara,
        region=region,
        knowledge_support=support,
        responsible_lpo=lpo,
        strategist=sara,
        joint=True,
        municipalities=[kommun],
    )
    assert list(case.municipalities.all()) == [kommun]


def test_municipalities_of_another_county_or_a_non_joint_case_are_refused(
    sara, region, other_region, lpo, support
):
    from organisation.models import Municipality

    foreign = Municipality.objects.create(code="9101", name="Sydby", region=other_region)
    local = Municipality.objects.create(code="9002", name="Norrby", region=region)
    with pytest.raises(services.ActionRefused, match="annat län"):
        services.case_register(
            actor=sara,
            region=region,
            knowledge_support=support,
            responsible_lpo=lpo,
            strategist=sara,
            joint=True,
            municipalities=[foreign],
        )
    with pytest.raises(services.ActionRefused, match="gemensamt ärende"):
        services.case_register(
            actor=sara,
            region=region,
            knowledge_support=support,
            responsible_lpo=lpo,
            strategist=sara,
            municipalities=[local],
        )
    assert not Case.objects.exists()


def test_a_correction_is_a_new_decision_that_points_at_the_old_one(case, maja, alice):
    case = walk_to(case, State.BP1)
    original = decide(case, maja)
    correction = services.decision_correct(
        decision_id=original.pk,
        actor=maja,
        motivation="Rättad motivering.",
        reason="Stavfel i motiveringen",
    )
    assert correction.corrects == original
    assert (correction.point, correction.outcome) == (original.point, original.outcome)
    assert Decision.objects.get(pk=original.pk).motivation == "Underlaget räcker."
    assert Document.objects.filter(decision=correction).count() == 1
    assert Case.objects.get(pk=case.pk).state == State.GAP_ANALYSIS
    # The chair, who may have passed the first document on, is told of the new one.
    told = Notification.objects.get(recipient=alice, key=f"decision-{correction.pk}")
    assert "rättades (Stavfel i motiveringen)" in told.text
    with pytest.raises(services.ActionRefused, match="redan rättat"):
        services.decision_correct(
            decision_id=original.pk, actor=maja, motivation="x", reason="igen"
        )
    with pytest.raises(PermissionDenied):
        services.decision_correct(
            decision_id=correction.pk, actor=alice, motivation="x", reason="chair"
        )
