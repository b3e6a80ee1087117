"""Follow-up: indicators, measurements (by hand and imported), charts, reports."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from implementering import selectors, services
from implementering.forms import parse_period
from implementering.imports import MeasurementImportError, import_measurements
from implementering.models import (
    FollowUpIndicator,
    ImprovementCycle,
    Measurement,
    Period,
    missing_periods,
)
from kunskapsstyrning.models import Document
from kunskapsstyrning.services import ActionRefused


def measure(case, actor, indicator, period, **numbers):
    return services.measurement_save(
        case_id=case.pk, actor=actor, indicator_id=indicator.pk, period_start=period, **numbers
    )


# --- Indicators ---------------------------------------------------------------------------------


def test_a_national_indicator_is_copied_with_its_definition_and_target(share, national):
    assert (share.code, share.name, share.measure, share.target) == (
        "HSV-01",
        "Ekokardiografi inom 4 veckor",
        "andel",
        Decimal("80"),
    )
    assert share.national == national


def test_a_national_indicator_is_followed_once(followed_case, alice, national, share):
    with pytest.raises(ActionRefused, match="följs redan upp"):
        services.indicator_add_national(
            case_id=followed_case.pk, actor=alice, national=national, period=Period.MONTH
        )


@pytest.mark.parametrize("code", ["LOK-02", "lok-02", "Lok-02"])
def test_a_local_indicator_code_is_unique_in_the_case_whatever_its_letters_case(
    followed_case, alice, days, code
):
    """The measurement import finds an indicator by its code in any case: "lok-02" beside
    LOK-02 took LOK-02's rows and left it unreachable."""
    from django.core.exceptions import ValidationError

    before = followed_case.followup_indicators.count()
    with pytest.raises(ValidationError, match=f"redan en indikator med koden {code}"):
        services.indicator_save(
            case_id=followed_case.pk,
            actor=alice,
            data={"code": code, "name": "Dubblett", "measure": "andel", "period": "manad"},
        )
    assert followed_case.followup_indicators.count() == before


def test_an_outsider_cannot_add_indicators(followed_case, bob, national):
    with pytest.raises(PermissionDenied):
        services.indicator_add_national(
            case_id=followed_case.pk, actor=bob, national=national, period=Period.MONTH
        )


# --- Measurements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "numbers, message",
    [
        ({"numerator": 5, "denominator": 0}, "Nämnaren kan inte vara noll."),
        ({"numerator": 11, "denominator": 10}, "Täljaren (11) kan inte vara större än nämnaren"),
        ({"numerator": 5}, "Ange både täljare och nämnare."),
    ],
)
def test_a_bad_proportion_is_refused_and_nothing_saved(
    followed_case, alice, share, numbers, message
):
    with pytest.raises(ActionRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        measure(followed_case, alice, share, date(2024, 1, 1), **numbers)
    assert not Measurement.objects.exists()


def test_a_period_is_measured_once(followed_case, alice, share):
    measure(followed_case, alice, share, date(2024, 1, 1), numerator=5, denominator=10)
    with pytest.raises(ActionRefused, match="Perioden 2024-01 har redan ett mätvärde."):
        measure(followed_case, alice, share, date(2024, 1, 1), numerator=6, denominator=10)
    assert Measurement.objects.get().numerator == 5


def test_a_value_indicator_needs_a_value(followed_case, alice, days):
    with pytest.raises(ActionRefused, match="Ange ett värde."):
        measure(followed_case, alice, days, date(2024, 1, 1))
    measure(followed_case, alice, days, date(2024, 1, 1), value=Decimal("41.5"))
    assert Measurement.objects.get().value == Decimal("41.5")


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (Period.MONTH, "2024-03", date(2024, 3, 1)),
        (Period.MONTH, "2024-3", date(2024, 3, 1)),
        (Period.MONTH, "2024-03-17", date(2024, 3, 1)),
        (Period.MONTH, "2024-03-01 00:00:00", date(2024, 3, 1)),
        (Period.QUARTER, "2024 K2", date(2024, 4, 1)),
        (Period.QUARTER, "2024-Q4", date(2024, 10, 1)),
        (Period.QUARTER, "2024k1", date(2024, 1, 1)),
        (Period.QUARTER, "2024-08-15", date(2024, 7, 1)),
        (Period.YEAR, "2023", date(2023, 1, 1)),
    ],
)
def test_periods_are_read_the_ways_people_write_them(kind, text, expected):
    assert parse_period(kind, text) == expected


