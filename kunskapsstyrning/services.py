"""One function per user intent that moves a case.

Each one checks the actor's permission, locks the case row, runs the model's transition,
saves and writes the timeline event in one transaction; background work is queued only after
the commit. Views call these and nothing else to change a case.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from common.refusals import ActionRefused
from common.validators import happened, planned
from organisation.models import Municipality, Region, Unit, User
from organisation.permissions import (
    chair_or_coordinator,
    is_coordinator,
    scope_of,
)

from . import contributions, notifications, orders
from .models import (
    ACTIVE_STATES,
    AWAITING_DECISION,
    END_STATES,
    ROAD_STATES,
    Accession,
    Case,
    CaseEvent,
    Decision,
    DecisionPart,
    DecisionPartCorrection,
    DecisionPoint,
    DecisionRound,
    DecisionRule,
    Document,
    DocumentKind,
    KnowledgeSupport,
    Notice,
    Outcome,
    Principal,
    Prioritisation,
    Proposal,
    RegistryCounter,
    State,
)

# --- Who may do what ----------------------------------------------------------------------
# The role checks (`is_chair`, `is_coordinator`, `chair_or_coordinator`) are organisation's.


def region_rules_of(case: Case) -> list[DecisionRule]:
    """The decision rules of the case's region, read when first asked for and kept on the case
    for the rest of the request (the case page asks several times, most pages never)."""
    rules = getattr(case, "_region_rules", None)
    if rules is None:
        rules = list(
            DecisionRule.objects.filter(region_id=case.region_id).select_related(
                "deciding_body", "municipal_body", "preparing_body"
            )
        )
        case._region_rules = rules  # type: ignore[attr-defined]  # a per-request memo
    return rules


def decision_rule_for(
    case: Case, point: str, region_rules: list[DecisionRule] | None = None
) -> DecisionRule | None:
    """The region's rule for who decides `point` for this case; a specific rule (joint or the
    region's own) wins over the rule for all cases. `region_rules`: the region's rules, if the
    caller has them already."""
    if region_rules is None:
        region_rules = region_rules_of(case)
    rules = [r for r in region_rules if r.point == point and r.applies(case)]
    rules.sort(key=lambda r: r.applies_to == DecisionRule.AppliesTo.ALL)
    return rules[0] if rules else None


def rounds_of(case: Case) -> list[DecisionRound]:
    """Every time the case was sent for a decision, oldest first, with the parts recorded, the
    proposal and the notice: two queries, kept on the case for the rest of the request."""
    rounds = getattr(case, "_rounds", None)
    if rounds is None:
        rounds = list(
            DecisionRound.objects.filter(case=case)
            .select_related("proposal", "notice")
            .prefetch_related(
                Prefetch(
                    "parts",
                    DecisionPart.objects.select_related(
                        "decided_by", "municipality", "accession__decided_by"
                    ),
                )
            )
        )
        case._rounds = rounds  # type: ignore[attr-defined]  # a per-request memo
    return rounds


def point_in_use(case: Case, point: str) -> bool:
    """Whether the region's order uses `point` for the case (a point without an order is in
    use: the case waits there until the administrator gives it one)."""
    rule = decision_rule_for(case, point)
    return rule is None or rule.in_use


def _when_used(point: str, *, used: bool = True) -> Callable[[User, Case], bool]:
    """The chair or strategist, where the region's order uses `point` for the case (or, with
    `used=False`, does not)."""

    def allowed(user: User, case: Case) -> bool:
        return chair_or_coordinator(user, case) and point_in_use(case, point) == used

    return allowed


def open_round(case: Case, point: str) -> DecisionRound | None:
    """The round in which `point` is being decided for the case, if it was sent with one."""
    return next((r for r in rounds_of(case) if r.point == point and r.decision_id is None), None)


def order_for(case: Case, point: str) -> orders.Order | None:
    """The order that decides `point` for the case: the one it was sent with, else the
    region's order now (a case not yet sent, or sent before orders were kept)."""
    decision_round = open_round(case, point) if case.awaiting_point == point else None
    if decision_round is not None:
        return orders.Order.from_snapshot(decision_round.order)
    return orders.order_of(decision_rule_for(case, point), case)


def parts_recorded(case: Case, point: str) -> dict[str, DecisionPart]:
    """The parts of `point` recorded so far in the open round, by key."""
    decision_round = open_round(case, point)
    if decision_round is None:
        return {}
    return {part.key: part for part in decision_round.parts.all()}


def parts_open_to(user: User, case: Case, point: str) -> list[orders.PartSpec]:
    """The parts of `point` still to be decided that `user` holds the role to record."""
    order = order_for(case, point)
    if order is None:
        return []
    mine = [p for p in order.parts if orders.may_record(user, case, p)]
    if not mine or case.awaiting_point != point:
        return mine
    done = parts_recorded(case, point)  # read only for someone who decides a part
    return [p for p in mine if p.key not in done]


def may_decide(user: User, case: Case, point: str) -> bool:
    """The user may record a part of `point` that is still open."""
    return bool(parts_open_to(user, case, point))


@dataclass(frozen=True)
class Action:
    """A move a person can make from the case page."""

    name: str
    label: str
    transition: str
    allowed: Callable[[User, Case], bool]
    button_class: str = ""
    # What cannot be undone, said on the confirmation step the page puts before such an action.
    irreversible: str = ""


