"""`make bench-pdf`: how long a decision document takes and how much memory, against a reference.

In one run: a 1-page BP1 document and BP2 documents with 100 and 300 gap rows, each made the
way the worker makes it (template, PDF/A-2b, tags, XMP, seal), and beside each a reference: the
same text as plain paragraphs in an unstyled document, rendered by the same WeasyPrint without
PDF/A, tags or seal. Two more variants of each document say what the archival format and the
seal cost: `styled` (no PDF/A, no tags, no seal) and `archival` (PDF/A and tags, no seal).

Every measurement runs in a fresh process (peak memory is that process's maximum resident
set, Django and WeasyPrint included; `base` is its resident set just before rendering), renders
BENCH_PDF_REPEATS times (default 3) and reports the median. Seconds are the process's CPU
seconds (user and system), and the goals are judged on them: the render is single-threaded, so
on an idle machine they equal the wall-clock seconds, which are printed and recorded beside them,
and on a shared one (CI, other test runs) they do not count the time another process held the
core. The data lives in a throwaway SQLite database. Prints a table, writes
bench/pdf-results.json, exits 1 if a goal is missed: each document ≤ 1.5 × its reference; the
300-row BP2 ≤ 150 MB peak; 300 rows ≤ 3.5 × 100 rows.
"""

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEATS = int(os.environ.get("BENCH_PDF_REPEATS", "3"))
GOAL_RATIO = 1.5
GOAL_PEAK_MB_300 = 150
GOAL_SCALING = 3.5
VARIANTS = ["document", "archival", "styled", "reference"]
BLOCKS = {"p", "h1", "h2", "h3", "li", "td", "th", "div", "dd", "dt", "tr", "br"}


class _Text(HTMLParser):
    """The visible text of an HTML page, one paragraph per block."""

    def __init__(self):
        super().__init__()
        self.paragraphs, self.current, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "title", "head"}:
            self.skip += 1
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in {"style", "title", "head"}:
            self.skip -= 1
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []


def reference_html(html):
    """The same text as plain paragraphs in an unstyled document."""
    parser = _Text()
    parser.feed(html)
    parser.flush()
    body = "".join(f"<p>{escape(p)}</p>" for p in parser.paragraphs)
    head = '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"></head>'
    return f"{head}<body>{body}</body></html>"


