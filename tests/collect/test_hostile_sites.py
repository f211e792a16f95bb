"""What a hostile or broken site or manifest cannot do: write outside the output folder,
hide its robots.txt behind a redirect, stop a site with one bad response or link, or leave
a WARC that loses what is appended to it."""

from __future__ import annotations

import gzip

import pytest

from govopen.cli import main
from govopen.collect import read_manifest
from govopen.collect.collect import collect
from govopen.collect.manifest import MANIFEST, ManifestRow, is_inside, sha256, write_manifest
from govopen.collect.polite import Disallowed, FetchFailed, PoliteClient, Politeness
from govopen.collect.sites import Site
from govopen.collect.warc import WarcRecorder, complete_length, normal_url, read_warc
from govopen.errors import ParseError
from tests.support.fake_cms import FakeCMS, list_page

QUICK = Politeness(delay=0.0, timeout=1, retries=1, backoff=0.0)
TITLE = "某县2023年政府信息公开工作年度报告"


def _row(path: str, data: bytes, url: str = "http://site.example/a.pdf") -> ManifestRow:
    return ManifestRow(agency="甲", kind="attachment", source_url=url, final_url=url,
                       status=200, fetched_at="", content_type="application/pdf", charset="",
                       size=len(data), sha256=sha256(data), path=path)


@pytest.mark.parametrize("path", ["../outside.pdf", "/tmp/outside.pdf", "reports/../../x.pdf",
                                  "reports\\..\\x.pdf", "C:/x.pdf", " reports/a.pdf"])
def test_a_manifest_path_that_leaves_its_folder_is_refused(tmp_path, path):
    assert not is_inside(path)
    write_manifest(tmp_path / MANIFEST, [_row(path, b"%PDF")])
    with pytest.raises(ParseError, match="outside its folder"):
        read_manifest(tmp_path / MANIFEST)
    out = tmp_path / "out"
    assert main(["fetch", str(tmp_path / MANIFEST), "-o", str(out), "--no-progress"]) == 2
    assert not out.exists() and not (tmp_path.parent / "outside.pdf").exists()


def test_an_inside_path_is_allowed():
    assert is_inside("reports/甲/0a1b-年报.pdf") and is_inside("a.pdf")


def test_fetch_never_rewrites_the_manifest_it_reads(tmp_path, capsys):
    write_manifest(tmp_path / MANIFEST, [_row("a.pdf", b"%PDF")])
    before = (tmp_path / MANIFEST).read_bytes()
    assert main(["fetch", str(tmp_path / MANIFEST), "-o", str(tmp_path), "--no-progress"]) == 2
    assert "new output folder" in capsys.readouterr().err
    assert (tmp_path / MANIFEST).read_bytes() == before


