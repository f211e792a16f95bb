"""PDF → text: text lines as lines, every ruled table row one line of tab-separated cells.

In: the bytes of a PDF with a text layer. Out: the text the parser reads, page by page
in reading order (top to bottom; tables where they stand on the page).

A page is what a viewer shows of it: its CropBox, cut to its MediaBox. Text and ruling
lines beyond it are cut off there, so a table running off the edge of the paper is read
up to the edge, and text placed off the page is not read at all.

Tables are found from their ruling lines and cell borders, which is how Word/WPS exports
draw them, by pdfplumber's method (MIT), and merged cells are given once (the positions
they cover come back empty). Characters printed twice to fake bold are merged first.

Two routes read the pages, to the same lines. "pdfium" (the default): pypdfium2 (pdfium,
Apache/BSD) gives the characters and ruling lines (``_pdfium``), and ``_layout`` redoes
pdfplumber's table and line finding on them, several times faster than pdfminer's
Python parsing. "pdfplumber": pdfplumber and pdfminer.six do it all, as before; the
pdfium route hands a PDF over to it where it does not model a page the same way
(rotated pages, text that is not upright, fonts without a Unicode map, lines inside form
XObjects, broken page boxes, no text, files pdfium cannot open). The routes differ where
pdfminer loses a character pdfium decodes: a no-break space in a CID font with the
UniGB-UCS2-H encoding, dropped by pdfminer with the advance after it. Cell text is taken as extracted: a number split over two
cells stays two cells for the parser's checks to flag, never joined here. A line that
wraps inside a cell is joined (with no space between two Chinese characters, one space
otherwise); a paragraph that wraps at the right margin is joined into one line, over a
page break too; page numbers in the top and bottom margins are dropped.

Tables without ruling lines come out as lines of space-separated words, which the text
parser reads as it reads space-separated text. A PDF without a text layer (a scan), or
whose fonts carry no Unicode map, raises ``NeedsOCR`` (a ``ParseError``): ``load`` reads it
by OCR when asked to (``ocr=True``), and otherwise says how.

pdfminer and pdfplumber log warnings about fonts and damaged objects while they read
(``Could not get FontBBox ...``, often many times a file): during a read these go to the
``govopen.read.pdf`` logger at DEBUG, not to the terminal.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading

from ..errors import ParseError
from ._layout import PageItem, document_lines, page_items, text_rows, with_text_lines
from ._pdfium import Fallback, read_pages
from ._text import join_lines, table_lines

MAX_PAGES = 500

OCR_HINT = ("read it by OCR: `govopen parse --ocr` or `govopen check --ocr`, or "
            "parse_report(..., ocr=True); this needs pip install 'govopen[ocr]'")

log = logging.getLogger(__name__)
_LIBRARY_LOGGERS = ("pdfminer", "pdfplumber")


class NeedsOCR(ParseError):
    """A PDF whose text cannot be read from it: a scan, or fonts without a Unicode map."""


class _ToDebug(logging.Handler):
    """Hands a library's record on to this module's logger at DEBUG."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - handleError would print to stderr, the noise avoided
            message = f"{record.msg!r} % {record.args!r}"
        log.debug("%s %s: %s", record.name, record.levelname, message, exc_info=record.exc_info)


_TO_DEBUG = _ToDebug()
_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_saved: list[tuple[logging.Logger, bool]] = []


@contextlib.contextmanager
def library_logs_to_debug():
    """While a PDF is read, pdfminer's and pdfplumber's records (one real report gave 141
    FontBBox warnings) go to ``govopen.read.pdf`` at DEBUG instead of the terminal;
    the loggers are put back as they were afterwards. Their levels are left alone: a
    lower one would make pdfminer build a debug record for every token it parses.

    Counted, not saved and restored per call: two threads reading at once would
    otherwise restore each other's state and leave the loggers diverted for good."""
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in _LIBRARY_LOGGERS:
                logger = logging.getLogger(name)
                _quiet_saved.append((logger, logger.propagate))
                logger.addHandler(_TO_DEBUG)
                logger.propagate = False
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for logger, propagate in _quiet_saved:
                    logger.removeHandler(_TO_DEBUG)
                    logger.propagate = propagate
                _quiet_saved.clear()


ROUTES = ("pdfium", "pdfplumber")


def pdf_to_text(data: bytes, label: str, *, route: str = "pdfium") -> str:
    """The text of a PDF (see the module docstring). ``route`` "pdfium" (the default)
    reads the pages with pdfium and falls back to "pdfplumber" for a PDF it does not
    model the same way (see ``_pdfium``); both give the same lines."""
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, not {route!r}")
    with library_logs_to_debug():
        if route == "pdfium":
            try:
                return _read_pdfium(data, label)
            except Fallback as why:
                log.debug("%s: read with pdfplumber: %s", label, why)
        return _read_pdfplumber(data, label)


