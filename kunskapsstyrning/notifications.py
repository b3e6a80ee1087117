"""Who is told what at a handover, and the one reminder e-mail a person gets a day.

Handovers (a round's answers are all in, a decision is due, a decision is taken, the national
decision) leave a `Notification` for each person told: it stands on their home page until they
open it and is e-mailed once, after the commit (`tasks.notifications_email`). Services call
`notify`; the people come from the order the case keeps (`DecisionRound.order`) and the
memberships in force.

Reminders (what still waits for someone) are not sent one by one: the core and the apps
(`contributions.register_reminders`) say what is due today, and `digest_send` gathers it into
one e-mail per person, at most once a day (`DailyDigest`).

Plain text rendered from `templates/kunskapsstyrning/email/`; links are absolute when the
deployment sets `SITE_URL`.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import Membership, Role, User

from . import contributions, orders, timeline
from .models import (
    AWAITING_DECISION,
    Accession,
    Case,
    DailyDigest,
    Decision,
    DecisionPart,
    DecisionPartCorrection,
    DecisionRound,
    Notification,
    Principal,
)

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, smtplib.SMTPException)


def absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


# --- Who -----------------------------------------------------------------------------------


def _people_in(unit_ids: Iterable[int | None], roles: Iterable[str], day: date) -> dict:
    """Active people holding one of `roles` in each unit, by unit id (one query)."""
    by_unit: dict[int, list[User]] = defaultdict(list)
    memberships = (
        Membership.objects.active_on(day)
        .filter(unit_id__in={u for u in unit_ids if u}, role__in=list(roles))
        .select_related("user")
        .order_by("user__last_name", "user_id")
    )
    for membership in memberships:
        if membership.user.is_active and membership.user not in by_unit[membership.unit_id]:
            by_unit[membership.unit_id].append(membership.user)
    return by_unit


def chairs_of(case: Case, day: date | None = None) -> list[User]:
    """The chair of the LPO responsible for the case."""
    day = day or timezone.localdate()
    return _people_in([case.responsible_lpo_id], [Role.CHAIR], day)[case.responsible_lpo_id]


def deciders_of(
    case: Case, parts: Iterable[orders.PartSpec], day: date | None = None
) -> dict[str, list[User]]:
    """Who may record each part, by the part's key: the deciding body's members who decide for
    that principal (the region's part: those who represent no municipality; a municipality's:
    those of that municipality; the LPO's: its chair) — as `orders.may_record` allows."""
    day = day or timezone.localdate()
    parts = list(parts)
    bodies = {p.body_id for p in parts if p.principal != Principal.LPO}
    deciders = _people_in(bodies, [Role.MANAGEMENT], day)
    chairs = _people_in([case.responsible_lpo_id], [Role.CHAIR], day)
    people: dict[str, list[User]] = {}
    for part in parts:
        if part.principal == Principal.LPO:
            people[part.key] = chairs[case.responsible_lpo_id]
        elif part.principal == Principal.REGION:
            people[part.key] = [u for u in deciders[part.body_id] if u.municipality_id is None]
        else:
            people[part.key] = [
                u for u in deciders[part.body_id] if u.municipality_id == part.municipality_id
            ]
    return people


# --- Telling -------------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    case: Case,
    key: str,
    text: str,
    url: str,
    email: bool = True,
    actor: User | None = None,
) -> list[int]:
    """Leave `text` on the home page of each of `recipients` (not the actor: they know), and
    e-mail it after the commit unless `email` is False (the app mails in its own words).

    Idempotent by `key`: a person told of the same event again gets nothing new. Returns the
    ids of the notifications this call created."""
    people = {p.pk: p for p in recipients if p.is_active and (actor is None or p.pk != actor.pk)}
    if not people:
        return []
    already = set(
        Notification.objects.filter(key=key, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    new = [pk for pk in people if pk not in already]
    if not new:
        return []
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                case=case,
                key=key,
                text=text[:300],
                url=url,
                created_at=now,
                # Nothing to mail: as if mailed, so no task ever picks it up.
                emailed_at=None if email else now,
            )
            for pk in new
        ],
        ignore_conflicts=True,  # a concurrent handover of the same event
    )
    # (With ignore_conflicts the database does not say which rows it wrote.)
    ids = list(
        Notification.objects.filter(key=key, recipient_id__in=new, created_at=now).values_list(
            "pk", flat=True
        )
    )
    if email and ids:
        from .tasks import notifications_email

        notifications_email.delay_on_commit(ids)
    return ids


