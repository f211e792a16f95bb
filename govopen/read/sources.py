"""Bytes → a ``Document``: the report's text, whatever it arrived as.

In: a path, ``bytes`` or ``str``. Out: ``Document`` with the source name, ``report_id``
(sha256 of the bytes, first 16 hex digits), the detected format and the text. Tables
read from structured formats come out as lines of tab-separated cells (a spanned cell
once, in its first grid position), so every later stage reads one kind of text.

The format is detected from the bytes, never from the file name. Plain text may be
UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5; an HTML page is decoded
by its own ``<meta charset>`` declaration where the bytes bear it out, and detected where
it declares nothing or the wrong thing. Old binary Word files (.doc, and Kingsoft .wps,
which is the same format) are read natively by ``doc``, format ``doc`` for both, and OFD
(the national fixed-layout format) by ``ofd``. Every other binary format (old
.xls/.et, .xlsx, RTF, images, password-protected files) raises ``ParseError`` naming
the file and what to do about it.

Scans. A PDF without a text layer and an image (PNG, JPEG, TIFF …) are read by OCR
(``govopen.read.ocr``, the extra ``govopen[ocr]``) only when asked, ``load(..., ocr=True)``:
OCR takes seconds a page and may leave cells unread. Otherwise they raise ``ParseError``
saying how to ask. An OCR'd Document has format ``scan`` and carries, in ``ocr_cells``,
every table cell where OCR read a number, with its confidence and whether the text
prints it (a number OCR could not read surely is printed as ``ocr.UNSURE_MARK``, a
number the parser cannot know).

Size. A file over ``MAX_INPUT_BYTES`` is refused before it is read. A text longer than
any report (``LONG_TEXT_CHARS``) is refused as soon as it is decoded unless it prints the
row labels of section 三's table (``check_long_text``): a dump of numbers or any other long
text stops here, in a pass over it, holding the bytes and their text and nothing more.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..errors import ParseError

MAX_INPUT_BYTES = 64 * 1024 * 1024

# Words every report contains; they pick the right decoding among the candidates.
_MARKERS = ("政府信息", "公开", "申请", "年度", "报告", "行政")

# A report's text runs to tens of thousands of characters (the longest seen, under twenty
# thousand). A text of more than this many is read further only where it prints section
# 三's table, as a page holding a report among megabytes of other text does: whatever
# else is that long (a dump of numbers, a book, a log) is refused here, in a pass or two
# over the text, before stages whose cost grows with it run for seconds or minutes.
LONG_TEXT_CHARS = 1_000_000
# Rows of section 三's table whose labels such a text must print. A table, torn or run
# together, keeps the labels of its twenty-odd rows; three tell it from prose that names
# a row or two.
MIN_TABLE_ROWS = 3
# Labels of the rows, from the schema, with the characters a label skeleton drops (spaces,
# line breaks, quotes, brackets) allowed between their characters, a few at a time. Labels
# that are common words ('其他', '总计') do not count.
_COMMON_LABELS = frozenset({"其他", "总计", "其他处理"})
_ROW_OF_LABEL = {core: row.key for row in schema.REQUESTS.rows for core in row.core
                 if core not in _COMMON_LABELS}
_ROW_LABEL = re.compile("|".join(r"\W{0,4}".join(map(re.escape, core))
                                 for core in sorted(_ROW_OF_LABEL, key=len, reverse=True)))


@dataclass(frozen=True)
class Document:
    source: str
    report_id: str
    format: str  # text | html | docx | doc | pdf | ofd | scan
    text: str
    encoding: str = ""
    # scans only: every number cell OCR read, with its confidence (ocr.OcrCell)
    ocr_cells: tuple = ()


def load(source: str | os.PathLike | bytes, name: str | None = None, *,
         ocr: bool = False) -> Document:
    """Read ``source`` (a path, the bytes of a file, or text) into a Document; with
    ``ocr``, a scanned PDF or an image is read by OCR."""
    given_text = source if isinstance(source, str) and _is_text(source) else None
    if given_text is not None:
        data, label = given_text.encode("utf-8"), name or "<text>"
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
            raise ParseError(label, "file not found (removed, moved or a broken link)",
                             "check the path, or download it again") from None
        except IsADirectoryError:
            raise ParseError(label, "is a directory, not a file",
                             "give the folder to `govopen parse`, or name a file") from None
        except PermissionError:
            raise ParseError(label, "file is not readable (permission denied)",
                             "check its permissions, or copy it somewhere readable") from None
        except OSError as e:
            raise ParseError(label, f"file cannot be read ({e.strerror or e})",
                             "check the disk or the network share, or copy it locally") from None
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(label, f"input is {len(data) / 2**20:.0f} MiB, over the "
                         f"{MAX_INPUT_BYTES // 2**20} MiB limit",
                         "split it or check that it is a report")
    report_id = hashlib.sha256(data).hexdigest()[:16]
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise ParseError(label, "file is empty", "re-download it")
    kind, encoding = sniff(data), ""
    ocr_cells: tuple = ()
    if kind in ("pdf", "image"):
        kind, text, ocr_cells = _read_pdf_or_image(kind, data, label, ocr)
    elif kind in _EXTRACTORS:
        text = _EXTRACTORS[kind](data, label)
    elif given_text is not None and _looks_like_html(given_text):
        kind, text, encoding = "html", _html_to_text(given_text, label), "utf-8"
    elif _looks_like_html_bytes(data):
        # The page's own charset declaration (checked against the bytes) decides, not
        # the plain-text guess: GBK pages that declare nothing, or the wrong thing, abound.
        kind = "html"
        text, encoding = _extract_html_bytes(data, label)
    else:
        text, encoding = decode_text(data, label)
    check_long_text(text, label)
    return Document(label, report_id, kind, _clean_newlines(text), encoding, ocr_cells)


def _read_pdf_or_image(kind: str, data: bytes, label: str, ocr: bool) -> tuple[str, str, tuple]:
    """(format, text, ocr_cells cells) of a PDF or an image: a PDF's text layer, or OCR."""
    from .pdf import OCR_HINT, NeedsOCR  # noqa: PLC0415

    if kind == "pdf":
        try:
            return "pdf", _extract_pdf(data, label), ()
        except NeedsOCR:
            if not ocr:
                raise
        from .ocr import pdf_to_text  # noqa: PLC0415 - the optional extra
        text, ocr_cells = pdf_to_text(data, label)
        return "scan", text, ocr_cells
    if not ocr:
        raise ParseError(label, "Image files can be read only by OCR", OCR_HINT)
    from .ocr import image_to_text  # noqa: PLC0415
    text, ocr_cells = image_to_text(data, label)
    return "scan", text, ocr_cells


