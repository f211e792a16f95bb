"""Bytes → a ``Document``: the report's text, whatever it arrived as.

In: a path, ``bytes`` or ``str``. Out: ``Document`` with the source name, ``report_id``
(sha256 of the bytes, first 16 hex digits), the detected format and the text. Tables
read from structured formats come out as lines of tab-separated cells (a spanned cell
once, in its first grid position), so every later stage reads one kind of text.

The format is detected from the bytes, never from the file name. Plain text may be
UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5; anything else, and
every binary format govopen cannot read, raises ``ParseError`` naming the file and what
to do about it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ParseError

MAX_INPUT_BYTES = 64 * 1024 * 1024

# Words every report contains; they pick the right decoding among the candidates.
_MARKERS = ("政府信息", "公开", "申请", "年度", "报告", "行政")


@dataclass(frozen=True)
class Document:
    source: str
    report_id: str
    format: str  # text | html | docx | pdf
    text: str
    encoding: str = ""


def load(source: str | os.PathLike | bytes, name: str | None = None) -> Document:
    """Read ``source`` (a path, the bytes of a file, or text) into a Document."""
    if isinstance(source, str) and _is_text(source):
        data, label = source.encode("utf-8"), name or "<text>"
    elif isinstance(source, (bytes, bytearray)):
        data, label = bytes(source), name or "<bytes>"
    else:
        path = Path(source)
        label = name or str(path)
        try:
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                raise ParseError(label, f"file is {size / 2**20:.0f} MiB, over the "
                                 f"{MAX_INPUT_BYTES // 2**20} MiB limit",
                                 "split it or check that it is a report")
            data = path.read_bytes()
        except FileNotFoundError:
            raise ParseError(label, "file not found") from None
        except IsADirectoryError:
            raise ParseError(label, "is a directory, not a file") from None
        except PermissionError:
            raise ParseError(label, "file is not readable (permission denied)") from None
        except OSError as e:
            raise ParseError(label, f"file cannot be read ({e.strerror or e})") from None
    report_id = hashlib.sha256(data).hexdigest()[:16]
    if not data.strip():
        raise ParseError(label, "file is empty", "re-download it")
    kind = sniff(data)
    if kind in _EXTRACTORS:
        text = _EXTRACTORS[kind](data, label)
        return Document(label, report_id, kind, _clean_newlines(text))
    text, encoding = decode_text(data, label)
    if kind == "text" and _looks_like_html(text):
        return Document(label, report_id, "html", _clean_newlines(_EXTRACTORS_TEXT["html"](text, label)),
                        encoding)
    return Document(label, report_id, "text", _clean_newlines(text), encoding)


def _is_text(source: str) -> bool:
    """A str is the report's text, not a path, when it has a line break or is too long
    to name an existing file."""
    if "\n" in source:
        return True
    if len(source) <= 255:
        return False
    try:
        return not Path(source).exists()
    except OSError:
        return True


def sniff(data: bytes) -> str:
    """The format of a file from its first bytes; raises for formats govopen cannot read."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    return "text"


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes, choosing among UTF-8, UTF-16, GB18030 and Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise ParseError(label, "binary file, not text, HTML, DOCX or PDF",
                         "check that the download is the report itself")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[int, str, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = sum(text.count(m) for m in _MARKERS)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        raise ParseError(label, "text is in an unknown encoding (not UTF-8, GB18030/GBK or Big5)",
                         "re-save it as UTF-8")
    return best[1], best[2]


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and ("<table" in text.lower() or "<body" in head or "<div" in head))


def _clean_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unsupported(kind: str, hint: str):
    def extract(data, label):
        raise ParseError(label, f"{kind} files cannot be read", hint)
    return extract


def _html_to_text(text: str, label: str) -> str:
    from .formats.html import html_to_text  # noqa: PLC0415 - optional dependency chain
    return html_to_text(text, label)


def _extract_html_bytes(data: bytes, label: str) -> str:
    from .formats.html import html_bytes_to_text  # noqa: PLC0415
    return html_bytes_to_text(data, label)


def _extract_docx(data: bytes, label: str) -> str:
    from .formats.docx import docx_to_text  # noqa: PLC0415
    return docx_to_text(data, label)


def _extract_pdf(data: bytes, label: str) -> str:
    from .formats.pdf import pdf_to_text  # noqa: PLC0415
    return pdf_to_text(data, label)


_EXTRACTORS = {
    "docx": _extract_docx,
    "pdf": _extract_pdf,
    "ole": _unsupported("Old binary Word/Excel/WPS (.doc/.xls/.wps)",
                        "convert it to .docx (or .xlsx) and parse that"),
    "image": _unsupported("Image", "it needs OCR first; parse the OCR text"),
    "zip": _unsupported("ZIP archives other than DOCX", "unpack it and parse the files inside"),
}
_EXTRACTORS_TEXT = {"html": _html_to_text}
