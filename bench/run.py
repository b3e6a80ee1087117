"""`make bench`: generate scale S, then N, into a fresh PostgreSQL database; serve each with
gunicorn on 127.0.0.1; measure every page; compare with the goals of issue 9; write
bench/results.json; exit 1 if a goal is missed.

Per scale: drop and create the database, migrate, `generate_scale`, then switch on
PostgreSQL's statement log for the database (`log_min_duration_statement`) and start gunicorn
with a fixed number of sync workers serving `bench.wsgi` (which counts each request's SQL).
Every persona logs in through the login page. Each page gets a warm-up, then an open-loop run
at a fixed rate (see bench/load.py): p50/p95/p99 from the due time of each request, the
query count from the response header. An R1 request follows every second request of every
page; R1's p95 over the whole run is the yardstick.
Then the status board and R0 each take 8 clients in a closed loop for the throughput goal.

Settings (environment): BENCH_DB, BENCH_PG_URL, BENCH_SCALES ("S N"), BENCH_PORT,
BENCH_WORKERS, BENCH_RATE (requests per second), BENCH_REQUESTS (per page), BENCH_WARMUP,
BENCH_THROUGHPUT_SECONDS, BENCH_KEEP_DB=1 (leave the database for a look afterwards),
BENCH_REUSE=1 (measure the one scale already in BENCH_DB, keep it: for trying a fix),
BENCH_PAGES ("case_detail home_chair": only these pages beside R1, no throughput; for trying a
fix: the goals of pages not measured are not judged).
"""

import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Client, closed_loop, open_loop, percentile  # noqa: E402 (runs as a script: the project root must be on sys.path first)

DB = os.environ.get("BENCH_DB", "bench_kunskapsstyrning")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SCALES = os.environ.get("BENCH_SCALES", "S N").split()
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8199"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
RATE = float(os.environ.get("BENCH_RATE", "6"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "15"))
THROUGHPUT_CLIENTS = 8
THROUGHPUT_ROUNDS = 3
# Measure the database as it is (one scale, already generated) and keep it: for trying a fix.
REUSE = os.environ.get("BENCH_REUSE") == "1"
ONLY = os.environ.get("BENCH_PAGES", "").split()
SLOW_MS = 50
PASSWORD = "kunskap-demo-2026"  # devdata.demo.DEMO_PASSWORD, shared by every persona
PERSONAS = {
    "strateg": "strategist",
    "ordforande": "LPO chair",
    "ledning": "management",
    "admin": "administrator (no permission filter)",
}
# The API's page is requested with the strategist's personal token, not a session.
API_PERSONA = "api"
RESULTS = ROOT / "bench" / "results.json"


@dataclass(frozen=True)
class Page:
    name: str
    persona: str | None
    label: str
    goal: float | None = None  # the p95 ratio to R1 that must hold at N
    unfiltered: str | None = None  # the same list without a permission filter
    # Issue 9's pages run at most 10 statements; issue 16's must only stay flat from S to N.
    max_queries: int | None = 10


PAGES = [
    Page("r0", None, "R0: a fixed string"),
    Page("r1", "strateg", "R1: one primary-key query and the base template"),
    Page("board", "strateg", "status board (the strategist's region)", 3, "board_all"),
    Page("board_chair", "ordforande", "status board (a chair's LPO)", None, "board_all"),
    Page("board_all", "admin", "status board, every case (unfiltered)"),
    Page("case_list", "strateg", "case list, page 1", 4, "case_list_all"),
    Page("case_list_chair", "ordforande", "case list, page 1 (a chair)", None, "case_list_all"),
    Page("case_list_all", "admin", "case list, page 1, every case (unfiltered)"),
    Page("case_list_deep", "strateg", "case list, last page (the region)", 4),
    Page("case_list_deep_all", "admin", "case list, last page of every case", 4),
    Page("search", "strateg", "search (case list with q=)", 4, "search_all"),
    Page("search_all", "admin", "search, every case (unfiltered)"),
    Page("case_detail", "ordforande", "case page (planning, every panel)", 3),
    Page("gap_analysis_100", "ordforande", "gap analysis, 100 rows", 4),
    Page("gap_analysis_300", "ordforande", "gap analysis, 300 rows", 8),
    Page("gap_row_save", "ordforande", "one gap-row save (POST, htmx)", 3),
    Page("remiss_round", "strateg", "remiss round with its response matrix"),
    Page("awaiting_decision", "ledning", "management's awaiting-decision page", 3),
    Page("home_chair", "ordforande", "the chair's home page", 3),
    Page("home_management", "ledning", "management's home (the portfolio)", 3, max_queries=None),
    Page("national_overview", "strateg", "national overview", 3, max_queries=None),
    Page("national_support", "strateg", "cross-region page, top support", 3, max_queries=None),
    Page("api_cases", API_PERSONA, "API: a page of cases (a token)", 3, max_queries=None),
]
PAGE = {page.name: page for page in PAGES}
SEARCH_TERM = "Hjärtsvikt"


