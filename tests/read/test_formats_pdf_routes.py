"""The two PDF routes: pdfium (the default) reads every seed PDF, reportlab's and
LibreOffice Writer's, to the same lines and cells as the pdfplumber route; where it
hands a PDF over to pdfplumber, and why; and it is safe to call from threads."""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import govopen
from govopen.errors import ParseError
from govopen.read import _pdfium
from govopen.read.pdf import pdf_to_text
from tests.support import REPO
from tests.support import format_fixtures as ff
from tests.support import pdf_fixtures as pf

FORMATS = REPO / "tests" / "data" / "formats"
KEY = ["table", "row", "column", "value", "status"]

# LibreOffice lets a table row break across a page: each half reads as a line of its
# page's table (on both routes), the row's label cut in two, its numbers on one half.
# The first half's label as these seeds' PDFs print it: （七） of （七）总计, 6.属于四 of
# 6.属于四类过程性信息 (and its numbers), 1. 信访 of 1. 信访举报投诉类申请.
ROWS_SPLIT_OVER_PAGES = {"000": "\t(七)\t", "001": "6.属于四\t", "003": "\t1. 信访\t"}


def writer_pdf(seed) -> bytes:
    return (FORMATS / f"seed-{seed.name[:3]}-writer.pdf").read_bytes()


def text_seed(seed) -> Path:
    return next(p for p in ff.SEEDS if p.stem == seed.name)


def cells(source) -> list[tuple]:
    c = govopen.parse_report(source).cells
    return sorted(tuple(str(v) for v in row) for row in c[KEY].values.tolist())


def rows_in_order(text: str, seed) -> list[list[str]]:
    """The seed's rows not found, in order, among the text's lines (blanks aside)."""
    got = [ff.nonempty(ff.squeeze([line.split("\t")]))[0] for line in text.splitlines()]
    it = iter(got)
    return [row for row in ff.nonempty(ff.squeeze(seed.expected_rows()))
            if not any(row == line for line in it)]


@pytest.mark.slow
def test_seed_pdf_routes_agree(seed):
    data = ff.seed_pdf(seed)
    new, old = pdf_to_text(data, "s.pdf"), pdf_to_text(data, "s.pdf", route="pdfplumber")
    assert rows_in_order(new, seed) == []
    if seed.name.startswith("001"):
        # pdfminer drops the no-break space of "2021-01-19 00:00" (its text: U+00A0)
        # in the STSong-Light font with UCS2 codes, and the advance after it
        differ = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True)
                  if a != b]
        assert differ == [("发布时间:2021-01-1900:00", "发布时间:2021-01-19 00:00")]
    else:
        assert new == old
    assert cells(new) == cells(old) == cells(text_seed(seed))


def test_writer_pdf_routes_agree(seed):
    data = writer_pdf(seed)
    new = pdf_to_text(data, "w.pdf")
    assert new == pdf_to_text(data, "w.pdf", route="pdfplumber")
    assert new.splitlines()[0] == seed.title or seed.title in new


def values(source) -> dict[tuple, tuple[float, str]]:
    c = govopen.parse_report(source).cells
    return {(r.table, r.row, r.column): (r.value, r.status) for r in c.itertuples()}


@pytest.mark.slow
def test_writer_pdf_cells_as_the_text(seed):
    want = values(text_seed(seed))
    got = values(writer_pdf(seed))
    assert got.keys() == want.keys()
    # never a value other than the text's (a cell may be missing, not different) ...
    assert [(k, got[k][0], v) for k, (v, _) in want.items()
            if not math.isnan(got[k][0]) and not math.isnan(v) and got[k][0] != v] == []
    # ... and the rows broken across pages (ROWS_SPLIT_OVER_PAGES) read whole: every
    # cell as the text's, its status too
    half = ROWS_SPLIT_OVER_PAGES.get(seed.name[:3])
    if half:
        assert half in pdf_to_text(writer_pdf(seed), "w.pdf")
    assert {k: (str(v), st) for k, (v, st) in got.items()} == \
        {k: (str(v), st) for k, (v, st) in want.items()}


def test_writer_pdf_rows_split_over_pages():
    """Seed 003's row "(五) 不予处理 / 1. 信访举报投诉类申请" starts at the foot of a page
    and ends at the head of the next: two lines, the numbers on the first (read as one
    row: ``test_writer_pdf_cells_as_the_text``)."""
    seed = ff.load_seed(ff.SEEDS[3])
    lines = pdf_to_text(writer_pdf(seed), "w.pdf").splitlines()
    at = lines.index("\t(五)\t1. 信访\t2\t0\t0\t0\t0\t0\t2")
    assert lines[at + 1] == "\t不予处理\t举报投诉类申请" + "\t" * 7


