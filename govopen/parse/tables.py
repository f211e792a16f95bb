"""Sections → the three standard tables as cells.

In: the normalised text, the table spans from ``sections`` and a ``LineIndex``. Out:
``read_tables`` — for each table found a ``TableResult``: the detected template, its cells
(``Placement``: value, raw, status, line, note) and findings about rows that are missing
or cannot be placed.

One reader per table: section 二's (``read_active``) is here, 三's in ``requests_table``
(``read_requests``), 四's in ``reviews_table``. Rows are found by their labels (``rows``), the
numbers after each label are read (``row_numbers``), and ``placement`` turns them into
cells using the identities, within a time budget for the whole report (``BUDGET``).

Section 二 prints several headers, one above each group of rows: the column labels found
(exactly, or misprinted between two exact ones: ``labels``) since the last row make the
header of the rows below them, and tell each row's template (2019 or 2021).
"""

from __future__ import annotations

import re
import time

from .. import schema
from ..findings import Finding
from . import grid, labels
from .placement import Placement, Segment
from .requests_table import read_requests
from .reviews_table import read_reviews
from .row_numbers import (
    HEADER_REACH,
    TableResult,
    finalize,
    next_start,
    numbers_after,
    several_numbers,
)
from .rows import find_rows
from .sections import Sections
from .text import LineIndex, Skeleton

_ACTIVE_VARIANTS = {c.key: c.variants for c in schema.ACTIVE.columns}
_ONLY_2019 = {"made", "published", "total_public", "prev_items", "change", "items"}
_ONLY_2021 = {"issued", "repealed", "in_force"}


# the column headers section 二 prints, each in its printed order (from the schema's rows)
_HEADERS = tuple(dict.fromkeys(cols for r in schema.ACTIVE.rows for cols in r.columns.values()))
_COLUMN_PRINTED = {c.key: c.variants for c in schema.ACTIVE.columns}
_COLUMN_FORMS = {key: tuple(v for v in vs if len(v) >= labels.MIN_LENGTH)
                 for key, vs in _COLUMN_PRINTED.items()}


def _columns_between(before: str | None, after: str | None) -> tuple[str, ...]:
    """The columns a header may print between column ``before`` and column ``after``
    (None: the start or the end of the table): those between the two in a header that
    prints both, else those that may follow ``before`` and those that may precede
    ``after``."""
    for h in _HEADERS:
        if before in h and after in h and h.index(before) < h.index(after):
            return h[h.index(before) + 1:h.index(after)]
    follow = [k for h in _HEADERS if before in h for k in h[h.index(before) + 1:]]
    precede = [k for h in _HEADERS if after in h for k in h[:h.index(after)]]
    return tuple(dict.fromkeys(follow + precede))


# asked for between every two column labels of every report: worked out once
_BETWEEN = {(a, b): _columns_between(a, b) for a in (None, *_COLUMN_PRINTED) for b in (None, *_COLUMN_PRINTED)}


def _column_events(skel: Skeleton, lo: int, hi: int,
                   misprints: list[tuple[str, str]] | None = None) -> list[tuple[int, str]]:
    """(skeleton offset, column key) of each column label of section 二 in [lo, hi): the
    exact labels, then, between two of them, the columns their headers lack where the
    label is misprinted (``labels``); each of those is added to ``misprints`` as
    (printed text, key) when a list is given."""
    variants = sorted(((v, c.key) for c in schema.ACTIVE.columns for v in c.variants),
                      key=lambda vk: -len(vk[0]))
    taken: list[tuple[int, int]] = []
    events = []
    for variant, key in variants:
        k = skel.text.find(variant, lo, hi)
        while k >= 0:
            if not any(a < k + len(variant) and k < b for a, b in taken):
                taken.append((k, k + len(variant)))
                events.append((k, key))
            k = skel.text.find(variant, k + 1, hi)
    exact = sorted((a, b, key) for (a, b), (_k, key) in zip(taken, events, strict=True))
    for n in range(len(exact) + 1) if exact else ():
        g_lo = exact[n - 1][1] if n else lo
        g_hi = exact[n][0] if n < len(exact) else hi
        between = _BETWEEN[exact[n - 1][2] if n else None, exact[n][2] if n < len(exact) else None]
        if not between:
            continue
        wanted = [(key, _COLUMN_FORMS[key]) for key in between]
        for key, m in labels.place_all(wanted, skel.text, g_lo, g_hi, _COLUMN_PRINTED).items():
            events.append((m.start, key))
            if misprints is not None:
                misprints.append((skel.text[m.start:m.end], key))
    return sorted(events)


def _row_template(row: schema.Row, header: list[str], default: str) -> tuple[str, tuple[str, ...]]:
    options = row.columns
    hs = set(header)
    for t, cols in options.items():
        if hs and hs == set(cols):
            ordered = tuple(header) if len(header) == len(cols) else cols
            return t, ordered
    for t in ("2019", "2021"):
        if t in options and hs and hs <= set(options[t]) and not (hs & (_ONLY_2021 if t == "2019" else _ONLY_2019)):
            return t, options[t]
    t = default if default in options else next(iter(options))
    return t, options[t]


