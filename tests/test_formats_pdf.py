"""The PDF reader: seeds rebuilt with reportlab (ruled tables, spans, page numbers) read
back cell for cell; split digits stay split; scans and broken files say what to do."""

from __future__ import annotations

import io
import re

import format_fixtures as ff
import pytest
from conftest import seed_path

from govopen.errors import ParseError
from govopen.sources import load

# --- PDF ------------------------------------------------------------------------------------

def test_pdf_seed_tables_cell_for_cell(seed, tmp_path):
    doc = load(ff.write_file(tmp_path, f"{seed.name}.pdf", ff.seed_pdf(seed)))
    assert doc.format == "pdf"
    got_lines = [ff.nonempty(ff.squeeze([line.split("\t")]))[0] for line in doc.text.splitlines()]
    want = ff.nonempty(ff.squeeze(seed.expected_rows()))
    # Every row, in order, cell for cell (blanks inside cells aside: wrapping decides them).
    it = iter(got_lines)
    missing = [row for row in want if not any(row == line for line in it)]
    assert not missing, missing[:3]
    # Rows of two or more cells are table lines; the page footers ('- 2 -') are gone.
    tab = ff.nonempty(ff.squeeze(ff.tab_rows(doc.text)))
    assert [r for r in want if len(r) > 1] == [r for r in tab if len(r) > 1]
    assert not re.search(r"^- \d+ -$", doc.text, re.M)
    # Paragraphs wrapped over several lines, and over page breaks, are one line each.
    lines = {re.sub(r"\s", "", line) for line in doc.text.splitlines()}
    paragraphs = [b for b in seed.blocks if isinstance(b, str)]
    assert [p for p in paragraphs if re.sub(r"\s", "", p) not in lines] == []


def test_pdf_spanned_number_once():
    seed = ff.load_seed(seed_path("000"))
    rows = ff.tab_rows(load(ff.seed_pdf(seed)).text)
    licensing = [r for r in rows if r[0] == "行政许可"]
    assert licensing and [c for c in licensing[0] if c] == ["行政许可", "0"]


def test_pdf_split_digits_stay_split():
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    table = Table([["规范性文件", "1", "23", "4"], ["行政许可", "5", "6", "7"]],
                  colWidths=[80, 14, 14, 40],
                  style=TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light"),
                                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    SimpleDocTemplate(buf).build([table])
    assert "规范性文件\t1\t23\t4" in load(buf.getvalue()).text


def test_pdf_page_frame_and_boxed_text_are_text():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("p", fontName="STSong-Light", fontSize=10, leading=14)
    boxed = Table([[Paragraph("六、其他需要报告的事项", style)], [Paragraph("无。", style)]],
                  style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
    data = Table([["行政许可", "5", "6"]],
                 style=TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light"),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))

    def frame(canvas, doc):
        canvas.rect(20, 20, doc.pagesize[0] - 40, doc.pagesize[1] - 40)

    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph("一、总体情况", style), data, boxed],
                                 onFirstPage=frame)
    assert load(buf.getvalue()).text.splitlines() == [
        "一、总体情况", "行政许可\t5\t6", "六、其他需要报告的事项", "无。"]


def test_pdf_scan_needs_ocr(tmp_path):
    with pytest.raises(ParseError, match="OCR") as e:
        load(ff.write_file(tmp_path, "scan.pdf", ff.scanned_pdf()))
    assert "no text layer" in str(e.value) and "scan.pdf" in str(e.value)


def test_pdf_damaged_and_encrypted():
    with pytest.raises(ParseError, match="damaged or not a PDF"):
        load(b"%PDF-1.4\nthis is not really a pdf\n")
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(100, 700, "hello")
    c.save()
    with pytest.raises(ParseError, match="password"):
        load(buf.getvalue())


@pytest.mark.parametrize("junk", [b"\0\0", b"\x01"])
def test_pdf_broken_page_box_is_a_parse_error(junk):
    """Found by fuzzing: a page whose MediaBox is broken raised again while the PDF was
    closed, replacing the ParseError with an IndexError or a pdfplumber exception."""
    data = ff.seed_pdf(ff.load_seed(ff.SEEDS[4]))
    at = int(0.103515625 * len(data))
    with pytest.raises(ParseError, match="PDF"):
        load(data[:at] + junk + data[at + len(junk):])
