"""A region's choice of what it shares with the other regions and the public; the national
decision on a knowledge support, recorded once and applied by each region's case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.refusals import ActionRefused
from common.validators import happened
from gapanalys.models import GapAnalysis, GapRow
from gapanalys.services import TEMPLATE_FIELDS, rows_fill_from_template
from kunskapsstyrning import notifications as told
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Case, KnowledgeSupport, NationalStatus, State
from organisation.models import Region, User
from organisation.permissions import is_coordinator, scope_of

from . import notifications
from .models import NationalBody, NationalDecision, NationalOutcome, RegionSharing
from .selectors import sharing_of

CHOICES = ("share_analysis", "share_plan", "share_indicators", "public")


def may_set_sharing(user: Any, region: Region) -> bool:
    """The region's organisation administrators decide what it shares (and system admins)."""
    scope = scope_of(user)
    return scope.is_admin or region.pk in scope.region_ids("administer_organisation")


@transaction.atomic
def sharing_save(*, region: Region, actor: Any, data: dict[str, bool]) -> RegionSharing:
    if not may_set_sharing(actor, region):
        raise PermissionDenied(_("Bara regionens organisationsadministratörer ändrar delningen."))
    sharing, _created = RegionSharing.objects.select_for_update().get_or_create(region=region)
    for name in CHOICES:
        if name in data:
            setattr(sharing, name, bool(data[name]))
    sharing.changed_by = actor
    sharing.changed_at = timezone.now()
    sharing.save()
    return sharing


def analysis_start_from(*, analysis_id: int, actor: Any, source_case_id: int) -> int:
    """Fill the untouched rows of the actor's gap analysis with the proposals and consequences
    of another region's analysis of the same support — only one its region shares."""
    target = GapAnalysis.objects.visible_to(actor).select_related("case").filter(pk=analysis_id)
    analysis = target.first()
    source = Case.objects.select_related("region").filter(pk=source_case_id).first()
    if analysis is None or source is None:
        raise Http404
    if (
        not sharing_of(source.region).share_analysis
        or source.knowledge_support_id != analysis.case.knowledge_support_id
        or source.region_id == analysis.case.region_id
    ):
        raise Http404  # an analysis not shared with the reader does not exist for them
    texts = {
        row["recommendation_id"]: row
        for row in GapRow.objects.filter(analysis__case=source).values(
            "recommendation_id", *TEMPLATE_FIELDS
        )
    }
    return rows_fill_from_template(
        analysis_id=analysis.pk,
        actor=actor,
        texts=texts,
        source=_("gap-analysen i %(region)s") % {"region": source.region.name},
    )


# --- The national decision ------------------------------------------------------------------

# Where a case waits for the national decision: its remiss, or after it.
AWAITING_NATIONAL = {State.REMISS, State.NATIONAL_DECISION}
# The support's national status after the decision: adopted is "fastställt"; a support the
# national body decided not to introduce is not to be used, which the catalogue calls "utfasad".
STATUS_AFTER = {
    NationalOutcome.ADOPTED: NationalStatus.FASTSTALLT,
    NationalOutcome.NOT_ADOPTED: NationalStatus.UTFASAD,
}


def may_record_national_decision(user: Any, case: Case) -> bool:
    """The region's strategists register what arrives through the diarium (seed 002, step 1)."""
    return is_coordinator(user, case)


def _require_awaiting(case: Case) -> None:
    if case.state not in AWAITING_NATIONAL:
        raise ActionRefused(
            _(
                "Ärendet väntar inte på det nationella beslutet (status nu: %(state)s). "
                "Ladda om sidan."
            )
            % {"state": case.get_state_display()}
        )