ACTIONS = {
    a.name: a
    for a in [
        Action(
            "remiss_answered",
            _("Markera remissen som besvarad"),
            "remiss_answered",
            is_coordinator,
            # Beside "Registrera remissen i ärendet", the usual way on: the lesser button.
            button_class="secondary",
            # Offered only where no round is registered in the case (a round is answered by
            # sending it): the click moves on past the station where the round would go.
            irreversible=_(
                "Ärendet går vidare och väntar på det nationella beslutet. Ingen remiss är "
                "registrerad i ärendet, och det går inte att registrera den efteråt: ska regionen "
                "sammanställa sitt svar här, registrera remissen i ärendet i stället."
            ),
        ),
        Action(
            "nationally_adopted",
            _("Registrera nationellt beslut: infört"),
            "nationally_adopted",
            is_coordinator,
        ),
        Action(
            "nationally_rejected",
            _("Registrera nationellt beslut: införs inte"),
            "rejected",
            is_coordinator,
            "secondary",
            _("Ärendet avslutas som ”införs inte” och kan inte öppnas igen."),
        ),
        # A point the region does not use for the case is passed, not sent for a decision:
        # one of each pair is offered (`point_in_use`).
        Action("submit_bp1", _("Skicka till beslut BP1"), "submit_bp1", _when_used("BP1")),
        Action("submit_bp2", _("Skicka till beslut BP2"), "submit_bp2", _when_used("BP2")),
        Action("submit_bp3", _("Skicka till beslut BP3"), "submit_bp3", _when_used("BP3")),
        Action(
            "bp1_skipped",
            _("Starta gap-analysen (regionen använder inte BP1)"),
            "bp1_skipped",
            _when_used("BP1", used=False),
        ),
        Action(
            "bp2_skipped",
            _("Starta planeringen (regionen använder inte BP2)"),
            "bp2_skipped",
            _when_used("BP2", used=False),
        ),
        Action(
            "bp3_skipped",
            _("Starta genomförandet (regionen använder inte BP3)"),
            "bp3_skipped",
            _when_used("BP3", used=False),
            # It takes the place of a decision: asked first, as the decisions are reviewed.
            irreversible=_(
                "Planen och BP3-checklistan kan inte längre ändras som under planeringen, och "
                "ärendet går till genomförande utan beslut vid BP3."
            ),
        ),
        Action("resume", _("Återuppta ärendet"), "resumed", chair_or_coordinator),
        Action(
            "implemented",
            _("Planen är genomförd – starta uppföljning"),
            "implemented",
            chair_or_coordinator,
        ),
        Action(
            "learning_started",
            _("Starta lärande och justering"),
            "learning_started",
            chair_or_coordinator,
        ),
        Action("replanned", _("Planera om"), "replanned", chair_or_coordinator),
        Action(
            "closed",
            _("Avsluta ärendet"),
            "closed",
            chair_or_coordinator,
            "secondary",
            _("Ett avslutat ärende kan inte öppnas igen; uppföljningen upphör."),
        ),
    ]
}

OUTCOME_TRANSITIONS: dict[tuple[str, str], str] = {
    ("BP1", Outcome.APPROVED): "bp1_approved",
    ("BP1", Outcome.RETURNED): "bp1_returned",
    ("BP2", Outcome.APPROVED): "bp2_approved",
    ("BP2", Outcome.RETURNED): "bp2_returned",
    ("BP3", Outcome.APPROVED): "bp3_approved",
    ("BP3", Outcome.RETURNED): "bp3_returned",
}
DOCUMENT_OF_POINT = {"BP1": DocumentKind.BP1, "BP2": DocumentKind.BP2, "BP3": DocumentKind.BP3}


def case_actions(user: User, case: Case) -> tuple[list[Action], list[tuple[Action, str]]]:
    """The moves this user can make on this case now, and those the state and their role allow
    but a condition stops, each with its reason (the case page says it instead of a button)."""
    available, blocked = [], []
    for action in ACTIONS.values():
        transition = getattr(case, action.transition)
        # Conditions may read the database (BP2's gap analysis): only for an allowed move.
        if (
            can_proceed(transition, check_conditions=False)
            and action.allowed(user, case)
            # A step an app takes itself (a round's answer is sent in the round) has no button.
            and not contributions.taken_by_an_app(action.transition, case)
        ):
            refusal = transition_refusal(case, action.transition)
            if refusal is None:
                available.append(action)
            else:
                blocked.append((action, refusal))
    return available, blocked


def available_actions(user: User, case: Case) -> list[Action]:
    """The moves this user can make on this case now (state allows it, they may, and every
    condition holds)."""
    return case_actions(user, case)[0]


def can_decide_now(user: User, case: Case) -> bool:
    point = case.awaiting_point
    return point is not None and may_decide(user, case, point)


# --- Registration -------------------------------------------------------------------------


