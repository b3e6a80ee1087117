"""One function per user intent on a decision meeting.

A meeting only gathers cases; every decision of its sitting is recorded by the core's
`kunskapsstyrning.services.case_decide`, one immutable decision with its own document per
case, and the meeting item remembers which decision it was.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.refusals import ActionRefused
from common.validators import planned
from kunskapsstyrning import services as core
from kunskapsstyrning.models import AWAITING_DECISION, Case, CaseEvent, Decision, DecisionPoint
from organisation.models import Region, Unit, User
from organisation.permissions import scope_of

from .models import Meeting, MeetingItem


def may_plan(user: User, meeting: Meeting) -> bool:
    """The region's strategists set the agenda."""
    return scope_of(user).coordinates(meeting.region_id)


def may_sit(user: User, meeting: Meeting) -> bool:
    """A member of the deciding body takes the sitting's decisions."""
    return scope_of(user).has("decide_for_unit", meeting.deciding_body_id)


def may_close(user: User, meeting: Meeting) -> bool:
    return may_plan(user, meeting) or may_sit(user, meeting)


def agenda_open(meeting: Meeting, today: date | None = None) -> bool:
    """Cases may still be put on (or taken off) the agenda: open and not in the past."""
    return meeting.is_open and meeting.date >= (today or timezone.localdate())


def _meeting_locked(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("deciding_body")
        .get(pk=meeting_id)
    )


def _meeting_name(meeting: Meeting) -> str:
    return _("%(body)s sammanträde %(date)s (%(point)s)") % {
        "body": meeting.deciding_body.name,
        "date": meeting.date.isoformat(),
        "point": meeting.point,
    }


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    region: Region,
    deciding_body: Unit,
    point: str,
    date: date,
    place: str = "",
    participants: str = "",
) -> Meeting:
    """A strategist plans a sitting of a deciding body for one decision point."""
    if not scope_of(actor).coordinates(region.pk):
        raise PermissionDenied(_("Bara regionens strateger planerar sammanträden."))
    if deciding_body.region_id != region.pk or not deciding_body.is_decision_body:
        raise ActionRefused(_("Välj ett av regionens beslutsorgan."))
    if point not in DecisionPoint.values:
        raise ActionRefused(_("Okänd beslutspunkt."))
    if date < timezone.localdate():
        raise ActionRefused(
            _("Sammanträdet %(date)s har redan varit; en ny dagordning gäller ett kommande datum.")
            % {"date": date.isoformat()}
        )
    core.require_plausible(planned, date)
    return Meeting.objects.create(
        region=region,
        deciding_body=deciding_body,
        point=point,
        date=date,
        place=place,
        participants=participants,
        created_by=actor,
    )


def _refusal_for(case: Case, meeting: Meeting) -> str | None:
    """Why `case` cannot go on `meeting`'s agenda, or None. The case is locked."""
    if case.region_id != meeting.region_id:
        return _("%(number)s hör till en annan region.") % {"number": case.registry_number}
    if AWAITING_DECISION.get(case.state) != meeting.point:
        return _("%(number)s väntar inte på beslut %(point)s (status: %(state)s).") % {
            "number": case.registry_number,
            "point": meeting.point,
            "state": case.get_state_display(),
        }
    rule = core.decision_rule_for(case, meeting.point)
    if rule is None or rule.deciding_body_id != meeting.deciding_body_id:
        return _("%(number)s beslutas inte av %(body)s.") % {
            "number": case.registry_number,
            "body": meeting.deciding_body.name,
        }
    other = (
        MeetingItem.objects.filter(case=case, open=True)
        .select_related("meeting__deciding_body")
        .first()
    )
    if other is not None:
        return _("%(number)s står redan på dagordningen för %(meeting)s.") % {
            "number": case.registry_number,
            "meeting": _meeting_name(other.meeting),
        }
    return None


