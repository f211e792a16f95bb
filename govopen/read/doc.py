"""Word 97 binary (.doc) and Kingsoft WPS (.wps) → text, read from the piece table.

In: the bytes of an OLE compound file holding a ``WordDocument`` stream (Word 97-2003,
and WPS, which writes the same binary format). Out: the text the parser reads, in
document order: one line per paragraph, every table row one line of tab-separated cells
(the contract of ``_text``), the main document only (footnotes, headers, comments and
text boxes, which follow it in the character stream, are left out).

How ([MS-DOC]): the FIB at the start of ``WordDocument`` names the table stream
(``0Table``/``1Table``), the length of the main text (``ccpText``) and where the Clx is;
the Clx's piece table maps character positions to file offsets, a piece at a time. A
piece is UTF-16LE, or 8-bit ("compressed"): cp1252 in the spec, but the code page of the
document's language in files from old Chinese editors, so GBK (GB18030) for Chinese.
A file that names no East Asian language but whose 8-bit text is valid GB18030 spelling
a report's words is read as GB18030 too. Fast-saved files have many pieces in any order
in the file; the piece table puts them back in order.

Tables. Paragraph properties (the PAPX pages, or the Data stream where a row's are too
long for a page) tell a cell mark (0x07) from a row mark and give each row's cell
boundaries (sprmTDefTable). The boundaries of a table's rows make its grid: a cell wider
than one column (a merged label) spans the columns it covers, its text once, the
positions it covers empty; a vertically merged continuation is empty. Word has no mark
between two tables that touch, so a run of rows is cut into grids where a row shares
fewer than half its inner column edges with the rows before it. A table holding a
nested table is layout, as in the DOCX reader: its cells are read as blocks, the nested
table as a table. Fields keep their result and drop their instruction; line
breaks become one space inside a cell and a new line outside (as in the DOCX reader),
tabs a space, page and column breaks a new line, object anchors nothing.

Deleted and hidden text are left out, as the DOCX reader leaves them out: a tracked
deletion in a report usually holds an old number. The character properties (the CHPX
pages, runs of file offsets) and each piece's own property (its Prm) say which
characters are a deleted revision (sprmCFRMarkDel) or hidden (sprmCFVanish). Their
operand is a ToggleOperand: 1 on, 0 off, 0x80 the value of the text's style, 0x81 its
opposite; styles are not read, so the style's value is taken as off (revision marks are
never part of a style, and hidden styles are rare), 0x80 is read as off and 0x81 as on.
Paragraph, cell and row marks inside deleted or hidden text are kept, so a table keeps
its shape and a cell whose text was deleted reads as empty; a row whose every mark is
deleted or hidden, and whose cells are left empty, is left out with its text.

Not read: text hidden by its style (a hidden character or paragraph style); Word 6/95
files, refused with what to do.

Safety: every offset and length is checked against its stream before use; the piece
count, the text length and the field nesting are bounded, so a hostile file is refused
quickly, never looped over or allowed to allocate more than its own size several times.
A password-protected, damaged or truncated file raises ``ParseError`` naming it.
"""

from __future__ import annotations

import bisect
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import ParseError
from ._text import HARD_SPACE, Grid, collapse, join_lines, table_lines

MAX_PIECES = 1_000_000       # a real document has a few, a fast-saved one hundreds
MAX_TEXT_CHARS = 2_000_000   # characters of main text: a hundred times the longest report
MAX_MARKS = 100_000          # paragraph, cell and other control marks: a report has thousands
MAX_FIELD_DEPTH = 64         # fields nest a few deep at most
MAX_PAPX_PAGES = 100_000     # 512-byte pages of paragraph properties
MAX_CHPX_RUNS = 1_000_000    # runs of character properties: a report has thousands
BOUNDARY_SLACK = 30          # twips (0.5 mm): cell edges this close are one grid line

_COMPRESSED = 0x40000000
_F_ENCRYPTED, _F_WHICH_TBL, _F_OBFUSCATED = 0x0100, 0x0200, 0x8000

# Paragraph and table sprms read here.
_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_ITAP = 0x2416, 0x2417, 0x6649
_SPRM_INNER_CELL, _SPRM_INNER_TTP = 0x244B, 0x244C  # a nested table's cell and row ends
_SPRM_TDEF_TABLE = 0xD608
_SPRM_HUGE_PAPX = 0x6646  # the properties are in the Data stream (a row of many cells)
# Character sprms read here (ToggleOperands), and the same as a piece's Prm0 names them.
_SPRM_RMARK_DEL, _SPRM_VANISH = 0x0800, 0x083C
_PRM0_SPRM = {0x41: _SPRM_RMARK_DEL, 0x5C: _SPRM_VANISH}
# Operand size by the sprm's spra (bits 13-15); 6 means a size byte first.
_OPERAND_SIZE = (1, 1, 2, 4, 2, 2, -1, 3)

