"""The PDF reader: seeds rebuilt with reportlab (ruled tables, spans, page numbers) read
back cell for cell; split digits stay split; scans and broken files say what to do;
pdfminer's warnings stay off the terminal."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from govopen.errors import ParseError
from govopen.read.sources import load
from tests.support import format_fixtures as ff
from tests.support import pdf_fixtures as pf
from tests.support import seed_path

# --- PDF ------------------------------------------------------------------------------------

@pytest.mark.slow
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


@pytest.mark.slow
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


# --- library log noise ------------------------------------------------------------------

_WARNING = "Could not get FontBBox"


def test_pdf_library_warnings_go_to_debug(caplog):
    """pdfminer's warnings reach neither the root logger nor its own ones' handlers: they
    are on ``govopen.read.pdf`` at DEBUG, and the loggers are as they were after. (The
    pdfplumber route: the pdfium one does not load the font through pdfminer.)"""
    from govopen.read.pdf import pdf_to_text

    pdfminer = logging.getLogger("pdfminer")
    before = (pdfminer.propagate, list(pdfminer.handlers), pdfminer.level)
    with caplog.at_level(logging.DEBUG, logger="govopen.read.pdf"):
        text = pdf_to_text(pf.missing_fontbbox_pdf(), "fontbbox.pdf", route="pdfplumber")
    assert text.splitlines() == pf.TEXT
    assert [r.name for r in caplog.records if r.name.startswith(("pdfminer", "pdfplumber"))] == []
    ours = [r for r in caplog.records if _WARNING in r.getMessage()]
    assert ours and {(r.name, r.levelno) for r in ours} == {("govopen.read.pdf", logging.DEBUG)}
    assert ours[0].getMessage().startswith("pdfminer.pdffont WARNING: ")
    assert (pdfminer.propagate, list(pdfminer.handlers), pdfminer.level) == before


@pytest.mark.slow
def test_pdf_library_warnings_not_on_the_terminal(tmp_path):
    """As a user runs it, with no logging set up: Python prints a library's warnings to
    stderr by itself, which the plain pdfplumber call shows the fixture does."""
    path = ff.write_file(tmp_path, "fontbbox.pdf", pf.missing_fontbbox_pdf())
    script = ("import io, sys, pdfplumber\n"
              "from govopen.read.sources import load\n"
              "data = open(sys.argv[1], 'rb').read()\n"
              "if sys.argv[2] == 'plain':\n"
              "    pdfplumber.open(io.BytesIO(data)).pages[0].extract_text()\n"
              "else:\n"
              "    print(load(data).text.splitlines()[1])\n")
    run = [sys.executable, "-c", script, str(path)]
    plain = subprocess.run([*run, "plain"], capture_output=True, text=True, timeout=60)
    assert _WARNING in plain.stderr
    ours = subprocess.run([*run, "govopen"], capture_output=True, text=True, timeout=60)
    assert (ours.returncode, ours.stdout, ours.stderr) == (0, "行政许可\t5\t6\n", "")


def test_pdf_library_loggers_restored_after_threads_and_errors(caplog):
    """Reads that overlap in threads, the first in leaving first and one failing: the
    others stay quiet after the first has left, and the loggers end as they were."""
    from govopen.read.pdf import library_logs_to_debug

    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    before = [(lg.propagate, list(lg.handlers)) for lg in loggers]
    data = pf.missing_fontbbox_pdf()
    first_in, first_out, all_in = threading.Event(), threading.Event(), threading.Barrier(4)

    def read(i: int) -> str:
        if i:
            assert first_in.wait(30)
        try:
            with library_logs_to_debug():
                first_in.set()
                all_in.wait(30)
                if i:
                    assert first_out.wait(30)
                if i == 3:
                    raise RuntimeError("boom")
                return load(data).text
        finally:
            if i == 0:
                first_out.set()

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(read, i) for i in range(4)]
        texts = [f.result() for f in futures[:3]]
        with pytest.raises(RuntimeError, match="boom"):
            futures[3].result()
    assert all(t.splitlines() == pf.TEXT for t in texts)
    assert [r.name for r in caplog.records if r.name.startswith("pdfminer")] == []
    assert [(lg.propagate, list(lg.handlers)) for lg in loggers] == before


def test_pdf_library_record_that_cannot_be_formatted(caplog, capsys):
    """A library record whose arguments do not fit its format is still handed on, not
    reported on stderr as a logging error."""
    from govopen.read.pdf import library_logs_to_debug

    with caplog.at_level(logging.DEBUG, logger="govopen.read.pdf"), library_logs_to_debug():
        logging.getLogger("pdfminer.pdffont").warning("width %d", "wide")
    assert capsys.readouterr().err == ""
    assert [r.getMessage() for r in caplog.records] == [
        "pdfminer.pdffont WARNING: 'width %d' % ('wide',)"]


# --- page boxes -------------------------------------------------------------------------

_OFF_PAGE = "页面以外的文字"
_WIDE = (300, 150, 150)  # the table ends at x=660, past the A4 page's 595


@pytest.mark.parametrize("boxes", [
    {},                                          # the table runs off the page
    {"media": (0, 0, 540, 842)},                 # ... off a narrower page
    {"media": (30, 100, 565, 942)},              # ... off a page whose origin is not 0, 0
    {"crop": (-50, -50, 645, 892)},              # a CropBox larger than the page
    {"crop": (40, 40, 555, 830)},                # a CropBox inside it, cutting the table
    {"crop": (900, 900, 1200, 1200)},            # a CropBox that misses the page
], ids=["wide-table", "narrow-page", "offset-page", "large-crop", "small-crop", "crop-off"])
def test_pdf_content_outside_the_page_is_clipped(boxes):
    """Found on a real report, rejected as 'Bounding box ... is not fully within parent
    page bounding box': what lies outside the page is cut off, the rest read."""
    data = pf.report_pdf(widths=_WIDE, off_page=_OFF_PAGE, **boxes)
    text = load(data).text
    assert text.splitlines() == pf.TEXT
    assert _OFF_PAGE not in text


def test_pdf_page_number_at_the_top_of_a_cropped_page():
    """The margins a page number is looked for in are those of the visible page: here
    its CropBox cuts 200 points off the top of the page."""
    data = pf.report_pdf(top=600, crop=(0, 0, 595, 642), page_number_at=628)
    assert load(data).text.splitlines() == pf.TEXT
    uncropped = pf.report_pdf(top=600, page_number_at=628)  # mid-page: not a page number
    assert load(uncropped).text.splitlines() == ["- 1 -", *pf.TEXT]
