"""Scans read by OCR (``govopen[ocr]``): only when asked, never fetching anything, and
never a wrong number.

The seeds' PDF pages, rendered once at 300 dpi and committed, are scanned at test time
(``tests.support.scan_fixtures``): at 300 dpi clean, and at 150 dpi turned, noised and through JPEG. Their cells are
scored against the seeds' text versions: no cell may differ (``wrong``), and at least
the measured share of them must be read (``EXACT_AT_LEAST``, a little under what
benchmarks/ocr_accuracy.py measured). Without the extra, a scan asked to be OCR'd says
what to install.
"""

from __future__ import annotations

import builtins
import io
import socket
import sys

import numpy as np
import pytest

from govopen.errors import ParseError
from govopen.parse.report import parse_report
from govopen.read.sources import load
from tests.support import format_fixtures as ff
from tests.support import scan_fixtures as sf
from tests.support import seed_path

# the cells read exactly, at least, when only the pages holding the tables are scanned
# at 150 dpi with skew, noise and JPEG (measured by benchmarks/ocr_accuracy.py: 157 of
# 200, 175 of 175, 185 of 186, 190 of 200, 190 of 198)
EXACT_AT_LEAST = {"000": 150, "001": 168, "002": 178, "003": 183, "004": 183}
# seed 000, every page, 300 dpi clean (measured: 199 of 200, read from the page images)
EXACT_CLEAN_000 = 190


def _needs_ocr():
    pytest.importorskip("rapidocr_onnxruntime")
    pytest.importorskip("pypdfium2")


# --- without OCR ------------------------------------------------------------------------

def test_a_scan_without_ocr_says_how_to_ask(tmp_path):
    path = ff.write_file(tmp_path, "scan.pdf", ff.scanned_pdf())
    with pytest.raises(ParseError, match="no text layer") as e:
        parse_report(path)
    assert "scan.pdf" in str(e.value)
    assert "--ocr" in e.value.hint and "ocr=True" in e.value.hint
    assert "govopen[ocr]" in e.value.hint


def test_an_image_without_ocr_says_how_to_ask():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (40, 40), 255).save(buf, format="PNG")
    with pytest.raises(ParseError, match="only by OCR") as e:
        load(buf.getvalue(), "page.png")
    assert "page.png" in str(e.value) and "--ocr" in e.value.hint


def test_without_the_extra_a_scan_names_what_to_install(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_rapidocr(name, *args, **kwargs):
        if name.startswith("rapidocr_onnxruntime"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "rapidocr_onnxruntime", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_rapidocr)
    path = ff.write_file(tmp_path, "scan.pdf", ff.scanned_pdf())
    with pytest.raises(ParseError) as e:
        parse_report(path, ocr=True)
    assert e.value.source == str(path)
    assert "pip install 'govopen[ocr]'" in str(e.value)


def test_an_image_claiming_a_huge_canvas_is_refused():
    pytest.importorskip("rapidocr_onnxruntime")
    import warnings

    from PIL import Image

    from govopen.read import ocr

    buf = io.BytesIO()
    Image.new("1", (10_000, 10_000), 1).save(buf, format="PNG")  # 100 million pixels
    assert len(buf.getvalue()) < 1_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's own warning about the size
        with pytest.raises(ParseError, match="too large") as e:
            load(buf.getvalue(), "huge.png", ocr=True)
    assert "huge.png" in str(e.value) and f"{ocr.MAX_PAGE_PIXELS:,}" in str(e.value)


# --- with OCR ---------------------------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails the test: OCR must fetch nothing (models included)."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from govopen.read import ocr

    monkeypatch.setattr(ocr, "_engine", None)  # made anew, under the block


@pytest.mark.slow
def test_a_whole_scanned_seed_reads_exactly_or_not_at_all(no_network, tmp_path):
    """Seed 000 scanned at 300 dpi, every page, as an image-only PDF: no cell differs
    from its text version, nearly all are read, and nothing was fetched."""
    _needs_ocr()
    seed = ff.load_seed(seed_path("000"))
    pdf = sf.image_pdf(sf.scan_pages(seed, sf.CLEAN_300), 300)
    path = ff.write_file(tmp_path, "000（图片版）.pdf", pdf)
    report = parse_report(path, ocr=True)
    truth = parse_report(seed_path("000"))
    assert report.meta.format == "scan"
    assert (report.meta.year, report.meta.agency) == (truth.meta.year, truth.meta.agency)
    score = sf.compare(report, truth)
    assert score.wrong == 0, score.wrong_cells
    assert score.exact >= EXACT_CLEAN_000, score
    assert "只计这一情形" in load(path, ocr=True).text


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXACT_AT_LEAST))
def test_each_seed_scanned_badly_is_never_wrong(name):
    """The pages holding the tables, at 150 dpi with skew, noise and JPEG artefacts, read
    as benchmarks/ocr_accuracy.py reads them (the page images themselves)."""
    _needs_ocr()
    from govopen.read import ocr
    from govopen.read.sources import Document

    seed = ff.load_seed(seed_path(name))
    pages = [np.asarray(p) for p in sf.scan_pages(seed, sf.NOISY_150, sf.table_pages(seed))]
    text, cells = ocr.lay_out(ocr.recognise(pages), name)
    report = parse_report(Document(f"{name}.pdf", name, "scan", text, "", cells))
    score = sf.compare(report, parse_report(seed_path(name)))
    assert score.wrong == 0, score.wrong_cells
    assert score.exact >= EXACT_AT_LEAST[name], score


