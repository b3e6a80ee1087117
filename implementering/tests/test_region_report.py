"""The region-wide follow-up report (issue 16): content, page, PDF, spreadsheet, background,
and the signals on management's home."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.tabular import iter_formula_cells
from implementering import region_report as reports
from implementering import services
from implementering.models import FollowUpIndicator, Measurement, Period, RegionReport
from implementering.tasks import region_report_render
from organisation.models import Municipality, ProgrammeArea

YEAR = reports.ReportPeriod(date(2025, 1, 1), date(2025, 12, 31))


def measure_year(case, actor, indicator, year, shares):
    """Monthly measurements of `year`, numerator out of 100."""
    for month, x in enumerate(shares, start=1):
        services.measurement_save(
            case_id=case.pk,
            actor=actor,
            indicator_id=indicator.pk,
            period_start=date(year, month, 1),
            numerator=x,
            denominator=100,
        )


# p̄ = 0.7 over the year: eight months at 0.6 (a run below), then four at 0.9 (above the UCL).
SIGNALLING = [60] * 8 + [90] * 4
STEADY = [70, 72, 69, 71, 70, 68, 71, 70, 69, 72, 70, 71]


@pytest.fixture
def heart_area(lpo):
    area = ProgrammeArea.objects.create(
        code="HJK", name="Hjärt- och kärlsjukdomar", host=lpo.region.healthcare_region
    )
    lpo.programme_area = area
    lpo.save()
    return area


@pytest.fixture
def signalling(followed_case, alice, share, heart_area):
    measure_year(followed_case, alice, share, 2025, SIGNALLING)
    return share


@pytest.fixture
def foreign_case(foreign_lpo, sven, support):
    """A case of Region Syd in follow-up, measured in 2025: never in Region Norr's report."""
    from kunskapsstyrning import services as case_services
    from kunskapsstyrning.models import Case

    case = case_services.case_register(
        actor=sven,
        region=foreign_lpo.region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
        start_at_remiss=False,
    )
    # Written, not walked: Region Syd's decision order is not this test's subject.
    Case.objects.filter(pk=case.pk).update(state="uppfoljning")
    indicator = FollowUpIndicator.objects.create(case=case, code="S-01", name="Syd", period="manad")
    Measurement.objects.create(
        indicator=indicator, period_start=date(2025, 3, 1), numerator=1, denominator=2
    )
    return case


# --- Content --------------------------------------------------------------------------------


def test_the_report_holds_every_indicator_of_the_regions_cases_by_programme_area(
    region, signalling, followed_case, foreign_case
):
    report = reports.region_followup(region, YEAR)
    assert [a.name for a in report.areas] == ["Hjärt- och kärlsjukdomar"]
    [in_case] = report.areas[0].cases
    assert in_case.case == followed_case
    # walk_to chose a local indicator LOK1 for BP3's checklist; it has no measurements
    assert [i.indicator.code for i in in_case.indicators] == ["HSV-01", "LOK1"]
    item, unmeasured = in_case.indicators
    assert unmeasured.measurements == [] and unmeasured.svg == ""
    assert item.indicator == signalling
    assert len(item.measurements) == 12
    assert item.signal_count == 12  # the run of 8 below and the 4 above the upper limit
    assert any("Över den övre styrgränsen" in s for s in item.signal_sentences)
    assert item.svg.startswith("<svg")
    assert report.signal_count == 1


def test_the_limits_come_from_the_history_but_only_the_period_is_shown(
    region, followed_case, alice, share
):
    measure_year(followed_case, alice, share, 2024, STEADY)
    measure_year(followed_case, alice, share, 2025, [70] * 12)
    item = reports.region_followup(region, YEAR).areas[0].cases[0].indicators[0]
    assert item.indicator == share
    assert [p.label for p in item.chart.points] == [f"2025-{m:02d}" for m in range(1, 13)]
    # the centre line is the mean of both years, not of 2025 alone
    assert item.chart.centre == pytest.approx((sum(STEADY) + 70 * 12) / 2400)


def test_a_period_without_data_is_an_empty_report_that_says_so(client, region, sara):
    report = reports.region_followup(region, YEAR)
    assert report.case_count == 0
    client.force_login(sara)
    response = client.get(reverse("uppfoljning:region_report", args=[region.pk]) + "?" + YEAR.query)
    assert "Rapporten är tom" in response.content.decode()


