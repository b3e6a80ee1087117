"""Reads of the implementation plan, the BP3 checklist and follow-up, for this app's pages and
for the other apps' pages (home, case page, BP3 decision material and documents)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from common import charts
from gapanalys.models import STATES_NEEDING_PROPOSAL, GapRow
from kunskapsstyrning.models import Case, Document, DocumentKind, State
from organisation.models import User
from organisation.permissions import chair_or_coordinator, scope_of

from .models import (
    OPEN_STATUSES,
    Activity,
    ActivityStatus,
    ChecklistItem,
    FollowUpIndicator,
    GapRowExclusion,
    ImplementationPlan,
    ImprovementCycle,
    Measurement,
    Milestone,
    missing_periods,
    period_start,
)

# The case page shows the plan panel from planning on.
PANEL_STATES = {
    State.PLANNING,
    State.BP3,
    State.IMPLEMENTATION,
    State.FOLLOW_UP,
    State.LEARNING,
    State.CLOSED,
}
YEARLY = timedelta(days=365)
REMIND_BEFORE = timedelta(days=30)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases whose plan and follow-up the user may see: those of `Case.objects.visible_to`
    and, for the members of a LAG, the cases of the LPO their LAG works under (the LAG plans
    the implementation, seed 002 step 4, but may not belong to the LPO itself)."""
    from organisation.models import Unit, UnitKind

    visible = Case.objects.visible_to(user)
    scope = scope_of(user)
    lag_ids = scope.unit_ids("view_unit_cases") | scope.unit_ids("edit_analysis")
    if scope.is_admin or not lag_ids:
        return visible
    lpos_of_lags = Unit.objects.filter(pk__in=lag_ids, kind=UnitKind.LAG).values("parent_id")
    return visible | Case.objects.filter(responsible_lpo_id__in=lpos_of_lags)


def checklist_ready(case: Case) -> bool:
    """Whether BP3 may be requested: the case has its BP3 checklist and every item is ticked.

    No checklist means no preparations recorded: BP3 waits until the plan is started (which
    opens the checklist) and every item is ticked.
    """
    checklist = getattr(case, "bp3_checklist", None)
    if checklist is None:
        return False
    counts = plan_counts(case)
    return counts["checklist_ticked"] == counts["checklist_items"]


def plan_carried_out(case: Case) -> bool:
    """Whether the plan is carried out ("Planen är genomförd"): it has activities and every one
    is done or cancelled with its reason written."""
    counts = plan_counts(case)
    return counts["activities"] > 0 and counts["activities_closed"] == counts["activities"]


def plan_not_carried_out(case: Case) -> str:
    counts = plan_counts(case)
    if not counts["activities"]:
        return str(_("Införandeplanen har inga aktiviteter att genomföra."))
    return str(
        _(
            "Planen är inte genomförd: %(open)s av %(total)s aktiviteter är varken klara eller "
            "inställda med ett skäl."
        )
        % {
            "open": counts["activities"] - counts["activities_closed"],
            "total": counts["activities"],
        }
    )


# --- Gap coverage -------------------------------------------------------------------------------


@dataclass
class CoveredRow:
    row: GapRow
    activities: list[str] = field(default_factory=list)  # the titles of those that close it
    exclusion: GapRowExclusion | None = None

    @property
    def is_covered(self) -> bool:
        return bool(self.activities) or self.exclusion is not None


@dataclass
class Coverage:
    rows: list[CoveredRow]

    @property
    def uncovered(self) -> list[CoveredRow]:
        return [r for r in self.rows if not r.is_covered]

    @property
    def is_complete(self) -> bool:
        return not self.uncovered


