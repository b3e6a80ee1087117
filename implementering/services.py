"""One function per user intent in planning, the BP3 checklist and follow-up.

Each checks who may do it and whether the case's state allows it, changes rows inside one
transaction with the case row locked, and leaves a row on the case's timeline where the step
matters to others (plan started, anchored, checklist ticked, report requested, replanned).
The plan's parts keep their own history (django-simple-history) for "what changed".
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.refusals import ActionRefused
from common.validators import EARLIEST, check_values
from gapanalys.models import STATES_NEEDING_PROPOSAL, GapRow, Principal
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    Document,
    DocumentKind,
    Indicator,
    Outcome,
    State,
)
from organisation.models import (
    Membership,
    Municipality,
    Role,
    UnitKind,
    User,
    permissions_for,
)
from organisation.permissions import chair_or_coordinator, scope_of

from .models import (
    DEFAULT_CHECKLIST,
    Activity,
    ActivityStatus,
    Bp3Checklist,
    ChecklistItem,
    ChecklistTemplateItem,
    CommunicationItem,
    FollowUpIndicator,
    GapRowExclusion,
    ImplementationPlan,
    ImprovementCycle,
    MeasureKind,
    Measurement,
    Milestone,
    PhaseOut,
    Requirement,
)
from .region_report import signals_refresh

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)
# A row of the plan's communication plan, milestones or phasing-out.
PlanPart = CommunicationItem | Milestone | PhaseOut

# Where each part can change. While BP3 is pending the plan is frozen: management decides on
# what it reads. After the plan is done (follow-up) it is a record.
PLAN_STATES = {State.PLANNING, State.IMPLEMENTATION, State.LEARNING}
CHECKLIST_STATES = {State.PLANNING}
FOLLOW_UP_STATES = {
    State.PLANNING,
    State.BP3,
    State.IMPLEMENTATION,
    State.FOLLOW_UP,
    State.LEARNING,
}


# --- Who may do what ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRights:
    """What one person may change in one case's plan.

    Each principal owns its activities: the region's people (the LPO chair, LAG members and
    process leaders) the region's, a municipal representative the municipality's, and the
    county group (länssamordningsgrupp) or the strategist the joint ones.
    """

    principals: frozenset[str]
    leads: bool  # the LPO chair or the strategist: anchors, ticks the checklist, reports.

    @property
    def edits_plan(self) -> bool:
        return bool(self.principals)

    def edits(self, principal: str) -> bool:
        return principal in self.principals

    @property
    def principal_choices(self) -> list[tuple[str, StrOrPromise]]:
        return [(value, label) for value, label in Principal.choices if value in self.principals]


def plan_rights(user: User, case: Case) -> PlanRights:
    """The user's rights in the case's plan; one query at most, kept for the request.

    Kept on the user's scope, so that a change of memberships (which drops the scope) drops
    these too.
    """
    scope = scope_of(user)
    cache = scope.__dict__.setdefault("_plan_rights", {})
    if case.pk in cache:
        return cache[case.pk]
    if scope.is_admin:
        rights = PlanRights(frozenset(Principal.values), True)
    else:
        principals = set()
        lpo_id = case.responsible_lpo_id
        if scope.has("act_for_unit", lpo_id) or scope.has("edit_analysis", lpo_id):
            principals.add(Principal.REGION)
        if scope.coordinates(case.region_id):
            principals.add(Principal.JOINT)
        if scope.units:
            rows = (
                Membership.objects.active_on()
                .filter(user=user)
                .filter(
                    Q(unit_id=lpo_id)
                    | Q(unit__parent_id=lpo_id, unit__kind=UnitKind.LAG)
                    | Q(unit__kind=UnitKind.LANSSAMORDNING, unit__region_id=case.region_id)
                )
                .values_list("role", "unit__kind")
            )
            for role, kind in rows:
                if kind == UnitKind.LAG and "edit_analysis" in permissions_for(role, kind):
                    principals.add(Principal.REGION)
                if role == Role.MUNICIPAL_REPRESENTATIVE and kind in (UnitKind.LPO, UnitKind.LAG):
                    principals.add(Principal.MUNICIPALITY)
                if kind == UnitKind.LANSSAMORDNING:
                    principals.add(Principal.JOINT)
        rights = PlanRights(frozenset(principals), chair_or_coordinator(user, case))
    cache[case.pk] = rights
    return rights


def participating_municipalities(case: Case) -> models.QuerySet[Municipality]:
    """The joint case's municipalities that still take part: one that said no to its own part
    where each principal decides for itself is not offered in the plan or the follow-up."""
    declined = [
        part.municipality_id
        for _name, takes_part, part in case_services.taking_part(case)
        if not takes_part and part is not None and part.municipality_id is not None
    ]
    return case.municipalities.exclude(pk__in=declined).order_by("name")


def _require_principal(user: User, case: Case, principal: str) -> None:
    if not plan_rights(user, case).edits(principal):
        label = Principal(principal).label if principal in Principal.values else principal
        raise PermissionDenied(
            _("Aktiviteter för huvudmannen %(principal)s ändras av den huvudmannens företrädare.")
            % {"principal": str(label).lower()}
        )


def _require_leader(user: User, case: Case, message: str) -> None:
    if not plan_rights(user, case).leads:
        raise PermissionDenied(message)


def _require_state(case: Case, states: Container[str], message: StrOrPromise) -> None:
    if case.state not in states:
        raise ActionRefused(message % {"state": case.get_state_display()})


def _note(case: Case, actor: User, message: str) -> None:
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, message=message)


def _plan_of(case: Case) -> ImplementationPlan:
    plan = ImplementationPlan.objects.filter(case=case).first()
    if plan is None:
        raise ActionRefused(_("Ärendet har ingen införandeplan ännu."))
    return plan


def _touch(plan: ImplementationPlan) -> None:
    ImplementationPlan.objects.filter(pk=plan.pk).update(changed_at=timezone.now())


def _validated(instance: M) -> M:
    """Validate a row (not the unique checks, which the callers word themselves)."""
    instance.full_clean(validate_unique=False)
    return instance


def _field_messages(instance: models.Model, exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.error_dict.items():
        messages = " ".join(message for error in errors for message in error.messages)
        try:
            label = str(instance._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # a concrete field: no relation has this name
        except Exception:  # NON_FIELD_ERRORS and the like have no field.
            parts.append(messages)
            continue
        parts.append(f"{label[:1].upper()}{label[1:]}: {messages}")
    return " ".join(parts)


PLAN_STATE_MESSAGE = gettext_lazy(
    "Planen kan ändras under planering, genomförande och lärande (ärendet har status %(state)s)."
)


# --- The plan ---------------------------------------------------------------------------------


@transaction.atomic
def plan_start(*, case_id: int, actor: User, goal: str = "") -> ImplementationPlan:
    """Open the case's implementation plan (and, in planning, its BP3 checklist)."""
    case = case_services.case_locked(case_id)
    if not plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets plan."))
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan, created = ImplementationPlan.objects.get_or_create(case=case, defaults={"goal": goal})
    if case.state == State.PLANNING:
        checklist_open(case=case)
    if created:
        _note(case, actor, _("Införandeplanen påbörjades."))
    return plan


