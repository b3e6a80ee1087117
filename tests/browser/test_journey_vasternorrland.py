"""Västernorrland's joint case by its own decision order (seed 002, reference data): the LPO
decides to go on, länssamordningsgruppen prepares and proposes, and in länsledningen the HSD
decides for the region and each of the seven municipalities decides for itself — one says no
and the case goes on for the others; HälSam politisk samverkan is informed; the decision
document names every part; no third decision point, so the plan goes straight to
implementation."""

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
from kunskapsstyrning.models import Case, DecisionPart, KnowledgeSupport
from organisation.loaders import load_reference_data
from organisation.models import ProgrammeArea, Region, Role, Unit, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.browser

START = date(2024, 1, 1)
# The municipality whose förvaltningschef says no.
DECLINING = "Ånge"


@pytest.fixture
def vasternorrland(transactional_db):
    """Region Västernorrland as the reference data has it, with the people of seed 002."""
    load_reference_data()
    load_catalogue()
    load_decision_orders()
    region = Region.objects.get(code="22")
    bodies = {u.code: u for u in Unit.objects.filter(region=region)}
    office = UnitFactory(kind=UnitKind.KANSLI, code="RVN_KANSLI", name="Kansliet", region=region)
    lpo = UnitFactory(
        kind=UnitKind.LPO,
        code="RVN_LPO_PSYK",
        name="LPO Psykisk hälsa",
        region=region,
        programme_area=ProgrammeArea.objects.get(code="PSYKISK_HALSA"),
    )
    people = {
        "strateg": UserFactory(username="strateg.vn", first_name="Viktor", last_name="Strateg"),
        "hsd": UserFactory(
            username="hsd.vn",
            first_name="Helena",
            last_name="Direktör",
            title="Hälso- och sjukvårdsdirektör",
        ),
        "ordforande": UserFactory(username="ordf.vn", first_name="Vera", last_name="Ordförande"),
    }
    member(people["strateg"], office, Role.STRATEGIST, start_date=START)
    member(people["hsd"], bodies["RVN_HSL"], Role.MANAGEMENT, start_date=START)
    member(people["hsd"], bodies["RVN_LANS"], Role.MANAGEMENT, start_date=START)
    member(people["ordforande"], lpo, Role.CHAIR, start_date=START)
    chiefs = {}
    for municipality in region.municipalities.order_by("name"):
        chief = UserFactory(
            username=f"chef.{municipality.code}",
            first_name="Förvaltningschef",
            last_name=municipality.name,
            municipality=municipality,
        )
        member(chief, bodies["RVN_LANS"], Role.MANAGEMENT, start_date=START)
        chiefs[municipality.name] = chief
    support = KnowledgeSupport.objects.get(title="Schizofreni – förstagångsinsjuknande")
    case = services.case_register(
        actor=people["strateg"],
        region=region,
        knowledge_support=support,
        responsible_lpo=lpo,
        strategist=people["strateg"],
        joint=True,
        municipalities=list(region.municipalities.all()),
        start_at_remiss=False,  # the national decision is recorded elsewhere (issue 13, H3)
    )
    return {"case": case, "chiefs": chiefs, **people}


def switch_to(page, login, user):
    """Log out (a new session) and log in as `user`."""
    page.context.clear_cookies()
    login(page, user)


def decide(page, label, outcome="Godkänt", motivation="Underlaget är komplett."):
    """On the case page: open the part for `label`, fill it in, review and confirm."""
    page.get_by_role("link", name=f"Besluta för {label}").click()
    expect(page.locator(".lead")).to_contain_text(label)
    page.get_by_role("radio", name=outcome).check()
    page.get_by_label("Motivering").fill(motivation)
    page.get_by_label("Diariereferens för beslutet").fill(f"{label} 2025/12")
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()


