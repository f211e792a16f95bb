"""Every seed report in every format govopen reads: cells equal to the text version, and time.

    python -m benchmarks.formats [--repeats 3] [--ocr]

In: the five seed reports in ``data/raw`` and the versions of them the test fixtures
build (HTML, DOCX, PDF with reportlab, OFD) or hold (``tests/data/formats``: the
LibreOffice Word 97 ``.doc`` and Writer PDF exports). With ``--ocr`` (needs
``govopen[ocr]``), also the seed PDFs rendered to a 300 dpi scan.

Per seed and format: ``govopen.parse_report`` on the file's bytes, best of
``--repeats`` runs in CPU time; and its cells against those of the text version, on
(table, row, column) → (value, status): equal, different, or absent on one side.

Out: a Markdown table per format (seeds, cells compared, cells equal, median and max CPU
ms per report), and one row per seed and format; printed and written to
``benchmarks/results/formats.md``. A difference is reported, never an error.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import govopen
from tests.support import format_fixtures as ff

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
MADE = REPO / "tests" / "data" / "formats"


def committed(pattern: str) -> Callable[[ff.Seed], bytes | None]:
    """A builder that returns the committed fixture of a seed, if there is one."""
    def build(seed: ff.Seed) -> bytes | None:
        path = MADE / pattern.format(number=seed.name[:3])
        return path.read_bytes() if path.is_file() else None
    return build


def builders(ocr: bool) -> dict[str, Callable[[ff.Seed], bytes | None]]:
    out: dict[str, Callable[[ff.Seed], bytes | None]] = {
        "html": lambda seed: ff.seed_html(seed).encode("utf-8"),
        "docx": ff.seed_docx,
        "pdf (reportlab)": ff.seed_pdf,
        "pdf (Writer)": committed("seed-{number}-writer.pdf"),
        "doc (Word 97)": committed("seed-{number}.doc"),
    }
    try:
        from tests.support import ofd_fixtures
        out["ofd"] = ofd_fixtures.seed_ofd
    except ImportError:
        pass
    if ocr:
        from tests.support import scan_fixtures
        out["scan, 300 dpi"] = scan_fixtures.seed_scan_pdf
    return out


def cells(report: govopen.Report) -> dict[tuple, tuple]:
    return {(r.table, r.row, r.column): (None if math.isnan(r.value) else r.value, r.status)
            for r in report.cells.itertuples()}


def measure(data: bytes, name: str, repeats: int, ocr: bool) -> tuple[govopen.Report, float]:
    best = math.inf
    report = None
    for _ in range(repeats):
        start = time.process_time()
        report = govopen.parse_report(data, name, **({"ocr": True} if ocr else {}))
        best = min(best, time.process_time() - start)
    assert report is not None
    return report, best * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ocr", action="store_true", help="also the 300 dpi scans (slow)")
    args = ap.parse_args(argv)
    rows = []
    for path in ff.SEEDS:
        seed = ff.load_seed(path)
        truth = cells(govopen.parse_report(path))
        for fmt, build in builders(args.ocr).items():
            data = build(seed)
            if data is None:
                continue
            scan = fmt.startswith("scan")
            report, ms = measure(data, f"{seed.name} ({fmt})", 1 if scan else args.repeats, scan)
            got = cells(report)
            equal = sum(got.get(k) == v for k, v in truth.items())
            rows.append((fmt, seed.name, report.meta.format, len(truth), equal,
                         len(set(got) - set(truth)), ms))
    lines = ["# Every seed in every format", "",
             f"govopen {govopen.__version__}; CPU ms of one `parse_report` from the bytes, best "
             "of the repeats; cells equal = same value and status as the text version.", "",
             "| format | seeds | cells | equal | extra | median ms | max ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for fmt in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == fmt]
        times = [r[6] for r in mine]
        lines.append(f"| {fmt} | {len(mine)} | {sum(r[3] for r in mine)} | "
                     f"{sum(r[4] for r in mine)} | {sum(r[5] for r in mine)} | "
                     f"{statistics.median(times):.1f} | {max(times):.1f} |")
    lines += ["", "| format | seed | read as | cells | equal | extra | CPU ms |",
              "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {f} | `{s}` | {k} | {n} | {e} | {x} | {ms:.1f} |" for f, s, k, n, e, x, ms in rows]
    text = "\n".join(lines) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "formats.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
