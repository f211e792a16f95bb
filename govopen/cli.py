"""The ``govopen`` command.

``govopen check FILE…`` prints, for a person at a terminal, each report's metadata, its
three tables (``?`` where a value is missing, ``*`` after an inferred one) and its
findings; with ``--notes``, the reason behind every inferred or missing cell, and behind
every printed cell whose place was reasoned out (a cut of run-together digits, a row of
numbers printed apart from its label). It exits 1 when a file
cannot be read at all, 0 otherwise; no traceback reaches the user.

``govopen parse INPUT… -o OUT`` parses files and folders of reports into a dataset (see
``govopen.dataset.folder``) and prints what happened to each file, then the files by status and
the errors by reason (what was wrong, what to do, which files). It exits 1 only when no
file could be parsed at all, or, with ``--strict``, when any file is an error.

``govopen show REPORT… -o DIR`` writes one self-contained HTML page per report (its source
text beside its tables, each number highlighted where it was read; ``govopen.parse.view``)
and ``index.html`` listing every file with its status. A file that cannot be read is
listed with its error and the others are still written; it exits 1 only when no page
could be written.

``govopen collect SITES -o DIR`` collects the reports of agency sites politely into a folder
with its ``manifest.csv``, and ``govopen fetch MANIFEST -o DIR`` rebuilds that folder from
the manifest, each file verified by its hash (``govopen.collect``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from . import schema
from ._version import __version__
from .collect import add_collect_commands
from .corpus.checks import SERIOUS, settle_status
from .corpus.inputs import hash_file, list_inputs
from .corpus.view import index_page
from .dataset.folder import add_parse_command
from .errors import ParseError
from .files import atomic_write
from .parse.report import Report, parse_report
from .parse.view import LANGS, report_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="govopen",
        description="Exact, validated tables from 政府信息公开工作年度报告 (annual reports).")
    parser.add_argument("--version", action="version", version=f"govopen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print each report's tables and findings")
    check.add_argument("files", nargs="+", help="report files (text, HTML, DOCX, DOC/WPS, PDF "
                                                "or OFD; scans and images with --ocr)")
    check.add_argument("--notes", action="store_true",
                       help="also list the reason behind every inferred or missing cell, and "
                            "behind printed cells whose place was reasoned out")
    check.add_argument("--ocr", action="store_true",
                       help="read scanned PDFs and images by OCR (slow: seconds a page; needs "
                            "pip install 'govopen[ocr]')")
    add_parse_command(sub)
    show = sub.add_parser("show", help="write an HTML page for each report, and an index",
                          description="Write one self-contained HTML page per report (its "
                                      "source text beside its tables) and index.html.")
    show.add_argument("files", nargs="+", metavar="REPORT", help="report files or folders")
    show.add_argument("-o", "--out", required=True, metavar="DIR", help="output folder")
    show.add_argument("--lang", choices=LANGS, default="en",
                      help="language of the labels (default: en)")
    show.add_argument("--ocr", action="store_true",
                      help="read scanned PDFs and images by OCR (needs govopen[ocr])")
    add_collect_commands(sub)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.files, args.notes, args.ocr)
        if args.command == "show":
            return _show_pages(args.files, args.out, args.lang, args.ocr)
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _check(files: list[str], notes: bool, ocr: bool = False) -> int:
    failed = 0
    for k, path in enumerate(files):
        if k:
            print()
        try:
            report = parse_report(path, ocr=ocr)
        except ParseError as e:
            print(f"error: {e}", file=sys.stderr)
            failed += 1
            continue
        except Exception as e:  # a bug, not bad input: say so without a traceback
            print(f"error: {path}: govopen failed on this file ({type(e).__name__}: {e}); "
                  "please report it with the file", file=sys.stderr)
            failed += 1
            continue
        print(render(report, notes))
    return 1 if failed else 0


def _show_pages(inputs: list[str], out: str, lang: str = "en", ocr: bool = False) -> int:
    folder = Path(out)
    rows: list[dict] = []
    serious: list[tuple[str, str]] = []
    pages: dict[str, str] = {}
    for path in list_inputs(inputs):
        row: dict = {"source": path, "status": None, "message": ""}
        sha, unreadable = hash_file(path)  # a pipe or a missing file, before reading it
        try:
            if sha is None:
                raise ParseError(path, unreadable)
            report = parse_report(path, ocr=ocr)
        except ParseError as e:
            row.update(status="error", message=e.reason + (f" — {e.hint}" if e.hint else ""))
        except Exception as e:  # noqa: BLE001 - a bug, not bad input: listed, the run goes on
            row.update(status="error", message=f"govopen failed on this file "
                                               f"({type(e).__name__}: {e}); please report it")
        else:
            m = report.meta
            name = f"{_file_stem(path)}-{m.report_id[:8]}.html"
            _write_text(folder / name, report_page(report, lang, index="index.html"))
            pages[path] = name
            counts = report.counts
            row.update(report_id=m.report_id, format=m.format, agency=m.agency, year=m.year,
                       n_values=counts["parsed"] + counts["inferred"],
                       n_missing=counts["missing"],
                       n_errors=sum(f[2] == "error" for f in report.finding_rows))
            serious += [(m.report_id, f[1]) for f in report.finding_rows if f[2] in SERIOUS]
        print(f"error: {path}: {row['message']}" if row["status"] == "error" else
              f"shown: {path} → {folder / pages[path]}")
        rows.append(row)
    reports = pd.DataFrame(rows, columns=["source", "report_id", "status", "format", "agency",
                                          "year", "n_values", "n_missing", "n_errors",
                                          "message"])
    settle_status(reports, pd.DataFrame(serious, columns=["report_id", "rule"]))
    index = index_page(reports, pages, lang, title=f"govopen show: {len(reports)} files")
    _write_text(folder / "index.html", index)
    print(f"{len(pages)} of {len(reports)} files shown → {folder / 'index.html'}")
    return 0 if pages else 1


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _file_stem(path: str) -> str:
    """A file's name without its suffix, as a safe part of a page name."""
    return re.sub(r"[^\w.-]+", "_", Path(path).stem)[:60] or "report"


