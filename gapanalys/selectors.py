"""Reads of the gap analysis: the table page, the report, and the blocks other apps show."""

from dataclasses import dataclass

from django.http import Http404
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.urls import url_for_each
from kunskapsstyrning import selectors as case_selectors
from kunskapsstyrning.models import (
    CareLevel,
    Case,
    Decision,
    DecisionPoint,
    Outcome,
    State,
)
from kunskapsstyrning.services import is_chair
from organisation.models import Membership
from organisation.permissions import scope_of

from .models import (
    STATES_NEEDING_PROPOSAL,
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


# What the analysis's pages show of it: the case, its knowledge support, the LAG. Each join
# more costs PostgreSQL planning time on every request (the region and the LPO: 0.3 ms).
ANALYSIS_RELATED = ["case__knowledge_support", "lag"]


def analysis_for(user, case_pk):
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


def row_for(user, case_pk, row_pk):
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


def analysis_visible(user, analysis):
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


def case_visible(user, case):
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
    def percent(self):
        return round(100 * self.assessed / self.total) if self.total else 0

    @property
    def complete(self):
        return self.total > 0 and self.assessed == self.total


def progress_of(analysis):
    """Rows assessed of total, and gaps still lacking a proposal: read from the summary the
    services keep on the analysis, no query."""
    return Progress(
        total=analysis.row_count,
        assessed=analysis.assessed_count,
        gaps_without_proposal=analysis.gaps_without_proposal,
    )


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
    """The rows with their recommendations, in recommendation order: one query at any size."""
    rows = GapRow.objects.filter(analysis=analysis).select_related("recommendation")
    return list(filter_rows(rows, **filters).order_by("recommendation__number"))


# --- The table's rows, as the page shows them ---------------------------------------------


# A row as the table shows it (`_rows.html`), as a dict of plain strings with its labels and
# links made here: 300 rows through an include each, with three `{% url %}`, a
# `{% blocktranslate %}` and labels and numbers formatted by the template engine cost 40 ms.
# A dict, not an object: the template engine tries `row[key]` first, and an exception for
# each of twenty lookups a row is measurable at 300 rows.
TABLE_ROW_KEYS = [
    "pk",
    "dom_id",  # the <tr>'s id, which htmx swaps
    "number",
    "text",
    "care_level",
    "needs_review",
    "state",  # "" while unassessed
    "state_class",
    "state_label",
    "proposal",  # its first 30 words
    "lacks_proposal",
    "principal",
    "principal_label",
    "priority",  # the label, "" when not set
    "name",  # "rekommendation 12", for screen readers beside "Ändra"/"Visa"
    "url",  # the row alone (`gap_row`)
    "edit_url",
    "report_url",
]


# Read as values, not model instances: 600 instances for 300 rows cost more than the query.
TABLE_FIELDS = [
    "pk",
    "recommendation__number",
    "recommendation__text",
    "recommendation__care_level",
    "needs_review",
    "current_state",
    "proposal",
    "principal",
    "priority",
]


def _table_row_maker(case_pk):
    """A function from a row's TABLE_FIELDS to its table row; labels translated once."""
    states = {value: str(label) for value, label in CurrentState.choices}
    states[""] = gettext("Ej bedömd")
    principals = {value: str(label) for value, label in Principal.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    care_levels = {value: str(label) for value, label in CareLevel.choices}
    named = gettext("rekommendation %(n)s")
    row_url = url_for_each("gap_row", case_pk)
    edit_url = url_for_each("gap_row_edit", case_pk)
    report = reverse("gap_report", args=[case_pk])

    def make(pk, number, text, care_level, needs_review, state, proposal, principal, priority):
        return {
            "pk": pk,
            "dom_id": f"rad-{pk}",
            "number": str(number),
            "text": text,
            "care_level": care_levels.get(care_level, care_level),
            "needs_review": needs_review,
            "state": state,
            "state_class": state or "none",
            "state_label": states.get(state, state),
            "proposal": truncatewords(proposal, 30) if proposal else "",
            "lacks_proposal": state in STATES_NEEDING_PROPOSAL and not proposal.strip(),
            "principal": principal,
            "principal_label": principals.get(principal, principal),
            "priority": priorities.get(priority, "") if priority is not None else "",
            "name": named % {"n": number},
            "url": row_url(pk),
            "edit_url": edit_url(pk),
            "report_url": f"{report}#rek-{number}",
        }

    return make


def table(analysis, **filters):
    """The table's rows (TABLE_ROW_KEYS), in recommendation order: one query at any size."""
    rows = filter_rows(GapRow.objects.filter(analysis=analysis), **filters)
    make = _table_row_maker(analysis.case_id)
    return [
        make(*values)
        for values in rows.order_by("recommendation__number").values_list(*TABLE_FIELDS)
    ]


def table_row(row):
    """One GapRow (with its recommendation) as the table shows it, for the in-place swaps."""
    recommendation = row.recommendation
    return _table_row_maker(row.analysis.case_id)(
        row.pk,
        recommendation.number,
        recommendation.text,
        recommendation.care_level,
        row.needs_review,
        row.current_state,
        row.proposal,
        row.principal,
        row.priority,
    )


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
