"""Report files → a ``Corpus``: every file parsed, every file accounted for.

In: paths of report files and of folders (searched recursively, hidden files skipped).
Out: ``Corpus`` with three DataFrames:

* ``reports`` — ONE row per input file, always, in input order: where it came from, its
  content hash, ``status`` (ok | warning | error | duplicate), a one-line ``message``
  and the report's metadata (``REPORT_FIELDS`` documents every column);
* ``cells`` — the long table of every distinct parsed report (``CELL_FIELDS``);
* ``findings`` — every report's own findings plus the checks that need several files
  (``CORPUS_RULES``): unreadable files, duplicates, two reports for one agency and year,
  and the carry of pending requests from one year's report to the next.

Files are parsed in worker processes; a file that cannot be parsed becomes a row with
status ``error`` and never stops the batch. Results can be kept in a ``ResultCache``
keyed by content hash and govopen version, so an unchanged file is parsed once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..files import atomic_write, release_memory
from ..schema import REQUESTS, RULES, TABLES


@dataclass(frozen=True)
class Field:
    """One column of an output table, as the codebook describes it."""

    key: str
    zh: str
    en: str
    type: str  # Frictionless type: string | integer | number | boolean | date
    unit: str = ""
    definition: str = ""
    enum: tuple[str, ...] = ()


STATUSES = ("ok", "warning", "error", "duplicate")

CORPUS_RULES = {
    "parse_error": "the file could not be read as a report (the message says why)",
    "no_tables": "the file was read but no value of the three standard tables was found",
    "duplicate": "the file has the same bytes as an earlier input; its cells are counted once",
    "same_agency_year": "another report of the same agency and statistics year was given",
    "carry_over": "上年结转 in year t differs from 结转下年度继续办理 in the same agency's year t−1 report",
}
SEVERITIES = ("error", "warning", "info")
_SERIOUS = ("error", "warning")  # findings that turn a report's status to 'warning'

TEMPLATE_COLUMNS = {name: f"template_{name}" for name in TABLES}

REPORT_FIELDS = (
    Field("source", "来源文件", "Source file", "string",
          definition="the path of the input file as given"),
    Field("report_id", "报告标识", "Report id", "string",
          definition="first 16 hex digits of the SHA-256 of the file's bytes"),
    Field("sha256", "内容哈希", "Content hash", "string",
          definition="SHA-256 of the file's bytes; files with equal hashes are duplicates"),
    Field("status", "处理状态", "Status", "string", enum=STATUSES,
          definition="ok: parsed, no finding to look at; warning: parsed, see findings; "
                     "error: nothing could be read; duplicate: same bytes as an earlier file"),
    Field("message", "说明", "Message", "string",
          definition="why the file is an error, or which findings made it a warning"),
    Field("duplicate_of", "重复于", "Duplicate of", "string",
          definition="source of the earlier file with the same bytes"),
    Field("primary", "面板采用", "Used in the panel", "boolean",
          definition="the one report the panel uses for its agency and year"),
    Field("govopen_version", "govopen 版本", "govopen version", "string",
          definition="version of govopen that parsed the file"),
    Field("format", "文件格式", "File format", "string", enum=("text", "html", "docx", "pdf")),
    Field("agency", "机关名称", "Agency", "string", definition="issuing agency as named"),
    Field("year", "统计年度", "Statistics year", "integer",
          definition="the year the statistics cover (2020 for a report published in 2021)"),
    Field("published", "发布日期", "Publication date", "string",
          definition="ISO date where the report states one"),
    Field("title", "标题", "Title", "string"),
    Field("province", "省级", "Province", "string",
          definition="province-level division, resolved from the agency name or the text"),
    Field("city", "地级", "City", "string",
          definition="prefecture-level division; empty for a province, a central body or a "
                     "county directly under a province"),
    Field("county", "县级", "County", "string", definition="county-level division"),
    Field("adcode", "行政区划代码", "Division code", "string",
          definition="6-digit code (民政部) of the finest division resolved, kept as text"),
    Field("level", "行政层级", "Level", "string",
          enum=("central", "province", "city", "county", "township"),
          definition="administrative level of the agency"),
    Field("agency_kind", "机关类型", "Kind of agency", "string",
          enum=("government", "government_office", "department", "other"),
          definition="a government, its general office, a department, or another body"),
    *(Field(col, f"{TABLES[t].zh}模板", f"Template of table {t}", "string",
            enum=("2019", "2021", "mixed"),
            definition=f"format of section {TABLES[t].section} as printed: 2019, 2021 or mixed")
      for t, col in TEMPLATE_COLUMNS.items()),
    Field("n_values", "数值个数", "Values read", "integer",
          definition="cells with a value (parsed or inferred)"),
    Field("n_missing", "缺失个数", "Values missing", "integer",
          definition="cells the report does not let anyone know"),
    Field("n_errors", "错误数", "Error findings", "integer",
          definition="findings of severity error (e.g. a failed identity)"),
)

# every table but reports names its report by this key
_REPORT_LINK = Field("report_id", "报告标识", "Report id", "string",
                     definition="links to reports.report_id")

CELL_FIELDS = (
    _REPORT_LINK,
    Field("table", "表", "Table", "string", enum=tuple(TABLES),
          definition="; ".join(f"{t.name}: section {t.section} {t.zh}" for t in TABLES.values())),
    Field("row", "行", "Row", "string", definition="row key of the table (see the cell keys)"),
    Field("column", "列", "Column", "string",
          definition="column key of the table (see the cell keys)"),
    Field("value", "数值", "Value", "number", unit="see the cell keys",
          definition="the number; missing when the report does not let anyone know it"),
    Field("raw", "原文", "Raw text", "string", definition="the text the value was read from"),
    Field("status", "取值方式", "Value status", "string", enum=("parsed", "inferred", "missing"),
          definition="parsed: read as printed; inferred: not printed, derived from the "
                     "identities; missing: unknowable"),
    Field("line", "行号", "Line", "integer", definition="line of the source text it was read on"),
    Field("note", "备注", "Note", "string", definition="how an inferred or missing value came about"),
)

FINDING_FIELDS = (
    _REPORT_LINK,
    Field("rule", "规则", "Rule", "string",
          definition="; ".join(f"{k}: {v}" for k, v in {**RULES, **CORPUS_RULES}.items())
                     + "; and the parser's own rules"),
    Field("severity", "严重程度", "Severity", "string", enum=SEVERITIES),
    Field("table", "表", "Table", "string", enum=tuple(TABLES)),
    Field("row", "行", "Row", "string"),
    Field("column", "列", "Column", "string"),
    Field("message", "说明", "Message", "string"),
)


def _keys(fields: Iterable[Field]) -> list[str]:
    return [f.key for f in fields]


REPORT_COLUMNS = _keys(REPORT_FIELDS)
CELL_COLUMNS = _keys(CELL_FIELDS)
FINDING_COLUMNS = _keys(FINDING_FIELDS)

SECTION_FIELDS = (
    _REPORT_LINK,
    Field("section", "部分", "Section", "string",
          definition="preamble (before the first heading) or 一 … 六 of the report"),
    Field("text", "正文", "Text", "string", definition="the section's text as printed"),
)
SECTION_COLUMNS = _keys(SECTION_FIELDS)

FACT_FIELDS = (
    _REPORT_LINK,
    Field("fact", "事项", "Fact", "string", definition="a key of govopen.parse.narrative.FACTS"),
    Field("value", "数值", "Value", "number", definition="the number the sentence states "
          "(fees in 元, converted from 万元 exactly)"),
    Field("unit", "单位", "Unit", "string"),
    Field("section", "部分", "Section", "string"),
    Field("sentence", "原句", "Sentence", "string", definition="the sentence it was read from"),
    Field("confidence", "可信度", "Confidence", "string", enum=("high", "medium", "low"),
          definition="high: the wording names the fact and the period; medium: a weaker "
                     "wording; low: a subset, one channel or an approximate number"),
)
FACT_COLUMNS = _keys(FACT_FIELDS)


@dataclass
class Corpus:
    reports: pd.DataFrame
    cells: pd.DataFrame
    findings: pd.DataFrame
    sections: pd.DataFrame = field(default_factory=lambda: _empty(SECTION_COLUMNS))
    facts: pd.DataFrame = field(default_factory=lambda: _empty(FACT_COLUMNS))
    parsed: int = 0  # distinct files parsed in this call
    cached: int = 0  # distinct files whose result came from the cache

    def __repr__(self) -> str:
        counts = self.reports["status"].value_counts().to_dict()
        return f"<Corpus {len(self.reports)} files {counts}, {len(self.cells)} cells>"


class StoredCorpus(Corpus):
    """A ``Corpus`` whose per-file tables (cells, findings, sections, facts) are read from
    the files ``parse_to_folder`` wrote, when first used; ``reports`` is in memory."""

    def __init__(self, reports: pd.DataFrame, folder: str | os.PathLike,
                 formats: Iterable[str], parsed: int = 0, cached: int = 0):
        self.reports = reports
        self.folder = Path(folder)
        self.formats = tuple(formats)
        self.parsed = parsed
        self.cached = cached
        self._tables: dict[str, pd.DataFrame] = {}

    def keep(self, tables: dict[str, pd.DataFrame]) -> None:
        self._tables.update(tables)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            columns = {"cells": CELL_COLUMNS, "findings": FINDING_COLUMNS,
                       "sections": SECTION_COLUMNS, "facts": FACT_COLUMNS}[name]
            if "parquet" in self.formats:
                df = pd.read_parquet(self.folder / f"{name}.parquet")
            else:
                df = pd.read_csv(self.folder / f"{name}.csv", encoding="utf-8-sig",
                                 keep_default_na=False, na_values=[""])
            self._tables[name] = conform(df, columns)
        return self._tables[name]

    cells = property(lambda self: self._table("cells"))
    findings = property(lambda self: self._table("findings"))
    sections = property(lambda self: self._table("sections"))
    facts = property(lambda self: self._table("facts"))

    def __repr__(self) -> str:
        counts = self.reports["status"].value_counts().to_dict()
        return f"<Corpus {len(self.reports)} files {counts}, tables in {self.folder}>"


# --- one file -------------------------------------------------------------------------

@dataclass
class Result:
    """What parsing one file's bytes gave; the same for every copy of those bytes.

    Its tables are plain tuples in the column order of ``CELL_COLUMNS``,
    ``FINDING_COLUMNS``, ``SECTION_COLUMNS`` and ``FACT_COLUMNS``: cheap to send back
    from a worker and to cache, and gathered into one DataFrame per chunk of files.
    """

    meta: dict
    cells: list[tuple]
    findings: list[tuple]
    error: str = ""  # why nothing could be read; "" when parsed
    final: bool = True  # False for failures that another try might not repeat (a crash)
    sections: list[tuple] = field(default_factory=list)
    facts: list[tuple] = field(default_factory=list)

    def to_json(self) -> str:
        # only final results are cached; a missing value is written as NaN, which
        # Python's json reads back (the cache is govopen's own, not for other readers)
        return json.dumps({"meta": self.meta, "error": self.error,
                           **{name: getattr(self, name) for name in _TABLES}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Result:
        d = json.loads(text)
        nan = float("nan")
        value = CELL_COLUMNS.index("value")
        cells = [tuple(nan if v is None and i == value else v for i, v in enumerate(row))
                 for row in d["cells"]]
        return cls(d["meta"], cells, [tuple(r) for r in d["findings"]], d["error"],
                   sections=[tuple(r) for r in d["sections"]],
                   facts=[tuple(r) for r in d["facts"]])


_TABLES = ("cells", "findings", "sections", "facts")


def conform(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` with exactly ``columns`` in that order, and stable dtypes for the numbers."""
    df = df.reindex(columns=columns).reset_index(drop=True)
    if "value" in df:
        df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    if "line" in df:
        df["line"] = pd.to_numeric(df["line"], errors="coerce").astype("Int64")
    return df


