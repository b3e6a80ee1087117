"""Celery application. Without REDIS_URL tasks run eagerly in the web process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Every task is a `common.tasks.Task`: services queue with `delay_on_commit`.
app = Celery("kunskapsstyrning", task_cls="common.tasks:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