def next_registry_number(region: Region, year: int) -> int:
    """Hand out the next registry sequence for region and year, gap-free.

    The counter row is locked for the rest of the caller's transaction: a second registration
    waits, and if the registration fails the number goes back with the rollback.
    """
    try:
        with transaction.atomic():
            RegistryCounter.objects.get_or_create(region=region, year=year)
    except IntegrityError:
        pass  # another registration created the counter first; lock it below.
    counter = RegistryCounter.objects.select_for_update().get(region=region, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def require_plausible(rule: Callable[[date], object], *dates: date) -> None:
    """Refuse a date outside the range its meaning allows (common.validators), in Swedish."""
    try:
        for value in dates:
            rule(value)
    except ValidationError as exc:
        # One message, as every other refusal: views show `exc.message`.
        raise ActionRefused(" ".join(exc.messages)) from None


def require_after_last_decision(case: Case, day: date, what: str) -> None:
    """Refuse `day` for something recorded in `case` if it is before the case's latest
    decision: BP2 cannot have been decided (or proposed) before BP1 was, nor a new BP2 before
    the one that sent the analysis back. A case may be entered long after the fact (decisions
    back to 2000 are allowed), but its own steps keep their order."""
    latest = (
        Decision.objects.filter(case=case, decided_on__gt=day)
        .order_by("-decided_on", "-pk")
        .first()
    )
    if latest is not None:
        raise ActionRefused(
            _(
                "%(what)s kan inte ligga före ärendets beslut vid %(point)s "
                "(%(outcome)s %(date)s). Ange ett datum från och med %(date)s."
            )
            % {
                "what": what,
                "point": latest.point,
                "outcome": latest.get_outcome_display().lower(),
                "date": latest.decided_on.isoformat(),
            }
        )


def support_save(*, support: KnowledgeSupport) -> KnowledgeSupport:
    """Save a knowledge support of the catalogue. Two people saving the same title and
    version at the same moment: one is saved, the other is told it exists."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a refusal
            support.save()
    except IntegrityError:
        raise ActionRefused(
            _("%(title)s %(version)s finns redan i katalogen; välj det i listan.")
            % {"title": support.title, "version": support.version}
        ) from None
    return support


def open_case_for(
    region: Region, knowledge_support: KnowledgeSupport, *, lock: bool = False
) -> Case | None:
    """The region's case for `knowledge_support` that has not ended, if there is one.

    A region runs one case per knowledge support at a time: the national overview, the board
    and the decisions all speak of "the region's case". With `lock`, the support's row is
    locked for the caller's transaction first, so two strategists registering it at once are
    served in turn and the second finds the first's case.
    """
    if lock:
        KnowledgeSupport.objects.select_for_update().filter(pk=knowledge_support.pk).first()
    return (
        Case.objects.filter(region=region, knowledge_support=knowledge_support)
        .exclude(state__in=END_STATES)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def case_register(
    *,
    actor: User,
    region: Region,
    knowledge_support: KnowledgeSupport,
    responsible_lpo: Unit,
    strategist: User | None,
    concerned_lpos: Iterable[Unit] = (),
    joint: bool = False,
    municipalities: Iterable[Municipality] = (),
    start_at_remiss: bool = True,
    due_date: date | None = None,
    message: str = "",
) -> Case:
    """Register a case for a knowledge support in the region and give it a registry number."""
    if not scope_of(actor).coordinates(region.pk):
        raise PermissionDenied(_("Bara regionens strateger registrerar ärenden."))
    if responsible_lpo.region_id != region.pk:
        raise ActionRefused(_("Det ansvariga LPO:t hör till en annan region."))
    if any(lpo.region_id != region.pk for lpo in concerned_lpos):
        raise ActionRefused(_("Ett av de berörda LPO:erna hör till en annan region."))
    if any(m.region_id != region.pk for m in municipalities):
        raise ActionRefused(_("En av kommunerna ligger i ett annat län."))
    if municipalities and not joint:
        raise ActionRefused(_("Kommuner anges bara för ett gemensamt ärende."))
    if (open_case := open_case_for(region, knowledge_support, lock=True)) is not None:
        raise ActionRefused(
            _(
                "Regionen har redan ett pågående ärende för %(support)s: %(number)s (%(state)s). "
                "Arbeta vidare i det."
            )
            % {
                "support": knowledge_support,
                "number": open_case.registry_number,
                "state": open_case.get_state_display(),
            }
        )
    today = timezone.localdate()
    sequence = next_registry_number(region, today.year)
    case = Case(
        region=region,
        knowledge_support=knowledge_support,
        registry_year=today.year,
        registry_sequence=sequence,
        registry_number=f"{region.short_code} {today.year}/{sequence:04d}",
        responsible_lpo=responsible_lpo,
        joint=joint,
        strategist=strategist,
        due_date=due_date,
    )
    if not start_at_remiss:
        # A support adopted nationally before it reached us starts at the LPO's prioritisation.
        case.nationally_adopted()
    case.save()
    case.concerned_lpos.set([lpo for lpo in concerned_lpos if lpo.pk != responsible_lpo.pk])
    case.municipalities.set(municipalities)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.REGISTERED,
        to_state=case.state,
        actor=actor,
        message=message
        or _("Ärendet registrerades som %(number)s.") % {"number": case.registry_number},
    )
    return case


# --- Moving a case ------------------------------------------------------------------------


def case_locked(case_id: int, *related: str) -> Case:
    """The case row, locked until the end of the transaction, with its region, responsible
    LPO and `related`. Every service that changes a case, or work inside it, takes it first."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("region", "responsible_lpo", *related)
        .get(pk=case_id)
    )


def _moved_on(case: Case) -> ActionRefused:
    return ActionRefused(
        _("Ärendet har redan gått vidare (status nu: %(state)s). Ladda om sidan.")
        % {"state": case.get_state_display()}
    )


def transition_refusal(case: Case, transition_name: str) -> str | None:
    """Why `transition_name` cannot be taken on `case` now, in Swedish, or None if it can.

    The one place a transition's conditions are checked (the model's own and those the feature
    apps registered): `_transition` asks it before every move, so a condition holds for a
    decision (BP2 approved) as it does for the submission, whichever service moves the case.
    """
    method = getattr(case, transition_name)
    if not can_proceed(method, check_conditions=False):
        return _("Det går inte när ärendet har status %(state)s.") % {
            "state": case.get_state_display()
        }
    if can_proceed(method):
        return None
    if transition_name == "submit_bp1":
        return _("Prioriteringen (BP1-underlaget) är inte ifylld: svara på alla frågor först.")
    # The conditions the feature apps registered say why they are not met.
    reason = contributions.blocked_reason(transition_name, case)
    return reason or _("Förutsättningarna för åtgärden är inte uppfyllda.")


def _transition(
    case: Case,
    actor: User | None,
    transition_name: str,
    message: str = "",
    decision: Decision | None = None,
) -> CaseEvent:
    # Raised inside the caller's transaction: whatever it wrote before (a decision) rolls back.
    if (refusal := transition_refusal(case, transition_name)) is not None:
        raise ActionRefused(refusal)
    from_state = case.state
    getattr(case, transition_name)()
    case.state_changed_at = timezone.now()
    # A deadline belongs to the station it was set for (`Case.deadline_purpose`); the new
    # station has none until someone sets one.
    case.due_date = None
    try:
        case.save()
    except ConcurrentTransition as exc:  # only if someone moved it without taking the lock.
        raise _moved_on(case) from exc
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DECISION if decision else CaseEvent.Kind.TRANSITION,
        from_state=from_state,
        to_state=case.state,
        actor=actor,
        message=message,
        decision=decision,
    )


def station_deadline_set(case: Case, due_date: date | None) -> None:
    """Make `due_date` the deadline of the station `case` is in now (or clear it with None).

    For services that have checked their actor and hold the case's lock: the remiss register
    (the reply date) and the gap analysis (ready for BP2); their own events carry the date.
    """
    if case.due_date != due_date:
        case.due_date = due_date
        Case.objects.filter(pk=case.pk).update(due_date=due_date)


@transaction.atomic
def case_deadline_set(*, case_id: int, actor: User, due_date: date | None) -> Case:
    """A strategist sets (or clears, with None) the deadline of the case's current station."""
    case = case_locked(case_id)
    if not is_coordinator(actor, case):
        raise PermissionDenied(_("Bara regionens strateger sätter ärendets tidsgräns."))
    if case.is_ended:
        raise ActionRefused(_("Ett avslutat ärende har ingen tidsgräns."))
    if due_date is not None:
        require_plausible(planned, due_date)
    if case.due_date == due_date:
        return case
    station_deadline_set(case, due_date)
    if due_date is None:
        message = _("Tidsgränsen för %(purpose)s togs bort.") % {"purpose": case.deadline_purpose}
    else:
        message = _("Tidsgräns för %(purpose)s satt till %(date)s.") % {
            "purpose": case.deadline_purpose,
            "date": due_date.isoformat(),
        }
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, message=message)
    return case


