"""The home page's sections are kept per person until something changes in the regions they
follow (kunskapsstyrning.views.home, organisation.changes)."""

from datetime import date

from django.urls import reverse

from kunskapsstyrning import selectors, services
from organisation import changes
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

SOON = date(2030, 6, 1)


def home(client):
    response = client.get(reverse("kunskapsstyrning:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeat_visit_with_nothing_changed_costs_five_statements(
    client, case, sara, django_assert_num_queries
):
    client.force_login(sara)
    first = home(client)
    # The session, the user, the scope, the counters of my regions, my unread notifications.
    with django_assert_num_queries(5):
        again = home(client)
    assert "Regionens tidsgränser" in first
    assert "Regionens tidsgränser" in again


def test_a_deadline_set_through_the_page_shows_on_the_next_visit(client, case, sara):
    client.force_login(sara)
    assert "2030-06-01" not in home(client)
    response = client.post(
        reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "2030-06-01"}
    )
    assert response.status_code == 302
    assert "2030-06-01" in home(client)


def test_a_request_that_writes_renews_the_sections_of_everyone_in_its_region_only(
    client, case, sara, maja, other_region
):
    elsewhere = UserFactory(username="olle")
    member(elsewhere, UnitFactory(kind=UnitKind.LPO, region=other_region), Role.CHAIR)
    mine, theirs = selectors.home_cache_key(maja), selectors.home_cache_key(elsewhere)
    client.force_login(sara)
    client.post(reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "x"})
    assert selectors.home_cache_key(maja) != mine  # even a refused form: one render more
    assert selectors.home_cache_key(elsewhere) == theirs


def test_reading_pages_changes_nothing(client, case, sara, maja):
    before = selectors.home_cache_key(maja)
    client.force_login(sara)
    home(client)
    client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk]))
    assert selectors.home_cache_key(maja) == before


def test_a_step_taken_outside_a_request_counts_once_it_has_committed(
    case, sara, maja, django_capture_on_commit_callbacks
):
    before = selectors.home_cache_key(maja)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.case_deadline_set(case_id=case.pk, actor=sara, due_date=SOON)
    assert selectors.home_cache_key(maja) == before  # not before the commit
    for callback in pending:
        callback()
    assert selectors.home_cache_key(maja) != before


def test_an_administrators_change_renews_every_region(client, case, maja, other_region):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    elsewhere = UserFactory(username="olle")
    member(elsewhere, UnitFactory(kind=UnitKind.LPO, region=other_region), Role.CHAIR)
    keys = selectors.home_cache_key(maja), selectors.home_cache_key(elsewhere)
    client.force_login(admin)
    client.post(reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "x"})
    assert selectors.home_cache_key(maja) != keys[0]
    assert selectors.home_cache_key(elsewhere) != keys[1]


def test_every_region_has_its_counter_from_the_start(region, other_region):
    assert changes.serial_for(UserFactory(is_superuser=True)) == 0
    changes.bump([region.pk, other_region.pk])
    assert changes.serial_for(UserFactory(is_superuser=True)) == 2
