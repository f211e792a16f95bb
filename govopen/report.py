"""A source → a ``Report``: the whole pipeline for one file.

In: a path, ``bytes`` or ``str``. Out: ``Report`` with ``meta`` (report_id, source,
format, title, agency, year, published, province, city, county, adcode, level,
agency_kind, the template of each table), ``cells`` (the
long table of SCHEMA.md's "A cell": report_id, table, row, column, value, raw, status,
line, note), ``findings`` (rule, severity, table, row, column, message; the prose is
checked against the tables too), ``sections`` (the text before the first heading and of
一 … 六), ``facts`` (numbers stated in the prose, with their sentence) and
``table(name)``, one table as a wide DataFrame.

Stages: ``sources.load`` (bytes → text) → ``text.normalize`` → ``sections`` →
``tables`` (labels, tokens, ``placement``) → ``validation`` → ``meta`` (with
``regions``) → ``narrative``.
Raises ``ParseError`` when the file is not a report at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from . import schema
from .errors import ParseError
from .meta import read_meta
from .narrative import check_facts, extract_facts
from .regions import resolve_region
from .sections import TITLES, split_sections
from .sources import load
from .tables import read_tables
from .text import LineIndex, normalize
from .validation import check_identities

CELL_COLUMNS = ["report_id", "table", "row", "column", "value", "raw", "status", "line", "note"]
FINDING_COLUMNS = ["report_id", "rule", "severity", "table", "row", "column", "message"]


@dataclass
class Report:
    meta: dict
    cells: pd.DataFrame
    findings: pd.DataFrame
    sections: dict[str, str] = field(default_factory=dict)  # preamble, 一 … 六
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)  # narrative facts, see narrative.py

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
        return self.cells["status"].value_counts().reindex(
            ["parsed", "inferred", "missing"], fill_value=0).to_dict()

    def __repr__(self) -> str:
        m = self.meta
        return (f"Report({m['source']!r}, agency={m['agency']!r}, year={m['year']}, "
                f"cells={self.counts}, findings={len(self.findings)})")


def parse_report(source: str | os.PathLike | bytes, name: str | None = None) -> Report:
    """Parse one annual report into exact, validated tables."""
    doc = load(source, name)
    text = normalize(doc.text)
    sections = split_sections(text)
    if "requests" not in sections.tables:
        raise ParseError(doc.source, "not an annual report: no section 三 table "
                         "(收到和处理政府信息公开申请情况) was found",
                         "check that the file is a 政府信息公开工作年度报告")
    lines = LineIndex(text)
    tables = read_tables(text, sections, lines)
    meta = {"report_id": doc.report_id, "source": doc.source, "format": doc.format}
    meta.update(read_meta(text, sections))
    region = resolve_region(meta["agency"], text, year=meta["year"])
    meta.update(province=region.province, city=region.city, county=region.county,
                adcode=region.adcode, level=region.level, agency_kind=region.agency_kind)
    meta["templates"] = {name: tables[name].template if name in tables else None
                         for name in schema.TABLES}
    cell_rows, finding_rows = [], []
    if region.ambiguous:
        finding_rows.append(dict(
            rule="region_ambiguous", severity="warning", table="", row="", column="",
            message=f"the place name fits several divisions ({', '.join(region.ambiguous)}) and "
                    "nothing in the report says which; adcode left empty"))
    elif region.adcode is None and region.level != "central":
        finding_rows.append(dict(rule="region_unresolved", severity="info", table="", row="",
                                 column="", message="no division could be read from the agency "
                                 "name or the text; region left empty"))
    for name, t in schema.TABLES.items():
        if name not in tables:
            finding_rows.append(dict(rule="table_not_found", severity="warning", table=name, row="",
                                     column="", message=f"table {t.zh} ({t.en}) not found"))
            continue
        result = tables[name]
        for (row, col), p in _ordered(name, result.cells):
            cell_rows.append((doc.report_id, name, row, col,
                              float(p.value) if p.value is not None else float("nan"),
                              p.raw, p.status, lines.line(p.start) if p.start >= 0 else p.line, p.note))
        finding_rows.extend(result.findings)
        values = {c: p.value for c, p in result.cells.items()}
        finding_rows.extend(check_identities(name, values, result.template))
    cells = pd.DataFrame(cell_rows, columns=CELL_COLUMNS)
    cells["line"] = cells["line"].astype("Int64")
    findings = pd.DataFrame([{"report_id": doc.report_id, **f} for f in finding_rows],
                            columns=FINDING_COLUMNS)
    texts = {"preamble": doc.text[: min(sections.headings.values(), default=0)].strip()}
    texts.update({numeral: sections.text(numeral, doc.text) for numeral in TITLES})
    facts = extract_facts({k: v for k, v in texts.items() if k in TITLES}, doc.text)
    prose_findings = [{"report_id": doc.report_id, **f} for f in check_facts(facts, cells)]
    if prose_findings:
        findings = pd.concat([findings, pd.DataFrame(prose_findings, columns=FINDING_COLUMNS)],
                             ignore_index=True)
    return Report(meta=meta, cells=cells, findings=findings, sections=texts, facts=facts)


def _ordered(name: str, cells: dict):
    t = schema.TABLES[name]
    row_order = {r: i for i, r in enumerate(t.row_keys())}
    col_order = {c.key: i for i, c in enumerate(t.columns)}
    return sorted(cells.items(), key=lambda kv: (row_order[kv[0][0]], col_order[kv[0][1]]))
