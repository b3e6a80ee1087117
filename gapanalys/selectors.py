"""Reads of the gap analysis: the table page, the report, and the blocks other apps show."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kunskapsstyrning.models import Case, Decision, DecisionPoint, Outcome, State
from kunskapsstyrning.services import is_chair
from organisation.models import Membership
from organisation.permissions import scope_of

from .models import (
    CurrentState,
    GapAnalysis,
    GapRow,
    Principal,
    Priority,
    StatementKind,
    required_statement_kinds,
)
from .services import may_edit

NOT_ASSESSED = "ej_bedomd"
NOT_SET = "ej_angiven"


def gap_analysis_ready(case):
    """Whether the case's gap analysis may go to BP2.

    Until a case has a gap analysis in this app (cases moved on paper before the product),
    nothing here blocks BP2; once it has one, every row must be assessed.
    """
    analysis = getattr(case, "gap_analysis", None)
    if analysis is None:
        return True
    return analysis.is_ready_for_bp2


def analysis_for(user, case_pk):
    """The case's analysis if the user may see it (404 otherwise), with what pages show."""
    queryset = GapAnalysis.objects.visible_to(user).select_related(
        "case__region", "case__knowledge_support", "case__responsible_lpo", "lag"
    )
    try:
        return queryset.get(case_id=case_pk)
    except GapAnalysis.DoesNotExist as exc:
        raise Http404 from exc


def case_visible(user, case):
    """Whether the user may open the case page: a LAG member outside the LPO may not.

    Answered from the cached scope for chairs, strategists and management; one query only for
    someone who reaches the analysis through a LAG alone.
    """
    scope = scope_of(user)
    if (
        scope.is_admin
        or case.region_id in scope.overseen_region_ids
        or scope.has("view_unit_cases", case.responsible_lpo_id)
    ):
        return True
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


@dataclass
class Progress:
    total: int
    assessed: int
    gaps_without_proposal: int = 0

    @property
    def percent(self):
        return round(100 * self.assessed / self.total) if self.total else 0

    @property
    def complete(self):
        return self.total > 0 and self.assessed == self.total


def progress_of(analysis):
    """Rows assessed of total, and gaps still lacking a proposal: one query."""
    counts = analysis.rows.aggregate(
        total=Count("pk"),
        assessed=Count("pk", filter=~Q(current_state="")),
        gaps_without_proposal=Count(
            "pk",
            filter=Q(current_state__in=[CurrentState.PARTLY, CurrentState.NOT_DONE], proposal=""),
        ),
    )
    return Progress(**counts)


def filter_rows(rows, *, state="", principal="", priority="", review=False):
    """Narrow a row queryset by the table's filters; unknown values are ignored."""
    if state == NOT_ASSESSED:
        rows = rows.filter(current_state="")
    elif state in CurrentState.values:
        rows = rows.filter(current_state=state)
    if principal == NOT_SET:
        rows = rows.filter(principal="")
    elif principal in Principal.values:
        rows = rows.filter(principal=principal)
    if priority == NOT_SET:
        rows = rows.filter(priority__isnull=True)
    elif priority.isdigit() and int(priority) in Priority.values:
        rows = rows.filter(priority=int(priority))
    if review:
        rows = rows.filter(needs_review=True)
    return rows


def table_rows(analysis, **filters):
    """The rows the table shows, in recommendation order: one query at any size."""
    rows = GapRow.objects.filter(analysis=analysis).select_related("recommendation")
    return list(filter_rows(rows, **filters).order_by("recommendation__number"))


def returned_decision(case):
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


def lag_members(analysis):
    if analysis.lag_id is None:
        return []
    return list(
        Membership.objects.active_on()
        .filter(unit_id=analysis.lag_id)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )


# --- The report ---------------------------------------------------------------------------


def report(analysis):
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
    required = required_statement_kinds(analysis.case)
    labels = dict(StatementKind.choices)
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


def decision_material(case, point):
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


def home_sections(user):
    """A LAG member's analyses in progress; a chair's analyses of their LPOs."""
    scope = scope_of(user)
    sections = {}
    base = GapAnalysis.objects.with_progress().select_related(
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
        sections["gap_lpo_analyses"] = list(
            base.filter(
                case__responsible_lpo_id__in=lpo_ids,
                case__state__in=[State.GAP_ANALYSIS, State.BP2],
            ).order_by("due_date", "pk")[:50]
        )
        sections["gap_lag_needed"] = list(
            _cases_without_lag(lpo_ids)
            .select_related("knowledge_support", "responsible_lpo")
            .order_by("due_date", "pk")[:50]
        )
    return sections


def _cases_without_lag(lpo_ids):
    return Case.objects.filter(responsible_lpo_id__in=lpo_ids, state=State.GAP_ANALYSIS).exclude(
        gap_analysis__lag__isnull=False
    )


def case_panel(case, user):
    """The gap-analysis panel of the case page: link, progress, "form the LAG"."""
    if case.state in (State.REMISS, State.NATIONAL_DECISION, State.PRIORITISATION, State.BP1):
        return {}
    analysis = GapAnalysis.objects.filter(case=case).with_progress().select_related("lag").first()
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
            "percent": round(100 * analysis.assessed_count / analysis.row_count)
            if analysis is not None and analysis.row_count
            else 0,
        }
    }