# --- PostgreSQL and the project -------------------------------------------------------------


def pg(sql, database="postgres"):
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def environment():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG_URL}/{DB}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        BENCHMARK_VIEWS="1",
        REDIS_URL="",
        DJANGO_LOG_LEVEL="WARNING",
        # The API's page is measured, not its rate limit (1,200 an hour by default).
        API_RATE="1000000/hour",
    )
    return env


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(), check=True)


def fresh_database():
    pg(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    pg(f'CREATE DATABASE "{DB}"')


def server_log():
    """The PostgreSQL server's log file, if this process may read it; else None."""
    candidates = []
    try:
        current = pg("SELECT pg_current_logfile(), current_setting('data_directory')")[0]
        if current[0]:
            candidates.append(Path(current[1]) / current[0])
    except Exception:  # noqa: BLE001 (any failure just means: look elsewhere)
        pass
    if shutil.which("pg_lsclusters"):
        port = int(re.search(r":(\d+)", PG_URL.split("@")[-1]).group(1))
        listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            parts = line.split()
            if len(parts) >= 7 and parts[2] == str(port):
                candidates.append(Path(parts[6]))
    for path in candidates:
        if path.is_file() and os.access(path, os.R_OK):
            return path
    return None


def slow_statements_in_log(path, offset):
    """Statements of the benchmark database that PostgreSQL logged as slower than SLOW_MS."""
    with open(path, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        text = log.read()
    found = []
    pattern = re.compile(
        rf"@{re.escape(DB)} \S+:\s+duration: ([\d.]+) ms\s+(?:statement|execute[^:]*): (.*)"
    )
    for line in text.splitlines():
        match = pattern.search(line)
        if match:
            found.append({"ms": float(match.group(1)), "sql": match.group(2)[:500]})
    return found


class Server:
    """gunicorn serving bench.wsgi with a fixed number of sync workers."""

    def __init__(self, slow_log):
        env = environment()
        env.update(BENCH_SLOW_MS=str(SLOW_MS), BENCH_SLOW_LOG=str(slow_log))
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "bench.wsgi:application",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        client = Client(HOST, PORT)
        for _attempt in range(200):
            try:
                if client.get("/bench/r0/").status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn svarade inte på /bench/r0/.")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- What to request ------------------------------------------------------------------------


def targets():
    """The objects each page is measured on, found in the generated data."""
    import django

    os.environ.update(environment())
    django.setup()
    from django.db import connections

    connections.close_all()
    found = find_targets()
    connections.close_all()
    return found


def find_targets():
    """What the pages are measured on: the chair's LPO's gap analyses of ~100 and 300 rows,
    a case in planning, the remiss round with the most answers, the last pages of the lists,
    and the rows the saves go to. Reads the database Django is set up with."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from api.services import token_create
    from gapanalys.models import GapAnalysis, GapRow
    from kunskapsstyrning.models import Case, KnowledgeSupport, State
    from organisation.models import Membership, Role
    from remisser.models import Remiss, RemissStatus

    chair_lpo = Membership.objects.get(user__username="ordforande", role=Role.CHAIR).unit
    region = chair_lpo.region
    analyses = list(
        GapAnalysis.objects.filter(
            case__responsible_lpo=chair_lpo, case__state=State.GAP_ANALYSIS
        ).annotate(n=Count("rows"))
    )
    big = max(analyses, key=lambda a: a.n)
    small = min((a for a in analyses if a.pk != big.pk), key=lambda a: abs(a.n - 100))
    planning = Case.objects.filter(responsible_lpo=chair_lpo, state=State.PLANNING).earliest("pk")
    remiss = (
        Remiss.objects.filter(case__region=region, status=RemissStatus.DISTRIBUTED)
        .annotate(n=Count("responses"))
        .order_by("-n", "pk")
        .first()
    )
    most_used = (
        KnowledgeSupport.objects.annotate(n=Count("cases__region", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    _token, api_secret = token_create(
        user=get_user_model().objects.get(username="strateg"), name="make bench"
    )
    region_cases = Case.objects.filter(region=region).count()
    all_cases = Case.objects.count()
    rows = list(
        GapRow.objects.filter(analysis__in=[small, big])
        .order_by("analysis_id", "pk")
        .values_list("pk", "analysis__case_id", "version")
    )
    return {
        "case": planning.pk,
        "gap_100": (small.case_id, small.n),
        "gap_300": (big.case_id, big.n),
        "remiss": (remiss.pk, remiss.n),
        "region_last_page": math.ceil(region_cases / 25),
        "all_last_page": math.ceil(all_cases / 25),
        "rows": rows,
        "cases": all_cases,
        "region_cases": region_cases,
        "support": (most_used.pk, most_used.n),
        "api_token": api_secret,
    }


def path_of(name, found):
    paths = {
        "r0": "/bench/r0/",
        "r1": f"/bench/r1/{found['case']}/",
        "board": "/tavla/",
        "board_chair": "/tavla/",
        "board_all": "/tavla/",
        "case_list": "/arenden/",
        "case_list_chair": "/arenden/",
        "case_list_all": "/arenden/",
        "case_list_deep": f"/arenden/?sida={found['region_last_page']}",
        "case_list_deep_all": f"/arenden/?sida={found['all_last_page']}",
        "search": "/arenden/?q=" + SEARCH_TERM.replace("ä", "%C3%A4"),
        "search_all": "/arenden/?q=" + SEARCH_TERM.replace("ä", "%C3%A4"),
        "case_detail": f"/arenden/{found['case']}/",
        "gap_analysis_100": f"/arenden/{found['gap_100'][0]}/gapanalys/",
        "gap_analysis_300": f"/arenden/{found['gap_300'][0]}/gapanalys/",
        "remiss_round": f"/remisser/{found['remiss'][0]}/",
        "awaiting_decision": "/beslut/",
        "home_chair": "/",
        "home_management": "/",
        "national_overview": "/nationellt/",
        "national_support": f"/nationellt/kunskapsstod/{found['support'][0]}/",
        "api_cases": "/api/v1/arenden/",
    }
    return paths[name]


def headers_of(page, found):
    """The API's page carries the strategist's token; every other page a session cookie."""
    if page.persona == API_PERSONA:
        return {"Authorization": f"Bearer {found['api_token']}"}
    return None


class RowSaves:
    """Builds gap-row saves as the table's in-place editor posts them (htmx): each request
    saves a different row with the version it holds, so no save meets a conflict."""

    def __init__(self, client, rows):
        self.client = client
        self.rows = rows
        self.next = 0

    def take(self, count):
        if self.next + count > len(self.rows):
            raise RuntimeError("Skalan har för få gap-rader för radsparningarna.")
        chosen = self.rows[self.next : self.next + count]
        self.next += count
        return [self._raw(*row) for row in chosen]

    def _raw(self, row_pk, case_pk, version):
        headers = {
            "X-CSRFToken": self.client.cookies["csrftoken"],
            "HX-Request": "true",
            "HX-Target": f"rad-{row_pk}",
        }
        data = {**ROW_SAVE, "version": version}
        return self.client.raw("POST", row_save_path(case_pk, row_pk), data=data, headers=headers)


# What each save writes: an assessment with a proposal, as a LAG member fills a row in.
ROW_SAVE = {
    "current_state": "delvis",
    "today_practice": "Görs på sjukhusen men inte i primärvården.",
    "proposal": "Gemensam rutin och utbildning i primärvården.",
    "principal": "gemensam",
    "priority": "2",
}


def row_save_path(case_pk, row_pk):
    return f"/arenden/{case_pk}/gapanalys/rader/{row_pk}/andra/"


# --- Measuring ----------------------------------------------------------------------------


def measure(name, client, raws, warmup_raws, r1_raw):
    """Warm up, then send the page's `raws` open-loop at RATE with an R1 request after every
    second one, so that R1 meets the same moment of the machine as every page. Returns the
    page's samples and R1's."""
    for raw in warmup_raws:
        reply = client.send(raw)
        if reply.status != 200:
            raise RuntimeError(f"{name}: uppvärmningen fick svar {reply.status}.")
    stream = []
    for i, raw in enumerate(raws):
        stream.append(raw)
        if i % 2 == 1:
            stream.append(r1_raw)
    samples = open_loop(client, lambda i: stream[i], len(stream), RATE)
    page = [s for s, raw in zip(samples, stream, strict=True) if raw is not r1_raw]
    r1 = [s for s, raw in zip(samples, stream, strict=True) if raw is r1_raw]
    return page, r1


def summary(samples):
    latencies = [s.latency * 1000 for s in samples]
    counts = [s.queries for s in samples if s.queries is not None]
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if s.status != 200),
        # The fewest statements any request ran: once a minute a request also refreshes the
        # session's idle timestamp (one UPDATE more), which is not the page's doing.
        "queries": min(counts) if counts else None,
        "queries_max": max(counts) if counts else None,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "service_p50_ms": round(percentile([s.service * 1000 for s in samples], 50), 2),
        "slowest_sql_ms": max((s.slowest_sql_ms or 0) for s in samples),
    }


def bench_scale(scale):
    print(f"\n=== Skala {scale} ===", flush=True)
    started = time.monotonic()
    if REUSE:
        manage("migrate", "--noinput", "-v0")  # a fix under test may bring an index
    else:
        fresh_database()
        manage("migrate", "--noinput", "-v0")
        manage("generate_scale", "--scale", scale)
    generated_in = time.monotonic() - started
    # What a server would have done on its own by the time users arrive after a bulk load:
    # statistics and visibility maps up to date (VACUUM ANALYZE), and the load's WAL written
    # out, so that a checkpoint does not stall the measurements (as one did at 56 ms once).
    pg("VACUUM ANALYZE", database=DB)
    try:
        pg("CHECKPOINT")
    except Exception as exc:  # noqa: BLE001 (a role without the right only loses this step)
        print(f"  CHECKPOINT gick inte ({exc}); mätningen fortsätter utan.", flush=True)
    pg(f'ALTER DATABASE "{DB}" SET log_min_duration_statement = {SLOW_MS}')
    found = targets()
    log_path = server_log()
    log_offset = log_path.stat().st_size if log_path else 0
    slow_log = Path(tempfile.mkstemp(prefix="bench-slow-", suffix=".jsonl")[1])
    server = Server(slow_log)
    try:
        clients = {None: Client(HOST, PORT)}
        for username in PERSONAS:
            clients[username] = Client(HOST, PORT).login(username, PASSWORD)
        clients[API_PERSONA] = clients[None]
        samples = {}
        order = [p.name for p in PAGES if p.name not in ("r1", "gap_row_save")]
        order.append("gap_row_save")  # the saves change rows: after the pages that show them
        if ONLY:
            order = [name for name in order if name in ONLY]
        saves = RowSaves(clients["ordforande"], found["rows"])
        r1_raw = clients["strateg"].raw("GET", path_of("r1", found))
        for position, name in enumerate(order):
            page = PAGE[name]
            client = clients[page.persona]
            if name == "gap_row_save":
                warm = saves.take(WARMUP)
                raws = saves.take(REQUESTS)
            else:
                raw = client.raw("GET", path_of(name, found), headers=headers_of(page, found))
                warm, raws = [raw] * WARMUP, [raw] * REQUESTS
            samples[name], r1 = measure(name, client, raws, warm, r1_raw)
            samples.setdefault("r1", []).extend(r1)
            result = summary(samples[name])
            print(
                f"  {position + 1:>2}/{len(order)} {name:<20} {result['queries']!s:>3} queries  "
                f"p50 {result['p50_ms']:7.2f}  p95 {result['p95_ms']:7.2f}  "
                f"p99 {result['p99_ms']:7.2f} ms   (R1 alongside: p95 "
                f"{summary(r1)['p95_ms']:.2f} ms)",
                flush=True,
            )
        # R1's yardstick: its requests between every page's, pooled over the whole run.
        pages = {name: summary(samples[name]) for name in PAGE if name in samples}
        r1_p95 = pages["r1"]["p95_ms"]
        for result in pages.values():
            result["ratio_p95_to_r1"] = round(result["p95_ms"] / r1_p95, 2)
        # R0 and the board take turns, a few seconds each, so that both meet the same
        # moments of a shared machine.
        throughput = {n: {"completed": 0, "seconds": 0.0, "failed": 0} for n in ("r0", "board")}
        for _round in range(0 if ONLY else THROUGHPUT_ROUNDS):
            for name in throughput:
                page = PAGE[name]
                client = clients[page.persona]
                raw = client.raw("GET", path_of(name, found))
                seconds = THROUGHPUT_SECONDS / THROUGHPUT_ROUNDS
                per_second, failed = closed_loop(
                    client, lambda i, raw=raw: raw, THROUGHPUT_CLIENTS, seconds
                )
                throughput[name]["completed"] += per_second * seconds
                throughput[name]["seconds"] += seconds
                throughput[name]["failed"] += failed
        for name, totals in throughput.items():
            per_second = totals["completed"] / totals["seconds"] if totals["seconds"] else 0.0
            throughput[name] = {"requests_per_second": round(per_second, 1)}
            throughput[name]["failed"] = totals["failed"]
            print(f"  throughput {name:<8} {per_second:8.1f} req/s", flush=True)
    finally:
        server.stop()
    if log_path:
        slow = slow_statements_in_log(log_path, log_offset)
        method = f"PostgreSQL log_min_duration_statement = {SLOW_MS} ms, read from {log_path}"
    else:
        slow = []
        method = None
    in_workers = [json.loads(line) for line in slow_log.read_text().splitlines() if line]
    slow_log.unlink()
    if method is None:
        # No readable server log: the in-worker timing (driver round trip) decides instead.
        slow = in_workers
        method = f"timed in the gunicorn workers (connection.execute_wrapper), > {SLOW_MS} ms"
    return {
        "generate_seconds": round(generated_in, 1),
        "cases": found["cases"],
        "region_cases": found["region_cases"],
        "gap_rows_on_pages": {"gap_analysis_100": found["gap_100"][1]}
        | {"gap_analysis_300": found["gap_300"][1]},
        "remiss_responses": found["remiss"][1],
        "support_regions": found["support"][1],
        "pages": pages,
        "throughput": throughput,
        "slow_statements": {"method": method, "statements": slow, "timed_in_workers": in_workers},
    }


# --- Goals ----------------------------------------------------------------------------------


def goals(scales):
    found = {}
    small, large = scales.get("S"), scales.get("N")
    if small and large:
        for page in PAGES:
            s = small["pages"][page.name]["queries"]
            n = large["pages"][page.name]["queries"]
            found[f"queries.{page.name}"] = {
                "target": "the same at S and N"
                + (f", at most {page.max_queries}" if page.max_queries else ""),
                "value": {"S": s, "N": n},
                "met": s == n and n is not None and (not page.max_queries or n <= page.max_queries),
            }
    if large:
        pages = large["pages"]
        for page in PAGES:
            if page.goal is not None:
                value = pages[page.name]["ratio_p95_to_r1"]
                found[f"ratio.{page.name}"] = {
                    "target": page.goal,
                    "value": value,
                    "met": value <= page.goal,
                }
        for page in PAGES:
            if page.unfiltered:
                value = round(pages[page.name]["p95_ms"] / pages[page.unfiltered]["p95_ms"], 2)
                found[f"filtered.{page.name}"] = {
                    "target": 1.5,
                    "value": value,
                    "met": value <= 1.5,
                }
        board = large["throughput"]["board"]["requests_per_second"]
        r0 = large["throughput"]["r0"]["requests_per_second"]
        value = round(board / r0, 4) if r0 else 0
        found["throughput.board"] = {"target": round(1 / 15, 4), "value": value}
        found["throughput.board"]["met"] = value >= 1 / 15
    slowest = max(
        (s["ms"] for scale in scales.values() for s in scale["slow_statements"]["statements"]),
        default=0.0,
    )
    found["slowest_statement_ms"] = {"target": SLOW_MS, "value": slowest}
    found["slowest_statement_ms"]["met"] = slowest <= SLOW_MS
    errors = sum(p["errors"] for scale in scales.values() for p in scale["pages"].values())
    found["errors"] = {"target": 0, "value": errors, "met": errors == 0}
    return found


def table(scales, found):
    lines = []
    for name, scale in scales.items():
        lines.append(
            f"\nSkala {name}: {scale['cases']} ärenden, genererad på "
            f"{scale['generate_seconds']:.0f} s"
        )
        lines.append(
            f"  {'sida':<20} {'person':<11} {'frågor':>6} {'p50':>8} {'p95':>8} {'p99':>8} "
            f"{'×R1 p95':>8}"
        )
        for page in PAGES:
            r = scale["pages"][page.name]
            lines.append(
                f"  {page.name:<20} {page.persona or '-':<11} {r['queries']!s:>6} "
                f"{r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['p99_ms']:8.2f} "
                f"{r['ratio_p95_to_r1']:8.2f}"
            )
        for key, value in scale["throughput"].items():
            lines.append(f"  genomströmning {key:<8} {value['requests_per_second']:8.1f} req/s")
    lines.append("\nMål:")
    for key, goal in found.items():
        mark = "uppfyllt" if goal["met"] else "MISSAT"
        lines.append(f"  {mark:<9} {key:<32} mål {goal['target']!s:<32} värde {goal['value']}")
    return "\n".join(lines)


def main():
    try:
        version = pg("SHOW server_version")[0][0]
    except Exception as exc:  # noqa: BLE001 (any connection failure gets the same message)
        sys.exit(f"make bench behöver PostgreSQL på {PG_URL} ({exc}).")
    print(
        f"PostgreSQL {version}, databas {DB}, {WORKERS} gunicorn-arbetare, "
        f"{RATE:g} förfrågningar/s, {REQUESTS} per sida",
        flush=True,
    )
    scales = {}
    try:
        for scale in SCALES:
            scales[scale] = bench_scale(scale)
    finally:
        if os.environ.get("BENCH_KEEP_DB") != "1" and not REUSE:
            pg(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    if ONLY:  # a trial of a few pages: their ratios, no goals judged, no results written
        for scale, measured in scales.items():
            for name, result in measured["pages"].items():
                print(
                    f"  {scale} {name:<20} p95 {result['p95_ms']:7.2f} ms  "
                    f"{result['ratio_p95_to_r1']:5.2f} x R1  {result['queries']} queries"
                )
        return
    found = goals(scales)
    results = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": version,
            "platform": platform.platform(),
        },
        "method": {
            "server": f"gunicorn, {WORKERS} sync workers, 127.0.0.1:{PORT}",
            "latency": f"open loop at {RATE:g} requests/s: {REQUESTS} requests per page after "
            f"{WARMUP} warm-up requests, an R1 request after every second one; latency from "
            "each request's due time to its last byte",
            "throughput": f"closed loop, {THROUGHPUT_CLIENTS} clients, {THROUGHPUT_SECONDS:g} s "
            f"per page in {THROUGHPUT_ROUNDS} turns, R0 and the board alternating",
            "queries": "statements per request counted in the worker (bench/wsgi.py); the "
            "fewest seen (a request that refreshes the session's idle timestamp runs one more)",
            "r1": "logged in as the strategist: session, user, permission scope, one "
            "primary-key query, base template",
        },
        "scales": scales,
        "goals": found,
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(scales, found))
    print(f"\nResultat: {RESULTS.relative_to(ROOT)}")
    missed = [key for key, goal in found.items() if not goal["met"]]
    if missed:
        print(f"{len(missed)} mål missades: {', '.join(missed)}")
        sys.exit(1)
    print("Alla mål uppfyllda.")


if __name__ == "__main__":
    main()
