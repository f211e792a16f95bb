"""Narrative facts read from a report's prose: every candidate, with its sentence.

In: one report as ``sections`` — keys '一'..'六', values the text of each of the six
sections (with or without its heading) — and, optionally, the report's ``full_text``, whose
part before the first heading (the *preamble*) is read as well. The facts and their
wordings are those declared in ``facts.FACTS``. A section whose heading was not found (so
that its text ends the section before it) lends its facts to that section; with no
sections at all the full text is read whole.

Out: ``extract_facts(sections, full_text="")`` — a ``pandas.DataFrame`` with one row per
candidate and the columns ``fact, value, unit, section, sentence, confidence``
(``fact_records`` gives the same rows as plain tuples):

- ``value`` a float; fees in 元, converted from 万元 exactly (``Decimal``) before the
  float is made; a statement of none ("未收到申请", "未收取信息处理费") is 0;
- ``unit`` the fact's declared unit (the printed one can differ: 申请4条);
- ``section`` '一'..'六', 'preamble' for the text before the first heading, or '' when
  only a full text was given;
- ``sentence`` the whole sentence the number stands in, as printed;
- ``confidence`` 'high' (a wording that names the fact, in a sentence that names the
  period: 全年, 本年度, 2021年, 截至…, 目前), 'medium' (no period named, or a weaker
  wording: 办结14件, 网站更新831条, a flattened table row), 'low' (a partial match: a
  subset or a single channel — 重点领域信息80条, 微信公众号…, 政务微博2个 —, an
  approximate number — 190余条 —, or an ambiguous wording — 依申请公开政府信息5条).

Several candidates, in one sentence or several, stay separate rows: nothing is summed or
chosen here. Rows come in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from .facts import (
    CHANNELS,
    COLUMNS,
    CONFIDENCE,
    FACTS,
    NUMBER,
    PRE2019_FACTS,
    PREAMBLE,
    SECTIONS,
    Cue,
    Fact,
)
from .text import normalize, valid_part

_PERIOD = re.compile(r"全年|本年|今年|年度|一年|(?:19|20)\d\d\s*年|截至|截止|以来|目前")
_CLUTTER = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>\n]{0,200}>", re.S)  # HTML left in text
_SENTENCE_END = re.compile(r"[。!?！？\n]")
# a heading glued to the text before it ('…公告。(三)主动公开…', '…0000000四、政府…') starts
# a sentence too
_SENTENCE_START = re.compile(r"(?<!第)[(（][一二三四五六七八九十]{1,2}[)）]|(?<![一二三四五六七八九十])"
                             r"[一二三四五六七八九十]{1,2}、")


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("{N}", NUMBER))


_COMPILED = {(f.key, i): _compile(c.pattern) for f in FACTS + PRE2019_FACTS
             for i, c in enumerate(f.cues)}
# A pattern that opens with the number is tried at every digit of the tables: what follows
# the number, searched for first, tells whether it can match at all.
_TAILS = {(f.key, i): re.compile(c.pattern.removeprefix("{N}")) for f in FACTS + PRE2019_FACTS
          for i, c in enumerate(f.cues) if c.pattern.startswith("{N}")}
_PARTIAL = {f.key: re.compile(f.partial) for f in FACTS + PRE2019_FACTS if f.partial}


# --- numbers --------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """A Chinese numeral below 10 000 ('十二' -> 12, '一百零五' -> 105); None if malformed."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                return None  # two digits in a row: '一二'
            digit = _DIGITS[ch]
        elif ch in _POWERS:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _amount(raw: str) -> Decimal | None:
    if raw and raw[0].isdigit():
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return None
    n = chinese_number(raw)
    return None if n is None else Decimal(n)


def _row_cells(raw: str, count: int) -> list[list[str]]:
    """Every way to read ``raw`` as ``count`` cells: spaces always separate cells, digits
    that run together are cut where no cell gets a leading zero ('18000' -> 1|800|0 or
    180|0|0)."""
    tokens = raw.split()

    def cuts(token: str, parts: int) -> list[list[str]]:
        if parts == 1:
            return [[token]] if _cell_ok(token) else []
        out = []
        for i in range(1, len(token)):
            head = token[:i]
            if _cell_ok(head):
                out += [[head, *rest] for rest in cuts(token[i:], parts - 1)]
        return out

    def spread(i: int, left: int) -> list[list[str]]:
        if i == len(tokens):
            return [[]] if left == 0 else []
        out = []
        for parts in range(1, left - (len(tokens) - i - 1) + 1):
            for head in cuts(tokens[i], parts):
                out += [head + rest for rest in spread(i + 1, left - parts)]
        return out

    return spread(0, count) if tokens else []


def _cell_ok(cell: str) -> bool:
    whole, dot, frac = cell.partition(".")
    return valid_part(whole) and (not dot or frac.isdigit())


# --- extraction -----------------------------------------------------------------------


@dataclass
class _Candidate:
    fact: Fact
    value: Decimal
    block: int
    start: int
    end: int
    rank: int  # index into CONFIDENCE
    section: str
    sentence: str


def extract_facts(sections: dict[str, str], full_text: str = "",
                  facts: tuple[Fact, ...] = FACTS) -> pd.DataFrame:
    """The declared narrative facts of one report (see the module docstring); ``facts``
    the registry to read (``FACTS``, or with ``PRE2019_FACTS`` for an earlier report)."""
    return pd.DataFrame(fact_records(sections, full_text, facts), columns=list(COLUMNS))