@pytest.mark.parametrize("hops", [1, 2])
def test_robots_txt_behind_redirects_is_still_obeyed(hops):
    cms = FakeCMS()
    chain = ["/robots.txt", *[f"/r{k}" for k in range(hops)]]
    for here, there in zip(chain, chain[1:], strict=False):
        cms.add(here, status=301, location=there)
    cms.add(chain[-1], "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    cms.add("/private/a.html", "<html><body>secret</body></html>")
    cms.add("/open.html", "<html><body>open</body></html>")
    cms.start()
    try:
        with PoliteClient(QUICK) as client:
            assert client.get(cms.base + "/open.html").status == 200
            with pytest.raises(Disallowed):
                client.get(cms.base + "/private/a.html")
    finally:
        cms.stop()
    assert not cms.requests("/private/a.html")


def test_a_broken_response_fails_its_file_not_the_site(tmp_path):
    cms = FakeCMS()
    cms.add("/nb/", list_page("年报", [(TITLE, "a.pdf"), ("坏链接", "http://[bad/"),
                                        ("某县2022年政府信息公开工作年度报告", "b.pdf")]))
    # a body that says it is gzip and is not
    cms.add("/nb/a.pdf", b"not gzip at all", content_type="application/pdf",
            headers={"Content-Encoding": "gzip"})
    cms.add("/nb/b.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", content_type="application/pdf")
    cms.start()
    try:
        result = collect([Site("某县", cms.base + "/nb/")], tmp_path, politeness=QUICK,
                         progress=False)
        with PoliteClient(QUICK) as client, pytest.raises(FetchFailed, match="unusable"):
            client.get(cms.base + "/nb/a.pdf")
    finally:
        cms.stop()
    assert sorted(r.year for r in result.rows if r.kind != "list") == [2022]
    assert len(result.problems) == 1 and "a.pdf" in result.problems[0].url
    assert len(cms.requests("/nb/a.pdf")) == 2  # the collect and the client: never retried


def test_warc_urls_compare_as_sent():
    raw = "http://h.gov.cn:80/xxgk/附件/../附件/2023年 报.pdf"
    assert normal_url(raw) == normal_url("http://h.gov.cn/xxgk/%E9%99%84%E4%BB%B6/"
                                         "2023%E5%B9%B4%20%E6%8A%A5.pdf")


def test_fetch_from_a_warc_finds_a_chinese_url_and_the_body_with_its_hash(tmp_path):
    cms = FakeCMS()
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"
    cms.add("/nb/", list_page("年报", [(TITLE, "附件/2023年报.pdf")]))
    cms.add("/nb/%E9%99%84%E4%BB%B6/2023%E5%B9%B4%E6%8A%A5.pdf", pdf,
            content_type="application/pdf")
    cms.start()
    warc = tmp_path / "crawl.warc.gz"
    try:
        collect([Site("某县", cms.base + "/nb/")], tmp_path / "c", politeness=QUICK,
                warc=warc, progress=False)
    finally:
        cms.stop()
    rows = [r for r in read_manifest(tmp_path / "c" / MANIFEST) if r.kind != "list"]
    assert len(rows) == 1 and "附件" in rows[0].source_url
    assert main(["fetch", str(tmp_path / "c" / MANIFEST), "-o", str(tmp_path / "r"),
                 "--warc", str(warc), "--no-progress"]) == 0
    assert (tmp_path / "r" / rows[0].path).read_bytes() == pdf


def _exchange(cms_url: str, body: bytes):
    import httpx

    request = httpx.Request("GET", cms_url)
    return request, httpx.Response(200, headers={"Content-Type": "text/plain"},
                                   content=body, request=request), body


def test_a_warc_a_killed_run_cut_short_is_repaired_before_it_is_appended_to(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    w = WarcRecorder(path, "govopen test")
    for k in range(3):
        w(*_exchange(f"http://h.example/{k}", bytes([k]) * 5000))
    w.close()
    whole = path.stat().st_size
    with open(path, "r+b") as f:  # killed in the middle of the last record
        f.truncate(whole - 300)
    assert complete_length(path) < whole - 300
    w = WarcRecorder(path, "govopen test")
    w(*_exchange("http://h.example/new", b"after the kill"))
    w.close()
    found = read_warc(path)
    assert found["http://h.example/new"] == [b"after the kill"]
    assert found["http://h.example/0"] == [bytes([0]) * 5000]
    assert "http://h.example/2" not in found  # the half record is gone, not half-read


def test_a_file_that_is_not_a_gzipped_warc_is_never_cut(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_bytes(b"WARC/1.1\r\nmy own notes\r\n")
    with pytest.raises(ParseError, match="not a gzipped WARC"):
        WarcRecorder(path, "govopen test")
    assert path.read_bytes() == b"WARC/1.1\r\nmy own notes\r\n"
    gz = tmp_path / "x.warc.gz"
    gz.write_bytes(gzip.compress(b"a") + gzip.compress(b"b"))
    assert complete_length(gz) == gz.stat().st_size

