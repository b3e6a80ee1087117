"""The browser harness: headless Chromium driven by Playwright against the live server.

Every test here is marked `browser` (`pytest -m "not browser"` skips them). A test asks for
`page` (a fresh browser context on pytest-django's live server, transactional database),
logs in with `login(page, user)` and checks each page it passes with `check_page(page, name)`:
axe-core at WCAG 2.1 AA, `lang="sv"`, no script or CSP errors, and a screenshot under
test-artifacts/screens/<test>/ for a person to look through.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from . import a11y, errors

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
PASSWORD = "losenord-123"  # organisation.tests.factories.UserFactory's password
BROWSER_DIR = Path(__file__).parent

# The default wait is 30 s; a page here renders in milliseconds, so fail fast instead.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


_folders_written = set()


def pytest_terminal_summary(terminalreporter):
    if _folders_written:
        terminalreporter.write_line(
            f"Screenshots of {len(_folders_written)} browser test(s) under {SCREENS}/"
        )


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _test_folder(node):
    name = f"{Path(node.path).stem.removeprefix('test_')}-{node.name.removeprefix('test_')}"
    return SCREENS / _slug(name)


def _slug(text):
    return re.sub(r"[^\w.-]+", "_", text)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Decision documents rendered during a journey must not land in the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    """A fresh browser context (no cookies) on the live server; a screenshot if the test fails."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors.watch(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = _test_folder(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(folder / "failure.png"), full_page=True)
            print(f"\nScreenshot of the failure: {folder / 'failure.png'}")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"\nNo failure screenshot: {exc}")
    errors.forget(page)
    context.close()


@pytest.fixture
def login():
    """`login(page, user)`: log in through the real form; lands on the start page."""

    def login(page, user, password=PASSWORD):
        page.goto("/logga-in/")
        page.get_by_label("Användarnamn").fill(user.username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        assert "/logga-in/" not in page.url, f"{user.username} could not log in"
        return page

    return login


@pytest.fixture
def shot(request):
    """`shot(page, name)`: a full-page screenshot, numbered in the order the test takes them."""
    folder = _test_folder(request.node)
    counter = iter(range(1, 1000))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    _folders_written.add(folder)

    def shot(page, name):
        path = folder / f"{next(counter):02d}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


@pytest.fixture
def check_a11y():
    """`check_a11y(page, exclude=())`: axe-core at WCAG 2.1 AA, failing on serious/critical."""
    return a11y.check_a11y


@pytest.fixture
def check_page(shot):
    """`check_page(page, name)`: screenshot, axe, lang="sv" and no script/CSP errors."""

    def check_page(page, name, *, exclude=()):
        shot(page, name)
        a11y.check_a11y(page, exclude=exclude)
        logged = errors.page_errors(page)
        assert not logged, f"{page.url}: " + "; ".join(logged)

    return check_page
