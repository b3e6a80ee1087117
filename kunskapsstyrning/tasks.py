import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Document

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, ConnectionError)
# A requested document nobody has picked up after this long is queued again.
STALE_AFTER = timedelta(minutes=2)


def queue_document_render(document_id):
    """Queue the rendering; a broker outage must not fail the decision that asked for it."""
    try:
        document_render.delay(document_id)
    except Exception:  # kombu raises several kinds when the broker is unreachable
        logger.warning(
            "Dokument %s kunde inte köas; det köas igen senare", document_id, exc_info=True
        )


@shared_task(bind=True, time_limit=120, soft_time_limit=100, max_retries=4, acks_late=True)
def document_render(self, document_id):
    """Render a requested document. Idempotent: a ready document is left as it is."""
    from .documents import render_document

    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True).filter(pk=document_id).first()
        )
        if document is None or document.status == Document.Status.READY:
            return "skipped"
        document.status = Document.Status.RENDERING
        document.attempts += 1
        document.save(update_fields=["status", "attempts"])
        try:
            render_document(document)
        except TRANSIENT as exc:
            if self.request.retries < self.max_retries and not self.request.is_eager:
                document.status = Document.Status.REQUESTED
                document.save(update_fields=["status"])
                raise self.retry(exc=exc, countdown=2**self.request.retries * 5) from exc
            _fail(document, exc)
        except Exception as exc:  # a broken template or data: record why, do not retry.
            logger.exception("Dokument %s kunde inte skapas", document_id)
            _fail(document, exc)
    return document.status


def _fail(document, exc):
    document.status = Document.Status.FAILED
    document.failure_reason = f"{type(exc).__name__}: {exc}"[:2000]
    document.save(update_fields=["status", "failure_reason"])


@shared_task(time_limit=60)
def documents_requeue_stale():
    """Queue again documents left waiting: the broker was down, or a worker died mid-render."""
    now = timezone.now()
    waiting = Document.objects.filter(
        status=Document.Status.REQUESTED, requested_at__lt=now - STALE_AFTER
    ) | Document.objects.filter(
        status=Document.Status.RENDERING,
        requested_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2),
    )
    ids = list(waiting.values_list("pk", flat=True))
    for document_id in ids:
        queue_document_render(document_id)
    return len(ids)
