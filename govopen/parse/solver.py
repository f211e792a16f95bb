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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, overload

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack, lil_matrix

from ..findings import Finding
from .weights import value_order, weight

TIME_LIMIT = 5.0

Cell = tuple[str, str]


class Outcome(Protocol):
    """What the search reports into: the placement's ``Outcome``."""

    findings: list[Finding]
    broken: int


class OutOfTime(list):
    """The alternatives of a cell the search had no time left to settle: none known."""


@dataclass
class _Model:
    """The integer program of one table, as ``milp`` takes it, and the names of its
    variables: a reading's binary, a cell's value, a blank's unknown, an identity's
    'broken' binary, each an index into the vector of variables."""

    cells: list[Cell]
    xvar: list[list[int]]  # per segment, its readings' binaries; [] for a single reading
    vvar: dict[Cell, int]
    uvar: dict[Cell, int]  # the cells some reading leaves blank, or no reading fills
    zvar: dict[int, int]  # identity index -> its binary
    nv: int
    weights: np.ndarray  # the objective: what breaking each identity costs
    constraints: list[LinearConstraint]
    integrality: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    fixed: dict[Cell, Decimal]  # cells every reading prints the same: every solution's value

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.lb, self.ub)


@overload
def solve_table(live, idents, missing_cells, result: Outcome, settled=None, deadline=None,
                need_best: None = None) -> dict: ...
@overload
def solve_table(live, idents, missing_cells, result: Outcome, settled=None, deadline=None,
                *, need_best: int) -> dict | None: ...
def solve_table(live, idents, missing_cells, result: Outcome, settled=None, deadline=None,
                need_best: int | None = None) -> dict | None:
    """cell -> its value in every best solution, or a list of the values that fit.

    ``settled``: values that every solution keeping all identities gives (from bound
    propagation); they need no proof when the best solution keeps every identity.
    ``deadline``: a ``time.process_time()`` reading; the search stops there, and cells it
    has not settled come back as ``OutOfTime`` (with a finding in ``result``).
    ``need_best``: when the best solution breaks identities of more weight, or there is
    none, None comes back instead (the caller then solves a larger problem)."""
    model = _build_model(live, idents, missing_cells)
    search = _Search(model, deadline, live, result)
    fixed = model.fixed
    first = search.run(model.weights, model.constraints)
    if first is None:
        return search.out_of_time({})
    if first.status != 0:
        return None if need_best is not None else {c: fixed.get(c, []) for c in model.cells}
    best = round(first.fun)
    result.broken = best
    if need_best is not None and best > need_best:
        return None
    star = {c: round(first.x[model.vvar[c]]) for c in model.cells}
    if not _verified(first.x, live, model.xvar, model.uvar, idents, best):
        return {c: fixed.get(c, []) for c in model.cells}
    if best == 0:  # the best solutions keep every identity: propagation's values hold
        fixed.update({c: v for c, v in (settled or {}).items() if star[c] == v})
    cap = LinearConstraint(model.weights.reshape(1, -1), -np.inf, best + 0.5)
    return _settle(search, _Alternatives(model.cells, model.vvar, star), cap)


# --- the model ----------------------------------------------------------------------------


