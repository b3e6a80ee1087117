"""The region-wide follow-up report (issue 16): for a period, every indicator of every case in
follow-up in one region, with its control chart and its signals of special-cause variation,
grouped by programme area (the responsible LPO's) and, in joint cases, by principal. One page,
one PDF (the report to management, PDF/A through `common.pdf`) and one spreadsheet (through
`common.tabular`, which keeps formula-like text as text).

A report of more than `BACKGROUND_ABOVE` cases is made by the worker (`RegionReport`,
`tasks.region_report_render`) and its files kept; a smaller one is made in the request.
"""

import base64
import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common import charts
from common.pdf import PdfMetadata, render_pdf, sha256
from common.tabular import append_row, workbook_bytes
from kunskapsstyrning.models import Case, State
from organisation.models import Region, User
from organisation.permissions import scope_of

from .models import FollowUpIndicator, Measurement, RegionReport

# More cases than this and the report is made in the background. A case in follow-up has two to
# four indicators; 20 cases are 40-80 charts, a PDF of 20-30 pages that WeasyPrint lays out in
# 5-10 seconds on this machine: about as long as a person waits for a download. Beyond it the
# worker makes it (a whole region at national scale: about 65 cases, 200 charts).
BACKGROUND_ABOVE = 20
# Longer periods are not a follow-up but a history; five years is the longest plan horizon.
MAX_YEARS = 5
# Cases in follow-up now; cases in other states count when they were measured in the period.
FOLLOW_UP_NOW = (State.FOLLOW_UP, State.LEARNING)
# Seconds the worker's claim on a report outlives the task's hard time limit.
CLAIM_MARGIN = 5
CHART_WIDTH = 720
CHART_HEIGHT = 260
PRINT_CHART_HEIGHT = 220


# --- Who ------------------------------------------------------------------------------------


def regions_for_report(user: User) -> QuerySet[Region]:
    """The regions whose report the user may make: the strategists' and management's
    (`view_region_cases`), every region for a superuser."""
    scope = scope_of(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.overseen_region_ids)


def region_for_report(user: User, region_id: int) -> Region:
    """The region, if the user may make its report: 404 when the region is outside everything
    the user has a role in, 403 when they have a role there that does not oversee it (a chair,
    an organisation administrator)."""
    scope = scope_of(user)
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise Http404
    if scope.is_admin or region.pk in scope.overseen_region_ids:
        return region
    if any(region.pk in ids for ids in scope.regions.values()):
        raise PermissionDenied(_("Regionens uppföljningsrapport är för strateger och ledning."))
    raise Http404


def report_for(user: User, report_id: int) -> RegionReport:
    """A background report, under the same rules as its region."""
    report = RegionReport.objects.select_related("region").filter(pk=report_id).first()
    if report is None:
        raise Http404
    region_for_report(user, report.region_id)
    return report


# --- The period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date

    @property
    def is_calendar_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(
            self.start.year, 12, 31
        )

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def query(self) -> str:
        return f"fran={self.start:%Y-%m-%d}&till={self.end:%Y-%m-%d}"


def default_period(today: date) -> ReportPeriod:
    """The last full calendar year: the yearly report to management."""
    year = today.year - 1
    return ReportPeriod(date(year, 1, 1), date(year, 12, 31))


def period_problem(start: date, end: date) -> str | None:
    """Why a period cannot be reported, in Swedish, or None."""
    if end < start:
        return _("Periodens slut ligger före dess början.")
    if end > _years_after(start, MAX_YEARS) - timedelta(days=1):
        return _("Perioden får vara högst %(years)s år.") % {"years": MAX_YEARS}
    return None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- What the report holds ------------------------------------------------------------------


def latest_measured_year(region: Region) -> int | None:
    """The last year something was measured in the region's follow-up (for an empty report to
    point at)."""
    latest = Measurement.objects.filter(indicator__case__region=region).aggregate(
        latest=Max("period_start")
    )["latest"]
    return latest.year if latest else None


def year_period(year: int) -> ReportPeriod:
    return ReportPeriod(date(year, 1, 1), date(year, 12, 31))


