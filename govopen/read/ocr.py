"""Scans → text: pages that are pictures read by OCR, laid out as the other readers do.

In: the bytes of a PDF without a text layer (a scanned report, 年度报告（图片版）) or of an
image (PNG, JPEG, TIFF with one page or many, BMP, GIF). Out: ``(text, cells)``: the text
in the readers' contract (``_text``: one line per paragraph, every table row one line of
tab-separated cells, a spanned cell's text once in its first position and the positions it
covers empty) and every table cell where OCR read a number, as ``OcrCell`` records (what
it read, how sure it was, whether the text prints it).

Steps, page by page: a PDF page is rendered by pdfium (``RENDER_DPI``); the page is
straightened (the skew that maximises the contrast of its row profile, within
``MAX_SKEW_DEGREES``); ruling lines are found by morphology (long thin runs of ink) and
give each table's grid, whose merged cells are those with no line between them; the
lines are then erased, text is found (PP-OCRv4 detection, on a reduced copy) and read
(PP-OCRv4 recognition, on the full-resolution crop), a piece of text crossing a drawn
column line cut at it. Text in a table cell goes to the cell; other text is grouped into
lines by vertical overlap, and a line that runs to the right margin is joined with the next.

Exactness. A wrong number that looks right is the worst outcome, so a table cell that
holds a number is printed only when OCR read it cleanly (digits, at most one decimal
point, nothing else) and every digit with a confidence of at least ``MIN_DIGIT_SCORE``.
Any other number-like cell ('1O', '7l', two numbers, a low score) prints ``UNSURE_MARK``
instead, so the parser reads it as unknown (missing, or inferred where the identities
settle it) and keeps its place among the row's numbers,
and recorded as not printed.

OCR is RapidOCR (rapidocr-onnxruntime 1.x, Apache-2.0), whose wheel carries the PP-OCRv4
models: nothing is downloaded. It is an extra, ``pip install 'govopen[ocr]'``; one engine
is made per process, when first needed. pdfium is not thread-safe: every call into it
holds one lock.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from dataclasses import dataclass

from ..errors import ParseError
from ._text import WIDE, collapse, join_lines

RENDER_DPI = 300
MAX_PAGES = 500
# A page larger than this many pixels (A3 at 600 dpi is 70 million) is refused before it
# is decoded: a small file can claim a huge canvas (a decompression bomb).
MAX_PAGE_PIXELS = 90_000_000
# Pages are read at no more than this long side (A4 at 300 dpi is 3508): larger scans
# are reduced first, which costs nothing in accuracy and bounds the time.
MAX_SIDE = 4200
# Text detection runs on a copy reduced to this long side; recognition on the full page.
DET_SIDE = 1600
MAX_SKEW_DEGREES = 3.0
# The confidence each character of a number must have for the number to be printed
# (RapidOCR's per-character probability). Measured on the five seeds scanned clean at
# 300 dpi and degraded at 150 dpi (benchmarks/ocr_accuracy.py, --sweep): no cell was
# wrong at any threshold up to 0.9, and two were at 0.95 (the more cells are unknown, the
# fewer identities are left to check the rest); clean zeros score 0.8-0.9 at 150 dpi, so
# 0.9 lost 15% of the cells there. 0.7 keeps all but one of the cells 0.5 keeps, with a
# margin below which a digit is more often a guess than a reading.
MIN_DIGIT_SCORE = 0.7

# What an unsure number cell prints: a letter OCR reads for a digit, which the parser
# takes for a number it cannot know (``misread_number``), in its place. An empty cell
# would not do: in a row read as a run of numbers (no header grid) it leaves no trace,
# and the row's other numbers could be placed one cell over (measured: a 0 read into a
# total of 24 whose two 24s were unsure).
UNSURE_MARK = "O"

INSTALL_HINT = "install the OCR extra: pip install 'govopen[ocr]'"

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# a cell OCR may have read from a number: digits and the letters and marks read for them
_NUMBERISH = re.compile(r"[\dOolIZSBg,.，。·:;'\"|\-_ ]+")
_DIGIT = re.compile(r"\d")
# A label's enumerator whose dot OCR lost ('2其他法律…' for '2.其他法律…'): without the dot
# the parser would read the 2 as a number of the row above
_ENUMERATOR = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class OcrCell:
    """A table cell where OCR read a number, or something like one. ``line`` is the
    1-based line of the text, ``field`` the cell's 0-based position among the line's
    tab-separated fields, ``text`` what OCR read, ``score`` its lowest character
    confidence; ``printed`` whether the text prints it (else it prints ``UNSURE_MARK``)."""

    line: int
    field: int
    text: str
    score: float
    printed: bool


@dataclass(frozen=True)
class Reading:
    """What OCR read in a table cell that holds a number or something like one."""

    text: str
    score: float
    clean: bool  # one number, nothing else

    def printed(self, threshold: float) -> bool:
        return self.clean and self.score >= threshold


# A page as read: text lines (str) and table rows (fields: str, or a Reading)
PageLines = list[str | list[str | Reading]]


# --- the engine -----------------------------------------------------------------------

_engine = None
_engine_lock = threading.Lock()
_pdfium_lock = threading.Lock()


def engine():
    """The process's one RapidOCR engine, made on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR  # noqa: PLC0415 - the optional extra

            _engine = RapidOCR(use_cls=False, print_verbose=False)
        return _engine


