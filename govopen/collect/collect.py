"""Sites → a folder of saved list pages, report pages and attachments, and its manifest.

In: ``Site``s (agency, URL of its report column), an output folder and a ``Politeness``.
Out, in the folder: ``lists/<agency>/…`` (the list pages), ``reports/<agency>/…`` (the
report pages and their attachments: what ``govopen parse`` reads), ``manifest.csv`` (one
row per saved file, see ``manifest``), optionally a WARC of every exchange; and a
``CollectResult`` saying what was fetched, unchanged, skipped and why.

For each site: the list page, then the list's other pages (pagination), each once; on
each, the links whose text is an annual report; each report page, then its attachments.
A report link that answers with a file (PDF, DOC…) is saved as an attachment itself. A page
that needs JavaScript is reported and not saved.

Re-runs and resumption: the previous manifest is read first. A file it lists that is still
on disk with its hash is asked for conditionally (If-None-Match / If-Modified-Since): a
304, or the same bytes again, leaves the file and its row as they were. Every file is
written by ``atomic_write`` and its row added to the manifest (itself rewritten atomically)
right after, so a killed run leaves whole files and a manifest of exactly those; the next
run removes the temporaries it left and fetches what is missing. A file that failed is
not in the manifest and is tried again next run.

Sites on different hosts are collected at the same time, one thread per host; the sites
of one host one after another (``PoliteClient`` keeps one request in flight per host).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .._version import __version__
from ..errors import ParseError
from ..files import atomic_write, remove_stale_temporaries
from ..read.sources import sniff
from .manifest import (
    MANIFEST,
    ManifestRow,
    file_sha256,
    read_manifest,
    saved_name,
    sha256,
    write_manifest,
)
from .pages import (
    ATTACHMENT_EXTENSIONS,
    Link,
    Page,
    attachment_links,
    claimed_year,
    pagination,
    read_page,
    report_links,
)
from .polite import CapReached, Disallowed, Fetched, FetchFailed, PoliteClient, Politeness
from .sites import Site

MAX_LIST_PAGES = 500  # per site: a loop in a CMS's pagination ends here
_IMAGE_MAGIC = ((b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"),
                (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"BM", ".bmp"))
_FORMAT_EXTENSION = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "ofd": ".ofd"}


@dataclass
class Problem:
    agency: str
    url: str
    reason: str


@dataclass
class CollectResult:
    rows: list[ManifestRow]
    written: int = 0  # files new or changed, written
    unchanged: int = 0  # files a 304 or the same bytes left as they were
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    stopped: str | None = None  # why the run stopped before the end (the cap)


class _Run:
    def __init__(self, out: Path, client: PoliteClient, previous: list[ManifestRow],
                 progress: bool | None) -> None:
        self.out = out
        self.client = client
        self.previous = {(r.agency, r.source_url): r for r in previous}
        self.rows = dict(self.previous)  # a row not reached again keeps its file
        self.lock = threading.Lock()
        self.progress = progress
        self.result = CollectResult(rows=[])

    def problem(self, site: Site, url: str, reason: str) -> None:
        with self.lock:
            self.result.problems.append(Problem(site.agency, url, reason))

    # --- one file ------------------------------------------------------------------------

    def fetch(self, site: Site, url: str, kind: str, title: str, year: int | None,
              referrer: str) -> tuple[ManifestRow, Page | None] | None:
        """Fetch ``url``, save it, record it; (row, the page read from it: None for an
        attachment) or None after a problem."""
        prev = self.previous.get((site.agency, url))
        on_disk = prev is not None and prev.abs_path is not None and \
            file_sha256(prev.abs_path) == prev.sha256
        try:
            got = self.client.get(url, etag=prev.etag if on_disk and prev else "",
                                  last_modified=prev.last_modified if on_disk and prev else "")
        except Disallowed as e:
            self.problem(site, url, str(e).split(": ", 1)[-1] + " (not fetched)")
            return None
        except FetchFailed as e:
            self.problem(site, e.url, e.reason)
            return None
        if got.not_modified and on_disk and prev is not None and prev.abs_path is not None:
            with self.lock:
                self.result.unchanged += 1
            if prev.kind == "attachment":
                return prev, None
            page = self._page(site, prev.final_url, prev.kind, prev.abs_path.read_bytes())
            return (prev, page) if page is not None else None
        data = got.content
        fmt = sniff(data)
        if kind == "list" and fmt != "text":
            self.problem(site, got.final_url, f"the list page answered with a {fmt} file, not "
                         "a page: give the report column's list page in SITES")
            return None
        if kind != "list" and fmt != "text":
            kind = "attachment"  # a report link that answers with a file
        elif kind == "attachment" and _looks_html(got):
            self.problem(site, got.final_url, "an attachment link answered with an HTML page "
                         "(an error or a login page?): not saved")
            return None
        page = None
        if kind in ("list", "report"):
            page = self._page(site, got.final_url, kind, data)
            if page is None:
                return None
            charset, extension, fmt = got.charset or page.encoding, ".html", "html"
            title = title or page.title
        else:
            charset, extension = "", _extension(url, title, data)
        row = ManifestRow(
            agency=site.agency, kind=kind, source_url=url, final_url=got.final_url,
            status=got.status, fetched_at=got.fetched_at, content_type=got.content_type,
            charset=charset, size=len(data), sha256=sha256(data),
            path=saved_name(kind, site.agency, url, extension),
            year=None if kind == "list" else year if year is not None else claimed_year(title),
            title=title, format=fmt, etag=got.headers.get("etag", ""),
            last_modified=got.headers.get("last-modified", ""), referrer=referrer)
        target = self.out / row.path
        row.abs_path = target
        same = prev is not None and prev.sha256 == row.sha256 and prev.path == row.path and on_disk
        if same:
            assert prev is not None
            row.status, row.fetched_at = prev.status, prev.fetched_at  # the bytes are the old ones
        if file_sha256(target) != row.sha256:
            atomic_write(target, lambda tmp: tmp.write_bytes(data))
        with self.lock:
            if same:
                self.result.unchanged += 1
            else:
                self.result.written += 1
            self.rows[(site.agency, url)] = row
            write_manifest(self.out / MANIFEST, list(self.rows.values()))
        return row, page

    def _page(self, site: Site, url: str, kind: str, data: bytes) -> Page | None:
        """A list or report page read from ``data``, or None after a problem."""
        try:
            page = read_page(data, url)
        except ParseError as e:
            self.problem(site, url, f"the {kind} page cannot be read as HTML ({e.reason}): "
                         "not saved")
            return None
        if page.needs_javascript:
            self.problem(site, url, f"the {kind} page needs JavaScript to show its content "
                         "(not saved; govopen reads no scripts)")
            return None
        return page

    def follow(self, site: Site, url: str, kind: str, title: str, year: int | None,
               referrer: str, bar) -> tuple[ManifestRow, Page] | None:
        """Fetch a list or report page; (row, page) when it is one, else None (a problem,
        or a report link that answered with a file, saved as an attachment)."""
        got = self.fetch(site, url, kind, title, year, referrer)
        bar.update()
        if got is None or got[0].kind != kind or got[1] is None:
            return None
        return got[0], got[1]

    # --- one site ------------------------------------------------------------------------

    def site(self, site: Site, position: int) -> None:
        from tqdm.auto import tqdm

        # progress None: a bar only on a terminal (tqdm's own test)
        bar = tqdm(desc=site.agency[:20], unit="file", position=position, leave=True,
                   disable=None if self.progress is None else not self.progress)
        try:
            self._site(site, bar)
        except CapReached as e:
            with self.lock:
                self.result.stopped = str(e)
        finally:
            bar.close()

    def _site(self, site: Site, bar) -> None:
        queue, seen_lists = [site.url], {site.url}
        reports: dict[str, tuple[Link, str]] = {}  # url -> (link, the list page it is on)
        lists_read = 0
        while queue and len(seen_lists) <= MAX_LIST_PAGES:
            url = queue.pop(0)
            got = self.follow(site, url, "list", "", None, "", bar)
            if got is None:
                continue
            row, page = got
            lists_read += 1
            for next_url in pagination(page, site.url):
                if next_url not in seen_lists:
                    seen_lists.add(next_url)
                    queue.append(next_url)
            for link in report_links(page):
                reports.setdefault(link.url, (link, row.final_url))
        if lists_read and not reports:
            self.problem(site, site.url, "no link on the list pages reads as an annual report")
        for link, list_url in reports.values():
            got = self.follow(site, link.url, "report", link.text, claimed_year(link.text),
                              list_url, bar)
            if got is None:
                continue
            row, page = got
            for att in attachment_links(page):
                att_year = claimed_year(att.text)
                self.fetch(site, att.url, "attachment", att.text or row.title,
                           att_year if att_year is not None else row.year, row.final_url)
                bar.update()


def _looks_html(got: Fetched) -> bool:
    return "html" in got.content_type or got.content[:1024].lstrip()[:1] == b"<"


def _extension(url: str, title: str, data: bytes) -> str:
    suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    if suffix in ATTACHMENT_EXTENSIONS:
        return suffix
    fmt = sniff(data)
    if fmt in _FORMAT_EXTENSION:
        return _FORMAT_EXTENSION[fmt]
    if fmt == "image":
        return next(ext for magic, ext in _IMAGE_MAGIC if data.startswith(magic))
    named = PurePosixPath(title.strip()).suffix.lower()
    return named if named in ATTACHMENT_EXTENSIONS else ".bin"


def collect(sites: Iterable[Site], out: str | os.PathLike, *,
            politeness: Politeness | None = None, warc: str | os.PathLike | None = None,
            progress: bool | None = None) -> CollectResult:
    """Collect every site's reports into ``out`` (see the module docstring)."""
    from .warc import WarcRecorder

    sites = list(sites)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out, recursive=True)
    previous: list[ManifestRow] = []
    if (out / MANIFEST).exists():
        try:
            previous = read_manifest(out / MANIFEST)
        except ParseError:
            previous = []  # unreadable: a clean run rebuilds it
    recorder = WarcRecorder(warc, f"govopen {__version__}") if warc else None
    client = PoliteClient(politeness, record=recorder)
    run = _Run(out, client, previous, progress)
    by_host: dict[str, list[Site]] = {}
    for s in sites:
        by_host.setdefault(s.host, []).append(s)
    positions = {s: n for n, s in enumerate(sites)}

    def host_worker(host_sites: list[Site]) -> None:
        for s in host_sites:
            if run.result.stopped:
                return
            try:
                run.site(s, positions[s])
            except Exception as e:  # one site's surprise must not stop the others
                run.problem(s, s.url, f"collecting stopped on this site ({type(e).__name__}: "
                            f"{e})")

    try:
        with ThreadPoolExecutor(max_workers=max(1, len(by_host))) as pool:
            list(pool.map(host_worker, by_host.values()))
    finally:
        client.close()
        if recorder is not None:
            recorder.close()
    write_manifest(out / MANIFEST, list(run.rows.values()))
    run.result.rows = sorted(run.rows.values(), key=lambda r: (r.agency, r.source_url))
    run.result.requests = client.requests
    return run.result
