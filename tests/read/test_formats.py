"""The HTML reader and the shared text rules: every seed report, rebuilt as a web page,
reads back to the same table rows, cell for cell; encodings, web clutter, hostile pages;
and the messages for the formats govopen cannot read."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from govopen.errors import ParseError
from govopen.read._text import Grid, collapse
from govopen.read.html import decode_html, html_bytes_to_text, html_to_text
from govopen.read.sources import load
from tests.support import format_fixtures as ff
from tests.support import seed_path

# --- shared text rules ----------------------------------------------------------------------

def test_collapse_rules():
    assert collapse("  结果\x1f维持 ") == "结果 维持"          # <br/>: one space, kept
    assert collapse("结果\n   维持") == "结果维持"             # a wrapped source line
    assert collapse("规章\n 12") == "规章 12"                  # ... but not next to a digit
    assert collapse("\u00a0") == "" and collapse("\u3000 ") == ""
    assert collapse("1\u00a023") == "1 23"                     # never joins two numbers
    assert collapse("a\u200bb") == "ab"
    assert collapse("x\t\ty") == "x y"


def test_grid_spans_text_once():
    grid = Grid()
    grid.place(0, 0, "三、本年度办理结果", rowspan=3)
    grid.place(0, 1, "0", colspan=3)
    grid.place(1, grid.next_free(1, 0), "a")
    grid.place(2, grid.next_free(2, 0), "b")
    assert grid.rows() == [["三、本年度办理结果", "0", "", ""], ["", "a", "", ""], ["", "b", "", ""]]


# --- HTML -----------------------------------------------------------------------------------

def test_html_seed_tables_cell_for_cell(seed, tmp_path):
    page = ff.seed_html(seed, charset_meta="utf-8")
    doc = load(ff.write_file(tmp_path, f"{seed.name}.html", page.encode("utf-8")))
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert ff.tab_rows(doc.text) == seed.expected_rows()


@pytest.mark.parametrize("declared", [None, "utf-8", "iso-8859-1"])
def test_html_gbk_page_undeclared_or_misdeclared(seed, tmp_path, declared):
    page = ff.seed_html(seed, charset_meta=declared, layout_table=declared is None)
    data = page.encode("gbk", errors="xmlcharrefreplace")
    doc = load(ff.write_file(tmp_path, f"{seed.name}.htm", data))
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert ff.tab_rows(doc.text) == seed.expected_rows()


def test_html_utf8_page_declared_gb2312(tmp_path):
    seed = ff.load_seed(seed_path("000"))
    data = ff.seed_html(seed, charset_meta="gb2312").encode("utf-8")
    text, encoding = decode_html(data, "x")
    assert encoding == "utf-8" and "本年度办理结果" in text


def test_html_declared_gb2312_with_gbk_only_characters():
    page = '<html><head><meta charset="gb2312"></head><body><p>政府信息公开 镕 喆</p></body></html>'
    assert "镕 喆" in html_bytes_to_text(page.encode("gbk"), "x")


def test_html_given_as_text():
    seed = ff.load_seed(seed_path("003"))
    doc = load(ff.seed_html(seed, charset_meta="gbk"))  # a str: its declaration is moot
    assert doc.format == "html"
    assert ff.tab_rows(doc.text) == seed.expected_rows()


def test_html_clutter_dropped_text_kept_in_order(tmp_path):
    seed = ff.load_seed(seed_path("000"))
    text = html_to_text(ff.seed_html(seed), "x")
    for clutter in ("返回首页", "扫一扫", "脚本文字", "gklist", "99\t98", "样式 777", "隐藏文字",
                    "网站标识码", "主办单位", "打印本页", "关闭窗口", "当前位置", "政务公开\n",
                    "9 9 9", "网站首页", "长者模式", "分享到"):
        assert clutter not in text, clutter
    lines = text.splitlines()
    assert lines[0].startswith(seed.title)                      # <title>
    assert "发布时间：2021-01-19" in lines
    first_para = next(b for b in seed.blocks if isinstance(b, str) and len(b) > 40)
    first_tab = next(i for i, ln in enumerate(lines) if "\t" in ln)
    assert lines.index(first_para) < first_tab
    assert lines.index("五、存在的主要问题及改进情况") > first_tab


def test_html_spans_are_expanded_once():
    seed = ff.load_seed(seed_path("000"))
    page = ff.seed_html(seed)
    assert 'rowspan="21"' in page or 'rowspan="2' in page
    assert "colspan=3>0</td>" in page or 'colspan=3><font class="font0" face="宋体">0' in page
    rows = ff.tab_rows(html_to_text(page, "x"))
    assert ["行政许可", "0", "", ""] in rows                    # colspan=3: 0 once, not 0,0,0
    outcome = [r for r in rows if r[0] == "三、本年度办理结果"]
    assert len(outcome) == 1


def test_html_real_page_shapes():
    page = """<html><body><table>
    <tr><td rowspan="3" colspan="3">(本列数据的勾稽关系为)</td><td colspan="7">申请人情况</td></tr>
    <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
    <tr><td>商业<br/>企业</td><td>科研
        机构</td><td><p>社会公益</p><p>组织</p></td><td>法律服务机构</td><td>&nbsp;</td></tr>
    <tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
        <td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
    <tr><td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>-</td>
        <td></td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
    </table></body></html>"""
    assert ff.tab_rows(html_to_text(page, "x")) == [
        ["(本列数据的勾稽关系为)", "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业 企业", "科研机构", "社会公益 组织", "法律服务机构", "", ""],
        ["三、本年度办理结果", "（一）予以公开", "", "1", "0", "0", "0", "0", "0", "1"],
        ["", "（三）不予公开", "1.属于国家秘密", "0", "-", "", "0", "0", "0", "0"],
    ]


def test_html_split_over_tables_and_single_table():
    page = ("<html><body><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td>"
            "<td>0</td></tr></table><table><tr><td>行政许可</td><td colspan=2>5</td></tr></table>"
            "<table><tr><td>行政处罚</td><td>1</td><td>2</td></tr></table></body></html>")
    lines = html_to_text(page, "x").splitlines()
    assert lines == ["二、主动公开政府信息情况", "规章\t0\t0", "行政许可\t5\t", "行政处罚\t1\t2"]


def test_html_layout_tables_are_read_as_blocks():
    page = ("<html><body><table><tr><td><p>一、总体情况</p><p>正文。</p>"
            "<table><tr><td>规章</td><td>3</td></tr></table></td></tr></table>"
            "<table><tr><td>只有一列</td></tr><tr><td>第二段</td></tr></table></body></html>")
    assert html_to_text(page, "x").splitlines() == ["一、总体情况", "正文。", "规章\t3", "只有一列",
                                                      "第二段"]


def test_html_billion_laughs_not_expanded():
    lol = ff.billion_laughs()
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol0 "lol">{lol}]>'
            "<html><body><p>开始&lol9;结束</p><table><tr><td>&lol9;</td><td>1</td></tr></table>"
            "</body></html>")
    start = time.perf_counter()
    text = html_bytes_to_text(page.encode("utf-8"), "x")
    assert time.perf_counter() - start < 2
    assert len(text) < 200 and "lollol" not in text
    assert "开始" in text and "结束" in text


def test_html_external_entity_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
            "<html><body><p>甲&xxe;乙</p><table><tr><td>&xxe;</td><td>2</td></tr></table>"
            "</body></html>")
    text = html_bytes_to_text(page.encode("utf-8"), "x")
    assert "TOPSECRET" not in text and "甲" in text


def test_html_frames_only_page_says_where_the_report_is():
    page = '<html><head><title>t</title></head><body><iframe src="/nb/2021.html"></iframe></body></html>'
    with pytest.raises(ParseError, match="frame.*/nb/2021.html"):
        html_to_text(page, "x")


def test_html_too_deep_is_refused():
    page = "<html><body>" + "<div>" * 400 + "x" + "</div>" * 400 + "</body></html>"
    with pytest.raises(ParseError, match="limits"):
        html_to_text(page, "x")


# --- formats govopen cannot read, and a broken .doc ------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_with(stream: str) -> bytes:
    data = bytearray(_OLE + b"\0" * (1024 - len(_OLE)))
    entry = (stream + "\0").encode("utf-16-le")
    data[512:512 + len(entry)] = entry
    return bytes(data)


@pytest.mark.parametrize(("data", "pattern"), [
    (_ole_with("PowerPoint Document"), r"Old binary Office files other than Word.*\.docx"),
    (_OLE + b"\0" * 600, r"Office file is truncated or damaged.*re-download it"),
    # a .doc is read (tests/read/test_formats_doc.py); a broken one says so
    (_ole_with("WordDocument"), r"Word file is damaged or truncated.*re-download it"),
    (_ole_with("Workbook"), r"Excel.*tab-delimited text"),
    (_ole_with("EncryptedPackage"), r"[Pp]assword-protected.*remove the protection"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, r"Image.*OCR"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 100, r"Image.*OCR"),
    (b"{\\rtf1\\ansi\\ansicpg936 \\'d5\\'fe}", r"RTF.*\.docx"),
])
def test_unreadable_formats_say_what_to_do(tmp_path, data, pattern):
    path = ff.write_file(tmp_path, "report.doc", data)
    with pytest.raises(ParseError, match=pattern) as e:
        load(path)
    assert str(path) in str(e.value)


def test_xlsx_and_ofd_and_other_zip():
    # an OFD is read now: this one's OFD.xml is not XML
    for member, pattern in (("xl/workbook.xml", "Excel workbooks"), ("OFD.xml", "OFD part 'OFD.xml'"),
                            ("readme.txt", "ZIP archives")):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(member, "x")
        with pytest.raises(ParseError, match=pattern):
            load(buf.getvalue())


def test_bytes_over_the_limit(monkeypatch):
    import govopen.read.sources as sources

    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(ParseError, match="over the 0 MiB limit|limit"):
        load(b"<html>" + b"x" * 2000)