def _require(label: str) -> None:
    try:
        import cv2  # noqa: F401, PLC0415
        import rapidocr_onnxruntime  # noqa: F401, PLC0415
    except ImportError:
        raise ParseError(label, "reading a scan needs OCR, which is not installed",
                         INSTALL_HINT) from None


# --- pages ----------------------------------------------------------------------------

def pdf_pages(data: bytes, label: str, dpi: int = RENDER_DPI) -> list:
    """The pages of a PDF rendered as grey numpy arrays."""
    try:
        import pypdfium2 as pdfium  # noqa: PLC0415
    except ImportError:
        raise ParseError(label, "reading a scanned PDF needs pypdfium2, which is not installed",
                         INSTALL_HINT) from None
    import numpy as np  # noqa: PLC0415

    pages = []
    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except Exception as e:  # noqa: BLE001 - pdfium raises PdfiumError and others
            raise ParseError(label, f"PDF cannot be rendered ({type(e).__name__}: {e})",
                             "re-download it, or print it to a new PDF") from None
        try:
            if len(pdf) > MAX_PAGES:
                raise ParseError(label, f"PDF has {len(pdf)} pages, over the limit of {MAX_PAGES}",
                                 "check that it is a report, or split it")
            for i in range(len(pdf)):
                page = pdf[i]
                w, h = page.get_size()
                scale = dpi / 72
                if w * h * scale * scale > MAX_PAGE_PIXELS:
                    scale = (MAX_PAGE_PIXELS / (w * h)) ** 0.5
                scale = min(scale, MAX_SIDE / max(w, h, 1))
                bitmap = page.render(scale=scale, grayscale=True)
                pages.append(np.array(bitmap.to_pil().convert("L")))
                page.close()
        finally:
            pdf.close()
    return pages


def image_pages(data: bytes, label: str) -> list:
    """The frames of an image file (every page of a TIFF) as grey numpy arrays."""
    try:
        from PIL import Image, ImageSequence  # noqa: PLC0415
    except ImportError:
        raise ParseError(label, "reading an image needs Pillow, which is not installed",
                         INSTALL_HINT) from None
    import numpy as np  # noqa: PLC0415

    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:
        raise _bomb(label, str(e)) from None
    except Exception as e:  # noqa: BLE001 - Pillow raises many kinds on broken files
        raise ParseError(label, f"image cannot be read ({type(e).__name__}: {e})",
                         "re-download it, or save it again as PNG") from None
    pages = []
    try:
        for k, frame in enumerate(ImageSequence.Iterator(image)):
            if k >= MAX_PAGES:
                raise ParseError(label, f"image has more than {MAX_PAGES} pages",
                                 "check that it is a report, or split it")
            w, h = frame.size
            if w * h > MAX_PAGE_PIXELS:
                raise _bomb(label, f"{w} x {h} pixels")
            grey = frame.convert("L")
            if max(w, h) > MAX_SIDE:
                ratio = MAX_SIDE / max(w, h)
                grey = grey.resize((max(1, round(w * ratio)), max(1, round(h * ratio))))
            pages.append(np.array(grey))
    except ParseError:
        raise
    except Exception as e:  # noqa: BLE001
        raise ParseError(label, f"image cannot be read ({type(e).__name__}: {e})",
                         "re-download it, or save it again as PNG") from None
    return pages


