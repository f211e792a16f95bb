"""A PDF's pages as plain data, read with pdfium (pypdfium2): characters and ruling lines.

In: the bytes of a PDF. Out: per page, the visible box, the characters and the edges
of its lines and rectangles, in pdfplumber's coordinates (points, origin at the top left
of the MediaBox) and with the boxes pdfminer gives them, for ``_layout.page_items``:
a character runs from its origin to its advance and from the font's descent up one font
size; a path is split into subpaths and each becomes a line, a rectangle or a curve as
pdfminer decides. What the page does not show (outside its CropBox cut to its MediaBox)
is clipped off as pdfplumber's ``crop`` does.

pdfium parses the page in C, where pdfminer does it in Python: this is what makes this
route several times faster. Pages it does not model as pdfplumber does are left to the
pdfplumber route (``Fallback``): rotated pages, text that is not upright, fonts without
a Unicode map, paths inside form XObjects, no text at all, files pdfium cannot open (so
the error messages stay those of the pdfplumber route).

pdfium is not thread-safe: every call into it holds ``PDFIUM_LOCK``.
"""

from __future__ import annotations

import ctypes
import io
import re
import struct
import threading
from dataclasses import dataclass
from operator import itemgetter

from ._layout import edges_of, path_object

PDFIUM_LOCK = threading.Lock()
_FOUR_FLOATS = struct.Struct("4f")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Fallback(Exception):  # noqa: N818 - not an error: a reason to read with pdfplumber
    """This PDF is read by the pdfplumber route instead; the message says why."""


@dataclass
class Page:
    bbox: tuple[float, float, float, float]   # the visible page, pdfplumber's coordinates
    chars: list[dict]
    edges: list[dict]


class _Api:
    """The pdfium calls made per character and per text object, bound once to take and
    return plain addresses (pypdfium2's bindings convert pointer objects on every call,
    which would cost more than the call). Those on a text page (``bare``) declare no
    argument types, which makes a call a third cheaper: the text page is passed as a
    ``c_void_p``, out-parameters by ``byref`` and indexes as Python ints (C ints)."""

    def __init__(self):
        import pypdfium2.raw as raw  # noqa: PLC0415

        self.raw = raw
        try:
            from pypdfium2_raw.bindings import _libs  # noqa: PLC0415

            lib = _libs["pdfium"]
        except (ImportError, KeyError) as e:  # pragma: no cover - another pypdfium2 layout
            raise Fallback(f"pdfium's library not found in pypdfium2 ({e})") from None
        p, i, u, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double

        def bind(name: str, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)((name, lib))

        def bare(name: str, restype):
            function = lib._FuncPtr((name, lib))
            function.restype = restype
            return function

        self.unicode = bare("FPDFText_GetUnicode", u)
        self.generated = bare("FPDFText_IsGenerated", i)
        self.text_object = bare("FPDFText_GetTextObject", p)
        self.loose_box = bare("FPDFText_GetLooseCharBox", i)
        self.map_error = bare("FPDFText_HasUnicodeMapError", i)
        self.matrix = bare("FPDFText_GetMatrix", i)
        self.font_size = bare("FPDFText_GetFontSize", d)
        self.font = bind("FPDFTextObj_GetFont", p, p)
        # the page's objects and paths, as handles passed on as they come back
        self.count_objects = bare("FPDFPage_CountObjects", i)
        self.object = bare("FPDFPage_GetObject", _Handle)
        self.object_type = bare("FPDFPageObj_GetType", i)
        self.bounds = bare("FPDFPageObj_GetBounds", i)
        self.draw_mode = bare("FPDFPath_GetDrawMode", i)
        self.object_matrix = bare("FPDFPageObj_GetMatrix", i)
        self.count_segments = bare("FPDFPath_CountSegments", i)
        self.segment = bare("FPDFPath_GetPathSegment", _Handle)
        self.point = bare("FPDFPathSegment_GetPoint", i)
        self.segment_type = bare("FPDFPathSegment_GetType", i)
        self.closes = bare("FPDFPathSegment_GetClose", i)
        self.font_name = bind("FPDFFont_GetBaseFontName", ctypes.c_size_t, p, p, ctypes.c_size_t)
        self.descent = bind("FPDFFont_GetDescent", i, p, ctypes.c_float, p)


