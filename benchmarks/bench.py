"""How fast govopen parses, and how much memory a batch takes, on synthetic reports.

    python -m benchmarks.bench --sizes 1000,10000,100000 --workers 1,2

Prints, and writes to ``benchmarks/results/`` as ``bench.csv`` and ``bench.png``:

* per layout (``tabs``, ``cells``, ``markdown``, ``glued``, ``html``, ``docx``, and
  ``spaces`` — whose dropped cells go to the integer program — on fewer reports):
  reports per second on one core, parsing in this process, next to the *floor* on the
  same files (read the file, one regex pass over it) and their ratio;
* end to end, for each size and number of worker processes: ``parse_to_folder`` (parse,
  write Parquet and CSV, build the panel) on a corpus of text reports (tabs, one cell per
  line, markdown),
  wall time, reports per second per core, peak memory of the main process and of the
  largest worker, and the floor run over the same files by the same number of processes.

Each end-to-end run is a fresh process, so its peak memory is its own. The machine's
other load is printed with the results: timings on a shared machine vary.
``--profile`` writes where the time goes (pyinstrument) to ``results/profile.txt``.

    python -m benchmarks.bench --round-trips 30

runs, instead of the speed benchmarks, round trips of generated reports: ``N`` seeds for
every layout × fault of the generator (``synth.ALL_LAYOUTS`` × no fault and
``synth.ALL_FAULTS``), each parsed with the default time budget, with per combination the
share of cells *settled* (parsed, or inferred with a value), of them parsed and inferred,
and the count of *wrong* cells (``synth.wrong_cells``: a number other than the page
prints) and of reports with one; then per layout the share settled without a fault and
over all faults. Printed as Markdown and written to ``results/round_trips.md`` and
``round_trips.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.support import synth

HERE = Path(__file__).resolve().parent

RESULTS = HERE / "results"
# The end-to-end corpus: the text layouts that print every cell. Run-together text and
# dropped cells are measured per layout only: their cost is the search (see the README).
TEXT_LAYOUTS = ("tabs", "cells", "markdown")
LAYOUT_N = {"spaces": 20, "glued": 20, "docx": 300}  # fewer of the slow ones
FLOOR = re.compile(rb"\d+")


def floor_one(path: str) -> int:
    """The least any parser does: read the file and pass one regex over its bytes."""
    with open(path, "rb") as f:
        return len(FLOOR.findall(f.read()))


def floor_many(paths: list[str]) -> int:
    return sum(floor_one(p) for p in paths)


def floor_run(paths: list[str], workers: int) -> float:
    start = time.perf_counter()
    if workers <= 1:
        floor_many(paths)
    else:
        step = max(1, len(paths) // (workers * 8))
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(floor_many, [paths[i:i + step] for i in range(0, len(paths), step)]))
    return time.perf_counter() - start


# --- making the corpus -------------------------------------------------------------------

YEARS = 6  # an agency reports once a year, 2019-2024: the corpus has size / 6 agencies


def _write(args) -> None:
    folder, seeds, layouts = args
    for seed in seeds:
        r = synth.report(seed, layouts[seed % len(layouts)], agency=synth.agency_of(seed // YEARS),
                         year=2019 + seed % YEARS)
        suffix = {"html": "html", "docx": "docx"}.get(r.layout, "txt")
        Path(folder, f"{seed:07d}.{suffix}").write_bytes(r.as_bytes())


CORPUS_VERSION = "2"  # made anew when the generator changes; 2: distinct agencies


def make_corpus(folder: Path, n: int, layouts, workers: int = 2, offset: int = 0) -> list[str]:
    """``n`` reports in ``folder``, kept from an earlier run of the same version."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder.parent / f"{folder.name}.version"
    have = len(list(folder.iterdir()))
    if have != n or not stamp.is_file() or stamp.read_text() != CORPUS_VERSION:
        stamp.unlink(missing_ok=True)
        for p in folder.iterdir():
            p.unlink()
        seeds = list(range(offset, offset + n))
        step = 500
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write, [(str(folder), seeds[i:i + step], tuple(layouts))
                                   for i in range(0, n, step)]))
        stamp.write_text(CORPUS_VERSION)
    return sorted(str(p) for p in folder.iterdir())


# --- per layout, one core ----------------------------------------------------------------

def _parse_all(govopen, paths: list[str]) -> float:
    start = time.perf_counter()
    for p in paths:
        govopen.parse_report(p)
    return time.perf_counter() - start


def per_layout(work: Path, layouts, n: int) -> list[dict]:
    import govopen

    govopen.parse_report(synth.report(0, "tabs").data)  # imports and the region table
    rows = []
    for layout in layouts:
        k = LAYOUT_N.get(layout, n)
        paths = make_corpus(work / f"layout-{layout}", k, (layout,), offset=10_000_000)
        parse = min(_parse_all(govopen, paths) for _ in range(3))  # best of 3, as the floor
        floor = min(floor_run(paths, 1) for _ in range(3))
        rows.append(dict(kind="layout", layout=layout, size=k, workers=1, seconds=parse,
                         per_core=k / parse, floor_per_core=k / floor, ratio=parse / floor))
        print(f"  {layout:<9} {k:>6} reports  {k / parse:8.1f}/s per core   floor "
              f"{k / floor:10.0f}/s   parser/floor {parse / floor:6.0f}×", flush=True)
    return rows


