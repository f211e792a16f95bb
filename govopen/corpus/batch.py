"""Report files → a ``Corpus``: every file parsed, every file accounted for.

In: paths of report files and of folders (``inputs.list_inputs``), a parser (``parse_report``
unless given), optionally a ``ResultCache`` and a sink for the per-file tables.
Out: ``Corpus`` (``read_corpus``, in memory) or a ``Batch`` (``run_batch``: the reports and
the findings across files, the other tables handed to the sink chunk by chunk):

* ``reports`` — ONE row per input file, always, in input order: where it came from, its
  content hash, ``status`` (ok | warning | error | duplicate), a one-line ``message``
  and the report's metadata (``govopen.fields.REPORT_FIELDS`` documents every column);
* ``cells`` — the long table of every distinct parsed report (``CELL_FIELDS``);
* ``findings`` — every report's own findings plus the checks that need several files
  (``checks``, ``CORPUS_RULES``): unreadable files, duplicates, two reports for one agency
  and year, and the carry of pending requests from one year's report to the next;
* ``sections`` and ``facts`` — the prose of each report and the numbers it states;
* ``statistics`` — the statistics of the reports before 2019 (``STATISTIC_TABLE_FIELDS``),
  one row per value, which the cumulative check across years (``cumulative_change``) reads.

Files are parsed in worker processes (``engines``); a file that cannot be parsed becomes a
row with status ``error`` and never stops the batch. Results can be kept in a
``ResultCache`` keyed by content hash, govopen version and the parser (a scan read by OCR
and the same scan refused without it are two results), so an unchanged file is parsed once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..fields import (
    CELL_COLUMNS,
    FACT_COLUMNS,
    FINDING_COLUMNS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
    STATISTIC_TABLE_COLUMNS,
    TEMPLATE_COLUMNS,
)
from ..files import release_memory
from ..findings import CORPUS_RULES
from ..schema import REQUESTS
from .cache import ResultCache, parser_variant
from .checks import (
    CARRY_CELLS,
    CARRY_ROWS,
    SERIOUS,
    carry_over,
    choose_primary,
    cumulative_change,
    finding,
    same_agency_year,
    settle_status,
)
from .hints import Hint, apply_hint, collected_inputs
from .inputs import hash_file, list_inputs
from .result import Result, failed
from .tables import Corpus, concat_frames, conform, findings_frame, frame_of

# --- one file -------------------------------------------------------------------------

def parse_file(path: str, parser: Callable) -> Result:
    """Parse one file; every failure becomes ``Result.error``, never an exception."""
    try:
        report = parser(path)
    except ParseError as e:
        return failed(e.reason + (f" — {e.hint}" if e.hint else ""))
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the batch either
        return failed(f"{type(e).__name__}: {e}", final=False)
    meta = {k: _plain(v) for k, v in report.meta.as_dict().items()}
    meta["era"] = getattr(report, "era", None)  # a caller's parser may not tell
    rid = meta.get("report_id")
    # a parser given by the caller may return DataFrames only, without the prose
    texts = getattr(report, "sections", None) or {}
    sections = [(rid, k, v) for k, v in texts.items() if v]
    if hasattr(report, "cell_rows"):  # govopen's own Report: its tables are tuples already
        cells, findings = report.cell_rows, report.finding_rows
        facts = [(rid, *f) for f in report.fact_rows]
        statistics = [(rid, *s) for s in getattr(report, "statistic_rows", ())]
    else:
        cells = _rows(report.cells, CELL_COLUMNS)
        findings = _rows(report.findings, FINDING_COLUMNS)
        found = getattr(report, "facts", None)
        facts = (_rows(found.assign(report_id=rid), FACT_COLUMNS)
                 if found is not None and not found.empty else [])
        stats = getattr(report, "statistics", None)
        statistics = (_rows(stats.assign(report_id=rid), STATISTIC_TABLE_COLUMNS)
                      if isinstance(stats, pd.DataFrame) and not stats.empty else [])
    return Result(meta, cells, findings, sections=sections, facts=facts,
                  statistics=statistics)


def _rows(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """A DataFrame as tuples in ``columns`` order, with plain Python values."""
    df = conform(df, columns).astype(object)
    return [tuple(None if v is pd.NA else v for v in row)
            for row in df.itertuples(index=False, name=None)]


def _plain(v):
    """Metadata as JSON-safe Python values (dates as ISO strings)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        return v.item()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _work(path: str, sha: str, parser: Callable, cache: ResultCache | None) -> Result:
    """The per-file task, wherever it runs: parse, and cache a final result at once (so an
    interrupted run is not parsed again)."""
    result = parse_file(path, parser)
    if cache is not None and result.final:
        cache.put(sha, result)
    return result


