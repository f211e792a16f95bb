"""``govopen fetch``: the same bytes again from a manifest, from the site or from a WARC,
and a changed file reported, not written."""

from __future__ import annotations

import pytest

from govopen.cli import main
from govopen.collect import read_manifest
from govopen.collect.collect import collect
from govopen.collect.fetch import CHANGED, fetch
from govopen.collect.manifest import MANIFEST
from govopen.collect.sites import Site
from govopen.collect.warc import read_warc
from tests.support.fake_cms import build_site_fixture

from .conftest import FAST


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST}


def test_fetch_rebuilds_the_same_bytes_from_the_site(clean_run, tmp_path):
    _, out, result, _ = clean_run
    rebuilt = tmp_path / "rebuilt"
    got = fetch(out / MANIFEST, rebuilt, politeness=FAST, progress=False)
    assert got.ok and len(got.verified) == sum(r.kind != "list" for r in result.rows)
    want = {k: v for k, v in _files(out).items() if k.startswith("reports/")}
    assert _files(rebuilt) == want
    assert [r.path for r in read_manifest(rebuilt / MANIFEST)] == [
        r.path for r in read_manifest(out / MANIFEST) if r.kind != "list"]
    # run again: every file is there with its hash, nothing is asked for
    again = fetch(out / MANIFEST, rebuilt, politeness=FAST, progress=False)
    assert again.ok and len(again.verified) == len(got.verified)


def test_a_changed_file_is_reported_and_kept_apart(clean_run, tmp_path, capsys):
    cms, out, result, _ = clean_run
    route = cms.a.routes["/yc/art/2020.html"]
    original = route.body
    route.body = original.replace("伊川县".encode(), "伊川市".encode(), 1)
    try:
        code = main(["fetch", str(out / MANIFEST), "-o", str(tmp_path / "r"), "--delay", "0.05",
                     "--timeout", "0.5", "--retries", "0", "--no-progress"])
    finally:
        route.body = original
    assert code == 1
    err = capsys.readouterr().err
    row = next(r for r in result.rows if r.source_url.endswith("/yc/art/2020.html"))
    assert f"changed: {row.path}" in err
    assert not (tmp_path / "r" / row.path).exists()
    assert (tmp_path / "r" / CHANGED / row.path).read_bytes() == route.body.replace(
        "伊川县".encode(), "伊川市".encode(), 1)
    others = [r for r in result.rows if r.kind != "list" and r.path != row.path]
    assert all((tmp_path / "r" / r.path).read_bytes() == r.abs_path.read_bytes() for r in others)
    assert row.path not in {r.path for r in read_manifest(tmp_path / "r" / MANIFEST)}


@pytest.mark.slow
def test_fetch_from_a_warc_with_the_site_down(tmp_path):
    fx = build_site_fixture()
    try:
        out = tmp_path / "out"
        warc = tmp_path / "crawl.warc.gz"
        collect([Site(a, u) for a, u in fx.sites], out, politeness=FAST, warc=warc,
                progress=False)
    finally:
        fx.stop()
    archived = read_warc(warc)
    assert fx.a.base + "/robots.txt" in archived  # every exchange, not only the files
    code = main(["fetch", str(out / MANIFEST), "-o", str(tmp_path / "from-warc"),
                 "--warc", str(warc), "--lists", "--no-progress"])
    assert code == 0
    assert _files(tmp_path / "from-warc") == _files(out)
    # a WARC without the file: failed, said so
    fx2 = build_site_fixture()
    try:
        other = tmp_path / "other.warc.gz"
        collect([Site("宝清县人民政府", fx2.b.base + "/bq/list.html")], tmp_path / "o2",
                politeness=FAST, warc=other, progress=False)
    finally:
        fx2.stop()
    result = fetch(out / MANIFEST, tmp_path / "partial", warc=other, progress=False)
    assert not result.ok and all(reason == "not in the WARC" for _, reason in result.failed)
