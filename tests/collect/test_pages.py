"""The pure parts of the collector: years, titles, links, pagination, JavaScript pages,
the SITES file and the manifest."""

from __future__ import annotations

import pytest

from govopen.collect import read_manifest, read_sites
from govopen.collect.manifest import ManifestRow, saved_name, write_manifest
from govopen.collect.pages import (
    attachment_links,
    claimed_year,
    is_report_title,
    pagination,
    read_page,
    report_links,
)
from govopen.collect.polite import DEFAULT_DELAY, Politeness, user_agent
from govopen.errors import ParseError
from tests.support.fake_cms import JS_PAGE


@pytest.mark.parametrize("text, year", [
    ("2023年政府信息公开工作年度报告", 2023),
    ("某某县人民政府2019年度政府信息公开工作年度报告", 2019),
    ("二〇二三年政府信息公开工作年度报告", 2023),
    ("二零二一年度政府信息公开年报", 2021),
    ("政府信息公开工作年度报告", None),
    ("关于2020年第12号文件", 2020),
])
def test_claimed_year(text, year):
    assert claimed_year(text) == year


@pytest.mark.parametrize("text, is_report", [
    ("伊川县人民政府2020年政府信息公开工作年度报告", True),
    ("2021年政务公开工作年度报告", True),
    ("政府信息公开年报", True),
    ("关于做好2020年防汛工作的通知", False),
    ("2020年国民经济和社会发展统计公报", False),
    ("政府信息公开指南", False),
])
def test_report_titles(text, is_report):
    assert is_report_title(text) is is_report


def test_links_relative_protocol_relative_and_base():
    page = read_page(
        b"<html><head><base href='http://x.gov.cn/col/'></head><body>"
        b"<a href='a.html'>a</a><a href='/b.html'>b</a><a href='//y.gov.cn/c.html'>c</a>"
        b"<a href='https://z.gov.cn/d.html#top'>d</a><a href='javascript:void(0)'>e</a>"
        b"<a href='mailto:x@y'>f</a></body></html>", "http://x.gov.cn/other/page.html")
    assert [link.url for link in page.links] == [
        "http://x.gov.cn/col/a.html", "http://x.gov.cn/b.html", "http://y.gov.cn/c.html",
        "https://z.gov.cn/d.html"]


def test_gbk_page_declared_utf8_decodes():
    body = "<html><head><meta charset='utf-8'><title>2020年政府信息公开工作年度报告</title>" \
           "</head><body><p>本年度政府信息公开申请情况</p></body></html>"
    page = read_page(body.encode("gbk"), "http://x/")
    assert page.title == "2020年政府信息公开工作年度报告"
    assert page.encoding == "gb18030"


def test_pagination_words_numbers_and_create_page_html():
    html = ("<html><body><a href='/'>首页</a><a href='list_2.html'>下一页</a>"
            "<a href='list_9.html'>尾页</a><a href='list_3.html'>3</a>"
            "<a href='http://other.host/list_4.html'>4</a><a href='x.html'>更多</a>"
            "<script>createPageHTML(3, 0, \"index\", \"shtml\");</script></body></html>")
    page = read_page(html.encode(), "http://h/col/index.shtml")
    assert pagination(page, "http://h/col/index.shtml") == [
        "http://h/col/list_2.html", "http://h/col/list_9.html", "http://h/col/list_3.html",
        "http://h/col/index_1.shtml", "http://h/col/index_2.shtml"]


def test_report_and_attachment_links():
    html = ("<html><body><a href='r.html'>县政府2022年政府信息公开工作年度报告</a>"
            "<a href='n.html'>通知</a><a href='f/x.PDF'>正文</a>"
            "<a href='download.jsp?id=3'>附件：年报.wps</a><a href='download.jsp?id=4'>下载</a>"
            "<a href='img/s.jpg'>扫描件</a><a href='/cms/DownFile.aspx?fid=9'>下载</a>"
            "<a href='/attach/'>附件</a></body></html>")
    page = read_page(html.encode(), "http://h/a/")
    assert [link.url for link in report_links(page)] == ["http://h/a/r.html"]
    assert [link.url for link in attachment_links(page)] == [
        "http://h/a/f/x.PDF", "http://h/a/download.jsp?id=3", "http://h/a/download.jsp?id=4",
        "http://h/a/img/s.jpg", "http://h/cms/DownFile.aspx?fid=9", "http://h/attach/"]


