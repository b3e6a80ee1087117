"""Västernorrland's joint case by its own decision order (seed 002, reference data): the LPO
decides to go on, länssamordningsgruppen prepares and proposes, and in länsledningen the HSD
decides for the region and each of the seven municipalities decides for itself — one says no
and the case goes on for the others; HälSam politisk samverkan is informed; the decision
document names every part; no third decision point, so the plan goes straight to
implementation.

The second test runs the whole case through the pages from the remiss: the strategist
registers it, judges that it concerns the municipalities (the case becomes joint) and sends it
to the LPO and the municipalities' representative; both answer and the strategist sends the
county's one joint answer; the national decision is recorded; the LPO decides to go on; the LAG
with the municipalities' representative assesses the rows; länssamordningsgruppen proposes;
the HSD and the seven förvaltningschefer decide (Ånge says no); each principal plans its own
activities; the follow-up is measured for a municipality that takes part (Ånge is not
offered). Only people and units are set up by code."""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from devdata.demo import PRIORITISATION
from gapanalys.preparations import prepare_for_bp2
from implementering.preparations import prepare_for_bp3
from kunskapsstyrning import services
from kunskapsstyrning.loaders import load_catalogue, load_decision_orders
from kunskapsstyrning.models import Case, DecisionPart, Document, KnowledgeSupport
from organisation.loaders import load_reference_data
from organisation.models import ProgrammeArea, Region, Role, Unit, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member
from remisser.models import Remiss

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
    # Today: BP1 was decided today in this walk, and a proposal does not come before it.
    page.get_by_label("Datum för förslaget").fill(day(0))
    page.get_by_label("Förslag till beslut").fill(
        "Länssamordningsgruppen föreslår länsgemensamt införande i region och kommuner."
    )
    page.get_by_label("Diariereferens").fill("HälSam 2025/4")
    check_page(page, "forslag-till-beslut")
    page.get_by_role("button", name="Registrera förslaget").click()
    expect(page.get_by_role("status")).to_contain_text("Förslaget till beslut är registrerat.")
    expect(progress).to_contain_text(f"lämnade förslag till beslut {day(0)}")

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
    page.get_by_label("Informerades den").fill(day(0))
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

    # --- Ånge's own process ends later: it joins by a decision of its own ----------------
    switch_to(page, login, chiefs[DECLINING])
    page.goto(case_url)
    page.get_by_role("link", name=f"Registrera att {DECLINING} ansluter").click()
    expect(page.locator(".lead")).to_contain_text(f"Delbeslutet för {DECLINING} vid BP2")
    page.get_by_label("Kommunens beslutsdatum").fill(day(0))
    page.get_by_label("Motivering").fill("Socialnämnden beslutade att delta från i år.")
    page.get_by_label("Diariereferens för beslutet").fill("SN 2026/41")
    check_page(page, "kommun-ansluter")
    page.get_by_role("button", name="Registrera anslutningen").click()
    expect(page.get_by_role("status")).to_contain_text(f"{DECLINING} deltar nu i ärendet.")
    expect(principals).to_contain_text(f"{DECLINING}: deltar (anslöt {day(0)}")
    expect(page.get_by_role("link", name=re.compile("ansluter"))).to_have_count(0)
    assert Document.objects.filter(case=case, kind="beslut_bp2").count() == 2

    # --- No third decision point for joint cases: the plan goes straight to implementation
    prepare_for_bp3(Case.objects.get(pk=case.pk), world["ordforande"])
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    expect(page.get_by_role("button", name="Skicka till beslut BP3")).to_have_count(0)
    expect(page.locator(".road")).to_contain_text("BP3 (används inte)")
    check_page(page, "planering-utan-bp3")
    page.get_by_role("button", name="Starta genomförandet (regionen använder inte BP3)").click()
    page.get_by_role("button", name="Ja, starta genomförandet (regionen använder inte BP3)").click()
    expect(page.locator(".title-row .state")).to_have_text("Genomförande")


# --- From the remiss to follow-up, every step through the pages --------------------------


def day(n):
    return (timezone.localdate() + timezone.timedelta(days=n)).isoformat()


