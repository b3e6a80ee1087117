"""The national decision tells the LPO chairs and the municipalities' coordinator on their home
page too (issue 13): one notification each, e-mailed once in the national decision's words."""

from datetime import date

import pytest
from django.urls import reverse

from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Notification
from nationellt import services
from organisation.models import Role
from organisation.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(make_case, alice, lpo):
    """A joint case that answered its remiss and waits for the national decision; the LPO has
    a municipal representative (the municipalities' coordinator of seed 002)."""
    case = make_case("remiss", joint=True)
    return case_services.case_act(
        case_id=case.pk, actor=case.strategist, action_name="remiss_answered"
    )


@pytest.fixture
def kim(lpo):
    user = UserFactory(username="kim", first_name="Kim", last_name="Kommun")
    member(user, lpo, Role.MUNICIPAL_REPRESENTATIVE, start_date=date(2024, 1, 1))
    return user


def test_the_chair_and_the_coordinator_are_told_and_nobody_else(
    client, waiting, sara, alice, bob, maja, kim, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.national_decision_record(
            case_id=waiting.pk,
            actor=sara,
            decided_on=date(2024, 5, 10),
            body="sks",
            reference="SKS 2024/12 §4",
            outcome="infors",
        )
    told = Notification.objects.filter(kind=Notification.Kind.NATIONAL_DECISION)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "kim"]
    assert told.first().text == (
        "Nationellt beslut 2024-05-10 om Hjärtsvikt – nydebuterad: kunskapsstödet införs "
        "(SKS 2024/12 §4)."
    )
    # One e-mail each, the national decision's own (not a second one for the notification).
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.email, kim.email])
    client.force_login(kim)
    home = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Nationellt beslut 2024-05-10 om Hjärtsvikt" in home
