"""PDF → text: text lines as lines, every ruled table row one line of tab-separated cells.

In: the bytes of a PDF with a text layer. Out: the text the parser reads, page by page
in reading order (top to bottom; tables where they stand on the page).

A page is what a viewer shows of it: its CropBox, cut to its MediaBox. Text and ruling
lines beyond it are cut off there, so a table running off the edge of the paper is read
up to the edge, and text placed off the page is not read at all.

Reading is done by pdfplumber (pdfminer.six underneath, both MIT): it finds tables from
their ruling lines and cell borders, which is how Word/WPS exports draw them, and gives
merged cells once (the positions they cover come back empty). Characters printed twice
to fake bold are merged first. Cell text is taken as extracted: a number split over two
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
import re
import statistics
import threading

from ..errors import ParseError
from ._text import collapse, join_lines, table_lines

# what a page holds, top to bottom: a text line (pdfplumber's dict) or a table (its lines)
PageItem = dict | list[str]

MAX_PAGES = 500

_PAGE_NUMBER = re.compile(
    r"^([-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|(page\s*)?\d+\s*(of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$", re.I)
_WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef]")
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


def pdf_to_text(data: bytes, label: str) -> str:
    """The text of a PDF (see the module docstring)."""
    with library_logs_to_debug():
        return _read(data, label)


def _read(data: bytes, label: str) -> str:
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
    return join_lines(_lines(items))


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
        rows = [[collapse(_unwrap(c or "")) for c in row] for row in table.extract()]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows if any(r)]
        if not rows or width < 2:
            continue  # a box round a paragraph or a page frame: its text is read as text
        # strict would refuse a table overhanging the page; its objects only need leaving out
        rest = rest.outside_bbox(table.bbox, strict=False)
        items.append((table.bbox[1], table_lines(rows)))
    y0, height = float(page.bbox[1]), float(page.height)
    for line in rest.extract_text_lines(return_chars=False):
        text = collapse(line["text"])
        if not text:
            continue
        top, bottom = line["top"] - y0, line["bottom"] - y0
        if _PAGE_NUMBER.match(text) and (top < 0.1 * height or bottom > 0.9 * height):
            continue
        items.append((line["top"], dict(line, text=text)))
    items.sort(key=lambda it: (it[0], isinstance(it[1], dict)))
    return items


def _lines(items: list[tuple[int, float, PageItem]]) -> list[str]:
    """Join text lines that wrap at the right margin into their paragraph, also over a
    page break; table lines stay as they are."""
    text_lines = [it for _, _, it in items if isinstance(it, dict)]
    if not text_lines:
        return [line for _, _, it in items for line in it]
    left = min(ln["x0"] for ln in text_lines)
    ends = sorted(ln["x1"] for ln in text_lines)
    right = ends[int(0.9 * (len(ends) - 1))]  # the right margin, a stray long line aside
    size = statistics.median(ln["bottom"] - ln["top"] for ln in text_lines) or 10.0
    out: list[str] = []
    prev: tuple[int, dict] | None = None  # the last item, when it was a text line
    for page, _, item in items:
        if not isinstance(item, dict):
            out.extend(item)
            prev = None
            continue
        joins = (prev is not None
                 and prev[1]["x1"] >= right - 2 * size         # the previous line ran full
                 and item["x0"] <= left + 0.5 * size           # this one is not indented
                 and (page != prev[0]                          # and follows it closely
                      or 0 <= item["top"] - prev[1]["bottom"] < 1.2 * size))
        text = item["text"]
        if joins:
            before = out[-1]
            sep = "" if _WIDE.match(before[-1]) and _WIDE.match(text[0]) else " "
            out[-1] = before + sep + text
        else:
            out.append(text)
        prev = (page, item)
    return out


def _unwrap(text: str) -> str:
    """A cell's lines as one: nothing between two Chinese characters, else one space."""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not (_WIDE.match(out[-1]) and _WIDE.match(p[0])):
            out += " "
        out += p
    return out