def fact_records(sections: dict[str, str], full_text: str = "",
                 facts: tuple[Fact, ...] = FACTS) -> list[tuple]:
    """``extract_facts`` as plain tuples in ``COLUMNS`` order, for a batch to gather."""
    blocks = _blocks(sections, full_text)
    found: list[_Candidate] = []
    for b, (section, covers, source) in enumerate(blocks):
        clean = _CLUTTER.sub(lambda m: " " * len(m.group()), source)
        text = normalize(clean)
        for fact in facts:
            if section and not set(covers) & set(fact.sections):
                continue
            for i, cue in enumerate(fact.cues):
                tail = _TAILS.get((fact.key, i))
                if tail is not None and not tail.search(text):
                    continue  # no match can end here: spare the search at every digit
                for m in _COMPILED[(fact.key, i)].finditer(text):
                    cand = _candidate(fact, cue, m, text, source, b, section)
                    if cand is not None:
                        found.append(cand)
    return [(c.fact.key, float(c.value), c.fact.unit, c.section, c.sentence,
             CONFIDENCE[c.rank]) for c in _keep_apart(found, facts)]


def _blocks(sections: dict[str, str], full_text: str) -> list[tuple[str, tuple, str]]:
    """(section key, the sections its text may hold, text) in reading order.

    A section whose heading was not found leaves its text in the section before it, so
    that section is read for the facts of both ('二' stands in for a missing '三').
    ('', (), full text) when there are no sections at all.
    """
    present = [k for k in SECTIONS if sections.get(k)]
    if full_text and not present:
        return [("", (), full_text)]
    blocks = []
    for i, k in enumerate(present):
        stop = SECTIONS.index(present[i + 1]) if i + 1 < len(present) else len(SECTIONS)
        blocks.append((k, SECTIONS[SECTIONS.index(k):stop], sections[k]))
    if full_text:
        preamble = _preamble(full_text, sections)
        if preamble and preamble.strip():
            blocks.insert(0, (PREAMBLE, (PREAMBLE,), preamble))
    return blocks


_FIRST_HEADING = re.compile(r"一\s*[、.．]\s*(?:总体情况|概述|总体|基本情况)")


def _preamble(full_text: str, sections: dict[str, str]) -> str | None:
    """The full text before section 一, or None when it cannot be placed."""
    first = next((sections[k] for k in SECTIONS if sections.get(k)), "")
    head = first.strip()[:30]
    if head:
        i = full_text.find(head)
        if i >= 0:
            return full_text[:i]
    m = _FIRST_HEADING.search(normalize(full_text))
    if m:
        return full_text[:m.start()]
    return None


def _candidate(fact: Fact, cue: Cue, m: re.Match, text: str, source: str, block: int,
               section: str) -> _Candidate | None:
    s0 = max((e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
    s0 = max((h.start() for h in _SENTENCE_START.finditer(text, s0, m.start())), default=s0)
    end_m = _SENTENCE_END.search(text, m.end())
    s1 = end_m.end() if end_m else len(text)
    sentence_norm = text[s0:s1]
    if cue.needs and not re.search(cue.needs, sentence_norm):
        return None
    if cue.unless and re.search(cue.unless, sentence_norm):
        return None
    groups = m.groupdict()
    rank = CONFIDENCE.index(cue.grade)
    if cue.cells:
        readings = _row_cells(groups["cells"], cue.cells)
        values = {r[cue.cell] for r in readings}
        if len(values) != 1:
            return None  # not decidable from the printed digits
        value = Decimal(values.pop())
        if len(groups["cells"].split()) != cue.cells:
            rank = max(rank, CONFIDENCE.index("medium"))  # read from run-together digits
        start, end = m.start("cells"), m.end("cells")
    elif groups.get("num") is not None:
        amount = _amount(groups["num"])
        if amount is None:
            return None
        value = amount
        if groups.get("wan"):
            value *= 10000
        if groups.get("approx") or groups.get("pre"):
            rank = CONFIDENCE.index("low")
        start, end = m.start("num"), m.end("num")
    else:
        value = Decimal(str(cue.value if cue.value is not None else 0))
        start, end = (m.start("at"), m.end("at")) if groups.get("at") else (m.start(), m.end())
    if groups.get("unit") == "万元":
        value *= 10000
    if cue.period and not _PERIOD.search(sentence_norm):
        rank = max(rank, CONFIDENCE.index("medium"))
    partial = _PARTIAL.get(fact.key)
    if partial is not None:
        before = text[max(s0, m.start() - 12):m.start()]
        if partial.search(groups.get("q") or "") or re.search(CHANNELS, before):
            rank = CONFIDENCE.index("low")
    sentence = re.sub(r"\s+", " ", _CLUTTER.sub("", source[s0:s1])).strip()
    return _Candidate(fact, value, block, start, end, rank, section, sentence)


def _keep_apart(found: list[_Candidate], facts: tuple[Fact, ...]) -> list[_Candidate]:
    """One candidate per printed number: where several wordings (or facts) read the same
    digits, the most confident wins, then the fact declared first."""
    order = {f.key: i for i, f in enumerate(facts)}
    found = sorted(found, key=lambda c: (c.block, c.rank, order[c.fact.key], c.start))
    kept: list[_Candidate] = []
    for c in found:
        if any(k.block == c.block and k.start < c.end and c.start < k.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: (c.block, c.start, order[c.fact.key]))