def check_long_text(text: str, label: str) -> None:
    """Raise ``ParseError`` for a text longer than any report (``LONG_TEXT_CHARS``) that
    does not print section 三's table: the labels of ``MIN_TABLE_ROWS`` of its rows."""
    if len(text) <= LONG_TEXT_CHARS:
        return
    rows = set()
    for m in _ROW_LABEL.finditer(text):
        rows.add(_ROW_OF_LABEL[re.sub(r"\W", "", m.group())])
        if len(rows) >= MIN_TABLE_ROWS:
            return
    found = (f"the labels of only {len(rows)} rows of section 三's table" if rows else
             "no row label of section 三's table (本年新收…, 上年结转…)")
    raise ParseError(label, f"not an annual report: {len(text):,} characters of text, more "
                     f"than any report has, and {found}",
                     "check that the file is a 政府信息公开工作年度报告, not a data dump or a "
                     "collection of files")


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
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _sniff_ole(data)
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "text"


def _sniff_zip(data: bytes) -> str:
    """DOCX, or which other ZIP-based format (names of the first members decide)."""
    head = data[:65536]
    if b"word/" in head:
        return "docx"
    if b"xl/workbook" in head:
        return "xlsx"
    if b"OFD.xml" in head or b"Doc_0/" in head:
        return "ofd"
    if b"[Content_Types].xml" in head and b"ppt/" not in head:
        return "docx"
    return "zip"


def _sniff_ole(data: bytes) -> str:
    """Which old binary Office file: the OLE directory names its streams."""
    if _ole_has_stream(data, "EncryptedPackage"):
        return "encrypted"
    if _ole_has_stream(data, "WordDocument"):
        return "doc"
    if _ole_has_stream(data, "Workbook") or _ole_has_stream(data, "Book"):
        return "xls"
    return "ole"


