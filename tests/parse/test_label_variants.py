"""Every wording the schema names a label by reads as the canonical label does.

For each variant of each column (``Column.variants``) and each core of each row
(``Row.core``), under every template the column or row belongs to: a generated report
(``synth``) printing that wording in place of the label, nothing else changed, parses to
the same cells, values and statuses, as the same report printing the canonical label.
Three prints of one report each time: tab-separated with every cell printed, one cell per
line, and tab-separated with zero cells left empty in all three tables (there the column
headers decide which column a printed number is in). Printed whole, the report reads as
its truth, every cell as printed; with empty cells, no value is wrong. A column's headers
are read as the same columns in the same places (section 二's header events, section 三's
grid); section 四's headers are not read by the parser (its numbers are placed in order).

The canonical label of a column is its Chinese label (``Column.zh``) where that is a
printed wording; 金额（万元） is not, and stands for the header the template prints
(本年收费金额（单位：万元）, 采购总金额（单位：万元）). The canonical label of a row is
its official label as the template prints it; the variant keeps the label's numbering
(5.属于三类内部事务信息 -> 5.三类内部事务). Every wording has a recorded source
(``schema.VARIANT_SOURCES``), and no other wording has one.
"""

from __future__ import annotations

import functools
import math
import random
import re

import pytest

import govopen
from govopen import schema
from govopen.parse import grid, requests_table, tables
from govopen.parse.sections import split_sections
from govopen.parse.text import Skeleton, normalize, skeleton_of
from tests.support import synth

SEED = 15  # a report with numbers other than 0 in every table, under either template
PRINTS = ("tabs", "cells", "blanks")
_HEADS = {"active": "二、主动公开", "requests": "三、收到和处理", "reviews": "四、政府信息公开行政复议"}
_NEXT = {"active": "requests", "requests": "reviews"}
_UNIT = "（单位：万元）"
_NUMBERING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.")


def _templates(table: schema.Table, kind: str, key: str) -> tuple[str, ...]:
    """The templates under which the column or row is printed."""
    if kind == "row":
        return tuple(t for t in schema.TEMPLATES if t in table.row(key).templates)
    if table.name != "active":
        return schema.TEMPLATES
    return tuple(t for t in schema.TEMPLATES
                 if any(key in r.columns.get(t, ()) for r in table.rows))


def _wordings() -> list:
    out = []
    for table in schema.TABLES.values():
        for column in table.columns:
            for i, v in enumerate(column.variants):
                out.append(pytest.param(table.name, "column", column.key, v,
                                        id=f"{table.name}.column.{column.key}.{i}"))
        for row in table.rows:
            for i, v in enumerate(row.core):
                out.append(pytest.param(table.name, "row", row.key, v,
                                        id=f"{table.name}.row.{row.key}.{i}"))
    return out


WORDINGS = _wordings()


@functools.cache
def _base(template: str) -> synth.Rendered:
    return synth.report(SEED, "tabs", template=template, clutter=False, blank_rate=0.0)


@functools.cache
def _base_text(template: str, prints: str) -> str:
    """The report under ``template``, tab-separated; with ``blanks``, its zero cells empty."""
    r = _base(template)
    if prints == "blanks":
        truth = synth.with_blanks(r.truth, random.Random(SEED), 0.5, everywhere=True)
        r = synth.render(truth, "tabs", rng=random.Random(SEED))
    assert isinstance(r.data, str)
    return r.data


def _region(text: str, table: str) -> tuple[int, int]:
    start = text.index(_HEADS[table])
    nxt = _NEXT.get(table)
    return start, (text.index(_HEADS[nxt], start) if nxt else len(text))


def _replace_cells(text: str, table: str, names, printed) -> tuple[str, int]:
    """``text`` with every table cell of ``table`` that ``names`` printed as ``printed(cell)``
    instead; and how many cells that was."""
    start, end = _region(text, table)
    count = 0

    def cell(c: str) -> str:
        nonlocal count
        if not names(c):
            return c
        count += 1
        return printed(c)

    lines = ["\t".join(cell(c) for c in line.split("\t")) if "\t" in line else line
             for line in text[start:end].split("\n")]
    return text[:start] + "\n".join(lines) + text[end:], count


def _column_names(column: schema.Column):
    return lambda c: skeleton_of(c.removesuffix(_UNIT)) in column.variants


