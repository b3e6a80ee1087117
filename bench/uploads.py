"""`make bench-uploads`: zip bombs at each upload's size limit, refused in time and memory.

For every place that accepts a ZIP package (attachments: 25 MB; the gap-analysis, the
recommendation and the measurement imports: 5 MB) it builds a bomb as close under the limit
as whole 1 GB parts allow — one whose directory tells the truth (tens of GB) and one that lies
(says 1 kB per part) — and hands it to the product's own check in a fresh Python process, as
Django hands over an upload of that size: a temporary file on disk. It measures the wall time
of the check and how much the process's peak memory grows (ru_maxrss, after Django, openpyxl
and the file are loaded), prints a table, writes bench/uploads.json and exits 1 when a bomb is
accepted, takes a second or more, or grows the peak by 50 MB or more (issue 19).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIES = {False: "ärlig", True: "ljuger", "subtle": "listig"}
GOAL_SECONDS = 1.0
GOAL_MB = 50.0
MB = 1024 * 1024

CASES = [
    # (name, kind, size limit, how the product checks it)
    ("Bilaga (remiss), 25 MB", "docx", 25 * MB, "attachment"),
    ("Gap-analys, import 5 MB", "xlsx", 5 * MB, "gap"),
    ("Rekommendationer, import 5 MB", "xlsx", 5 * MB, "recommendations"),
    ("Mätvärden, import 5 MB", "xlsx", 5 * MB, "measurements"),
]

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, os.environ["BENCH_ROOT"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
import openpyxl  # noqa: F401 (loaded before the baseline, as in a running worker)
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.exceptions import ValidationError
from common.tabular import TableRefused, read_table
from remisser.attachments import check_upload
from gapanalys.spreadsheets import MAX_FILE_BYTES as GAP_MAX, MAX_ROWS as GAP_ROWS, SHEET_TITLE
from kunskapsstyrning.imports import MAX_FILE_BYTES as REC_MAX, MAX_ROWS as REC_ROWS
from implementering.imports import MAX_FILE_BYTES as MEAS_MAX, MAX_ROWS as MEAS_ROWS

path, kind, how = sys.argv[1], sys.argv[2], sys.argv[3]
size = os.path.getsize(path)
upload = TemporaryUploadedFile(f"bomb.{kind}", "application/octet-stream", size, None)
with open(path, "rb") as source:
    while chunk := source.read(1 << 20):
        upload.write(chunk)
upload.seek(0)

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

before = peak_mb()
started = time.perf_counter()
outcome, message = "accepted", ""
try:
    if how == "attachment":
        check_upload(upload)
    else:
        limits = {"gap": (GAP_MAX, GAP_ROWS), "recommendations": (REC_MAX, REC_ROWS),
                  "measurements": (MEAS_MAX, MEAS_ROWS)}[how]
        read_table(upload, max_bytes=limits[0], max_rows=limits[1],
                   formats=("xlsx",) if how == "gap" else ("csv", "xlsx"),
                   sheet=SHEET_TITLE if how == "gap" else None)
except (ValidationError, TableRefused) as exc:
    outcome = "refused"
    message = exc.messages[0] if hasattr(exc, "messages") else exc.message
seconds = time.perf_counter() - started
print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds,
                  "growth_mb": peak_mb() - before, "size": size}))
"""


def main():
    from common.testing.zipbombs import bomb, bomb_at

    results, failed = [], False
    with tempfile.TemporaryDirectory() as folder:
        for name, kind, limit, how in CASES:
            variants = [False, True] + (["subtle"] if how != "attachment" else [])
            for lie in variants:
                if lie == "subtle":
                    # One 1 GB part whose directory says 20 MB: plausible sizes and ratio,
                    # so only inflating it (in 64 kB pieces, stopping at 20 MB) tells.
                    data = bomb(kind, inflated=1024 * MB, says=20 * MB)
                else:
                    data = bomb_at(kind, limit, lie=lie)
                path = os.path.join(folder, f"bomb-{how}-{lie}.{kind}")
                Path(path).write_bytes(data)
                declared = sum_declared(data)
                del data
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, path, kind, how],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "BENCH_ROOT": str(ROOT)},
                    check=False,
                )
                if out.returncode != 0:
                    print(out.stderr, file=sys.stderr)
                    return 1
                result = json.loads(out.stdout.strip().splitlines()[-1])
                result.update(case=name, lie=lie, declared_gb=round(declared / 1024**3, 1), how=how)
                result["ok"] = (
                    result["outcome"] == "refused"
                    and result["seconds"] < GOAL_SECONDS
                    and result["growth_mb"] < GOAL_MB
                )
                failed |= not result["ok"]
                results.append(result)
    print(
        f"{'Var':32} {'katalog':8} {'storlek':>9} {'uppger':>8} {'svar':8} "
        f"{'sekunder':>9} {'minne +MB':>10}  mål"
    )
    for r in results:
        print(
            f"{r['case']:32} {LIES[r['lie']]:8} "
            f"{r['size'] / MB:8.1f}M {r['declared_gb']:7.1f}G {r['outcome']:8} "
            f"{r['seconds']:9.3f} {r['growth_mb']:10.1f}  {'ok' if r['ok'] else 'MISS'}"
        )
    Path(ROOT / "bench" / "uploads.json").write_text(
        json.dumps(
            {"goals": {"seconds": GOAL_SECONDS, "growth_mb": GOAL_MB}, "results": results},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print("Alla mål nådda." if not failed else "Mål missade.")
    return 1 if failed else 0


def sum_declared(data):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return sum(info.file_size for info in package.infolist())


if __name__ == "__main__":
    sys.exit(main())
