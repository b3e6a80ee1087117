"""Decision documents through a real Celery worker on Redis (CI: PostgreSQL + Redis).

The tests start their own Redis server on a spare port so that one of them can stop it in
the middle of a decision without disturbing anything else on the machine.
"""

import io
import shutil
import socket
import subprocess
import time
from datetime import date, timedelta

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from kunskapsstyrning import services
from kunskapsstyrning.models import Document, State
from kunskapsstyrning.tasks import document_render, documents_requeue_stale
from kunskapsstyrning.tests.helpers import walk_to

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("redis-server"),
        reason="a real worker needs PostgreSQL and redis-server (CI has both)",
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def reset_connections(app):
    """Forget pooled broker connections so the next publish uses the current broker_url."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture(scope="module")
def worker(redis_server, django_db_blocker):
    """A real Celery worker (solo pool, in a thread) consuming from the tests' Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    previous = dict(app.conf)
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_server.url,
        broker_connection_retry=True,
        broker_connection_max_retries=None,
    )
    reset_connections(app)
    with django_db_blocker.unblock():
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as w:
            yield w
    app.conf.update({k: previous[k] for k in ("task_always_eager", "broker_url")})
    reset_connections(app)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def decide_bp1(case, manager):
    case = walk_to(case, State.BP1)
    return services.case_decide(
        case_id=case.pk,
        actor=manager,
        point="BP1",
        outcome="bifall",
        decided_on=date(2025, 4, 2),
        motivation="Hälso- och sjukvårdsledningen bedömer att införandet är möjligt och viktigt.",
    )


def document_of(decision):
    return Document.objects.get(decision=decision)


def test_a_decision_gets_a_valid_pdf_from_the_worker(worker, case, maja):
    decision = decide_bp1(case, maja)
    assert wait_for(lambda: document_of(decision).status == Document.Status.READY)
    document = document_of(decision)
    data = document.file.read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert case.registry_number in text
    assert "Beslut: Godkänt" in text
    assert "Hälso- och sjukvårdsledningen bedömer att införandet är möjligt" in text  # åäö intact
    assert document.pages == len(PdfReader(io.BytesIO(data)).pages)
    assert document.size == len(data)
    import hashlib

    assert document.sha256 == hashlib.sha256(data).hexdigest()


def test_rendering_twice_leaves_one_document(worker, redis_server, case, maja):
    decision = decide_bp1(case, maja)
    assert wait_for(lambda: document_of(decision).status == Document.Status.READY)
    first = document_of(decision)
    document_render.delay(first.pk)
    document_render.delay(first.pk)
    queue = redis.Redis.from_url(redis_server.url)
    assert wait_for(lambda: queue.llen("celery") == 0)
    time.sleep(1)  # the last one taken has finished: each found the document ready, skipped
    assert document_render.apply(args=[first.pk]).result == "skipped"
    again = document_of(decision)
    assert again.attempts == first.attempts
    assert (again.file.name, again.sha256) == (first.file.name, first.sha256)
    assert Document.objects.filter(decision=decision).count() == 1


def test_a_decision_taken_while_redis_is_down_gets_its_document_once_redis_is_back(
    worker, redis_server, case, maja
):
    redis_server.stop()
    decision = decide_bp1(case, maja)  # the decision stands; queueing fails quietly
    assert document_of(decision).status == Document.Status.REQUESTED
    redis_server.start()
    # As if the periodic sweep comes round a few minutes later.
    Document.objects.filter(decision=decision).update(
        requested_at=document_of(decision).requested_at - timedelta(minutes=5)
    )
    assert documents_requeue_stale() == 1  # what beat runs every minute
    assert wait_for(lambda: document_of(decision).status == Document.Status.READY, timeout=90)
    assert Document.objects.filter(decision=decision).count() == 1


def test_a_failure_is_recorded_with_its_reason(worker, case, maja, monkeypatch):
    from kunskapsstyrning import documents

    monkeypatch.setitem(documents.TEMPLATES, "beslut_bp1", "saknas/mall.html")
    decision = decide_bp1(case, maja)
    assert wait_for(lambda: document_of(decision).status == Document.Status.FAILED)
    assert "TemplateDoesNotExist" in document_of(decision).failure_reason