# What the timeline says happened, in words of the deed rather than the button's.
HAPPENED = {
    "remiss_answered": _("Remissen markerades som besvarad."),
    "nationally_adopted": _("Nationellt beslut registrerat: kunskapsstödet införs."),
    "nationally_rejected": _("Nationellt beslut registrerat: kunskapsstödet införs inte."),
    "submit_bp1": _("Prioriteringen skickades till beslut BP1."),
    "submit_bp2": _("Gap-analysen skickades till beslut BP2."),
    "submit_bp3": _("Införandeplanen och BP3-checklistan skickades till beslut BP3."),
    "resume": _("Ärendet återupptogs."),
    "implemented": _("Planen är genomförd; uppföljningen startade."),
    "learning_started": _("Lärande och justering startade."),
    "replanned": _("Ärendet planeras om."),
    "closed": _("Ärendet avslutades."),
    "bp1_skipped": _("Gap-analysen startade; regionen använder inte BP1 för ärendet."),
    "bp2_skipped": _("Planeringen startade; regionen använder inte BP2 för ärendet."),
    "bp3_skipped": _("Genomförandet startade; regionen använder inte BP3 för ärendet."),
}


@transaction.atomic
def case_act(
    *,
    case_id: int,
    actor: User,
    action_name: str,
    expected_state: str | None = None,
    message: str = "",
) -> Case:
    """Carry out one of the case page's actions (`ACTIONS`) for `actor`."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ActionRefused(_("Okänd åtgärd."))
    case = case_locked(case_id)
    if expected_state and case.state != expected_state:
        raise _moved_on(case)
    if not action.allowed(actor, case):
        raise PermissionDenied(_("Du får inte göra detta i ärendet."))
    method = getattr(case, action.transition)
    if not can_proceed(method, check_conditions=False):
        raise ActionRefused(
            _("Det går inte att %(action)s när ärendet har status %(state)s.")
            % {"action": action.label.lower(), "state": case.get_state_display()}
        )
    happened = HAPPENED.get(action_name, action.label)
    _transition(case, actor, action.transition, message=message or str(happened))
    if case.awaiting_point:
        # The case keeps the order in force now, whatever edits follow.
        decision_round = round_open(case, case.awaiting_point, required=False)
        if decision_round is not None:
            notifications.decision_due(case, decision_round)
    return case


@transaction.atomic
def prioritisation_save(*, case_id: int, actor: User, data: dict[str, Any]) -> Prioritisation:
    """The chair fills or updates the LPO's BP1 prioritisation."""
    case = case_locked(case_id)
    if not chair_or_coordinator(actor, case):
        raise PermissionDenied(_("Bara LPO:ts ordförande fyller i prioriteringen."))
    if case.state != State.PRIORITISATION:
        raise ActionRefused(
            _("Prioriteringen kan bara ändras när ärendet är i prioritering (nu: %(state)s).")
            % {"state": case.get_state_display()}
        )
    prioritisation, _created = Prioritisation.objects.get_or_create(case=case)
    for name, value in data.items():
        setattr(prioritisation, name, value)
    prioritisation.updated_by = actor
    prioritisation.save()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        message=_("Prioriteringen (BP1-underlaget) uppdaterades."),
    )
    return prioritisation


def round_open(case: Case, point: str, *, required: bool = True) -> DecisionRound | None:
    """The open round of `point` for a case its caller holds locked: the existing one, or a
    new one with the region's order as it is now (the case keeps it whatever edits follow).
    Without an order for the point: refused, or None if not `required`."""
    decision_round = (
        DecisionRound.objects.filter(case=case, point=point, decision__isnull=True)
        .select_related("proposal", "notice")
        .first()
    )
    if decision_round is None:
        rule = decision_rule_for(case, point)
        order = orders.order_of(rule, case)
        if order is None or not order.parts:
            if not required:
                return None
            raise ActionRefused(
                _("Regionen har ingen beslutsordning för %(point)s. Kontakta administratören.")
                % {"point": point}
            )
        decision_round = DecisionRound.objects.create(
            case=case,
            point=point,
            rule=rule,
            rule_version=order.version,
            order=order.snapshot(),
        )
    if hasattr(case, "_rounds"):
        del case._rounds
    return decision_round


