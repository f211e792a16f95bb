"""Positioned text → text lines: what the PDF and OFD readers share.

In: a page as plain data: its characters (dicts with ``text``, ``x0``, ``x1``, ``top``,
``bottom``, ``doctop`` (= ``top``), ``size``, ``fontname``, in drawing order; upright
text only: a reader hands other pages to another route) and its ruling lines as
edges (dicts with ``x0``, ``x1``, ``top``, ``bottom``, ``width``, ``height`` and
``orientation`` ``"h"``/``"v"``), in points with the origin at the page's top left.
Out: the page's items top to bottom (tables as lists of tab lines, text lines as dicts),
and, over every page, the lines of the document (``document_lines``).

It does what pdfplumber does with such a page under the defaults the PDF reader uses
(``dedupe_chars``, ``find_tables``, ``Table.extract``, ``extract_text_lines``), to the
same result, without its per-object overhead: the table geometry (joining edges, their
crossings, cells, tables) is pdfplumber's own functions; the character work (dropping
characters printed twice to fake bold, grouping into words and lines, cell text) is
redone here on indexes and sorted lists, which is where pdfplumber spends its time.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from operator import itemgetter

import numpy as np

from ._text import WIDE, collapse, table_lines

# what a page holds, top to bottom: a text line (a dict) or a table (its lines)
PageItem = dict | list[str]

X_TOLERANCE = 3      # pdfplumber's defaults for words and lines
Y_TOLERANCE = 3
DEDUPE_TOLERANCE = 1
SNAP_TOLERANCE = 3   # ... and for tables from ruling lines
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1
INTERSECTION_TOLERANCE = 3

PAGE_NUMBER = re.compile(
    r"^([-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|(page\s*)?\d+\s*(of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$", re.I)


_expansions: dict[str, str] | None = None


def _ligatures() -> dict[str, str]:
    global _expansions
    if _expansions is None:
        from pdfplumber.utils.text import LIGATURES  # noqa: PLC0415 - the same expansions
        _expansions = dict(LIGATURES)
    return _expansions


# --- characters --------------------------------------------------------------------------

def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each value's cluster: sorted distinct values, a new cluster where the gap to the
    previous value exceeds ``tolerance`` (pdfplumber's ``make_cluster_dict``)."""
    out: dict[float, int] = {}
    index = -1
    last = None
    for v in sorted(set(values)):
        if last is None or not v <= last + tolerance:
            index += 1
        out[v] = index
        last = v
    return out


def _cluster(items: list, key, tolerance: float, preserve_order: bool = False) -> list[list]:
    """pdfplumber's ``cluster_objects``: items grouped by clustered ``key``."""
    values = [key(x) for x in items]
    if not values:
        return []
    if max(values) <= min(values) + tolerance:
        return [list(items)]  # no gap can exceed the tolerance: one cluster, in order
    if tolerance == 0:
        ids = {v: i for i, v in enumerate(sorted(set(map(key, items))))}
    else:
        ids = _clusters(values, tolerance)
    tagged = [(x, ids[v]) for x, v in zip(items, values, strict=True)]
    if not preserve_order:
        tagged.sort(key=itemgetter(1))
    return [[x for x, _ in group] for _, group in itertools.groupby(tagged, key=itemgetter(1))]


def dedupe_chars(chars: list[dict], tolerance: float = DEDUPE_TOLERANCE) -> list[dict]:
    """Characters printed twice (or more) at almost the same place, to fake bold, once:
    pdfplumber's ``dedupe_chars``. Characters of the same text, font and size are
    clustered by ``doctop`` and then ``x0`` (sorted values, a new cluster where the gap
    exceeds ``tolerance``); of each cluster the first by position, then by order, stays.

    Done on arrays, and first by text alone: a cluster of two of the same text, font and
    size lies inside one of the same text (more characters only close gaps), so where
    there is none of those, nothing is dropped and fonts and sizes are never compared."""
    n = len(chars)
    if n < 2:
        return chars
    doctop = np.fromiter(map(itemgetter("doctop"), chars), np.float64, n)
    x0 = np.fromiter(map(itemgetter("x0"), chars), np.float64, n)
    for key in (itemgetter("text"), itemgetter("text", "fontname", "size")):
        kinds: dict = {}
        # a kind's number: the index of its first character (count() never repeats)
        kind = np.fromiter(map(kinds.setdefault, map(key, chars), itertools.count()),
                           np.int64, n)
        if len(kinds) == n:
            return chars
        order, by_x, starts = _dedupe_clusters(kind, doctop, x0, tolerance)
        if len(starts) == n:
            return chars
    drop: set[int] = set()
    for members in np.split(by_x, starts[1:]):
        if len(members) > 1:
            # the first by (doctop, x0, order) is the one first in ``order``
            first = members.min()
            drop.update(int(order[m]) for m in members if m != first)
    return [c for i, c in enumerate(chars) if i not in drop]


