"""DOCX → text: paragraphs as lines, every table row one line of tab-separated cells.

In: the bytes of a .docx. Out: the text the parser reads, in document order (body
paragraphs, tables, content controls and text boxes; headers, footers, footnotes, deleted
text and hidden text left out).

Tables: ``gridBefore``, ``gridSpan`` (colspan) and ``vMerge`` (rowspan) are laid out on
the table grid; a merged cell's text appears once, in its first position, and the
positions it covers are empty. Paragraphs and line breaks inside a cell become one space.
A table that holds other tables, or has one column, is layout: its cells are read as
ordinary blocks.

Safety: the ZIP is checked before anything is unpacked (member count, each member's and
the total uncompressed size, compression ratio); an XML part that declares a DTD is
refused outright (Word never writes one; it only serves entity expansion and external
entities); the XML is then read by python-docx's parser, which resolves no entities and
touches no network, and an entity reference left in the tree contributes no text.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..errors import ParseError
from ._text import HARD_SPACE, Grid, collapse, join_lines, table_lines

MAX_MEMBER_BYTES = 50 * 1024 * 1024     # one unpacked part
MAX_TOTAL_BYTES = 200 * 1024 * 1024     # all unpacked parts
MAX_MEMBERS = 10_000
MAX_RATIO = 200                         # uncompressed / compressed, for parts over 1 MiB

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# Inline elements whose content is not text a reader sees.
_SKIP_INLINE = frozenset({
    "pPr", "rPr", "del", "moveFrom", "instrText", "delText", "delInstrText", "rt",
    "footnoteReference", "endnoteReference", "commentReference", "fldData", "sectPr",
})


def docx_to_text(data: bytes, label: str) -> str:
    """The text of a .docx (see the module docstring)."""
    check_zip(data, label)
    import docx  # noqa: PLC0415 - imported only when a DOCX is read
    from docx.opc.exceptions import PackageNotFoundError  # noqa: PLC0415
    from lxml import etree  # noqa: PLC0415

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ParseError(label, "DOCX file is damaged (not a Word package)",
                         "re-download it, or open and re-save it in Word or WPS") from None
    except ValueError as e:  # python-docx: the main part is not a Word document
        raise ParseError(label, f"not a Word document ({e})",
                         "save it from Word or WPS as .docx and parse that") from None
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError,
            EOFError, OSError, zlib.error) as e:
        raise ParseError(label, f"DOCX file is damaged ({type(e).__name__}: {e})",
                         "re-download it, or open and re-save it in Word or WPS") from None
    reader = _Reader(document.part, label)
    try:
        reader.blocks(document.element.body)
    except RecursionError:
        raise ParseError(label, "DOCX is nested too deeply to read") from None
    except OverflowError as e:
        raise ParseError(label, f"DOCX table too large ({e})") from None
    return join_lines(reader.lines)


def check_zip(data: bytes, label: str, *, kind: str = "DOCX", maker: str = "Word",
              resave: str = "open it in Word or WPS and save it again as .docx") -> None:
    """Refuse a ZIP that would unpack to too much (a zip bomb, or not a report) and one
    whose XML declares a DTD. ``kind`` names the format in the messages (DOCX, OFD),
    ``maker`` what writes it, ``resave`` how to get a clean copy."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as e:
        raise ParseError(label, f"{kind} file is damaged (not a readable ZIP: {e})",
                         "re-download it") from None
    hint = f"check that it is a report; a {kind} report unpacks to a few MiB"
    if len(infos) > MAX_MEMBERS:
        raise ParseError(label, f"{kind} has {len(infos)} parts, over the limit of {MAX_MEMBERS}",
                         hint)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise ParseError(label, f"{kind} part {info.filename!r} unpacks to {size / 2**20:.0f} "
                             f"MiB, over the limit of {MAX_MEMBER_BYTES // 2**20} MiB", hint)
        if size > 2**20 and size > MAX_RATIO * max(info.compress_size, 1):
            raise ParseError(label, f"{kind} part {info.filename!r} is compressed "
                             f"{size // max(info.compress_size, 1)}:1 (a zip bomb?)", hint)
    if total > MAX_TOTAL_BYTES:
        raise ParseError(label, f"{kind} unpacks to {total / 2**20:.0f} MiB, over the limit of "
                         f"{MAX_TOTAL_BYTES // 2**20} MiB", hint)
    # Word never writes a DTD, nor do OFD writers; one only serves entity tricks (billion
    # laughs, external entities), so such a file is refused before any XML is parsed.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    with z.open(info) as f:
                        head = f.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<\0!\0D\0O\0C\0" in head.upper():
                        raise ParseError(label, f"{kind} part {info.filename!r} declares a DTD "
                                         f"(<!DOCTYPE>), which {maker} never writes; refused as "
                                         "unsafe", resave)
    except ParseError:  # a ValueError too: not to be taken for a damaged file
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, zlib.error) as e:
        raise ParseError(label, f"{kind} file is damaged ({type(e).__name__}: {e})",
                         "re-download it") from None


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions, entity references
        return ""
    return tag.rsplit("}", 1)[-1]