@transaction.atomic
def case_decide(
    *,
    case_id: int,
    actor: User,
    point: str,
    outcome: str,
    decided_on: date,
    motivation: str,
    conditions: str = "",
    participants: str = "",
    registry_reference: str = "",
    part: str = "",
) -> Decision | None:
    """Record `actor`'s part of the decision at BP1–BP3; once every part the order requires is
    in, record the point's decision and move the case accordingly.

    `part`: which part ("region", "lpo", "kommun-<code>"); by default the first open part the
    actor holds the role for (the only one, in an order where one body decides). Returns the
    point's decision, or None while other parts are still due. Final at once: the review step
    came before. The decision document is requested in the same transaction as the decision.
    """
    require_plausible(happened, decided_on)
    case = case_locked(case_id)
    if AWAITING_DECISION.get(case.state) != point:
        raise _moved_on(case)
    if outcome not in Outcome.values:
        raise ActionRefused(_("Okänt beslutsutfall."))
    if not motivation.strip():
        raise ActionRefused(_("Ett beslut behöver en motivering."))
    require_after_last_decision(case, decided_on, _("Beslutsdatumet"))
    decision_round = round_open(case, point)
    assert decision_round is not None  # required: refused without an order
    order = orders.Order.from_snapshot(decision_round.order)
    recorded = {p.key: p for p in decision_round.parts.select_related("decided_by")}
    if part:
        spec = order.part(part)
        if spec is None:
            raise ActionRefused(
                _("Den delen finns inte i beslutet om %(point)s.") % {"point": point}
            )
        if not orders.may_record(actor, case, spec):
            raise PermissionDenied(
                _("%(label)s beslutas av %(who)s.") % {"label": spec.label, "who": spec.who}
            )
    else:
        mine = [p for p in order.parts if orders.may_record(actor, case, p)]
        if not mine:
            raise PermissionDenied(
                _("%(point)s beslutas av %(who)s.")
                % {"point": point, "who": ", ".join(str(p.who) for p in order.parts)}
            )
        spec = next((p for p in mine if p.key not in recorded), mine[0])
    if spec.key in recorded:
        earlier = recorded[spec.key]
        raise ActionRefused(
            _("%(who)s har redan registrerat beslutet för %(label)s (%(outcome)s). Ladda om sidan.")
            % {
                "who": earlier.decided_by,
                "label": spec.label,
                "outcome": earlier.get_outcome_display().lower(),
            }
        )
    if order.preparing_body_id and not hasattr(decision_round, "proposal"):
        raise ActionRefused(
            _("%(body)s har inte lämnat sitt förslag till beslut ännu.")
            % {"body": order.preparing_body}
        )
    try:
        with transaction.atomic():  # the unique part per round guards a lock-free writer too
            decision_part = DecisionPart.objects.create(
                round=decision_round,
                key=spec.key,
                principal=spec.principal,
                municipality_id=spec.municipality_id,
                body_id=spec.body_id,
                outcome=outcome,
                decided_by=actor,
                decided_on=decided_on,
                motivation=motivation,
                conditions=conditions,
                registry_reference=registry_reference,
                participants=participants,
            )
    except IntegrityError:
        raise ActionRefused(
            _("Någon annan registrerade just beslutet för %(label)s. Ladda om sidan.")
            % {"label": spec.label}
        ) from None
    recorded[spec.key] = decision_part
    notifications.done(notifications.round_key(decision_round, spec.key))
    point_outcome = orders.point_outcome(order, recorded)
    if order.is_joint_decision:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            message=_("Delbeslut %(point)s för %(label)s: %(outcome)s av %(who)s.")
            % {
                "point": point,
                "label": spec.label,
                "outcome": decision_part.get_outcome_display().lower(),
                "who": spec.who,
            },
        )
    if point_outcome is None:
        if order.is_joint_decision:
            notifications.part_decided(case, decision_part, spec, actor=actor)
        return None
    parts = [recorded[p.key] for p in order.parts if p.key in recorded]
    if order.is_joint_decision:
        labels = {p.key: p.label for p in order.parts}
        motivation = "\n".join(
            f"{labels[p.key]}: {p.get_outcome_display()}. {p.motivation}" for p in parts
        )
        conditions = "\n".join(p.conditions for p in parts if p.conditions)
        # Each principal registers its own part under its own routine (seed 002), with
        # those present where it decided: the parts carry both.
        registry_reference = ""
        participants = ""
    decision = Decision.objects.create(
        case=case,
        point=point,
        outcome=point_outcome,
        deciding_body_id=order.forum_id or spec.body_id or case.responsible_lpo_id,
        decided_by=actor,
        participants=participants,
        decided_on=max(p.decided_on for p in parts),
        motivation=motivation,
        conditions=conditions,
        registry_reference=registry_reference,
    )
    decision_round.decision = decision
    decision_round.save(update_fields=["decision"])
    notifications.done(notifications.round_key(decision_round))  # parts no longer due
    transition_name = (
        OUTCOME_TRANSITIONS.get((point, point_outcome))
        or {
            str(Outcome.POSTPONED): "postponed",
            str(Outcome.REJECTED): "rejected",
        }[point_outcome]
    )
    body = order.forum or spec.body
    message = _("%(point)s: %(outcome)s av %(body)s.") % {
        "point": point,
        "outcome": decision.get_outcome_display(),
        "body": body,
    }
    declined = (
        [
            spec.label
            for spec in order.parts
            if spec.key in recorded and recorded[spec.key].outcome != Outcome.APPROVED
        ]
        if order.is_joint_decision and point_outcome == Outcome.APPROVED
        else []
    )
    if order.is_joint_decision:
        # Each principal decided its own part (the parts' events name who); the point's
        # decision is theirs together, not the act of whoever recorded the last part.
        message = _("%(point)s: %(outcome)s av %(body)s, varje huvudman för sin del.") % {
            "point": point,
            "outcome": decision.get_outcome_display(),
            "body": body,
        }
        if declined:
            message += " " + _("Deltar inte: %(who)s.") % {"who": ", ".join(declined)}
    _transition(
        case,
        None if order.is_joint_decision else actor,
        transition_name,
        decision=decision,
        message=message,
    )
    document_request(case=case, kind=DOCUMENT_OF_POINT[point], decision=decision, actor=actor)
    notifications.decided(case, decision, actor=actor, declined=declined)
    return decision


def may_correct(user: User, decision: Decision) -> bool:
    """Someone in the body that took the decision may correct its record."""
    return scope_of(user).has("decide_for_unit", decision.deciding_body_id)


def _require_correction_text(reason: str, motivation: str) -> None:
    """A correction says why, and the record it makes still has a motivation."""
    if not reason.strip():
        raise ActionRefused(_("Ange varför beslutet rättas."))
    if not motivation.strip():
        raise ActionRefused(_("Ett beslut behöver en motivering."))


@transaction.atomic
def decision_correct(
    *,
    decision_id: int,
    actor: User,
    motivation: str,
    conditions: str = "",
    participants: str = "",
    registry_reference: str = "",
    reason: str,
) -> Decision:
    """Correct a registered decision's record (a typo, a missing condition).

    The decision itself never changes: the correction is a new decision record pointing at
    the one it corrects, with its own document. The outcome and the case's state stay as they
    are; a different outcome is a new decision at the next decision point, not a correction.
    """
    original = Decision.objects.select_related("case", "deciding_body").get(pk=decision_id)
    case = case_locked(original.case_id)
    if not may_correct(actor, original):
        raise PermissionDenied(_("Bara beslutsorganet kan rätta sitt beslut."))
    if original.corrections.exists():
        raise ActionRefused(_("Beslutet är redan rättat; rätta den senaste versionen."))
    _require_correction_text(reason, motivation)
    correction = Decision.objects.create(
        case=case,
        point=original.point,
        outcome=original.outcome,
        deciding_body=original.deciding_body,
        decided_by=actor,
        participants=participants,
        decided_on=original.decided_on,
        motivation=motivation,
        conditions=conditions,
        registry_reference=registry_reference,
        corrects=original,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DECISION,
        actor=actor,
        decision=correction,
        message=_("%(point)s rättat: %(reason)s") % {"point": original.point, "reason": reason},
    )
    document_request(
        case=case, kind=DOCUMENT_OF_POINT[original.point], decision=correction, actor=actor
    )
    notifications.corrected(case, correction, reason.strip(), actor=actor)
    return correction


