"""The core and the organisation name no feature app: not in an import (import-linter's
contract in `make lint` checks those), not as a module name, not as a template path."""

import re
from pathlib import Path

import pytest

from kunskapsstyrning import contributions

ROOT = Path(__file__).resolve().parent.parent
# In the order of their sections on the pages (the meetings first, `order` 5).
FEATURE_APPS = ("sammantraden", "remisser", "gapanalys", "implementering")
# A module or template path of a feature app: "remisser.selectors", "gapanalys/_home.html".
NAMED = re.compile("[\"'](" + "|".join(FEATURE_APPS) + ")[./]")


def _product_files():
    for app in ("organisation", "kunskapsstyrning"):
        for path in (ROOT / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path
        yield from (ROOT / "templates" / app).rglob("*.html")


@pytest.mark.parametrize("path", list(_product_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_names_no_feature_app(path):
    text = path.read_text(encoding="utf-8")
    assert not NAMED.findall(text)
    assert "import_module" not in text


def test_the_feature_apps_registered_what_the_core_shows():
    registry = contributions.registry
    # In their order on the pages (`order`, then INSTALLED_APPS); nationellt, above the
    # feature apps, shows the national decision on the case page (on the home page those it
    # concerns are told by the core's notifications).
    assert [p.template for p in registry.case_panels] == [
        f"{app}/_case_panel.html"
        for app in ("sammantraden", "remisser", "nationellt", "gapanalys", "implementering")
    ]
    assert [p.template for p in registry.home_sections] == [
        "kunskapsstyrning/_notifications.html",  # the core's own: the person's notifications
        *(f"{app}/_home.html" for app in ("sammantraden", "remisser", "gapanalys")),
        "implementering/_home.html",
        "implementering/_home_followup.html",
    ]
    assert [(m.point, m.template.split("/")[0]) for m in registry.decision_material] == [
        ("BP2", "gapanalys"),
        ("BP3", "implementering"),
    ]
    # The daily digest gathers the core's reminders (decisions that wait) and the remisser's.
    assert [s.__module__ for s in registry.reminder_sources] == [
        "kunskapsstyrning.notifications",
        "remisser.services",
        "remisser.services",
    ]
    transitions = {c.transition for c in registry.conditions}
    assert {"submit_bp2", "submit_bp3"} <= transitions
    # and the core's own: a decision point is a gate only where the region's order uses it
    assert {f"bp{n}_{when}" for n in (1, 2, 3) for when in ("in_use", "unused")} <= transitions
    assert {"gap_analysis", "implementation_plan", "bp3_checklist"} <= set(
        registry.case_page_related
    )


def test_an_app_that_registers_again_adds_nothing_twice():
    from django.apps import apps

    registry = contributions.registry
    before = (
        list(registry.case_panels),
        list(registry.home_sections),
        list(registry.decision_material),
        list(registry.conditions),
    )
    for app in FEATURE_APPS:
        apps.get_app_config(app).ready()  # Django may call ready() more than once
    after = (
        registry.case_panels,
        registry.home_sections,
        registry.decision_material,
        registry.conditions,
    )
    assert tuple(map(list, after)) == before