def checklist_open(*, case: Case) -> Bp3Checklist:
    """The case's BP3 checklist, created from the region's configuration if it has none."""
    checklist, created = Bp3Checklist.objects.get_or_create(case=case)
    if created:
        configured = list(ChecklistTemplateItem.objects.filter(region_id=case.region_id))
        items = (
            [(item.text, item.requirement) for item in configured]
            if configured
            else [(str(text), requirement) for text, requirement in DEFAULT_CHECKLIST]
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, position=index, text=text, requirement=requirement)
            for index, (text, requirement) in enumerate(items, start=1)
        )
    return checklist


@transaction.atomic
def plan_goal_save(*, case_id: int, actor: User, goal: str) -> ImplementationPlan:
    case = case_services.case_locked(case_id)
    if not plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets plan."))
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan = _plan_of(case)
    plan.goal = goal
    plan.changed_at = timezone.now()
    plan.save(update_fields=["goal", "changed_at"])
    return plan


def _gap_rows_of(case: Case, ids: Iterable[int]) -> list[GapRow]:
    """The case's gap rows with these ids; an id from another case is refused."""
    ids = {int(i) for i in ids}
    rows = list(GapRow.objects.filter(pk__in=ids, analysis__case=case))
    if len(rows) != len(ids):
        raise ActionRefused(_("En vald gap-rad hör inte till ärendets gap-analys."))
    return rows


