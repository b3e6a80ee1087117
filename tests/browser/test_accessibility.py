"""Accessibility checks that cut across the journeys: WCAG 2.1 AA in the browser."""

import pytest
from playwright.sync_api import expect

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser


def test_login_page_and_its_error_state_are_accessible(page, check_page, olle):
    page.goto("/logga-in/")
    check_page(page, "inloggning")
    page.get_by_label("Användarnamn").fill("olle")
    page.get_by_role("button", name="Logga in").click()
    assert_error_next_to(page.get_by_label("Lösenord"))
    check_page(page, "inloggning-fel")


def test_a_person_without_any_role_sees_an_empty_start_page(page, login, olle, check_page):
    login(page, olle)
    expect(page.get_by_role("heading", name="Du har inga uppdrag ännu")).to_be_visible()
    check_page(page, "start-utan-uppdrag")
