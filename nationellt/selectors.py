"""Where the regions stand with each national knowledge support, as far as each one shares.

Each region's work with a support is its latest case for it. Shared with every signed-in user:
the station, the dates the case passed BP1–BP3, and how its gap analysis came out per
recommendation (counts). Shared when the region opts in (`RegionSharing`): the analysis row by
row, the plan's activities, the indicators' latest values. Never: names, comments, who did what.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery

from common.search import Lowered, contains_folded
from gapanalys.models import CurrentState, GapAnalysis, GapRow
from gapanalys.services import may_edit
from implementering.models import Activity, FollowUpIndicator, MeasureKind, Measurement
from kunskapsstyrning.models import (
    BOARD_STATIONS,
    Case,
    Decision,
    DecisionPoint,
    KnowledgeSupport,
    Outcome,
    State,
)
from kunskapsstyrning.selectors import STATE_LABELS
from organisation.models import Region

from .models import NationalDecision, RegionSharing

STATION_OF: dict[str, Any] = {
    state: label for _key, label, states in BOARD_STATIONS for state in states
}
# Recommendations per page of the cross-region tally (the largest supports have 300).
TALLY_PER_PAGE = 25
# The assessments the cross-region table counts, in the order a reader expects them.
COUNTED = [
    CurrentState.DONE,
    CurrentState.PARTLY,
    CurrentState.NOT_DONE,
    CurrentState.NOT_APPLICABLE,
]


def regions_for(user: Any) -> QuerySet[Region]:
    """Every region for a signed-in user; for the public only those that chose to be seen."""
    if user.is_authenticated:
        return Region.objects.all()
    return Region.objects.filter(sharing__public=True)


def station_label(state: str) -> str:
    """Where a case stands, in the board's words ("BP1 – gap-analys pågår"), or its end state."""
    return str(STATION_OF.get(state) or STATE_LABELS.get(state, state))


def latest_per_region(cases: list[Case]) -> list[Case]:
    """The latest case of each region from cases ordered by region, newest first."""
    seen: set[int] = set()
    latest = []
    for case in cases:
        if case.region_id not in seen:
            seen.add(case.region_id)
            latest.append(case)
    return latest


def overview(user: Any, text: str = "") -> QuerySet[KnowledgeSupport]:
    """Knowledge supports some region in the reader's view works on, in Swedish title order
    (`stations_of` tells where each region stands with a page of them)."""
    regions = regions_for(user)
    supports = KnowledgeSupport.objects.filter(
        pk__in=Case.objects.filter(region__in=regions).values("knowledge_support_id")
    )
    if text:
        supports = supports.filter(contains_folded(text, "title"))
    return supports.order_by(Lowered("title"), "version", "pk")


@dataclass(frozen=True)
class Station:
    """Where one region stands with a support: its latest case's station."""

    region: str
    state: str
    label: str


def stations_of(support_ids: Collection[int], user: Any) -> dict[int, list[Station]]:
    """For each support, every visible region's station (its latest case's), by region name.

    One query of plain values: the overview shows 25 supports × 21 regions, and a model
    instance per case was most of the page's time at national scale."""
    latest = (
        Case.objects.filter(
            knowledge_support_id=OuterRef("knowledge_support_id"), region_id=OuterRef("region_id")
        )
        .order_by("-opened_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        Case.objects.filter(
            region__in=regions_for(user), knowledge_support_id__in=support_ids, pk=Subquery(latest)
        )
        .order_by(Lowered("region__name"), "region_id")
        .values_list("knowledge_support_id", "region__name", "state")
    )
    labels = {state: station_label(state) for state in State.values}  # translated once
    stations: dict[int, list[Station]] = defaultdict(list)
    for support_id, region, state in rows:
        stations[support_id].append(Station(region, state, labels[state]))
    return stations


