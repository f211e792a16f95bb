"""The Word 97 binary reader (.doc, and .wps, the same format): the seeds as LibreOffice
wrote them read back cell for cell and parse as their text versions; generated files for
what LibreOffice never writes (fast-saved pieces out of order, 8-bit GBK pieces, fields,
control characters, the encryption flag); damaged, truncated and hostile files."""

from __future__ import annotations

import random
import shutil
import struct
import time

import olefile
import pytest

import govopen
from govopen.errors import ParseError
from govopen.read import doc as doc_reader
from govopen.read.sources import load
from tests.support import doc_fixtures as df
from tests.support import format_fixtures as ff
from tests.support import seed_path

FORMATS = ff.ROOT / "tests" / "data" / "formats"
CELL_KEYS = ["table", "row", "column", "value", "status"]


def seed_doc(seed) -> str:
    return str(FORMATS / f"seed-{seed.name[:3]}.doc")


def cell_rows(report) -> list[tuple]:
    cells = report.cells[CELL_KEYS].astype(object)
    return list(cells.where(cells.notna(), None).itertuples(index=False, name=None))


# --- the seeds, as LibreOffice wrote them -------------------------------------------------------

def test_doc_seed_tables_cell_for_cell(seed):
    doc = load(seed_doc(seed))
    assert doc.format == "doc"
    assert ff.tab_rows(doc.text) == seed.expected_rows()
    lines = doc.text.splitlines()
    assert lines[0] == seed.title
    assert "五、存在的主要问题及改进情况" in lines


@pytest.mark.slow
def test_doc_seed_parses_as_its_text_version(seed):
    from_doc = govopen.parse_report(seed_doc(seed))
    from_text = govopen.parse_report(seed_path(seed.name[:3]))
    assert len(from_doc.cells) > 150
    assert cell_rows(from_doc) == cell_rows(from_text)


def test_wps_is_read_as_a_doc(tmp_path):
    """A Kingsoft .wps is the Word 97 format; the bytes decide, whatever the name (the
    same bytes parse as the text version in the test above)."""
    wps = tmp_path / "report.wps"
    shutil.copy(FORMATS / "seed-003.doc", wps)
    doc, original = load(wps), load(FORMATS / "seed-003.doc")
    assert doc.format == "doc" and doc.source == str(wps)
    assert doc.text == original.text
    assert ff.tab_rows(doc.text) == ff.load_seed(seed_path("003")).expected_rows()


# --- generated files ----------------------------------------------------------------------------

SMALL_TEXT = ("某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n第二十条第（一）项\t\t\n"
              "信息内容\t本年新制作数量\t本年新公开数量\n规章\t7\t8\n二、主动公开政府信息情况\n")


def test_generated_compound_file_opens_in_olefile_and_reads_back():
    data = df.word_doc(df.small_blocks())
    ole = olefile.OleFileIO(data)
    assert sorted(ole.listdir()) == [["1Table"], ["WordDocument"]]
    word = ole.openstream("WordDocument").read()
    assert struct.unpack_from("<H", word)[0] == 0xA5EC
    assert word[df.TEXT_AT:df.TEXT_AT + 4].decode("utf-16-le") == "某县"
    raw = df.compound_file({"Alpha": b"a" * 5000, "Beta": b"b" * 10, "WordDocument": b"w"})
    ole = olefile.OleFileIO(raw)
    assert ole.openstream("Alpha").read() == b"a" * 5000
    assert ole.openstream("Beta").read().rstrip(b"\0") == b"b" * 10
    doc = load(data)
    assert doc.format == "doc" and doc.text == SMALL_TEXT


