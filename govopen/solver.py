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

from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

TIME_LIMIT = 5.0


def solve_table(live, idents, missing_cells, result) -> dict:
    from .placement import _sort_key, _weight  # noqa: PLC0415 - shared helpers

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
        weights[zvar[k]] = _weight(ident)
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
    opts = {"time_limit": TIME_LIMIT, "presolve": True}

    first = milp(weights, constraints=base, integrality=integrality, bounds=bounds, options=opts)
    if first.status != 0:
        return {c: [] for c in cells}
    best = round(first.fun)
    cap = LinearConstraint(weights.reshape(1, -1), -np.inf, best + 0.5)
    star = {c: round(first.x[vvar[c]]) for c in cells}
    if not _verified(first.x, live, xvar, uvar, idents, best, _weight):
        return {c: [] for c in cells}

    fixed = set()
    for seg, rs in live:
        for j, c in enumerate(seg.cells):
            if c not in blank_cells and len({r[j].value for r in rs}) == 1:
                fixed.add(c)
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
    for sign in (1.0, -1.0, None, None):
        if not open_cells:
            break
        obj = np.zeros(nv)
        for c in open_cells:
            obj[vvar[c]] = sign if sign is not None else rng.choice((-1.0, 1.0))
        res = milp(obj, constraints=base + [cap], integrality=integrality, bounds=bounds,
                   options=opts)
        if res.status == 0:
            note_alternative(res.x)
    for c in cells:
        if c in fixed or c in undetermined:
            continue
        for lo_v, hi_v in ((-np.inf, star[c] - 0.5), (star[c] + 0.5, np.inf)):
            if hi_v < 0:
                continue
            row = np.zeros(nv)
            row[vvar[c]] = 1
            res = milp(zero, constraints=base + [cap, LinearConstraint(row.reshape(1, -1), lo_v, hi_v)],
                       integrality=integrality, bounds=bounds, options=opts)
            if res.status == 2:  # infeasible: no other value on this side
                continue
            undetermined.add(c)
            if res.status == 0:
                note_alternative(res.x)
            break
    out: dict = {}
    for c in cells:
        if c in undetermined:
            out[c] = sorted((Decimal(v) for v in alternatives[c]), key=_sort_key)
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
