"""The declared narrative facts: what a report's prose may state, as data.

In: nothing; this module is the registry. Out:

* ``FACTS`` — the declared facts: for each a key, Chinese and English label, unit and
  definition (what a codebook prints; ``codebook()`` gives them as a table), the sections
  it is looked for in (``PREAMBLE`` for the text before the first heading, '一'..'六'), and
  the wordings (``Cue``) that state it. Nothing about a fact is spelled anywhere else;
  ``prose`` reads them from a report, ``prose_checks`` compares them with its tables.
* ``COLUMNS`` — the columns of a report's facts (``fact, value, unit, section, sentence,
  confidence``), ``CONFIDENCE`` the confidences from best to worst.
* ``stated_value(facts, key)`` / ``stated(candidates)`` — the one value a report's prose
  gives for a fact, or NaN: what the panel carries for ``PANEL_FACTS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..fields import FACT_RECORD_COLUMNS

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
    ``partial`` marks), a group ``unit`` a printed money unit (元/万元); a group ``at``
    the words a statement without a number is about (two statements can share a verb:
    未收到申请行政复议、提起行政诉讼).
    """

    pattern: str
    grade: str = "high"  # the best confidence this wording can give
    value: float | None = None  # fixed value of a statement without a number (未收到…: 0)
    needs: str = ""  # the sentence must also match this
    period: bool = True  # without a period named in the sentence, 'high' falls to 'medium'
    cells: int = 0  # > 0: group 'cells' is a table row of this many cells, maybe run together
    cell: int = -1  # the cell that holds the value
    unless: str = ""  # the sentence must not match this (审批 applications are no OGI requests)


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

NUMBER = (r"(?P<pre>近|约|逾|超过)?\s*"
           r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
           r"\s*(?P<wan>万)?\s*(?P<approx>余|多)?\s*")