# A cancelled activity says why in its progress note: the plan counts as carried out only when
# every activity is done or cancelled with its reason (`selectors.plan_carried_out`).
CANCELLED_WITHOUT_REASON = gettext_lazy(
    "Skriv i lägesbeskrivningen varför aktiviteten ställs in: en inställd aktivitet behöver "
    "ett skäl."
)

ACTIVITY_FIELDS = [
    "title",
    "description",
    "principal",
    "municipality",
    "responsible",
    "start",
    "due",
    "status",
    "progress_note",
]


@transaction.atomic
def activity_save(
    *,
    case_id: int,
    actor: User,
    data: dict[str, Any],
    gap_row_ids: Iterable[int] = (),
    activity_id: int | None = None,
) -> Activity:
    """Add or change an activity. Only the owning principal's people may, for both the
    principal it had and the one it gets."""
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan = _plan_of(case)
    if activity_id is None:
        activity = Activity(plan=plan)
    else:
        activity = Activity.objects.get(pk=activity_id, plan=plan)
        _require_principal(actor, case, activity.principal)
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    _require_principal(actor, case, activity.principal)
    if activity.municipality_id is not None and not (
        activity.principal == Principal.MUNICIPALITY
        and case.joint
        and participating_municipalities(case).filter(pk=activity.municipality_id).exists()
    ):
        raise ValidationError(
            {"municipality": _("Kommunen är inte en av huvudmännen i ärendet som deltar.")}
        )
    if activity.status == ActivityStatus.CANCELLED and not (activity.progress_note or "").strip():
        raise ActionRefused(CANCELLED_WITHOUT_REASON)
    today = timezone.localdate()
    if activity.status == ActivityStatus.DONE and activity.completed_on is None:
        if activity.start and activity.start > today:
            # Done before it starts is a plan that says two things; the plan's dates are
            # what the timeline and the overdue lists read, so they are put right first.
            raise ActionRefused(
                _(
                    "Aktiviteten börjar %(start)s och kan inte vara klar ännu. Är den redan "
                    "genomförd, ändra startdatumet först."
                )
                % {"start": activity.start.isoformat()}
            )
        activity.completed_on = today
    elif activity.status != ActivityStatus.DONE:
        activity.completed_on = None
    activity.updated_by = actor
    is_new = activity.pk is None
    _validated(activity).save()
    activity.gap_rows.set(_gap_rows_of(case, gap_row_ids))
    _touch(plan)
    if is_new:
        message = _("Aktiviteten ”%(title)s” lades till i införandeplanen (%(principal)s).")
    elif activity.status == ActivityStatus.DONE:
        message = _("Aktiviteten ”%(title)s” är klar.")
    elif activity.status == ActivityStatus.CANCELLED:
        message = _("Aktiviteten ”%(title)s” ställdes in: %(reason)s")
    else:
        message = _("Aktiviteten ”%(title)s” ändrades (%(status)s).")
    _note(
        case,
        actor,
        message
        % {
            "title": activity.title,
            "principal": activity.principal_label,
            "status": activity.get_status_display().lower(),
            "reason": activity.progress_note.strip(),
        },
    )
    return activity


@transaction.atomic
def activity_progress(
    *, case_id: int, actor: User, activity_id: int, status: str, progress_note: str
) -> Activity:
    """Report how an activity goes: its status and a note."""
    return activity_save(
        case_id=case_id,
        actor=actor,
        activity_id=activity_id,
        data={"status": status, "progress_note": progress_note},
        gap_row_ids=Activity.gap_rows.through.objects.filter(activity_id=activity_id).values_list(
            "gaprow_id", flat=True
        ),
    )


@transaction.atomic
def activity_delete(*, case_id: int, actor: User, activity_id: int) -> None:
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan = _plan_of(case)
    activity = Activity.objects.get(pk=activity_id, plan=plan)
    _require_principal(actor, case, activity.principal)
    if activity.status != ActivityStatus.PLANNED:
        raise ActionRefused(
            _("Bara planerade aktiviteter kan tas bort; markera den som inställd i stället.")
        )
    activity.delete()
    _touch(plan)


