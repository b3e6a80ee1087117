"""Background work for consultation rounds: e-mail after a commit. (Reminders go out in the
core's daily digest: `services.answer_reminders` and `rounds_at_risk_reminders`.)"""

import logging
import smtplib

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from kunskapsstyrning import timeline

from . import notifications, services
from .models import RemissAccess, Response

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, smtplib.SMTPException)


@shared_task(bind=True, time_limit=120, soft_time_limit=100, max_retries=3)
def remiss_distributed_notify(self, response_ids):
    """E-mail the chairs (or the municipal representative) a round was just sent to."""
    responses = list(
        Response.objects.filter(pk__in=response_ids).select_related(
            "remiss__case__knowledge_support", "lpo", "respondent"
        )
    )
    mailed = {}
    try:
        for response, person in services.answerers_of(responses, timezone.localdate()):
            if person.is_active and person.email:
                notifications.distributed(response.remiss, response, person)
                mailed.setdefault(response.remiss, []).append(f"{person} ({response.name})")
    except TRANSIENT as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Utskicket av remiss kunde inte mejlas (svar %s)", response_ids)
            return "failed"
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    finally:
        # What was handed over is on the timeline, a retry's as well as this attempt's.
        for remiss, names in mailed.items():
            timeline.notification_sent(
                case=remiss.case,
                message=_("Utskicket mejlades till %(names)s.") % {"names": ", ".join(names)},
            )
    return len(responses)


@shared_task(bind=True, time_limit=60, soft_time_limit=50, max_retries=3)
def expert_invited_notify(self, access_id):
    """E-mail an invited expert the link to the round."""
    access = (
        RemissAccess.objects.active()
        .select_related("remiss__case__knowledge_support", "user", "invited_by", "response__lpo")
        .filter(pk=access_id)
        .first()
    )
    if access is None or not access.user.email:
        return "skipped"
    try:
        notifications.invited(access)
        timeline.notification_sent(
            case=access.remiss.case,
            message=_("Inbjudan som sakkunnig mejlades till %(who)s.") % {"who": access.user},
        )
    except TRANSIENT as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Inbjudan %s kunde inte mejlas", access_id)
            return "failed"
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    return "sent"