def _build_model(live, idents, missing_cells) -> _Model:
    """The variables, constraints and bounds of the integer program of one table."""
    cells = [c for seg, _ in live for c in seg.cells] + sorted(missing_cells)
    printed = [abs(p.value) for _, rs in live for r in rs for p in r if not p.blank]
    big = float(max(printed, default=0) * 4 + 10)
    nv = 0
    xvar: list[list[int]] = []
    for _, rs in live:
        xvar.append(list(range(nv, nv + len(rs))) if len(rs) > 1 else [])
        nv += len(rs) if len(rs) > 1 else 0
    vvar = {c: nv + i for i, c in enumerate(cells)}
    nv += len(cells)
    blank_cells = {c for seg, rs in live for j, c in enumerate(seg.cells)
                   if any(r[j].blank for r in rs)} | set(missing_cells)
    uvar = {c: nv + i for i, c in enumerate(sorted(blank_cells))}
    nv += len(uvar)
    zvar = {k: nv + k for k in range(len(idents))}
    nv += len(idents)
    weights = np.zeros(nv)
    for k, ident in enumerate(idents):
        weights[zvar[k]] = weight(ident)
    rows = _Rows()
    _reading_rows(rows, live, xvar, vvar, uvar, big)
    for cell in missing_cells:
        rows.add({vvar[cell]: 1.0, uvar[cell]: -1.0}, 0, 0)
    _identity_rows(rows, idents, vvar, zvar, big)
    integrality, lb, ub = np.zeros(nv), np.zeros(nv), np.full(nv, np.inf)
    for x in (x for xs in xvar for x in xs):
        integrality[x], ub[x] = 1, 1
    for c in cells:
        integrality[vvar[c]], ub[vvar[c]] = 1, big * len(cells)
    for c in uvar:
        ub[uvar[c]] = big
    for z in zvar.values():
        integrality[z], ub[z] = 1, 1
    fixed = {c: rs[0][j].value for seg, rs in live for j, c in enumerate(seg.cells)
             if c not in blank_cells and len({r[j].value for r in rs}) == 1}
    return _Model(cells, xvar, vvar, uvar, zvar, nv, weights, [rows.constraint(nv)],
                  integrality, lb, ub, fixed)


@dataclass
class _Rows:
    """Linear constraints lo <= sum(coef * variable) <= hi, gathered one at a time."""

    coefs: list[dict[int, float]] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)

    def add(self, coefs: dict[int, float], lb: float, ub: float):
        self.coefs.append(coefs)
        self.lo.append(lb)
        self.hi.append(ub)

    def constraint(self, nv: int) -> LinearConstraint:
        a = lil_matrix((len(self.coefs), nv))
        for i, coefs in enumerate(self.coefs):
            for j, v in coefs.items():
                a[i, j] = v
        return LinearConstraint(a.tocsr(), np.array(self.lo), np.array(self.hi))


def _reading_rows(rows: _Rows, live, xvar, vvar, uvar, big: float):
    """One reading of each segment is true, and each cell's value is what it prints (or,
    where it is blank, an unknown that only a blank reading lets be more than 0)."""
    for s, (seg, rs) in enumerate(live):
        if xvar[s]:
            rows.add({x: 1.0 for x in xvar[s]}, 1, 1)
        for j, cell in enumerate(seg.cells):
            coefs: dict[int, float] = {vvar[cell]: 1.0}
            const = 0.0
            for k, r in enumerate(rs):
                val = 0.0 if r[j].blank else float(r[j].value)
                if not xvar[s]:
                    const += val
                elif val:
                    coefs[xvar[s][k]] = coefs.get(xvar[s][k], 0.0) - val
            if cell in uvar:
                coefs[uvar[cell]] = -1.0
                blanks = [k for k, r in enumerate(rs) if r[j].blank]
                if xvar[s]:
                    rows.add({uvar[cell]: 1.0, **{xvar[s][k]: -big for k in blanks}},
                             -np.inf, 0)
            rows.add(coefs, const, const)


def _identity_rows(rows: _Rows, idents, vvar, zvar, big: float):
    """Each identity holds unless its binary says it is broken (big-M on both sides)."""
    for k, ident in enumerate(idents):
        coefs: dict[int, float] = {}
        for c in ident.lhs:
            coefs[vvar[c]] = coefs.get(vvar[c], 0.0) + 1.0
        for c in ident.rhs:
            coefs[vvar[c]] = coefs.get(vvar[c], 0.0) - 1.0
        m = big * (len(ident.lhs) + len(ident.rhs))
        rows.add({**coefs, zvar[k]: -m}, -np.inf, 0)
        rows.add({**coefs, zvar[k]: m}, 0, np.inf)


# --- the search ---------------------------------------------------------------------------


