"""HTML → text: paragraphs as lines, every table row one line of tab-separated cells.

In: a page's bytes (``html_bytes_to_text``; the encoding is read from the BOM, the
``<meta charset>`` / ``http-equiv`` declaration or ``<?xml encoding?>``, and checked
against the bytes, because undeclared and wrongly declared GBK pages are common) or its
already-decoded text (``html_to_text``). Out: the text the parser reads.

Tables: rowspan/colspan are laid out on a grid, a spanned cell's text appears once in its
first position and the covered positions are empty; ``<br>`` and paragraphs inside a cell
become one space; a cell of ``&nbsp;`` is empty. A table holding other tables, or a single
column, is page layout: its cells are read as ordinary blocks. Scripts, styles, hidden
elements, navigation and link lists (menus, breadcrumbs, footers) are left out, and so
are the stock lines of government CMS pages (返回首页, 扫一扫在手机打开当前页, 打印, 关闭…).

Safety: libxml2's HTML parser, no network, no huge trees; DTD internal subsets are
removed before parsing, so no entity is ever declared, let alone expanded or fetched.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from ..errors import ParseError
from ._text import BLANK_RUN, HARD_SPACE, Grid, collapse, join_lines, table_lines

# Words every report contains; they pick the right decoding among the candidates.
_MARKERS = ("政府信息", "公开", "申请", "年度", "报告", "行政", "情况", "处理")

_SKIP = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "object", "embed",
    "svg", "math", "canvas", "audio", "video", "map", "select", "option", "optgroup",
    "button", "textarea", "input", "datalist", "nav", "menu", "head",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "ol", "p",
    "pre", "section", "summary", "ul", "tr", "td", "th", "caption", "tbody", "thead", "tfoot",
    "table", "title", "legend", "output",
})
# Containers that may be a menu, a breadcrumb, a share box or a footer of links.
_LINK_BOXES = frozenset({
    "div", "ul", "ol", "dl", "section", "aside", "header", "footer", "p", "span", "td",
    "li", "table", "tbody", "tr", "center", "font",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Whole lines that CMS templates print around every article.
_CLUTTER_WORDS = frozenset((
    "返回首页", "返回", "首页", "返回顶部", "返回上一页", "打印", "打印本页", "打印此页", "打印页面", "关闭", "关闭窗口", "关闭本页",
    "收藏", "分享", "分享到", "分享至", "字号", "大", "中", "小", "默认", "长者模式", "退出长者模式", "无障碍浏览", "无障碍",
    "关怀版", "网站支持IPV6", "全真版", "文字版", "文件下载", "附件下载", "相关链接", "登录", "注册", "注销", "微信", "微博",
    "QQ空间", "你好", "繁體", "简体", "繁体", "English", "移动版", "手机版", "在线访谈", "网上调查", "上一篇", "下一篇",
    "纠错", "我要纠错", "热门搜索", "历史搜索", "搜索", "文字解读", "图片解读", "视频解读", "H5解读", "新媒体矩阵", "联系我们",
    "网站地图", "使用帮助",
))
_CLUTTER_LINE = re.compile(
    r"^(扫一扫在手机(上)?(打开|查看)(当前|本)页(面)?|扫一扫在手机打开当前页|"
    r"(当前位置|您当前的位置|您的位置|你的位置|当前所在位置)[:：].*|"
    r"(上一篇|下一篇)[:：].*|(浏览次数|访问次数|阅读次数|点击数|浏览量)[:：]?\s*\d*|"
    r"字号[:：]?\s*[大中小 ]*|【?\s*字体[:：]?\s*[大中小 ]*】?|"
    r"(网站标识码|版权所有|主办单位|承办单位|协办单位|技术支持|运维单位|为确保最佳浏览效果|"
    r"建议使用|\S*ICP备|\S*公网安备|公安备案号|[Cc]opyright|©).*)$")
_TOKEN_SPLIT = re.compile(r"[\s|｜/【】\[\]()（）:：>»·•]+")


# --- decoding ---------------------------------------------------------------------------

def html_bytes_to_text(data: bytes, label: str) -> str:
    """The text of an HTML page given as bytes (see the module docstring)."""
    return read_html_bytes(data, label)[0]


def read_html_bytes(data: bytes, label: str) -> tuple[str, str]:
    """(text, encoding used) of an HTML page given as bytes."""
    markup, encoding = decode_html(data, label)
    return html_to_text(markup, label), encoding


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Labels whose bytes are read with a superset: GB2312 pages routinely hold GBK characters.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "euc-cn": "gb18030", "cp936": "gb18030", "big5": "big5hkscs",
             "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
             "us-ascii": "cp1252", "ascii": "cp1252", "utf8": "utf-8", "unicode": "utf-8"}


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares in its first 8 KiB (``<meta>`` or ``<?xml?>``)."""
    head = data[:8192]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    name = _SUPERSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, label: str) -> tuple[str, str]:
    """Decode an HTML page: BOM, then the declared charset if the bytes bear it out.

    A declaration is believed when the bytes decode under it without error and the result
    reads at least as well as under UTF-8, GB18030 or Big5 (counted by words every report
    contains); otherwise the best of those wins. So an undeclared GBK page, a GBK page
    declared UTF-8 and a UTF-8 page declared GB2312 all come out right.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    declared = declared_encoding(data)
    if not data.isascii():
        # Chinese text in GBK or Big5 is, in practice, never valid UTF-8 as well: bytes that
        # decode as UTF-8 are UTF-8, whatever the page declares
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates = [declared] if declared else []
    candidates += [e for e in ("utf-8", "gb18030", "big5hkscs") if e != declared]
    best: tuple[int, int, str, str] | None = None
    for rank, enc in enumerate(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        score = sum(text.count(m) for m in _MARKERS)
        key = (score, -rank)
        if best is None or key > best[:2]:
            best = (score, -rank, text, enc)
    if best is not None:
        return best[2], best[3]
    # Nothing decodes cleanly: a page with a few broken bytes. Take the declaration (or
    # UTF-8, or GB18030, whichever breaks fewer characters) and mark the damage.
    fallback = min(candidates, key=lambda e: data.decode(e, errors="replace").count("\ufffd"))
    text = data.decode(fallback, errors="replace")
    if text.count("\ufffd") > max(16, len(text) // 100):
        raise ParseError(label, "HTML page is in an unknown encoding (not UTF-8, GB18030/GBK "
                         "or Big5, whatever it declares)", "re-save it as UTF-8")
    return text, fallback


# --- parsing ----------------------------------------------------------------------------

_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.I | re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _parse(markup: str, label: str) -> etree._Element:
    markup = _XML_DECL.sub("", markup, count=1)
    markup = _DOCTYPE_SUBSET.sub("", markup, count=1)
    # etree's own parser, not lxml.html's: that one picks a Python class for every element
    # it hands out, a call per element, and nothing here uses those classes' methods
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False,
                              remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(markup.encode("utf-8", errors="replace"), parser=parser)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(label, f"HTML cannot be parsed ({e})",
                         "check that the download is the page itself") from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT":
            raise ParseError(label, "HTML page is beyond the parser's limits (elements nested "
                             "over 255 deep or a text run over 10 MB)",
                             "check that it is a report page") from None
    return root


def html_to_text(text: str, label: str) -> str:
    """The text of an already-decoded HTML page (see the module docstring)."""
    if not text.strip():
        raise ParseError(label, "HTML page is empty", "re-download it")
    root = _parse(text, label)
    out = _Writer()
    title = root.find(".//title")
    if title is not None:
        out.line(_text_content(title))
    stats = _link_stats(root)
    try:
        _walk(root, out, stats)
    except RecursionError:
        raise ParseError(label, "HTML page is nested too deeply to read") from None
    except OverflowError as e:
        raise ParseError(label, f"HTML table too large ({e})") from None
    out.flush()
    lines = [ln for ln in out.lines if not _is_clutter(ln)]
    if not any(ln.strip() for ln in lines[1 if title is not None else 0:]):
        frames = [f.get("src") for f in root.iter("iframe", "frame") if f.get("src")]
        hint = ("the report is in a frame; open " + ", ".join(frames[:3])) if frames else \
            "the page may be built by JavaScript; save the page as the browser shows it"
        raise ParseError(label, "HTML page has no text of its own", hint)
    return join_lines(lines)


# --- walking ----------------------------------------------------------------------------

class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self._buf.append(s)

    def flush(self) -> None:
        if self._buf:
            self.line("".join(self._buf))
            self._buf = []

    def line(self, s: str) -> None:
        s = collapse(s)
        if s:
            self.lines.append(s)

    def raw_lines(self, lines: list[str]) -> None:
        self.flush()
        self.lines.extend(lines)


def _text_content(el) -> str:
    """All the text inside an element (lxml.html's ``text_content``)."""
    return "".join(el.itertext())


def _tag(el) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


# The attributes that can hide an element; most elements carry only others (class, width).
_HIDING = frozenset({"hidden", "aria-hidden", "role", "style"})


def _hidden(el) -> bool:
    if _HIDING.isdisjoint(el.keys()):
        return False
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if (el.get("role") or "").lower() in ("navigation", "menubar", "menu"):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _visible_children(el):
    for child in el:
        if _shown(child, _tag(child)):
            yield child


def _shown(el, tag: str) -> bool:
    """An element read at all: not a comment, not a script or a form control, not hidden."""
    return bool(tag) and tag not in _SKIP and not _hidden(el)


def _link_stats(root) -> dict:
    """Per element: (characters of text, characters inside links, links, has a table)."""
    stats: dict = {}

    def visit(el) -> tuple[int, int, int, bool]:
        tag = _tag(el)
        if tag == "table" and _read_as_grid(el):
            # Neither it nor anything around it is a link box (it holds a table), and
            # nothing inside it is walked: no need to count its text.
            stats[el] = (0, 0, 0, True)
            return stats[el]
        own = _visible_len(el.text)
        text, linked, links, table = own, 0, 0, False
        for child in _visible_children(el):
            t, lk, n, tb = visit(child)
            text += t + _visible_len(child.tail)
            linked += lk
            links += n
            table = table or tb
        if tag == "a" and el.get("href") is not None:
            linked, links = text, links + 1
        if tag == "table":
            table = True
        stats[el] = (text, linked, links, table)
        return stats[el]

    visit(root)
    return stats


def _read_as_grid(table) -> bool:
    """Surely read by ``_table`` as a grid: no table inside it, and a row of two cells or
    a cell spanning two columns (so the grid is more than one column wide)."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    return any(len(cells) > 1 or (cells and _span(cells[0], "colspan", 1000) > 1)
               for cells in map(_cells, _rows(table)))


def _visible_len(s: str | None) -> int:
    """Characters other than whitespace (str.split and the regex \\s agree on which)."""
    return len("".join(s.split())) if s else 0


def _is_link_box(el, stats) -> bool:
    """A menu, breadcrumb, share box or footer: nearly all its text is links."""
    if _tag(el) not in _LINK_BOXES or el not in stats:
        return False
    text, linked, links, table = stats[el]
    if table or links < 2 or text == 0:
        return False
    return linked >= 0.8 * text


def _walk(el, out: _Writer, stats) -> None:
    for child in _visible_children(el):
        tag = _tag(child)
        if _is_link_box(child, stats):
            out.flush()
        elif tag == "table":
            _table(child, out, stats)
        elif tag == "br":
            out.flush()
        elif tag in _BLOCK:
            out.flush()
            out.text(child.text)
            _walk(child, out, stats)
            out.flush()
        else:
            out.text(child.text)
            _walk(child, out, stats)
        out.text(child.tail)


def _rows(table) -> list:
    """The table's own rows, in order (not those of tables nested inside it)."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            if not _hidden(child):
                rows.append(child)
        elif tag in _ROW_GROUPS and not _hidden(child):
            rows.extend(c for c in child if _tag(c) == "tr" and not _hidden(c))
    return rows


_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})