def test_small_fixtures_routes_agree():
    for data in (pf.report_pdf(), pf.report_pdf(crop=(40, 40, 555, 830)),
                 pf.report_pdf(media=(30, 100, 565, 942), widths=(300, 150, 150)),
                 pf.missing_fontbbox_pdf()):
        assert pdf_to_text(data, "f.pdf").splitlines() == pf.TEXT
        assert pdf_to_text(data, "f.pdf") == pdf_to_text(data, "f.pdf", route="pdfplumber")


def test_fake_bold_doubled_chars_once():
    """Each character drawn twice, the second 0.3 pt to the right (how Word fakes bold
    for a font without a bold face): read once, on both routes."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    for dx in (0, 0.3):
        c.drawString(72 + dx, 700, "一、总体情况")
    c.drawString(72, 670, "本机关全年主动公开信息12条。")
    c.drawString(72, 640, "二、其他需要报告的事项")
    c.save()
    data = buf.getvalue()
    assert _pdfium.read_pages(data, 10)[0].chars  # the pdfium route reads it itself
    want = ["一、总体情况", "本机关全年主动公开信息12条。", "二、其他需要报告的事项"]
    assert pdf_to_text(data, "b.pdf").splitlines() == want
    assert pdf_to_text(data, "b.pdf", route="pdfplumber").splitlines() == want


def test_rotated_page_goes_to_pdfplumber():
    """A page with /Rotate is read by the pdfplumber route, as before. (Which cuts off
    what lies beyond the unrotated width: its MediaBox is not turned with the page.)"""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setPageRotation(90)
    c.setFont("STSong-Light", 12)
    c.drawString(200, 400, "一、总体情况")
    c.save()
    with pytest.raises(_pdfium.Fallback, match="rotated"):
        _pdfium.read_pages(buf.getvalue(), 10)
    assert pdf_to_text(buf.getvalue(), "r.pdf") == pdf_to_text(buf.getvalue(), "r.pdf",
                                                               route="pdfplumber")


def test_unknown_route():
    with pytest.raises(ValueError, match="route"):
        pdf_to_text(pf.report_pdf(), "f.pdf", route="fast")


def test_pdfium_route_from_threads():
    """pdfium is not thread-safe: reads from several threads at once are serialised on
    its lock and all come out right."""
    data = [writer_pdf(ff.load_seed(p)) for p in ff.SEEDS[:2]] * 3
    want = [pdf_to_text(d, "t.pdf") for d in data]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda d: pdf_to_text(d, "t.pdf"), data)) == want


def test_committed_writer_pdfs_are_what_the_readme_says():
    readme = (FORMATS / "README.md").read_text(encoding="utf-8")
    assert "LibreOffice Writer 7.4.7.2" in readme
    assert sorted(p.name for p in Path(FORMATS).glob("*.pdf")) == [
        f"seed-{p.name[:3]}-writer.pdf" for p in ff.SEEDS]


@pytest.mark.parametrize("route", ["pdfium", "pdfplumber"])
def test_font_without_unicode_map_needs_ocr(route, tmp_path):
    with pytest.raises(ParseError, match="no Unicode map.*OCR") as e:
        pdf_to_text(pf.no_unicode_map_pdf(), "nomap.pdf", route=route)
    assert "nomap.pdf" in str(e.value)


def test_pdfium_sees_the_missing_unicode_map_itself(monkeypatch):
    """Past the Type3 check, pdfium's own flag hands the PDF to pdfplumber."""
    monkeypatch.setattr(_pdfium, "_descents", lambda data: {})
    with pytest.raises(_pdfium.Fallback, match="Unicode map"):
        _pdfium.read_pages(pf.no_unicode_map_pdf(), 10)


@pytest.mark.parametrize("route", ["pdfium", "pdfplumber"])
def test_scan_and_damaged_on_both_routes(route):
    with pytest.raises(ParseError, match="no text layer.*OCR"):
        pdf_to_text(ff.scanned_pdf(), "scan.pdf", route=route)
    with pytest.raises(ParseError, match="damaged or not a PDF"):
        pdf_to_text(b"%PDF-1.4\nthis is not really a pdf\n", "bad.pdf", route=route)
