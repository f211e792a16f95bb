"""OFD versions of the seed reports, and hostile OFDs, built at test time.

``seed_ofd(seed)`` lays a seed out on A4 pages as an OFD writer does: each line of a
paragraph one ``TextObject`` (the first line indented two characters, lines wrapped at
the right margin, never inside a number or a Latin word), each table cell (or merged
cell, from ``seed.spans``) a ``PathObject`` rectangle with its text in ``TextObject``s
inside, rows kept together with the rows their merged cells reach, a page number
``- N -`` at the foot of each page. Widths: a Chinese or full-width character is one font
size wide, any other half of one. ``ofd_package(parts)`` zips parts (``OFD.xml`` first).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from tests.support.format_fixtures import Seed, Table

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, TOP, WIDTH, BOTTOM = 20.0, 20.0, 170.0, 272.0
BODY, BODY_LEADING = 3.5, 5.6
CELL, CELL_LEADING, PAD = 2.5, 3.4, 1.2
_WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef]")
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,:%\-/@]")


def advance(ch: str, size: float) -> float:
    return size if _WIDE.match(ch) else size / 2


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Lines of at most ``width`` mm, the first ``indent`` in; a run of digits or Latin
    letters is never cut (it moves whole to the next line)."""
    lines, line, used, limit = [], "", 0.0, width - indent
    for ch in text:
        w = advance(ch, size)
        if used + w > limit and line:
            cut = len(line)
            if _UNBREAKABLE.match(ch):
                while cut > 0 and _UNBREAKABLE.match(line[cut - 1]):
                    cut -= 1
                cut = cut or len(line)
            lines.append(line[:cut])
            line = line[cut:]
            used = sum(advance(c, size) for c in line)
            limit = width
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def text_object(x: float, y: float, text: str, size: float, oid: int) -> str:
    """One line of text, its top-left corner at (x, y) mm; the baseline one size down."""
    deltas = " ".join(f"{advance(ch, size):g}" for ch in text[:-1])
    width = sum(advance(ch, size) for ch in text)
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x:g} {y:g} {width:g} {size * 1.2:g}" '
            f'Font="1" Size="{size:g}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{size:g}" DeltaX={quoteattr(deltas)}>{escape(text)}'
            "</ofd:TextCode></ofd:TextObject>")


def rect_object(x: float, y: float, w: float, h: float, oid: int) -> str:
    return (f'<ofd:PathObject ID="{oid}" Boundary="{x:g} {y:g} {w:g} {h:g}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M 0 0 L {w:g} 0 L {w:g} {h:g} L 0 {h:g} C</ofd:AbbreviatedData>"
            "</ofd:PathObject>")


class _Pages:
    def __init__(self):
        self.pages: list[list[str]] = [[]]
        self.y = TOP
        self.oid = 10

    def next_id(self) -> int:
        self.oid += 1
        return self.oid

    def room(self, height: float) -> None:
        if self.y + height > BOTTOM and self.pages[-1]:
            self.pages.append([])
            self.y = TOP

    def add(self, xml: str) -> None:
        self.pages[-1].append(xml)


def _paragraph(pages: _Pages, text: str) -> None:
    for k, line in enumerate(wrap(text, WIDTH, BODY, indent=2 * BODY)):
        pages.room(BODY_LEADING)
        x = LEFT + (2 * BODY if k == 0 else 0)
        pages.add(text_object(x, pages.y, line, BODY, pages.next_id()))
        pages.y += BODY_LEADING


def _column_widths(table: Table) -> list[float]:
    one_column = {(r, c) for r, c, _, cs in table.spans if cs == 1}
    widest = [max((len(row[c]) for r, row in enumerate(table.rows)
                   if row[c] and (r, c) in one_column), default=1) for c in range(table.width)]
    widths = [min(max(2.8 * n + 3, 9.0), 80.0) for n in widest]
    total = sum(widths)
    return [w * WIDTH / total for w in widths] if total > WIDTH else widths


def _table(pages: _Pages, table: Table) -> None:
    widths = _column_widths(table)
    xs = [LEFT + sum(widths[:c]) for c in range(table.width + 1)]
    cells = {(r, c): (rs, cs) for r, c, rs, cs in table.spans}
    lines = {(r, c): wrap(table.rows[r][c], xs[c + cs] - xs[c] - 2 * PAD, CELL)
             for (r, c), (rs, cs) in cells.items() if table.rows[r][c]}
    height = [CELL_LEADING + 2 * PAD] * len(table.rows)
    for (r, c), (rs, _) in cells.items():
        need = len(lines.get((r, c), [])) * CELL_LEADING + 2 * PAD
        if need > sum(height[r:r + rs]):
            height[r + rs - 1] += need - sum(height[r:r + rs])
    r = 0
    while r < len(table.rows):
        end = r + 1  # rows tied together by a merged cell go on one page
        k = r
        while k < end:
            end = max(end, *(k + rs for (rr, _), (rs, _) in cells.items() if rr == k))
            k += 1
        pages.room(sum(height[r:end]))
        tops = {row: pages.y + sum(height[r:row]) for row in range(r, end + 1)}
        for (rr, c), (rs, cs) in sorted(cells.items()):
            if not r <= rr < end:
                continue
            x, y = xs[c], tops[rr]
            w, h = xs[c + cs] - x, tops[rr + rs] - y
            pages.add(rect_object(x, y, w, h, pages.next_id()))
            for n, line in enumerate(lines.get((rr, c), [])):
                pages.add(text_object(x + PAD, y + PAD + n * CELL_LEADING, line, CELL,
                                      pages.next_id()))
        pages.y = tops[end]
        r = end
    pages.y += 3.0


def seed_ofd(seed: Seed) -> bytes:
    pages = _Pages()
    _paragraph(pages, seed.title)
    for block in seed.blocks:
        if isinstance(block, str):
            _paragraph(pages, block)
        else:
            _table(pages, block)
    parts = {"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(len(pages.pages)),
             "Doc_0/PublicRes.xml": public_res_xml()}
    for n, objects in enumerate(pages.pages):
        number = f"- {n + 1} -"
        x = (PAGE_W - sum(advance(ch, 3.0) for ch in number)) / 2
        objects = [*objects, text_object(x, PAGE_H - 12, number, 3.0, 9)]
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = content_xml(objects)
    return ofd_package(parts)


def ofd_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
            'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>seed</ofd:DocID></ofd:DocInfo>'
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")


def document_xml(pages: int) -> str:
    listed = "".join(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>'
                     for n in range(pages))
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
            "<ofd:CommonData><ofd:MaxUnitID>100000</ofd:MaxUnitID><ofd:PageArea>"
            f"<ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}</ofd:PhysicalBox></ofd:PageArea>"
            "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>")


def public_res_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            '<ofd:Fonts><ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')


def content_xml(objects: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')


def ofd_package(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(parts, key=lambda n: n != "OFD.xml"):
            data = parts[name]
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()
