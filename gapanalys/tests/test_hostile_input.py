"""Hostile text and files in the gap analysis: nothing becomes a formula, no bomb goes off."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from common.models import PendingImport
from common.tabular import iter_formula_cells
from common.testing.zipbombs import bomb
from gapanalys import services
from gapanalys.models import GapRow

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def url(name, analysis, *args):
    return reverse(f"gapanalys:{name}", args=[analysis.case_id, *args])


def rows(analysis):
    return list(analysis.rows.select_related("recommendation").order_by("recommendation__number"))


@pytest.fixture
def hostile_analysis(analysis, lars):
    """Every formula-like text typed into rows and imported as recommendation texts."""
    all_rows = rows(analysis)
    for row, text in zip(all_rows, HOSTILE, strict=False):
        services.row_save(
            row_id=row.pk,
            actor=lars,
            version=row.version,
            data={"current_state": "delvis", "proposal": text, "today_practice": text},
        )
    first = all_rows[0].recommendation
    first.text = "=cmd|' /C calc'!A0"
    first.save()
    return analysis


def test_no_exported_cell_is_a_formula_that_came_from_user_text(client, hostile_analysis, sara):
    client.force_login(sara)
    response = client.get(url("gap_export", hostile_analysis))

    assert response.status_code == 200
    assert list(iter_formula_cells(response.content)) == []
    sheet = load_workbook(io.BytesIO(response.content))["Gap-analys"]
    texts = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    # Shown as typed (the row form trims the leading tab or carriage return), as text.
    assert {text.strip() for text in HOSTILE} <= texts
    assert "=cmd|' /C calc'!A0" in texts


def test_the_export_round_trips_formula_like_text_unchanged(client, hostile_analysis, lars):
    client.force_login(lars)
    exported = client.get(url("gap_export", hostile_analysis)).content

    response = client.post(
        url("gap_import", hostile_analysis),
        {"step": "preview", "file": SimpleUploadedFile("gap.xlsx", exported)},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "formel" not in content  # text written by the product is not taken for a formula
    assert "kunde inte läsas" not in content
    assert "Filen innehåller inga ändringar" in content


def test_a_real_formula_in_an_edited_sheet_is_reported_on_its_row(client, analysis, lars, sara):
    client.force_login(sara)
    workbook = load_workbook(io.BytesIO(client.get(url("gap_export", analysis)).content))
    workbook["Gap-analys"]["H3"] = '=HYPERLINK("http://x","y")'
    buffer = io.BytesIO()
    workbook.save(buffer)

    client.force_login(lars)
    response = client.post(
        url("gap_import", analysis),
        {"step": "preview", "file": SimpleUploadedFile("gap.xlsx", buffer.getvalue())},
    )

    assert "Förbättringsförslag innehåller en formel" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("lie", [False, True])
def test_an_xlsx_bomb_is_refused_quickly_and_nothing_is_kept(client, analysis, lars, lie):
    client.force_login(lars)
    data = bomb("xlsx", inflated=200 * 1024 * 1024, lie=lie)
    assert len(data) < 1024 * 1024

    response = client.post(
        url("gap_import", analysis),
        {"step": "preview", "file": SimpleUploadedFile("gap.xlsx", data)},
    )

    assert response.status_code == 200
    assert "zip-bomb" in response.content.decode()
    assert len(response.content) < 200_000  # the page, not the bomb's content
    assert not PendingImport.objects.exists()
    assert not any(k.startswith("gapanalys_import_") for k in client.session.keys())


def test_the_session_holds_only_an_id_and_the_preview_waits_on_the_server(
    client, analysis, lars, sara
):
    client.force_login(sara)
    workbook = load_workbook(io.BytesIO(client.get(url("gap_export", analysis)).content))
    workbook["Gap-analys"]["H2"] = "Lång text " * 900
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(lars)

    client.post(
        url("gap_import", analysis),
        {"step": "preview", "file": SimpleUploadedFile("gap.xlsx", buffer.getvalue())},
    )

    stored = client.session[f"gapanalys_import_{analysis.pk}"]
    assert isinstance(stored, str) and len(stored) == 36  # a UUID, not the changes
    pending = PendingImport.objects.get()
    assert pending.owner == lars and pending.target_id == analysis.pk
    # Someone else cannot confirm it with a copied id.
    client.force_login(sara)
    session = client.session
    session[f"gapanalys_import_{analysis.pk}"] = stored
    session.save()
    client.post(url("gap_import", analysis), {"step": "confirm"})
    assert PendingImport.objects.exists()

    client.force_login(lars)
    session = client.session
    session[f"gapanalys_import_{analysis.pk}"] = stored
    session.save()
    response = client.post(url("gap_import", analysis), {"step": "confirm"})
    assert response.status_code == 302
    assert GapRow.objects.get(pk=rows(analysis)[0].pk).proposal.startswith("Lång text")
    assert not PendingImport.objects.exists()


def test_a_row_text_too_long_for_a_spreadsheet_cell_is_refused_by_the_form(client, analysis, lars):
    row = rows(analysis)[0]
    client.force_login(lars)

    response = client.post(
        url("gap_row_edit", analysis, row.pk),
        {"version": row.version, "current_state": "delvis", "proposal": "x" * 10_001},
    )

    assert response.status_code == 200
    assert "högst 10000 tecken" in response.content.decode().replace("\xa0", "")
    assert GapRow.objects.get(pk=row.pk).proposal == ""
