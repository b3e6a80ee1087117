"""The application gunicorn serves during `make bench`: the project's own WSGI application,
with every SQL statement of a request counted and timed in the worker.

Each response carries `X-Bench-Queries` (statements the request ran) and `X-Bench-Slowest-Ms`
(the slowest one, measured around the driver call, so network time to PostgreSQL included).
Statements slower than BENCH_SLOW_MS are appended to BENCH_SLOW_LOG as JSON lines, so a slow
page can be traced to its statement.
"""

import json
import os
import time

from django.db import connection

from config.wsgi import application as django_application

SLOW_MS = float(os.environ.get("BENCH_SLOW_MS", "50"))
SLOW_LOG = os.environ.get("BENCH_SLOW_LOG", "")


class StatementMeter:
    def __init__(self, path):
        self.path = path
        self.count = 0
        self.slowest_ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            self.count += 1
            self.slowest_ms = max(self.slowest_ms, ms)
            if ms > SLOW_MS and SLOW_LOG:
                with open(SLOW_LOG, "a", encoding="utf-8") as log:
                    line = {"path": self.path, "ms": round(ms, 1), "sql": sql[:2000]}
                    log.write(json.dumps(line) + "\n")


def application(environ, start_response):
    meter = StatementMeter(environ.get("PATH_INFO", ""))

    def start(status, headers, exc_info=None):
        headers = [
            *headers,
            ("X-Bench-Queries", str(meter.count)),
            ("X-Bench-Slowest-Ms", f"{meter.slowest_ms:.2f}"),
        ]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(meter):
        return django_application(environ, start)