def test_a_joint_case_is_reported_per_principal_where_the_indicators_say_so(
    region, make_case, alice, maja, national
):
    kommun = Municipality.objects.create(code="9001", name="Norrby kommun", region=region)
    case = make_case("uppfoljning", joint=True)
    case.municipalities.add(kommun)
    regional = FollowUpIndicator.objects.get(case=case, code="HSV-01")  # chosen by walk_to
    local = services.indicator_save(
        case_id=case.pk,
        actor=alice,
        data={
            "code": "K-01",
            "name": "Andel i hemsjukvård",
            "period": Period.MONTH,
            "municipality": kommun,
        },
    )
    measure_year(case, alice, regional, 2025, STEADY)
    measure_year(case, alice, local, 2025, STEADY)
    [in_case] = reports.region_followup(region, YEAR).areas[0].cases
    assert [(p.label, [i.indicator.code for i in p.indicators]) for p in in_case.principals] == [
        ("Region Norr", ["HSV-01"]),
        ("Norrby kommun", ["K-01"]),
    ]


def test_an_indicator_cannot_be_a_municipality_that_is_not_in_the_case(
    region, followed_case, alice
):
    from django.core.exceptions import ValidationError

    kommun = Municipality.objects.create(code="9002", name="Söderby kommun", region=region)
    with pytest.raises(ValidationError) as raised:
        services.indicator_save(
            case_id=followed_case.pk,
            actor=alice,
            data={"code": "K-02", "name": "X", "period": Period.MONTH, "municipality": kommun},
        )
    assert "deltar inte" in str(raised.value)


# --- The period -----------------------------------------------------------------------------


def test_the_default_is_the_last_full_calendar_year():
    assert reports.default_period(date(2026, 3, 4)) == reports.ReportPeriod(
        date(2025, 1, 1), date(2025, 12, 31)
    )


