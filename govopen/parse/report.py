"""A source → a ``Report``: the whole pipeline for one file.

In: a path, ``bytes`` or ``str``. Out: ``Report`` with ``meta`` (a ``ReportMeta``: report_id, source,
format, title, agency, year, published, province, city, county, adcode, level,
agency_kind, the template of each table), ``cells`` (the
long table of SCHEMA.md's "A cell": report_id, table, row, column, value, raw, status,
line, char, note), ``findings`` (rule, severity, table, row, column, message; the prose is
checked against the tables too), ``sections`` (the text before the first heading and of
一 … 六), ``facts`` (numbers stated in the prose, with their sentence) and
``table(name)``, one table as a wide DataFrame.

Stages: ``sources.load`` (bytes → text) → ``text.normalize`` → ``sections`` →
``tables`` (labels, tokens, ``placement``) → ``validation`` → ``meta`` (with
``regions``) → ``prose`` (the facts of ``facts``) → ``prose_checks``.
A report on a year before 2019, or whose section 三 has neither the template's rows nor
its applicant columns, gets no table cells read from tables and a ``no_standard_tables``
finding. A report of the pre-2019 era (``pre2019.era``) has its statistics read instead
(``statistics``, see ``pre2019``); its comparable ones give standard cells through the
crosswalk (``schema.CROSSWALK``), each saying so in its note.
Raises ``ParseError`` when the file is not a report at all.

Scans (a PDF of page images, an image file) are read by OCR only with ``ocr=True``
(``govopen[ocr]``); their cells are then reviewed by ``scan``: what OCR was unsure of, and
every cell of an identity that fails as read, is missing, with findings naming the cells.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .. import schema
from ..errors import ParseError
from ..fields import CELL_COLUMNS, FACT_RECORD_COLUMNS, FINDING_COLUMNS, STATISTIC_COLUMNS_OUT
from ..findings import Finding
from ..read.sources import Document, load
from . import pre2019, scan, view
from .facts import FACTS, PRE2019_FACTS
from .meta import ReportMeta, read_meta
from .prose import fact_records
from .prose_checks import check_fact_records
from .regions import Region, resolve_region
from .row_numbers import TableResult
from .sections import TITLES, split_sections
from .tables import BUDGET, read_tables
from .text import LineIndex, normalize, skeleton_of
from .validation import check_identities

_STATUS = CELL_COLUMNS.index("status")


@dataclass
class Report:
    meta: ReportMeta
    # The tables as plain tuples, in the column order of CELL_COLUMNS, FINDING_COLUMNS and
    # FACT_RECORD_COLUMNS (govopen.fields): what a batch gathers. The DataFrames below are
    # built from them when first asked for.
    cell_rows: list[tuple]
    finding_rows: list[tuple]
    sections: dict[str, str] = field(default_factory=dict)  # preamble, 一 … 六
    fact_rows: list[tuple] = field(default_factory=list)  # narrative facts, see prose.py
    # a report before 2019: its statistics (fields.STATISTIC_FIELDS), see pre2019.py
    statistic_rows: list[tuple] = field(default_factory=list)
    era: str = "standard"  # standard | pre2019
    # the text as read (``Document.text``), which ``line`` and ``char`` point into; shown
    # by ``view``, neither exported nor cached
    text: str = field(default="", repr=False)

    @cached_property
    def statistics(self) -> pd.DataFrame:
        """The statistics of a pre-2019 report (schema.STATISTICS), one row per value."""
        stats = pd.DataFrame(self.statistic_rows, columns=STATISTIC_COLUMNS_OUT)
        stats["line"] = stats["line"].astype("Int64")
        return stats

    @cached_property
    def cells(self) -> pd.DataFrame:
        """The long table of cells (SCHEMA.md's "A cell")."""
        cells = pd.DataFrame(self.cell_rows, columns=CELL_COLUMNS)
        cells["line"] = cells["line"].astype("Int64")
        cells["char"] = cells["char"].astype("Int64")
        return cells

    @cached_property
    def findings(self) -> pd.DataFrame:
        return pd.DataFrame(self.finding_rows, columns=FINDING_COLUMNS)

    @cached_property
    def facts(self) -> pd.DataFrame:
        """Numbers the prose states, with their sentence (see prose.py)."""
        return pd.DataFrame(self.fact_rows, columns=list(FACT_RECORD_COLUMNS))

    def table(self, name: str) -> pd.DataFrame:
        """One table as a wide DataFrame: its rows × its columns, values as floats."""
        if name not in schema.TABLES:
            raise KeyError(f"no table {name!r}; tables are {', '.join(schema.TABLES)}")
        sub = self.cells[self.cells["table"] == name]
        wide = sub.pivot(index="row", columns="column", values="value")
        t = schema.TABLES[name]
        rows = [r for r in t.row_keys() if r in wide.index]
        cols = [c.key for c in t.columns if c.key in wide.columns]
        return wide.loc[rows, cols].rename_axis(index=None, columns=None)

    @property
    def counts(self) -> dict[str, int]:
        statuses = [r[_STATUS] for r in self.cell_rows]
        return {s: statuses.count(s) for s in ("parsed", "inferred", "missing")}

    def _repr_html_(self) -> str:
        """How a notebook shows the report (``view.report_html``, labels in English)."""
        return view.report_html(self)

    def view(self, lang: str = "en") -> view.Html:
        """The report as HTML with labels in ``lang`` ("en" or "zh"), which a notebook
        displays: its tables coloured by status, the identities and the findings."""
        return view.report_html(self, lang)

    def __repr__(self) -> str:
        m = self.meta
        return (f"Report({m.source!r}, agency={m.agency!r}, year={m.year}, "
                f"cells={self.counts}, findings={len(self.findings)})")


def parse_report(source: str | os.PathLike | bytes | Document, name: str | None = None, *,
                 budget: float = BUDGET, ocr: bool = False) -> Report:
    """Parse one annual report into exact, validated tables.

    ``budget``: seconds of CPU time the search for cell values may take in all (placing
    numbers whose cells the printed text leaves open). Cells still open when it runs out
    are missing, with a 'placement_budget' finding; nothing is guessed.

    ``source`` may also be a ``Document`` already read (``govopen.read.sources.load``).
    ``ocr``: read a scanned PDF or an image by OCR (``pip install 'govopen[ocr]'``);
    without it such a file raises ``ParseError`` saying so."""
    doc = source if isinstance(source, Document) else load(source, name, ocr=ocr)
    text = normalize(doc.text)
    sections = split_sections(text)
    meta = ReportMeta(doc.report_id, doc.source, doc.format, **read_meta(text, sections))
    lines = LineIndex(text)
    standard = _prints_standard_tables(meta.year, sections)
    # before 2019 by the statistics year, or (year unknown) by a statistics table
    early = standard is not True and pre2019.era(meta.year, False, text) == schema.PRE2019
    if standard is not True and not (is_annual_report(text) and early):
        # a report of 2019 or later without section 三 is cut short, or not a report
        raise ParseError(doc.source, "not an annual report: no section 三 table "
                         "(收到和处理政府信息公开申请情况) was found",
                         "check that the file is a 政府信息公开工作年度报告")
    tables = read_tables(text, sections, lines, budget) if standard is True else {}
    if standard is True and not _requests_printed(tables, text, sections):
        standard = ("no table of section 三 with the template's rows was found (fewer than "
                    f"{MIN_REQUEST_ROWS} of its row labels)")
        if not is_annual_report(text):
            raise ParseError(doc.source, f"not an annual report: {standard}",
                             "check that the file is a 政府信息公开工作年度报告")
        tables = {}
        early = pre2019.era(meta.year, False, text) == schema.PRE2019
    region = resolve_region(meta.agency, text, year=meta.year)
    meta.province, meta.city, meta.county = region.province, region.city, region.county
    meta.adcode, meta.level, meta.agency_kind = region.adcode, region.level, region.agency_kind
    meta.templates = {name: tables[name].template if name in tables else None
                      for name in schema.TABLES}
    cell_rows: list[tuple] = []
    found = _region_findings(region)
    if standard is not True:
        found.append(Finding(
            rule="no_standard_tables", table="", row="", column="",
            message=f"the report does not print the three standard tables: {standard}; "
                    "none of their cells is read"))
    else:
        cell_rows, table_findings = _table_cells(doc.report_id, tables, lines)
        if doc.format == "scan":
            located = scan.locate(doc.text, doc.ocr_cells, lambda probe: parse_report(
                probe, doc.source, budget=budget).cell_rows)
            cell_rows, table_findings = scan.review(cell_rows, table_findings, meta.templates,
                                                    doc.ocr_cells, located)
        found.extend(table_findings)
    texts = {"preamble": doc.text[: min(sections.headings.values(), default=0)].strip()}
    texts.update({numeral: sections.text(numeral, doc.text) for numeral in TITLES})
    facts = fact_records({k: v for k, v in texts.items() if k in TITLES}, doc.text,
                         PRE2019_FACTS + FACTS if early else FACTS)
    statistic_rows: list[tuple] = []
    if early:  # the statistics of a report before 2019, and the cells they give
        stats = pre2019.read_statistics(text, facts, lines)
        statistic_rows = stats.rows
        cell_rows, crosswalked = pre2019.crosswalk_cells(doc.report_id, statistic_rows)
        found.extend(stats.findings + crosswalked)
    found.extend(check_fact_records(
        ((f[0], f[1], f[4], f[5]) for f in facts),  # fact, value, sentence, confidence
        (r[1:5] for r in cell_rows)))  # table, row, column, value
    finding_rows = [f.as_row(doc.report_id) for f in found]
    return Report(meta=meta, cell_rows=cell_rows, finding_rows=finding_rows, sections=texts,
                  fact_rows=facts, statistic_rows=statistic_rows,
                  era=schema.PRE2019 if early else "standard", text=doc.text)


def _region_findings(region: Region) -> list[Finding]:
    """What is said of a place name that fits several divisions, or none."""
    if region.ambiguous:
        return [Finding(
            rule="region_ambiguous", table="", row="", column="",
            message=f"the place name fits several divisions ({', '.join(region.ambiguous)}) and "
                    "nothing in the report says which; adcode left empty")]
    if region.adcode is None and region.level != "central":
        return [Finding(rule="region_unresolved", table="", row="",
                     column="", message="no division could be read from the agency "
                     "name or the text; region left empty")]
    return []


def _table_cells(report_id: str, tables: dict[str, TableResult],
                 lines: LineIndex) -> tuple[list[tuple], list[Finding]]:
    """The cells of the tables read, as rows in ``CELL_COLUMNS`` order (tables, rows and
    columns in schema order), and their findings: a table not found, the table's own, the
    identities its values break."""
    nan = float("nan")
    cell_rows: list[tuple] = []
    found: list[Finding] = []
    for name, t in schema.TABLES.items():
        if name not in tables:
            found.append(Finding(rule="table_not_found", table=name, row="",
                              column="", message=f"table {t.zh} ({t.en}) not found"))
            continue
        result = tables[name]
        for (row, col), p in _ordered(name, result.cells):
            read_at = p.start >= 0
            cell_rows.append((report_id, name, row, col,
                              float(p.value) if p.value is not None else nan, p.raw, p.status,
                              lines.line(p.start) if read_at else p.line,
                              lines.column(p.start) if read_at else None, p.note))
        found.extend(result.findings)
        values = {c: p.value for c, p in result.cells.items()}
        found.extend(check_identities(name, values, result.template))
    return cell_rows, found


# The 2019 revision of the Regulations brought the three standard tables (国办公开办函〔2019〕
# 60号); reports on earlier years print other statistics, or none.
FIRST_STANDARD_YEAR = schema.FIRST_STANDARD_YEAR
# A section 三 table is the template's when at least this many of its row labels are found
# in order: a torn table keeps its labels, while prose or an older statistics table that
# happens to say 部分公开 or 总计 names one or two of them.
MIN_REQUEST_ROWS = 6
# simplified or traditional script (信息/資訊, 开/開, 报/報)
_REPORT_TITLE = re.compile(r"政府(?:信息|資訊|资讯)公[开開].{0,12}(?:年度?[报報]告|年[报報])")


def _prints_standard_tables(year: int | None, sections) -> bool | str:
    """True, or why the report cannot print the standard tables."""
    if year is not None and year < FIRST_STANDARD_YEAR:
        return (f"its statistics year {year} is before {FIRST_STANDARD_YEAR}, when the "
                "standard tables were introduced")
    if "requests" not in sections.tables:
        return "no section 三 table (收到和处理政府信息公开申请情况) was found"
    return True


def _requests_printed(tables: dict, text: str, sections) -> bool:
    """Section 三 is the template's table: enough of its row labels, or its applicant
    columns (自然人, 商业企业 …), which no older statistics table has."""
    result = tables.get("requests")
    if result is None:
        return False
    if len(result.rows_found) >= MIN_REQUEST_ROWS:
        return True
    lo, hi = sections.tables["requests"]
    body = skeleton_of(text[max(0, lo - _HEADER_REACH):hi])  # the column headers sit above
    return any(v in body for v in _APPLICANT_HEADS)


_HEADER_REACH = 300  # characters above the first row where the column headers stand
# the applicant column headers of section 三 (其他 and 总计 are too common to tell)
_APPLICANT_HEADS = tuple(v for c in schema.REQUESTS.columns if c.key not in ("other", "total")
                         for v in c.variants)


def is_annual_report(text: str) -> bool:
    """The text names itself an annual report on open government information."""
    return _REPORT_TITLE.search(text[:20000]) is not None


# every (row, column) a table can have, rows in schema order and columns within them
_ORDER = {name: [(r, c.key) for r in t.row_keys() for c in t.columns]
          for name, t in schema.TABLES.items()}


def _ordered(name: str, cells: dict):
    ordered = [(key, cells[key]) for key in _ORDER[name] if key in cells]
    if len(ordered) != len(cells):
        raise ValueError(f"{name}: cells outside the schema: {set(cells) - set(_ORDER[name])}")
    return ordered