class _Handle(ctypes.c_void_p):
    """A pdfium object's address as a return type: a subclass, so ctypes hands it back
    as this object (not an int), which a ``bare`` call takes as a pointer again."""


_api: _Api | None = None


def read_pages(data: bytes, max_pages: int) -> list[Page] | int:
    """The pages, or the page count when it is over ``max_pages``; raises ``Fallback``."""
    global _api
    import pypdfium2 as pdfium  # noqa: PLC0415 - imported only when a PDF is read

    with PDFIUM_LOCK:
        if _api is None:
            _api = _Api()
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            raise Fallback(f"pdfium cannot open it ({e})") from None
        try:
            descents = _descents(data)
            count = len(doc)
            if count > max_pages:
                return count
            pages = []
            for number in range(count):
                page = doc[number]
                try:
                    pages.append(_page(_api, page, descents))
                finally:
                    page.close()
        finally:
            doc.close()
    if not any(p.chars for p in pages):
        raise Fallback("no text: the pdfplumber route says whether it is a scan")
    return pages


_SUBSET = re.compile(r"^[A-Z]{6}\+")


def _descents(data: bytes) -> dict[str, float]:
    """Each font's descent as pdfminer takes it, by font name: from its FontDescriptor
    (often 0 in Word and LibreOffice exports, where pdfium measures the font file), or
    for the standard 14 fonts from their built-in metrics. It is the bottom of a
    character's box, which decides how lines stack. Only the page dictionaries and their
    resources are read; a page box that is not four numbers raises ``Fallback``."""
    from pdfminer.fontmetrics import FONT_METRICS  # noqa: PLC0415
    from pdfminer.pdfdocument import PDFDocument  # noqa: PLC0415
    from pdfminer.pdfpage import PDFPage  # noqa: PLC0415
    from pdfminer.pdfparser import PDFParser  # noqa: PLC0415
    from pdfminer.pdftypes import resolve1  # noqa: PLC0415
    from pdfminer.psparser import PSLiteral  # noqa: PLC0415

    def name_of(value) -> str:
        value = resolve1(value)
        return str(value.name) if isinstance(value, PSLiteral) else str(value)

    out: dict[str, float] = {}
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(document):
            for key in ("MediaBox", "CropBox"):
                box = resolve1(page.attrs.get(key, [0, 0, 1, 1]))
                if not (isinstance(box, list) and len(box) == 4
                        and all(isinstance(resolve1(v), int | float) for v in box)):
                    # pdfium would guess a page size; the pdfplumber route says it is broken
                    raise Fallback(f"a broken {key}")
            fonts = resolve1((page.resources or {}).get("Font")) or {}
            for ref in fonts.values():
                spec = resolve1(ref)
                if not isinstance(spec, dict):
                    continue
                name = _SUBSET.sub("", name_of(spec.get("BaseFont")))
                if name in out:
                    continue
                kind = name_of(spec.get("Subtype"))
                if kind == "Type3":
                    raise Fallback("a Type3 font")
                if kind == "Type0":
                    descendants = resolve1(spec.get("DescendantFonts")) or [{}]
                    spec = resolve1(descendants[0]) or {}
                if kind in ("Type1", "MMType1", "TrueType") and name in FONT_METRICS:
                    descriptor = FONT_METRICS[name][0]
                else:
                    descriptor = resolve1(spec.get("FontDescriptor")) or {}
                descent = float(resolve1(descriptor.get("Descent", 0)) or 0)
                out[name] = -abs(descent) * 0.001
    except Fallback:
        raise
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise Fallback(f"pdfminer cannot read its fonts ({type(e).__name__})") from None
    return out


