"""The national decision (issue 13): recorded once per knowledge support with date, body,
reference and outcome; it sets the support's national status, moves the case, tells the LPO
chairs and the municipalities' coordinator, and a second region applies it."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from common.refusals import ActionRefused
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Case, CaseEvent, NationalStatus, State
from kunskapsstyrning.tests.helpers import run_at_once
from nationellt import services
from nationellt.models import NationalDecision

DAY = date(2024, 5, 10)


def data(**overrides):
    values = {
        "decided_on": DAY,
        "body": "sks",
        "body_name": "",
        "reference": "SKS 2024/12 §4",
        "outcome": "infors",
    }
    values.update(overrides)
    return values


@pytest.fixture
def waiting(make_case, alice):
    """A case that answered its remiss and waits for the national decision."""
    case = make_case("remiss")
    return case_services.case_act(
        case_id=case.pk, actor=case.strategist, action_name="remiss_answered"
    )


@pytest.fixture
def south_waiting(sven, other_region, foreign_lpo, support):
    case = case_services.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
    )
    return case


def post(client, user, case, **overrides):
    client.force_login(user)
    return client.post(reverse("nationellt:national_decision", args=[case.pk]), data(**overrides))


def test_the_strategist_records_it_and_the_case_goes_to_prioritisation(
    client, waiting, sara, alice, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, sara, waiting)
    assert response.status_code == 302
    decision = NationalDecision.objects.get(knowledge_support=support)
    assert (decision.decided_on, decision.reference, decision.body_label) == (
        DAY,
        "SKS 2024/12 §4",
        "SKS",
    )
    assert Case.objects.get(pk=waiting.pk).state == State.PRIORITISATION
    support.refresh_from_db()
    assert support.national_status == NationalStatus.FASTSTALLT
    event = CaseEvent.objects.filter(case=waiting, to_state=State.PRIORITISATION).get()
    assert "2024-05-10" in event.message and "SKS 2024/12 §4" in event.message
    # The LPO's chair is told by e-mail; the timeline says so.
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "SKS 2024/12 §4" in mail.outbox[0].body
    assert CaseEvent.objects.filter(
        case=waiting, kind=CaseEvent.Kind.NOTIFICATION, message__contains=str(alice)
    ).exists()
    # ... and on their home page.
    client.force_login(alice)
    assert "SKS 2024/12 §4" in client.get(reverse("kunskapsstyrning:home")).content.decode()


def test_not_adopted_ends_the_case_and_marks_the_support(client, waiting, sara, support):
    post(client, sara, waiting, outcome="infors_inte", body="annat", body_name="NSG Hjärta")
    assert Case.objects.get(pk=waiting.pk).state == State.NOT_ADOPTED
    support.refresh_from_db()
    assert support.national_status == NationalStatus.UTFASAD
    assert NationalDecision.objects.get().body_label == "NSG Hjärta"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"decided_on": timezone.localdate() + timedelta(days=1)}, "i framtiden"),
        ({"reference": "  "}, "Fyll i ”Referens”"),
        ({"body": "annat", "body_name": ""}, "vilket nationellt organ"),
        ({"outcome": ""}, "Beslut"),
    ],
)
def test_bad_input_is_refused_on_the_form_and_nothing_is_saved(
    client, waiting, sara, overrides, message
):
    response = post(client, sara, waiting, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NationalDecision.objects.exists()
    assert Case.objects.get(pk=waiting.pk).state == State.NATIONAL_DECISION


def test_a_decision_before_the_remiss_arrived_is_refused(waiting, sara):
    from remisser.models import Remiss

    Remiss.objects.create(
        case=waiting,
        sender="skr",
        received_on=date(2024, 6, 1),
        reply_deadline=date(2024, 9, 1),
        created_by=sara,
    )
    case = Case.objects.get(pk=waiting.pk)
    with pytest.raises(ActionRefused, match="före remissen, som inkom 2024-06-01"):
        services.national_decision_record(case_id=case.pk, actor=sara, **data())
    assert not NationalDecision.objects.exists()


def test_permission_triad(client, waiting, alice, olle, sven):
    url = reverse("nationellt:national_decision", args=[waiting.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(sven)  # another region's strategist: the case does not exist for him
    assert client.get(url).status_code == 404
    assert client.post(url, data()).status_code == 404
    client.force_login(alice)  # the chair sees the case, but the decision is the strategist's
    assert client.get(url).status_code == 403
    assert client.post(url, data()).status_code == 403
    assert not NationalDecision.objects.exists()
    with pytest.raises(PermissionDenied):
        services.national_decision_record(case_id=waiting.pk, actor=alice, **data())


def test_the_core_offers_no_one_click_national_decision(client, waiting, sara):
    actions = [a.name for a in case_services.available_actions(sara, waiting)]
    assert "nationally_adopted" not in actions and "nationally_rejected" not in actions
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[waiting.pk])).content.decode()
    assert reverse("nationellt:national_decision", args=[waiting.pk]) in page
    assert "Registrera nationellt beslut: infört" not in page


def test_a_second_region_applies_the_decision_already_recorded(
    client, waiting, sara, sven, south_waiting
):
    post(client, sara, waiting)
    client.force_login(sven)
    url = reverse("nationellt:national_decision", args=[south_waiting.pk])
    page = client.get(url).content.decode()
    assert "redan registrerat" in page and "SKS 2024/12 §4" in page
    assert client.post(url).status_code == 302
    assert Case.objects.get(pk=south_waiting.pk).state == State.PRIORITISATION
    assert NationalDecision.objects.count() == 1
    # Recording it again from the second region is refused, not a second record.
    with pytest.raises(ActionRefused):
        services.national_decision_record(case_id=south_waiting.pk, actor=sven, **data())


def test_the_decision_never_changes(waiting, sara):
    decision = services.national_decision_record(case_id=waiting.pk, actor=sara, **data())
    with pytest.raises(TypeError):
        decision.save()
    with pytest.raises(TypeError):
        NationalDecision.objects.all().update(reference="x")
    with pytest.raises(TypeError):
        decision.delete()


def test_the_form_page_query_count_is_pinned(client, waiting, sara, django_assert_num_queries):
    client.force_login(sara)
    url = reverse("nationellt:national_decision", args=[waiting.pk])
    client.get(url)
    # session, user, the scope's memberships, the case (visible_to), the decision on record.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
)
def test_two_strategists_recording_at_once_one_wins_and_the_other_is_told(
    make_case, alice, sara, sven, south_waiting
):
    case = make_case("remiss")
    case = case_services.case_act(case_id=case.pk, actor=sara, action_name="remiss_answered")
    cases, people = [case, south_waiting], [sara, sven]

    def record(i):
        return services.national_decision_record(
            case_id=cases[i % 2].pk,
            actor=type(sara).objects.get(pk=people[i % 2].pk),
            **data(reference=f"SKS 2024/12 §{i}"),
        )

    results = run_at_once(record, count=2)
    winners = [r for kind, r in results if kind == "ok"]
    losers = [r for kind, r in results if kind == "error"]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], ActionRefused)
    assert "registrerades nyss av någon annan" in losers[0].messages[0]
    assert NationalDecision.objects.count() == 1
    moved = Case.objects.filter(pk__in=[c.pk for c in cases], state=State.PRIORITISATION)
    assert moved.count() == 1
