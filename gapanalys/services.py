"""One function per intent in the gap analysis: form the LAG, save a row, add a statement,
import a spreadsheet, submit for BP2.

Each checks the actor's permission and the case's state, works inside one transaction and
writes a timeline event for the steps a reader of the case should see. Row saves are the
exception: a LAG saves hundreds of them, so they leave their trace on the row (who, when,
version) instead of in the timeline.
"""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.refusals import ActionRefused
from common.validators import MAX_TEXT_IN_A_CELL, happened
from kunskapsstyrning import services as case_services
from kunskapsstyrning import timeline
from kunskapsstyrning.models import Case, CaseEvent, State
from organisation.models import Membership, Region, Role, Unit, UnitKind, User
from organisation.permissions import is_chair, scope_of
from organisation.services import membership_save

from .models import (
    STATES_NEEDING_PROPOSAL,
    GapAnalysis,
    GapRow,
    Statement,
    StatementType,
    reference_statement_types,
    statement_labels,
    statement_types_of,
)

# The fields a LAG fills in on a row, in the order of the form and the spreadsheet.
ROW_FIELDS = [
    "current_state",
    "today_practice",
    "cause_analysis",
    "influence",
    "proposal",
    "start_doing",
    "stop_doing",
    "principal",
    "priority",
    "resource_need",
    *GapRow.CONSEQUENCE_FIELDS,
]
# What an analysis carries over from the previous version's row of an unchanged recommendation.
CARRIED_FIELDS = ROW_FIELDS
ANALYSIS_FIELDS = [
    "start_date",
    "presentation_date",
    "due_date",
    "scope_region",
    "scope_municipalities",
    "scope_care_levels",
    "summary",
    "roles_and_responsibilities",
]


class RowConflict(ActionRefused):
    """Someone saved the row after the editor opened it; `row` holds the newer version."""

    def __init__(self, row: GapRow) -> None:
        who = row.updated_by or _("någon annan")
        when = timezone.localtime(row.updated_at).strftime("%H:%M") if row.updated_at else ""
        super().__init__(
            _(
                "%(who)s sparade raden kl. %(when)s medan du skrev. Formuläret visar nu den "
                "nya texten; din text står under varje fält som skiljer sig. Jämför och spara igen."
            )
            % {"who": who, "when": when}
        )
        self.row = row


class AnalysisConflict(ActionRefused):
    """Someone saved the analysis's own fields after the editor opened them."""

    def __init__(self, analysis: GapAnalysis) -> None:
        super().__init__(
            _("Någon annan ändrade uppgifterna medan du skrev. Formuläret visar nu den nya texten.")
        )
        self.analysis = analysis


# --- Who may do what ----------------------------------------------------------------------


def is_lag_member(user: User, analysis: GapAnalysis) -> bool:
    return analysis.lag_id is not None and scope_of(user).has("edit_analysis", analysis.lag_id)


def may_edit(user: User, analysis: GapAnalysis) -> bool:
    """LAG members (and its process leader) and the chair of the case's LPO edit."""
    return is_lag_member(user, analysis) or is_chair(user, analysis.case)


def may_form_lag(user: User, case: Case) -> bool:
    return is_chair(user, case)


def _require_editor(actor: User, analysis: GapAnalysis) -> None:
    if not may_edit(actor, analysis):
        raise PermissionDenied(
            _("Bara LAG:ens medlemmar och LPO:ts ordförande arbetar i gap-analysen.")
        )


def _require_open(case: Case) -> None:
    if case.state != State.GAP_ANALYSIS:
        raise ActionRefused(
            _("Gap-analysen kan bara ändras när ärendet är i gap-analys (nu: %(state)s).")
            % {"state": case.get_state_display()}
        )


def _note(case: Case, actor: User | None, message: str) -> None:
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, message=message)


# --- Forming the LAG ----------------------------------------------------------------------


def _new_lag_code(case: Case, name: str, taken: str = "") -> str:
    slug = slugify(name).removeprefix("lag-").upper().replace("-", "_")
    base = f"{case.region.short_code}_LAG_{slug}"[:56]
    base = re.sub(r"_+", "_", base).strip("_")
    code, n = base, 1
    while code == taken or Unit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}_{n}"
    return code