# The plan's other parts: who may change them. Phasing out belongs to a principal like an
# activity; the communication plan and the milestones to everyone who works in the plan.
PARTS = {"kommunikation": CommunicationItem, "milstolpar": Milestone, "utfasning": PhaseOut}


@transaction.atomic
def plan_part_save(
    *,
    case_id: int,
    actor: User,
    model: type[PlanPart],
    data: dict[str, Any],
    part_id: int | None = None,
) -> PlanPart:
    """Add or change a row of the communication plan, a milestone or a phasing-out."""
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan = _plan_of(case)
    part = model(plan=plan) if part_id is None else model.objects.get(pk=part_id, plan=plan)
    if isinstance(part, PhaseOut) and part_id is not None:
        _require_principal(actor, case, part.principal)
    for name, value in data.items():
        setattr(part, name, value)
    if isinstance(part, PhaseOut):
        _require_principal(actor, case, part.principal)
    elif not plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets plan."))
    _validated(part).save()
    _touch(plan)
    return part


@transaction.atomic
def plan_part_delete(*, case_id: int, actor: User, model: type[PlanPart], part_id: int) -> None:
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    plan = _plan_of(case)
    part = model.objects.get(pk=part_id, plan=plan)
    if isinstance(part, PhaseOut):
        _require_principal(actor, case, part.principal)
    elif not plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets plan."))
    part.delete()
    _touch(plan)


@transaction.atomic
def gap_row_exclude(*, case_id: int, actor: User, gap_row_id: int, reason: str) -> GapRowExclusion:
    """Leave a gap out of the plan on purpose, with the reason (a record of the choice)."""
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    _require_leader(actor, case, _("Ordföranden eller strategen väljer bort gap ur planen."))
    plan = _plan_of(case)
    if not reason.strip():
        raise ActionRefused(_("Skriv varför gapet lämnas utanför planen."))
    row = GapRow.objects.filter(
        pk=gap_row_id, analysis__case=case, current_state__in=STATES_NEEDING_PROPOSAL
    ).first()
    if row is None:
        raise ActionRefused(_("Gap-raden hör inte till ärendets gap."))
    exclusion, _created = GapRowExclusion.objects.update_or_create(
        plan=plan,
        gap_row=row,
        defaults={"reason": reason.strip(), "decided_by": actor, "decided_at": timezone.now()},
    )
    _touch(plan)
    _note(
        case,
        actor,
        _("Gapet för rekommendation %(number)s lämnas utanför planen: %(reason)s")
        % {"number": row.recommendation.number, "reason": reason.strip()},
    )
    return exclusion


@transaction.atomic
def gap_row_include(*, case_id: int, actor: User, gap_row_id: int) -> None:
    """Take back a conscious exclusion: the gap needs an activity again."""
    case = case_services.case_locked(case_id)
    _require_state(case, PLAN_STATES, PLAN_STATE_MESSAGE)
    _require_leader(actor, case, _("Ordföranden eller strategen väljer bort gap ur planen."))
    plan = _plan_of(case)
    taken_back = GapRowExclusion.objects.filter(plan=plan, gap_row_id=gap_row_id)
    numbers = list(taken_back.values_list("gap_row__recommendation__number", flat=True))
    taken_back.delete()
    _touch(plan)
    for number in numbers:
        _note(
            case,
            actor,
            _("Gapet för rekommendation %(number)s ska åter ha en aktivitet i planen.")
            % {"number": number},
        )