def _ole_has_stream(data: bytes, name: str) -> bool:
    # A directory entry is 128 bytes, 128-aligned, opening with the NUL-ended UTF-16LE name.
    pattern = re.escape((name + "\0").encode("utf-16-le"))
    return any(m.start() % 128 == 0 for m in re.finditer(pattern, data))


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes, choosing among UTF-8, UTF-16, GB18030 and Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode_cut(data[3:], "utf-8")
        if text is None:
            raise ParseError(label, "text starts as UTF-8 (it has a UTF-8 byte-order mark) but "
                             "is not valid UTF-8", "re-download it, or re-save it as UTF-8")
        return text, "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_cut(data, "utf-16")
        if text is None:
            raise ParseError(label, "text starts as UTF-16 (it has a UTF-16 byte-order mark) "
                             "but is not valid UTF-16", "re-download it, or re-save it as UTF-8")
        return text, "utf-16"
    if b"\x00" in data[:8192]:
        raise ParseError(label, "binary file, not text, HTML, DOCX or PDF",
                         "check that the download is the report itself")
    text = _decode_cut(data, "utf-8")
    if text is not None:
        return text, "utf-8"
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


def _decode_cut(data: bytes, encoding: str) -> str | None:
    """``data`` decoded, or None; a download cut off inside its last character (a few
    bytes of an incomplete character at the very end) loses only that character."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    left, _ = decoder.getstate()
    return text if len(left) < 4 else None


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and ("<table" in text.lower() or "<body" in head or "<div" in head))


def _looks_like_html_bytes(data: bytes) -> bool:
    """HTML, whatever its encoding: tags are ASCII in every encoding but UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _looks_like_html(data[:65536].decode("utf-16", errors="ignore"))
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return True
    return head.startswith(b"<") and (b"<body" in head or b"<div" in head
                                       or b"<table" in data[:1 << 20].lower())


def _clean_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unsupported(kind: str, hint: str):
    def extract(data, label):
        raise ParseError(label, f"{kind} files cannot be read", hint)
    return extract


def _extract_ole(data: bytes, label: str) -> str:
    """An OLE file naming no stream govopen knows: cut short before its directory (a
    download broken off), or another kind of Office file."""
    if len(data) < 512:
        raise ParseError(label, "Office file is truncated (shorter than its 512-byte header)",
                         "re-download it")
    shift = int.from_bytes(data[30:32], "little")
    sector = 1 << shift if 7 <= shift <= 16 else 512
    first_dir = int.from_bytes(data[48:52], "little")
    if first_dir < 0xFFFFFFFA and (first_dir + 1) * sector + 512 > len(data):
        raise ParseError(label, "Office file is truncated or damaged (its directory of streams "
                         "lies past the end of the file)", "re-download it")
    raise ParseError(label, "Old binary Office files other than Word/WPS documents (.xls/.et/"
                     ".ppt and the like) cannot be read",
                     "open it in Excel, WPS or Word and save it as tab-delimited text (a "
                     "spreadsheet) or as .docx (a document), then parse that")


def _html_to_text(text: str, label: str) -> str:
    from .html import html_to_text  # noqa: PLC0415 - optional dependency chain
    return html_to_text(text, label)


def _extract_html_bytes(data: bytes, label: str) -> tuple[str, str]:
    from .html import read_html_bytes  # noqa: PLC0415
    return read_html_bytes(data, label)


def _extract_docx(data: bytes, label: str) -> str:
    from .docx import docx_to_text  # noqa: PLC0415
    return docx_to_text(data, label)


def _extract_doc(data: bytes, label: str) -> str:
    from .doc import doc_to_text  # noqa: PLC0415
    return doc_to_text(data, label)


def _extract_pdf(data: bytes, label: str) -> str:
    from .pdf import pdf_to_text  # noqa: PLC0415
    return pdf_to_text(data, label)


def _extract_ofd(data: bytes, label: str) -> str:
    from .ofd import ofd_to_text  # noqa: PLC0415
    return ofd_to_text(data, label)


_EXTRACTORS = {
    "docx": _extract_docx,
    "pdf": _extract_pdf,
    "doc": _extract_doc,
    "ole": _extract_ole,
    "xls": _unsupported("Old binary Excel/WPS spreadsheets (.xls/.et)",
                        "save the sheet as tab-delimited text (.txt) and parse that"),
    "xlsx": _unsupported("Excel workbooks (.xlsx)",
                         "save the sheet as tab-delimited text (.txt) and parse that"),
    "encrypted": _unsupported("Password-protected (encrypted) Office files",
                              "open it with the password, remove the protection, save it as "
                              ".docx and parse that"),
    "rtf": _unsupported("RTF documents", "open it in Word or WPS, save it as .docx and parse that"),
    "ofd": _extract_ofd,
    "zip": _unsupported("ZIP archives other than DOCX", "unpack it and parse the files inside"),
}
