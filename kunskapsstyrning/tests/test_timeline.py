"""The timeline says what happened, not which button was pressed."""

from kunskapsstyrning.models import CaseEvent, State
from kunskapsstyrning.services import ACTIONS, HAPPENED
from kunskapsstyrning.tests.helpers import walk_to


def test_every_action_has_words_for_what_happened():
    assert set(ACTIONS) <= set(HAPPENED)
    for name, action in ACTIONS.items():
        assert str(HAPPENED[name]) != str(action.label), name


def test_submitting_for_bp1_reads_as_what_happened(case):
    walk_to(case, State.BP1)
    messages = list(CaseEvent.objects.filter(case=case).values_list("message", flat=True))
    assert "Prioriteringen skickades till beslut BP1." in messages
    assert "Skicka till beslut BP1" not in messages
