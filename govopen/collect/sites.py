"""A SITES file → the agencies to collect and the URL of each one's report column.

In: a CSV file (UTF-8, with or without a BOM, or GB18030) with a header row naming an
``agency`` column and a ``url`` column (``name``/``机关``/``单位`` and ``list``/``网址``/
``栏目`` are read as those too); other columns are ignored. Out (``read_sites``): one
``Site`` per row, in file order. A file that is not a CSV, lacks those columns, or has a
row without an http(s) URL raises ``ParseError`` naming the file and what is wrong.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ParseError

_AGENCY = ("agency", "name", "机关", "单位", "机关名称")
_URL = ("url", "list", "list_url", "网址", "栏目", "栏目网址")


@dataclass(frozen=True)
class Site:
    agency: str
    url: str  # the first list page of the agency's report column

    @property
    def host(self) -> str:
        """host[:port]: the unit of politeness (one request in flight, a delay between)."""
        return urlsplit(self.url).netloc.lower()


def read_sites(path: str | os.PathLike) -> list[Site]:
    label = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ParseError(label, f"SITES file cannot be read ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ParseError(label, "SITES file is not a text CSV (neither UTF-8 nor GB18030)",
                             "save it as a CSV in UTF-8") from None
    if "\0" in text:
        raise ParseError(label, "SITES file is not a text CSV (it holds binary bytes)",
                         "save it as a CSV in UTF-8")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise ParseError(label, f"SITES file is not a valid CSV ({e})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ParseError(label, "SITES file is empty",
                         "give a header row 'agency,url' and one row per agency")
    header = [c.strip().lower() for c in rows[0]]
    agency_col = next((header.index(n) for n in _AGENCY if n in header), None)
    url_col = next((header.index(n) for n in _URL if n in header), None)
    missing = [name for name, col in (("agency", agency_col), ("url", url_col)) if col is None]
    if missing:
        raise ParseError(label, f"SITES file has no {' and no '.join(missing)} column "
                         f"(its header is: {', '.join(rows[0]) or 'empty'})",
                         "the first row must name the columns: agency,url")
    assert agency_col is not None and url_col is not None
    sites = []
    for n, row in enumerate(rows[1:], start=2):
        agency = row[agency_col].strip() if agency_col < len(row) else ""
        url = row[url_col].strip() if url_col < len(row) else ""
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ParseError(label, f"row {n}: {url!r} is not an http(s) URL",
                             "give the full address of the report column's list page")
        if not agency:
            raise ParseError(label, f"row {n}: no agency name for {url}")
        sites.append(Site(agency, url))
    if not sites:
        raise ParseError(label, "SITES file has a header but no sites")
    return sites
