"""Synthetic annual reports with known truth, for property tests and benchmarks.

``draw(rng, template=None)`` draws a ``Truth``: an agency, a year, a template (2019 or
2021) and a value for every cell of the three tables, internally consistent — every
row's 总计 is the sum of its applicant columns, （七）总计 is the sum of the outcome rows,
一 + 二 = （七） + 四 in every column, each review or lawsuit total is the sum of its
four results — with the skew real reports show: most agencies receive 0–50 requests a
year, a few thousands.

``render(truth, layout, fault=None, rng=None)`` prints it as a whole report (title,
prose, the three tables, closing signature and date) in one of ``LAYOUTS``:

* ``tabs`` — tables as tab-separated lines (a spreadsheet or a Word table copied out);
* ``cells`` — one cell per line, blank lines between (text taken from some CMS pages);
* ``spaces`` — cells separated by spaces, empty cells dropped; the truth's ``blanks``
  (zero applicant cells the agency left empty) vanish without a trace;
* ``markdown`` — ``##`` headings and ``**bold**`` prose around tab-separated tables;
* ``glued`` — a crawler's page text: every separator removed, cells run together;
* ``html`` — a CMS page with navigation, scripts and footer, tables with rowspan and
  colspan as real pages merge empty cells;
* ``docx`` — a Word file with merged cells;
* ``cms_html`` — a CMS page whose tables are a regular grid (labels spanning columns, the
  group label 三、本年度办理结果 spanning rows) with **every zero left blank**
  (``<td><p>&nbsp;</p></td>``): the truth's ``blanks`` are every zero cell. The grid says
  which column each blank is in; the identities settle those of sections 三 and 四.

``MORE_LAYOUTS`` (with those, ``ALL_LAYOUTS``):

* ``torn`` — the ``tabs`` text with sections 三 and 四 torn as PDF-to-markdown converters
  tear them (``variants.torn_rows``, ``variants.torn_numbers``): 三's header lines, every
  row label on a line of its own, then the rows of numbers as a pipe table under a generic
  header (``| Col1 | Col2 |…`` or ``| 数据1 | 数据2 |…``), split at a page break — a footer
  (``- 3 -``, ``第 3 页 共 7 页`` or ``3/7``), then a lone page number, then the generic
  header again; 四's header lines and its one row of numbers under a generic header, half
  the time split at the next page break the same way. The rng picks the header word, the
  page, the footer and where the break falls;
* ``spaces_all`` — ``spaces`` with empty cells dropped in every section: zero cells of
  sections 二 and 四 vanish too (``with_blanks(everywhere=True)``; a 总计 is always printed).

Text layouts come with web clutter around the report when ``clutter=True``.
``fault`` injects what real reports get wrong: ``broken_identity`` (one applicant cell
printed one higher than the totals allow), ``missing_row`` (a row of section 三 not
printed at all), ``split_digit`` (a number printed with a space inside: ``1 2`` for 12).
``MORE_FAULTS`` (with those, ``ALL_FAULTS``), in any layout:

* ``misspelled_label`` — the label of one row of section 三, of at least
  ``MIN_MISSPELLED`` characters after its numbering, misprinted once: a character dropped,
  two neighbouring characters swapped, or an OCR look-alike (沭/沐, 己/已/巳, 未/末, 止/纸,
  现/先, 卷/件). The numbers are printed right; the fault cells are the row's seven;
* ``ocr_digits`` — one number of section 三 printed with a letter for one of its digits,
  as OCR misreads them (O or o for 0, l or I for 1, Z for 2, S for 5, B for 8); the page
  still means the true number. The fault cell is that one.

The returned ``Rendered`` says which cells were printed as what, so a test knows the
truth of every cell and where the fault is; ``wrong_cells`` says which cells a parse got
wrong.

Used by ``tests/test_synthetic.py``, ``tests/test_generator_classes.py`` and
``benchmarks/bench.py``; nothing here is part of
the installed package.
"""

from __future__ import annotations

import functools
import io
import math
import random
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from govopen import schema
from tests.support import format_fixtures as ff
from tests.support.variants import (
    CLUTTER_HEAD,
    CLUTTER_TAIL,
    replace_table,
    run_together,
    torn_numbers,
    torn_rows,
)

LAYOUTS = ("tabs", "cells", "spaces", "markdown", "glued", "html", "docx", "cms_html")
# Layouts that print every cell where it belongs: the truth is knowable from the page.
EXACT_LAYOUTS = ("tabs", "cells", "markdown", "html", "docx")
FAULTS = ("broken_identity", "missing_row", "split_digit")
# Out of LAYOUTS and FAULTS: tests iterating over those expect only the classes they hold.
MORE_LAYOUTS = ("torn", "spaces_all")
MORE_FAULTS = ("misspelled_label", "ocr_digits")
ALL_LAYOUTS = LAYOUTS + MORE_LAYOUTS
ALL_FAULTS = FAULTS + MORE_FAULTS

