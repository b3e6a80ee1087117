from celery import shared_task

from . import services


@shared_task(time_limit=300)
def memberships_sync_due():
    """Daily: grants follow memberships that start or end today."""
    return services.memberships_sync_due()