def test_vasternorrlands_joint_case_through_its_own_decision_order(
    page, login, check_page, vasternorrland
):
    world = vasternorrland
    case = world["case"]
    chiefs = world["chiefs"]
    assert len(chiefs) == 7
    case_url = f"/arenden/{case.pk}/"

    # --- The LPO prioritises and decides whether to go on (BP1 for joint cases) ----------
    services.prioritisation_save(case_id=case.pk, actor=world["ordforande"], data=PRIORITISATION)
    login(page, world["ordforande"])
    page.goto(case_url)
    page.get_by_role("button", name="Skicka till beslut BP1").click()
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text(
        "Väntar på beslut BP1 av LPO:ts ordförande (LPO Psykisk hälsa)."
    )
    check_page(page, "lpo-beslutar")
    page.get_by_role("link", name="Fatta beslut BP1").click()
    expect(page.locator(".lead")).to_contain_text("Beslutas av LPO:ts ordförande")
    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Motivering").fill("LPO:t går vidare: möjligt och viktigt.")
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP1 är registrerat.")
    expect(page.locator(".title-row .state")).to_have_text("Gap-analys")
    # Where the point is in use there is no way past it without the decision.
    expect(page.get_by_role("button", name=re.compile("använder inte"))).to_have_count(0)

    # --- The LAG's gap analysis with municipal representatives is its own journey --------
    prepare_for_bp2(Case.objects.get(pk=case.pk), world["ordforande"])
    page.goto(case_url)
    page.get_by_role("button", name="Skicka till beslut BP2").click()
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP2")
    progress = page.locator(".decision-progress")
    expect(progress).to_contain_text("Varje huvudman beslutar för sig")
    expect(progress).to_contain_text("Bereds först av Länssamordningsgruppen Västernorrland")
    expect(progress.get_by_role("row")).to_have_count(9)  # the region and seven municipalities
    expect(progress.get_by_role("link", name=re.compile("Besluta för"))).to_have_count(0)
    check_page(page, "bp2-vantar-pa-beredning")

    # --- Länssamordningsgruppen prepares: the strategist records its proposal ------------
    switch_to(page, login, world["strateg"])
    page.goto(case_url)
    page.get_by_role("link", name="Registrera förslag till beslut").click()
    page.get_by_label("Datum för förslaget").fill("2025-03-03")
    page.get_by_label("Förslag till beslut").fill(
        "Länssamordningsgruppen föreslår länsgemensamt införande i region och kommuner."
    )
    page.get_by_label("Diariereferens").fill("HälSam 2025/4")
    check_page(page, "forslag-till-beslut")
    page.get_by_role("button", name="Registrera förslaget").click()
    expect(page.get_by_role("status")).to_contain_text("Förslaget till beslut är registrerat.")
    expect(progress).to_contain_text("lämnade förslag till beslut 2025-03-03")

    # --- Länsledningen: the HSD decides for the region ------------------------------------
    switch_to(page, login, world["hsd"])
    page.goto(case_url)
    # The HSD decides for the region only, not for any municipality.
    expect(progress.get_by_role("link", name=re.compile("Besluta för"))).to_have_count(1)
    check_page(page, "hsd-ser-sin-del")
    decide(page, "Region Västernorrland", motivation="Regionen inför vårdförloppet.")
    expect(page.get_by_role("status")).to_contain_text("väntar på fler delar")
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP2")

    # --- Each municipality decides for itself; one says no -------------------------------
    for name, chief in chiefs.items():
        switch_to(page, login, chief)
        page.goto(case_url)
        mine = progress.get_by_role("link", name=re.compile("Besluta för"))
        expect(mine).to_have_count(1)
        expect(mine).to_have_text(f"Besluta för {name}")
        if name == DECLINING:
            # Another municipality's part is not theirs to record.
            other = next(n for n in chiefs if n != name)
            code = chiefs[other].municipality.code
            response = page.goto(f"{case_url}beslut/del/kommun-{code}/")
            assert response.status == 403
            page.goto(case_url)
            decide(
                page,
                name,
                outcome="Införs inte",
                motivation="Kommunen saknar resurser att införa vårdförloppet i år.",
            )
        else:
            decide(page, name)
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP2 är registrerat.")
    expect(page.locator(".title-row .state")).to_have_text("Planering")
    assert DecisionPart.objects.filter(round__case=case, round__point="BP2").count() == 8

    # The case records who takes part, and the decision names every part.
    principals = page.get_by_role("region", name="Huvudmän i ärendet")
    expect(principals).to_contain_text(f"{DECLINING}: deltar inte")
    expect(principals).to_contain_text("Region Västernorrland: deltar")
    decisions = page.get_by_role("region", name="Beslut")
    expect(decisions.locator("table.parts tbody tr")).to_have_count(8)
    check_page(page, "bp2-beslutat-i-delar")

    # --- HälSam politisk samverkan is informed --------------------------------------------
    switch_to(page, login, world["strateg"])
    page.goto(case_url)
    expect(page.get_by_text("HälSam politisk samverkan ska informeras")).to_be_visible()
    page.get_by_role("link", name="Registrera att de informerats").click()
    page.get_by_label("Informerades den").fill("2025-03-10")
    check_page(page, "information")
    page.get_by_role("button", name="Registrera informationen").click()
    expect(page.get_by_role("status")).to_contain_text("Informationen är registrerad.")
    timeline = page.get_by_role("region", name=re.compile("Tidslinje|Händelser"))
    expect(timeline).to_contain_text("HälSam politisk samverkan informerades om beslut BP2")

    # The decision document names every part: who decided for whom, and how.
    documents = page.get_by_role("region", name="Dokument")
    with page.expect_download() as download_info:
        documents.get_by_role("link", name=re.compile("BP2")).click()
    content = open(download_info.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Delbeslut – vem som beslutade för vem" in text
    for name in ["Region Västernorrland", *chiefs]:
        assert name in text, name
    assert "Införs inte" in text
    assert "Länssamordningsgruppen föreslår länsgemensamt införande" in text

    # --- No third decision point for joint cases: the plan goes straight to implementation
    prepare_for_bp3(Case.objects.get(pk=case.pk), world["ordforande"])
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    expect(page.get_by_role("button", name="Skicka till beslut BP3")).to_have_count(0)
    expect(page.locator(".road")).to_contain_text("BP3 (används inte)")
    check_page(page, "planering-utan-bp3")
    page.get_by_role("button", name="Starta genomförandet (regionen använder inte BP3)").click()
    expect(page.locator(".title-row .state")).to_have_text("Genomförande")
