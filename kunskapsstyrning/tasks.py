import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, ConnectionError)
# One document's render: a 300-row BP2 takes a few seconds (make bench-pdf); the claim on the
# document outlives the hard limit a little, so a claim past its time is a worker that died.
RENDER_SOFT_TIME_LIMIT = 40
RENDER_TIME_LIMIT = 45


@shared_task(
    bind=True,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    max_retries=4,
    acks_late=True,
    reject_on_worker_lost=True,
)
def document_render(self, document_id):
    """Render a requested document. Idempotent: one taken or ready is left as it is.

    The claim and the result are two short transactions; the render between them holds no
    transaction and no lock, so a retry or a killed worker loses nothing that was committed.
    """
    from . import documents

    document = documents.document_claim(document_id)
    if document is None:
        return "skipped"
    try:
        return documents.document_render_and_store(document)
    except TRANSIENT as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            documents.document_release(document)
            raise self.retry(exc=exc, countdown=2**self.request.retries * 5) from exc
        documents.document_fail(document, exc)
    except SoftTimeLimitExceeded as exc:
        documents.document_fail(document, exc, reason="Dokumentet tog för lång tid att skapa.")
    except Exception as exc:  # a broken template or data: record why, do not retry.
        logger.exception("Dokument %s kunde inte skapas", document_id)
        documents.document_fail(document, exc)
    return "failed"


@shared_task(time_limit=60, soft_time_limit=50)
def documents_requeue_stale():
    """Queue again documents left waiting: the broker was down, or a worker died mid-render.

    Beat runs it every 30 seconds. A duplicate message is harmless: the render claims first.
    """
    from .selectors import documents_stale

    ids = list(documents_stale().values_list("pk", flat=True))
    for document_id in ids:
        document_render.delay_on_commit(document_id)
    if ids:
        logger.info("Köade om %s väntande dokument", len(ids))
    return len(ids)


@shared_task(bind=True, time_limit=120, soft_time_limit=100, max_retries=3)
def notifications_email(self, notification_ids):
    """E-mail each notification not mailed yet (a handover: all answers in, a decision due or
    taken). Idempotent: a notification is claimed (`emailed_at`) before it is mailed, and
    released again if the mail server fails, so a retry mails only what is left."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from . import notifications, timeline
    from .models import Notification

    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    failed = []
    for notification in pending.select_related("recipient", "case__knowledge_support"):
        person = notification.recipient
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not (person.is_active and person.email):
            continue
        try:
            notifications.notification_email(notification)
        except notifications.TRANSIENT:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            failed.append(notification.pk)
            continue
        timeline.notification_sent(
            case=notification.case,
            message=_("Meddelandet ”%(text)s” mejlades till %(who)s.")
            % {"text": notification.text, "who": person},
        )
    if failed:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.error("Meddelanden %s kunde inte mejlas", failed)
            return "failed"
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return "sent"


@shared_task(time_limit=600, soft_time_limit=580)
def daily_digest_send():
    """Daily: one e-mail per person with what waits for them (at most one a day)."""
    from . import notifications

    return notifications.digest_send()
