"""Report files → a folder of research tables: what ``govopen parse INPUT… -o OUT`` does.

In: input files and folders, and an output folder. Out, in the folder:

* ``reports``, ``cells``, ``findings``, ``panel``, ``cell_keys``, ``sections``, ``facts``
  and ``statistics`` (the statistics of the reports before 2019, one row per value) as
  ``.parquet`` and ``.csv`` (UTF-8 with BOM; ``formats`` adds ``.dta`` and ``.xlsx``);
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
import functools
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd

from ..corpus.batch import CHUNK_SIZE, STREAMED, STREAMED_COLUMNS, run_batch
from ..corpus.cache import ResultCache
from ..corpus.checks import agency_key
from ..corpus.engines import ENGINES
from ..corpus.hints import collected_inputs
from ..corpus.tables import Corpus, StoredCorpus, concat_frames, conform, empty_frame
from ..errors import ParseError
from ..fields import CELL_COLUMNS, FINDING_COLUMNS
from ..files import TMP_PREFIX, release_memory, remove_stale_temporaries
from ..findings import CORPUS_RULES
from ..parse.report import parse_report
from .codebook import cell_keys, fields, write_codebook
from .export import EXCEL_MAX_ROWS, write_chunks, write_table
from .panel import build_panel

CACHE_DIR = ".govopen-cache"
FORMATS = ("parquet", "csv", "dta", "xlsx")
DEFAULT_FORMATS = ("parquet", "csv")


def parse_to_folder(inputs, out: str | os.PathLike, jobs: int | None = None, *,
                    formats: Iterable[str] = DEFAULT_FORMATS, parser: Callable | None = None,
                    progress: bool | None = None, engine: str = "processes", scheduler=None,
                    chunk_size: int = CHUNK_SIZE,
                    manifest: str | os.PathLike | None = None) -> Corpus:
    """Parse ``inputs`` and write the tables into ``out``; returns the ``Corpus``.

    The tables that grow with the corpus (cells, findings, sections, facts, statistics)
    are never
    held whole: results are written ``chunk_size`` files at a time to a temporary folder
    in ``out``, then copied chunk by chunk into each output file, and the panel is built
    chunk by chunk, so memory stays flat however many files there are. The ``Corpus``
    returned holds ``reports``; its other tables are read from ``out`` when first used.
    ``engine`` and ``scheduler``: where the per-file work runs (see ``read_corpus``);
    A folder ``govopen collect`` wrote, or the folder of ``manifest``, stands for the
    reports its manifest lists, with their agency and year as hints
    (``corpus.hints.collected_inputs``).
    """
    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format {', '.join(sorted(unknown))}; use {', '.join(FORMATS)}")
    out = Path(out)
    inputs, hints = collected_inputs(inputs, manifest, exclude=[out])  # a bad manifest
    # stops the run here, before anything is written
    out.mkdir(parents=True, exist_ok=True)
    cache = ResultCache(out / CACHE_DIR)
    for folder in (out, cache.folder):
        if folder.is_dir():
            remove_stale_temporaries(folder)
    with tempfile.TemporaryDirectory(prefix=f"{TMP_PREFIX}chunks-", dir=out) as tmp:
        spool = SpoolSink(Path(tmp))
        batch = run_batch(inputs, jobs, sink=spool, parser=parser, cache=cache,
                          progress=progress, exclude=[out], engine=engine,
                          scheduler=scheduler, chunk_size=chunk_size, hints=hints)
        streamed = {
            "cells": lambda: spool.read("cells"),
            "findings": lambda: (*spool.read("findings"),
                                 conform(batch.extra_findings, FINDING_COLUMNS)),
            "sections": lambda: spool.read("sections"),
            "facts": lambda: spool.read("facts"),
            "statistics": lambda: spool.read("statistics"),
        }
        columns = STREAMED_COLUMNS
        in_memory = {"reports": batch.reports, "panel": _panel(batch, spool),
                     "cell_keys": cell_keys()}
        order = ("reports", "cells", "findings", "panel", "cell_keys", "sections", "facts",
                 "statistics")
        for name in order:
            for fmt in formats:
                path = out / f"{name}.{fmt}"
                if name in in_memory:
                    df = in_memory[name]
                    if fmt == "xlsx" and len(df) + 3 > EXCEL_MAX_ROWS:
                        _too_long(name, len(df))
                        continue
                    write_table(df, path, fields(name, df.columns))
                elif fmt in ("parquet", "csv"):
                    write_chunks(streamed[name], path, columns[name])
                else:  # Stata and Excel files are written whole
                    df = concat_frames(list(streamed[name]()), columns[name])
                    if fmt == "xlsx" and len(df) + 3 > EXCEL_MAX_ROWS:
                        _too_long(name, len(df))
                        continue
                    write_table(df, path, fields(name, df.columns))
        if "csv" in formats:
            write_codebook(out, {name: f"{name}.csv" for name in order},
                           {name: columns.get(name) or list(in_memory[name].columns)
                            for name in order})
        corpus = StoredCorpus(batch.reports, out, formats, parsed=batch.parsed,
                              cached=batch.cached)
        if "parquet" not in formats and "csv" not in formats:
            corpus.keep({name: concat_frames(list(streamed[name]()), columns[name])
                         for name in streamed})
    return corpus


def _too_long(name: str, rows: int) -> None:
    warnings.warn(f"{name}.xlsx not written: {rows} rows do not fit in an Excel sheet "
                  "(the Parquet and CSV files have them)", stacklevel=3)


class SpoolSink:
    """Chunks of the per-file tables as Parquet files in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = dict.fromkeys(STREAMED, 0)
        for name in STREAMED:
            (folder / name).mkdir()

    def write(self, name: str, df: pd.DataFrame) -> None:
        df.to_parquet(self.folder / name / f"part-{self.count[name]:06d}.parquet", index=False)
        self.count[name] += 1

    def part(self, name: str, i: int) -> pd.DataFrame:
        return pd.read_parquet(self.folder / name / f"part-{i:06d}.parquet")

    def read(self, name: str) -> Iterator[pd.DataFrame]:
        for p in sorted((self.folder / name).iterdir()):
            yield pd.read_parquet(p)


