"""Values that once broke the plan and follow-up pages for everyone, tried over HTTP.

Each ends in a Swedish message with nothing saved, and the pages keep answering 200.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.refusals import ActionRefused
from common.validators import LATEST_STORED
from implementering import services
from implementering.forms import parse_period
from implementering.models import Activity, Measurement, Milestone

from .conftest import activity_data


def url(name, case, *args):
    return reverse(f"implementering:{name}", args=[case.pk, *args])


def pages_answer(client, case, *indicators):
    for page in [url("followup", case), url("plan_detail", case)] + [
        url("indicator_detail", case, indicator.pk) for indicator in indicators
    ]:
        assert client.get(page).status_code == 200, page


HOSTILE_VALUES = ["1e309", "-1e300", "NaN", "Infinity", "1e20", "99999999999999999999", "1_000"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_an_imported_value_out_of_range_is_refused_on_its_row(
    client, followed_case, alice, days, value
):
    client.force_login(alice)
    csv = f"indikator;period;värde\nLOK-02;2024 K1;{value}\n".encode()

    response = client.post(
        url("measurements_import", followed_case),
        {"file": SimpleUploadedFile("m.csv", csv)},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "är inget tal" in content or "är för stort" in content
    assert not Measurement.objects.exists()
    pages_answer(client, followed_case, days)


@pytest.mark.parametrize("value", ["1e309", "NaN", "99999999999999999999", "1e20", "-1"])
def test_an_imported_count_out_of_range_is_refused_on_its_row(
    client, followed_case, alice, share, value
):
    client.force_login(alice)
    csv = f"indikator;period;täljare;nämnare\nHSV-01;2024-01;{value};50\n".encode()

    response = client.post(
        url("measurements_import", followed_case), {"file": SimpleUploadedFile("m.csv", csv)}
    )

    content = response.content.decode()
    assert "Täljaren" in content
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_measurement_form_refuses_values_out_of_range_next_to_the_field(
    client, followed_case, alice, days, value
):
    client.force_login(alice)

    response = client.post(
        url("indicator_detail", followed_case, days.pk), {"period": "2024 K1", "value": value}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    assert not Measurement.objects.exists()


NEXT_QUARTER = (timezone.localdate() + timedelta(days=100)).isoformat()


@pytest.mark.parametrize(
    "period, said",
    [
        ("0001-01-01", "Perioden 0001 K1 är för tidig; ange en period från 2000."),
        ("1999-12-31", "Perioden 1999 K4 är för tidig; ange en period från 2000."),
        ("9999-12-31", "Perioden 9999 K4 har inte börjat ännu"),
        (NEXT_QUARTER, "har inte börjat ännu; ett mätvärde gäller en period som har varit."),
    ],
)
def test_a_period_outside_plausible_dates_is_refused(
    client, followed_case, alice, days, period, said
):
    client.force_login(alice)

    response = client.post(
        url("indicator_detail", followed_case, days.pk), {"period": period, "value": "3"}
    )
    csv = f"indikator;period;värde\nLOK-02;{period};3\n".encode()
    imported = client.post(
        url("measurements_import", followed_case), {"file": SimpleUploadedFile("m.csv", csv)}
    )

    assert said in response.context["form"].errors["period"][0]
    assert said in imported.content.decode()
    with pytest.raises(ActionRefused, match=said.split(";")[0]):
        services.measurement_save(
            case_id=followed_case.pk,
            actor=alice,
            indicator_id=days.pk,
            period_start=parse_period(days.period, period),
            value=Decimal(3),
        )
    assert not Measurement.objects.exists()


def test_a_huge_csv_cell_a_nul_byte_and_utf16_get_a_message_not_a_500(
    client, followed_case, alice, days
):
    client.force_login(alice)
    cases = {
        "m.csv": b"indikator;period;v\xc3\xa4rde;kommentar\nLOK-02;2024 K1;3;" + b"x" * 200_000,
        "nul.csv": b"indikator;period;v\xc3\xa4rde\nLOK-02;2024 K1;3\x00\n",
    }
    for name, data in cases.items():
        response = client.post(
            url("measurements_import", followed_case), {"file": SimpleUploadedFile(name, data)}
        )
        assert response.status_code == 200
        assert "Rad 2, kolumn" in response.content.decode()

    utf16 = "indikator;period;värde;kommentar\nLOK-02;2024 K1;3;Ångest\n".encode("utf-16")
    response = client.post(
        url("measurements_import", followed_case), {"file": SimpleUploadedFile("u.csv", utf16)}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().note == "Ångest"


def test_a_note_that_does_not_fit_is_refused_not_cut(client, followed_case, alice, days):
    client.force_login(alice)
    csv = ("indikator;period;värde;kommentar\nLOK-02;2024 K1;3;" + "a" * 300 + "\n").encode()

    response = client.post(
        url("measurements_import", followed_case), {"file": SimpleUploadedFile("m.csv", csv)}
    )

    assert "Kommentaren har 300 tecken" in response.content.decode()
    assert not Measurement.objects.exists()


def test_measurement_imports_have_a_size_limit(client, followed_case, alice, days):
    client.force_login(alice)
    big = b"indikator;period;v\xc3\xa4rde\n" + b"LOK-02;2024 K1;3\n" * 400_000  # ~7 MB

    response = client.post(
        url("measurements_import", followed_case), {"file": SimpleUploadedFile("m.csv", big)}
    )

    assert "Filen är för stor" in response.content.decode()


def test_the_database_refuses_an_infinite_value_whatever_the_code_does(days):
    # SQLite answers with the CHECK constraint, PostgreSQL with numeric(14, 3) itself.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Measurement.objects.create(
            indicator=days, period_start=date(2024, 1, 1), value=Decimal("1e12")
        )


def test_the_largest_value_allowed_still_draws(client, followed_case, alice, days):
    services.measurement_save(
        case_id=followed_case.pk,
        actor=alice,
        indicator_id=days.pk,
        period_start=date(2024, 1, 1),
        value=Decimal("99999999999.999"),
    )
    services.measurement_save(
        case_id=followed_case.pk,
        actor=alice,
        indicator_id=days.pk,
        period_start=date(2024, 4, 1),
        value=Decimal("-99999999999.999"),
    )
    client.force_login(alice)
    pages_answer(client, followed_case, days)
    response = client.post(
        url("measurement_delete", followed_case, days.pk, Measurement.objects.first().pk),
        {"bekraftat": "1"},
    )
    assert response.status_code in (200, 302)


# --- The plan -----------------------------------------------------------------------------


@pytest.fixture
def plan(planning_case, alice):
    return services.plan_start(case_id=planning_case.pk, actor=alice)


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01"])
def test_an_activity_due_in_year_9999_is_refused_and_the_plan_page_stands(
    client, planning_case, plan, alice, due
):
    client.force_login(alice)
    response = client.post(
        url("activity_create", planning_case),
        {
            "title": "Utbilda",
            "principal": "region",
            "responsible": "VC",
            "start": "2025-01-01",
            "due": due,
            "status": "planerad",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due"]
    assert not Activity.objects.exists()
    assert client.get(url("plan_detail", planning_case)).status_code == 200


def test_a_milestone_in_year_9999_is_refused(client, planning_case, plan, alice):
    client.force_login(alice)
    response = client.post(
        url("part_create", planning_case, "milstolpar"), {"title": "Klart", "date": "9999-12-31"}
    )

    assert response.status_code == 200
    assert not Milestone.objects.exists()


def test_the_service_refuses_an_implausible_date_too(planning_case, plan, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.activity_save(
            case_id=planning_case.pk, actor=alice, data=activity_data(due=date(9999, 12, 31))
        )
    assert not Activity.objects.exists()


def test_the_latest_date_the_database_holds_still_draws_the_timeline(
    client, planning_case, plan, alice
):
    # Stored before the validators existed (the migration brings such rows to this bound).
    Activity.objects.create(plan=plan, **activity_data(due=LATEST_STORED))
    Milestone.objects.create(plan=plan, title="Långt bort", date=LATEST_STORED)
    client.force_login(alice)

    assert client.get(url("plan_detail", planning_case)).status_code == 200
