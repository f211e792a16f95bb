"""Build HTML, DOCX and PDF versions of the seed reports, for the format readers' tests.

Each seed in ``data/raw`` is cut into blocks: paragraphs and tables (rows of cells). The
tab-separated seeds give their rows directly; the space-separated seed (001) is split on
blanks inside its table sections, the one-cell-per-line seed (002) is regrouped into
rows (a label and the numbers after it). A table is then laid out with the spans real
pages use: an empty cell after a cell is covered by its colspan (section 二's single
values, colspan=3), an empty cell under a label by its rowspan (section 三's
``三、本年度办理结果``, the ``(三)不予公开`` group labels). Expanding those spans again
must give back the seed's rows exactly, which is what the tests check.

Nothing here is written to the repository: the tests build every file in ``tmp_path``.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))

_HEADING = re.compile(r"^[一二三四五六七八]、\S*(情况|事项|问题)\S*$")
_NUMBER = re.compile(r"^-?[\d.,]+$")


@dataclass
class Table:
    rows: list[list[str]]                       # the seed's cells, padded to one width
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # r, c, rs, cs

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)


@dataclass
class Seed:
    name: str
    title: str
    blocks: list  # str (paragraph) | Table

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def expected_rows(self) -> list[list[str]]:
        """Every table row the readers must give back, cell for cell."""
        return [row for t in self.tables for row in t.rows if any(row)]


def load_seed(path: Path) -> Seed:
    text = path.read_text(encoding="utf-8")
    if "\t" in text:
        blocks = _tab_blocks(text)
    elif re.search(r"\n\n[^\n]+\n\n\d+\n\n", text):
        blocks = _cell_per_line_blocks(text)
    else:
        blocks = _spaced_blocks(text)
    for block in blocks:
        if isinstance(block, Table):
            _pad(block)
            block.spans = plan_spans(block.rows)
    title = next((b for b in blocks[:3] if isinstance(b, str) and "年度报告" in b and len(b) < 60),
                 "政府信息公开工作年度报告")
    return Seed(path.stem, title, blocks)


def _clean(line: str) -> str:
    return re.sub(r"^#+\s*", "", line).strip()


def _tab_blocks(text: str) -> list:
    blocks: list = []
    for line in text.splitlines():
        if "\t" in line:
            row = [c.strip() for c in line.split("\t")]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(row)
            else:
                blocks.append(Table([row]))
        elif line.strip():
            blocks.append(_clean(line))
        elif blocks and isinstance(blocks[-1], Table):
            blocks.append("")  # a blank line ends a table
    return [b for b in blocks if b != ""]


def _in_tables(line: str, state: dict) -> bool:
    s = line.strip()
    if s.startswith("二、主动公开"):
        state["on"] = True
    elif s.startswith("五、"):
        state["on"] = False
    return state["on"] and not _HEADING.match(s) and not s.startswith("二、主动公开")


def _spaced_blocks(text: str) -> list:
    blocks: list = []
    state = {"on": False}
    for line in text.splitlines():
        if not line.strip():
            continue
        if _in_tables(line, state):
            row = line.split()
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(row)
            else:
                blocks.append(Table([row]))
        else:
            blocks.append(_clean(line))
    return blocks


def _cell_per_line_blocks(text: str) -> list:
    blocks: list = []
    state = {"on": False}
    for chunk in re.split(r"\n\s*\n", text):
        cell = chunk.strip()
        if not cell:
            continue
        if not _in_tables(cell, state):
            blocks.append(" ".join(cell.split()))
            continue
        cell = " ".join(cell.split())  # a cell written over two lines is one cell
        table = blocks[-1] if blocks and isinstance(blocks[-1], Table) else None
        if table is None:
            table = Table([])
            blocks.append(table)
        numeric = bool(_NUMBER.match(cell))
        last = table.rows[-1] if table.rows else None
        if numeric and last is not None and last != ["总计"]:  # 总计 alone is a column heading
            last.append(cell)
        else:
            table.rows.append([cell])
    return blocks


def _pad(table: Table) -> None:
    width = table.width
    table.rows = [r + [""] * (width - len(r)) for r in table.rows]


def plan_spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Spans that cover only empty cells: colspan to the right, then rowspan below labels.

    Returns (row, col, rowspan, colspan) for every cell that is written out; positions
    not listed are covered by a span and must come back empty.
    """
    height, width = len(rows), len(rows[0])
    covered = [[False] * width for _ in range(height)]
    spans = []
    for r in range(height):
        for c in range(width):
            if covered[r][c]:
                continue
            cs = rs = 1
            if rows[r][c]:
                while c + cs < width and not rows[r][c + cs] and not covered[r][c + cs]:
                    cs += 1
                if cs == 1 and not _NUMBER.match(rows[r][c]):
                    while r + rs < height and not rows[r + rs][c] and not covered[r + rs][c]:
                        rs += 1
            for dr in range(rs):
                for dc in range(cs):
                    covered[r + dr][c + dc] = True
            spans.append((r, c, rs, cs))
    return spans