def _section_three_crop(dpi: int):
    """The top of section 三's table of seed 000, as a grey image."""
    seed = ff.load_seed(seed_path("000"))
    page = sf.seed_pages(seed, dpi, [1])[0]
    w, h = page.size
    return page.crop((0, int(0.15 * h), w, int(0.42 * h)))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_image_files_are_read(fmt):
    """PNG, JPEG and a two-page TIFF: the rows of section 三 come back cell for cell."""
    _needs_ocr()
    crop = _section_three_crop(300)
    pages = [crop, sf.degrade(crop, sf.Condition("skewed", 300, skew=0.8, noise=8))]
    data = sf.image_file(pages, fmt)
    doc = load(data, f"page.{fmt.lower()}", ocr=True)
    assert doc.format == "scan"
    rows = [r for r in ff.tab_rows(doc.text) if r[0].endswith("本年新收政府信息公开申请数量")]
    assert rows, doc.text
    from govopen.read import ocr

    assert all(r[1:] in (["14", "0", "0", "0", "0", "0", "14"],
                         *[["14", "0", "0", "0", "0", "0", "14"][:k] + [ocr.UNSURE_MARK]
                           + ["14", "0", "0", "0", "0", "0", "14"][k + 1:] for k in range(7)])
               for r in rows), rows
    assert len(rows) == (2 if fmt == "TIFF" else 1)
    # what OCR was unsure of is recorded, and marked unknown, never printed
    unsure = {(c.line, c.field) for c in doc.ocr_cells if not c.printed}
    lines = doc.text.splitlines()
    assert all(lines[n - 1].split("\t")[f] == ocr.UNSURE_MARK for n, f in unsure)


def test_reading_pages_of_nothing_says_so():
    pytest.importorskip("rapidocr_onnxruntime")
    from govopen.read import ocr

    with pytest.raises(ParseError, match="no text"):
        ocr.lay_out([[]], "blank.png")
    assert ocr.deskew(np.full((50, 80), 255, np.uint8)).shape == (50, 80)


def test_the_command_line_asks_for_ocr_and_passes_it_on(tmp_path, monkeypatch, capsys):
    from govopen.cli import main
    from govopen.read import ocr

    path = ff.write_file(tmp_path, "scan.pdf", ff.scanned_pdf())
    assert main(["check", str(path)]) == 1
    assert "--ocr" in capsys.readouterr().err
    seen = []

    def refuse(data, label, dpi=ocr.RENDER_DPI):
        seen.append(label)
        raise ParseError(label, "OCR stood in for", "nothing")

    monkeypatch.setattr(ocr, "pdf_to_text", refuse)
    assert main(["check", "--ocr", str(path)]) == 1
    assert seen == [str(path)] and "OCR stood in for" in capsys.readouterr().err
