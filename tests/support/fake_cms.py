"""A fake government CMS on the loopback address, for the collector's tests.

``FakeCMS`` is one HTTP server (``ThreadingHTTPServer`` on 127.0.0.1, a free port, in a
thread) serving the ``Route``s it is given, with a log of every request (path, start and
end on the monotonic clock, headers, status) so tests can check politeness: two servers
are two hosts. A route can answer with its bytes, an ETag and/or Last-Modified (and 304 to
a matching conditional request), a redirect, a status, a number of 500s before it
answers, or after a pause.

``build_site_fixture()`` makes the two hosts the collector's tests crawl: four agencies,
list pages with every kind of pagination, the seed reports as HTML pages (UTF-8, GBK
declared, GBK undeclared, GBK declared as UTF-8) and as DOCX, PDF, DOC, OFD and PNG
attachments, redirects, a 404, a transient and a permanent 500, a slow page, a page that
needs JavaScript, and a robots.txt forbidding a folder. ``FIXTURE_TRUTH`` says what the
collector must save and skip.

``python -m tests.support.fake_cms data/raw`` serves a folder of report text files as one
agency's report column (HTML report pages, a list with pagination), prints the SITES line
and, with ``--sites FILE``, writes it as a SITES CSV; it serves until interrupted.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import RAW, REPO, seed_path
from tests.support import format_fixtures as ff


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html"
    status: int = 200
    location: str | None = None  # a redirect's Location, sent as given (may be relative)
    etag: bool = False
    last_modified: bool = False
    fail_first: int = 0  # answer 500 this many times, then normally
    pause: float = 0.0  # seconds before answering
    headers: dict[str, str] = field(default_factory=dict)  # sent as given, as a bad server may
    hits: int = 0


@dataclass
class LogEntry:
    path: str
    start: float  # time.monotonic()
    end: float
    headers: dict[str, str]
    status: int


class FakeCMS:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[LogEntry] = []
        self._lock = threading.Lock()
        cms = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                start = time.monotonic()
                status = 500
                try:
                    status = cms._answer(self)
                finally:
                    with cms._lock:
                        cms.log.append(LogEntry(self.path, start, time.monotonic(),
                                                {k.lower(): v for k, v in self.headers.items()},
                                                status))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeCMS:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, path: str, body: bytes | str = b"", **kw) -> Route:
        route = Route(body.encode("utf-8") if isinstance(body, str) else body, **kw)
        self.routes[path] = route
        return route

    def requests(self, path: str) -> list[LogEntry]:
        return [e for e in self.log if e.path == path]

    def _answer(self, h: BaseHTTPRequestHandler) -> int:
        route = self.routes.get(h.path)
        if route is None:
            return _send(h, 404, b"<html><body>404 Not Found</body></html>", "text/html")
        route.hits += 1
        if route.pause:
            time.sleep(route.pause)
        if route.hits <= route.fail_first:
            return _send(h, 500, b"<html><body>500</body></html>", "text/html")
        if route.location is not None:
            return _send(h, route.status, b"", "text/html", {"Location": route.location})
        if route.status != 200:
            return _send(h, route.status, b"<html><body>error</body></html>", "text/html")
        etag = f'"{hashlib.sha1(route.body).hexdigest()[:12]}"' if route.etag else None
        modified = formatdate(1_600_000_000 + len(route.body), usegmt=True) \
            if route.last_modified else None
        extra = {k: v for k, v in (("ETag", etag), ("Last-Modified", modified)) if v}
        extra.update(route.headers)
        if (etag and h.headers.get("If-None-Match") == etag) or \
                (modified and not etag and h.headers.get("If-Modified-Since") == modified):
            return _send(h, 304, b"", None, extra)
        return _send(h, 200, route.body, route.content_type, extra)


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str | None,
          headers: dict[str, str] | None = None) -> int:
    try:
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body and status != 304:
            h.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
        pass
    return status


# --- the pages --------------------------------------------------------------------------

def list_page(title: str, items: list[tuple[str, str]], pager: str = "", charset: str | None =
              "utf-8", script: str = "") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if charset else ""
    lis = "\n".join(f'<li><a href="{html.escape(href)}" target="_blank">{html.escape(text)}</a>'
                    f"<span>2021-01-19</span></li>" for text, href in items)
    return (f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}</title></head><body>"
            f'<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>'
            f"<h2>{html.escape(title)}</h2><ul class='list'>{lis}</ul>"
            f"<div class='pager'>{pager}</div>"
            + (f"<script>{script}</script>" if script else "") + "</body></html>")


def report_page(seed: ff.Seed, attachments: list[tuple[str, str]] = (),  # type: ignore[assignment]
                charset_meta: str | None = "utf-8") -> str:
    page = ff.seed_html(seed, charset_meta=charset_meta)
    if attachments:
        links = "".join(f'<p>附件：<a href="{html.escape(href)}">{html.escape(text)}</a></p>'
                        for text, href in attachments)
        page = page.replace("</body>", f'<div class="attach">{links}</div></body>')
    return page


def attachment_only_page(title: str, attachments: list[tuple[str, str]]) -> str:
    links = "".join(f'<p><a href="{html.escape(h)}">{html.escape(t)}</a></p>' for t, h in attachments)
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<h1>{html.escape(title)}</h1><p>发布时间：2020-01-15</p><p>详见附件。</p>{links}"
            "</body></html>")


JS_PAGE = ("<html><head><meta charset='utf-8'><title>年度报告</title>"
           "<script src='/static/app.js'></script><script>window.__INITIAL_STATE__ = "
           "{\"id\": 2013, \"load\": true}; renderArticle(document.getElementById('app'));"
           "</script></head><body><div id='app'></div>"
           "<noscript>您的浏览器不支持或未启用JavaScript，请启用JavaScript后查看本页。</noscript>"
           "</body></html>")


@dataclass
class SiteFixture:
    a: FakeCMS
    b: FakeCMS
    sites: list[tuple[str, str]]  # (agency, url)
    unreachable: str  # the URL of a site nobody serves
    seeds: dict[str, ff.Seed] = field(default_factory=dict)

    def sites_csv(self, path: Path, with_unreachable: bool = True) -> Path:
        rows = [*self.sites, *((("不可达县人民政府", self.unreachable),) if with_unreachable
                               else ())]
        path.write_text("agency,url\n" + "".join(f"{a},{u}\n" for a, u in rows),
                        encoding="utf-8")
        return path

    def stop(self) -> None:
        self.a.stop()
        self.b.stop()


# What a collect of the fixture must save, by (host letter, path): kind and claimed year;
# and what it must not: (host letter, path, why).
FIXTURE_TRUTH = {
    ("a", "/yc/nb/index.html"): ("list", None),
    ("a", "/yc/nb/index_1.html"): ("list", None),
    ("a", "/yc/nb/index_2.html"): ("list", None),
    ("a", "/yc/art/2020.html"): ("report", 2020),
    ("a", "/yc/files/2020.ofd"): ("attachment", 2020),
    ("a", "/yc/files/2020-p1.png"): ("attachment", 2020),
    ("a", "/yc/old/2019.html"): ("report", 2019),
    ("a", "/yc/download.jsp?id=2019"): ("attachment", 2019),
    ("a", "/yc/art/2018.html"): ("report", 2018),
    ("a", "/ds/index.html"): ("list", None),
    ("a", "/ds/index_1.html"): ("list", None),
    ("a", "/ds/art/2020.html"): ("report", 2020),
    ("a", "/ds/download.jsp?id=7"): ("attachment", 2020),
    ("a", "/ds/files/seed2.doc"): ("attachment", 2021),
    ("a", "/ds/files/2019.pdf"): ("attachment", 2019),
    ("a", "/ds/DownFile.aspx?fid=9"): ("attachment", 2020),
    ("b", "/bq/list.html"): ("list", None),
    ("b", "/bq/2024.html"): ("report", 2024),
    ("b", "/ld/list.html"): ("list", None),
    ("b", "/ld/2021.html"): ("report", 2021),
    ("b", "/ld/go?id=2"): ("report", 2022),
}
FIXTURE_SKIPPED = {
    ("a", "/yc/art/notice.html"): "not a report: never requested",
    ("a", "/yc/private/2016.html"): "robots.txt: never requested",
    ("a", "/yc/art/2017.html"): "500 every time",
    ("a", "/yc/art/2015.html"): "404",
    ("a", "/yc/art/slow.html"): "slower than the timeout",
    ("a", "/yc/art/js.html"): "needs JavaScript: fetched, not saved",
    ("a", "/ds/DownFile.aspx?fid=10"): "an attachment link answering with a page: not saved",
}
# Which seed each saved report file holds (its cells must parse as the seed's text).
FIXTURE_SEEDS = {
    ("a", "/yc/art/2020.html"): "004", ("a", "/yc/files/2020.ofd"): "004",
    ("a", "/yc/download.jsp?id=2019"): "004", ("a", "/yc/art/2018.html"): "001",
    ("a", "/ds/download.jsp?id=7"): "001", ("a", "/ds/files/seed2.doc"): "002",
    ("a", "/ds/files/2019.pdf"): "001", ("b", "/bq/2024.html"): "003",
    ("b", "/ld/2021.html"): "000", ("b", "/ld/go?id=2"): "002",
}
SLOW_PATH = "/yc/art/slow.html"
SLOW_PAUSE = 0.6  # beyond the tests' timeout


@functools.cache
def _seeds() -> dict[str, ff.Seed]:
    return {p: ff.load_seed(seed_path(p)) for p in ("000", "001", "002", "003", "004")}


@functools.cache
def _files(kind: str, prefix: str) -> bytes:
    """A seed as a PDF, DOCX or OFD, made once per test run (reportlab takes a while)."""
    from tests.support.ofd_fixtures import seed_ofd

    make = {"pdf": ff.seed_pdf, "docx": ff.seed_docx, "ofd": seed_ofd}[kind]
    return make(_seeds()[prefix])


def build_site_fixture() -> SiteFixture:
    """The two hosts, started (see the module docstring)."""
    seeds = _seeds()
    a, b = FakeCMS(), FakeCMS()
    pdf = "application/pdf"
    # host a: robots.txt forbids /yc/private/
    a.add("/robots.txt", "User-agent: *\nDisallow: /yc/private/\n", content_type="text/plain")
    # 伊川县人民政府: three list pages (numbers, 下一页, 尾页), UTF-8 then GBK declared
    a.add("/yc/nb/index.html", list_page("政府信息公开年报", [
        ("伊川县人民政府2020年政府信息公开工作年度报告", "../art/2020.html".replace("..", "/yc")),
        ("关于做好2020年防汛工作的通知", "/yc/art/notice.html"),
        ("伊川县人民政府2016年政府信息公开工作年度报告", "/yc/private/2016.html"),
        ("伊川县人民政府2019年政府信息公开工作年度报告", "../old/2019.html"),
    ], pager='<a href="index.html">1</a> <a href="index_1.html">2</a> <a href="index_2.html">3'
             '</a> <a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a>'), etag=True)
    a.add("/yc/nb/index_1.html", list_page("政府信息公开年报", [
        ("伊川县人民政府2018年政府信息公开工作年度报告", f"//{a.host}/yc/art/2018.html"),
        ("伊川县人民政府2017年政府信息公开工作年度报告", "/yc/art/2017.html"),
    ], pager='<a href="index.html">上一页</a> <a href="index_2.html">下一页</a>',
        charset="gb2312").encode("gb18030"), content_type="text/html", last_modified=True)
    a.add("/yc/nb/index_2.html", list_page("政府信息公开年报", [
        ("伊川县人民政府二〇一五年政府信息公开工作年度报告", "/yc/art/2015.html"),
        ("伊川县2014年政府信息公开年报", "/yc/art/slow.html"),
        ("伊川县2013年政府信息公开工作年度报告", "/yc/art/js.html"),
    ], pager='<a href="/">首页</a> <a href="index_1.html">上一页</a>'), etag=True)
    a.add("/yc/art/2020.html", report_page(seeds["004"], [
        ("伊川县2020年政府信息公开工作年度报告.ofd", "../files/2020.ofd"),
        ("扫描件第1页.png", "/yc/files/2020-p1.png")]), etag=True)
    a.add("/yc/files/2020.ofd", _files("ofd", "004"), content_type="application/ofd",
          etag=True)
    a.add("/yc/files/2020-p1.png", (REPO / "tests/data/scans/seed-004-p1.png").read_bytes(),
          content_type="image/png", last_modified=True)
    a.add("/yc/old/2019.html", status=301, location="../art/2019.html")
    a.add("/yc/art/2019.html", attachment_only_page(
        "伊川县人民政府2019年政府信息公开工作年度报告",
        [("2019年度报告.pdf", "/yc/download.jsp?id=2019")]), etag=True)
    a.add("/yc/download.jsp?id=2019", _files("pdf", "004"), content_type=pdf, etag=True)
    a.add("/yc/art/2018.html", report_page(seeds["001"], charset_meta="gb2312").encode("gb18030"),
          fail_first=1, last_modified=True)
    a.add("/yc/art/notice.html", "<html><body>通知</body></html>")
    a.add("/yc/private/2016.html", report_page(seeds["004"]))
    a.add("/yc/art/2017.html", status=500)
    a.add(SLOW_PATH, report_page(seeds["004"]), pause=SLOW_PAUSE)
    a.add("/yc/art/js.html", JS_PAGE)
    # 东山县人民政府办公室: pagination written by createPageHTML; a report listed as a PDF
    a.add("/ds/index.html", list_page("信息公开年报", [
        ("东山县人民政府办公室2020年政府信息公开工作年度报告", "./art/2020.html")],
        script='createPageHTML(2, 0, "index", "html");'), etag=True)
    a.add("/ds/index_1.html", list_page("信息公开年报", [
        ("东山县人民政府办公室2019年政府信息公开工作年度报告", "files/2019.pdf")],
        script='createPageHTML(2, 1, "index", "html");'), etag=True)
    a.add("/ds/art/2020.html", attachment_only_page(
        "东山县人民政府办公室2020年政府信息公开工作年度报告",
        [("东山县2020年政府信息公开工作年度报告.docx", "/ds/download.jsp?id=7"),
         ("2021年度报告（Word 97）.doc", "../files/seed2.doc"),
         ("下载", "/ds/DownFile.aspx?fid=9"), ("附件下载", "/ds/DownFile.aspx?fid=10")]),
        last_modified=True)
    a.add("/ds/DownFile.aspx?fid=9", (REPO / "tests/data/scans/seed-001-p0.png").read_bytes(),
          content_type="application/octet-stream", etag=True)
    a.add("/ds/DownFile.aspx?fid=10", "<html><body><p>文件不存在或已删除</p></body></html>")
    a.add("/ds/download.jsp?id=7", _files("docx", "001"),
          content_type="application/octet-stream", etag=True)
    a.add("/ds/files/seed2.doc", (REPO / "tests/data/formats/seed-002.doc").read_bytes(),
          content_type="application/msword", etag=True)
    a.add("/ds/files/2019.pdf", _files("pdf", "001"), content_type=pdf, last_modified=True)
    # host b: no robots.txt (404); GBK pages without a declaration and declared UTF-8
    b.add("/bq/list.html", list_page("政府信息公开年报", [
        ("宝清县人民政府2024年政府信息公开工作年度报告", "2024.html")],
        charset=None).encode("gb18030"), etag=True)
    b.add("/bq/2024.html", report_page(seeds["003"], charset_meta=None).encode("gb18030"),
          etag=True)
    b.add("/ld/list.html", list_page("政府信息公开年报", [
        ("乐都区2021年政府信息公开工作年度报告", "/ld/2021.html"),
        ("乐都区2022年政府信息公开工作年度报告", "/ld/go?id=2")]), last_modified=True)
    b.add("/ld/2021.html", report_page(seeds["000"], charset_meta="utf-8").encode("gb18030"),
          content_type="text/html; charset=utf-8", etag=True)
    b.add("/ld/go?id=2", status=302, location="2022.html")
    b.add("/ld/2022.html", report_page(seeds["002"]), etag=True)
    a.start()
    b.start()
    unreachable = FakeCMS()  # a port nobody listens on once closed
    dead = unreachable.base + "/nb/index.html"
    unreachable.server.server_close()
    return SiteFixture(a, b, [("伊川县人民政府", a.base + "/yc/nb/index.html"),
                              ("东山县人民政府办公室", a.base + "/ds/index.html"),
                              ("宝清县人民政府", b.base + "/bq/list.html"),
                              ("乐都区人民政府办公室", b.base + "/ld/list.html")],
                       dead, seeds)


# --- a folder of reports served as a report column ---------------------------------------

AGENCY = "示例机关"
PER_PAGE = 2


def serve_folder(folder: Path) -> tuple[FakeCMS, str]:
    """Serve every ``*.txt`` report in ``folder`` as an HTML report page, listed
    ``PER_PAGE`` to a list page; returns the started server and the SITES line."""
    cms = FakeCMS()
    paths = sorted(Path(folder).glob("*.txt"))
    items = []
    for p in paths:
        seed = ff.load_seed(p)
        title = seed.title if seed.title.strip() else "政府信息公开工作年度报告"
        cms.add(f"/nb/{p.stem}.html", ff.seed_html(seed), etag=True)
        items.append((f"{title}（{p.stem}）", f"{p.stem}.html"))
    pages = [items[k:k + PER_PAGE] for k in range(0, len(items), PER_PAGE)] or [[]]
    for n, chunk in enumerate(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        pager = (f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < len(pages) else "")
        cms.add(f"/nb/{name}", list_page("政府信息公开年报", chunk, pager=pager), etag=True)
    cms.start()
    return cms, f"{AGENCY},{cms.base}/nb/index.html"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.support.fake_cms",
                                description="Serve a folder of report text files as a fake "
                                            "CMS report column on 127.0.0.1.")
    p.add_argument("folder", nargs="?", default=str(RAW))
    p.add_argument("--sites", metavar="FILE", help="write the SITES CSV here")
    args = p.parse_args(argv)
    cms, line = serve_folder(Path(args.folder))
    if args.sites:
        Path(args.sites).write_text("agency,url\n" + line + "\n", encoding="utf-8")
    print("agency,url")
    print(line, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        cms.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
