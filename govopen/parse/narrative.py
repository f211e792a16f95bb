"""Narrative facts: a small, declared set of numbers read from a report's prose.

In: one report as ``sections`` — keys '一'..'六', values the text of each of the six
sections (with or without its heading) — and, optionally, the report's ``full_text``, whose
part before the first heading (the *preamble*) is read as well.

Out:

* ``FACTS`` — the declared facts, as data: for each a key, Chinese and English label,
  unit and definition (what a codebook prints; ``codebook()`` gives them as a table), the
  sections it is looked for in, and the wordings (``Cue``) that state it. Nothing about a
  fact is spelled anywhere else. A section whose heading was not found (so that its text
  ends the section before it) lends its facts to that section; with no sections at all
  the full text is read whole.
* ``extract_facts(sections, full_text="")`` — a ``pandas.DataFrame`` with one row per
  candidate and the columns ``fact, value, unit, section, sentence, confidence``:

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

  Several candidates, in one sentence or several, stay separate rows: nothing is summed
  or chosen here. Rows come in reading order.
* ``check_facts(facts, cells)`` — findings where the prose of a report contradicts its
  own tables (``cells``: the long table of the same report, columns ``report_id, table,
  row, column, value, raw, status, line, note``). Each finding is a dict with ``rule,
  severity, table, row, column, message``:

  - ``narrative_requests`` (warning): a request count in the prose that equals neither
    ``requests/new_received/total`` nor ``requests/total/total``. Prose counts loosely
    (办理 often means received), so a count that matches either row is accepted; the
    message names the row of the count's own kind first.
  - ``narrative_fee_exceeds_table`` (warning): the information-processing fee collected
    (信息处理费, 元) is larger than the table's 行政事业性收费 amount (``active/fees/amount``,
    万元, 2021 template), although the fee is collected as an administrative fee (booked
    under 其他缴入国库的行政事业性收费).
  - ``narrative_fee_unit`` (warning): a fee of X 元 in the prose and exactly X in the
    table's 万元 column — the table most likely holds 元.

  Only candidates of 'high' or 'medium' confidence are checked (``min_confidence``). A fee
  of 0 in the prose never contradicts a positive table amount: that row counts all of the
  agency's administrative fees, not only the information-processing fee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import pandas as pd

from ..fields import FACT_RECORD_COLUMNS
from .text import normalize, valid_part

COLUMNS = FACT_RECORD_COLUMNS  # defined with every output's columns in govopen.fields
CONFIDENCE = ("high", "medium", "low")
SECTIONS = ("一", "二", "三", "四", "五", "六")
PREAMBLE = "preamble"


@dataclass(frozen=True)
class Cue:
    """One wording that states a fact.

    ``pattern`` is a regular expression over the normalised text (full-width ASCII folded:
    '，' reads ',', '；' reads ';'); ``{N}`` in it stands for a number (named groups
    ``pre``/``num``/``wan``/``approx``: 近/约 …, the digits or Chinese numerals, 万, 余/多).
    A group ``q`` holds free words between the cue words (checked against the fact's
    ``partial`` marks), a group ``unit`` a printed money unit (元/万元).
    """

    pattern: str
    grade: str = "high"  # the best confidence this wording can give
    value: float | None = None  # fixed value of a statement without a number (未收到…: 0)
    needs: str = ""  # the sentence must also match this
    period: bool = True  # without a period named in the sentence, 'high' falls to 'medium'
    cells: int = 0  # > 0: group 'cells' is a table row of this many cells, maybe run together
    cell: int = -1  # the cell that holds the value


@dataclass(frozen=True)
class Fact:
    key: str
    zh: str
    en: str
    unit: str
    definition: str
    sections: tuple[str, ...]  # where it is looked for ('preamble', '一'..'六')
    cues: tuple[Cue, ...]
    partial: str = ""  # in ``q`` or just before the match: a subset or one channel -> 'low'


# --- the declared facts -------------------------------------------------------------

_NUMBER = (r"(?P<pre>近|约|逾|超过)?\s*"
           r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
           r"\s*(?P<wan>万)?\s*(?P<approx>余|多)?\s*")
_W = r"[^。;；,，\n]"  # one character inside a clause
_Q = r"[^。;；,，\n\d]"  # one character of the free words (group q) between cue words
_QTY = r"(?:共计|总计|合计|累计|总数|数量|共|为|达|计)*"
_NOT_RATE = r"(?!\d|[.,]\d|\s*(?:万元|元)?\s*[/每])"  # a price ('100元/件'), not an amount
_CHANNELS = r"微信|公众号|微博|头条|抖音|视频号|快手|客户端|新媒体"
_PLATFORMS = (r"(?:政务微信(?:公众号)?|政务微博|微信公众号|微信号|微信|微博|抖音号|抖音|"
              r"今日头条号|头条号|视频号|快手号)")

FACTS: tuple[Fact, ...] = (
    Fact(
        "proactive_items", "主动公开政府信息（条）", "Items of government information disclosed "
        "proactively", "条",
        "Number of items of government information the agency disclosed proactively in the "
        "year, as the prose states it (usually section 一).",
        (PREAMBLE, "一", "二"),
        (
            Cue(r"(?<![应当因])主动公开(?P<q>" + _Q + r"{0,40}?)(?:政府|政务)?信息(?:数)?"
                + _QTY + r"{N}(?:条|份)"),
            Cue(r"(?<![应当因])主动公开(?:政府)?信息数" + _QTY + r"{N}(?![\d条份件个万])"),
            Cue(r"(?<!申请)(?<!不予)(?<!主动)公开(?P<q>" + _Q + r"{0,12}?)(?:政府|政务)信息"
                + _QTY + r"{N}(?:条|份)"),
            Cue(r"(?<![应当因])主动公开\s*{N}条", grade="medium"),
            Cue(r"(?:门户网站|信息公开目录|信息公开专栏|公开专栏|网站)(?P<q>" + _Q + r"{0,8}?)"
                r"(?:更新|发布)(?:各类|各项)?(?:政府|政务)?(?:信息)?" + _QTY + r"{N}条",
                grade="medium"),
            Cue(r"(?:更新|发布)(?:各类|各项)(?:政府|政务)?信息" + _QTY + r"{N}条", grade="low"),
        ),
        partial=r"、|等|重点领域|其中|其他|" + _CHANNELS,
    ),
    Fact(
        "requests_received", "收到（受理）政府信息公开申请（件）", "Requests received", "件",
        "Number of requests for government information the prose says were received or "
        "accepted (收到, 受理, 接到) in the year; compare with requests/new_received/total.",
        (PREAMBLE, "一", "三"),
        (
            Cue(r"(?:收到|受理|接到|接收|新收)(?P<q>" + _Q + r"{0,30}?)(?:的)?"
                r"(?:申请件|申请(?!人)|依申请公开(?:事项|件)?)" + _QTY + r"{N}(?:件|条|宗|个|份)"),
            Cue(r"(?:未|没有|暂未|尚未|并未)(?:收到|受理|接到|接收)(?P<q>" + _Q + r"{0,20}?)"
                r"(?:申请(?!人)|依申请公开)", value=0.0),
        ),
    ),
    Fact(
        "requests_handled", "办理（办结、答复）政府信息公开申请（件）", "Requests handled", "件",
        "Number of requests the prose says were handled, concluded or answered (办理, 办结, "
        "答复) in the year; compare with requests/total/total.",
        (PREAMBLE, "一", "三"),
        (
            Cue(r"(?:办理|办结|答复|处理|回复)(?P<q>" + _Q + r"{0,30}?)(?:的)?"
                r"(?:申请件|申请(?!人)|依申请公开|依申请)" + _QTY + r"{N}(?:件|条|宗|个|份)"),
            Cue(r"办结\s*{N}件", grade="medium", needs=r"申请"),
            Cue(r"{N}件(?:政府信息)?公开申请(?:已|均)?(?:办结|答复|办理)", grade="medium"),
            Cue(r"回应依申请公开(?:政府)?信息\s*{N}(?:条|件)", grade="medium"),
            Cue(r"依申请公开(?:政府)?信息(?!数)\s*{N}(?:条|件)", grade="low"),
        ),
    ),
    Fact(
        "new_media_accounts", "政务新媒体（个）", "Government new-media accounts", "个",
        "Number of government new-media accounts (政务新媒体: WeChat, Weibo, Douyin … "
        "accounts) the prose reports; a count of one platform is a separate, 'low' row.",
        (PREAMBLE, "一"),
        (
            Cue(r"政务新媒体(?:账号|平台)?" + _QTY + r"{N}(?:个|家)"),
            Cue(r"{N}个政务新媒体"),
            Cue(_PLATFORMS + r"(?:账号)?" + _QTY + r"{N}个", grade="low"),
            Cue(r"{N}个" + _PLATFORMS, grade="low"),
        ),
    ),
    Fact(
        "fees_collected", "收取信息处理费（元）", "Information-processing fees collected", "元",
        "Information-processing fees (信息处理费, 国办函〔2020〕109号) actually collected in "
        "the year, in 元 (万元 converted exactly); 0 where the prose says none was collected.",
        ("一", "六"),
        (
            Cue(r"(?:收取|收缴|实收|共收)(?P<q>" + _Q + r"{0,12}?)(?:信息处理费|处理费|信息公开费)"
                r"(?:用)?(?:共计|合计|共|为|计|金额)*\s*{N}" + _NOT_RATE + r"(?P<unit>万元|元)?"),
            Cue(r"(?:信息处理费|处理费)(?:共计|合计|共|为|金额)*\s*{N}" + _NOT_RATE + r"(?P<unit>万元|元)"),
            Cue(r"(?:未|没有|无|暂未|并未|尚未)(?P<q>" + _Q + r"{0,8}?)(?:产生|收取|收缴|发生)"
                + _W + r"{0,14}?(?:信息处理费|处理费|费用)", value=0.0),
            Cue(r"不(?:向申请人)?收取(?:任何)?费用", value=0.0, grade="low"),
            Cue(r"通知收取件数" + _W + r"{0,30}?实际收取金额\s*\(?\s*(?P<unit>万元|元)?\s*\)?"
                r"[^。\d]{0,20}?信息处理费(?:收取情况)?\s*(?P<cells>\d[\d. \t]*\d|\d)",
                cells=3, cell=2, period=False),
            Cue(r"信息处理费(?:收取情况)?\s*通知收取件数" + _W + r"{0,30}?实际收取金额\s*\(?\s*"
                r"(?P<unit>万元|元)?\s*\)?\s*(?P<cells>\d[\d. \t]*\d|\d)",
                cells=3, cell=2, period=False),
        ),
    ),
    Fact(
        "policy_interpretations", "发布政策解读（件）", "Policy interpretations published", "件",
        "Number of policy interpretations (政策解读 documents, articles) the prose says were "
        "published in the year.",
        (PREAMBLE, "一"),
        (
            Cue(r"政策(?:性)?解读(?:文件|稿件|材料|信息|文章)?" + _QTY + r"{N}(?:件|条|篇|份|期)"),
            Cue(r"解读政策(?:性)?文件" + _QTY + r"{N}(?:件|条|篇|份)"),
        ),
    ),
)

FACT_KEYS = tuple(f.key for f in FACTS)

_PERIOD = re.compile(r"全年|本年|今年|年度|一年|(?:19|20)\d\d\s*年|截至|截止|以来|目前")
_CLUTTER = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>\n]{0,200}>", re.S)  # HTML left in text
_SENTENCE_END = re.compile(r"[。!?！？\n]")
# a heading glued to the text before it ('…公告。(三)主动公开…', '…0000000四、政府…') starts
# a sentence too
_SENTENCE_START = re.compile(r"(?<!第)[(（][一二三四五六七八九十]{1,2}[)）]|(?<![一二三四五六七八九十])"
                             r"[一二三四五六七八九十]{1,2}、")


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("{N}", _NUMBER))


_COMPILED = {(f.key, i): _compile(c.pattern) for f in FACTS for i, c in enumerate(f.cues)}
# A pattern that opens with the number is tried at every digit of the tables: what follows
# the number, searched for first, tells whether it can match at all.
_TAILS = {(f.key, i): re.compile(c.pattern.removeprefix("{N}")) for f in FACTS
          for i, c in enumerate(f.cues) if c.pattern.startswith("{N}")}
_PARTIAL = {f.key: re.compile(f.partial) for f in FACTS if f.partial}


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


def extract_facts(sections: dict[str, str], full_text: str = "") -> pd.DataFrame:
    """The declared narrative facts of one report (see the module docstring)."""
    return pd.DataFrame(fact_records(sections, full_text), columns=list(COLUMNS))


def fact_records(sections: dict[str, str], full_text: str = "") -> list[tuple]:
    """``extract_facts`` as plain tuples in ``COLUMNS`` order, for a batch to gather."""
    blocks = _blocks(sections, full_text)
    found: list[_Candidate] = []
    for b, (section, covers, source) in enumerate(blocks):
        clean = _CLUTTER.sub(lambda m: " " * len(m.group()), source)
        text = normalize(clean)
        for fact in FACTS:
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
             CONFIDENCE[c.rank]) for c in _keep_apart(found)]


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
        value = _amount(groups["num"])
        if value is None:
            return None
        if groups.get("wan"):
            value *= 10000
        if groups.get("approx") or groups.get("pre"):
            rank = CONFIDENCE.index("low")
        start, end = m.start("num"), m.end("num")
    else:
        value = Decimal(str(cue.value if cue.value is not None else 0))
        start, end = m.start(), m.end()
    if groups.get("unit") == "万元":
        value *= 10000
    if cue.period and not _PERIOD.search(sentence_norm):
        rank = max(rank, CONFIDENCE.index("medium"))
    partial = _PARTIAL.get(fact.key)
    if partial is not None:
        before = text[max(s0, m.start() - 12):m.start()]
        if partial.search(groups.get("q") or "") or re.search(_CHANNELS, before):
            rank = CONFIDENCE.index("low")
    sentence = re.sub(r"\s+", " ", _CLUTTER.sub("", source[s0:s1])).strip()
    return _Candidate(fact, value, block, start, end, rank, section, sentence)


def _keep_apart(found: list[_Candidate]) -> list[_Candidate]:
    """One candidate per printed number: where several wordings (or facts) read the same
    digits, the most confident wins, then the fact declared first."""
    order = {f.key: i for i, f in enumerate(FACTS)}
    found = sorted(found, key=lambda c: (c.block, c.rank, order[c.fact.key], c.start))
    kept: list[_Candidate] = []
    for c in found:
        if any(k.block == c.block and k.start < c.end and c.start < k.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: (c.block, c.start, order[c.fact.key]))


# --- checks ---------------------------------------------------------------------------

_APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
               "legal_services", "other")
_REQUEST_ROW = {"requests_received": ("new_received", "received"),
                "requests_handled": ("total", "handled")}
_ROW_NAME = {"new_received": "new requests received", "total": "requests handled"}


def check_facts(facts: pd.DataFrame, cells: pd.DataFrame,
                min_confidence: str = "medium") -> list[dict]:
    """Findings where the prose contradicts the tables of the same report."""
    if "report_id" in cells.columns and cells["report_id"].nunique() > 1:
        raise ValueError("cells hold several reports; check one report at a time")
    if facts.empty:
        return []
    rows = [_Fact(*r) for r in zip(*(facts[c].tolist() for c in _Fact._fields), strict=True)]
    columns = (cells[c].tolist() for c in ("table", "row", "column", "value"))
    return check_fact_records(rows, zip(*columns, strict=True), min_confidence)


def check_fact_records(facts: Iterable[tuple], cells: Iterable[tuple],
                       min_confidence: str = "medium") -> list[dict]:
    """``check_facts`` on plain tuples: facts as (fact, value, sentence, confidence), cells
    as (table, row, column, value), both of one report."""
    allowed = CONFIDENCE[:CONFIDENCE.index(min_confidence) + 1]
    rows = [f for f in map(_Fact._make, facts) if f.confidence in allowed]
    if not rows:
        return []
    cells = _CellIndex(cells)
    findings: list[dict] = []
    seen: set[tuple] = set()
    for f in rows:
        if f.fact in _REQUEST_ROW:
            finding = _check_request(f, cells)
        elif f.fact == "fees_collected":
            finding = _check_fee(f, cells)
        else:
            finding = None
        if finding is None:
            continue
        key = (finding["rule"], finding["row"], f.value)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    return findings


class _Fact(NamedTuple):
    fact: str
    value: float
    sentence: str
    confidence: str


class _CellIndex(dict):
    """(table, row, column) -> the value of the first such cell of a long table."""

    def __init__(self, cells: Iterable[tuple]):
        super().__init__()
        for key in cells:  # (table, row, column, value)
            self.setdefault(key[:3], key[3])


def _cell(cells: _CellIndex, table: str, row: str, column: str) -> Decimal | None:
    if (table, row, column) not in cells:
        return None
    value = cells[(table, row, column)]
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _check_request(f, cells: _CellIndex) -> dict | None:
    own_row, verb = _REQUEST_ROW[f.fact]
    other_row = "total" if own_row == "new_received" else "new_received"
    own = _cell(cells, "requests", own_row, "total")
    other = _cell(cells, "requests", other_row, "total")
    said = Decimal(str(f.value))
    if own is None and other is None:
        return None
    if said in (own, other):
        return None
    row, printed = (own_row, own) if own is not None else (other_row, other)
    message = (f"text says {_fmt(said)} requests {verb} ({_quote(f.sentence, said)}), "
               f"table {row} total is {_fmt(printed)}")
    if own is not None and other is not None:
        message += f" ({_ROW_NAME[other_row]}: {_fmt(other)})"
    parts = [_cell(cells, "requests", row, c) for c in _APPLICANTS]
    if all(p is not None for p in parts) and sum(parts) != printed:
        message += f"; its applicant columns add to {_fmt(sum(parts))}"
    return {"rule": "narrative_requests", "severity": "warning", "table": "requests",
            "row": row, "column": "total", "message": message}


def _check_fee(f, cells: _CellIndex) -> dict | None:
    amount = _cell(cells, "active", "fees", "amount")  # 万元
    said = Decimal(str(f.value))  # 元
    if amount is None or said <= 0:
        return None
    quote = _quote(f.sentence, said)
    if amount == said:
        return {"rule": "narrative_fee_unit", "severity": "warning", "table": "active",
                "row": "fees", "column": "amount",
                "message": f"text says {_fmt(said)} 元 of information-processing fees "
                           f"({quote}) and the table's fees amount is {_fmt(amount)} 万元 "
                           f"(= {_fmt(amount * 10000)} 元): the table probably holds 元"}
    if said > amount * 10000:
        return {"rule": "narrative_fee_exceeds_table", "severity": "warning",
                "table": "active", "row": "fees", "column": "amount",
                "message": f"text says {_fmt(said)} 元 of information-processing fees "
                           f"({quote}), more than the table's fees amount of {_fmt(amount)} "
                           f"万元 (= {_fmt(amount * 10000)} 元)"}
    return None


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _quote(sentence: str, value: Decimal, width: int = 60) -> str:
    """The sentence, cut to ``width`` characters around the number it states."""
    if len(sentence) <= width:
        return f"“{sentence}”"
    m = re.search(rf"(?<![\d.]){re.escape(_fmt(value))}(?![\d])", normalize(sentence))
    mid = m.start() if m else 0
    a = max(0, min(mid - width // 2, len(sentence) - width))
    cut = sentence[a:a + width]
    return "“" + ("…" if a else "") + cut + ("…" if a + width < len(sentence) else "") + "”"


def codebook() -> pd.DataFrame:
    """The declared facts as a table: key, zh, en, unit, definition."""
    return pd.DataFrame([{"key": f.key, "zh": f.zh, "en": f.en, "unit": f.unit,
                          "definition": f.definition} for f in FACTS])


CONFIDENCE_ORDER = ("high", "medium", "low")
PANEL_FACTS = ("proactive_items", "fees_collected")  # the facts the panel carries


def stated_value(facts: pd.DataFrame, key: str) -> float:
    """The one value a report's prose gives for ``key``, or NaN.

    The candidates of the best confidence present must all agree; two different numbers
    stated with equal confidence leave the value missing rather than picking one. Low
    confidence candidates (a subset, a single channel, an approximation) never count.
    """
    if facts.empty:
        return float("nan")
    rows = facts[facts["fact"] == key]
    return stated(zip(rows["value"], rows["confidence"], strict=True))


def stated(candidates: Iterable[tuple[float, str]]) -> float:
    """``stated_value`` of one fact given as (value, confidence) pairs."""
    candidates = list(candidates)
    for level in CONFIDENCE_ORDER[:2]:
        values = {v for v, c in candidates if c == level}
        if values:
            return float(values.pop()) if len(values) == 1 else float("nan")
    return float("nan")
