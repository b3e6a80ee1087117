"""Accessibility checks that cut across the journeys (WCAG 2.1 AA), done in the browser.

axe runs on every page the journeys pass (`check_page`); here are the checks axe cannot do
alone: a decision made with the keyboard only, a visible focus at every stop, reflow at 320
CSS pixels, errors announced next to their field, and the idle-timeout warning (2.2.1).
"""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from kunskapsstyrning.models import Case, Decision, State

from .a11y import assert_error_next_to, assert_reflows, assert_visible_focus, focus_style

pytestmark = pytest.mark.browser

FOCUSED_NAME_JS = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim();
}"""


def tab_to(page, name, *, limit=80):
    """Press Tab until the focused element is called `name`; every stop must show its focus."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_visible_focus(page)
        focused = page.evaluate(FOCUSED_NAME_JS)
        if focused.startswith(name):
            return
        passed.append(focused)
    raise AssertionError(f"Tab never reached {name!r}; passed {passed}")


def test_login_page_and_its_error_state_are_accessible(page, check_page, olle):
    page.goto("/logga-in/")
    check_page(page, "inloggning")
    page.get_by_label("Användarnamn").fill("olle")
    page.get_by_role("button", name="Logga in").click()
    assert_error_next_to(page.get_by_label("Lösenord"), "Fyll i ”Lösenord”.")
    check_page(page, "inloggning-fel")


def test_a_person_without_any_role_sees_an_empty_start_page(page, login, olle, check_page):
    login(page, olle)
    expect(page.get_by_role("heading", name="Du har inga uppdrag ännu")).to_be_visible()
    check_page(page, "start-utan-uppdrag")


def test_a_bp_decision_can_be_made_with_the_keyboard_alone(
    page, check_page, make_case, alice, maja
):
    case = make_case("bp1")
    page.goto("/logga-in/")
    expect(page.get_by_label("Användarnamn")).to_be_focused()  # autofocus
    page.keyboard.type("maja")
    tab_to(page, "Lösenord")
    page.keyboard.type("losenord-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Maja")

    # The skip link is the first stop and takes focus past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME_JS) == "Hoppa till innehållet"
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, f"BP1: {case.knowledge_support.title}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beslut BP1")

    tab_to(page, "Godkänt")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Godkänt")).to_be_checked()
    tab_to(page, "Motivering")
    page.keyboard.type("Beslutat med tangentbordet: underlaget är komplett.")
    tab_to(page, "Granska beslutet")
    check_page(page, "beslut-ifyllt-med-tangentbord")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Granska beslutet")).to_be_visible()
    tab_to(page, "Bekräfta och registrera beslutet")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP1 är registrerat.")

    assert Case.objects.get(pk=case.pk).state == State.GAP_ANALYSIS
    decision = Decision.objects.get(case=case)
    assert decision.motivation == "Beslutat med tangentbordet: underlaget är komplett."
    assert decision.decided_by == maja


def test_every_stop_on_the_case_page_shows_where_the_focus_is(page, login, make_case, alice, maja):
    case = make_case("bp1")
    login(page, maja)
    page.goto(f"/arenden/{case.pk}/")
    stops = page.evaluate(
        "document.querySelectorAll('a[href], button, input, select, textarea').length"
    )
    for _ in range(stops):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        assert_visible_focus(page)
        style = focus_style(page)
        assert "none" not in style["outline"], style


@pytest.mark.parametrize("width", [320])
def test_the_main_pages_reflow_at_320_pixels_without_scrolling_sideways(
    page, login, check_page, make_case, alice, maja, width
):
    case = make_case("bp1")
    login(page, maja)
    page.set_viewport_size({"width": width, "height": 800})
    for name, path in [
        ("start", "/"),
        ("tavla", "/tavla/"),
        ("arenden", "/arenden/"),
        ("arende", f"/arenden/{case.pk}/"),
        ("att-besluta", "/beslut/"),
        ("forsenade-aktiviteter", "/uppfoljning/forsenade-aktiviteter/"),
        ("beslut", f"/arenden/{case.pk}/beslut/"),
    ]:
        page.goto(path)
        assert_reflows(page, width)
        check_page(page, f"{name}-{width}px")
    page.get_by_role("button", name="Granska beslutet").click()
    assert_error_next_to(page.get_by_label("Motivering"), "Ett beslut behöver en motivering.")
    assert_reflows(page, width)
    check_page(page, f"beslut-fel-{width}px")


def test_a_word_longer_than_the_screen_breaks_instead_of_widening_the_page(
    page, login, check_page, region, lpo, sara, alice, support
):
    from remisser import services
    from remisser.tests.factories import distribute, register, response_of

    remiss = register(sara, region, lpo, support)
    distribute(remiss, [lpo])
    response = response_of(remiss, lpo)
    services.comment_add(
        response_id=response.pk,
        actor=alice,
        text="Se https://example.se/" + "a" * 5000,
        recommendation=support.recommendations.first(),
    )
    login(page, alice)
    page.goto(f"/remisser/{remiss.pk}/svar/{response.pk}/")
    for width in (1280, 320):
        assert_reflows(page, width)
    check_page(page, "langt-ord")


def _session_expiry(user):
    sessions = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert len(sessions) == 1
    return sessions[0].expire_date


def test_the_idle_timeout_warning_comes_before_logout_and_can_extend_the_session(
    page, login, check_page, settings, maja
):
    # Both are read per request: the middleware's timeout and the session's lifetime. The
    # warning comes halfway (at 4 s), which leaves 4 s to check the dialog and answer it.
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_COOKIE_AGE = 8
    login(page, maja)
    dialog = page.get_by_role("alertdialog", name="Du loggas snart ut")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=8_000)
    assert "/logga-in/" not in page.url
    extend = dialog.get_by_role("button", name="Fortsätt vara inloggad")
    expect(extend).to_be_focused()
    page.keyboard.press("Tab")  # the modal dialog keeps the focus
    expect(extend).to_be_focused()
    assert_visible_focus(page)
    check_page(page, "utloggningsvarning")

    expires = _session_expiry(maja)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    extended = _session_expiry(maja)
    assert extended > expires

    # Past the old expiry the session still holds: staying logged in really extended it.
    time.sleep(max(0, (expires - timezone.now()).total_seconds()) + 0.5)
    response = page.request.get("/")
    assert "/logga-in/" not in response.url
    assert "Välkommen, Maja" in response.text()


def test_without_an_answer_to_the_warning_the_user_is_logged_out(page, login, settings, maja):
    settings.SESSION_IDLE_TIMEOUT = 3
    settings.SESSION_COOKIE_AGE = 3
    login(page, maja)
    expect(page.get_by_role("alertdialog", name="Du loggas snart ut")).to_be_visible(timeout=3_000)
    expect(page).to_have_url(re.compile("/logga-in/"), timeout=5_000)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_the_accessibility_statement_is_linked_from_every_page_and_open_to_all(page, check_page):
    page.goto("/logga-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    expect(page.get_by_text("WCAG 2.1 nivå AA")).to_be_visible()
    report = page.get_by_role("heading", name="Rapportera brister i tjänstens tillgänglighet")
    expect(report).to_be_visible()
    check_page(page, "tillganglighetsredogorelse")