# The code page of 8-bit text by the document's language (LID).
_CODEPAGE = {0x0804: "gb18030", 0x1004: "gb18030", 0x0404: "cp950", 0x0C04: "cp950",
             0x1404: "cp950", 0x0411: "cp932", 0x0412: "cp949"}
_CONTROL = re.compile(r"[\x00-\x1f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f]")
_MARKS, _MARK_BYTES = re.compile("[\r\x07]"), re.compile(rb"[\r\x07]")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_DAMAGED_HINT = "re-download it, or open and re-save it in Word or WPS as .docx"


def doc_to_text(data: bytes, label: str) -> str:
    """The text of a .doc/.wps (see the module docstring)."""
    word, table, extra = _streams(data, label)
    fib = _Fib.read(word, label)
    pieces, grpprls = _pieces(fib, word, table, label)
    papx = _ParagraphProperties(fib, word, table, extra, pieces, grpprls, label)
    left_out = _LeftOut(fib, word, table, grpprls, label)
    _check_marks(fib, word, pieces, label)
    tokens = _tokens(fib, word, pieces, left_out)
    return _Writer(papx, label).run(tokens)


# -- the compound file -----------------------------------------------------------------------

def _streams(data: bytes, label: str) -> tuple[bytes, bytes, bytes]:
    """The WordDocument stream, the table stream the FIB names and the Data stream."""
    import olefile  # noqa: PLC0415 - imported only when a .doc is read

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as e:  # olefile raises OSError, struct.error, IndexError, ... on damage
        raise ParseError(label, f"Word file is damaged or truncated (the OLE container cannot "
                         f"be read: {e})", _DAMAGED_HINT) from None
    with ole:
        try:
            if ole.exists("EncryptedPackage") or ole.exists("\x06DataSpaces"):
                raise _password_protected(label)
            word = _read_stream(ole, "WordDocument", len(data), label)
            if len(word) < 68:
                raise ParseError(label, "Word file is damaged or truncated (its WordDocument "
                                 "stream is too short to hold a FIB)", _DAMAGED_HINT)
            flags = struct.unpack_from("<H", word, 0x0A)[0]
            if flags & _F_ENCRYPTED:
                raise _password_protected(label)
            name = "1Table" if flags & _F_WHICH_TBL else "0Table"
            if not ole.exists(name):
                raise ParseError(label, f"Word file is damaged (its table stream {name} is "
                                 "missing)", _DAMAGED_HINT)
            table = _read_stream(ole, name, len(data), label)
            extra = _read_stream(ole, "Data", len(data), label) if ole.exists("Data") else b""
        except ParseError:
            raise
        except Exception as e:  # as above: olefile's errors on a broken FAT or directory
            raise ParseError(label, f"Word file is damaged or truncated ({type(e).__name__}: "
                             f"{e})", _DAMAGED_HINT) from None
    return word, table, extra


def _read_stream(ole, name: str, file_size: int, label: str) -> bytes:
    size = ole.get_size(name)
    if size > file_size:  # a stream cannot be longer than the file holding it
        raise ParseError(label, f"Word file is truncated or damaged (its {name} stream claims "
                         f"{size:,} bytes in a file of {file_size:,})", _DAMAGED_HINT)
    with ole.openstream(name) as f:
        stream = f.read(size + 1)
    if len(stream) < size:
        raise ParseError(label, f"Word file is truncated (its {name} stream has "
                         f"{len(stream):,} of {size:,} bytes)", "re-download it")
    return stream[:size]


def _password_protected(label: str) -> ParseError:
    return ParseError(label, "Word document is password-protected (encrypted); its text "
                      "cannot be read", "open it in Word or WPS with the password, remove the "
                      "protection, save it as .docx and parse that")


