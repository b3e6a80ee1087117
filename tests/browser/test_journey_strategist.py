"""The strategist (sara) registers a case, filters the case list and reads the status board.

The remiss part of her journey (register a remiss, distribute it, compile the answer) lives in
test_journey_remiss.py with the remisser app.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kunskapsstyrning.models import Case, State
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser


def rows(page):
    return page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("cell"))


def test_strategist_registers_a_case_filters_the_list_and_reads_the_board(
    page, login, check_page, make_case, sara, alice, bob, other_lpo, maja
):
    heart = make_case("gapanalys")
    lung = make_case(
        "prioritering",
        knowledge_support=KnowledgeSupportFactory(title="KOL", version="2.0"),
        responsible_lpo=other_lpo,
    )
    stroke = KnowledgeSupportFactory(title="Stroke och TIA")
    due = timezone.localdate() + timedelta(days=30)

    login(page, sara)
    expect(page.get_by_role("heading", name="Regionens tidsgränser")).to_be_visible()
    check_page(page, "start")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ärenden").click()
    expect(rows(page)).to_have_count(2)
    check_page(page, "arenden")

    page.get_by_role("link", name="Registrera nytt ärende").click()
    check_page(page, "registrera")
    page.get_by_role("button", name="Registrera").click()
    support_select = page.get_by_role("combobox", name="Kunskapsstöd")
    lpo_select = page.get_by_role("combobox", name="Ansvarigt LPO")
    assert_error_next_to(support_select, "Välj vilket kunskapsstöd ärendet gäller.")
    assert_error_next_to(lpo_select, "Välj det LPO som ansvarar för ärendet.")
    assert Case.objects.count() == 2
    check_page(page, "registrera-fel")

    support_select.select_option(label=str(stroke))
    lpo_select.select_option(label="LPO Hjärta")
    page.get_by_role("group", name="Andra berörda LPO").get_by_label("LPO Lunga").check()
    page.get_by_role("radio", name="Prioritering (kunskapsstödet är redan").check()
    page.get_by_label("Nästa tidsgräns").fill(due.isoformat())
    page.get_by_role("button", name="Registrera").click()

    new = Case.objects.get(knowledge_support=stroke)
    expect(page.get_by_role("status")).to_contain_text(
        f"Ärendet {new.registry_number} registrerades."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stroke och TIA")
    facts = page.get_by_role("complementary")
    expect(facts).to_contain_text("LPO Lunga")
    expect(facts).to_contain_text(due.isoformat())
    assert new.state == State.PRIORITISATION
    check_page(page, "nytt-arende")

    # The case list narrows by LPO, by status and by free text; no match is said plainly.
    page.get_by_role("link", name="Ärenden", exact=True).first.click()
    expect(rows(page)).to_have_count(3)
    filters = page.get_by_role("search", name="Filtrera")
    filters.get_by_label("LPO", exact=True).select_option(label="LPO Lunga")
    filters.get_by_role("button", name="Filtrera").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text(lung.registry_number)
    check_page(page, "arenden-lpo-lunga")

    filters.get_by_label("LPO", exact=True).select_option(label="Alla LPO")
    filters.get_by_label("Status").select_option(label="Gap-analys")
    filters.get_by_role("button", name="Filtrera").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text(heart.registry_number)

    filters.get_by_label("Status").select_option(label="Alla statusar")
    filters.get_by_label("Sök").fill("finns inte")
    filters.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("Inga ärenden matchar filtret.")).to_be_visible()
    check_page(page, "arenden-inga-traffar")

    page.get_by_role("link", name="Statustavla").click()
    before_bp1 = page.locator(".station").filter(has_text="Före BP1")
    expect(before_bp1.locator(".count")).to_have_text("2")
    expect(before_bp1).to_contain_text("Stroke och TIA")
    expect(before_bp1).to_contain_text("KOL")
    gap = page.locator(".station").filter(has_text="BP1 – gap-analys pågår")
    expect(gap.get_by_role("link")).to_have_text([heart.knowledge_support.title])
    check_page(page, "tavla")

    board_filters = page.get_by_role("search", name="Filtrera")
    board_filters.get_by_label("LPO", exact=True).select_option(label="LPO Lunga")
    board_filters.get_by_role("button", name="Filtrera").click()
    expect(before_bp1.get_by_role("link")).to_have_text(["KOL"])
    expect(gap).to_contain_text("Inga ärenden här.")
    check_page(page, "tavla-lpo-lunga")
