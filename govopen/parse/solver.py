"""The integer program behind ``placement`` for tables with blank cells or many readings.

In: the segments of one table with their readings, the identities, and the cells no
reading could fill. Out: for each cell, the value every best solution gives it, or the
list of values that fit (with findings for those).

Variables: one binary per reading (which reading of each segment is true), one integer
per cell, a non-negative unknown per cell that some reading leaves blank, and one binary
per identity that may be broken. The objective counts broken identities (a row's own
total weighs more than any column sum), so a report whose printed numbers cannot all be
consistent still yields what its consistent part determines. A cell is *forced* when,
among solutions breaking no more than the best, HiGHS proves no other value possible.
Solutions are checked again in exact integer arithmetic; anything the check cannot
confirm counts as undetermined — the safe side.
"""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack, lil_matrix

from .weights import value_order, weight

TIME_LIMIT = 5.0


class OutOfTime(list):
    """The alternatives of a cell the search had no time left to settle: none known."""


def solve_table(live, idents, missing_cells, result, settled=None, deadline=None,
                need_best: int | None = None) -> dict | None:
    """cell -> its value in every best solution, or a list of the values that fit.

    ``settled``: values that every solution keeping all identities gives (from bound
    propagation); they need no proof when the best solution keeps every identity.
    ``deadline``: a ``time.process_time()`` reading; the search stops there, and cells it
    has not settled come back as ``OutOfTime`` (with a finding in ``result``).
    ``need_best``: when the best solution breaks identities of more weight, or there is
    none, None comes back instead (the caller then solves a larger problem)."""
    settled = settled or {}

    cells = [c for seg, _ in live for c in seg.cells] + sorted(missing_cells)
    printed = [abs(p.value) for _, rs in live for r in rs for p in r if not p.blank]
    big = float(max(printed, default=0) * 4 + 10)
    nv = 0
    xvar: list[list[int | None]] = []
    for _, rs in live:
        if len(rs) > 1:
            xvar.append(list(range(nv, nv + len(rs))))
            nv += len(rs)
        else:
            xvar.append([None])
    vvar = {c: nv + i for i, c in enumerate(cells)}
    nv += len(cells)
    blank_cells = {c for seg, rs in live for j, c in enumerate(seg.cells)
                   if any(r[j].blank for r in rs)} | set(missing_cells)
    uvar = {c: nv + i for i, c in enumerate(sorted(blank_cells))}
    nv += len(uvar)
    zvar = {k: nv + k for k in range(len(idents))}
    nv += len(idents)

    rows, lo, hi = [], [], []

    def add(coefs: dict[int, float], lb: float, ub: float):
        rows.append(coefs)
        lo.append(lb)
        hi.append(ub)

    for s, (seg, rs) in enumerate(live):
        if xvar[s][0] is not None:
            add({x: 1.0 for x in xvar[s]}, 1, 1)
        for j, cell in enumerate(seg.cells):
            coefs: dict[int, float] = {vvar[cell]: 1.0}
            const = 0.0
            for k, r in enumerate(rs):
                val = 0.0 if r[j].blank else float(r[j].value)
                if xvar[s][0] is None:
                    const += val
                elif val:
                    coefs[xvar[s][k]] = coefs.get(xvar[s][k], 0.0) - val
            if cell in uvar:
                coefs[uvar[cell]] = -1.0
                blanks = [k for k, r in enumerate(rs) if r[j].blank]
                if xvar[s][0] is not None:
                    add({uvar[cell]: 1.0, **{xvar[s][k]: -big for k in blanks}}, -np.inf, 0)
            add(coefs, const, const)
    for cell in missing_cells:
        add({vvar[cell]: 1.0, uvar[cell]: -1.0}, 0, 0)
    for k, ident in enumerate(idents):
        coefs = {}
        for c in ident.lhs:
            coefs[vvar[c]] = coefs.get(vvar[c], 0.0) + 1.0
        for c in ident.rhs:
            coefs[vvar[c]] = coefs.get(vvar[c], 0.0) - 1.0
        m = big * (len(ident.lhs) + len(ident.rhs))
        add({**coefs, zvar[k]: -m}, -np.inf, 0)
        add({**coefs, zvar[k]: m}, 0, np.inf)

    weights = np.zeros(nv)
    for k, ident in enumerate(idents):
        weights[zvar[k]] = weight(ident)
    integrality = np.zeros(nv)
    lb = np.zeros(nv)
    ub = np.full(nv, np.inf)
    for xs in xvar:
        for x in xs:
            if x is not None:
                integrality[x], ub[x] = 1, 1
    for c in cells:
        integrality[vvar[c]] = 1
        ub[vvar[c]] = big * len(cells)
    for c in uvar:
        ub[uvar[c]] = big
    for z in zvar.values():
        integrality[z], ub[z] = 1, 1
    a = lil_matrix((len(rows), nv))
    for i, coefs in enumerate(rows):
        for j, v in coefs.items():
            a[i, j] = v
    base = [LinearConstraint(a.tocsr(), np.array(lo), np.array(hi))]
    bounds = Bounds(lb, ub)
    fixed = {}  # cells every reading prints the same: every solution has their value
    for seg, rs in live:
        for j, c in enumerate(seg.cells):
            if c not in blank_cells and len({r[j].value for r in rs}) == 1:
                fixed[c] = rs[0][j].value

    def run(objective, constraints, kinds=None, box=None):
        """milp within what is left of the budget; None when no time is left."""
        left = TIME_LIMIT if deadline is None else min(TIME_LIMIT, deadline - time.process_time())
        if left <= 0:
            return None
        res = milp(objective, constraints=constraints,
                   integrality=integrality if kinds is None else kinds,
                   bounds=bounds if box is None else box,
                   options={"time_limit": left, "presolve": True})
        return None if res.status == 1 else res  # 1: the time limit was reached

    def out_of_time(proven: dict) -> dict:
        result.findings.append(dict(
            rule="placement_budget", severity="warning", table=live[0][0].table if live else "",
            row="", column="", message="the search for the values that fit the identities ran "
            "out of its time budget; the cells it had not settled are missing"))
        return {c: proven.get(c, fixed.get(c, OutOfTime())) for c in cells}

    first = run(weights, base)
    if first is None:
        return out_of_time({})
    if first.status != 0:
        return None if need_best is not None else {c: fixed.get(c, []) for c in cells}
    best = round(first.fun)
    result.broken = best
    if need_best is not None and best > need_best:
        return None
    cap = LinearConstraint(weights.reshape(1, -1), -np.inf, best + 0.5)
    star = {c: round(first.x[vvar[c]]) for c in cells}
    if not _verified(first.x, live, xvar, uvar, idents, best, weight):
        return {c: fixed.get(c, []) for c in cells}
    if best == 0:  # the best solutions keep every identity: propagation's values hold
        fixed.update({c: v for c, v in settled.items() if star[c] == v})
    alternatives: dict = {c: {star[c]} for c in cells}
    undetermined: set = set()
    zero = np.zeros(nv)

    def note_alternative(x):
        for d in cells:
            val = round(x[vvar[d]])
            if val != star[d]:
                undetermined.add(d)
                alternatives[d].add(val)

    # A few solutions pulled in opposite directions settle most undetermined cells at once,
    # so the one-cell-at-a-time proofs below run only where a value may really be forced.
    open_cells = [c for c in cells if c not in fixed]
    rng = np.random.default_rng(0)
    def run_moves(which: list):
        """The milp asking how many of ``which`` can move off their value in ``star``."""
        ups = list(which)
        downs = [c for c in which if star[c] > 0]
        k = len(ups) + len(downs)
        link = lil_matrix((len(ups) + 2 * len(downs), nv + k))
        lo_link, hi_link = [], []
        row = 0
        for i, c in enumerate(ups):  # x - (star + 1) * up >= 0
            link[row, vvar[c]], link[row, nv + i] = 1.0, -(star[c] + 1.0)
            lo_link.append(0.0), hi_link.append(np.inf)
            row += 1
        for i, c in enumerate(downs):  # x + M * down <= star - 1 + M; up + down <= 1
            m = ub[vvar[c]]
            link[row, vvar[c]], link[row, nv + len(ups) + i] = 1.0, m
            lo_link.append(-np.inf), hi_link.append(star[c] - 1.0 + m)
            link[row + 1, nv + ups.index(c)], link[row + 1, nv + len(ups) + i] = 1.0, 1.0
            lo_link.append(-np.inf), hi_link.append(1.0)
            row += 2
        wide = [LinearConstraint(hstack([con.A, csr_matrix((con.A.shape[0], k))]).tocsr(),
                                 con.lb, con.ub) for con in base + [cap]]
        wide.append(LinearConstraint(link.tocsr(), np.array(lo_link), np.array(hi_link)))
        return run(np.concatenate([np.zeros(nv), -np.ones(k)]), wide,
                   np.concatenate([integrality, np.ones(k)]),
                   Bounds(np.concatenate([lb, np.zeros(k)]), np.concatenate([ub, np.ones(k)])))

    def so_far() -> dict:
        return {c: sorted((Decimal(v) for v in alternatives[c]), key=value_order)
                for c in undetermined}

    for sign in (1.0, -1.0, None, None):
        if not open_cells:
            break
        obj = np.zeros(nv)
        for c in open_cells:
            obj[vvar[c]] = sign if sign is not None else rng.choice((-1.0, 1.0))
        res = run(obj, base + [cap])
        if res is None:
            return out_of_time(so_far())
        if res.status == 0:
            note_alternative(res.x)
    proven: dict = {}
    # The cells left, all at once: a binary per cell and direction (up: x ≥ star + 1, down:
    # x ≤ star − 1; no down for a cell at 0, the least it can be), and the solution that
    # moves as many cells as any can. When none can move, all are forced: one proof for the
    # lot instead of two per cell. Otherwise the cells that moved are undetermined, and the
    # rest are asked again.
    waiting = [c for c in cells if c not in fixed and c not in undetermined]
    while waiting:
        solved = run_moves(waiting)
        if solved is None:
            return out_of_time({**so_far(), **proven})
        if solved.status != 0:
            break  # left to the proofs one cell at a time
        note_alternative(solved.x[:nv])
        if round(-solved.fun) == 0:
            proven.update((c, Decimal(star[c])) for c in waiting)
            break
        waiting = [c for c in waiting if c not in undetermined]
    for c in cells:
        if c in fixed or c in undetermined or c in proven:
            continue
        for lo_v, hi_v in ((-np.inf, star[c] - 0.5), (star[c] + 0.5, np.inf)):
            if hi_v < 0:
                continue
            row = np.zeros(nv)
            row[vvar[c]] = 1
            res = run(zero, base + [cap, LinearConstraint(row.reshape(1, -1), lo_v, hi_v)])
            if res is None:
                return out_of_time({**so_far(), **proven})
            if res.status == 2:  # infeasible: no other value on this side
                continue
            undetermined.add(c)
            if res.status == 0:
                note_alternative(res.x)
            break
        else:
            proven[c] = Decimal(star[c])
    out: dict = {}
    for c in cells:
        if c in undetermined:
            out[c] = sorted((Decimal(v) for v in alternatives[c]), key=value_order)
        else:
            out[c] = Decimal(star[c])
    return out


def _verified(x, live, xvar, uvar, idents, best, weight) -> bool:
    """Re-check a solution in exact integers: readings chosen, blanks filled, identities."""
    values = {}
    for s, (seg, rs) in enumerate(live):
        k = 0 if xvar[s][0] is None else int(np.argmax([x[i] for i in xvar[s]]))
        for j, c in enumerate(seg.cells):
            part = rs[k][j]
            if part.blank:
                u = x[uvar[c]]
                if abs(u - round(u)) > 1e-6:
                    return False
                values[c] = Decimal(round(u))
            else:
                values[c] = part.value
    for c, ui in uvar.items():
        if c not in values:
            values[c] = Decimal(round(x[ui]))
    broken = sum(weight(i) for i in idents
                 if sum(values[c] for c in i.lhs) != sum(values[c] for c in i.rhs))
    return broken <= best
