"""An OCR'd report's cells → the same cells with what OCR may have misread made unknown.

In: the cell rows of a report read from a scan (``Document.format == 'scan'``), its
findings, the templates of its tables, the number cells OCR read (``read.ocr.OcrCell``)
and where they stand (``locate``). Out: cell rows and findings in which

* every cell OCR did not print for want of confidence (it prints ``read.ocr.UNSURE_MARK``,
  a number the parser cannot know) has an ``ocr_low_confidence`` finding saying what OCR
  read there and how sure it was; the parser saw it as unknown, so it is missing, or
  inferred where the identities force it;
* a number of a table that no identity checks (section 二) is kept only when OCR read it
  with every digit at least ``MIN_UNCONFIRMED_SCORE`` sure, stricter than the threshold
  for printing it; otherwise it is missing, with an ``ocr_low_confidence`` finding;
* every identity that fails turns its parsed and inferred cells into missing, with one
  ``ocr_misread`` finding naming them: on a scan a failing sum is far more often a digit
  OCR misread than a misprint, and which of its cells is wrong the sum cannot say. The
  identity's own finding is replaced by it. An inferred cell that shares an identity with
  a cell made missing was worked out from it, and is made missing too.

Where the cells stand is found by parsing the text once more with a distinct sentinel
number in each of their positions (``locate``): the parser's own reading of the
tables decides which cell each position is, as it does for every other number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from .. import schema
from ..fields import CELL_COLUMNS
from ..findings import Finding

_TABLE, _ROW, _COL = (CELL_COLUMNS.index(k) for k in ("table", "row", "column"))
_VALUE, _RAW, _STATUS, _LINE, _NOTE = (CELL_COLUMNS.index(k)
                                       for k in ("value", "raw", "status", "line", "note"))
_SENTINEL = 987_650  # sentinels are this plus 0, 1, 2 …: no report prints such counts
# The confidence every digit of a number no identity checks must have for it to be kept.
# Measured (benchmarks/ocr_accuracy.py --sweep): on the seeds no section 二 number was
# wrong even kept at any score, so this is a margin, not a measured need: an identity
# catches a misread of section 三 or 四, nothing catches one of section 二. It costs 2 to
# 3 cells in 950 (0.95 cost 8, 0.98 cost 35).
MIN_UNCONFIRMED_SCORE = 0.9


def sentinel_text(text: str, cells: Iterable) -> tuple[str, dict[str, tuple[int, int]]]:
    """``text`` with a distinct number in every OCR'd number cell's position, and the
    position (line, field) of each number."""
    lines = text.split("\n")
    where: dict[str, tuple[int, int]] = {}
    for k, cell in enumerate(cells):
        if cell.line > len(lines):
            continue
        fields = lines[cell.line - 1].split("\t")
        if cell.field < len(fields):
            mark = str(_SENTINEL + k)
            fields[cell.field] = mark
            lines[cell.line - 1] = "\t".join(fields)
            where[mark] = (cell.line, cell.field)
    return "\n".join(lines), where


def locate(text: str, cells: tuple, parse: Callable[[str], list[tuple]]
           ) -> dict[tuple[int, int], tuple[str, str, str]]:
    """(line, field) of each OCR'd number cell → its (table, row, column), where the
    parser places a number printed there. ``parse`` turns a text into cell rows."""
    if not cells:
        return {}
    probe, where = sentinel_text(text, cells)
    try:
        rows = parse(probe)
    except Exception:  # noqa: BLE001 - the probe only locates; the report stands without it
        return {}
    out = {}
    for r in rows:
        pos = where.get(r[_RAW])
        if pos is not None and r[_LINE] == pos[0]:
            out[pos] = (r[_TABLE], r[_ROW], r[_COL])
    return out


def review(cell_rows: list[tuple], findings: list[Finding], templates: dict,
           cells: tuple, located: dict, *, min_unconfirmed: float | None = None
           ) -> tuple[list[tuple], list[Finding]]:
    """The cells and findings of an OCR'd report, reviewed as the module docstring says
    (``min_unconfirmed``: ``MIN_UNCONFIRMED_SCORE`` unless given)."""
    if min_unconfirmed is None:
        min_unconfirmed = MIN_UNCONFIRMED_SCORE
    rows = {(r[_TABLE], r[_ROW], r[_COL]): list(r) for r in cell_rows}
    # the parser's own finding on an unsure cell's mark is said better below
    unsure_at = {located[(c.line, c.field)] for c in cells
                 if not c.printed and (c.line, c.field) in located}
    out = [f for f in findings if f.rule not in schema.RULES
           and not (f.rule == "misread_number" and (f.table, f.row, f.column) in unsure_at)]
    unchecked = {t for t in schema.TABLES if not schema.identities(t, templates.get(t) or "2021")}
    for cell in cells:
        key = located.get((cell.line, cell.field))
        if cell.printed:
            if key in rows and key[0] in unchecked and cell.score < min_unconfirmed \
                    and rows[key][_STATUS] == "parsed":
                row = rows[key]
                row[_VALUE], row[_STATUS] = float("nan"), "missing"
                row[_NOTE] = _joined(row[_NOTE], f"OCR read {cell.text!r} here; no identity "
                                     "checks it and OCR was not sure enough to keep it")
                out.append(Finding(
                    rule="ocr_low_confidence", table=key[0], row=key[1], column=key[2],
                    message=f"{'/'.join(key)}: OCR read {cell.text!r} (lowest digit "
                            f"confidence {cell.score:.2f}); no identity checks this cell, "
                            f"and below {min_unconfirmed} it is not kept: missing"))
            continue
        if key is None or key not in rows:
            out.append(Finding(
                rule="ocr_low_confidence", table="", row="", column="",
                message=f"line {cell.line}, cell {cell.field + 1}: OCR read {cell.text!r} "
                        f"(lowest digit confidence {cell.score:.2f}); not read"))
            continue
        row = rows[key]
        out.append(Finding(
            rule="ocr_low_confidence", table=key[0], row=key[1], column=key[2],
            message=f"{'/'.join(key)}: OCR read {cell.text!r} (lowest digit confidence "
                    f"{cell.score:.2f}), too unsure to print; the cell is {row[_STATUS]}"))
        row[_NOTE] = _joined(row[_NOTE], f"OCR read {cell.text!r} here, too unsure to print")
    out.extend(_misreads(rows, templates))
    return [tuple(r) for r in rows.values()], out


def _misreads(rows: dict[tuple, list], templates: dict) -> list[Finding]:
    found: list[Finding] = []
    nan = float("nan")
    for table in schema.TABLES:
        idents = schema.identities(table, templates.get(table) or "2021")
        cleared: set[tuple[str, str]] = set()
        for ident in idents:
            maybe = [_value(rows.get((table, *c))) for c in ident.cells]
            vals = [v for v in maybe if v is not None]
            if len(vals) < len(maybe):
                continue
            left = sum(vals[:len(ident.lhs)], Decimal(0))
            right = sum(vals[len(ident.lhs):], Decimal(0))
            if left == right:
                continue
            named = [c for c in ident.cells if rows[(table, *c)][_STATUS] != "missing"]
            cleared.update(named)
            found.append(Finding(
                rule="ocr_misread", table=table, row=ident.row, column=ident.column,
                message=f"{ident.description} fails as read by OCR ({_num(left)} ≠ "
                        f"{_num(right)}): one of its cells is likely misread, so none is "
                        f"kept: {', '.join(f'{r}/{c}' for r, c in named)}"))
        # what was worked out from a cleared cell goes with it
        while True:
            more = {c for ident in idents if cleared & set(ident.cells) for c in ident.cells
                    if c not in cleared and (table, *c) in rows
                    and rows[(table, *c)][_STATUS] == "inferred"}
            if not more:
                break
            cleared |= more
        for c in cleared:
            row = rows[(table, *c)]
            row[_VALUE], row[_STATUS] = nan, "missing"
            row[_NOTE] = _joined(row[_NOTE], "an identity through this cell fails as read by "
                                 "OCR (see ocr_misread): likely misread, not kept")
    return found


def _value(row: list | None) -> Decimal | None:
    if row is None or row[_STATUS] == "missing" or row[_VALUE] != row[_VALUE]:
        return None
    return Decimal(repr(float(row[_VALUE])))


def _joined(note: str, more: str) -> str:
    return f"{note}; {more}" if note else more


def _num(v: Decimal) -> str:
    s = format(v, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s
