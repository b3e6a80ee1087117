"""Reads of the gap analysis: the table page, the report, and the blocks other apps show."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kunskapsstyrning import selectors as case_selectors
from kunskapsstyrning.models import (
    Case,
    Decision,
    DecisionPoint,
    Outcome,
    State,
)
from organisation.models import Membership, User
from organisation.permissions import is_chair, scope_of

from .models import (
    CurrentState,
    GapAnalysis,
    GapRow,
    Principal,
    required_statement_kinds,
    statement_labels,
    statement_types_of,
)
from .services import may_edit

NOT_ASSESSED = "ej_bedomd"
NOT_SET = "ej_angiven"


def gap_analysis_ready(case: Case) -> bool:
    """Whether the case's gap analysis may go to BP2, and BP2 approve it: the case has one in
    this app, every row assessed, every gap with a proposal, the required statements in.

    A case without an analysis here is not ready: BP2 approves an analysis, and its decision
    document carries the report.
    """
    analysis = getattr(case, "gap_analysis", None)
    if analysis is None:
        return False
    return analysis.is_ready_for_bp2


# What the analysis's pages show of it: the case, its knowledge support, the LAG, and the
# region (whose kinds of statement the BP2 check reads; a region still on its reference kinds
# is known by its county code). Each join more costs PostgreSQL planning time on every request
# (the region and the LPO: 0.3 ms); the region's join saves a query of its own.
ANALYSIS_RELATED = ["case__knowledge_support", "case__region", "lag"]


def analysis_for(user: User, case_pk: int) -> GapAnalysis:
    """The case's analysis if the user may see it (404 otherwise), with what pages show.

    Found by the case and then checked against the scope (`analysis_visible`), as the case page
    does: the scope's subqueries beside five joins cost more to build and plan than to run.
    """
    try:
        analysis = GapAnalysis.objects.select_related(*ANALYSIS_RELATED).get(case_id=case_pk)
    except GapAnalysis.DoesNotExist as exc:
        raise Http404 from exc
    if not analysis_visible(user, analysis):
        raise Http404
    return analysis


def row_for(user: User, case_pk: int, row_pk: int) -> GapRow:
    """One row of the case's analysis, if the user may see the analysis (404 otherwise), with
    its recommendation, editor, analysis and case: one query for what the row's fragments
    show (the page without JavaScript reads the knowledge support's title with one more)."""
    rows = GapRow.objects.select_related("recommendation", "updated_by", "analysis__case")
    try:
        row = rows.get(pk=row_pk, analysis__case_id=case_pk)
    except GapRow.DoesNotExist as exc:
        raise Http404 from exc
    if not analysis_visible(user, row.analysis):
        raise Http404
    return row


def analysis_visible(user: User, analysis: GapAnalysis) -> bool:
    """Whether `GapAnalysis.objects.visible_to(user)` holds the analysis. Answered from the
    scope the request has already read for administrators, strategists, management, the
    responsible LPO's people and the LAG's; one query for anyone else."""
    scope = scope_of(user)
    if (
        scope.is_admin
        or analysis.case.region_id in scope.overseen_region_ids
        or analysis.case.responsible_lpo_id in scope.case_lpo_ids
        or analysis.lag_id in scope.unit_ids("view_unit_cases")
        or analysis.lag_id in scope.unit_ids("edit_analysis")
    ):
        return True
    return GapAnalysis.objects.visible_to(user).filter(pk=analysis.pk).exists()


def case_visible(user: User, case: Case) -> bool:
    """Whether the user may open the case page: a LAG member outside the LPO may not.

    Answered from the cached scope for chairs, strategists, management and the LAG members
    who read the LPO's cases; one query for someone who reaches the analysis otherwise.
    """
    return case_selectors.case_visible(user, case)


@dataclass
class Progress:
    total: int
    assessed: int
    gaps_without_proposal: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.assessed == self.total


def progress_of(analysis: GapAnalysis) -> Progress:
    """Rows assessed of total, and gaps still lacking a proposal: read from the summary the
    services keep on the analysis, no query."""
    return Progress(
        total=analysis.row_count,
        assessed=analysis.assessed_count,
        gaps_without_proposal=analysis.gaps_without_proposal,
    )


def table_rows(analysis: GapAnalysis) -> list[GapRow]:
    """The rows with their recommendations, in recommendation order: one query at any size."""
    rows = GapRow.objects.filter(analysis=analysis).select_related("recommendation")
    return list(rows.order_by("recommendation__number"))


# The table's columns: what `_rows.html` shows of a row and its recommendation. The long
# texts a row also holds (practice, causes, consequences) stay in the database.
TABLE_FIELDS = [
    "analysis_id",
    "recommendation__number",
    "recommendation__text",
    "recommendation__care_level",
    "needs_review",
    "current_state",
    "proposal",
    "principal",
    "priority",
    "version",
]


def table(rows: QuerySet[GapRow]) -> list[GapRow]:
    """The table's rows (a filtered queryset of one analysis's rows) with their
    recommendations, in recommendation order: one query at any size."""
    return list(
        rows.select_related("recommendation").only(*TABLE_FIELDS).order_by("recommendation__number")
    )


def table_version(rows: Iterable[GapRow]) -> str:
    """What the table's cached rows are keyed on: each row's id and version (every change to a
    row goes through a versioned update; recommendations are not edited). Rendering 300 rows
    costs ~80 ms, mostly in get_FOO_display (~0.1 ms a call, four a row); cached, ~2 ms."""
    return hashlib.md5(repr([(row.pk, row.version) for row in rows]).encode()).hexdigest()


def returned_decision(case: Case) -> Decision | None:
    """The BP2 decision that sent the analysis back, while the case is back in gap analysis."""
    if case.state != State.GAP_ANALYSIS:
        return None
    last = (
        Decision.objects.filter(case=case, point=DecisionPoint.BP2)
        .select_related("deciding_body")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return last if last is not None and last.outcome == Outcome.RETURNED else None


def lag_members(analysis: GapAnalysis) -> list[Membership]:
    if analysis.lag_id is None:
        return []
    return list(
        Membership.objects.active_on()
        .filter(unit_id=analysis.lag_id)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )


# --- The report ---------------------------------------------------------------------------


def report(analysis: GapAnalysis) -> dict[str, Any]:
    """The summary that becomes the BP2 decision material.

    Counts per current state and principal, the proposals, the consequences, roles and
    responsibilities and the statements. Four queries at any size: rows, statements,
    required statements, LAG members.
    """
    rows = list(
        GapRow.objects.filter(analysis=analysis)
        .select_related("recommendation", "updated_by")
        .order_by("recommendation__number")
    )
    state_keys = [*CurrentState.values, ""]
    principal_keys = [*Principal.values, ""]
    matrix = {s: {p: 0 for p in principal_keys} for s in state_keys}
    for row in rows:
        matrix[row.current_state][row.principal] += 1
    state_labels = {**dict(CurrentState.choices), "": _("Ej bedömd")}
    counts = [
        {
            "key": s or NOT_ASSESSED,
            "label": state_labels[s],
            "cells": [matrix[s][p] for p in principal_keys],
            "total": sum(matrix[s].values()),
        }
        for s in state_keys
    ]
    principal_totals = [sum(matrix[s][p] for s in state_keys) for p in principal_keys]
    statements = list(analysis.statements.select_related("recorded_by"))
    given = {s.kind for s in statements}
    types = statement_types_of(analysis.case.region)
    required = required_statement_kinds(analysis.case, types)
    labels = statement_labels(analysis.case.region, types)
    for statement in statements:
        # The region's name for its kind, for the templates (a kind is not a choice of the field).
        statement.kind_label = labels.get(statement.kind, statement.kind)  # type: ignore[attr-defined]
    return {
        "analysis": analysis,
        "case": analysis.case,
        "rows": rows,
        "total": len(rows),
        "assessed": sum(1 for r in rows if r.is_assessed),
        "counts": counts,
        "principal_columns": [
            {"key": p or NOT_SET, "label": dict(Principal.choices).get(p, _("Ej angiven"))}
            for p in principal_keys
        ],
        "principal_totals": principal_totals,
        "proposals": [r for r in rows if r.proposal or r.start_doing or r.stop_doing],
        "gaps_without_proposal": [r for r in rows if r.lacks_proposal],
        "consequences": [r for r in rows if r.has_consequences],
        "statements": statements,
        "required_statements": [
            {"kind": kind, "label": labels[kind], "given": kind in given} for kind in required
        ],
        "members": lag_members(analysis),
    }


def decision_material(case: Case, point: str) -> dict[str, Any]:
    """The gap-analysis report for the BP2 decision page and document."""
    if point != "BP2":
        return {}
    analysis = (
        GapAnalysis.objects.select_related("case__region", "case__knowledge_support", "lag")
        .filter(case=case)
        .first()
    )
    if analysis is None:
        return {}
    return {"gap_report": report(analysis)}


# --- Blocks on the home page and the case page --------------------------------------------


def home_sections(user: User) -> dict[str, Any]:
    """A LAG member's analyses in progress; a chair's analyses of their LPOs."""
    scope = scope_of(user)
    sections: dict[str, list[Any]] = {}
    base = GapAnalysis.objects.select_related(
        "case__knowledge_support", "case__responsible_lpo", "lag"
    )
    lag_ids = scope.unit_ids("edit_analysis")
    if lag_ids:
        sections["gap_my_analyses"] = list(
            base.filter(lag_id__in=lag_ids, case__state=State.GAP_ANALYSIS).order_by(
                "due_date", "pk"
            )[:50]
        )
    lpo_ids = scope.unit_ids("act_for_unit")
    if lpo_ids:
        # The LPOs' cases at the analysis with their analyses, in one query: those analysed
        # (by the analysis's date) and those still waiting for a LAG (by the case's).
        cases = list(
            Case.objects.filter(
                responsible_lpo_id__in=lpo_ids, state__in=[State.GAP_ANALYSIS, State.BP2]
            )
            .select_related("knowledge_support", "responsible_lpo", "gap_analysis__lag")
            .order_by("due_date", "pk")[:100]
        )
        analyses = [c.gap_analysis for c in cases if getattr(c, "gap_analysis", None)]
        analyses.sort(key=lambda a: (a.due_date is None, a.due_date or date.min, a.pk))
        sections["gap_lpo_analyses"] = analyses[:50]
        sections["gap_lag_needed"] = [c for c in cases if _needs_lag(c)][:50]
    return sections


def _needs_lag(case: Case) -> bool:
    analysis = getattr(case, "gap_analysis", None)
    return case.state == State.GAP_ANALYSIS and (analysis is None or analysis.lag_id is None)


def case_panel(case: Case, user: User) -> dict[str, Any]:
    """The gap-analysis panel of the case page: link, progress, "form the LAG".

    No query when the case page has joined `gap_analysis__lag` (progress is the summary).
    """
    if case.state in (State.REMISS, State.NATIONAL_DECISION, State.PRIORITISATION, State.BP1):
        return {}
    analysis = getattr(case, "gap_analysis", None)
    if analysis is None and case.state != State.GAP_ANALYSIS:
        return {}
    chair = is_chair(user, case)
    if analysis is not None:
        analysis.case = case
    return {
        "gap_panel": {
            "analysis": analysis,
            "can_form_lag": chair
            and case.state == State.GAP_ANALYSIS
            and (analysis is None or analysis.lag_id is None),
            "can_edit": analysis is not None
            and case.state == State.GAP_ANALYSIS
            and may_edit(user, analysis),
            "percent": progress_of(analysis).percent if analysis is not None else 0,
        }
    }