def done(key_prefix: str) -> int:
    """What was to be done is done (the part is decided, by whoever of its body): the
    notifications whose key starts with `key_prefix` leave every home page."""
    return Notification.objects.filter(key__startswith=key_prefix, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def round_key(decision_round: DecisionRound, part_key: str = "") -> str:
    return f"round-{decision_round.pk}-{part_key}"


def _proposed(decision_round: DecisionRound) -> bool:
    return hasattr(decision_round, "proposal")


def _support(case: Case) -> str:
    return case.knowledge_support.title


def decision_due(case: Case, decision_round: DecisionRound) -> list[int]:
    """Tell each decision-maker of the round's parts still open that their part is due:
    management when a case awaits them, each principal of a joint decision for its part.
    Not before the preparing body's proposal is in (that is when the parts are due)."""
    order = orders.Order.from_snapshot(decision_round.order)
    if order.preparing_body_id and not _proposed(decision_round):
        return []
    recorded = set(decision_round.parts.values_list("key", flat=True))
    open_parts = [p for p in order.parts if p.key not in recorded]
    created: list[int] = []
    for key, people in deciders_of(case, open_parts).items():
        part = order.part(key)
        assert part is not None
        if order.is_joint_decision:
            text = _("%(point)s om %(support)s: beslutet för %(label)s väntar på dig.") % {
                "point": order.point,
                "support": _support(case),
                "label": part.label,
            }
            url = reverse("kunskapsstyrning:case_decide_part", args=[case.pk, key])
        else:
            text = _("%(point)s om %(support)s väntar på ditt beslut.") % {
                "point": order.point,
                "support": _support(case),
            }
            url = reverse("kunskapsstyrning:case_decide", args=[case.pk])
        created += notify(
            recipients=people,
            kind=Notification.Kind.DECISION_DUE,
            case=case,
            key=round_key(decision_round, key),
            text=text,
            url=url,
        )
    return created


def decided(
    case: Case, decision: Decision, actor: User | None = None, declined: Iterable[str] = ()
) -> list[int]:
    """Tell the LPO's chair that the point is decided (and, where each principal decided for
    itself, which of them said no and take no further part)."""
    declined = list(declined)
    return notify(
        recipients=chairs_of(case),
        kind=Notification.Kind.DECIDED,
        case=case,
        key=f"decision-{decision.pk}",
        text=_("%(point)s om %(support)s: %(outcome)s (%(date)s).")
        % {
            "point": decision.point,
            "support": _support(case),
            "outcome": decision.get_outcome_display().lower(),
            "date": decision.decided_on.isoformat(),
        }
        + (" " + _("Deltar inte: %(names)s.") % {"names": ", ".join(declined)} if declined else ""),
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        actor=actor,
    )


def corrected(
    case: Case, correction: Decision, reason: str, actor: User | None = None
) -> list[int]:
    """Tell the LPO's chair that a decision's record was corrected: the decision document they
    may already have passed on has a newer version."""
    return notify(
        recipients=chairs_of(case),
        kind=Notification.Kind.DECIDED,
        case=case,
        key=f"decision-{correction.pk}",
        text=_("%(point)s om %(support)s: beslutet rättades (%(reason)s). Nytt beslutsdokument.")
        % {"point": correction.point, "support": _support(case), "reason": reason.rstrip(".")},
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        actor=actor,
    )


def part_corrected(
    case: Case, correction: DecisionPartCorrection, label: str, actor: User | None = None
) -> list[int]:
    """Tell the LPO's chair that one part's record of a joint decision was corrected (with a
    new decision document when the point was decided)."""
    point = correction.part.round.point
    decided = correction.part.round.decision_id is not None
    return notify(
        recipients=chairs_of(case),
        kind=Notification.Kind.DECIDED if decided else Notification.Kind.PART_DECIDED,
        case=case,
        key=f"part-correction-{correction.pk}",
        text=(
            _("%(point)s om %(support)s: delbeslutet för %(label)s rättades (%(reason)s).")
            % {
                "point": point,
                "support": _support(case),
                "label": label,
                "reason": correction.reason.rstrip("."),
            }
        )
        + (" " + _("Nytt beslutsdokument.") if decided else ""),
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        email=decided,
        actor=actor,
    )


def part_decided(
    case: Case, part: DecisionPart, spec: orders.PartSpec, actor: User | None = None
) -> list[int]:
    """Tell the LPO's chair that one part of a joint decision is in (on the home page only:
    the point's decision, when every part is in, is e-mailed)."""
    return notify(
        recipients=chairs_of(case),
        kind=Notification.Kind.PART_DECIDED,
        case=case,
        key=f"part-{part.pk}",
        text=_("%(point)s om %(support)s: %(label)s %(outcome)s (delbeslut %(date)s).")
        % {
            "point": part.round.point,
            "support": _support(case),
            "label": spec.label,
            "outcome": part.get_outcome_display().lower(),
            "date": part.decided_on.isoformat(),
        },
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        email=False,
        actor=actor,
    )


def acceded(case: Case, accession: Accession, label: str, actor: User | None = None) -> list[int]:
    """Tell the LPO's chair and the case's strategist that a municipality joins the joint work
    after all: its activities and indicators may now be planned, and the decision has a new
    document version."""
    point = accession.part.round.point
    return notify(
        recipients=[*chairs_of(case), *([case.strategist] if case.strategist else [])],
        kind=Notification.Kind.ACCEDED,
        case=case,
        key=f"accession-{accession.pk}",
        text=_(
            "%(support)s: %(label)s ansluter till det gemensamma arbetet (eget beslut %(date)s; "
            "delbeslut vid %(point)s: %(outcome)s). Nytt beslutsdokument för %(point)s."
        )
        % {
            "support": _support(case),
            "label": label,
            "date": accession.decided_on.isoformat(),
            "outcome": accession.part.get_outcome_display().lower(),
            "point": point,
        },
        url=reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        actor=actor,
    )


# --- E-mail of one notification ------------------------------------------------------------


def notification_email(notification: Notification) -> None:
    person = notification.recipient
    body = render_to_string(
        "kunskapsstyrning/email/notification.txt",
        {
            "notification": notification,
            "person": person,
            "url": absolute(reverse("kunskapsstyrning:notification_open", args=[notification.pk])),
            "home_url": absolute(reverse("kunskapsstyrning:home")),
        },
    )
    subject = _("%(kind)s: %(support)s") % {
        "kind": notification.get_kind_display(),
        "support": notification.case.knowledge_support.title,
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)


# --- The daily digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One thing that waits for `person` today, for the daily digest.

    `heading` groups the e-mail ("Beslut som väntar på dig"); `record()`, if given, runs in the
    same transaction as the e-mail is handed over (a remiss reminder is sent only once);
    `logged` goes on the case's timeline once the e-mail is handed over."""

    person: User
    heading: str
    text: str
    url: str
    case: Case | None = None
    record: Callable[[], object] | None = None
    logged: str = ""


def decisions_waiting(today: date) -> Iterable[Reminder]:
    """Parts of a decision that have waited `DECISION_REMINDER_DAYS` days for their decision-
    maker, and every week after: the digest reminds them (the handover told them at once)."""
    first = settings.DECISION_REMINDER_DAYS
    rounds = (
        DecisionRound.objects.filter(
            decision__isnull=True, opened_at__date__lte=today - timedelta(days=first)
        )
        .select_related("case__knowledge_support", "proposal")
        .prefetch_related("parts")
    )
    for decision_round in rounds:
        case = decision_round.case
        waited = (today - timezone.localtime(decision_round.opened_at).date()).days
        if AWAITING_DECISION.get(case.state) != decision_round.point or (waited - first) % 7:
            continue
        order = orders.Order.from_snapshot(decision_round.order)
        if order.preparing_body_id and not _proposed(decision_round):
            continue
        recorded = {p.key for p in decision_round.parts.all()}
        open_parts = [p for p in order.parts if p.key not in recorded]
        for key, people in deciders_of(case, open_parts, today).items():
            part = order.part(key)
            assert part is not None
            label = f" ({part.label})" if order.is_joint_decision else ""
            url = (
                reverse("kunskapsstyrning:case_decide_part", args=[case.pk, key])
                if order.is_joint_decision
                else reverse("kunskapsstyrning:case_decide", args=[case.pk])
            )
            for person in people:
                yield Reminder(
                    person=person,
                    heading=_("Beslut som väntar på dig"),
                    text=_("%(point)s om %(support)s%(label)s, har väntat %(days)s dagar")
                    % {
                        "point": order.point,
                        "support": _support(case),
                        "label": label,
                        "days": waited,
                    },
                    url=absolute(url),
                    case=case,
                    logged=_("Påminnelse om beslut %(point)s mejlades till %(who)s.")
                    % {"point": order.point, "who": person},
                )


def reminders_due(today: date) -> list[Reminder]:
    """Every reminder due today: the core's and the apps'."""
    found: list[Reminder] = list(decisions_waiting(today))
    for source in contributions.registry.reminder_sources:
        found.extend(source(today))
    return found


def digest_send(today: date | None = None) -> int:
    """One e-mail per person with everything that waits for them today, at most one a day.

    The `DailyDigest` row, what the reminders record and the timeline rows are written in the
    same transaction as the e-mail is handed over: a failed send is tried again on the next
    run, a sent one never is, and one failing address does not stop the others."""
    today = today or timezone.localdate()
    by_person: dict[int, list[Reminder]] = defaultdict(list)
    people: dict[int, User] = {}
    for reminder in reminders_due(today):
        person = reminder.person
        if person.is_active and person.email:
            by_person[person.pk].append(reminder)
            people[person.pk] = person
    if not by_person:
        return 0
    done = set(
        DailyDigest.objects.filter(day=today, user_id__in=by_person).values_list(
            "user_id", flat=True
        )
    )
    sent = 0
    for pk, reminders in by_person.items():
        if pk in done:
            continue
        person = people[pk]
        try:
            with transaction.atomic():
                DailyDigest.objects.create(user=person, day=today, items=len(reminders))
                for reminder in reminders:
                    if reminder.record is not None:
                        reminder.record()
                _digest_email(person, reminders, today)
                for reminder in reminders:
                    if reminder.case is not None and reminder.logged:
                        timeline.notification_sent(case=reminder.case, message=reminder.logged)
        except IntegrityError:
            continue  # another run sent this person's digest first.
        except TRANSIENT:
            logger.exception("Dagens påminnelser till %s kunde inte skickas", pk)
            continue
        sent += 1
    return sent


def _digest_email(person: User, reminders: list[Reminder], today: date) -> None:
    sections: dict[str, list[Reminder]] = {}
    for reminder in reminders:
        sections.setdefault(reminder.heading, []).append(reminder)
    body = render_to_string(
        "kunskapsstyrning/email/digest.txt",
        {
            "person": person,
            "sections": sections.items(),
            "today": today,
            "home_url": absolute(reverse("kunskapsstyrning:home")),
        },
    )
    subject = _("Det här väntar på dig %(date)s (%(n)s st)") % {
        "date": today.isoformat(),
        "n": len(reminders),
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)


# --- Reading -------------------------------------------------------------------------------

HOME_NOTIFICATIONS = 10


def unread_on_home(user: User) -> dict:
    """The home page's "Meddelanden": the person's unread notifications, newest first (one
    query: one more than shown says whether there are more)."""
    if not user.is_authenticated:
        return {}
    unread = list(Notification.objects.unread_for(user)[: HOME_NOTIFICATIONS + 1])
    return {
        "notifications": unread[:HOME_NOTIFICATIONS],
        "notifications_more": len(unread) > HOME_NOTIFICATIONS,
    }


def notification_read(*, notification_id: int, user: User) -> Notification:
    """Mark one of the person's own notifications read (someone else's: not found)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of the person read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