def _panel(batch, spool: SpoolSink) -> pd.DataFrame:
    """The panel, built one chunk of reports at a time (``build_panel`` on each)."""
    reports = batch.reports
    parsed = reports[reports["status"].isin(["ok", "warning"])]
    count = parsed.groupby([parsed["agency"].map(agency_key), "year"]).size()
    extra = batch.extra_findings
    panels = []
    for i, ids in enumerate(batch.chunks):
        chunk = reports[reports["report_id"].isin(ids)]
        if not chunk["primary"].astype(bool).any():
            continue
        findings = pd.concat([spool.part("findings", i), extra[extra["report_id"].isin(ids)]],
                             ignore_index=True)
        part = build_panel(Corpus(chunk, spool.part("cells", i), findings,
                                  facts=spool.part("facts", i)))
        # a report of the same agency and year may sit in another chunk
        part["n_reports"] = [int(count.get((agency_key(a), y), 1))
                             for a, y in zip(part["agency"], part["year"], strict=True)]
        panels.append(part)
        del findings
        release_memory()
    if not panels:
        return build_panel(Corpus(reports.iloc[:0], empty_frame(CELL_COLUMNS),
                                  empty_frame(FINDING_COLUMNS)))
    panel = pd.concat(panels, ignore_index=True)
    panels.clear()  # one copy of the panel at a time, not the parts, the whole and the sorted
    panel = panel.sort_values(["agency", "year"], kind="stable", ignore_index=True)
    release_memory()
    return panel


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
    p.add_argument("--engine", choices=ENGINES, default="processes",
                   help="where files are parsed: worker processes on this machine "
                        "(default) or Dask tasks on a cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="with --engine dask: the address of a running Dask scheduler "
                        "(tcp://host:8786); default: a local cluster of --jobs workers")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--manifest", metavar="MANIFEST", default=None,
                   help="the manifest.csv of a govopen collect run: the reports it lists are "
                        "parsed, and their agency and year fill what a report does not print "
                        "(a collected folder given as an input uses its manifest without this)")
    p.add_argument("--ocr", action="store_true",
                   help="read scanned PDFs and images by OCR (slow: seconds a page; needs "
                        "pip install 'govopen[ocr]')")
    p.add_argument("--strict", action="store_true",
                   help="exit non-zero when any file is an error (by default only when no "
                        "file could be parsed at all)")
    p.set_defaults(func=run_parse)
    return p