def _cells(tr) -> list:
    return [c for c in tr if _tag(c) in _CELL_TAGS and not _hidden(c)]


def _span(cell, name: str, limit: int) -> int:
    given = cell.get(name)
    if given is None:
        return 1
    if given.isdecimal():  # as almost always: no need to clean it
        value = int(given)
    else:
        try:
            value = int(re.sub(r"[^\d]", "", given) or 1)
        except ValueError:
            return 1
    return max(0, min(value, limit))


def _cell_text(cell) -> str:
    # Most cells are text alone, or text wrapped in a chain of single elements
    # (<td><p><span>12</span></p></td>) with only blanks around: the text of the innermost
    # element is the cell's, as the walk below would find it (the blanks and hard spaces
    # it adds at either end are stripped by collapse).
    el = cell
    while len(el):
        child = el[0]
        if len(el) > 1 or not _blank(el.text) or not _blank(child.tail):
            break
        if not _shown(child, _tag(child)):
            break
        el = child
    else:
        return collapse(el.text or "")
    parts: list[str] = []

    def visit(el):
        parts.append(el.text or "")
        for child in _visible_children(el):
            tag = _tag(child)
            if tag == "br" or tag in _BLOCK:
                parts.append(HARD_SPACE)
                visit(child)
                parts.append(HARD_SPACE)
            else:
                visit(child)
            parts.append(child.tail or "")

    visit(cell)
    return collapse("".join(parts))


