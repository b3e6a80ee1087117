"""Who is told what at a handover (issue 13): management when a case awaits them, each
decision-maker of a joint decision when their part is due, the chair when a decision or a part
of it is taken — on their home page and by one e-mail each; and the daily digest, at most one
reminder e-mail a person a day."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kunskapsstyrning import notifications, services
from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    DailyDigest,
    DecisionRound,
    DecisionRule,
    Notification,
    State,
)
from kunskapsstyrning.tests.helpers import walk_to
from organisation.models import Municipality, Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

START = date(2024, 1, 1)
DAY = date(2025, 3, 1)
Kind = Notification.Kind


def told(kind=None, case=None, key=""):
    """{username: [text, ...]} of the notifications left, of `kind` (and `case`, and a key that
    starts with `key`) if given."""
    rows = Notification.objects.select_related("recipient").order_by("recipient__username", "pk")
    if kind:
        rows = rows.filter(kind=kind)
    if case:
        rows = rows.filter(case=case)
    if key:
        rows = rows.filter(key__startswith=key)
    people = {}
    for row in rows:
        people.setdefault(row.recipient.username, []).append(row.text)
    return people


@pytest.fixture
def mona(management_body):
    """A municipality's representative in the region's management body: never the region's
    decider."""
    municipality = Municipality.objects.create(
        code="9009", name="Norrby", region=management_body.region
    )
    user = UserFactory(username="mona", municipality=municipality)
    member(user, management_body, Role.MANAGEMENT, start_date=START)
    return user


@pytest.fixture
def south_manager(other_region):
    body = UnitFactory(kind=UnitKind.HSL, name="HSL Syd", code="RS_HSL", region=other_region)
    DecisionRule.objects.create(region=other_region, point="BP1", deciding_body=body)
    user = UserFactory(username="syd")
    member(user, body, Role.MANAGEMENT, start_date=START)
    return user


def submit_bp1(case, chair):
    from devdata.demo import PRIORITISATION

    services.prioritisation_save(case_id=case.pk, actor=chair, data=PRIORITISATION)
    return services.case_act(case_id=case.pk, actor=chair, action_name="submit_bp1")


def decide(case, actor, part="", outcome="bifall", point=None):
    return services.case_decide(
        case_id=case.pk,
        actor=actor,
        point=point or Case.objects.get(pk=case.pk).awaiting_point,
        part=part,
        outcome=outcome,
        decided_on=DAY,
        motivation=f"{actor} beslutar.",
    )


# --- Management when a case awaits them; the chair when it is decided ---------------------


def test_management_is_told_when_a_case_is_sent_for_their_decision(
    case,
    alice,
    maja,
    mona,
    sara,
    bob,
    south_manager,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_bp1(case, alice)
    # The region's decider only: not the municipality's representative in the same body, not
    # the chair who sent it, not the strategist, not another LPO, not another region.
    assert told() == {"maja": ["BP1 om Hjärtsvikt – nydebuterad väntar på ditt beslut."]}
    notice = Notification.objects.get()
    assert notice.kind == Kind.DECISION_DUE
    assert notice.url == reverse("kunskapsstyrning:case_decide", args=[case.pk])
    assert [m.to for m in mailoutbox] == [[maja.email]]
    assert mailoutbox[0].subject == "Väntar på ditt beslut: Hjärtsvikt – nydebuterad"
    assert f"/meddelanden/{notice.pk}/" in mailoutbox[0].body
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.NOTIFICATION, message__contains="Maja"
    ).exists()


def test_the_chair_is_told_when_the_decision_is_taken(
    case, alice, maja, bob, sara, django_capture_on_commit_callbacks, mailoutbox
):
    submit_bp1(case, alice)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(case, maja)
    assert told(Kind.DECIDED) == {
        "alice": ["BP1 om Hjärtsvikt – nydebuterad: godkänt (2025-03-01)."]
    }
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert mailoutbox[0].subject == "Beslut fattat: Hjärtsvikt – nydebuterad"
    # What waited for management is done: it leaves their home page.
    assert Notification.objects.get(recipient=maja).read_at is not None
    assert Notification.objects.get(kind=Kind.DECIDED).key == f"decision-{decision.pk}"


def test_the_e_mail_task_is_idempotent(
    case, alice, maja, django_capture_on_commit_callbacks, mailoutbox
):
    from kunskapsstyrning.tasks import notifications_email

    with django_capture_on_commit_callbacks(execute=True):
        submit_bp1(case, alice)
    ids = list(Notification.objects.values_list("pk", flat=True))
    notifications_email.apply(args=[ids])
    assert len(mailoutbox) == 1


def test_telling_the_same_event_twice_leaves_one_notification(case, alice, maja):
    submit_bp1(case, alice)
    decision_round = DecisionRound.objects.get(case=case)
    assert notifications.decision_due(case, decision_round) == []
    assert Notification.objects.count() == 1


def test_a_mail_server_failure_is_retried_and_mails_only_what_is_left(
    case, alice, maja, monkeypatch, mailoutbox
):
    import smtplib

    from kunskapsstyrning.tasks import notifications_email

    submit_bp1(case, alice)
    notice = Notification.objects.get()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("nere")

    monkeypatch.setattr("kunskapsstyrning.notifications.send_mail", broken)
    assert notifications_email.apply(args=[[notice.pk]]).get() == "failed"
    notice.refresh_from_db()
    assert notice.emailed_at is None  # released: a later run mails it
    monkeypatch.undo()
    assert notifications_email.apply(args=[[notice.pk]]).get() == "sent"
    assert len(mailoutbox) == 1


# --- A joint decision: each decision-maker when their part is due --------------------------


@pytest.fixture
def joint_case(make_case, alice, municipalities, chiefs, joint_order):
    """Västernorrland's BP2 for joint cases (seed 002, `joint_order`): länssamordningsgruppen
    prepares, the HSD decides for the region and each municipality for itself; with Ås and
    Berg, not Dal."""
    case = make_case("prioritering", joint=True, municipalities=municipalities[:2])
    return walk_to(case, State.BP2)


def propose(case, sara):
    return services.proposal_record(
        case_id=case.pk, actor=sara, point="BP2", proposed_on=DAY, text="Gemensamt införande."
    )


def test_each_decision_maker_is_told_when_their_part_is_due(
    joint_case, sara, maja, chiefs, mona, django_capture_on_commit_callbacks, mailoutbox
):
    bp2 = f"round-{DecisionRound.objects.get(case=joint_case, point='BP2').pk}-"
    due = Notification.objects.filter(key__startswith=bp2)
    # Before the preparing body's proposal nothing is due.
    assert not due.exists()
    with django_capture_on_commit_callbacks(execute=True):
        propose(joint_case, sara)
    support = "Hjärtsvikt – nydebuterad"
    assert told(Kind.DECISION_DUE, joint_case, key=bp2) == {
        "chef9001": [f"BP2 om {support}: beslutet för Ås väntar på dig."],
        "chef9002": [f"BP2 om {support}: beslutet för Berg väntar på dig."],
        "maja": [f"BP2 om {support}: beslutet för Region Norr väntar på dig."],
    }  # not Dal's chief (Dal is not in the case), not the municipal member of the HSL
    assert due.get(recipient=chiefs["9001"]).url == reverse(
        "kunskapsstyrning:case_decide_part", args=[joint_case.pk, "kommun-9001"]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [chiefs["9001"].email, chiefs["9002"].email, maja.email]
    )


def test_the_chair_sees_each_part_and_is_mailed_the_decision(
    joint_case, sara, alice, maja, chiefs, django_capture_on_commit_callbacks, mailoutbox
):
    propose(joint_case, sara)
    with django_capture_on_commit_callbacks(execute=True):
        decide(joint_case, chiefs["9001"], point="BP2")
    assert told(Kind.PART_DECIDED) == {
        "alice": ["BP2 om Hjärtsvikt – nydebuterad: Ås godkänt (delbeslut 2025-03-01)."]
    }
    assert mailoutbox == []  # a part is on the home page; the point's decision is mailed
    # Ås's part is done: off its chief's home page; the others' parts still wait.
    due = Notification.objects.filter(kind=Kind.DECISION_DUE, key__contains="-kommun-")
    assert due.get(recipient=chiefs["9001"], read_at__isnull=False)
    assert due.get(recipient=chiefs["9002"], read_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=True):
        decide(joint_case, maja, point="BP2")
        decision = decide(joint_case, chiefs["9002"], outcome="avslag", point="BP2")
    assert len(told(Kind.PART_DECIDED)["alice"]) == 2  # Ås and the region; Berg closed it
    assert told(Kind.DECIDED, key=f"decision-{decision.pk}") == {
        # Berg's part closed the point, and Berg said no: the decision says it is out.
        "alice": ["BP2 om Hjärtsvikt – nydebuterad: godkänt (2025-03-01). Deltar inte: Berg."]
    }
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert not Notification.objects.filter(kind=Kind.DECISION_DUE, read_at__isnull=True).exists()


# --- The daily digest: at most one reminder e-mail a person a day ---------------------------


def waited(case, days):
    DecisionRound.objects.filter(case=case).update(opened_at=timezone.now() - timedelta(days=days))


def test_a_decision_that_waits_is_in_the_digest_after_a_week_and_weekly_after(
    case, alice, maja, mona, settings, mailoutbox
):
    settings.DECISION_REMINDER_DAYS = 7
    submit_bp1(case, alice)
    today = timezone.localdate()
    waited(case, 6)
    assert notifications.digest_send(today) == 0
    waited(case, 7)
    assert notifications.digest_send(today) == 1
    assert [m.to for m in mailoutbox] == [[maja.email]]
    assert "Beslut som väntar på dig" in mailoutbox[0].body
    assert "BP1 om Hjärtsvikt – nydebuterad, har väntat 7 dagar" in mailoutbox[0].body
    assert f"/arenden/{case.pk}/beslut/" in mailoutbox[0].body
    waited(case, 8)
    assert notifications.digest_send(today + timedelta(days=1)) == 0
    waited(case, 14)
    assert notifications.digest_send(today) == 0  # today's digest went out already
    assert notifications.digest_send(today + timedelta(days=1)) == 0
    waited(case, 13)  # a week after the first reminder, tomorrow
    assert notifications.digest_send(today + timedelta(days=1)) == 1


def test_everything_that_waits_for_a_person_comes_in_one_e_mail_once_a_day(
    case, alice, maja, sara, lpo, other_lpo, bob, support, region, settings, mailoutbox
):
    """Maja decides for the region and chairs an LPO that owes a remiss answer: one e-mail."""
    from remisser.tests.factories import days, distribute, register

    settings.DECISION_REMINDER_DAYS = 7
    submit_bp1(case, alice)
    waited(case, 7)
    third = UnitFactory(kind=UnitKind.LPO, name="LPO Njure", code="RN_LPO_NJ", region=region)
    member(maja, third, Role.CHAIR, start_date=START)
    remiss = register(sara, region, lpo, support, reply_deadline=days(7))
    distribute(remiss, [third, other_lpo], internal_deadline=days(2))

    today = timezone.localdate()
    assert notifications.digest_send(today) == 3  # maja, bob, sara (a round due soon)
    to_maja = [m for m in mailoutbox if m.to == [maja.email]]
    assert len(to_maja) == 1
    assert "Beslut som väntar på dig" in to_maja[0].body
    assert "LPO Njure" in to_maja[0].body
    assert sorted(m.to[0] for m in mailoutbox) == sorted([maja.email, bob.email, sara.email])

    # Run again the same day: nobody gets a second e-mail.
    assert notifications.digest_send(today) == 0
    assert len(mailoutbox) == 3
    assert DailyDigest.objects.filter(day=today).count() == 3


def test_the_beat_runs_the_digest_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["daily-digest"]
    assert entry["task"] == "kunskapsstyrning.tasks.daily_digest_send"


# --- The home page: unread notifications, read when opened, only one's own -----------------


def test_the_home_page_shows_unread_notifications_and_opening_one_reads_it(
    client, case, alice, maja
):
    submit_bp1(case, alice)
    notice = Notification.objects.get(recipient=maja)
    client.force_login(maja)
    home = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Att göra och meddelanden" in home
    assert notice.text in home
    response = client.get(reverse("kunskapsstyrning:notification_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == reverse("kunskapsstyrning:case_decide", args=[case.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert (
        "Att göra och meddelanden"
        not in client.get(reverse("kunskapsstyrning:home")).content.decode()
    )
    listed = client.get(reverse("kunskapsstyrning:notification_list")).content.decode()
    assert notice.text in listed and "läst" in listed


def test_marking_read_from_the_home_page(client, case, alice, maja):
    submit_bp1(case, alice)
    notice = Notification.objects.get(recipient=maja)
    client.force_login(maja)
    response = client.post(
        reverse("kunskapsstyrning:notification_read", args=[notice.pk]),
        {"next": "https://evil.example/"},
    )
    assert response.url == reverse("kunskapsstyrning:home")  # never off the site
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notification_is_not_found(client, case, alice, maja):
    submit_bp1(case, alice)
    notice = Notification.objects.get(recipient=maja)
    client.force_login(alice)
    assert (
        client.get(reverse("kunskapsstyrning:notification_open", args=[notice.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("kunskapsstyrning:notification_read", args=[notice.pk])).status_code
        == 404
    )
    client.post(reverse("kunskapsstyrning:notifications_read_all"))
    notice.refresh_from_db()
    assert notice.read_at is None
    assert (
        notice.text
        not in client.get(reverse("kunskapsstyrning:notification_list")).content.decode()
    )


def test_anonymous_is_sent_to_log_in(client, case, alice, maja):
    submit_bp1(case, alice)
    notice = Notification.objects.get(recipient=maja)
    response = client.get(reverse("kunskapsstyrning:notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Notification.objects.get().read_at is None


def test_marking_read_takes_a_post(client, case, alice, maja):
    submit_bp1(case, alice)
    notice = Notification.objects.get(recipient=maja)
    client.force_login(maja)
    assert (
        client.get(reverse("kunskapsstyrning:notification_read", args=[notice.pk])).status_code
        == 405
    )
