"""Normalised text → the six sections of a report and the spans of its three tables.

In: the normalised text of one report (``text.normalize``). Out: ``Sections`` — for
each of 一 … 六 the span of its text where its heading was found, and the span in which
each standard table (active, requests, reviews) is to be read.

Headings are found in order, each after the previous one, as a numeral with '、' followed
by the section's keyword before any digit ('四、结转下年度继续办理' inside the section-三
table is not section 四). Nothing depends on line breaks, so a page whose report runs
together on one line is segmented the same way. Where a heading is missing the table is
found by its own first label instead (a section-二 table printed inside section 一).

Where the exact search finds no heading for a numeral, or no first label for a table, the
keyword or label is looked for again with misprints (``labels``): a heading between the
headings found before and after it, a table's first label after the table before it.
'第二十条第' is only ever searched exactly: one character more or less names another
article of the regulation (第二十一条).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import schema
from . import labels
from .text import Skeleton, skeleton_of

NUMERALS = ("一", "二", "三", "四", "五", "六")
KEYWORDS = {
    "一": ("总体情况", "概述"),
    "二": ("主动公开",),
    "三": ("收到和处理", "政府信息公开申请", "依申请公开"),
    "四": ("行政复议", "行政诉讼"),
    "五": ("存在的主要问题", "主要问题", "存在问题"),
    "六": ("其他需要报告", "其他需报告", "其他需要说明", "其他事项"),
}
TITLES = {
    "一": "总体情况", "二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况", "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
_HEADING = re.compile(r"(?<![(\[（【A-Za-z第])([一二三四五六])\s*[、.．]\s*")
_WINDOW = 30

# First labels of each table, used when its section heading is missing.
_TABLE_ANCHORS = {
    "active": ("第二十条第",),
    "requests": ("本年新收", "收到和处理政府信息公开申请"),
    "reviews": ("未经复议直接起诉", "复议后起诉"),
}
# The same, searched for with misprints when the exact anchor is not printed: the whole
# label of the first row (a core as short as 本年新收 is one edit from 本年新制, a column
# of section 二), compared with every row label of its table.
_MISPRINT_ANCHORS = {
    "requests": (labels.own_label(schema.REQUESTS.rows[0]), schema.REQUESTS),
    "reviews": (schema.REVIEWS.row("litigation_direct").core[0], schema.REVIEWS),
}


@dataclass
class Sections:
    headings: dict[str, int] = field(default_factory=dict)  # numeral -> offset
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # numeral -> (start, end)
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (start, end)

    def text(self, numeral: str, source: str) -> str:
        if numeral not in self.spans:
            return ""
        a, b = self.spans[numeral]
        return source[a:b].strip()


def find_headings(text: str, start: int = 0) -> dict[str, int]:
    """numeral -> offset of each section heading found, in order; headings the exact
    search misses are then looked for misprinted (``_misprinted_headings``)."""
    found: dict[str, int] = {}
    pos = start
    for numeral in NUMERALS:
        for m in _HEADING.finditer(text, pos):
            if m.group(1) != numeral:
                continue
            window = text[m.end(): m.end() + _WINDOW]
            hit = min((window.find(k) for k in KEYWORDS[numeral] if k in window), default=-1)
            if hit < 0 or re.search(r"\d", window[:hit]):
                continue
            found[numeral] = m.start()
            pos = m.end()
            break
    if len(found) < len(NUMERALS):
        found.update(_misprinted_headings(text, found, start))
    return found


_KEYWORD_FORMS = {n: tuple(k for k in ks if len(k) >= labels.MIN_LENGTH) for n, ks in KEYWORDS.items()}


def _misprinted_headings(text: str, found: dict[str, int], start: int) -> dict[str, int]:
    """Headings the exact search missed, each between the headings found before and
    after it: a numeral with '、' whose keyword, before any digit, is misprinted. Taken
    only where one heading fits best, in order with the others."""
    spans = {NUMERALS.index(n): (at, at + 1) for n, at in found.items()}
    out: dict[str, int] = {}
    for missing, lo, hi in labels.gaps(spans, len(NUMERALS), start, len(text)):
        placed: dict[str, labels.Match] = {}
        for i in missing:
            numeral = NUMERALS[i]
            fits = []
            for m in _HEADING.finditer(text, lo, hi):
                if m.group(1) != numeral:
                    continue
                window = skeleton_of(text[m.end(): m.end() + _WINDOW])
                window = re.split(r"\d", window, maxsplit=1)[0]
                best = labels.best(_KEYWORD_FORMS[numeral], window)
                if best and not labels.nearer_rival(window[best.start:best.end], best.edits,
                                                    numeral, KEYWORDS):
                    # one place per heading: the heading's own span, not the window's
                    fits.append(labels.Match(m.start(), m.end(), best.edits, best.label))
            best = labels.unique_best(fits)
            if best:
                placed[numeral] = best
        order = sorted(placed, key=NUMERALS.index)
        if [placed[n].start for n in order] == sorted(placed[n].start for n in order):
            out.update({n: m.start for n, m in placed.items()})
    return out


def split_sections(text: str) -> Sections:
    heads = find_headings(text)
    out = Sections(headings=heads)
    ordered = sorted(heads.items(), key=lambda kv: kv[1])
    for k, (numeral, offset) in enumerate(ordered):
        end = ordered[k + 1][1] if k + 1 < len(ordered) else len(text)
        out.spans[numeral] = (offset, end)
    out.tables = _table_spans(text, heads)
    return out


def _first(text: str, words, start: int = 0, stop: int | None = None) -> int | None:
    hits = [text.find(w, start, stop) for w in words]
    hits = [h for h in hits if h >= 0]
    return min(hits) if hits else None


def _misprinted_anchor(text: str, table: str, start: int = 0) -> int | None:
    """Where a table's first label is printed with misprints after ``start``: the one best
    place (``labels``), None when there is none or no single best."""
    label, t = _MISPRINT_ANCHORS[table]
    skel = Skeleton(text)
    rivals = {r.key: labels.printed_forms(r) for r in t.rows}
    key = next(r.key for r in t.rows if label in rivals[r.key])
    placed = labels.place_all([(key, (label,))], skel.text, skel.index_at(start), len(skel.text),
                              rivals)
    return skel.source_start(placed[key].start) if key in placed else None


def _table_spans(text: str, heads: dict[str, int]) -> dict[str, tuple[int, int]]:
    n = len(text)
    req_start = heads.get("三")
    if req_start is None:
        req_start = _first(text, _TABLE_ANCHORS["requests"][:1])
    if req_start is None:
        req_start = _misprinted_anchor(text, "requests", heads.get("二", 0))
    rev_start = heads.get("四")
    if rev_start is None and req_start is not None:
        hit = _first(text, _TABLE_ANCHORS["reviews"], req_start)
        if hit is None:
            hit = _misprinted_anchor(text, "reviews", req_start)
        if hit is not None:
            # back up to the header's start: the first 行政复议 before the anchor
            back = text.rfind("行政复议", req_start, hit)
            rev_start = back if back >= 0 else hit
    tail_start = min((heads[k] for k in ("五", "六") if k in heads
                      and heads[k] > (rev_start or req_start or 0)), default=n)
    spans: dict[str, tuple[int, int]] = {}
    act_start = heads.get("二")
    stop = req_start if req_start is not None else n
    if act_start is None or act_start >= stop:
        act_start = _first(text, _TABLE_ANCHORS["active"], 0, stop)
    elif _first(text, _TABLE_ANCHORS["active"], act_start, stop) is None:
        earlier = _first(text, _TABLE_ANCHORS["active"], 0, act_start)
        act_start = earlier if earlier is not None else act_start
    if act_start is not None:
        spans["active"] = (act_start, stop)
    if req_start is not None:
        spans["requests"] = (req_start, rev_start if rev_start and rev_start > req_start else tail_start)
    if rev_start is not None:
        spans["reviews"] = (rev_start, tail_start if tail_start > rev_start else n)
    return spans
