"""A collect of the fake CMS: what is saved and skipped, politeness from the server's
log, retries, the cap, conditional re-runs, the manifest's hashes, and the saved reports
parsed."""

from __future__ import annotations

import argparse
import importlib.util
from urllib.parse import urlsplit

import pytest

import govopen
from govopen.collect import add_collect_commands, read_manifest
from govopen.collect.collect import collect
from govopen.collect.manifest import MANIFEST, file_sha256
from govopen.collect.polite import DEFAULT_DELAY, Politeness
from govopen.collect.sites import Site, read_sites
from govopen.files import TMP_PREFIX
from tests.support import seed_path
from tests.support.fake_cms import (
    FIXTURE_SEEDS,
    FIXTURE_SKIPPED,
    FIXTURE_TRUTH,
    SLOW_PATH,
    build_site_fixture,
)

from .conftest import FAST


def _key(cms, url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = "a" if parts.netloc == cms.a.host else "b" if parts.netloc == cms.b.host else "?"
    return host, parts.path + (f"?{parts.query}" if parts.query else "")


def _server(cms, letter):
    return cms.a if letter == "a" else cms.b


def test_saves_the_reports_lists_and_attachments_and_their_claimed_years(clean_run):
    cms, out, result, _ = clean_run
    got = {_key(cms, r.source_url): (r.kind, r.year) for r in result.rows}
    assert got == FIXTURE_TRUTH
    by_key = {_key(cms, r.source_url): r for r in result.rows}
    # the redirects (301 relative, 302 relative) end where they should
    assert _key(cms, by_key["a", "/yc/old/2019.html"].final_url) == ("a", "/yc/art/2019.html")
    assert _key(cms, by_key["b", "/ld/go?id=2"].final_url) == ("b", "/ld/2022.html")
    # every attachment format, named by its bytes, saved with a fitting extension
    formats = {k: (by_key[k].format, by_key[k].path.rsplit(".", 1)[1]) for k in by_key
               if by_key[k].kind == "attachment"}
    assert formats == {
        ("a", "/yc/files/2020.ofd"): ("ofd", "ofd"), ("a", "/yc/files/2020-p1.png"): ("image", "png"),
        ("a", "/yc/download.jsp?id=2019"): ("pdf", "pdf"), ("a", "/ds/download.jsp?id=7"): ("docx", "docx"),
        ("a", "/ds/files/seed2.doc"): ("doc", "doc"), ("a", "/ds/files/2019.pdf"): ("pdf", "pdf"),
        ("a", "/ds/DownFile.aspx?fid=9"): ("image", "png")}
    # pages in GBK, declared or not, or declared as UTF-8, are read as GB18030
    assert by_key["b", "/bq/2024.html"].charset == "gb18030"
    assert by_key["a", "/yc/nb/index_1.html"].charset == "gb18030"
    assert by_key["b", "/ld/2021.html"].charset == "utf-8"  # what the server declares
    assert by_key["b", "/ld/2021.html"].title == "乐都区2021年政府信息公开工作年度报告"
    assert result.stopped is None


def test_skipped_pages_are_reported_and_the_run_carries_on(clean_run):
    cms, out, result, _ = clean_run
    reasons = {_key(cms, p.url): p.reason for p in result.problems}
    assert "forbids" in reasons["a", "/yc/private/2016.html"]
    assert "HTTP 500" in reasons["a", "/yc/art/2017.html"]
    assert reasons["a", "/yc/art/2015.html"] == "HTTP 404"
    assert "timed out" in reasons["a", SLOW_PATH]
    assert "needs JavaScript" in reasons["a", "/yc/art/js.html"]
    assert "answered with an HTML page" in reasons["a", "/ds/DownFile.aspx?fid=10"]
    unreachable = [p for p in result.problems if p.agency == "不可达县人民政府"]
    assert len(unreachable) == 1 and "cannot be reached" in unreachable[0].reason
    assert not any("/yc/art/notice.html" in p.url for p in result.problems)
    assert set(reasons) - {("?", "/nb/index.html")} == set(FIXTURE_SKIPPED) - {
        ("a", "/yc/art/notice.html")}


def test_robots_txt_is_obeyed_and_read_once_per_host(clean_run):
    cms, _, _, (mark_a, mark_b) = clean_run
    log_a, log_b = cms.a.log[mark_a:], cms.b.log[mark_b:]
    assert not [e.path for e in log_a if e.path.startswith("/yc/private/")]
    assert [e.path for e in log_a].count("/robots.txt") == 1
    assert [e.path for e in log_b].count("/robots.txt") == 1
    assert not [e for e in log_a if e.path == "/yc/art/notice.html"]  # not a report: not asked


def test_one_request_in_flight_per_host_and_the_delay_between(clean_run):
    cms, _, _, marks = clean_run
    for server, mark in zip((cms.a, cms.b), marks, strict=True):
        # the slow page is left out: the client stops waiting at its timeout, the server
        # goes on sleeping
        log = sorted((e for e in server.log[mark:] if e.path != SLOW_PATH), key=lambda e: e.start)
        assert len(log) > 5
        gaps = [b.start - a.end for a, b in zip(log, log[1:], strict=False)]
        assert min(gaps) > 0, "two requests in flight at once"
        # the server logs a request's end just after sending its last byte, a few
        # milliseconds at most after the client has it: hence the small allowance
        assert min(gaps) >= FAST.delay - 0.005, gaps


def test_every_request_names_govopen(clean_run):
    cms, _, _, (mark_a, _) = clean_run
    assert {e.headers["user-agent"].split(" ")[0] for e in cms.a.log[mark_a:]} == {
        f"govopen/{govopen.__version__}"}


def test_retries_on_5xx_and_timeouts_none_on_4xx(clean_run):
    cms, _, _, (mark_a, _) = clean_run
    paths = [e.path for e in cms.a.log[mark_a:]]
    assert paths.count("/yc/art/2017.html") == FAST.retries + 1  # 500 every time
    assert paths.count("/yc/art/2018.html") == 2  # 500, then 200
    assert paths.count(SLOW_PATH) == FAST.retries + 1
    assert paths.count("/yc/art/2015.html") == 1  # 404: never retried


def test_the_manifest_hashes_are_the_bytes_on_disk(clean_run):
    _, out, result, _ = clean_run
    rows = read_manifest(out / MANIFEST)
    assert len(rows) == len(result.rows) == len(FIXTURE_TRUTH)
    for row in rows:
        assert row.abs_path is not None and row.abs_path.is_file()
        data = row.abs_path.read_bytes()
        assert file_sha256(row.abs_path) == row.sha256 and len(data) == row.size, row.path
        assert row.status == 200 and row.fetched_at.endswith("Z")
    assert not [p for p in out.rglob("*") if p.name.startswith(TMP_PREFIX)]


@pytest.mark.slow
def test_the_saved_reports_parse_as_the_seeds(clean_run):
    cms, out, result, _ = clean_run
    keys = ["table", "row", "column", "value", "status"]
    by_key = {_key(cms, r.source_url): r for r in result.rows}
    for key, prefix in FIXTURE_SEEDS.items():
        if key == ("b", "/ld/go?id=2"):
            continue  # the same seed as the .doc, as HTML
        got = govopen.parse_report(by_key[key].abs_path).cells[keys]
        want = govopen.parse_report(seed_path(prefix)).cells[keys]
        assert got.fillna(-1).values.tolist() == want.fillna(-1).values.tolist(), key


@pytest.mark.slow
def test_a_second_run_asks_conditionally_and_rewrites_nothing(clean_run, tmp_path):
    cms, out, first, _ = clean_run
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()
              and p.name != MANIFEST}
    manifest_before = (out / MANIFEST).read_text(encoding="utf-8")
    marks = (len(cms.a.log), len(cms.b.log))
    sites = read_sites(cms.sites_csv(tmp_path / "sites.csv"))
    second = collect(sites, out, politeness=FAST, progress=False)
    assert second.written == 0 and second.unchanged == len(first.rows)
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()
             and p.name != MANIFEST}
    assert after == before
    assert (out / MANIFEST).read_text(encoding="utf-8") == manifest_before
    by_key = {_key(cms, r.source_url): r for r in first.rows}
    asked = [(server, e) for server, mark in zip((cms.a, cms.b), marks, strict=True)
             for e in server.log[mark:]]
    checked = 0
    for server, e in asked:
        key = ("a" if server is cms.a else "b", e.path)
        row = by_key.get(key)
        if row is None or row.final_url != row.source_url:
            continue
        checked += 1
        if row.etag:
            assert e.headers.get("if-none-match") == row.etag and e.status == 304, key
        elif row.last_modified:
            assert e.headers.get("if-modified-since") == row.last_modified, key
            assert e.status == 304, key
    assert checked == len(FIXTURE_TRUTH) - 2  # all but the two reached by a redirect


