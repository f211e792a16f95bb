"""How exactly govopen reads scanned reports: cells exact, wrong and missing, per seed.

    python -m benchmarks.ocr_accuracy [--sweep] [--seeds 000,001] [--cache DIR]

In: the five seed reports of ``data/raw``, printed to PDF (``tests.support.format_fixtures``),
their pages rendered once at 300 dpi and committed (``tests/data/scans``: every page of
seed 000, the table pages of the others), scanned at test time
(``tests.support.scan_fixtures``) under two conditions: 300 dpi clean, and 150 dpi turned
0.7°, with gaussian noise and through JPEG at quality 50. Every committed page is read by
OCR (``govopen.read.ocr``) and parsed as a scan.

Per seed and condition: the cells the seed's text version reads (parsed or inferred) are
the truth; each is exact (the same value), wrong (another value: the failure that must
never happen) or missing in the scan's reading; and OCR seconds a page (wall time, the
engine made before timing). With ``--sweep``, the same for other thresholds: the
confidence a number needs to be printed (``read.ocr.MIN_DIGIT_SCORE``) and the stricter
one a number no identity checks needs to be kept (``parse.scan.MIN_UNCONFIRMED_SCORE``).
``--cache DIR`` keeps each seed's OCR output there, so a second run only parses.

Out: Markdown, printed and written to ``benchmarks/results/ocr_accuracy.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pickle
import platform
import time
from pathlib import Path

import numpy as np

from govopen.errors import ParseError
from govopen.parse import scan
from govopen.parse.report import parse_report
from govopen.read import ocr
from govopen.read.sources import Document
from tests.support import format_fixtures as ff
from tests.support import scan_fixtures as sf

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SWEEP_PRINT = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)
SWEEP_KEEP = (0.0, 0.9, 0.95, 0.98)


def recognised(seed: ff.Seed, condition: sf.Condition, cache: Path | None):
    """The seed's pages as OCR read them, and OCR seconds a page."""
    path = None
    if cache is not None:
        path = cache / f"{seed.name}-{condition.dpi}-{int(condition.degraded)}.pickle"
        if path.is_file():
            return pickle.loads(path.read_bytes())
    pages = [np.asarray(im) for im in sf.scan_pages(seed, condition)]
    ocr.engine()
    start = time.perf_counter()
    lines = ocr.recognise(pages)
    out = (lines, (time.perf_counter() - start) / len(pages))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(out))
    return out


@contextlib.contextmanager
def keep_threshold(value: float):
    saved = scan.MIN_UNCONFIRMED_SCORE
    scan.MIN_UNCONFIRMED_SCORE = value
    try:
        yield
    finally:
        scan.MIN_UNCONFIRMED_SCORE = saved


def score(seed, lines, truth, print_at: float, keep_at: float) -> sf.Score:
    text, cells = ocr.lay_out(lines, seed.name, print_at)
    doc = Document(f"{seed.name}.pdf", seed.name, "scan", text, "", cells)
    with keep_threshold(keep_at):
        try:
            return sf.compare(parse_report(doc), truth)
        except ParseError:  # the tables were not found: every cell is missing
            return sf.Score(0, 0, int((truth.cells["status"] != "missing").sum()), [])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="", help="comma-separated seed numbers (default: all)")
    ap.add_argument("--sweep", action="store_true", help="also score other thresholds")
    ap.add_argument("--cache", default="", help="folder keeping the OCR output between runs")
    args = ap.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    wanted = [s for s in args.seeds.split(",") if s]
    seeds = [p for p in ff.SEEDS if not wanted or p.name[:3] in wanted]
    rows, sweep, wrong_cells = [], [], []
    for path in seeds:
        seed = ff.load_seed(path)
        truth = parse_report(path)
        for condition in sf.CONDITIONS:
            lines, per_page = recognised(seed, condition, cache)
            s = score(seed, lines, truth, ocr.MIN_DIGIT_SCORE, scan.MIN_UNCONFIRMED_SCORE)
            rows.append((seed.name, condition.name, len(lines), s, per_page))
            wrong_cells += [(seed.name, condition.name, *w) for w in s.wrong_cells]
            print(f"{seed.name} {condition.name}: exact {s.exact} wrong {s.wrong} missing "
                  f"{s.missing} ({per_page:.1f} s a page)", flush=True)
            if args.sweep:
                for p_at in SWEEP_PRINT:
                    for k_at in SWEEP_KEEP:
                        sweep.append((seed.name, condition.name, p_at, k_at,
                                      score(seed, lines, truth, p_at, k_at)))
    text = report(rows, sweep, wrong_cells)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ocr_accuracy.md").write_text(text, encoding="utf-8")
    print(f"wrote {(RESULTS / 'ocr_accuracy.md').relative_to(HERE.parent)}")
    return 0


def report(rows, sweep, wrong_cells) -> str:
    out = ["# OCR accuracy on the seeds, scanned", "",
           f"Printed at a digit confidence of {ocr.MIN_DIGIT_SCORE}; numbers no identity checks "
           f"kept at {scan.MIN_UNCONFIRMED_SCORE}. Truth: the cells the text version reads "
           "(parsed or inferred). Wrong must be 0.", "",
           f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
           f"{platform.python_version()}.", "",
           "| seed | condition | pages | truth | exact | wrong | missing | exact % | OCR s/page |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, cond, pages, s, per_page in rows:
        out.append(f"| {name} | {cond} | {pages} | {s.truth} | {s.exact} | {s.wrong} | "
                   f"{s.missing} | {100 * s.exact / max(1, s.truth):.0f} | {per_page:.1f} |")
    total = sum(s.wrong for _, _, _, s, _ in rows)
    out += ["", f"Wrong cells in all: {total}."]
    if wrong_cells:
        out += ["", "| seed | condition | table | row | column | truth | read | status |",
                "|---|---|---|---|---|---:|---:|---|"]
        out += ["| " + " | ".join(str(x) for x in w) + " |" for w in wrong_cells]
    if sweep:
        out += ["", "## Thresholds", "",
                "Sums over the seeds, per condition: print = the digit confidence a number "
                "needs to be printed; keep = the one a number no identity checks needs to be "
                "kept.", "",
                "| condition | print | keep | exact | wrong | missing |", "|---|---:|---:|---:|---:|---:|"]
        sums: dict[tuple, list[int]] = {}
        for _, cond, p_at, k_at, s in sweep:
            acc = sums.setdefault((cond, p_at, k_at), [0, 0, 0])
            acc[0] += s.exact
            acc[1] += s.wrong
            acc[2] += s.missing
        for (cond, p_at, k_at), (e, w, m) in sums.items():
            out.append(f"| {cond} | {p_at} | {k_at} | {e} | {w} | {m} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