@pytest.fixture
def county(transactional_db):
    """Region Västernorrland's reference data and the people of seed 002 — set-up only: no
    case exists; the strategist registers the remiss that starts it."""
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
    municipalities = {m.name: m for m in region.municipalities.order_by("name")}
    people = {
        "strateg": UserFactory(username="strateg.vn", first_name="Viktor", last_name="Strateg"),
        "hsd": UserFactory(
            username="hsd.vn",
            first_name="Helena",
            last_name="Direktör",
            title="Hälso- och sjukvårdsdirektör",
        ),
        "ordforande": UserFactory(username="ordf.vn", first_name="Vera", last_name="Ordförande"),
        "processledare": UserFactory(username="pl.vn", first_name="Pelle", last_name="Lind"),
        # The municipalities' representative in the LPO, nominated for all seven.
        "kommunrep": UserFactory(
            username="kommunrep.vn",
            first_name="Kim",
            last_name="Kommunrepresentant",
            municipality=municipalities["Sundsvall"],
        ),
    }
    member(people["strateg"], office, Role.STRATEGIST, start_date=START)
    member(people["hsd"], bodies["RVN_HSL"], Role.MANAGEMENT, start_date=START)
    member(people["hsd"], bodies["RVN_LANS"], Role.MANAGEMENT, start_date=START)
    member(people["ordforande"], lpo, Role.CHAIR, start_date=START)
    member(people["processledare"], lpo, Role.MEMBER, start_date=START)
    member(people["kommunrep"], lpo, Role.MUNICIPAL_REPRESENTATIVE, start_date=START)
    chiefs = {}
    for name, municipality in municipalities.items():
        chief = UserFactory(
            username=f"chef.{municipality.code}",
            first_name="Förvaltningschef",
            last_name=name,
            municipality=municipality,
        )
        member(chief, bodies["RVN_LANS"], Role.MANAGEMENT, start_date=START)
        chiefs[name] = chief
    support = KnowledgeSupport.objects.get(title="Schizofreni – förstagångsinsjuknande")
    return {"region": region, "support": support, "chiefs": chiefs, **people}