def _dedupe_clusters(kind, doctop, x0, tolerance: float):
    """One sort by (kind, ``doctop``, ``x0``, index) makes the rows, one by (row, ``x0``,
    that order) the clusters: the first order, the second (positions in the first)
    and where each cluster starts in it."""
    n = len(kind)
    position = np.arange(n)
    order = np.lexsort((position, x0, doctop, kind))
    kind, doctop, x0 = kind[order], doctop[order], x0[order]
    new_row = np.ones(n, bool)
    new_row[1:] = (kind[1:] != kind[:-1]) | ~(doctop[1:] <= doctop[:-1] + tolerance)
    row = np.cumsum(new_row)
    by_x = np.lexsort((position, x0, row))
    row, x0 = row[by_x], x0[by_x]
    new_cluster = np.ones(n, bool)
    new_cluster[1:] = (row[1:] != row[:-1]) | ~(x0[1:] <= x0[:-1] + tolerance)
    return order, by_x, np.flatnonzero(new_cluster)


def _words(chars: list[dict]) -> list[tuple[dict, list[dict]]]:
    """pdfplumber's ``WordExtractor`` under its defaults, for upright text: per run of
    characters, lines by ``top``, sorted by ``x0``, cut into words at blanks and gaps."""
    expansions = _ligatures()
    out: list[tuple[dict, list[dict]]] = []
    by_x0 = itemgetter("x0")
    for line in _cluster(chars, itemgetter("top"), Y_TOLERANCE):
        line.sort(key=by_x0)
        word: list[dict] = []
        px0 = px1 = ptop = 0.0  # the word's last character
        for c in line:
            if c["text"].isspace():
                if word:
                    out.append((_merge(word, expansions), word))
                word = []
                continue
            x0, top = c["x0"], c["top"]
            if word and (x0 < px0 or x0 > px1 + X_TOLERANCE or abs(top - ptop) > Y_TOLERANCE):
                out.append((_merge(word, expansions), word))
                word = []
            word.append(c)
            px0, px1, ptop = x0, c["x1"], top
        if word:
            out.append((_merge(word, expansions), word))
    return out


def _merge(chars: list[dict], expansions: dict[str, str]) -> dict:
    """A word from its characters, sorted by ``x0``: its text and box."""
    texts = list(map(itemgetter("text"), chars))
    text = "".join(texts)
    if not expansions.keys().isdisjoint(text):  # a ligature somewhere: expand them
        text = "".join(expansions.get(t, t or "") for t in texts)
    return {"text": text, "x0": chars[0]["x0"], "x1": max(map(itemgetter("x1"), chars)),
            "top": min(map(itemgetter("top"), chars)),
            "bottom": max(map(itemgetter("bottom"), chars))}


def text_lines(chars: list[dict]) -> list[dict]:
    """pdfplumber's ``extract_text_lines`` (no layout): words clustered into lines by
    ``top`` in the order they were made, each line its words joined by one space, with
    the box of its characters."""
    words = _words(chars)
    out = []
    for line in _cluster(words, lambda w: w[0]["top"], Y_TOLERANCE, preserve_order=True):
        text = " ".join(w["text"] for w, _ in line)
        if not text.strip():
            continue
        out.append({"text": text.strip(" "),  # the box of its words is that of its chars
                    "x0": min(w["x0"] for w, _ in line), "top": min(w["top"] for w, _ in line),
                    "x1": max(w["x1"] for w, _ in line),
                    "bottom": max(w["bottom"] for w, _ in line)})
    return out


