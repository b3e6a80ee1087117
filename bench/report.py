"""`make bench-report`: the yearly follow-up report of a whole region at national scale N, made
in the background by a real Celery worker, in at most 60 seconds (issue 16).

Fills a PostgreSQL database of its own with `generate_scale --scale N` (as `make bench` does:
migrate, generate, VACUUM ANALYZE, CHECKPOINT), starts one `celery worker` (prefork, one
process, as production runs it) on Redis, asks for the benchmark region's report of the last
full calendar year through the service a strategist's button calls
(`implementering.region_report.region_report_request`, queued after commit), and waits until the
worker has marked it ready. The time is the report's own: from `requested_at` to `finished_at`,
both written by the product (queueing, the worker's claim, three queries, every chart, the PDF/A
and the spreadsheet, storing both files). Prints the seconds and exits 1 on a miss or a failure.

Settings (environment): BENCH_REPORT_DB (h2bench), BENCH_PG_URL
(postgres://postgres@127.0.0.1:5432), BENCH_REPORT_REDIS (redis://127.0.0.1:6379/2),
BENCH_REUSE=1 (the database is already generated: measure only), BENCH_KEEP_DB=1 (keep it).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PG_URL, pg  # noqa: E402 (runs as a script: the project root goes on sys.path first)

DB = os.environ.get("BENCH_REPORT_DB", "h2bench")
REDIS_URL = os.environ.get("BENCH_REPORT_REDIS", "redis://127.0.0.1:6379/2")
REUSE = os.environ.get("BENCH_REUSE") == "1"
KEEP = REUSE or os.environ.get("BENCH_KEEP_DB") == "1"
GOAL_SECONDS = 60
WAIT_SECONDS = 300  # give up waiting after this (the task's own hard limit is 120 s)
CELERY = str(Path(sys.executable).with_name("celery"))


def environment():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG_URL}/{DB}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        REDIS_URL=REDIS_URL,
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-report-media-"),
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


# Run by `manage.py shell`: the benchmark region's strategist asks for last year's report.
REQUEST = """
import json
from django.utils import timezone
from implementering import region_report as reports
from organisation.models import User
user = User.objects.get(username="strateg")
region = reports.regions_for_report(user).order_by("name").first()
period = reports.default_period(timezone.localdate())
report = reports.region_report_request(region=region, period=period, actor=user)
print(json.dumps({"id": report.pk, "region": region.name, "period": period.label,
                  "cases": report.cases_total}))
"""


def generate(env):
    pg(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    pg(f'CREATE DATABASE "{DB}"')
    started = time.monotonic()
    manage(env, "migrate", "-v", "0")
    manage(env, "generate_scale", "--scale", "N")
    pg("VACUUM ANALYZE", database=DB)
    try:
        pg("CHECKPOINT")
    except Exception as exc:  # noqa: BLE001 (needs superuser; the measurement goes on)
        print(f"  CHECKPOINT gick inte ({exc})", flush=True)
    print(f"Skala N genererad på {time.monotonic() - started:.0f} s", flush=True)


def start_worker(env, log):
    out = open(log, "ab")  # noqa: SIM115 (kept open for the worker's lifetime)
    process = subprocess.Popen(
        [
            CELERY,
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=info",
            "-n",
            f"bench-report-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if "ready." in Path(log).read_text(errors="replace"):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.3)
    raise RuntimeError(f"celery worker startade inte:\n{Path(log).read_text()[-3000:]}")


def stop_worker(process):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main():
    env = environment()
    if not REUSE:
        generate(env)
    log = Path(tempfile.mkdtemp(prefix="bench-report-")) / "worker.log"
    worker = None
    try:
        worker = start_worker(env, log)
        asked = json.loads(
            manage(env, "shell", "-c", REQUEST, capture=True).strip().splitlines()[-1]
        )
        print(
            f"Rapport {asked['id']}: {asked['region']}, {asked['period']}, "
            f"{asked['cases']} ärenden",
            flush=True,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        row = None
        while time.monotonic() < deadline:
            row = pg(
                "SELECT status, cases_done, cases_total, pages, failure_reason, "
                "EXTRACT(EPOCH FROM finished_at - requested_at) "
                f"FROM implementering_regionreport WHERE id = {int(asked['id'])}",
                database=DB,
            )[0]
            if row[0] in ("klar", "misslyckad"):
                break
            time.sleep(0.5)
        status, done, total, pages, reason, seconds = row
        if status != "klar":
            print(f"MISS: rapporten blev inte klar ({status} {done}/{total}) {reason}")
            print(log.read_text(errors="replace")[-3000:])
            return 1
        seconds = float(seconds)
        met = seconds <= GOAL_SECONDS
        print(
            f"{seconds:.1f} s för {total} ärenden, {pages} sidor PDF och kalkylbladet; "
            f"mål ≤ {GOAL_SECONDS} s: {'uppfyllt' if met else 'MISSAT'}"
        )
        return 0 if met else 1
    finally:
        stop_worker(worker)
        if not KEEP:
            pg(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