def report_cases(region: Region, period: ReportPeriod) -> QuerySet[Case]:
    """The region's cases in the report: those measured in the period, and those in follow-up
    now that got there before the period ended."""
    measured = Measurement.objects.filter(
        indicator__case=OuterRef("pk"), period_start__range=(period.start, period.end)
    )
    return Case.objects.filter(region=region).filter(
        Q(Exists(measured)) | Q(state__in=FOLLOW_UP_NOW, state_changed_at__date__lte=period.end)
    )


@dataclass
class IndicatorInReport:
    indicator: FollowUpIndicator
    chart: charts.Chart  # the control chart's points in the period, limits from the whole series
    measurements: list[Measurement]  # those in the period
    svg: str = ""
    print_uri: str = ""  # the chart for the PDF, as a data: URI

    @property
    def signal_count(self) -> int:
        return len(self.chart.signal_points)

    @property
    def signal_sentences(self) -> list[str]:
        return self.chart.signal_sentences()

    @property
    def latest(self) -> tuple[charts.ChartPoint, Measurement] | None:
        if not self.measurements:
            return None
        return self.chart.points[-1], self.measurements[-1]

    def shown(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.indicator.is_proportion:
            return f"{charts.format_number(value * 100)} %"
        unit = self.indicator.unit
        return (
            f"{charts.format_number(value, 2)} {unit}" if unit else charts.format_number(value, 2)
        )

    @property
    def latest_text(self) -> str:
        latest = self.latest
        return self.shown(latest[0].value) if latest else "–"

    @property
    def centre_text(self) -> str:
        return self.shown(self.chart.centre)


@dataclass
class PrincipalInReport:
    label: str  # "" when the case is the region's alone
    indicators: list[IndicatorInReport]


@dataclass
class CaseInReport:
    case: Case
    principals: list[PrincipalInReport]

    @property
    def indicators(self) -> list[IndicatorInReport]:
        return [i for p in self.principals for i in p.indicators]

    @property
    def signal_count(self) -> int:
        return sum(1 for i in self.indicators if i.signal_count)


@dataclass
class AreaInReport:
    name: str
    cases: list[CaseInReport] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(c.indicators) for c in self.cases)

    @property
    def signal_count(self) -> int:
        return sum(c.signal_count for c in self.cases)


@dataclass
class RegionFollowUp:
    region: Region
    period: ReportPeriod
    areas: list[AreaInReport]
    generated_at: Any

    @property
    def case_count(self) -> int:
        return sum(len(a.cases) for a in self.areas)

    @property
    def indicator_count(self) -> int:
        return sum(a.indicator_count for a in self.areas)

    @property
    def measured_count(self) -> int:
        return sum(1 for a in self.areas for c in a.cases for i in c.indicators if i.measurements)

    @property
    def signal_count(self) -> int:
        return sum(a.signal_count for a in self.areas)

    @property
    def signals(self) -> list[tuple[CaseInReport, IndicatorInReport]]:
        return [(c, i) for a in self.areas for c in a.cases for i in c.indicators if i.signal_count]


def control_chart(indicator: FollowUpIndicator, measurements: list[Measurement]) -> charts.Chart:
    """The indicator's control chart (p or XmR) over `measurements`, as the follow-up page
    computes it: limits from all points or the frozen baseline, signals marked."""
    labels = [indicator.label_of(m.period_start) for m in measurements]
    if indicator.is_proportion:
        return charts.p_chart(
            [m.numerator for m in measurements],
            [m.denominator for m in measurements],
            labels,
            baseline=indicator.baseline_periods,
        )
    values = [float(m.value) for m in measurements]  # type: ignore[arg-type]  # checked on entry
    return charts.xmr_chart(values, labels, baseline=indicator.baseline_periods)


def chart_in_period(
    indicator: FollowUpIndicator, measurements: list[Measurement], period: ReportPeriod
) -> tuple[charts.Chart, list[Measurement]]:
    """The control chart of every measurement up to the period's end (the limits and the runs
    need the history), cut to the points in the period."""
    history = [m for m in measurements if m.period_start <= period.end]
    whole = control_chart(indicator, history)
    first = next((i for i, m in enumerate(history) if m.period_start >= period.start), None)
    if first is None:
        return charts.Chart(kind=whole.kind, points=[], centre=whole.centre), []
    baseline = whole.baseline - first if whole.baseline and whole.baseline > first else None
    cut = charts.Chart(
        kind=whole.kind,
        points=whole.points[first:],
        centre=whole.centre,
        baseline=baseline,
        mr_bar=whole.mr_bar,
    )
    return cut, history[first:]


MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _short_labels(chart: charts.Chart) -> charts.Chart:
    """The chart with its months named "jan" … "dec" when every point is in one year (the
    yearly report's case): a printed chart's text is laid out letter by letter, and the
    labels were half of it."""
    labels = [p.label for p in chart.points]
    years = {label[:4] for label in labels}
    if len(years) != 1 or not all(len(label) == 7 and label[4] == "-" for label in labels):
        return chart
    points = [dataclasses.replace(p, label=MONTHS[int(p.label[5:]) - 1]) for p in chart.points]
    return dataclasses.replace(chart, points=points)


def indicator_svg(item: IndicatorInReport, *, for_print: bool = False) -> str:
    """The control chart as the page shows it, or for the PDF: without the legend (the report
    explains it once) and with the months by name."""
    indicator = item.indicator
    target = None
    if indicator.target is not None:
        target = (
            float(indicator.target) / 100 if indicator.is_proportion else float(indicator.target)
        )
    return charts.chart_svg(
        _short_labels(item.chart) if for_print else item.chart,
        title=f"Styrdiagram: {indicator.code} {indicator.name}",
        ident=f"region-styr-{indicator.pk}",
        percent=indicator.is_proportion,
        unit=indicator.unit,
        target=target,
        cycles=[],
        width=CHART_WIDTH,
        height=PRINT_CHART_HEIGHT if for_print else CHART_HEIGHT,
        legend=not for_print,
    )


def print_charts(report: "RegionFollowUp", progress: Callable[[int], None] | None = None) -> None:
    """Draw every chart of the report for the PDF, as an image (a data: URI): WeasyPrint then
    reads each chart as one picture instead of styling its hundred shapes as the document's
    own elements. `progress(n)` hears after every case."""
    done = 0
    for area in report.areas:
        for in_case in area.cases:
            for item in in_case.indicators:
                if item.measurements and not item.print_uri:
                    svg = indicator_svg(item, for_print=True)
                    item.print_uri = "data:image/svg+xml;base64," + base64.b64encode(
                        svg.encode()
                    ).decode("ascii")
            done += 1
            if progress is not None:
                progress(done)


def region_followup(
    region: Region,
    period: ReportPeriod,
    *,
    with_charts: bool = True,
) -> RegionFollowUp:
    """The report's content: four queries (cases, their municipalities, indicators,
    measurements), whatever the number of cases; the page's charts `with_charts`."""
    cases = list(
        report_cases(region, period)
        .select_related("knowledge_support", "responsible_lpo__programme_area")
        .prefetch_related("municipalities")
        .order_by("responsible_lpo__programme_area__name", "knowledge_support__title", "pk")
    )
    case_ids = [c.pk for c in cases]
    indicators: dict[int, list[FollowUpIndicator]] = {}
    for indicator in (
        FollowUpIndicator.objects.filter(case_id__in=case_ids)
        .select_related("municipality")
        .order_by("case_id", "code", "pk")
    ):
        indicators.setdefault(indicator.case_id, []).append(indicator)
    series: dict[int, list[Measurement]] = {}
    for measurement in (
        Measurement.objects.filter(indicator__case_id__in=case_ids, period_start__lte=period.end)
        .only("indicator_id", "period_start", "numerator", "denominator", "value")
        .order_by("indicator_id", "period_start")
    ):
        series.setdefault(measurement.indicator_id, []).append(measurement)

    areas: dict[str, AreaInReport] = {}
    for case in cases:
        lpo = case.responsible_lpo
        area_name = (
            lpo.programme_area.name if lpo and lpo.programme_area else _("Utan programområde")
        )
        items = []
        for indicator in indicators.get(case.pk, []):
            chart, measured = chart_in_period(indicator, series.get(indicator.pk, []), period)
            item = IndicatorInReport(indicator, chart, measured)
            if with_charts and measured:
                item.svg = indicator_svg(item)
            items.append(item)
        areas.setdefault(area_name, AreaInReport(area_name)).cases.append(
            CaseInReport(case, _by_principal(case, items))
        )
    return RegionFollowUp(region, period, list(areas.values()), timezone.now())


