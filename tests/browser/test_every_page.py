"""Every page of every role, in one browser, on the demo data (issue 18).

One test loads the reference and demo data (`make run`'s data: ten logins, twenty cases over
every station, remisser, gap analyses, plans and follow-up) and then, for each demo login in
one browser context at 320 CSS pixels, follows every link from the start page, visiting one URL
of each route (and plan part) it finds. On every page it checks that nothing scrolls sideways
(WCAG 1.4.10) and, the first time a page is met, that axe finds nothing serious or critical.
Then, on the pages it found:

- every button that removes something or cannot be undone ("Ta bort …", "Avsluta ärendet",
  "… införs inte", "Skicka in …", "Regionen avstår", "Markera som skickat …") is pressed once:
  the next page must be a confirmation step (axe and reflow checked there too), nothing in the
  database may have changed, and "Avbryt" leads back;
- every form that takes input is emptied and sent (the browser's own checks switched off, as
  a script or an old browser would): nothing may be saved, the page must show an error summary
  whose every link leads to a control on the page, focus must be on that summary, and axe and
  reflow are checked on the error state.

Problems are collected and reported together, so one run shows them all. It is one test on
purpose: the demo data is loaded once and each login is reused for all its pages.
"""

import hashlib
import io
import re
import threading
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.urls import Resolver404, resolve

from devdata.demo import DEMO_LOGINS, DEMO_PASSWORD

from . import a11y, errors
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

WIDTH = 320

DESTRUCTIVE = re.compile(
    r"^\s*(Ta bort|Avsluta ärendet|Registrera nationellt beslut: införs inte|Skicka in|"
    r"Regionen avstår|Markera som skickat)",
    re.IGNORECASE,
)
# Routes behind a destructive button the demo data shows; the test fails if one goes missing.
# (tests/test_confirmations.py finds every such button in the templates, demo data or not; the
# demo's open remiss cannot be sent yet, so "Markera som skickat" is refused before it asks, and
# remisser/tests/test_views.py shows it asking.)
DESTRUCTIVE_ROUTES = {
    "case_action",
    "gap_statement_delete",
    "remiss_answer",
    "remiss_decline",
    "remiss_comment_delete",
    "remiss_expert_revoke",
    "activity_delete",
    "meeting_remove",
}
# Pages every crawl must reach, so a crawl that breaks early cannot pass.
MAIN_ROUTES = {
    "home",
    "board",
    "case_list",
    "case_detail",
    "case_decide",
    "awaiting_decision",
    "support_list",
    "support_detail",
    "remiss_list",
    "remiss_detail",
    "remiss_answer",
    "remiss_compile",
    "remiss_comments",
    "gap_analysis",
    "gap_report",
    "plan_detail",
    "followup",
    "indicator_detail",
    "checklist",
    "accessibility_statement",
    "meeting_list",
    "meeting_create",
    "meeting_detail",
    "meeting_add",
}
DOMAIN_APPS = (
    "organisation",
    "kunskapsstyrning",
    "remisser",
    "gapanalys",
    "implementering",
    "sammantraden",
)

SUBMITS = "button:not([type=button]), input[type=submit]"

FORMS_JS = """() => {
  const destructive = new RegExp(%(pattern)s, 'i');
  const found = {buttons: [], forms: []};
  const forms = Array.from(document.querySelectorAll('form'))
    .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
  forms.forEach((form, index) => {
    const action = form.getAttribute('action') || location.pathname + location.search;
    const submits = Array.from(form.querySelectorAll('%(submits)s'))
      .concat(form.id ? Array.from(document.querySelectorAll(`[form="${form.id}"]`)) : []);
    submits.forEach(button => {
      const text = (button.innerText || button.value || '').trim();
      if (destructive.test(text)) {
        found.buttons.push({action: action, text: text, index: index,
                            button: submits.indexOf(button)});
      }
    });
    const fillable = Array.from(form.elements).filter(el =>
      !el.disabled && el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' &&
      ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
    if (fillable.length && !form.hasAttribute('data-confirmation-step')) {
      found.forms.push({action: action, index: index, fields: fillable.length});
    }
  });
  return found;
}"""

EMPTY_AND_SEND_JS = """([index, destructive]) => {
  const forms = Array.from(document.querySelectorAll('form'))
    .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
  const form = forms[index];
  for (const el of Array.from(form.elements)) {
    if (el.disabled || el.type === 'hidden') continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') {
      Array.from(el.options).forEach(o => { o.selected = false; });
      const blank = Array.from(el.options).find(o => o.value === '');
      if (blank) blank.selected = true; else el.selectedIndex = -1;
    } else if (el.type === 'file') el.value = '';
    else if (['INPUT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'submit') el.value = '';
  }
  // The first button that does not destroy anything, as the browser would send its name.
  const pattern = new RegExp(destructive, 'i');
  const button = Array.from(form.querySelectorAll('%(submits)s'))
    .find(b => !pattern.test((b.innerText || b.value || '').trim()));
  if (button && button.name) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = button.name; input.value = button.value;
    form.appendChild(input);
  }
  // submit() skips the browser's checks and htmx's listeners: the server alone must refuse.
  HTMLFormElement.prototype.submit.call(form);
}""".replace("%(submits)s", SUBMITS)