@pytest.mark.parametrize(
    "kind, text", [(Period.MONTH, "2024-13"), (Period.MONTH, "mars"), (Period.QUARTER, "2024 K5")]
)
def test_a_period_that_is_not_one_is_refused_in_swedish(kind, text):
    with pytest.raises(ValueError, match="är ingen period"):
        parse_period(kind, text)


# --- Charts ---------------------------------------------------------------------------------


def test_the_indicator_chart_is_a_p_chart_over_its_measurements(followed_case, alice, share):
    for month, (x, n) in enumerate([(20, 100), (112, 400), (2, 64)], start=1):
        measure(followed_case, alice, share, date(2024, month, 1), numerator=x, denominator=n)
    charts = selectors.indicator_charts(FollowUpIndicator.objects.get(pk=share.pk))
    # p̄ = 134 / 564
    assert charts.control.centre == pytest.approx(134 / 564)
    assert [p.label for p in charts.control.points] == ["2024-01", "2024-02", "2024-03"]
    assert "<svg" in charts.control_svg and "<svg" in charts.run_svg
    assert "Mål 80 %" in charts.control_svg


def test_periods_without_a_measurement_are_named_under_the_chart(
    client, followed_case, alice, share
):
    for month in (1, 2, 4, 7):  # March, May and June are missing
        measure(followed_case, alice, share, date(2024, month, 1), numerator=5, denominator=10)
    charts = selectors.indicator_charts(FollowUpIndicator.objects.get(pk=share.pk))
    assert charts.missing == ["2024-03", "2024-05", "2024-06"]
    client.force_login(alice)
    for name in ("indicator_detail", "followup"):
        args = [followed_case.pk, share.pk] if name == "indicator_detail" else [followed_case.pk]
        page = client.get(reverse(f"implementering:{name}", args=args)).content.decode()
        assert "3 perioder saknar mätvärde: 2024-03, 2024-05, 2024-06." in page, name


@pytest.mark.parametrize(
    ("kind", "starts", "missing"),
    [
        (
            Period.MONTH,
            [date(2024, 11, 1), date(2025, 2, 1)],
            [date(2024, 12, 1), date(2025, 1, 1)],
        ),
        (
            Period.QUARTER,
            [date(2024, 1, 1), date(2024, 10, 1)],
            [date(2024, 4, 1), date(2024, 7, 1)],
        ),
        (Period.YEAR, [date(2021, 1, 1), date(2023, 1, 1)], [date(2022, 1, 1)]),
        (Period.MONTH, [date(2024, 1, 1), date(2024, 2, 1)], []),
        (Period.MONTH, [], []),
    ],
)
def test_missing_periods_are_counted_by_the_indicator_s_period(kind, starts, missing):
    assert missing_periods(kind, starts) == missing


def test_a_period_is_labelled_with_four_digits_for_its_year():
    from implementering.models import period_label

    assert period_label(Period.MONTH, date(1, 1, 1)) == "0001-01"
    assert period_label(Period.QUARTER, date(2024, 4, 1)) == "2024 K2"
    assert period_label(Period.YEAR, date(2024, 1, 1)) == "2024"


def test_improvement_cycles_are_marked_where_they_start(followed_case, alice, share):
    for month in range(1, 7):
        measure(followed_case, alice, share, date(2024, month, 1), numerator=5, denominator=10)
    services.cycle_save(
        case_id=followed_case.pk,
        actor=alice,
        data={
            "title": "Påminnelse i journalen",
            "indicator": share,
            "plan": "Pröva en påminnelse.",
            "started_on": date(2024, 3, 20),
        },
    )
    charts = selectors.indicator_charts(FollowUpIndicator.objects.get(pk=share.pk))
    assert "PDSA 1" in charts.control_svg
    assert selectors._cycle_marks(share, charts.measurements, list(share.cycles.all())) == [
        (2, "PDSA 1")
    ]


