"""Run charts, control charts and a plan timeline, computed and drawn on the server as SVG.

The same SVG goes into a page and into a WeasyPrint PDF, so it uses presentation attributes
only (no CSS classes, no `style` attributes: the pages run under a strict CSP and the PDF
has no stylesheet for it), and says in text what it shows (`<title>`, `<desc>`).

Statistical process control as in the SPC guides the regions use (e.g. VGR's "Styrdiagram"):

- p-chart (proportions): centre p̄ = Σx / Σn; each point gets its own limits
  p̄ ± 3·√(p̄(1 − p̄) / nᵢ), cut to the range 0–1.
- XmR chart (single values): centre x̄; moving ranges MRᵢ = |xᵢ − xᵢ₋₁|; limits
  x̄ ± 2.66·MR̄.
- Run chart: the median as centre line.
- Limits come from all points, or from the first `baseline` points ("frozen" limits)
  and are then extended over the later ones.

Signals of special-cause variation (`RULES` states them for the page):

- a point outside the control limits (strictly above the upper or below the lower);
- a run of 8 or more points in a row on the same side of the centre line. A point exactly on
  the centre line neither counts towards nor breaks a run.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RUN_LENGTH = 8
XMR_FACTOR = 2.66  # 3 / d2, where d2 = 1.128 for moving ranges of two points.
MIN_POINTS_FOR_LIMITS = 2  # an XmR chart needs one moving range.
FEW_POINTS = 12  # below this the limits are shown as preliminary.

OUTSIDE = "utanfor"
RUN = "serie"

RULES = [
    gettext_lazy("En punkt utanför styrgränserna (över den övre eller under den nedre)."),
    gettext_lazy(
        "En serie om minst 8 punkter i rad på samma sida om mittlinjen. En punkt exakt på "
        "mittlinjen räknas inte och bryter inte serien."
    ),
]
RUN_CHART_RULES = [
    gettext_lazy(
        "En serie om minst 8 punkter i rad på samma sida om medianen. En punkt exakt på "
        "medianen räknas inte och bryter inte serien."
    ),
]


@dataclass
class ChartPoint:
    """One period on a chart: its value and, for control charts, its own limits."""

    label: str
    value: float
    n: int | None = None
    ucl: float | None = None
    lcl: float | None = None
    signals: set = field(default_factory=set)

    @property
    def outside(self):
        return OUTSIDE in self.signals

    @property
    def in_run(self):
        return RUN in self.signals


@dataclass
class Chart:
    """A computed chart: `kind` is "p", "xmr" or "run"."""

    kind: str
    points: list
    centre: float | None = None
    baseline: int | None = None
    mr_bar: float | None = None

    @property
    def has_limits(self):
        return self.kind != "run" and self.centre is not None

    @property
    def signal_points(self):
        return [p for p in self.points if p.signals]

    def signal_sentences(self):
        """The signals in words, grouped: runs, then points above and below the limits."""
        sentences = []
        if self.centre is not None:
            for run, side in run_segments([p.value for p in self.points], self.centre):
                if self.kind == "run":
                    text = (
                        _("Serie: %(n)s punkter i rad över medianen, %(first)s – %(last)s.")
                        if side > 0
                        else _("Serie: %(n)s punkter i rad under medianen, %(first)s – %(last)s.")
                    )
                else:
                    text = (
                        _("Serie: %(n)s punkter i rad över mittlinjen, %(first)s – %(last)s.")
                        if side > 0
                        else _("Serie: %(n)s punkter i rad under mittlinjen, %(first)s – %(last)s.")
                    )
                first, last = self.points[run[0]].label, self.points[run[-1]].label
                sentences.append(text % {"n": len(run), "first": first, "last": last})
        above = [p.label for p in self.points if p.outside and p.value > p.ucl]
        below = [p.label for p in self.points if p.outside and p.value < p.lcl]
        if above:
            sentences.append(_("Över den övre styrgränsen: %(p)s.") % {"p": ", ".join(above)})
        if below:
            sentences.append(_("Under den nedre styrgränsen: %(p)s.") % {"p": ", ".join(below)})
        return sentences

    @property
    def preliminary(self):
        used = self.baseline or len(self.points)
        return self.has_limits and used < FEW_POINTS


# --- Signals --------------------------------------------------------------------------------


def outside_limits(values, ucls, lcls):
    """Indexes of points strictly above their upper or below their lower limit."""
    found = []
    for index, (value, ucl, lcl) in enumerate(zip(values, ucls, lcls, strict=True)):
        if (ucl is not None and value > ucl) or (lcl is not None and value < lcl):
            found.append(index)
    return found


def run_segments(values, centre, length=RUN_LENGTH):
    """Each run of `length` or more on one side of `centre`: (indexes, side), side 1 above
    and −1 below. Points exactly on the centre line neither count nor break a run."""
    segments = []
    run, side = [], 0
    for index, value in enumerate(values):
        here = (value > centre) - (value < centre)
        if here == 0:
            continue
        if here != side:
            if len(run) >= length:
                segments.append((run, side))
            run, side = [], here
        run.append(index)
    if len(run) >= length:
        segments.append((run, side))
    return segments


def runs_on_one_side(values, centre, length=RUN_LENGTH):
    """Indexes of the points that belong to a run of `length` or more on one side of `centre`."""
    return [index for run, _side in run_segments(values, centre, length) for index in run]


def _mark(points, indexes, signal):
    for index in indexes:
        points[index].signals.add(signal)


def _baseline(count, baseline):
    if baseline and MIN_POINTS_FOR_LIMITS <= baseline < count:
        return baseline
    return None


# --- Charts ---------------------------------------------------------------------------------


def p_chart(numerators, denominators, labels=None, baseline=None):
    """A p-chart for proportions with varying denominators (values as fractions 0–1)."""
    labels = labels or [str(i + 1) for i in range(len(numerators))]
    points = [
        ChartPoint(label=label, value=x / n, n=n)
        for label, x, n in zip(labels, numerators, denominators, strict=True)
    ]
    baseline = _baseline(len(points), baseline)
    chart = Chart(kind="p", points=points, baseline=baseline)
    used = slice(0, baseline or len(points))
    total = sum(denominators[used])
    if len(points[used]) < MIN_POINTS_FOR_LIMITS or total == 0:
        return chart
    p_bar = sum(numerators[used]) / total
    chart.centre = p_bar
    for point in points:
        sigma = math.sqrt(p_bar * (1 - p_bar) / point.n)
        point.ucl = min(1.0, p_bar + 3 * sigma)
        point.lcl = max(0.0, p_bar - 3 * sigma)
    values = [p.value for p in points]
    _mark(points, outside_limits(values, [p.ucl for p in points], [p.lcl for p in points]), OUTSIDE)
    _mark(points, runs_on_one_side(values, p_bar), RUN)
    return chart


def xmr_chart(values, labels=None, baseline=None):
    """An XmR (individuals) chart for single values."""
    values = [float(v) for v in values]
    labels = labels or [str(i + 1) for i in range(len(values))]
    points = [ChartPoint(label=label, value=v) for label, v in zip(labels, values, strict=True)]
    baseline = _baseline(len(points), baseline)
    chart = Chart(kind="xmr", points=points, baseline=baseline)
    used = values[: baseline or len(values)]
    if len(used) < MIN_POINTS_FOR_LIMITS:
        return chart
    x_bar = sum(used) / len(used)
    moving_ranges = [abs(b - a) for a, b in zip(used, used[1:], strict=False)]
    mr_bar = sum(moving_ranges) / len(moving_ranges)
    chart.centre, chart.mr_bar = x_bar, mr_bar
    for point in points:
        point.ucl = x_bar + XMR_FACTOR * mr_bar
        point.lcl = x_bar - XMR_FACTOR * mr_bar
    _mark(points, outside_limits(values, [p.ucl for p in points], [p.lcl for p in points]), OUTSIDE)
    _mark(points, runs_on_one_side(values, x_bar), RUN)
    return chart


def run_chart(values, labels=None, baseline=None):
    """A run chart: the values around their median (of the baseline, if given)."""
    values = [float(v) for v in values]
    labels = labels or [str(i + 1) for i in range(len(values))]
    points = [ChartPoint(label=label, value=v) for label, v in zip(labels, values, strict=True)]
    baseline = _baseline(len(points), baseline)
    chart = Chart(kind="run", points=points, baseline=baseline)
    if not values:
        return chart
    chart.centre = median(values[: baseline or len(values)])
    _mark(points, runs_on_one_side(values, chart.centre), RUN)
    return chart


# --- Drawing --------------------------------------------------------------------------------

INK = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#d9d9d9"
LINE = "#0b4f7c"
SIGNAL = "#a4161a"
LIMIT = "#6a3d9a"
TARGET = "#1d6b32"
CYCLE = "#8a6100"
FONT = "DejaVu Sans, Arial, sans-serif"
# Every text of a chart, in the SVG's own units. On screen a chart is never drawn narrower than
# its own width (a narrow window scrolls it in its box instead), so this is at least 12 px.
TEXT_SIZE = 12
# The average advance of a character of the charts' font (DejaVu Sans, the widest of those
# named) at TEXT_SIZE: what a legend allows for each label before the next one starts.
CHAR_WIDTH = TEXT_SIZE * 0.6
PRINCIPAL_COLOURS = {"region": "#1c5fa8", "kommun": "#1d7a3e", "gemensam": "#5c5c5c"}


def format_number(value, decimals=1):
    """Swedish number format: decimal comma, thousands apart ("12 345,5"), a minus sign, no
    trailing ",0". A value that is not zero never reads "0": it keeps the decimals its first
    digit needs (0,04 stays "0,04" where one decimal would say 0), and -0,01 is not "−0"."""
    if value is None:
        return "–"
    if value and round(value, decimals) == 0:
        decimals = max(decimals, min(6, -math.floor(math.log10(abs(value)))))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.lstrip("-") == "0":
        text = "0"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "−")


def _nice_step(span, ticks=5):
    raw = span / ticks if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _y_range(numbers, percent):
    low, high = min(numbers), max(numbers)
    if percent:
        low, high = max(0.0, low), min(1.0, high)
    if high == low:
        high, low = high + (0.05 if percent else 1), low - (0.05 if percent else 1)
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    if percent:
        low, high = max(0.0, low), min(1.0, high)
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    return low, high, step


class _Svg:
    """A chart's picture as the shapes it is drawn with, rendered by the template
    charts/chart.svg. Numbers are written out here (to a tenth of a unit, with a decimal
    point): the template engine would localise them to a decimal comma."""

    def __init__(self, width, height, title, desc, ident):
        self.width, self.height = width, height
        self.title, self.desc, self.ident = title, desc, ident
        self.font = FONT
        self.shapes = []

    def text(self, x, y, content, anchor="start", fill=INK, weight="normal", rotate=None):
        """A text; `rotate` turns it by that many degrees about its own point."""
        self.shapes.append(
            {
                "kind": "text",
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "size": str(TEXT_SIZE),
                "anchor": anchor,
                "fill": fill,
                "weight": weight,
                "transform": f"rotate({rotate} {x:.1f} {y:.1f})" if rotate is not None else "",
                "content": str(content),
            }
        )

    def line(self, x1, y1, x2, y2, stroke=INK, width=1, dash=None):
        self.shapes.append(
            {
                "kind": "line",
                "x1": f"{x1:.1f}",
                "y1": f"{y1:.1f}",
                "x2": f"{x2:.1f}",
                "y2": f"{y2:.1f}",
                "stroke": stroke,
                "width": str(width),
                "dash": dash,
            }
        )

    def path(self, d, stroke, width=1.5, dash=None, fill="none"):
        self.shapes.append(
            {
                "kind": "path",
                "d": d,
                "fill": fill,
                "stroke": stroke,
                "width": str(width),
                "dash": dash,
            }
        )

    def filled_path(self, d, fill):
        self.shapes.append({"kind": "filled_path", "d": d, "fill": fill})

    def rect(self, x, y, width, height, fill, stroke, stroke_width, rx=None):
        self.shapes.append(
            {
                "kind": "rect",
                "x": str(x),
                "y": str(y),
                "width": str(width),
                "height": str(height),
                "fill": fill,
                "stroke": stroke,
                "stroke_width": str(stroke_width),
                "rx": str(rx) if rx is not None else "",
            }
        )

    def circle(self, cx, cy, r, fill, stroke=None, stroke_width=None):
        self.shapes.append(
            {
                "kind": "circle",
                "cx": str(cx),
                "cy": str(cy),
                "r": str(r),
                "fill": fill,
                "stroke": stroke,
                "stroke_width": str(stroke_width),
            }
        )

    def render(self):
        return render_to_string("charts/chart.svg", {"svg": self})


def _marker(svg, x, y, point):
    """A point's marker: a circle; a square for outside the limits; a ring for a run."""
    if point.outside:
        svg.rect(f"{x - 5:.1f}", f"{y - 5:.1f}", 10, 10, SIGNAL, INK, 1)
    elif point.in_run:
        svg.circle(f"{x:.1f}", f"{y:.1f}", 5, "#ffffff", SIGNAL, 2.5)
    else:
        svg.circle(f"{x:.1f}", f"{y:.1f}", 3.5, LINE)