def environment(folder):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DOCUMENT_SEAL_CERT=str(folder / "seal" / "cert.pem"),
        DOCUMENT_SEAL_KEY=str(folder / "seal" / "key.pem"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def prepare():
    """Migrate a fresh database and request the three documents (not rendered here)."""
    import django

    django.setup()
    from django.core.management import call_command

    from common.seal import create_demo_certificate
    from kunskapsstyrning import services, tasks
    from kunskapsstyrning.models import DecisionRule, Document, State
    from kunskapsstyrning.tests.document_cases import bp2_document
    from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
    from kunskapsstyrning.tests.helpers import walk_to
    from organisation.models import Role, UnitKind
    from organisation.tests.factories import RegionFactory, UnitFactory, UserFactory, member

    call_command("migrate", verbosity=0)
    create_demo_certificate()
    tasks.document_render.delay = lambda document_id: None  # rendered by the measurements

    region = RegionFactory(code="90", short_code="RN", name="Region Norr")
    lpo = UnitFactory(kind=UnitKind.LPO, name="LPO Hjärta", code="RN_LPO_HJ", region=region)
    office = UnitFactory(kind=UnitKind.KANSLI, name="Kansliet", code="RN_KANSLI", region=region)
    body = UnitFactory(
        kind=UnitKind.HSL, name="Hälso- och sjukvårdsledningen", code="RN_HSL", region=region
    )
    for point in ("BP1", "BP2", "BP3"):
        DecisionRule.objects.create(region=region, point=point, deciding_body=body)
    start = date(2024, 1, 1)
    chair = UserFactory(username="alice", first_name="Alice", last_name="Ordförande")
    member(chair, lpo, Role.CHAIR, start_date=start)
    strategist = UserFactory(username="sara", first_name="Sara", last_name="Strateg")
    member(strategist, office, Role.STRATEGIST, start_date=start)
    manager = UserFactory(username="maja", first_name="Maja", last_name="Ledning")
    member(manager, body, Role.MANAGEMENT, start_date=start)

    def new_case(title):
        return services.case_register(
            actor=strategist,
            region=region,
            knowledge_support=KnowledgeSupportFactory(title=title),
            responsible_lpo=lpo,
            strategist=strategist,
        )

    bp1_case = walk_to(new_case("Hjärtsvikt – nydebuterad"), State.BP1)
    bp1 = services.case_decide(
        case_id=bp1_case.pk,
        actor=manager,
        point="BP1",
        outcome="bifall",
        decided_on=date(2024, 5, 1),
        motivation="Hälso- och sjukvårdsledningen bedömer att införandet är möjligt och viktigt.",
    )
    return {
        "BP1": Document.objects.get(decision=bp1).pk,
        "BP2, 100 rows": bp2_document(new_case("Stroke och TIA"), 100, manager).pk,
        "BP2, 300 rows": bp2_document(new_case("Kronisk njursjukdom"), 300, manager).pk,
    }


def _rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(variant, document_id):
    """One variant of one document, in this (fresh) process: JSON on stdout."""
    import django

    django.setup()
    from django.template.loader import render_to_string

    from common.pdf import html_to_pdf, render_pdf
    from kunskapsstyrning import documents
    from kunskapsstyrning.models import Document

    document = Document.objects.select_related("case__region").get(pk=document_id)
    template = documents.TEMPLATES[document.kind]
    if variant == "document":

        def make():
            return documents.document_pdf(document)
    elif variant == "archival":

        def make():
            context = documents.document_context(document)
            return render_pdf(template, context, documents.document_metadata(document))
    elif variant == "styled":

        def make():
            return html_to_pdf(
                render_to_string(template, documents.document_context(document)), archival=False
            )
    else:
        reference = reference_html(render_to_string(template, documents.document_context(document)))

        def make():
            return html_to_pdf(reference, archival=False)

    base = _rss_mb()
    seconds, wall = [], []
    for _ in range(REPEATS):
        started, started_wall = time.process_time(), time.perf_counter()
        data, pages = make()
        seconds.append(time.process_time() - started)
        wall.append(time.perf_counter() - started_wall)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": statistics.median(seconds),
                "all_seconds": seconds,
                "wall_seconds": statistics.median(wall),
                "all_wall_seconds": wall,
                "pages": pages,
                "bytes": len(data),
                "base_mb": round(base, 1),
                "peak_mb": round(peak, 1),
            }
        )
    )