PRESS_JS = """([index, button]) => {
  const forms = Array.from(document.querySelectorAll('form'))
    .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
  const form = forms[index];
  const submits = Array.from(form.querySelectorAll('%(submits)s'))
    .concat(form.id ? Array.from(document.querySelectorAll(`[form="${form.id}"]`)) : []);
  form.noValidate = true;
  submits[button].click();
}""".replace("%(submits)s", SUBMITS)

FILL_AND_PRESS_JS = """([index, button]) => {
  const forms = Array.from(document.querySelectorAll('form'))
    .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
  const form = forms[index];
  for (const el of Array.from(form.elements)) {
    if (el.disabled || el.type === 'hidden' || el.value) continue;
    if (el.type === 'date') el.value = new Date().toISOString().slice(0, 10);
    else if (el.tagName === 'SELECT') {
      const option = Array.from(el.options).find(o => o.value);
      if (option) option.selected = true;
    } else if (el.tagName === 'TEXTAREA' || el.type === 'text') el.value = 'Ifyllt av testet.';
  }
  const submits = Array.from(form.querySelectorAll('%(submits)s'))
    .concat(form.id ? Array.from(document.querySelectorAll(`[form="${form.id}"]`)) : []);
  submits[button].click();
}""".replace("%(submits)s", SUBMITS)

SUMMARY_JS = """() => {
  const summary = document.querySelector('[data-error-summary]');
  if (!summary) return null;
  const links = Array.from(summary.querySelectorAll('a[href^="#"]')).map(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    return {text: a.textContent.trim(), href: a.getAttribute('href'),
            control: !!target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)};
  });
  return {links: links, focused: summary.contains(document.activeElement),
          text: summary.textContent.trim().replace(/\\s+/g, ' ')};
}"""


