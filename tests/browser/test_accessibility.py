"""Accessibility checks that cut across the journeys: WCAG 2.1 AA in the browser."""

import pytest

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser


def test_login_page_and_its_error_state_are_accessible(page, check_page, olle):
    page.goto("/logga-in/")
    check_page(page, "inloggning")
    page.get_by_label("Användarnamn").fill("olle")
    page.get_by_role("button", name="Logga in").click()
    assert_error_next_to(page.get_by_label("Lösenord"))
    check_page(page, "inloggning-fel")


def test_olle_logs_in(page, login, olle, check_page):
    login(page, olle)
    check_page(page, "start")
