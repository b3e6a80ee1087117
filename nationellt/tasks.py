"""Background work of the national level: e-mail after a commit."""

import logging
import smtplib

from celery import shared_task
from django.utils.translation import gettext as _

from kunskapsstyrning import timeline
from kunskapsstyrning.models import Case

from . import notifications
from .models import NationalDecision

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, smtplib.SMTPException)


@shared_task(bind=True, time_limit=60, soft_time_limit=50, max_retries=3)
def national_decision_notify(self, case_id, already=()):
    """E-mail the case's LPO chairs and the municipalities' coordinator that the national
    decision is registered for their case; a retry mails only those not yet mailed
    (`already`)."""
    case = Case.objects.select_related("knowledge_support", "responsible_lpo").filter(pk=case_id)
    case = case.first()
    decision = (
        NationalDecision.objects.filter(knowledge_support_id=case.knowledge_support_id).first()
        if case
        else None
    )
    if decision is None:
        return "skipped"
    mailed, names = list(already), []
    try:
        for person in notifications.told_of_national_decision(case):
            if person.pk not in mailed and person.email:
                notifications.national_decision(case, decision, person)
                mailed.append(person.pk)
                names.append(str(person))
    except TRANSIENT as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Det nationella beslutet kunde inte mejlas (ärende %s)", case_id)
            return "failed"
        raise self.retry(
            exc=exc, countdown=60 * 2**self.request.retries, kwargs={"already": mailed}
        ) from exc
    finally:
        # What was handed over is on the timeline, a retry's as well as this attempt's.
        if names:
            timeline.notification_sent(
                case=case,
                message=_("Det nationella beslutet mejlades till %(names)s.")
                % {"names": ", ".join(names)},
            )
    return len(names)