def _bomb(label: str, size: str) -> ParseError:
    return ParseError(label, f"image is too large to read ({size}; the limit is "
                      f"{MAX_PAGE_PIXELS:,} pixels a page)",
                      "scan it again at 300 dpi, or check that it is a report")


# --- reading --------------------------------------------------------------------------

def pdf_to_text(data: bytes, label: str, dpi: int = RENDER_DPI) -> tuple[str, tuple[OcrCell, ...]]:
    """The text of a scanned PDF and its number cells (see the module docstring)."""
    _require(label)
    return lay_out(recognise(pdf_pages(data, label, dpi)), label)


def image_to_text(data: bytes, label: str) -> tuple[str, tuple[OcrCell, ...]]:
    """The text of an image file (every page of a TIFF) and its number cells."""
    _require(label)
    return lay_out(recognise(image_pages(data, label)), label)


def recognise(pages: list) -> list[PageLines]:
    """Grey page images read: each page's lines and table rows, in reading order."""
    from tqdm.auto import tqdm  # noqa: PLC0415

    # disable=None: the bar shows on a terminal or in a notebook only
    return [read_page(page) for page in tqdm(pages, desc="OCR", unit="page", leave=False,
                                             disable=None if len(pages) > 1 else True)]


def lay_out(pages: list[PageLines], label: str, threshold: float = MIN_DIGIT_SCORE
            ) -> tuple[str, tuple[OcrCell, ...]]:
    """The text of pages read, a number printed only when read cleanly with every digit's
    confidence at least ``threshold``; and every number cell, printed or not."""
    text_lines: list[str] = []
    cells: list[OcrCell] = []
    for page in pages:
        for item in page:
            if isinstance(item, str):
                if item.strip():
                    text_lines.append(item)
                continue
            fields: list[str] = []
            for f in item:
                if isinstance(f, Reading):
                    shown = f.printed(threshold)
                    cells.append(OcrCell(len(text_lines) + 1, len(fields), f.text, f.score, shown))
                    fields.append(f.text if shown else UNSURE_MARK)
                else:
                    fields.append(_ENUMERATOR.sub(r"\1.", f))
            line = "\t".join(fields)
            if line.strip():
                text_lines.append(line)
            else:
                cells = [c for c in cells if c.line != len(text_lines) + 1]
    if not text_lines:
        raise ParseError(label, "OCR found no text on any page",
                         "check that the scan is of a report and legible")
    return join_lines(text_lines), tuple(cells)


@dataclass
class _Piece:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""
    scores: tuple[float, ...] = ()

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def read_page(grey) -> PageLines:
    """One page: its text lines and its tables' rows, top to bottom."""
    import numpy as np  # noqa: PLC0415

    grey = deskew(grey)
    ink = _ink(grey)
    h_mask, v_mask = _rulings(ink)
    tables = _tables(h_mask, v_mask)
    clean = grey.copy()
    lines_mask = _dilate(h_mask | v_mask, 2)
    clean[lines_mask] = 255
    pieces = _detect(clean)
    for t in tables:
        pieces = [p for piece in pieces for p in t.split(piece)]
    _recognise(clean, pieces)
    pieces = [p for p in pieces if p.text.strip()]
    items: list[tuple[float, object]] = []  # (top, table | list of pieces of a line)
    loose = []
    for p in pieces:
        table = next((t for t in tables if t.holds(p)), None)
        if table is not None:
            table.add(p)
        else:
            loose.append(p)
    if tables:
        # the detector, on its reduced copy, misses a lone small digit: a cell it left
        # empty that holds ink is read on its own
        ink_only = ink > 0
        ink_only[lines_mask] = False
        size = float(np.median([p.y1 - p.y0 for p in pieces])) if pieces else 0.0
        missed = [(t, piece) for t in tables for piece in t.unread(ink_only, size)]
        _recognise(clean, [piece for _, piece in missed])
        for t, piece in missed:
            if piece.text.strip():
                t.add(piece)
    for t in tables:
        items.append((t.top, t))
    for group in _group_lines(loose):
        items.append((min(p.y0 for p in group), group))
    items.sort(key=lambda it: it[0])
    height = grey.shape[0]
    out: PageLines = []
    text_lines = [it for _, it in items if isinstance(it, list)]
    left = min((min(p.x0 for p in ln) for ln in text_lines), default=0.0)
    right = float(np.percentile([max(p.x1 for p in ln) for ln in text_lines], 90)) \
        if text_lines else 0.0
    prev = None  # the last text line, when the last item was one
    for _, item in items:
        if isinstance(item, _Table):
            out.extend(item.lines())
            prev = None
            continue
        line: list[_Piece] = item  # type: ignore[assignment]  # not a table: a text line
        text = collapse(_join_pieces(line))
        top, bottom = min(p.y0 for p in line), max(p.y1 for p in line)
        if _PAGE_NUMBER.match(text) and (top < 0.08 * height or bottom > 0.92 * height):
            continue
        size = float(np.median([p.y1 - p.y0 for p in line]))
        joins = (prev is not None and max(p.x1 for p in prev) >= right - 2 * size
                 and min(p.x0 for p in line) <= left + 0.6 * size
                 and 0 <= top - max(p.y1 for p in prev) < 1.2 * size)
        if joins and out and isinstance(out[-1], str):
            before = out[-1]
            sep = "" if WIDE.match(before[-1:]) and WIDE.match(text[:1]) else " "
            out[-1] = before + sep + text
        else:
            out.append(text)
        prev = line
    return out