@dataclass
class RegionalWork:
    """One region's work with the support, as far as the region shares it."""

    case: Case
    station: str
    passed: dict[str, date] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    sharing: RegionSharing | None = None  # what the region chose to share
    rows: list[GapRow] | None = None  # None: the region does not share its analysis (or unread)
    activities: list[Activity] | None = None
    indicators: list[SharedIndicator] | None = None

    @property
    def region(self) -> Region:
        return self.case.region

    @property
    def shares_more(self) -> bool:
        """The region shares more than the defaults: its analysis, plan or indicators."""
        sharing = self.sharing
        return bool(
            sharing and (sharing.share_analysis or sharing.share_plan or sharing.share_indicators)
        )

    @property
    def assessed(self) -> int:
        """How many recommendations the region assessed (its analysis's summary)."""
        analysis = getattr(self.case, "gap_analysis", None)
        return analysis.assessed_count if analysis is not None else 0

    @property
    def point_dates(self) -> list[tuple[str, date | None]]:
        """(point, the date the case passed it or None) for BP1, BP2, BP3."""
        return [(point, self.passed.get(point)) for point in DecisionPoint.values]


@dataclass
class RecommendationTally:
    """How the regions assessed one recommendation: counts per assessment."""

    number: int
    text: str
    counts: list[tuple[str, int]]  # (assessment's label, number of regions), in COUNTED order
    regions: int