def gap_coverage(plan: ImplementationPlan) -> Coverage:
    """Every gap with a proposal ("delvis"/"gör vi inte"), with the activities that close it
    or the reason it is left out. Three queries."""
    rows = list(
        GapRow.objects.filter(
            analysis__case_id=plan.case_id, current_state__in=STATES_NEEDING_PROPOSAL
        )
        .exclude(proposal="")
        .select_related("recommendation")
        .order_by("recommendation__number")
    )
    covering: dict[int, list[str]] = {}
    links = (
        Activity.gap_rows.through.objects.filter(activity__plan=plan)
        .exclude(activity__status=ActivityStatus.CANCELLED)
        .values_list("gaprow_id", "activity__title")
        .order_by("activity__start", "activity_id")
    )
    for row_id, title in links:
        covering.setdefault(row_id, []).append(title)
    exclusions = {e.gap_row_id: e for e in plan.exclusions.select_related("decided_by")}
    return Coverage(
        [CoveredRow(row, covering.get(row.pk, []), exclusions.get(row.pk)) for row in rows]
    )


# --- The plan page --------------------------------------------------------------------------


def plan_activities(plan: ImplementationPlan) -> list[Activity]:
    """The plan's activities with the gap rows they close (two queries)."""
    return list(
        plan.activities.select_related("updated_by", "municipality").prefetch_related(
            Prefetch("gap_rows", queryset=GapRow.objects.select_related("recommendation"))
        )
    )


def activity_counts(activities: list[Activity]) -> dict[str, int]:
    today = timezone.localdate()
    counts = {status: 0 for status in ActivityStatus.values}
    for activity in activities:
        counts[activity.status] += 1
    counts["overdue"] = sum(1 for a in activities if a.is_open and a.due < today)
    counts["total"] = len(activities)
    return counts


def timeline(
    plan: ImplementationPlan,
    activities: Iterable[Activity],
    milestones: Iterable[Milestone],
    ident: str = "plan-tidslinje",
) -> dict[str, Any]:
    """The plan's Gantt chart (`svg`) and what it draws besides the bars (`shows`)."""
    bars = [
        charts.TimelineBar(
            label=a.title,
            start=a.start,
            end=a.due,
            principal=a.principal,
            done=a.status == ActivityStatus.DONE,
        )
        for a in activities
        if a.status != ActivityStatus.CANCELLED
    ]
    points = [(m.title, m.date) for m in milestones]
    today = timezone.localdate()
    return {
        "svg": charts.timeline_svg(
            bars, points, today=today, title="Tidslinje för införandeplanen", ident=ident
        ),
        "shows": charts.timeline_shows(bars, points, today=today),
    }


def plan_history(plan: ImplementationPlan, limit: int = 100) -> list[Any]:
    """What changed in the plan, newest first: the history rows of its parts.

    One query per kind of part, however long the history.
    """
    from .models import CommunicationItem, GapRowExclusion, Milestone, PhaseOut

    kinds = [
        ("Plan", ImplementationPlan.history.filter(id=plan.pk), lambda h: "Planen"),
        ("Aktivitet", Activity.history.filter(plan_id=plan.pk), lambda h: h.title),
        ("Kommunikation", CommunicationItem.history.filter(plan_id=plan.pk), lambda h: h.audience),
        ("Milstolpe", Milestone.history.filter(plan_id=plan.pk), lambda h: h.title),
        ("Utfasning", PhaseOut.history.filter(plan_id=plan.pk), lambda h: h.what[:80]),
        ("Undantag", GapRowExclusion.history.filter(plan_id=plan.pk), lambda h: h.reason[:80]),
        (
            "Checklista",
            ChecklistItem.history.filter(checklist__case_id=plan.case_id),
            lambda h: h.text,
        ),
    ]
    entries = []
    for kind, queryset, name_of in kinds:
        records = list(queryset.select_related("history_user").order_by("-history_date")[:limit])
        # The previous version of each record, to say what changed: from the same list when
        # it is there (no query per record).
        by_object: dict[Any, Any] = {}
        for record in sorted(records, key=lambda r: r.history_date):
            previous = by_object.get(record.id)
            changes = []
            if previous is not None and record.history_type == "~":
                changes = [
                    c.field
                    for c in record.diff_against(previous, foreign_keys_are_objs=False).changes
                ]
            by_object[record.id] = record
            entries.append(
                {
                    "kind": kind,
                    "name": name_of(record),
                    "type": record.history_type,
                    "at": record.history_date,
                    "user": record.history_user,
                    "changes": [_field_label(record, name) for name in changes],
                }
            )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]


