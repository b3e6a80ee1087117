from django.urls import reverse

from kunskapsstyrning.models import ROAD, ROAD_STATES, ROAD_STOPS, State, road_to
from kunskapsstyrning.services import ACTIONS, OUTCOME_TRANSITIONS


def test_the_road_runs_from_a_remiss_to_learning_through_every_decision_point():
    assert ROAD_STATES[0] == State.REMISS and ROAD_STATES[-1] == State.LEARNING
    assert [t for t, _s in ROAD if t.endswith("_approved")] == [
        "bp1_approved",
        "bp2_approved",
        "bp3_approved",
    ]


def test_every_step_of_the_road_is_an_action_or_an_approving_decision():
    approving = set(OUTCOME_TRANSITIONS.values())
    for transition, _state in ROAD:
        assert transition in approving or ACTIONS[transition].transition == transition


def test_the_way_to_a_state_starts_where_the_case_is():
    assert road_to(State.BP1) == ROAD[:3]
    assert road_to(State.BP2, start=State.GAP_ANALYSIS) == [("submit_bp2", State.BP2)]
    assert road_to(State.REMISS) == []


def test_each_state_on_the_road_is_at_one_stop_of_the_case_page():
    for state in ROAD_STATES:
        assert sum(state in states for _label, states in ROAD_STOPS) == 1, state


def test_the_case_page_marks_the_stop_the_case_is_at(client, make_case, sara, alice, maja):
    case = make_case("gapanalys")
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])).content.decode()
    road = page[page.index('<ol class="road"') : page.index("</ol>", page.index('class="road"'))]
    assert road.count('aria-current="step"') == 1
    assert '<li class="current" aria-current="step">Gap-analys<span' in road
