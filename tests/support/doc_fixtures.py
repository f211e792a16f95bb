"""Word 97 binary documents built byte by byte, for what LibreOffice never writes.

``word_doc(blocks, ...)`` lays paragraphs and tables out as the Word 97 binary format
([MS-DOC]) does, inside an OLE compound file written here too ([MS-CFB]: a 512-byte
header, the streams in 512-byte sectors, a directory, a FAT; every stream padded to
4096 bytes so no mini stream is needed). The text is cut into pieces at chosen
characters; each piece is UTF-16LE or 8-bit ("compressed") in a chosen code page (GBK
for an old Chinese editor), and the pieces can be written to the file in any order, as
fast-saved files have them. Paragraph properties (PAPX pages) mark table cells and row
ends and carry each row's cell boundaries, a merged cell a wider one, a vertically
merged continuation flagged as Word flags it. A table fills the text width, its columns
sharing it evenly, as LibreOffice writes them: two tables that touch (Word has no mark
between them) share no inner column edge unless their widths agree.

A table is ``Table(rows, spans)``: the rows of cells and ``(row, col, rowspan, colspan)``
for every cell written (``format_fixtures.plan_spans`` makes them), or no spans for one
cell a position; a cell may hold a ``Table`` (nested, as Word 2000 and later nest them). ``seed_doc(seed)`` is a seed report in this form.

Character properties (CHPX pages) are written for every run of text: ``deleted(text)``
and ``hidden(text)`` mark text as a tracked deletion (sprmCFRMarkDel) or hidden
(sprmCFVanish), and a table's ``deleted_rows`` and ``deleted_cells`` (by the index of
the cell written in its row) are deleted with their marks. A piece can carry its own
property (``piece_prms``: a Prm0, or a Prm1 naming one of ``prcs``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from tests.support import format_fixtures as ff

SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
TABLE_TWIPS = 8640  # a table fills the text width (6 inches), its columns share it
F_COMPLEX, F_ENCRYPTED, F_WHICH_TABLE = 0x0004, 0x0100, 0x0200
LID_ZH_CN, LID_EN_US = 0x0804, 0x0409
SPRM_RMARK_DEL, SPRM_VANISH = 0x0800, 0x083C
ISPRM_RMARK_DEL, ISPRM_VANISH = 0x41, 0x5C  # the same as a Prm0 names them
# Private-use characters marking where deleted and hidden text start and end.
_DEL_ON, _DEL_OFF, _HIDE_ON, _HIDE_OFF = "\ue000", "\ue001", "\ue002", "\ue003"
TEXT_AT = 1024  # where the text starts in WordDocument, after the FIB


@dataclass
class Table:
    rows: list[list[str]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    deleted_rows: set[int] = field(default_factory=set)
    deleted_cells: set[tuple[int, int]] = field(default_factory=set)


def deleted(text: str) -> str:
    """Text written as a tracked deletion."""
    return _DEL_ON + text + _DEL_OFF


def hidden(text: str) -> str:
    """Text written as hidden."""
    return _HIDE_ON + text + _HIDE_OFF


def prm0(isprm: int, value: int) -> int:
    """A piece's Prm naming one sprm (by its isprm) and its one-byte operand."""
    return (isprm << 1) | (value << 8)


def prm1(prc_index: int) -> int:
    """A piece's Prm naming a Prc of the Clx."""
    return (prc_index << 1) | 1


@dataclass
class _Mark:
    kind: str                     # body | cell | row | inner_cell | inner_row
    edges: list[int] | None = None
    vmerged: list[bool] | None = None


# -- the character stream ---------------------------------------------------------------------

