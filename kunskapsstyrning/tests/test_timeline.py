"""The timeline says what happened, not which button was pressed."""

from kunskapsstyrning.models import Case, CaseEvent, State
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
    # Registered on the day its story starts, as its first event says.
    for case in Case.objects.all():
        first = case.events.order_by("at").first()
        assert case.opened_at.date() <= first.at.date(), case.registry_number
    joint = Case.objects.get(joint=True)
    assert joint.opened_at == joint.events.order_by("at").first().at


def test_the_demo_work_and_mail_rows_fall_on_the_days_of_their_story(
    db, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        call_command("load_demo_data", verbosity=0)
    answered = CaseEvent.objects.get(message__startswith="Regionens remissvar skickades").case
    story = [
        (e.kind, e.message.split(" ")[0])
        for e in answered.events.exclude(kind=CaseEvent.Kind.DOCUMENT).order_by("at", "pk")
    ]
    kinds = [kind for kind, _ in story]
    # Mailed when sent and invited, the comments before the answers, the region's answer last.
    assert kinds.index(CaseEvent.Kind.NOTIFICATION) < kinds.index(CaseEvent.Kind.WORK)
    last_work = len(kinds) - 1 - kinds[::-1].index(CaseEvent.Kind.WORK)
    assert last_work < [m for _, m in story].index("LPO")
    assert story[-1][1] == "Regionens"
    sepsis = CaseEvent.objects.get(message__contains="bedömde 5 rader")
    assert sepsis.at.date() == date(2024, 8, 20)


def test_what_the_demo_tasks_wrote_after_the_commit_is_dated_in_its_story(
    db, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django.utils import timezone

    from kunskapsstyrning.models import Document, Notification

    call_command("load_reference_data", verbosity=0)
    loaded = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # documents and mail after it
        call_command("load_demo_data", verbosity=0)
    # (The demo's open remiss round and coming meetings happen now: their rows are today.)
    later = CaseEvent.objects.filter(
        at__gte=loaded, kind__in=[CaseEvent.Kind.DOCUMENT, CaseEvent.Kind.NOTIFICATION]
    ).exclude(case__state=State.REMISS)
    assert list(later.values_list("message", flat=True)) == []
    decision_ready = Document.objects.filter(decision__isnull=False, status=Document.Status.READY)
    assert decision_ready.exists()
    for document in decision_ready.select_related("decision"):
        decided = document.decision.events.get().at
        assert decided == document.requested_at <= document.finished_at < loaded
    mailed = Notification.objects.filter(emailed_at__isnull=False)
    assert mailed.exists() and not mailed.filter(emailed_at__gte=loaded).exists()
