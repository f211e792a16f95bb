"""The DOCX reader: seeds rebuilt with python-docx (merged cells) read back cell for cell;
Word features (vMerge, gridSpan, gridBefore, hidden/deleted text); hostile files."""

from __future__ import annotations

import contextlib
import re
import time

import pytest

from govopen.errors import ParseError
from govopen.read.sources import load
from tests.support import format_fixtures as ff
from tests.support.docx_fixtures import padded_docx, patch_docx, small_docx, with_doctype

# --- DOCX -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_docx_seed_tables_cell_for_cell(seed, tmp_path):
    doc = load(ff.write_file(tmp_path, f"{seed.name}.docx", ff.seed_docx(seed)))
    assert doc.format == "docx"
    assert ff.tab_rows(doc.text) == seed.expected_rows()
    lines = doc.text.splitlines()
    assert lines[0] == seed.title
    assert any(line == "五、存在的主要问题及改进情况" for line in lines)


def test_docx_billion_laughs_refused():
    doctype = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{ff.billion_laughs()}]>'
    data = patch_docx(small_docx(), "word/document.xml",
                       lambda x: with_doctype(x, doctype, "&lol9;"))
    start = time.perf_counter()
    with pytest.raises(ParseError, match="declares a DTD") as e:
        load(data)
    assert time.perf_counter() - start < 2
    assert "lollol" not in str(e.value)
    assert "damaged" not in str(e.value)  # said once, with its own advice


def test_docx_external_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    data = patch_docx(small_docx(), "word/document.xml",
                       lambda x: with_doctype(x, doctype, "&xxe;"))
    with pytest.raises(ParseError, match="declares a DTD") as e:
        load(data)
    assert "TOPSECRET" not in str(e.value)


def test_docx_entities_are_inert_past_the_gate(tmp_path, monkeypatch):
    """Were the DTD gate gone, python-docx's parser would still neither expand nor fetch."""
    from govopen.read import docx as docx_reader

    monkeypatch.setattr(docx_reader, "check_zip", lambda data, label: None)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    data = patch_docx(small_docx(), "word/document.xml",
                       lambda x: with_doctype(x, doctype, "&xxe;"))
    text = docx_reader.docx_to_text(data, "x")
    assert "TOPSECRET" not in text and "行政许可\t7\t8" in text
    doctype = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{ff.billion_laughs()}]>'
    bomb = patch_docx(small_docx(), "word/document.xml",
                       lambda x: with_doctype(x, doctype, "&lol9;"))
    with contextlib.suppress(ParseError):  # recent libxml2 stops the amplification itself;
        assert "lollol" not in docx_reader.docx_to_text(bomb, "x")  # older ones leave it be


def test_docx_zip_bomb_refused():
    with pytest.raises(ParseError, match="over the limit of 50 MiB"):
        load(padded_docx(51 * 2**20))


def test_docx_absurd_compression_ratio_refused():
    with pytest.raises(ParseError, match="zip bomb"):
        load(padded_docx(4 * 2**20))


def test_docx_word_features():
    """vMerge/gridSpan/gridBefore, hidden and deleted text, tracked insertions, tabs."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = f"""<w:body {w}>
      <w:p><w:r><w:t>正文</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
        <w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>
        <w:r><w:tab/><w:t>续</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>
      <w:tbl>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、本年度办理结果</w:t></w:r></w:p></w:tc>
              <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
              <w:tc><w:p><w:r><w:t>结果</w:t></w:r><w:r><w:br/><w:t>维持</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p><w:p><w:r><w:t>23</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
              <w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>
              <w:tc><w:p><w:r><w:t> </w:t></w:r></w:p></w:tc></w:tr>
      </w:tbl>
      <w:sectPr/></w:body>"""

    def edit(xml: bytes) -> bytes:
        return re.sub(rb"<w:body>.*</w:body>", body.replace(f" {w}", "").encode(), xml, flags=re.S)

    text = load(patch_docx(small_docx(), "word/document.xml", edit)).text
    assert text.splitlines() == [
        "正文插入 续", "下一行",
        "三、本年度办理结果\t0\t",
        "\t结果 维持\t1 23",           # a second paragraph in a cell: one space, never 123
        "\t甲\t",
    ]


def test_docx_damaged():
    with pytest.raises(ParseError, match="damaged"):
        load(small_docx()[:-200])


def test_docx_with_a_corrupt_deflate_stream_is_damaged():
    """Found by fuzzing: bytes overwritten inside a compressed part raised zlib.error."""
    from tests.support import synth

    data = synth.report(21, "docx").as_bytes()
    at = len(data) // 2
    broken = data[:at] + b"\0\0\x008" + data[at + 4:]
    with pytest.raises(ParseError, match="damaged"):
        load(broken)