# -- the FIB ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Fib:
    flags: int
    lid: int
    lid_fe: int
    ccp_text: int
    fc_clx: int
    lcb_clx: int
    fc_papx: int
    lcb_papx: int
    fc_chpx: int
    lcb_chpx: int

    @classmethod
    def read(cls, word: bytes, label: str) -> _Fib:
        ident, nfib, _, lid, _, flags = struct.unpack_from("<HHHHHH", word, 0)
        if ident != 0xA5EC:
            raise ParseError(label, "not a Word document (its WordDocument stream does not "
                             "start with a Word FIB)", _DAMAGED_HINT)
        if nfib < 0x00C0:
            raise ParseError(label, f"Word 6/95 document (format version {nfib}), older than "
                             "the Word 97 format govopen reads",
                             "open it in Word or WPS, save it as .docx and parse that")
        if flags & _F_OBFUSCATED:
            raise _password_protected(label)
        try:
            csw = struct.unpack_from("<H", word, 32)[0]
            rgw = 34
            lid_fe = struct.unpack_from("<H", word, rgw + 2 * 13)[0] if csw > 13 else 0
            cslw = struct.unpack_from("<H", word, rgw + 2 * csw)[0]
            rglw = rgw + 2 * csw + 2
            ccp_text = struct.unpack_from("<i", word, rglw + 4 * 3)[0]
            cb_fclcb = struct.unpack_from("<H", word, rglw + 4 * cslw)[0]
            rgfclcb = rglw + 4 * cslw + 2
            if cslw < 4 or cb_fclcb < 34:
                raise struct.error("FIB too short")
            fc_chpx, lcb_chpx = struct.unpack_from("<II", word, rgfclcb + 8 * 12)
            fc_papx, lcb_papx = struct.unpack_from("<II", word, rgfclcb + 8 * 13)
            fc_clx, lcb_clx = struct.unpack_from("<II", word, rgfclcb + 8 * 33)
        except struct.error:
            raise ParseError(label, "Word file is damaged or truncated (its FIB is cut short)",
                             _DAMAGED_HINT) from None
        if ccp_text < 0:
            raise ParseError(label, "Word file is damaged (negative text length)", _DAMAGED_HINT)
        if ccp_text > MAX_TEXT_CHARS:
            raise ParseError(label, f"Word document claims {ccp_text:,} characters of text, "
                             f"over the limit of {MAX_TEXT_CHARS:,}",
                             "check that it is a report")
        return cls(flags, lid, lid_fe, ccp_text, fc_clx, lcb_clx, fc_papx, lcb_papx,
                   fc_chpx, lcb_chpx)

    def codepage(self) -> str:
        """The code page of 8-bit text: the document's Chinese (or other East Asian)
        language if it names one, else cp1252."""
        for lid in (self.lid_fe, self.lid):
            if lid in _CODEPAGE:
                return _CODEPAGE[lid]
        return "cp1252"


# -- the piece table -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Piece:
    cp_start: int
    cp_end: int
    offset: int       # byte offset of cp_start in WordDocument
    compressed: bool  # 8-bit text (one byte a character) rather than UTF-16LE
    prm: int

    def offset_of(self, cp: int) -> int:
        return self.offset + (cp - self.cp_start) * (1 if self.compressed else 2)


def _pieces(fib: _Fib, word: bytes, table: bytes, label: str) -> tuple[list[_Piece], list[bytes]]:
    """The pieces in character order, and the Clx's property lists (Prc) they may name."""
    end = fib.fc_clx + fib.lcb_clx
    if fib.lcb_clx == 0 or end > len(table):
        raise ParseError(label, "Word file is damaged (its piece table lies outside the table "
                         "stream)", _DAMAGED_HINT)
    pos, grpprls, plc = fib.fc_clx, [], None
    while pos < end:
        kind = table[pos]
        if kind == 1 and pos + 3 <= end:  # a Prc: a property list pieces may apply
            size = struct.unpack_from("<h", table, pos + 1)[0]
            if size < 0 or pos + 3 + size > end:
                break
            grpprls.append(table[pos + 3:pos + 3 + size])
            pos += 3 + size
        elif kind == 2 and pos + 5 <= end:  # the Pcdt: the piece table itself
            size = struct.unpack_from("<I", table, pos + 1)[0]
            if pos + 5 + size <= end:
                plc = table[pos + 5:pos + 5 + size]
            break
        else:
            break
    if plc is None or len(plc) < 16 or (len(plc) - 4) % 12:
        raise ParseError(label, "Word file is damaged (its piece table cannot be read)",
                         _DAMAGED_HINT)
    count = (len(plc) - 4) // 12
    if count > MAX_PIECES:
        raise ParseError(label, f"Word file has {count:,} text pieces, over the limit of "
                         f"{MAX_PIECES:,}", "check that it is a report; re-save it as .docx")
    cps = struct.unpack_from(f"<{count + 1}i", plc, 0)
    if cps[0] != 0 or any(a >= b for a, b in zip(cps, cps[1:], strict=False)):
        raise ParseError(label, "Word file is damaged (its piece table is out of order)",
                         _DAMAGED_HINT)
    pieces = []
    for i in range(count):
        _, fc, prm = struct.unpack_from("<HIH", plc, 4 * (count + 1) + 8 * i)
        compressed = bool(fc & _COMPRESSED)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        piece = _Piece(cps[i], cps[i + 1], offset, compressed, prm)
        if cps[i] < fib.ccp_text and piece.offset_of(min(cps[i + 1], fib.ccp_text)) > len(word):
            raise ParseError(label, f"Word file is damaged or truncated (text piece {i + 1} "
                             "lies past the end of the WordDocument stream)", _DAMAGED_HINT)
        pieces.append(piece)
    if cps[-1] < fib.ccp_text:
        raise ParseError(label, f"Word file is damaged (its pieces hold {cps[-1]:,} of the "
                         f"{fib.ccp_text:,} characters of text)", _DAMAGED_HINT)
    return pieces, grpprls


Token = str | tuple[int, int, bool]


