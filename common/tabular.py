"""Every spreadsheet and CSV file the product reads or writes goes through this module.

Reading is defensive because the files come from people's desktops and, now and then, from
someone who means harm: the size is checked before anything is read; an .xlsx (a ZIP package)
is judged by its directory — how many entries, how large each says it is, how hard it is
compressed — and then each entry is inflated in small pieces to prove it is no larger than it
says, before openpyxl sees it; CSV text is decoded by its byte order mark, then as UTF-8, then
as Windows-1252, with a message that names what was tried; rows are counted while they are
read and the reading stops at the limit; NUL bytes, over-long cells and formulas are reported
with their row and column. A `TableRefused` means the file as a whole cannot be used.

Writing neutralises text that a spreadsheet program would take for a formula (`= + - @`, a
tab or a carriage return first): the cell is stored as text with Excel's quote prefix, so it
is shown as typed and stays text when someone edits it.
"""

from __future__ import annotations

import codecs
import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.validators import MAX_TEXT_IN_A_CELL

# A cell longer than this is refused: the same limit as a gap row's texts
# (common.validators.MAX_TEXT_IN_A_CELL), so whatever is exported can be read back.
MAX_CELL_CHARS = MAX_TEXT_IN_A_CELL

# ZIP packages (.xlsx): what a workbook of ours can plausibly hold. The largest real one, a
# 300-row gap analysis with every text filled in, is about 3 MB inflated in 12 entries.
MAX_ZIP_ENTRIES = 500
MAX_ZIP_ENTRY_BYTES = 25 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 40 * 1024 * 1024
# Compression ratio above which an entry larger than ZIP_RATIO_FLOOR is taken for a bomb.
# XML from Excel compresses 5-20 times; a bomb compresses hundreds or thousands of times.
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
_INFLATE_CHUNK = 64 * 1024

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# csv refuses fields over its own limit (128 kB) with an English error; let it read any field
# a file within our size limits can hold, so that an over-long cell is reported in Swedish
# with its row and column like every other problem.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