@transaction.atomic
def plan_anchor(
    *, case_id: int, actor: User, anchored_on: date, note: str = ""
) -> ImplementationPlan:
    """Record that the plan is anchored in the LPO (step 5 of seed 002): when, and who says so.

    Only a complete plan can be anchored: it has activities, and every gap with a proposal is
    covered by an activity or consciously left out.
    """
    from .selectors import gap_coverage

    case = case_services.case_locked(case_id)
    _require_leader(actor, case, _("LPO:ts ordförande eller strategen registrerar förankringen."))
    _require_state(
        case,
        {State.PLANNING},
        _("Planen förankras under planeringen (ärendet har status %(state)s)."),
    )
    plan = _plan_of(case)
    if anchored_on > timezone.localdate():
        raise ActionRefused(_("Förankringsdatumet kan inte ligga i framtiden."))
    case_services.require_after_last_decision(case, anchored_on, _("Förankringsdatumet"))
    if not plan.activities.counting().exists():
        raise ActionRefused(_("Planen har inga aktiviteter att förankra."))
    uncovered = gap_coverage(plan).uncovered
    if uncovered:
        raise ActionRefused(
            _(
                "Planen kan inte förankras: gap för rekommendation %(numbers)s saknar aktivitet "
                "eller motiverat undantag."
            )
            % {"numbers": ", ".join(str(r.row.recommendation.number) for r in uncovered)}
        )
    plan.anchored_on = anchored_on
    plan.anchored_by = actor
    plan.anchored_note = note
    plan.anchored_at = timezone.now()
    plan.save(update_fields=["anchored_on", "anchored_by", "anchored_note", "anchored_at"])
    _note(
        case,
        actor,
        _("Införandeplanen förankrades i %(lpo)s %(day)s.")
        % {"lpo": case.responsible_lpo, "day": f"{anchored_on:%Y-%m-%d}"},
    )
    return plan


# --- The BP3 checklist -----------------------------------------------------------------------


def requirements_met(case: Case) -> dict[str, bool]:
    """For each automatic check, whether the case meets it now (a few cheap queries)."""
    plan = ImplementationPlan.objects.filter(case=case).first()
    return {
        Requirement.NONE: True,
        Requirement.GAP_ANALYSIS_APPROVED: case.decisions.filter(
            point="BP2", outcome=Outcome.APPROVED
        ).exists(),
        Requirement.PLAN_ANCHORED: plan is not None and plan.is_anchored,
        Requirement.COMMUNICATION_PLAN: plan is not None and plan.communication_items.exists(),
        Requirement.RESPONSIBILITIES: plan is not None and plan.activities.counting().exists(),
        Requirement.INDICATORS: case.followup_indicators.exists(),
    }


REQUIREMENT_UNMET: dict[str, StrOrPromise] = {
    Requirement.GAP_ANALYSIS_APPROVED: gettext_lazy("Ärendet har inget godkänt BP2-beslut."),
    Requirement.PLAN_ANCHORED: gettext_lazy(
        "Planen är inte förankrad i LPO ännu. Registrera förankringen på planens sida."
    ),
    Requirement.COMMUNICATION_PLAN: gettext_lazy("Kommunikationsplanen är tom."),
    Requirement.RESPONSIBILITIES: gettext_lazy("Planen har inga aktiviteter med ansvariga."),
    Requirement.INDICATORS: gettext_lazy("Inga indikatorer är valda för uppföljningen."),
}


@transaction.atomic
def checklist_tick(
    *, case_id: int, actor: User, item_id: int, ticked_on: date, comment: str = ""
) -> ChecklistItem:
    """Tick one preparation as done: by the actor, on a date, with a comment."""
    case = case_services.case_locked(case_id)
    _require_leader(actor, case, _("LPO:ts ordförande eller strategen bockar av checklistan."))
    _require_state(
        case,
        CHECKLIST_STATES,
        _("Checklistan bockas av under planeringen (ärendet har status %(state)s)."),
    )
    item = ChecklistItem.objects.filter(pk=item_id, checklist__case=case).first()
    if item is None:
        raise ActionRefused(_("Punkten finns inte i ärendets checklista."))
    # Said at the date on the page (`views.checklist_tick` keeps what was typed).
    if ticked_on > timezone.localdate():
        raise ActionRefused({"ticked_on": _("Datumet kan inte ligga i framtiden.")})
    try:
        case_services.require_after_last_decision(case, ticked_on, _("Datumet"))
    except ActionRefused as exc:
        raise ActionRefused({"ticked_on": exc.messages}) from None
    if item.requirement and not requirements_met(case)[item.requirement]:
        raise ActionRefused(REQUIREMENT_UNMET[item.requirement])
    item.ticked_by = actor
    item.ticked_on = ticked_on
    item.comment = comment
    item.ticked_at = timezone.now()
    item.save()
    _note(case, actor, _("BP3-checklistan: ”%(item)s” bockades av.") % {"item": item.text})
    return item


