"""Placement of run-together numbers by the identities, on small hand-made rows."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from govopen import schema
from govopen.parse.cuts import Part, feasible
from govopen.parse.placement import Segment, _printed, place, readings
from govopen.parse.text import read_numbers, valid_part

COLS = [c.key for c in schema.REQUESTS.columns]


def row_segment(printed: str, row: str = "new_received", glued: bool = True) -> Segment:
    return Segment("requests", [(row, c) for c in COLS], read_numbers(printed, 0), glued, 1)


def row_total(row: str = "new_received"):
    return [i for i in schema.identities("requests") if i.rule == "row_total" and i.lhs[0][0] == row]


def test_the_issue_example_has_one_reading():
    # '一、本年新收政府信息公开申请数量640020470' is 64 0 0 2 0 4 70
    rs = readings(row_segment("640020470"), row_total(), prune=True)
    assert [[int(p.value) for p in r] for r in rs] == [[64, 0, 0, 2, 0, 4, 70]]


def test_two_readings_stay_undetermined_without_column_sums():
    seg = row_segment("110000011")  # 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11
    out = place([seg], row_total())
    assert out.cells[("new_received", "total")].value == 11
    assert out.cells[("new_received", "natural_person")].status == "missing"
    assert out.findings and "1|10|0|0|0|0|11" in out.findings[0].message


def test_irregular_spaces_are_hard_boundaries():
    rs = readings(row_segment("20 0 0 0 02"), row_total(), prune=True)
    assert [[int(p.value) for p in r] for r in rs] == [[2, 0, 0, 0, 0, 0, 2]]


def test_no_leading_zeros():
    rs = readings(row_segment("1000001"), row_total(), prune=False)
    assert [[int(p.value) for p in r] for r in rs] == [[1, 0, 0, 0, 0, 0, 1]]


def test_printed_values_break_identity_are_kept():
    # '1000000' has one 7-cell reading; it breaks the row total and is kept as printed
    out = place([row_segment("1000000", "total")], row_total("total"))
    assert out.cells[("total", "natural_person")].value == 1
    assert out.cells[("total", "total")].value == 0
    assert out.cells[("total", "total")].status == "parsed"


# --- the search of readings against cutting every way ---------------------------------


def every_reading(seg: Segment, local, prune: bool) -> list[list]:
    """What ``readings`` must return, by brute force: every cut of every token, blanks in
    every place between tokens, checked at the end, in enumeration order."""
    n = len(seg.cells)
    glued = seg.glued
    options = []
    for tok in seg.tokens:
        if not (glued and tok.splittable):
            options.append([[Part(tok.value, tok.raw, tok.start, tok.end)]])
            continue
        d, opts = tok.int_digits, []
        for k in range(1, len(d) + 1):
            for cuts in itertools.combinations(range(1, len(d)), k - 1):
                bounds = (0, *cuts, len(d))
                pieces = [d[a:b] for a, b in itertools.pairwise(bounds)]
                if not all(valid_part(p) for p in pieces):
                    continue
                # a minus sign goes with the first cell; the digits start after it
                at, sign = tok.start + len(tok.sign), tok.sign
                pieces = [sign + pieces[0], *pieces[1:]]
                starts = [at + a for a in bounds[:-1]]
                starts[0] -= len(sign)
                parts = [Part(Decimal(p), p, a, at + b)
                         for p, a, b in zip(pieces[:-1], starts, bounds[1:], strict=False)]
                parts.append(Part(Decimal(pieces[-1] + tok.fraction),
                                  pieces[-1] + tok.fraction + tok.unit, starts[-1], tok.end))
                opts.append(parts)
        options.append(opts)
    most = sum(max(len(o) for o in opts) for opts in options)
    gaps = n - len(seg.tokens) if not glued else max(0, n - most)
    index = {c: i for i, c in enumerate(seg.cells)}
    checks = [([index[c] for c in i.lhs], [index[c] for c in i.rhs]) for i in local]
    anchored = {index[c] for c in local[0].lhs} if seg.tokens and len(local) == 1 else set()
    out = []

    def walk(current, t, gaps_left):
        if len(current) == n:
            if t == len(options) and gaps_left == 0 and (
                    not prune or all(feasible(current, lhs, rhs) for lhs, rhs in checks)):
                out.append(list(current))
            return
        if gaps_left and len(current) not in anchored:
            walk(current + [Part(None, "")], t, gaps_left - 1)
        if t < len(options):
            for opt in options[t]:
                if len(current) + len(opt) <= n:
                    walk(current + opt, t + 1, gaps_left)

    if len(seg.tokens) <= n:
        walk([], 0, gaps)
    return out


def random_row(rng: random.Random) -> str:
    """A printed row: six applicant cells and a total, mostly adding up, cells sometimes
    dropped, separators sometimes lost, a placeholder or a fraction here and there."""
    vals = [rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 999)])
            for _ in range(6)]
    vals.append(sum(vals) + (rng.choice([1, 10]) if rng.random() < 0.15 else 0))
    cells = [str(v) for v in vals]
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        cells.pop(rng.randrange(len(cells)))
    if rng.random() < 0.1:
        cells[rng.randrange(len(cells))] = rng.choice(["-", "—", "无"])
    if rng.random() < 0.1 and cells[-1][0].isdigit():
        cells[-1] += rng.choice([".5", "件"])
    return "".join(c + rng.choice(["", "", " "]) for c in cells).strip()


@pytest.mark.parametrize("printed", ["640020470", "110000011", "20 0 0 0 02", "1000001",
                                     "1000000", "2 21004027", "221004027", "5 0 0 0 5",
                                     "3 — 0 0 0 0 3", "12.5 0 0 0 0 0 12.5", "20504",
                                     "1234567891011", "99999999990"])
@pytest.mark.parametrize("prune", [True, False])
def test_readings_are_every_cut_that_fits(printed, prune):
    for glued in (True, False):
        seg = row_segment(printed, glued=glued)
        assert readings(seg, row_total(), prune=prune) == every_reading(seg, row_total(), prune)


@pytest.mark.slow
def test_readings_of_random_rows_are_every_cut_that_fits():
    rng = random.Random(8)
    for _ in range(150):
        seg = row_segment(random_row(rng), glued=rng.random() < 0.8)
        for prune in (True, False):
            want = every_reading(seg, row_total(), prune)
            if len(want) > 3000:
                continue
            assert readings(seg, row_total(), prune=prune) == want, _printed(seg)


def test_readings_of_the_review_table_are_every_cut_that_fits():
    rng = random.Random(4)
    cells = [(r, c.key) for r in schema.REVIEWS.row_keys() for c in schema.REVIEWS.columns]
    idents = schema.identities("reviews")
    for _ in range(40):
        groups = []
        for _ in range(3):
            parts = [rng.choice([0, 0, rng.randint(1, 12)]) for _ in range(4)]
            groups += parts + [sum(parts)]
        printed = "".join(str(v) + rng.choice(["", "", " "]) for v in groups)
        seg = Segment("reviews", cells, read_numbers(printed, 0), True, 1)
        assert readings(seg, idents, prune=True) == every_reading(seg, idents, True), printed


def test_a_big_agency_row_has_one_reading():
    # 123456 requests: 2^27 ways to cut the digits; the row total leaves one
    rs = readings(row_segment("9821315002310879044800123456"), row_total(), prune=True)
    assert [[int(p.value) for p in r] for r in rs] == [[98213, 15002, 310, 87, 9044, 800, 123456]]
