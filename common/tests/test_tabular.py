"""The one module that reads uploads and writes spreadsheets, against hostile files."""

import codecs
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from common import tabular
from common.tabular import TableRefused, append_row, read_table, workbook_bytes
from common.testing.zipbombs import bomb

MB = 1024 * 1024


def upload(name, data):
    return SimpleUploadedFile(name, data)


def read(name, data, **kwargs):
    kwargs.setdefault("max_bytes", 5 * MB)
    kwargs.setdefault("max_rows", 100)
    return read_table(upload(name, data), **kwargs)


def xlsx(rows, title="Blad"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


# --- Writing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1+1"],
)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    workbook = Workbook()
    append_row(workbook.active, ["vanlig", text, 3])
    data = workbook_bytes(workbook)

    assert list(tabular.iter_formula_cells(data)) == []
    cell = load_workbook(io.BytesIO(data)).active["B1"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text when someone edits the cell.


def test_numbers_and_plain_text_are_written_as_they_are():
    workbook = Workbook()
    append_row(workbook.active, ["Hjärtsvikt", 12, 1.5, None])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active

    assert [cell.value for cell in sheet[1]] == ["Hjärtsvikt", 12, 1.5]
    assert not sheet["A1"].quotePrefix


# --- Reading CSV --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("UTF-8", "nr;text\n1;Ångest hos äldre\n".encode()),
        ("UTF-8", codecs.BOM_UTF8 + "nr;text\n1;Ångest hos äldre\n".encode()),
        ("UTF-16", "nr;text\n1;Ångest hos äldre\n".encode("utf-16")),
        ("UTF-16", "nr;text\n1;Ångest hos äldre\n".encode("utf-16-le")),
        ("Windows-1252", "nr;text\n1;Ångest hos äldre\n".encode("cp1252")),
    ],
)
def test_csv_files_in_the_encodings_excel_writes_are_read(encoding, data):
    table = read("fil.csv", data)

    assert table.encoding == encoding
    assert table.body[0].cells == ("1", "Ångest hos äldre")


def test_a_csv_in_no_known_encoding_names_what_was_tried():
    with pytest.raises(TableRefused) as refused:
        read("fil.csv", b"nr;text\n1;\x81\x8d\x90\xff\xfe\n")

    assert "UTF-8" in refused.value.message
    assert "Windows-1252" in refused.value.message


def test_a_nul_byte_is_refused_with_its_row_and_column():
    with pytest.raises(TableRefused) as refused:
        read("fil.csv", b"nr;text\n1;ok\n2;a\x00b\n")

    assert "Rad 3, kolumn B" in refused.value.message
    assert "NUL" in refused.value.message


def test_an_over_long_cell_is_refused_with_its_row_and_column():
    with pytest.raises(TableRefused) as refused:
        read("fil.csv", b"nr;text\n1;" + b"x" * 200_000 + b"\n")

    assert "Rad 2" in refused.value.message
    assert "10000" in refused.value.message.replace("\xa0", "").replace(" ", "")


def test_reading_stops_at_the_row_limit():
    data = b"nr;text\n" + b"".join(b"%d;rad\n" % n for n in range(100_000))

    with pytest.raises(TableRefused) as refused:
        read("fil.csv", data, max_rows=50)

    assert "fler än 50 rader" in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read although too large")

    with pytest.raises(TableRefused) as refused:
        read_table(Unreadable("fil.csv", b"x" * 2000), max_bytes=1000, max_rows=10)

    assert "för stor" in refused.value.message


def test_a_file_of_another_kind_is_refused():
    with pytest.raises(TableRefused):
        read("fil.exe", b"MZ\x90\x00")
    with pytest.raises(TableRefused) as refused:
        read("fil.csv", b"x", formats=("xlsx",))
    assert "Excelfil" in refused.value.message


# --- Reading XLSX -------------------------------------------------------------------------


def test_xlsx_cells_are_text_and_formulas_are_marked():
    data = xlsx([["nr", "text"], [1, "=1+1"], [2.0, "Hjärta"], [1.5, None]])

    table = read("fil.xlsx", data)

    assert [row.cells for row in table.body] == [("1", "=1+1"), ("2", "Hjärta"), ("1.5", "")]
    assert table.body[0].is_formula(1)
    assert not table.body[1].formulas


def test_text_written_by_the_product_comes_back_as_text_not_formula():
    workbook = Workbook()
    append_row(workbook.active, ["nr", "text"])
    append_row(workbook.active, [1, "=HYPERLINK(1)"])

    table = read("fil.xlsx", workbook_bytes(workbook))

    assert table.body[0].cells == ("1", "=HYPERLINK(1)")
    assert not table.body[0].formulas


def test_an_xlsx_zip_bomb_is_refused_by_its_directory():
    with pytest.raises(TableRefused) as refused:
        read("bomb.xlsx", bomb("xlsx", inflated=200 * MB))

    assert "zip-bomb" in refused.value.message


def test_an_xlsx_that_lies_about_its_size_is_refused_before_openpyxl_reads_it():
    with pytest.raises(TableRefused) as refused:
        read("bomb.xlsx", bomb("xlsx", inflated=200 * MB, lie=True))

    assert "mer än den uppger" in refused.value.message


def test_a_broken_xlsx_is_refused_with_a_message():
    with pytest.raises(TableRefused) as refused:
        read("trasig.xlsx", b"PK\x03\x04" + b"\x00" * 100)

    assert "gick inte att läsa" in refused.value.message


def test_extra_sheets_are_read_when_present():
    workbook = Workbook()
    workbook.active.title = "Data"
    append_row(workbook.active, ["nr"])
    append_row(workbook.create_sheet("Om filen"), ["Diarienummer", "RJH 2026-1"])

    table = read("fil.xlsx", workbook_bytes(workbook), sheet="Data", extra_sheets=["Om filen"])

    assert table.extra["Om filen"][0].cells == ("Diarienummer", "RJH 2026-1")