def _empty(columns: list[str]) -> pd.DataFrame:
    return conform(pd.DataFrame(columns=columns), columns)


def _frame_of(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows, columns=columns), columns) if rows else _empty(columns)


def _failed(message: str, final: bool = True) -> Result:
    return Result({}, [], [], message, final)


def parse_file(path: str, parser: Callable) -> Result:
    """Parse one file; every failure becomes ``Result.error``, never an exception."""
    try:
        report = parser(path)
    except ParseError as e:
        return _failed(e.reason + (f" — {e.hint}" if e.hint else ""))
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the batch either
        return _failed(f"{type(e).__name__}: {e}", final=False)
    meta = {k: _plain(v) for k, v in dict(report.meta).items()}
    rid = meta.get("report_id")
    # a parser given by the caller may return DataFrames only, without the prose
    texts = getattr(report, "sections", None) or {}
    sections = [(rid, k, v) for k, v in texts.items() if v]
    if hasattr(report, "cell_rows"):  # govopen's own Report: its tables are tuples already
        cells, findings = report.cell_rows, report.finding_rows
        facts = [(rid, *f) for f in report.fact_rows]
    else:
        cells = _rows(report.cells, CELL_COLUMNS)
        findings = _rows(report.findings, FINDING_COLUMNS)
        found = getattr(report, "facts", None)
        facts = (_rows(found.assign(report_id=rid), FACT_COLUMNS)
                 if found is not None and not found.empty else [])
    return Result(meta, cells, findings, sections=sections, facts=facts)


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
    from ..parse.regions import _index

    _index()


