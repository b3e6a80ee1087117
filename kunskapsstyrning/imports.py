"""Importing a knowledge support's recommendations from a CSV or Excel sheet.

All or nothing: a malformed file imports nothing; a well-formed file with bad rows imports
nothing either and reports every rejected row, so the user fixes the sheet and tries again.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.tabular import TableRefused, read_table

from . import contributions
from .models import CareLevel, Recommendation

MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NUMBER = 9999
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


def import_recommendations(*, support, upload):
    try:
        table = read_table(upload, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
    except TableRefused as exc:
        raise RecommendationImportError(exc.message) from None
    if len(table.rows) < 2:
        raise RecommendationImportError(_("Filen innehåller inga rader under rubrikraden."))
    header = [cell.lower() for cell in table.header.cells]
    if len(header) < 2 or not header[0].startswith(("nr", "nummer", "number")):
        raise RecommendationImportError(
            _("Första raden ska vara rubriker: nummer, rekommendation, vårdnivå.")
        )
    report = ImportReport()
    seen = set()
    existing = set(support.recommendations.values_list("number", flat=True))
    new = []
    for row in table.body:
        index = row.line
        number, text, level = row.cell(0), row.cell(1), row.cell(2).lower()
        if row.formulas:
            report.rejected.append((index, _("Raden innehåller en formel; skriv in värdena.")))
            continue
        try:
            if not (number.isascii() and number.isdigit()):
                raise ValueError  # "1.5", "1e3", "1_000" and "١" are not recommendation numbers.
            number = int(number)
            if not 1 <= number <= MAX_NUMBER:
                raise ValueError
        except ValueError:
            report.rejected.append(
                (
                    index,
                    _("Numret ”%(n)s” är inte ett heltal mellan 1 och %(max)s.")
                    % {"n": row.cell(0)[:20], "max": MAX_NUMBER},
                )
            )
            continue
        if not text:
            report.rejected.append((index, _("Rekommendationstexten saknas.")))
            continue
        if level not in CARE_LEVEL_WORDS:
            report.rejected.append(
                (index, _("Okänd vårdnivå ”%(level)s”.") % {"level": row.cell(2)})
            )
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
        try:
            with transaction.atomic():
                Recommendation.objects.bulk_create(new)
        except IntegrityError:
            # Someone imported or added the same numbers in the moment since they were read.
            raise RecommendationImportError(
                _(
                    "Några av numren lades till av någon annan samtidigt. Inget lästes in; "
                    "försök igen."
                )
            ) from None
        contributions.recommendations_added(support, new)  # e.g. a gap analysis under way
    report.imported = len(new)
    return report