@dataclass
class _Search:
    """Runs of ``milp`` on one model within the time budget."""

    model: _Model
    deadline: float | None
    live: list
    result: Outcome  # for the finding when time runs out

    def run(self, objective, constraints, kinds=None, box=None):
        """milp within what is left of the budget; None when no time is left."""
        deadline = self.deadline
        left = TIME_LIMIT if deadline is None else min(TIME_LIMIT, deadline - time.process_time())
        if left <= 0:
            return None
        res = milp(objective, constraints=constraints,
                   integrality=self.model.integrality if kinds is None else kinds,
                   bounds=self.model.bounds if box is None else box,
                   options={"time_limit": left, "presolve": True})
        return None if res.status == 1 else res  # 1: the time limit was reached

    def out_of_time(self, proven: dict) -> dict:
        """What is known when the budget ran out: ``proven``, the fixed cells, and
        ``OutOfTime`` for the rest, with a finding."""
        live = self.live
        self.result.findings.append(Finding(
            rule="placement_budget", table=live[0][0].table if live else "",
            row="", column="", message="the search for the values that fit the identities ran "
            "out of its time budget; the cells it had not settled are missing"))
        fixed = self.model.fixed
        return {c: proven.get(c, fixed.get(c, OutOfTime())) for c in self.model.cells}


@dataclass
class _Alternatives:
    """The values each cell takes in the best solutions met so far, against ``star``, the
    first; a cell seen with another value is undetermined."""

    cells: list[Cell]
    vvar: dict[Cell, int]
    star: dict[Cell, int]
    seen: dict[Cell, set] = field(init=False)
    undetermined: set = field(default_factory=set)

    def __post_init__(self):
        self.seen = {c: {self.star[c]} for c in self.cells}

    def note(self, x):
        """Add the values of solution ``x``."""
        for d in self.cells:
            val = round(x[self.vvar[d]])
            if val != self.star[d]:
                self.undetermined.add(d)
                self.seen[d].add(val)

    def so_far(self) -> dict:
        """The undetermined cells, each with its values in order."""
        return {c: sorted((Decimal(v) for v in self.seen[c]), key=value_order)
                for c in self.undetermined}

    def answer(self) -> dict:
        """Every cell: its value in ``star``, or the values seen where undetermined."""
        return {c: sorted((Decimal(v) for v in self.seen[c]), key=value_order)
                if c in self.undetermined else Decimal(self.star[c]) for c in self.cells}


def _settle(search: _Search, found: _Alternatives, cap: LinearConstraint) -> dict:
    """Which cells keep their value in ``found.star`` among the solutions within ``cap``.

    A few solutions pulled in opposite directions settle most undetermined cells at once,
    so the proofs run only where a value may really be forced: first for all the cells
    left together, then one cell at a time for what that leaves."""
    if not _pull_apart(search, found, cap):
        return search.out_of_time(found.so_far())
    proven: dict = {}
    if not _prove_together(search, found, cap, proven):
        return search.out_of_time({**found.so_far(), **proven})
    if not _prove_each(search, found, cap, proven):
        return search.out_of_time({**found.so_far(), **proven})
    return found.answer()


def _pull_apart(search: _Search, found: _Alternatives, cap: LinearConstraint) -> bool:
    """Best solutions with every open cell pushed up, down, and two random ways, noted in
    ``found``. Whether they ran in time."""
    model = search.model
    open_cells = [c for c in model.cells if c not in model.fixed]
    rng = np.random.default_rng(0)
    for sign in (1.0, -1.0, None, None):
        if not open_cells:
            break
        obj = np.zeros(model.nv)
        for c in open_cells:
            obj[model.vvar[c]] = sign if sign is not None else rng.choice((-1.0, 1.0))
        res = search.run(obj, model.constraints + [cap])
        if res is None:
            return False
        if res.status == 0:
            found.note(res.x)
    return True