def _read_pdfium(data: bytes, label: str) -> str:
    pages = read_pages(data, MAX_PAGES)
    if isinstance(pages, int):
        raise ParseError(label, f"PDF has {pages} pages, over the limit of {MAX_PAGES}",
                         "check that it is a report, or split it")
    items: list[tuple[int, float, PageItem]] = []
    for number, page in enumerate(pages):
        if page.chars:
            items.extend((number, top, item)
                         for top, item in page_items(page.chars, page.edges, page.bbox))
    return join_lines(document_lines(items))


def _read_pdfplumber(data: bytes, label: str) -> str:
    import pdfplumber  # noqa: PLC0415 - imported only when a PDF is read
    from pdfplumber.utils.exceptions import PdfminerException  # noqa: PLC0415

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        raise _open_error(label, e) from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise ParseError(label, f"PDF cannot be read ({type(e).__name__}: {e})",
                         "re-download it, or print it to a new PDF") from None
    items: list[tuple[int, float, PageItem]] = []  # (page, top, table lines | text line)
    chars = cid = images = 0
    # not ``with pdf``: closing a broken PDF reads its pages again and may raise anew,
    # hiding the ParseError that says what is wrong
    try:
        try:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                raise ParseError(label, f"PDF has {len(pages)} pages, over the limit of {MAX_PAGES}",
                                 "check that it is a report, or split it")
            for number, page in enumerate(pages):
                shown = _visible(page)
                page_chars = shown.chars
                chars += len(page_chars)
                cid += sum(1 for c in page_chars if c.get("text", "").startswith("(cid:"))
                images += len(shown.images)
                if page_chars:
                    items.extend((number, top, item) for top, item in _page_items(shown))
                page.close()
        except ParseError:
            raise
        except PdfminerException as e:
            raise _open_error(label, e) from None
        except Exception as e:  # noqa: BLE001
            raise ParseError(label, f"PDF cannot be read ({type(e).__name__}: {e})",
                             "re-download it, or print it to a new PDF") from None
    finally:
        with contextlib.suppress(Exception):
            pdf.close()
    if chars == 0:
        what = "scanned pages (images only)" if images else "no text"
        raise NeedsOCR(label, f"PDF has no text layer: {what}", OCR_HINT)
    if cid > 0.3 * chars:
        raise NeedsOCR(label, "PDF text cannot be decoded: its fonts carry no Unicode map "
                       "(text comes out as (cid:NN))", OCR_HINT)
    return join_lines(document_lines(items))


def _open_error(label: str, e: Exception) -> ParseError:
    inner = e.args[0] if e.args else e
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return ParseError(label, "PDF is password-protected",
                          "open it with the password and print it to a new PDF")
    return ParseError(label, f"PDF is damaged or not a PDF ({name}: {inner})",
                      "re-download it, or print it to a new PDF")


def _visible(page):
    """The page as a viewer shows it: its CropBox cut to its MediaBox (the whole
    MediaBox when the two do not overlap), with what lies outside cut off. Unclipped,
    a table running off the page made pdfplumber refuse the page."""
    box = _overlap(page.cropbox, page.mediabox) or tuple(page.mediabox)
    if box == tuple(page.bbox) and all(
            box[0] <= o["x0"] and o["x1"] <= box[2] and box[1] <= o["top"] and o["bottom"] <= box[3]
            for objs in page.objects.values() for o in objs):
        return page  # the usual case, without copying every object
    return page.crop(box, strict=False)


def _overlap(a, b) -> tuple[float, float, float, float] | None:
    x0, top, x1, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, top, x1, bottom) if x0 < x1 and top < bottom else None


def _page_items(page) -> list[tuple[float, PageItem]]:
    """A page's tables (as lists of tab lines) and text lines (dicts), top to bottom."""
    page = page.dedupe_chars()
    items: list[tuple[float, PageItem]] = []
    rest = page
    for table in page.find_tables():
        rows = text_rows(table.extract())
        if rows is None:
            continue  # a box round a paragraph or a page frame: its text is read as text
        # strict would refuse a table overhanging the page; its objects only need leaving out
        rest = rest.outside_bbox(table.bbox, strict=False)
        items.append((table.bbox[1], table_lines(rows)))
    return with_text_lines(items, rest.extract_text_lines(return_chars=False),
                           float(page.bbox[1]), float(page.height))