def measure_phases(document_id):
    """Where one document's time and memory go, in this (fresh) process: JSON on stdout.

    The first render records the resident set after each step (what a worker pays once: the
    URL configuration that `verify_url` loads, WeasyPrint's and pyHanko's imports); then
    BENCH_PDF_REPEATS more renders give each step's median CPU seconds (`write PDF`: drawing,
    fonts, PDF/A and tags). Measures only: the goals are judged on the `document` and
    `reference` variants.
    """
    import django

    django.setup()
    from django.template.loader import render_to_string

    from common import pdf
    from common.seal import seal_pdf
    from kunskapsstyrning import documents
    from kunskapsstyrning.models import Document

    document = Document.objects.select_related("case__region").get(pk=document_id)
    options = {"pdf_variant": pdf.PDF_VARIANT, "pdf_tags": True}
    rss = {"django": round(_rss_mb(), 1)}
    steps = {"context and template": [], "layout": [], "write PDF": [], "seal": []}

    def timed(step, function, *args, **kwargs):
        started = time.process_time()
        value = function(*args, **kwargs)
        steps[step].append(time.process_time() - started)
        return value

    def make_html():
        context = documents.document_context(document)
        return render_to_string(documents.TEMPLATES[document.kind], context)

    region = document.case.region
    for attempt in range(REPEATS + 1):
        html = timed("context and template", make_html)
        if attempt == 0:
            rss["context and template"] = round(_rss_mb(), 1)
        from weasyprint import HTML

        if attempt == 0:
            rss["import WeasyPrint"] = round(_rss_mb(), 1)
        html = HTML(string=html, base_url=settings_base_url(), url_fetcher=pdf._url_fetcher())
        laid_out = timed("layout", html.render, font_config=pdf._font_config(), **options)
        finisher = pdf._add_xmp(documents.document_metadata(document))
        data = timed("write PDF", laid_out.write_pdf, finisher=finisher, **options)
        del laid_out, html
        if attempt == 0:
            rss["layout and write"] = round(_rss_mb(), 1)
            import pyhanko.sign.signers  # noqa: F401

            rss["import pyHanko"] = round(_rss_mb(), 1)
        timed("seal", seal_pdf, data, region_code=region.code, location=region.name)
        if attempt == 0:
            rss["seal"] = round(_rss_mb(), 1)
            rss["peak, first render"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            )
    print(
        json.dumps(
            {
                "seconds": {step: statistics.median(s[1:]) for step, s in steps.items()},
                "rss_mb": rss,
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


def settings_base_url():
    from django.conf import settings

    return settings.BASE_DIR.resolve().as_uri() + "/"


def main():
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        folder = Path(folder)
        env = environment(folder)
        os.environ.update(env)
        for name in ("DATABASE_URL", "REDIS_URL"):
            if name not in env:
                os.environ.pop(name, None)
        print("Förbereder data (SQLite i en tillfällig mapp) …", flush=True)
        ids = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--prepare"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        results = {}
        for name, document_id in ids.items():
            results[name] = {}
            for variant in VARIANTS:
                out = subprocess.run(
                    [sys.executable, __file__, "--measure", variant, str(document_id)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.splitlines()[-1]
                results[name][variant] = json.loads(out)
                print(
                    f"  {name:15} {variant:10} {results[name][variant]['seconds']:.2f} s CPU "
                    f"({results[name][variant]['wall_seconds']:.2f} s)",
                    flush=True,
                )
            out = subprocess.run(
                [sys.executable, __file__, "--phases", str(document_id)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
            results[name]["phases"] = json.loads(out)
    return report(results)


def report(results):
    goals = []
    print()
    print("CPU seconds (median of each variant's renders; wall-clock in bench/pdf-results.json)")
    print(
        f"{'document':15} {'pages':>5} {'document s':>10} {'archival s':>10} {'styled s':>9} "
        f"{'reference s':>11} {'× ref':>6} {'peak MB':>8} {'base MB':>8} {'ref peak':>8}"
    )
    for name, row in results.items():
        document, reference = row["document"], row["reference"]
        ratio = document["seconds"] / reference["seconds"]
        goals.append(
            {
                "goal": f"{name}: ≤ {GOAL_RATIO} × reference",
                "target": GOAL_RATIO,
                "value": round(ratio, 2),
                "met": ratio <= GOAL_RATIO,
            }
        )
        print(
            f"{name:15} {document['pages']:>5} {document['seconds']:>10.2f} "
            f"{row['archival']['seconds']:>10.2f} {row['styled']['seconds']:>9.2f} "
            f"{reference['seconds']:>11.2f} {ratio:>6.2f} {document['peak_mb']:>8.1f} "
            f"{document['base_mb']:>8.1f} {reference['peak_mb']:>8.1f}"
        )
    peak = results["BP2, 300 rows"]["document"]["peak_mb"]
    goals.append(
        {
            "goal": f"BP2, 300 rows: peak ≤ {GOAL_PEAK_MB_300} MB",
            "target": GOAL_PEAK_MB_300,
            "value": peak,
            "met": peak <= GOAL_PEAK_MB_300,
        }
    )
    scaling = (
        results["BP2, 300 rows"]["document"]["seconds"]
        / results["BP2, 100 rows"]["document"]["seconds"]
    )
    goals.append(
        {
            "goal": f"BP2: 300 rows ≤ {GOAL_SCALING} × 100 rows",
            "target": GOAL_SCALING,
            "value": round(scaling, 2),
            "met": scaling <= GOAL_SCALING,
        }
    )
    print()
    print("Where the document's time goes (median CPU seconds of each step) and its memory")
    print("(resident MB after each step of the first render in a fresh process)")
    for name, row in results.items():
        phases = row["phases"]
        print(
            f"{name:15} "
            + ", ".join(f"{step} {s:.3f}" for step, s in phases["seconds"].items())
            + f" (reference {row['reference']['seconds']:.3f})"
        )
        print(f"{'':15} " + ", ".join(f"{step} {mb:.0f}" for step, mb in phases["rss_mb"].items()))
    print()
    for goal in goals:
        print(f"{'ok  ' if goal['met'] else 'MISS'} {goal['goal']}: {goal['value']}")
    output = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "repeats": REPEATS,
        "results": results,
        "goals": goals,
    }
    (ROOT / "bench" / "pdf-results.json").write_text(json.dumps(output, indent=2) + "\n")
    return 0 if all(goal["met"] for goal in goals) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        print(json.dumps(prepare()))
    elif sys.argv[1:2] == ["--phases"]:
        measure_phases(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
