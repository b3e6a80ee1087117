"""Property-based tests (Hypothesis) of every import and of the numeric and date fields.

Whatever a person types or uploads, the product answers with success or a Swedish message:
never a 500, never half of it saved, never a stored value that a page cannot show. They run
on SQLite locally and on PostgreSQL in CI, where NUL bytes and huge numbers behave otherwise.
Each example runs in a savepoint that is rolled back, so examples do not see each other.
"""

import csv
import io
import string
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.tabular import TableRefused, read_table
from common.validators import EARLIEST, LATEST_STORED, parse_decimal, parse_whole
from implementering import services as plan_services
from implementering.models import Activity, Measurement, Period
from kunskapsstyrning.models import Case, Decision, KnowledgeSupport, Recommendation, State
from kunskapsstyrning.tests.helpers import walk_to

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SWEDISH = (
    "Okända",
    "Ange",
    "är inget",
    "är för",
    "kan inte",
    "Rad ",
    "rader",
    "Filen",
    "finns",
    "Välj",
)

# Numbers as people and spreadsheets write them, and as attackers do.
number_texts = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e309", "-1e300", "NaN", "inf", "1_000", "١٢", "12,5", " 3 ", "", "−4"]),
    st.text(alphabet=string.digits + ".,eE+-_ \x00", max_size=30),
)
# Cell text: anything, including NUL, control characters, formulas and very long strings.
cell_texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "\x00", "a;b", '"']),
    st.integers(min_value=10_001, max_value=12_000).map(lambda n: "x" * n),
)
any_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@contextmanager
def rolled_back():
    """One example's changes, undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def as_csv(rows):
    """Rows written the way Excel writes a Swedish CSV (semicolons, quotes where needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue()


def swedish(message):
    return any(word in message for word in SWEDISH)


# --- Parsing numbers ----------------------------------------------------------------------


@given(text=number_texts)
@FUZZ
def test_a_decimal_is_finite_and_fits_its_field_or_refused_in_swedish(text):
    try:
        value = parse_decimal(text, label="Värdet", max_digits=14, decimal_places=3)
    except ValueError as exc:
        assert swedish(str(exc)), exc
        return
    if value is not None:
        assert value.is_finite()
        assert abs(value) < Decimal(10) ** 11
        assert value.as_tuple().exponent >= -3


@given(text=number_texts)
@FUZZ
def test_a_whole_number_fits_a_positive_integer_field_or_is_refused(text):
    try:
        value = parse_whole(text, label="Täljaren")
    except ValueError as exc:
        assert swedish(str(exc)), exc
        return
    assert value is None or 0 <= value <= 2_147_483_647


# --- Reading any bytes --------------------------------------------------------------------


@given(data=st.binary(max_size=3000), kind=st.sampled_from(["csv", "xlsx"]))
@FUZZ
def test_any_bytes_are_read_or_refused_with_a_message(data, kind):
    if kind == "xlsx" and data[:1]:
        data = b"PK\x03\x04" + data  # make it look like a ZIP so the package is inspected
    try:
        table = read_table(SimpleUploadedFile(f"fil.{kind}", data), max_bytes=100_000, max_rows=50)
    except TableRefused as exc:
        assert swedish(exc.message), exc.message
        return
    assert len(table.body) <= 50
    for row in table.rows:
        assert all("\x00" not in cell and len(cell) <= 10_000 for cell in row.cells)


# --- The imports, end to end --------------------------------------------------------------


@pytest.fixture
def followed(make_case, alice, maja):
    case = make_case("uppfoljning")
    indicator = plan_services.indicator_save(
        case_id=case.pk,
        actor=alice,
        data={
            "code": "LOK",
            "name": "Tid",
            "measure": "varde",
            "unit": "dagar",
            "direction": "lower",
            "period": Period.MONTH,
        },
    )
    return case, indicator


@given(
    rows=st.lists(
        st.tuples(
            number_texts, st.sampled_from(["2024-01", "2024-02", "0001-01", "9999-12"]), cell_texts
        ),
        min_size=1,
        max_size=4,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
@FUZZ
def test_the_measurement_import_saves_all_or_nothing_and_the_pages_stand(
    client, alice, followed, rows, encoding
):
    case, indicator = followed
    client.force_login(alice)
    data = as_csv(
        [["indikator", "period", "värde", "kommentar"]]
        + [["LOK", period, value, note] for value, period, note in rows]
    ).encode(encoding, errors="replace")
    with rolled_back():
        response = client.post(
            reverse("implementering:measurements_import", args=[case.pk]),
            {"file": SimpleUploadedFile("m.csv", data)},
        )
        assert response.status_code in (200, 302)
        stored = list(Measurement.objects.filter(indicator=indicator))
        if response.status_code == 200:
            assert stored == []  # refused: nothing half-way
            assert swedish(response.content.decode())
        else:
            assert len(stored) == len({period for _v, period, _n in rows})
        for measurement in stored:
            assert measurement.value.is_finite() and abs(measurement.value) < 10**11
            assert EARLIEST <= measurement.period_start <= LATEST_STORED
        for name, args in (
            ("followup", [case.pk]),
            ("indicator_detail", [case.pk, indicator.pk]),
        ):
            assert client.get(reverse(f"implementering:{name}", args=args)).status_code == 200


@given(
    rows=st.lists(st.tuples(number_texts, cell_texts), min_size=1, max_size=4),
    kind=st.sampled_from(["csv", "xlsx"]),
)
@FUZZ
def test_the_recommendation_import_saves_all_or_nothing(client, sara, rows, kind):
    from openpyxl import Workbook

    support = KnowledgeSupport.objects.get_or_create(title="Fuzz", version="1")[0]
    client.force_login(sara)
    if kind == "csv":
        data = as_csv([["nummer", "rekommendation"], *map(list, rows)]).encode("utf-8")
    else:
        workbook = Workbook()
        workbook.active.append(["nummer", "rekommendation"])
        for number, text in rows:
            try:
                workbook.active.append([number, text])
            except Exception:  # openpyxl refuses control characters itself: not our file
                return
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    with rolled_back():
        response = client.post(
            reverse("kunskapsstyrning:recommendations_import", args=[support.pk]),
            {"file": SimpleUploadedFile(f"r.{kind}", data)},
        )
        assert response.status_code in (200, 302)
        saved = Recommendation.objects.filter(knowledge_support=support).count()
        if response.status_code == 200:
            assert saved == 0
        else:  # every row that has something in it (an empty line is no row)
            assert saved == len([row for row in rows if any(cell.strip() for cell in row)])
        assert (
            client.get(reverse("kunskapsstyrning:support_detail", args=[support.pk])).status_code
            == 200
        )


# --- Forms with numbers and dates ---------------------------------------------------------


@given(value=number_texts, period=st.one_of(any_dates.map(date.isoformat), st.text(max_size=12)))
@FUZZ
def test_the_measurement_form_answers_with_a_message_or_saves_a_drawable_value(
    client, alice, followed, value, period
):
    case, indicator = followed
    client.force_login(alice)
    with rolled_back():
        response = client.post(
            reverse("implementering:indicator_detail", args=[case.pk, indicator.pk]),
            {"period": period, "value": value},
        )
        assert response.status_code in (200, 302)
        stored = list(Measurement.objects.filter(indicator=indicator))
        assert len(stored) == (1 if response.status_code == 302 else 0)
        for measurement in stored:
            assert measurement.value.is_finite()
        assert client.get(reverse("implementering:followup", args=[case.pk])).status_code == 200


@pytest.fixture
def planning(make_case, alice, maja):
    case = make_case("planering")
    plan_services.plan_start(case_id=case.pk, actor=alice)
    return case


@given(start=any_dates, due=any_dates)
@FUZZ
def test_an_activity_is_saved_only_with_plausible_dates_and_the_plan_page_stands(
    client, alice, planning, start, due
):
    client.force_login(alice)
    with rolled_back():
        response = client.post(
            reverse("implementering:activity_create", args=[planning.pk]),
            {
                "title": "Utbilda",
                "principal": "region",
                "responsible": "VC",
                "start": start.isoformat().rjust(10, "0"),
                "due": due.isoformat().rjust(10, "0"),
                "status": "planerad",
            },
        )
        assert response.status_code in (200, 302)
        saved = Activity.objects.filter(plan__case=planning).count()
        plausible = EARLIEST <= start <= due <= date(date.today().year + 30, 12, 31)
        assert saved == (1 if plausible else 0)
        assert response.status_code == (302 if plausible else 200)
        assert (
            client.get(reverse("implementering:plan_detail", args=[planning.pk])).status_code == 200
        )


@pytest.fixture
def at_bp1(make_case, alice, maja):
    return walk_to(make_case("remiss"), State.BP1)


@given(decided_on=any_dates)
@FUZZ
def test_a_decision_is_recorded_only_with_a_plausible_date(client, maja, at_bp1, decided_on):
    client.force_login(maja)
    with rolled_back():
        response = client.post(
            reverse("kunskapsstyrning:case_decide", args=[at_bp1.pk]),
            {
                "outcome": "bifall",
                "decided_on": decided_on.isoformat().rjust(10, "0"),
                "motivation": "Viktigt.",
                "step": "confirm",
            },
        )
        assert response.status_code in (200, 302)
        recorded = Decision.objects.filter(case=at_bp1).exists()
        # The validator's own bound (a year ahead); replace(year=…) would fail on 29 February.
        plausible = EARLIEST <= decided_on <= date.today() + timedelta(days=366)
        if not plausible:
            assert not recorded
            assert Case.objects.get(pk=at_bp1.pk).state == State.BP1
