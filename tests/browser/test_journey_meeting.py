"""A decision meeting (issue 16): the strategist (sara) puts three BP1 cases on one sitting of
the health-care management; management (maja) reads its portfolio on its home page, opens the
meeting, reads the agenda PDF, decides the three cases one after another in the meeting, and
the protocol extract names the three decisions."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from kunskapsstyrning.models import Decision, State
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
from sammantraden.models import Meeting

pytestmark = pytest.mark.browser

TITLES = ["Stroke och TIA", "Sepsis", "Grav hörselnedsättning"]


def pdf_text(page, link):
    """The text of the PDF a link on the page serves, fetched with the page's session."""
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_management_decides_three_bp1_cases_in_one_meeting(
    page, login, check_page, make_case, alice, maja, sara
):
    cases = [
        make_case("bp1", knowledge_support=KnowledgeSupportFactory(title=title)) for title in TITLES
    ]

    # The strategist plans the sitting from her home page and puts the three cases on it.
    login(page, sara)
    meetings = page.get_by_role("region", name="Kommande sammanträden")
    expect(meetings).to_contain_text("Inga sammanträden är planerade.")
    meetings.get_by_role("link", name="Planera nytt sammanträde").click()
    check_page(page, "planera")
    page.get_by_label("Datum").fill("2020-01-01")
    page.get_by_role("button", name="Planera sammanträdet").click()
    expect(page.get_by_role("alert").first).to_contain_text("Datumet har passerat")
    check_page(page, "planera-fel")
    page.get_by_label("Datum").fill(page.evaluate("new Date().toLocaleDateString('sv-SE')"))
    expect(page.get_by_label("Beslutande organ")).to_have_value(str(maja_body(maja)))
    page.get_by_role("radio", name="BP1 – starta gap-analys").check()
    page.get_by_label("Närvarande (ledamöter)").fill("Maja Ledning (HSD), divisionscheferna")
    page.get_by_role("button", name="Planera sammanträdet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till ärenden inför beslut BP1")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Välj minst ett ärende.")
    for case in cases:
        page.get_by_role("checkbox", name=case.registry_number).check()
    check_page(page, "lagg-till")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    expect(page.get_by_role("status")).to_contain_text("3 ärenden lades till på dagordningen.")
    agenda = page.get_by_role("list", name="Ärendena på dagordningen")
    expect(agenda.get_by_role("heading", level=3)).to_have_text(
        [f"§ {n} {title}" for n, title in enumerate(sorted_titles(cases), start=1)]
    )
    check_page(page, "sammantrade-strateg")

    # Management: the portfolio and the meeting on the home page.
    page.context.clear_cookies()
    login(page, maja)
    portfolio = page.get_by_role("region", name="Regionens kunskapsstöd")
    expect(portfolio.get_by_role("link", name=re.compile("Före BP1"))).to_contain_text("3")
    home_meetings = page.get_by_role("region", name="Kommande sammanträden")
    expect(home_meetings).to_contain_text("3 ärenden, 0 beslutade")
    check_page(page, "start-ledning")
    home_meetings.get_by_role(
        "link", name=re.compile("BP1 – Hälso- och sjukvårdsledningen")
    ).click()
    overview = page.get_by_role("table", name="LPO:ernas svar i prioriteringen, ärende för ärende")
    expect(overview.get_by_role("row")).to_have_count(4)
    check_page(page, "sammantrade")

    # The agenda as a PDF: every case with the LPO's answers.
    text = pdf_text(page, page.get_by_role("link", name="Dagordning (PDF)"))
    assert "Dagordning" in text
    for case in cases:
        assert case.registry_number in text
    assert text.count("Är det möjligt?") == 3

    # The sitting: the three decided one after another, each reviewed, then confirmed.
    outcomes = {
        "Stroke och TIA": "Godkänt",
        "Sepsis": "Godkänt",
        "Grav hörselnedsättning": "Vilande",
    }
    for n, title in enumerate(sorted_titles(cases), start=1):
        page.get_by_role("link", name=f"Besluta BP1 {title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Beslut BP1: {title}")
        expect(page.get_by_label("Närvarande vid beslutet")).to_have_value(
            "Maja Ledning (HSD), divisionscheferna"
        )
        if n == 1:
            check_page(page, "besluta")
        page.get_by_role("radio", name=outcomes[title]).check()
        page.get_by_label("Motivering").fill(f"Beslut om {title} vid sammanträdet.")
        page.get_by_label("Diariereferens för beslutet").fill(f"HSL 2026/{100 + n}")
        page.get_by_role("button", name="Granska beslutet").click()
        expect(page.get_by_role("region", name="Granska beslutet")).to_contain_text(outcomes[title])
        page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
        expect(page.get_by_role("status")).to_contain_text("är registrerat")
    expect(page.get_by_role("link", name=re.compile("^Besluta BP1"))).to_have_count(0)
    expect(page.get_by_text("3 av 3 ärenden beslutade")).to_be_visible()
    check_page(page, "sammantrade-beslutat")

    # Each its own decision, with its own document, and the cases moved on.
    decisions = Decision.objects.filter(case__in=cases)
    assert decisions.count() == 3
    assert {d.documents.count() for d in decisions} == {1}
    states = {
        c.knowledge_support.title: c.state
        for c in type(cases[0])
        .objects.filter(pk__in=[c.pk for c in cases])
        .select_related("knowledge_support")
    }
    assert states == {
        "Stroke och TIA": State.GAP_ANALYSIS,
        "Sepsis": State.GAP_ANALYSIS,
        "Grav hörselnedsättning": State.POSTPONED,
    }

    # The protocol extract names the three decisions with their registry references.
    text = pdf_text(page, page.get_by_role("link", name="Protokollsutdrag (PDF)"))
    assert "Protokollsutdrag" in text
    for n in (101, 102, 103):
        assert f"HSL 2026/{n}" in text
    for case in cases:
        assert case.registry_number in text
    assert Meeting.objects.get().items.filter(decision__isnull=False).count() == 3


def maja_body(maja):
    from organisation.models import Membership

    return Membership.objects.get(user=maja).unit_id


def sorted_titles(cases):
    """The agenda's order: the cases in the order of their primary keys, as they were added."""
    return [c.knowledge_support.title for c in sorted(cases, key=lambda c: c.pk)]