def run_parse(args: argparse.Namespace) -> int:
    if args.scheduler and args.engine != "dask":
        raise SystemExit("govopen parse: --scheduler needs --engine dask")
    parser = functools.partial(parse_report, ocr=True) if getattr(args, "ocr", False) else None
    try:
        corpus = parse_to_folder(args.inputs, args.out, args.jobs, parser=parser,
                                 manifest=getattr(args, "manifest", None),
                                 formats=args.formats or DEFAULT_FORMATS,
                                 progress=False if args.no_progress else None,
                                 engine=args.engine, scheduler=args.scheduler)
    except ParseError as e:  # a manifest that cannot be read: nothing is parsed or written
        print(f"govopen parse: error: {e}", file=sys.stderr)
        return 2
    counts = corpus.reports["status"].value_counts()
    if len(corpus.reports) <= SUMMARY_ROWS:
        print(summary_table(corpus))
    print(status_summary(corpus.reports))
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "warning", "error", "duplicate"))
    n = len(corpus.reports)
    print(f"{n} file{'s' if n != 1 else ''}: {summary}; parsed {corpus.parsed}, "
          f"{corpus.cached} from the cache → {args.out}")
    # a batch succeeds when anything could be read; every file's fate is in reports
    if getattr(args, "strict", False) and counts.get("error", 0):
        return 1
    return 0 if counts.get("ok", 0) + counts.get("warning", 0) > 0 else 1


def status_summary(reports: pd.DataFrame, examples: int = 3) -> str:
    """Files by status, and the errors by reason (what was wrong — what to do), each
    with the first few files it concerns."""
    counts = reports["status"].value_counts()
    lines = ["status     files"]
    for status in ("ok", "warning", "error", "duplicate"):
        lines.append(f"{status:<10} {int(counts.get(status, 0)):>5}")
        if status != "error":
            continue
        errors = reports[reports["status"] == "error"]
        by_reason: dict[str, list[str]] = {}
        for source, message in zip(errors["source"], errors["message"], strict=True):
            by_reason.setdefault(str(message), []).append(Path(str(source)).name)
        for message, names in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            shown = ", ".join(names[:examples]) + (", …" if len(names) > examples else "")
            lines.append(f"  {len(names):>5}  {message}  [{shown}]")
    return "\n".join(lines)


SUMMARY_ROWS = 50


def summary_table(corpus) -> str:
    """One line per input file: status, agency, year, and how its cells were read."""
    r = corpus.reports
    cells = corpus.cells
    counts = (cells.groupby(["report_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=["parsed", "inferred", "missing"], fill_value=0))
    f = corpus.findings
    # the identities a report breaks; not the unreadable file's own parse_error / no_tables
    errors = f[(f.severity == "error") & ~f.rule.isin(list(CORPUS_RULES))] \
        .groupby("report_id").size()
    lines = []
    for row in r.itertuples():
        name = Path(str(row.source)).name
        c = counts.loc[row.report_id] if row.report_id in counts.index else None
        read = (f"{c.parsed} parsed, {c.inferred} inferred, {c.missing} missing"
                if c is not None else str(getattr(row, "message", "") or ""))
        agency = row.agency if isinstance(row.agency, str) else "(agency not named)"
        if row.status == "error":
            lines.append(f"  {row.status:<9} {name:<40} {read}")
            continue
        lines.append(f"  {row.status:<9} {name:<40} {agency:<24} "
                     f"{'' if pd.isna(row.year) else int(row.year)!s:<5} "
                     f"{read}; {int(errors.get(row.report_id, 0))} identity errors")
    return "\n".join(lines)
