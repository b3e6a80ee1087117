"""From an approved BP2 to a control chart with a signal: the chair plans the implementation,
anchors it and ticks the BP3 checklist, management decides BP3, the activities are carried
out and the follow-up's measurements show a shift."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gapanalys.models import GapAnalysis, GapRow
from implementering.models import Measurement
from kunskapsstyrning.models import Case, Indicator, State

from .a11y import assert_error_next_to, assert_reflows
from .conftest import SCREENS

pytestmark = pytest.mark.browser


def months(first_year, count):
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


@pytest.fixture
def planned_case(make_case, alice, maja, support):
    """A case BP2 has approved, with the gaps its analysis found (recommendations 2 and 3)."""
    Indicator.objects.create(
        knowledge_support=support,
        code="HSV-01",
        name="Ekokardiografi inom 4 veckor",
        unit="procent",
        target=80,
    )
    case = make_case("planering")
    # The analysis the walk past BP2 made (issue 13's gates), its rows set to this story's.
    analysis = GapAnalysis.objects.get(case=case)
    for recommendation in support.recommendations.all():
        gap = recommendation.number in (2, 3)
        GapRow.objects.update_or_create(
            analysis=analysis,
            recommendation=recommendation,
            defaults={
                "current_state": "delvis" if gap else "gor_vi",
                "proposal": f"Förslag för rekommendation {recommendation.number}" if gap else "",
                "principal": "region",
            },
        )
    return case


def test_the_chair_plans_management_decides_bp3_and_the_follow_up_shows_a_signal(
    page, login, check_page, planned_case, alice, maja
):
    case = planned_case
    today = timezone.localdate()
    login(page, alice)
    page.goto(f"/arenden/{case.pk}/")
    impl = page.get_by_role("region", name="Införande och uppföljning")
    impl.get_by_role("button", name="Påbörja införandeplanen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Införandeplan")
    expect(page.get_by_role("region", name="Gapen och planen")).to_contain_text("Saknar aktivitet")
    check_page(page, "plan-tom")

    # An activity due before it starts: the error is told at the date.
    page.get_by_role("link", name="Lägg till aktivitet").click()
    page.get_by_label(re.compile("^Aktivitet")).fill("Tidbokningsrutin för ekokardiografi")
    page.get_by_label("Ansvarig person eller enhet").fill("Sektionschef klinisk fysiologi")
    page.get_by_label("Start").fill("2025-03-01")
    page.get_by_label("Klar senast").fill("2025-02-01")
    page.get_by_role("checkbox", name=re.compile("Rek. 2")).check()
    page.get_by_role("checkbox", name=re.compile("Rek. 3")).check()
    page.get_by_role("button", name="Spara aktiviteten").click()
    assert_error_next_to(
        page.get_by_label("Klar senast"), "Aktiviteten kan inte vara klar innan den startar."
    )
    check_page(page, "aktivitet-fel")
    page.get_by_label("Klar senast").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Start").fill("2025-01-01")
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_role("status")).to_contain_text("Aktiviteten sparades.")
    activities = page.get_by_role("region", name="Aktiviteter", exact=True)
    expect(activities.get_by_role("row", name=re.compile("Tidbokningsrutin"))).to_contain_text(
        "Region"
    )
    expect(page.get_by_role("region", name="Gapen och planen")).not_to_contain_text(
        "Saknar aktivitet"
    )

    page.get_by_role("link", name="Lägg till kommunikationsinsats").click()
    page.get_by_label("Målgrupp").fill("Vårdcentralerna")
    page.get_by_label("Budskap").fill("Remittera till ekokardiografi inom fyra veckor")
    page.get_by_label("Kanal").fill("Primärvårdsforum")
    page.get_by_label("När").fill("2025-02-01")
    page.get_by_label("Vem").fill("LPO-ordförande")
    check_page(page, "kommunikation")
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("link", name="Registrera förankringen i LPO").click()
    page.get_by_label(re.compile("Anteckning")).fill("LPO-möte med alla verksamhetschefer")
    check_page(page, "forankring")
    page.get_by_role("button", name="Registrera förankringen").click()
    expect(page.get_by_role("region", name="Läget")).to_contain_text("Förankrad i LPO Hjärta")
    check_page(page, "plan")

    # Follow-up is chosen before BP3: the national indicator of the knowledge support.
    page.get_by_role("navigation", name="Införande och uppföljning").get_by_role(
        "link", name="Uppföljning"
    ).click()
    page.get_by_role("link", name="Välj nationell indikator").click()
    page.get_by_role("radio", name=re.compile("HSV-01")).check()
    check_page(page, "valj-indikator")
    page.get_by_role("button", name="Följ upp indikatorn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HSV-01")

    # The BP3 checklist, every item ticked by Alice with a date.
    page.goto(f"/arenden/{case.pk}/checklista/")
    check_page(page, "checklista")
    for _ in range(7):
        page.get_by_role("button", name=re.compile("^Bocka av")).first.click()
        expect(page.get_by_role("status").first).to_contain_text("är avbockad")
    expect(page.get_by_text("Checklistan är komplett.")).to_be_visible()
    check_page(page, "checklista-klar")

    page.goto(f"/arenden/{case.pk}/")
    page.get_by_role("button", name="Skicka till beslut BP3").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Införandeplanen och BP3-checklistan skickades till beslut BP3."
    )
    page.get_by_role("button", name="Logga ut").click()

    # Management reads the checklist and the plan and approves BP3.
    login(page, maja)
    page.get_by_role("region", name="Väntar på ditt beslut").get_by_role("link").click()
    material = page.get_by_role("region", name="Underlag")
    expect(material.get_by_role("table", name="BP3-checklista")).to_contain_text("Alice Ordförande")
    expect(material.get_by_role("table", name="Aktiviteter")).to_contain_text("Tidbokningsrutin")
    check_page(page, "beslut-bp3")
    page.get_by_role("radio", name="Godkänt").check()
    page.get_by_label("Motivering").fill("Förberedelserna är klara.")
    page.get_by_role("button", name="Granska beslutet").click()
    page.get_by_role("button", name="Bekräfta och registrera beslutet").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet BP3 är registrerat.")
    assert Case.objects.get(pk=case.pk).state == State.IMPLEMENTATION
    page.get_by_role("button", name="Logga ut").click()

    # Implementation: the activity is due today and is reported done.
    login(page, alice)
    page.goto(f"/arenden/{case.pk}/plan/")
    page.get_by_text("Rapportera läget").click()
    page.get_by_label("Status").select_option(label="Klar")
    page.get_by_label("Lägesbeskrivning").fill("Rutinen gäller från och med i dag.")
    check_page(page, "rapportera-lage")
    page.get_by_role("button", name="Spara läget").click()
    expect(page.get_by_text("Alla aktiviteter är klara eller inställda.")).to_be_visible()

    # Measurements: one by hand (a zero denominator first), the rest imported.
    page.goto(f"/arenden/{case.pk}/uppfoljning/")
    page.get_by_role("link", name=re.compile("HSV-01")).click()
    form = page.get_by_role("region", name="Registrera mätvärde")
    form.get_by_label("Period").fill("2023-01")
    form.get_by_label("Täljare").fill("12")
    form.get_by_label("Nämnare").fill("0")
    form.get_by_role("button", name="Spara mätvärdet").click()
    assert_error_next_to(page.get_by_label("Nämnare"), "Nämnaren kan inte vara noll.")
    check_page(page, "matvarde-fel")
    page.get_by_label("Nämnare").fill("20")
    page.get_by_role("button", name="Spara mätvärdet").click()
    expect(page.get_by_role("status")).to_contain_text("Mätvärdet sparades.")

    # 2023 around 60 %, 2024 around 85 %: a run on each side of the centre line.
    rows = ["indikator;period;täljare;nämnare"]
    for index, month in enumerate(months(2023, 24)[1:], start=1):
        numerator = 12 + index % 2 if index < 12 else 17 + index % 2
        rows.append(f"HSV-01;{month};{numerator};20")
    page.get_by_role("link", name="Importera många mätvärden från CSV eller Excel").click()
    check_page(page, "import")
    page.get_by_label(re.compile("Fil")).set_input_files(
        files=[{"name": "hsv.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}]
    )
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("status")).to_contain_text("23 mätvärden importerades.")
    assert Measurement.objects.filter(indicator__case=case).count() == 24

    page.get_by_role("link", name=re.compile("HSV-01")).click()
    chart = page.get_by_role("img", name=re.compile("Styrdiagram: HSV-01"))
    expect(chart).to_be_visible()
    signals = page.locator(".signal-summary")
    expect(signals).to_contain_text("Serie: 12 punkter i rad under mittlinjen, 2023-01 – 2023-12.")
    expect(signals).to_contain_text("Serie: 12 punkter i rad över mittlinjen, 2024-01 – 2024-12.")
    check_page(page, "styrdiagram")
    # The chart alone, beside the screenshots, for a person to look at.
    chart.screenshot(path=str(SCREENS / "journey_implementering-styrdiagram.png"))


def test_the_other_planning_and_follow_up_pages_are_accessible_and_reflow(
    page, login, check_page, planned_case, alice
):
    from implementering import services

    case = planned_case
    services.plan_start(case_id=case.pk, actor=alice)
    services.activity_save(
        case_id=case.pk,
        actor=alice,
        data={
            "title": "Tidbokningsrutin för ekokardiografi",
            "principal": "region",
            "responsible": "Sektionschef",
            "start": date(2025, 1, 1),
            "due": date(2025, 6, 30),
        },
        gap_row_ids=[GapRow.objects.get(analysis__case=case, recommendation__number=2).pk],
    )
    indicator = services.indicator_save(
        case_id=case.pk,
        actor=alice,
        data={
            "code": "LOK-1",
            "name": "Tid till diagnos",
            "measure": "varde",
            "unit": "dagar",
            "period": "kvartal",
            "direction": "lower",
        },
    )
    for quarter, value in enumerate([40, 42, 38, 41, 39, 30, 29, 31], start=0):
        services.measurement_save(
            case_id=case.pk,
            actor=alice,
            indicator_id=indicator.pk,
            period_start=date(2023 + quarter // 4, quarter % 4 * 3 + 1, 1),
            value=value,
        )
    gap3 = GapRow.objects.get(analysis__case=case, recommendation__number=3)
    login(page, alice)
    base = f"/arenden/{case.pk}"
    for name, path in [
        ("plan", "/plan/"),
        ("historik", "/plan/historik/"),
        (
            "undantag",
            f"/plan/gap/{gap3.pk}/undantag/",
        ),
        ("milstolpe", "/plan/milstolpar/ny/"),
        ("utfasning", "/plan/utfasning/ny/"),
        ("uppfoljning", "/uppfoljning/"),
        ("lokal-indikator", "/uppfoljning/indikatorer/ny/"),
        ("xmr", f"/uppfoljning/indikatorer/{indicator.pk}/"),
        ("pdsa", "/uppfoljning/pdsa/ny/"),
    ]:
        page.goto(base + path)
        check_page(page, name)
    for path in ("/plan/", f"/uppfoljning/indikatorer/{indicator.pk}/", "/checklista/"):
        page.goto(base + path)
        assert_reflows(page)
