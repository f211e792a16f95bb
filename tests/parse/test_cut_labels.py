"""A row label cut over two lines (a table row broken at a page break, a wrapped label
cell, OCR) is one row, and a label's numbering is never one of a row's numbers.

The generated class: every row of section 三 of both templates, its label cut after its
numbering and within its words (``synth.split_label_reports``), the numbers on the first
line or on the second, in the tab, markdown and torn layouts: no cell is wrong, and every
cell of the cut row reads as printed."""

from __future__ import annotations

import math

import pytest

import govopen
from govopen import schema
from govopen.parse.rows import _cut_labels
from govopen.parse.text import read_numbers
from tests.support import synth


def parsed(source: str) -> dict[tuple, tuple[float, str]]:
    cells = govopen.parse_report(source.encode("utf-8"), name="report.txt").cells
    return {(c.table, c.row, c.column): (c.value, c.status) for c in cells.itertuples()}


def values(source: str) -> dict[tuple, float]:
    return {k: v for k, (v, _status) in parsed(source).items()}


@pytest.mark.parametrize("text, numbers", [
    ("\t0\t0\t0\t\t\n6.属于四\t0\n", ["0", "0", "0"]),  # a numbering opens the next line
    ("\t0\t0\n6、其他\t0", ["0", "0"]),
    ("\t0 0\n6)其他 0", ["0", "0"]),
    (" 0 0 6. 属于四类过程性信息 0", ["0", "0"]),  # a cell parted by a blank
    ("\t0\t0\n\t6.\t0\t0", ["0", "0"]),  # the numbering alone in its cell, the words below
    ("| 0 | 0 |\n| 6.属于四 | 0 |", ["0", "0"]),
    ("\t0\t6.5\t1", ["0", "6.5", "1"]),  # a decimal is a number
    ("00000002.其他法律", ["00000002"]),  # run together: told by the next label found
])
def test_a_numbering_is_not_a_number(text, numbers):
    assert [t.raw for t in read_numbers(text, 0)] == numbers


def with_row_lines(row: str, lines: list[str]) -> tuple[str, list[float]]:
    """A generated report with the line of ``row`` in section 三 printed as ``lines``
    ('{v}': the row's numbers, tab-separated), and the row's numbers."""
    r = synth.report(1, "tabs", template="2021", clutter=False)
    numbers = [r.printed[("requests", row, c)] for c in synth.REQUEST_COLUMNS]
    label = synth.row_label("requests", row, "2021")
    at = r.data.index("\t" + label + "\t", r.data.index("三、收到和处理"))
    start, end = r.data.rindex("\n", 0, at) + 1, r.data.index("\n", at)
    v = "\t".join(str(x) for x in numbers)
    return (r.data[:start] + "\n".join(line.format(v=v) for line in lines) + r.data[end:],
            [float(x) for x in numbers])


@pytest.mark.parametrize("row, lines", [
    # LibreOffice Writer's page break in seed 001: the numbers on the first line
    ("denied_process_info", ["6.属于四\t{v}", "类过程性信息\t\t\t\t\t\t\t"]),
    # the numbers on the second line
    ("denied_process_info", ["\t\t6.属于四\t\t\t\t\t\t\t", "\t\t类过程性信息\t{v}"]),
    # seed 003: the group label cut too, each in its own field
    ("not_processed_petition", ["\t(五)\t1. 信访\t{v}", "\t不予处理\t举报投诉类申请\t\t\t\t\t\t\t"]),
    # seed 000: the numbering alone on the line of the numbers
    ("total", ["\t(七)\t\t{v}", "\t总计\t\t\t\t\t\t\t"]),
    # a wrapped tail: the row's own label, then the rest of it
    ("partially_granted", ["\t（二）部分公开\t\t{v}", "\t（区分处理的，只计这一情形，不计其他情形）\t\t\t\t\t\t\t"]),
    # the numbering alone in its cell, the numbers below
    ("denied_process_info", ["\t\t6.\t\t\t\t\t\t\t", "\t\t属于四类过程性信息\t{v}"]),
])
def test_a_cut_label_is_one_row(row, lines):
    text, want = with_row_lines(row, lines)
    got = parsed(text)
    # read from the row's own numbers, not inferred from the other rows
    assert [got[("requests", row, c)] for c in synth.REQUEST_COLUMNS] == \
        [(x, "parsed") for x in want]


def test_two_labels_are_not_joined():
    """3.其他 and a line starting 处理 are not （六）其他处理: 其他 is a row's label alone."""
    text = "3.其他\t0\n处理\t\t\n"
    assert _cut_labels(text, (0, len(text)), list(schema.REQUESTS.rows)) == []


@pytest.mark.slow
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", synth.SPLIT_LAYOUTS)
def test_cut_labels_read_exactly(layout, template):
    wrong, not_read, inferred = [], [], []
    for row, cut, numbers_on, r in synth.split_label_reports(1, layout, template):
        got = parsed(r.data)
        where = (row, cut, numbers_on)
        if w := synth.wrong_cells(r, {k: v for k, (v, _s) in got.items()}):
            wrong.append((where, w))
        not_read += [(where, k) for k in r.fault_cells if math.isnan(got[k][0])]
        inferred += [(where, k) for k in r.fault_cells if got[k][1] != "parsed"]
    assert wrong == []
    assert not_read == []
    if layout != "torn":  # a torn table's rows of numbers are placed by their order
        assert inferred == []