def test_fast_saved_pieces_out_of_order(seed):
    """Many pieces, 8-bit and UTF-16 by turns, written to the file last first, a Prc before
    the piece table, footnote text after the main document: the seed comes back."""
    blocks = df.seed_blocks(seed)
    text, _ = df.main_text(blocks)
    cuts = tuple(range(37, len(text), 113))
    pieces = len(cuts) + 1
    data = df.word_doc(blocks, cuts=cuts, codepage="gb18030",
                       compressed=tuple(i % 2 == 0 for i in range(pieces)),
                       order=tuple(reversed(range(pieces))), flags=df.F_COMPLEX, prc=True,
                       after_main="\r脚注：本表数据截至12月31日 999\r")
    doc = load(data)
    assert ff.tab_rows(doc.text) == seed.expected_rows()
    assert "脚注" not in doc.text and "999" not in doc.text
    assert doc.text.splitlines()[0] == seed.title


def test_fast_saved_pieces_split_inside_cells_and_marks():
    text, _ = df.main_text(df.small_blocks())
    cuts = tuple(range(1, len(text)))  # one character a piece, in a shuffled order
    order = tuple(sorted(range(len(cuts) + 1), key=lambda i: (i * 7919) % (len(cuts) + 1)))
    data = df.word_doc(df.small_blocks(), cuts=cuts, order=order, flags=df.F_COMPLEX,
                       compressed=tuple(i % 3 == 0 for i in range(len(cuts) + 1)))
    assert load(data).text == SMALL_TEXT


def test_gbk_pieces_in_a_chinese_document():
    data = df.word_doc(df.small_blocks(), cuts=(30,), compressed=(True, True), codepage="gbk")
    assert load(data).text == SMALL_TEXT
    with olefile.OleFileIO(data) as ole:  # the text really is GBK bytes, not UTF-16
        word = ole.openstream("WordDocument").read()
    assert "某县人民政府".encode("gbk") in word
    assert "某县".encode("utf-16-le") not in word


def test_gbk_pieces_under_an_english_language_id():
    """Old editors wrote GBK into 8-bit pieces and named no Chinese language: the text,
    valid GB18030 with a report's words, is read as such, not as cp1252 mojibake."""
    data = df.word_doc(df.small_blocks(), compressed=(True,), codepage="gbk", lid=df.LID_EN_US)
    assert load(data).text == SMALL_TEXT


def test_cp1252_pieces_stay_cp1252():
    blocks = ["Café – “report” ½", "二、主动公开"]
    data = df.word_doc(blocks, cuts=(len(blocks[0]) + 1,), compressed=(True, False),
                       codepage="cp1252", lid=df.LID_EN_US)
    assert load(data).text == "Café – “report” ½\n二、主动公开\n"


def test_fields_keep_the_result_and_controls_become_text_rules():
    blocks = ["见\x13 HYPERLINK \"http://example.gov.cn/nb\" \x14年报专栏\x15。",
              "页码\x13 PAGE \x14\x13 = 1 + 1 \x142\x15\x15完",
              "第一页\x0c第二页", "图\x01片\x08说\x02明\x05", "甲\t乙\x1e丙\x1f丁", "行一\x0b行二",
              df.Table([["甲乙", "一\x0b二"], ["丙\x01", "3"]])]
    text = load(df.word_doc(blocks)).text
    assert text.splitlines() == ["见年报专栏。", "页码2完", "第一页", "第二页", "图片说明",
                                 "甲 乙-丙丁", "行一", "行二", "甲乙\t一 二", "丙\t3"]
    assert "HYPERLINK" not in text and "PAGE" not in text


def test_vertically_merged_cells_and_wide_cells_land_on_the_grid():
    table = df.Table([["三、本年度办理结果", "(一) 予以公开", "", "14"],
                      ["", "(二) 部分公开", "", "0"],
                      ["", "(三) 不予公开", "1.属于国家秘密", "0"]],
                     [(0, 0, 3, 1), (0, 1, 1, 2), (0, 3, 1, 1), (1, 1, 1, 2), (1, 3, 1, 1),
                      (2, 1, 1, 1), (2, 2, 1, 1), (2, 3, 1, 1)])
    text = load(df.word_doc(["三、收到和处理政府信息公开申请情况", table])).text
    assert ff.tab_rows(text) == table.rows


