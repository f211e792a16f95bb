"""OFD → text: text lines as lines, every ruled table row one line of tab-separated cells.

In: the bytes of an OFD (GB/T 33190, China's fixed-layout document format: a ZIP of XML
parts). Out: the text the parser reads, page by page, as the PDF reader gives it: the
same table finding from ruling lines, the same joining of wrapped lines and paragraphs,
the same dropping of page numbers in the margins (``_layout``).

The parts: ``OFD.xml`` names the document root (``DocBody/DocRoot``, e.g.
``Doc_0/Document.xml``), which lists the pages (``Pages/Page/@BaseLoc``) and the page
size (``CommonData/PageArea/PhysicalBox``, a page's own ``Area`` overriding it). A
page's ``Content/Layer`` holds ``TextObject``s (``Boundary`` "x y w h" in mm, ``Size``,
an optional ``CTM``; each ``TextCode`` a run of characters from ``X``/``Y``, the
baseline, with ``DeltaX``/``DeltaY`` the advances, ``g n d`` meaning n times d) and
``PathObject``s (``AbbreviatedData`` "M x y L x y B ... C", relative to the boundary:
table rules and cell borders), also inside ``PageBlock``s. Characters run from their
position to the next advance (the font size for the last), and from one font size above
the baseline down to it. Page templates (headers, footers) are not read.

Safety: the ZIP is checked as a DOCX's is (``docx.check_zip``: sizes, ratios, member
count, no DTD in any XML part); XML is parsed with lxml without entities, DTDs or the
network. A missing or broken part, or no text at all, raises ``ParseError``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib

from ..errors import ParseError
from ._layout import PageItem, document_lines, edges_of, page_items, path_object
from ._text import join_lines
from .docx import check_zip

MAX_PAGES = 500
MM = 72 / 25.4  # points per millimetre: the layout's tolerances are in points
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_DAMAGED = "re-download it, or open it in an OFD reader and export it again"
_OCR_HINT = "it needs OCR first (for example export it to PDF and run ocrmypdf on that)"


def ofd_to_text(data: bytes, label: str) -> str:
    """The text of an OFD (see the module docstring)."""
    check_zip(data, label, kind="OFD", maker="an OFD writer", resave=_DAMAGED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return _read(_Package(z, label), label)
    except ParseError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, zlib.error) as e:
        raise ParseError(label, f"OFD file is damaged ({type(e).__name__}: {e})", _DAMAGED) from None
    except RecursionError:
        raise ParseError(label, "OFD is nested too deeply to read") from None


class _Package:
    """The ZIP's XML parts, parsed safely, by path."""

    def __init__(self, z: zipfile.ZipFile, label: str):
        from lxml import etree  # noqa: PLC0415 - imported only when an OFD is read

        self.z, self.label, self.etree = z, label, etree
        self.names = {n.lstrip("/").lower(): n for n in z.namelist()}
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                      dtd_validation=False, huge_tree=False)

    def xml(self, path: str, what: str):
        name = self.names.get(path.lstrip("/").lower())
        if name is None:
            raise ParseError(self.label, f"OFD is missing its {what} ({path})", _DAMAGED)
        try:
            return self.etree.fromstring(self.z.read(name), self.parser)
        except self.etree.XMLSyntaxError as e:
            raise ParseError(self.label, f"OFD part {name!r} is not well-formed XML ({e})",
                             _DAMAGED) from None


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name]


def _find(el, *path: str):
    for name in path:
        found = _children(el, name) if el is not None else []
        el = found[0] if found else None
    return el


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _read(package: _Package, label: str) -> str:
    root = package.xml("OFD.xml", "entry part")
    doc_root = _find(root, "DocBody", "DocRoot")
    if doc_root is None or not (doc_root.text or "").strip():
        raise ParseError(label, "OFD names no document (OFD.xml has no DocBody/DocRoot)", _DAMAGED)
    doc_path = doc_root.text.strip().lstrip("/")
    document = package.xml(doc_path, "document part")
    base = posixpath.dirname(doc_path)
    default_box = _numbers(getattr(_find(document, "CommonData", "PageArea", "PhysicalBox"),
                                   "text", None)) or [0, 0, 210, 297]
    pages = _children(_find(document, "Pages"), "Page") if _find(document, "Pages") is not None else []
    if not pages:
        raise ParseError(label, "OFD has no pages (Document.xml lists none)", _DAMAGED)
    if len(pages) > MAX_PAGES:
        raise ParseError(label, f"OFD has {len(pages)} pages, over the limit of {MAX_PAGES}",
                         "check that it is a report, or split it")
    items: list[tuple[int, float, PageItem]] = []
    chars_seen = 0
    for number, page in enumerate(pages):
        loc = (page.get("BaseLoc") or "").strip()
        if not loc:
            raise ParseError(label, f"OFD page {number + 1} has no BaseLoc", _DAMAGED)
        path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
        content = package.xml(path, f"page {number + 1}")
        chars, edges, bbox = _page(content, default_box)
        chars_seen += len(chars)
        if chars:
            items.extend((number, top, item) for top, item in page_items(chars, edges, bbox))
    if not chars_seen:
        raise ParseError(label, "OFD has no text (scanned pages, images only?)", _OCR_HINT)
    return join_lines(document_lines(items))