def _tokens(fib: _Fib, word: bytes, pieces: list[_Piece],
            left_out: _LeftOut) -> Iterator[Token]:
    """The main text as runs of plain text (str) and control characters (code, offset,
    left out), made as they are read, so that a text of marks alone is never held as a
    list. Deleted and hidden characters are dropped but their paragraph, cell and row
    marks, flagged as left out."""
    codepage = fib.codepage()
    if codepage == "cp1252" and _looks_chinese(word, pieces, fib.ccp_text):
        codepage = "gb18030"  # an old editor's GBK text in a file that names no language
    for piece in pieces:
        if piece.cp_start >= fib.ccp_text:
            break
        stop = min(piece.cp_end, fib.ccp_text)
        start_at, end_at = piece.offset, piece.offset_of(stop)
        at = start_at
        for a, b in left_out.spans(piece, start_at, end_at):
            if a > at:
                yield from _piece_tokens(word[at:a], at, piece.compressed, codepage)
            yield from _kept_marks(word[a:b], a, piece.compressed)
            at = b
        if at < end_at:
            yield from _piece_tokens(word[at:end_at], at, piece.compressed, codepage)


def _piece_tokens(raw: bytes, start_at: int, compressed: bool, codepage: str) -> Iterator[Token]:
    if compressed:
        # In GBK and the other code pages a byte under 0x20 is always a character of its
        # own (lead and trail bytes are higher), so controls split the bytes safely.
        last = 0
        for byte in _CONTROL_BYTES.finditer(raw):
            if byte.start() > last:
                yield _decode8(raw[last:byte.start()], codepage)
            yield raw[byte.start()], start_at + byte.start(), False
            last = byte.end()
        if last < len(raw):
            yield _decode8(raw[last:], codepage)
    else:
        text = raw.decode("utf-16-le", errors="replace")
        last = 0
        for m in _CONTROL.finditer(text):
            if m.start() > last:
                yield text[last:m.start()]
            yield ord(m.group()), start_at + 2 * m.start(), False
            last = m.end()
        if last < len(text):
            yield text[last:]


def _kept_marks(raw: bytes, start_at: int, compressed: bool) -> Iterator[Token]:
    """The paragraph, cell and row marks of deleted or hidden text: the rest is dropped."""
    if compressed:
        for byte in _MARK_BYTES.finditer(raw):
            yield raw[byte.start()], start_at + byte.start(), True
    else:
        for char in _MARKS.finditer(raw.decode("utf-16-le", errors="replace")):
            yield ord(char.group()), start_at + 2 * char.start(), True


def _check_marks(fib: _Fib, word: bytes, pieces: list[_Piece], label: str) -> None:
    """Refuse a text of more marks (paragraphs, cells, breaks, fields) than any report
    has, counted at C speed before each is handled in turn."""
    controls = [chr(c) for c in range(32)]
    marks = 0
    for piece in pieces:
        if piece.cp_start >= fib.ccp_text:
            break
        raw = word[piece.offset:piece.offset_of(min(piece.cp_end, fib.ccp_text))]
        if piece.compressed:
            marks += sum(raw.count(c) for c in range(32))
        else:
            text = raw.decode("utf-16-le", errors="replace")
            marks += sum(text.count(c) for c in controls)
        if marks > MAX_MARKS:
            raise ParseError(label, f"Word document has over {MAX_MARKS:,} paragraph, cell and "
                             "other marks, more than any report has",
                             "check that it is a report")


def _decode8(raw: bytes, codepage: str) -> str:
    if codepage != "cp1252":
        return raw.decode(codepage, errors="replace")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: as in Latin-1
        return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252")
                       for b in raw)


def _looks_chinese(word: bytes, pieces: list[_Piece], ccp_text: int) -> bool:
    """8-bit pieces whose high bytes are valid GB18030 spelling words every report has."""
    raw = b"".join(word[p.offset:p.offset_of(min(p.cp_end, ccp_text))]
                   for p in pieces if p.compressed and p.cp_start < ccp_text)
    if not re.search(rb"[\x80-\xff]", raw):
        return False
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return "公开" in text or "政府" in text


# -- paragraph properties --------------------------------------------------------------------