APPLICANTS = schema.APPLICANT_COLUMNS
REQUEST_COLUMNS = (*APPLICANTS, "total")
REVIEW_PARTS = schema.REVIEW_PARTS

Cell = tuple[str, str, str]  # (table, row, column)

# Counties and cities whose names the region table knows; agencies are made from them.
PLACES = ("伊川县", "东山县", "宝清县", "平潭综合实验区", "汝阳县", "栾川县", "嵩县", "漳浦县",
          "云霄县", "诏安县", "长泰区", "华安县", "集贤县", "友谊县", "饶河县", "洛宁县",
          "宜阳县", "新安县", "孟津区", "偃师区", "龙海区", "南靖县", "平和县", "尖峰镇")
BODIES = ("人民政府", "人民政府办公室", "财政局", "教育局", "公安局", "自然资源局",
          "市场监督管理局", "卫生健康委员会", "住房和城乡建设局", "交通运输局", "民政局",
          "生态环境局", "农业农村局", "人力资源和社会保障局", "应急管理局")
# Town and street names for ``agency_of``: a national corpus has tens of thousands of
# agencies, each reporting once a year, not a few hundred reporting many times.
_TOWN_SYLLABLES = "安白城大东丰古和河华江金静康兰乐林龙梅南平青泉山石松桃新阳永玉云长"


def agency_of(i: int) -> str:
    """The ``i``-th of a long list of distinct agency names (i >= 0)."""
    place, j = PLACES[i % len(PLACES)], i // len(PLACES)
    if j < len(BODIES):
        return place + BODIES[j]
    k, kind = divmod(j - len(BODIES), 3)
    name = ""
    while k or len(name) < 2:  # k in base len(_TOWN_SYLLABLES), at least two syllables
        k, digit = divmod(k, len(_TOWN_SYLLABLES))
        name = _TOWN_SYLLABLES[digit] + name
    return place + name + ("镇人民政府", "街道办事处", "乡人民政府")[kind]


@dataclass
class Truth:
    agency: str
    year: int
    template: str  # "2019" | "2021", for sections 二 and 三 alike
    values: dict[Cell, Decimal]
    blanks: set[Cell] = field(default_factory=set)  # zero cells printed empty ('spaces')
    seed: int | None = None

    @property
    def requests_total(self) -> Decimal:
        return self.values[("requests", "new_received", "total")]

    def cells_of(self, table: str) -> dict[Cell, Decimal]:
        return {k: v for k, v in self.values.items() if k[0] == table}


@dataclass
class Rendered:
    truth: Truth
    layout: str
    data: str | bytes  # text for the text layouts, bytes for html and docx
    printed: dict[Cell, Decimal]  # what the page prints for each cell (the truth, but faulted)
    fault: str | None = None
    fault_cells: tuple[Cell, ...] = ()  # the cells the fault touches
    fault_row: str = ""  # the section-三 row the fault is in

    def as_bytes(self) -> bytes:
        return self.data if isinstance(self.data, bytes) else self.data.encode("utf-8")


# --- drawing the numbers -----------------------------------------------------------------

def _skewed(rng: random.Random, big: float = 0.02) -> int:
    """A yearly count: zero for many agencies, tens for most, thousands for a few."""
    u = rng.random()
    if u < 0.2:
        return 0
    if u < 0.2 + big:
        return rng.randint(1000, 9000)
    return min(int(rng.lognormvariate(1.8, 1.3)), 5000)