def _page(content, default_box: list[float]) -> tuple[list[dict], list[dict], tuple]:
    box = _numbers(getattr(_find(content, "Area", "PhysicalBox"), "text", None)) or default_box
    x, y, w, h = (box + [0, 0, 210, 297][len(box):])[:4]
    bbox = (x * MM, y * MM, (x + w) * MM, (y + h) * MM)
    height = (y + h) * MM
    chars: list[dict] = []
    graphics: list[dict] = []
    layers = _children(_find(content, "Content"), "Layer") if _find(content, "Content") is not None else []
    for layer in layers:
        _objects(layer, chars, graphics, height)
    inside = [c for c in chars if _within(c, bbox)]
    if len(inside) != len(chars) or any(not _within(g, bbox) for g in graphics):
        from pdfplumber.utils import crop_to_bbox  # noqa: PLC0415 - as the PDF reader crops
        chars, graphics = crop_to_bbox(chars, bbox), crop_to_bbox(graphics, bbox)
    return chars, edges_of(graphics), bbox


def _within(o: dict, box: tuple) -> bool:
    return box[0] <= o["x0"] and o["x1"] <= box[2] and box[1] <= o["top"] and o["bottom"] <= box[3]


def _objects(parent, chars: list[dict], graphics: list[dict], height: float) -> None:
    for el in parent:
        kind = _local(el)
        if kind == "TextObject":
            chars.extend(_text_object(el))
        elif kind == "PathObject":
            graphics.extend(_path_object(el, height))
        elif kind in ("PageBlock", "CompositeObject"):
            _objects(el, chars, graphics, height)


def _placement(el) -> tuple[float, float, tuple[float, ...]]:
    """The object's origin (its Boundary's corner, mm) and its CTM."""
    boundary = _numbers(el.get("Boundary")) + [0.0, 0.0]
    ctm = _numbers(el.get("CTM"))
    return boundary[0], boundary[1], tuple(ctm) if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _deltas(text: str | None) -> list[float]:
    """``DeltaX``/``DeltaY``: numbers, ``g n d`` standing for n times d."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
            continue
        out.append(float(tokens[i]))
        i += 1
    return out


def _text_object(el) -> list[dict]:
    ox, oy, (a, b, c, d, e, f) = _placement(el)
    size = float(el.get("Size") or 3.5)
    scale = (abs(d) or 1.0) if not (b or c) else 1.0
    chars = []
    x = y = 0.0
    for code in _children(el, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for k, ch in enumerate(text):
            advance = dx[k] if k < len(dx) else size
            px, py = ox + a * x + c * y + e, oy + b * x + d * y + f   # the baseline point
            width = a * advance if k < len(dx) else size * (abs(a) or 1.0)
            font = size * scale
            chars.append({"text": ch, "x0": px * MM, "x1": (px + width) * MM,
                          "top": (py - font) * MM, "bottom": py * MM, "doctop": (py - font) * MM,
                          "size": font * MM, "fontname": el.get("Font") or ""})
            x += advance
            y += dy[k] if k < len(dy) else 0.0
    return chars


def _path_object(el, height: float) -> list[dict]:
    if el.get("Stroke", "true") == "false" and el.get("Fill", "false") == "false":
        return []
    ox, oy, (a, b, c, d, e, f) = _placement(el)

    def point(px: float, py: float) -> tuple[float, float]:
        # to points with y up, as path_object takes PDF's coordinates
        return ((ox + a * px + c * py + e) * MM, height - (oy + b * px + d * py + f) * MM)

    out = []
    tokens = (_find(el, "AbbreviatedData").text or "").split() if _find(el, "AbbreviatedData") is not None else []
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = arity.get(op)
        if n is None:  # not an operator: a broken path, read no further
            break
        args = [float(t) for t in tokens[i + 1:i + 1 + n]]
        i += 1 + n
        if len(args) < n:
            break
        if op in ("M", "S"):
            if len(pts) > 1:
                out.append(path_object("".join(shape), pts, height))
            shape, pts = ["m"], [point(*args)]
        elif op == "C":
            if pts:
                shape.append("h")
                pts.append(pts[0])
        elif pts:
            shape.append("l" if op == "L" else "c")
            pts.append(point(*args[-2:]))
    if len(pts) > 1:
        out.append(path_object("".join(shape), pts, height))
    return [o for o in out if o is not None]
