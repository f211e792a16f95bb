"""What was fetched, one row per file: ``manifest.csv``, written and read back.

In: ``ManifestRow``s (one per list page, report page and attachment saved). Out: a CSV
(UTF-8, ``MANIFEST_COLUMNS`` in order, rows sorted by agency and source URL, written
whole by ``atomic_write``) and, read back (``read_manifest``), the same rows, with
``path`` resolved against the manifest's folder (``abs_path``) so ``govopen parse`` can
take each saved file with its agency and claimed year as hints.

``saved_name`` says where a URL's bytes go: a name made from the URL alone (a short hash
and the URL's own file name), so a second or resumed run writes the same file again.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..errors import ParseError
from ..files import atomic_write

MANIFEST = "manifest.csv"
KINDS = ("list", "report", "attachment")


@dataclass
class ManifestRow:
    agency: str
    kind: str  # list | report | attachment
    source_url: str  # the link followed
    final_url: str  # after redirects
    status: int  # of the response that gave the bytes
    fetched_at: str  # UTC, ISO 8601, when the bytes were fetched
    content_type: str
    charset: str  # declared by the server, else as read from the page; empty for binaries
    size: int
    sha256: str
    path: str  # saved file, relative to the manifest's folder, with '/'
    year: int | None = None  # the statistics year the title or link text claims
    title: str = ""  # the link text or page title the file was picked by
    format: str = ""  # as govopen.read.sources.sniff names the bytes
    etag: str = ""
    last_modified: str = ""
    referrer: str = ""  # the page that linked to it
    abs_path: Path | None = dataclasses.field(default=None, compare=False, repr=False)


MANIFEST_COLUMNS = tuple(f.name for f in dataclasses.fields(ManifestRow) if f.name != "abs_path")


def is_inside(relative: str) -> bool:
    """Whether a manifest's ``path`` names a file inside the manifest's folder: relative,
    no ``..`` step, no drive or backslash tricks."""
    p = PurePosixPath(relative)
    return (not p.is_absolute() and ".." not in p.parts and "\\" not in relative
            and ":" not in relative and relative.strip() == relative and relative != "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | os.PathLike) -> str | None:
    try:
        return sha256(Path(path).read_bytes())
    except OSError:
        return None


_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name from any text: word characters, CJK, dots and dashes."""
    name = _UNSAFE.sub("_", text).strip("._") or "_"
    return name[:limit]


def saved_name(kind: str, agency: str, url: str, extension: str) -> str:
    """The path, relative to the output folder, a URL's bytes are saved under."""
    parts = urlsplit(url)
    stem = PurePosixPath(unquote(parts.path)).stem or "index"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    folder = "lists" if kind == "list" else "reports"
    return f"{folder}/{safe_name(agency)}/{digest}-{safe_name(stem, 40)}{extension}"


def write_manifest(path: str | os.PathLike, rows: list[ManifestRow]) -> Path:
    ordered = sorted(rows, key=lambda r: (r.agency, r.source_url))

    def write(tmp: Path) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(MANIFEST_COLUMNS)
        for r in ordered:
            w.writerow(["" if v is None else v for v in (getattr(r, c) for c in MANIFEST_COLUMNS)])
        tmp.write_text(buf.getvalue(), encoding="utf-8")

    return atomic_write(path, write)


def read_manifest(path: str | os.PathLike) -> list[ManifestRow]:
    """The rows of a ``manifest.csv``; each row's ``abs_path`` is its saved file's path."""
    path = Path(path)
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ParseError(label, f"manifest cannot be read ({e})",
                         "give the manifest.csv govopen collect wrote") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("source_url", "sha256", "path", "agency")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(label, f"not a govopen manifest: no {', '.join(missing)} column",
                         "give the manifest.csv govopen collect wrote")
    rows = []
    for n, rec in enumerate(reader, start=2):
        try:
            row = ManifestRow(
                agency=rec.get("agency") or "", kind=rec.get("kind") or "",
                source_url=rec["source_url"], final_url=rec.get("final_url") or rec["source_url"],
                status=int(rec.get("status") or 0), fetched_at=rec.get("fetched_at") or "",
                content_type=rec.get("content_type") or "", charset=rec.get("charset") or "",
                size=int(rec.get("size") or 0), sha256=(rec.get("sha256") or "").lower(),
                path=rec.get("path") or "",
                year=int(rec["year"]) if (rec.get("year") or "").strip() else None,
                title=rec.get("title") or "", format=rec.get("format") or "",
                etag=rec.get("etag") or "", last_modified=rec.get("last_modified") or "",
                referrer=rec.get("referrer") or "")
        except ValueError as e:
            raise ParseError(label, f"row {n} of the manifest is malformed ({e})") from None
        if row.path and not is_inside(row.path):
            raise ParseError(label, f"row {n} of the manifest saves outside its folder "
                                    f"({row.path!r})",
                             "a manifest's paths are relative and never climb out ('..')")
        row.abs_path = path.parent / row.path if row.path else None
        rows.append(row)
    return rows
