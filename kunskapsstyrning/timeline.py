"""Timeline rows that stand for many deeds, and for what the system sent.

A LAG saves hundreds of gap rows and an expert writes a dozen comments in an afternoon: one
row per deed would bury the case's story, none would hide the work. So the timeline keeps one
row per person, day and kind of work and counts in it ("Lina Lagmedlem bedömde 11 rader i
gap-analysen."). The feature apps call these inside their own transactions, which hold the
lock that serialises the deeds counted (the analysis, the LPO's answer).
"""

from collections.abc import Callable

from django.utils import timezone

from organisation.models import User

from .models import Case, CaseEvent


def work_counted(
    *, case: Case, actor: User, topic: str, words: Callable[[str, int], str], new: bool = True
) -> CaseEvent:
    """Count one more of `actor`'s deeds of `topic` today on `case`'s timeline.

    `words(name, n)` says what the row says for n deeds. `new=False` is a deed already counted
    today (the same row saved again): the row is kept as it is.
    """
    now = timezone.now()
    event = (
        CaseEvent.objects.filter(
            case=case,
            kind=CaseEvent.Kind.WORK,
            actor=actor,
            topic=topic,
            at__date=timezone.localdate(now),
        )
        .order_by("-pk")
        .first()
    )
    if event is None:
        event = CaseEvent(case=case, kind=CaseEvent.Kind.WORK, actor=actor, topic=topic, at=now)
    elif not new:
        return event
    event.count += 1
    event.message = words(actor.get_full_name() or actor.get_username(), event.count)
    event.save()
    return event


def notification_sent(*, case: Case, message: str) -> CaseEvent:
    """Record on the timeline that the system e-mailed someone about the case."""
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTIFICATION, message=message)