def main_text(blocks: list) -> tuple[str, list[_Mark]]:
    """The text of the blocks with its paragraph, cell and row marks, and what each mark is."""
    out: list[str] = []
    marks: list[_Mark] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block + "\r")
            marks.append(_Mark("body"))
            continue
        for r, (cells, edges, vmerged) in enumerate(_row_layout(block)):
            if r in block.deleted_rows:
                out.append(_DEL_ON)
            for i, cell in enumerate(cells):
                if isinstance(cell, Table):  # a nested table: its marks are paragraph marks
                    for inner_cells, inner_edges, _ in _row_layout(cell):
                        for text in inner_cells:
                            out.append(text + "\r")
                            marks.append(_Mark("inner_cell"))
                        out.append("\r")
                        marks.append(_Mark("inner_row", inner_edges))
                    cell = ""
                written = cell.replace(" ", "\x0b") + "\x07"  # a space: a line break
                out.append(deleted(written) if (r, i) in block.deleted_cells else written)
                marks.append(_Mark("cell"))
            out.append("\x07")
            marks.append(_Mark("row", edges, vmerged))
            if r in block.deleted_rows:
                out.append(_DEL_OFF)
    return "".join(out), marks


def _row_layout(table: Table):
    """For each row: the cells written, their edges (twips), which continue a rowspan."""
    width = max(len(r) for r in table.rows)
    column = TABLE_TWIPS // width
    spans = table.spans or [(r, c, 1, 1) for r in range(len(table.rows)) for c in range(width)]
    for r in range(len(table.rows)):
        placed = []
        for sr, sc, rs, cs in spans:
            if sr == r:
                placed.append((sc, cs, table.rows[r][sc] if sc < len(table.rows[r]) else "", False))
            elif sr < r < sr + rs:
                placed.append((sc, cs, "", True))
        placed.sort()
        edges = [placed[0][0] * column] + [(c + cs) * column for c, cs, _, _ in placed]
        yield [t for _, _, t, _ in placed], edges, [v for _, _, _, v in placed]


# -- the Word document ----------------------------------------------------------------------

