"""A small HTTP load generator that does not hide queueing.

Latency is measured open-loop: request i is due at start + i / rate, whatever happened to the
requests before it, and its latency runs from that due time to the last byte of the response.
A request that waits for a busy worker (or for a free client thread) counts its wait, so a
stall shows up in the percentiles instead of silently slowing the load down, which is what a
closed loop (send, wait, send again) does ("coordinated omission").

Throughput is measured closed-loop: N clients each send the next request as soon as the last
one is answered, for a fixed time.

Raw sockets and HTTP/1.1 with `Connection: close`, as gunicorn's sync workers answer: the
client costs a few tens of microseconds per request and never reuses a connection.
"""

import itertools
import math
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Reply:
    status: int
    headers: list
    body: bytes

    def header(self, name):
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def cookies(self):
        found = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _sep, cookie = pair.partition("=")
                found[name.strip()] = cookie.strip()
        return found


@dataclass
class Client:
    """Where the server is, and the cookies of one logged-in person (or none)."""

    host: str
    port: int
    cookies: dict = field(default_factory=dict)

    def raw(self, method, path, data=None, headers=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines.append("Connection: close")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if data is not None:
            body = urlencode(data).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def send(self, raw, timeout=60):
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(raw)
            chunks = []
            while data := sock.recv(262_144):
                chunks.append(data)
        response = b"".join(chunks)
        head, _sep, body = response.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = []
        for line in lines[1:]:
            key, _sep, value = line.partition(":")
            headers.append((key.strip().lower(), value.strip()))
        return Reply(status, headers, body)

    def get(self, path, headers=None):
        return self.send(self.raw("GET", path, headers=headers))

    def post(self, path, data, headers=None):
        return self.send(self.raw("POST", path, data=data, headers=headers))

    def login(self, username, password):
        """Log in through the login page, as a browser would; keeps the session cookies."""
        form = self.get("/logga-in/")
        self.cookies.update(form.cookies())
        token = self.cookies["csrftoken"]
        reply = self.post(
            "/logga-in/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        self.cookies.update(reply.cookies())
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Inloggningen som {username} misslyckades ({reply.status}).")
        return self


@dataclass
class Sample:
    latency: float  # seconds from the due time to the last byte
    service: float  # seconds from sending to the last byte
    status: int
    queries: int | None
    slowest_sql_ms: float | None


def open_loop(client, make_raw, count, rate, threads=16):
    """Send `count` requests, request i due at i / rate seconds; return one Sample each.

    `make_raw(i)` builds request i (so a POST can name a different row each time).
    """
    start = time.perf_counter() + 0.05
    numbers = itertools.count()
    lock = threading.Lock()
    samples = [None] * count

    def work():
        while True:
            with lock:
                i = next(numbers)
            if i >= count:
                return
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            raw = make_raw(i)
            sent = time.perf_counter()
            reply = client.send(raw)
            done = time.perf_counter()
            samples[i] = _sample(reply, done - due, done - sent)

    _run(work, threads)
    return samples


def closed_loop(client, make_raw, clients, seconds):
    """`clients` clients in a loop for `seconds`; return (completed requests, failures)."""
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    totals = {"ok": 0, "failed": 0}
    numbers = itertools.count()

    def work():
        ok = failed = 0
        while time.perf_counter() < stop:
            with lock:
                i = next(numbers)
            reply = client.send(make_raw(i))
            if reply.status == 200:
                ok += 1
            else:
                failed += 1
        with lock:
            totals["ok"] += ok
            totals["failed"] += failed

    started = time.perf_counter()
    _run(work, clients)
    elapsed = time.perf_counter() - started
    return totals["ok"] / elapsed, totals["failed"]


def _run(work, threads):
    workers = [threading.Thread(target=work, daemon=True) for _i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _sample(reply, latency, service):
    queries = reply.header("x-bench-queries")
    slowest = reply.header("x-bench-slowest-ms")
    return Sample(
        latency=latency,
        service=service,
        status=reply.status,
        queries=int(queries) if queries is not None else None,
        slowest_sql_ms=float(slowest) if slowest is not None else None,
    )


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]
