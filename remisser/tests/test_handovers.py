"""The strategist is told when every answer of a round is in (issue 13's handovers): on the
home page and by one e-mail; nobody else is."""

import pytest

from kunskapsstyrning.models import Notification
from remisser import services

from .factories import distribute, response_of

pytestmark = pytest.mark.django_db


def submit(remiss, lpo, chair):
    return services.response_save(
        response_id=response_of(remiss, lpo).pk,
        actor=chair,
        text="Vi tillstyrker.",
        included_comment_ids=[],
        submit=True,
    )


def test_the_strategist_is_told_when_the_last_answer_is_in(
    remiss, lpo, other_lpo, alice, bob, sara, maja, django_capture_on_commit_callbacks, mailoutbox
):
    distribute(remiss, [lpo, other_lpo])
    with django_capture_on_commit_callbacks(execute=True):
        submit(remiss, lpo, alice)
    assert not Notification.objects.exists()  # LPO Lunga has not answered yet
    with django_capture_on_commit_callbacks(execute=True):
        submit(remiss, other_lpo, bob)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (sara, Notification.Kind.ANSWERS_IN)
    assert notice.text == (
        "Alla svar på remissen om Hjärtsvikt – nydebuterad är inne: sammanställ regionens svar."
    )
    assert notice.url == f"/remisser/{remiss.pk}/"
    assert [m.to for m in mailoutbox] == [[sara.email]]
    assert mailoutbox[0].subject == "Alla remissvar är inne: Hjärtsvikt – nydebuterad"


def test_the_municipal_input_counts_as_an_answer(remiss, lpo, alice, kim, sara):
    distribute(remiss, [lpo], municipal_representative=kim)
    submit(remiss, lpo, alice)
    assert not Notification.objects.exists()  # the municipalities' input is still due
    services.response_save(
        response_id=remiss.responses.get(kind="kommun").pk,
        actor=kim,
        text="Kommunerna tillstyrker.",
        included_comment_ids=[],
        submit=True,
    )
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["sara"]


def test_the_notice_leaves_the_home_page_once_the_regions_answer_is_sent(
    remiss, lpo, other_lpo, alice, bob, sara
):

    distribute(remiss, [lpo, other_lpo])
    submit(remiss, lpo, alice)
    submit(remiss, other_lpo, bob)
    assert Notification.objects.get().read_at is None
    services.remiss_decline(remiss_id=remiss.pk, actor=sara, reason="Regionen avstår.")
    assert Notification.objects.get().read_at is not None