def test_a_cycle_cannot_end_before_it_starts(followed_case, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.cycle_save(
            case_id=followed_case.pk,
            actor=alice,
            data={
                "title": "x",
                "plan": "x",
                "started_on": date(2024, 3, 1),
                "finished_on": date(2024, 2, 1),
            },
        )
    assert not ImprovementCycle.objects.exists()


# --- Import -------------------------------------------------------------------------------------


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_the_template_names_the_cases_indicators_and_imports_once_filled_in(
    client, followed_case, alice, share, days
):
    from django.urls import reverse
    from django.utils import timezone

    client.force_login(alice)
    page = reverse("implementering:measurements_import", args=[followed_case.pk])
    template = reverse("implementering:measurements_template", args=[followed_case.pk])
    assert template in client.get(page).content.decode()
    response = client.get(template)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    today = timezone.localdate()
    quarter = f"{today.year} K{(today.month - 1) // 3 + 1}"
    assert lines[0] == "indikator;period;täljare;nämnare;värde;kommentar"
    assert {f"HSV-01;{today:%Y-%m};;;;", f"LOK-02;{quarter};;;;"} <= set(lines[1:])
    assert len(lines) == 1 + followed_case.followup_indicators.count()
    with pytest.raises(MeasurementImportError, match="Ingen rad har något värde"):
        import_measurements(
            case=followed_case, actor=alice, upload=upload("mall.csv", "\n".join(lines))
        )
    # Filled in for two indicators; the rows left empty are passed over.
    filled = "\n".join(
        line.replace(";;;;", ";40;50;;")
        if line.startswith("HSV-01")
        else line.replace(";;;;", ";;;12;")
        if line.startswith("LOK-02")
        else line
        for line in lines
    )
    report = import_measurements(case=followed_case, actor=alice, upload=upload("mall.csv", filled))
    assert (report.imported, report.rejected) == (2, [])


def test_one_measurement_imported_is_said_in_the_singular(followed_case, alice, share):
    import_measurements(
        case=followed_case,
        actor=alice,
        upload=upload("en.csv", "indikator;period;täljare;nämnare\nHSV-01;2024-01;4;5\n"),
    )
    assert followed_case.events.filter(message="1 mätvärde importerades från en.csv.").exists()


def test_a_csv_imports_every_row(followed_case, alice, share, days):
    report = import_measurements(
        case=followed_case,
        actor=alice,
        upload=upload(
            "matningar.csv",
            "indikator;period;täljare;nämnare;värde;kommentar\n"
            "HSV-01;2024-01;40;50;;\n"
            "HSV-01;2024-02;45;50;;ny rutin\n"
            "lok-02;2024 K1;;;38,5;\n",
        ),
    )
    assert (report.imported, report.rejected) == (3, [])
    assert list(share.measurements.values_list("numerator", "denominator", "note")) == [
        (40, 50, ""),
        (45, 50, "ny rutin"),
    ]
    assert days.measurements.get().value == Decimal("38.5")
    assert followed_case.events.filter(message__startswith="3 mätvärden importerades").exists()


def test_an_xlsx_imports_like_a_csv(followed_case, alice, share):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Indikator", "Period", "Täljare", "Nämnare"])
    sheet.append(["HSV-01", date(2024, 1, 1), 40, 50])
    sheet.append(["HSV-01", "2024-02", 41.0, 50])
    data = io.BytesIO()
    book.save(data)
    report = import_measurements(
        case=followed_case,
        actor=alice,
        upload=SimpleUploadedFile("matningar.xlsx", data.getvalue()),
    )
    assert report.imported == 2
    assert list(share.measurements.values_list("period_start", flat=True)) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]


@pytest.mark.parametrize(
    "header, values, message",
    [
        ("indikator;månad;täljare;nämnare", "HSV-01;2024-01;40;50", "Okända kolumner: ”månad”"),
        ("indikator;täljare;nämnare", "HSV-01;40;50", "ska ha kolumnerna indikator och period"),
        ("indikator;period;täljare", "HSV-01;2024-01;40", "ska ha kolumnerna indikator"),
        ("indikator;period;period;värde", "HSV-01;2024-01;2024-01;4", "finns två gånger"),
    ],
)
def test_a_file_with_wrong_columns_imports_nothing(
    followed_case, alice, share, header, values, message
):
    with pytest.raises(MeasurementImportError, match=message):
        import_measurements(
            case=followed_case,
            actor=alice,
            upload=upload("fel.csv", f"{header}\n{values}\n"),
        )
    assert not Measurement.objects.exists()


def test_a_file_that_is_not_csv_or_excel_imports_nothing(followed_case, alice, share):
    with pytest.raises(MeasurementImportError, match="CSV"):
        import_measurements(case=followed_case, actor=alice, upload=upload("data.pdf", "x"))


