"""A case's deadline says what it is for and follows the station (issue 18)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kunskapsstyrning import services
from kunskapsstyrning.models import CaseEvent, State
from kunskapsstyrning.tests.helpers import walk_to

pytestmark = pytest.mark.django_db

SOON = date(2030, 6, 1)


def test_a_deadline_is_named_after_the_station_the_case_is_in(make_case, alice):
    case = make_case("remiss", due_date=SOON)
    assert case.due_date == SOON
    assert case.deadline_purpose == "remissvar"
    assert make_case("prioritering").deadline_purpose == "prioritering klar för BP1"


def test_moving_on_clears_the_old_stations_deadline(make_case, alice, maja):
    case = make_case("prioritering", due_date=SOON)
    case = walk_to(case, State.BP1)
    assert case.due_date is None
    case.refresh_from_db()
    assert case.due_date is None


def test_the_strategist_sets_the_current_stations_deadline_and_the_timeline_says_so(case, sara):
    services.case_deadline_set(case_id=case.pk, actor=sara, due_date=SOON)
    case.refresh_from_db()
    assert case.due_date == SOON
    note = case.events.filter(kind=CaseEvent.Kind.NOTE).last()
    assert note.message == "Tidsgräns för prioritering klar för BP1 satt till 2030-06-01."
    assert note.actor == sara


@pytest.mark.parametrize("who", ["alice", "sven", "maja"])
def test_only_the_regions_strategist_sets_a_deadline(case, who, request):
    with pytest.raises(PermissionDenied):
        services.case_deadline_set(
            case_id=case.pk, actor=request.getfixturevalue(who), due_date=SOON
        )
    case.refresh_from_db()
    assert case.due_date is None


def test_an_implausible_deadline_is_refused_in_swedish(case, sara):
    with pytest.raises(services.ActionRefused):
        services.case_deadline_set(case_id=case.pk, actor=sara, due_date=date(2999, 1, 1))
    case.refresh_from_db()
    assert case.due_date is None


def test_an_ended_case_has_no_deadline(make_case, alice, sara):
    case = make_case(State.REMISS)
    for step in ("remiss_answered", "nationally_rejected"):
        case = services.case_act(case_id=case.pk, actor=sara, action_name=step)
    with pytest.raises(services.ActionRefused, match="avslutat"):
        services.case_deadline_set(case_id=case.pk, actor=sara, due_date=SOON)


def test_the_gap_analysis_date_becomes_the_stations_deadline_and_follows_its_edits(
    make_case, alice, maja, lars
):
    from gapanalys import services as gap_services

    case = make_case(State.GAP_ANALYSIS)
    gap_services.lag_form(case_id=case.pk, actor=alice, process_leader=lars, due_date=SOON)
    case.refresh_from_db()
    assert (case.due_date, case.deadline_purpose) == (SOON, "gap-analys klar för BP2")
    analysis = case.gap_analysis
    later = SOON + timedelta(days=30)
    gap_services.analysis_update(
        analysis_id=analysis.pk, actor=alice, version=analysis.version, data={"due_date": later}
    )
    case.refresh_from_db()
    assert case.due_date == later


def test_pages_show_what_the_deadline_is_for_and_that_it_is_late(client, make_case, alice, sara):
    past = timezone.localdate() - timedelta(days=3)
    case = make_case("remiss", due_date=past)
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])).content.decode()
    assert "Remissvar" in page and "försenat" in page
    home = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert past.isoformat() in home and "Remissvar" in home


def test_the_deadline_page_saves_and_refuses_an_empty_date(client, case, sara):
    client.force_login(sara)
    url = reverse("kunskapsstyrning:case_deadline", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Tidsgräns för prioritering klar för BP1" in page
    empty = client.post(url, {"due_date": ""})
    assert empty.status_code == 200 and 'href="#id_due_date"' in empty.content.decode()
    case.refresh_from_db()
    assert case.due_date is None
    passed = client.post(url, {"due_date": "2026-01-01"})  # before today: late at once
    assert "Tidsgränsen har redan passerat" in passed.content.decode()
    assert client.post(url, {"due_date": "2030-06-01"}).status_code == 302
    case.refresh_from_db()
    assert case.due_date == SOON


def test_a_chair_may_not_open_the_deadline_page(client, case, alice):
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:case_deadline", args=[case.pk])).status_code == 403
