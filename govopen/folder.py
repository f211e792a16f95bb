"""Report files → a folder of research tables: what ``govopen parse INPUT… -o OUT`` does.

In: input files and folders, and an output folder. Out, in the folder:

* ``reports``, ``cells``, ``findings``, ``panel`` and ``cell_keys`` as ``.parquet`` and
  ``.csv`` (UTF-8 with BOM; ``formats`` adds ``.dta`` and ``.xlsx``);
* ``datapackage.json`` (Frictionless) and ``codebook.md``;
* ``.govopen-cache/<version>/<sha256>.json``, the parse result of every file.

A second run over the same folder parses only files whose bytes, or the govopen version,
changed. Every file is written to a temporary file beside it and renamed into place, so
an interrupted run leaves the previous outputs (or none), never a half-written file; the
temporaries a killed run leaves behind are removed by the next run. One run per output
folder at a time.
"""

from __future__ import annotations

import argparse
import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from .codebook import cell_keys, fields, write_codebook
from .corpus import Corpus, ResultCache, read_corpus
from .export import EXCEL_MAX_ROWS, remove_stale_temporaries, write_table
from .panel import build_panel

CACHE_DIR = ".govopen-cache"
FORMATS = ("parquet", "csv", "dta", "xlsx")
DEFAULT_FORMATS = ("parquet", "csv")


def parse_to_folder(inputs, out: str | os.PathLike, jobs: int | None = None, *,
                    formats: Iterable[str] = DEFAULT_FORMATS, parser: Callable | None = None,
                    progress: bool | None = None) -> Corpus:
    """Parse ``inputs`` and write the tables into ``out``; returns the ``Corpus``."""
    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format {', '.join(sorted(unknown))}; use {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cache = ResultCache(out / CACHE_DIR)
    for folder in (out, cache.folder):
        if folder.is_dir():
            remove_stale_temporaries(folder)
    corpus = read_corpus(inputs, jobs, parser=parser, cache=cache, progress=progress,
                         exclude=[out])
    tables = {"reports": corpus.reports, "cells": corpus.cells, "findings": corpus.findings,
              "panel": build_panel(corpus), "cell_keys": cell_keys(),
              "sections": corpus.sections, "facts": corpus.facts}
    for name, df in tables.items():
        for fmt in formats:
            if fmt == "xlsx" and len(df) + 3 > EXCEL_MAX_ROWS:
                warnings.warn(f"{name}.xlsx not written: {len(df)} rows do not fit in an "
                              "Excel sheet (the Parquet and CSV files have them)", stacklevel=2)
                continue
            write_table(df, out / f"{name}.{fmt}", fields(name, df.columns))
    if "csv" in formats:
        write_codebook(out, {name: f"{name}.csv" for name in tables},
                       {name: list(df.columns) for name, df in tables.items()})
    return corpus


def add_parse_command(subparsers) -> argparse.ArgumentParser:
    """Register ``parse`` on an ``argparse`` subparsers object; dispatch with ``args.func(args)``."""
    p = subparsers.add_parser(
        "parse", help="parse report files into tables, a panel and a codebook",
        description="Parse annual reports (files or folders) into reports, cells, findings "
                    "and an agency × year panel, written as Parquet and CSV with a codebook.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or folders")
    p.add_argument("-o", "--out", required=True, metavar="OUT", help="output folder")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes (default: one per CPU)")
    p.add_argument("-f", "--format", dest="formats", action="append", choices=FORMATS,
                   help="output format, repeatable (default: parquet and csv)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_parse)
    return p


def run_parse(args: argparse.Namespace) -> int:
    corpus = parse_to_folder(args.inputs, args.out, args.jobs,
                             formats=args.formats or DEFAULT_FORMATS,
                             progress=False if args.no_progress else None)
    counts = corpus.reports["status"].value_counts()
    if len(corpus.reports) <= SUMMARY_ROWS:
        print(summary_table(corpus))
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "warning", "error", "duplicate"))
    n = len(corpus.reports)
    print(f"{n} file{'s' if n != 1 else ''}: {summary}; parsed {corpus.parsed}, "
          f"{corpus.cached} from the cache → {args.out}")
    # a batch succeeds when anything could be read; every file's fate is in reports
    return 0 if counts.get("ok", 0) + counts.get("warning", 0) > 0 else 1


SUMMARY_ROWS = 50


def summary_table(corpus) -> str:
    """One line per input file: status, agency, year, and how its cells were read."""
    r = corpus.reports
    cells = corpus.cells
    counts = (cells.groupby(["report_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=["parsed", "inferred", "missing"], fill_value=0))
    errors = corpus.findings[corpus.findings.severity == "error"].groupby("report_id").size()
    lines = []
    for row in r.itertuples():
        name = Path(str(row.source)).name
        c = counts.loc[row.report_id] if row.report_id in counts.index else None
        read = (f"{c.parsed} parsed, {c.inferred} inferred, {c.missing} missing"
                if c is not None else str(getattr(row, "message", "") or ""))
        agency = row.agency if isinstance(row.agency, str) else "(agency not named)"
        lines.append(f"  {row.status:<9} {name:<40} {agency:<24} "
                     f"{'' if pd.isna(row.year) else int(row.year)!s:<5} "
                     f"{read}; {int(errors.get(row.report_id, 0))} identity errors")
    return "\n".join(lines)
