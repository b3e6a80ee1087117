"""Importing a knowledge support's recommendations from a CSV or Excel sheet.

All or nothing: a malformed file imports nothing; a well-formed file with bad rows imports
nothing either and reports every rejected row, so the user fixes the sheet and tries again.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import CareLevel, Recommendation

MAX_ROWS = 2000
CARE_LEVEL_WORDS = {
    **{value: value for value in CareLevel.values},
    **{str(label).lower(): value for value, label in CareLevel.choices},
    "": CareLevel.ALLA,
}


class RecommendationImportError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list = field(default_factory=list)  # (row number, reason)


def read_rows(upload):
    """Rows of an uploaded .csv or .xlsx as lists of strings, header included."""
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise RecommendationImportError(
                _("Filen gick inte att läsa som Excel (.xlsx).")
            ) from exc
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else None
            if text is None:
                raise RecommendationImportError(
                    _("Filen har en okänd teckenkodning. Spara den som CSV (UTF-8).")
                ) from None
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise RecommendationImportError(_("Filen måste vara CSV (.csv) eller Excel (.xlsx)."))


def _is_cp1252(data):
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def import_recommendations(*, support, upload):
    rows = [row for row in read_rows(upload) if any(row)]
    if len(rows) < 2:
        raise RecommendationImportError(_("Filen innehåller inga rader under rubrikraden."))
    if len(rows) > MAX_ROWS + 1:
        raise RecommendationImportError(_("Filen har fler än %(max)s rader.") % {"max": MAX_ROWS})
    header = [cell.lower() for cell in rows[0]]
    if len(header) < 2 or not header[0].startswith(("nr", "nummer", "number")):
        raise RecommendationImportError(
            _("Första raden ska vara rubriker: nummer, rekommendation, vårdnivå.")
        )
    report = ImportReport()
    seen = set()
    existing = set(support.recommendations.values_list("number", flat=True))
    new = []
    for index, row in enumerate(rows[1:], start=2):
        row = row + [""] * (3 - len(row))
        number, text, level = row[0], row[1], row[2].lower()
        try:
            number = int(float(number))
            if number < 1:
                raise ValueError
        except ValueError:
            report.rejected.append(
                (index, _("Numret ”%(n)s” är inte ett positivt heltal.") % {"n": row[0]})
            )
            continue
        if not text:
            report.rejected.append((index, _("Rekommendationstexten saknas.")))
            continue
        if level not in CARE_LEVEL_WORDS:
            report.rejected.append((index, _("Okänd vårdnivå ”%(level)s”.") % {"level": row[2]}))
            continue
        if number in seen or number in existing:
            report.rejected.append((index, _("Nummer %(n)s finns redan.") % {"n": number}))
            continue
        seen.add(number)
        new.append(
            Recommendation(
                knowledge_support=support,
                number=number,
                text=text,
                care_level=CARE_LEVEL_WORDS[level],
            )
        )
    if report.rejected:
        return report
    with transaction.atomic():
        Recommendation.objects.bulk_create(new)
    report.imported = len(new)
    return report