def chart_svg(
    chart,
    *,
    title,
    ident,
    percent=False,
    unit="",
    target=None,
    cycles=(),
    width=720,
    height=320,
    legend=True,
):
    """Draw `chart` as SVG markup (safe to put into a template).

    `cycles` are (point index, label) pairs: improvement cycles marked on the time axis.
    `percent` shows fractions as per cent. Without `legend` the document explains the lines
    and markers once (WeasyPrint lays out SVG text letter by letter: a report of 230 charts
    spent a third of its time on the same legend).
    """
    points = chart.points
    scale = 100 if percent else 1
    suffix = " %" if percent else (f" {unit}" if unit else "")

    def fmt(value):
        return format_number(value * scale) + suffix

    desc = _describe(chart, fmt)
    svg = _Svg(width, height, title, desc, ident)
    if not points:
        # At the left, where a narrow window shows it without scrolling.
        svg.text(20, 40, _("Inga mätvärden ännu."), fill=MUTED)
        return svg.render()

    left, right, top, bottom = 64, 16, 30, 86
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [p.value for p in points]
    if chart.centre is not None:
        numbers.append(chart.centre)
    if chart.has_limits:
        numbers += [p.ucl for p in points] + [p.lcl for p in points]
    if target is not None:
        numbers.append(float(target))
    low, high, step = _y_range(numbers, percent)

    def y_of(value):
        return top + plot_h - (value - low) / (high - low) * plot_h

    count = len(points)
    slot = plot_w / count

    def x_of(index):
        return left + slot * (index + 0.5)

    # Grid and y axis.
    tick = low
    while tick <= high + step / 1000:
        y = y_of(tick)
        svg.line(left, y, left + plot_w, y, stroke=GRID)
        svg.text(left - 6, y + 4, format_number(tick * scale), anchor="end", fill=MUTED)
        tick += step
    svg.line(left, top, left, top + plot_h, stroke=MUTED)
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, stroke=MUTED)
    axis_label = _("Procent") if percent else (unit.capitalize() if unit else _("Värde"))
    svg.text(
        14,
        top + plot_h / 2,
        axis_label,
        anchor="middle",
        fill=MUTED,
        rotate=-90,
    )

    # X labels: at most about 12, always the first and the last.
    every = max(1, math.ceil(count / 12))
    for index, point in enumerate(points):
        if index % every == 0 or index == count - 1:
            x = x_of(index)
            svg.line(x, top + plot_h, x, top + plot_h + 4, stroke=MUTED)
            svg.text(
                x,
                top + plot_h + 16,
                point.label,
                anchor="end",
                fill=MUTED,
                rotate=-35,
            )

    # Baseline and improvement cycles on the time axis.
    if chart.baseline:
        x = left + slot * chart.baseline
        svg.line(x, top, x, top + plot_h, stroke=MUTED, dash="2 3")
        svg.text(x - 4, top + 11, _("Baslinje"), anchor="end", fill=MUTED)
    for index, label in cycles:
        if 0 <= index < count:
            x = x_of(index)
            svg.line(x, top - 4, x, top + plot_h, stroke=CYCLE, width=1.5, dash="6 3")
            svg.text(x + 3, top - 8, label, fill=CYCLE, weight="bold")

    # Target, centre, limits.
    if target is not None:
        y = y_of(float(target))
        svg.line(left, y, left + plot_w, y, stroke=TARGET, width=1.5, dash="1 3")
        svg.text(
            left + plot_w - 2,
            y - 4,
            _("Mål %(target)s") % {"target": fmt(float(target))},
            anchor="end",
            fill=TARGET,
        )
    if chart.centre is not None:
        y = y_of(chart.centre)
        svg.line(left, y, left + plot_w, y, stroke=INK, width=1.5)
    if chart.has_limits:
        for attr in ("ucl", "lcl"):
            d = []
            for index, point in enumerate(points):
                value = getattr(point, attr)
                x0, x1 = left + slot * index, left + slot * (index + 1)
                d.append(f"{'M' if index == 0 else 'L'}{x0:.1f},{y_of(value):.1f}")
                d.append(f"L{x1:.1f},{y_of(value):.1f}")
            svg.path(" ".join(d), stroke=LIMIT, width=1.2, dash="5 3")

    # The data.
    d = " ".join(
        f"{'M' if i == 0 else 'L'}{x_of(i):.1f},{y_of(p.value):.1f}" for i, p in enumerate(points)
    )
    svg.path(d, stroke=LINE, width=1.8)
    for index, point in enumerate(points):
        _marker(svg, x_of(index), y_of(point.value), point)

    if legend:
        _legend(svg, chart, left, height - 18, fmt)
    return svg.render()


