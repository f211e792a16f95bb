"""Each cell says where it was read: its source line ``line`` at character ``char`` starts
with the ``raw`` text it keeps.

Over the five seeds, a few of their rewritten layouts (``variants``) and every generated
layout × fault (``synth``): the positions are what the report viewer highlights, so a
wrong one would point a reader at the wrong number.
"""

from __future__ import annotations

import pandas as pd
import pytest

import govopen
from tests.support import parsed_seed, synth, variants
from tests.support.pre2019 import pre2019_report, spaced_rows

SEEDS = ["000", "001", "002", "003", "004"]


def misplaced(report: govopen.Report) -> list[tuple]:
    """The cells with a position whose source text there is not their raw text."""
    lines = report.text.split("\n")
    return [(c.table, c.row, c.column, c.raw, lines[c.line - 1][c.char:c.char + len(c.raw)])
            for c in report.cells.itertuples()
            if not pd.isna(c.char) and not lines[c.line - 1][c.char:].startswith(c.raw)]


def placed(report: govopen.Report) -> int:
    return int(report.cells["char"].notna().sum())


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_parsed_cell_of_a_seed_is_read_where_it_says(prefix):
    report = parsed_seed(prefix)
    assert report.text  # the text as read is kept
    assert str(report.cells["char"].dtype) == "Int64"
    assert misplaced(report) == []
    # every cell printed in the text has a position; the inferred and missing ones are
    # either printed as a mark (a dash, 无) or not printed at all
    parsed = report.cells[report.cells["status"] == "parsed"]
    assert parsed["char"].notna().all()
    assert placed(report) >= len(parsed) > 0


def test_a_known_cell_of_seed_004_points_at_its_number():
    report = parsed_seed("004")
    c = report.cells.set_index(["table", "row", "column"]).loc[("requests", "total", "total")]
    line = report.text.split("\n")[c.line - 1]
    assert line[c.char:c.char + len(c.raw)] == c.raw
    assert float(c.raw.replace(",", "")) == c.value


@pytest.mark.parametrize("rewrite", [variants.one_line, variants.with_clutter,
                                     variants.pipe_tables, variants.half_torn])
def test_rewritten_seeds_keep_their_positions(rewrite):
    report = govopen.parse_report(rewrite(variants.seed_text("004")), name="004.txt")
    assert placed(report) > 100
    assert misplaced(report) == []


def test_a_pre2019_report_gives_lines_but_no_positions():
    # its standard cells come through the crosswalk from statistics, not from one place
    report = govopen.parse_report(pre2019_report(2016, spaced_rows()), name="p.txt")
    assert len(report.cells) > 0
    assert report.cells["char"].isna().all()


def _cases() -> list:
    return [pytest.param(layout, fault, id=f"{layout}-{fault or 'clean'}")
            for layout in synth.ALL_LAYOUTS for fault in (None, *synth.ALL_FAULTS)]


@pytest.mark.slow
@pytest.mark.parametrize("layout,fault", _cases())
def test_generated_layouts_and_faults_keep_their_positions(layout, fault):
    checked = 0
    for seed in range(3):
        try:
            r = synth.report(seed, layout, fault=fault)
        except ValueError:  # the drawn truth cannot carry the fault
            continue
        report = govopen.parse_report(r.data, name=f"synthetic-{seed}.{layout}")
        assert misplaced(report) == []
        checked += placed(report)
    assert checked > 0
