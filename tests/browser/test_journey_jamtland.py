"""Region Jämtland Härjedalen's own case by its decision order as the reference data has it
(seed 000): the LPO prepares, and hälso- och sjukvårdsledningen decides BP1, BP2 and BP3, each
one body's decision; every decision has its sealed document and the gates hold between them.
The LAG's analysis and the plan's work between the points are their own journeys
(test_journey_gapanalys, test_journey_implementering)."""

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from devdata.demo import PRIORITISATION
from gapanalys.preparations import prepare_for_bp2
from implementering.preparations import prepare_for_bp3
from kunskapsstyrning import services
from kunskapsstyrning.loaders import load_catalogue, load_decision_orders
from kunskapsstyrning.models import Case, DecisionRule, KnowledgeSupport
from organisation.loaders import load_reference_data
from organisation.models import ProgrammeArea, Region, Role, Unit, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.browser

START = date(2024, 1, 1)


@pytest.fixture
def jamtland(transactional_db):
    """Region Jämtland Härjedalen as the reference data has it, with a strategist, an LPO's
    chair and a member of hälso- och sjukvårdsledningen."""
    load_reference_data()
    load_catalogue()
    load_decision_orders()
    region = Region.objects.get(code="23")
    office = UnitFactory(kind=UnitKind.KANSLI, code="RJH_KANSLI", name="Kansliet", region=region)
    lpo = UnitFactory(
        kind=UnitKind.LPO,
        code="RJH_LPO_HJARTA",
        name="LPO Hjärt- och kärlsjukdomar",
        region=region,
        programme_area=ProgrammeArea.objects.order_by("pk").first(),
    )
    people = {
        "strateg": UserFactory(username="strateg.jh", first_name="Stina", last_name="Strateg"),
        "ordforande": UserFactory(username="ordf.jh", first_name="Olof", last_name="Ordförande"),
        "ledning": UserFactory(
            username="hsl.jh",
            first_name="Hanna",
            last_name="Ledning",
            title="Hälso- och sjukvårdsdirektör",
        ),
    }
    member(people["strateg"], office, Role.STRATEGIST, start_date=START)
    member(people["ordforande"], lpo, Role.CHAIR, start_date=START)
    member(people["ledning"], Unit.objects.get(code="RJH_HSL"), Role.MANAGEMENT, start_date=START)
    support = KnowledgeSupport.objects.order_by("pk").first()
    case = services.case_register(
        actor=people["strateg"],
        region=region,
        knowledge_support=support,
        responsible_lpo=lpo,
        strategist=people["strateg"],
        start_at_remiss=False,
    )
    return {"case": case, "region": region, **people}


def switch_to(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def decide(page, point, motivation):
    """On the decision page: approve, review and confirm."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Beslut {point}")
    expect(page.locator(".lead")).to_contain_text("Hälso- och sjukvårdsledningen RJH")
    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Motivering").fill(motivation)
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text(f"Beslutet {point} är registrerat.")


def test_jamtlands_own_case_is_decided_bp1_to_bp3_by_halso_och_sjukvardsledningen(
    page, login, check_page, jamtland
):
    world = jamtland
    case = world["case"]
    case_url = f"/arenden/{case.pk}/"
    # The reference data's order: one body decides each point, for every kind of case.
    rules = DecisionRule.objects.filter(region=world["region"]).select_related("deciding_body")
    assert {r.point: r.deciding_body.code for r in rules} == {
        "BP1": "RJH_HSL",
        "BP2": "RJH_HSL",
        "BP3": "RJH_HSL",
    }

    # --- BP1: the chair sends the prioritisation; hälso- och sjukvårdsledningen decides ---
    services.prioritisation_save(case_id=case.pk, actor=world["ordforande"], data=PRIORITISATION)
    login(page, world["ordforande"])
    page.goto(case_url)
    page.get_by_role("button", name="Skicka till beslut BP1").click()
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP1")
    # The chair cannot decide what the body decides.
    expect(page.get_by_role("link", name="Fatta beslut BP1")).to_have_count(0)
    assert page.goto(f"{case_url}beslut/").status == 403

    switch_to(page, login, world["ledning"])
    awaiting = page.get_by_role("region", name="Väntar på ditt beslut")
    expect(awaiting.get_by_role("link")).to_have_text(f"BP1: {case.knowledge_support.title}")
    check_page(page, "jh-start-ledning")
    awaiting.get_by_role("link").click()
    decide(page, "BP1", "Möjligt och viktigt: LPO:t går vidare med gap-analysen.")
    expect(page.locator(".title-row .state")).to_have_text("Gap-analys")

    # --- The gate: no BP2 before the analysis is done --------------------------------------
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    expect(page.get_by_role("button", name="Skicka till beslut BP2")).to_have_count(0)
    check_page(page, "jh-gapanalys-pagar")
    prepare_for_bp2(Case.objects.get(pk=case.pk), world["ordforande"])
    page.goto(case_url)
    page.get_by_role("button", name="Skicka till beslut BP2").click()
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP2")

    switch_to(page, login, world["ledning"])
    page.goto(case_url)
    page.get_by_role("link", name="Fatta beslut BP2").click()
    decide(page, "BP2", "Gap-analysen är godkänd; LPO:t planerar införandet.")
    expect(page.locator(".title-row .state")).to_have_text("Planering")

    # --- The gate: no BP3 before the plan is started and its checklist ticked -------------
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    expect(page.get_by_role("button", name="Skicka till beslut BP3")).to_have_count(0)
    prepare_for_bp3(Case.objects.get(pk=case.pk), world["ordforande"])
    page.goto(case_url)
    page.get_by_role("button", name="Skicka till beslut BP3").click()
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP3")

    switch_to(page, login, world["ledning"])
    page.goto(case_url)
    page.get_by_role("link", name="Fatta beslut BP3").click()
    decide(page, "BP3", "Checklistan är avbockad; införandet kan börja.")
    expect(page.locator(".title-row .state")).to_have_text("Genomförande")
    check_page(page, "jh-genomforande")

    # --- Three decisions, each by the body, each with its document -------------------------
    decisions = Case.objects.get(pk=case.pk).decisions.select_related("deciding_body")
    assert [(d.point, d.deciding_body.code) for d in decisions.order_by("recorded_at")] == [
        ("BP1", "RJH_HSL"),
        ("BP2", "RJH_HSL"),
        ("BP3", "RJH_HSL"),
    ]
    documents = page.get_by_role("region", name="Dokument")
    expect(documents.get_by_role("link", name=re.compile(r"\(v\d+\)"))).to_have_count(3)
    with page.expect_download() as download_info:
        documents.get_by_role("link", name=re.compile("BP2")).click()
    content = open(download_info.value.path(), "rb").read()
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert case.registry_number in text
    assert "Hälso- och sjukvårdsledningen RJH" in text
    assert "Gap-analysen är godkänd" in text