def _legend(svg, chart, x, y, fmt):
    items = []
    if chart.centre is not None:
        name = _("Median") if chart.kind == "run" else _("Medelvärde")
        items.append(("centre", f"{name} {fmt(chart.centre)}"))
    if chart.has_limits:
        items.append(("limit", _("Styrgränser")))
    items.append(("outside", _("Utanför gränserna")) if chart.has_limits else None)
    items.append(("run", _("Serie ≥ %(n)s") % {"n": RUN_LENGTH}))
    for kind, label in filter(None, items):
        if kind == "centre":
            svg.line(x, y - 4, x + 18, y - 4, stroke=INK, width=1.5)
        elif kind == "limit":
            svg.line(x, y - 4, x + 18, y - 4, stroke=LIMIT, width=1.2, dash="5 3")
        elif kind == "outside":
            svg.rect(x + 4, y - 9, 10, 10, SIGNAL, INK, 1)
        else:
            svg.circle(x + 9, y - 4, 5, "#ffffff", SIGNAL, 2.5)
        svg.text(x + 24, y, label, fill=INK)
        x += 34 + len(label) * CHAR_WIDTH


def _describe(chart, fmt):
    """The chart in words, for screen readers and for anyone who cannot read the picture."""
    name = {
        "p": _("Styrdiagram (p-diagram)"),
        "xmr": _("Styrdiagram (XmR)"),
        "run": _("Seriediagram"),
    }[chart.kind]
    points = chart.points
    if not points:
        return _("%(name)s utan mätvärden.") % {"name": name}
    parts = [
        _("%(name)s med %(n)s perioder, %(first)s till %(last)s.")
        % {"name": name, "n": len(points), "first": points[0].label, "last": points[-1].label}
    ]
    if chart.centre is not None:
        centre = _("Median") if chart.kind == "run" else _("Medelvärde")
        parts.append(f"{centre} {fmt(chart.centre)}.")
    sentences = chart.signal_sentences()
    parts.extend(sentences or [_("Inga signaler på särskild orsak.")])
    return " ".join(parts)


