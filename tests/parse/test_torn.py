"""Tables torn apart by PDF-to-markdown converters, built from the five seeds.

Each variant (``variants.py``) tears a seed's section-三 and section-四 tables the way
converters do — pipe tables under generic 'Col1 | Col2' headers, the row labels in a
block of their own or in a paragraph, the rows of numbers below, the table split at a page
break with a footer and a lone page number between the blocks, header words broken — and
is parsed back. Where the order of the rows and the identities settle every cell, the
result must equal the untorn seed's; where they cannot (a row of numbers lost), exactly
the cells the ways that fit disagree on are missing, with the alternatives listed. A few
expectations are written out by hand from the seed texts.
"""

from __future__ import annotations

import math
import re

import pytest

import govopen
from govopen import schema
from govopen.parse.text import LineIndex, normalize
from govopen.parse.torn import scan
from tests.support import cell, parsed_seed
from tests.support.variants import (
    drop_number_row,
    half_torn,
    labelled_pipe_table_at_page_break,
    labels_in_paragraph,
    labels_then_numbers,
    pipe_tables,
    plain_rows_at_page_break,
    seed_text,
    split_at_page_break,
)

APPLICANTS_AND_TOTAL = [c.key for c in schema.REQUESTS.columns]
REVIEW_COLUMNS = [c.key for c in schema.REVIEWS.columns]


def header_fragments(text: str) -> str:
    return labels_then_numbers(text, fragments=True)


LAYOUTS = [pipe_tables, labels_then_numbers, labels_in_paragraph, split_at_page_break,
           header_fragments, plain_rows_at_page_break, labelled_pipe_table_at_page_break,
           half_torn]
# Seed 001 drops empty cells, which sends its tables to the integer program; it is torn
# in one layout only, the hardest, to keep the suite quick.
FAST_SEEDS = ["000", "002", "003", "004"]


def values(report) -> dict:
    return {(r.table, r.row, r.column): r.value for r in report.cells.itertuples()}


def differences(untorn, torn) -> list[str]:
    a, b = values(untorn), values(torn)
    return [f"{k}: {a[k]} untorn, {b.get(k)} torn" for k in a
            if not (a[k] == b.get(k) or (math.isnan(a[k]) and math.isnan(b.get(k, 0))))]


def identity_errors(report) -> list[tuple]:
    f = report.findings
    return sorted(f[f.severity == "error"][["rule", "table", "column"]].itertuples(index=False))


def row(report, table: str, key: str, columns) -> list:
    return [cell(report, table, key, c)[0] for c in columns]


