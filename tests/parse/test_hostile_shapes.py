"""Two hostile shapes of input: a cell with a run of thousands of digits, and megabytes of
numbers where a report should be.

A run of digits too long to be a count (``text.MAX_CELL_DIGITS``) has no value: the
report is read as if the cell printed a placeholder ('—'), its row's cells missing or
forced by the identities, every other cell as it would be. A text longer than any report
that does not print section 三's table is refused when it is loaded, before the stages
whose cost grows with it; the memory that takes is checked in a fresh process.
Time is not asserted here: ``benchmarks/hostile_shapes.py`` measures it.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import govopen
from govopen.parse.text import MAX_CELL_DIGITS, MAX_RUN_DIGITS, read_numbers, valid_part
from govopen.read import sources
from tests.support import synth

ROOT = Path(__file__).resolve().parents[2]
NEW = "一、本年新收政府信息公开申请数量"
RUN = "9" * 5000


# --- a run of digits too long to be a number -------------------------------------------

def test_a_run_too_long_for_a_cell_has_no_value_and_says_why():
    text = f"0 {RUN} 3"
    first, run, last = read_numbers(text, 0)
    assert (first.value, last.value) == (0, 3)
    assert run.value is None and run.is_placeholder and not run.splittable
    assert (run.start, run.end, run.raw) == (2, 5002, RUN)
    assert "5000 digits" in run.unreadable
    assert len(run.unreadable) < 100  # the run itself is not repeated in the reason
    assert not first.unreadable and not last.unreadable


def test_a_run_that_may_be_cells_run_together_keeps_its_digits():
    longest = "1" + "0" * (MAX_RUN_DIGITS - 1)
    (tok,) = read_numbers(longest, 0)
    assert tok.value is None and tok.int_digits == longest and tok.splittable
    assert f"{MAX_RUN_DIGITS} digits" in tok.unreadable
    (tok,) = read_numbers(longest + "0", 0)
    assert tok.is_placeholder and not tok.int_digits
    (tok,) = read_numbers("-" + longest[:MAX_CELL_DIGITS + 1], 0)
    assert tok.is_placeholder  # a minus sign stands before one number, not a row of cells
    (tok,) = read_numbers("9" * MAX_CELL_DIGITS, 0)
    assert tok.value == 10 ** MAX_CELL_DIGITS - 1 and not tok.unreadable
    (tok,) = read_numbers("1." + "5" * MAX_CELL_DIGITS, 0)
    assert tok.value is None and tok.unreadable


def test_no_cell_cut_from_a_run_is_longer_than_a_number():
    assert valid_part("9" * MAX_CELL_DIGITS)
    assert not valid_part("9" * (MAX_CELL_DIGITS + 1))


def _spoiled(text: str, printed: str) -> str:
    """The report with the first number after row 一's label printed as ``printed``."""
    at = text.index(NEW) + len(NEW)
    m = re.compile(r"\d+").search(text, at)
    return text[:m.start()] + printed + text[m.end():]


def _cells(report: govopen.Report) -> dict:
    return {(c.table, c.row, c.column): (None if c.value != c.value else c.value, c.status)
            for c in report.cells.itertuples()}


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["tabs", "cells", "markdown", "spaces", "glued"])
@pytest.mark.parametrize("seed", [0, 5])
def test_a_run_of_5000_digits_reads_as_a_placeholder(layout, seed):
    """Every cell comes out as it does where the run is printed as '—': the run's own cell
    (or, run together, its row) unknown or forced by the identities, the rest read as
    they are. Never the run as a value, never an exception."""
    text = synth.report(seed, layout, clutter=False).data
    hostile = govopen.parse_report(_spoiled(text, RUN))
    dashed = govopen.parse_report(_spoiled(text, "—"))
    assert _cells(hostile) == _cells(dashed)
    assert not any(v is not None and v >= 10 ** MAX_CELL_DIGITS
                   for v, _ in _cells(hostile).values())


