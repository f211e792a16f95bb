"""The development corpus in ../shared/corpus: real reports, flattened page text.

Every gold cell comes out exact or missing — never a different number — and the cases
the corpus notes single out are asserted one by one. Skipped where ../shared is absent.
"""

from __future__ import annotations

import json
import math

import pytest

import govopen
from govopen import schema
from tests.support import SHARED, cell
from tests.support.goldfake import gold_cells

IDS = sorted(p.stem for p in (SHARED / "corpus" / "gold").glob("*.json")) if SHARED.is_dir() else []
TEXT_IDS = [i for i in IDS if not i.endswith("-html")]

pytestmark = pytest.mark.needs_shared


def parse(shared, ident):
    return govopen.parse_report(shared / "corpus" / "raw" / f"{ident}.txt")


def _gold(shared, ident) -> dict:
    return json.loads((shared / "corpus" / "gold" / f"{ident}.json").read_text(encoding="utf-8"))


def _pre2019(ident: str) -> bool:
    return json.loads((SHARED / "corpus" / "gold" / f"{ident}.json").read_text(
        encoding="utf-8")).get("template") == "pre2019"


@pytest.mark.parametrize("ident", TEXT_IDS)
def test_no_wrong_number(shared, ident):
    gold = _gold(shared, ident)
    report = parse(shared, ident)
    got = {(r.table, r.row, r.column): r.value for r in report.cells.itertuples()}
    wrong = [f"{k}: got {got[k]} want {v}" for k, v in gold_cells(gold).items()
             if k in got and not math.isnan(got[k]) and got[k] != v]
    assert not wrong
    assert report.meta.year == gold["year"]
    assert report.meta.agency == gold["agency"]


@pytest.mark.parametrize("ident", TEXT_IDS)
def test_no_missing_cell(shared, ident):
    gold = _gold(shared, ident)
    report = parse(shared, ident)
    got = {(r.table, r.row, r.column): r.value for r in report.cells.itertuples()}
    absent = [k for k in gold_cells(gold) if k not in got or math.isnan(got[k])]
    assert not absent, f"{len(absent)} gold cells missing: {absent[:5]}"


@pytest.mark.parametrize("ident", [i for i in TEXT_IDS if _pre2019(i)])
def test_before_2019_cells_come_via_the_crosswalk(shared, ident):
    # no standard table is printed: every cell comes from a statistic through the
    # crosswalk, says so in its note, and is one of the comparable links' cells
    report = parse(shared, ident)
    assert report.era == "pre2019"
    assert set(report.findings.rule) >= {"no_standard_tables", "crosswalk"}
    assert all(t is None for t in report.meta.templates.values())
    allowed = {c for link in schema.CROSSWALK if link.comparable for c in link.cells}
    cells = report.cells
    assert not cells.empty
    assert set(zip(cells.table, cells.row, cells.column, strict=True)) <= allowed
    assert cells.note.str.contains("via the crosswalk").all()
    assert set(cells.status) <= {"parsed", "inferred"}


def test_split_chosen_by_column_sums(shared):
    # （二）部分公开 '110000011' is 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11; 商业企业 is 0 in 一
    # and in （七）, so only the second fits the column sums.
    # The column of each digit was reasoned out, so the cells are inferred, not parsed.
    r = parse(shared, "pt-scj-2025")
    assert cell(r, "requests", "partially_granted", "natural_person") == (11, "inferred")
    assert cell(r, "requests", "partially_granted", "commercial") == (0, "inferred")
    assert cell(r, "requests", "partially_granted", "total") == (11, "parsed")  # the same in both
    assert cell(r, "requests", "carried_forward", "total") == (2, "parsed")  # '2000002' before '2025年'
    assert cell(r, "reviews", "review", "upheld") == (10, "parsed")  # 17 digits, one split
    assert cell(r, "active", "normative_documents", "issued")[0] is None  # '1173': three splits


def test_undecodable_review_group_is_missing(shared):
    # '00202000001324015': 复议 0,0,2,0,2 and 直接起诉 zeros are forced; '1324015' breaks the
    # total in every split, so 复议后起诉 is missing — never a guess.
    r = parse(shared, "pt-shs-2024")
    assert cell(r, "reviews", "review", "other") == (2, "parsed")
    assert cell(r, "reviews", "litigation_direct", "total") == (0, "parsed")
    for col in ("upheld", "corrected", "other", "pending", "total"):
        assert cell(r, "reviews", "litigation_after_review", col)[0] is None


def test_inconsistent_source_kept_as_printed(shared):
    r = parse(shared, "pt-htp-2021")  # （七）总计 '1000000': 1 in 自然人, 0 in 总计
    assert cell(r, "requests", "total", "natural_person") == (1, "parsed")
    assert cell(r, "requests", "total", "total") == (0, "parsed")
    rules = set(r.findings[r.findings.severity == "error"].rule)
    assert {"row_total", "outcome_total", "balance"} <= rules


def test_empty_rows_inferred_from_column_sums(shared):
    # （六）2 and 3 print nothing at all; （七）总计 '5000005' and the other outcome rows
    # already add up, so both rows are 0 in every column.
    r = parse(shared, "pt-scj-2021")
    assert cell(r, "requests", "other_unpaid_fee", "total") == (0, "inferred")
    assert cell(r, "requests", "other_other", "natural_person") == (0, "inferred")


def test_section_two_only_forced_cells(shared):
    r = parse(shared, "pt-czj-2019")
    assert cell(r, "active", "licensing", "prev_items") == (3, "parsed")  # '300' = 3,0,0
    assert cell(r, "active", "penalty", "decisions") == (0, "parsed")  # '3500': 3,50,0 / 35,0,0
    assert cell(r, "active", "penalty", "prev_items")[0] is None
    v, status = cell(r, "active", "procurement", "amount")  # '2832995元'
    assert v is None and status == "missing"


def test_amount_in_yuan_is_kept_raw(shared):
    r = parse(shared, "pt-czj-2020")  # '2笔 984361元'
    c = r.cells
    amount = c[(c.row == "procurement") & (c.column == "amount")].iloc[0]
    assert math.isnan(amount.value) and amount.raw == "984361元"
    assert cell(r, "active", "procurement", "items") == (2, "parsed")
    assert (r.findings.rule == "unit").any()


def test_mixed_templates(shared):
    assert parse(shared, "pt-htp-2023").meta.templates["requests"] == "2019"
    assert parse(shared, "pt-htp-2023").meta.templates["active"] == "2021"
    assert parse(shared, "pt-shs-2021").meta.templates == {
        "active": "2019", "requests": "2021", "reviews": None}
