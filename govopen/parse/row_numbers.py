"""What the readers of the three tables share: a row's numbers, and placing them.

In: the text and offsets of a row (after its label), or the ``Segment`` s of a table. Out:

* ``numbers_after`` — the number tokens a row prints after its label (skipping the rest
  of a label printed in words of its own); ``next_start`` — where the next row starts;
* ``misread_after``, ``several_numbers``, ``stray`` — findings about numbers that are
  not read: a letter where a digit belongs, a cell that prints several numbers, rows of
  numbers that belong to no row;
* ``finalize`` — a table's segments placed into cells (``placement``, glued cells told by
  ``is_glued``) as a ``TableResult``: template, cells, findings, the rows found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import schema
from ..findings import Finding
from . import grid, torn
from .placement import Placement, Segment, place
from .text import Token, read_numbers

_LABEL_SKIP = re.compile(r"[^\d\n。;；]{0,40}?(?=[\d\-—/无]|\n|$)")

HEADER_REACH = 600  # characters above a table's first row where its column headers stand


@dataclass
class TableResult:
    name: str
    template: str | None
    cells: dict[tuple[str, str], Placement]
    findings: list[Finding]
    rows_found: list[str]


def next_start(starts: list[int], start: int, end: int) -> int:
    """The first of the sorted ``starts`` after ``start``; ``end`` when there is none."""
    k = bisect.bisect_right(starts, start)
    return starts[k] if k < len(starts) else end


def numbers_after(text: str, start: int, stop: int) -> list[Token]:
    tokens = read_numbers(text, start, stop)
    if tokens:
        return tokens
    # the rest of a label printed in words of its own ('…不计其他情形）'): skip it on its line
    m = _LABEL_SKIP.match(text, start, stop)
    if m and m.end() > start:
        return read_numbers(text, m.end(), stop)
    return []


def is_glued(segments: list[Segment]) -> bool:
    """Cells run together somewhere in the table: a token with a leading zero, or — in a
    table where no row prints two numbers apart, so nothing shows that blanks part the
    cells — one token that is as long as the row has cells ('38' for two cells is 38
    beside a blank where other rows print '0 -14')."""
    long_alone = False
    for seg in segments:
        for t in seg.tokens:
            if not t.is_placeholder and len(t.int_digits) > 1 and t.int_digits[0] == "0":
                return True
        if len(seg.tokens) == 1 and len(seg.cells) > 1 and len(seg.tokens[0].int_digits) >= len(seg.cells):
            long_alone = True
    return long_alone and not any(len(seg.tokens) > 1 and seg.given is None and seg.origin == ""
                                  for seg in segments)


def finalize(name, template, segments, idents, rows_found, extra_findings, glued=None,
              deadline=None):
    glued = is_glued(segments) if glued is None else glued
    for seg in segments:
        seg.glued = glued
    outcome = place(segments, idents, deadline)
    fractions = counts_with_fractions(name, outcome.cells)
    return TableResult(name, template, outcome.cells,
                       extra_findings + outcome.findings + fractions, rows_found)


def counts_with_fractions(table: str, cells: dict[tuple[str, str], Placement]) -> list[Finding]:
    """Counts are whole numbers: a count cell holding a fraction ('3.1', a label's
    enumerator read into a cell, or a misread digit) is missing, and so is every cell of
    its row and column inferred from it, with a finding. Cells are changed in place."""
    units = {c.key: c.unit for c in schema.TABLES[table].columns} if table in schema.TABLES else {}
    bad = [(row, col) for (row, col), p in cells.items()
           if units.get(col) == "count" and p.value is not None and p.value != p.value.to_integral_value()]
    out = []
    for row, col in bad:
        p = cells[(row, col)]
        out.append(Finding(rule="unreadable_number", table=table, row=row, column=col,
                           message=f"{table}/{row}/{col}: the cell reads '{p.raw or p.value}', a "
                                   "fraction where a count belongs; its value is not read"))
        cells[(row, col)] = Placement(None, p.raw, "missing", p.line,
                                      "a fraction where a count belongs: not read", p.start)
        for (r, c), q in list(cells.items()):
            if q.status == "inferred" and (r == row or c == col):
                cells[(r, c)] = Placement(None, q.raw, "missing", q.line,
                                          f"inferred from {row}/{col}, which is not read", q.start)
    return out


# digits and letters OCR reads for digits, right after a row's numbers
_AFTER_MISREAD = re.compile(r"[\s|]*([\d,.]*[OolIZSB][\dOolIZSB,.]*)(?![A-Za-z])")


def misread_after(text: str, tokens: list[Token], start: int, stop: int) -> str:
    """The misread number ('l', '1O') that ended a row's numbers, or ''. Read as the end
    of the row, it would cut the row short and make its last number before it the 总计."""
    at = tokens[-1].end if tokens else start
    m = _AFTER_MISREAD.match(text, at, stop)
    return m.group(1) if m else ""


def several_numbers(table: str, row: str, cols, placed: list[Token | None]) -> list[Finding]:
    """A finding for each grid cell that prints several numbers ('1 2': a number split by a
    space, or two values where one belongs) or a misread one ('l', '1O'): its value is not
    taken from it."""
    out = []
    for col, t in zip(cols, placed, strict=True):
        if t is None or t.value is not None:
            continue
        if t.unreadable:
            rule, what = "unreadable_number", t.unreadable
        elif " " in t.raw and any(ch.isdigit() for ch in t.raw):
            rule, what = "several_numbers", "several numbers in one cell"
        elif grid.MISREAD.fullmatch(t.raw):
            rule, what = "misread_number", "a letter where a digit belongs"
        else:
            continue  # a placeholder ('—', '无')
        shown = t.raw if len(t.raw) <= 20 else t.raw[:17] + "…"
        out.append(Finding(rule=rule, table=table, row=row, column=col,
                        message=f"{table}/{row}/{col}: the cell prints '{shown}', {what}; "
                                "its value is not read from it"))
    return out


def stray(spare: list[torn.Line], table: str) -> list[Finding]:
    """Rows of numbers in a table's span that belong to no row: said, and left out."""
    return [Finding(rule="stray_numbers", table=table, row="", column="",
                 message=f"numbers on line {ln.number} ('{ln.shown}') belong to no row; "
                         "left out") for ln in spare]
