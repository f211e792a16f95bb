"""A fetched page → its links, sorted into next list pages, report pages and attachments.

In: a page's bytes and its final URL. Out (``read_page``): a ``Page`` with the decoded
title and text length, every link resolved against the page's ``<base href>`` or URL
(relative, root-relative and protocol-relative links alike), and whether the page needs
JavaScript to show anything. Then:

* ``pagination`` — the list's other pages: links reading 下一页/下页/尾页/末页/上一页,
  next/last, »/>, or a bare page number, and the pages TRS-style CMSs build with
  ``createPageHTML(total, current, "index", "html")`` (index_1.html …), which are plain
  static files even though a script writes their links;
* ``report_links`` — links whose text (or title attribute) is a 政府信息公开 annual report:
  年度报告 / 年报 with 政府信息公开 or 信息公开;
* ``attachment_links`` — links to PDF, DOC/DOCX, WPS, OFD and image files, by the URL's
  extension, by the extension in the link text, or as download endpoints
  (``download.jsp?id=…``, ``DownFile.aspx?fid=…``; the bytes then tell the format);
* ``claimed_year`` — the statistics year a title names: 2023年…年度报告 → 2023, and
  二〇二三年 / 二零二三年度 → 2023.

Decoding is the HTML reader's (``govopen.read.html.decode_html``): the BOM, the declared
charset if the bytes bear it out, else UTF-8, GB18030 or Big5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from ..errors import ParseError
from ..read.html import decode_html

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".png", ".jpg", ".jpeg",
                         ".gif", ".tif", ".tiff", ".bmp")
# not 首页: on most sites that is the home page, not the list's first page
_NEXT_WORDS = re.compile(r"^\s*(下一页|下页|尾页|末页|最后一页|上一页|上页|第一页|next|last|"
                         r"»|›|>|>>)\s*$", re.I)
_PAGE_NUMBER = re.compile(r"^\s*\[?\s*(\d{1,4})\s*\]?\s*$")
_CREATE_PAGE = re.compile(
    r"createPageHTML\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w\-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]")
_REPORT_TITLE = re.compile(r"(年度报告|年报)")
_OPEN_GOV = re.compile(r"信息公开|政务公开")
_JS_HINT = re.compile(r"(启用|开启|打开|允许|enable)\s*(浏览器的?)?\s*(JavaScript|JS|脚本)", re.I)

_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2",
             "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR_ARABIC = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_CN = re.compile(r"([一二][〇零○Ｏ一二三四五六七八九O]{3})\s*年")


@dataclass
class Link:
    url: str
    text: str


@dataclass
class Page:
    url: str
    title: str
    encoding: str
    text_chars: int  # characters of visible text in the body
    needs_javascript: bool
    links: list[Link] = field(default_factory=list)
    scripts: str = ""  # inline script text (for createPageHTML)


def claimed_year(text: str) -> int | None:
    """The statistics year a report's title or link text names (the first one)."""
    m = _YEAR_ARABIC.search(text)
    if m:
        return int(m.group(1))
    m = _YEAR_CN.search(text)
    if m:
        year = int("".join(_CN_DIGIT[c] for c in m.group(1)))
        if 1990 <= year <= 2099:
            return year
    return None


def is_report_title(text: str) -> bool:
    return bool(_REPORT_TITLE.search(text) and _OPEN_GOV.search(text)) or "信息公开年报" in text


# download endpoints whose URL names no file: download.jsp?id=…, DownFile.aspx?fid=…,
# /attach/123, /fujian/…
_DOWNLOAD = re.compile(r"(download|downfile|downloadfile|getfile|attach|fujian)", re.I)


def is_attachment_url(url: str, text: str = "") -> bool:
    parts = urlsplit(url)
    if parts.path.lower().endswith(ATTACHMENT_EXTENSIONS):
        return True
    if text.strip().lower().endswith(ATTACHMENT_EXTENSIONS):
        return True  # the link text names the file
    return bool(_DOWNLOAD.search(parts.path) and (parts.query or "附件" in text or "下载" in text))


def read_page(data: bytes, url: str) -> Page:
    """Decode and parse an HTML page; raises ``ParseError`` when it is not HTML at all."""
    text, encoding = decode_html(data, url)
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False,
                              remove_comments=True)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(url, f"page cannot be parsed as HTML ({e})") from None
    if root is None:
        raise ParseError(url, "page is empty")
    base = url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        try:
            base = urljoin(url, base_el.get("href").strip())
        except ValueError:
            base = url
    title_el = root.find(".//title")
    title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
    scripts = "\n".join("".join(s.itertext()) for s in root.iter("script"))
    noscript = " ".join("".join(s.itertext()) for s in root.iter("noscript"))
    body = root.find(".//body")
    visible = _visible_text(body) if body is not None else ""
    links = []
    for a in root.iter("a", "area"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        try:
            absolute = urldefrag(urljoin(base, href))[0]
            scheme = urlsplit(absolute).scheme
        except ValueError:  # a malformed link (http://[bad/) is no link, not a lost page
            continue
        if scheme not in ("http", "https"):
            continue
        label = " ".join("".join(a.itertext()).split()) or (a.get("title") or "").strip()
        links.append(Link(absolute, label))
    # A page built by script: next to no text or links of its own, and either scripts
    # that outweigh it or a <noscript> asking to turn JavaScript on.
    bare = len(visible) < 40 and len(links) < 2
    needs_js = bool(_JS_HINT.search(noscript) or (bare and (len(scripts) > 40 or noscript)))
    if bare and _JS_HINT.search(visible):
        needs_js = True
    return Page(url, title, encoding, len(visible), needs_js, links, scripts)


def _visible_text(el) -> str:
    out: list[str] = []

    def visit(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in ("script", "style", "noscript", "template"):
            return
        out.append(node.text or "")
        for child in node:
            visit(child)
            out.append(child.tail or "")

    visit(el)
    return "".join("".join(out).split())


def pagination(page: Page, list_url: str) -> list[str]:
    """The other pages of a list: by their link text, and those createPageHTML builds."""
    found: list[str] = []
    host = urlsplit(list_url).netloc
    for link in page.links:
        if urlsplit(link.url).netloc != host:
            continue
        if _NEXT_WORDS.match(link.text) or _PAGE_NUMBER.match(link.text):
            found.append(link.url)
    m = _CREATE_PAGE.search(page.scripts)
    if m:
        total, prefix, ext = int(m.group(1)), m.group(3), m.group(4)
        for n in range(min(total, 500)):
            found.append(urljoin(page.url, f"{prefix}.{ext}" if n == 0 else f"{prefix}_{n}.{ext}"))
    return list(dict.fromkeys(u for u in found if u != page.url))


def report_links(page: Page) -> list[Link]:
    """Links to annual reports (pages or files) by their text."""
    return [link for link in page.links if is_report_title(link.text)]


def attachment_links(page: Page) -> list[Link]:
    return [link for link in page.links if is_attachment_url(link.url, link.text)]
