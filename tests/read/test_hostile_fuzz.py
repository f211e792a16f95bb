"""Fuzzing ``parse_report`` with broken versions of real and generated reports.

Each input is a report (a seed of data/raw, or a synthetic one of ``synth``) put through a
few of the things downloads and converters do to files: cut at a random point, lines
dropped, repeated or swapped, digits replaced, junk inserted, the whole re-encoded (or its
bytes cut mid-character). Whatever comes out, ``parse_report`` must

* return a ``Report`` or raise ``govopen.ParseError`` — no other exception;
* finish within ``TIME_LIMIT`` seconds (a SIGALRM stops a hang and fails the example);
* report no number the input does not print: every ``parsed`` cell's ``raw`` occurs in
  the (normalised) text, and its value is written in that ``raw``. Values that are not
  printed must be ``inferred`` (forced by the identities) or ``missing``.

Examples are few (``MAX_EXAMPLES`` per test) and derandomised, so the suite stays quick and
every run tries the same inputs; raise ``GOVOPEN_FUZZ_EXAMPLES`` for a longer hunt.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govopen
from govopen.parse.text import normalize
from govopen.read.sources import load
from tests.support import synth

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
MAX_EXAMPLES = int(os.environ.get("GOVOPEN_FUZZ_EXAMPLES", "60"))
TIME_LIMIT = 60  # seconds for one input; a healthy parse takes well under 5
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BASES: list[str] = [p.read_text(encoding="utf-8") for p in SEEDS]
BASES += [synth.report(seed, layout).data for seed, layout in
          ((1, "tabs"), (2, "spaces"), (3, "cells"), (4, "glued"), (5, "markdown"))]
BASES.append(synth.report(6, "html").as_bytes().decode("utf-8"))  # a page, mutated as text

JUNK = ("\x00", "\ufffd", "�", "<html>", "</table>", "404 Not Found", "　", "\t\t\t",
        "１２３", "——", "-", "1,234", "12.5", "第 3 页 共 7 页", "合计", "总计", "（七）",
        "三、收到和处理政府信息公开申请情况", "一、总体情况", "&nbsp;", "\r", "\u202e", "99999999999")


class Hang(Exception):
    """An input took longer than ``TIME_LIMIT``."""


@contextlib.contextmanager
def time_limit(seconds: int):
    def stop(signum, frame):
        raise Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- mutations --------------------------------------------------------------------------

def _lines_op(op: str, lines: list[str], i: int, j: int) -> list[str]:
    if not lines:
        return lines
    i, j = i % len(lines), j % len(lines)
    if op == "drop":
        return lines[:i] + lines[i + 1:]
    if op == "duplicate":
        return lines[:i + 1] + [lines[i]] + lines[i + 1:]
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]  # swap
    return lines


@st.composite
def text_mutation(draw, text: str) -> str:
    op = draw(st.sampled_from(("cut", "drop", "duplicate", "swap", "digit", "junk", "digits")))
    n = len(text)
    if op == "cut":
        return text[:draw(st.integers(0, n))]
    if op in ("drop", "duplicate", "swap"):
        lines = text.split("\n")
        return "\n".join(_lines_op(op, lines, draw(st.integers(0, 10**6)),
                                   draw(st.integers(0, 10**6))))
    if op == "digit":  # one digit replaced by another, or by a look-alike
        places = [m.start() for m in re.finditer(r"\d", text)]
        if not places:
            return text
        k = places[draw(st.integers(0, len(places) - 1))]
        new = draw(st.sampled_from("0123456789０１９Oolı,. "))
        return text[:k] + new + text[k + 1:]
    if op == "digits":  # every number of a stretch replaced
        start = draw(st.integers(0, n))
        stop = min(n, start + draw(st.integers(0, 2000)))
        fill = draw(st.sampled_from(("0", "9", "", "1 2", "88888888")))
        return text[:start] + re.sub(r"\d+", fill, text[start:stop]) + text[stop:]
    at = draw(st.integers(0, n))  # junk
    junk = draw(st.one_of(st.sampled_from(JUNK), st.text(max_size=20)))
    return text[:at] + junk + text[at:]


ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "latin-1")


@st.composite
def broken_report(draw) -> bytes:
    text = BASES[draw(st.integers(0, len(BASES) - 1))]
    for _ in range(draw(st.integers(1, 4))):
        text = draw(text_mutation(text))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.integers(0, 4)) == 0:  # a download cut off mid-character
        data = data[:draw(st.integers(0, len(data)))]
    return data


# --- the properties ---------------------------------------------------------------------

def _digits(s: str) -> str:
    return re.sub(r"\D", "", normalize(s))


def _printed(value: float, raw: str) -> bool:
    """The value is written in ``raw``: its digits (without leading or trailing zeros
    beyond its own) stand in the digits of ``raw``."""
    d = Decimal(repr(value)).normalize()
    sign, digits, exponent = d.as_tuple()
    if value == 0:
        return "0" in _digits(raw)
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return text in _digits(raw) and (not sign or "-" in normalize(raw))


def check(data: bytes) -> govopen.Report | None:
    with time_limit(TIME_LIMIT):
        try:
            report = govopen.parse_report(data, name="fuzz.txt")
        except govopen.ParseError as e:
            assert e.source == "fuzz.txt" and e.reason
            return None
        text = normalize(load(data, name="fuzz.txt").text)
    parsed = report.cells[report.cells["status"] == "parsed"]
    for c in parsed.itertuples():
        where = f"{c.table}/{c.row}/{c.column} = {c.value} from {c.raw!r}"
        assert c.raw and c.raw in text, f"raw not in the input: {where}"
        assert _printed(c.value, c.raw), f"value not printed in its raw text: {where}"
    assert set(report.cells["status"]) <= {"parsed", "inferred", "missing"}
    return report


def test_bases_pass_the_check():
    for text in BASES:
        assert check(text.encode("utf-8")) is not None


@pytest.mark.slow
@FUZZ
@given(broken_report())
def test_broken_reports(data):
    check(data)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    check(data)


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(BASES), st.binary(min_size=1, max_size=64), st.floats(0, 1))
def test_binary_spliced_into_a_report(text, junk, where):
    data = text.encode("utf-8")
    at = int(where * len(data))
    check(data[:at] + junk + data[at:])


def _binary_bases() -> list[bytes]:
    from tests.support import format_fixtures as ff

    return [synth.report(21, "docx").as_bytes(), synth.report(22, "html").as_bytes(),
            ff.seed_pdf(ff.load_seed(SEEDS[4]))]


BINARY_BASES = _binary_bases()


@pytest.mark.slow
@settings(max_examples=max(10, MAX_EXAMPLES // 2), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(range(len(BINARY_BASES))), st.floats(0, 1), st.binary(max_size=32),
       st.booleans())
def test_broken_docx_html_and_pdf(which, where, junk, cut):
    """A Word file, a page and a PDF cut off, or with a stretch of bytes overwritten."""
    data = BINARY_BASES[which]
    at = int(where * len(data))
    check(data[:at] if cut else data[:at] + junk + data[at + len(junk):])


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16", "utf-16-le", "cp1252"])
def test_reencoded_seeds(encoding):
    for text in BASES[:len(SEEDS)]:
        check(text.encode(encoding, errors="replace"))