def _val(el, name: str) -> str | None:
    return el.get(_W + name) if el is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Reader:
    def __init__(self, part, label: str):
        self.part = part
        self.label = label
        self.lines: list[str] = []

    # -- blocks ----------------------------------------------------------------------------
    def blocks(self, parent) -> None:
        for child in parent:
            tag = _local(child)
            if tag == "p":
                self.paragraph(child)
            elif tag == "tbl":
                self.table(child)
            elif tag in ("sdt", "customXml", "sdtContent", "txbxContent"):
                self.blocks(child)
            elif tag == "altChunk":
                self.alt_chunk(child)

    def paragraph(self, p) -> None:
        pieces: list[str] = []
        boxes: list = []
        self.inline(p, pieces, boxes, "\n")
        for line in "".join(pieces).split("\n"):
            line = collapse(line)
            if line:
                self.lines.append(line)
        for box in boxes:  # text boxes anchored in the paragraph, after it
            self.blocks(box)

    def inline(self, el, pieces: list[str], boxes: list, newline: str) -> None:
        for child in el:
            tag = _local(child)
            if not tag or tag in _SKIP_INLINE:
                continue
            if tag == "t":  # its text, and the text after any entity reference left in it
                pieces.append(child.text or "")
                pieces.extend(c.tail or "" for c in child)
            elif tag in ("tab", "ptab"):
                pieces.append(" ")
            elif tag in ("br", "cr"):
                pieces.append(newline)
            elif tag == "noBreakHyphen":
                pieces.append("-")
            elif tag == "r":
                rpr = child.find(_W + "rPr")
                if rpr is not None and rpr.find(_W + "vanish") is not None:
                    continue  # hidden text
                self.inline(child, pieces, boxes, newline)
            elif tag == "txbxContent":
                boxes.append(child)
            elif tag == "AlternateContent":
                choice = child.find(_MC + "Choice")
                if choice is not None:
                    self.inline(choice, pieces, boxes, newline)
                else:
                    fallback = child.find(_MC + "Fallback")
                    if fallback is not None:
                        self.inline(fallback, pieces, boxes, newline)
            else:  # hyperlink, ins, smartTag, fldSimple, sdt, drawing, pict, ...
                self.inline(child, pieces, boxes, newline)

    def cell_text(self, tc) -> str:
        pieces: list[str] = []
        boxes: list = []

        def visit(parent):
            for child in parent:
                tag = _local(child)
                if tag == "p":
                    self.inline(child, pieces, boxes, HARD_SPACE)
                    pieces.append(HARD_SPACE)
                elif tag in ("sdt", "customXml", "sdtContent"):
                    visit(child)
                elif tag == "tbl":  # only in layout tables, which are not read as grids
                    visit_rows(child)

        def visit_rows(tbl):
            for tr in self.rows(tbl):
                for _, tc2 in self.row_cells(tr):
                    visit(tc2)
                    pieces.append(HARD_SPACE)

        visit(tc)
        for box in boxes:
            visit(box)
        return collapse("".join(pieces))

    # -- tables ----------------------------------------------------------------------------
    def rows(self, tbl) -> list:
        rows = []
        for child in tbl:
            tag = _local(child)
            if tag == "tr":
                rows.append(child)
            elif tag == "customXml":
                rows.extend(self.rows(child))
            elif tag == "sdt":
                inner = child.find(_W + "sdtContent")
                if inner is not None:
                    rows.extend(self.rows(inner))
        return rows

    def row_cells(self, tr) -> list:
        """(gridSpan, tc) for each cell of a row, content controls unwrapped."""
        out = []
        for child in tr:
            tag = _local(child)
            if tag == "tc":
                tcpr = child.find(_W + "tcPr")
                span = _int(_val(tcpr.find(_W + "gridSpan") if tcpr is not None else None, "val"), 1)
                out.append((max(1, min(span, 1000)), child))
            elif tag in ("sdt", "customXml"):
                inner = child.find(_W + "sdtContent") if tag == "sdt" else child
                if inner is not None:
                    out.extend(self.row_cells(inner))
        return out

    def table(self, tbl) -> None:
        rows = self.rows(tbl)
        layout = any(True for _ in tbl.iterdescendants(_W + "tbl"))
        if not layout:
            grid = Grid()
            grid.ensure_rows(len(rows))
            for r, tr in enumerate(rows):
                trpr = tr.find(_W + "trPr")
                col = 0
                if trpr is not None:
                    col = max(0, min(_int(_val(trpr.find(_W + "gridBefore"), "val"), 0), 1000))
                for span, tc in self.row_cells(tr):
                    tcpr = tc.find(_W + "tcPr")
                    vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
                    hmerge = tcpr.find(_W + "hMerge") if tcpr is not None else None
                    covered = (vmerge is not None and _val(vmerge, "val") in (None, "continue")) or \
                        (hmerge is not None and _val(hmerge, "val") in (None, "continue"))
                    grid.place(r, col, "" if covered else self.cell_text(tc), 1, span)
                    col += span
            if grid.width > 1:
                self.lines.extend(table_lines(grid.rows()))
                return
        for tr in rows:  # layout: read every cell as blocks
            for _, tc in self.row_cells(tr):
                self.blocks(tc)

    # -- embedded documents ---------------------------------------------------------------------
    def alt_chunk(self, el) -> None:
        """An altChunk (HTML pasted into the document as a part of its own)."""
        rid = el.get(_R + "id")
        try:
            part = self.part.related_parts[rid]
        except (KeyError, AttributeError):
            return
        content_type = getattr(part, "content_type", "")
        if "html" in content_type:
            from .html import html_bytes_to_text  # noqa: PLC0415
            self.lines.extend(html_bytes_to_text(part.blob, self.label).splitlines())
