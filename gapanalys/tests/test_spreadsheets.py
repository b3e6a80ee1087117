"""Export → edit in Excel → import, on real .xlsx files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from gapanalys import services
from gapanalys.selectors import table_rows
from gapanalys.spreadsheets import (
    COLUMNS,
    SpreadsheetRefused,
    export_workbook,
    read_workbook,
)

pytestmark = pytest.mark.django_db

HEADERS = [header for _key, header, _width in COLUMNS]


def exported(analysis):
    data = export_workbook(analysis, table_rows(analysis))
    return load_workbook(io.BytesIO(data))


def upload(workbook, name="gap.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def column(name):
    return HEADERS.index(name) + 1


def test_the_export_has_one_row_per_recommendation_with_lists_to_choose_from(analysis, lars):
    row = analysis.rows.order_by("recommendation__number").first()
    services.row_save(
        row_id=row.pk,
        actor=lars,
        version=1,
        data={"current_state": "delvis", "principal": "kommun", "priority": 1},
    )
    sheet = exported(analysis)["Gap-analys"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 6
    assert sheet.cell(2, column("Nr")).value == 1
    assert sheet.cell(2, column("Nuläge")).value == "Delvis"
    assert sheet.cell(2, column("Ansvarig huvudman")).value == "Kommun"
    assert sheet.cell(2, column("Prioritet")).value == "Hög"
    assert sheet.freeze_panes == "C2"
    validations = sheet.data_validations.dataValidation
    assert any('"Gör vi,Delvis,Gör vi inte,Ej aktuellt"' == v.formula1 for v in validations)


def test_round_trip_export_edit_import(analysis, lars):
    workbook = exported(analysis)
    sheet = workbook["Gap-analys"]
    sheet.cell(2, column("Nuläge")).value = "Gör vi inte"
    sheet.cell(2, column("Förbättringsförslag")).value = "Inför en gemensam rutin."
    sheet.cell(2, column("Ansvarig huvudman")).value = "gemensam"
    sheet.cell(2, column("Prioritet")).value = "Medel"
    sheet.cell(3, column("Nuläge")).value = "gör vi"  # case does not matter
    sheet.cell(4, column("Nära vård")).value = "Uppföljning i hemmet."
    # Grey columns are not read: a changed recommendation text changes nothing.
    sheet.cell(5, column("Rekommendation")).value = "Ändrad text"

    preview = read_workbook(analysis, upload(workbook))
    assert preview.ok
    assert [c.number for c in preview.changes] == [1, 2, 3]
    assert preview.unchanged == 2
    assert preview.changes[0].data == {
        "current_state": "gor_vi_inte",
        "proposal": "Inför en gemensam rutin.",
        "principal": "gemensam",
        "priority": 2,
    }

    count = services.import_apply(
        analysis_id=analysis.pk,
        actor=lars,
        changes=[c.for_confirmation() for c in preview.changes],
    )
    assert count == 3
    rows = {r.recommendation.number: r for r in analysis.rows.select_related("recommendation")}
    assert rows[1].current_state == "gor_vi_inte" and rows[1].priority == 2
    assert rows[1].proposal == "Inför en gemensam rutin." and rows[1].version == 2
    assert rows[2].current_state == "gor_vi"
    assert rows[3].consequence_close_care == "Uppföljning i hemmet."
    assert rows[4].recommendation.text != "Ändrad text"

    # Reading the same file again finds nothing to change.
    again = read_workbook(analysis, upload(workbook))
    assert not again.changes and not again.rejected


def test_a_file_that_is_not_excel_imports_nothing(analysis):
    with pytest.raises(SpreadsheetRefused) as refused:
        read_workbook(analysis, SimpleUploadedFile("gap.xlsx", b"inte en arbetsbok"))
    assert "Excel" in refused.value.message
    with pytest.raises(SpreadsheetRefused):
        read_workbook(analysis, SimpleUploadedFile("gap.csv", b"Nr;Nul\xc3\xa4ge\n1;Delvis\n"))


def test_unknown_numbers_wrong_values_and_formulas_are_reported_and_nothing_changes(analysis):
    workbook = exported(analysis)
    sheet = workbook["Gap-analys"]
    sheet.cell(2, column("Nuläge")).value = "Kanske"
    sheet.cell(3, column("Förbättringsförslag")).value = "=A1&B1"
    sheet.cell(4, column("Prioritet")).value = "Jätteviktig"
    sheet.cell(5, column("Förbättringsförslag")).value = "Bra förslag"  # a good row
    sheet.append([99, "", "", "Delvis"])
    sheet.append(["sju", "", "", "Delvis"])
    sheet.append([1, "", "", "Gör vi"])  # the same recommendation twice

    preview = read_workbook(analysis, upload(workbook))
    assert not preview.ok
    reasons = {line: reason for line, _number, reason in preview.rejected}
    assert "Nuläge ”Kanske” finns inte" in reasons[2]
    assert "formel" in reasons[3]
    assert "Prioritet ”Jätteviktig” finns inte" in reasons[4]
    assert "Rekommendation 99 finns inte" in reasons[7]
    assert "inte ett rekommendationsnummer" in reasons[8]
    assert "finns redan på rad 2" in reasons[9]
    assert not analysis.rows.exclude(proposal="").exists()


def test_ten_thousand_rows_are_refused_as_a_whole(analysis):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Gap-analys"
    sheet.append(["Nr", "Nuläge"])
    for i in range(10_000):
        sheet.append([i + 1, "Delvis"])
    with pytest.raises(SpreadsheetRefused) as refused:
        read_workbook(analysis, upload(workbook))
    assert "fler än 1000 rader" in refused.value.message


def test_a_file_without_the_number_column_is_refused(analysis):
    workbook = Workbook()
    workbook.active.append(["Rekommendation", "Nuläge"])
    with pytest.raises(SpreadsheetRefused) as refused:
        read_workbook(analysis, upload(workbook))
    assert "Nr" in refused.value.message


def test_a_file_exported_from_another_case_is_refused(analysis):
    workbook = exported(analysis)
    workbook["Om filen"]["B1"] = "RN 1999/0001"
    with pytest.raises(SpreadsheetRefused) as refused:
        read_workbook(analysis, upload(workbook))
    assert "RN 1999/0001" in refused.value.message


def test_a_row_changed_in_the_service_since_the_export_is_not_overwritten(analysis, lars):
    workbook = exported(analysis)
    row = analysis.rows.order_by("recommendation__number").first()
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"proposal": "Nyare i tjänsten"})
    workbook["Gap-analys"].cell(2, column("Förbättringsförslag")).value = "Gammal idé"
    preview = read_workbook(analysis, upload(workbook))
    assert [(line, n) for line, n, _reason in preview.rejected] == [(2, 1)]
    assert "ändrats i tjänsten" in preview.rejected[0][2]


def test_a_hand_made_sheet_with_only_some_columns_imports_those(analysis):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nr", "NULÄGE"])
    sheet.append([3.0, "Ej aktuellt"])
    preview = read_workbook(analysis, upload(workbook))
    assert preview.ok
    assert [(c.number, c.data) for c in preview.changes] == [(3, {"current_state": "ej_aktuellt"})]