# --- end to end, in a fresh process ------------------------------------------------------

def end_to_end(folder: Path, out: Path, workers: int) -> dict:
    """One run of parse_to_folder in a child process: its time and peak memory."""
    cmd = [sys.executable, "-m", "benchmarks.bench", "_run", str(folder), str(out), str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=HERE.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run(folder: str, out: str, workers: int) -> None:
    import shutil

    import govopen

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    corpus = govopen.parse_to_folder(folder, out, jobs=workers, progress=False)
    seconds = time.perf_counter() - start
    me = _peak_rss_mb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(dict(seconds=seconds, parsed=corpus.parsed, peak_main_mb=me,
                          peak_worker_mb=kids)))


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program. Not ru_maxrss:
    on Linux that keeps the peak of the process it was forked from (here the benchmark,
    with its corpora and parses in memory) across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- round trips: what comes back of each generated class ------------------------------------

def round_trips(n: int) -> list[dict]:
    import govopen

    rows = []
    for layout in synth.ALL_LAYOUTS:
        for fault in (None, *synth.ALL_FAULTS):
            row = dict(layout=layout, fault=fault or "none", reports=0, cannot_carry=0,
                       cells=0, parsed=0, inferred=0, wrong=0, reports_wrong=0, seconds=0.0)
            for seed in range(n):
                try:
                    r = synth.report(seed, layout, fault=fault)
                except ValueError:  # the drawn truth cannot carry the fault
                    row["cannot_carry"] += 1
                    continue
                start = time.perf_counter()
                cells = govopen.parse_report(r.data, name=f"synthetic-{seed}.{layout}").cells
                row["seconds"] += time.perf_counter() - start
                values = {(c.table, c.row, c.column): c.value for c in cells.itertuples()}
                status = cells.status[cells.value.notna()].value_counts()
                wrong = synth.wrong_cells(r, values)
                row["reports"] += 1
                row["cells"] += len(r.truth.values)
                row["parsed"] += int(status.get("parsed", 0))
                row["inferred"] += int(status.get("inferred", 0))
                row["wrong"] += len(wrong)
                row["reports_wrong"] += bool(wrong)
            row["settled"] = (row["parsed"] + row["inferred"]) / max(row["cells"], 1)
            rows.append(row)
            print(f"  {layout:<10} {row['fault']:<16} {row['settled']:7.1%} settled  "
                  f"{row['wrong']:4d} wrong cells in {row['reports_wrong']:2d} of "
                  f"{row['reports']} reports", flush=True)
    return rows


def _share(x: int, of: int) -> str:
    return f"{x / of:.1%}" if of else "–"


def round_trips_markdown(rows: list[dict], n: int) -> str:
    import govopen

    lines = [
        "# Round trips of generated reports", "",
        f"{n} seeds per layout × fault (`synth.report(seed, layout, fault=fault)`, seeds "
        f"0–{n - 1}), each parsed by `govopen.parse_report` with its default time budget; "
        f"govopen {govopen.__version__}. A cell is *settled* when it is parsed, or inferred "
        "with a value; *wrong* when its number is not the one the page prints "
        "(`synth.wrong_cells`). Shares are of all the cells of the reports' tables. "
        "`split_digit` and `ocr_digits` draw again a truth that cannot carry them (no "
        "number of two digits; nothing printed to misread), so their reports are not "
        "quite the others'.", "",
        "| layout | fault | reports | cells | settled | parsed | inferred | wrong cells "
        "| reports with a wrong cell |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['layout']} | {r['fault']} | {r['reports']} | {r['cells']} | "
                     f"{r['settled']:.1%} | {_share(r['parsed'], r['cells'])} | "
                     f"{_share(r['inferred'], r['cells'])} | {r['wrong']} | "
                     f"{r['reports_wrong']} |")
    lines += ["", "## Per layout", "",
              "| layout | settled, no fault | settled, all faults | wrong cells, all faults |",
              "| --- | ---: | ---: | ---: |"]
    for layout in synth.ALL_LAYOUTS:
        mine = [r for r in rows if r["layout"] == layout]
        clean = next(r for r in mine if r["fault"] == "none")
        cells = sum(r["cells"] for r in mine)
        settled = sum(r["parsed"] + r["inferred"] for r in mine)
        lines.append(f"| {layout} | {clean['settled']:.1%} | {_share(settled, cells)} | "
                     f"{sum(r['wrong'] for r in mine)} |")
    skipped = [f"{r['layout']} × {r['fault']}: {r['cannot_carry']}" for r in rows
               if r["cannot_carry"]]
    if skipped:
        lines += ["", "Seeds whose drawn truth cannot carry the fault (left out): "
                  + "; ".join(skipped) + "."]
    return "\n".join(lines) + "\n"


