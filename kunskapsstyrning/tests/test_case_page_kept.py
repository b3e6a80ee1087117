"""The case page's content is kept per person until something changes in the case's region
(kunskapsstyrning.views.case_detail, organisation.changes)."""

import re

from django.test import Client
from django.urls import reverse

from kunskapsstyrning import services


def page(client, case):
    response = client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeat_visit_with_nothing_changed_costs_four_statements(
    client, case, alice, django_assert_num_queries
):
    client.force_login(alice)
    page(client, case)  # sets the CSRF cookie (a sign-in through the login page does)
    first = page(client, case)
    # The session, the user, the case with its region's counter, the scope.
    with django_assert_num_queries(4):
        again = page(client, case)
    assert case.knowledge_support.title in first
    assert again.count("<section") == first.count("<section")


def test_someone_elses_change_through_a_page_shows_on_the_next_visit(client, case, alice, sara):
    client.force_login(alice)
    assert "2030-06-01" not in page(client, case)
    other = Client()
    other.force_login(sara)
    response = other.post(
        reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "2030-06-01"}
    )
    assert response.status_code == 302
    assert "2030-06-01" in page(client, case)


def test_a_change_of_the_catalogue_renews_every_regions_pages_once_committed(
    client, case, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page(client, case)
    support = case.knowledge_support
    support.title = "Hjärtsvikt – reviderad"
    with django_capture_on_commit_callbacks(execute=True):
        services.support_save(support=support)
    assert "Hjärtsvikt – reviderad" in page(client, case)


def test_the_forms_of_a_kept_page_carry_a_token_of_the_persons_current_sign_in(case, sara):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sara)
    page(client, case)
    client.logout()
    client.force_login(sara)  # a new sign-in: a new CSRF secret
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(client, case))[1]
    response = client.post(
        reverse("kunskapsstyrning:case_deadline", args=[case.pk]),
        {"due_date": "2030-06-01", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_board_is_kept_per_address_until_the_region_changes(
    client, case, sara, django_assert_num_queries
):
    client.force_login(sara)
    client.get(reverse("kunskapsstyrning:board"))
    with django_assert_num_queries(4):  # the session, the user, the scope, the counters
        client.get(reverse("kunskapsstyrning:board"))
    filtered = client.get(reverse("kunskapsstyrning:board") + "?q=inget-sådant").content.decode()
    assert case.registry_number not in filtered  # another address: its own rendering
    client.post(
        reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "2030-06-01"}
    )
    with django_assert_num_queries(7):  # rendered afresh after the change
        client.get(reverse("kunskapsstyrning:board"))


def test_the_awaiting_decision_page_is_kept_until_the_region_changes(
    client, case, maja, sara, django_assert_num_queries
):
    client.force_login(maja)
    client.get(reverse("kunskapsstyrning:awaiting_decision"))
    with django_assert_num_queries(4):  # the session, the user, the scope, the counters
        client.get(reverse("kunskapsstyrning:awaiting_decision"))
    other = Client()
    other.force_login(sara)
    other.post(
        reverse("kunskapsstyrning:case_deadline", args=[case.pk]), {"due_date": "2030-06-01"}
    )
    with django_assert_num_queries(6):  # rendered afresh after the change
        client.get(reverse("kunskapsstyrning:awaiting_decision"))