def _appoint(user: User, unit: Unit, role: str, start_date: date) -> Membership | None:
    """Give `user` the role in `unit` unless they already hold it; permissions follow."""
    held = Membership.objects.active_on(start_date).filter(user=user, unit=unit, role=role)
    if held.exists():
        return None
    return membership_save(
        membership=Membership(user=user, unit=unit, role=role, start_date=start_date)
    )


@transaction.atomic
def lag_form(
    *,
    case_id: int,
    actor: User,
    process_leader: User,
    lag: Unit | None = None,
    name: str = "",
    members: Iterable[User] = (),
    municipal_representatives: Iterable[User] = (),
    start_date: date | None = None,
    presentation_date: date | None = None,
    due_date: date | None = None,
    scope_region: bool = True,
    scope_municipalities: bool = False,
    scope_care_levels: Iterable[str] = (),
) -> GapAnalysis:
    """The LPO chair forms a new LAG, or reactivates one of the LPO's LAGs, for the analysis.

    Creates the analysis with one row per recommendation the first time (carried over from the
    superseded case's analysis where the recommendation is unchanged). Running it again
    adds members and updates the timeline and scope.
    """
    case = case_services.case_locked(case_id, "knowledge_support")
    if not may_form_lag(actor, case):
        raise PermissionDenied(_("Bara LPO:ts ordförande bildar LAG för gap-analysen."))
    _require_open(case)
    today = timezone.localdate()
    start = start_date or today
    if due_date and start and due_date < start:
        raise ActionRefused(_("Klart för BP2 kan inte ligga före starten."))
    if presentation_date and due_date and presentation_date > due_date:
        raise ActionRefused(_("Presentationen i LPO:t behöver ligga före BP2-datumet."))
    if lag is not None:
        if lag.kind != UnitKind.LAG or lag.parent_id != case.responsible_lpo_id:
            raise ActionRefused(_("Välj en LAG som hör till ärendets LPO."))
        reactivated = not lag.active
        if reactivated:
            lag.active = True
            lag.save(update_fields=["active"])
        created = False
    else:
        # A LAG is known by its name on the pages, in the documents and on people's home
        # pages: two of one name under the LPO could not be told apart. A name left out is
        # made free (the support's version, then a number); one typed is the chair's to change.
        names = Unit.objects.filter(kind=UnitKind.LAG, parent=case.responsible_lpo)
        typed = (name or "").strip()[:200]
        if not typed:
            support = case.knowledge_support
            base = _("LAG %(title)s") % {"title": support.title}
            candidates = [base, f"{base} {support.version}"] + [
                f"{base} {support.version} ({n})" for n in range(2, 100)
            ]
            name = next(
                (c[:200] for c in candidates if not names.filter(name__iexact=c[:200]).exists()),
                candidates[-1][:200],
            )
        else:
            name = typed
        namesake = names.filter(name__iexact=name).first() if typed else None
        if namesake is not None:
            raise ActionRefused(
                _(
                    "LPO:t har redan en LAG som heter ”%(name)s”. Välj den i listan LAG för att "
                    "återaktivera den, eller ge den nya ett annat namn."
                )
                % {"name": namesake.name}
            )
        lag = Unit(
            kind=UnitKind.LAG,
            code=_new_lag_code(case, name),
            name=name[:200],
            parent=case.responsible_lpo,
            region=case.region,
            municipalities_participate=bool(municipal_representatives),
        )
        lag.full_clean()
        for _attempt in range(5):
            try:
                with transaction.atomic():  # a savepoint: another case may take the code now
                    lag.save()
                break
            except IntegrityError:
                lag.pk = None
                lag.code = _new_lag_code(case, name, taken=lag.code)
        else:
            raise ActionRefused(_("Arbetsgruppen kunde inte skapas just nu; försök igen."))
        created, reactivated = True, False

    _appoint(process_leader, lag, Role.PROCESS_LEADER, start)
    for user in members:
        if user.pk != process_leader.pk:
            _appoint(user, lag, Role.MEMBER, start)
    for user in municipal_representatives:
        # Nominated by the municipalities for all of them: members with the representation
        # on record beside it.
        _appoint(user, lag, Role.MEMBER, start)
        _appoint(user, lag, Role.MUNICIPAL_REPRESENTATIVE, start)
    if municipal_representatives and not lag.municipalities_participate:
        lag.municipalities_participate = True
        lag.save(update_fields=["municipalities_participate"])

    # Locked: the save below writes the row summary back as read (`_summary_refresh`).
    analysis, new_analysis = GapAnalysis.objects.select_for_update().get_or_create(case=case)
    previous_lag_id = analysis.lag_id
    analysis.lag = lag
    analysis.start_date = start
    analysis.presentation_date = presentation_date
    analysis.due_date = due_date
    analysis.scope_region = scope_region
    analysis.scope_municipalities = scope_municipalities
    analysis.scope_care_levels = list(scope_care_levels)
    analysis.version = F("version") + 1
    analysis.save()
    analysis.refresh_from_db(fields=["version"])
    if new_analysis:
        rows_prefill(analysis=analysis)
    # The BP2 date is the gap-analysis station's deadline: the strategist's list shows it.
    case_services.station_deadline_set(case, due_date)

    if created:
        message = _("%(lag)s bildades för gap-analysen; processledare %(leader)s.")
    elif reactivated:
        message = _("%(lag)s återaktiverades för gap-analysen; processledare %(leader)s.")
    elif previous_lag_id != lag.pk:
        message = _("%(lag)s leder gap-analysen; processledare %(leader)s.")
    else:
        message = _("LAG, tidplan och avgränsning uppdaterades (%(lag)s).")
    _note(case, actor, message % {"lag": lag.name, "leader": process_leader})
    return analysis