# --- The plan's timeline --------------------------------------------------------------------

PRINCIPAL_LABELS = {
    "region": gettext_lazy("Region"),
    "kommun": gettext_lazy("Kommun"),
    "gemensam": gettext_lazy("Gemensam"),
}


@dataclass
class TimelineBar:
    label: str
    start: date
    end: date
    principal: str
    done: bool = False


def _months_between(first, last):
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


LABEL_CHARS = 34  # of an activity's name on one line of the Gantt chart, at TEXT_SIZE


def _wrapped(text, width, lines=2):
    """`text` in at most `lines` lines of about `width` characters, broken between words; a
    text that needs more ends its last line with "…"."""
    words, result, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            result.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    result.append(line)
    result = [part if len(part) <= width else part[: width - 1] + "…" for part in result]
    if len(result) > lines:
        last = result[lines - 1]
        if len(last) > width:  # no room for the "…": leave out the last word
            last = last[: width - 1].rsplit(" ", 1)[0]
        result = result[: lines - 1] + [last.rstrip() + "…"]
    return result or [""]


def _timeline_months(dates):
    """The months a timeline of `dates` spans, its first day and the day after its last month."""
    first, last = min(dates), max(dates)
    months = _months_between(first, last)
    return months, months[0], date(last.year + (last.month == 12), last.month % 12 + 1, 1)