@dataclass
class _Para:
    in_table: bool = False
    row_end: bool = False
    depth: int = 0                        # table nesting: 1 for an outer table's cells
    inner_cell_end: bool = False
    inner_row_end: bool = False
    edges: list[int] | None = None        # cell boundaries of a row (twips), at its row mark
    covered: list[bool] = field(default_factory=list)  # per cell: merged into another

    def apply(self, grpprl: bytes) -> None:
        for sprm, operand in _sprms(grpprl):
            if sprm == _SPRM_IN_TABLE:
                self.in_table = bool(operand[:1] and operand[0])
            elif sprm == _SPRM_TTP:
                self.row_end = bool(operand[:1] and operand[0])
            elif sprm == _SPRM_ITAP and len(operand) >= 4:
                self.depth = struct.unpack_from("<i", operand)[0]
            elif sprm == _SPRM_INNER_CELL:
                self.inner_cell_end = bool(operand[:1] and operand[0])
            elif sprm == _SPRM_INNER_TTP:
                self.inner_row_end = bool(operand[:1] and operand[0])
            elif sprm == _SPRM_TDEF_TABLE:
                self._table_definition(operand)

    def _table_definition(self, operand: bytes) -> None:
        if not operand:
            return
        cells = operand[0]
        if len(operand) < 1 + 2 * (cells + 1):
            return
        self.edges = list(struct.unpack_from(f"<{cells + 1}h", operand, 1))
        self.covered = []
        tc = 1 + 2 * (cells + 1)
        for i in range(cells):
            flags = struct.unpack_from("<H", operand, tc + 20 * i)[0] \
                if tc + 20 * i + 2 <= len(operand) else 0
            # fMerged (covered by the cell on the left), or fVertMerge without fVertRestart
            self.covered.append(bool(flags & 0x0002) or (flags & 0x0060) == 0x0020)

    @property
    def outer_row_end(self) -> bool:
        return self.row_end and self.depth <= 1


def _sprms(grpprl: bytes):
    """(sprm, operand) for each property in a grpprl; stops at a malformed one."""
    pos = 0
    while pos + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, pos)[0]
        pos += 2
        size = _OPERAND_SIZE[sprm >> 13]
        if sprm == _SPRM_TDEF_TABLE:  # a two-byte size, counting itself minus one
            if pos + 2 > len(grpprl):
                return
            size = struct.unpack_from("<H", grpprl, pos)[0] - 1
            pos += 2
        elif size < 0:
            if pos >= len(grpprl):
                return
            size = grpprl[pos]
            pos += 1
        if size < 0 or pos + size > len(grpprl):
            return
        yield sprm, grpprl[pos:pos + size]
        pos += size


def _huge(grpprl: bytes, extra: bytes) -> bytes:
    """A paragraph's properties, fetched from the Data stream where sprmPHugePapx says
    they are (a PrcData: a two-byte size, then the properties)."""
    if len(grpprl) >= 6 and struct.unpack_from("<H", grpprl)[0] == _SPRM_HUGE_PAPX:
        at = struct.unpack_from("<I", grpprl, 2)[0]
        if at + 2 <= len(extra):
            size = struct.unpack_from("<H", extra, at)[0]
            return extra[at + 2:at + 2 + size]
    return grpprl


class _ParagraphProperties:
    """The properties of the paragraph whose mark is at a given offset of WordDocument."""

    def __init__(self, fib: _Fib, word: bytes, table: bytes, extra: bytes,
                 pieces: list[_Piece], grpprls: list[bytes], label: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.grpprls: list[bytes] = []
        self.pieces = pieces
        self.piece_starts = sorted((p.offset, p.offset_of(p.cp_end), p.prm) for p in pieces)
        self.prc = grpprls
        self.parsed: dict[tuple[bytes, int], _Para] = {}
        end = fib.fc_papx + fib.lcb_papx
        if fib.lcb_papx < 8 or end > len(table) or (fib.lcb_papx - 4) % 8:
            self.present = False
            return
        self.present = True
        count = (fib.lcb_papx - 4) // 8
        if count > MAX_PAPX_PAGES:
            raise ParseError(label, f"Word file has {count:,} pages of paragraph properties, "
                             f"over the limit of {MAX_PAPX_PAGES:,}", "check that it is a report")
        pages = struct.unpack_from(f"<{count}I", table, fib.fc_papx + 4 * (count + 1))
        runs = []
        for page, crun, fcs in _fkp_pages(word, pages, label, "paragraph", 13):
            for i in range(crun):
                offset = 2 * page[4 * (crun + 1) + 13 * i]
                grpprl = b""
                if offset and offset < 511:
                    cb = page[offset]
                    if cb:
                        body = page[offset + 1:offset + 2 * cb]
                    else:
                        cb = page[offset + 1] if offset + 1 < 511 else 0
                        body = page[offset + 2:offset + 2 + 2 * cb]
                    grpprl = _huge(body[2:], extra)  # after the style index
                runs.append((fcs[i], fcs[i + 1], grpprl))
        runs.sort(key=lambda r: r[0])
        for start, stop, grpprl in runs:
            self.starts.append(start)
            self.ends.append(stop)
            self.grpprls.append(grpprl)

    def at(self, offset: int) -> _Para:
        i = bisect.bisect_right(self.starts, offset) - 1
        own = self.grpprls[i] if i >= 0 and offset < self.ends[i] else b""
        prm = self._prm_at(offset)
        key = (own, prm)
        para = self.parsed.get(key)  # many paragraphs share their properties; read once
        if para is None:
            para = _Para()
            para.apply(own)
            if prm & 1 and (prm >> 1) < len(self.prc):  # Prm1: a Prc's properties override
                para.apply(self.prc[prm >> 1])
            self.parsed[key] = para
        return para

    def _prm_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.piece_starts, (offset, 1 << 62, 0)) - 1
        if i >= 0 and offset < self.piece_starts[i][1]:
            return self.piece_starts[i][2]
        return 0


