"""What an OCR'd report keeps: the review of its cells (``govopen.parse.scan``), without OCR.

A seed's text stands in for what OCR read, with the ``OcrCell`` records a scan carries:
a number misread ('5' where the page prints '0') must never be kept, whichever cell it is
in; a cell OCR was unsure of is unknown, and named; a section 二 number read with less
than ``MIN_UNCONFIRMED_SCORE`` is not kept, as no identity could catch it.
"""

from __future__ import annotations

import math

import pytest

from govopen.parse import scan
from govopen.parse.report import parse_report
from govopen.read.ocr import UNSURE_MARK, OcrCell
from govopen.read.sources import Document
from tests.support import scan_fixtures as sf
from tests.support import seed_path

SEED = "000"


def _scan(text: str, cells=()) -> Document:
    return Document("scan.pdf", "abc", "scan", text, "", tuple(cells))


def _cells_of(text: str, min_score: float = 0.99) -> tuple[list[str], list[OcrCell]]:
    """Every number field of the tab lines, as OCR records read surely."""
    lines = text.split("\n")
    cells = []
    for n, line in enumerate(lines, start=1):
        for k, f in enumerate(line.split("\t")):
            if "\t" in line and f.strip().isdigit():
                cells.append(OcrCell(n, k, f.strip(), min_score, True))
    return lines, cells


def _field(lines: list[str], label: str, field: int) -> tuple[int, int]:
    n = next(i for i, line in enumerate(lines, start=1) if line.startswith(label))
    assert lines[n - 1].split("\t")[field].strip(), "the field prints a number"
    return n, field


def _with(lines: list[str], at: tuple[int, int], value: str) -> str:
    out = list(lines)
    fields = out[at[0] - 1].split("\t")
    fields[at[1]] = value
    out[at[0] - 1] = "\t".join(fields)
    return "\n".join(out)


@pytest.fixture(scope="module")
def seed_text():
    return seed_path(SEED).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def truth():
    return parse_report(seed_path(SEED))


@pytest.mark.parametrize("label,field", [
    ("一、本年新收", 1),   # natural persons' new requests (14)
    ("一、本年新收", 7),   # their total (14)
    ("二、上年结转", 3),   # a zero
])
def test_a_misread_number_is_never_kept(seed_text, truth, label, field):
    lines, cells = _cells_of(seed_text)
    at = _field(lines, label, field)
    old = lines[at[0] - 1].split("\t")[field]
    misread = "5" if old != "5" else "3"
    report = parse_report(_scan(_with(lines, at, misread), cells))
    score = sf.compare(report, truth)
    assert score.wrong == 0, score.wrong_cells
    misreads = report.findings[report.findings["rule"] == "ocr_misread"]
    assert len(misreads) >= 1
    assert "likely misread" in misreads["message"].iloc[0]
    # the identities it broke are not errors of the report: OCR may have read it wrong
    assert not report.findings["rule"].isin(["row_total", "outcome_total", "balance"]).any()
    assert score.missing > 0


def test_a_cell_ocr_was_unsure_of_is_unknown_and_named(seed_text, truth):
    lines, cells = _cells_of(seed_text)
    at = _field(lines, "二、上年结转", 2)
    cells = [c for c in cells if (c.line, c.field) != at]
    cells.append(OcrCell(*at, "0", 0.41, False))
    report = parse_report(_scan(_with(lines, at, UNSURE_MARK), cells))
    assert sf.compare(report, truth).wrong == 0
    low = report.findings[report.findings["rule"] == "ocr_low_confidence"]
    assert list(zip(low["table"], low["row"], low["column"], strict=True)) == [
        ("requests", "carried_over", "commercial")]
    assert "'0'" in low["message"].iloc[0] and "0.41" in low["message"].iloc[0]
    assert "misread_number" not in set(report.findings["rule"])  # said once, by OCR's rule
    cell = report.cells.set_index(["table", "row", "column"]).loc[
        ("requests", "carried_over", "commercial")]
    # the identities force it back to what the page prints, and say so
    assert (cell["status"], cell["value"]) == ("inferred", 0.0)
    assert "too unsure" in cell["note"]


def test_an_unconfirmed_number_needs_the_stricter_score(seed_text, truth):
    """Section 二 has no identity: its numbers are kept only read surely."""
    lines, cells = _cells_of(seed_text)
    at = _field(lines, "行政许可", 1)
    unsure = scan.MIN_UNCONFIRMED_SCORE - 0.01
    cells = [OcrCell(c.line, c.field, c.text, unsure, True) if (c.line, c.field) == at else c
             for c in cells]
    report = parse_report(_scan("\n".join(lines), cells))
    cell = report.cells.set_index(["table", "row", "column"]).loc[
        ("active", "licensing", "decisions")]
    assert cell["status"] == "missing" and math.isnan(cell["value"])
    low = report.findings[report.findings["rule"] == "ocr_low_confidence"]
    assert list(low["row"]) == ["licensing"]
    sure = parse_report(_scan("\n".join(lines), _cells_of(seed_text)[1]))
    assert sf.compare(sure, truth).missing == sf.compare(parse_report(seed_path(SEED)),
                                                          truth).missing


def test_locate_finds_the_cell_of_every_position(seed_text):
    lines, cells = _cells_of(seed_text)
    located = scan.locate("\n".join(lines), tuple(cells),
                          lambda text: parse_report(text).cell_rows)
    at = _field(lines, "一、本年新收", 1)
    assert located[at] == ("requests", "new_received", "natural_person")
    at = _field(lines, "一、本年新收", 7)
    assert located[at] == ("requests", "new_received", "total")
