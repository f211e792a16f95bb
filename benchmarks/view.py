"""The size and render time of report pages (``govopen show``), for the seeds and the
largest real reports.

    python -m benchmarks.view [--shared ../shared] [--largest 3] [--repeats 5]

In: the seed reports in ``data/raw`` and the ``--largest`` biggest files of the
development corpus in ``--shared`` (``corpus/raw``; skipped when absent). Each is parsed
once; then ``view.report_page`` (the page) and ``Report._repr_html_`` (the notebook
fragment) are rendered ``--repeats`` times, best CPU time kept.

Out: one Markdown row per report (source bytes, lines, cells, page bytes, fragment bytes,
render ms of each), printed and written to ``benchmarks/results/view.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import govopen
from govopen.parse import view

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "results" / "view.md"


def best_ms(render, repeats: int) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeats):
        t = time.process_time()
        out = render()
        best = min(best, time.process_time() - t)
    return best * 1000, out


def inputs(shared: Path, largest: int) -> list[Path]:
    seeds = sorted((REPO / "data" / "raw").glob("*.txt"))
    raw = shared / "corpus" / "raw"
    real = sorted((p for p in raw.iterdir() if p.is_file()), key=lambda p: -p.stat().st_size) \
        if raw.is_dir() else []
    return seeds + real[:largest]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.view", description=__doc__)
    p.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    p.add_argument("--largest", type=int, default=3)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)
    rows = ["| report | source bytes | lines | cells | page bytes | page ms | "
            "fragment bytes | fragment ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for path in inputs(args.shared, args.largest):
        report = govopen.parse_report(path)
        page_ms, page = best_ms(lambda r=report: view.report_page(r), args.repeats)
        frag_ms, frag = best_ms(lambda r=report: r._repr_html_(), args.repeats)
        rows.append(f"| {path.name} | {path.stat().st_size} | {report.text.count(chr(10)) + 1} "
                    f"| {len(report.cell_rows)} | {len(page.encode())} | {page_ms:.1f} "
                    f"| {len(frag.encode())} | {frag_ms:.1f} |")
    text = ("# Report pages: size and render time\n\n"
            "`python -m benchmarks.view`: best CPU time of "
            f"{args.repeats} renders; the seeds and the {args.largest} largest files of the "
            "development corpus.\n\n" + "\n".join(rows) + "\n")
    print(text)
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
