"""Which search settles a table's cells, and the exact one.

In: the segments of one table with their readings (after each row's own identities), the
identities whose cells are all there, and a deadline. Out: for each cell, the value every
best solution gives it or the list of values that fit, and per segment the readings that
take part in a best solution, where known.

A best solution is a choice of one reading per segment (and a value per blank) that breaks
identities of the least weight (``weights``). Small problems without blanks are
enumerated (``enumerate_best``); otherwise intervals (``bounds``) set aside readings and
settle what they can, and the integer program (``solver``) does the rest.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping
from decimal import Decimal

from .bounds import propagate, prune
from .segments import Cell, Outcome
from .weights import value_order, weight

MAX_COMBINATIONS = 4096  # exact enumeration up to this many; the integer program beyond

# cell -> its value in every best solution, or the values that fit; id(segment) -> the
# readings that take part in a best solution, where known
Solved = tuple[Mapping[Cell, object], dict[int, list]]


def solve(segments, seg_readings, idents, result: Outcome,
          deadline: float | None = None) -> Solved:
    """(cell -> value shared by every best solution, or a list of alternatives;
    id(segment) -> the readings that take part in a best solution, where known)."""
    live = [(s, rs) for s, rs in zip(segments, seg_readings, strict=True) if rs]
    if not idents:
        return _agree_per_segment(live), {}
    has_blank = any(p.blank for _, rs in live for r in rs for p in r)
    n_comb = math.prod(len(rs) for _, rs in live)
    missing_cells = {c for s, rs in zip(segments, seg_readings, strict=True) if not rs for c in s.cells}
    if not has_blank and not missing_cells and n_comb <= MAX_COMBINATIONS:
        return enumerate_best(live, idents, result)
    full = live
    if n_comb > 1:
        # Readings no solution keeping every identity can use are set aside; if some
        # solution keeps them all, the best solutions are among what is left.
        pruned = prune(live, idents, missing_cells, deadline)
        if pruned is not None:
            live = pruned
            n_comb = math.prod(len(rs) for _, rs in live)
    settled: dict[Cell, Decimal] = {}
    if n_comb == 1:
        settled, unique = propagate(live, idents, missing_cells)
        if unique:
            return settled, {id(seg): rs for seg, rs in live}
    started = time.process_time()
    from .solver import solve_table  # noqa: PLC0415 - SciPy only when needed

    if deadline is not None:  # loading SciPy the first time is not the search's time
        deadline += time.process_time() - started

    if live is not full:
        solved = solve_table(live, idents, missing_cells, result, settled, deadline,
                             need_best=0)
        if solved is not None:  # a solution keeps every identity: the pruning was sound
            return solved, {id(seg): rs for seg, rs in live}
        settled = {}
    return solve_table(full, idents, missing_cells, result, settled, deadline), {}


def _agree_per_segment(live) -> dict[Cell, object]:
    """Without identities a cell is known when every reading of its row agrees on it."""
    out: dict[Cell, object] = {}
    for seg, rs in live:
        for j, cell in enumerate(seg.cells):
            vals = {r[j].value for r in rs}
            out[cell] = vals.pop() if len(vals) == 1 else sorted(vals, key=value_order)
    return out


def enumerate_best(live, idents, result: Outcome) -> Solved:
    """Exact: score every combination of readings by the identities it breaks.

    Only rows with several readings vary, and only the identities that touch them can
    change from one combination to the next, so each identity is reduced beforehand to a
    constant and, for each varying row, what each of its readings adds to it.
    """
    cells = [c for s, _ in live for c in s.cells]
    base = {cell: part.value for seg, rs in live for cell, part in zip(seg.cells, rs[0], strict=True)}
    varying = [s for s, (_, rs) in enumerate(live) if len(rs) > 1]
    if not varying:  # one reading of every row: the one solution, whatever it breaks
        return base, {id(seg): rs for seg, rs in live}
    slot = {s: v for v, s in enumerate(varying)}
    fixed_score, moving = _reduced(live, idents, base, slot)
    best_score, best_combos = None, []
    for combo in itertools.product(*(range(len(live[s][1])) for s in varying)):
        score = fixed_score
        for cost, const, terms in moving:
            if const + sum(adds[combo[v]] for v, adds in terms) != 0:
                score += cost
        if best_score is None or score < best_score:
            best_score, best_combos = score, [combo]
        elif score == best_score:
            best_combos.append(combo)
    best_vals = []
    for combo in best_combos:
        values = dict(base)
        for v, s in enumerate(varying):
            seg, rs = live[s]
            values.update(zip(seg.cells, (p.value for p in rs[combo[v]]), strict=True))
        best_vals.append(values)
    out: dict[Cell, object] = {}
    for cell in cells:
        vals = {v[cell] for v in best_vals}
        out[cell] = vals.pop() if len(vals) == 1 else sorted(vals, key=value_order)
    survivors = {id(seg): [rs[k] for k in sorted({combo[slot[i]] for combo in best_combos})]
                 if i in slot else [rs[0]] for i, (seg, rs) in enumerate(live)}
    result.broken = best_score or 0
    return out, survivors


def _reduced(live, idents, base: dict, slot: dict[int, int]) -> tuple[int, list]:
    """(the weight of the identities no varying row touches that ``base`` breaks, and per
    identity a varying row touches: (weight, constant, [(varying slot, what each of the
    row's readings adds)])). ``slot``: segment -> its place among the varying ones."""
    owner = {cell: s for s, (seg, _) in enumerate(live) for cell in seg.cells}
    fixed_score = 0
    moving = []
    for ident in idents:
        signed = [(c, 1) for c in ident.lhs] + [(c, -1) for c in ident.rhs]
        const = sum(sign * base[c] for c, sign in signed if owner[c] not in slot)
        terms = []
        for s in sorted({owner[c] for c, _ in signed if owner[c] in slot}):
            seg, rs = live[s]
            at = [(seg.cells.index(c), sign) for c, sign in signed if owner[c] == s]
            terms.append((slot[s], [sum(sign * r[j].value for j, sign in at) for r in rs]))
        if terms:
            moving.append((weight(ident), const, terms))
        elif const != 0:
            fixed_score += weight(ident)
    return fixed_score, moving
