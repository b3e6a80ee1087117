"""Hostile files and values in the catalogue and the decisions: a message, never a 500."""

import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from common.testing.zipbombs import bomb
from kunskapsstyrning import services
from kunskapsstyrning.models import Case, Decision, KnowledgeSupport, Recommendation, State
from kunskapsstyrning.services import ActionRefused
from kunskapsstyrning.tests.helpers import walk_to


@pytest.fixture
def empty_support(db):
    return KnowledgeSupport.objects.create(title="Tomt stöd", version="1.0")


def post_import(client, support, name, data):
    return client.post(
        reverse("kunskapsstyrning:recommendations_import", args=[support.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("rek.csv", b"nummer;text\n1;a\x00b\n", "Rad 2, kolumn B innehåller ett NUL-tecken"),
        ("rek.csv", b"nummer;text\n1;" + b"x" * 200_000 + b"\n", "Rad 2, kolumn B har 200"),
        ("rek.csv", b"nummer;text\n1.5;En och en halv\n", "inte ett heltal"),
        ("rek.csv", b"nummer;text\n1e3;Tusen\n", "inte ett heltal"),
        ("rek.csv", b"nummer;text\n99999999999999999999;Stort\n", "inte ett heltal"),
        ("rek.csv", b"nummer;text\n1;\x81\x8d\x90\n", "Windows-1252"),
        ("rek.xlsx", bomb("xlsx", inflated=200 * 1024 * 1024), "zip-bomb"),
        ("rek.xlsx", bomb("xlsx", inflated=200 * 1024 * 1024, lie=True), "zip-bomb"),
        ("rek.csv", b"nummer;text\n" + b"1;x\n" * 1_500_000, "Filen är för stor"),
    ],
)
def test_a_hostile_recommendation_file_gets_a_swedish_message(
    client, sara, empty_support, name, data, message
):
    client.force_login(sara)

    response = post_import(client, empty_support, name, data)

    assert response.status_code == 200
    assert message in response.content.decode().replace("\xa0", "")
    assert not Recommendation.objects.exists()


def test_a_utf16_csv_is_read_with_its_swedish_letters(client, sara, empty_support):
    client.force_login(sara)
    data = "nummer;rekommendation\n1;Ångest hos äldre\n".encode("utf-16")

    response = post_import(client, empty_support, "rek.csv", data)

    assert response.status_code == 302
    assert Recommendation.objects.get().text == "Ångest hos äldre"


def test_a_formula_cell_is_refused_and_formula_like_text_is_kept_as_text(
    client, sara, empty_support
):
    workbook = Workbook()
    workbook.active.append(["nummer", "rekommendation"])
    workbook.active.append([1, '=HYPERLINK("http://x","y")'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(sara)

    response = post_import(client, empty_support, "rek.xlsx", buffer.getvalue())
    assert "formel" in response.content.decode()
    assert not Recommendation.objects.exists()

    # Typed as text in a CSV it is text, and every export keeps it text (see gapanalys).
    response = post_import(client, empty_support, "rek.csv", b"nummer;text\n1;@SUM(A1)\n")
    assert response.status_code == 302
    assert Recommendation.objects.get().text == "@SUM(A1)"


def test_reading_stops_at_the_row_limit_without_reading_a_large_file_whole(
    client, sara, empty_support
):
    client.force_login(sara)
    data = b"nummer;text\n" + b"".join(b"%d;r\n" % n for n in range(1, 100_001))  # ~0.9 MB

    started = time.perf_counter()
    response = post_import(client, empty_support, "rek.csv", data)

    assert "fler än 2000 rader" in response.content.decode()
    # Not a speed goal (those live in make bench): it shows the reading stopped early; the
    # whole file took 13 s before.
    assert time.perf_counter() - started < 5
    assert not Recommendation.objects.exists()


# --- Decisions ----------------------------------------------------------------------------


@pytest.mark.parametrize("decided_on", [date(1, 1, 1), date(9999, 12, 31), date(1999, 12, 31)])
def test_a_decision_dated_outside_plausible_dates_is_refused(
    make_case, alice, maja, decided_on, client
):
    case = walk_to(make_case("remiss"), State.BP1)

    with pytest.raises(ActionRefused):
        services.case_decide(
            case_id=case.pk,
            actor=maja,
            point="BP1",
            outcome="bifall",
            decided_on=decided_on,
            motivation="Viktigt.",
        )
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).state == State.BP1

    client.force_login(maja)
    response = client.post(
        reverse("kunskapsstyrning:case_decide", args=[case.pk]),
        {
            "outcome": "bifall",
            "decided_on": decided_on.isoformat().rjust(10, "0"),
            "motivation": "Viktigt.",
            "step": "review",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"]
    assert not Decision.objects.exists()
