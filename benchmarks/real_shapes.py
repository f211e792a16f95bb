"""How long govopen takes on real reports: the distribution of parse time per format.

    python -m benchmarks.real_shapes --shared ../shared [--repeats 3] [PATH ...]

In: every report file under ``data/`` (its sub-folders: ``raw/`` and any other holding
reports), under the development corpus beside the repository (``--shared``, default
``../shared``: ``corpus/raw`` and ``seeds``; skipped with a note when absent), and under
any folder or file named on the command line. Gold transcriptions, JSON, CSV and
README files are not reports and are left out; a file whose bytes equal those of one
listed before it is timed once.

Per file: ``govopen.parse_report(path)`` from the path, so reading the file is part of
it, best of ``--repeats`` runs, in CPU time of this process (pinned to one core where
the system allows) and wall time. The format is govopen's own, read from the bytes
(text, html, docx, doc, pdf, or what it refused). A file that raises is timed up to the
exception, and the exception's class is its status.

Out: per format, files, errors, median, p95 and max CPU ms and the slowest file; the
ten slowest files; whether the speed targets hold (worst case under 1 s of CPU for
text, HTML and DOCX and under 2 s for PDF, p95 under 50 ms, median under 5 ms for
text and HTML). Printed as Markdown, and written to ``benchmarks/results/`` as
``real_shapes.md`` and ``real_shapes.csv`` (one row per file: path — relative to the
repository, or ``shared/…`` inside the corpus folder —, format, cpu_ms, wall_ms,
status). A missed target is reported, never an error: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

import govopen
from govopen.corpus.inputs import list_inputs
from govopen.read import sources

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"

# What sits beside reports in these folders and is not one.
NOT_REPORTS = {".json", ".csv", ".tsv", ".parquet", ".md", ".dta", ".xlsx", ".py",
               ".version"}
FORMATS = ("text", "html", "docx", "doc", "pdf")
WORST_MS = {"text": 1000, "html": 1000, "docx": 1000, "doc": 1000, "pdf": 2000}
P95_MS = 50
MEDIAN_MS = {"text": 5, "html": 5}
WORST_LISTED = 10


@dataclass
class Timing:
    path: str  # as written out: relative to the repository, or shared/… in the corpus
    format: str
    cpu_ms: float | None
    wall_ms: float | None
    status: str


def is_report(path: Path) -> bool:
    return not ("gold" in path.parts or path.name.upper().startswith("README")
                or path.suffix.lower() in NOT_REPORTS)


def reports_in(folder: Path) -> list[Path]:
    return [Path(p) for p in list_inputs(folder) if is_report(Path(p).relative_to(folder))]


def gather(shared: Path, extra: list[str]) -> tuple[list[Path], list[str]]:
    """The files to time, in order, and notes on what was left out."""
    notes = []
    folders = [p for p in sorted((REPO / "data").iterdir()) if p.is_dir()]
    if shared.is_dir():
        folders += [f for f in (shared / "corpus" / "raw", shared / "seeds") if f.is_dir()]
    else:
        notes.append(f"{shared} not found: timing the reports of data/ and those named only")
    files = [p for folder in folders for p in reports_in(folder)]
    for item in extra:
        path = Path(item)
        # a file named on its own is timed whatever it is; a folder gives its reports
        files += reports_in(path) if path.is_dir() else [path]
    return files, notes


def label(path: Path, shared: Path) -> str:
    full = path.resolve()
    if full.is_relative_to(REPO):
        return full.relative_to(REPO).as_posix()
    if full.is_relative_to(shared.resolve()):
        return "shared/" + full.relative_to(shared.resolve()).as_posix()
    return str(path)


def format_of(path: Path) -> str:
    """govopen's name for the file's format, when parsing it failed."""
    try:
        return sources.load(path).format
    except govopen.ParseError:
        pass
    try:
        return sources.sniff(path.read_bytes())
    except OSError:
        return "unreadable"


def time_one(path: Path, repeats: int) -> tuple[float, float, str, str | None]:
    """Best CPU and wall ms of ``repeats`` parses, the status, and the format if parsed."""
    cpu, wall, status, fmt = [], [], "ok", None
    for _ in range(repeats):
        c, t = time.process_time(), time.perf_counter()
        try:
            fmt = govopen.parse_report(str(path)).meta.format
        except Exception as e:  # every failure is a result to record, not a stop
            status = type(e).__name__
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return min(cpu), min(wall), status, fmt


def pin_to_one_core() -> str:
    # process_time counts every thread of the process: one core keeps it one core's time
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no CPU affinity on this system)"
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def measure(files: list[Path], shared: Path, repeats: int) -> list[Timing]:
    rows: list[Timing] = []
    first: dict[str, Timing] = {}
    for path in tqdm(files, desc="real reports", unit="file", file=sys.stderr):
        name = label(path, shared)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = name  # unreadable: parse_report says why, timed like any other
        if digest in first:
            rows.append(Timing(name, first[digest].format, None, None,
                               f"duplicate of {first[digest].path}"))
            continue
        cpu, wall, status, fmt = time_one(path, repeats)
        first[digest] = Timing(name, fmt or format_of(path), cpu, wall, status)
        rows.append(first[digest])
    return rows


def summarise(rows: list[Timing]) -> dict[str, dict]:
    """Per format: the numbers of the table. A file that failed counts with the time it
    took to fail: a batch spends that time too."""
    timed = [r for r in rows if r.cpu_ms is not None]
    order = [f for f in FORMATS if any(r.format == f for r in timed)]
    order += sorted({r.format for r in timed} - set(order))
    out = {}
    for fmt in order:
        mine = [r for r in timed if r.format == fmt]
        ms = np.array([r.cpu_ms for r in mine])
        worst = max(mine, key=lambda r: r.cpu_ms)
        out[fmt] = dict(files=len(mine), errors=sum(r.status != "ok" for r in mine),
                        median=float(np.median(ms)), p95=float(np.percentile(ms, 95)),
                        max=float(ms.max()), worst=worst.path)
    return out


def targets(summary: dict[str, dict]) -> list[str]:
    lines = []
    for fmt in FORMATS:
        s = summary.get(fmt)
        if s is None:
            lines.append(f"- {fmt}: no files, targets not checked")
            continue
        checks = [("worst", s["max"], WORST_MS[fmt]), ("p95", s["p95"], P95_MS)]
        if fmt in MEDIAN_MS:
            checks.append(("median", s["median"], MEDIAN_MS[fmt]))
        parts = [f"{what} {got:.1f} ms {'<' if got < limit else '≥'} {limit} ms "
                 f"{'met' if got < limit else 'MISSED'}" for what, got, limit in checks]
        lines.append(f"- {fmt}: " + "; ".join(parts))
    return lines


def markdown(rows: list[Timing], summary: dict[str, dict], context: list[str]) -> str:
    out = ["# Parse time on real reports", "", *context, "",
           "CPU time of one `parse_report` per file, best of the repeats, in ms.", "",
           "| format | files | errors | median ms | p95 ms | max ms | slowest file |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    out += [f"| {fmt} | {s['files']} | {s['errors']} | {s['median']:.1f} | {s['p95']:.1f} "
            f"| {s['max']:.1f} | `{s['worst']}` |" for fmt, s in summary.items()]
    timed = sorted((r for r in rows if r.cpu_ms is not None), key=lambda r: -r.cpu_ms)
    out += ["", f"## The {min(WORST_LISTED, len(timed))} slowest files", "",
            "| file | format | CPU ms | wall ms | status |", "| --- | --- | ---: | ---: | --- |"]
    out += [f"| `{r.path}` | {r.format} | {r.cpu_ms:.1f} | {r.wall_ms:.1f} | {r.status} |"
            for r in timed[:WORST_LISTED]]
    out += ["", "## Targets (one core)", "", *targets(summary)]
    return "\n".join(out) + "\n"


def write_csv(rows: list[Timing], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "format", "cpu_ms", "wall_ms", "status"])
        for r in rows:
            w.writerow([r.path, r.format, "" if r.cpu_ms is None else f"{r.cpu_ms:.3f}",
                        "" if r.wall_ms is None else f"{r.wall_ms:.3f}", r.status])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="more report files or folders to time")
    ap.add_argument("--shared", default=str(REPO.parent / "shared"),
                    help="the development corpus folder (corpus/raw, seeds)")
    ap.add_argument("--repeats", type=int, default=3, help="parses per file; the best counts")
    ap.add_argument("--results", default="real_shapes", help="name of the CSV and Markdown")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    files, notes = gather(shared, args.paths)
    for note in notes:
        print(note)
    if not files:
        print("no report files found")
        return 0
    pinned = pin_to_one_core()
    load = os.getloadavg()[0]
    # the first parse imports the format readers and builds the region tables
    with contextlib.suppress(Exception):
        govopen.parse_report(str(files[0]))
    rows = measure(files, shared, max(1, args.repeats))
    dupes = sum(r.cpu_ms is None for r in rows)
    context = [f"{len(rows) - dupes} files timed ({dupes} byte-identical copies left out), "
               f"best of {max(1, args.repeats)}; govopen {govopen.__version__}, Python "
               f"{platform.python_version()}, {os.cpu_count()} CPUs, {pinned}, load average "
               f"{load:.1f} at start, {os.getloadavg()[0]:.1f} at the end. Timings on a shared "
               "machine vary, CPU time less than wall time."]
    summary = summarise(rows)
    text = markdown(rows, summary, context)
    print(text, end="")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.results}.md").write_text(text, encoding="utf-8")
    write_csv(rows, RESULTS / f"{args.results}.csv")
    print(f"wrote {RESULTS.relative_to(REPO) / args.results}.md and .csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