_PAGE_NUMBER = re.compile(r"^([-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|"
                          r"\d+\s*/\s*\d+)$")


def deskew(grey):
    """The page turned by the angle (within ``MAX_SKEW_DEGREES``) at which its rows of
    ink line up best: the one giving the row profile of the greatest variance."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    h, w = grey.shape
    scale = 1000 / max(h, w)
    small = cv2.resize(grey, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1)))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.25)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    best = float(max(fine, key=score))
    if abs(best) < 0.05:
        return grey
    m = cv2.getRotationMatrix2D((w / 2, h / 2), best, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _ink(grey):
    import cv2  # noqa: PLC0415

    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _dilate(mask, r: int):
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    return cv2.dilate(mask.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)) > 0


def _rulings(ink):
    """Horizontal and vertical ruling lines: runs of ink far longer than any stroke."""
    import cv2  # noqa: PLC0415

    h, w = ink.shape
    # from the long side: a strip cut from a page keeps its lines and strokes
    h_len = max(20, max(h, w) // 40)
    v_len = max(12, h_len // 2)
    # not closed first to bridge dashes: that joins the strokes of a line of characters
    # into a run as long as a ruling line, and erases the text
    rect = functools.partial(cv2.getStructuringElement, cv2.MORPH_RECT)
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, rect((h_len, 1)))
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, rect((1, v_len)))
    # a vertical line counts where it reaches a horizontal one: strokes of characters do not
    return h_mask > 0, v_mask > 0


def _positions(profile, least: float, gap: int = 4) -> list[float]:
    """Centres of the runs of indices where ``profile`` reaches ``least``."""
    import numpy as np  # noqa: PLC0415

    idx = np.flatnonzero(profile >= least)
    out: list[float] = []
    if not len(idx):
        return out
    start = prev = int(idx[0])
    for i in map(int, idx[1:]):
        if i - prev > gap:
            out.append((start + prev) / 2)
            start = i
        prev = i
    out.append((start + prev) / 2)
    return out


class _Table:
    """A ruled table: its grid lines, which cells are merged, the text in each cell."""

    def __init__(self, x0: int, y0: int, x1: int, y1: int, xs: list[float], ys: list[float],
                 h_mask, v_mask):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.top = float(y0)
        self.xs, self.ys = xs, ys
        rows, cols = len(ys) - 1, len(xs) - 1
        parent = list(range(rows * cols))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        self.v_present: dict[tuple[int, int], bool] = {}
        for r in range(rows):
            for c in range(cols):
                if r and not _line_between(h_mask, ys[r], xs[c], xs[c + 1], horizontal=True):
                    union((r - 1) * cols + c, r * cols + c)
                present = c == 0 or _line_between(v_mask, xs[c], ys[r], ys[r + 1], horizontal=False)
                self.v_present[(r, c)] = present
                if not present:
                    union(r * cols + c - 1, r * cols + c)
        self.owner = {}
        for r in range(rows):
            for c in range(cols):
                root = find(r * cols + c)
                self.owner[(r, c)] = (root // cols, root % cols)
        self.cells: dict[tuple[int, int], list[_Piece]] = {}

    def _index(self, v: float, lines: list[float]) -> int | None:
        for k in range(len(lines) - 1):
            if lines[k] <= v < lines[k + 1]:
                return k
        return None

    def holds(self, p: _Piece) -> bool:
        return self.xs[0] <= p.cx <= self.xs[-1] and self.ys[0] <= p.cy <= self.ys[-1]

    def split(self, p: _Piece) -> list[_Piece]:
        """A piece of text cut at every drawn column line it crosses."""
        if not self.holds(p):
            return [p]
        r = self._index(p.cy, self.ys)
        if r is None:
            return [p]
        margin = 0.2 * (p.y1 - p.y0)
        cuts = [x for c, x in enumerate(self.xs[1:-1], start=1)
                if p.x0 + margin < x < p.x1 - margin and self.v_present.get((r, c), True)]
        if not cuts:
            return [p]
        edges = [p.x0, *cuts, p.x1]
        return [_Piece(a, p.y0, b, p.y1) for a, b in zip(edges, edges[1:], strict=False) if b - a > 2]

    def unread(self, ink, size: float) -> list[_Piece]:
        """A piece round the ink of every cell no text was found in (one line's height
        at most: a lone number, not a paragraph)."""
        import numpy as np  # noqa: PLC0415

        out = []
        for (r, c), owner in self.owner.items():
            if owner != (r, c) or self.cells.get((r, c)):
                continue
            cols = [c2 for (r2, c2), o in self.owner.items() if o == owner]
            rows = [r2 for (r2, c2), o in self.owner.items() if o == owner]
            x0, x1 = int(self.xs[min(cols)]) + 4, int(self.xs[max(cols) + 1]) - 4
            y0, y1 = int(self.ys[min(rows)]) + 4, int(self.ys[max(rows) + 1]) - 4
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            box = ink[y0:y1, x0:x1]
            ys, xs = np.nonzero(box)
            if len(ys) < 12:
                continue  # a speck
            h = int(ys.max() - ys.min()) + 1
            if size and h > 1.6 * size:
                continue
            margin = max(2, int(0.3 * h))
            out.append(_Piece(max(x0, x0 + int(xs.min()) - margin), max(y0, y0 + int(ys.min()) - margin),
                              min(x1, x0 + int(xs.max()) + 1 + margin),
                              min(y1, y0 + int(ys.max()) + 1 + margin)))
        return out

    def add(self, p: _Piece) -> None:
        r, c = self._index(p.cy, self.ys), self._index(p.cx, self.xs)
        if r is None or c is None:
            return
        self.cells.setdefault(self.owner[(r, c)], []).append(p)

    def lines(self) -> list[list[str | Reading]]:
        out: list[list[str | Reading]] = []
        for r in range(len(self.ys) - 1):
            fields: list[str | Reading] = []
            for c in range(len(self.xs) - 1):
                pieces = self.cells.get((r, c)) if self.owner[(r, c)] == (r, c) else None
                fields.append(_cell_text(pieces) if pieces else "")
            if any(f for f in fields):
                out.append(fields)
        return out


def _line_between(mask, at: float, lo: float, hi: float, *, horizontal: bool) -> bool:
    """A ruling line is drawn at ``at`` over most of (lo, hi)."""
    import numpy as np  # noqa: PLC0415

    a, b = int(lo + 0.2 * (hi - lo)), int(hi - 0.2 * (hi - lo))
    if b <= a:
        return True
    band = 4
    k = int(round(at))
    strip = (mask[max(0, k - band):k + band + 1, a:b] if horizontal
             else mask[a:b, max(0, k - band):k + band + 1].T)
    if strip.size == 0:
        return False
    return float(np.mean(strip.any(axis=0))) >= 0.6


def _tables(h_mask, v_mask) -> list[_Table]:
    """Ruled tables: groups of ruling lines with at least two rows and two columns."""
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    both = _dilate(h_mask | v_mask, 3).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < 60 or h < 30:
            continue
        hm = h_mask[y:y + h, x:x + w]
        vm = v_mask[y:y + h, x:x + w]
        ys = [y + v for v in _positions(hm.sum(axis=1), max(20, 0.08 * w))]
        xs = [x + v for v in _positions(vm.sum(axis=0), 12)]
        if len(ys) >= 2:  # a column line runs down a whole row at least; strokes do not
            shortest = min(b - a for a, b in zip(ys, ys[1:], strict=False))
            xs = [v for v in xs if _long_vertical(v_mask, v, y, y + h, 0.7 * shortest)]
        if len(ys) < 2 or len(xs) < 2:
            continue
        tables.append(_Table(x, y, x + w, y + h, xs, ys, h_mask, v_mask))
    return tables


def _long_vertical(v_mask, x: float, y0: int, y1: int, least: float) -> bool:
    """A column line: vertical ink at ``x`` over ``least`` pixels at least."""
    k = int(round(x))
    col = v_mask[y0:y1, max(0, k - 3):k + 4].any(axis=1)
    return bool(col.sum() >= max(12.0, least))


def _detect(clean) -> list[_Piece]:
    """Boxes of text on the page (detection on a reduced copy), axis-aligned, full size."""
    import cv2  # noqa: PLC0415

    h, w = clean.shape
    scale = min(1.0, DET_SIDE / max(h, w))
    small = cv2.resize(clean, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else clean
    boxes, _ = engine().text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    pieces = []
    for box in [] if boxes is None else boxes:
        xs = [float(pt[0]) / scale for pt in box]
        ys = [float(pt[1]) / scale for pt in box]
        pieces.append(_Piece(max(0.0, min(xs)), max(0.0, min(ys)), min(w, max(xs)), min(h, max(ys))))
    return pieces


def _recognise(clean, pieces: list[_Piece]) -> None:
    """Each piece's text and the confidence of each of its characters."""
    import cv2  # noqa: PLC0415

    if not pieces:
        return
    h, w = clean.shape
    crops = []
    for p in pieces:
        # the detector's boxes already hold a margin round the text: more padding made
        # recognition less sure of single digits (measured: lowest score 0.71 vs 0.95)
        x0, y0 = max(0, int(p.x0)), max(0, int(p.y0))
        x1, y1 = min(w, int(round(p.x1))), min(h, int(round(p.y1)))
        crop = clean[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)]
        crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
    results, _ = engine().text_rec(crops, True)
    for p, res in zip(pieces, results, strict=True):
        p.text = res[0]
        scores = res[2][4] if len(res) > 2 and res[2] else [res[1]]
        p.scores = tuple(float(s) for s in scores) or (float(res[1]),)


