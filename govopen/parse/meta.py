"""Text → report metadata: title, agency, statistics year, publication date.

In: the normalised text and its sections. Out (``read_meta``): a dict with ``title``,
``agency`` (None where the report does not name it), ``year`` (the statistics year: 2020
for a report published in January 2021) and ``published`` (ISO date, where printed).
``ReportMeta`` is what a ``Report`` holds: these, where the file came from, the place the
agency sits, and the template each table follows.

The year comes from a statistics period of one whole year (统计期限自2017年1月1日起至2017年
12月31日, which overrides a title naming the year of publication), else from the title, else
from the statistics period (统计期限自2020年1月1日…), else from the first year in section 一. The agency comes from the title, a heading that
is an agency's name, or the signature above the closing date.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from .sections import Sections


@dataclass
class ReportMeta:
    """A report's metadata. Every field but the first three is None where nothing says."""

    report_id: str  # the first 16 hex digits of the SHA-256 of the file's bytes
    source: str  # the path given, or the name given with bytes
    format: str  # text | html | docx | doc | pdf | ofd | scan
    title: str | None = None
    agency: str | None = None
    year: int | None = None  # the statistics year
    published: str | None = None  # ISO date, where printed
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    level: str | None = None
    agency_kind: str | None = None
    templates: dict[str, str | None] = field(default_factory=dict)  # table -> 2019 | 2021 | mixed

    def as_dict(self) -> dict[str, Any]:
        """The fields in order, as the result cache and the reports table keep them."""
        return dataclasses.asdict(self)

_AGENCY_SUFFIX = re.compile(
    r"(人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理局|委员会|管委会|局|厅|委|办|中心|院|"
    r"街道办事处|办事处|政府)$")
_GENERIC = {"政府", "本机关", "我单位", "我局", "我办", "县政府", "区政府", "市政府", "人民政府", "本局"}
# "政府办", "县政府办公室": an office that does not say whose it is
_UNNAMED = re.compile(r"^(?:本|我|该)?(?:省|市|县|区|镇|乡)?(?:人民)?政府(?:办公室|办公厅|办)?$")
_TITLE_LINE = re.compile(r"^\s*(?:#+\s*|标题\s*[:：]\s*)?(.{0,60}?(?:年度|年)?.{0,20}政府信息公开.{0,10}年度报告)\s*$",
                         re.M)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
_PERIOD = re.compile(r"统计期限?[^。]{0,6}?((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|成文日期|时间)\s*[:：]\s*((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def read_meta(text: str, sections: Sections) -> dict[str, Any]:
    title = _title(text)
    return {
        "title": title,
        "agency": _agency(text, title, sections),
        "year": _year(text, title, sections),
        "published": _published(text),
    }


def _title(text: str) -> str | None:
    m = _TITLE_LINE.search(text[:5000])
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else None


# A title may name a place, not a body: '平潭综合实验区2015年…', '某某县2012年…' report for
# that division's government.
_DIVISION_SUFFIX = re.compile(r"(省|市|自治州|州|盟|县|旗|区|镇|乡)$")


def _clean_agency(name: str | None, division: bool = False) -> str | None:
    if not name:
        return None
    name = re.sub(r"^[#\s*]+|[*\s]+$", "", name)
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"关于$", "", name)
    named = _AGENCY_SUFFIX.search(name) or (division and _DIVISION_SUFFIX.search(name))
    if len(name) < 3 or name in _GENERIC or _UNNAMED.match(name) or not named:
        return None
    if re.search(r"[，,。；;:：\d]", name):
        return None
    return name


def _agency(text: str, title: str | None, sections: Sections) -> str | None:
    if title:
        m = re.match(r"(.+?)\s*(?:关于)?\s*(?:19|20)\d\d\s*年", title)
        found = _clean_agency(m.group(1), division=True) if m else None
        if found:
            return found
    first_heading = min(sections.headings.values(), default=len(text))
    for line in text[:first_heading].splitlines()[:15]:
        line = line.strip()
        if line.startswith("#") or (0 < len(line) <= 30 and not re.search(r"[:：。，,]", line)):
            found = _clean_agency(line.lstrip("#"))
            if found:
                return found
    tail = text[-600:]
    dates = list(_CN_DATE.finditer(tail))
    if dates:
        before = tail[: dates[-1].start()].rstrip()
        last = re.split(r"[\n。！!]|\s{2,}", before)[-1].strip()
        return _clean_agency(last)
    return None


# a statistics period of one whole calendar year: 统计期限自2017年1月1日起至2017年12月31日
_WHOLE_YEAR = re.compile(r"统计期限?[^。]{0,8}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日[^。]{0,8}?"
                         r"至\s*((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")


def _year(text: str, title: str | None, sections: Sections) -> int | None:
    # a title may carry the year of publication ('2018年政府信息公开工作年度报告' on 2017):
    # a period of one whole year that says otherwise is the statistics year
    whole = _WHOLE_YEAR.search(text)
    if whole and whole.group(1) == whole.group(2):
        return int(whole.group(1))
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    start = sections.spans.get("一", (0, len(text)))[0]
    m = re.search(r"((?:19|20)\d\d)\s*年(?:度|以来|，|,|全年|,)", text[start:start + 3000])
    if m:
        return int(m.group(1))
    return None


def _published(text: str) -> str | None:
    m = _PUBLISHED.search(text[:3000])
    if not m:
        dates = list(_CN_DATE.finditer(text[-600:]))
        m = dates[-1] if dates else None
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"