@transaction.atomic
def checklist_untick(*, case_id: int, actor: User, item_id: int) -> ChecklistItem:
    case = case_services.case_locked(case_id)
    _require_leader(actor, case, _("LPO:ts ordförande eller strategen bockar av checklistan."))
    _require_state(
        case,
        CHECKLIST_STATES,
        _("Checklistan ändras under planeringen (ärendet har status %(state)s)."),
    )
    item = ChecklistItem.objects.filter(pk=item_id, checklist__case=case).first()
    if item is None:
        raise ActionRefused(_("Punkten finns inte i ärendets checklista."))
    item.ticked_by = None
    item.ticked_on = None
    item.ticked_at = None
    item.save()
    _note(
        case, actor, _("BP3-checklistan: ”%(item)s” är inte längre avbockad.") % {"item": item.text}
    )
    return item


# --- Follow-up ---------------------------------------------------------------------------------

FOLLOW_UP_STATE_MESSAGE = gettext_lazy(
    "Uppföljningen ändras från planering till lärande (ärendet har status %(state)s)."
)
INDICATOR_FIELDS = [
    "code",
    "name",
    "definition",
    "measure",
    "unit",
    "direction",
    "target",
    "period",
    "baseline_periods",
    "municipality",
]


def _require_follow_up(actor: User, case: Case) -> None:
    if not plan_rights(actor, case).edits_plan:
        raise PermissionDenied(_("Du arbetar inte med det här ärendets uppföljning."))
    _require_state(case, FOLLOW_UP_STATES, FOLLOW_UP_STATE_MESSAGE)


def _code_taken(case: Case, code: str, indicator: FollowUpIndicator) -> bool:
    taken = FollowUpIndicator.objects.filter(case=case, code__iexact=code)
    if indicator.pk:
        taken = taken.exclude(pk=indicator.pk)
    return taken.exists()


@transaction.atomic
def indicator_save(
    *, case_id: int, actor: User, data: dict[str, Any], indicator_id: int | None = None
) -> FollowUpIndicator:
    """Add a local indicator or change one (a national one's definition stays national)."""
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    indicator = (
        FollowUpIndicator(case=case, created_by=actor)
        if indicator_id is None
        else FollowUpIndicator.objects.get(pk=indicator_id, case=case)
    )
    fields = INDICATOR_FIELDS
    if indicator.is_national:
        fields = ["target", "period", "baseline_periods", "municipality"]
    for name in fields:
        if name in data:
            setattr(indicator, name, data[name])
    if indicator.municipality_id is not None and not (
        case.joint
        and participating_municipalities(case).filter(pk=indicator.municipality_id).exists()
    ):
        raise ValidationError(
            {"municipality": _("Kommunen deltar inte i det här gemensamma ärendet.")}
        )
    if indicator.pk and indicator.measurements.exists():
        old = FollowUpIndicator.objects.get(pk=indicator.pk)
        if (old.period, old.measure) != (indicator.period, indicator.measure):
            raise ActionRefused(
                _("Period och mätsätt kan inte ändras när indikatorn har mätvärden.")
            )
    if _code_taken(case, indicator.code, indicator):
        raise ValidationError(
            {
                "code": _("Ärendet har redan en indikator med koden %(code)s.")
                % {"code": indicator.code}
            }
        )
    _validated(indicator).save()
    signals_refresh([indicator.pk])  # the target or the baseline may have moved the limits
    return indicator


@transaction.atomic
def indicator_add_national(
    *,
    case_id: int,
    actor: User,
    national: Indicator,
    period: str,
    target: Decimal | None = None,
) -> FollowUpIndicator:
    """Follow the case up with one of the knowledge support's national indicators."""
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    if national.knowledge_support_id != case.knowledge_support_id:
        raise ActionRefused(_("Indikatorn hör till ett annat kunskapsstöd."))
    if FollowUpIndicator.objects.filter(case=case, national=national).exists():
        raise ActionRefused(_("Indikatorn %(code)s följs redan upp.") % {"code": national.code})
    if FollowUpIndicator.objects.filter(case=case, code__iexact=national.code).exists():
        raise ActionRefused(
            _("Ärendet har redan en indikator med koden %(code)s.") % {"code": national.code}
        )
    proportion = national.unit == "procent"
    indicator = FollowUpIndicator(
        case=case,
        national=national,
        code=national.code,
        name=national.name,
        definition=national.definition,
        measure=MeasureKind.PROPORTION if proportion else MeasureKind.VALUE,
        unit="" if proportion else national.unit,
        direction=national.direction,
        target=target if target is not None else national.target,
        period=period,
        created_by=actor,
    )
    _validated(indicator).save()
    _note(
        case,
        actor,
        _("Indikatorn %(indicator)s valdes för uppföljningen.") % {"indicator": indicator},
    )
    return indicator