def _split(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """``n`` split into len(weights) non-negative parts (largest remainder), randomly."""
    if n == 0:
        return [0] * len(weights)
    w = [x * rng.expovariate(1.0) for x in weights]
    s = sum(w) or 1.0
    raw = [n * x / s for x in w]
    parts = [int(x) for x in raw]
    rest = n - sum(parts)
    order = sorted(range(len(w)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[:rest]:
        parts[i] += 1
    return parts


_APPLICANT_WEIGHTS = [0.82, 0.08, 0.005, 0.01, 0.03, 0.055]


def _outcome_weights(rng: random.Random, rows: tuple[str, ...]) -> list[float]:
    base = {"granted": 0.45, "partially_granted": 0.12, "unable_not_held": 0.2,
            "not_processed_petition": 0.04, "not_processed_repeat": 0.03,
            "other": 0.05, "other_overdue_correction": 0.03, "other_other": 0.03}
    # most agencies use a handful of outcome rows; the rest stay 0
    return [base.get(r, 0.01) if rng.random() < 0.8 or r in ("granted",) else 0.0
            for r in rows]


def draw(rng: random.Random, template: str | None = None, *, seed: int | None = None,
         agency: str | None = None, year: int | None = None) -> Truth:
    """A consistent report of a random agency and year (see the module docstring), or of
    the ``agency`` and ``year`` given."""
    drawn_year = rng.randint(2019, 2024)  # drawn either way: the same seed, the same numbers
    year = drawn_year if year is None else year
    template = template or ("2019" if year <= 2020 and rng.random() < 0.85 else "2021")
    place = rng.choice(PLACES)
    body = rng.choice(BODIES)
    agency = agency or place + body
    v: dict[Cell, Decimal] = {}

    def put(table, row, col, x):
        v[(table, row, col)] = Decimal(x)

    # section 三
    new = _split(rng, _skewed(rng), _APPLICANT_WEIGHTS)
    carried = [rng.randint(0, 3) if n and rng.random() < 0.25 else 0 for n in new]
    outcomes = schema.outcome_rows(template)
    weights = _outcome_weights(rng, outcomes)
    per_row = {r: [0] * 6 for r in outcomes}
    forward = [0] * 6
    for c in range(6):
        have = new[c] + carried[c]
        forward[c] = min(have, rng.randint(0, 2)) if have and rng.random() < 0.3 else 0
        for r, x in zip(outcomes, _split(rng, have - forward[c], weights), strict=True):
            per_row[r][c] = x
    rows = {"new_received": new, "carried_over": carried, **per_row,
            "total": [sum(per_row[r][c] for r in outcomes) for c in range(6)],
            "carried_forward": forward}
    for row, parts in rows.items():
        for col, x in zip(APPLICANTS, parts, strict=True):
            put("requests", row, col, x)
        put("requests", row, "total", sum(parts))

    # section 四: reviews and lawsuits follow the requests, a few per hundred
    scale = max(1, sum(new) // 40)
    for row in schema.REVIEWS.row_keys():
        parts = [rng.randint(0, scale) if rng.random() < 0.15 else 0 for _ in REVIEW_PARTS]
        for col, x in zip(REVIEW_PARTS, parts, strict=True):
            put("reviews", row, col, x)
        put("reviews", row, "total", sum(parts))

    # section 二: no identities; counts and amounts of the agency's year
    for row in schema.ACTIVE.rows:
        if template not in row.templates:
            continue
        for col in schema.columns_for("active", row.key, template):
            put("active", row.key, col, _active_value(rng, row.key, col))
    return Truth(agency, year, template, v, seed=seed)


def _active_value(rng: random.Random, row: str, col: str) -> Decimal:
    if col == "amount":
        if rng.random() < 0.5:
            return Decimal(0)
        return Decimal(rng.randint(1, 2_000_000)) / Decimal(10) ** rng.choice((0, 1, 2, 4))
    if col == "change":
        return Decimal(rng.randint(-20, 40) if rng.random() < 0.5 else 0)
    if row == "regulations":
        return Decimal(rng.randint(0, 3) if rng.random() < 0.2 else 0)
    if col in ("decisions",) and row in ("licensing", "penalty"):
        return Decimal(_skewed(rng, big=0.1) * rng.choice((1, 1, 10)))
    return Decimal(_skewed(rng, big=0.0) if rng.random() < 0.7 else 0)


def with_blanks(truth: Truth, rng: random.Random, rate: float = 0.5, *,
                everywhere: bool = False) -> Truth:
    """The same truth with zero applicant cells of section 三 left empty at ``rate``
    (as in reports whose table drops empty cells); a row's 总计 is always printed.
    ``everywhere``: zero cells of sections 二 and 四 too (四's 总计 also always printed)."""
    def blank(k: Cell) -> bool:
        if k[0] == "requests" or (everywhere and k[0] == "reviews"):
            return k[2] != "total"
        return everywhere and k[0] == "active"

    blanks = {k for k, x in truth.values.items() if x == 0 and blank(k) and rng.random() < rate}
    return Truth(truth.agency, truth.year, truth.template, dict(truth.values), blanks, truth.seed)


# --- the page as rows of cells ------------------------------------------------------------

def _num(x: Decimal) -> str:
    s = format(x, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


_GROUP_HEAD = {"granted": "（一）予以公开", "partially_granted": "（二）部分公开",
               "denied": "（三）不予公开", "unable": "（四）无法提供",
               "not_processed": "（五）不予处理", "other": "（六）其他处理"}
_OWN_LABEL = {
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}


def _label(row: schema.Row) -> str:
    """The printed label of a row of section 三, in its own cell."""
    if row.key in _OWN_LABEL:
        return _OWN_LABEL[row.key]
    if row.enumerator:
        return row.zh.split(" ")[-1]
    return row.zh


def row_label(table: str, key: str, template: str) -> str:
    """The label cell ``blocks`` prints for a row of ``table`` under ``template``: the
    official label, its numbering and tail included, without its group label."""
    row = schema.TABLES[table].row(key)
    if table == "active":
        return _ACTIVE_LABEL.get(key, (row.zh, row.zh))[template == "2019"]
    if table == "requests":
        return _label(row)
    return row.zh.split(" ")[-1]


def _requests_rows(t: Truth, fmt, skip: str = "",
                   labels: dict[str, str] | None = None) -> list[list[str]]:
    template = t.template
    applicants = "社会公益组织" if template == "2019" else "社会组织"
    rows = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "",
         "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", applicants, "法律服务机构", "其他", ""],
    ]
    seen_group = set()
    for row in schema.REQUESTS.rows:
        if template not in row.templates:
            continue
        vals = [fmt(("requests", row.key, c)) for c in REQUEST_COLUMNS]
        if row.key in ("new_received", "carried_over", "carried_forward"):
            cells = [row.zh, "", ""]
        elif row.key == "total":
            cells = ["", "（七）总计", ""]
        elif not row.enumerator:  # (一) (二), the 2019 (六)
            cells = ["三、本年度办理结果" if row.key == "granted" else "", _label(row), ""]
        else:
            first = row.group not in seen_group
            cells = ["", _GROUP_HEAD[row.group] if first else "", _label(row)]
        seen_group.add(row.group)
        if labels and row.key in labels:
            cells = [labels[row.key] if c == _label(row) else c for c in cells]
        if row.key != skip:
            rows.append(cells + vals)
    return rows


_ACTIVE_HEADS = {
    "2021": (("（一）", "本年制发件数", "本年废止件数", "现行有效件数", ("regulations", "normative_documents")),
             ("（五）", "本年处理决定数量", "", "", ("licensing",)),
             ("（六）", "本年处理决定数量", "", "", ("penalty", "coercion")),
             ("（八）", "本年收费金额（单位：万元）", "", "", ("fees",))),
    "2019": (("（一）", "本年新制作数量", "本年新公开数量", "对外公开总数量", ("regulations", "normative_documents")),
             ("（五）", "上一年项目数量", "本年增/减", "处理决定数量", ("licensing", "other_services")),
             ("（六）", "上一年项目数量", "本年增/减", "处理决定数量", ("penalty", "coercion")),
             ("（八）", "上一年项目数量", "本年增/减", "", ("fees",)),
             ("（九）", "采购项目数量", "采购总金额（单位：万元）", "", ("procurement",))),
}
_ACTIVE_LABEL = {"normative_documents": ("行政规范性文件", "规范性文件")}


def _active_rows(t: Truth, fmt) -> list[list[str]]:
    rows = []
    for item, *heads, keys in _ACTIVE_HEADS[t.template]:
        rows.append([f"第二十条第{item}项", "", "", ""])
        rows.append(["信息内容", *heads])
        for key in keys:
            row = schema.ACTIVE.row(key)
            label = _ACTIVE_LABEL.get(key, (row.zh, row.zh))[t.template == "2019"]
            vals = [fmt(("active", key, c)) for c in schema.columns_for("active", key, t.template)]
            rows.append([label, *vals, *[""] * (3 - len(vals))])
    return rows


def _review_rows(fmt) -> list[list[str]]:
    parts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
        [*parts, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *parts, *parts],
        [fmt(("reviews", r, c)) for r in schema.REVIEWS.row_keys()
         for c in (*REVIEW_PARTS, "total")],
    ]


def _requests_sentence(t: Truth) -> str:
    n = t.requests_total
    return f"全年共收到政府信息公开申请{_num(n)}件，均已按期答复。" if n else "全年未收到政府信息公开申请。"


def _date(t: Truth) -> str:
    return f"{t.year + 1}年1月{(t.seed or 0) % 28 + 1}日"


def blocks(t: Truth, printed: dict[Cell, Decimal], *, skip_row: str = "",
           split: Cell | None = None, fmt=None, labels: dict[str, str] | None = None,
           texts: dict[Cell, str] | None = None) -> tuple[str, list]:
    """(title, blocks): paragraphs (str) and tables (``format_fixtures.Table``).

    ``fmt(cell)`` gives a cell's printed text (default: the number, blank or split, or
    its text in ``texts``); ``labels`` gives misprinted labels of section-三 rows."""

    def number(cell: Cell) -> str:
        if cell in t.blanks:
            return ""
        if texts and cell in texts:
            return texts[cell]
        s = _num(printed[cell])
        if cell == split:
            return s[0] + " " + s[1:]
        return s

    fmt = fmt or number
    title = f"{t.agency}{t.year}年政府信息公开工作年度报告"
    out: list = [
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自"
        f"{t.year}年1月1日起至{t.year}年12月31日止。",
        "一、总体情况",
        f"{t.year}年，{t.agency}认真贯彻落实政务公开工作要求，全面推进决策、执行、管理、服务、"
        "结果公开，政府信息公开工作取得新成效。",
        _requests_sentence(t) if fmt is number else _SENTENCE,
        "二、主动公开政府信息情况",
        ff.Table(_active_rows(t, fmt)),
        "三、收到和处理政府信息公开申请情况",
        ff.Table(_requests_rows(t, fmt, skip_row, labels)),
        "四、政府信息公开行政复议、行政诉讼情况",
        ff.Table(_review_rows(fmt)),
        "五、存在的主要问题及改进情况",
        "一是公开内容还不够全面；二是解读形式较为单一。下一步将加强培训，提升公开质量。",
        "六、其他需要报告的事项",
        "本机关未收取信息处理费。",
        t.agency,
        _date(t) if fmt is number else _DATE,
    ]
    for b in out:
        if isinstance(b, ff.Table):
            ff._pad(b)
            b.spans = ff.plan_spans(b.rows)
    return title, out


# --- layouts ------------------------------------------------------------------------------

def _text(title: str, body: list, markdown: bool = False) -> str:
    lines = [("# " if markdown else "") + title, f"发布时间：{_published(body)}", ""]
    for b in body:
        if isinstance(b, ff.Table):
            lines.extend("\t".join(r) for r in b.rows)
            lines.append("")
        elif markdown and ff._HEADING.match(b):
            lines += [f"## {b}", ""]
        elif markdown and "政府信息公开" in b and b.startswith("全年"):
            lines += [f"**{b}**", ""]
        else:
            lines += [b, ""]
    return "\n".join(lines)


def _published(body: list) -> str:
    date = body[-1]
    y, rest = date.split("年")
    m, d = rest.rstrip("日").split("月")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _spaces(title: str, body: list) -> str:
    lines = [title, f"发布时间：{_published(body)}", ""]
    for b in body:
        if isinstance(b, ff.Table):
            lines.extend(" ".join(c for c in r if c) for r in b.rows)
            lines.append("")
        else:
            lines += [b, ""]
    return "\n".join(lines)


def render(truth: Truth, layout: str, fault: str | None = None,
           rng: random.Random | None = None, *, clutter: bool = False) -> Rendered:
    """The report printed in ``layout``, with ``fault`` injected (see the module docstring)."""
    if layout not in ALL_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(ALL_LAYOUTS)}")
    rng = rng or random.Random(truth.seed)
    printed = dict(truth.values)
    fault_cells: tuple[Cell, ...] = ()
    fault_row = skip = ""
    split = None
    labels: dict[str, str] = {}
    texts: dict[Cell, str] = {}
    if fault == "broken_identity":
        row = rng.choice(schema.outcome_rows(truth.template))
        col = rng.choice(APPLICANTS)
        cell = ("requests", row, col)
        printed[cell] += 1
        fault_cells, fault_row = (cell,), row
    elif fault == "missing_row":
        skip = fault_row = rng.choice([r for r in schema.REQUESTS.row_keys(truth.template)
                                       if r not in ("new_received", "total")])
        fault_cells = tuple(("requests", skip, c) for c in REQUEST_COLUMNS)
    elif fault == "split_digit":
        wide = [k for k, x in truth.values.items() if k[0] == "requests" and x >= 10
                and k not in truth.blanks]
        if not wide:
            raise ValueError("split_digit needs a section-三 number of two digits or more")
        split = rng.choice(sorted(wide))
        fault_cells, fault_row = (split,), split[1]
    elif fault == "misspelled_label":
        fault_row, labels[fault_row] = _misspelled(truth, rng)
        fault_cells = tuple(("requests", fault_row, c) for c in REQUEST_COLUMNS)
    elif fault == "ocr_digits":
        cell, texts[cell] = _misread(truth, rng)
        fault_cells, fault_row = (cell,), cell[1]
    elif fault is not None:
        raise ValueError(f"unknown fault {fault!r}; use one of {', '.join(ALL_FAULTS)}")
    title, body = blocks(truth, printed, skip_row=skip, split=split, labels=labels, texts=texts)
    if layout == "cms_html":
        return Rendered(truth, layout, _cms_html(truth, printed, skip, split, labels, texts),
                        printed, fault, fault_cells, fault_row)
    if layout in ("tabs", "cells", "markdown", "glued", "torn"):
        text = _text(title, body, markdown=layout == "markdown")
        if layout == "cells":
            text = re.sub(r"\t", "\n\n", text)
        elif layout == "glued":
            text = run_together(text)
        elif layout == "torn":
            text = _torn(text, body, rng)
        data: str | bytes = CLUTTER_HEAD + text + CLUTTER_TAIL if clutter else text
    elif layout in ("spaces", "spaces_all"):
        text = _spaces(title, body)
        data = CLUTTER_HEAD + text + CLUTTER_TAIL if clutter else text
    elif layout == "docx" and not skip:
        data = _docx(truth, printed, split, labels, texts)
    else:
        seed = ff.Seed(f"synthetic-{truth.seed}", title, body)
        data = (ff.seed_html(seed).encode("utf-8") if layout == "html" else ff.seed_docx(seed))
    if layout == "docx":
        data = _stamped_once(data)
    return Rendered(truth, layout, data, printed, fault, fault_cells, fault_row)


def wrong_cells(r: Rendered, values: dict[Cell, float]) -> dict[Cell, tuple[float, Decimal]]:
    """The cells a parse of ``r`` (``values``: cell to value, NaN for missing) gives a
    number other than the one the page prints: {cell: (given, printed)}.

    A blank cell prints nothing: reasoned out, it must be its truth; a blank the fault
    touches is left out (raising a blank cell leaves the page as it was). A cell whose
    digits or row label the fault misprints prints its truth. Where spaces part the cells,
    a number split by a space prints two cells: that row is left out."""
    out = {}
    for k, true in r.truth.values.items():
        if k in r.truth.blanks and k in r.fault_cells:
            continue
        if r.fault == "split_digit" and r.layout in ("spaces", "spaces_all") \
                and k[1] == r.fault_row:
            continue
        want = true if k in r.truth.blanks else r.printed[k]
        value = values.get(k, math.nan)
        if not math.isnan(value) and value != float(want):
            out[k] = (value, want)
    return out


# --- the new faults and the torn layout ------------------------------------------------------

_NUMBERING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.")
_LOOK_ALIKES = ("沭沐", "己已巳", "未末", "止纸", "现先", "卷件")
_LOOK_ALIKE = {c: group.replace(c, "") for group in _LOOK_ALIKES for c in group}
# What OCR reads for a digit; 3, 4, 6, 7 and 9 have no common stand-in.
_OCR_DIGITS = {"0": "Oo", "1": "lI", "5": "S", "8": "B", "2": "Z"}
MIN_MISSPELLED = 6  # shorter labels misprinted are too close to one another to be fair


def _hanzi(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _misspelled(t: Truth, rng: random.Random) -> tuple[str, str]:
    """(row, label) — a row of section 三 whose label, at least ``MIN_MISSPELLED``
    characters after its numbering, is misprinted once: a character dropped, two
    neighbours swapped, or a look-alike. Only characters of the words change: the
    numbering and the punctuation are printed as they are."""
    own = {r.key: _label(r) for r in schema.REQUESTS.rows if t.template in r.templates}

    def words_start(label: str) -> int:
        m = _NUMBERING.match(label)
        return m.end() if m else 0

    key = rng.choice([k for k, label in own.items()
                      if len(label) - words_start(label) >= MIN_MISSPELLED])
    chars = list(own[key])
    hanzi = [i for i in range(words_start(own[key]), len(chars)) if _hanzi(chars[i])]
    pairs = [i for i in hanzi if i + 1 in hanzi and chars[i] != chars[i + 1]]
    alike = [i for i in hanzi if chars[i] in _LOOK_ALIKE]
    kind = rng.choice(["drop", "swap", "look_alike"] if alike else ["drop", "swap"])
    if kind == "drop":
        del chars[rng.choice(hanzi)]
    elif kind == "swap":
        i = rng.choice(pairs)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        i = rng.choice(alike)
        chars[i] = rng.choice(_LOOK_ALIKE[chars[i]])
    printed = "".join(chars)
    assert printed not in own.values(), printed
    return key, printed


def _misreadable(t: Truth) -> list[Cell]:
    """Cells of section 三 the page prints with a digit OCR can misread."""
    return sorted(k for k, x in t.values.items() if k[0] == "requests" and k not in t.blanks
                  and any(d in _OCR_DIGITS for d in _num(x)))


def _misread(t: Truth, rng: random.Random) -> tuple[Cell, str]:
    """(cell, text): one number of section 三 with one digit printed as its look-alike."""
    cells = _misreadable(t)
    if not cells:
        raise ValueError("ocr_digits needs a printed section-三 number with 0, 1, 2, 5 or 8")
    cell = rng.choice(cells)
    s = _num(t.values[cell])
    i = rng.choice([i for i, d in enumerate(s) if d in _OCR_DIGITS])
    return cell, s[:i] + rng.choice(_OCR_DIGITS[s[i]]) + s[i + 1:]


def _footer(rng: random.Random, page: int, pages: int) -> str:
    return rng.choice((f"- {page} -", f"第 {page} 页 共 {pages} 页", f"{page}/{pages}"))


def _torn(text: str, body: list, rng: random.Random) -> str:
    """A tab-separated report with sections 三 and 四 torn as PDF-to-markdown converters
    tear them (see the module docstring)."""
    _, requests, reviews = (b for b in body if isinstance(b, ff.Table))
    word = rng.choice(("Col", "数据"))
    page = rng.randint(2, 9)
    pages = rng.randint(page + 1, page + 6)
    header = [" ".join(c for c in r if c) for r in requests.rows[:3]]
    rows = [(" ".join(c for c in r[:3] if c), r[3:]) for r in requests.rows[3:]]
    at = rng.randint(2, len(rows) - 2)
    text = replace_table(text, "三", torn_rows(header, rows, at, _footer(rng, page, pages),
                                                str(page), word))
    header = [" ".join(c for c in r if c) for r in reviews.rows[:3]]
    numbers = reviews.rows[3]
    if rng.random() < 0.5:  # the next page break falls inside section 四 too
        four = torn_numbers(header, numbers, 10, _footer(rng, page + 1, pages),
                            str(page + 1), word)
    else:
        four = torn_numbers(header, numbers, None, word=word)
    return replace_table(text, "四", four)


_EMPTY = "\x00"  # an empty value cell: a cell of its own, never covered by a span


def _cms_html(t: Truth, printed: dict[Cell, Decimal], skip: str, split: Cell | None,
              labels: dict[str, str] | None = None,
              texts: dict[Cell, str] | None = None) -> bytes:
    """A CMS page with regular tables, every blank value cell a cell of its own."""

    def fmt(cell: Cell) -> str:
        if cell in t.blanks:
            return _EMPTY
        if texts and cell in texts:
            return texts[cell]
        s = _num(printed[cell])
        return s[0] + " " + s[1:] if cell == split else s

    title, body = blocks(t, printed, skip_row=skip, fmt=fmt, labels=labels)
    body = [_requests_sentence(t) if b == _SENTENCE else _date(t) if b == _DATE else b
            for b in body]
    page = ff.seed_html(ff.Seed(f"synthetic-{t.seed}", title, body))
    return page.replace(_EMPTY, "<p>&nbsp;</p>").encode("utf-8")


def with_zero_blanks(truth: Truth) -> Truth:
    """The same truth with every zero cell of the three tables printed empty."""
    blanks = {k for k, x in truth.values.items() if x == 0}
    return Truth(truth.agency, truth.year, truth.template, dict(truth.values), blanks, truth.seed)


# --- DOCX from a template -------------------------------------------------------------------
# python-docx takes about a second to merge a report's cells. Every report of a template
# has the same tables, so the Word file is built once per template with a placeholder in
# each cell (numeric, so the spans are planned as for numbers) and the text of
# word/document.xml is substituted for each report.

_AGENCY, _YEAR, _NEXT_YEAR = "机关名称占位", "1000", "1001"
_SENTENCE, _DATE = "申请数量句占位", "日期占位"


def _placeholder(i: int) -> str:
    return f"9{i:05d}9"


@functools.cache
def _docx_template(template: str) -> tuple[bytes, dict]:
    shape = draw(random.Random(0), template)
    order = {cell: i for i, cell in enumerate(sorted(shape.values))}
    shape = Truth(_AGENCY, int(_YEAR), template, shape.values, seed=-1)
    title, body = blocks(shape, shape.values, fmt=lambda c: _placeholder(order[c]))
    return ff.seed_docx(ff.Seed("template", title, body)), order


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _docx(t: Truth, printed: dict[Cell, Decimal], split: Cell | None,
          labels: dict[str, str] | None = None, cell_texts: dict[Cell, str] | None = None) -> bytes:
    data, order = _docx_template(t.template)
    texts = {_placeholder(i): (_num(printed[c]) if c != split else
                               _num(printed[c])[0] + " " + _num(printed[c])[1:])
             for c, i in order.items()}
    texts.update({_placeholder(order[c]): s for c, s in (cell_texts or {}).items()})
    texts.update({_SENTENCE: _requests_sentence(t), _DATE: _date(t)})
    src = zipfile.ZipFile(io.BytesIO(data))
    xml = src.read("word/document.xml").decode("utf-8")
    for key, label in (labels or {}).items():
        own = _label(schema.REQUESTS.row(key))
        assert xml.count(own) == 1, own  # one cell of the template holds it, in one run
        xml = xml.replace(own, label)
    xml = re.sub("|".join(re.escape(k) for k in texts), lambda m: texts[m.group()], xml)
    xml = xml.replace(_AGENCY, t.agency).replace(_NEXT_YEAR + "年", f"{t.year + 1}年")
    xml = xml.replace(_YEAR + "年", f"{t.year}年")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = xml.encode("utf-8") if item.filename == "word/document.xml" \
                else src.read(item.filename)
            dst.writestr(item, body)
    return out.getvalue()


def _stamped_once(data: bytes) -> bytes:
    """A Word file with python-docx's time stamps (in the zip and in its properties) set to
    one fixed time, so that the same seed gives the same bytes, and the same report id."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2020-01-01T00:00:00Z\g<2>", body)
            item.date_time = (2020, 1, 1, 0, 0, 0)
            dst.writestr(item, body)
    return out.getvalue()


def _blanked(truth: Truth, layout: str, rng: random.Random, blank_rate: float) -> Truth:
    if layout == "spaces":
        return with_blanks(truth, rng, blank_rate)
    if layout == "spaces_all":
        return with_blanks(truth, rng, blank_rate, everywhere=True)
    if layout == "cms_html":
        return with_zero_blanks(truth)
    return truth


def report(seed: int, layout: str = "tabs", *, template: str | None = None,
           fault: str | None = None, clutter: bool | None = None,
           blank_rate: float = 0.5, agency: str | None = None,
           year: int | None = None) -> Rendered:
    """One report from one integer seed: the same seed gives the same bytes. ``agency``
    and ``year`` (see ``agency_of``) replace the drawn ones, the numbers staying the same."""
    rng = random.Random(seed)
    truth = draw(rng, template, seed=seed, agency=agency, year=year)
    if fault == "split_digit":
        while not any(k[0] == "requests" and x >= 10 for k, x in truth.values.items()):
            truth = draw(rng, template, seed=seed, agency=agency, year=year)
    truth = _blanked(truth, layout, rng, blank_rate)
    while fault == "ocr_digits" and not _misreadable(truth):  # all blank: nothing to misread
        truth = _blanked(draw(rng, template, seed=seed, agency=agency, year=year), layout, rng,
                         blank_rate)
    if clutter is None:
        clutter = rng.random() < 0.5
    return render(truth, layout, fault, rng, clutter=clutter)


def every_report(seeds: int):
    """(layout, fault, seed, report) for seeds 0 … seeds-1 of every layout × fault (None
    first); the report is the ValueError's message where the drawn truth cannot carry
    the fault."""
    for layout in ALL_LAYOUTS:
        for fault in (None, *ALL_FAULTS):
            for seed in range(seeds):
                try:
                    yield layout, fault, seed, report(seed, layout, fault=fault)
                except ValueError as e:
                    yield layout, fault, seed, str(e)


# --- a row label cut over two lines ---------------------------------------------------------
# A page break inside a table row (LibreOffice Writer and Word let a row break across
# pages), a wrapped label cell in a converter's text, OCR: the label's words end on one
# line and go on at the start of the next, the numbers printed on one of the two lines.

SPLIT_LAYOUTS = ("tabs", "markdown", "torn")
NUMBERS_ON = ("first", "second")


def label_cuts(label: str) -> list[int]:
    """Where a printed label may be cut: right after its numbering ('（七）|总计'), and
    between two of its Chinese characters after it ('6.属于四|类过程性信息', not '6|.属于…')."""
    m = _NUMBERING.match(label)
    words = [i for i in range(m.end() if m else 0, len(label)) if _hanzi(label[i])]
    inside = [i for i in range(words[0] + 1, words[-1] + 1)] if words else []
    return ([m.end()] if m else []) + inside


def _tabs_only(text: str) -> str:
    return re.sub(r"[^\t]", "", text)


def split_label(r: Rendered, key: str, cut: int, numbers_on: str, aligned: bool = True
                ) -> Rendered:
    """``r`` (a text layout) with the label of section-三 row ``key`` cut at ``cut`` (see
    ``label_cuts``) over two lines, its numbers on the ``numbers_on`` line (where the
    layout prints them beside the label). ``aligned`` keeps the cells before the label
    on the second line (empty); without it they are dropped, as a PDF reader drops empty
    cells. The fault cells are the row's; every cell still prints its truth."""
    if not isinstance(r.data, str):
        raise ValueError("split_label cuts a label of a text layout")
    label = _label(schema.REQUESTS.row(key))
    table = r.data.find("三、收到和处理")
    found = re.compile(r"(?m)^([^\n]*?)(?<![^\t\n ])" + re.escape(label) + r"(?=[\t\n]|$)([^\n]*)$")
    m = found.search(r.data, table)
    if m is None:
        raise ValueError(f"the label of {key} is not printed in a cell of its own")
    pre, post = m.group(1), m.group(2)
    head, rest = label[:cut], label[cut:]
    second_pre = _tabs_only(pre) if aligned else ""
    if numbers_on == "first":
        lines = pre + head + post + "\n" + second_pre + rest + _tabs_only(post)
    else:
        lines = pre + head + _tabs_only(post) + "\n" + second_pre + rest + post
    data = r.data[:m.start()] + lines + r.data[m.end():]
    cells = tuple(("requests", key, c) for c in REQUEST_COLUMNS)
    return Rendered(r.truth, r.layout, data, r.printed, "split_label", cells, key)


def split_label_reports(seed: int, layout: str, template: str, every_cut: bool = False):
    """(row, cut, numbers_on, report) for every row of section 三 of ``template``: its
    label cut after its numbering and at the first, middle and last place within its
    words (every cut with ``every_cut``), the numbers on either line, the cells before
    the label kept in place on odd cuts."""
    base = report(seed, layout, template=template, clutter=False)
    for row in schema.REQUESTS.rows:
        if template not in row.templates:
            continue
        cuts = label_cuts(_label(row))
        if not every_cut:  # after the numbering, the first, middle and last within the words
            inside = cuts[1:] if _NUMBERING.match(_label(row)) else cuts
            cuts = sorted({cuts[0], inside[0], inside[len(inside) // 2], inside[-1]})
        for cut in cuts:
            for numbers_on in NUMBERS_ON:
                yield row.key, cut, numbers_on, split_label(base, row.key, cut, numbers_on,
                                                            aligned=cut % 2 == 1)
