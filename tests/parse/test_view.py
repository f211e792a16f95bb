"""The report view (``govopen.parse.view``): every seed and every generated layout × fault
renders to well-formed HTML holding every cell with its value and status, the source text
exactly as read (as text: nothing of it becomes markup), and each number highlighted
where it was read. Hostile text stays text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from lxml import etree

import govopen
from govopen.parse import view
from govopen.parse.report import Report
from tests.support import parsed_seed, synth, variants
from tests.support.pre2019 import pre2019_report, spaced_rows

SEEDS = ["000", "001", "002", "003", "004"]
HOSTILE = ['<script>alert(1)</script>', '</textarea>', '"onmouseover=alert(2) x="',
           "<img src=x onerror=alert(3)>", "&amp; &lt;b&gt; ]]> <!-- -->", "\x01\x1b\x7f\x85"]


def parse(page: str) -> etree._Element:
    """The page read back by a strict XML parser (no entities, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(page.encode("utf-8"), parser)


def shown_text(text: str) -> str:
    """The text as the view shows it: characters XML cannot carry as U+FFFD."""
    return view._NOT_XML.sub("\ufffd", text)


def by_id(root) -> dict:
    return {e.get("id"): e for e in root.iter() if e.get("id")}


def check_page(report: Report, page: str) -> etree._Element:
    """What every page must hold; returns the parsed page."""
    root = parse(page)
    ids = by_id(root)
    key = view._Ids(report.meta.report_id)
    # only the page's own script
    scripts = list(root.iter("script"))
    assert len(scripts) == 1 and "hashchange" in scripts[0].text
    assert not [(e.tag, a) for e in root.iter() for a in e.attrib if a.startswith("on")]
    # every cell, with its value and status
    for c in report.cells.itertuples():
        td = ids[key.cell(c.table, c.row, c.column)]
        assert td.get("data-status") == c.status
        assert td.get("data-value") == ("" if c.status == "missing" else view.number(c.value))
        assert c.status in td.get("class").split()
        if not pd.isna(c.char):  # highlighted where it was read, and linked both ways
            src = ids[key.source(c.table, c.row, c.column)]
            assert src.get("href") == "#" + key.cell(c.table, c.row, c.column)
            assert "".join(src.itertext()) == c.raw
            line = src.getparent().getparent()
            assert line.get("id") == key.line(c.line)
            assert "".join(td.itertext()).rstrip("*") == td.get("data-value")
            assert td.find("a").get("href") == "#" + key.source(c.table, c.row, c.column)
    # the source text, exactly, as text
    lines = [e for e in root.iter("div") if "ln" in (e.get("class") or "").split()]
    text = "\n".join("".join(e.find("span[@class='tx']").itertext()) for e in lines)
    assert text == shown_text(report.text)
    return root


def check_fragment(report: Report) -> etree._Element:
    fragment = report._repr_html_()
    root = parse(fragment)
    assert not list(root.iter("script"))
    ids = by_id(root)
    key = view._Ids(report.meta.report_id)
    for c in report.cells.itertuples():
        assert ids[key.cell(c.table, c.row, c.column)].get("data-status") == c.status
    return root


@pytest.mark.parametrize("prefix", SEEDS)
@pytest.mark.parametrize("lang", view.LANGS)
def test_every_seed_renders_every_cell_and_its_source(prefix, lang):
    report = parsed_seed(prefix)
    check_page(report, view.report_page(report, lang))
    check_fragment(report)


def test_the_labels_follow_the_language():
    report = parsed_seed("004")
    zh, en = view.report_page(report, "zh"), view.report_page(report, "en")
    assert "收到和处理政府信息公开申请情况" in zh and "自然人" in zh and "已读取" in zh
    assert "Proactive disclosure" in en and "Natural persons" in en and "parsed: read as printed" in en
    with pytest.raises(ValueError, match="lang"):
        view.report_page(report, "fr")


def test_a_notebook_shows_the_view_in_either_language_and_no_markup_as_text():
    report = parsed_seed("004")
    shown = report.view("zh")
    assert shown._repr_html_() == view.report_html(report, "zh")
    assert "自然人" in shown and "Natural persons" in report._repr_html_()
    # the plain-text form a notebook also stores is a line, not the markup again
    assert repr(shown) == f"<HTML, {len(shown):,} characters>"
    with pytest.raises(ValueError, match="lang"):
        report.view("fr")


def test_a_failing_identity_is_red_and_matches_the_findings():
    report = parsed_seed("003")  # its balance fails
    root = parse(view.report_page(report))
    failing = [e for e in root.iter("li") if "fails" in (e.get("class") or "").split()]
    checks = [x for x in view.identity_checks(report) if x[3] == "fails"]
    assert len(failing) == len(checks) > 0
    identity_findings = report.findings[report.findings["rule"].isin(
        ["row_total", "outcome_total", "balance", "review_total"])]
    assert len(identity_findings) == len(checks)
    assert {x[2].rule for x in checks} == set(identity_findings["rule"]) == {"balance"}
    # each shows its values: 78 + 0 = 78 + 1 for 自然人
    texts = ["".join(e.itertext()) for e in failing]
    assert any("78 + 0 = 78 + 1" in t for t in texts)
    # and each identity finding links to its check
    hrefs = {a.get("href") for li in root.iter("li") if "finding" in (li.get("class") or "")
             for a in li.iter("a")}
    assert {"#" + e.get("id") for e in failing} <= hrefs


def test_an_identity_with_a_missing_term_is_not_checked():
    report = parsed_seed("001")  # cells of section 三 it cannot know
    states = {x[3] for x in view.identity_checks(report)}
    assert "open" in states
    root = parse(view.report_page(report))
    assert any("open" in (e.get("class") or "").split() for e in root.iter("li"))


def test_every_finding_links_to_an_element_of_the_page():
    for prefix in SEEDS:
        report = parsed_seed(prefix)
        root = parse(view.report_page(report))
        ids = by_id(root)
        for a in root.iter("a"):
            href = a.get("href")
            if href and href.startswith("#"):
                assert href[1:] in ids, (prefix, href)


@pytest.mark.parametrize("where", ["text", "table", "agency"])
def test_hostile_text_is_shown_as_text(where):
    text = variants.seed_text("004")
    bad = " ".join(HOSTILE)
    if where == "text":
        text = text.replace("\n", f"\n{bad}\n", 3)
    elif where == "table":  # on a row of section 三, beside its numbers
        text = text.replace("自然人", f"自然人{bad}", 1)
    else:
        text = text.replace("伊川县人民政府", f"伊川县人民政府{bad}")
    report = govopen.parse_report(text, name="hostile<script>.txt")
    assert "<script>alert(1)</script>" in report.text
    for lang in view.LANGS:
        page = view.report_page(report, lang)
        assert "<script>alert" not in page and "<img" not in page
        root = check_page(report, page)
        assert "alert(1)" in "".join(root.itertext())
        fragment = report._repr_html_()
        assert "<script>alert" not in fragment and "<img" not in fragment
        check_fragment(report)


def test_the_helpers_refuse_what_could_carry_markup():
    assert view.el("p", {"title": '"><script>'}, "<b>") == \
        '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;</p>'
    for bad in ({"onclick": "x"}, {"href": "javascript:alert(1)"}, {'a"b': "x"}):
        with pytest.raises(ValueError):
            view.el("a", bad, "x")
    with pytest.raises(ValueError):
        view.el("script src=x", None)
    assert view.esc("a\x00b") == "a\ufffdb"


def test_a_report_before_2019_links_its_values_to_their_lines():
    report = govopen.parse_report(pre2019_report(2016, spaced_rows()), name="p.txt")
    root = parse(view.report_page(report))
    ids = by_id(root)
    key = view._Ids(report.meta.report_id)
    links = [a.get("href") for a in root.iter("a") if (a.get("href") or "").startswith("#" + key.p + "L")]
    assert links and all(h[1:] in ids for h in links)
    assert "12" in view.report_page(report) and len(report.statistic_rows) > 0


def test_the_page_needs_nothing_from_outside():
    page = view.report_page(parsed_seed("000"))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", page)
    assert "@import" not in page and "url(" not in page


def _cases() -> list:
    return [pytest.param(layout, fault, id=f"{layout}-{fault or 'clean'}")
            for layout in synth.ALL_LAYOUTS for fault in (None, *synth.ALL_FAULTS)]


def _render_generated(layout, fault, seeds=range(2)) -> int:
    shown = 0
    for seed in seeds:
        try:
            r = synth.report(seed, layout, fault=fault)
        except ValueError:  # the drawn truth cannot carry the fault
            continue
        report = govopen.parse_report(r.data, name=f"synthetic-{seed}.{layout}")
        check_page(report, view.report_page(report))
        check_fragment(report)
        shown += 1
    return shown


@pytest.mark.parametrize("layout", ["tabs", "html", "torn"])
def test_generated_layouts_render(layout):
    assert _render_generated(layout, None, seeds=[0]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("layout,fault", _cases())
def test_every_generated_layout_and_fault_renders(layout, fault):
    assert _render_generated(layout, fault) > 0
