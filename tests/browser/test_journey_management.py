"""Management (maja) sees what awaits decision, reviews and confirms BP1, BP2 and BP3 and
downloads the decision document."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from kunskapsstyrning.models import State
from kunskapsstyrning.tests.helpers import walk_to

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser


def decide_approved(page, point, motivation):
    """Fill the decision form, review it and confirm it (the form is already open)."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Beslut {point}")
    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Motivering").fill(motivation)
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text(f"Beslutet {point} är registrerat.")


def test_management_decides_bp1_bp2_and_bp3_and_downloads_the_decision(
    page, login, check_page, make_case, alice, maja
):
    case = make_case("bp1")
    login(page, maja)
    awaiting = page.get_by_role("region", name="Väntar på ditt beslut")
    expect(awaiting.get_by_role("link")).to_have_text(f"BP1: {case.knowledge_support.title}")
    check_page(page, "start")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att besluta").click()
    expect(page).to_have_url(re.compile("/beslut/$"))
    row = page.get_by_role("row").filter(has_text=case.registry_number)
    expect(row.get_by_role("cell").first).to_have_text("BP1")
    check_page(page, "att-besluta")

    # Review first: the case page shows the material and the way to the decision.
    row.get_by_role("link", name=case.knowledge_support.title, exact=True).click()
    expect(page.get_by_role("heading", name="Prioritering (BP1-underlag)")).to_be_visible()
    check_page(page, "arende-bp1")
    page.get_by_role("link", name="Fatta beslut BP1").click()
    expect(page.get_by_role("heading", name="Underlag")).to_be_visible()
    check_page(page, "beslut-bp1")

    # Asking for review with nothing filled in: every missing answer is told at its field.
    page.get_by_label("Beslutsdatum").fill("")
    page.get_by_role("button", name="Granska beslutet").click()
    assert_error_next_to(page.get_by_role("radio", name="Godkänt"), "Välj vad som beslutas.")
    assert_error_next_to(page.get_by_label("Beslutsdatum"), "Ange beslutsdatum.")
    assert_error_next_to(page.get_by_label("Motivering"), "Ett beslut behöver en motivering.")
    check_page(page, "beslut-bp1-fel")

    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Beslutsdatum").fill("2024-05-02")
    page.get_by_label("Motivering").fill("LPO:t har visat att det är möjligt och viktigt.")
    page.get_by_label("Närvarande vid beslutet").fill("Maja Ledning, HSD")
    page.get_by_role("button", name="Granska beslutet").click()
    review = page.get_by_role("region", name="Granska beslutet")
    expect(review).to_contain_text("Godkänt")
    expect(review).to_contain_text("2024-05-02")
    check_page(page, "beslut-bp1-granska")
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP1 är registrerat.")
    expect(page.locator(".title-row .state")).to_have_text("Gap-analys")
    check_page(page, "arende-efter-bp1")

    # The chair's work between the decision points is not this journey.
    case.refresh_from_db()
    walk_to(case, State.BP2)
    page.goto("/beslut/")
    page.get_by_role("link", name=f"Granska och besluta {case.knowledge_support.title}").click()
    check_page(page, "beslut-bp2")
    decide_approved(page, "BP2", "Gap-analysen är godkänd av programägaren.")

    case.refresh_from_db()
    walk_to(case, State.BP3)
    page.goto("/")
    page.get_by_role("link", name=f"BP3: {case.knowledge_support.title}").click()
    check_page(page, "beslut-bp3")
    decide_approved(page, "BP3", "Checklistan är avbockad; införandet kan börja.")
    expect(page.locator(".title-row .state")).to_have_text("Genomförande")
    page.goto("/beslut/")
    expect(page.get_by_text("Inget väntar på beslut just nu.")).to_be_visible()
    check_page(page, "att-besluta-tomt")

    page.get_by_role("link", name="Start").click()
    page.goto(f"/arenden/{case.pk}/")
    documents = page.get_by_role("region", name="Dokument")
    # The three decision documents, and where anyone holding one can verify it (issue 14).
    expect(documents.get_by_role("link", name=re.compile(r"\(v\d+\)"))).to_have_count(3)
    expect(
        documents.get_by_role("link", name="kontrollera att det är äkta och oförändrat")
    ).to_have_count(1)
    check_page(page, "arende-dokument")
    with page.expect_download() as download_info:
        documents.get_by_role("link", name=re.compile("BP3")).click()
    download = download_info.value
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(content)).pages)
    assert case.registry_number in text
    assert "Checklistan är avbockad" in text
