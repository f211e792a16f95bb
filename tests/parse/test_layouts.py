"""Each text layout on its own: the same real report, laid out as pages and crawlers lay it."""

from __future__ import annotations

import math

import pytest

import govopen
from tests.support import cell, parsed_seed
from tests.support.variants import (
    one_cell_per_line,
    one_line,
    run_together,
    seed_text,
    with_clutter,
)


def values(report) -> dict:
    return {(r.table, r.row, r.column): r.value for r in report.cells.itertuples()}


def same_values(a, b) -> list[str]:
    va, vb = values(a), values(b)
    return [f"{k}: {va.get(k)} vs {vb.get(k)}" for k in va.keys() | vb.keys()
            if not (va.get(k) == vb.get(k) or (math.isnan(va.get(k, 0)) and math.isnan(vb.get(k, 0))))]


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
@pytest.mark.parametrize("layout", [one_line, one_cell_per_line, with_clutter])
def test_layout_keeps_every_cell(prefix, layout):
    variant = govopen.parse_report(layout(seed_text(prefix)))
    assert same_values(parsed_seed(prefix), variant) == []
    assert variant.findings.rule.tolist() == parsed_seed(prefix).findings.rule.tolist()


def test_tab_separated_and_markdown():
    # seed 003: markdown headings (##, ####) and **bold** around the prose; tab tables
    r = parsed_seed("003")
    assert cell(r, "requests", "unable_not_held", "total") == (24, "parsed")
    assert cell(r, "reviews", "review", "pending") == (2, "parsed")


def test_one_cell_per_line_seed():
    r = parsed_seed("002")
    assert cell(r, "reviews", "review", "other") == (2, "parsed")
    assert cell(r, "requests", "carried_forward", "natural_person") == (1, "parsed")


def test_web_clutter_seed():
    # seed 001 opens with 长者模式 / 返回首页 and ends with 扫一扫在手机打开当前页
    r = parsed_seed("001")
    assert r.meta.agency == "东山县人民政府办公室"
    assert cell(r, "active", "normative_documents", "total_public") == (11, "parsed")


def test_run_together_report_never_gives_a_wrong_number():
    original, glued = parsed_seed("004"), govopen.parse_report(run_together(seed_text("004")))
    vo, vg = values(original), values(glued)
    wrong = [k for k, v in vg.items() if not math.isnan(v) and v != vo[k]]
    assert wrong == []
    # '一、本年新收政府信息公开申请数量221004027': the row total and the column sums
    # leave one reading, 2 21 0 0 4 0 27
    assert [vg[("requests", "new_received", c)] for c in
            ("natural_person", "commercial", "research", "public_interest", "legal_services",
             "other", "total")] == [2, 21, 0, 0, 4, 0, 27]
    # section 二 '行政许可2044949822' has no identity to choose a reading: missing
    assert math.isnan(vg[("active", "licensing", "decisions")])
    assert vg[("active", "regulations", "made")] == 0  # '000'