def _row_columns(events: list[tuple[int, str, str]],
                 default: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Row key -> (template, columns) for each row among ``events`` (offset, 'col' | 'row' |
    'marker', key) in printed order: the column labels printed since the last row, or
    since a marker (第二十条, 信息内容), make the header of the rows below them."""
    header: list[str] = []
    fresh = True  # column labels seen since the last row start a new header
    row_cols: dict[str, tuple[str, tuple[str, ...]]] = {}
    for _, kind, key in events:
        if kind == "marker":
            header, fresh = [], True
        elif kind == "col":
            if not fresh:
                header, fresh = [], True
            if key not in header:
                header.append(key)
        else:
            row_cols[key] = _row_template(schema.ACTIVE.row(key), header, default)
            fresh = False
    return row_cols


def read_active(text: str, skel: Skeleton, lines: LineIndex, span,
                deadline: float | None = None) -> TableResult:
    first = text.find("第二十条", span[0], span[1])
    if first >= 0:
        span = (first, span[1])
    lo, hi = skel.index_at(span[0]), skel.index_at(span[1])
    matches = find_rows(text, skel, span, list(schema.ACTIVE.rows))
    col_misprints: list = []
    col_events = _column_events(skel, lo, hi, col_misprints)
    keys = [k for _, k in col_events]
    n19 = sum(k in _ONLY_2019 for k in keys)
    n21 = sum(k in _ONLY_2021 for k in keys)
    default = "2019" if n19 > n21 else "2021"
    markers = [skel.source_start(m.start()) for m in re.finditer("第二十条|信息内容", skel.text[:hi])
               if m.start() >= lo]
    events = sorted([(skel.source_start(k), "col", key) for k, key in col_events]
                    + [(m.start, "row", m.row) for m in matches]
                    + [(p, "marker", "") for p in markers])
    row_cols = _row_columns(events, default)
    boundaries = sorted([m.start for m in matches] + markers
                        + [skel.source_start(k) for k, _ in col_events])
    used = [t for t, _ in row_cols.values()]
    if used:  # rows the table does not print are those of the template most rows follow
        default = max(("2021", "2019"), key=used.count)
    segments, templates_used = [], []
    by_row = {m.row: m for m in matches}
    findings: list[Finding] = [
        labels.finding("active", m.misprint, schema.ACTIVE.row(m.row).zh, row=m.row)
        for m in matches if m.misprint]
    findings += [labels.finding("active", p, schema.ACTIVE.column(k).zh, column=k)
                 for p, k in col_misprints]
    missing: dict[tuple[str, str], Placement] = {}
    for row in schema.ACTIVE.rows:
        m = by_row.get(row.key)
        if m is None:
            if default in row.templates:
                for c in row.columns[default]:
                    missing[(row.key, c)] = Placement(None, "", "missing", lines.line(span[0]),
                                                      "row not printed")
            continue
        t, cols = row_cols[row.key]
        templates_used.append(t)
        grid_header = grid.find_header(text, max(span[0], m.start - HEADER_REACH), m.start,
                                       _ACTIVE_VARIANTS, cols, nearest=True)
        nxt = next_start(boundaries, m.start, span[1])
        after, stop = m.numbers_span(nxt)
        placed = grid_header and grid.row_tokens(text, m.start, after, grid_header, cols)
        if placed:
            findings += several_numbers("active", row.key, cols, placed)
            segments.append(Segment("active", [(row.key, c) for c in cols],
                                    [t for t in placed if t is not None], False,
                                    lines.line(m.start), label=row.key, positions=placed))
            continue
        tokens = numbers_after(text, after, stop)
        segments.append(Segment("active", [(row.key, c) for c in cols], tokens, False,
                                lines.line(m.start), label=row.key))
    result = finalize("active", None, segments, [], [m.row for m in matches], findings,
                       deadline=deadline)
    for cell, p in result.cells.items():
        _check_unit(cell, p, result)
    result.cells.update({c: p for c, p in missing.items() if c not in result.cells})
    kinds = set(templates_used)
    result.template = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else None)
    return result


def _check_unit(cell, p: Placement, result: TableResult):
    """Amounts are in 万元; a cell printed in 元 is kept as raw, its value missing (unless 0)."""
    in_yuan = p.raw.endswith("元") and not p.raw.endswith("万元")
    if cell[1] == "amount" and p.value is not None and p.value != 0 and in_yuan:
        p.value, p.status = None, "missing"
        p.note = "printed in 元, the column is in 万元; kept as raw"
        result.findings.append(Finding(
            rule="unit", table="active", row=cell[0], column=cell[1],
            message=f"{cell[0]}/{cell[1]} printed '{p.raw}' in 元 where the table asks for 万元"))


# Characters of a table's span that are read: a table runs to a few thousand even when torn
# apart with page furniture, so what lies beyond is not part of it (a text that prints a
# heading and then megabytes of numbers is read in milliseconds, not seconds).
MAX_TABLE_CHARS = 100_000
# Seconds of search a report's placement may take in all; a search still running then
# stops, and the cells it has not settled are missing (see ``placement``).
BUDGET = 0.5


def read_tables(text: str, sections: Sections, lines: LineIndex,
                budget: float = BUDGET) -> dict[str, TableResult]:
    deadline = time.process_time() + budget
    skel = Skeleton(text)
    out = {}
    readers = {"active": read_active, "requests": read_requests, "reviews": read_reviews}
    for name, reader in readers.items():
        if name in sections.tables:
            start, end = sections.tables[name]
            out[name] = reader(text, skel, lines, (start, min(end, start + MAX_TABLE_CHARS)),
                               deadline)
    return out