def _by_principal(case: Case, items: list[IndicatorInReport]) -> list[PrincipalInReport]:
    """A joint case's indicators per principal, where the indicators say whose they are: the
    region's first, then each municipality's. Any other case's in one group without a name."""
    if not case.joint or all(i.indicator.municipality_id is None for i in items):
        return [PrincipalInReport("", items)] if items else []
    groups: dict[str, list[IndicatorInReport]] = {}
    for item in sorted(
        items, key=lambda i: (i.indicator.municipality is not None, str(i.indicator.municipality))
    ):
        municipality = item.indicator.municipality
        label = municipality.name if municipality else case.region.name
        groups.setdefault(label, []).append(item)
    return [PrincipalInReport(label, group) for label, group in groups.items()]


# --- Files ----------------------------------------------------------------------------------


def report_filename(region: Region, period: ReportPeriod, extension: str) -> str:
    return f"uppfoljning-{region.short_code.lower()}-{period.label.replace(' – ', '_')}.{extension}"


def report_pdf(report: RegionFollowUp) -> tuple[bytes, int]:
    """PDF/A-2b bytes and page count of the report to management."""
    from kunskapsstyrning.documents import verify_url

    print_charts(report)
    title = _("Uppföljning av kunskapsstöd %(period)s") % {"period": report.period.label}
    context = {
        "report": report,
        "title": title,
        "rules": charts.RULES,
        "generated_at": report.generated_at,
        "verify_url": verify_url(),
        "draft": True,  # not sealed: no verification line in the footer
    }
    metadata = PdfMetadata(
        registry_number="", region=report.region.name, kind=str(_("Uppföljningsrapport"))
    )
    return render_pdf("implementering/pdf/region_report.html", context, metadata)


XLSX_COLUMNS = [
    _("Programområde"),
    _("LPO"),
    _("Diarienummer"),
    _("Kunskapsstöd"),
    _("Huvudman"),
    _("Kod"),
    _("Indikator"),
    _("Period"),
    _("Täljare"),
    _("Nämnare"),
    _("Värde"),
    _("Nedre styrgräns"),
    _("Mittlinje"),
    _("Övre styrgräns"),
    _("Signal"),
]


# Värde, the control limits and the centre line (1-based, as openpyxl counts).
VALUE_COLUMNS = range(XLSX_COLUMNS.index(_("Värde")) + 1, XLSX_COLUMNS.index(_("Signal")) + 1)