def test_the_rest_of_the_report_is_read_exactly():
    rendered = synth.report(1, "tabs", clutter=False)
    report = govopen.parse_report(_spoiled(rendered.data, RUN))
    for (table, row, column), (value, status) in _cells(report).items():
        if row == "new_received":
            assert status != "parsed" or value == rendered.printed[(table, row, column)]
            continue
        assert (value, status) == (rendered.printed[(table, row, column)], "parsed")


def test_a_row_of_glued_cells_longer_than_any_row_is_left_unread():
    rendered = synth.report(4, "glued", clutter=False)
    report = govopen.parse_report(_spoiled(rendered.data, "1" * 400))
    cells = _cells(report)
    for key, (value, _status) in cells.items():
        assert value is None or value == rendered.printed[key]


def test_the_row_with_the_run_has_a_finding_that_says_why():
    report = govopen.parse_report(_spoiled(synth.report(1, "tabs", clutter=False).data, RUN))
    f = report.findings
    said = f[f.row == "new_received"].message
    assert said.str.contains("5000 digits").any()
    assert said.str.len().max() < 500


# --- megabytes of numbers --------------------------------------------------------------

HEAD = ("某某局2021年政府信息公开工作年度报告\n一、总体情况\n本机关认真贯彻落实政府信息公开工作要求。\n"
        "三、收到和处理政府信息公开申请情况\n")


def _numbers(size: int, seed: int = 7) -> bytes:
    """``size`` bytes of digits, spaces and line breaks, with a Chinese word now and then."""
    symbols = b"0123456789" * 20 + b" " * 40 + b"\n" * 16
    raw = random.Random(seed).randbytes(size).translate(bytes(symbols[i] for i in range(256)))
    words = ["申请".encode(), "其他".encode(), "合计".encode()]
    step = 50_000
    return b"".join(raw[i:i + step] + words[(i // step) % 3] for i in range(0, size, step))


@pytest.mark.parametrize("head", ["", HEAD], ids=["numbers", "headed"])
def test_a_long_text_without_the_table_is_refused_when_loaded(tmp_path, head):
    path = tmp_path / "dump.txt"
    path.write_bytes(head.encode() + _numbers(sources.LONG_TEXT_CHARS + 1000))
    with pytest.raises(govopen.ParseError, match="not an annual report") as e:
        sources.load(path)
    assert e.value.source == str(path)
    assert "characters of text" in e.value.reason and "section 三" in e.value.reason
    with pytest.raises(govopen.ParseError, match="not an annual report"):
        govopen.parse_report(path)


def test_a_report_among_megabytes_of_other_text_is_still_read(tmp_path):
    rendered = synth.report(2, "tabs", clutter=False)
    filler = ("本页面为网站栏目说明，与年度报告无关。" * 20 + "\n") * (sources.LONG_TEXT_CHARS // 380)
    path = tmp_path / "page.txt"
    path.write_text(rendered.data + "\n" + filler, encoding="utf-8")
    report = govopen.parse_report(path)
    cells = _cells(report)
    assert all(cells[k] == (v, "parsed") for k, v in rendered.printed.items())


def test_a_short_text_is_not_held_to_the_long_text_rule():
    sources.check_long_text("0 " * (sources.LONG_TEXT_CHARS // 2), "short.txt")


MEASURE = r"""
import json, re, sys
sys.path.insert(0, sys.argv[2])
import govopen
def peak():  # this process's own high-water mark (ru_maxrss carries the parent's over exec)
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
base = peak()
try:
    govopen.parse_report(sys.argv[1])
    out = "read"
except govopen.ParseError as e:
    out = e.reason
grew = (peak() - base) * 1024
print(json.dumps(dict(grew=grew, out=out)))
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads VmHWM from Linux's /proc")
def test_twenty_megabytes_of_numbers_take_a_small_multiple_of_their_size(tmp_path):
    path = tmp_path / "numbers.txt"
    path.write_bytes(HEAD.encode() + _numbers(20 * 2**20))
    package = Path(govopen.__file__).resolve().parents[1]  # the govopen under test
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(package)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    assert m["out"].startswith("not an annual report")
    # the bytes and their text (two bytes a character, for the Chinese words among them),
    # and room to spare; reading it through took a hundred times its size
    assert m["grew"] < 5 * path.stat().st_size
