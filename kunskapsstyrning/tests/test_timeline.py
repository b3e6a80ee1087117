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


def test_the_demo_history_carries_the_dates_of_its_story(db):
    from datetime import date

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    followed = CaseEvent.objects.filter(case__state=State.FOLLOW_UP).first().case
    story = followed.events.exclude(kind=CaseEvent.Kind.DOCUMENT)
    days = sorted({e.at.date() for e in story})
    assert len(days) >= 8  # registration, each step three weeks apart
    assert days[-1] <= date(2025, 2, 3)  # the last: Riksstroke's extract imported
    decisions = followed.decisions.order_by("decided_on")
    assert [d.decided_on for d in decisions] == sorted({d.decided_on for d in decisions})