def word_doc(blocks: list, *, cuts: tuple[int, ...] = (), compressed: tuple[bool, ...] = (),
             codepage: str = "gbk", order: tuple[int, ...] | None = None,
             lid: int = LID_ZH_CN, flags: int = 0, after_main: str = "",
             prc: bool = False, fib_patch: dict[int, bytes] | None = None,
             directory_first: bool = False, char_operand: int = 1,
             piece_prms: tuple[int, ...] = (), prcs: tuple[bytes, ...] = ()) -> bytes:
    """An OLE compound file holding a Word 97 document with the blocks as its main text.

    ``cuts``: character positions where a new piece starts; ``compressed[i]``: piece i is
    8-bit text in ``codepage``; ``order``: the order the pieces are written to the file
    (a permutation; fast-saved). ``after_main``: text after the main document (a
    footnote's), not part of it. ``prc``: a property list (Prc) before the piece table.
    ``fib_patch``: bytes to write over the FIB at given offsets (hostile files).
    ``directory_first``: the compound file's directory before the streams.
    ``char_operand``: the ToggleOperand written for deleted and hidden text (1 on, 0 off,
    0x80 as the style, 0x81 the opposite of the style). ``piece_prms[i]``: piece i's Prm;
    ``prcs``: property lists (Prc) for a Prm1, after the one ``prc`` writes.
    """
    text, marks = main_text(blocks)
    text, revisions = _strip_revisions(text)
    full = text + after_main
    revisions += [(False, False)] * len(after_main)
    bounds = [0, *sorted(cuts), len(full)]
    segments = [full[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    packed = [seg.encode(codepage) if i < len(compressed) and compressed[i]
              else seg.encode("utf-16-le") for i, seg in enumerate(segments)]
    is_8bit = [i < len(compressed) and compressed[i] for i in range(len(segments))]
    order = tuple(order) if order is not None else tuple(range(len(segments)))
    assert sorted(order) == list(range(len(segments)))
    offsets = [0] * len(segments)
    at = TEXT_AT
    for i in order:
        offsets[i] = at
        at += len(packed[i])
    text_end = at
    cps = [0]
    for i, data in enumerate(packed):
        cps.append(cps[-1] + (len(data) if is_8bit[i] else len(data) // 2))
    ccp_text = cps[-1] - len(after_main.encode(codepage) if is_8bit[-1] else after_main)

    # where each mark is in the file, and the properties of the paragraph it ends
    mark_at: list[int] = []
    char_runs: list[tuple[int, int, bytes]] = []  # each character's bytes, its CHPX
    k = 0
    for i, seg in enumerate(segments):
        pos = offsets[i]
        for ch in seg:
            width = len(ch.encode(codepage)) if is_8bit[i] else 2
            if ch in "\r\x07":
                mark_at.append(pos)
            char_runs.append((pos, pos + width, _chpx_grpprl(*revisions[k], char_operand)))
            pos += width
            k += 1
    runs = _paragraph_runs(mark_at[:len(marks)], marks, TEXT_AT, text_end, is_8bit, offsets,
                           packed)
    fkp_at = -(-text_end // SECTOR) * SECTOR
    pages = _fkp_pages(runs)
    chpx_groups = _chpx_groups(char_runs)
    chpx_at = fkp_at + SECTOR * len(pages)
    word = bytearray(chpx_at + SECTOR * len(chpx_groups))
    for i, data in enumerate(packed):
        word[offsets[i]:offsets[i] + len(data)] = data
    for p, page in enumerate(pages):
        word[fkp_at + SECTOR * p:fkp_at + SECTOR * (p + 1)] = page
    for p, group in enumerate(chpx_groups):
        word[chpx_at + SECTOR * p:chpx_at + SECTOR * (p + 1)] = _chpx_page(group)

    table = bytearray()
    if prc:
        grpprl = struct.pack("<HB", 0x2403, 1)  # sprmPJc: centred; no text of its own
        table += struct.pack("<Bh", 1, len(grpprl)) + grpprl
    for grpprl in prcs:
        table += struct.pack("<Bh", 1, len(grpprl)) + grpprl
    plc = struct.pack(f"<{len(cps)}i", *cps)
    for i in range(len(segments)):
        fc = (offsets[i] * 2) | 0x40000000 if is_8bit[i] else offsets[i]
        plc += struct.pack("<HIH", 0, fc, piece_prms[i] if i < len(piece_prms) else 0)
    fc_clx = 0
    table += struct.pack("<BI", 2, len(plc)) + plc
    lcb_clx = len(table) - fc_clx
    fc_papx = len(table)
    firsts = [page_runs[0][0] for page_runs in _page_runs(runs)]
    plc_bte = struct.pack(f"<{len(firsts) + 1}I", *firsts, text_end)
    plc_bte += struct.pack(f"<{len(pages)}I", *(fkp_at // SECTOR + p for p in range(len(pages))))
    table += plc_bte
    fc_chpx = len(table)
    table += struct.pack(f"<{len(chpx_groups) + 1}I", *(g[0][0] for g in chpx_groups), text_end)
    table += struct.pack(f"<{len(chpx_groups)}I",
                         *(chpx_at // SECTOR + p for p in range(len(chpx_groups))))
    fib = _fib(lid, flags | F_WHICH_TABLE, ccp_text, fc_clx, lcb_clx, fc_papx, len(plc_bte),
               fc_chpx, len(table) - fc_chpx)
    word[:len(fib)] = fib
    for offset, patch in (fib_patch or {}).items():
        word[offset:offset + len(patch)] = patch
    return compound_file({"WordDocument": bytes(word), "1Table": bytes(table)},
                         directory_first=directory_first)


def _fib(lid: int, flags: int, ccp_text: int, fc_clx: int, lcb_clx: int, fc_papx: int,
         lcb_papx: int, fc_chpx: int = 0, lcb_chpx: int = 0) -> bytes:
    base = struct.pack("<HHHHHHH", 0xA5EC, 0x00C1, 0, lid, 0, flags, 0x00BF) + bytes(18)
    rgw = [0] * 14
    rgw[13] = lid  # lidFE
    rglw = [0] * 22
    rglw[3] = ccp_text
    fclcb = [0] * (93 * 2)
    fclcb[12 * 2:12 * 2 + 2] = [fc_chpx, lcb_chpx]
    fclcb[13 * 2:13 * 2 + 2] = [fc_papx, lcb_papx]
    fclcb[33 * 2:33 * 2 + 2] = [fc_clx, lcb_clx]
    return (base + struct.pack("<H14H", 14, *rgw) + struct.pack("<H22i", 22, *rglw)
            + struct.pack("<H186I", 93, *fclcb) + struct.pack("<H", 0))


def written_text(blocks: list) -> str:
    """The characters written for the blocks, deleted and hidden ones too, with their marks
    (where to cut pieces)."""
    return _strip_revisions(main_text(blocks)[0])[0]


def _strip_revisions(text: str) -> tuple[str, list[tuple[bool, bool]]]:
    """The text without the deleted and hidden markers, and for each character whether
    it is deleted and whether hidden."""
    out, flags = [], []
    deleting = hiding = 0
    for ch in text:
        if ch in (_DEL_ON, _DEL_OFF):
            deleting += 1 if ch == _DEL_ON else -1
        elif ch in (_HIDE_ON, _HIDE_OFF):
            hiding += 1 if ch == _HIDE_ON else -1
        else:
            out.append(ch)
            flags.append((deleting > 0, hiding > 0))
    return "".join(out), flags


def _chpx_grpprl(is_deleted: bool, is_hidden: bool, operand: int) -> bytes:
    props = struct.pack("<HB", SPRM_RMARK_DEL, operand) if is_deleted else b""
    return props + (struct.pack("<HB", SPRM_VANISH, operand) if is_hidden else b"")


def _chpx_groups(char_runs: list[tuple[int, int, bytes]]) -> list[list[tuple[int, int, bytes]]]:
    """The characters' runs in file order, neighbours with the same properties joined,
    in groups of at most 50 (a CHPX page holds up to 101)."""
    runs: list[tuple[int, int, bytes]] = []
    for start, stop, grpprl in sorted(char_runs):
        if runs and runs[-1][1] == start and runs[-1][2] == grpprl:
            runs[-1] = (runs[-1][0], stop, grpprl)
        else:
            runs.append((start, stop, grpprl))
    return [runs[i:i + 50] for i in range(0, len(runs), 50)]


def _chpx_page(runs: list[tuple[int, int, bytes]]) -> bytes:
    """A ChpxFkp: the runs' offsets, a byte each naming its Chpx (0: none), the Chpxs
    (a size byte, the properties) from the end of the page, the run count last."""
    page = bytearray(SECTOR)
    crun = len(runs)
    struct.pack_into(f"<{crun + 1}I", page, 0, *(r[0] for r in runs), runs[-1][1])
    top, placed = 511, {}
    for i, (_, _, grpprl) in enumerate(runs):
        if not grpprl:
            continue
        if grpprl not in placed:
            chpx = bytes([len(grpprl)]) + grpprl
            top = (top - len(chpx)) & ~1
            page[top:top + len(chpx)] = chpx
            placed[grpprl] = top // 2
        page[4 * (crun + 1) + i] = placed[grpprl]
    assert top >= 4 * (crun + 1) + crun, "CHPX page overflow"
    page[511] = crun
    return bytes(page)


def _grpprl(mark: _Mark) -> bytes:
    if mark.kind == "body":
        return b""
    depth = 2 if mark.kind.startswith("inner") else 1
    props = struct.pack("<HB", 0x2416, 1) + struct.pack("<Hi", 0x6649, depth)
    if mark.kind == "inner_cell":
        props += struct.pack("<HB", 0x244B, 1)
    if mark.kind == "inner_row":
        props += struct.pack("<HB", 0x244C, 1)
    if mark.kind in ("row", "inner_row"):
        edges = mark.edges or []
        cells = len(edges) - 1
        tcs = b"".join(struct.pack("<H", 0x0020 if v else 0) + bytes(18)
                       for v in (mark.vmerged or [False] * cells))
        operand = struct.pack(f"<B{cells + 1}h", cells, *edges) + tcs
        if mark.kind == "row":
            props += struct.pack("<HB", 0x2417, 1)
        props += struct.pack("<HH", 0xD608, len(operand) + 1) + operand
    return props


def _paragraph_runs(mark_at, marks, start, end, is_8bit, offsets, packed):
    """Runs of bytes [start, stop) with a grpprl: each mark's run ends just after it."""
    widths = {}
    for i, data in enumerate(packed):
        widths[offsets[i]] = (offsets[i] + len(data), 1 if is_8bit[i] else 2)
    stops = []
    for pos, mark in zip(mark_at, marks, strict=True):
        width = next(w for o, (e, w) in widths.items() if o <= pos < e)
        stops.append((pos + width, _grpprl(mark)))
    stops.sort()
    runs, at = [], start
    for stop, grpprl in stops:
        runs.append((at, stop, grpprl))
        at = stop
    if at < end:
        runs.append((at, end, b""))
    return runs


def _page_runs(runs):
    """Runs grouped so each group's FKP fits in 512 bytes."""
    pages, page, used = [], [], 0
    for run in runs:
        need = 4 + 13 + 2 + len(run[2]) + 4  # an fc, a bx, the PAPX (istd, size, alignment)
        if page and used + need + 4 > 511:
            pages.append(page)
            page, used = [], 0
        page.append(run)
        used += need
    if page:
        pages.append(page)
    return pages


def _fkp_pages(runs) -> list[bytes]:
    out = []
    for page_runs in _page_runs(runs):
        page = bytearray(SECTOR)
        crun = len(page_runs)
        fcs = [r[0] for r in page_runs] + [page_runs[-1][1]]
        struct.pack_into(f"<{crun + 1}I", page, 0, *fcs)
        top, placed = 511, {}
        for i, (_, _, grpprl) in enumerate(page_runs):
            if grpprl not in placed:
                body = b"\0\0" + grpprl  # istd 0, then the properties
                if len(body) % 2:
                    papx = bytes([(len(body) + 1) // 2]) + body
                else:
                    papx = bytes([0, len(body) // 2]) + body
                top = (top - len(papx)) & ~1
                page[top:top + len(papx)] = papx
                placed[grpprl] = top // 2
            page[4 * (crun + 1) + 13 * i] = placed[grpprl]
        assert top >= 4 * (crun + 1) + 13 * crun, "FKP overflow"
        page[511] = crun
        out.append(bytes(page))
    return out


# -- the compound file -----------------------------------------------------------------------

def compound_file(streams: dict[str, bytes], *, directory_first: bool = False) -> bytes:
    """An OLE compound file (CFB version 3) holding the streams in its root storage.

    The streams come first and the directory and FAT after them, as LibreOffice writes
    them, or (``directory_first``) the other way round, so that a file cut short loses
    the end of a stream and keeps its directory.
    """
    names = list(streams)
    padded = []
    for name in names:
        # padded to 4096 bytes: a shorter stream would have to live in the mini stream
        data = streams[name] + bytes(max(0, 4096 - len(streams[name])))
        padded.append((len(data), data + bytes(-len(data) % SECTOR)))
    stream_sectors = sum(len(d) // SECTOR for _, d in padded)
    dir_count = -(-(128 * (len(names) + 1)) // SECTOR)
    fat_count = 1
    while stream_sectors + dir_count + fat_count > fat_count * 128:
        fat_count += 1
    if directory_first:
        dir_first, fat_first, streams_first = 0, dir_count, dir_count + fat_count
    else:
        streams_first, dir_first, fat_first = 0, stream_sectors, stream_sectors + dir_count
    chains, at = [], streams_first
    for _, data in padded:
        chains.append((at, len(data) // SECTOR))
        at += len(data) // SECTOR
    directory = _directory([(name, chains[i][0], padded[i][0]) for i, name in enumerate(names)])
    fat = [FREE] * (fat_count * 128)
    for first, count in [*chains, (dir_first, dir_count)]:
        for sector in range(first, first + count):
            fat[sector] = sector + 1 if sector + 1 < first + count else END_OF_CHAIN
    for sector in range(fat_first, fat_first + fat_count):
        fat[sector] = FAT_SECTOR
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    body = b"".join(d for _, d in padded)
    sectors = directory + fat_bytes + body if directory_first else body + directory + fat_bytes
    difat = [fat_first + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_count, dir_first, 0, 4096, END_OF_CHAIN, 0,
                            END_OF_CHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == SECTOR
    return header + sectors


def _directory(entries: list[tuple[str, int, int]]) -> bytes:
    """The root entry and the streams as a balanced tree (CFB compares length, then name)."""
    order = sorted(range(len(entries)),
                   key=lambda i: (len(entries[i][0]), entries[i][0].upper()))
    left, right = [NO_STREAM] * len(entries), [NO_STREAM] * len(entries)

    def build(ids: list[int]) -> int:
        if not ids:
            return NO_STREAM
        mid = len(ids) // 2
        node = ids[mid]
        left[node] = build(ids[:mid])
        right[node] = build(ids[mid + 1:])
        return node + 1  # directory ids: 0 is the root

    root_child = build(order)
    out = _dir_entry("Root Entry", 5, NO_STREAM, NO_STREAM, root_child, END_OF_CHAIN, 0)
    for i, (name, first, size) in enumerate(entries):
        out += _dir_entry(name, 2, left[i], right[i], NO_STREAM, first, size)
    while len(out) % SECTOR:
        out += _dir_entry("", 0, NO_STREAM, NO_STREAM, NO_STREAM, 0, 0)
    return out


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, first: int,
               size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", left, right, child) + bytes(16) + bytes(4) + bytes(16)
            + struct.pack("<IQ", first, size))


# -- fixtures ----------------------------------------------------------------------------------

def seed_blocks(seed: ff.Seed) -> list:
    """A seed report's blocks, its tables with the spans the other formats use."""
    return [seed.title] + [b if isinstance(b, str) else Table(b.rows, b.spans)
                           for b in seed.blocks]


def small_blocks() -> list:
    """A heading, a paragraph and a small section 二-like table with a merged label row."""
    return ["某县人民政府2021年政府信息公开工作年度报告", "一、总体情况",
            Table([["第二十条第（一）项", "", ""], ["信息内容", "本年新制作数量", "本年新公开数量"],
                   ["规章", "7", "8"]],
                  [(0, 0, 1, 3), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1),
                   (2, 1, 1, 1), (2, 2, 1, 1)]),
            "二、主动公开政府信息情况"]


def hostile_pieces(cps: list[int], chars: int = 100, fill: str = "政府信息公开") -> bytes:
    """A document whose piece table has the character positions ``cps`` (in any order),
    every piece reading the same ``chars`` characters (``fill`` repeated) at the start of
    the text."""
    text = (fill * chars)[:chars].encode("utf-16-le")
    count = len(cps) - 1
    plc = struct.pack(f"<{len(cps)}i", *cps) + struct.pack("<HIH", 0, TEXT_AT, 0) * count
    table = struct.pack("<BI", 2, len(plc)) + plc
    word = bytearray(TEXT_AT + len(text))
    word[TEXT_AT:] = text
    fib = _fib(LID_ZH_CN, F_WHICH_TABLE | F_COMPLEX, max(cps), 0, len(table), 0, 0)
    word[:len(fib)] = fib
    return compound_file({"WordDocument": bytes(word), "1Table": table})