# --- The rows' summary --------------------------------------------------------------------

# What the summary counts, by column: every row, the assessed ones, the gaps without proposal.
SUMMARY = {
    "row_count": Q(),
    "assessed_count": ~Q(current_state=""),
    "gaps_without_proposal": Q(current_state__in=STATES_NEEDING_PROPOSAL, proposal=""),
}


def _summary_refresh(analysis: GapAnalysis) -> GapAnalysis:
    """Recount the analysis's rows into its summary columns and onto `analysis`: two queries.

    The caller holds the analysis's row lock, taken before it changed any row. Every writer
    of rows takes it first, so no other change is in flight while this counts, and those
    that committed before are seen (each statement reads afresh): two saves at once cannot
    leave a stale count behind.
    """
    counts = GapRow.objects.filter(analysis_id=analysis.pk).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in SUMMARY.items()}
    )
    GapAnalysis.objects.filter(pk=analysis.pk).update(**counts)
    for name, value in counts.items():
        setattr(analysis, name, value)
    return analysis


@transaction.atomic
def summary_refresh(*, analysis_id: int) -> GapAnalysis:
    """Recount one analysis's summary under its lock (after rows changed outside a service,
    as in the admin)."""
    analysis = GapAnalysis.objects.select_for_update().get(pk=analysis_id)
    return _summary_refresh(analysis)


def summaries_refresh(analyses: QuerySet[GapAnalysis]) -> int:
    """Recount the summaries of many analyses in one statement: for rows written in bulk by
    the demo and the scale generator, where nobody else writes."""
    rows = GapRow.objects.filter(analysis=OuterRef("pk")).order_by().values("analysis")
    return analyses.update(
        **{
            name: Coalesce(Subquery(rows.filter(condition).annotate(n=Count("pk")).values("n")), 0)
            for name, condition in SUMMARY.items()
        }
    )