@transaction.atomic
def meeting_add_cases(*, meeting_id: int, actor: User, case_ids: list[int]) -> list[MeetingItem]:
    """Put cases awaiting the meeting's point on its agenda, each as the next paragraph.

    All or none: one case that cannot go on refuses the whole addition, saying why. Each case
    is locked first, so two strategists adding the same case at once put it on one agenda.
    """
    meeting = _meeting_locked(meeting_id)
    if not may_plan(actor, meeting):
        raise PermissionDenied(_("Bara regionens strateger sätter dagordningen."))
    if not agenda_open(meeting):
        raise ActionRefused(_("Dagordningen är stängd: sammanträdet har varit eller avslutats."))
    if not case_ids:
        raise ActionRefused(_("Välj minst ett ärende."))
    number = (meeting.items.aggregate(last=Max("number"))["last"] or 0) + 1
    items = []
    refusals = []
    for case_id in sorted(set(case_ids)):
        case = core.case_locked(case_id, "knowledge_support")
        refusal = _refusal_for(case, meeting)
        if refusal is not None:
            refusals.append(refusal)
            continue
        try:
            with transaction.atomic():  # a savepoint: a lost race is told, not a 500
                item = MeetingItem.objects.create(
                    meeting=meeting, case=case, number=number, added_by=actor
                )
        except IntegrityError:
            refusals.append(
                _("%(number)s sattes nyss upp på ett annat sammanträde.")
                % {"number": case.registry_number}
            )
            continue
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            message=_("Ärendet sattes upp på dagordningen för %(meeting)s, § %(n)s.")
            % {"meeting": _meeting_name(meeting), "n": number},
        )
        items.append(item)
        number += 1
    if refusals:
        raise ActionRefused(refusals)
    return items


@transaction.atomic
def meeting_remove_case(*, item_id: int, actor: User) -> None:
    """Take an undecided case off the agenda before the sitting."""
    item = MeetingItem.objects.select_related("case").get(pk=item_id)
    meeting = _meeting_locked(item.meeting_id)
    if not may_plan(actor, meeting):
        raise PermissionDenied(_("Bara regionens strateger sätter dagordningen."))
    item = MeetingItem.objects.select_for_update().select_related("case").get(pk=item_id)
    if item.decision_id is not None:
        raise ActionRefused(_("Ärendet är redan beslutat på sammanträdet."))
    if not meeting.is_open:
        raise ActionRefused(_("Sammanträdet är avslutat."))
    CaseEvent.objects.create(
        case=item.case,
        kind=CaseEvent.Kind.NOTE,
        actor=actor,
        message=_("Ärendet togs bort från dagordningen för %(meeting)s.")
        % {"meeting": _meeting_name(meeting)},
    )
    item.delete()


@transaction.atomic
def meeting_decide(
    *,
    item_id: int,
    actor: User,
    outcome: str,
    decided_on: date,
    motivation: str,
    conditions: str = "",
    participants: str = "",
    registry_reference: str = "",
) -> Decision | None:
    """Record the sitting's decision on one case of the agenda.

    The decision itself is the core's (`case_decide`: the body's permission, the case's lock,
    the transition, the timeline and the decision document); this only ties it to the item.
    None while a point decided in parts (a joint case's region and municipalities) waits for
    the other parts: the item stays on the agenda until the point's decision is taken.
    """
    meeting = _meeting_locked(
        MeetingItem.objects.values_list("meeting_id", flat=True).get(pk=item_id)
    )
    item = MeetingItem.objects.select_for_update().get(pk=item_id)
    if not may_sit(actor, meeting):
        raise PermissionDenied(
            _("Sammanträdets beslut fattas av %(body)s.") % {"body": meeting.deciding_body.name}
        )
    if item.decision_id is not None or not item.open:
        raise ActionRefused(_("Ärendet är redan beslutat på sammanträdet. Ladda om sidan."))
    if not meeting.is_open:
        raise ActionRefused(_("Sammanträdet är avslutat."))
    if timezone.localdate() < meeting.date:
        raise ActionRefused(
            _("Sammanträdet hålls %(date)s; dess beslut registreras från den dagen.")
            % {"date": meeting.date.isoformat()}
        )
    decision = core.case_decide(
        case_id=item.case_id,
        actor=actor,
        point=meeting.point,
        outcome=outcome,
        decided_on=decided_on,
        motivation=motivation,
        conditions=conditions,
        participants=participants,
        registry_reference=registry_reference,
    )
    if decision is None:
        return None
    item.decision = decision
    item.open = False
    item.save(update_fields=["decision", "open"])
    return decision


@transaction.atomic
def meeting_close(*, meeting_id: int, actor: User) -> Meeting:
    """The sitting is over: cases left undecided leave the agenda and may go on another."""
    meeting = _meeting_locked(meeting_id)
    if not may_close(actor, meeting):
        raise PermissionDenied(_("Bara regionens strateger och beslutsorganet avslutar."))
    if not meeting.is_open:
        raise ActionRefused(_("Sammanträdet är redan avslutat."))
    meeting.closed_at = timezone.now()
    meeting.closed_by = actor
    meeting.save(update_fields=["closed_at", "closed_by"])
    meeting.items.filter(open=True).update(open=False)
    return meeting