def report_xlsx(report: RegionFollowUp) -> bytes:
    """The report as a spreadsheet: one row per measurement in the period, and a sheet of
    the indicators with their signals. Text cells go through `common.tabular`."""
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Indikatorer")
    append_row(summary, [_("Region"), report.region.name])
    append_row(summary, [_("Period"), report.period.label])
    append_row(
        summary, [_("Skapad"), timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")]
    )
    append_row(summary, [])
    append_row(
        summary,
        [
            _("Programområde"),
            _("LPO"),
            _("Diarienummer"),
            _("Kunskapsstöd"),
            _("Huvudman"),
            _("Kod"),
            _("Indikator"),
            _("Mätvärden under perioden"),
            _("Senaste värde"),
            _("Mittlinje"),
            _("Signaler"),
        ],
    )
    rows = workbook.create_sheet(_("Mätvärden"))
    append_row(rows, XLSX_COLUMNS)
    if not report.case_count:
        append_row(summary, [_("Inga ärenden i uppföljning under perioden.")])
    for area in report.areas:
        for in_case in area.cases:
            case = in_case.case
            lpo = case.responsible_lpo.name if case.responsible_lpo else ""
            for principal in in_case.principals:
                who = principal.label or case.region.name
                for item in principal.indicators:
                    indicator = item.indicator
                    append_row(
                        summary,
                        [
                            area.name,
                            lpo,
                            case.registry_number,
                            case.knowledge_support.title,
                            who,
                            indicator.code,
                            indicator.name,
                            len(item.measurements),
                            item.latest_text,
                            item.centre_text,
                            " ".join(item.signal_sentences) or _("Inga"),
                        ],
                    )
                    # A share reads as a percentage with one decimal, a value with two at
                    # most: the cells hold the exact figures, shown as the page shows them.
                    shown = "0.0%" if indicator.is_proportion else "0.0#"
                    for point, measurement in zip(
                        item.chart.points, item.measurements, strict=True
                    ):
                        line = append_row(
                            rows,
                            [
                                area.name,
                                lpo,
                                case.registry_number,
                                case.knowledge_support.title,
                                who,
                                indicator.code,
                                indicator.name,
                                point.label,
                                measurement.numerator,
                                measurement.denominator,
                                point.value,
                                point.lcl,
                                item.chart.centre,
                                point.ucl,
                                _signal_words(point),
                            ],
                        )
                        for column in VALUE_COLUMNS:
                            rows.cell(row=line, column=column).number_format = shown
            if not in_case.indicators:
                append_row(
                    summary,
                    [
                        area.name,
                        lpo,
                        case.registry_number,
                        case.knowledge_support.title,
                        "",
                        "",
                        _("Inga indikatorer valda"),
                    ],
                )
    return workbook_bytes(workbook)


def _signal_words(point: charts.ChartPoint) -> str:
    words = []
    if point.outside:
        words.append(_("utanför styrgränserna"))
    if point.in_run:
        words.append(_("del av en serie"))
    return ", ".join(words)


# --- In the background ----------------------------------------------------------------------


def region_report_request(*, region: Region, period: ReportPeriod, actor: User) -> RegionReport:
    """Ask the worker for a region's report, once: a request for the same region and period
    that is still being made is the one returned."""
    from .tasks import region_report_render

    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()  # one request at a time
        pending = (
            RegionReport.objects.filter(
                region=region,
                period_start=period.start,
                period_end=period.end,
                status__in=[RegionReport.Status.REQUESTED, RegionReport.Status.RENDERING],
            )
            .order_by("-requested_at")
            .first()
        )
        if pending is not None and not pending.is_stale:
            return pending
        report = RegionReport.objects.create(
            region=region,
            period_start=period.start,
            period_end=period.end,
            requested_by=actor,
            cases_total=report_cases(region, period).count(),
        )
        region_report_render.delay_on_commit(report.pk)
    return report


def region_report_claim(report_id: int, time_limit: int) -> RegionReport | None:
    """Take a requested report for the worker in one short transaction; None when it is ready,
    failed, or taken by a worker whose claim has not run out."""
    with transaction.atomic():
        report = (
            RegionReport.objects.select_for_update()
            .select_related("region")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status in {
            RegionReport.Status.READY,
            RegionReport.Status.FAILED,
        }:
            return None
        if report.status == RegionReport.Status.RENDERING and not report.is_stale:
            return None
        report.status = RegionReport.Status.RENDERING
        report.attempts += 1
        report.cases_done = 0
        report.claimed_until = timezone.now() + timedelta(seconds=time_limit + CLAIM_MARGIN)
        report.save(update_fields=["status", "attempts", "cases_done", "claimed_until"])
    return report


def _mine(report: RegionReport) -> QuerySet[RegionReport]:
    return RegionReport.objects.filter(
        pk=report.pk, status=RegionReport.Status.RENDERING, attempts=report.attempts
    )


def region_report_render_and_store(report: RegionReport) -> str:
    """Make a claimed report's PDF and spreadsheet outside any transaction and store them."""
    period = ReportPeriod(report.period_start, report.period_end)

    def progress(done: int) -> None:
        if done % 5 == 0:
            _mine(report).update(cases_done=done)

    content = region_followup(report.region, period, with_charts=False)
    _mine(report).update(cases_total=content.case_count)
    print_charts(content, progress)
    _mine(report).update(cases_done=content.case_count)
    pdf, pages = report_pdf(content)
    xlsx = report_xlsx(content)
    names = [
        default_storage.save(
            file_field.generate_filename(report, report_filename(report.region, period, kind)),
            ContentFile(data),
        )
        for file_field, kind, data in (
            (RegionReport.pdf.field, "pdf", pdf),
            (RegionReport.xlsx.field, "xlsx", xlsx),
        )
    ]
    stored = _mine(report).update(
        pdf=names[0],
        pdf_sha256=sha256(pdf),
        xlsx=names[1],
        xlsx_sha256=sha256(xlsx),
        pages=pages,
        status=RegionReport.Status.READY,
        finished_at=timezone.now(),
        claimed_until=None,
        failure_reason="",
    )
    if not stored:  # a later claim took over; it stores its own files
        for name in names:
            default_storage.delete(name)
        return "superseded"
    return "ready"


def region_report_fail(report: RegionReport, reason: str) -> None:
    _mine(report).update(
        status=RegionReport.Status.FAILED, claimed_until=None, failure_reason=reason[:2000]
    )


def region_report_release(report: RegionReport) -> None:
    _mine(report).update(status=RegionReport.Status.REQUESTED, claimed_until=None)


def report_file_response(report: RegionReport, kind: str) -> FileResponse:
    """A ready report's PDF or spreadsheet, if the file is the one that was stored."""
    file, digest = (
        (report.pdf, report.pdf_sha256) if kind == "pdf" else (report.xlsx, report.xlsx_sha256)
    )
    if report.status != RegionReport.Status.READY or not file:
        raise Http404
    with file.open("rb") as handle:
        if hashlib.sha256(handle.read()).hexdigest() != digest:
            raise Http404(_("Filens kontrollsumma stämmer inte."))
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=str(file.name).rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[kind],
    )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- Management's home ----------------------------------------------------------------------


def signals_refresh(indicator_ids: Iterable[int], today: date | None = None) -> None:
    """Work out each indicator's special-cause signals in this year's chart and keep them on
    the indicator (`FollowUpIndicator.signal_year`): called by every service that changes an
    indicator's measurements or its chart. The chart is the yearly report's (every measurement
    up to the year's end, cut to the year), so the home page and the report agree."""
    today = today or timezone.localdate()
    period = ReportPeriod(date(today.year, 1, 1), date(today.year, 12, 31))
    indicators = list(FollowUpIndicator.objects.filter(pk__in=list(indicator_ids)))
    series: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in (
        Measurement.objects.filter(indicator__in=indicators)
        .only("indicator_id", "period_start", "numerator", "denominator", "value")
        .order_by("indicator_id", "period_start")
    ):
        series[measurement.indicator_id].append(measurement)
    for indicator in indicators:
        chart, _measured = chart_in_period(indicator, series[indicator.pk], period)
        indicator.signal_year = today.year
        indicator.signal_text = "\n".join(chart.signal_sentences())
        indicator.signal_label = chart.signal_points[-1].label if chart.signal_points else ""
    FollowUpIndicator.objects.bulk_update(
        indicators, ["signal_year", "signal_text", "signal_label"], batch_size=1000
    )


# Management's home lists the first signals; the yearly report has every one.
HOME_SIGNALS = 10


def signals_this_period(
    region_ids: set[int], today: date, limit: int | None = None
) -> list[dict[str, Any]]:
    """The indicators of the regions' cases in follow-up with a signal of special-cause
    variation this year, each with its case: one query of what the services keep
    (`signals_refresh`). Worked out here on each visit, the charts of a region at national
    scale (some 400 indicators, 10,000 measurements) took 150-190 ms of CPU."""
    if not region_ids:
        return []
    indicators = (
        FollowUpIndicator.objects.filter(
            case__region_id__in=region_ids,
            case__state__in=FOLLOW_UP_NOW,
            signal_year=today.year,
        )
        .exclude(signal_text="")
        .select_related("case__knowledge_support")
        .order_by("case__knowledge_support__title", "case_id", "code")
    )
    if limit is not None:
        indicators = indicators[:limit]
    return [
        {
            "indicator": indicator,
            "case": indicator.case,
            "sentences": indicator.signal_text.splitlines(),
            "latest": indicator.signal_label,
        }
        for indicator in indicators
    ]


def home_section(user: User) -> dict[str, Any]:
    """On the home page of the region's strategists and management: the link to the
    region-wide report; for management also the indicators with a signal this year. No query
    for a strategist, one for a decision-maker, none for anyone else."""
    scope = scope_of(user)
    if not (scope.is_admin or scope.overseen_region_ids):
        return {}
    deciding = scope.region_ids("decide_for_unit")
    today = timezone.localdate()
    # One more than is shown, to know whether the report has more.
    signals = signals_this_period(deciding, today, HOME_SIGNALS + 1) if deciding else None
    return {
        "impl_region_report": True,
        "impl_signals": signals[:HOME_SIGNALS] if signals is not None else None,
        "impl_signals_more": signals is not None and len(signals) > HOME_SIGNALS,
        "impl_signal_year": today.year,
    }
