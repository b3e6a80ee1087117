import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)

TRANSIENT = (OSError, ConnectionError)
# A whole region's yearly report at national scale is made in well under a minute (make
# bench-report); the limit leaves room for a loaded machine.
REPORT_SOFT_TIME_LIMIT = 110
REPORT_TIME_LIMIT = 120


@shared_task(
    bind=True,
    time_limit=REPORT_TIME_LIMIT,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def region_report_render(self, report_id):
    """Make a requested region-wide follow-up report. Idempotent: a report that is ready,
    failed or taken by another worker is left as it is, so a message delivered twice makes
    one report."""
    from . import region_report

    report = region_report.region_report_claim(report_id, REPORT_TIME_LIMIT)
    if report is None:
        return "skipped"
    try:
        return region_report.region_report_render_and_store(report)
    except TRANSIENT as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            region_report.region_report_release(report)
            raise self.retry(exc=exc, countdown=2**self.request.retries * 5) from exc
        region_report.region_report_fail(report, f"{type(exc).__name__}: {exc}")
    except SoftTimeLimitExceeded:
        region_report.region_report_fail(report, "Rapporten tog för lång tid att skapa.")
    except Exception as exc:  # a broken template or data: record why, do not retry.
        logger.exception("Uppföljningsrapport %s kunde inte skapas", report_id)
        region_report.region_report_fail(report, f"{type(exc).__name__}: {exc}")
    return "failed"
