"""Placement of run-together numbers by the identities, on small hand-made rows."""

from __future__ import annotations

from govopen import schema
from govopen.placement import Segment, place, readings
from govopen.text import read_numbers

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
    assert out.findings and "1|10|0|0|0|0|11" in out.findings[0]["message"]


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