def may_correct_part(user: User, case: Case, part: DecisionPart) -> bool:
    """Whoever may record a part of a joint decision may correct its record."""
    spec = orders.Order.from_snapshot(part.round.order).part(part.key)
    return spec is not None and orders.may_record(user, case, spec)


def _what_changed(before: Any, after: DecisionPartCorrection) -> str:
    """What a correction changed, in words for the timeline: a short field as "old → new", a
    text by its name only (the record keeps both versions)."""
    names = {
        "registry_reference": _("diariereferens"),
        "participants": _("närvarande vid beslutet"),
        "conditions": _("villkor"),
        "motivation": _("motivering"),
    }
    changes = []
    for field, name in names.items():
        old, new = getattr(before, field), getattr(after, field)
        if old == new:
            continue
        if field == "registry_reference":
            changes.append(f"{name} {old or '–'} → {new or '–'}")
        else:
            changes.append(name)
    return ", ".join(changes) or _("inget ändrat i texten")


@transaction.atomic
def decision_part_correct(
    *,
    part_id: int,
    actor: User,
    motivation: str,
    conditions: str = "",
    registry_reference: str = "",
    participants: str = "",
    reason: str,
    based_on: int | None = None,
) -> DecisionPartCorrection:
    """Correct the record of one principal's part of a joint decision (a typo, a wrong
    registry reference, a missing condition).

    The part never changes, nor its outcome or date: the correction is a new record beside it,
    and what the record says now is the latest correction. `based_on` is the correction the
    form showed (None: the part as recorded); if someone corrected the part since, nothing is
    saved. A part of a decided point gets the decision a new document version.
    """
    part = DecisionPart.objects.select_related("round", "municipality").get(pk=part_id)
    case = case_locked(part.round.case_id)
    order = orders.Order.from_snapshot(part.round.order)
    spec = order.part(part.key)
    if spec is None or not orders.may_record(actor, case, spec):
        raise PermissionDenied(_("Bara den som beslutar för delen kan rätta den."))
    if not order.is_joint_decision:
        # One body's decision is corrected as a whole, as a new decision record.
        raise ActionRefused(_("Beslutet fattades inte i delar; rätta beslutet i stället."))
    latest = part.corrections.select_related("corrected_by").last()
    if (latest.pk if latest else None) != based_on:
        raise ActionRefused(
            _("%(who)s rättade just delbeslutet. Ladda om sidan och gör om rättelsen.")
            % {"who": latest.corrected_by if latest else _("Någon")}
        )
    _require_correction_text(reason, motivation)
    before = latest or part
    correction = DecisionPartCorrection.objects.create(
        part=part,
        motivation=motivation,
        conditions=conditions,
        registry_reference=registry_reference,
        participants=participants,
        reason=reason.strip(),
        corrected_by=actor,
    )
    decision = part.round.decision
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        decision=decision,
        message=_("Delbeslut %(point)s för %(label)s rättat (%(changed)s): %(reason)s")
        % {
            "point": part.round.point,
            "label": spec.label,
            "changed": _what_changed(before, correction),
            "reason": correction.reason,
        },
    )
    if decision is not None:
        document_request(
            case=case, kind=DOCUMENT_OF_POINT[decision.point], decision=decision, actor=actor
        )
    notifications.part_corrected(case, correction, spec.label, actor=actor)
    return correction


def document_request(
    *, case: Case, kind: str, actor: User | None, decision: Decision | None = None
) -> Document:
    """Ask for a document; it is rendered in the background after the commit.

    The request row is written in the caller's transaction, so a decision never exists without
    it. If the broker is down when the transaction commits, the row waits as "requested" and
    `documents_requeue_stale` queues it again once the broker is back.
    """
    from .tasks import document_render

    version = Document.objects.filter(case=case, kind=kind, decision=decision).count() + 1
    document = Document.objects.create(
        case=case, kind=kind, decision=decision, version=version, requested_by=actor
    )
    document_render.delay_on_commit(document.pk)
    return document