def write_round_trips(rows: list[dict], n: int) -> str:
    keys = ["layout", "fault", "reports", "cannot_carry", "cells", "parsed", "inferred",
            "settled", "wrong", "reports_wrong", "seconds"]
    with open(RESULTS / "round_trips.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{r[k]:.4g}" if isinstance(r[k], float) else r[k]) for k in keys})
    text = round_trips_markdown(rows, n)
    (RESULTS / "round_trips.md").write_text(text, encoding="utf-8")
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    ap.add_argument("--workers", default="1,2", help="worker processes to try")
    ap.add_argument("--layouts", default="tabs,cells,markdown,html,docx,spaces,glued")
    ap.add_argument("--layout-n", type=int, default=1000, help="reports per layout")
    ap.add_argument("--work", default=None, help="folder for the generated corpora")
    ap.add_argument("--profile", action="store_true", help="profile 300 tab reports")
    ap.add_argument("--results", default="bench", help="name of the CSV and plot written")
    ap.add_argument("--round-trips", type=int, default=0, metavar="N",
                    help="instead: round trips of N generated reports per layout × fault")
    args = ap.parse_args(argv)
    work = Path(args.work or os.environ.get("TMPDIR", "/tmp")) / "govopen-bench"
    RESULTS.mkdir(exist_ok=True)
    if args.round_trips > 0:
        print(f"round trips, {args.round_trips} seeds per layout × fault:")
        print("\n" + write_round_trips(round_trips(args.round_trips), args.round_trips))
        return 0
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    if args.profile:
        profile(work)
    layouts = [x for x in args.layouts.split(",") if x and x != "none"]
    rows = []
    if layouts:
        print("per layout, parsing in one process:")
        rows = per_layout(work, layouts, args.layout_n)
    print("end to end (parse_to_folder: parse, Parquet + CSV, panel), mixed text layouts:")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"corpus-{size}"
        paths = make_corpus(folder, size, TEXT_LAYOUTS)
        for w in (int(x) for x in args.workers.split(",")):
            r = end_to_end(folder, work / f"out-{size}-{w}", w)
            floor = floor_run(paths, w)
            row = dict(kind="end_to_end", layout="text mix", size=size, workers=w,
                       seconds=r["seconds"], per_core=size / r["seconds"] / w,
                       floor_per_core=size / floor / w, ratio=r["seconds"] / floor,
                       peak_main_mb=r["peak_main_mb"], peak_worker_mb=r["peak_worker_mb"])
            rows.append(row)
            print(f"  {size:>7} reports, {w} worker{'s' if w > 1 else ''}: "
                  f"{r['seconds']:8.1f} s  {row['per_core']:7.1f}/s per core  floor "
                  f"{floor:6.2f} s  parser/floor {row['ratio']:5.0f}×  peak main "
                  f"{r['peak_main_mb']:6.0f} MB, worker {r['peak_worker_mb']:5.0f} MB", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    write(rows, args.results)
    return 0


def write(rows: list[dict], name: str = "bench") -> None:
    keys = ["kind", "layout", "size", "workers", "seconds", "per_core", "floor_per_core",
            "ratio", "peak_main_mb", "peak_worker_mb"]
    with open(RESULTS / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{r[k]:.4g}" if isinstance(r.get(k), float) else r.get(k, ""))
                        for k in keys})
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    lay = [r for r in rows if r["kind"] == "layout"]
    if lay:
        a.barh([r["layout"] for r in lay], [r["per_core"] for r in lay])
    a.set_xscale("log")
    a.set_xlabel("reports per second per core (log)")
    a.set_title("parsing, one core, by layout")
    e2e = [r for r in rows if r["kind"] == "end_to_end"]
    for w in sorted({r["workers"] for r in e2e}):
        pts = [r for r in e2e if r["workers"] == w]
        b.plot([r["size"] for r in pts], [r["seconds"] for r in pts], "o-",
               label=f"{w} worker{'s' if w > 1 else ''}")
    b.set_xscale("log")
    b.set_yscale("log")
    b.set_xlabel("reports")
    b.set_ylabel("wall time, s (log)")
    b.set_title("parse_to_folder, end to end")
    b.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / f"{name}.png", dpi=100, metadata={"Software": None})
    plt.close(fig)


def profile(work: Path) -> None:
    from pyinstrument import Profiler

    import govopen

    paths = make_corpus(work / "layout-tabs", 300, ("tabs",), offset=10_000_000)
    govopen.parse_report(paths[0])
    p = Profiler(interval=0.0005)
    p.start()
    for path in paths:
        govopen.parse_report(path)
    p.stop()
    text = p.output_text(unicode=False, color=False)
    text = text.replace(str(HERE.parent) + os.sep, "").replace(str(HERE.parent), ".")
    (RESULTS / "profile.txt").write_text(text, encoding="utf-8")
    print(f"profile of {len(paths)} tab reports → {RESULTS / 'profile.txt'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        _run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