def cell_text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text`` (no layout): words, lines of words by ``top``."""
    words = [w for w, _ in _words(chars)]
    lines = _cluster(words, itemgetter("top"), Y_TOLERANCE)
    return "\n".join(" ".join(w["text"] for w in line) for line in lines)


# --- tables ------------------------------------------------------------------------------

def find_tables(edges: list[dict]) -> list[list[tuple]]:
    """Tables from ruling lines (pdfplumber's "lines" strategy): each a list of cells."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges  # noqa: PLC0415

    def long(e: dict, orientation: str, minimum: float) -> bool:
        return e["orientation"] == orientation and e[
            "height" if orientation == "v" else "width"] >= minimum

    base = ([e for e in edges if long(e, "v", EDGE_MIN_LENGTH_PREFILTER)]
            + [e for e in edges if long(e, "h", EDGE_MIN_LENGTH_PREFILTER)])
    if not base:
        return []
    merged = merge_edges(base, SNAP_TOLERANCE, SNAP_TOLERANCE, JOIN_TOLERANCE, JOIN_TOLERANCE)
    merged = [e for e in merged if e["height" if e["orientation"] == "v" else "width"]
              >= EDGE_MIN_LENGTH]
    intersections = edges_to_intersections(merged, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    return cells_to_tables(_cells(intersections))


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells``, with each point's edges as sets once:
    for each crossing, the smallest cell whose four corners its edges join. Two points
    one above the other are joined by a vertical edge they share, two side by side by a
    horizontal one (pdfplumber's ``edge_connects`` for distinct points)."""
    v = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges["v"]}
         for p, edges in intersections.items()}
    h = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges["h"]}
         for p, edges in intersections.items()}

    points = sorted(intersections)
    by_y: dict[float, list[tuple]] = {}
    for p in points:
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for i, pt in enumerate(points):
        v_pt, h_pt = v[pt], h[pt]
        right: list[tuple] | None = None  # the points right of it it joins, found once
        cell = None
        for j in range(i + 1, len(points)):
            below_pt = points[j]
            if below_pt[0] != pt[0]:
                break
            if v_pt.isdisjoint(v[below_pt]):
                continue
            if right is None:
                right = [q for q in by_y[pt[1]] if q > pt and not h_pt.isdisjoint(h[q])]
            for right_pt in right:
                corner = (right_pt[0], below_pt[1])
                if (corner in intersections and not v[corner].isdisjoint(v[right_pt])
                        and not h[corner].isdisjoint(h[below_pt])):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def table_rows(cells: list[tuple]) -> list[list[tuple | None]]:
    """A table's rows of cells (``None`` where a spanned cell covers the position), as
    pdfplumber's ``Table.rows``."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row_cells in itertools.groupby(sorted(cells, key=itemgetter(1, 0)), itemgetter(1)):
        by_x = {c[0]: c for c in row_cells}
        rows.append([by_x.get(x) for x in xs])
    return rows


class _Centres:
    """The page's characters by the middle of their height, to find a row's quickly."""

    def __init__(self, chars: list[dict]):
        n = len(chars)
        x0, x1, top, bottom = (np.fromiter(map(itemgetter(k), chars), np.float64, n)
                               for k in ("x0", "x1", "top", "bottom"))
        vmid = (top + bottom) / 2
        order = np.argsort(vmid, kind="stable")  # by middle, then by index
        self.v = vmid[order].tolist()
        self.order = order.tolist()
        self.h = ((x0 + x1) / 2).tolist()
        self.vmid = vmid.tolist()

    def within(self, box: tuple) -> list[int]:
        x0, top, x1, bottom = box
        lo, hi = bisect.bisect_left(self.v, top), bisect.bisect_left(self.v, bottom)
        return sorted(i for i in self.order[lo:hi] if x0 <= self.h[i] < x1)


def extract_table(cells: list[tuple], chars: list[dict], centres: _Centres) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract``: a character is in the cell holding its middle."""
    h, vmid = centres.h, centres.vmid
    out = []
    for row in table_rows(cells):
        present = [c for c in row if c is not None]
        row_box = (min(c[0] for c in present), min(c[1] for c in present),
                   max(c[2] for c in present), max(c[3] for c in present))
        row_chars = [(i, h[i], vmid[i]) for i in centres.within(row_box)]
        texts: list[str | None] = []
        for cell in row:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            inside = [chars[i] for i, x, y in row_chars if x0 <= x < x1 and top <= y < bottom]
            texts.append(cell_text(inside) if inside else "")
        out.append(texts)
    return out


def outside_all(chars: list[dict], boxes: list[tuple]) -> list[dict]:
    """The characters with no overlap at all with any of ``boxes`` (pdfplumber's
    ``outside_bbox``), all of them tested at once."""
    n = len(chars)
    x0, x1, top, bottom = (np.fromiter(map(itemgetter(k), chars), np.float64, n)
                           for k in ("x0", "x1", "top", "bottom"))
    keep = np.ones(n, bool)
    for bx0, btop, bx1, bbottom in boxes:
        width = np.minimum(x1, bx1) - np.maximum(x0, bx0)
        height = np.minimum(bottom, bbottom) - np.maximum(top, btop)
        keep &= ~((height >= 0) & (width >= 0) & (height + width > 0))
    return [c for c, k in zip(chars, keep.tolist(), strict=True) if k]


# --- ruling lines -----------------------------------------------------------------------

