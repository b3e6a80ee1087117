"""One function per user intent that moves a case.

Each one checks the actor's permission, locks the case row, runs the model's transition,
saves and writes the timeline event in one transaction; background work is queued only after
the commit. Views call these and nothing else to change a case.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from common.validators import happened
from organisation.permissions import scope_of

from .models import (
    AWAITING_DECISION,
    Case,
    CaseEvent,
    Decision,
    DecisionPoint,
    DecisionRule,
    Document,
    DocumentKind,
    KnowledgeSupport,
    Outcome,
    Prioritisation,
    RegistryCounter,
    State,
)


class ActionRefused(ValidationError):
    """The action is not possible in the case's current state; nothing was changed."""


# --- Who may do what ----------------------------------------------------------------------


def is_coordinator(user, case):
    return scope_of(user).coordinates(case.region_id)


def is_chair(user, case):
    return scope_of(user).has("act_for_unit", case.responsible_lpo_id)


def chair_or_coordinator(user, case):
    return is_chair(user, case) or is_coordinator(user, case)


def region_rules_of(case):
    """The decision rules of the case's region, read when first asked for and kept on the case
    for the rest of the request (the case page asks several times, most pages never)."""
    rules = getattr(case, "_region_rules", None)
    if rules is None:
        rules = list(
            DecisionRule.objects.filter(region_id=case.region_id).select_related(
                "deciding_body", "preparing_body"
            )
        )
        case._region_rules = rules
    return rules


def decision_rule_for(case, point, region_rules=None):
    """The region's rule for who decides `point` for this case; a specific rule (joint or the
    region's own) wins over the rule for all cases. `region_rules`: the region's rules, if the
    caller has them already."""
    if region_rules is None:
        region_rules = region_rules_of(case)
    rules = [r for r in region_rules if r.point == point and r.applies(case)]
    rules.sort(key=lambda r: r.applies_to == DecisionRule.AppliesTo.ALL)
    return rules[0] if rules else None


def may_decide(user, case, point):
    rule = decision_rule_for(case, point)
    if rule is None:
        return False
    return scope_of(user).has("decide_for_unit", rule.deciding_body_id)


@dataclass(frozen=True)
class Action:
    """A move a person can make from the case page."""

    name: str
    label: str
    transition: str
    allowed: callable
    button_class: str = ""
    # What cannot be undone, said on the confirmation step the page puts before such an action.
    irreversible: str = ""