def render(report: Report, notes: bool = False) -> str:
    m = report.meta
    c = report.counts
    out = [f"== {m.source}",
           f"agency {m.agency or '(not named)'} · year {m.year or '?'} · published "
           f"{m.published or '?'} · format {m.format} · id {m.report_id}",
           f"cells: {c['parsed']} parsed, {c['inferred']} inferred, {c['missing']} missing"]
    for name, t in schema.TABLES.items():
        sub = report.cells[report.cells["table"] == name]
        if sub.empty:
            continue
        template = m.templates.get(name)
        out.append("")
        out.append(f"-- {t.section}、{t.zh} ({name}{', template ' + template if template else ''})")
        shown = sub.assign(shown=[_show(v, s) for v, s in zip(sub["value"], sub["status"], strict=True)])
        wide = shown.pivot(index="row", columns="column", values="shown")
        rows = [r for r in t.row_keys() if r in wide.index]
        cols = [col.key for col in t.columns if col.key in wide.columns]
        out.append(wide.loc[rows, cols].fillna("").rename_axis(index=None, columns=None).to_string())
        if notes:
            # every cell not read plainly as printed, one line per row, status and reason
            noted = sub[(sub["status"] != "parsed") | (sub["note"] != "")]
            for (row, status, note), group in noted.groupby(["row", "status", "note"],
                                                            sort=False):
                every = len(group) == (sub["row"] == row).sum()
                where = f"{row} (every cell)" if every else f"{row}/{', '.join(group['column'])}"
                out.append(f"   {where}: {status} — {note}")
    if not report.facts.empty:
        out.append("")
        out.append("stated in the text:")
        for f in report.facts.itertuples():
            value = int(f.value) if float(f.value).is_integer() else f.value
            out.append(f"  {f.fact} = {value} {f.unit} ({f.confidence}, section {f.section or '?'}): "
                       f"{f.sentence[:80]}")
    out.append("")
    if report.findings.empty:
        out.append("findings: none — every identity holds")
    else:
        out.append(f"findings ({len(report.findings)}):")
        for f in report.findings.itertuples():
            where = "/".join(x for x in (f.table, f.row, f.column) if x)
            out.append(f"  [{f.severity}] {f.rule} {where}: {f.message}")
    return "\n".join(out)


def _show(value: float, status: str) -> str:
    if pd.isna(value):
        return "?"
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text + ("*" if status == "inferred" else "")


if __name__ == "__main__":
    sys.exit(main())