def _group_lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces in lines: a piece joins the line its vertical centre falls in."""
    lines: list[list[_Piece]] = []
    for p in sorted(pieces, key=lambda q: q.cy):
        for line in lines:
            top = min(q.y0 for q in line)
            bottom = max(q.y1 for q in line)
            if top <= p.cy <= bottom or (p.y0 <= (top + bottom) / 2 <= p.y1):
                line.append(p)
                break
        else:
            lines.append([p])
    return [sorted(line, key=lambda q: q.x0) for line in lines]


def _join_pieces(line: list[_Piece]) -> str:
    out = ""
    for p in line:
        t = p.text.strip()
        if out and not (WIDE.match(out[-1]) and WIDE.match(t[:1])):
            out += " "
        out += t
    return out


def _cell_text(pieces: list[_Piece]) -> str | Reading:
    """A cell's text; a ``Reading`` when it holds a number or something like one."""
    lines = _group_lines(pieces)
    text = "\n".join(_join_pieces(line) for line in lines)
    squeezed = re.sub(r"\s", "", text)
    if not _DIGIT.search(squeezed) or not _NUMBERISH.fullmatch(text.replace("\n", " ")):
        return collapse(text)  # words (a label), or nothing like a number
    score = round(min(s for p in pieces for s in p.scores), 4)
    clean = len(pieces) == 1 and bool(_NUMBER.fullmatch(squeezed))
    return Reading(squeezed if clean else collapse(text), score, clean)