def national_decision_problems(
    case: Case, *, decided_on: date | None, body: str, body_name: str, reference: str, outcome: str
) -> dict[str, list[str]]:
    """What is wrong with a national decision for `case`, by field, in Swedish (empty: none)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if decided_on is None:
        add("decided_on", _("Ange beslutsdatum."))
    elif decided_on > timezone.localdate():
        add("decided_on", _("Ett nationellt beslut kan inte vara daterat i framtiden."))
    else:
        try:
            happened(decided_on)
        except ValidationError as exc:
            for message in exc.messages:
                add("decided_on", message)
        remiss = getattr(case, "remiss", None)
        if remiss is not None and decided_on < remiss.received_on:
            add(
                "decided_on",
                _("Beslutet kan inte vara fattat före remissen, som inkom %(date)s.")
                % {"date": remiss.received_on.isoformat()},
            )
    if body not in NationalBody.values:
        add("body", _("Välj vilket organ som beslutade."))
    elif body == NationalBody.OTHER and not (body_name or "").strip():
        add("body_name", _("Skriv vilket nationellt organ som beslutade."))
    if not (reference or "").strip():
        add("reference", _("Ange beslutets referens (diarienummer eller protokollsparagraf)."))
    if outcome not in NationalOutcome.values:
        add("outcome", _("Välj om kunskapsstödet införs eller inte."))
    return problems


@transaction.atomic
def national_decision_record(
    *,
    case_id: int,
    actor: User,
    decided_on: date | None,
    body: str,
    body_name: str = "",
    reference: str,
    outcome: str,
) -> NationalDecision:
    """Record the national decision on the case's knowledge support, set the support's national
    status, move the case (prioritisation, or "införs inte") and tell the LPO chairs and the
    municipalities' coordinator.

    One decision per support for every region: the support's row is locked while it is
    recorded, so of two strategists recording at once (in one region or two) one records it and
    the other is told it is there (and may apply it to their own case).
    """
    case = case_services.case_locked(case_id, "knowledge_support")
    if not may_record_national_decision(actor, case):
        raise PermissionDenied(_("Bara regionens strateger registrerar det nationella beslutet."))
    _require_awaiting(case)
    problems = national_decision_problems(
        case,
        decided_on=decided_on,
        body=body,
        body_name=body_name,
        reference=reference,
        outcome=outcome,
    )
    if problems or decided_on is None:  # no date is one of the problems
        raise ActionRefused(problems)
    support = KnowledgeSupport.objects.select_for_update().get(pk=case.knowledge_support_id)
    if NationalDecision.objects.filter(knowledge_support=support).exists():
        raise _already_recorded(support)
    try:
        with transaction.atomic():  # a savepoint: the unique support says no, not an error page
            decision = NationalDecision.objects.create(
                knowledge_support=support,
                decided_on=decided_on,
                body=body,
                body_name=body_name.strip() if body == NationalBody.OTHER else "",
                reference=reference.strip(),
                outcome=outcome,
                recorded_by=actor,
                recorded_in=case.region,
            )
    except IntegrityError:
        raise _already_recorded(support) from None
    support.national_status = STATUS_AFTER[NationalOutcome(outcome)]
    support.save(update_fields=["national_status"])
    _apply(case, actor, decision)
    return decision


def _already_recorded(support: KnowledgeSupport) -> ActionRefused:
    return ActionRefused(
        _(
            "Det nationella beslutet om %(support)s registrerades nyss av någon annan. "
            "Ladda om sidan: där kan du tillämpa det på ärendet."
        )
        % {"support": support}
    )


@transaction.atomic
def national_decision_apply(*, case_id: int, actor: User) -> NationalDecision:
    """Apply the national decision already on record for the support (recorded from another
    region's case, or earlier) to this case: it moves as that decision says."""
    case = case_services.case_locked(case_id, "knowledge_support")
    if not may_record_national_decision(actor, case):
        raise PermissionDenied(_("Bara regionens strateger registrerar det nationella beslutet."))
    _require_awaiting(case)
    decision = NationalDecision.objects.filter(
        knowledge_support_id=case.knowledge_support_id
    ).first()
    if decision is None:
        raise ActionRefused(_("Inget nationellt beslut är registrerat för kunskapsstödet ännu."))
    _apply(case, actor, decision)
    return decision


def _apply(case: Case, actor: User, decision: NationalDecision) -> None:
    from .tasks import national_decision_notify

    what = _("kunskapsstödet införs") if decision.is_adopted else _("kunskapsstödet införs inte")
    case_services.case_act(
        case_id=case.pk,
        actor=actor,
        action_name="nationally_adopted" if decision.is_adopted else "nationally_rejected",
        expected_state=case.state,
        message=_("Nationellt beslut %(date)s av %(body)s (%(reference)s): %(what)s.")
        % {
            "date": decision.decided_on.isoformat(),
            "body": decision.body_label,
            "reference": decision.reference,
            "what": what,
        },
    )
    # Their home page says it too (the e-mail, in the national decision's own words, is the
    # task's).
    told.notify(
        recipients=notifications.told_of_national_decision(case),
        kind=told.Notification.Kind.NATIONAL_DECISION,
        case=case,
        key=f"national-{decision.pk}-case-{case.pk}",
        text=_("Nationellt beslut %(date)s om %(support)s: %(what)s (%(reference)s).")
        % {
            "date": decision.decided_on.isoformat(),
            "support": case.knowledge_support.title,
            "what": what,
            "reference": decision.reference,
        },
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        email=False,
        actor=actor,
    )
    national_decision_notify.delay_on_commit(case.pk)
