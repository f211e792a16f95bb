"""The integer program (``solver.solve_table``) against exact enumeration, on random small tables.

A drawn table has a few rows (segments), each with one to three readings (lists of
``Part``), some cells blank, and identities of the kind real tables have: each row's
total (weight 1000) and column sums over the rows (weight 1). Both searches must agree
on what is determined: the same value for every cell that every best solution gives one
value, the same cells undetermined (the integer program's alternatives among the exact
ones: it stops looking once it has two), and the same weight of broken identities.

Without blanks the exact search is ``search.enumerate_best`` as ``place`` runs it. A blank
is an unknown whole number that the integer program bounds by ``big`` (four times the
largest printed number, plus 10); enumeration covers it by one reading per value in
0..big, so both search the same space.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govopen.parse import search, solver
from govopen.parse.cuts import Part
from govopen.parse.placement import Outcome, Segment
from govopen.schema import Identity

TABLE = "requests"  # a real table's name; the made-up columns below are not signed


@st.composite
def tables(draw, blanks: bool):
    """(live, identities): ``live`` pairs each segment with its readings."""
    n_rows = draw(st.integers(2, 3))
    n_cols = draw(st.integers(2, 3))  # the last column is each row's total
    live = []
    for r in range(n_rows):
        cells = [(f"r{r}", f"c{c}") for c in range(n_cols)]
        n_read = draw(st.integers(1, 3))
        rs = []
        for _ in range(n_read):
            values = draw(st.lists(st.integers(0, 3), min_size=n_cols, max_size=n_cols))
            reading = [Part(Decimal(v), str(v), 0, 1) for v in values]
            rs.append(reading)
        seg = Segment(TABLE, cells, [], True, r + 1, label=f"r{r}")
        live.append((seg, rs))
    if blanks:  # one or two blank parts, anywhere
        for _ in range(draw(st.integers(1, 2))):
            s = draw(st.integers(0, n_rows - 1))
            k = draw(st.integers(0, len(live[s][1]) - 1))
            j = draw(st.integers(0, n_cols - 1))
            live[s][1][k][j] = Part(None, "", -1, -1)
    idents = []
    for r in range(n_rows):
        if draw(st.booleans()):
            idents.append(Identity("row_total", TABLE, ((f"r{r}", f"c{n_cols - 1}"),),
                                   tuple((f"r{r}", f"c{c}") for c in range(n_cols - 1)), ""))
    for c in range(n_cols):
        if draw(st.booleans()):
            idents.append(Identity("outcome_total", TABLE, ((f"r{n_rows - 1}", f"c{c}"),),
                                   tuple((f"r{r}", f"c{c}") for r in range(n_rows - 1)), ""))
    if not idents:
        idents.append(Identity("outcome_total", TABLE, (("r0", "c0"),), (("r1", "c0"),), ""))
    return live, idents


def big(live) -> int:
    """The integer program's bound on an unknown (see ``solver``)."""
    printed = [abs(p.value) for _, rs in live for r in rs for p in r if not p.blank]
    return int(max(printed, default=0) * 4 + 10)


def every_value(live) -> list:
    """The same table with each blank replaced by every value it can take, 0..big."""
    top = big(live)
    out = []
    for seg, rs in live:
        expanded = []
        for r in rs:
            ways = [[]]
            for p in r:
                options = [p] if not p.blank else [Part(Decimal(v), "", -1, -1)
                                                   for v in range(top + 1)]
                ways = [w + [q] for w in ways for q in options]
            expanded.extend(ways)
        out.append((seg, expanded))
    return out


def determined(solved: dict) -> tuple[dict, dict]:
    """(cell -> value where determined, cell -> set of alternatives where not)."""
    values = {c: v for c, v in solved.items() if not isinstance(v, list)}
    alternatives = {c: set(v) for c, v in solved.items() if isinstance(v, list)}
    return values, alternatives


def assert_agree(live, exact: dict, exact_broken: int, program: dict, program_broken: int):
    """The two answers determine the same cells alike. The integer program stops looking
    for a cell's alternatives once it has two, so its list is part of the exact one.

    The weight of broken identities is compared where ``place`` reads it, when some row
    has several readings: with one reading of every row both searches return the one
    solution without counting what it breaks."""
    assert not any(isinstance(v, solver.OutOfTime) for v in program.values())
    if any(len(rs) > 1 for _, rs in live):
        assert program_broken == exact_broken
    exact_values, exact_alts = determined(exact)
    program_values, program_alts = determined(program)
    assert program_values == exact_values
    assert program_alts.keys() == exact_alts.keys()
    for cell, alts in program_alts.items():
        assert len(alts) >= 2
        assert alts <= exact_alts[cell], cell


SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tables(blanks=False))
def test_integer_program_agrees_with_enumeration(table):
    live, idents = table
    assert math.prod(len(rs) for _, rs in live) <= search.MAX_COMBINATIONS
    exact_result, program_result = Outcome(), Outcome()
    exact, _ = search.enumerate_best(live, idents, exact_result)
    program = solver.solve_table(live, idents, set(), program_result)
    assert program is not None
    assert_agree(live, exact, exact_result.broken, program, program_result.broken)


@SETTINGS
@given(tables(blanks=False))
def test_place_gives_the_same_whichever_search_it_chooses(table):
    """``search.solve`` as ``place`` calls it: enumeration, or (with no combinations allowed)
    pruning, propagation and the integer program."""
    live, idents = table
    segments = [seg for seg, _ in live]
    seg_readings = [rs for _, rs in live]
    exact_result, program_result = Outcome(), Outcome()
    exact, _ = search.solve(segments, seg_readings, idents, exact_result)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(search, "MAX_COMBINATIONS", 0)
        program, _ = search.solve(segments, seg_readings, idents, program_result)
    assert_agree(live, exact, exact_result.broken, program, program_result.broken)


@SETTINGS
@given(tables(blanks=True))
def test_integer_program_agrees_on_blanks(table):
    live, idents = table
    spelled_out = every_value(live)
    if math.prod(len(rs) for _, rs in spelled_out) > 20000:
        return  # too many to enumerate in the test's time
    exact_result, program_result = Outcome(), Outcome()
    exact, _ = search.enumerate_best(spelled_out, idents, exact_result)
    program, _ = search.solve([s for s, _ in live], [rs for _, rs in live], idents,
                                  program_result)
    assert_agree(live, exact, exact_result.broken, program, program_result.broken)

