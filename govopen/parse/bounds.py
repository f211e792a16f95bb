"""Intervals over a table's identities, before any search: what they force, and which
readings they rule out.

In: ``live``, each segment paired with its readings, the table's identities, and the cells
no reading fills. Out: ``propagate`` — with one reading of every row, the values the
identities force on the blanks (and whether that is the only solution keeping them all);
``prune`` — the readings that can take part in a solution keeping every identity.

Each identity is one linear equation sum(k * cell) = 0 (``equation``); an unknown lies
between what the other terms can sum to (``narrow``), and intervals narrow until nothing
changes. The intervals only ever rule out what no solution keeping every identity has,
so what they leave holds for all of those.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable
from decimal import Decimal
from typing import TypeVar

from ..schema import Identity
from .segments import SIGNED, Cell

Key = TypeVar("Key", bound=Hashable)  # a cell, or a cell's position in its row

MAX_PASSES = 64  # of bound propagation; each pass that changes a bound narrows an interval


def propagate(live, idents, missing_cells) -> tuple[dict[Cell, Decimal], bool]:
    """With one reading of every row, the blank cells as unknowns: (the values the
    identities force on any solution that keeps them all, whether that is the only one).

    Each identity is a linear equation and each unknown a whole number ≥ 0 (or any whole
    number where a negative can stand), so an unknown lies between what the equation's other
    terms can sum to; intervals narrow until nothing changes. When every unknown narrows to
    one value and all identities then hold, that is the only solution keeping them all, and
    so the only best one. Otherwise the values hold for every solution that keeps every
    identity — if there is one, which the integer program finds out — and ({}, False) when
    the intervals show that none does.
    """
    inf = float("inf")
    values: dict[Cell, Decimal] = {}
    lo: dict[Cell, float] = {}
    hi: dict[Cell, float] = {}
    for seg, rs in live:
        signed = SIGNED[seg.table]
        for cell, part in zip(seg.cells, rs[0], strict=True):
            if part.blank:
                lo[cell], hi[cell] = (-inf if cell[1] in signed else 0.0), inf
            else:
                values[cell] = part.value
    for cell in missing_cells:
        lo[cell], hi[cell] = 0.0, inf
    equations = [equation(ident) for ident in idents]
    for _ in range(MAX_PASSES):
        changed = False
        for terms in equations:
            changed = narrow(terms, values, lo, hi) or changed
        if any(lo[c] > hi[c] for c in lo):
            return {}, False  # no values keep every identity
        if not changed:
            break
    forced = {c: values[c] for c in lo if c in values}
    if len(forced) < len(lo):
        return forced, False
    for ident in idents:
        if sum(values[c] for c in ident.lhs) != sum(values[c] for c in ident.rhs):
            return {}, False
    return values, True


def prune(live, idents, missing_cells, deadline: float | None = None):
    """The readings of each segment that can take part in a solution keeping every
    identity, as far as intervals tell: (segment, readings) pairs, or None when nothing
    was set aside, some segment would be left without a reading, or ``deadline`` passed.

    A cell's interval spans its values over its segment's readings (a blank: 0 or more; a
    cell no reading fills: 0 or more). A reading is set aside when, with its own values and
    every other cell anywhere in its interval, some identity cannot balance. Repeated until
    nothing changes.
    """
    readings = [list(rs) for _, rs in live]
    equations = _by_segment(live, idents)
    touching: list[list[int]] = [[] for _ in live]
    for e, (by_seg, _) in enumerate(equations):
        for s in by_seg:
            touching[s].append(e)
    dropped = False
    for _ in range(MAX_PASSES):
        if deadline is not None and time.process_time() > deadline:
            return None
        # the spans of a pass are those it starts with, whatever it sets aside on its way
        spans = [{s: _span(readings[s], terms) for s, terms in by_seg.items()}
                 for by_seg, _ in equations]
        changed = False
        for s in range(len(live)):
            if len(readings[s]) < 2:
                continue
            keep = [r for r in readings[s]
                    if all(_fits(s, r, equations[e], spans[e]) for e in touching[s])]
            if not keep:
                return None
            if len(keep) < len(readings[s]):
                readings[s], changed, dropped = keep, True, True
        if not changed:
            break
    if not dropped:
        return None
    return [(seg, rs) for (seg, _), rs in zip(live, readings, strict=True)]


# per identity: {segment: [(cell position, k)]}, and the k of its cells no reading fills
Equation = tuple[dict[int, list[tuple[int, int]]], list[int]]


def _by_segment(live, idents) -> list[Equation]:
    """Each identity as an equation whose terms are grouped by the segment of their cell."""
    owner = {c: s for s, (seg, _) in enumerate(live) for c in seg.cells}
    index = [{c: j for j, c in enumerate(seg.cells)} for seg, _ in live]
    equations = []
    for ident in idents:
        by_seg: dict[int, list[tuple[int, int]]] = {}
        free = []
        for c, k in equation(ident):
            if c in owner:
                by_seg.setdefault(owner[c], []).append((index[owner[c]][c], k))
            else:
                free.append(k)
        equations.append((by_seg, free))
    return equations


def _span(readings, terms, parts=None) -> tuple[float, float]:
    """What a segment adds to an equation: from one reading (``parts``), or from all of
    its ``readings``."""
    inf = float("inf")
    low = high = 0.0
    for j, k in terms:
        if parts is not None:
            v = parts[j].value
            a, b = (0.0, inf) if v is None else (float(v), float(v))
        else:
            vals = [r[j].value for r in readings]
            if any(v is None for v in vals):
                a, b = min([0.0] + [float(v) for v in vals if v is not None]), inf
            else:
                a, b = float(min(vals)), float(max(vals))
        low += k * a if k > 0 else k * b
        high += k * b if k > 0 else k * a
    return low, high


def _fits(s: int, reading, eq: Equation, spans: dict[int, tuple[float, float]]) -> bool:
    """Whether equation ``eq`` can balance with segment ``s`` read as ``reading`` and every
    other segment anywhere in its span."""
    inf = float("inf")
    by_seg, free = eq
    low, high = _span([], by_seg[s], reading)
    for t, (t_lo, t_hi) in spans.items():
        if t != s:
            low, high = low + t_lo, high + t_hi
    for k in free:  # a cell no reading fills: 0 or more
        low, high = (low, inf) if k > 0 else (-inf, high)
    return not (low > 0 or high < 0)


def equation(ident: Identity) -> list[tuple[Cell, int]]:
    """An identity as one equation sum(k * cell) = 0: each cell with its coefficient."""
    coef: dict[Cell, int] = {}
    for c in ident.lhs:
        coef[c] = coef.get(c, 0) + 1
    for c in ident.rhs:
        coef[c] = coef.get(c, 0) - 1
    return [(c, k) for c, k in coef.items() if k]


def narrow(terms: list[tuple[Key, int]], values: dict[Key, Decimal], lo: dict[Key, float],
           hi: dict[Key, float]) -> bool:
    """Narrow the unknowns of one equation sum(k * x) = 0 by what its other terms can sum
    to; an unknown narrowed to one value joins ``values``. Whether anything changed."""
    inf = float("inf")
    # the least and most each term can add, kept as a finite sum and a count of infinities
    low = high = 0.0
    low_inf = high_inf = 0
    spans = []
    for c, k in terms:
        a, b = (float(values[c]),) * 2 if c in values else (lo[c], hi[c])
        t_lo, t_hi = (k * a, k * b) if k > 0 else (k * b, k * a)
        spans.append((t_lo, t_hi))
        if t_lo == -inf:
            low_inf += 1
        else:
            low += t_lo
        if t_hi == inf:
            high_inf += 1
        else:
            high += t_hi
    changed = False
    for (c, k), (t_lo, t_hi) in zip(terms, spans, strict=True):
        if c in values:
            continue
        # the other terms sum to between rest_lo and rest_hi; k * x = -(that sum)
        rest_lo = -inf if low_inf - (t_lo == -inf) else low - (0.0 if t_lo == -inf else t_lo)
        rest_hi = inf if high_inf - (t_hi == inf) else high - (0.0 if t_hi == inf else t_hi)
        new_lo, new_hi = (-rest_hi / k, -rest_lo / k) if k > 0 else (-rest_lo / k, -rest_hi / k)
        if new_lo > lo[c] + 1e-9:
            lo[c], changed = float(math.ceil(new_lo - 1e-9)), True
        if new_hi < hi[c] - 1e-9:
            hi[c], changed = float(math.floor(new_hi + 1e-9)), True
        if lo[c] == hi[c]:
            values[c] = Decimal(int(lo[c]))
    return changed
