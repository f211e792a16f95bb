"""The HTML reader on a real CMS page from the shared development corpus.

The page (173 KB: site template, a 25 KB script object, WPS-pasted tables with rowspan and
colspan, a fourth 信息处理费 table) is read where the corpus sits beside the repository;
the test is skipped when it is not there. Nothing from the page is kept in the repository:
the numbers are compared with the corpus's own gold file, both as the reader's table
lines and as the cells the core parser makes of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import govopen
from govopen.read.sources import load

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"
PAGE = CORPUS / "raw" / "pt-scj-2025-html.html"
GOLD = CORPUS / "gold" / "pt-scj-2025-html.json"

pytestmark = pytest.mark.needs_shared


@pytest.fixture(scope="module")
def page():
    if not PAGE.is_file() or not GOLD.is_file():
        pytest.skip("shared development corpus not available")
    doc = load(PAGE)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return doc, gold


def _numbers(cells: list[str]) -> list[int]:
    return [int(c) for c in cells if re.fullmatch(r"\d+", c)]


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def test_real_page_section3_rows_equal_gold(page):
    doc, gold = page
    assert doc.format == "html" and doc.encoding == "utf-8"
    cols = ("natural_person", "commercial", "research", "public_interest", "legal_services",
            "other", "total")
    want = [[row[c] for c in cols] for row in gold["section3"].values()]
    got = [_numbers(r) for r in _rows(doc.text) if len(_numbers(r)) == 7]
    assert got == want  # 26 rows, in table order, every cell


def test_real_page_section2_and_4(page):
    doc, gold = page
    rows = {r[0]: r for r in _rows(doc.text)}
    s2 = gold["section2"]
    normative = s2["normative_documents"]
    assert _numbers(rows["规范性文件"]) == [normative["issued"], normative["repealed"],
                                          normative["in_force"]]
    for label, key in (("行政许可", "licensing"), ("行政处罚", "penalty"), ("行政强制", "coercion")):
        assert _numbers(rows[label]) == [s2[key]["decisions"]]  # colspan=3: once
        assert rows[label][2:] == ["", ""]
    s4 = gold["section4"]
    want4 = [s4[g][k] for g in ("review", "litigation_direct", "litigation_after_review")
             for k in ("upheld", "corrected", "other", "pending", "total")]
    assert [_numbers(r) for r in _rows(doc.text) if len(_numbers(r)) == 15] == [want4]


def test_real_page_spans_and_clutter(page):
    doc, _ = page
    lines = doc.text.splitlines()
    outcome = [ln for ln in lines if ln.startswith("三、本年度办理结果\t")]
    assert len(outcome) == 1                    # the rowspan=22 label, once
    assert sum(1 for ln in lines if ln.startswith("\t（三）不予公开\t")) == 1
    assert any("结果 维持" in ln.split("\t") for ln in lines)   # 结果<br/>维持
    assert any(ln.startswith("信息处理费") and "\t" in ln for ln in lines)  # the fourth table
    text = doc.text
    for clutter in ("gklist", "function(", "扫一扫", "无障碍浏览", "网站标识码", "版权所有",
                    "当前位置", "省政协"):
        assert clutter not in text, clutter
    assert any(ln.startswith("一、总体情况") for ln in lines)
    assert any(ln.startswith("六、其他需要报告的事项") for ln in lines)


def test_real_page_parses_to_the_gold(page):
    _, gold = page
    report = govopen.parse_report(PAGE)
    got = {(c.table, c.row, c.column): c.value for c in report.cells.itertuples()}
    keys = {"section2": "active", "section3": "requests", "section4": "reviews"}
    want = {(keys[s], row, col): float(v) for s in keys for row, cols in gold[s].items()
            for col, v in cols.items() if v is not None}
    assert {k: got.get(k) for k in want} == want
    assert all(v != v for k, v in got.items() if k not in want)   # the rest is missing (NaN)
    assert report.meta.format == "html"
    assert (report.meta.agency, report.meta.year) == (gold["agency"], gold["year"])
