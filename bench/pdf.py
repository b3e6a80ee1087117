"""`make bench-pdf`: how long a decision document takes and how much memory, against a reference.

In one run: a 1-page BP1 document and BP2 documents with 100 and 300 gap rows, each made the
way the worker makes it (template, PDF/A-2b, tags, XMP, seal), and beside each a reference: the
same text as plain paragraphs in an unstyled document, rendered by the same WeasyPrint without
PDF/A, tags or seal. Two more variants of each document say what the archival format and the
seal cost: `styled` (no PDF/A, no tags, no seal) and `archival` (PDF/A and tags, no seal).

Time is measured side by side: one process renders every variant of a document once, then
ROUNDS rounds of all four in turn (BENCH_PDF_ROUNDS overrides), and a round's ratio is its
document's CPU seconds over its reference's; the goals are judged on the median round. This
machine's speed drifts by a quarter from one process to the next (the same render took 3.6 s in
one and 4.4 s in the next), and renders made moments apart in one process drift together.
Seconds are the process's CPU seconds (the render is single-threaded; wall-clock seconds are
recorded beside them). The document's seconds include its context and template; the
reference's HTML is made before its clock starts.

Memory is measured in a fresh process per variant (Django, WeasyPrint and pyHanko included),
which renders BENCH_PDF_REPEATS times (default 3): the peak resident set after the first render
and after all of them (a worker that has sealed before holds pyHanko, imported by the first seal
after the first layout). The goal is judged on the latter. A fifth process times each step of
the document (`phases`). The data lives in a throwaway SQLite database. Prints a table, writes
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
# Rounds of the side-by-side timing: a 1-page document renders in hundredths of a second, so it
# gets more of them for the same steadiness.
ROUNDS = {"BP1": 25, "BP2, 100 rows": 7, "BP2, 300 rows": 5}
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


def makers(document):
    """Each variant of `document` as a function that renders it: (PDF bytes, page count)."""
    from django.template.loader import render_to_string

    from common.pdf import html_to_pdf, render_pdf
    from kunskapsstyrning import documents

    template = documents.TEMPLATES[document.kind]
    reference = reference_html(render_to_string(template, documents.document_context(document)))
    return {
        "document": lambda: documents.document_pdf(document),
        "archival": lambda: render_pdf(
            template, documents.document_context(document), documents.document_metadata(document)
        ),
        "styled": lambda: html_to_pdf(
            render_to_string(template, documents.document_context(document)), archival=False
        ),
        "reference": lambda: html_to_pdf(reference, archival=False),
    }


def _document(document_id):
    import django

    django.setup()
    from kunskapsstyrning.models import Document

    return Document.objects.select_related("case__region").get(pk=document_id)


def measure(variant, document_id):
    """Memory of one variant of one document, in this (fresh) process: JSON on stdout.

    Renders REPEATS times: the first render pays the imports, the later ones show what a worker
    that has made documents before holds (pyHanko is imported by the first seal, after the
    first layout, so the second render peaks higher than the first).
    """
    document = _document(document_id)
    make = makers(document)[variant]
    base = _rss_mb()
    seconds, wall = [], []
    for _ in range(REPEATS):
        started, started_wall = time.process_time(), time.perf_counter()
        data, pages = make()
        seconds.append(time.process_time() - started)
        wall.append(time.perf_counter() - started_wall)
        if len(seconds) == 1:
            first_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "first_seconds": seconds[0],
                "all_seconds": seconds,
                "all_wall_seconds": wall,
                "pages": pages,
                "bytes": len(data),
                "base_mb": round(base, 1),
                "first_peak_mb": round(first_peak, 1),
                "peak_mb": round(peak, 1),
            }
        )
    )


def measure_paired(document_id, rounds):
    """Time of every variant of one document, side by side in one process: JSON on stdout.

    After one render of each (imports, caches), `rounds` rounds each render every variant once,
    in an order that turns from round to round; a round's ratio is its document's CPU seconds
    over its reference's. Measured so because this machine's speed drifts by a quarter from
    one process to the next, and a ratio of two renders made moments apart does not drift with
    it (the goals are judged on the median round).
    """
    document = _document(document_id)
    variants = makers(document)
    pages = {name: make()[1] for name, make in variants.items()}
    seconds = {name: [] for name in variants}
    wall = {name: [] for name in variants}
    ratios = []
    order = list(variants)
    for round_number in range(rounds):
        turned = order[round_number % len(order) :] + order[: round_number % len(order)]
        for name in turned:
            started, started_wall = time.process_time(), time.perf_counter()
            variants[name]()
            seconds[name].append(time.process_time() - started)
            wall[name].append(time.perf_counter() - started_wall)
        ratios.append(seconds["document"][-1] / seconds["reference"][-1])
    print(
        json.dumps(
            {
                "rounds": rounds,
                "ratio": statistics.median(ratios),
                "all_ratios": ratios,
                "seconds": {name: statistics.median(s) for name, s in seconds.items()},
                "wall_seconds": {name: statistics.median(s) for name, s in wall.items()},
                "all_seconds": seconds,
                "pages": pages,
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

        def run(*args):
            return json.loads(
                subprocess.run(
                    [sys.executable, __file__, *map(str, args)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.splitlines()[-1]
            )

        for name, document_id in ids.items():
            rounds = int(os.environ.get("BENCH_PDF_ROUNDS", ROUNDS[name]))
            paired = run("--paired", document_id, rounds)
            results[name] = {"paired": paired}
            print(
                f"  {name:15} side by side, {rounds} rounds: document "
                f"{paired['seconds']['document']:.3f} s, reference "
                f"{paired['seconds']['reference']:.3f} s CPU, × {paired['ratio']:.2f}",
                flush=True,
            )
            for variant in VARIANTS:
                results[name][variant] = run("--measure", variant, document_id)
                print(
                    f"  {name:15} {variant:10} peak {results[name][variant]['peak_mb']:.0f} MB",
                    flush=True,
                )
            results[name]["phases"] = run("--phases", document_id)
    return report(results)


def report(results):
    goals = []
    print()
    print("CPU seconds side by side (median of the rounds; wall-clock in bench/pdf-results.json)")
    print("and peak resident MB of each in a fresh process (first render / after the first)")
    print(
        f"{'document':15} {'pages':>5} {'document s':>10} {'archival s':>10} {'styled s':>9} "
        f"{'reference s':>11} {'× ref':>6} {'peak MB':>13} {'ref peak MB':>11}"
    )
    for name, row in results.items():
        paired, document = row["paired"], row["document"]
        ratio = paired["ratio"]
        goals.append(
            {
                "goal": f"{name}: ≤ {GOAL_RATIO} × reference",
                "target": GOAL_RATIO,
                "value": round(ratio, 2),
                "met": ratio <= GOAL_RATIO,
            }
        )
        seconds = paired["seconds"]
        print(
            f"{name:15} {paired['pages']['document']:>5} {seconds['document']:>10.3f} "
            f"{seconds['archival']:>10.3f} {seconds['styled']:>9.3f} "
            f"{seconds['reference']:>11.3f} {ratio:>6.2f} "
            f"{document['first_peak_mb']:>6.0f} / {document['peak_mb']:<4.0f} "
            f"{row['reference']['peak_mb']:>11.0f}"
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
        results["BP2, 300 rows"]["paired"]["seconds"]["document"]
        / results["BP2, 100 rows"]["paired"]["seconds"]["document"]
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
            + f" (reference {row['paired']['seconds']['reference']:.3f})"
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
        "rounds": {name: row["paired"]["rounds"] for name, row in results.items()},
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
    elif sys.argv[1:2] == ["--paired"]:
        measure_paired(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