@transaction.atomic
def indicator_delete(*, case_id: int, actor: User, indicator_id: int) -> None:
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    indicator = FollowUpIndicator.objects.get(pk=indicator_id, case=case)
    if indicator.measurements.exists():
        raise ActionRefused(_("En indikator med mätvärden kan inte tas bort."))
    indicator.delete()


def measurement_problems(
    indicator: FollowUpIndicator,
    *,
    numerator: int | None,
    denominator: int | None,
    value: Decimal | None,
) -> list[str]:
    """What is wrong with one period's numbers for this indicator, as Swedish sentences."""
    problems = []
    if indicator.is_proportion:
        if numerator is None or denominator is None:
            problems.append(_("Ange både täljare och nämnare."))
        elif denominator == 0:
            problems.append(_("Nämnaren kan inte vara noll."))
        elif numerator > denominator:
            problems.append(
                _("Täljaren (%(x)s) kan inte vara större än nämnaren (%(n)s).")
                % {"x": numerator, "n": denominator}
            )
        elif numerator < 0 or denominator < 0:
            problems.append(_("Täljare och nämnare kan inte vara negativa."))
    elif value is None:
        problems.append(_("Ange ett värde."))
    return problems


def period_refusal(indicator: FollowUpIndicator, start: date) -> str | None:
    """Why no result can be recorded for the period beginning `start`, in Swedish, or None.

    A result is for a period that has begun (one not yet over is a preliminary figure), from
    the product's era on; said in the indicator's own periods ("2027-05"), not as a date.
    """
    period = indicator.label_of(start)
    if start > timezone.localdate():
        return _(
            "Perioden %(period)s har inte börjat ännu; ett mätvärde gäller en period som har varit."
        ) % {"period": period}
    if start < EARLIEST:
        return _("Perioden %(period)s är för tidig; ange en period från %(year)s.") % {
            "period": period,
            "year": EARLIEST.year,
        }
    return None


@transaction.atomic
def measurement_save(
    *,
    case_id: int,
    actor: User,
    indicator_id: int,
    period_start: date,
    numerator: int | None = None,
    denominator: int | None = None,
    value: Decimal | None = None,
    note: str = "",
) -> Measurement:
    """Record one period's result. A period is entered once; change it by removing it first."""
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    indicator = FollowUpIndicator.objects.get(pk=indicator_id, case=case)
    problems = measurement_problems(
        indicator, numerator=numerator, denominator=denominator, value=value
    )
    if refusal := period_refusal(indicator, period_start):
        problems.insert(0, refusal)
    if problems:
        raise ActionRefused(" ".join(problems))
    if indicator.measurements.filter(period_start=period_start).exists():
        raise ActionRefused(
            _("Perioden %(period)s har redan ett mätvärde.")
            % {"period": indicator.label_of(period_start)}
        )
    measurement = Measurement(
        indicator=indicator,
        period_start=period_start,
        numerator=numerator if indicator.is_proportion else None,
        denominator=denominator if indicator.is_proportion else None,
        value=None if indicator.is_proportion else value,
        note=note,
        entered_by=actor,
    )
    _validated(measurement).save()
    signals_refresh([indicator.pk])
    return measurement


@transaction.atomic
def measurements_add(
    *, case_id: int, actor: User, measurements: list[Measurement], source: str
) -> list[Measurement]:
    """Save measurements checked by the import, all together, with one timeline row."""
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    for measurement in measurements:
        try:
            check_values(measurement)
        except ValidationError as exc:
            raise ActionRefused(_field_messages(measurement, exc)) from None
    Measurement.objects.bulk_create(measurements)
    signals_refresh({m.indicator_id for m in measurements})
    _note(
        case,
        actor,
        ngettext(
            "%(n)s mätvärde importerades från %(file)s.",
            "%(n)s mätvärden importerades från %(file)s.",
            len(measurements),
        )
        % {"n": len(measurements), "file": source},
    )
    return measurements