def test_vasternorrlands_joint_case_from_the_remiss_to_follow_up(page, login, check_page, county):
    world = county
    support = world["support"]
    chiefs = world["chiefs"]

    # --- The strategist registers the remiss ---------------------------------------------
    login(page, world["strateg"])
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Remisser").click()
    page.get_by_role("link", name="Registrera remiss").click()
    page.get_by_label("Kunskapsstöd i katalogen").select_option(label=str(support))
    page.get_by_label(re.compile(r"^Avsändare \(obligatorisk\)$")).select_option(
        label="Socialstyrelsen"
    )
    page.get_by_label("Inkom").fill(day(0))
    page.get_by_label("Svar senast (nationellt)").fill(day(30))
    page.get_by_label("Ansvarigt LPO").select_option(label="LPO Psykisk hälsa")
    page.get_by_label("Kommunernas samordnare").select_option(label="Kim Kommunrepresentant")
    page.get_by_role("button", name="Registrera remissen").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen registrerades")
    remiss = Remiss.objects.get()
    case_url = f"/arenden/{remiss.case_id}/"

    # It concerns the municipalities: the case becomes joint with all seven.
    page.get_by_role("link", name="Bedöm om kommunerna berörs").click()
    page.get_by_role("radio", name="Ja – hanteras gemensamt med kommunerna").check()
    page.get_by_label("Bedömning").fill(
        "Vårdförloppet berör socialpsykiatrin och boendestödet i alla länets kommuner."
    )
    check_page(page, "remiss-berör-kommunerna")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("status")).to_contain_text("Kommunernas bedömning sparades.")
    case = Case.objects.get(pk=remiss.case_id)
    assert case.joint and case.municipalities.count() == 7

    # Distributed to the LPO's chair and to the municipalities' representative.
    page.get_by_role("link", name="Skicka ut till LPO").click()
    group = page.get_by_role("group", name="Skicka till ordförande i")
    group.get_by_label("LPO Psykisk hälsa").check()
    page.get_by_label("Intern svarstid").fill(day(14))
    page.get_by_label("Kommunernas svar lämnas av").select_option(label="Kim Kommunrepresentant")
    check_page(page, "remiss-skicka-ut")
    page.get_by_role("button", name="Skicka ut remissen").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen skickades ut.")

    # --- The LPO and the municipalities answer --------------------------------------------
    for user, name, text in [
        (world["ordforande"], "LPO Psykisk hälsa", "LPO:t tillstyrker vårdförloppet."),
        (world["kommunrep"], "Kommunerna", "Kommunerna tillstyrker; boendestödet behöver stöd."),
    ]:
        switch_to(page, login, user)
        to_answer = page.get_by_role("region", name="Remisser att besvara")
        to_answer.get_by_role("link", name=name).click()
        page.get_by_role("textbox", name=re.compile("svar$")).fill(text)
        check_page(page, f"remiss-svar-{name}")
        page.get_by_role("button", name=re.compile("^Skicka in")).click()
        page.get_by_role("button", name="Ja, skicka in svaret").click()
        expect(page.get_by_role("status")).to_contain_text("svar skickades in")

    # --- The strategist compiles and sends the county's one joint answer ------------------
    switch_to(page, login, world["strateg"])
    page.goto(f"/remisser/{remiss.pk}/")
    expect(page.get_by_role("region", name="Svar från LPO")).to_contain_text("2 av 2 har svarat.")
    page.get_by_role("link", name="Sammanställ länets gemensamma svar").click()
    # One answer for the county: the region's and the municipalities' input side by side.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Länets gemensamma svar")
    expect(page.get_by_role("main")).to_contain_text("boendestödet behöver stöd")
    page.get_by_label("Länets gemensamma svar", exact=True).fill(
        "Region Västernorrland och länets kommuner tillstyrker gemensamt."
    )
    page.get_by_role("button", name="Spara sammanställningen").click()
    expect(page.get_by_role("status")).to_contain_text("Sammanställningen sparades.")
    page.get_by_label("Diarienummer för svaret").fill("RVN 2026/0101-2")
    page.get_by_role("button", name="Markera som skickat och registrerat").click()
    page.get_by_role("button", name="Ja, markera svaret som skickat").click()
    expect(page.get_by_role("status")).to_contain_text("markerat som skickat och registrerat")
    expect(page.locator(".title-row .state")).to_have_text("Besvarad")
    check_page(page, "remiss-besvarad")

    # --- The national decision arrives and is recorded ------------------------------------
    page.goto(case_url)
    page.get_by_role("link", name="Registrera nationellt beslut").click()
    page.get_by_label("Beslutsdatum").fill(day(0))
    page.get_by_role("radio", name=re.compile("^SKS")).check()
    page.get_by_label("Referens").fill("SKS 2026:7")
    page.get_by_role("radio", name="Införs", exact=True).check()
    page.get_by_role("button", name=re.compile("^Registrera")).click()
    expect(page.get_by_role("status")).to_contain_text("Det nationella beslutet är registrerat")
    check_page(page, "nationellt-beslut")

    # --- The LPO prioritises and decides to go on -----------------------------------------
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    page.get_by_role("link", name="Fyll i prioriteringen (BP1-underlag)").click()
    page.get_by_role("group", name="Är det möjligt?").get_by_role("radio", name="Ja").check()
    page.get_by_label("Motivering – möjligt").fill("Region och kommuner har kapacitet.")
    page.get_by_role("group", name="Är det viktigt?").get_by_role("radio", name="Ja").check()
    page.get_by_label("Motivering – viktigt").fill("Tidiga insatser förbättrar prognosen.")
    page.get_by_label("Förväntad nytta").fill("Kortare tid till behandling.")
    page.get_by_label("Konsekvens av att inte införa").fill("Ojämlik vård i länet.")
    page.get_by_label("Resursbehov").fill("Processledare 20 % under ett halvår.")
    page.get_by_role("button", name="Spara prioriteringen").click()
    page.get_by_role("button", name="Skicka till beslut BP1").click()
    page.get_by_role("link", name="Fatta beslut BP1").click()
    expect(page.locator(".lead")).to_contain_text("Beslutas av LPO:ts ordförande")
    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Motivering").fill("LPO:t går vidare: möjligt och viktigt.")
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP1 är registrerat.")
    expect(page.locator(".title-row .state")).to_have_text("Gap-analys")

    # --- The chair forms the LAG with the municipalities' representative ------------------
    page.get_by_role("link", name="Bilda eller återaktivera LAG").click()
    page.get_by_label("Namn på ny LAG").fill("LAG Schizofreni")
    page.get_by_label("Processledare").select_option(label="Pelle Lind")
    page.get_by_role("group", name=re.compile("Kommunernas representanter")).get_by_label(
        "Kim Kommunrepresentant"
    ).check()
    page.get_by_label("Start").fill(day(0))
    expect(page.get_by_label("Kommunerna", exact=True)).to_be_checked()
    check_page(page, "lag-med-kommunerna")
    page.get_by_role("button", name=re.compile("Bilda LAG")).click()
    expect(page.get_by_role("status").first).to_contain_text("LAG:en är klar")
    rows = support.recommendations.order_by("number")
    numbers = list(rows.values_list("number", flat=True))

    # The process leader assesses the region's rows; the municipal representative the
    # municipalities' ones.
    analysis_url = f"{case_url}gapanalys/"
    half = len(numbers) // 2
    for user, mine, principal in [
        (world["processledare"], numbers[:half], "Region"),
        (world["kommunrep"], numbers[half:], "Kommun"),
    ]:
        switch_to(page, login, user)
        page.goto(analysis_url)
        for number in mine:
            page.get_by_role("link", name=f"Ändra rekommendation {number}", exact=True).click()
            form = page.locator("tr.is-editing")
            gap = number in (numbers[0], numbers[-1])
            form.get_by_role("group", name="Nuläge").get_by_role(
                "radio", name="Delvis" if gap else "Gör vi", exact=True
            ).check()
            form.get_by_label("Så arbetar vi i dag").fill(f"I dag ({principal}, {number}).")
            if gap:
                form.get_by_label("Förbättringsförslag").fill(
                    f"Gemensam rutin för {principal.lower()}en (rek. {number})."
                )
            form.get_by_role("group", name="Ansvarig huvudman").get_by_role(
                "radio", name=principal, exact=True
            ).check()
            form.get_by_label("Prioritet").select_option(label="Hög")
            form.get_by_role("button", name="Spara raden").click()
            expect(page.locator("tr.is-editing")).to_have_count(0)
        check_page(page, f"gap-{principal.lower()}")

    # The statements the county requires for joint cases, recorded by the process leader.
    switch_to(page, login, world["processledare"])
    page.goto(analysis_url)
    page.get_by_role("link", name="Yttranden").click()
    for kind in [
        "LPO:s synpunkter",
        "Operativ arbetsgrupp för kunskapsstyrning RVN (beredning)",
        "Kommunernas nätverk (återkoppling)",
    ]:
        page.get_by_role("radio", name=kind).check()
        page.get_by_label("Instans").fill(kind)
        page.get_by_label("Undertecknat av").fill("Ordförande")
        page.get_by_label("Datum").fill(day(0))
        page.get_by_label("Yttrandets text").fill("Tillstyrker.")
        page.get_by_role("button", name="Registrera").click()
        expect(page.get_by_role("status").first).to_contain_text("Yttrandet registrerades.")

    # --- The chair sends it to BP2; länssamordningsgruppen proposes -----------------------
    switch_to(page, login, world["ordforande"])
    page.goto(analysis_url)
    page.get_by_role("button", name="Skicka gap-analysen till beslut BP2").click()
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP2")

    switch_to(page, login, world["strateg"])
    page.goto(case_url)
    page.get_by_role("link", name="Registrera förslag till beslut").click()
    page.get_by_label("Datum för förslaget").fill(day(0))
    page.get_by_label("Förslag till beslut").fill(
        "Länssamordningsgruppen föreslår länsgemensamt införande i region och kommuner."
    )
    page.get_by_label("Diariereferens").fill("HälSam 2026/4")
    page.get_by_role("button", name="Registrera förslaget").click()
    expect(page.get_by_role("status")).to_contain_text("Förslaget till beslut är registrerat.")

    # --- Länsledningen: the HSD for the region, each municipality for itself --------------
    switch_to(page, login, world["hsd"])
    page.goto(case_url)
    decide(page, "Region Västernorrland", motivation="Regionen inför vårdförloppet.")
    for name, chief in chiefs.items():
        switch_to(page, login, chief)
        page.goto(case_url)
        if name == DECLINING:
            decide(page, name, outcome="Införs inte", motivation="Kommunen saknar resurser.")
        else:
            decide(page, name)
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP2 är registrerat.")
    expect(page.locator(".title-row .state")).to_have_text("Planering")
    principals = page.get_by_role("region", name="Huvudmän i ärendet")
    expect(principals).to_contain_text(f"{DECLINING}: deltar inte")

    # --- The joint plan: activities per principal -----------------------------------------
    plan_url = f"{case_url}plan/"
    # Each principal's people plan its own: the region's gap (the first row) by the chair, the
    # municipalities' (the last) by their representative, and both together by the strategist.
    region_gap, municipal_gap = numbers[0], numbers[-1]
    for user, principal, title, gaps in [
        (world["ordforande"], "Region", "Snabbspår till psykosmottagningen", [region_gap]),
        (world["kommunrep"], "Kommun", "Boendestöd från första veckan", [municipal_gap]),
        (
            world["strateg"],
            "Gemensam",
            "Länsgemensam samordnad individuell plan",
            [region_gap, municipal_gap],
        ),
    ]:
        switch_to(page, login, user)
        page.goto(case_url)
        if principal == "Region":
            impl = page.get_by_role("region", name="Införande och uppföljning")
            impl.get_by_role("button", name="Påbörja införandeplanen").click()
        page.goto(plan_url)
        page.get_by_role("link", name="Lägg till aktivitet").click()
        page.get_by_label(re.compile("^Aktivitet")).fill(title)
        group = page.get_by_role("group", name=re.compile("Ansvarig huvudman"))
        if group.count():
            group.get_by_role("radio", name=principal, exact=True).check()
        page.get_by_label("Ansvarig person eller enhet").fill(f"{principal}ens samordnare")
        page.get_by_label("Start").fill(day(0))
        page.get_by_label("Klar senast").fill(day(0))
        for number in gaps:
            page.get_by_role("checkbox", name=re.compile(f"Rek. {number}\\b")).check()
        page.get_by_role("button", name="Spara aktiviteten").click()
        expect(page.get_by_role("status")).to_contain_text("Aktiviteten sparades.")
    summary = page.get_by_role("region", name="Läget")
    expect(summary).to_contain_text("Region Västernorrland, Härnösand, Kramfors")
    expect(summary).to_contain_text(f"{DECLINING} deltar inte")
    activities = page.get_by_role("region", name="Aktiviteter", exact=True)
    for principal in ("Region", "Kommun", "Gemensam"):
        expect(activities).to_contain_text(principal)
    check_page(page, "gemensam-plan")

    # No BP3 for joint cases, but the preparations hold: the chair anchors the plan in the
    # LPO and ticks the checklist before implementation starts, and the page says so.
    switch_to(page, login, world["ordforande"])
    page.goto(case_url)
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text(
        "Inte alla punkter i BP3-checklistan är avbockade."
    )
    page.goto(plan_url)
    page.get_by_role("link", name="Lägg till kommunikationsinsats").click()
    page.get_by_label("Målgrupp").fill("Psykiatrin och kommunernas socialpsykiatri")
    page.get_by_label("Budskap").fill("Boendestöd från första veckan")
    page.get_by_label("Kanal").fill("Länsgemensamt nyhetsbrev")
    page.get_by_label("När").fill(day(0))
    page.get_by_label("Vem").fill("LPO-ordförande")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Registrera förankringen i LPO").click()
    page.get_by_label(re.compile("Anteckning")).fill("LPO-möte med kommunernas representant")
    page.get_by_role("button", name="Registrera förankringen").click()

    # Follow-up is chosen before implementation, per principal: the municipality that said
    # no is not offered.
    page.goto(f"{case_url}uppfoljning/indikatorer/ny/")
    municipality = page.get_by_label("Mäts för kommun")
    expect(municipality.locator("option", has_text=DECLINING)).to_have_count(0)
    expect(municipality.locator("option", has_text="Sundsvall")).to_have_count(1)
    page.get_by_label("Kod").fill("LOK-1")
    page.get_by_label("Namn").fill("Andel med boendestöd inom en vecka")
    municipality.select_option(label="Sundsvall")
    check_page(page, "indikator-kommun")
    page.get_by_role("button", name=re.compile("^Spara")).click()
    indicator_url = page.url
    page.goto(f"{case_url}checklista/")
    tick = page.get_by_role("button", name=re.compile("^Bocka av"))
    while tick.count():
        tick.first.click()
        expect(page.get_by_role("status").first).to_contain_text("är avbockad")
    expect(page.get_by_text("Checklistan är komplett.")).to_be_visible()
    page.goto(case_url)
    page.get_by_role("button", name="Starta genomförandet (regionen använder inte BP3)").click()
    page.get_by_role("button", name="Ja, starta genomförandet (regionen använder inte BP3)").click()
    expect(page.locator(".title-row .state")).to_have_text("Genomförande")

    # --- Follow-up: the municipality's measurements -----------------------------------------
    page.goto(indicator_url)
    form = page.get_by_role("region", name="Registrera mätvärde")
    form.get_by_label("Period").fill(day(-40)[:7])
    form.get_by_label("Täljare").fill("6")
    form.get_by_label("Nämnare").fill("10")
    form.get_by_role("button", name="Spara mätvärdet").click()
    expect(page.get_by_role("status")).to_contain_text("Mätvärdet sparades.")
    check_page(page, "uppfoljning")