def test_the_request_cap_stops_the_run(tmp_path):
    fx = build_site_fixture()
    try:
        capped = Politeness(delay=0.01, timeout=0.3, retries=0, backoff=0.0, max_requests=6)
        sites = [Site(a, u) for a, u in fx.sites]
        result = collect(sites, tmp_path / "out", politeness=capped, progress=False)
        assert result.requests == 6 and result.stopped and "6 requests" in result.stopped
        assert len(fx.a.log) + len(fx.b.log) == 6
        assert len(read_manifest(tmp_path / "out" / MANIFEST)) == len(result.rows) < 6
    finally:
        fx.stop()


def test_the_cli_defaults_are_polite():
    parser = argparse.ArgumentParser()
    add_collect_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["collect", "sites.csv", "-o", "out"])
    assert args.delay == DEFAULT_DELAY >= 1 and args.max_requests is None and args.retries >= 1
    args = parser.parse_args(["fetch", "manifest.csv", "-o", "out"])
    assert args.delay >= 1


def test_a_missing_extra_is_named(monkeypatch, tmp_path, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "protego" else real(name, *a))
    from govopen.cli import main

    assert main(["collect", str(tmp_path / "s.csv"), "-o", str(tmp_path)]) == 2
    assert "pip install 'govopen[collect]'" in capsys.readouterr().err


