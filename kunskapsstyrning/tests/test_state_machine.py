"""The full state × transition matrix, declared here independently of the model."""

import pytest
from django_fsm import can_proceed

from kunskapsstyrning.models import Case, State

S = State
# transition → (sources, target)
EXPECTED = {
    "remiss_answered": ({S.REMISS}, S.NATIONAL_DECISION),
    "nationally_adopted": ({S.REMISS, S.NATIONAL_DECISION}, S.PRIORITISATION),
    "submit_bp1": ({S.PRIORITISATION}, S.BP1),
    "bp1_approved": ({S.BP1}, S.GAP_ANALYSIS),
    "bp1_returned": ({S.BP1}, S.PRIORITISATION),
    "submit_bp2": ({S.GAP_ANALYSIS}, S.BP2),
    "bp2_approved": ({S.BP2}, S.PLANNING),
    "bp2_returned": ({S.BP2}, S.GAP_ANALYSIS),
    "submit_bp3": ({S.PLANNING}, S.BP3),
    "bp3_approved": ({S.BP3}, S.IMPLEMENTATION),
    "bp3_returned": ({S.BP3}, S.PLANNING),
    "postponed": ({S.BP1, S.BP2, S.BP3}, S.POSTPONED),
    "rejected": ({S.BP1, S.BP2, S.BP3, S.NATIONAL_DECISION}, S.NOT_ADOPTED),
    "resumed": ({S.POSTPONED}, S.PRIORITISATION),
    # past a decision point the region's order does not use for the case
    "bp1_skipped": ({S.PRIORITISATION}, S.GAP_ANALYSIS),
    "bp2_skipped": ({S.GAP_ANALYSIS}, S.PLANNING),
    "bp3_skipped": ({S.PLANNING}, S.IMPLEMENTATION),
    "implemented": ({S.IMPLEMENTATION}, S.FOLLOW_UP),
    "learning_started": ({S.FOLLOW_UP}, S.LEARNING),
    "replanned": ({S.LEARNING}, S.PLANNING),
    "closed": ({S.FOLLOW_UP, S.LEARNING}, S.CLOSED),
    "superseded": (
        set(State) - {S.NOT_ADOPTED, S.CLOSED, S.SUPERSEDED},
        S.SUPERSEDED,
    ),
}


def test_the_model_declares_exactly_these_transitions():
    declared = {t.name for t in Case._meta.get_field("state").get_all_transitions(Case)}
    assert declared == set(EXPECTED)


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_transition_is_legal_only_from_its_sources(state, name):
    sources, target = EXPECTED[name]
    case = Case(state=state)
    method = getattr(case, name)
    assert can_proceed(method, check_conditions=False) == (state in sources)
    if state in sources:
        # Conditions are checked in test_services; here only where the move leads.
        transition = next(
            t
            for t in Case._meta.get_field("state").get_all_transitions(Case)
            if t.name == name and t.source == state
        )
        assert transition.target == target


@pytest.mark.parametrize("state", [S.NOT_ADOPTED, S.CLOSED, S.SUPERSEDED])
def test_end_states_have_no_way_out(state):
    case = Case(state=state)
    assert not [name for name in EXPECTED if can_proceed(getattr(case, name), False)]


def test_the_state_field_cannot_be_set_directly():
    case = Case(state=S.PRIORITISATION)
    with pytest.raises(AttributeError):
        case.state = S.IMPLEMENTATION