# --- Rows ---------------------------------------------------------------------------------


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@transaction.atomic
def rows_prefill(*, analysis: GapAnalysis) -> int:
    """One row per recommendation of the case's knowledge support that has none yet.

    When the case supersedes a case with an analysis (KOL 1.0 → KOL 2.0), a recommendation
    whose number and text are unchanged keeps its assessment, marked for review; changed and
    new recommendations start empty. Returns the number of rows carried over.
    """
    # The summary's lock, as for every change of rows (`_summary_refresh`).
    GapAnalysis.objects.select_for_update().filter(pk=analysis.pk).values_list("pk").first()
    case = analysis.case
    recommendations = list(case.knowledge_support.recommendations.order_by("number"))
    existing = set(analysis.rows.values_list("recommendation_id", flat=True))
    previous_rows = {}
    if case.supersedes_id:
        previous = GapAnalysis.objects.filter(case_id=case.supersedes_id).first()
        if previous is not None:
            if analysis.previous_id is None:
                analysis.previous = previous
                analysis.save(update_fields=["previous"])
            previous_rows = {
                row.recommendation.number: row
                for row in previous.rows.select_related("recommendation")
            }
    new_rows, carried = [], 0
    for recommendation in recommendations:
        if recommendation.pk in existing:
            continue
        row = GapRow(analysis=analysis, recommendation=recommendation)
        old = previous_rows.get(recommendation.number)
        if old is not None and _same_text(old.recommendation.text, recommendation.text):
            for name in CARRIED_FIELDS:
                setattr(row, name, getattr(old, name))
            row.carried_from = old
            row.needs_review = True
            carried += 1
        new_rows.append(row)
    GapRow.objects.bulk_create(new_rows)
    _summary_refresh(analysis)
    if carried:
        _note(
            case,
            None,
            _(
                "%(carried)s av %(total)s rader fördes över från den tidigare versionens "
                "gap-analys och behöver granskas."
            )
            % {"carried": carried, "total": len(recommendations)},
        )
    return carried


def rows_for_new_recommendations(support: Any, recommendations: list[Any]) -> None:
    """Recommendations added to the catalogue reach the analyses under way for the support: a
    row each, said on the case's timeline. An analysis sent to BP2, or past it, keeps the rows
    it was decided on."""
    analyses = GapAnalysis.objects.filter(
        case__knowledge_support=support, case__state=State.GAP_ANALYSIS
    ).select_related("case")
    numbers = ", ".join(str(r.number) for r in sorted(recommendations, key=lambda r: r.number))
    for analysis in analyses:
        rows_prefill(analysis=analysis)
        _note(
            analysis.case,
            None,
            ngettext(
                "Rekommendation %(numbers)s lades till i katalogen och fick en rad i gap-analysen.",
                "Rekommendationerna %(numbers)s lades till i katalogen och fick var sin rad i "
                "gap-analysen.",
                len(recommendations),
            )
            % {"numbers": numbers},
        )