def test_nested_table_makes_the_outer_one_layout():
    """A report laid out inside a one-row table, its data table nested in a cell: the
    outer table is layout, read as blocks, the nested one as a table (as in DOCX)."""
    inner = df.Table([["信息内容", "本年新制作数量"], ["规章", "7"], ["规范性文件", "12"]])
    outer = df.Table([["一、总体情况 本年度", inner]])
    text = load(df.word_doc(["标题", outer, "二、主动公开"])).text
    # the line break in the layout cell is a new line, as in a DOCX layout cell
    assert text.splitlines() == ["标题", "一、总体情况", "本年度", "信息内容\t本年新制作数量",
                                 "规章\t7", "规范性文件\t12", "二、主动公开"]


# --- refused: password-protected, damaged, truncated, hostile -----------------------------------

def test_encrypted_doc_says_password_protected(tmp_path):
    path = ff.write_file(tmp_path, "locked.doc", df.word_doc(df.small_blocks(),
                                                             flags=df.F_ENCRYPTED))
    with pytest.raises(ParseError, match="password-protected") as e:
        load(path)
    assert str(path) in str(e.value) and "remove the protection" in str(e.value)


@pytest.mark.parametrize("cut", [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_seed_doc_names_the_file(tmp_path, cut):
    data = (FORMATS / "seed-000.doc").read_bytes()
    path = ff.write_file(tmp_path, "cut.doc", data[:int(len(data) * cut)])
    with pytest.raises(ParseError, match="truncated") as e:
        load(path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize("cut", [0.35, 0.5, 0.65, 0.9])
def test_truncated_inside_the_streams(cut):
    """The directory kept, a stream cut short: which stream, how much is there."""
    data = df.word_doc(df.small_blocks(), directory_first=True)
    with pytest.raises(ParseError, match=r"cut\.doc: Word file is truncated"):
        load(data[:int(len(data) * cut)], name="cut.doc")


@pytest.mark.parametrize(("patch", "pattern"), [
    ({0: b"\x00\x00"}, "not a Word document"),
    ({2: struct.pack("<H", 0x68)}, "Word 6/95 document"),
    ({0x0A: struct.pack("<H", 0)}, "table stream 0Table is missing"),
    ({0x1A2: struct.pack("<I", 10**6)}, "piece table lies outside"),
    ({0x1A6: struct.pack("<I", 3)}, "piece table cannot be read"),
    ({0x4C: struct.pack("<i", -5)}, "negative text length"),
    ({0x4C: struct.pack("<i", 5000)}, "pieces hold .* of the 5,000 characters"),
    ({0x106: struct.pack("<I", 0)}, "has tables but no paragraph properties"),
])
def test_damaged_doc_names_the_file_and_the_reason(tmp_path, patch, pattern):
    path = ff.write_file(tmp_path, "broken.doc", df.word_doc(df.small_blocks(), fib_patch=patch))
    with pytest.raises(ParseError, match=pattern) as e:
        load(path)
    assert str(path) in str(e.value)


def test_scribbled_file_reads_or_says_what_is_wrong():
    """Bytes overwritten all over (header, FIB, text, PAPX pages, piece table, directory,
    FAT): the reader gives text or a ParseError naming the file, never another error."""
    rng = random.Random(7)
    data = df.word_doc(df.small_blocks())
    refused = 0
    for offset in range(0, len(data), 61):
        broken = bytearray(data)
        broken[offset:offset + 16] = (b"\xff" * 16, rng.randbytes(16))[offset % 2]
        try:
            load(bytes(broken), name="scribbled.doc")
        except ParseError as e:
            assert "scribbled.doc" in str(e)
            refused += 1
    assert refused >= 5  # most of the file is padding, which no reader looks at


def test_hostile_text_length_refused_at_once():
    data = df.word_doc(df.small_blocks(), fib_patch={0x4C: struct.pack("<i", 2**31 - 1)})
    start = time.perf_counter()
    with pytest.raises(ParseError, match="over the limit"):
        load(data)
    assert time.perf_counter() - start < 1


def test_hostile_piece_table_out_of_order_refused():
    data = df.hostile_pieces([0, 50, 40, 200])
    with pytest.raises(ParseError, match="out of order"):
        load(data)


def test_hostile_piece_count_refused(monkeypatch):
    monkeypatch.setattr(doc_reader, "MAX_PIECES", 100)
    data = df.hostile_pieces(list(range(201)))
    with pytest.raises(ParseError, match="200 text pieces, over the limit of 100"):
        load(data)


def test_hostile_pieces_all_over_the_same_bytes_refused_quickly():
    """Twenty thousand pieces reading the same hundred characters again and again make
    two million characters of no report: refused, in well under a second or two."""
    data = df.hostile_pieces(list(range(0, 2_000_001, 100)))
    start = time.perf_counter()
    with pytest.raises(ParseError, match="not an annual report"):
        load(data)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("fill", ["\r", "\x07", "\x13\x15", "一\x0b"])
def test_hostile_text_of_marks_refused_before_reading_them(fill):
    """Two million paragraph marks, cell marks, fields or line breaks: counted, refused."""
    data = df.hostile_pieces(list(range(0, 2_000_001, 100)), fill=fill)
    start = time.perf_counter()
    with pytest.raises(ParseError, match="over 100,000 paragraph, cell and other marks"):
        load(data)
    assert time.perf_counter() - start < 1


def test_hostile_field_nesting_refused():
    data = df.word_doc(["\x13" * 500 + "x" + "\x15" * 500, "二、主动公开"])
    with pytest.raises(ParseError, match="nested over 64 deep"):
        load(data)


# --- deleted and hidden text --------------------------------------------------------------------

def revised_blocks() -> list:
    """A report whose old numbers are tracked deletions and whose stray ones are hidden,
    in a paragraph and in table cells; a deleted cell (its mark too) and a deleted row."""
    return ["一、总体情况", f"本年共受理申请{df.deleted('15')}17{df.hidden('99')}件。",
            df.Table([["信息内容", "本年新制作数量", "本年新公开数量"],
                      ["规章", df.deleted("6") + "7", "8" + df.hidden("5")],
                      ["规范性文件", "12", "3"],
                      ["其他", "4", "9"]],
                     deleted_rows={2}, deleted_cells={(3, 2)}),
            "二、主动公开政府信息情况"]


REVISED_TEXT = ("一、总体情况\n本年共受理申请17件。\n信息内容\t本年新制作数量\t本年新公开数量\n"
                "规章\t7\t8\n其他\t4\t\n二、主动公开政府信息情况\n")
UNREVISED_TEXT = ("一、总体情况\n本年共受理申请151799件。\n信息内容\t本年新制作数量\t本年新公开数量\n"
                  "规章\t67\t85\n规范性文件\t12\t3\n其他\t4\t9\n二、主动公开政府信息情况\n")


@pytest.mark.parametrize(("operand", "expected"), [
    (1, REVISED_TEXT), (0x81, REVISED_TEXT),       # on; the opposite of the style's (off)
    (0, UNREVISED_TEXT), (0x80, UNREVISED_TEXT),   # off; as the style, which is off
])
def test_deleted_and_hidden_text_left_out(operand, expected):
    """The same file with the flags on leaves out the old and the hidden numbers (a
    deleted cell reads as empty, a deleted row is gone); with them off reads them all."""
    assert load(df.word_doc(revised_blocks(), char_operand=operand)).text == expected


def test_deleted_and_hidden_text_across_fast_saved_pieces():
    """Pieces cut inside the deleted and hidden runs, 8-bit GBK and UTF-16 by turns and
    written last first: the runs of character properties are file offsets, mapped
    through the pieces."""
    text = df.written_text(revised_blocks())
    cuts = tuple(range(3, len(text), 4))
    pieces = len(cuts) + 1
    for operand, expected in ((1, REVISED_TEXT), (0, UNREVISED_TEXT)):
        data = df.word_doc(revised_blocks(), cuts=cuts, flags=df.F_COMPLEX, codepage="gbk",
                           compressed=tuple(i % 2 == 0 for i in range(pieces)),
                           order=tuple(reversed(range(pieces))), char_operand=operand)
        assert load(data).text == expected


def test_a_piece_property_deletes_or_hides_the_whole_piece():
    """A Prm0 (one sprm) or a Prm1 (a Prc's list) on a piece applies to all its text, and
    turned off it overrides the text's own properties."""
    blocks = ["本年共受理申请1517件。", "二、主动公开"]
    old_number = (7, 9)  # "15": piece 1
    deleting = df.prm0(df.ISPRM_RMARK_DEL, 1)
    data = df.word_doc(blocks, cuts=old_number, piece_prms=(0, deleting))
    assert load(data).text == "本年共受理申请17件。\n二、主动公开\n"
    hiding = struct.pack("<HB", df.SPRM_VANISH, 1)
    data = df.word_doc(blocks, cuts=old_number, prc=True, prcs=(hiding,),
                       piece_prms=(0, df.prm1(1)))
    assert load(data).text == "本年共受理申请17件。\n二、主动公开\n"
    shown = df.prm0(df.ISPRM_VANISH, 0)  # the piece says not hidden: the text is shown
    blocks = [f"本年共受理申请{df.hidden('15')}17件。", "二、主动公开"]
    data = df.word_doc(blocks, cuts=old_number, piece_prms=(0, shown))
    assert load(data).text == "本年共受理申请1517件。\n二、主动公开\n"
    assert load(df.word_doc(blocks)).text == "本年共受理申请17件。\n二、主动公开\n"


def test_libreoffice_tracked_deletion_and_hidden_text_left_out():
    """A Word 97 file LibreOffice wrote from a DOCX with tracked deletions (w:del) and
    hidden text (w:vanish), which it keeps as sprmCFRMarkDel and sprmCFVanish."""
    path = FORMATS / "deleted-and-hidden.doc"
    with olefile.OleFileIO(str(path)) as ole:  # the old numbers are in the file's text
        word = ole.openstream("WordDocument").read()
    assert "申请1517".encode("utf-16-le") in word and "规章\x076".encode("utf-16-le") in word
    doc = load(path)
    assert doc.format == "doc"
    assert doc.text == ("某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本年共受理申请17件。\n"
                        "信息内容\t本年新制作数量\t本年新公开数量\n规章\t7\t8\n二、主动公开政府信息情况\n")


@pytest.mark.parametrize(("where", "patch", "pattern"), [
    ("plc", struct.pack("<I", 10**6), "character properties, which say what text is deleted"),
    ("page", b"\x00", "page of character properties is malformed"),
    ("page", b"\xc8", "page of character properties is malformed"),
    ("pn", struct.pack("<I", 10**5), "page of character properties lies past the end"),
])
def test_damaged_character_properties_name_the_file(where, patch, pattern):
    data = df.word_doc(revised_blocks())
    with olefile.OleFileIO(data) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        table = ole.openstream("1Table").read()
    fc_chpx, lcb_chpx = struct.unpack_from("<II", word, 0x9A + 8 * 12)
    if where == "plc":
        word[0x9A + 8 * 12 + 4:0x9A + 8 * 12 + 8] = patch
    else:
        count = (lcb_chpx - 4) // 8
        pn_at = fc_chpx + 4 * (count + 1)
        pn = struct.unpack_from("<I", table, pn_at)[0]
        if where == "page":
            word[pn * 512 + 511:pn * 512 + 512] = patch
        else:
            table = table[:pn_at] + patch + table[pn_at + 4:]
    broken = df.compound_file({"WordDocument": bytes(word), "1Table": table})
    with pytest.raises(ParseError, match=pattern) as e:
        load(broken, name="revised.doc")
    assert "revised.doc" in str(e.value)


def test_hostile_run_count_refused(monkeypatch):
    monkeypatch.setattr(doc_reader, "MAX_CHPX_RUNS", 5)
    with pytest.raises(ParseError, match="over 5 runs of character properties"):
        load(df.word_doc(revised_blocks()))