@transaction.atomic
def document_rerequest(*, document_id: int, actor: User) -> Document:
    """Ask again for a document: a failed one as a new version, a stuck one queued again.

    "Stuck" is requested and not taken for `Document.STALE_AFTER`, or taken by a render whose
    claim has run out; beat queues those by itself too, this is for the strategist who sees one.
    """
    from .tasks import document_render

    document = Document.objects.select_for_update().select_related("case").get(pk=document_id)
    case = document.case
    if not is_coordinator(actor, case):
        raise PermissionDenied(_("Bara regionens strateger begär om dokument."))
    if document.status == Document.Status.FAILED:
        return document_request(
            case=case, kind=document.kind, decision=document.decision, actor=actor
        )
    if not document.is_stale:
        raise ActionRefused(
            _("Bara ett misslyckat dokument, eller ett som väntat för länge, kan begäras på nytt.")
        )
    document.status = Document.Status.REQUESTED
    document.claimed_until = None
    document.save(update_fields=["status", "claimed_until"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DOCUMENT,
        actor=actor,
        message=_("Dokumentet %(kind)s (version %(version)s) köades på nytt.")
        % {"kind": document.get_kind_display(), "version": document.version},
    )
    document_render.delay_on_commit(document.pk)
    return document


@transaction.atomic
def case_supersede(
    *, case_id: int, actor: User, new_support: KnowledgeSupport, message: str = ""
) -> Case:
    """A new national version replaces the support: this case ends, a new one carries on."""
    case = case_locked(case_id)
    if not is_coordinator(actor, case):
        raise PermissionDenied(_("Bara regionens strateger hanterar nya versioner."))
    if new_support.pk == case.knowledge_support_id:
        raise ActionRefused(_("Välj den nya versionen av kunskapsstödet."))
    if not can_proceed(case.superseded):
        raise ActionRefused(_("Ett avslutat ärende kan inte ersättas."))
    _transition(
        case,
        actor,
        "superseded",
        message=message or _("Ersatt av %(support)s.") % {"support": new_support},
    )
    successor = case_register(
        actor=actor,
        region=case.region,
        knowledge_support=new_support,
        responsible_lpo=case.responsible_lpo,
        strategist=case.strategist,
        concerned_lpos=list(case.concerned_lpos.all()),
        joint=case.joint,
        message=_("Ny version; ersätter %(number)s.") % {"number": case.registry_number},
    )
    successor.supersedes = case
    successor.save(update_fields=["supersedes"])
    return successor


DECISION_POINT_CHOICES = DecisionPoint.choices


# --- The decision order: preparation, information, the administrator's edits --------------


@dataclass(frozen=True)
class PartRow:
    """One part of a point as a page shows it: who decides for whom, and what they decided."""

    spec: orders.PartSpec
    recorded: DecisionPart | None
    mine: bool
    # Recorded, and this person may record it: they may correct its record.
    correctable: bool = False


def may_propose(user: User, case: Case, order: orders.Order) -> bool:
    """The strategist, or someone of the preparing body, records its proposal."""
    scope = scope_of(user)
    return is_coordinator(user, case) or any(
        scope.has(codename, order.preparing_body_id)
        for codename in ("decide_for_unit", "act_for_unit")
    )


def decision_progress(user: User, case: Case) -> dict[str, Any] | None:
    """Where the point the case awaits stands: its order, the proposal, each part."""
    point = case.awaiting_point
    if point is None:
        return None
    order = order_for(case, point)
    if order is None:
        return {"point": point, "order": None, "parts": []}
    decision_round = open_round(case, point)
    done = {p.key: p for p in decision_round.parts.all()} if decision_round else {}
    proposal = getattr(decision_round, "proposal", None)
    needs_proposal = bool(order.preparing_body_id) and proposal is None
    rows = [
        PartRow(
            spec=spec,
            recorded=done.get(spec.key),
            mine=spec.key not in done
            and not needs_proposal
            and orders.may_record(user, case, spec),
            correctable=spec.key in done and orders.may_record(user, case, spec),
        )
        for spec in order.parts
    ]
    # A part nobody holds the role to decide (an LPO without a chair, a municipality without
    # anyone in the deciding body) would wait for ever without a word: said, with who can
    # change it.
    waiting = [row.spec for row in rows if row.recorded is None]
    holders = notifications.deciders_of(case, waiting) if waiting else {}
    return {
        "point": point,
        "order": order,
        "parts": rows,
        "unmanned": [spec for spec in waiting if not holders[spec.key]],
        "proposal": proposal,
        "needs_proposal": needs_proposal,
        "may_propose": needs_proposal and may_propose(user, case, order),
    }


@transaction.atomic
def proposal_record(
    *,
    case_id: int,
    actor: User,
    point: str,
    proposed_on: date,
    text: str,
    document: Any = None,
    registry_reference: str = "",
) -> Proposal:
    """The preparing body's proposal for the decision the case awaits (once per round)."""
    require_plausible(happened, proposed_on)
    case = case_locked(case_id)
    if AWAITING_DECISION.get(case.state) != point:
        raise _moved_on(case)
    require_after_last_decision(case, proposed_on, _("Förslagets datum"))
    decision_round = round_open(case, point)
    assert decision_round is not None  # required: refused without an order
    order = orders.Order.from_snapshot(decision_round.order)
    if not order.preparing_body_id:
        raise ActionRefused(_("%(point)s bereds inte av något organ.") % {"point": point})
    if not may_propose(actor, case, order):
        raise PermissionDenied(
            _("Förslaget lämnas av %(body)s eller strategen.") % {"body": order.preparing_body}
        )
    if hasattr(decision_round, "proposal"):
        raise ActionRefused(_("Förslaget till beslut är redan registrerat. Ladda om sidan."))
    if not text.strip():
        raise ActionRefused(_("Skriv förslaget till beslut."))
    try:
        with transaction.atomic():
            proposal = Proposal(
                round=decision_round,
                body_id=order.preparing_body_id,
                proposed_on=proposed_on,
                text=text,
                registry_reference=registry_reference,
                recorded_by=actor,
            )
            if document:
                proposal.document = document
            proposal.save()
    except IntegrityError:
        raise ActionRefused(
            _("Förslaget till beslut är redan registrerat. Ladda om sidan.")
        ) from None
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        message=_("%(body)s lämnade förslag till beslut %(point)s (%(date)s).")
        % {"body": order.preparing_body, "point": point, "date": proposed_on.isoformat()},
    )
    notifications.decision_due(case, decision_round)
    return proposal


def notice_due(case: Case) -> DecisionRound | None:
    """The latest decided round whose order names someone to inform who is not informed yet."""
    decided = [r for r in rounds_of(case) if r.decision_id is not None]
    if not decided:
        return None
    latest = decided[-1]
    if latest.order.get("informed") and not hasattr(latest, "notice"):
        return latest
    return None


@transaction.atomic
def notice_record(
    *, case_id: int, actor: User, decision_id: int, informed_on: date, note: str = ""
) -> Notice:
    """The strategist records that those the order names were informed of a decision."""
    require_plausible(happened, informed_on)
    case = case_locked(case_id)
    if not is_coordinator(actor, case):
        raise PermissionDenied(_("Bara regionens strateger registrerar informationen."))
    decision_round = (
        DecisionRound.objects.filter(case=case, decision_id=decision_id)
        .select_related("notice")
        .first()
    )
    if decision_round is None or not decision_round.order.get("informed"):
        raise ActionRefused(_("Beslutsordningen anger ingen som ska informeras om beslutet."))
    if hasattr(decision_round, "notice"):
        raise ActionRefused(_("Informationen är redan registrerad. Ladda om sidan."))
    informed = decision_round.order["informed"]
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                round=decision_round,
                informed=informed,
                informed_on=informed_on,
                note=note,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ActionRefused(_("Informationen är redan registrerad. Ladda om sidan.")) from None
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        message=_("%(informed)s informerades om beslut %(point)s (%(date)s).")
        % {"informed": informed, "point": decision_round.point, "date": informed_on.isoformat()},
    )
    return notice


def taking_part(
    case: Case, municipalities: Iterable[tuple[str, str]] | None = None
) -> list[tuple[str, bool, DecisionPart | None]]:
    """The case's principals — the region and each participating municipality — whether each
    takes part, and the part that decided it: a principal who did not approve its own part of
    a point where each decides for itself takes no part from then on, until it approves a
    later point or joins by a decision of its own (`Accession`, on that part). The part is
    given for those who did not approve, whether they joined later or not; None otherwise.
    `municipalities`: the joint case's municipalities as (code, name), if the caller has read
    them."""
    declined = _declining_parts(case)
    principals = [(str(Principal.REGION), case.region.name)]
    if case.joint:
        if municipalities is None:
            municipalities = case.municipalities.values_list("code", "name")
        principals += [(orders.MUNICIPALITY_KEY % code, name) for code, name in municipalities]
    return [
        (name, key not in declined or declined[key].joined_later is not None, declined.get(key))
        for key, name in principals
    ]


