import logging

from celery import shared_task
from django.db import transaction

from .models import Document

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, ConnectionError)


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
