"""A strategist (sara) produces the region's yearly follow-up report: the page of last year,
a period that is wrong, then the PDF and the spreadsheet downloaded and read; and a large
report made in the background, with its progress, downloaded when ready."""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from implementering import region_report, services
from implementering.models import Period
from organisation.models import ProgrammeArea

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser

# p̄ = 0.7: eight months at 0.6 (a run below the centre line), then four at 0.9 (above the UCL).
SIGNALLING = [60] * 8 + [90] * 4


@pytest.fixture
def measured_case(make_case, alice, maja, lpo):
    """A case in follow-up in LPO Hjärta (programme area Hjärt- och kärlsjukdomar) with one
    indicator measured every month of last year."""
    lpo.programme_area = ProgrammeArea.objects.create(
        code="HJK", name="Hjärt- och kärlsjukdomar", host=lpo.region.healthcare_region
    )
    lpo.save()
    case = make_case("uppfoljning")
    indicator = services.indicator_save(
        case_id=case.pk,
        actor=alice,
        data={"code": "HSV-09", "name": "Andel med ekokardiografi", "period": Period.MONTH},
    )
    year = timezone.localdate().year - 1
    for month, x in enumerate(SIGNALLING, start=1):
        services.measurement_save(
            case_id=case.pk,
            actor=alice,
            indicator_id=indicator.pk,
            period_start=date(year, month, 1),
            numerator=x,
            denominator=100,
        )
    return case


def download(page, link):
    with page.expect_download() as info:
        link.click()
    return open(info.value.path(), "rb").read()


def test_a_strategist_produces_the_yearly_follow_up_report(
    page, login, check_page, sara, measured_case, monkeypatch
):
    year = timezone.localdate().year - 1
    login(page, sara)
    home = page.get_by_role("region", name="Uppföljning i regionen")
    home.get_by_role("link", name="Regionens uppföljningsrapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uppföljning i regionen: {year}")
    expect(page.get_by_label("Från och med")).to_have_value(f"{year}-01-01")
    area = page.get_by_role("region", name="Hjärt- och kärlsjukdomar")
    expect(area.get_by_role("link", name=measured_case.knowledge_support.title)).to_be_visible()
    expect(
        area.get_by_role("img", name="Styrdiagram: HSV-09 Andel med ekokardiografi")
    ).to_be_visible()
    expect(area).to_contain_text("Över den övre styrgränsen")
    check_page(page, "rapport")

    # A period that ends before it starts is told at its field, in Swedish.
    page.get_by_label("Från och med").fill(f"{year}-06-01")
    page.get_by_label("Till och med").fill(f"{year}-01-31")
    page.get_by_role("button", name="Visa rapporten").click()
    assert_error_next_to(
        page.get_by_label("Till och med"), "Periodens slut ligger före dess början."
    )
    check_page(page, "rapport-fel")

    # A year with nothing measured: an empty report that says so.
    page.get_by_label("Från och med").fill("2001-01-01")
    page.get_by_label("Till och med").fill("2001-12-31")
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.get_by_role("region", name="Sammanfattning")).to_contain_text("Rapporten är tom")

    page.get_by_label("Från och med").fill(f"{year}-01-01")
    page.get_by_label("Till och med").fill(f"{year}-12-31")
    page.get_by_role("button", name="Visa rapporten").click()
    files = page.get_by_role("region", name="Rapporten till ledningen")
    pdf = download(page, files.get_by_role("link", name="Ladda ner PDF"))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert f"Uppföljning av kunskapsstöd {year}" in text
    assert "Hjärt- och kärlsjukdomar" in text
    assert measured_case.registry_number in text
    assert "HSV-09 Andel med ekokardiografi" in text
    assert "Signal på särskild orsak" in text
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp

    xlsx = download(page, files.get_by_role("link", name="Ladda ner kalkylblad (xlsx)"))
    rows = list(load_workbook(io.BytesIO(xlsx))["Mätvärden"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Programområde", "LPO", "Diarienummer")
    measured = [r for r in rows[1:] if r[5] == "HSV-09"]
    assert [r[7] for r in measured] == [f"{year}-{m:02d}" for m in range(1, 13)]
    assert measured[-1][14] == "utanför styrgränserna"

    # The same report as if the region were large: made in the background, then downloaded.
    monkeypatch.setattr(region_report, "BACKGROUND_ABOVE", 0)
    page.reload()
    files.get_by_role("button", name="Skapa PDF och kalkylblad").click()
    expect(page).to_have_url(re.compile(r"/uppfoljning/rapporter/\d+/$"))
    # Tasks run in process in the tests: the report is ready when the page shows.
    expect(page.get_by_role("heading", level=2)).to_have_text("Klar")
    check_page(page, "rapport-klar")
    pdf = download(page, page.get_by_role("link", name="Ladda ner PDF"))
    assert "HSV-09" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    xlsx = download(page, page.get_by_role("link", name="Ladda ner kalkylblad (xlsx)"))
    assert load_workbook(io.BytesIO(xlsx))["Mätvärden"].max_row == 13