def _field_label(record: Any, name: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(name).verbose_name)
    except Exception:  # a field since removed from the model
        return name


# --- Follow-up ------------------------------------------------------------------------------


def indicators_with_data(case: Case) -> list[FollowUpIndicator]:
    """The case's indicators with their measurements and cycles (three queries in all)."""
    return list(
        FollowUpIndicator.objects.filter(case=case)
        .select_related("national", "municipality")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("period_start")),
            Prefetch("cycles", queryset=ImprovementCycle.objects.order_by("started_on", "pk")),
        )
    )


@dataclass
class IndicatorCharts:
    indicator: FollowUpIndicator
    measurements: list[Measurement]
    control: charts.Chart
    run: charts.Chart
    control_svg: str
    run_svg: str
    rows: list[Any]

    @property
    def signals(self) -> Any:
        return self.control.signal_points

    @property
    def latest(self) -> Any:
        return self.rows[-1] if self.rows else None

    @property
    def signal_sentences(self) -> list[str]:
        return self.control.signal_sentences()

    @property
    def missing(self) -> list[str]:
        """The periods between the first and the latest measurement without one, by label."""
        starts = [m.period_start for m in self.measurements]
        return [
            self.indicator.label_of(day) for day in missing_periods(self.indicator.period, starts)
        ]

    @property
    def centre_text(self) -> str:
        return _shown(self.control.centre, self.indicator.is_proportion)

    @property
    def mr_text(self) -> str:
        return _shown(self.control.mr_bar, False)


def indicator_charts(
    indicator: FollowUpIndicator,
    measurements: list[Measurement] | None = None,
    cycles: list[ImprovementCycle] | None = None,
    *,
    width: int = 720,
    height: int = 320,
) -> IndicatorCharts:
    """Run chart and control chart of one indicator, as data and as SVG."""
    measurements = list(indicator.measurements.all()) if measurements is None else measurements
    cycles = list(indicator.cycles.all()) if cycles is None else cycles
    labels = [indicator.label_of(m.period_start) for m in measurements]
    baseline = indicator.baseline_periods
    if indicator.is_proportion:
        control = charts.p_chart(
            [m.numerator for m in measurements],
            [m.denominator for m in measurements],
            labels,
            baseline=baseline,
        )
        run = charts.run_chart([m.proportion for m in measurements], labels, baseline=baseline)
    else:
        # A value indicator's measurements each have a value (`measurement_problems`).
        values = [float(cast(Decimal, m.value)) for m in measurements]
        control = charts.xmr_chart(values, labels, baseline=baseline)
        run = charts.run_chart(values, labels, baseline=baseline)
    marks = _cycle_marks(indicator, measurements, cycles)
    percent = indicator.is_proportion
    target = None
    if indicator.target is not None:
        target = float(indicator.target) / 100 if percent else float(indicator.target)
    common = {
        "percent": percent,
        "unit": indicator.unit,
        "target": target,
        "cycles": marks,
        "width": width,
        "height": height,
    }
    control_svg = charts.chart_svg(
        control,
        title=f"Styrdiagram: {indicator.code} {indicator.name}",
        ident=f"styr-{indicator.pk}",
        **common,
    )
    run_svg = charts.chart_svg(
        run,
        title=f"Seriediagram: {indicator.code} {indicator.name}",
        ident=f"serie-{indicator.pk}",
        **common,
    )
    rows = [
        {
            "measurement": m,
            "point": p,
            "value": _shown(p.value, percent),
            "lcl": _shown(p.lcl, percent),
            "ucl": _shown(p.ucl, percent),
        }
        for m, p in zip(measurements, control.points, strict=True)
    ]
    return IndicatorCharts(indicator, measurements, control, run, control_svg, run_svg, rows)


