"""The class of every task: queued after the commit, and a broker outage never undoes a save.

`task.delay_on_commit(...)` is the one way services queue work (Celery's Django task). Here a
broker that is down when the transaction commits is logged instead of raised: what the person
did is already saved, and the row the task works on still says it is to be done (beat queues
stale documents again), so an error page would only tell them something untrue.
"""

import functools
import logging
from typing import Any

from celery.contrib.django.task import DjangoTask
from django.db import transaction

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        transaction.on_commit(functools.partial(self._delay_or_log, *args, **kwargs))

    def _delay_or_log(self, *args: Any, **kwargs: Any) -> None:
        try:
            self.delay(*args, **kwargs)
        except Exception:  # kombu raises several kinds when the broker is unreachable
            logger.warning(
                "Uppgiften %s %s kunde inte köas; den köas igen senare",
                self.name,
                args,
                exc_info=True,
            )