# -- character properties: deleted and hidden text -------------------------------------------

def _char_flags(grpprl: bytes) -> tuple[bool | None, bool | None]:
    """Whether a property list makes text a deleted revision and whether hidden (None:
    it says nothing). A ToggleOperand's low bit: 0x01 on, 0x81 the opposite of the
    style's value, which is taken as off (see the module docstring)."""
    deleted = hidden = None
    for sprm, operand in _sprms(grpprl):
        if sprm == _SPRM_RMARK_DEL and operand:
            deleted = bool(operand[0] & 1)
        elif sprm == _SPRM_VANISH and operand:
            hidden = bool(operand[0] & 1)
    return deleted, hidden


def _prm_flags(prm: int, prc: list[bytes]) -> tuple[bool | None, bool | None]:
    """The same for a piece's Prm: a Prm1 names a Prc's property list, a Prm0 one sprm."""
    if prm & 1:
        return _char_flags(prc[prm >> 1]) if (prm >> 1) < len(prc) else (None, None)
    sprm, value = _PRM0_SPRM.get((prm >> 1) & 0x7F), prm >> 8
    if sprm == _SPRM_RMARK_DEL:
        return bool(value & 1), None
    if sprm == _SPRM_VANISH:
        return None, bool(value & 1)
    return None, None


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


