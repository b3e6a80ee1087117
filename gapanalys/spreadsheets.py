"""The analysis as an Excel workbook people can work in offline, and reading it back.

Reading is all or nothing. A file that is not a readable workbook, lacks the header, has too
many rows or belongs to another case is refused as a whole; a readable file with rows that
cannot be read (unknown recommendation number, a value outside the lists, a formula, a row
changed in the service since the export) imports nothing either and reports every such row,
so the user fixes the sheet and reads it in again.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from common.tabular import (
    Row,
    TableRefused,
    append_row,
    cells_by_header,
    read_table,
    workbook_bytes,
)

from .models import CurrentState, GapRow, Principal, Priority
from .services import ROW_FIELDS

SHEET_TITLE = "Gap-analys"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000  # a knowledge support has at most a few hundred recommendations.

# (field or special key, header, width). Headers are matched case-insensitively on import.
COLUMNS = [
    ("number", "Nr", 6),
    ("text", "Rekommendation", 50),
    ("care_level", "Vårdnivå", 16),
    ("current_state", "Nuläge", 14),
    ("today_practice", "Så arbetar vi i dag", 40),
    ("cause_analysis", "Orsaksanalys", 35),
    ("influence", "Hur kan vi påverka?", 35),
    ("proposal", "Förbättringsförslag", 40),
    ("start_doing", "Börja göra", 30),
    ("stop_doing", "Sluta göra", 30),
    ("principal", "Ansvarig huvudman", 16),
    ("priority", "Prioritet", 11),
    ("resource_need", "Resursbehov", 30),
    ("consequence_patients", "Konsekvenser för patienter", 30),
    ("consequence_staff", "Personal och kompetens", 30),
    ("consequence_economy", "Ekonomi", 30),
    ("consequence_it", "IT och journal", 30),
    ("consequence_crowding_out", "Undanträngning av andra patientgrupper", 30),
    ("consequence_close_care", "Nära vård", 30),
    ("version", "Radversion (ändra inte)", 12),
]
HEADER_OF = {key: header for key, header, _width in COLUMNS}
KEY_OF_HEADER = {header.lower(): key for key, header, _width in COLUMNS}
READ_ONLY_KEYS = {"text", "care_level"}
CHOICE_COLUMNS = {
    "current_state": CurrentState,
    "principal": Principal,
    "priority": Priority,
}
META_SHEET = "Om filen"


# The file as a whole cannot be read; nothing was imported.
SpreadsheetRefused = TableRefused


@dataclass
class RowChange:
    row: GapRow
    data: dict  # field → new value, only the fields that change
    before: dict  # field → current value

    @property
    def number(self):
        return self.row.recommendation.number

    def for_confirmation(self):
        return {"row": self.row.pk, "version": self.row.version, "data": self.data}

    def described(self):
        labels = HEADER_OF
        return [
            {
                "field": labels[name],
                "before": _display(name, self.before[name]),
                "after": _display(name, value),
            }
            for name, value in self.data.items()
        ]


@dataclass
class ImportPreview:
    changes: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (sheet row, recommendation number, reason)
    unchanged: int = 0

    @property
    def ok(self):
        return not self.rejected


def _display(name, value):
    if name in CHOICE_COLUMNS:
        if value in ("", None):
            return "–"
        return str(dict(CHOICE_COLUMNS[name].choices).get(value, value))
    return value or "–"


# --- Export -------------------------------------------------------------------------------


def export_workbook(analysis, rows):
    """The analysis as .xlsx bytes: one row per recommendation, lists for the choice columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    case = analysis.case
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    append_row(sheet, [header for _key, header, _width in COLUMNS])
    header_fill = PatternFill("solid", fgColor="DCE6F0")
    read_only_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, (_key, _header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        values = []
        for key, _header, _width in COLUMNS:
            if key == "number":
                values.append(row.recommendation.number)
            elif key == "text":
                values.append(row.recommendation.text)
            elif key == "care_level":
                values.append(row.recommendation.get_care_level_display())
            elif key == "version":
                values.append(row.version)
            elif key in CHOICE_COLUMNS:
                value = getattr(row, key)
                values.append(
                    str(dict(CHOICE_COLUMNS[key].choices)[value]) if value not in ("", None) else ""
                )
            else:
                values.append(getattr(row, key))
        append_row(sheet, values)
    last = len(rows) + 1
    for index, (key, _header, _width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        for (cell,) in sheet[f"{letter}2:{letter}{max(last, 2)}"]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in READ_ONLY_KEYS or key in ("number", "version"):
                cell.fill = read_only_fill
    for key, choices in CHOICE_COLUMNS.items():
        letter = get_column_letter([k for k, _h, _w in COLUMNS].index(key) + 1)
        labels = ",".join(str(label) for _value, label in choices.choices)
        validation = DataValidation(
            type="list",
            formula1=f'"{labels}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Ogiltigt värde"),
            error=_("Välj ett värde i listan."),
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{max(last, 2)}")
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(last, 1)}"

    meta = workbook.create_sheet(META_SHEET)
    append_row(meta, [_("Diarienummer"), case.registry_number])
    append_row(meta, [_("Kunskapsstöd"), str(case.knowledge_support)])
    append_row(meta, [_("Region"), case.region.name])
    append_row(meta, [_("Exporterad"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    append_row(meta, [])
    append_row(meta, [_("Så fyller du i")])
    append_row(meta, [_("Nuläge"), ", ".join(str(label) for _v, label in CurrentState.choices)])
    append_row(
        meta, [_("Ansvarig huvudman"), ", ".join(str(label) for _v, label in Principal.choices)]
    )
    append_row(meta, [_("Prioritet"), ", ".join(str(label) for _v, label in Priority.choices)])
    append_row(
        meta,
        [
            _("Grå kolumner"),
            _("Läses inte in: rekommendationens text, vårdnivå och radversion ändras i tjänsten."),
        ],
    )
    append_row(
        meta,
        [
            _("Inläsning"),
            _(
                "Raderna matchas på rekommendationens nummer. Lägg inte till formler; "
                "en tom cell tömmer fältet."
            ),
        ],
    )
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 90
    return workbook_bytes(workbook)


# --- Import -------------------------------------------------------------------------------


def _as_text(value):
    return "" if value is None else str(value).strip()


def _choice(key, raw):
    """The stored value for a label or code of a choice column, or raise ValueError."""
    choices = CHOICE_COLUMNS[key]
    text = _as_text(raw)
    if text == "":
        return None if key == "priority" else ""
    by_word = {}
    for value, label in choices.choices:
        by_word[str(label).lower()] = value
        by_word[str(value).lower()] = value
    found = by_word.get(text.lower())
    if found is None:
        allowed = ", ".join(str(label) for _v, label in choices.choices)
        raise ValueError(
            _("%(header)s ”%(value)s” finns inte; välj %(allowed)s eller lämna tomt.")
            % {"header": HEADER_OF[key], "value": text, "allowed": allowed}
        )
    return found


def _check_meta(meta_rows, analysis):
    for line in meta_rows[:1]:
        registry_number = line.cell(1)
        if registry_number and registry_number != analysis.case.registry_number:
            raise SpreadsheetRefused(
                _("Filen är exporterad från ärende %(other)s, inte %(this)s. Inget lästes in.")
                % {"other": registry_number, "this": analysis.case.registry_number}
            )


def read_workbook(analysis, upload):
    """Compare an uploaded workbook with the analysis: what would change, what is wrong.

    Raises `SpreadsheetRefused` when the file as a whole cannot be used.
    """
    table = read_table(
        upload,
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        formats=("xlsx",),
        sheet=SHEET_TITLE,
        extra_sheets=[META_SHEET],
    )
    _check_meta(table.extra.get(META_SHEET, []), analysis)
    if table.header is None:
        raise SpreadsheetRefused(_("Filen är tom. Inget lästes in."))
    columns = cells_by_header(table.header, KEY_OF_HEADER)
    if "number" not in columns:
        raise SpreadsheetRefused(
            _("Första raden saknar kolumnen ”Nr”. Använd en fil som exporterats från analysen.")
        )
    if not any(key in columns for key in ROW_FIELDS):
        raise SpreadsheetRefused(
            _("Filen har inga kolumner att läsa in (t.ex. ”Nuläge” eller ”Förbättringsförslag”).")
        )
    return _compare(analysis, table.body, columns)


def _compare(analysis, body: list[Row], columns):
    rows = {
        row.recommendation.number: row for row in analysis.rows.select_related("recommendation")
    }
    preview = ImportPreview()
    seen = {}
    for line in body:
        offset = line.line
        cells = {key: line.cell(i) for key, i in columns.items()}
        if all(v == "" for v in cells.values()):
            continue  # a line with text only in columns that are not read.
        raw_number = cells["number"]
        if line.is_formula(columns["number"]):
            preview.rejected.append((offset, "", _("Numret är en formel.")))
            continue
        try:
            number = int(_as_text(raw_number))
        except ValueError:
            preview.rejected.append(
                (offset, _as_text(raw_number), _("”Nr” är inte ett rekommendationsnummer."))
            )
            continue
        row = rows.get(number)
        if row is None:
            preview.rejected.append(
                (offset, number, _("Rekommendation %(n)s finns inte i analysen.") % {"n": number})
            )
            continue
        if number in seen:
            preview.rejected.append(
                (
                    offset,
                    number,
                    _("Rekommendation %(n)s finns redan på rad %(line)s.")
                    % {"n": number, "line": seen[number]},
                )
            )
            continue
        seen[number] = offset
        problems, data = [], {}
        for key in ROW_FIELDS:
            if key not in columns:
                continue
            raw = cells[key]
            if line.is_formula(columns[key]):
                problems.append(
                    _("%(header)s innehåller en formel; skriv in värdet.")
                    % {"header": HEADER_OF[key]}
                )
                continue
            try:
                value = _choice(key, raw) if key in CHOICE_COLUMNS else _as_text(raw)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if value != getattr(row, key):
                data[key] = value
        file_version = _as_text(cells.get("version")) if "version" in columns else ""
        if data and file_version and file_version != str(row.version):
            problems.append(
                _(
                    "Raden har ändrats i tjänsten sedan filen exporterades. Exportera på nytt "
                    "och för in dina ändringar där."
                )
            )
        if problems:
            preview.rejected.append((offset, number, " ".join(problems)))
        elif data:
            before = {name: getattr(row, name) for name in data}
            preview.changes.append(RowChange(row=row, data=data, before=before))
        else:
            preview.unchanged += 1
    return preview