def _declining_parts(case: Case) -> dict[str, DecisionPart]:
    """By principal, the latest part by which it did not approve a decided point where each
    decides for itself, unless it approved a later one (read from `rounds_of`'s memo)."""
    declined: dict[str, DecisionPart] = {}
    for decision_round in rounds_of(case):
        if decision_round.decision_id is None or not decision_round.order.get("each_decides"):
            continue
        for part in decision_round.parts.all():
            if part.outcome != Outcome.APPROVED:
                declined[part.key] = part
            else:
                declined.pop(part.key, None)
    return declined


def may_accede(user: User, case: Case, part: DecisionPart) -> bool:
    """Whether `user` may record that the municipality of `part` joins: `part` is why it takes
    no part now (it did not approve a point each principal decides for itself, and the case
    went on), the case is still running, and `user` decides for that municipality."""
    if part.municipality_id is None or case.state not in ACTIVE_STATES:
        return False
    declining = _declining_parts(case).get(part.key)
    if declining is None or declining.pk != part.pk or declining.joined_later is not None:
        return False
    spec = orders.Order.from_snapshot(part.round.order).part(part.key)
    return spec is not None and orders.may_record(user, case, spec)


@transaction.atomic
def municipality_accede(
    *,
    part_id: int,
    actor: User,
    decided_on: date,
    motivation: str,
    registry_reference: str = "",
    participants: str = "",
) -> Accession:
    """Record that a municipality that did not approve its part of a joint decision joins the
    joint work, by its own decision: from then on it takes part (its activities and indicators
    may be planned), the decision gets a new document version that says so, and the chair and
    the strategist are told. The declined part stays on the record as it was."""
    require_plausible(happened, decided_on)
    if decided_on > timezone.localdate():  # its own decision is taken before it is recorded
        raise ActionRefused(_("Beslutsdatumet kan inte ligga i framtiden."))
    part = DecisionPart.objects.select_related("round__decision", "municipality").get(pk=part_id)
    case = case_locked(part.round.case_id)
    spec = orders.Order.from_snapshot(part.round.order).part(part.key)
    if spec is None or not orders.may_record(actor, case, spec):
        raise PermissionDenied(
            _("Bara den som beslutar för %(label)s kan registrera att kommunen ansluter.")
            % {"label": part.municipality.name if part.municipality else part.key}
        )
    already = part.joined_later
    if already is not None:
        raise ActionRefused(
            _("%(who)s har redan registrerat att %(label)s ansluter (%(date)s). Ladda om sidan.")
            % {"who": already.decided_by, "label": spec.label, "date": already.decided_on}
        )
    if not may_accede(actor, case, part):
        if case.state not in ACTIVE_STATES:
            raise ActionRefused(
                _("Ärendet har status %(state)s: ingen kan ansluta till det.")
                % {"state": case.get_state_display()}
            )
        raise ActionRefused(
            _("%(label)s deltar redan i ärendet, eller har beslutat senare. Ladda om sidan.")
            % {"label": spec.label}
        )
    if not motivation.strip():
        raise ActionRefused(_("Ett beslut behöver en motivering."))
    decision = part.round.decision
    if decision is not None and decided_on < decision.decided_on:
        raise ActionRefused(
            _(
                "Anslutningen kan inte ligga före beslutet vid %(point)s (%(date)s) som den "
                "ansluter till. Ange ett datum från och med %(date)s."
            )
            % {"point": decision.point, "date": decision.decided_on.isoformat()}
        )
    try:
        with transaction.atomic():  # one accession per part guards a lock-free writer too
            accession = Accession.objects.create(
                part=part,
                decided_by=actor,
                decided_on=decided_on,
                motivation=motivation.strip(),
                registry_reference=registry_reference.strip(),
                participants=participants.strip(),
            )
    except IntegrityError:
        raise ActionRefused(
            _("Någon annan registrerade just att %(label)s ansluter. Ladda om sidan.")
            % {"label": spec.label}
        ) from None
    if hasattr(case, "_rounds"):
        del case._rounds
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        message=_(
            "%(label)s ansluter till det gemensamma arbetet genom eget beslut %(date)s "
            "(delbeslut vid %(point)s: %(outcome)s)."
        )
        % {
            "label": spec.label,
            "date": decided_on.isoformat(),
            "outcome": part.get_outcome_display().lower(),
            "point": part.round.point,
        },
    )
    if decision is not None:
        document_request(
            case=case, kind=DOCUMENT_OF_POINT[decision.point], decision=decision, actor=actor
        )
    notifications.acceded(case, accession, spec.label, actor=actor)
    return accession


def cases_following(rule: DecisionRule) -> dict[str, list[Case]]:
    """Which cases an edit of `rule` would affect: those sent for its point already keep the
    order they were sent with; those on the way there will be decided by the edited order."""
    state = {v: k for k, v in AWAITING_DECISION.items()}[rule.point]
    cases = Case.objects.filter(region_id=rule.region_id).select_related("knowledge_support")
    if rule.applies_to != DecisionRule.AppliesTo.ALL:
        cases = cases.filter(joint=rule.applies_to == DecisionRule.AppliesTo.JOINT)
    before = ROAD_STATES[: ROAD_STATES.index(state)]
    return {
        "keep": list(cases.filter(state=state).order_by("registry_number")),
        "follow": list(cases.filter(state__in=before).order_by("registry_number")),
    }


@transaction.atomic
def order_save(*, rule: DecisionRule, actor: User) -> DecisionRule:
    """The region's administrator saves one point of its decision order. An order with a point
    in use that no one can decide is refused; every edit counts up the order's version, and
    cases already sent keep the version they were sent with."""
    from organisation.selectors import administered_region_ids

    region_ids = administered_region_ids(actor)
    if region_ids is not None and rule.region_id not in region_ids:
        raise PermissionDenied(_("Beslutsordningen sköts av regionens administratörer."))
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from None
    if rule.pk:
        # Two administrators saving at once: each edit gets its own version.
        rule.version = DecisionRule.objects.select_for_update().get(pk=rule.pk).version + 1
    rule.changed_at = timezone.now()
    rule.changed_by = actor
    rule.save()
    return rule