def across_regions(
    support: KnowledgeSupport,
    user: Any,
    details: Collection[int] | Literal["all"] | None = None,
    tally_page: str | int | None = None,
) -> dict[str, Any]:
    """Every visible region's latest case for `support` and the per-recommendation tally over
    all of them; for the regions in `details` (ids, or "all") also the analysis, plan and
    indicators each of them shares. The page reads no details: each region's own page does.
    With `tally_page`, the tally's recommendations are one page of TALLY_PER_PAGE."""
    cases = latest_per_region(
        list(
            support.cases.filter(region__in=regions_for(user))
            .select_related("region", "region__sharing", "gap_analysis")
            .order_by("region__name", "-opened_at", "-pk")
        )
    )
    work = {
        case.pk: RegionalWork(case, station_label(case.state), sharing=sharing_of(case.region))
        for case in cases
    }
    case_ids = list(work)
    # The dates each case passed a point: its latest approving decision per point.
    approvals = (
        Decision.objects.filter(case_id__in=case_ids, outcome=Outcome.APPROVED)
        .order_by("recorded_at", "pk")
        .values_list("case_id", "point", "decided_on")
    )
    for case_id, point, decided_on in approvals:
        work[case_id].passed[point] = decided_on
    assessed = GapRow.objects.filter(analysis__case_id__in=case_ids).exclude(current_state="")
    if details is not None:
        # Each region's counts per assessment, for the pages and the workbook that show them
        # (the support's page shows how many each region assessed: the analysis's summary).
        for case_id, current_state, n in (
            assessed.values_list("analysis__case_id", "current_state")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            work[case_id].counts[current_state] += n
    # A support may have hundreds of recommendations: the page shows them a page at a time
    # (`tally_page`), the workbook all; only the shown ones are counted and become rows.
    # (Counted by region and recommendation in one query instead, the most-used support's
    # page at scale N read 5,400 grouped rows: 7 ms in PostgreSQL and as much in Python.)
    listed: list[tuple[int, int, str]] = list(
        support.recommendations.order_by("number").values_list("pk", "number", "text")
    )
    page = None
    if tally_page is not None:
        page = Paginator(listed, TALLY_PER_PAGE).get_page(tally_page)
        listed = list(page.object_list)
        assessed = assessed.filter(recommendation_id__in=[pk for pk, _n, _t in listed])
    tally: dict[int, Counter[str]] = defaultdict(Counter)
    for recommendation_id, current_state, n in (
        assessed.values_list("recommendation_id", "current_state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        tally[recommendation_id][current_state] += n
    labels = [str(CurrentState(state).label) for state in COUNTED]
    recommendations = [
        RecommendationTally(
            number,
            text,
            list(zip(labels, [tally[pk][state] for state in COUNTED], strict=True)),
            # One row a recommendation in each analysis: the regions that assessed it.
            sum(tally[pk].values()),
        )
        for pk, number, text in listed
    ]
    if details is not None:
        _add_what_is_shared(
            {pk: w for pk, w in work.items() if details == "all" or w.region.pk in details}
        )
    return {
        "regional": list(work.values()),
        "recommendations": recommendations,
        "tally_page": page,
        "counted": labels,
        "counted_states": COUNTED,
        "points": DecisionPoint.values,
    }


def analyses_to_fill(user: Any, support_id: int) -> list[GapAnalysis]:
    """The user's open gap analyses of the support that they may fill (they sit in the LAG or
    chair the LPO): where another region's shared analysis can serve as a template."""
    analyses = (
        GapAnalysis.objects.visible_to(user)
        .filter(case__knowledge_support_id=support_id, case__state=State.GAP_ANALYSIS)
        .select_related("case__region", "case__responsible_lpo", "lag")
    )
    return [analysis for analysis in analyses if may_edit(user, analysis)]


def sharing_of(region: Region) -> RegionSharing:
    """The region's choices; the defaults (nothing beyond stations and counts) when unset."""
    try:
        return region.sharing
    except RegionSharing.DoesNotExist:
        return RegionSharing(region=region)


@dataclass(frozen=True)
class SharedIndicator:
    """An indicator a region shares: what it measures and its latest period's result."""

    code: str
    name: str
    is_proportion: bool
    unit: str
    latest: Decimal | None
    latest_period: date | None


def _add_what_is_shared(work: dict[int, RegionalWork]) -> None:
    """The opted-in parts, each read in one query for all regions that share it."""
    choices = {pk: w.sharing or sharing_of(w.case.region) for pk, w in work.items()}
    rows: dict[int, list[GapRow]] = defaultdict(list)
    activities: dict[int, list[Activity]] = defaultdict(list)
    indicators: dict[int, list[SharedIndicator]] = defaultdict(list)
    analysis_ids = [pk for pk, s in choices.items() if s.share_analysis]
    for row in (
        GapRow.objects.filter(analysis__case_id__in=analysis_ids)
        .select_related("analysis", "recommendation")
        .only(
            "current_state",
            "today_practice",
            "proposal",
            "analysis__case_id",
            "recommendation__number",
            "recommendation__text",
        )
        .order_by("recommendation__number", "pk")
    ):
        rows[row.analysis.case_id].append(row)
    plan_ids = [pk for pk, s in choices.items() if s.share_plan]
    for activity in (
        Activity.objects.filter(plan__case_id__in=plan_ids)
        .select_related("plan")
        .only("title", "principal", "status", "start", "due", "completed_on", "plan__case_id")
        .order_by("start", "due", "pk")
    ):
        activities[activity.plan.case_id].append(activity)
    indicator_ids = [pk for pk, s in choices.items() if s.share_indicators]
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period_start", "-pk")
    for indicator in (
        FollowUpIndicator.objects.filter(case_id__in=indicator_ids)
        .annotate(
            latest_period=Subquery(latest.values("period_start")[:1]),
            latest_numerator=Subquery(latest.values("numerator")[:1]),
            latest_denominator=Subquery(latest.values("denominator")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
        )
        .values_list(
            "case_id",
            "code",
            "name",
            "measure",
            "unit",
            "latest_period",
            "latest_numerator",
            "latest_denominator",
            "latest_value",
        )
        .order_by("code", "pk")
    ):
        case_id, code, name, measure, unit, period, numerator, denominator, value = indicator
        proportion = measure == MeasureKind.PROPORTION
        indicators[case_id].append(
            SharedIndicator(
                code,
                name,
                proportion,
                unit,
                _percent(numerator, denominator) if proportion else value,
                period,
            )
        )
    for pk in analysis_ids:
        work[pk].rows = rows[pk]
    for pk in plan_ids:
        work[pk].activities = activities[pk]
    for pk in indicator_ids:
        work[pk].indicators = indicators[pk]


def _percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    """A proportion in percent to one decimal (the measurement's own rule), or None when it
    cannot be told."""
    share = Measurement(numerator=numerator, denominator=denominator).proportion
    if share is None:
        return None
    return (Decimal(share) * 100).quantize(Decimal("0.1"))


# --- The national decision ------------------------------------------------------------------


def national_decision_of(case: Case) -> NationalDecision | None:
    """The national decision on the case's support, if recorded; the case page has read it with
    the case (`register_case_panel(related=…)`), elsewhere it is one query."""
    try:
        return case.knowledge_support.national_decision
    except NationalDecision.DoesNotExist:
        return None


def national_decision_panel(case: Case, user: Any) -> dict[str, Any]:
    """The case page's panel: the national decision on the case's support, once recorded (in
    any region), and whether this person records or applies it now. One query."""
    from .services import AWAITING_NATIONAL, may_record_national_decision

    decision = national_decision_of(case)
    waiting = case.state in AWAITING_NATIONAL
    return {
        "national_decision": decision,
        "national_decision_waiting": waiting,
        "national_decision_may_record": waiting and may_record_national_decision(user, case),
    }