def test_a_bad_sites_file_is_a_clear_error(tmp_path, capsys):
    from govopen.cli import main

    bad = tmp_path / "sites.csv"
    bad.write_text("name;link\nx;y\n", encoding="utf-8")
    assert main(["collect", str(bad), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "sites.csv" in err and "no agency and no url column" in err


@pytest.mark.parametrize("kind", ["list", "report"])
def test_a_javascript_only_list_is_reported(tmp_path, kind):
    from tests.support.fake_cms import JS_PAGE, FakeCMS, list_page

    cms = FakeCMS()
    if kind == "list":
        cms.add("/nb/", JS_PAGE)
    else:
        cms.add("/nb/", list_page("年报", [("某县2020年政府信息公开工作年度报告", "a.html")]))
        cms.add("/nb/a.html", JS_PAGE)
    cms.start()
    try:
        result = collect([Site("某县", cms.base + "/nb/")], tmp_path,
                         politeness=Politeness(delay=0.0, timeout=1, retries=0), progress=False)
    finally:
        cms.stop()
    assert [p.reason.split(" ")[1] for p in result.problems] == [kind]
    assert all("needs JavaScript" in p.reason for p in result.problems)
    assert [r.kind for r in result.rows] == (["list"] if kind == "report" else [])


def test_a_list_url_that_is_not_a_page_is_reported(tmp_path):
    from tests.support.fake_cms import FakeCMS

    cms = FakeCMS()
    cms.add("/nb/a.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", content_type="application/pdf")
    cms.add("/nb/b.html", b"\x00\x01\x02binary\xff\xfe" * 20, content_type="text/html")
    cms.start()
    try:
        result = collect([Site("甲", cms.base + "/nb/a.pdf"), Site("乙", cms.base + "/nb/b.html")],
                         tmp_path, politeness=Politeness(delay=0.0, timeout=1, retries=0),
                         progress=False)
    finally:
        cms.stop()
    reasons = {p.agency: p.reason for p in result.problems}
    assert "answered with a pdf file" in reasons["甲"]
    assert reasons["乙"].startswith("the list page cannot be read as HTML")
    assert result.rows == []


def test_an_absurdly_large_attachment_is_refused_not_saved(tmp_path):
    from tests.support.fake_cms import FakeCMS, list_page

    cms = FakeCMS()
    cms.add("/nb/", list_page("年报", [("某县2020年政府信息公开工作年度报告", "a.pdf")]))
    cms.add("/nb/a.pdf", b"%PDF-1.4\n" + b"0" * 50_000, content_type="application/pdf")
    cms.start()
    try:
        result = collect([Site("某县", cms.base + "/nb/")], tmp_path,
                         politeness=Politeness(delay=0.0, timeout=1, retries=2,
                                               max_bytes=20_000), progress=False)
    finally:
        cms.stop()
    assert [r.kind for r in result.rows] == ["list"]
    assert len(result.problems) == 1 and "larger than 20,000 bytes" in result.problems[0].reason
    # refused once, not retried: size is no transient fault
    assert [e.path for e in cms.log].count("/nb/a.pdf") == 1
    assert not list(tmp_path.rglob("*.pdf"))