# --- HTML -------------------------------------------------------------------------------

_CLUTTER_TOP = """
<div class="top"><a href="/">返回首页</a> | <span>长者模式</span> | <span>无障碍浏览</span></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li>
<li><a href="/xxgk">政府信息公开年报</a></li></ul></div>
<nav><a href="/">网站首页</a><a href="/nb">年报</a></nav>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/nb">政府信息公开年报</a></div>
<script>var gklist = {"a": "<table><tr><td>99</td><td>98</td></tr></table>", "b": [1, 2, 3]};
document.write("<p>脚本文字 12345</p>");</script>
<style>td { border: 1px solid #000; } .x:before { content: "样式 777"; }</style>
"""
_CLUTTER_BOTTOM = """
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="qr"><img src="qr.png" alt="二维码"/><p>扫一扫在手机打开当前页</p></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
<div style="display:none">隐藏文字 4242</div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/map">网站地图</a> |
<a href="/contact">联系我们</a></p><p>主办单位：某某县人民政府办公室</p>
<p>网站标识码：4103290001　ICP备12345678号</p></div>
<script type="text/javascript">(function(){var s = "9 9 9";})();</script>
"""


def _html_cell(text: str, variant: int) -> str:
    """A cell's inner HTML: blanks as <br/> or &nbsp;, wrapped as WPS pastes do."""
    if not text:
        return ("&nbsp;", "", " &nbsp; ", "<p>&nbsp;</p>", "<span style='x'>&#160;</span>")[variant % 5]
    parts = [html.escape(p) for p in text.split(" ")]
    if len(parts) > 1:
        sep = "<br/>" if not any(ch.isdigit() for ch in text) else ("&nbsp;", "<br>")[variant % 2]
        inner = sep.join(parts)
    else:
        inner = parts[0]
    if variant % 3 == 1:
        inner = f'<font class="font0" face="宋体">{inner}</font>'
    elif variant % 3 == 2:
        inner = f"\n      <p><span style='font-family:宋体'>{inner}</span></p>\n    "
    return inner


