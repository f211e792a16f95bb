"""The two PDF routes side by side: time per PDF, and whether they read it the same.

    python -m benchmarks.pdf_routes [--repeats 7]

In: the seed reports as PDFs made with reportlab (``format_fixtures.seed_pdf``), the
same seeds exported by LibreOffice Writer (``tests/data/formats/seed-NNN-writer.pdf``)
and the small PDFs of ``tests/support/pdf_fixtures.py``.

Per PDF: its pages; the CPU time of ``pdf_to_text`` on the "pdfplumber" route (old) and
on the "pdfium" route (new), best of ``--repeats``, pinned to one core where the system
allows; whether every output line is equal; whether ``parse_report`` gives the same
cells (table, row, column, value, status) from the two texts (the small fixtures are
not whole reports: both raise the same ``ParseError``). The target: a typical
5-page report under 60 ms of CPU on the new route.

Out: a Markdown table, printed and written to ``benchmarks/results/pdf_routes.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import govopen
from benchmarks.real_shapes import pin_to_one_core
from govopen.read.pdf import pdf_to_text
from tests.support import format_fixtures as ff
from tests.support import pdf_fixtures as pf

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
FORMATS = REPO / "tests" / "data" / "formats"
KEY = ["table", "row", "column", "value", "status"]
TARGET_MS = 60


def pdfs() -> list[tuple[str, bytes]]:
    out = []
    for path in ff.SEEDS:
        out.append((f"seed {path.stem[:3]} (reportlab)", ff.seed_pdf(ff.load_seed(path))))
    for path in ff.SEEDS:
        name = f"seed-{path.stem[:3]}-writer.pdf"
        out.append((f"{name} (LibreOffice)", (FORMATS / name).read_bytes()))
    out += [("pdf_fixtures.report_pdf", pf.report_pdf()),
            ("pdf_fixtures.report_pdf (small CropBox)", pf.report_pdf(crop=(40, 40, 555, 830))),
            ("pdf_fixtures.report_pdf (offset MediaBox)",
             pf.report_pdf(media=(30, 100, 565, 942), widths=(300, 150, 150))),
            ("pdf_fixtures.missing_fontbbox_pdf", pf.missing_fontbbox_pdf())]
    return out


def best_ms(data: bytes, route: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        pdf_to_text(data, "bench.pdf", route=route)
        times.append((time.process_time() - start) * 1000)
    return min(times)


def cells(text: str) -> list[tuple] | str:
    """The parsed cells, or the error's class for a PDF that is not a whole report."""
    try:
        c = govopen.parse_report(text).cells
    except govopen.ParseError as e:
        return type(e).__name__
    return sorted(tuple(str(v) for v in row) for row in c[KEY].values.tolist())


def pages(data: bytes) -> int:
    import pypdfium2 as pdfium  # noqa: PLC0415

    from govopen.read._pdfium import PDFIUM_LOCK  # noqa: PLC0415

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            return len(doc)
        finally:
            doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7, help="reads per PDF and route; the best counts")
    args = ap.parse_args(argv)
    repeats = max(1, args.repeats)
    pinned = pin_to_one_core()
    load = os.getloadavg()[0]
    rows = []
    for name, data in pdfs():
        old_text = pdf_to_text(data, "bench.pdf", route="pdfplumber")  # also warms up
        new_text = pdf_to_text(data, "bench.pdf", route="pdfium")
        old_ms, new_ms = best_ms(data, "pdfplumber", repeats), best_ms(data, "pdfium", repeats)
        same_lines = old_text.splitlines() == new_text.splitlines()
        differing = sum(a != b for a, b in zip(old_text.splitlines(), new_text.splitlines(),
                                               strict=False))
        same_cells = cells(old_text) == cells(new_text)
        rows.append((name, pages(data), old_ms, new_ms, same_lines, differing, same_cells))
    out = ["# PDF routes: pdfplumber (old) and pdfium (new)", "",
           f"CPU ms of `pdf_to_text`, best of {repeats}; govopen {govopen.__version__}, Python "
           f"{platform.python_version()}, {os.cpu_count()} CPUs, {pinned}, load average "
           f"{load:.1f} at start, {os.getloadavg()[0]:.1f} at the end. Timings on a shared "
           "machine vary.", "",
           "| PDF | pages | old ms | new ms | speed-up | lines equal | cells equal |",
           "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, n, old_ms, new_ms, same_lines, differing, same_cells in rows:
        lines = "yes" if same_lines else f"no ({differing} differ)"
        out.append(f"| {name} | {n} | {old_ms:.1f} | {new_ms:.1f} | {old_ms / new_ms:.1f}x "
                   f"| {lines} | {'yes' if same_cells else 'no'} |")
    typical = [new_ms / n * 5 for name, n, _, new_ms, *_ in rows if "writer" in name]
    worst = max(typical)
    out += ["", f"Target: a typical 5-page report under {TARGET_MS} ms of CPU on the new route. "
            f"The LibreOffice PDFs, scaled to 5 pages: {min(typical):.0f}–{worst:.0f} ms "
            f"({'met' if worst < TARGET_MS else 'missed'})."]
    text = "\n".join(out) + "\n"
    print(text, end="")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pdf_routes.md").write_text(text, encoding="utf-8")
    print(f"wrote {(RESULTS / 'pdf_routes.md').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
