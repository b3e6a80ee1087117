"""The cross-region page as a workbook: what the regions share about one knowledge support.

Built from the same `selectors.across_regions` as the page, so a region's unshared analysis,
plan and indicators cannot reach the file either; every cell goes through `common.tabular`,
which keeps text that looks like a formula as text.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.tabular import append_row, workbook_bytes
from kunskapsstyrning.models import KnowledgeSupport


def _sheet(workbook, title: str, header: list[str], widths: list[int]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    append_row(sheet, header)
    for index, width in enumerate(widths, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def support_workbook(support: KnowledgeSupport, across: dict[str, Any]) -> bytes:
    """.xlsx bytes: the regions' stations and dates, the per-recommendation tally, and the
    analyses, activities and indicators of the regions that share them."""
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = _("Om filen")
    append_row(about, [_("Kunskapsstöd"), f"{support.title} {support.version}".strip()])
    append_row(about, [_("Exporterad"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    append_row(
        about,
        [
            _("Innehåll"),
            _(
                "Regionernas stationer, beslutsdatum och bedömningar per rekommendation; "
                "analys, plan och indikatorer bara från regioner som delar dem. Inga namn."
            ),
        ],
    )
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90

    points, counted = across["points"], across["counted"]
    regions = _sheet(
        workbook,
        _("Regioner"),
        [_("Region"), _("Station"), *points, *[str(label) for label in counted]],
        [28, 30, *[12] * len(points), *[14] * len(counted)],
    )
    for work in across["regional"]:
        append_row(
            regions,
            [
                work.region.name,
                work.station,
                *[day for _point, day in work.point_dates],
                *[work.counts.get(state, 0) for state in across["counted_states"]],
            ],
        )
        for cell in regions[regions.max_row][2 : 2 + len(points)]:
            cell.number_format = "yyyy-mm-dd"

    tally = _sheet(
        workbook,
        _("Rekommendationer"),
        [_("Nr"), _("Rekommendation"), *[str(label) for label in counted], _("Regioner")],
        [6, 70, *[14] * len(counted), 10],
    )
    for rec in across["recommendations"]:
        append_row(tally, [rec.number, rec.text, *[n for _label, n in rec.counts], rec.regions])

    sharing = [work for work in across["regional"] if work.rows]
    if sharing:
        rows = _sheet(
            workbook,
            _("Gap-analyser"),
            [_("Region"), _("Nr"), _("Nuläge"), _("Så gör vi i dag"), _("Förbättringsförslag")],
            [28, 6, 16, 60, 60],
        )
        for work in sharing:
            for row in work.rows:
                append_row(
                    rows,
                    [
                        work.region.name,
                        row.recommendation.number,
                        row.get_current_state_display(),
                        row.today_practice,
                        row.proposal,
                    ],
                )
    planning = [work for work in across["regional"] if work.activities]
    if planning:
        activities = _sheet(
            workbook,
            _("Aktiviteter"),
            [_("Region"), _("Aktivitet"), _("Huvudman"), _("Status"), _("Start"), _("Klar")],
            [28, 60, 16, 16, 12, 12],
        )
        for work in planning:
            for activity in work.activities:
                append_row(
                    activities,
                    [
                        work.region.name,
                        activity.title,
                        activity.get_principal_display(),
                        activity.get_status_display(),
                        activity.start,
                        activity.due,
                    ],
                )
                for cell in activities[activities.max_row][4:6]:
                    cell.number_format = "yyyy-mm-dd"
    measuring = [work for work in across["regional"] if work.indicators]
    if measuring:
        indicators = _sheet(
            workbook,
            _("Indikatorer"),
            [_("Region"), _("Kod"), _("Indikator"), _("Senaste värde"), _("Enhet"), _("Period")],
            [28, 10, 50, 14, 10, 12],
        )
        for work in measuring:
            for indicator in work.indicators:
                append_row(
                    indicators,
                    [
                        work.region.name,
                        indicator.code,
                        indicator.name,
                        indicator.latest,
                        "%" if indicator.is_proportion else indicator.unit,
                        indicator.latest_period,
                    ],
                )
                indicators.cell(row=indicators.max_row, column=6).number_format = "yyyy-mm-dd"
    return workbook_bytes(workbook)
