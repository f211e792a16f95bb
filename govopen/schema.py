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
