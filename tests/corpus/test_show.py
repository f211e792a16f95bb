"""``govopen show``: a page per report and an index listing every file with its status;
a file that fails is listed with its error, and the run carries on. ``Corpus`` in a
notebook: its files by status."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from lxml import etree

import govopen
from govopen.cli import main
from tests.corpus.test_hostile_folder import SECRET, build_folder
from tests.parse.test_view import check_page, parse


def show(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["show", *args])
    return code, out.getvalue()


def test_a_folder_gives_a_page_per_report_and_an_index(mixed_folder, tmp_path):
    code, said = show(str(mixed_folder), "-o", str(tmp_path / "out"), "--lang", "zh")
    assert code == 0
    out = tmp_path / "out"
    pages = sorted(p.name for p in out.glob("*.html") if p.name != "index.html")
    # the two seeds and the copy of one, each page named by its file and its report
    assert [p.split("-")[0] for p in pages] == ["a_yichuan_2020", "b_baoqing_2024",
                                                "e_yichuan_copy"]
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    rows = {tr.findall("td")[0].xpath("string()"): tr for tr in index.iter("tr")
            if tr.findall("td")}
    assert len(rows) == 6  # every file, the failed ones too
    empty = rows[str(mixed_folder / "c_empty.txt")]
    assert "error" in empty.xpath("string()") and "empty" in empty.xpath("string()")
    linked = {a.get("href") for a in index.iter("a") if a.get("href", "").endswith(".html")}
    assert linked == set(pages)
    for name in pages:  # each page is the report's, whole
        page = (out / name).read_text(encoding="utf-8")
        source = next(s for s, tr in rows.items() if tr.find("td/a") is not None
                      and tr.find("td/a").get("href") == name)
        check_page(govopen.parse_report(source), page)
        assert 'lang="zh"' in page
    assert "error: " in said and "c_empty.txt" in said


def test_nothing_shown_exits_1(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("not a report", encoding="utf-8")
    code, said = show(str(bad), "-o", str(tmp_path / "out"))
    assert code == 1 and "bad.txt" in said
    assert "bad.txt" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_hostile_folder_is_listed_and_leaks_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "in folder 输入"
    what = build_folder(folder, secret)
    code, _said = show(str(folder), "-o", str(tmp_path / "out"))
    assert code == 0
    out = tmp_path / "out"
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    listed = {Path(tr.findall("td")[0].xpath("string()")).name for tr in index.iter("tr")
              if tr.findall("td")}
    assert listed == set(what)
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert SECRET not in text
        root = parse(text)
        assert len(list(root.iter("script"))) <= 1


def test_a_corpus_shows_its_files_by_status(mixed_folder):
    corpus = govopen.read_corpus(mixed_folder, jobs=1)
    fragment = corpus._repr_html_()
    root = etree.fromstring(f"<div>{fragment}</div>".encode())
    assert not list(root.iter("script"))
    tables = {t.get("id"): t for t in root.iter("table")}
    counts = corpus.reports["status"].value_counts()
    for status, n in counts.items():
        table = tables[f"govopen-status-{status}"]
        assert len([tr for tr in table.iter("tr") if tr.findall("td")]) == n
    hrefs = {a.get("href") for a in root.iter("a")}
    assert hrefs == {f"#govopen-status-{s}" for s in counts.index}