def _warm_up() -> None:
    # Loaded once here, the region table is shared by the forked workers (copy on write)
    # instead of being read again by each of them.
    from ..parse.regions import load_divisions

    load_divisions()


# --- many files -----------------------------------------------------------------------

CHUNK_SIZE = 2000  # files per chunk of results handed to a sink


class MemorySink:
    """Keeps every chunk: the in-memory ``Corpus`` of ``read_corpus``."""

    def __init__(self) -> None:
        self.parts: dict[str, list[pd.DataFrame]] = {n: [] for n in STREAMED}

    def write(self, name: str, df: pd.DataFrame) -> None:
        self.parts[name].append(df)


# the tables that grow with a corpus
STREAMED = ("cells", "findings", "sections", "facts", "statistics")
STREAMED_COLUMNS = dict(zip(STREAMED, (CELL_COLUMNS, FINDING_COLUMNS, SECTION_COLUMNS,
                                       FACT_COLUMNS, STATISTIC_TABLE_COLUMNS), strict=True))


@dataclass
class Batch:
    """What a run over many files leaves in memory: one row per file, and the little that
    the checks across files need. The per-file tables went to the sink chunk by chunk."""

    reports: pd.DataFrame
    extra_findings: pd.DataFrame  # same agency and year, carry-over, cumulative: after the
    # per-file ones
    parsed: int
    cached: int
    chunks: list[list[str]]  # report_ids of the distinct parsed reports of each chunk


