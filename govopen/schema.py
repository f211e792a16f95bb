"""The canonical keys of an annual report, as data.

In: nothing — this module is the single definition of every table, row and column of
the three standard tables of a 政府信息公开工作年度报告 (see the project's SCHEMA.md),
their Chinese labels and the label variants real reports print, English labels, the
template (2019 / 2021) each belongs to, and the identities (勾稽关系) between them.

Out: ``TABLES`` (name -> Table) and ``identities(table, template)``; the parser, the
validation, the codebook and the docs all read these. No key or label is spelled twice
in the package: code that needs a label asks this module.

Labels are matched on their *skeleton* (see ``text.skeleton``): Chinese characters,
letters and digits only, so full/half-width punctuation, spaces, brackets and quotes
never decide a match. ``core`` is the distinctive part searched for; ``tail`` is the rest
of the official label, consumed when present so that its text is not read as numbers.
Variants and cores are wordings the templates and agencies use (规范性文件, 社会组织);
misprints (本年废纸件数) are not listed: ``labels`` finds them by rule.

``VARIANT_SOURCES`` says, for every such wording (each column's ``variants``, each row's
``core``), the class of report that prints it: one template's wording, both templates',
or reports that shorten the official label. It is data, read by tests and docs; the
parser matches the wordings whatever their source.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

TEMPLATES = ("2019", "2021")
BOTH = frozenset(TEMPLATES)
T2019 = frozenset({"2019"})
T2021 = frozenset({"2021"})


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    unit: str = "count"  # count | 10k_yuan | items
    # wordings (skeleton form) that name this column; where each is printed: VARIANT_SOURCES
    variants: tuple[str, ...] = ()
    signed: bool = False  # may be negative (本年增/减)


@dataclass(frozen=True)
class Row:
    key: str
    zh: str
    en: str
    templates: frozenset[str] = BOTH
    # skeleton phrases, any of which finds the row; where each is printed: VARIANT_SOURCES
    core: tuple[str, ...] = ()
    tail: str = ""  # rest of the official label (skeleton), skipped when printed
    enumerator: str = ""  # '1'..'8' where the template numbers the row ("2.其他法律…")
    group: str = ""  # outcome group: granted / denied / unable / not_processed / other
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # template -> keys


@dataclass(frozen=True)
class Table:
    name: str
    section: str  # 二 / 三 / 四
    zh: str
    en: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row_keys(self, template: str | None = None) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows if template is None or template in r.templates)


# --- Section 二 主动公开政府信息情况 -------------------------------------------------

_ACTIVE_COLUMNS = (
    Column("issued", "本年制发件数", "issued this year", variants=("本年制发件数",)),
    Column("repealed", "本年废止件数", "repealed this year", variants=("本年废止件数",)),
    Column("in_force", "现行有效件数", "in force", variants=("现行有效件数",)),
    Column("made", "本年新制作数量", "newly made this year", variants=("本年新制作数量",)),
    Column("published", "本年新公开数量", "newly published this year", variants=("本年新公开数量",)),
    Column("total_public", "对外公开总数量", "total made public", variants=("对外公开总数量",)),
    Column("prev_items", "上一年项目数量", "items in the previous year", variants=("上一年项目数量",)),
    Column("change", "本年增/减", "change this year", variants=("本年增减", "本年增加减少"), signed=True),
    Column("decisions", "本年处理决定数量", "decisions this year", variants=("本年处理决定数量", "处理决定数量")),
    Column("items", "采购项目数量", "procurement items", variants=("采购项目数量",)),
    Column("amount", "金额（万元）", "amount (10,000 yuan)", unit="10k_yuan",
           variants=("本年收费金额", "采购总金额")),
)

_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2019 = ("made", "published", "total_public")
_MGMT_2019 = ("prev_items", "change", "decisions")

ACTIVE = Table(
    name="active",
    section="二",
    zh="主动公开政府信息情况",
    en="Proactive disclosure",
    columns=_ACTIVE_COLUMNS,
    rows=(
        Row("regulations", "规章", "Regulations", core=("规章",),
            columns={"2021": _DOCS_2021, "2019": _DOCS_2019}),
        Row("normative_documents", "行政规范性文件", "Normative documents", core=("规范性文件",),
            columns={"2021": _DOCS_2021, "2019": _DOCS_2019}),
        Row("licensing", "行政许可", "Administrative licensing", core=("行政许可",),
            columns={"2021": ("decisions",), "2019": _MGMT_2019}),
        Row("other_services", "其他对外管理服务事项", "Other external management services",
            templates=T2019, core=("其他对外管理服务事项",), columns={"2019": _MGMT_2019}),
        Row("penalty", "行政处罚", "Administrative penalties", core=("行政处罚",),
            columns={"2021": ("decisions",), "2019": _MGMT_2019}),
        Row("coercion", "行政强制", "Administrative coercion", core=("行政强制",),
            columns={"2021": ("decisions",), "2019": _MGMT_2019}),
        Row("fees", "行政事业性收费", "Administrative fees", core=("行政事业性收费",),
            columns={"2021": ("amount",), "2019": ("prev_items", "change")}),
        Row("procurement", "政府集中采购", "Government centralised procurement", templates=T2019,
            core=("政府集中采购",), columns={"2019": ("items", "amount")}),
    ),
)

# --- Section 三 收到和处理政府信息公开申请情况 ----------------------------------------

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "public_interest",
                     "legal_services", "other")

_REQUEST_COLUMNS = (
    Column("natural_person", "自然人", "Natural persons", variants=("自然人",)),
    Column("commercial", "商业企业", "Commercial enterprises", variants=("商业企业",)),
    Column("research", "科研机构", "Research institutions", variants=("科研机构",)),
    Column("public_interest", "社会公益组织", "Public-interest organisations",
           variants=("社会公益组织", "社会组织")),
    Column("legal_services", "法律服务机构", "Legal service providers", variants=("法律服务机构",)),
    Column("other", "其他", "Other legal persons or organisations", variants=("其他",)),
    Column("total", "总计", "Total", variants=("总计",)),
)


def _outcome(key, zh, en, core, group, enumerator="", tail="", templates=BOTH):
    return Row(key, zh, en, templates=templates, core=core, tail=tail,
               enumerator=enumerator, group=group)


_NOT_PROCESSED_TAIL = "行政机关不再处理其政府信息公开申请"

REQUESTS = Table(
    name="requests",
    section="三",
    zh="收到和处理政府信息公开申请情况",
    en="Requests received and handled",
    columns=_REQUEST_COLUMNS,
    rows=(
        Row("new_received", "一、本年新收政府信息公开申请数量", "New requests received this year",
            core=("本年新收",), tail="政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量", "Carried over from the previous year",
            core=("上年结转",), tail="政府信息公开申请数量"),
        _outcome("granted", "（一）予以公开", "Granted in full", ("予以公开",), "granted"),
        _outcome("partially_granted", "（二）部分公开", "Granted in part", ("部分公开",), "granted",
                 tail="区分处理的只计这一情形不计其他情形"),
        _outcome("denied_state_secret", "（三）不予公开 1.属于国家秘密", "Denied: state secret",
                 ("属于国家秘密",), "denied", "1"),
        _outcome("denied_law_prohibited", "2.其他法律行政法规禁止公开",
                 "Denied: prohibited by other laws", ("其他法律行政法规禁止公开",), "denied", "2"),
        _outcome("denied_three_security_one_stability", "3.危及“三安全一稳定”",
                 "Denied: endangers the 'three securities and one stability'",
                 ("危及三安全一稳定",), "denied", "3"),
        _outcome("denied_third_party", "4.保护第三方合法权益", "Denied: third-party rights",
                 ("保护第三方合法权益",), "denied", "4"),
        _outcome("denied_internal_affairs", "5.属于三类内部事务信息", "Denied: internal affairs",
                 ("属于三类内部事务信息", "三类内部事务"), "denied", "5"),
        _outcome("denied_process_info", "6.属于四类过程性信息", "Denied: process information",
                 ("属于四类过程性信息", "四类过程性"), "denied", "6"),
        _outcome("denied_law_enforcement_file", "7.属于行政执法案卷",
                 "Denied: law-enforcement case file", ("属于行政执法案卷",), "denied", "7"),
        _outcome("denied_admin_query", "8.属于行政查询事项", "Denied: administrative query matter",
                 ("属于行政查询事项",), "denied", "8"),
        _outcome("unable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息",
                 "Unable: information not held", ("本机关不掌握相关政府信息", "不掌握相关政府信息"),
                 "unable", "1"),
        _outcome("unable_needs_creation", "2.没有现成信息需要另行制作",
                 "Unable: would need to be created", ("没有现成信息需要另行制作", "需要另行制作"),
                 "unable", "2"),
        _outcome("unable_unclear", "3.补正后申请内容仍不明确", "Unable: unclear after correction",
                 ("补正后申请内容仍不明确",), "unable", "3"),
        _outcome("not_processed_petition", "（五）不予处理 1.信访举报投诉类申请",
                 "Not processed: petition or complaint", ("信访举报投诉类申请",),
                 "not_processed", "1"),
        _outcome("not_processed_repeat", "2.重复申请", "Not processed: repeat request",
                 ("重复申请",), "not_processed", "2"),
        _outcome("not_processed_publication", "3.要求提供公开出版物",
                 "Not processed: asks for publications", ("要求提供公开出版物",),
                 "not_processed", "3"),
        _outcome("not_processed_mass_repeat", "4.无正当理由大量反复申请",
                 "Not processed: mass repeated requests", ("无正当理由大量反复申请",),
                 "not_processed", "4"),
        _outcome("not_processed_confirm", "5.要求行政机关确认或重新出具已获取信息",
                 "Not processed: asks to confirm or re-issue information",
                 ("要求行政机关确认或重新出具已获取信息", "确认或重新出具"), "not_processed", "5"),
        _outcome("other_overdue_correction", "（六）其他处理 1.申请人无正当理由逾期不补正…",
                 "Other: applicant did not correct in time", ("逾期不补正",), "other", "1",
                 tail=_NOT_PROCESSED_TAIL, templates=T2021),
        _outcome("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用…",
                 "Other: applicant did not pay the fee", ("逾期未按收费通知",), "other", "2",
                 tail="要求缴纳费用" + _NOT_PROCESSED_TAIL, templates=T2021),
        _outcome("other_other", "3.其他", "Other: other", ("其他",), "other", "3",
                 templates=T2021),
        _outcome("other", "（六）其他处理", "Other handling", ("其他处理",), "other",
                 templates=T2019),
        Row("total", "（七）总计", "Total handled", core=("总计",)),
        Row("carried_forward", "四、结转下年度继续办理", "Carried forward to next year",
            core=("结转下年度继续办理", "结转下年度")),
    ),
)

OUTCOME_GROUPS = ("granted", "denied", "unable", "not_processed", "other")

# --- Section 四 行政复议、行政诉讼情况 -----------------------------------------------

REVIEW_PARTS = ("upheld", "corrected", "other", "pending")

REVIEWS = Table(
    name="reviews",
    section="四",
    zh="政府信息公开行政复议、行政诉讼情况",
    en="Administrative reviews and lawsuits",
    columns=(
        Column("upheld", "结果维持", "Upheld", variants=("结果维持",)),
        Column("corrected", "结果纠正", "Corrected", variants=("结果纠正",)),
        Column("other", "其他结果", "Other result", variants=("其他结果",)),
        Column("pending", "尚未审结", "Pending", variants=("尚未审结",)),
        Column("total", "总计", "Total", variants=("总计",)),
    ),
    rows=(
        Row("review", "行政复议", "Administrative review", core=("行政复议",)),
        Row("litigation_direct", "行政诉讼 未经复议直接起诉", "Lawsuit without prior review",
            core=("未经复议直接起诉",)),
        Row("litigation_after_review", "行政诉讼 复议后起诉", "Lawsuit after review",
            core=("复议后起诉",)),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (ACTIVE, REQUESTS, REVIEWS)}


# --- Where each wording is printed ---------------------------------------------------
# The evidence: the five seed reports (2020-2024) and the development corpus of 56 real
# reports (2011-2025, both templates and the pre-2019 tables); the templates themselves are
# 国办公开办函〔2019〕60号 and 〔2021〕30号. A class of report, never one file or agency.

_BOTH_TEMPLATES = "both templates' wording: reports on either template print it"
_TEMPLATE_2019 = ("the 2019 template's wording: 2019 and 2020 reports, and later reports "
                  "still on that template")
_TEMPLATE_2021 = ("the 2021 template's wording: reports from 2021 on, and earlier ones "
                  "already on that template")


def _shortened(official: str, printed: str) -> str:
    return (f"reports that shorten {official} ({printed}); a safety net, as every report at "
            "hand prints the official label whole")


VARIANT_SOURCES: dict[str, str] = {
    # section 二, column headers
    "本年制发件数": _TEMPLATE_2021,
    "本年废止件数": _TEMPLATE_2021,
    "现行有效件数": _TEMPLATE_2021,
    "本年新制作数量": _TEMPLATE_2019,
    "本年新公开数量": _TEMPLATE_2019,
    "对外公开总数量": _TEMPLATE_2019,
    "上一年项目数量": _TEMPLATE_2019,
    "本年增减": _TEMPLATE_2019 + " (本年增/减)",
    "本年增加减少": (
        "reports that spell the 2019 template's 本年增/减 out as 本年增加/减少; "
        "not seen in the reports at hand"),
    "本年处理决定数量": _TEMPLATE_2021,
    "处理决定数量": _TEMPLATE_2019 + " (the 2021 template prints 本年处理决定数量)",
    "采购项目数量": _TEMPLATE_2019,
    "本年收费金额": _TEMPLATE_2021 + " (本年收费金额（单位：万元）)",
    "采购总金额": _TEMPLATE_2019 + " (采购总金额（单位：万元）)",
    # section 二, row labels
    "规章": _BOTH_TEMPLATES,
    "规范性文件": (
        "both templates: the 2019 template's row label, inside the 2021 template's "
        "行政规范性文件"),
    "行政许可": _BOTH_TEMPLATES,
    "其他对外管理服务事项": _TEMPLATE_2019,
    "行政处罚": _BOTH_TEMPLATES,
    "行政强制": _BOTH_TEMPLATES,
    "行政事业性收费": _BOTH_TEMPLATES,
    "政府集中采购": _TEMPLATE_2019,
    # section 三, column headers (the 总计 and 其他 of section 四 too)
    "自然人": _BOTH_TEMPLATES,
    "商业企业": _BOTH_TEMPLATES,
    "科研机构": _BOTH_TEMPLATES,
    "社会公益组织": _BOTH_TEMPLATES,
    "社会组织": (
        "reports that shorten the templates' 社会公益组织 to 社会组织, seen in a "
        "2021-template report"),
    "法律服务机构": _BOTH_TEMPLATES,
    "其他": _BOTH_TEMPLATES + " (the applicant column; the row 3.其他 is the 2021 template's)",
    "总计": _BOTH_TEMPLATES,
    # section 三, row labels
    "本年新收": _BOTH_TEMPLATES,
    "上年结转": _BOTH_TEMPLATES,
    "予以公开": _BOTH_TEMPLATES,
    "部分公开": _BOTH_TEMPLATES,
    "属于国家秘密": _BOTH_TEMPLATES,
    "其他法律行政法规禁止公开": _BOTH_TEMPLATES,
    "危及三安全一稳定": _BOTH_TEMPLATES,
    "保护第三方合法权益": _BOTH_TEMPLATES,
    "属于三类内部事务信息": _BOTH_TEMPLATES,
    "三类内部事务": _shortened("属于三类内部事务信息", "without 属于 or 信息"),
    "属于四类过程性信息": _BOTH_TEMPLATES,
    "四类过程性": _shortened("属于四类过程性信息", "without 属于 or 信息"),
    "属于行政执法案卷": _BOTH_TEMPLATES,
    "属于行政查询事项": _BOTH_TEMPLATES,
    "本机关不掌握相关政府信息": _BOTH_TEMPLATES,
    "不掌握相关政府信息": _shortened("本机关不掌握相关政府信息", "without 本机关"),
    "没有现成信息需要另行制作": _BOTH_TEMPLATES,
    "需要另行制作": _shortened("没有现成信息需要另行制作", "without 没有现成信息"),
    "补正后申请内容仍不明确": _BOTH_TEMPLATES,
    "信访举报投诉类申请": _BOTH_TEMPLATES,
    "重复申请": _BOTH_TEMPLATES,
    "要求提供公开出版物": _BOTH_TEMPLATES,
    "无正当理由大量反复申请": _BOTH_TEMPLATES,
    "要求行政机关确认或重新出具已获取信息": _BOTH_TEMPLATES,
    "确认或重新出具": _shortened(
        "要求行政机关确认或重新出具已获取信息", "without 要求行政机关 or 已获取信息"),
    "逾期不补正": _TEMPLATE_2021,
    "逾期未按收费通知": _TEMPLATE_2021,
    "其他处理": (
        _TEMPLATE_2019 + " (one row （六）其他处理; the 2021 template prints it as the "
        "group label over three rows)"),
    "结转下年度继续办理": _BOTH_TEMPLATES,
    "结转下年度": _shortened("结转下年度继续办理", "without 继续办理"),
    # section 四, column headers and row labels
    "结果维持": _BOTH_TEMPLATES,
    "结果纠正": _BOTH_TEMPLATES,
    "其他结果": _BOTH_TEMPLATES,
    "尚未审结": _BOTH_TEMPLATES,
    "行政复议": _BOTH_TEMPLATES,
    "未经复议直接起诉": _BOTH_TEMPLATES,
    "复议后起诉": _BOTH_TEMPLATES,
}


# --- Identities (勾稽关系) -----------------------------------------------------------

Cell = tuple[str, str]  # (row, column)


@dataclass(frozen=True)
class Identity:
    """``sum(lhs) == sum(rhs)`` over cells of one table; ``rule`` names the kind."""

    rule: str  # row_total | outcome_total | balance | review_total
    table: str
    lhs: tuple[Cell, ...]
    rhs: tuple[Cell, ...]
    description: str

    @functools.cached_property  # read for every identity of every report
    def cells(self) -> tuple[Cell, ...]:
        return self.lhs + self.rhs

    @functools.cached_property
    def row(self) -> str:
        """The row all its cells are in, else '' (what a finding about it names)."""
        rows = {r for r, _c in self.cells}
        return rows.pop() if len(rows) == 1 else ""

    @functools.cached_property
    def column(self) -> str:
        """The column all its cells are in, else ''."""
        columns = {c for _r, c in self.cells}
        return columns.pop() if len(columns) == 1 else ""


RULES = {
    "row_total": "总计 column equals the sum of the six applicant columns (每行总计 = 各类申请人之和)",
    "outcome_total": "（七）总计 equals the sum of the outcome rows (办理结果各项之和 = 总计)",
    "balance": "一 + 二 equals （七） + 四 (第一项加第二项之和等于第三项加第四项之和)",
    "review_total": "总计 equals 维持 + 纠正 + 其他 + 尚未审结",
}


def outcome_rows(template: str) -> tuple[str, ...]:
    return tuple(r.key for r in REQUESTS.rows if r.group and template in r.templates)


@functools.cache
def identities(table: str, template: str = "2021") -> tuple[Identity, ...]:
    """Every identity of ``table`` under ``template`` (section 二 has none)."""
    return tuple(_identities(table, template))


def _identities(table: str, template: str) -> list[Identity]:
    out: list[Identity] = []
    if table == "requests":
        for row in REQUESTS.row_keys(template):
            out.append(Identity(
                "row_total", table, ((row, "total"),),
                tuple((row, c) for c in APPLICANT_COLUMNS), f"{row}: total = sum of applicants"))
        outcomes = outcome_rows(template)
        for col in APPLICANT_COLUMNS + ("total",):
            out.append(Identity(
                "outcome_total", table, (("total", col),), tuple((r, col) for r in outcomes),
                f"{col}: （七）总计 = sum of outcome rows"))
            out.append(Identity(
                "balance", table, (("new_received", col), ("carried_over", col)),
                (("total", col), ("carried_forward", col)), f"{col}: 一 + 二 = （七） + 四"))
    elif table == "reviews":
        for row in REVIEWS.row_keys():
            out.append(Identity(
                "review_total", table, ((row, "total"),), tuple((row, c) for c in REVIEW_PARTS),
                f"{row}: total = upheld + corrected + other + pending"))
    return out


def columns_for(table: str, row: str, template: str) -> tuple[str, ...]:
    """The column keys of one row under one template, in printed order."""
    t = TABLES[table]
    if table == "active":
        return t.row(row).columns.get(template, ())
    return tuple(c.key for c in t.columns)


# --- Before 2019: the statistics of the earlier reports ------------------------------
# Reports on the years before the 2019 revision (国办公开办函〔2019〕60号) print no standard
# tables. They state their statistics in an attached 政府信息公开情况统计表 (rows of 指标名称 |
# 计量单位 | 本年度 | 历年累计, or one 年末统计 column), in a run-together copy of one, or in
# sentences. Provinces used different row lists; the row vocabulary below is data: a new
# design is a list of labels in ``STATISTICS_DESIGNS``, each label a wording of a
# ``Statistic``. Labels are skeletons (``text.skeleton_of``); the reader also takes them
# reordered, misprinted or with 其它 for 其他 by rule (govopen.parse.pre2019).

FIRST_STANDARD_YEAR = 2019  # the first statistics year of the standard tables
PRE2019 = "pre2019"  # the era, and the template name of a pre-2019 report's statistics


@dataclass(frozen=True)
class Statistic:
    """One statistic a pre-2019 report states: its key, labels, unit and place in a total."""

    key: str
    zh: str
    en: str
    unit: str  # as printed: 条 (items, requests), 件 (cases), 元 (yuan), 人次 (visits) …
    group: str  # proactive | requests | replies | fees | reviews | complaints | documents
    labels: tuple[str, ...] = ()  # wordings (skeleton) a statistics table prints
    parent: str = ""  # the statistic this one is a part of (其中)
    definition: str = ""


@dataclass(frozen=True)
class StatisticColumn:
    key: str
    zh: str
    en: str
    variants: tuple[str, ...]  # header wordings (skeleton)


STATISTIC_COLUMNS = (
    StatisticColumn("this_year", "本年度", "This year", ("本年度", "年度", "本年", "年末统计")),
    StatisticColumn("cumulative", "历年累计", "Cumulative since 2008", ("历年累计", "累计")),
)


def _stat(key, zh, en, unit, group, labels=(), parent="", definition=""):
    return Statistic(key, zh, en, unit, group, tuple(labels) or (zh,), parent, definition)


_REQ = "requests_received"
_REPLIES = "replies_total"

STATISTICS: tuple[Statistic, ...] = (
    # proactive disclosure
    _stat("proactive_items", "主动公开信息数", "Items disclosed proactively", "条", "proactive",
          ("主动公开信息数", "主动公开文件数", "主动公开政府信息数"),
          definition="items (documents) of government information disclosed proactively"),
    _stat("proactive_website", "网站公开", "Disclosed on the government website", "条",
          "proactive", ("网站公开", "网站公开数", "政府网站公开数", "门户网站公开数"),
          parent="proactive_items"),
    _stat("proactive_gazette", "政府公报公开", "Disclosed in the government gazette", "条",
          "proactive", ("政府公报公开", "政府公报公开数", "公报公开数"), parent="proactive_items"),
    _stat("proactive_other_channels", "其他方式公开", "Disclosed through other channels", "条",
          "proactive", ("其他方式公开", "其他方式公开数", "其他形式公开数"),
          parent="proactive_items"),
    _stat("proactive_dept_units", "部门主动公开政府信息", "Items disclosed by the departments",
          "条", "proactive", ("部门主动公开信息数",),
          definition="区直/县直各单位: one part of the items; the townships are the other"),
    _stat("proactive_townships", "乡镇主动公开政府信息", "Items disclosed by the townships", "条",
          "proactive", ("乡镇主动公开信息数",)),
    _stat("column_visits", "政府信息公开专栏访问量", "Visits to the disclosure column", "人次",
          "proactive", ("专栏访问量",)),
    # the documents an agency made and classified (二（一）): counts of documents, which
    # look like request statistics and are not
    _stat("info_produced_total", "制作、获取政府信息总数", "Documents made or obtained", "条",
          "documents", ("制作获取政府信息总数",)),
    _stat("info_on_request", "作为依申请公开信息数", "Documents open on request", "条",
          "documents", ("作为依申请公开信息数",)),
    _stat("info_not_public", "不予公开信息数", "Documents classified not public", "条",
          "documents", ("不予公开信息数",),
          definition="documents, not refused requests: never the statistic denied"),
    # requests
    _stat(_REQ, "受理依申请公开信息总数", "Requests received", "条", "requests",
          ("受理依申请公开信息总数", "受理依申请公开总数", "收到申请数", "受理申请总数"),
          definition="requests for government information received (受理) in the year"),
    _stat("requests_by_channel_in_person", "当面申请数", "Requests made in person", "条",
          "requests", ("当面申请数",), parent=_REQ),
    _stat("requests_by_channel_fax", "传真申请数", "Requests by fax", "条", "requests",
          ("传真申请数",), parent=_REQ),
    _stat("requests_by_channel_email", "电子邮件申请数", "Requests by e-mail", "条", "requests",
          ("电子邮件申请数",), parent=_REQ),
    _stat("requests_by_channel_online", "网上申请数", "Requests online", "条", "requests",
          ("网上申请数", "网络申请数"), parent=_REQ),
    _stat("requests_by_channel_letter", "信函申请数", "Requests by letter", "条", "requests",
          ("信函申请数",), parent=_REQ),
    _stat("requests_by_channel_letter_fax", "信函、传真申请数", "Requests by letter or fax", "条",
          "requests", ("信函传真申请数",), parent=_REQ),
    _stat("requests_by_channel_other", "其他形式申请数", "Requests in other forms", "条",
          "requests", ("其他形式申请数", "其他方式申请数"), parent=_REQ),
    _stat("requests_pending", "正在办理申请数", "Requests still being handled", "条", "requests",
          ("正在办理申请数", "正在办理数", "尚未答复数", "正在处理申请数"),
          definition="requests received but not yet answered at the year's end"),
    # replies
    _stat(_REPLIES, "对申请的答复数", "Requests answered", "条", "replies",
          ("对申请的答复数", "对申请的答复总数", "答复总数", "申请答复总数"),
          definition="replies given to requests in the year"),
    _stat("replies_granted", "同意公开答复数", "Granted in full", "条", "replies",
          ("同意公开答复数",), parent=_REPLIES),
    _stat("replies_partially_granted", "同意部分公开答复数", "Granted in part", "条", "replies",
          ("同意部分公开答复数", "部分公开答复数"), parent=_REPLIES),
    _stat("denied", "否决公开答复数", "Refused", "条", "replies",
          ("否决公开答复数", "否决公开答复总数", "不予公开答复数", "不同意公开答复数"),
          parent=_REPLIES, definition="requests refused (否决/不予公开), every reason together"),
    _stat("denied_state_secret", "涉及国家秘密", "Refused: state secret", "条", "replies",
          ("涉及国家秘密", "属于国家秘密"), parent="denied"),
    _stat("denied_trade_secret", "涉及商业秘密", "Refused: trade secret", "条", "replies",
          ("涉及商业秘密",), parent="denied"),
    _stat("denied_privacy", "涉及个人隐私", "Refused: personal privacy", "条", "replies",
          ("涉及个人隐私",), parent="denied"),
    _stat("denied_other_reason", "其他不予公开", "Refused: other reasons", "条", "replies",
          ("其他不予公开", "其他原因不予公开"), parent="denied"),
    _stat("replies_not_held", "信息不存在答复数", "Information not held", "条", "replies",
          ("信息不存在答复数", "信息不存在", "不掌握相关信息"), parent=_REPLIES),
    _stat("replies_not_this_agency", "非本机关职责范围答复数", "Not this agency's information",
          "条", "replies", ("非本机关职责范围答复数", "非本机关职责范围", "不属于本机关公开职责"),
          parent=_REPLIES),
    _stat("replies_unclear", "申请内容不明确答复数", "Request unclear", "条", "replies",
          ("申请内容不明确答复数", "申请内容不明确"), parent=_REPLIES),
    _stat("replies_other", "其他类型答复数", "Other replies", "条", "replies",
          ("其他类型答复数", "其他答复数"), parent=_REPLIES),
    # fees
    _stat("fees_charged_yuan", "政府信息公开收费金额", "Fees charged", "元", "fees",
          ("政府信息公开收费金额", "收费金额", "收取费用")),
    _stat("fees_waived_yuan", "政府信息公开收费减免金额", "Fees waived", "元", "fees",
          ("政府信息公开收费减免金额", "收费减免金额", "减免金额", "减免费用")),
    # administrative reviews and lawsuits
    _stat("reviews", "行政复议数", "Administrative reviews", "件", "reviews",
          ("行政复议数", "申请行政复议数")),
    _stat("reviews_upheld", "行政复议维持数", "Reviews: upheld", "件", "reviews",
          ("行政复议维持数", "复议维持数"), parent="reviews"),
    _stat("reviews_corrected", "行政复议纠正数", "Reviews: corrected", "件", "reviews",
          ("行政复议纠正数", "复议纠正数", "被依法纠错数"), parent="reviews"),
    _stat("lawsuits", "行政诉讼数", "Administrative lawsuits", "件", "reviews",
          ("行政诉讼数", "提起行政诉讼数")),
    _stat("lawsuits_upheld", "行政诉讼维持数", "Lawsuits: upheld", "件", "reviews",
          ("行政诉讼维持数", "诉讼维持数"), parent="lawsuits"),
    _stat("lawsuits_corrected", "行政诉讼纠正数", "Lawsuits: corrected", "件", "reviews",
          ("行政诉讼纠正数", "诉讼纠正数"), parent="lawsuits"),
    # complaints and reports (申诉, 举报, 投诉)
    _stat("appeals", "行政申诉数", "Administrative appeals (申诉)", "件", "complaints",
          ("行政申诉数",)),
    _stat("appeals_reports", "行政申诉、举报数", "Appeals and reports (申诉、举报)", "件",
          "complaints", ("行政申诉举报数",)),
    _stat("lawsuits_reports", "接受行政诉讼、举报数", "Lawsuits and reports received", "件",
          "complaints", ("接受行政诉讼举报数",),
          definition="one row of the 2014 Fujian design; not the same as 行政诉讼数"),
    _stat("complaints", "举报投诉数", "Complaints and reports (举报、投诉)", "件", "complaints",
          ("举报投诉数", "投诉举报数", "举报数", "投诉数")),
)

STATISTIC_KEYS = tuple(s.key for s in STATISTICS)
_STATISTIC_BY_KEY = {s.key: s for s in STATISTICS}


def statistic(key: str) -> Statistic:
    return _STATISTIC_BY_KEY[key]


@dataclass(frozen=True)
class StatisticIdentity:
    """``total`` = the sum of the ``parts`` a report prints; only where every statistic
    of ``requires`` is printed (received = answered + pending needs a pending row)."""

    total: str
    parts: tuple[str, ...]
    requires: tuple[str, ...] = ()
    description: str = ""


def _parts(key: str) -> tuple[str, ...]:
    return tuple(s.key for s in STATISTICS if s.parent == key)


STATISTIC_IDENTITIES = (
    StatisticIdentity("proactive_items", _parts("proactive_items"),
                      description="items = website + gazette (+ other channels)"),
    StatisticIdentity(_REQ, _parts(_REQ), description="requests received = the sum of the channels"),
    StatisticIdentity(_REPLIES, _parts(_REPLIES), description="replies = the sum of the reply types"),
    StatisticIdentity(_REQ, (_REPLIES, "requests_pending"), requires=("requests_pending",),
                      description="requests received = answered + pending"),
)
# the outcomes of reviews and lawsuits and the reasons of refusals are not exhaustive in the
# designs (other results, other reasons go unprinted): they are no identity

# The designs the development corpus shows, in printed order: a new province's table is
# one more list. The reader does not need a design to read a table (each printed label is
# matched on its own); the designs document what exists and drive the tests.
STATISTICS_DESIGNS: dict[str, tuple[str, ...]] = {
    "national_2008": (
        "proactive_items", "proactive_website", "proactive_gazette", _REQ,
        "requests_by_channel_in_person", "requests_by_channel_fax", "requests_by_channel_email",
        "requests_by_channel_online", "requests_by_channel_letter", "requests_by_channel_other",
        _REPLIES, "replies_granted", "replies_partially_granted", "denied", "reviews",
        "lawsuits", "appeals"),
    "national_2008_reports": (
        "proactive_items", "proactive_website", "proactive_gazette", _REQ,
        "requests_by_channel_in_person", "requests_by_channel_fax", "requests_by_channel_email",
        "requests_by_channel_online", "requests_by_channel_letter", _REPLIES,
        "replies_granted", "replies_partially_granted", "denied", "reviews", "lawsuits",
        "appeals_reports"),
    "fujian_2014": (
        "proactive_items", "proactive_website", "proactive_gazette", _REQ,
        "requests_by_channel_in_person", "requests_by_channel_online",
        "requests_by_channel_letter_fax", _REPLIES, "replies_granted",
        "replies_partially_granted", "denied", "replies_other", "fees_waived_yuan",
        "lawsuits_reports", "reviews", "lawsuits"),
}


# --- The crosswalk: each pre-2019 statistic -> the 2019+ cells it corresponds to -----------


@dataclass(frozen=True)
class Crosswalk:
    """A pre-2019 statistic and the standard-table cells (table, row, column) whose sum it
    corresponds to. ``comparable``: the same count under both regimes, so that the parser
    emits the cell (a sum of several cells only when the statistic is 0, which forces each)
    and a series may join the two eras; otherwise the link is documentation only."""

    statistic: str
    cells: tuple[tuple[str, str, str], ...]
    comparable: bool
    note: str


def _total(row: str, table: str = "requests") -> tuple[str, str, str]:
    return (table, row, "total")


_DENIED_ROWS = tuple(_total(r.key) for r in REQUESTS.rows if r.group == "denied")

CROSSWALK: tuple[Crosswalk, ...] = (
    Crosswalk(_REQ, (_total("new_received"),), True,
              "受理 in the year = 本年新收; there was no carry-over (上年结转) before 2019"),
    Crosswalk("replies_granted", (_total("granted"),), True, "同意公开 = （一）予以公开"),
    Crosswalk("replies_partially_granted", (_total("partially_granted"),), True,
              "同意部分公开 = （二）部分公开"),
    Crosswalk(_REPLIES, (_total("total"),), True,
              "replies given = （七）总计 handled; requests not yet answered have no row before 2019"),
    Crosswalk("denied", _DENIED_ROWS, False,
              "否决/不予公开 = the sum of the eight （三）不予公开 rows, but before 2019 it also took "
              "what the 2019 template files under 无法提供 and 不予处理: flagged, not joined"),
    Crosswalk("replies_not_held", (_total("unable_not_held"),), True,
              "信息不存在 = （四）1.本机关不掌握相关政府信息"),
    Crosswalk("replies_not_this_agency", (_total("unable_not_held"),), False,
              "非本机关 has no row of its own after 2019 (filed under 本机关不掌握): flagged"),
    Crosswalk("replies_unclear", (_total("unable_unclear"),), False,
              "申请内容不明确 ≠ 补正后申请内容仍不明确 (needs a correction first): flagged"),
    Crosswalk("replies_other", (), False, "其他类型答复 has no one counterpart: 2019+ splits it"),
    Crosswalk("reviews", (_total("review", "reviews"),), True, "行政复议数 = 行政复议 总计"),
    Crosswalk("reviews_upheld", (("reviews", "review", "upheld"),), True, "维持 = 结果维持"),
    Crosswalk("reviews_corrected", (("reviews", "review", "corrected"),), True,
              "纠正 = 结果纠正"),
    Crosswalk("lawsuits", (_total("litigation_direct", "reviews"),
                           _total("litigation_after_review", "reviews")), True,
              "行政诉讼数 = 未经复议直接起诉 + 复议后起诉 (totals); a cell each only when it is 0"),
    Crosswalk("proactive_items", (), False,
              "items disclosed have no 2019+ cell: section 二 counts documents by kind"),
    Crosswalk("fees_charged_yuan", (), False,
              "2019+ reports state 信息处理费 in prose (fact fees_collected); section 二's "
              "行政事业性收费 is another thing"),
    Crosswalk("fees_waived_yuan", (), False, "no 2019+ counterpart"),
    Crosswalk("appeals", (), False, "申诉 has no 2019+ counterpart"),
    Crosswalk("appeals_reports", (), False, "申诉、举报 has no 2019+ counterpart"),
    Crosswalk("lawsuits_reports", (), False,
              "接受行政诉讼、举报 mixes lawsuits and reports: no 2019+ counterpart"),
    Crosswalk("complaints", (), False,
              "举报/投诉 are not requests; 2019+ counts only requests that are complaints "
              "(不予处理 1.信访举报投诉类申请)"),
    Crosswalk("proactive_website", (), False, "no 2019+ counterpart: section 二 counts documents"),
    Crosswalk("proactive_gazette", (), False, "no 2019+ counterpart: section 二 counts documents"),
    Crosswalk("proactive_other_channels", (), False, "no 2019+ counterpart"),
    Crosswalk("proactive_dept_units", (), False, "no 2019+ counterpart"),
    Crosswalk("proactive_townships", (), False, "no 2019+ counterpart"),
    Crosswalk("column_visits", (), False, "no 2019+ counterpart"),
    *(Crosswalk(key, (), False, "a count of documents the agency classified, not of requests: "
                "no counterpart (2019+ reports state it in prose, if at all)")
      for key in ("info_produced_total", "info_on_request", "info_not_public")),
    Crosswalk("requests_pending", (_total("carried_forward"),), False,
              "still being handled at the year's end ≈ 结转下年度继续办理, which only exists "
              "from 2019: flagged"),
    Crosswalk("denied_state_secret", (_total("denied_state_secret"),), True,
              "涉及国家秘密 = （三）1.属于国家秘密"),
    Crosswalk("denied_trade_secret", (_total("denied_third_party"),), False,
              "商业秘密 falls under 4.保护第三方合法权益 with other grounds: flagged"),
    Crosswalk("denied_privacy", (_total("denied_third_party"),), False,
              "个人隐私 falls under 4.保护第三方合法权益 with other grounds: flagged"),
    Crosswalk("denied_other_reason", (), False, "no one counterpart"),
    Crosswalk("lawsuits_upheld", (("reviews", "litigation_direct", "upheld"),
                                  ("reviews", "litigation_after_review", "upheld")), True,
              "维持 = 结果维持 of both kinds of lawsuit; a cell each only when it is 0"),
    Crosswalk("lawsuits_corrected", (("reviews", "litigation_direct", "corrected"),
                                     ("reviews", "litigation_after_review", "corrected")), True,
              "纠正 = 结果纠正 of both kinds of lawsuit; a cell each only when it is 0"),
    *(Crosswalk(s.key, (), False, "by channel: the 2019+ tables count applicants by kind, "
                "not by channel") for s in STATISTICS if s.key.startswith("requests_by_channel")),
)