def _shown(value: float | None, percent: bool) -> str:
    """A chart value as the pages write it: per cent with one decimal, or the value."""
    if value is None:
        return "–"
    if percent:
        return f"{charts.format_number(value * 100)} %"
    return charts.format_number(value, 2)


def _cycle_marks(
    indicator: FollowUpIndicator,
    measurements: list[Measurement],
    cycles: list[ImprovementCycle],
) -> list[tuple[int, str]]:
    """(point index, "PDSA n") for each cycle: the first period at or after its start."""
    marks = []
    starts = [m.period_start for m in measurements]
    for number, cycle in enumerate(cycles, start=1):
        first = period_start(indicator.period, cycle.started_on)
        index = next((i for i, s in enumerate(starts) if s >= first), None)
        if index is not None:
            marks.append((index, f"PDSA {number}"))
    return marks


def followup_overview(case: Case, *, width: int = 880, height: int = 320) -> list[IndicatorCharts]:
    """Every indicator of the case with its charts (query count does not grow with data)."""
    return [
        indicator_charts(
            indicator,
            list(indicator.measurements.all()),
            list(indicator.cycles.all()),
            width=width,
            height=height,
        )
        for indicator in indicators_with_data(case)
    ]


def followup_report(case: Case) -> dict[str, Any]:
    """What the follow-up report to management contains."""
    plan = ImplementationPlan.objects.filter(case=case).first()
    activities = plan_activities(plan) if plan else []
    return {
        "indicators": followup_overview(case, width=720, height=320),
        "cycles": list(
            ImprovementCycle.objects.filter(case=case)
            .select_related("indicator")
            .order_by("started_on", "pk")
        ),
        "plan": plan,
        "activities": activities,
        "activity_counts": activity_counts(activities),
        "rules": charts.RULES,
        "previous_reports": list(
            Document.objects.filter(case=case, kind=DocumentKind.FOLLOW_UP).order_by(
                "-requested_at"
            )[:5]
        ),
    }


def next_yearly_follow_up(case: Case, last_report_at: datetime | None = None) -> date:
    """When the yearly follow-up is due: the case's deadline for its next follow-up where one
    is set (a report sets it a year on, `followup_report_request`), else a year after the
    last report, or after follow-up started."""
    if case.state == State.FOLLOW_UP and case.due_date is not None:
        return case.due_date
    return timezone.localdate((last_report_at or case.state_changed_at) + YEARLY)


# --- Other apps' pages ----------------------------------------------------------------------


# The home page lists the most overdue activities; the rest are a link away.
HOME_OVERDUE = 10


def _followed_by(user: User) -> Q | None:
    """The cases whose plans a person follows from their home page: a chair's LPOs', and the
    regions a strategist coordinates or a decision-maker decides for. None: no such role."""
    scope = scope_of(user)
    chair_lpos = scope.unit_ids("act_for_unit")
    regions = scope.coordinated_region_ids | scope.region_ids("decide_for_unit")
    if not chair_lpos and not regions:
        return None
    return Q(responsible_lpo_id__in=chair_lpos) | Q(region_id__in=regions)


def overdue_activities(user: User) -> QuerySet[Activity] | None:
    """The overdue activities of the plans the person follows, the most overdue first (None:
    the person follows no plans)."""
    mine = _followed_by(user)
    if mine is None:
        return None
    cases = Case.objects.filter(mine).filter(
        state__in=[State.PLANNING, State.IMPLEMENTATION, State.LEARNING]
    )
    return Activity.objects.overdue(timezone.localdate()).filter(plan__case__in=cases)