ACTIONS = {
    a.name: a
    for a in [
        Action(
            "remiss_answered", _("Markera remissen som besvarad"), "remiss_answered", is_coordinator
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
        Action("submit_bp1", _("Skicka till beslut BP1"), "submit_bp1", chair_or_coordinator),
        Action("submit_bp2", _("Skicka till beslut BP2"), "submit_bp2", chair_or_coordinator),
        Action("submit_bp3", _("Skicka till beslut BP3"), "submit_bp3", chair_or_coordinator),
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

OUTCOME_TRANSITIONS = {
    ("BP1", Outcome.APPROVED): "bp1_approved",
    ("BP1", Outcome.RETURNED): "bp1_returned",
    ("BP2", Outcome.APPROVED): "bp2_approved",
    ("BP2", Outcome.RETURNED): "bp2_returned",
    ("BP3", Outcome.APPROVED): "bp3_approved",
    ("BP3", Outcome.RETURNED): "bp3_returned",
}
DOCUMENT_OF_POINT = {"BP1": DocumentKind.BP1, "BP2": DocumentKind.BP2, "BP3": DocumentKind.BP3}


def available_actions(user, case):
    """The moves this user can make on this case now (state allows it and they may)."""
    result = []
    for action in ACTIONS.values():
        transition = getattr(case, action.transition)
        # Conditions may read the database (BP2's gap analysis): only for an allowed move.
        if (
            can_proceed(transition, check_conditions=False)
            and action.allowed(user, case)
            and can_proceed(transition)
            # A round in `remisser` is answered by sending its compiled answer, not a button.
            and not (action.name == "remiss_answered" and hasattr(case, "remiss"))
        ):
            result.append(action)
    return result


def can_decide_now(user, case):
    point = case.awaiting_point
    return point is not None and may_decide(user, case, point)


# --- Registration -------------------------------------------------------------------------


def next_registry_number(region, year):
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


def require_plausible(rule, *dates) -> None:
    """Refuse a date outside the range its meaning allows (common.validators), in Swedish."""
    try:
        for value in dates:
            rule(value)
    except ValidationError as exc:
        raise ActionRefused(exc.messages) from None


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


@transaction.atomic
def case_register(
    *,
    actor,
    region,
    knowledge_support,
    responsible_lpo,
    strategist,
    concerned_lpos=(),
    joint=False,
    municipalities=(),
    start_at_remiss=True,
    due_date=None,
    message="",
):
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


def _locked(case_id):
    """The case row, locked until the end of the transaction."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("region", "responsible_lpo")
        .get(pk=case_id)
    )


def _moved_on(case):
    return ActionRefused(
        _("Ärendet har redan gått vidare (status nu: %(state)s). Ladda om sidan.")
        % {"state": case.get_state_display()}
    )


def _transition(case, actor, transition_name, message="", decision=None):
    from_state = case.state
    getattr(case, transition_name)()
    case.state_changed_at = timezone.now()
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
}


@transaction.atomic
def case_act(*, case_id, actor, action_name, expected_state=None, message=""):
    """Carry out one of the case page's actions (`ACTIONS`) for `actor`."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ActionRefused(_("Okänd åtgärd."))
    case = _locked(case_id)
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
    if not can_proceed(method):
        raise ActionRefused(_blocked_reason(case, action_name))
    happened = HAPPENED.get(action_name, action.label)
    _transition(case, actor, action.transition, message=message or str(happened))
    return case


def _blocked_reason(case, action_name):
    if action_name == "submit_bp1":
        return _("Prioriteringen (BP1-underlaget) är inte ifylld: svara på alla frågor först.")
    if action_name == "submit_bp2":
        analysis = getattr(case, "gap_analysis", None)
        blockers = analysis.bp2_blockers() if analysis is not None else []
        return " ".join([str(_("Gap-analysen är inte klar för BP2:"))] + [str(b) for b in blockers])
    if action_name == "submit_bp3":
        if getattr(case, "bp3_checklist", None) is None:
            return _("BP3-checklistan är inte påbörjad: starta införandeplanen först.")
        return _("Alla punkter i BP3-checklistan är inte avbockade.")
    return _("Förutsättningarna för åtgärden är inte uppfyllda.")


@transaction.atomic
def prioritisation_save(*, case_id, actor, data):
    """The chair fills or updates the LPO's BP1 prioritisation."""
    case = _locked(case_id)
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


@transaction.atomic
def case_decide(
    *,
    case_id,
    actor,
    point,
    outcome,
    decided_on,
    motivation,
    conditions="",
    participants="",
    registry_reference="",
):
    """Record a confirmed decision at BP1–BP3 and move the case accordingly.

    Final at once: the review step came before. The decision document is requested in the
    same transaction and rendered after the commit.
    """
    require_plausible(happened, decided_on)
    case = _locked(case_id)
    if AWAITING_DECISION.get(case.state) != point:
        raise _moved_on(case)
    rule = decision_rule_for(case, point)
    if rule is None:
        raise ActionRefused(
            _("Regionen har ingen beslutsordning för %(point)s. Kontakta administratören.")
            % {"point": point}
        )
    if not scope_of(actor).has("decide_for_unit", rule.deciding_body_id):
        raise PermissionDenied(
            _("%(point)s beslutas av %(body)s.") % {"point": point, "body": rule.deciding_body}
        )
    if outcome not in Outcome.values:
        raise ActionRefused(_("Okänt beslutsutfall."))
    if not motivation.strip():
        raise ActionRefused(_("Ett beslut behöver en motivering."))
    decision = Decision.objects.create(
        case=case,
        point=point,
        outcome=outcome,
        deciding_body=rule.deciding_body,
        decided_by=actor,
        participants=participants,
        decided_on=decided_on,
        motivation=motivation,
        conditions=conditions,
        registry_reference=registry_reference,
    )
    transition_name = (
        OUTCOME_TRANSITIONS.get((point, outcome))
        or {
            Outcome.POSTPONED: "postponed",
            Outcome.REJECTED: "rejected",
        }[outcome]
    )
    _transition(
        case,
        actor,
        transition_name,
        decision=decision,
        message=_("%(point)s: %(outcome)s av %(body)s.")
        % {"point": point, "outcome": decision.get_outcome_display(), "body": rule.deciding_body},
    )
    document_request(case=case, kind=DOCUMENT_OF_POINT[point], decision=decision, actor=actor)
    return decision


def may_correct(user, decision):
    """Someone in the body that took the decision may correct its record."""
    return scope_of(user).has("decide_for_unit", decision.deciding_body_id)


@transaction.atomic
def decision_correct(
    *, decision_id, actor, motivation, conditions="", participants="", registry_reference="", reason
):
    """Correct a registered decision's record (a typo, a missing condition).

    The decision itself never changes: the correction is a new decision record pointing at
    the one it corrects, with its own document. The outcome and the case's state stay as they
    are; a different outcome is a new decision at the next decision point, not a correction.
    """
    original = Decision.objects.select_related("case", "deciding_body").get(pk=decision_id)
    case = _locked(original.case_id)
    if not may_correct(actor, original):
        raise PermissionDenied(_("Bara beslutsorganet kan rätta sitt beslut."))
    if original.corrections.exists():
        raise ActionRefused(_("Beslutet är redan rättat; rätta den senaste versionen."))
    if not reason.strip():
        raise ActionRefused(_("Ange varför beslutet rättas."))
    if not motivation.strip():
        raise ActionRefused(_("Ett beslut behöver en motivering."))
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
    return correction


def document_request(*, case, kind, actor, decision=None):
    """Ask for a document; it is rendered in the background after the commit.

    The request row is written in the caller's transaction, so a decision never exists without
    it. If the broker is down when the transaction commits, the row waits as "requested" and
    `documents_requeue_stale` queues it again once the broker is back.
    """
    from .tasks import queue_document_render

    version = Document.objects.filter(case=case, kind=kind, decision=decision).count() + 1
    document = Document.objects.create(
        case=case, kind=kind, decision=decision, version=version, requested_by=actor
    )
    document_id = document.pk
    transaction.on_commit(lambda: queue_document_render(document_id))
    return document


@transaction.atomic
def document_rerequest(*, document_id: int, actor) -> Document:
    """Ask again for a document: a failed one as a new version, a stuck one queued again.

    "Stuck" is requested and not taken for `Document.STALE_AFTER`, or taken by a render whose
    claim has run out; beat queues those by itself too, this is for the strategist who sees one.
    """
    from .tasks import queue_document_render

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
    document_id = document.pk
    transaction.on_commit(lambda: queue_document_render(document_id))
    return document


@transaction.atomic
def case_supersede(*, case_id, actor, new_support, message=""):
    """A new national version replaces the support: this case ends, a new one carries on."""
    case = _locked(case_id)
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