def path_object(shape: str, pts: list[tuple[float, float]], height: float) -> dict | None:
    """pdfminer's ``paint_path`` for one subpath: a line, a rectangle or a curve, as
    pdfplumber's object. ``shape`` is its operators (``m``, ``l``, ``c``, ``h``), one per
    point of ``pts`` (x, y with y up, as in PDF); ``height`` that of the page, to turn
    y into ``top``."""
    if len(pts) < 2:
        return None
    pts = list(pts)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind, pts = "line", pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            kind, pts = "rect", [pts[0], pts[2]]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    obj = {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": top,
           "bottom": height - y0, "doctop": top, "width": x1 - x0, "height": y1 - y0}
    if kind == "curve":
        obj["pts"] = [(px, height - py) for px, py in pts]
    return obj


def edges_of(objects: list[dict]) -> list[dict]:
    """The edges of lines, rectangles and curves, in pdfplumber's order (lines first)."""
    from pdfplumber.utils import obj_to_edges  # noqa: PLC0415

    ordered = [o for kind in ("line", "rect", "curve") for o in objects if o["object_type"] == kind]
    return [e for o in ordered for e in obj_to_edges(o)]


# --- pages and the document ---------------------------------------------------------------

def page_items(chars: list[dict], edges: list[dict], bbox: tuple) -> list[tuple[float, PageItem]]:
    """A page's tables (lists of tab lines) and text lines (dicts), top to bottom.
    ``bbox`` is the visible page (x0, top, x1, bottom); page numbers in its top and
    bottom tenth are dropped, and a table of one column (a box round a paragraph, a
    page frame) is read as text."""
    chars = dedupe_chars(chars)
    items: list[tuple[float, PageItem]] = []
    boxes: list[tuple] = []  # of the tables read as tables: their text is not read again
    centres: _Centres | None = None
    for cells in find_tables(edges):
        centres = centres or _Centres(chars)
        rows = text_rows(extract_table(cells, chars, centres))
        if rows is None:
            continue
        box = (min(c[0] for c in cells), min(c[1] for c in cells),
               max(c[2] for c in cells), max(c[3] for c in cells))
        boxes.append(box)
        items.append((box[1], table_lines(rows)))
    rest = outside_all(chars, boxes) if boxes else chars
    return with_text_lines(items, text_lines(rest), float(bbox[1]), float(bbox[3] - bbox[1]))


def text_rows(cells) -> list[list[str]] | None:
    """A table's cell texts as rows of one width, empty rows left out; None for a table of
    one column (a box round a paragraph, a page frame), whose text is read as text."""
    rows = [[collapse(unwrap(c or "")) for c in row] for row in cells]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows if any(r)]
    return rows if rows and width >= 2 else None


def with_text_lines(items: list[tuple[float, PageItem]], lines, y0: float,
                    height: float) -> list[tuple[float, PageItem]]:
    """``items`` (a page's tables) with its text ``lines`` (dicts with text, top and
    bottom) added, page numbers in the top and bottom tenth of a page ``height`` high
    from ``y0`` left out, all sorted top to bottom (a table before a line at its top)."""
    for line in lines:
        text = collapse(line["text"])
        if not text:
            continue
        top, bottom = line["top"] - y0, line["bottom"] - y0
        if PAGE_NUMBER.match(text) and (top < 0.1 * height or bottom > 0.9 * height):
            continue
        items.append((line["top"], dict(line, text=text)))
    items.sort(key=lambda it: (it[0], isinstance(it[1], dict)))
    return items


def document_lines(items: list[tuple[int, float, PageItem]]) -> list[str]:
    """Join text lines that wrap at the right margin into their paragraph, also over a
    page break; table lines stay as they are. ``items`` are (page, top, item)."""
    text_items = [it for _, _, it in items if isinstance(it, dict)]
    if not text_items:
        return [line for _, _, it in items for line in it]
    left = min(ln["x0"] for ln in text_items)
    ends = sorted(ln["x1"] for ln in text_items)
    right = ends[int(0.9 * (len(ends) - 1))]  # the right margin, a stray long line aside
    size = statistics.median(ln["bottom"] - ln["top"] for ln in text_items) or 10.0
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
            sep = "" if WIDE.match(before[-1]) and WIDE.match(text[0]) else " "
            out[-1] = before + sep + text
        else:
            out.append(text)
        prev = (page, item)
    return out


def unwrap(text: str) -> str:
    """A cell's lines as one: nothing between two Chinese characters, else one space."""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not (WIDE.match(out[-1]) and WIDE.match(p[0])):
            out += " "
        out += p
    return out