def snapshot():
    """A fingerprint of every row of the product's own tables. Not the regions' change
    counters (organisation.changes): every POST bumps them, refused or not, which only renews
    what is kept of the pages."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        meta = model._meta
        if meta.model_name == "regionchange":
            continue
        if meta.app_label in DOMAIN_APPS and meta.managed and not meta.proxy:
            fields = [f.attname for f in meta.concrete_fields if f.attname != "last_login"]
            for row in model.objects.order_by("pk").values_list(*fields):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def route_of(url):
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    kind = match.kwargs.get("kind")
    return f"{match.url_name}:{kind}" if kind else match.url_name


class Findings:
    def __init__(self):
        self.problems = []

    def check(self, page, what, *, axe=True):
        try:
            a11y.assert_reflows(page, WIDTH)
        except AssertionError as exc:
            self.problems.append(f"{what}: {exc}")
        if axe:
            try:
                a11y.check_a11y(page)
            except AssertionError as exc:
                self.problems.append(f"{what}: {exc}")
        logged = errors.page_errors(page)
        if logged:
            self.problems.append(f"{what} {page.url}: " + "; ".join(logged))

    def add(self, text):
        self.problems.append(text)


def _load_demo_data():
    # In a thread of its own: the demo's documents are sealed with asyncio.run(), which cannot
    # run in this thread, where Playwright's event loop is running.
    failures = []

    def load():
        try:
            call_command("load_reference_data", verbosity=0)
            call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
        except Exception as exc:  # reported in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _goto(page, url):
    """Open `url`; False for a download or a document shown inline (a spreadsheet, a PDF) and
    for an error page."""
    try:
        response = page.goto(url)
    except Exception as exc:  # Playwright refuses to navigate to an attachment
        if "Download" in str(exc):
            return False
        raise
    return (
        response is not None
        and response.status == 200
        and response.headers.get("content-type", "").startswith("text/html")
    )


def _crawl(page, findings, seen_routes, role):
    """Every route reachable by links from the start page, one URL each; their form facts."""
    queue, visited, found = ["/"], set(), []
    while queue:
        url = queue.pop(0)
        route = route_of(url)
        if route is None or route in visited:
            continue
        if not _goto(page, url):
            continue
        visited.add(route)
        # Reflow for every login's view of a page; axe once a page (it costs ~0.5 s a run):
        # the logins differ in which buttons and forms a page shows, and those are axed again
        # below in their error states and confirmation steps.
        findings.check(page, f"{role} {route}", axe=route not in seen_routes)
        seen_routes.add(route)
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            if href.startswith("/") and not href.startswith(("/admin", "/static", "/logga-ut")):
                queue.append(href.split("#")[0])
        facts = page.evaluate(
            FORMS_JS.replace("%(pattern)s", repr(DESTRUCTIVE.pattern)).replace(
                "%(submits)s", SUBMITS
            )
        )
        found.append((page.url, route, facts))
    return found


def _asks_before_destroying(page, findings, url, button, confirmed_routes, role):
    route = route_of(button["action"]) or button["action"]
    if route in confirmed_routes:
        return
    confirmed_routes.add(route)
    _goto(page, url)
    before = snapshot()
    with page.expect_navigation():
        page.evaluate(PRESS_JS, [button["index"], button["button"]])
    page.wait_for_load_state()
    what = f"{role} '{button['text']}' ({route}) on {url}"
    step = page.locator("form[data-confirmation-step]")
    if step.count() == 0 and page.locator("[data-error-summary]").count():
        # The button's form needs input (a date, a reason): fill it in as a user would, press again.
        if snapshot() != before:
            findings.add(f"{what}: the database changed although the form was refused")
            return
        with page.expect_navigation():
            page.evaluate(FILL_AND_PRESS_JS, [button["index"], button["button"]])
        page.wait_for_load_state()
    if step.count() == 0 and page.locator(".message-error").count() and snapshot() == before:
        # Refused before asking (e.g. the compiled answer is not finished): nothing happened,
        # and the refusal is said before anyone confirms. The route is not counted as asking.
        confirmed_routes.discard(route)
        return
    if step.count() != 1:
        findings.add(f"{what}: no confirmation step, landed on {page.url}")
    elif snapshot() != before:
        findings.add(f"{what}: the database changed before the user confirmed")
    else:
        findings.check(page, f"{what} confirmation step")
        if not page.evaluate("document.activeElement.id") == "h-confirm":
            findings.add(f"{what}: the confirmation step's question does not have focus")
        page.get_by_role("link", name="Avbryt").click()
        page.wait_for_load_state()
        if snapshot() != before:
            findings.add(f"{what}: 'Avbryt' changed the database")


def _refuses_empty(page, findings, url, form, tried, role):
    route = route_of(url)
    key = (route, route_of(form["action"]) or form["action"])
    if key in tried:
        return
    tried.add(key)
    _goto(page, url)
    before = snapshot()
    with page.expect_navigation():
        page.evaluate(EMPTY_AND_SEND_JS, [form["index"], DESTRUCTIVE.pattern])
    page.wait_for_load_state()
    what = f"{role} empty form {key[1]} on {route} ({url})"
    if snapshot() != before:
        findings.add(f"{what}: something was saved from an empty form (now on {page.url})")
        return
    summary = page.evaluate(SUMMARY_JS)
    if summary is None:
        findings.add(f"{what}: no error summary on {page.url}")
        return
    if not summary["links"]:
        findings.add(f"{what}: the error summary links no field: {summary['text']!r}")
    for link in summary["links"]:
        if not link["control"]:
            findings.add(f"{what}: '{link['text']}' leads to no control ({link['href']})")
    if not summary["focused"]:
        findings.add(f"{what}: the error summary does not have focus")
    findings.check(page, f"{what} error state")


def test_every_page_of_every_role_reflows_asks_before_destroying_and_refuses_empty_forms(
    browser, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _load_demo_data()
    findings = Findings()
    seen_routes, confirmed_routes, tried_forms = set(), set(), set()

    anonymous = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": WIDTH, "height": 800}
    )
    page = anonymous.new_page()
    errors.watch(page)
    for url in ("/logga-in/", "/tillganglighet/"):
        _goto(page, url)
        findings.check(page, f"anonymous {url}")
    anonymous.close()

    for username, _description in DEMO_LOGINS:
        context = browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            viewport={"width": WIDTH, "height": 800},
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors.watch(page)
        page.goto("/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        assert "/logga-in/" not in page.url, f"{username} could not log in"

        found = _crawl(page, findings, seen_routes, username)
        for url, _route, facts in found:
            for button in facts["buttons"]:
                _asks_before_destroying(page, findings, url, button, confirmed_routes, username)
        for url, _route, facts in found:
            for form in facts["forms"]:
                _refuses_empty(page, findings, url, form, tried_forms, username)
        errors.forget(page)
        context.close()

    missing_pages = MAIN_ROUTES - seen_routes
    assert not missing_pages, f"the crawl never reached {sorted(missing_pages)}"
    missing_buttons = DESTRUCTIVE_ROUTES - confirmed_routes
    assert not missing_buttons, f"no destructive button found for {sorted(missing_buttons)}"
    assert len(tried_forms) >= 30, f"only {len(tried_forms)} forms tried: {sorted(tried_forms)}"
    assert not findings.problems, f"{len(findings.problems)} problem(s):\n" + "\n".join(
        findings.problems
    )