def test_bad_rows_are_reported_row_by_row_and_nothing_is_imported(
    followed_case, alice, share, days
):
    measure(followed_case, alice, share, date(2024, 5, 1), numerator=1, denominator=2)
    report = import_measurements(
        case=followed_case,
        actor=alice,
        upload=upload(
            "matningar.csv",
            "indikator,period,täljare,nämnare,värde\n"
            "HSV-01,2024-01,40,50,\n"  # 2: fine
            "HSV-01,2024-02,40,0,\n"  # 3: denominator zero
            "HSV-01,2024-03,60,50,\n"  # 4: numerator above denominator
            "HSV-01,2024-01,41,50,\n"  # 5: same period twice in the file
            "HSV-01,2024-05,1,2,\n"  # 6: period already measured
            "XYZ,2024-01,1,2,\n"  # 7: unknown indicator
            "HSV-01,jan 2024,1,2,\n"  # 8: not a period
            "HSV-01,2024-06,4.5,10,\n"  # 9: not a whole number
            "LOK-02,2024 K1,12,,\n"  # 10: a count for a value: the value missing
            "LOK-02,2024 K2,,,\n",  # 11: nothing measured (a template's row): passed over
        ),
    )
    assert report.imported == 0
    assert [number for number, _reason in report.rejected] == [3, 4, 5, 6, 7, 8, 9, 10]
    reasons = dict(report.rejected)
    assert reasons[3] == "Nämnaren kan inte vara noll."
    assert reasons[4] == "Täljaren (60) kan inte vara större än nämnaren (50)."
    assert reasons[5] == "HSV-01 2024-01 finns redan på rad 2."
    assert reasons[6] == "HSV-01 2024-05 har redan ett mätvärde i ärendet."
    assert reasons[7] == "Ärendet har ingen indikator med koden ”XYZ”."
    assert "är ingen period" in reasons[8]
    assert reasons[9] == "Täljaren ”4.5” är inget heltal."
    assert reasons[10] == "Ange ett värde."
    assert Measurement.objects.count() == 1  # only the one entered by hand before


def test_an_outsider_cannot_import(followed_case, bob, share):
    with pytest.raises(PermissionDenied):
        import_measurements(
            case=followed_case,
            actor=bob,
            upload=upload("m.csv", "indikator;period;täljare;nämnare\nHSV-01;2024-01;1;2\n"),
        )


# --- The report to management -----------------------------------------------------------------


def test_the_follow_up_report_is_a_pdf_with_the_control_chart(
    followed_case, alice, share, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    for month in range(1, 13):
        x = 60 if month <= 8 else 90  # p̄ = 0.7: a run of 8 below, then 0.9 > UCL 0.837
        measure(followed_case, alice, share, date(2024, month, 1), numerator=x, denominator=100)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.followup_report_request(case_id=followed_case.pk, actor=alice)
    document = Document.objects.get(pk=document.pk)
    assert document.status == "klar", document.failure_reason
    assert document.kind == "uppfoljning"
    text = "".join(page.extract_text() for page in PdfReader(document.file.path).pages)
    assert "Uppföljningsrapport" in text
    assert "HSV-01 Ekokardiografi inom 4 veckor" in text
    assert "Signaler på särskild orsak" in text


def test_the_follow_up_report_is_for_the_chair_or_the_strategist(followed_case, lars):
    with pytest.raises(PermissionDenied):
        services.followup_report_request(case_id=followed_case.pk, actor=lars)


@pytest.mark.parametrize(
    ("target", "direction", "error"),
    [
        ("0.8", "higher", "Målet anges i procent: 0,8 betyder 0,8 %. Menar du 80 %, skriv 80."),
        ("0.5", "lower", None),  # half a per cent of complications: a real goal
        ("80", "higher", None),
        ("120", "higher", "Målet för en andel anges i procent, 0–100."),
    ],
)
def test_a_share_target_written_as_a_fraction_is_questioned(target, direction, error):
    from implementering.forms import IndicatorForm

    form = IndicatorForm(
        {
            "code": "L-1",
            "name": "Andel uppföljda",
            "measure": "andel",
            "direction": direction,
            "period": "manad",
            "target": target,
        }
    )
    assert form.errors.get("target", [None]) == [error]
