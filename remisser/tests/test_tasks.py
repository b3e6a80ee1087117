import smtplib

import pytest
from django.conf import settings

import kunskapsstyrning.tasks  # noqa: F401 (registers the tasks with the Celery app)
import remisser.tasks  # noqa: F401
from config.celery import app
from kunskapsstyrning.notifications import digest_send
from organisation.models import Role
from organisation.tests.factories import UnitFactory, member
from remisser import services
from remisser.models import Reminder, Response

from .factories import START, days, distribute, register, response_of


def run_beat(name):
    """Run a beat entry's task the way the worker would (in process)."""
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    return app.tasks[entry["task"]].apply().get()


@pytest.fixture
def due_soon(remiss, lpo, other_lpo):
    """Distributed with the internal deadline three days away: inside the reminder window."""
    distribute(remiss, [lpo, other_lpo], internal_deadline=days(3))
    return remiss


def test_reminders_go_out_in_the_one_daily_digest_on_the_beat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kunskapsstyrning.tasks.daily_digest_send" in tasks
    # No reminder job of its own: a person gets at most one reminder e-mail a day.
    assert not any(task.startswith("remisser.") for task in tasks)
    assert "kunskapsstyrning.tasks.daily_digest_send" in app.tasks


def test_chairs_who_have_not_answered_are_reminded_once(due_soon, alice, lpo, mailoutbox):
    services.response_save(
        response_id=response_of(due_soon, lpo).pk,
        actor=alice,
        text="Vi tillstyrker.",
        included_comment_ids=[],
        submit=True,
    )
    assert run_beat("daily-digest") == 1
    assert [m.to for m in mailoutbox] == [["bob@example.se"]]
    assert "Remissvar att skicka in" in mailoutbox[0].body
    assert "LPO Lunga" in mailoutbox[0].body

    # The next day's digest does not remind bob of the round again.
    assert digest_send(today=days(1)) == 0
    assert len(mailoutbox) == 1
    assert Reminder.objects.filter(remiss=due_soon).count() == 1


def test_no_reminder_before_the_window(distributed, mailoutbox, settings):
    settings.REMISS_REMINDER_DAYS = 5  # internal deadline is 20 days away
    assert run_beat("daily-digest") == 0
    assert mailoutbox == []
    assert digest_send(today=days(15)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.se", "bob@example.se"]


def test_the_window_follows_the_setting(distributed, mailoutbox, settings):
    settings.REMISS_REMINDER_DAYS = 20
    assert run_beat("daily-digest") == 2


def test_a_chair_of_two_lpos_in_the_round_gets_one_reminder(remiss, region, lpo, alice, mailoutbox):
    third = UnitFactory(kind="LPO", name="LPO Njure", code="RN_LPO_NJ", region=region)
    member(alice, third, Role.CHAIR, start_date=START)
    distribute(remiss, [lpo, third], internal_deadline=days(2))
    assert digest_send() == 1
    assert len(mailoutbox) == 1
    assert "LPO Hjärta" in mailoutbox[0].body and "LPO Njure" in mailoutbox[0].body
    assert Reminder.objects.filter(remiss=remiss, user=alice).count() == 1


def test_closed_rounds_are_not_reminded(due_soon, sara, mailoutbox):
    services.remiss_decline(remiss_id=due_soon.pk, actor=sara, reason="Avstår.")
    assert digest_send() == 0
    assert mailoutbox == []


def test_the_municipal_representative_is_reminded_too(due_soon, kim, mailoutbox):
    distribute(due_soon, [], internal_deadline=days(3), municipal_representative=kim)
    for response in Response.objects.filter(remiss=due_soon, kind="lpo"):
        response.submitted_at = response.requested_at
        response.save()
    assert digest_send() == 1
    assert mailoutbox[0].to == ["kim@example.se"]


def test_a_reminder_that_could_not_be_sent_is_tried_again(due_soon, monkeypatch, mailoutbox):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("nere")

    monkeypatch.setattr("kunskapsstyrning.notifications.send_mail", broken)
    assert digest_send() == 0
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert digest_send() == 2


def test_the_digest_lists_each_strategists_rounds_at_risk(
    region, lpo, sara, alice, support, mailoutbox
):
    late = register(sara, region, lpo, support, received_on=days(-30), reply_deadline=days(-1))
    soon = register(sara, region, lpo, support, reply_deadline=days(7))
    calm = register(sara, region, lpo, support, reply_deadline=days(60))
    assert run_beat("daily-digest") == 1
    body = mailoutbox[0].body
    assert mailoutbox[0].to == ["sara@example.se"]
    assert "Remisser som behöver dig" in body
    assert late.registry_number in body and "FÖRSENAD" in body
    assert soon.registry_number in body
    assert calm.registry_number not in body


def test_no_digest_when_nothing_is_at_risk(remiss, mailoutbox):
    assert digest_send() == 0
    assert mailoutbox == []


def test_a_round_past_its_internal_deadline_with_answers_missing_is_at_risk(distributed):
    from remisser.models import Remiss

    assert not Remiss.objects.at_risk().exists()
    assert Remiss.objects.at_risk(today=days(21)).get() == distributed


def test_distribution_and_invitation_mails_carry_the_links(
    remiss, lpo, alice, erik, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        distribute(remiss, [lpo], message="Fokusera på rekommendation 3.")
    response = response_of(remiss, lpo)
    assert f"/remisser/{remiss.pk}/svar/{response.pk}/" in mailoutbox[0].body
    assert "Fokusera på rekommendation 3." in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_invite(response_id=response.pk, actor=alice, user=erik)
    assert mailoutbox[1].to == ["erik@example.se"]
    assert f"/remisser/{remiss.pk}/synpunkter/" in mailoutbox[1].body
    assert "Alice Ordförande" in mailoutbox[1].body