@pytest.mark.parametrize("prefix", FAST_SEEDS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_torn_table_reads_like_the_seed(prefix, layout):
    torn = govopen.parse_report(layout(seed_text(prefix)))
    assert differences(parsed_seed(prefix), torn) == []
    assert identity_errors(torn) == identity_errors(parsed_seed(prefix))


@pytest.mark.slow
@pytest.mark.parametrize("layout", [split_at_page_break, plain_rows_at_page_break])
def test_seed_001_torn_at_a_page_break(layout):
    # empty cells dropped ('2 0  0  0  0 2') and the table torn: the same cells as the
    # seed, the same ones missing (自然人 or 商业企业 cannot be told apart). As plain text,
    # 6.属于四类过程性信息 prints a lone '0' beside the page number '3': two ways, and only
    # the rows between them are read together.
    torn = govopen.parse_report(layout(seed_text("001")))
    assert differences(parsed_seed("001"), torn) == []
    assert "torn_table" in set(torn.findings.rule)


def test_004_split_at_a_page_break_by_hand():
    # 伊川县 2020: labels first, then two blocks of rows of numbers, '- 3 -' and a lone '3'
    # between them; section 四's fifteen zeros split ten and five around the same footer
    r = govopen.parse_report(split_at_page_break(seed_text("004")))
    assert row(r, "requests", "new_received", APPLICANTS_AND_TOTAL) == [2, 21, 0, 0, 4, 0, 27]
    assert row(r, "requests", "granted", APPLICANTS_AND_TOTAL) == [1, 21, 0, 0, 3, 0, 25]
    assert row(r, "requests", "partially_granted", APPLICANTS_AND_TOTAL) == [0, 0, 0, 0, 1, 0, 1]
    assert row(r, "requests", "denied_internal_affairs", APPLICANTS_AND_TOTAL) == [1, 0, 0, 0, 0, 0, 1]
    assert row(r, "requests", "total", APPLICANTS_AND_TOTAL) == [2, 21, 0, 0, 4, 0, 27]
    assert row(r, "requests", "carried_forward", APPLICANTS_AND_TOTAL) == [0] * 7
    for key in schema.REVIEWS.row_keys():
        assert row(r, "reviews", key, REVIEW_COLUMNS) == [0] * 5
    c = r.cells
    granted = c[(c.table == "requests") & (c.row == "granted")]
    # placed by the order of the rows, not by a label on their line: inferred, never parsed
    assert (granted.status == "inferred").all()
    assert granted.note.str.contains("apart from its label").all()
    assert granted.note.str.contains("'3' read as a page number").all()
    torn = r.findings[r.findings.rule == "torn_table"].message.tolist()
    assert len(torn) == 2 and all("'3' read as a page number" in m for m in torn)


def test_003_labels_in_a_paragraph_by_hand():
    # 宝清县 2024: the labels run on in one paragraph, the numbers in a pipe table below
    r = govopen.parse_report(labels_in_paragraph(seed_text("003")))
    assert row(r, "requests", "new_received", APPLICANTS_AND_TOTAL) == [78, 0, 0, 0, 0, 0, 78]
    assert row(r, "requests", "partially_granted", APPLICANTS_AND_TOTAL) == [26, 0, 0, 0, 0, 0, 26]
    assert row(r, "requests", "unable_not_held", APPLICANTS_AND_TOTAL) == [24, 0, 0, 0, 0, 0, 24]
    assert row(r, "requests", "other_overdue_correction", APPLICANTS_AND_TOTAL) == [3, 0, 0, 0, 0, 0, 3]
    assert row(r, "requests", "carried_forward", APPLICANTS_AND_TOTAL) == [1, 0, 0, 0, 0, 0, 1]
    assert row(r, "reviews", "review", REVIEW_COLUMNS) == [1, 1, 0, 2, 4]
    # the seed's own inconsistency (78 + 0 vs 78 + 1) is still reported, not repaired
    assert {f.column for f in r.findings.itertuples() if f.rule == "balance"} == {"natural_person", "total"}


def test_002_reviews_split_at_a_page_break_by_hand():
    # 乐都区 2021: 复议 0 1 2 0 3, 直接起诉 0 0 1 0 1, 复议后起诉 zeros — ten numbers, a footer
    # and a page number, then five
    r = govopen.parse_report(split_at_page_break(seed_text("002")))
    assert row(r, "reviews", "review", REVIEW_COLUMNS) == [0, 1, 2, 0, 3]
    assert row(r, "reviews", "litigation_direct", REVIEW_COLUMNS) == [0, 0, 1, 0, 1]
    assert row(r, "reviews", "litigation_after_review", REVIEW_COLUMNS) == [0] * 5


def test_a_page_number_or_a_row_printing_only_its_total_is_chosen_by_the_identities():
    # seed 000 as plain text: 予以公开 prints only its total, '14', 部分公开 only '0', and a
    # page number '3' sits among the rows — three lone numbers, one too many: three ways.
    # Reading '14' or '0' as the page number shifts the rows and breaks the column sums.
    r = govopen.parse_report(plain_rows_at_page_break(seed_text("000")))
    assert differences(parsed_seed("000"), r) == []
    message = r.findings[r.findings.rule == "torn_table"].message.iloc[0]
    assert "in 3 ways" in message and "may each be a page number" in message
    assert cell(r, "requests", "granted", "total") == (14, "inferred")
    assert cell(r, "requests", "granted", "natural_person") == (14, "inferred")


def test_a_page_number_equal_to_the_row_beside_it_changes_nothing():
    # a page number '14' printed just before 予以公开's lone '14': either can be the page
    # number, and both ways give the same table
    r = govopen.parse_report(plain_rows_at_page_break(seed_text("000"), at=2, page="14"))
    assert differences(parsed_seed("000"), r) == []


def test_a_lost_row_of_numbers_leaves_missing_exactly_what_the_sums_cannot_settle():
    # seed 002 with 一、本年新收 (6 0 0 0 0 0 6) lost: 22 rows of numbers for 23 rows. Either
    # 一 printed nothing (then the balance forces it to 6) or 二 printed nothing and 一 is
    # 二's zeros (then the balance forces 二 to 6); any later row left empty shifts a
    # nonzero row into 二 and breaks the balance. So 自然人 and 总计 of 一 and 二 are 0 or 6.
    r = govopen.parse_report(drop_number_row(seed_text("002"), 0))
    for key in ("new_received", "carried_over"):
        for col in ("natural_person", "total"):
            value, status = cell(r, "requests", key, col)
            assert (value, status) == (None, "missing")
            note = r.cells[(r.cells.row == key) & (r.cells.column == col)].note.iloc[0]
            assert note.startswith("not determined: 0 or 6 fit the identities")
        assert row(r, "requests", key, APPLICANTS_AND_TOTAL[1:6]) == [0] * 5
    untorn, torn = values(parsed_seed("002")), values(r)
    others = [k for k in untorn if not (k[1] in ("new_received", "carried_over")
                                        and k[2] in ("natural_person", "total"))]
    assert [k for k in others if torn[k] != untorn[k]] == []
    undetermined = r.findings[r.findings.rule == "undetermined"]
    assert set(undetermined.row) == {"new_received", "carried_over"}
    assert undetermined.message.str.contains("natural_person 0 or 6").all()


@pytest.mark.parametrize("prefix, lost", [("000", 5), ("004", 5), ("002", 10)])
def test_a_lost_row_never_gives_a_wrong_number(prefix, lost):
    # every cell is the seed's or missing, and a missing cell lists the seed's value among
    # the values that fit
    r = govopen.parse_report(drop_number_row(seed_text(prefix), lost))
    untorn = values(parsed_seed(prefix))
    missing = 0
    for c in r.cells.itertuples():
        want = untorn[(c.table, c.row, c.column)]
        if c.status != "missing":
            assert c.value == want, (c.row, c.column)
            continue
        missing += 1
        fits = re.match(r"not determined: (.*?) fit the identities", c.note)
        assert fits and _fmt(want) in fits.group(1).split(" or "), (c.row, c.column, c.note)
    assert missing > 0
    assert "torn_table" in set(r.findings.rule)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def test_a_page_number_in_a_labelled_table_belongs_to_no_row():
    # labels on their rows, the table split by '3/7' and a lone '3': nothing is torn, and
    # the '3' is said to belong to no row rather than joining the row above it
    r = govopen.parse_report(labelled_pipe_table_at_page_break(seed_text("004")))
    assert differences(parsed_seed("004"), r) == []
    rules = set(r.findings.rule)
    assert "stray_numbers" in rules and "torn_table" not in rules


def test_lines_of_a_torn_table_are_told_apart():
    text = normalize("\n".join([
        "| Col1 | Col2 | Col3 |", "|---|:---:|---|", "| 商业企 | 业 | 其他 |",
        "| 14 | 0 | 14 |", "|  |  | 14 |", "- 3 -", "第 3 页", "第3页 共7页", "3/7", "3",
        "一、本年新收政府信息公开申请数量", "0 0 — 0"]))
    kinds = [(ln.shown, ln.kind, ln.pipe, ln.lone) for ln in scan(text, (0, len(text)), LineIndex(text))]
    # headers, rules and labels are none of them: left out
    assert kinds == [
        ("14 0 14", "numbers", True, False),
        ("14", "numbers", True, True), ("- 3 -", "furniture", False, False),
        ("第 3 页", "furniture", False, False), ("第3页 共7页", "furniture", False, False),
        ("3/7", "furniture", False, False), ("3", "numbers", False, True),
        ("0 0 — 0", "numbers", False, False)]
    lines = scan(text, (0, len(text)), LineIndex(text))
    assert [ln.number for ln in lines] == [4, 5, 6, 7, 8, 9, 10, 12]
    assert text[lines[-1].start:lines[-1].end] == "0 0 — 0"


def test_check_shows_where_torn_rows_were_placed():
    from govopen.cli import render

    text = render(govopen.parse_report(split_at_page_break(seed_text("004"))), notes=True)
    assert "new_received (every cell): inferred — printed on line" in text
    assert "'3' read as a page number" in text