def _with_column(text: str, table: str, column: schema.Column, wording: str | None) -> str:
    """The report with column's headers printed as ``wording``; None: its canonical label."""
    zh = skeleton_of(column.zh)

    def printed(c: str) -> str:
        if wording is None:
            return column.zh if zh in column.variants else c
        return wording + (_UNIT if c.endswith(_UNIT) else "")

    out, n = _replace_cells(text, table, _column_names(column), printed)
    assert n >= 1, f"{table}.{column.key}: no header printed"
    return out


def _with_row(text: str, table: str, key: str, template: str, wording: str | None) -> str:
    """The report with the row's label printed as ``wording``; None: as the template does."""
    label = synth.row_label(table, key, template)
    if wording is None:
        return text
    numbering = _NUMBERING.match(label)
    out, n = _replace_cells(text, table, lambda c: c == label,
                            lambda c: (numbering.group() if numbering else "") + wording)
    assert n == 1, f"{table}.{key}: label {label} printed {n} times"
    return out


def _printed(table: str, kind: str, key: str, template: str, prints: str,
             wording: str | None) -> str:
    """The report printing ``wording`` for the column or row (None: its canonical label)."""
    text = _base_text(template, "blanks" if prints == "blanks" else "tabs")
    t = schema.TABLES[table]
    if kind == "column":
        text = _with_column(text, table, t.column(key), wording)
    else:
        text = _with_row(text, table, key, template, wording)
    return text.replace("\t", "\n\n") if prints == "cells" else text


@functools.cache  # the canonical print of most wordings is the report as generated
def _cells(text: str) -> dict:
    report = govopen.parse_report(text, name="variant.txt")
    return {(c.table, c.row, c.column): (None if math.isnan(c.value) else c.value, c.status)
            for c in report.cells.itertuples()}


def _headers(text: str) -> tuple[list[str], dict[str, int] | None]:
    """The column headers as the parser reads them: section 二's (offset order, column)
    events, section 三's grid (column -> field)."""
    text = normalize(text)
    skel = Skeleton(text)
    spans = split_sections(text).tables
    lo, hi = spans["active"]
    events = [key for _, key in tables._column_events(skel, skel.index_at(lo), skel.index_at(hi))]
    span = spans["requests"]
    first_row = text.index("一、本年新收", span[0])
    columns = schema.columns_for("requests", "total", "2021")
    header = grid.find_header(text, requests_table.sections_start(text, span), first_row,
                              requests_table._REQUEST_VARIANTS, columns)
    return events, header.index if header else None


@pytest.mark.parametrize("table,kind,key,wording", WORDINGS)
def test_variant_reads_as_the_canonical_label(table, kind, key, wording):
    templates = _templates(schema.TABLES[table], kind, key)
    assert templates, f"{table}.{key} belongs to no template"
    for template in templates:
        truth = {k: float(v) for k, v in _base(template).truth.values.items()}
        for prints in PRINTS:
            what = f"{table}.{kind}.{key} printed {wording} ({template}, {prints})"
            canonical_text = _printed(table, kind, key, template, prints, None)
            variant_text = _printed(table, kind, key, template, prints, wording)
            canonical = _cells(canonical_text)
            if prints == "blanks":  # empty cells may stay unknown, never wrong
                assert set(canonical) == set(truth), what
                wrong = [k for k, (v, _) in canonical.items() if v is not None and v != truth[k]]
                assert wrong == [], what
            else:
                assert canonical == {k: (v, "parsed") for k, v in truth.items()}, what
            assert _cells(variant_text) == canonical, what
            if kind == "column" and prints != "cells":
                assert _headers(variant_text) == _headers(canonical_text), what


def test_the_reports_print_numbers_in_every_table():
    for template in schema.TEMPLATES:
        values = _base(template).truth.values
        for table in schema.TABLES:
            assert sum(1 for k, v in values.items() if k[0] == table and v) >= 3, (template, table)


def test_every_wording_has_a_recorded_source():
    wordings = {v for _t, _k, _key, v in (p.values for p in WORDINGS)}
    assert set(schema.VARIANT_SOURCES) == wordings
    for wording, where in schema.VARIANT_SOURCES.items():
        assert isinstance(where, str) and where.strip(), wording
        # a class of report, never one file
        assert not re.search(r"pt-\w+-\d{4}|\.(txt|html|docx|pdf)\b", where), wording