def timeline_shows(bars, milestones=(), *, today=None):
    """What `timeline_svg` draws besides the bars, for the legend beneath it to explain only
    that: {"milestones": …, "today": …}."""
    milestones = list(milestones)
    dates = [b.start for b in bars] + [b.end for b in bars] + [m[1] for m in milestones]
    if not dates:
        return {"milestones": False, "today": False}
    _months, start, end = _timeline_months(dates)
    return {"milestones": bool(milestones), "today": bool(today and start <= today <= end)}


def timeline_svg(bars, milestones=(), *, today=None, title, ident, width=960):
    """A simple Gantt chart: one bar per activity in its principal's colour (and with the
    principal written out), milestones as diamonds, today as a line."""
    label_w, top, right = 270, 50, 16
    milestones = list(milestones)
    labels = [_wrapped(bar.label, LABEL_CHARS) for bar in bars]
    # A row fits two lines of its label when any label needs them.
    row_h = 40 if any(len(lines) > 1 for lines in labels) else 26
    height = top + row_h * max(1, len(bars)) + 34
    dates = [b.start for b in bars] + [b.end for b in bars] + [m[1] for m in milestones]
    desc = (
        _("Tidslinje med %(a)s aktiviteter och %(m)s milstolpar.")
        % {"a": len(bars), "m": len(milestones)}
        if bars or milestones
        else _("Planen har inga aktiviteter ännu.")
    )
    svg = _Svg(width, height, title, desc, ident)
    if not dates:
        svg.text(20, 40, _("Inga aktiviteter ännu."), fill=MUTED)
        return svg.render()
    months, start, end = _timeline_months(dates)
    span = max(1, (end - start).days)
    plot_w = width - label_w - right

    def x_of(day):
        return label_w + (day - start).days / span * plot_w

    every = max(1, math.ceil(len(months) / 10))
    for index, month in enumerate(months):
        x = x_of(month)
        svg.line(x, top - 6, x, height - 28, stroke=GRID)
        # A month's label starts at its line; the last ones may not have room before the
        # chart's edge ("2027-" cut off), and the months before them are labelled.
        if index % every == 0 and x + 2 + 7 * CHAR_WIDTH <= width:
            svg.text(x + 2, top - 10, f"{month:%Y-%m}", fill=MUTED)
    for index, bar in enumerate(bars):
        y = top + index * row_h
        colour = PRINCIPAL_COLOURS.get(bar.principal, MUTED)
        lines = labels[index]
        first_y = y + row_h / 2 + 4 - (len(lines) - 1) * 7
        for number, line in enumerate(lines):
            svg.text(label_w - 8, first_y + number * 14, line, anchor="end")
        x0 = x_of(bar.start)
        x1 = max(x0 + 4, x_of(bar.end + timedelta(days=1)))
        fill = "#ffffff" if bar.done else colour
        svg.rect(f"{x0:.1f}", y + 5, f"{x1 - x0:.1f}", row_h - 10, fill, colour, 2, rx=2)
        tag = str(PRINCIPAL_LABELS.get(bar.principal, "")) + (_(" · klar") if bar.done else "")
        inside = x1 - x0 > len(tag) * 7.2 + 8
        svg.text(
            x0 + 4 if inside else x1 + 4,
            y + row_h / 2 + 4,
            tag,
            fill=("#ffffff" if not bar.done else colour) if inside else colour,
        )
    for title_text, day in milestones:
        x = x_of(day)
        y = height - 22
        diamond = (
            f"M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} Z"
        )
        svg.filled_path(diamond, CYCLE)
        label = title_text if len(title_text) <= 40 else title_text[:39] + "…"
        if x + 9 + len(label) * 7.2 > width - right:  # no room on the right: write it left
            svg.text(x - 9, y + 4, label, fill=CYCLE, anchor="end")
        else:
            svg.text(x + 9, y + 4, label, fill=CYCLE)
    if today and start <= today <= end:
        x = x_of(today)
        svg.line(x, top - 6, x, height - 28, stroke=SIGNAL, width=1.5, dash="4 2")
        svg.text(x + 3, top - 22, _("I dag"), fill=SIGNAL, weight="bold")
    return svg.render()