def _prove_together(search: _Search, found: _Alternatives, cap: LinearConstraint,
                    proven: dict) -> bool:
    """The cells not yet undetermined, all at once: a binary per cell and direction (up:
    x ≥ star + 1, down: x ≤ star − 1; no down for a cell at 0, the least it can be), and
    the solution that moves as many cells as any can. When none can move, all are forced
    (into ``proven``): one proof for the lot instead of two per cell. Otherwise the cells
    that moved are undetermined, and the rest are asked again. Whether it ran in time."""
    model = search.model
    waiting = [c for c in model.cells if c not in model.fixed and c not in found.undetermined]
    while waiting:
        solved = search.run(*_moves_program(model, found.star, cap, waiting))
        if solved is None:
            return False
        if solved.status != 0:
            break  # left to the proofs one cell at a time
        found.note(solved.x[:model.nv])
        if round(-solved.fun) == 0:
            proven.update((c, Decimal(found.star[c])) for c in waiting)
            break
        waiting = [c for c in waiting if c not in found.undetermined]
    return True


def _moves_program(model: _Model, star: dict, cap: LinearConstraint, which: list) -> tuple:
    """The milp (objective, constraints, integrality, bounds) asking how many of ``which``
    can move off their value in ``star``: the model widened by the binaries up and down."""
    nv, vvar, ub = model.nv, model.vvar, model.ub
    ups = list(which)
    downs = [c for c in which if star[c] > 0]
    k = len(ups) + len(downs)
    link = lil_matrix((len(ups) + 2 * len(downs), nv + k))
    lo_link: list[float] = []
    hi_link: list[float] = []
    row = 0
    for i, c in enumerate(ups):  # x - (star + 1) * up >= 0
        link[row, vvar[c]], link[row, nv + i] = 1.0, -(star[c] + 1.0)
        lo_link.append(0.0)
        hi_link.append(np.inf)
        row += 1
    for i, c in enumerate(downs):  # x + M * down <= star - 1 + M; up + down <= 1
        m = ub[vvar[c]]
        link[row, vvar[c]], link[row, nv + len(ups) + i] = 1.0, m
        lo_link.append(-np.inf)
        hi_link.append(star[c] - 1.0 + m)
        link[row + 1, nv + ups.index(c)], link[row + 1, nv + len(ups) + i] = 1.0, 1.0
        lo_link.append(-np.inf)
        hi_link.append(1.0)
        row += 2
    wide = [LinearConstraint(hstack([con.A, csr_matrix((con.A.shape[0], k))]).tocsr(),
                             con.lb, con.ub) for con in model.constraints + [cap]]
    wide.append(LinearConstraint(link.tocsr(), np.array(lo_link), np.array(hi_link)))
    return (np.concatenate([np.zeros(nv), -np.ones(k)]), wide,
            np.concatenate([model.integrality, np.ones(k)]),
            Bounds(np.concatenate([model.lb, np.zeros(k)]), np.concatenate([ub, np.ones(k)])))


def _prove_each(search: _Search, found: _Alternatives, cap: LinearConstraint,
                proven: dict) -> bool:
    """For each cell still open: a best solution with it below its value in ``star``, or
    above. None on either side proves it (into ``proven``); one found makes it
    undetermined. Whether it ran in time."""
    model = search.model
    zero = np.zeros(model.nv)
    for c in model.cells:
        if c in model.fixed or c in found.undetermined or c in proven:
            continue
        for lo_v, hi_v in ((-np.inf, found.star[c] - 0.5), (found.star[c] + 0.5, np.inf)):
            if hi_v < 0:
                continue
            row = np.zeros(model.nv)
            row[model.vvar[c]] = 1
            side = LinearConstraint(row.reshape(1, -1), lo_v, hi_v)
            res = search.run(zero, model.constraints + [cap, side])
            if res is None:
                return False
            if res.status == 2:  # infeasible: no other value on this side
                continue
            found.undetermined.add(c)
            if res.status == 0:
                found.note(res.x)
            break
        else:
            proven[c] = Decimal(found.star[c])
    return True


def _verified(x, live, xvar, uvar, idents, best) -> bool:
    """Re-check a solution in exact integers: readings chosen, blanks filled, identities."""
    values = {}
    for s, (seg, rs) in enumerate(live):
        k = int(np.argmax([x[i] for i in xvar[s]])) if xvar[s] else 0
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
