from kunskapsstyrning.models import State


def test_a_case_walks_to_follow_up(make_case, alice, maja):
    case = make_case(State.FOLLOW_UP)
    assert case.state == State.FOLLOW_UP
    assert case.decisions.count() == 3