def _blank(s: str | None) -> bool:
    return not s or BLANK_RUN.fullmatch(s) is not None


def _table(table, out: _Writer, stats) -> None:
    rows = _rows(table)
    nested = any(True for _ in table.iterdescendants("table"))
    if not nested:
        grid = Grid()
        grid.ensure_rows(len(rows))
        for r, tr in enumerate(rows):
            col = 0
            for cell in _cells(tr):
                col = grid.next_free(r, col)
                colspan = _span(cell, "colspan", 1000) or 1
                rowspan = _span(cell, "rowspan", 65534)
                remaining = len(rows) - r
                rowspan = remaining if rowspan == 0 else min(rowspan, remaining)
                grid.place(r, col, _cell_text(cell), rowspan, colspan)
                col += colspan
        if grid.width > 1:
            out.flush()
            caption = table.find("caption")
            if caption is not None:
                out.line(_text_content(caption))
            out.raw_lines(table_lines(grid.rows()))
            return
    # Page layout (a table of tables, or one column): read its cells as blocks.
    out.flush()
    _walk(table, out, stats)
    out.flush()


def _is_clutter(line: str) -> bool:
    if "\t" in line:
        return False
    s = line.strip()
    if _CLUTTER_LINE.match(s):
        return True
    tokens = [t for t in _TOKEN_SPLIT.split(s) if t]
    return bool(tokens) and all(t in _CLUTTER_WORDS for t in tokens)