_W = r"[^。;；,，\n]"  # one character inside a clause
_Q = r"[^。;；,，\n\d]"  # one character of the free words (group q) between cue words
# a free word that is not part of 行政复议/行政诉讼: a request for review is no OGI request
_NOT_REVIEW = r"(?:(?!复议|诉讼)" + _Q + ")"
# the applications a 行政服务中心 (审批 windows) takes are no requests for information
_SERVICE_CENTRE = r"审批|窗口|服务中心|办件"
_QTY = r"(?:共计|总计|合计|累计|总数|数量|共|为|达|计)*"
_NOT_RATE = r"(?!\d|[.,]\d|\s*(?:万元|元)?\s*[/每])"  # a price ('100元/件'), not an amount
CHANNELS = r"微信|公众号|微博|头条|抖音|视频号|快手|客户端|新媒体"
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
        partial=r"、|等|重点领域|其中|其他|" + CHANNELS,
    ),
    Fact(
        "requests_received", "收到（受理）政府信息公开申请（件）", "Requests received", "件",
        "Number of requests for government information the prose says were received or "
        "accepted (收到, 受理, 接到) in the year; compare with requests/new_received/total.",
        (PREAMBLE, "一", "三"),
        (
            Cue(r"(?:收到|受理|接到|接收|新收)(?P<q>" + _NOT_REVIEW + r"{0,30}?)(?:的)?"
                r"(?:申请件|申请(?!人)|依申请公开(?:事项|件)?)" + _QTY + r"{N}(?:件|条|宗|个|份)",
                unless=_SERVICE_CENTRE),
            Cue(r"(?:未|没有|暂未|尚未|并未)(?:收到|受理|接到|接收)(?P<q>" + _NOT_REVIEW
                + r"{0,20}?)(?:申请(?!人|行政复议|复议|提起)|依申请公开)", value=0.0),
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

# --- the facts of the reports before 2019 ---------------------------------------------
# Read only in reports of the pre-2019 era (govopen.parse.pre2019), where the prose states
# what the statistics table holds, or the table is missing. A fact's key is the key of the
# schema's statistic it states (govopen.schema.STATISTICS), so the prose and the table
# meet; the document counts of 二（一） (制作、获取 … 不予公开信息数) are facts of their own,
# never requests or refusals.
_ANY = (PREAMBLE, *SECTIONS)
_TIAO = r"(?:条|件|个|份)"


def _says(key: str, zh: str, en: str, unit: str, definition: str, *cues: Cue) -> Fact:
    return Fact(key, zh, en, unit, definition, _ANY, cues)


PRE2019_FACTS: tuple[Fact, ...] = (
    _says("requests_by_channel_in_person", "当面申请（条）", "Requests made in person", "条",
          "Requests made in person, as the prose states them.",
          Cue(r"当面申请(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("requests_by_channel_email", "电子邮件申请（条）", "Requests by e-mail", "条",
          "Requests by e-mail, as the prose states them.",
          Cue(r"(?:电子邮件|电子邮箱)申请(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("requests_by_channel_online", "网上申请（条）", "Requests online", "条",
          "Requests made online, as the prose states them.",
          Cue(r"(?:网上|网络)申请(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("requests_by_channel_letter", "信函申请（条）", "Requests by letter", "条",
          "Requests by letter, as the prose states them.",
          Cue(r"(?<!、)信函申请(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("requests_by_channel_fax", "传真申请（条）", "Requests by fax", "条",
          "Requests by fax, as the prose states them.",
          Cue(r"(?<!、)传真申请(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("replies_total", "答复申请（条）", "Requests answered", "条",
          "Replies given to requests (答复总数), as the prose states them.",
          Cue(r"(?:对(?:依申请公开|政府信息公开申请|申请)的答复(?:总数|数)|(?<!公开)答复总数)"
              + _QTY + r"{N}" + _TIAO, period=False)),
    _says("replies_granted", "同意公开答复（条）", "Requests granted in full", "条",
          "Replies granting the request in full, as the prose states them.",
          Cue(r"(?<!部分)同意公开(?:答复)?(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("replies_partially_granted", "同意部分公开答复（条）", "Requests granted in part", "条",
          "Replies granting the request in part, as the prose states them.",
          Cue(r"同意部分公开(?:答复)?(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("denied", "否决公开答复（条）", "Requests refused", "条",
          "Replies refusing the request (否决/不予公开答复), as the prose states them; "
          "不予公开信息数 counts documents and is not this.",
          Cue(r"(?:否决|不予|不同意)公开答复(?:数)?" + _QTY + r"{N}" + _TIAO, period=False)),
    _says("reviews", "行政复议（件）", "Administrative reviews", "件",
          "Applications for administrative review about open government information.",
          Cue(r"收到{N}(?:份|件|起|宗)(?P<q>" + _Q + r"{0,16}?)行政复议申请", period=False),
          Cue(r"(?:未|没有|暂未|尚未|并未)(?:收到|发生|接到)(?P<q>" + _Q + r"{0,16}?)"
              r"(?:申请)?(?P<at>行政复议)", value=0.0, period=False)),
    _says("lawsuits", "行政诉讼（件）", "Administrative lawsuits", "件",
          "Administrative lawsuits about open government information.",
          Cue(r"(?:未|没有|暂未|尚未|并未)(?:收到|发生|接到)" + _W + r"{0,16}?"
              r"(?:提起|发生)?(?P<at>行政诉讼)", value=0.0, period=False)),
    _says("info_produced_total", "制作、获取政府信息总数（条）", "Documents made or obtained",
          "条", "Documents of government information the agency made or obtained and "
          "classified in the year (a count of documents, not of requests).",
          Cue(r"制作、?获取(?:的)?政府信息(?:总数|共)?" + _QTY + r"{N}" + _TIAO + "?", period=False)),
    _says("info_on_request", "作为依申请公开信息数（条）", "Documents open on request", "条",
          "Documents classified as open on request (a count of documents, not requests).",
          Cue(r"作为依申请公开(?:的)?信息(?:数)?" + _QTY + r"{N}", period=False)),
    _says("info_not_public", "不予公开信息数（条）", "Documents classified not public", "条",
          "Documents classified as not to be disclosed (a count of documents, not refused "
          "requests: never the statistic denied).",
          Cue(r"不予公开(?:的)?信息(?:数)?" + _QTY + r"{N}", period=False)),
    _says("proactive_dept_units", "部门主动公开政府信息（条）",
          "Items disclosed by the departments", "条",
          "Items disclosed proactively by the departments (区直/县直各单位), one part of the "
          "total; the townships are the other.",
          Cue(r"(?:区直|县直)(?:[、和及](?:区直|县直))?各(?:单位|部门)主动公开(?:政府)?信息"
              + _QTY + r"{N}条", period=False)),
    _says("proactive_townships", "乡镇主动公开政府信息（条）", "Items disclosed by the townships",
          "条", "Items disclosed proactively by the townships (各乡镇).",
          Cue(r"各乡镇主动公开(?:政府)?信息" + _QTY + r"{N}条", period=False)),
    _says("column_visits", "政府信息公开专栏访问量（人次）", "Visits to the disclosure column",
          "人次", "Visits to the website's open-government-information column.",
          Cue(r"专栏访问量" + _QTY + r"{N}人次", period=False)),
)
PRE2019_FACT_KEYS = tuple(f.key for f in PRE2019_FACTS)


def codebook(facts: tuple[Fact, ...] = FACTS) -> pd.DataFrame:
    """The declared facts as a table: key, zh, en, unit, definition."""
    return pd.DataFrame([{"key": f.key, "zh": f.zh, "en": f.en, "unit": f.unit,
                          "definition": f.definition} for f in facts])


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