def home_sections(user: User) -> dict[str, Any]:
    """Overdue activities and yearly follow-ups due, for chairs, strategists and the regions'
    decision-makers (plans that are late are part of management's portfolio). Two queries for
    a person who is any of them; none for anyone else."""
    overdue = overdue_activities(user)
    mine = _followed_by(user)
    if overdue is None or mine is None:
        return {}
    today = timezone.localdate()
    # One more than is shown, to know whether the list page has more.
    shown = list(
        overdue.select_related("plan__case__knowledge_support").order_by("due", "pk")[
            : HOME_OVERDUE + 1
        ]
    )
    # Only the follow-ups due within REMIND_BEFORE are read: by the case's deadline for its
    # next follow-up, else a year after the last report or after follow-up started
    # (`next_yearly_follow_up`).
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time())
    since = timezone.make_aware(tomorrow) + REMIND_BEFORE - YEARLY
    undated = Q(due_date__isnull=True) & (
        Q(last_report__lt=since) | Q(last_report__isnull=True, state_changed_at__lt=since)
    )
    yearly = []
    for case in (
        Case.objects.filter(mine, state=State.FOLLOW_UP)
        .select_related("knowledge_support")
        .annotate(
            last_report=Max(
                "documents__requested_at", filter=Q(documents__kind=DocumentKind.FOLLOW_UP)
            )
        )
        .filter(Q(due_date__lte=today + REMIND_BEFORE) | undated)
        .order_by("state_changed_at")[:50]
    ):
        due = next_yearly_follow_up(case, case.last_report)
        if due - REMIND_BEFORE <= today:
            yearly.append({"case": case, "due": due, "overdue": due < today})
    return {
        "impl_overdue": shown[:HOME_OVERDUE],
        "impl_overdue_more": len(shown) > HOME_OVERDUE,
        "impl_yearly": yearly,
        "impl_today": today,
    }


# The case page reads the plan's counts with the case (`plan_count_annotations`, registered
# with the plan panel): three subqueries, each a JSON object of one table's counts, under
# these names. Seven scalar subqueries, one per count, cost the case page 5.8 ms a visit at
# scale N in compiling and planning them, three JSON objects 2.7 ms.
PLAN_COUNT_PREFIX = "implementering_"
PLAN_COUNTS = (
    "activities",
    "activities_done",
    "activities_cancelled",
    "activities_closed",
    "activities_overdue",
    "checklist_items",
    "checklist_ticked",
    "indicators",
)
# The annotations' names (unprefixed): one JSON object of counts each.
PLAN_COUNT_GROUPS = ("activity_counts", "checklist_counts", "indicator_counts")


def plan_counts(case: Case) -> dict[str, int]:
    """The case's activities (all, done, closed, overdue), BP3 checklist items (all, ticked) and
    follow-up indicators: subqueries the case page reads with the case itself, or one query of
    their own elsewhere, kept on the case for the rest of the request (the plan panel and BP3's
    condition both read them)."""
    counts = getattr(case, "_plan_counts", None)
    if counts is None:
        if all(hasattr(case, PLAN_COUNT_PREFIX + name) for name in PLAN_COUNT_GROUPS):
            found = {name: getattr(case, PLAN_COUNT_PREFIX + name) for name in PLAN_COUNT_GROUPS}
        else:
            found = Case.objects.filter(pk=case.pk).values(**_plan_count_expressions()).get()
        counts = dict.fromkeys(PLAN_COUNTS, 0)
        for group in found.values():
            counts.update(group or {})  # None: no rows of that table
        case._plan_counts = counts  # type: ignore[attr-defined]  # a per-request memo
    return counts


def plan_count_annotations() -> dict[str, Any]:
    """The counts as annotations of the case page's query of the case."""
    return {PLAN_COUNT_PREFIX + name: e for name, e in _plan_count_expressions().items()}


def _counts_of(rows: QuerySet[Any], group: str, **counts: Any) -> Subquery:
    """A subquery of `rows` (one group per case) giving their `counts` as one JSON object."""
    return Subquery(
        rows.order_by().values(group).annotate(counts=JSONObject(**counts)).values("counts")
    )