class _Collector:
    """Results in input order → report rows, and chunks of the per-file tables."""

    def __init__(self, sink, chunk_size: int, keep_meta: set[str],
                 hints: Mapping[str, Hint]):
        from .._version import __version__

        self.version = __version__
        self.sink = sink
        self.chunk_size = chunk_size
        self.keep_meta = keep_meta  # shas with a duplicate later on: their row is kept
        self.hints = {os.path.abspath(k): v for k, v in hints.items()}
        self.summaries: dict[str, dict] = {}
        self.rows: list[dict] = []
        self.row_frames: list[pd.DataFrame] = []
        self.buffers: dict[str, list[tuple]] = {n: [] for n in STREAMED}
        # the values of the two rows of section 三 that cross years, one list per report
        self.carry_ids: list[str] = []
        self.carry: list[list[float]] = []
        self.serious: list[tuple] = []  # (report_id, rule) of errors and warnings
        self.carry_frames: list[pd.DataFrame] = []  # both of them, chunk by chunk (compact)
        self.serious_frames: list[pd.DataFrame] = []
        # the pre-2019 statistics (report_id, statistic, column, value), for the cumulative
        # check across years: a few dozen per pre-2019 report, none for a later one
        self.cumulative: list[tuple] = []
        self.chunk_ids: list[str] = []
        self.chunks: list[list[str]] = []
        self.in_chunk = 0

    def add(self, path: str, sha: str | None, read_error: str, res: Result | None,
            duplicate_of: str | None) -> None:
        row: dict[str, Any] = dict.fromkeys(REPORT_COLUMNS)
        row.update(source=path, sha256=sha, govopen_version=self.version)
        if sha is None:
            row.update(status="error", message=read_error)
            self._findings([finding(None, "parse_error", read_error)])
            self._row(row)
            return
        if duplicate_of is not None:
            row.update(self.summaries[sha])
            row.update(source=path, status="duplicate", duplicate_of=duplicate_of,
                       message=f"same content as {duplicate_of}")
            self._findings([finding(row["report_id"], "duplicate",
                                    f"{path} has the same content as {duplicate_of}")])
            self._row(row)
            return
        assert res is not None  # a distinct file that could be read always has a result
        row["report_id"] = res.meta.get("report_id") or sha[:16]
        row.update(_meta_columns(res.meta))
        row["source"] = path  # the cache may have seen these bytes under another name
        hint = self.hints.get(os.path.abspath(path)) if self.hints else None
        hinted = apply_hint(row, hint) if hint is not None and not res.error else []
        self._findings(hinted)
        value, status, severity = _VALUE, _STATUS, _SEVERITY
        row["n_values"] = sum(1 for c in res.cells if c[value] == c[value])  # NaN != NaN
        row["n_missing"] = sum(1 for c in res.cells if c[status] == "missing")
        row["n_errors"] = sum(1 for f in res.findings if f[severity] == "error")
        if sha in self.keep_meta:
            self.summaries[sha] = {k: v for k, v in row.items()
                                   if k not in ("source", "status", "message")}
        if res.error:
            row.update(status="error", message=res.error)
            self._findings([finding(row["report_id"], "parse_error", res.error)])
        elif not row["n_values"] and not any(f[_RULE] == "no_standard_tables"
                                             for f in res.findings):
            row.update(status="error", message=CORPUS_RULES["no_tables"])
            self._findings([finding(row["report_id"], "no_tables",
                                    CORPUS_RULES["no_tables"])])
        else:
            self.buffers["cells"].extend(res.cells)
            self.buffers["findings"].extend(res.findings)
            self.buffers["sections"].extend(res.sections)
            self.buffers["facts"].extend(res.facts)
            self.buffers["statistics"].extend(res.statistics)
            self.cumulative.extend((s[0], s[1], s[2], s[3]) for s in res.statistics)
            self.chunk_ids.append(row["report_id"])
            crossing: dict[tuple[str, str], float] = {}
            for c in res.cells:  # report_id, table, row, column, value, …
                if c[1] == REQUESTS.name and c[2] in CARRY_ROWS:
                    crossing.setdefault((c[2], c[3]), c[4])
            if crossing:
                self.carry_ids.append(row["report_id"])
                self.carry.append([crossing.get(k, np.nan) for k in CARRY_CELLS])
            self.serious.extend((f[0], f[1]) for f in res.findings if f[severity] in SERIOUS)
            self.serious.extend((f["report_id"], f["rule"]) for f in hinted
                                if f["severity"] in SERIOUS)
        self._row(row)

    def _findings(self, found: list[dict]) -> None:
        self.buffers["findings"].extend(tuple(f[k] for k in FINDING_COLUMNS) for f in found)

    def _row(self, row: dict) -> None:
        self.rows.append(row)
        self.in_chunk += 1
        if self.in_chunk >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        if not self.in_chunk:
            return
        for name, columns in STREAMED_COLUMNS.items():
            self.sink.write(name, frame_of(self.buffers[name], columns))
        self.row_frames.append(_report_frame(self.rows))
        # what the checks across files keep of each chunk, as compact frames
        self.carry_frames.append(pd.DataFrame(self.carry, index=self.carry_ids,
                                              columns=range(len(CARRY_CELLS)), dtype=float))
        self.serious_frames.append(pd.DataFrame(self.serious, columns=["report_id", "rule"]))
        self.carry, self.carry_ids, self.serious = [], [], []
        self.chunks.append(self.chunk_ids)
        self.buffers = {n: [] for n in STREAMED}
        self.rows, self.chunk_ids, self.in_chunk = [], [], 0
        release_memory()

    def finish(self, parsed: int, cached: int) -> Batch:
        self.flush()
        frames = [f for f in self.row_frames if len(f)]
        reports = (pd.concat(frames, ignore_index=True) if frames else _report_frame([]))
        for col in ("year", "n_values", "n_missing", "n_errors"):
            reports[col] = pd.to_numeric(reports[col], errors="coerce").astype("Int64")
        reports["primary"] = choose_primary(reports)
        carry = (pd.concat(self.carry_frames) if self.carry_frames
                 else pd.DataFrame(columns=range(len(CARRY_CELLS)), dtype=float))
        carry = carry[~carry.index.duplicated()]
        statistics = pd.DataFrame(self.cumulative,
                                  columns=["report_id", "statistic", "column", "value"])
        statistics["value"] = pd.to_numeric(statistics["value"], errors="coerce")
        extra = pd.concat([findings_frame(same_agency_year(reports)),
                           findings_frame(carry_over(reports, carry)),
                           findings_frame(cumulative_change(reports, statistics))],
                          ignore_index=True)
        serious = pd.concat([*self.serious_frames,
                             extra.loc[extra["severity"].isin(SERIOUS), ["report_id", "rule"]]],
                            ignore_index=True)
        settle_status(reports, serious)
        return Batch(reports, extra, parsed, cached, self.chunks)


_VALUE, _STATUS = CELL_COLUMNS.index("value"), CELL_COLUMNS.index("status")
_SEVERITY = FINDING_COLUMNS.index("severity")
_RULE = FINDING_COLUMNS.index("rule")


def _report_frame(rows: list[dict]) -> pd.DataFrame:
    extra = sorted({k for r in rows for k in r} - set(REPORT_COLUMNS))
    return pd.DataFrame(rows, columns=REPORT_COLUMNS + extra)


