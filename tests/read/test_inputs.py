"""Encodings, number notations and bad input, each with its own small test."""

from __future__ import annotations

import subprocess
import sys

import pytest

import govopen
from govopen.parse.text import Skeleton, read_numbers
from tests.support import cell, parsed_seed, seed_path
from tests.support.variants import seed_text

# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(seed_text("004").encode(encoding))
    r = govopen.parse_report(path)
    assert r.meta.agency == "伊川县人民政府"
    assert cell(r, "requests", "new_received", "total") == (27, "parsed")


def test_unknown_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"report \xff\xfe\xff\xff " * 20)
    with pytest.raises(govopen.ParseError, match="garbled.txt: .*encoding"):
        govopen.parse_report(path)


# --- numbers -------------------------------------------------------------------------


def _values(s):
    return [t.value for t in read_numbers(s, 0)]


def test_number_notations():
    assert _values("\t４９８２２\t") == [49822]  # full-width digits
    assert _values(" 49,822 12 ") == [49822, 12]  # thousands separator
    assert [str(v) for v in _values("14852.1812")] == ["14852.1812"]  # 万元, 4 decimals
    assert _values("204 -13 693") == [204, -13, 693]  # 本年增/减
    assert _values("— 0 / 无 -") == [None, 0, None, None, None]  # placeholders are not 0
    assert _values("2000002 2025年，我局") == [2000002]  # a year glued to the row
    assert _values("0 2025年") == [0]
    assert _values("") == []


def test_skeleton_keeps_letters_digits_and_chinese_with_their_offsets():
    # letters and digits of ASCII, the CJK blocks; not full-width forms (normalize folds
    # them first), punctuation, other scripts or a lone surrogate from a broken PDF
    text = "（一）A1 收到\t申请Ｂ\udc80é㐀z"
    skel = Skeleton(text)
    assert skel.text == "一A1收到申请㐀z"
    assert [text[i] for i in skel.offsets] == list(skel.text)
    assert skel.index_at(text.index("收")) == 3 and skel.source_end(5) == text.index("到") + 1


def test_full_width_digits_in_a_report():
    text = seed_text("004").replace("行政许可\t204\t49\t49822", "行政许可\t２０４\t４９\t４９８２２")
    r = govopen.parse_report(text)
    assert cell(r, "active", "licensing", "decisions") == (49822, "parsed")


@pytest.mark.parametrize("printed", ["—", "-", "/", "无", ""])
def test_placeholder_or_blank_is_not_zero(printed):
    text = seed_text("004").replace("行政强制\t50\t13\t693", f"行政强制\t50\t{printed}\t693")
    r = govopen.parse_report(text)
    value, status = cell(r, "active", "coercion", "change")
    if printed:
        assert value is None and status == "missing"
        c = r.cells
        assert c[(c.row == "coercion") & (c.column == "change")].raw.iloc[0] == printed
    else:  # a blank leaves two numbers for three cells: no position is guessed
        assert value is None
    assert cell(r, "active", "coercion", "prev_items")[0] in (50, None)


def test_negative_change():
    text = seed_text("004").replace("行政强制\t50\t13\t693", "行政强制\t50\t-13\t693")
    assert cell(govopen.parse_report(text), "active", "coercion", "change") == (-13, "parsed")


def test_thousands_separator_in_a_report():
    text = seed_text("004").replace("49822", "49,822")
    r = govopen.parse_report(text)
    c = r.cells
    lic = c[(c.row == "licensing") & (c.column == "decisions")].iloc[0]
    assert (lic.value, lic.raw) == (49822, "49,822")


def test_placeholder_in_requests_is_forced_by_identities():
    # '3.危及“三安全一稳定”' prints '—' for 商业企业 in an all-zero row: the row total 0 forces 0
    text = seed_text("004").replace("3.危及“三安全一稳定”\t0\t0", "3.危及“三安全一稳定”\t0\t—")
    v, status = cell(govopen.parse_report(text), "requests", "denied_three_security_one_stability",
                     "commercial")
    assert (v, status) == (0, "inferred")


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (bytes(range(256)) * 8, "binary"),
    ("<html><body><h1>404 Not Found</h1><p>页面不存在</p></body></html>".encode(), None),
    ("通知\n各乡镇人民政府：现将有关事项通知如下。\n".encode(), "not an annual report"),
])
def test_bad_input_names_the_file(tmp_path, content, reason):
    path = tmp_path / "bad input.txt"
    path.write_bytes(content)
    with pytest.raises(govopen.ParseError) as e:
        govopen.parse_report(path)
    assert "bad input.txt" in str(e.value)
    if reason:
        assert reason in str(e.value)


def test_report_without_section_three(tmp_path):
    text = seed_text("004")
    path = tmp_path / "no-three.txt"
    path.write_text(text[: text.index("三、收到和处理")], encoding="utf-8")
    with pytest.raises(govopen.ParseError, match="no section 三"):
        govopen.parse_report(path)


def test_truncated_table_keeps_what_is_there():
    text = seed_text("004")
    cut = text[: text.index("(五) 不予处理")]
    r = govopen.parse_report(cut)
    assert cell(r, "requests", "granted", "total") == (25, "parsed")
    f = r.findings
    assert "not_processed_petition" in set(f[f.rule == "row_not_found"].row)
    # the rows it still prints account for all 27 new requests (25 + 1 + 1), so the rows
    # cut off are forced to 0 and （七）总计 to 27 — inferred, never printed
    assert cell(r, "requests", "total", "total") == (27, "inferred")
    assert cell(r, "requests", "not_processed_petition", "total") == (0, "inferred")
    assert r.cells[r.cells.table == "reviews"].empty


def test_missing_file():
    with pytest.raises(govopen.ParseError, match="file not found"):
        govopen.parse_report("no/such/report.txt")


# --- the command line -------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "govopen.cli", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8")


@pytest.mark.slow
def test_check_prints_tables_and_findings():
    out = run_cli("check", seed_path("003"), "--notes")
    assert out.returncode == 0
    assert "宝清县人民政府" in out.stdout and "new_received" in out.stdout
    assert "[error] balance" in out.stdout


@pytest.mark.slow
def test_check_exits_nonzero_without_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run_cli("check", empty, seed_path("004"))
    assert out.returncode == 1
    assert "empty.txt: file is empty" in out.stderr
    assert "伊川县人民政府" in out.stdout
    assert "Traceback" not in out.stderr + out.stdout


def test_inferred_cells_are_marked_in_check():
    from govopen.cli import render

    text = render(parsed_seed("000"), notes=True)
    assert "14*" in text
    assert "   granted/natural_person, commercial, research, public_interest, legal_services, " \
        "other: inferred — not printed; forced by the identities" in text
