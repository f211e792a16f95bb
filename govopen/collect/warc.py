"""Requests and responses ↔ a WARC file (warcio), so a corpus outlives the site.

In (``WarcRecorder``): each httpx request and its response, as ``PoliteClient`` sends
them. Out: a gzipped WARC 1.1 file with a ``warcinfo`` record, then one ``request`` and
one ``response`` record per exchange (redirects, robots.txt and errors too), appended to
across runs (gzip members one after another are one valid WARC). The response record holds
the body as the reader received it: decompressed, so the stored headers lose their
Content-Encoding / Transfer-Encoding and get the true Content-Length.

In (``read_warc``): such a file, or any WARC. Out: the last 2xx response body per target
URL, for ``govopen fetch --warc``.
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


class WarcRecorder:
    def __init__(self, path: str | os.PathLike, software: str) -> None:
        from warcio.warcwriter import WARCWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
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


def read_warc(path: str | os.PathLike) -> dict[str, bytes]:
    """{target URL: body} of the 2xx responses in a WARC (the last one per URL wins)."""
    from warcio.archiveiterator import ArchiveIterator

    found: dict[str, bytes] = {}
    with open(path, "rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            if not status.isdigit() or not 200 <= int(status) < 300:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            found[url] = record.content_stream().read()
    return found