def run_batch(paths_or_dir, jobs: int | None = None, *, sink, parser: Callable | None = None,
              cache: ResultCache | None = None, progress: bool | None = None,
              exclude: Iterable[str | os.PathLike] = (), engine: str = "processes",
              scheduler=None, chunk_size: int = CHUNK_SIZE,
              hints: Mapping[str, Hint] | None = None) -> Batch:
    """Parse every file, handing the per-file tables to ``sink`` chunk by chunk, in input
    order; returns the reports and the findings across files (see ``read_corpus``).
    ``hints``: a file's agency and year from a collection manifest, by its absolute path
    (``hints.apply_hint``: only what the report does not print is taken)."""
    from tqdm.auto import tqdm

    from .engines import ordered_results

    default_parser = parser is None
    if cache is not None:  # another parser's results are another parser's
        cache = cache.with_variant(parser_variant(parser))
    if parser is None:
        from ..parse.report import parse_report

        parser = parse_report
    files = list_inputs(paths_or_dir, exclude)
    hashes = [hash_file(f) for f in files]
    first: dict[str, int] = {}  # sha256 -> index of the first input with those bytes
    repeated: set[str] = set()
    for i, (sha, _) in enumerate(hashes):
        if sha is not None:
            if sha in first:
                repeated.add(sha)
            else:
                first[sha] = i
    cached = {sha for sha in first if cache is not None and cache.has(sha)}
    todo = [(files[i], sha) for sha, i in first.items() if sha not in cached]
    work = functools.partial(_work, parser=parser, cache=cache)
    results = ordered_results(
        todo, work, jobs=jobs or os.cpu_count() or 1, engine=engine, scheduler=scheduler,
        on_crash=lambda message: failed(message, final=False),
        warm_up=_warm_up if default_parser else None)
    # disable=None: tqdm shows the bar on a terminal or in a notebook, not in a log file
    bar = tqdm(total=len(todo), desc="parsing", unit="file",
               disable=None if progress is None else not progress)
    collector = _Collector(sink, chunk_size, repeated, hints or {})
    parsed = 0
    try:
        for i, (f, (sha, read_error)) in enumerate(zip(files, hashes, strict=True)):
            res = None
            duplicate_of = None
            if sha is not None and first[sha] != i:
                duplicate_of = files[first[sha]]
            elif sha in cached and cache is not None:  # a hash is in cached only with a cache
                res = cache.get(sha)
                if res is None:  # the entry went bad since it was seen: parse here
                    res = work(f, sha)
                    parsed += 1
            elif sha is not None:
                res = next(results)
                parsed += 1
                bar.update()
            collector.add(f, sha, read_error, res, duplicate_of)
    finally:
        results.close()
        bar.close()
    return collector.finish(parsed, len(first) - parsed)


def read_corpus(paths_or_dir, jobs: int | None = None, *, parser: Callable | None = None,
                cache: ResultCache | None = None, progress: bool | None = None,
                exclude: Iterable[str | os.PathLike] = (), engine: str = "processes",
                scheduler=None, manifest: str | os.PathLike | None = None) -> Corpus:
    """Parse every report file under ``paths_or_dir`` into one ``Corpus``, in memory.

    ``jobs`` worker processes (default: one per CPU; 1 parses in this process).
    ``parser`` is ``govopen.parse_report`` unless given (any picklable callable with its
    contract). ``progress``: None shows a bar on a terminal or notebook only.
    ``engine="dask"`` runs the per-file work as Dask tasks on the cluster at
    ``scheduler`` (an address or a ``distributed.Client``; by default a ``LocalCluster``
    of ``jobs`` workers), see ``govopen.corpus.engines``. A folder ``govopen collect``
    wrote, or the folder of ``manifest``, stands for the reports its manifest lists, with
    the manifest's agency and year as hints (``hints.collected_inputs``). For a corpus
    too large to hold in memory, ``parse_to_folder`` streams the tables to disk instead.
    """
    paths_or_dir, hints = collected_inputs(paths_or_dir, manifest, exclude)
    sink = MemorySink()
    batch = run_batch(paths_or_dir, jobs, sink=sink, parser=parser, cache=cache,
                      progress=progress, exclude=exclude, engine=engine, scheduler=scheduler,
                      hints=hints)
    parts = sink.parts
    cells_df = concat_frames(parts["cells"], CELL_COLUMNS)
    findings_df = findings_frame([*parts["findings"], batch.extra_findings])
    return Corpus(batch.reports, cells_df, findings_df,
                  sections=concat_frames(parts["sections"], SECTION_COLUMNS),
                  facts=concat_frames(parts["facts"], FACT_COLUMNS),
                  statistics=concat_frames(parts["statistics"], STATISTIC_TABLE_COLUMNS),
                  parsed=batch.parsed, cached=batch.cached)


def _meta_columns(meta: dict) -> dict:
    out = {k: v for k, v in meta.items() if k not in ("templates", "source", "report_id")
           and not isinstance(v, (dict, list))}
    templates = meta.get("templates") or {}
    out.update({col: templates.get(t) for t, col in TEMPLATE_COLUMNS.items()})
    return out