def _clean_row_data(row: GapRow, data: dict[str, Any]) -> dict[str, Any]:
    """Only the row's own fields, validated against the model's choices (no queries)."""
    unknown = set(data) - set(ROW_FIELDS)
    if unknown:
        raise ActionRefused(_("Okända fält: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "priority":
            value = value if value not in ("", None) else None
        elif value is None:
            value = ""
        setattr(row, name, value)
    try:
        row.clean_fields(exclude=[f.name for f in row._meta.fields if f.name not in data])
    except ValidationError as exc:
        raise ActionRefused(
            [
                f"{GapRow._meta.get_field(name).verbose_name.capitalize()}: {message}"  # type: ignore[union-attr]  # a concrete field: no relation has this name
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    return {name: getattr(row, name) for name in data}


@transaction.atomic
def row_save(*, row_id: int, actor: User, version: int, data: dict[str, Any]) -> GapRow:
    """Save a LAG's assessment of one row, unless someone saved it after `version`.

    Optimistic: no lock is held while people type. The update only matches the version the
    editor started from; if it matched nothing, the editor is shown the newer row
    (`RowConflict`) and nothing is overwritten. `row.analysis` carries the new summary.

    Two queries (the row with its analysis locked, the update), and two more to recount the
    summary when the row's state or proposal changed what it counts.
    """
    row = (
        GapRow.objects.select_related("analysis__case", "recommendation", "updated_by")
        .select_for_update(of=("analysis",))
        .get(pk=row_id)
    )
    _require_editor(actor, row.analysis)
    _require_open(row.analysis.case)
    counted = _counted(row)
    values = _clean_row_data(row, data)
    now = timezone.now()
    # The timeline counts a row once per person and day, however often it is saved.
    again = (
        row.updated_by_id == actor.pk
        and row.updated_at is not None
        and timezone.localdate(row.updated_at) == timezone.localdate(now)
    )
    # The version read must be the editor's too: then the update changes the row as read
    # here, and `counted` is what the summary held for it.
    updated = row.version == version and GapRow.objects.filter(pk=row.pk, version=version).update(
        **values,
        version=F("version") + 1,
        needs_review=False,
        updated_by=actor,
        updated_at=now,
    )
    if not updated:
        newer = GapRow.objects.select_related("recommendation", "updated_by").get(pk=row.pk)
        raise RowConflict(newer)
    row.version = version + 1
    row.needs_review = False
    row.updated_by = actor
    row.updated_at = now
    if _counted(row) != counted:
        _summary_refresh(row.analysis)
    timeline.work_counted(
        case=row.analysis.case,
        actor=actor,
        topic="gap-rader",
        words=_rows_assessed,
        new=not again,
    )
    return row


def _rows_assessed(name: str, n: int) -> str:
    return ngettext(
        "%(name)s bedömde %(n)s rad i gap-analysen.",
        "%(name)s bedömde %(n)s rader i gap-analysen.",
        n,
    ) % {"name": name, "n": n}


def _counted(row: GapRow) -> tuple[bool, bool]:
    """What of the row the summary counts."""
    return (row.is_assessed, row.is_gap and not row.proposal)


@transaction.atomic
def analysis_update(
    *, analysis_id: int, actor: User, version: int, data: dict[str, Any]
) -> GapAnalysis:
    """Save the analysis's timeline, scope and report text (summary, roles and responsibility)."""
    analysis = GapAnalysis.objects.select_related("case").get(pk=analysis_id)
    _require_editor(actor, analysis)
    _require_open(analysis.case)
    unknown = set(data) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ActionRefused(_("Okända fält: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    start = data.get("start_date", analysis.start_date)
    due = data.get("due_date", analysis.due_date)
    if start and due and due < start:
        raise ActionRefused(_("Klart för BP2 kan inte ligga före starten."))
    updated = GapAnalysis.objects.filter(pk=analysis.pk, version=version).update(
        **data, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise AnalysisConflict(GapAnalysis.objects.get(pk=analysis.pk))
    analysis.refresh_from_db()
    if "due_date" in data:
        case_services.station_deadline_set(analysis.case, analysis.due_date)
    return analysis


# --- Statements ---------------------------------------------------------------------------


@transaction.atomic
def statement_add(
    *,
    analysis_id: int,
    actor: User,
    kind: str,
    body: str,
    author: str,
    given_on: date,
    text: str,
) -> Statement:
    """Record a statement on the analysis, of one of the kinds the region asks for."""
    analysis = GapAnalysis.objects.select_related("case__region").get(pk=analysis_id)
    _require_editor(actor, analysis)
    _require_open(analysis.case)
    problems = []
    labels = statement_labels(analysis.case.region, statement_types_of(analysis.case.region))
    if kind not in labels:
        problems.append(_("Välj vilket slags yttrande det är."))
    if not (body or "").strip():
        problems.append(_("Ange vilken instans som yttrar sig."))
    if not (author or "").strip():
        problems.append(_("Ange vem som har undertecknat yttrandet."))
    if not (text or "").strip():
        problems.append(_("Skriv in yttrandet."))
    if given_on is None:
        problems.append(_("Ange yttrandets datum."))
    elif given_on > timezone.localdate():
        problems.append(_("Ett yttrande kan inte vara daterat i framtiden."))
    else:
        try:
            happened(given_on)  # not before the product's era
            # nor before the decision the analysis answers (BP1, or the BP2 that returned it)
            case_services.require_after_last_decision(
                analysis.case, given_on, _("Yttrandets datum")
            )
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ActionRefused(problems)
    statement = Statement.objects.create(
        analysis=analysis,
        kind=kind,
        body=body.strip(),
        author=author.strip(),
        given_on=given_on,
        text=text.strip(),
        recorded_by=actor,
    )
    words = {"kind": labels[kind], "body": statement.body, "date": given_on}
    _note(
        analysis.case,
        actor,
        # A body that is named like the kind (an LPO's own statement) is said once.
        _("Yttrande registrerat: %(kind)s (%(date)s).") % words
        if statement.body == str(labels[kind])
        else _("Yttrande registrerat: %(kind)s (%(body)s, %(date)s).") % words,
    )
    return statement


@transaction.atomic
def statement_delete(*, statement_id: int, actor: User) -> None:
    """Remove a statement recorded by mistake, while the analysis is still open."""
    statement = Statement.objects.select_related("analysis__case__region").get(pk=statement_id)
    _require_editor(actor, statement.analysis)
    _require_open(statement.analysis.case)
    case = statement.analysis.case
    label = statement_labels(case.region).get(statement.kind, statement.kind)
    statement.delete()
    _note(case, actor, _("Yttrande borttaget: %(kind)s.") % {"kind": label})


# --- Spreadsheet import -------------------------------------------------------------------


@transaction.atomic
def import_apply(*, analysis_id: int, actor: User, changes: list[dict[str, Any]]) -> int:
    """Apply a previewed spreadsheet import: all of it, or — if any row changed since the
    preview — none of it.

    `changes` is the preview's list of {"row": id, "version": n, "data": {field: value}}.
    """
    analysis = (
        GapAnalysis.objects.select_related("case")
        .select_for_update(of=("self",))
        .get(pk=analysis_id)
    )
    _require_editor(actor, analysis)
    _require_open(analysis.case)
    rows = {
        row.pk: row
        for row in analysis.rows.select_related("recommendation").filter(
            pk__in=[c["row"] for c in changes]
        )
    }
    stale = []
    now = timezone.now()
    for change in changes:
        row = rows.get(change["row"])
        if row is None:
            raise ActionRefused(_("Förhandsgranskningen hör inte till den här analysen."))
        values = _clean_row_data(row, change["data"])
        updated = GapRow.objects.filter(pk=row.pk, version=change["version"]).update(
            **values,
            version=F("version") + 1,
            needs_review=False,
            updated_by=actor,
            updated_at=now,
        )
        if not updated:
            stale.append(str(row.recommendation.number))
    if stale:
        transaction.set_rollback(True)
        raise ActionRefused(
            _(
                "Rader har ändrats i tjänsten sedan förhandsgranskningen (rekommendation "
                "%(numbers)s). Inget importerades; läs in filen igen."
            )
            % {"numbers": ", ".join(stale)}
        )
    if changes:
        _summary_refresh(analysis)
        _note(
            analysis.case,
            actor,
            _("%(n)s rader uppdaterades från en Excelfil.") % {"n": len(changes)},
        )
    return len(changes)


# What another analysis may lend a row as a starting point: what to do about a gap and what
# it costs. Not the assessment, nor today's practice or its causes: those are the LAG's own.
TEMPLATE_FIELDS = [
    "influence",
    "proposal",
    "start_doing",
    "stop_doing",
    "resource_need",
    *GapRow.CONSEQUENCE_FIELDS,
]


@transaction.atomic
def rows_fill_from_template(
    *, analysis_id: int, actor: User, texts: dict[int, dict[str, str]], source: str
) -> int:
    """Give the analysis's untouched rows the texts of a template analysis, per recommendation.

    `texts` maps a recommendation's id to its template texts (TEMPLATE_FIELDS). A row the LAG
    has begun (any assessment or text) is left as it is; a filled row is marked for review,
    its assessment left blank. `source` names the template in the timeline. Returns how many
    rows were filled.
    """
    analysis = (
        GapAnalysis.objects.select_related("case")
        .select_for_update(of=("self",))
        .get(pk=analysis_id)
    )
    _require_editor(actor, analysis)
    _require_open(analysis.case)
    now = timezone.now()
    filled = 0
    for row in analysis.rows.filter(recommendation_id__in=list(texts)):
        if any(getattr(row, name) for name in ROW_FIELDS):
            continue  # the LAG has begun this row
        values = {
            name: str(texts[row.recommendation_id].get(name) or "")[:MAX_TEXT_IN_A_CELL]
            for name in TEMPLATE_FIELDS
        }
        if not any(values.values()):
            continue
        filled += GapRow.objects.filter(pk=row.pk, version=row.version).update(
            **values,
            version=F("version") + 1,
            needs_review=True,
            updated_by=actor,
            updated_at=now,
        )
    if filled:
        _summary_refresh(analysis)
        _note(
            analysis.case,
            actor,
            ngettext(
                "%(n)s rad fick förslag och konsekvenser från %(source)s som mall; "
                "bedömningen görs av LAG:en.",
                "%(n)s rader fick förslag och konsekvenser från %(source)s som mall; "
                "bedömningarna görs av LAG:en.",
                filled,
            )
            % {"n": filled, "source": source},
        )
    return filled


# --- Submitting for BP2 -------------------------------------------------------------------


@transaction.atomic
def analysis_submit(*, case_id: int, actor: User) -> Case:
    """The chair sends the finished analysis to management for BP2.

    Refused with every reason at once: unassessed rows, gaps without proposals, missing
    statements. The case's own BP2 condition checks the same again under the case's lock.
    """
    analysis = GapAnalysis.objects.select_related("case", "case__region").get(case_id=case_id)
    case = analysis.case
    if not is_chair(actor, case):
        raise PermissionDenied(_("Bara LPO:ts ordförande skickar gap-analysen till BP2."))
    _require_open(case)
    blockers = analysis.bp2_blockers()
    if blockers:
        raise ActionRefused([str(b) for b in blockers])
    return case_services.case_act(
        case_id=case.pk,
        actor=actor,
        action_name="submit_bp2",
        expected_state=State.GAP_ANALYSIS,
        message=_("Gap-analysen skickades till beslut BP2."),
    )


# --- The region's kinds of statement --------------------------------------------------------


def may_keep_statement_types(user: User, region: Region) -> bool:
    """The region's organisation administrators keep its kinds of statement (and superusers)."""
    scope = scope_of(user)
    return scope.is_admin or region.pk in scope.region_ids("administer_organisation")


@transaction.atomic
def statement_type_save(
    *, region: Region, actor: User, data: dict[str, Any], key: str | None = None
) -> StatementType:
    """Add or change one of the kinds of statement the region asks for before BP2.

    A region still on its reference kinds gets them as its own rows first, so an edit changes
    one kind and keeps the others. A case's analysis reads the kinds when it is checked: a kind
    made required holds up the region's analyses not yet at BP2 until it is given.
    """
    if not may_keep_statement_types(actor, region):
        raise PermissionDenied(_("Bara regionens organisationsadministratörer ändrar yttrandena."))
    Region.objects.select_for_update().get(pk=region.pk)  # one edit of the region's kinds at once
    if not StatementType.objects.filter(region=region).exists():
        StatementType.objects.bulk_create(reference_statement_types(region))
    if key is None:
        kind = StatementType(region=region)
        kind.order = (
            StatementType.objects.filter(region=region).aggregate(last=Max("order"))["last"] or 0
        ) + 1
    else:
        # By its key: a reference kind has no row until the region's first edit (above).
        found = StatementType.objects.filter(region=region, key=key).first()
        if found is None:
            raise Http404
        kind = found
    name = (data.get("name") or "").strip()
    if not name:
        raise ActionRefused({"name": [_("Skriv vad yttrandet heter.")]})
    # The key stays what it was: the statements given under it keep their kind.
    key = kind.key or slugify(data.get("key") or name).replace("-", "_")[:30]
    if not key:
        raise ActionRefused({"key": [_("Ge yttrandet en kod med bokstäver eller siffror.")]})
    if StatementType.objects.filter(region=region, key=key).exclude(pk=kind.pk).exists():
        raise ActionRefused(
            {"key": [_("Regionen har redan ett yttrande med koden %(key)s.") % {"key": key}]}
        )
    kind.key = key
    kind.name = name[:200]
    kind.required_own = bool(data.get("required_own"))
    kind.required_joint = bool(data.get("required_joint"))
    kind.save()
    return kind
