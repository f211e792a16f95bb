"""The OFD reader: each seed laid out as an OFD (text objects by position, tables drawn
as path rectangles, merged cells, page numbers) reads back cell for cell, and parses to
the cells of its text version; hostile or broken packages say what is wrong."""

from __future__ import annotations

import re
import zipfile

import pytest

import govopen
from govopen.errors import ParseError
from govopen.read.sources import load, sniff
from tests.support import format_fixtures as ff
from tests.support import ofd_fixtures as of

KEY = ["table", "row", "column", "value", "status"]


def cells(source) -> list[tuple]:
    c = govopen.parse_report(source).cells
    return sorted(tuple(str(v) for v in row) for row in c[KEY].values.tolist())


def text_seed(seed):
    return next(p for p in ff.SEEDS if p.stem == seed.name)


def test_ofd_seed_tables_cell_for_cell(seed, tmp_path):
    data = of.seed_ofd(seed)
    assert sniff(data) == "ofd"
    doc = load(ff.write_file(tmp_path, f"{seed.name}.ofd", data))
    assert doc.format == "ofd"
    got = [ff.nonempty(ff.squeeze([line.split("\t")]))[0] for line in doc.text.splitlines()]
    want = ff.nonempty(ff.squeeze(seed.expected_rows()))
    it = iter(got)
    assert [row for row in want if not any(row == line for line in it)] == []
    tab = ff.nonempty(ff.squeeze(ff.tab_rows(doc.text)))
    assert [r for r in want if len(r) > 1] == [r for r in tab if len(r) > 1]
    assert not re.search(r"^- \d+ -$", doc.text, re.M)
    lines = {re.sub(r"\s", "", line) for line in doc.text.splitlines()}
    paragraphs = [b for b in seed.blocks if isinstance(b, str)]
    assert [p for p in paragraphs if re.sub(r"\s", "", p) not in lines] == []


@pytest.mark.slow
def test_ofd_seed_cells_as_the_text(seed):
    assert cells(of.seed_ofd(seed)) == cells(text_seed(seed))


def test_ofd_spanned_number_once():
    seed = ff.load_seed(ff.SEEDS[0])
    rows = ff.tab_rows(load(of.seed_ofd(seed)).text)
    licensing = [r for r in rows if r[0] == "行政许可"]
    assert licensing and [c for c in licensing[0] if c] == ["行政许可", "0"]


def _small(objects: list[str], **parts) -> bytes:
    base = {"OFD.xml": of.ofd_xml(), "Doc_0/Document.xml": of.document_xml(1),
            "Doc_0/Pages/Page_0/Content.xml": of.content_xml(objects)}
    base.update(parts)
    return of.ofd_package({k: v for k, v in base.items() if v is not None})


def test_ofd_small_page_reads():
    objects = [of.text_object(20, 20, "一、总体情况", 3.5, 1),
               of.rect_object(20, 30, 40, 6, 2), of.rect_object(60, 30, 20, 6, 3),
               of.text_object(21, 31, "行政许可", 2.5, 4), of.text_object(61, 31, "5", 2.5, 5)]
    assert load(_small(objects)).text.splitlines() == ["一、总体情况", "行政许可\t5"]


def test_ofd_page_block_and_ctm():
    """Objects inside a PageBlock are read, and a CTM scales and moves them."""
    line = of.text_object(0, 0, "二、主动公开情况", 3.5, 1).replace(
        "<ofd:TextObject ", '<ofd:TextObject CTM="1 0 0 1 0 5" ')
    page = f"<ofd:PageBlock>{of.text_object(20, 20, '一、总体情况', 3.5, 2)}</ofd:PageBlock>"
    assert load(_small([page, line.replace('Boundary="0 0', 'Boundary="20 40')])).text.splitlines() \
        == ["一、总体情况", "二、主动公开情况"]


@pytest.mark.parametrize(("parts", "pattern"), [
    ({"Doc_0/Document.xml": None}, r"missing its document part \(Doc_0/Document.xml\)"),
    ({"Doc_0/Pages/Page_0/Content.xml": None}, r"missing its page 1"),
    ({"OFD.xml": f'<ofd:OFD xmlns:ofd="{of.NS}"/>'}, r"names no document"),
    ({"Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{of.NS}"/>'}, r"has no pages"),
    ({"Doc_0/Pages/Page_0/Content.xml": "<ofd:Page"}, r"not well-formed XML"),
    ({"Doc_0/Pages/Page_0/Content.xml": of.content_xml([of.rect_object(20, 30, 40, 6, 2)])},
     r"no text.*OCR"),
], ids=["no-document", "no-page", "no-docroot", "no-pages", "broken-xml", "no-text"])
def test_ofd_broken_parts(tmp_path, parts, pattern):
    objects = [of.text_object(20, 20, "一、总体情况", 3.5, 1)]
    path = ff.write_file(tmp_path, "broken.ofd", _small(objects, **parts))
    with pytest.raises(ParseError, match=pattern) as e:
        load(path)
    assert "broken.ofd" in str(e.value)


def test_ofd_dtd_refused(tmp_path):
    doctype = f'<!DOCTYPE ofd:OFD [{ff.billion_laughs()}]>'
    data = _small([of.text_object(20, 20, "&lol9;", 3.5, 1)],
                  **{"OFD.xml": of.ofd_xml().replace("?>", "?>" + doctype, 1)})
    path = ff.write_file(tmp_path, "laughs.ofd", data)
    with pytest.raises(ParseError, match="declares a DTD") as e:
        load(path)
    assert "laughs.ofd" in str(e.value) and "OFD part 'OFD.xml'" in str(e.value)


def test_ofd_zip_bomb_refused(tmp_path):
    data = _small([of.text_object(20, 20, "一、总体情况", 3.5, 1)],
                  **{"Doc_0/Res/padding.xml": b" " * (20 * 2**20)})
    path = ff.write_file(tmp_path, "bomb.ofd", data)
    with pytest.raises(ParseError, match=r"compressed \d+:1 \(a zip bomb\?\)") as e:
        load(path)
    assert "bomb.ofd" in str(e.value) and "OFD part" in str(e.value)


def test_ofd_not_a_zip_past_the_sniff(tmp_path):
    from govopen.read.ofd import ofd_to_text

    with pytest.raises(ParseError, match="OFD file is damaged"):
        ofd_to_text(b"PK\x03\x04OFD.xml" + b"\0" * 50, "cut.ofd")


def test_ofd_entities_inert_past_the_gate(tmp_path, monkeypatch):
    """Were the DTD gate gone, the XML parser would neither expand nor fetch entities."""
    from govopen.read import ofd as ofd_reader

    monkeypatch.setattr(ofd_reader, "check_zip", lambda data, label, **kw: None)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    content = of.content_xml([of.text_object(20, 20, "一、总体情况&xxe;", 3.5, 1)]).replace(
        "?>", f'?><!DOCTYPE ofd:Page [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', 1)
    data = _small([], **{"Doc_0/Pages/Page_0/Content.xml": content})
    try:
        text = load(data).text
    except ParseError:
        return
    assert "TOPSECRET" not in text


def test_ofd_package_names_ofd_xml_first():
    with zipfile.ZipFile(__import__("io").BytesIO(of.seed_ofd(ff.load_seed(ff.SEEDS[0])))) as z:
        assert z.namelist()[0] == "OFD.xml"