class TableRefused(Exception):
    """The file as a whole cannot be used; nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One non-empty line of a sheet: its number in the file and its cells as text."""

    line: int
    cells: tuple[str, ...]
    formulas: frozenset[int] = frozenset()  # indexes of cells that hold a formula

    def cell(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    def is_formula(self, index: int) -> bool:
        return index in self.formulas


@dataclass
class Table:
    """The rows of the sheet that was read (header first), and of any extra sheets asked for."""

    rows: list[Row]
    extra: dict[str, list[Row]] = field(default_factory=dict)
    encoding: str = ""

    @property
    def header(self) -> Row | None:
        return self.rows[0] if self.rows else None

    @property
    def body(self) -> list[Row]:
        return self.rows[1:]


def column_name(index: int) -> str:
    """A column as a spreadsheet names it: 0 → A, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


# --- Reading ------------------------------------------------------------------------------


def read_table(
    upload,
    *,
    max_bytes: int,
    max_rows: int,
    formats: Iterable[str] = ("csv", "xlsx"),
    sheet: str | None = None,
    extra_sheets: Iterable[str] = (),
    max_cell_chars: int = MAX_CELL_CHARS,
) -> Table:
    """Read an uploaded .csv or .xlsx: header plus at most `max_rows` rows, or refuse it.

    `sheet` names the worksheet to read (the first one when it is missing); `extra_sheets`
    are read too when present (at most `max_rows` rows each).
    """
    formats = tuple(formats)
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in formats:
        raise TableRefused(_wrong_format(formats))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise TableRefused(_("Filen är tom. Inget lästes in."))
    if size > max_bytes:
        raise TableRefused(
            _("Filen är för stor (%(size)s); högst %(max)s går att läsa in. Inget lästes in.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    if extension == "csv":
        return _read_csv(upload.read(max_bytes + 1), max_rows, max_cell_chars)
    return _read_xlsx(upload, max_rows, max_cell_chars, sheet, tuple(extra_sheets))


def _wrong_format(formats: tuple[str, ...]) -> str:
    if formats == ("xlsx",):
        return _("Filen är inte en Excelfil (.xlsx). Inget lästes in.")
    if formats == ("csv",):
        return _("Filen är inte en CSV-fil (.csv). Inget lästes in.")
    return _("Filen måste vara CSV (.csv) eller Excel (.xlsx). Inget lästes in.")


def _check_cell(text: str, line: int, index: int, max_cell_chars: int) -> None:
    where = {"line": line, "column": column_name(index)}
    if "\x00" in text:
        raise TableRefused(
            _(
                "Rad %(line)s, kolumn %(column)s innehåller ett NUL-tecken (en binär nolla), "
                "som inte hör hemma i text. Inget lästes in."
            )
            % where
        )
    if len(text) > max_cell_chars:
        raise TableRefused(
            _(
                "Rad %(line)s, kolumn %(column)s har %(length)s tecken; en cell får ha högst "
                "%(max)s. Inget lästes in."
            )
            % {**where, "length": len(text), "max": max_cell_chars}
        )


def _too_many_rows(max_rows: int) -> TableRefused:
    return TableRefused(
        _("Filen har fler än %(max)s rader under rubrikraden. Inget lästes in.") % {"max": max_rows}
    )


# CSV


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding, or TableRefused.

    A byte order mark decides; without one UTF-8 is tried, then UTF-16 when every other byte
    is a zero (Excel's "Unicode text"), then Windows-1252 (Excel's "CSV" on Swedish Windows).
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8")]
        sample = data[:4096]
        if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
            candidates.append(
                ("utf-16-le" if sample[1] == 0 else "utf-16-be", "UTF-16"),
            )
        candidates.append(("cp1252", "Windows-1252"))
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8" and "\x00" in text and len(candidates) > 2:
            continue  # UTF-16 without a byte order mark decodes as UTF-8 with NULs.
        return text, label
    raise TableRefused(
        _(
            "Filen gick inte att läsa som %(tried)s. Spara den som ”CSV UTF-8” och försök "
            "igen. Inget lästes in."
        )
        % {"tried": ", ".join(label for _codec, label in candidates)}
    )


def _read_csv(data: bytes, max_rows: int, max_cell_chars: int) -> Table:
    text, encoding = decode_text(data)
    # The header line decides the separator (csv.Sniffer is led astray by a quoted ";" in
    # a comment further down): Swedish Excel writes ";", others "," or a tab.
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count) if any(c in header for c in ";,\t") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The csv module's own refusal: in practice a quote that is never closed.
            raise TableRefused(
                _(
                    "Rad %(line)s går inte att läsa som CSV (kontrollera citattecknen). "
                    "Inget lästes in."
                )
                % {"line": reader.line_num}
            ) from exc
        cells = [cell.strip() for cell in cells]
        for index, cell in enumerate(cells):
            _check_cell(cell, line, index, max_cell_chars)
        if any(cells):
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
            rows.append(Row(line=line, cells=tuple(cells)))
        line = reader.line_num + 1
    return Table(rows=rows, encoding=encoding)


# XLSX


def inspect_zip(
    handle, *, max_entries: int, max_entry_bytes: int, max_total_bytes: int
) -> list[zipfile.ZipInfo]:
    """Refuse a ZIP package whose directory promises too much, without inflating anything;
    its entries otherwise.

    Raises TableRefused with a Swedish message; zipfile.BadZipFile when it is no ZIP at all.
    """
    with zipfile.ZipFile(handle) as package:
        infos = package.infolist()
    if len(infos) > max_entries:
        raise TableRefused(
            _("Filen innehåller %(n)s delar; högst %(max)s godtas.")
            % {"n": len(infos), "max": max_entries}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise TableRefused(_("Filen är krypterad eller lösenordsskyddad."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TableRefused(
                _("Filen är packad på ett sätt som inte stöds. Spara den på nytt i Excel.")
            )
        if info.compress_size > info.file_size + info.file_size // 100 + 1024:
            # Deflate never grows data by more than a few bytes a block: a directory that says
            # an entry unpacks to less than its packed size lies, as a hidden bomb does.
            raise TableRefused(
                _("Filen packas upp till mer än den uppger (en så kallad zip-bomb?).")
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > max_entry_bytes
            or total > max_total_bytes
            or (info.file_size > ZIP_RATIO_FLOOR and ratio > MAX_ZIP_RATIO)
        ):
            raise TableRefused(
                _(
                    "Filen packas upp till mer än vad en fil av det här slaget kan innehålla "
                    "(en så kallad zip-bomb?)."
                )
            )
    return infos


def _prove_sizes(handle, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate each entry in small pieces and refuse one that is larger than its directory
    says (zipfile would cut it there, but only after inflating a large piece whole)."""
    for info in infos:
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(info.header_offset + 30 + name_length + extra_length)
        left = info.compress_size
        inflated = 0
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type else None
        while left > 0:
            chunk = handle.read(min(_INFLATE_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            if inflater is None:
                inflated += len(chunk)
                continue
            while chunk:
                piece = inflater.decompress(chunk, _INFLATE_CHUNK)
                inflated += len(piece)
                if inflated > info.file_size:
                    raise TableRefused(
                        _("Filen packas upp till mer än den uppger (en så kallad zip-bomb?).")
                    )
                chunk = inflater.unconsumed_tail


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("SANT") if value else _("FALSKT")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _sheet_rows(worksheet, max_rows: int, max_cell_chars: int) -> list[Row]:
    rows: list[Row] = []
    for line, cells in enumerate(worksheet.iter_rows(), start=1):
        texts, formulas = [], set()
        for index, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or type(value).__name__ in (
                "ArrayFormula",
                "DataTableFormula",
            ):
                formulas.add(index)
                value = getattr(value, "text", value)
            text = _as_text(value)
            _check_cell(text, line, index, max_cell_chars)
            texts.append(text)
        if any(texts):
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
            rows.append(Row(line=line, cells=tuple(texts), formulas=frozenset(formulas)))
    return rows


def _read_xlsx(upload, max_rows, max_cell_chars, sheet, extra_sheets) -> Table:
    from openpyxl import load_workbook

    unreadable = TableRefused(_("Filen gick inte att läsa som Excel (.xlsx). Inget lästes in."))
    try:
        infos = inspect_zip(
            upload,
            max_entries=MAX_ZIP_ENTRIES,
            max_entry_bytes=MAX_ZIP_ENTRY_BYTES,
            max_total_bytes=MAX_ZIP_TOTAL_BYTES,
        )
        _prove_sizes(upload, infos)
    except TableRefused as exc:
        raise TableRefused(f"{exc.message} {_('Inget lästes in.')}") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, struct.error):
        raise unreadable from None
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors for a broken file.
        raise unreadable from exc
    try:
        names = workbook.sheetnames
        worksheet = workbook[sheet] if sheet in names else workbook.worksheets[0]
        table = Table(rows=_sheet_rows(worksheet, max_rows, max_cell_chars), encoding="xlsx")
        for extra in extra_sheets:
            if extra in names:
                table.extra[extra] = _sheet_rows(workbook[extra], max_rows, max_cell_chars)
        return table
    except TableRefused:
        raise
    except Exception as exc:  # a sheet that breaks while streamed (bad XML, bad cell).
        raise unreadable from exc
    finally:
        workbook.close()


# --- Values in rows -----------------------------------------------------------------------


def cells_by_header(header: Row, known: dict[str, str]) -> dict[str, int]:
    """Column index per key for the header cells that `known` (lower-case header → key)
    names; the first of two equal headers wins."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header.cells):
        key = known.get(title.strip().lower())
        if key is not None and key not in columns:
            columns[key] = index
    return columns


# --- Writing ------------------------------------------------------------------------------


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_cell(sheet, row: int, column: int, value):
    """Write a value to a cell; text that looks like a formula is kept as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = _plain(value)
    if is_formula_like(cell.value):
        _keep_as_text(cell)
    return cell


def append_row(sheet, values: Iterable) -> int:
    """Append a row of values to a sheet, keeping formula-like text as text; its number.

    Formula-like text goes in as a cell already marked as text, so the row is never looked up
    again: openpyxl's `max_row` reads every cell of the sheet, which made an export of N rows
    take time in N² (2,760 rows of the region-wide follow-up: 5.8 CPU seconds, 0.3 now)."""
    from openpyxl.cell.cell import Cell

    row = []
    for value in values:
        value = _plain(value)
        if is_formula_like(value):
            cell = Cell(sheet, value=value)
            _keep_as_text(cell)
            value = cell
        row.append(value)
    sheet.append(row)
    return sheet._current_row  # what append() just wrote (max_row would read every cell)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    return value


def _keep_as_text(cell) -> None:
    # openpyxl makes any string starting with "=" a formula; text it is, and Excel's quote
    # prefix keeps it text when someone edits the cell.
    cell.data_type = "s"
    cell.quotePrefix = True


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_formula_cells(data: bytes) -> Iterator[tuple[str, str, object]]:
    """Every formula cell of an .xlsx (sheet, coordinate, formula): for tests and checks."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    yield worksheet.title, cell.coordinate, cell.value