@transaction.atomic
def measurement_delete(*, case_id: int, actor: User, measurement_id: int) -> None:
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    removed = Measurement.objects.filter(pk=measurement_id, indicator__case=case)
    indicator_ids = list(removed.values_list("indicator_id", flat=True))
    removed.delete()
    signals_refresh(indicator_ids)


@transaction.atomic
def cycle_save(
    *,
    case_id: int,
    actor: User,
    data: dict[str, Any],
    activity_ids: Iterable[int] = (),
    cycle_id: int | None = None,
) -> ImprovementCycle:
    """Add or change an improvement cycle (PDSA)."""
    case = case_services.case_locked(case_id)
    _require_follow_up(actor, case)
    cycle = (
        ImprovementCycle(case=case, created_by=actor)
        if cycle_id is None
        else ImprovementCycle.objects.get(pk=cycle_id, case=case)
    )
    for name, value in data.items():
        setattr(cycle, name, value)
    if cycle.indicator is not None and cycle.indicator.case_id != case.pk:
        raise ActionRefused(_("Indikatorn hör till ett annat ärende."))
    _validated(cycle).save()
    activities = list(Activity.objects.filter(pk__in=activity_ids, plan__case=case))
    if len(activities) != len(set(activity_ids)):
        raise ActionRefused(_("En vald aktivitet hör inte till ärendets plan."))
    cycle.activities.set(activities)
    return cycle


@transaction.atomic
def followup_report_request(*, case_id: int, actor: User) -> Document:
    """Ask for a follow-up report to management (a PDF rendered in the background)."""
    case = case_services.case_locked(case_id)
    _require_leader(
        actor, case, _("LPO:ts ordförande eller strategen begär uppföljningsrapporter.")
    )
    _require_state(case, FOLLOW_UP_STATES, FOLLOW_UP_STATE_MESSAGE)
    document = case_services.document_request(case=case, kind=DocumentKind.FOLLOW_UP, actor=actor)
    message = _("Uppföljningsrapport begärdes (version %(v)s).") % {"v": document.version}
    if case.state == State.FOLLOW_UP:
        # The report is the yearly follow-up: the next one is due a year on. One deadline,
        # the case's, is what the case list, the case page and the home page all show.
        from .selectors import YEARLY

        due = timezone.localdate() + YEARLY
        case_services.station_deadline_set(case, due)
        message += " " + _("Nästa uppföljning senast %(date)s.") % {"date": due.isoformat()}
    _note(case, actor, message)
    return document


@transaction.atomic
def followup_replan(*, case_id: int, actor: User, reason: str) -> Case:
    """Learning and adjustment: send the case from follow-up back to planning, with a reason.

    The checklist and the anchoring start over, since the new plan has to be prepared and
    anchored again before a new BP3; their history keeps what they were.
    """
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Skriv varför ärendet går tillbaka till planering."))
    case = case_services.case_locked(case_id)
    if case.state not in (State.FOLLOW_UP, State.LEARNING):
        raise ActionRefused(
            _("Bara ett ärende i uppföljning eller lärande kan planeras om (status nu: %(state)s).")
            % {"state": case.get_state_display()}
        )
    if case.state == State.FOLLOW_UP:
        case_services.case_act(
            case_id=case.pk, actor=actor, action_name="learning_started", message=reason
        )
    case = case_services.case_act(
        case_id=case.pk, actor=actor, action_name="replanned", message=reason
    )
    for item in ChecklistItem.objects.filter(checklist__case=case, ticked_on__isnull=False):
        item.ticked_by, item.ticked_on, item.ticked_at = None, None, None
        item.save()
    plan = ImplementationPlan.objects.filter(case=case).first()
    if plan is not None and plan.is_anchored:
        plan.anchored_on, plan.anchored_by, plan.anchored_at = None, None, None
        plan.anchored_note = ""
        plan.save()
    if plan is not None:
        checklist_open(case=case)
        _note(case, actor, _("Ny planering: BP3-checklistan och förankringen börjar om."))
    return case
