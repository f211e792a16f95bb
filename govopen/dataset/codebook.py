"""The schema → the codebook: every output column with its labels, type, unit and meaning.

In: nothing but govopen's own definitions — ``schema`` (tables, rows, columns),
``corpus`` (``REPORT_FIELDS``, ``CELL_FIELDS``, ``FINDING_FIELDS``,
``STATISTIC_TABLE_FIELDS``) and ``panel``
(``panel_fields()``, whose indicator definitions come from ``INDICATORS``). Out:

* ``codebook()`` — one row per column of each output table (``dataset``, ``key``,
  ``zh``, ``en``, ``type``, ``unit``, ``definition``);
* ``cell_keys()`` — the (table, row, column) keys the long table uses, with labels;
* ``statistics()`` — the statistics of the reports before 2019 (``schema.STATISTICS``), with
  their labels, units and printed wordings; ``crosswalk()`` — each of them and the 2019+
  cells it corresponds to, with its ``comparable`` flag and a note (``schema.CROSSWALK``);
* the panel's indicators across the 2019 revision (``panel.indicator_eras``): comparable,
  split or none, as the crosswalk makes them;
* ``rules()`` — every rule a finding can name (``govopen.findings.RULES``), with its
  severity and its definition in English and Chinese;
* ``datapackage(paths)`` — a Frictionless Data Package descriptor for the CSV files;
* ``markdown()`` — the same codebook as readable markdown tables.

Nothing here is written by hand twice: change the schema and the codebook follows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from ..fields import (
    CELL_FIELDS,
    FACT_FIELDS,
    FINDING_FIELDS,
    REPORT_FIELDS,
    SECTION_FIELDS,
    STATISTIC_TABLE_FIELDS,
    Field,
)
from ..files import atomic_write
from ..findings import RULES
from ..schema import CROSSWALK, STATISTICS, TABLES, TEMPLATES, columns_for
from .export import stata_names
from .panel import indicator_eras, panel_fields

CELL_KEY_FIELDS = (
    Field("table", "表", "Table", "string", enum=tuple(TABLES)),
    Field("row", "行", "Row", "string"),
    Field("column", "列", "Column", "string"),
    Field("table_zh", "表名", "Table (Chinese)", "string"),
    Field("row_zh", "行名", "Row label (Chinese)", "string"),
    Field("row_en", "行名（英文）", "Row label (English)", "string"),
    Field("column_zh", "列名", "Column label (Chinese)", "string"),
    Field("column_en", "列名（英文）", "Column label (English)", "string"),
    Field("unit", "单位", "Unit", "string", enum=("count", "10k_yuan", "items")),
    Field("templates", "模板", "Templates", "string",
          definition="the report formats with this cell: 2019, 2021 or both (2019/2021)"),
)

DATASETS = {
    "reports": ("每份输入文件一行", "One row per input file", REPORT_FIELDS),
    "cells": ("长表：每个报告的每个单元格一行", "Long table: one row per cell of each report",
              CELL_FIELDS),
    "findings": ("校验结果", "Findings of the checks", FINDING_FIELDS),
    "panel": ("机关 × 年度面板", "Agency × year panel", None),
    "cell_keys": ("单元格键", "The keys of the long table", CELL_KEY_FIELDS),
    "sections": ("报告各部分正文", "The text of each section of each report", SECTION_FIELDS),
    "facts": ("正文所述数字", "Numbers stated in the prose, with their sentence", FACT_FIELDS),
    "statistics": ("2019 年以前报告的统计指标", "The statistics of the reports before 2019, "
                   "one row per value (see the statistics and the crosswalk below)",
                   STATISTIC_TABLE_FIELDS),
}

CODEBOOK_COLUMNS = ["dataset", "key", "stata", "zh", "en", "type", "unit", "definition"]

# The link between the tables, for the Data Package.
_PRIMARY_KEYS = {"cells": ["report_id", "table", "row", "column"], "panel": ["agency", "year"],
                 "cell_keys": ["table", "row", "column"]}
_FOREIGN_KEYS = {"cells": [{"fields": ["table", "row", "column"],
                            "reference": {"resource": "cell_keys",
                                          "fields": ["table", "row", "column"]}}]}


def fields(dataset: str, columns=None) -> list[Field]:
    """The fields of one output table; given its ``columns``, in their order, and a
    column the codebook does not know (new metadata from the parser) as a plain string."""
    described = DATASETS[dataset][2]  # None for the panel, whose columns follow the schema
    known = panel_fields() if described is None else list(described)
    if columns is None:
        return known
    by_key = {f.key: f for f in known}
    return [by_key.get(c) or Field(str(c), str(c), str(c), "string",
                                   definition="report metadata, not yet in the codebook")
            for c in columns]


def codebook() -> pd.DataFrame:
    """Every column of every output table; ``stata`` is its name in the ``.dta`` file."""
    rows = []
    for name in DATASETS:
        fs = fields(name)
        stata = stata_names(f.key for f in fs)
        rows += [dict(dataset=name, key=f.key, stata=stata[f.key], zh=f.zh, en=f.en,
                      type=f.type, unit=f.unit, definition=f.definition
                      + (f" (one of: {', '.join(f.enum)})" if f.enum else "")) for f in fs]
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def cell_keys() -> pd.DataFrame:
    rows = []
    for table in TABLES.values():
        seen: dict[tuple[str, str], list[str]] = {}
        for row in table.rows:
            for template in TEMPLATES:
                if template not in row.templates:
                    continue
                for col in columns_for(table.name, row.key, template):
                    seen.setdefault((row.key, col), []).append(template)
        for (row_key, col_key), templates in seen.items():
            row_def, col_def = table.row(row_key), table.column(col_key)
            rows.append(dict(table=table.name, row=row_key, column=col_key, table_zh=table.zh,
                             row_zh=row_def.zh, row_en=row_def.en, column_zh=col_def.zh,
                             column_en=col_def.en, unit=col_def.unit,
                             templates="/".join(templates)))
    return pd.DataFrame(rows, columns=[f.key for f in CELL_KEY_FIELDS])


STATISTIC_COLUMNS = ["statistic", "zh", "en", "unit", "group", "part_of", "labels",
                     "definition"]


def statistics() -> pd.DataFrame:
    """The pre-2019 statistics: key, labels, unit, the total each is part of, wordings."""
    return pd.DataFrame([(s.key, s.zh, s.en, s.unit, s.group, s.parent, " / ".join(s.labels),
                          s.definition) for s in STATISTICS], columns=STATISTIC_COLUMNS)


CROSSWALK_COLUMNS = ["statistic", "zh", "cells", "comparable", "note"]


def crosswalk() -> pd.DataFrame:
    """Each pre-2019 statistic and the 2019+ cells (table/row/column, summed) it
    corresponds to; ``comparable``: the same count, emitted as that cell and joinable."""
    zh = {s.key: s.zh for s in STATISTICS}
    return pd.DataFrame([(c.statistic, zh[c.statistic], " + ".join("/".join(k) for k in c.cells),
                          c.comparable, c.note) for c in CROSSWALK], columns=CROSSWALK_COLUMNS)


RULE_COLUMNS = ["rule", "severity", "stage", "en", "zh"]


def rules() -> pd.DataFrame:
    """Every rule of the findings table: its severity, where it is checked, what it means."""
    return pd.DataFrame([(r.name, r.severity, r.stage, r.en, r.zh) for r in RULES.values()],
                        columns=RULE_COLUMNS)


def _frictionless_field(f: Field) -> dict:
    out: dict[str, object] = {"name": f.key, "type": f.type, "title": f.en,
                              "description": f"{f.zh}: {f.definition}" if f.definition
                              else f.zh}
    if f.unit:
        out["unit"] = f.unit  # not in the spec's vocabulary; extra properties are allowed
    if f.enum:
        out["constraints"] = {"enum": list(f.enum)}
    return out


def datapackage(paths: dict[str, str], columns: dict | None = None) -> dict:
    """A Data Package descriptor for the CSV files ``paths`` (dataset -> relative path);
    ``columns`` (dataset -> column names) when the files have columns of their own."""
    from .._version import __version__

    resources = []
    for name, path in paths.items():
        zh, en, _ = DATASETS[name]
        described = fields(name, (columns or {}).get(name))
        schema: dict = {"fields": [_frictionless_field(f) for f in described],
                        "missingValues": [""]}
        if name in _PRIMARY_KEYS and name != "cells":  # cells repeat for duplicate files
            schema["primaryKey"] = _PRIMARY_KEYS[name]
        if name in _FOREIGN_KEYS and "cell_keys" in paths:
            schema["foreignKeys"] = _FOREIGN_KEYS[name]
        resources.append({"name": name, "path": path, "title": f"{en} — {zh}",
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8-sig", "schema": schema})
    return {"name": "govopen-dataset", "title": "政府信息公开工作年度报告 — tables and panel",
            "description": "Tables read from Chinese Open Government Information annual reports "
                           f"(政府信息公开工作年度报告) by govopen {__version__}.",
            "profile": "tabular-data-package", "resources": resources}


def markdown() -> str:
    book = codebook()
    out = ["# Codebook", "",
           "Generated from govopen's schema; every output table, every column.", ""]
    for name, (zh, en, _) in DATASETS.items():
        out += [f"## `{name}` — {en}（{zh}）", "",
                "| key | 中文 | English | type | unit | definition | Stata |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for r in book[book["dataset"] == name].itertuples():
            cells = [f"`{r.key}`", r.zh, r.en, r.type, r.unit, r.definition, f"`{r.stata}`"]
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
        out.append("")
    out += ["## The rules of the findings table", "",
            "error: a printed number cannot be right, or the file could not be read; warning: "
            "a cell could not be read, or was read with a caveat; info: nothing was lost.", "",
            "| rule | severity | checked in | definition | 定义 |",
            "| --- | --- | --- | --- | --- |"]
    for r in rules().itertuples():
        cells = [f"`{r.rule}`", r.severity, r.stage, r.en, r.zh]
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    out.append("")
    out += ["## The statistics of the reports before 2019", "",
            "Read from a report's 政府信息公开情况统计表 (本年度 | 历年累计) or its sentences "
            "(Report.statistics); labels are the wordings a table prints.", "",
            "| statistic | 中文 | English | unit | group | part of | labels |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in statistics().itertuples():
        cells = [f"`{r.statistic}`", r.zh, r.en, r.unit, r.group, r.part_of, r.labels]
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    out += ["", "## The crosswalk: pre-2019 statistics and 2019+ cells", "",
            "A comparable statistic gives its cell in reports before 2019 (a sum of cells "
            "only when it is 0); the others are documented links, never joined.", "",
            "| statistic | 中文 | 2019+ cells | comparable | note |",
            "| --- | --- | --- | --- | --- |"]
    for r in crosswalk().itertuples():
        cells = [f"`{r.statistic}`", r.zh, r.cells or "—", "yes" if r.comparable else "no",
                 r.note]
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    out += ["", "## The panel's indicators across the 2019 revision", "",
            "From the crosswalk: comparable — before 2019 the same column, from the "
            "statistics named; split — not comparable, the pre-2019 values in a column of "
            "their own and the indicator missing before 2019; none — no counterpart, "
            "missing before 2019.", "",
            "| indicator | across 2019 | column before 2019 | numerator before 2019 | "
            "denominator before 2019 |",
            "| --- | --- | --- | --- | --- |"]
    for r in indicator_eras().itertuples():
        cells = [f"`{r.indicator}`", r.status, f"`{r.pre2019_column}`" if r.pre2019_column
                 else "—", r.pre2019_numerator or "—", r.pre2019_denominator or "—"]
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    out.append("")
    keys = cell_keys()
    out += ["## The cell keys of the long table", "",
            "| table | row | column | 行 | 列 | row | column | unit | templates |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in keys.itertuples():
        cells = [r.table, f"`{r.row}`", f"`{r.column}`", r.row_zh, r.column_zh, r.row_en,
                 r.column_en, r.unit, r.templates]
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_codebook(folder: str | os.PathLike, paths: dict[str, str],
                   columns: dict | None = None) -> None:
    """Write ``datapackage.json`` and ``codebook.md`` into ``folder``."""
    folder = Path(folder)
    descriptor = json.dumps(datapackage(paths, columns), ensure_ascii=False, indent=1) + "\n"
    text = markdown()
    atomic_write(folder / "datapackage.json",
                 lambda p: p.write_text(descriptor, encoding="utf-8"))
    atomic_write(folder / "codebook.md", lambda p: p.write_text(text, encoding="utf-8"))
