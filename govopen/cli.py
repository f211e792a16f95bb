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
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from . import schema
from ._version import __version__
from .collect import add_collect_commands
from .dataset.folder import add_parse_command
from .errors import ParseError
from .parse.report import Report, parse_report


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
    add_collect_commands(sub)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.files, args.notes, args.ocr)
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