def _plan_count_expressions() -> dict[str, Any]:
    one = Count("pk")
    return {  # PLAN_COUNT_GROUPS
        "activity_counts": _counts_of(
            Activity.objects.filter(plan__case=OuterRef("pk")),
            "plan__case",
            activities=one,
            activities_done=Count("pk", filter=Q(status=ActivityStatus.DONE)),
            activities_cancelled=Count("pk", filter=Q(status=ActivityStatus.CANCELLED)),
            # Done, or cancelled with the reason written (`plan_carried_out`).
            activities_closed=Count(
                "pk",
                filter=Q(status=ActivityStatus.DONE)
                | Q(status=ActivityStatus.CANCELLED) & ~Q(progress_note=""),
            ),
            activities_overdue=Count(
                "pk", filter=Q(status__in=OPEN_STATUSES, due__lt=timezone.localdate())
            ),
        ),
        "checklist_counts": _counts_of(
            ChecklistItem.objects.filter(checklist__case=OuterRef("pk")),
            "checklist__case",
            checklist_items=one,
            checklist_ticked=Count("pk", filter=Q(ticked_on__isnull=False)),
        ),
        "indicator_counts": _counts_of(
            FollowUpIndicator.objects.filter(case=OuterRef("pk")), "case", indicators=one
        ),
    }


def case_panel(case: Case, user: User) -> dict[str, Any]:
    """The plan panel on the case page: activities, checklist, follow-up. No query: the case
    page reads the plan, the checklist and the counts with the case."""
    if case.state not in PANEL_STATES:
        return {}
    from .services import plan_rights

    counts = plan_counts(case)
    plan = getattr(case, "implementation_plan", None)
    if plan is not None:
        plan.total = counts["activities"]
        plan.done = counts["activities_done"]
        # A cancelled activity is not one of those still to be done ("0 av 3 klara" of a plan
        # with a cancelled one never reaches 3 of 3).
        plan.cancelled = counts["activities_cancelled"]
        plan.to_do = plan.total - plan.cancelled
        plan.overdue = counts["activities_overdue"]
    checklist = {"total": counts["checklist_items"], "ticked": counts["checklist_ticked"]}
    indicators = counts["indicators"]
    startable = (State.PLANNING, State.IMPLEMENTATION, State.LEARNING)
    may_start = plan is None and case.state in startable
    return {
        "implementation": {
            "plan": plan,
            "checklist": checklist if checklist["total"] else None,
            "indicator_count": indicators,
            # The chair and the strategist may always start it (no query); anyone else's right
            # depends on their role in the LPO's LAGs or the county group (one query).
            "can_start": may_start
            and (chair_or_coordinator(user, case) or plan_rights(user, case).edits_plan),
            "show_follow_up": case.state
            in (State.IMPLEMENTATION, State.FOLLOW_UP, State.LEARNING, State.CLOSED)
            or indicators,
            # What `plan_carried_out` asks: each activity done, or cancelled with its reason.
            "all_done": plan is not None
            and counts["activities"] > 0
            and counts["activities_closed"] == counts["activities"],
        }
    }


def decision_material(case: Case, point: str) -> dict[str, Any]:
    """What management reads at BP3: the checklist with who ticked what, the activity plan,
    the communication plan, milestones, phasing out and the gap-analysis report."""
    if point != "BP3":
        return {}
    plan = ImplementationPlan.objects.filter(case=case).select_related("anchored_by").first()
    activities = plan_activities(plan) if plan else []
    return {
        "bp3": {
            "plan": plan,
            "checklist": list(
                ChecklistItem.objects.filter(checklist__case=case).select_related("ticked_by")
            ),
            "activities": activities,
            "communication": list(plan.communication_items.all()) if plan else [],
            "milestones": list(plan.milestones.all()) if plan else [],
            "phase_outs": list(plan.phase_outs.all()) if plan else [],
            # The gaps the plan consciously leaves out, which the gap-analysis page promises
            # management sees at BP3, and the indicators the case will be followed up with.
            "exclusions": list(
                plan.exclusions.select_related("gap_row__recommendation", "decided_by")
            )
            if plan
            else [],
            "indicators": list(FollowUpIndicator.objects.filter(case=case).order_by("code")),
            "gap_report": Document.objects.filter(
                case=case, kind=DocumentKind.BP2, status=Document.Status.READY
            )
            .order_by("-requested_at")
            .first(),
        }
    }