def _box(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _page(api: _Api, page, descents: dict[str, float]) -> Page:
    if page.get_rotation() % 360:
        raise Fallback("a rotated page")
    mx0, my0, mx1, my1 = _box(page.get_mediabox())
    height = my1 - my0
    mediabox = (mx0, height - my1, mx1, height - my0)
    cx0, cy0, cx1, cy1 = _box(page.get_cropbox())
    cropbox = (cx0, height - cy1, cx1, height - cy0)
    chars = _chars(api, page, height, descents)
    graphics, images = _graphics(api, ctypes.cast(page.raw, ctypes.c_void_p), height)

    box = _overlap(cropbox, mediabox) or mediabox
    if box != mediabox or not _all_inside((chars, graphics, images), box):
        from pdfplumber.utils import crop_to_bbox  # noqa: PLC0415
        chars = crop_to_bbox(chars, box)
        graphics = crop_to_bbox(graphics, box)
    return Page(box, chars, edges_of(graphics))


def _overlap(a, b):
    x0, top, x1, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, top, x1, bottom) if x0 < x1 and top < bottom else None


def _all_inside(groups: tuple[list[dict], ...], box) -> bool:
    objects = [o for group in groups for o in group]
    return not objects or (box[0] <= min(map(itemgetter("x0"), objects))
                           and max(map(itemgetter("x1"), objects)) <= box[2]
                           and box[1] <= min(map(itemgetter("top"), objects))
                           and max(map(itemgetter("bottom"), objects)) <= box[3])


def _chars(api: _Api, page, height: float, descents: dict[str, float]) -> list[dict]:
    textpage = page.get_textpage()
    try:
        tp = ctypes.cast(textpage.raw, ctypes.c_void_p)
        count = api.raw.FPDFText_CountChars(textpage.raw)
        rect = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
        rect_ref = ctypes.byref(rect)
        read_rect = _FOUR_FLOATS.unpack_from
        matrix = api.raw.FS_MATRIX()
        text_of = _page_text(api, textpage.raw, tp, count)
        is_generated = api.generated
        loose_box, text_object = api.loose_box, api.text_object
        objects: dict[int | None, tuple[float, str, float]] = {}
        fonts: dict[int | None, tuple[str, float]] = {}
        chars: list[dict] = []
        append = chars.append
        last: int | None = -1  # no text object has this address
        size, fontname, shift = 0.0, "", 0.0
        for i in range(count):
            text = text_of[i]
            if text in " \r\n" and is_generated(tp, i):
                continue  # spaces and line breaks pdfium puts in, not in the page
            obj = text_object(tp, i)
            if obj != last:  # a page's characters come text object by text object
                style = objects.get(obj)
                if style is None:
                    style = objects[obj] = _style(api, tp, i, obj, fonts, descents, matrix)
                size, fontname, shift = style
                last = obj
            loose_box(tp, i, rect_ref)
            left, _, right, rect_bottom = read_rect(rect)
            bottom = height - rect_bottom - shift
            top = bottom - size
            append({"text": text, "x0": left, "x1": right, "top": top, "bottom": bottom,
                    "doctop": top, "size": size, "fontname": fontname})
        return chars
    finally:
        textpage.close()


def _page_text(api: _Api, textpage, tp: ctypes.c_void_p, count: int) -> list[str] | str:
    """Character ``i`` of the page is ``text[i]``: the page's text in one call, or one
    call per character where that text does not line up with the characters (one
    beyond the BMP comes as two UTF-16 units; pdfium may leave a character out)."""
    raw = api.raw
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:max(written - 1, 0) * 2].decode("utf-16-le", "surrogatepass")
    if (len(text) == count and not _SURROGATE.search(text)
            and (count == 0 or raw.FPDFText_GetTextIndexFromCharIndex(textpage, count - 1)
                 == count - 1)):
        return text
    return [chr(api.unicode(tp, i)) for i in range(count)]