def test_javascript_pages_are_told_apart():
    assert read_page(JS_PAGE.encode(), "http://h/").needs_javascript
    bare = b"<html><body><div id='root'></div><script>" + b"x=1;" * 40 + b"</script></body></html>"
    assert read_page(bare, "http://h/").needs_javascript
    ordinary = "<html><body><p>本机关2020年度政府信息公开工作情况如下，共收到申请十件。" \
               "</p><a href='a'>一</a><a href='b'>二</a><script>var a=1;</script></body></html>"
    assert not read_page(ordinary.encode(), "http://h/").needs_javascript


def test_sites_file_errors_name_the_file_and_the_fault(tmp_path):
    good = tmp_path / "sites.csv"
    good.write_text("机关,网址,备注\n某县政府,http://x.gov.cn/nb/,\n", encoding="utf-8-sig")
    assert [(s.agency, s.url, s.host) for s in read_sites(good)] == [
        ("某县政府", "http://x.gov.cn/nb/", "x.gov.cn")]
    cases = {
        "no-url.csv": ("agency,homepage\n某县,http://x/\n", "no url column"),
        "bad-url.csv": ("agency,url\n某县,x.gov.cn/nb\n", "row 2: 'x.gov.cn/nb' is not an http"),
        "empty.csv": ("", "SITES file is empty"),
        "header-only.csv": ("agency,url\n", "has a header but no sites"),
    }
    for name, (text, reason) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ParseError) as e:
            read_sites(path)
        assert name in str(e.value) and reason in str(e.value), str(e.value)
    binary = tmp_path / "sites.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe\x00\x01")
    with pytest.raises(ParseError, match="sites.xlsx.*not a text CSV"):
        read_sites(binary)
    with pytest.raises(ParseError, match="missing.csv.*cannot be read"):
        read_sites(tmp_path / "missing.csv")


def test_manifest_round_trip(tmp_path):
    rows = [ManifestRow("乙", "report", "http://h/b", "http://h/b2", 200, "2026-01-01T00:00:00Z",
                        "text/html", "utf-8", 10, "ab" * 32, "reports/乙/x.html", 2021,
                        "乙2021年政府信息公开工作年度报告", "html", '"e1"', ""),
            ManifestRow("甲", "attachment", "http://h/a", "http://h/a", 200, "2026-01-01T00:00:00Z",
                        "application/pdf", "", 5, "cd" * 32, "reports/甲/y.pdf", None)]
    write_manifest(tmp_path / "manifest.csv", rows)
    back = read_manifest(tmp_path / "manifest.csv")
    assert [r.agency for r in back] == ["乙", "甲"]  # sorted by agency, then URL
    assert back[0] == rows[0] and back[1] == rows[1]
    assert back[0].abs_path == tmp_path / "reports/乙/x.html" and back[1].year is None
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ParseError, match="other.csv.*not a govopen manifest"):
        read_manifest(tmp_path / "other.csv")


def test_saved_names_are_stable_and_safe():
    one = saved_name("report", "某县/人民政府", "http://h/a/2020.html?x=1", ".html")
    assert one == saved_name("report", "某县/人民政府", "http://h/a/2020.html?x=1", ".html")
    assert one != saved_name("report", "某县/人民政府", "http://h/a/2020.html?x=2", ".html")
    assert one.startswith("reports/某县_人民政府/") and one.endswith("-2020.html")
    assert saved_name("list", "甲", "http://h/", ".html").startswith("lists/甲/")


def test_politeness_defaults():
    p = Politeness()
    assert DEFAULT_DELAY >= 1 and p.delay >= 1
    assert p.retries >= 1 and p.max_requests is None
    ua = user_agent("someone@example.org")
    assert ua.startswith("govopen/") and "contact: someone@example.org" in ua and ua.isascii()