class _LeftOut:
    """The bytes of WordDocument whose characters are deleted revisions or hidden: the
    runs of the CHPX pages, overridden by a piece's own property (its Prm)."""

    def __init__(self, fib: _Fib, word: bytes, table: bytes, prc: list[bytes], label: str):
        self.prc = prc
        self.flags: dict[bytes, tuple[bool | None, bool | None]] = {}
        deleted: list[tuple[int, int]] = []
        hidden: list[tuple[int, int]] = []
        for start, stop, grpprl in _chpx_runs(fib, word, table, label):
            is_deleted, is_hidden = self._flags(grpprl)
            if is_deleted:
                deleted.append((start, stop))
            if is_hidden:
                hidden.append((start, stop))
        # disjoint and in order, so a piece finds its own by bisection
        self.deleted, self.hidden = _merged(deleted), _merged(hidden)
        self.deleted_starts = [a for a, _ in self.deleted]
        self.hidden_starts = [a for a, _ in self.hidden]

    def _flags(self, grpprl: bytes) -> tuple[bool | None, bool | None]:
        flags = self.flags.get(grpprl)  # many runs share their properties; read once
        if flags is None:
            flags = self.flags[grpprl] = _char_flags(grpprl)
        return flags

    def spans(self, piece: _Piece, start_at: int, end_at: int) -> list[tuple[int, int]]:
        """The byte ranges of [start_at, end_at) left out, disjoint and in order, on
        character boundaries (a range cutting a UTF-16 character takes all of it)."""
        if not (self.deleted or self.hidden or piece.prm):
            return []
        by_piece = _prm_flags(piece.prm, self.prc)
        if by_piece[0] or by_piece[1]:
            return [(start_at, end_at)]
        found: list[tuple[int, int]] = []
        for spans, starts, off in ((self.deleted, self.deleted_starts, by_piece[0] is False),
                                   (self.hidden, self.hidden_starts, by_piece[1] is False)):
            if off:  # the piece's own property turns it off
                continue
            i = max(0, bisect.bisect_right(starts, start_at) - 1)
            while i < len(spans) and spans[i][0] < end_at:
                a, b = max(spans[i][0], start_at), min(spans[i][1], end_at)
                if a < b:
                    found.append((a, b))
                i += 1
        if not piece.compressed:
            found = [(start_at + (a - start_at) // 2 * 2,
                      min(end_at, start_at + -(-(b - start_at) // 2) * 2)) for a, b in found]
        return _merged(found)


def _fkp_pages(word: bytes, pages, label: str, what: str, entry: int, empty_ok: bool = True):
    """(page, run count, run start offsets) of each 512-byte property page ([MS-DOC] FKP)
    numbered in ``pages``: ``what`` properties (paragraph or character), ``entry`` bytes
    per run after the offsets (13 for paragraphs, 1 for characters). A page past the end
    of the stream, or whose runs do not fit in it (or, unless ``empty_ok``, that has
    none), raises ``ParseError``."""
    for pn in pages:
        page_at = (pn & 0x3FFFFF) * 512
        if page_at + 512 > len(word):
            raise ParseError(label, f"Word file is damaged or truncated (a page of {what} "
                             "properties lies past the end of the file)", _DAMAGED_HINT)
        page = word[page_at:page_at + 512]
        crun = page[511]
        if (crun == 0 and not empty_ok) or 4 * (crun + 1) + entry * crun > 511:
            raise ParseError(label, f"Word file is damaged (a page of {what} properties is "
                             "malformed)", _DAMAGED_HINT)
        yield page, crun, struct.unpack_from(f"<{crun + 1}I", page, 0)


def _chpx_runs(fib: _Fib, word: bytes, table: bytes, label: str):
    """(start, stop, grpprl) for each run of the CHPX pages that has properties."""
    if fib.lcb_chpx == 0:
        return
    end = fib.fc_chpx + fib.lcb_chpx
    if fib.lcb_chpx < 8 or end > len(table) or (fib.lcb_chpx - 4) % 8:
        raise ParseError(label, "Word file is damaged (its character properties, which say "
                         "what text is deleted or hidden, cannot be read)", _DAMAGED_HINT)
    count = (fib.lcb_chpx - 4) // 8
    pages = struct.unpack_from(f"<{count}I", table, fib.fc_chpx + 4 * (count + 1))
    runs = 0
    for page, crun, fcs in _fkp_pages(word, pages, label, "character", 1, empty_ok=False):
        runs += crun
        if runs > MAX_CHPX_RUNS:
            raise ParseError(label, f"Word file has over {MAX_CHPX_RUNS:,} runs of character "
                             "properties, more than any report has", "check that it is a report")
        for i in range(crun):
            offset = 2 * page[4 * (crun + 1) + i]
            if offset and fcs[i] < fcs[i + 1]:  # 0: the run has no properties of its own
                cb = page[offset] if offset < 511 else 0
                yield fcs[i], fcs[i + 1], page[offset + 1:min(offset + 1 + cb, 511)]


# -- text and tables -------------------------------------------------------------------------

class _Level:
    """The table being read at one level of nesting: its rows, the row and the cell."""

    def __init__(self) -> None:
        self.cell: list[str] = []          # paragraphs of the cell being read
        self.cell_lines: list[str] = []    # the cell read as blocks (a layout table's)
        self.row: list[str] = []           # cells of the row being read
        self.row_lines: list[list[str]] = []
        self.rows: list[tuple[list[str], _Para]] = []
        self.rows_lines: list[list[list[str]]] = []
        self.holds_tables = False          # a table nested in it makes it layout
        self.row_shown = False             # a mark of the row being read is not left out

    def paragraph(self, text: str, left_out: bool = False) -> None:
        self.row_shown = self.row_shown or not left_out
        self.cell.append(text)
        self.cell_lines.extend(_paragraph_lines(text))

    def cell_end(self, text: str, left_out: bool = False) -> None:
        self.paragraph(text, left_out)
        self.row.append(HARD_SPACE.join(self.cell).replace("\n", HARD_SPACE))
        self.row_lines.append(self.cell_lines)
        self.cell, self.cell_lines = [], []

    def row_end(self, para: _Para, left_out: bool = False) -> None:
        if left_out and not self.row_shown and not any(self.row) and self.cell == []:
            # a deleted (or hidden) row: every mark of it left out, its cells empty
            self.row, self.row_lines = [], []
            return
        self.row_shown = False
        self.rows.append((self.row, para))
        self.rows_lines.append(self.row_lines)
        self.row, self.row_lines = [], []

    def lines(self) -> list[str]:
        """The table's lines (read once, when it ends)."""
        if self.cell:  # a cell cut off before its mark
            self.cell_end("")
        if self.row:  # cells after the last row mark (a cut-off table): a row of their own
            self.row_end(_Para())
        if self.holds_tables:  # layout: every cell read as blocks, in order
            lines = [line for row in self.rows_lines for cell in row for line in cell]
        else:
            lines = [line for group in _grids(self.rows) for line in _grid_lines(group)]
        return lines


class _Writer:
    def __init__(self, papx: _ParagraphProperties, label: str):
        self.papx = papx
        self.label = label
        self.lines: list[str] = []
        self.buf: list[str] = []           # the paragraph being read
        self.outer = _Level()              # the table being read
        self.inner = _Level()              # a table nested in one of its cells
        self.fields: list[bool] = []       # open fields: True while in the instruction

    def run(self, tokens: Iterator[Token]) -> str:
        for token in tokens:
            if isinstance(token, str):
                if not any(self.fields):
                    self.buf.append(token)
            else:
                self.control(*token)
        self.paragraph_end(None)
        self.end_table()
        return join_lines(self.lines)

    def control(self, code: int, offset: int, left_out: bool) -> None:
        if code == 0x13:
            if len(self.fields) >= MAX_FIELD_DEPTH:
                raise ParseError(self.label, f"Word fields nested over {MAX_FIELD_DEPTH} deep",
                                 _DAMAGED_HINT)
            self.fields.append(True)
        elif code == 0x14:
            if self.fields:
                self.fields[-1] = False
        elif code == 0x15:
            if self.fields:
                self.fields.pop()
        elif code in (0x0D, 0x07):
            self.paragraph_end(self.papx.at(offset), cell_mark=code == 0x07, left_out=left_out)
        elif any(self.fields):
            return
        elif code in (0x0B, 0x0C, 0x0E):  # line, page (or section), column break
            self.buf.append("\n")
        elif code == 0x09:
            self.buf.append(" ")
        elif code == 0x1E:  # non-breaking hyphen
            self.buf.append("-")
        # 0x01, 0x08 (pictures, drawn objects), 0x02 (note numbers), 0x05 (comment
        # anchors), 0x1F (optional hyphen) and the rest: no text

    def paragraph_end(self, para: _Para | None, cell_mark: bool = False,
                      left_out: bool = False) -> None:
        text = "".join(self.buf)
        self.buf = []
        if para is not None and cell_mark and not self.papx.present:
            raise ParseError(self.label, "Word file is damaged (it has tables but no paragraph "
                             "properties to lay them out)", _DAMAGED_HINT)
        if para is not None and para.depth >= 2:  # in a nested table: its marks are 0x0D
            if para.inner_row_end:
                self.inner.row_end(para, left_out)
            elif para.inner_cell_end or cell_mark:
                self.inner.cell_end(text, left_out)
            else:
                self.inner.paragraph(text, left_out)
            return
        self.end_inner()
        if para is not None and cell_mark and para.outer_row_end:
            self.outer.row_end(para, left_out)
        elif para is not None and cell_mark:
            self.outer.cell_end(text, left_out)
        elif para is not None and (para.in_table or para.depth >= 1):
            self.outer.paragraph(text, left_out)  # one of several paragraphs in a cell
        else:
            self.end_table()
            self.lines.extend(_paragraph_lines(text))

    def end_inner(self) -> None:
        """A nested table ends: its lines join the cell that holds it, read as blocks."""
        lines, self.inner = self.inner.lines(), _Level()
        if lines:
            self.outer.holds_tables = True
            self.outer.cell_lines.extend(lines)

    def end_table(self) -> None:
        self.end_inner()
        lines, self.outer = self.outer.lines(), _Level()
        self.lines.extend(lines)


def _paragraph_lines(text: str) -> list[str]:
    return [line for line in (collapse(part) for part in text.split("\n")) if line]


def _grid_lines(rows: list[tuple[list[str], _Para]]) -> list[str]:
    """One table's rows on its grid, as lines; a one-column table's cells as paragraphs."""
    columns = _cluster(e for cells, para in rows if _fits(cells, para) for e in para.edges or [])
    grid = Grid()
    grid.ensure_rows(len(rows))
    for r, (cells, para) in enumerate(rows):
        if _fits(cells, para) and para.edges is not None:
            for i, text in enumerate(cells):
                first = _column(columns, para.edges[i])
                last = _column(columns, para.edges[i + 1])
                covered = i < len(para.covered) and para.covered[i]
                grid.place(r, first, "" if covered else text, 1, max(1, last - first))
        else:  # no usable cell boundaries: the cells side by side
            col = 0
            for text in cells:
                col = grid.next_free(r, col)
                grid.place(r, col, text)
                col += 1
    if grid.width > 1:
        return table_lines(grid.rows())
    return [t for cells, _ in rows for text in cells
            for t in (collapse(p) for p in text.split(HARD_SPACE)) if t]


def _grids(rows: list[tuple[list[str], _Para]]) -> list[list[tuple[list[str], _Para]]]:
    """The rows of one run of table paragraphs, cut where a row and the rows before it
    share fewer than half the inner cell edges of the one with fewer: Word has no mark
    between two tables that touch, and rows sharing almost no column edge form no grid."""
    groups: list[list[tuple[list[str], _Para]]] = []
    known: list[int] = []
    for cells, para in rows:
        inner = para.edges[1:-1] if _fits(cells, para) and para.edges else []
        shared = sum(1 for e in inner if any(abs(e - k) <= BOUNDARY_SLACK for k in known))
        if not groups or (inner and known and 2 * shared < min(len(inner), len(known))):
            groups.append([])
            known = []
        groups[-1].append((cells, para))
        known = _cluster(known + inner)[:1024]  # a real table has tens of edges
    return groups


def _cluster(edges) -> list[int]:
    """Grid lines: cell edges, those within ``BOUNDARY_SLACK`` of each other taken as one."""
    columns: list[int] = []
    for e in sorted(edges):
        if not columns or e - columns[-1] > BOUNDARY_SLACK:
            columns.append(e)
    return columns


def _fits(cells: list[str], para: _Para) -> bool:
    return para.edges is not None and len(para.edges) == len(cells) + 1 and \
        all(a < b for a, b in zip(para.edges, para.edges[1:], strict=False))


def _column(columns: list[int], edge: int) -> int:
    i = bisect.bisect_left(columns, edge - BOUNDARY_SLACK)
    return min(i, len(columns) - 1) if columns else 0
