"""Counts are whole numbers: a fraction read into a count cell (a label's enumerator, or a
digit OCR misread) is never a value, and nothing is inferred from it."""

from __future__ import annotations

import math

from govopen.parse.report import parse_report
from tests.support import SEED_004


def _with_cell(old: str, new: str) -> str:
    text = SEED_004.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


def test_a_fraction_in_a_count_cell_is_missing_with_a_finding():
    text = _with_cell("4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0",
                      "4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t3.1")
    report = parse_report(text)
    cells = report.cells.set_index(["table", "row", "column"])
    total = cells.loc[("requests", "denied_third_party", "total")]
    assert total.status == "missing" and math.isnan(total.value)
    assert "fraction where a count belongs" in total.note
    found = report.findings
    assert ((found.rule == "unreadable_number") & (found.row == "denied_third_party")
            & (found.column == "total")).sum() == 1
    # the other cells of the row are read as printed
    assert cells.loc[("requests", "denied_third_party", "natural_person")].value == 0


def test_the_same_row_with_a_whole_number_is_read():
    report = parse_report(SEED_004.read_text(encoding="utf-8"))
    cells = report.cells.set_index(["table", "row", "column"])
    assert cells.loc[("requests", "denied_third_party", "total")].value == 0
    assert not (report.findings.rule == "unreadable_number").any()