def table_html(table: Table) -> str:
    by_row: dict[int, list] = {}
    for r, c, rs, cs in table.spans:
        by_row.setdefault(r, []).append((c, rs, cs))
    out = ['<table border="1" cellspacing="0" style="border-collapse:collapse">',
           '<colgroup><col width="72" span="3"/></colgroup><tbody>']
    for r in range(len(table.rows)):
        out.append('<tr height="24">')
        for c, rs, cs in by_row.get(r, []):
            attrs = ' class="et2" x:num' if _NUMBER.match(table.rows[r][c]) else ' class="et3"'
            if rs > 1:
                attrs += f' rowspan="{rs}"'
            if cs > 1:
                attrs += f" colspan={cs}"
            out.append(f"<td{attrs}>{_html_cell(table.rows[r][c], r + c)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def seed_html(seed: Seed, charset_meta: str | None = "utf-8", layout_table: bool = False) -> str:
    body = []
    for block in seed.blocks:
        if isinstance(block, Table):
            body.append(table_html(block))
        elif _HEADING.match(block):
            body.append(f"<h2><strong>{html.escape(block)}</strong></h2>")
        else:
            body.append(f'<p style="text-indent:2em">{html.escape(block)}</p>')
    article = '<div class="TRS_Editor">\n' + "\n".join(body) + "\n</div>"
    if layout_table:  # an old table-layout page: the article sits in a table cell
        article = ('<table width="100%"><tr><td class="left"><a href="/a">栏目一</a>'
                   '<a href="/b">栏目二</a></td><td class="main">' + article + "</td></tr></table>")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' \
        if charset_meta else ""
    return (f"<!DOCTYPE html>\n<html><head>{meta}<title>{html.escape(seed.title)}_政府信息公开年报"
            f"</title></head>\n<body>{_CLUTTER_TOP}\n<h1>{html.escape(seed.title)}</h1>\n"
            f"<div class='info'>发布时间：2021-01-19</div>\n{article}\n{_CLUTTER_BOTTOM}</body></html>\n")


# --- DOCX -------------------------------------------------------------------------------

def seed_docx(seed: Seed) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(seed.title, level=1)
    for block in seed.blocks:
        if isinstance(block, str):
            if _HEADING.match(block):
                document.add_heading(block, level=2)
            else:
                document.add_paragraph(block)
            continue
        rows, width = block.rows, block.width
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, c, rs, cs in block.spans:
            cell = table.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            text = rows[r][c]
            parts = text.split(" ") if text else [""]
            paragraph = cell.paragraphs[0]
            if len(parts) > 1 and (r + c) % 2:
                for i, part in enumerate(parts):  # a line break inside the cell
                    run = paragraph.add_run(part)
                    if i < len(parts) - 1:
                        run.add_break()
            else:
                paragraph.add_run(parts[0]).font.size = Pt(9)
                for part in parts[1:]:  # or a second paragraph
                    cell.add_paragraph(part)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def blank_template(seed: Seed) -> Seed:
    """The seed's tables as the blank official template has them: every number cell
    empty, the merged label cells (rowspan, colspan) kept as they were; the title and the
    section headings, no prose."""
    blocks: list = [seed.title]
    for block in seed.blocks:
        if isinstance(block, Table):
            rows = [["" if _NUMBER.match(c) else c for c in row] for row in block.rows]
            blocks.append(Table(rows, list(block.spans)))
        elif _HEADING.match(block):
            blocks.append(block)
    return Seed(seed.name, seed.title, blocks)


# --- PDF --------------------------------------------------------------------------------

def seed_pdf(seed: Seed) -> bytes:
    """A PDF whose text layer is the seed: Adobe's STSong-Light CID font, not embedded,
    so no font file is needed (pdfminer maps it to Unicode with its bundled CMaps)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=14,
                          wordWrap="CJK", firstLineIndent=20)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    page = landscape(A4)
    story = [Paragraph(html.escape(seed.title), body)]
    for block in seed.blocks:
        if isinstance(block, str):
            story.append(Paragraph(html.escape(block), body))
            continue
        width = block.width
        usable = page[0] - 80 - 12
        widest = [max((len(row[c]) for row in block.rows
                       if (row[c] and _spans_one_column(block, row, c))), default=1)
                  for c in range(width)]
        col_w = [min(max(8.0 * n + 8, 24.0), 230.0) for n in widest]
        col_w = [w * usable / sum(col_w) for w in col_w] if sum(col_w) > usable else col_w
        data = [[Paragraph(html.escape(t), cell) if t else "" for t in row] for row in block.rows]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for r, c, rs, cs in block.spans:
            if rs > 1 or cs > 1:
                style.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        story.append(RLTable(data, colWidths=col_w, style=TableStyle(style)))
        story.append(Spacer(1, 8))

    def page_number(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(page[0] / 2, 20, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=page, leftMargin=40, rightMargin=40, topMargin=40,
                      bottomMargin=40).build(story, onFirstPage=page_number,
                                             onLaterPages=page_number)
    return buf.getvalue()


def _spans_one_column(table: Table, row: list[str], c: int) -> bool:
    r = table.rows.index(row)
    return any(sr == r and sc == c and cs == 1 for sr, sc, _, cs in table.spans)


def scanned_pdf() -> bytes:
    """An image-only PDF: a drawn page, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 200, 30):
        draw.line((10, y, 390, y), fill="black")
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(png), 50, 500, width=400, height=200)
    c.showPage()
    c.save()
    return buf.getvalue()


def billion_laughs() -> str:
    """Entity declarations: nine levels of ten references each, 10**9 'lol's if expanded."""
    return "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


# --- reading back -----------------------------------------------------------------------

def tab_rows(text: str) -> list[list[str]]:
    """The table rows of an extracted text: its lines holding a tab, split into cells."""
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def squeeze(rows: list[list[str]]) -> list[list[str]]:
    """Rows with the blanks inside each cell removed (for PDF, where wrapping decides)."""
    return [[re.sub(r"\s", "", c) for c in row] for row in rows]


def nonempty(rows: list[list[str]]) -> list[list[str]]:
    return [[c for c in row if c] for row in rows]


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """Write a built fixture into ``folder`` and return its path."""
    path = folder / name
    path.write_bytes(data)
    return path
