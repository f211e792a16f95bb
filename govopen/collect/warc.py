"""Requests and responses ↔ a WARC file (warcio), so a corpus outlives the site.

In (``WarcRecorder``): each httpx request and its response, as ``PoliteClient`` sends
them. Out: a gzipped WARC 1.1 file with a ``warcinfo`` record, then one ``request`` and
one ``response`` record per exchange (redirects, robots.txt and errors too), appended to
across runs (gzip members one after another are one valid WARC); a record a killed run
left half-written is cut off first (``complete_length``). The response record holds
the body as the reader received it: decompressed, so the stored headers lose their
Content-Encoding / Transfer-Encoding and get the true Content-Length.

In (``read_warc``): such a file, or any WARC. Out: every 2xx response body per target URL
(the URL as a client sends it: ``normal_url``), for ``govopen fetch --warc``, which takes
the one whose hash the manifest gives.
"""

from __future__ import annotations

import io
import os
import threading
import zlib
from pathlib import Path

from ..errors import ParseError

_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


class WarcRecorder:
    def __init__(self, path: str | os.PathLike, software: str) -> None:
        from warcio.warcwriter import WARCWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            # a killed run may have left half a record: what follows it would be unreadable
            whole, size = complete_length(self.path), self.path.stat().st_size
            if size and not whole:  # not a gzipped WARC: never cut someone's file
                raise ParseError(str(self.path), "exists and is not a gzipped WARC",
                                 "give a new file for --warc, or one govopen wrote")
            if whole < size:
                with open(self.path, "r+b") as f:
                    f.truncate(whole)
        self._file = open(self.path, "ab")  # noqa: SIM115 — closed by close()
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self._lock = threading.Lock()
        info = self._writer.create_warcinfo_record(self.path.name, {"software": software,
                                                                    "format": "WARC 1.1"})
        self._write(info)

    def _write(self, record) -> None:
        with self._lock:
            self._writer.write_record(record)
            self._file.flush()

    def __call__(self, request, response, body: bytes) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        url = str(request.url)
        target = request.url.raw_path.decode("ascii", "replace") or "/"
        req_headers = StatusAndHeaders(f"GET {target} HTTP/1.1",
                                       list(request.headers.items()), is_http_request=True)
        req = self._writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                              http_headers=req_headers)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED]
        headers.append(("Content-Length", str(len(body))))
        status = f"{response.status_code} {response.reason_phrase or ''}".strip()
        resp_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        resp = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                               length=len(body), http_headers=resp_headers)
        self._write(req)
        self._write(resp)

    def close(self) -> None:
        self._file.close()


def complete_length(path: str | os.PathLike, block: int = 1 << 20) -> int:
    """The bytes of a gzipped WARC up to the end of its last complete gzip member (every
    record is one), read as a stream."""
    whole = consumed = 0
    member = zlib.decompressobj(wbits=31)
    with open(path, "rb") as f:
        while chunk := f.read(block):
            while chunk:
                try:
                    member.decompress(chunk)
                except zlib.error:  # not gzip from here on: keep what was whole
                    return whole
                consumed += len(chunk) - len(member.unused_data)
                if not member.eof:
                    break
                whole = consumed
                chunk = member.unused_data
                member = zlib.decompressobj(wbits=31)
    return whole


def normal_url(url: str) -> str:
    """A URL as httpx puts it on the wire (percent-encoded, default port dropped, dot
    segments resolved), so a manifest's link and a WARC's target URI compare equal."""
    import httpx

    try:
        return str(httpx.URL(url))
    except (httpx.InvalidURL, ValueError):
        return url


def read_warc(path: str | os.PathLike) -> dict[str, list[bytes]]:
    """{target URL (``normal_url``): the bodies of its 2xx responses, in order}."""
    from warcio.archiveiterator import ArchiveIterator

    found: dict[str, list[bytes]] = {}
    with open(path, "rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            if not status.isdigit() or not 200 <= int(status) < 300:
                continue
            url = normal_url(record.rec_headers.get_header("WARC-Target-URI"))
            found.setdefault(url, []).append(record.content_stream().read())
    return found