@pytest.mark.parametrize(
    ("fran", "till", "message"),
    [
        ("2025-06-01", "2025-01-01", "Periodens slut ligger före dess början."),
        ("2019-01-01", "2025-12-31", "Perioden får vara högst 5 år."),
        ("2025-13-01", "2025-12-31", "Ange ett datum som finns, som ÅÅÅÅ-MM-DD"),
        ("2025-02-31", "2025-12-31", "Ange ett datum som finns, som ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_bad_period_is_refused_in_swedish(client, region, sara, fran, till, message):
    client.force_login(sara)
    url = reverse("uppfoljning:region_report", args=[region.pk])
    response = client.get(url, {"fran": fran, "till": till})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Formuläret innehåller fel" in page
    assert message in page
    # the downloads send a wrong period back to the page
    pdf = client.get(
        reverse("uppfoljning:region_report_pdf", args=[region.pk]), {"fran": fran, "till": till}
    )
    assert pdf.status_code == 302 and pdf["Location"].startswith(url)


def test_five_years_exactly_is_allowed(region):
    assert reports.period_problem(date(2021, 1, 1), date(2025, 12, 31)) is None


# --- Who ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["region_report", "region_report_pdf", "region_report_xlsx"])
def test_the_report_is_for_the_regions_strategists_and_management(
    client, region, sara, maja, alice, sven, olle, name
):
    url = reverse(f"uppfoljning:{name}", args=[region.pk]) + "?" + YEAR.query
    assert client.get(url).status_code == 302  # anonymous: to the login
    for outsider in (olle, sven):  # no role in the region: it does not exist for them
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(alice)  # a chair in the region: there, but not allowed
    assert client.get(url).status_code == 403
    for allowed in (sara, maja):
        client.force_login(allowed)
        assert client.get(url).status_code == 200


def test_the_start_page_goes_to_ones_own_region(client, region, sara, alice, olle):
    url = reverse("uppfoljning:region_report_start")
    client.force_login(sara)
    assert client.get(url)["Location"] == reverse("uppfoljning:region_report", args=[region.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(olle)
    assert client.get(url).status_code == 404


def test_a_superuser_starts_in_the_region_with_most_to_follow_up(
    client, followed_case, other_region
):
    from organisation.tests.factories import RegionFactory, UserFactory

    RegionFactory(code="01", short_code="RA", name="Region Alfa")  # first by name, nothing
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(reverse("uppfoljning:region_report_start"))
    region = followed_case.region  # Region Norr, the one with a case in follow-up
    assert response["Location"] == reverse("uppfoljning:region_report", args=[region.pk])


def test_a_region_that_does_not_exist_is_404(client, sara):
    client.force_login(sara)
    assert client.get(reverse("uppfoljning:region_report", args=[9999])).status_code == 404


# --- Page, PDF, spreadsheet -----------------------------------------------------------------


def test_the_page_shows_each_indicator_with_its_chart_and_signals(
    client, region, sara, signalling, followed_case
):
    client.force_login(sara)
    response = client.get(reverse("uppfoljning:region_report", args=[region.pk]) + "?" + YEAR.query)
    page = response.content.decode()
    assert "Hjärt- och kärlsjukdomar" in page
    assert followed_case.registry_number in page
    assert "HSV-01 Ekokardiografi inom 4 veckor" in page
    assert "<svg" in page
    assert "Signaler på särskild orsak" in page
    assert reverse("uppfoljning:region_report_pdf", args=[region.pk]) in page


def test_the_pages_query_count_does_not_grow_with_the_data(
    client, region, sara, signalling, make_case, alice, national, django_assert_num_queries
):
    url = reverse("uppfoljning:region_report", args=[region.pk]) + "?" + YEAR.query

    def pinned():
        client.get(url)  # warm: the session row is written once after login
        # session, user, scope; the region; the count of cases; the cases; their
        # municipalities; their indicators; the measurements
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200

    client.force_login(sara)
    pinned()
    for _ in range(3):
        case = make_case("uppfoljning")
        indicator = services.indicator_save(
            case_id=case.pk,
            actor=alice,
            data={"code": "P-02", "name": "Andel", "period": Period.MONTH},
        )
        measure_year(case, alice, indicator, 2025, STEADY)
    pinned()


def test_the_pdf_is_archival_and_has_every_indicator(client, region, sara, signalling):
    from pypdf import PdfReader

    client.force_login(sara)
    response = client.get(
        reverse("uppfoljning:region_report_pdf", args=[region.pk]) + "?" + YEAR.query
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and "<rdf:li>Region Norr</rdf:li>" in xmp
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Uppföljning av kunskapsstöd 2025" in text
    assert "Hjärt- och kärlsjukdomar" in text
    assert "HSV-01 Ekokardiografi inom 4 veckor" in text
    assert "Signal på särskild orsak" in text


def test_the_spreadsheet_has_a_row_per_measurement_and_no_formula(
    client, region, sara, followed_case, alice, heart_area
):
    hostile = services.indicator_save(
        case_id=followed_case.pk,
        actor=alice,
        data={"code": "@SUM", "name": '=HYPERLINK("http://x","klicka")', "period": Period.MONTH},
    )
    measure_year(followed_case, alice, hostile, 2025, SIGNALLING)
    client.force_login(sara)
    response = client.get(
        reverse("uppfoljning:region_report_xlsx", args=[region.pk]) + "?" + YEAR.query
    )
    data = response.content
    assert list(iter_formula_cells(data)) == []
    workbook = load_workbook(io.BytesIO(data))
    rows = list(workbook["Mätvärden"].iter_rows(values_only=True))
    assert len(rows) == 1 + 12
    assert rows[1][5] == "@SUM"
    assert rows[1][6] == '=HYPERLINK("http://x","klicka")'
    assert rows[12][14] == "utanför styrgränserna"
    # A share is shown as a percentage (the cell keeps the exact figure), as on the page.
    sheet = workbook["Mätvärden"]
    assert [sheet.cell(row=2, column=c).number_format for c in range(11, 15)] == ["0.0%"] * 4
    assert sheet.cell(row=2, column=10).number_format == "General"
    summary = list(workbook["Indikatorer"].iter_rows(values_only=True))
    assert summary[1][:2] == ("Period", "2025")
    assert any(row[5] == "@SUM" and "Över den övre styrgränsen" in row[10] for row in summary[5:])


# --- In the background ----------------------------------------------------------------------


def test_a_large_report_is_made_in_the_background_once(
    client, region, sara, signalling, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reports, "BACKGROUND_ABOVE", 0)
    client.force_login(sara)
    page = client.get(reverse("uppfoljning:region_report", args=[region.pk]) + "?" + YEAR.query)
    assert "Skapa PDF och kalkylblad" in page.content.decode()
    assert "<svg" not in page.content.decode()  # the charts wait for the PDF
    # a download asked for directly is sent back to the page
    pdf = client.get(reverse("uppfoljning:region_report_pdf", args=[region.pk]) + "?" + YEAR.query)
    assert pdf.status_code == 302

    request_url = reverse("uppfoljning:region_report_request", args=[region.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(request_url, {"fran": "2025-01-01", "till": "2025-12-31"})
    report = RegionReport.objects.get()
    assert response["Location"] == reverse("uppfoljning:report_status", args=[report.pk])
    assert len(queued) == 1
    status = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in status and "väntar" in status
    # asked again while it waits: the same report
    client.post(request_url, {"fran": "2025-01-01", "till": "2025-12-31"})
    assert RegionReport.objects.count() == 1

    assert region_report_render(report.pk) == "ready"
    assert region_report_render(report.pk) == "skipped"  # delivered twice: made once
    report.refresh_from_db()
    assert report.status == "klar" and report.cases_done == report.cases_total == 1
    status = client.get(reverse("uppfoljning:report_status", args=[report.pk])).content.decode()
    assert 'http-equiv="refresh"' not in status
    pdf = client.get(reverse("uppfoljning:report_file", args=[report.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    xlsx = client.get(reverse("uppfoljning:report_file", args=[report.pk, "xlsx"]))
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["Mätvärden"].max_row == 13


def test_a_background_report_is_seen_under_its_regions_rules(
    client, region, sara, alice, sven, signalling
):
    report = RegionReport.objects.create(
        region=region, period_start=YEAR.start, period_end=YEAR.end, requested_by=sara
    )
    region_report_render(report.pk)
    for name, args in [("report_status", [report.pk]), ("report_file", [report.pk, "pdf"])]:
        url = reverse(f"uppfoljning:{name}", args=args)
        assert client.get(url).status_code == 302
        client.force_login(sven)
        assert client.get(url).status_code == 404
        client.force_login(alice)
        assert client.get(url).status_code == 403
        client.force_login(sara)
        assert client.get(url).status_code == 200
        client.logout()


def test_a_failed_report_says_why(client, region, sara, monkeypatch):
    report = RegionReport.objects.create(
        region=region, period_start=YEAR.start, period_end=YEAR.end, requested_by=sara
    )

    def broken(*args, **kwargs):
        raise ValueError("mallen saknas")

    monkeypatch.setattr(reports, "report_pdf", broken)
    assert region_report_render(report.pk) == "failed"
    client.force_login(sara)
    page = client.get(reverse("uppfoljning:report_status", args=[report.pk])).content.decode()
    assert "Rapporten kunde inte skapas" in page and "mallen saknas" in page


# --- Management's home ----------------------------------------------------------------------


def test_management_sees_this_years_signals_each_linked_to_its_case(
    client, followed_case, alice, share, maja, sara, monkeypatch
):
    from django.utils import timezone

    this_year = timezone.localdate().year
    measure_year(followed_case, alice, share, this_year - 1, STEADY)
    for month, x in enumerate([95, 96], start=1):  # far above the limits of last year's p̄
        services.measurement_save(
            case_id=followed_case.pk,
            actor=alice,
            indicator_id=share.pk,
            period_start=date(this_year, month, 1),
            numerator=x,
            denominator=100,
        )
    client.force_login(maja)
    page = client.get("/").content.decode()
    assert f"Indikatorer med signal på särskild orsak {this_year}" in page
    assert reverse("implementering:indicator_detail", args=[followed_case.pk, share.pk]) in page
    assert reverse("uppfoljning:region_report_start") in page
    client.force_login(sara)  # a strategist gets the report, not management's signals
    page = client.get("/").content.decode()
    assert reverse("uppfoljning:region_report_start") in page
    assert "Indikatorer med signal" not in page


def test_steady_indicators_are_not_signals(followed_case, alice, share, region):
    from django.utils import timezone

    today = timezone.localdate()
    measure_year(followed_case, alice, share, today.year - 1, STEADY)
    assert reports.signals_this_period({region.pk}, today) == []


def test_the_kept_signals_follow_every_change_of_the_measurements(
    followed_case, alice, share, region
):
    """Management's home reads the signals the services keep on the indicator: a new point
    far out makes one, removing it takes it away, and a new baseline can too."""
    from django.utils import timezone

    today = timezone.localdate()
    measure_year(followed_case, alice, share, today.year - 1, STEADY)
    services.measurement_save(
        case_id=followed_case.pk,
        actor=alice,
        indicator_id=share.pk,
        period_start=date(today.year, 1, 1),
        numerator=99,
        denominator=100,
    )
    [found] = reports.signals_this_period({region.pk}, today)
    assert found["indicator"] == share and found["latest"] == f"{today.year}-01"
    assert any("Över den övre styrgränsen" in s for s in found["sentences"])
    # What the report works out from the measurements agrees with what is kept.
    share.refresh_from_db()
    assert share.signal_year == today.year and share.signal_text

    far_out = share.measurements.get(period_start=date(today.year, 1, 1))
    services.measurement_delete(case_id=followed_case.pk, actor=alice, measurement_id=far_out.pk)
    assert reports.signals_this_period({region.pk}, today) == []
    share.refresh_from_db()
    assert share.signal_text == "" and share.signal_year == today.year


def test_managements_home_lists_the_first_signals_and_points_to_the_report_for_the_rest(
    client, followed_case, alice, share, maja, monkeypatch
):
    from django.utils import timezone

    this_year = timezone.localdate().year
    measure_year(followed_case, alice, share, this_year - 1, STEADY)
    services.measurement_save(
        case_id=followed_case.pk,
        actor=alice,
        indicator_id=share.pk,
        period_start=date(this_year, 1, 1),
        numerator=99,
        denominator=100,
    )
    client.force_login(maja)
    more = "Fler indikatorer har signal"
    page = client.get("/").content.decode()
    assert f"{share.code} {share.name}" in page and more not in page
    monkeypatch.setattr(reports, "HOME_SIGNALS", 0)
    section = reports.home_section(maja)
    assert section["impl_signals"] == [] and section["impl_signals_more"]


def test_the_home_of_a_chair_has_no_region_report(client, alice):
    client.force_login(alice)
    assert reverse("uppfoljning:region_report_start") not in client.get("/").content.decode()


def test_an_empty_year_points_at_the_last_year_with_measurements(
    client, region, sara, followed_case, alice, share
):
    measure_year(followed_case, alice, share, 2024, STEADY)
    client.force_login(sara)
    url = reverse("uppfoljning:region_report", args=[region.pk])
    page = client.get(url + "?" + YEAR.query).content.decode()
    assert "Inga mätvärden är registrerade för perioden." in page
    assert f"{url}?fran=2024-01-01&amp;till=2024-12-31" in page
    assert "Visa 2024, det senaste året med mätvärden" in page


def test_a_wrong_period_asked_of_the_worker_goes_back_to_the_page_with_its_error(
    client, region, sara
):
    client.force_login(sara)
    response = client.post(
        reverse("uppfoljning:region_report_request", args=[region.pk]),
        {"fran": "2025-06-01", "till": "2025-01-01"},
        follow=True,
    )
    assert "Periodens slut ligger före dess början." in response.content.decode()
    assert not RegionReport.objects.exists()


def test_the_status_pages_query_count_is_pinned(
    client, region, sara, signalling, django_assert_num_queries
):
    report = RegionReport.objects.create(
        region=region, period_start=YEAR.start, period_end=YEAR.end, requested_by=sara
    )
    url = reverse("uppfoljning:report_status", args=[report.pk])
    client.force_login(sara)
    client.get(url)  # warm: the session row is written once after login
    # session, user, scope; the report with its region; the region's rule (region_for_report)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_only_a_joint_case_offers_whose_measurements_an_indicator_holds(
    client, region, make_case, alice, maja, followed_case
):
    kommun = Municipality.objects.create(code="9003", name="Västby kommun", region=region)
    joint = make_case("uppfoljning", joint=True)
    joint.municipalities.add(kommun)
    client.force_login(alice)
    page = client.get(reverse("implementering:indicator_create", args=[joint.pk])).content
    assert "Mäts för kommun" in page.decode() and "Västby kommun" in page.decode()
    page = client.get(reverse("implementering:indicator_create", args=[followed_case.pk])).content
    assert "Mäts för kommun" not in page.decode()