def _style(api: _Api, tp: ctypes.c_void_p, i: int, obj: int | None,
           fonts: dict[int | None, tuple[str, float]],
           descents: dict[str, float], matrix) -> tuple[float, str, float]:
    """A text object's (size as pdfminer gives it: the font size scaled by the text
    matrix; font name; how far pdfminer's box bottom lies above pdfium's)."""
    api.matrix(tp, i, ctypes.byref(matrix))
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        raise Fallback("text that is not upright")
    size = api.font_size(tp, i) * matrix.d
    font = api.font(obj) if obj else None
    known = fonts.get(font)
    if known is None:
        if api.map_error(tp, i):
            raise Fallback("a font without a Unicode map")
        known = fonts[font] = _font(api, font, descents)
    name, descent = known
    return size, name, size * descent


def _font(api: _Api, font: int | None, descents: dict[str, float]) -> tuple[str, float]:
    """(the font's name, pdfminer's descent less pdfium's, per unit of font size)."""
    if not font:
        return "", 0.0
    name = ""
    n = api.font_name(font, None, 0)
    if n > 1:
        buf = ctypes.create_string_buffer(n)
        api.font_name(font, ctypes.addressof(buf), n)
        name = buf.value.decode("utf-8", "replace")
    ours = descents.get(_SUBSET.sub("", name))
    theirs = ctypes.c_float()
    if ours is None or not api.descent(font, 1.0, ctypes.addressof(theirs)):
        return name, 0.0
    return name, ours - theirs.value


def _graphics(api: _Api, page: ctypes.c_void_p, height: float) -> tuple[list[dict], list[dict]]:
    """The page's lines, rectangles and curves as pdfplumber's objects, and its images'
    boxes (only to see whether anything lies outside the page)."""
    raw = api.raw
    graphics: list[dict] = []
    images: list[dict] = []
    left, bottom_, right, top_ = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = raw.FS_MATRIX()
    form, image, path = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH
    object_type, get_object = api.object_type, api.object
    for k in range(api.count_objects(page)):
        obj = get_object(page, k)
        kind = object_type(obj)
        if kind == form:
            if _form_has_graphics(raw, ctypes.cast(obj, raw.FPDF_PAGEOBJECT)):
                raise Fallback("lines inside a form XObject")
        elif kind == image:
            api.bounds(obj, ctypes.byref(left), ctypes.byref(bottom_), ctypes.byref(right),
                       ctypes.byref(top_))
            images.append({"x0": left.value, "x1": right.value,
                           "top": height - top_.value, "bottom": height - bottom_.value})
        elif kind == path:
            fill.value = stroke.value = 0
            api.draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            if not fill.value and not stroke.value:
                continue
            api.object_matrix(obj, ctypes.byref(matrix))
            for ops, pts in _subpaths(api, obj, matrix):
                graphic = path_object(ops, pts, height)
                if graphic is not None:
                    graphics.append(graphic)
    return graphics, images


def _form_has_graphics(raw, form) -> bool:
    for k in range(raw.FPDFFormObj_CountObjects(form)):
        obj = raw.FPDFFormObj_GetObject(form, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM and _form_has_graphics(raw, obj):
            return True
    return False


def _subpaths(api: _Api, obj, m) -> list[tuple[str, list[tuple[float, float]]]]:
    """The path's subpaths in page space as pdfminer records them: operators ``m``,
    ``l``, ``c`` (one per Bézier, its end point) and ``h`` (closing: the start point)."""
    raw = api.raw
    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    out: list[tuple[str, list[tuple[float, float]]]] = []
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for s in range(api.count_segments(obj)):
        seg = api.segment(obj, s)
        api.point(seg, x_ref, y_ref)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = api.segment_type(seg)
        if kind == moveto:
            if ops:
                out.append(("".join(ops), pts))
            ops, pts, bezier = ["m"], [point], 0
        elif kind == bezierto:
            bezier += 1
            if bezier % 3 == 0:
                ops.append("c")
                pts.append(point)
        else:
            ops.append("l")
            pts.append(point)
        if api.closes(seg) and pts:
            ops.append("h")
            pts.append(pts[0])
    if ops:
        out.append(("".join(ops), pts))
    return out
