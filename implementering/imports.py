"""Importing measurements from a CSV or Excel sheet (the regions keep them in Excel today).

All or nothing, like the recommendation import: a file with wrong columns imports nothing;
a well-formed file with bad rows imports nothing either and reports every rejected row in
Swedish, so the user fixes the sheet and tries again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from common.tabular import TableRefused, read_table
from kunskapsstyrning.imports import ImportReport

from . import services
from .forms import parse_count, parse_period, parse_value
from .models import FollowUpIndicator, Measurement

MAX_ROWS = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NOTE = 250
COLUMNS = {
    "indikator": "indicator",
    "kod": "indicator",
    "indicator": "indicator",
    "code": "indicator",
    "period": "period",
    "täljare": "numerator",
    "taljare": "numerator",
    "numerator": "numerator",
    "nämnare": "denominator",
    "namnare": "denominator",
    "denominator": "denominator",
    "värde": "value",
    "varde": "value",
    "value": "value",
    "kommentar": "note",
    "note": "note",
}
EXPECTED = "indikator, period, täljare, nämnare, värde, kommentar"


class MeasurementImportError(Exception):
    """The file as a whole cannot be read or has the wrong columns; nothing was imported."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _header(row):
    columns = {}
    unknown = []
    for index, cell in enumerate(row.cells):
        name = cell.strip().lower()
        if not name:
            continue
        key = COLUMNS.get(name)
        if key is None:
            unknown.append(cell)
        elif key in columns:
            raise MeasurementImportError(
                _("Kolumnen ”%(name)s” finns två gånger i rubrikraden.") % {"name": cell}
            )
        else:
            columns[key] = index
    if unknown:
        raise MeasurementImportError(
            _("Okända kolumner: %(names)s. Rubrikraden ska ha kolumnerna %(expected)s.")
            % {"names": ", ".join(f"”{u}”" for u in unknown), "expected": EXPECTED}
        )
    missing = [name for name in ("indicator", "period") if name not in columns]
    if missing or not (
        {"value"} <= columns.keys() or {"numerator", "denominator"} <= columns.keys()
    ):
        raise MeasurementImportError(
            _(
                "Rubrikraden ska ha kolumnerna indikator och period, och täljare och nämnare "
                "eller värde (%(expected)s)."
            )
            % {"expected": EXPECTED}
        )
    return columns


def import_measurements(*, case, actor, upload):
    """Import a sheet of measurements for the case's indicators (all rows or none)."""
    if not services.plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets uppföljning."))
    try:
        table = read_table(upload, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
    except TableRefused as exc:
        raise MeasurementImportError(exc.message) from None
    if table.header is None:
        raise MeasurementImportError(_("Filen är tom."))
    columns = _header(table.header)
    if not table.body:
        raise MeasurementImportError(_("Filen innehåller inga rader under rubrikraden."))
    indicators = {i.code.lower(): i for i in FollowUpIndicator.objects.filter(case=case)}
    existing = set(
        Measurement.objects.filter(indicator__case=case).values_list("indicator_id", "period_start")
    )
    report = ImportReport()
    seen = {}
    new = []
    for row in table.body:
        number = row.line

        def cell(name, row=row):
            return row.cell(columns[name]) if name in columns else ""

        if any(row.is_formula(index) for index in columns.values()):
            report.rejected.append((number, _("Raden innehåller en formel; skriv in värdena.")))
            continue

        code = cell("indicator")
        indicator = indicators.get(code.lower())
        if indicator is None:
            report.rejected.append(
                (number, _("Ärendet har ingen indikator med koden ”%(code)s”.") % {"code": code})
            )
            continue
        if not any(cell(name).strip() for name in ("numerator", "denominator", "value", "note")):
            continue  # a row of the template left as it was: nothing measured to import
        try:
            start = parse_period(indicator.period, cell("period"))
            if refusal := services.period_refusal(indicator, start):
                raise ValueError(refusal)
            if indicator.is_proportion:
                numerator = parse_count(cell("numerator"), _("Täljaren"))
                denominator = parse_count(cell("denominator"), _("Nämnaren"))
                value = None
            else:
                numerator = denominator = None
                value = parse_value(cell("value"))
        except ValueError as exc:
            report.rejected.append((number, str(exc)))
            continue
        except ValidationError as exc:
            report.rejected.append((number, " ".join(exc.messages)))
            continue
        problems = services.measurement_problems(
            indicator, numerator=numerator, denominator=denominator, value=value
        )
        if len(cell("note")) > MAX_NOTE:
            problems.append(
                _("Kommentaren har %(n)s tecken; högst %(max)s får plats.")
                % {"n": len(cell("note")), "max": MAX_NOTE}
            )
        if problems:
            report.rejected.append((number, " ".join(problems)))
            continue
        key = (indicator.pk, start)
        label = indicator.label_of(start)
        if key in seen:
            report.rejected.append(
                (
                    number,
                    _("%(code)s %(period)s finns redan på rad %(row)s.")
                    % {"code": indicator.code, "period": label, "row": seen[key]},
                )
            )
            continue
        if key in existing:
            report.rejected.append(
                (
                    number,
                    _("%(code)s %(period)s har redan ett mätvärde i ärendet.")
                    % {"code": indicator.code, "period": label},
                )
            )
            continue
        seen[key] = number
        new.append(
            Measurement(
                indicator=indicator,
                period_start=start,
                numerator=numerator,
                denominator=denominator,
                value=value,
                note=cell("note"),
                entered_by=actor,
            )
        )
    if report.rejected:
        return report
    if not new:
        raise MeasurementImportError(
            _("Ingen rad har något värde att importera: fyll i täljare och nämnare eller värde.")
        )
    services.measurements_add(case_id=case.pk, actor=actor, measurements=new, source=upload.name)
    report.imported = len(new)
    return report