# --- cache ----------------------------------------------------------------------------

class ResultCache:
    """Parse results on disk, one JSON file per content hash, per govopen version."""

    def __init__(self, folder: str | os.PathLike, version: str | None = None):
        from .._version import __version__

        self.version = version or __version__
        self.folder = Path(folder) / self.version

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def get(self, sha256: str) -> Result | None:
        try:
            return Result.from_json(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            return None  # absent or unreadable: parse again

    def put(self, sha256: str, result: Result) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = result.to_json()
        # Renamed into place but not flushed to disk: a crash can at worst leave an
        # unreadable entry, which ``get`` treats as absent.
        atomic_write(self._path(sha256), lambda p: p.write_text(text, encoding="utf-8"),
                     durable=False)


# --- the corpus -----------------------------------------------------------------------

def list_inputs(inputs, exclude: Iterable[str | os.PathLike] = ()) -> list[str]:
    """Input files in order: a folder gives its files (recursively, sorted, hidden ones and
    ``exclude`` folders skipped); any other path is kept as given, even if it is missing."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    skip = [Path(e).resolve() for e in exclude]
    files: list[str] = []
    for item in inputs:
        path = Path(item)
        if not path.is_dir():
            files.append(str(item))
            continue
        for p in sorted(path.rglob("*")):
            rel = p.relative_to(path).parts
            # every entry but a folder is an input: a broken link or a pipe is reported
            # as an error, never dropped without a word
            if any(part.startswith(".") for part in rel) or p.is_dir():
                continue
            if skip and any(p.resolve().is_relative_to(s) for s in skip):
                continue
            files.append(str(p))
    return files


def _hash(path: str) -> tuple[str | None, str]:
    h = hashlib.sha256()
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return None, "is a directory, not a file"
        if not stat.S_ISREG(mode):  # reading a pipe would wait forever
            return None, ("not a regular file (a pipe, socket or device) — "
                          "copy the report into a file and parse that")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return None, ("file not found (removed, moved or a broken link) — "
                      "check the path, or download it again")
    except IsADirectoryError:
        return None, "is a directory, not a file"
    except OSError as e:
        return None, (f"file cannot be read ({e.strerror or e}) — "
                      "check its permissions, or copy it somewhere readable")
    return h.hexdigest(), ""


CHUNK_SIZE = 2000  # files per chunk of results handed to a sink


class MemorySink:
    """Keeps every chunk: the in-memory ``Corpus`` of ``read_corpus``."""

    def __init__(self):
        self.parts: dict[str, list[pd.DataFrame]] = {n: [] for n in STREAMED}

    def write(self, name: str, df: pd.DataFrame) -> None:
        self.parts[name].append(df)


STREAMED = ("cells", "findings", "sections", "facts")  # the tables that grow with a corpus
_STREAMED_COLUMNS = (CELL_COLUMNS, FINDING_COLUMNS, SECTION_COLUMNS, FACT_COLUMNS)


@dataclass
class Batch:
    """What a run over many files leaves in memory: one row per file, and the little that
    the checks across files need. The per-file tables went to the sink chunk by chunk."""

    reports: pd.DataFrame
    extra_findings: pd.DataFrame  # same agency and year, carry-over: after the per-file ones
    parsed: int
    cached: int
    chunks: list[list[str]]  # report_ids of the distinct parsed reports of each chunk


class _Collector:
    """Results in input order → report rows, and chunks of the per-file tables."""

    def __init__(self, sink, chunk_size: int, keep_meta: set[str]):
        from .._version import __version__

        self.version = __version__
        self.sink = sink
        self.chunk_size = chunk_size
        self.keep_meta = keep_meta  # shas with a duplicate later on: their row is kept
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
        self.chunk_ids: list[str] = []
        self.chunks: list[list[str]] = []
        self.in_chunk = 0

    def add(self, path: str, sha: str | None, read_error: str, res: Result | None,
            duplicate_of: str | None) -> None:
        row = dict.fromkeys(REPORT_COLUMNS)
        row.update(source=path, sha256=sha, govopen_version=self.version)
        if sha is None:
            row.update(status="error", message=read_error)
            self._findings([_finding(None, "parse_error", "error", read_error)])
            self._row(row)
            return
        if duplicate_of is not None:
            row.update(self.summaries[sha])
            row.update(source=path, status="duplicate", duplicate_of=duplicate_of,
                       message=f"same content as {duplicate_of}")
            self._findings([_finding(row["report_id"], "duplicate", "warning",
                                     f"{path} has the same content as {duplicate_of}")])
            self._row(row)
            return
        row["report_id"] = res.meta.get("report_id") or sha[:16]
        row.update(_meta_columns(res.meta))
        row["source"] = path  # the cache may have seen these bytes under another name
        value, status, severity = _VALUE, _STATUS, _SEVERITY
        row["n_values"] = sum(1 for c in res.cells if c[value] == c[value])  # NaN != NaN
        row["n_missing"] = sum(1 for c in res.cells if c[status] == "missing")
        row["n_errors"] = sum(1 for f in res.findings if f[severity] == "error")
        if sha in self.keep_meta:
            self.summaries[sha] = {k: v for k, v in row.items()
                                   if k not in ("source", "status", "message")}
        if res.error:
            row.update(status="error", message=res.error)
            self._findings([_finding(row["report_id"], "parse_error", "error", res.error)])
        elif not row["n_values"] and not any(f[_RULE] == "no_standard_tables"
                                             for f in res.findings):
            row.update(status="error", message=CORPUS_RULES["no_tables"])
            self._findings([_finding(row["report_id"], "no_tables", "error",
                                     CORPUS_RULES["no_tables"])])
        else:
            self.buffers["cells"].extend(res.cells)
            self.buffers["findings"].extend(res.findings)
            self.buffers["sections"].extend(res.sections)
            self.buffers["facts"].extend(res.facts)
            self.chunk_ids.append(row["report_id"])
            crossing = {}
            for c in res.cells:  # report_id, table, row, column, value, …
                if c[1] == REQUESTS.name and c[2] in _CARRY_ROWS:
                    crossing.setdefault((c[2], c[3]), c[4])
            if crossing:
                self.carry_ids.append(row["report_id"])
                self.carry.append([crossing.get(k, np.nan) for k in CARRY_CELLS])
            self.serious.extend((f[0], f[1]) for f in res.findings if f[severity] in _SERIOUS)
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
        for name, columns in zip(STREAMED, _STREAMED_COLUMNS, strict=True):
            self.sink.write(name, _frame_of(self.buffers[name], columns))
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
        reports["primary"] = _primary(reports)
        carry = (pd.concat(self.carry_frames) if self.carry_frames
                 else pd.DataFrame(columns=range(len(CARRY_CELLS)), dtype=float))
        carry = carry[~carry.index.duplicated()]
        extra = pd.concat([_frame(_same_agency_year(reports)),
                           _frame(_carry_over(reports, carry))], ignore_index=True)
        serious = pd.concat([*self.serious_frames,
                             extra.loc[extra["severity"].isin(_SERIOUS), ["report_id", "rule"]]],
                            ignore_index=True)
        _settle_status(reports, serious)
        return Batch(reports, extra, parsed, cached, self.chunks)


_CARRY_ROWS = ("carried_over", "carried_forward")  # the two rows of section 三 that cross years
CARRY_CELLS = [(row, c.key) for row in _CARRY_ROWS for c in REQUESTS.columns]
_VALUE, _STATUS = CELL_COLUMNS.index("value"), CELL_COLUMNS.index("status")
_SEVERITY = FINDING_COLUMNS.index("severity")
_RULE = FINDING_COLUMNS.index("rule")


def _report_frame(rows: list[dict]) -> pd.DataFrame:
    extra = sorted({k for r in rows for k in r} - set(REPORT_COLUMNS))
    return pd.DataFrame(rows, columns=REPORT_COLUMNS + extra)


def run_batch(paths_or_dir, jobs: int | None = None, *, sink, parser: Callable | None = None,
              cache: ResultCache | None = None, progress: bool | None = None,
              exclude: Iterable[str | os.PathLike] = (), engine: str = "processes",
              scheduler=None, chunk_size: int = CHUNK_SIZE) -> Batch:
    """Parse every file, handing the per-file tables to ``sink`` chunk by chunk, in input
    order; returns the reports and the findings across files (see ``read_corpus``)."""
    from tqdm.auto import tqdm

    from .engines import ordered_results

    default_parser = parser is None
    if parser is None:
        from ..parse.report import parse_report as parser
    files = list_inputs(paths_or_dir, exclude)
    hashes = [_hash(f) for f in files]
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
        on_crash=lambda message: _failed(message, final=False),
        warm_up=_warm_up if default_parser else None)
    # disable=None: tqdm shows the bar on a terminal or in a notebook, not in a log file
    bar = tqdm(total=len(todo), desc="parsing", unit="file",
               disable=None if progress is None else not progress)
    collector = _Collector(sink, chunk_size, repeated)
    parsed = 0
    try:
        for i, (f, (sha, read_error)) in enumerate(zip(files, hashes, strict=True)):
            res = None
            duplicate_of = None
            if sha is not None and first[sha] != i:
                duplicate_of = files[first[sha]]
            elif sha in cached:
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
                scheduler=None) -> Corpus:
    """Parse every report file under ``paths_or_dir`` into one ``Corpus``, in memory.

    ``jobs`` worker processes (default: one per CPU; 1 parses in this process).
    ``parser`` is ``govopen.parse_report`` unless given (any picklable callable with its
    contract). ``progress``: None shows a bar on a terminal or notebook only.
    ``engine="dask"`` runs the per-file work as Dask tasks on the cluster at
    ``scheduler`` (an address or a ``distributed.Client``; by default a ``LocalCluster``
    of ``jobs`` workers), see ``govopen.corpus.engines``. For a corpus too large to hold in
    memory, ``parse_to_folder`` streams the tables to disk instead.
    """
    sink = MemorySink()
    batch = run_batch(paths_or_dir, jobs, sink=sink, parser=parser, cache=cache,
                      progress=progress, exclude=exclude, engine=engine, scheduler=scheduler)
    parts = sink.parts
    cells_df = _concat(parts["cells"], CELL_COLUMNS)
    findings_df = _frame([*parts["findings"], batch.extra_findings])
    return Corpus(batch.reports, cells_df, findings_df,
                  sections=_concat(parts["sections"], SECTION_COLUMNS),
                  facts=_concat(parts["facts"], FACT_COLUMNS),
                  parsed=batch.parsed, cached=batch.cached)


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    return conform(pd.concat(parts, ignore_index=True), columns) if parts else _empty(columns)


def _finding(report_id, rule, severity, message, table=None, row=None, column=None) -> dict:
    return dict(report_id=report_id, rule=rule, severity=severity, table=table, row=row,
                column=column, message=message)


def _frame(parts) -> pd.DataFrame:
    """Findings given as dicts and as DataFrames, in order, as one DataFrame."""
    frames, found = [], []
    for p in [*parts, None]:
        if isinstance(p, dict):
            found.append(p)
            continue
        if found:
            frames.append(pd.DataFrame(found, columns=FINDING_COLUMNS))
            found = []
        if p is not None and len(p):
            frames.append(p)
    if not frames:
        return _empty(FINDING_COLUMNS)
    return conform(pd.concat(frames, ignore_index=True), FINDING_COLUMNS)


def _meta_columns(meta: dict) -> dict:
    out = {k: v for k, v in meta.items() if k not in ("templates", "source", "report_id")
           and not isinstance(v, (dict, list))}
    templates = meta.get("templates") or {}
    out.update({col: templates.get(t) for t, col in TEMPLATE_COLUMNS.items()})
    return out


def agency_key(agency) -> str | None:
    """The agency name compared across reports: blanks removed, else exact."""
    if not isinstance(agency, str) or not agency.strip():
        return None
    return re.sub(r"\s+", "", agency)


def _candidates(reports: pd.DataFrame) -> pd.DataFrame:
    """Distinct parsed reports whose agency and year are known."""
    keys = reports["agency"].map(agency_key)
    ok = reports["status"].isna() & keys.notna() & reports["year"].notna()
    return reports[ok].assign(akey=keys[ok])


def _primary(reports: pd.DataFrame) -> pd.Series:
    # Of several reports of one agency and year, the panel uses the one with the fewest
    # error findings, then the most values, then the first given.
    c = _candidates(reports).assign(_order=lambda d: range(len(d)))
    c = c.sort_values(["akey", "year", "n_errors", "n_values", "_order"],
                      ascending=[True, True, True, False, True])
    chosen = c.drop_duplicates(["akey", "year"]).index
    return pd.Series(reports.index.isin(chosen), index=reports.index)


SAME_AGENCY_SHOWN = 3  # other files named in a same_agency_year finding


def _same_agency_year(reports: pd.DataFrame) -> list[dict]:
    c = _candidates(reports)
    c = c[c.duplicated(["akey", "year"], keep=False)]
    out = []
    for (_, year), group in c.groupby(["akey", "year"], sort=True):
        sources = list(group["source"])
        for rid, agency, source in zip(group["report_id"], group["agency"], sources, strict=True):
            # a few names, not all: k reports of one agency and year would otherwise
            # give k messages of k - 1 names each
            others = [s for s in sources if s != source]
            shown = ", ".join(others[:SAME_AGENCY_SHOWN])
            if len(others) > SAME_AGENCY_SHOWN:
                shown += f" and {len(others) - SAME_AGENCY_SHOWN} more"
            out.append(_finding(rid, "same_agency_year", "warning",
                                f"{agency} {year} is also reported by {shown}"))
    return out


def _carry_over(reports: pd.DataFrame, carry: pd.DataFrame) -> list[dict]:
    """``carry``: a row per report_id, a column per cell of ``CARRY_CELLS``."""
    c = _candidates(reports)
    prim = c[c["primary"]]
    by_year = {(r.akey, int(r.year)): r.report_id for r in prim.itertuples()}
    at = {rid: i for i, rid in enumerate(carry.index)}
    values = carry.to_numpy()
    now_at = {c.key: CARRY_CELLS.index(("carried_over", c.key)) for c in REQUESTS.columns}
    before_at = {c.key: CARRY_CELLS.index(("carried_forward", c.key)) for c in REQUESTS.columns}
    out = []
    for (agency, year), rid in by_year.items():
        prev = by_year.get((agency, year - 1))
        if prev is None or rid not in at or prev not in at:
            continue
        for col in (c.key for c in REQUESTS.columns):
            now = values[at[rid], now_at[col]]
            before = values[at[prev], before_at[col]]
            if pd.notna(now) and pd.notna(before) and now != before:
                out.append(_finding(
                    rid, "carry_over", "warning",
                    f"{REQUESTS.row('carried_over').zh} {year}: {now:g}, but "
                    f"{REQUESTS.row('carried_forward').zh} {year - 1}: {before:g} "
                    f"(report {prev})", REQUESTS.name, "carried_over", col))
    return out


def _settle_status(reports: pd.DataFrame, serious: pd.DataFrame) -> None:
    """Status and message of every parsed report, from its errors and warnings
    (``serious``: report_id, rule, in the order the findings table lists them)."""
    # a duplicate's finding shares the report_id of the original, which stays as it is
    serious = serious[serious["rule"] != "duplicate"]
    notes: dict[str, list[str]] = {}
    for (rid, rule), n in serious.groupby("report_id")["rule"].value_counts().items():
        notes.setdefault(rid, []).append(f"{rule} ({n})")
    todo = reports["status"].isna()
    unknown = (reports["agency"].map(agency_key).isna() | reports["year"].isna())[todo]
    messages = []
    for rid, unknown_one in zip(reports.loc[todo, "report_id"], unknown, strict=True):
        said = list(notes.get(rid, ()))
        if unknown_one:
            said.append("agency or year unknown")
        messages.append(said)
    reports.loc[todo, "status"] = ["warning" if m else "ok" for m in messages]
    reports.loc[todo, "message"] = ["; ".join(m) for m in messages]


__all__ = ["Corpus", "StoredCorpus", "Batch", "run_batch", "Field", "ResultCache", "read_corpus", "list_inputs",
           "agency_key", "CORPUS_RULES", "REPORT_FIELDS", "CELL_FIELDS", "FINDING_FIELDS", "STATUSES"]
