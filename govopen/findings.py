"""What a check says about a report: the ``Finding`` record and the registry of every rule.

In: a rule's name and what it found (table, row, column, message). Out: a ``Finding``, whose
severity is the rule's, and which becomes one row of the findings table (``as_row``).

``RULES`` is the one list of rules: every finding the parser or the corpus checks can
make names one of them, and the codebook prints them all with their definitions in
English and Chinese. A rule's severity says what it means for the report:

* ``error`` — a number the report prints cannot be right (an identity fails), or the file
  could not be read;
* ``warning`` — a cell could not be read, or was read with a caveat (see its note);
* ``info`` — something a reader may want to know; nothing was lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import RULES as IDENTITY_RULES

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """One kind of finding: its name, what it means and how serious it is."""

    name: str
    severity: str  # error | warning | info
    en: str
    zh: str
    stage: str  # where it is raised: identities, tables, placement, ocr, prose, report, corpus


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.name: r for r in rules}


# The identities' definitions are the schema's (SCHEMA.md's 勾稽关系); only their Chinese
# names are added here.
_IDENTITY_ZH = {
    "row_total": "每行总计等于各类申请人之和",
    "outcome_total": "（七）总计等于办理结果各项之和",
    "balance": "第一项加第二项之和等于第三项加第四项之和",
    "review_total": "行政复议、行政诉讼的总计等于维持、纠正、其他、尚未审结之和",
}

RULES: dict[str, Rule] = _rules(
    *(Rule(name, "error", f"an identity fails: {text}", _IDENTITY_ZH[name], "identities")
      for name, text in IDENTITY_RULES.items()),
    # reading the tables
    Rule("table_not_found", "warning", "one of the three standard tables was not found",
         "未找到三张标准表格之一", "tables"),
    Rule("row_not_found", "warning", "a row of section 三 was not found; its cells are unknown",
         "未找到第三部分表格的某一行，其单元格未知", "tables"),
    Rule("label_misprint", "info",
         "a row label or column header was read from a misprint of the template's wording "
         "(found by edit distance within the template's row order)",
         "行标签或列标题有错字，按模板行序和编辑距离识别", "tables"),
    Rule("several_numbers", "warning",
         "a cell prints several numbers where one belongs; its value is not read from it",
         "一个单元格内有多个数字，不取其值", "tables"),
    Rule("misread_number", "warning",
         "a cell or row prints a letter where a digit belongs (l for 1, O for 0); its value "
         "is not read from it", "单元格中数字位置出现字母（如 l 代 1、O 代 0），不取其值",
         "tables"),
    Rule("unreadable_number", "warning",
         "a run of digits too long to be a count, or otherwise unreadable; its cell is missing",
         "数字串过长或无法识别，单元格缺失", "tables"),
    Rule("stray_numbers", "warning", "numbers in a table's span that belong to no row; left out",
         "表格范围内不属于任何行的数字，未采用", "tables"),
    Rule("unit", "warning",
         "an amount printed in 元 where the table asks for 万元; kept as raw, its value missing",
         "金额以元而非万元填报，保留原文，数值缺失", "tables"),
    Rule("torn_table", "warning",
         "the table's numbers stand apart from its labels (a page break, a converter that "
         "printed them elsewhere); rows were matched by order",
         "表格数字与行标签分离（分页或转换所致），按顺序匹配", "tables"),
    # placing numbers in cells
    Rule("undetermined", "warning",
         "several placements of a row's numbers fit the identities; the cells they disagree "
         "on are missing", "一行数字有多种放置方式均符合勾稽关系，不一致的单元格缺失",
         "placement"),
    Rule("too_many_readings", "warning",
         "a row's numbers can be read in too many ways to search; its cells are missing",
         "一行数字的可能读法过多，无法搜索，单元格缺失", "placement"),
    Rule("unplaceable", "warning",
         "a row's numbers fit no placement in its cells; its cells are missing",
         "一行数字无法放入其单元格，单元格缺失", "placement"),
    Rule("placement_budget", "warning",
         "the search for the values that fit the identities ran out of its time budget; "
         "the cells it had not settled are missing",
         "按勾稽关系求解单元格数值超出时间预算，未确定的单元格缺失", "placement"),
    # reading a scan by OCR
    Rule("ocr_low_confidence", "warning",
         "a number cell of a scan that OCR could not read surely (a digit below the "
         "confidence threshold, or not cleanly a number); its value is not read from it",
         "扫描件中 OCR 未能可靠识别的数字单元格（置信度低于阈值或不是规范数字），不取其值", "ocr"),
    Rule("ocr_misread", "warning",
         "an identity fails as a scan was read by OCR: one of its cells is likely misread, "
         "so its cells are missing",
         "扫描件经 OCR 识别后勾稽关系不成立，其中某个单元格可能识别有误，相关单元格缺失", "ocr"),
    # the prose
    Rule("narrative_requests", "warning",
         "the text states a number of requests that differs from the table's",
         "正文所述申请数与表格不一致", "prose"),
    Rule("narrative_fee_unit", "warning",
         "the text states the fees in 元 and the table holds the same number as 万元: "
         "the table probably holds 元", "正文所述收费（元）与表格数值（万元）相同，表格可能误填为元",
         "prose"),
    Rule("narrative_fee_exceeds_table", "warning",
         "the text states more fees than the table's amount", "正文所述收费金额超过表格金额",
         "prose"),
    # the statistics of a report before 2019
    Rule("statistics_row_unknown", "warning",
         "a row of a pre-2019 statistics table names no statistic of the schema, or one "
         "printed twice; its numbers are not taken",
         "2019 年以前统计表的某行不对应任何统计指标（或重复），其数字不采用", "tables"),
    Rule("statistics_undetermined", "warning",
         "the run-together digits of a pre-2019 statistics row fit several readings; the "
         "values they disagree on are missing",
         "2019 年以前统计表某行数字连写，有多种读法，不一致的数值缺失", "placement"),
    Rule("statistics_identity", "error",
         "an identity of a pre-2019 statistics table fails: its parts do not add up to "
         "their total (kept as printed)",
         "2019 年以前统计表的分项之和不等于合计（按原样保留）", "identities"),
    Rule("narrative_statistic", "warning",
         "the text states a pre-2019 statistic differently from the statistics table",
         "正文所述统计数与统计表不一致", "prose"),
    Rule("crosswalk", "info",
         "cells of the standard tables come from a pre-2019 report's statistics through the "
         "crosswalk (govopen.schema.CROSSWALK), not from tables of that form",
         "标准表格的单元格由 2019 年以前的统计指标按对照表得出", "report"),
    # the report as a whole
    Rule("no_standard_tables", "warning",
         "the report does not print the three standard tables (a year before 2019, or no "
         "template rows in section 三); none of their cells is read from a table (a "
         "pre-2019 report's comparable statistics give cells through the crosswalk)",
         "报告未使用三张标准表格（2019 年以前或第三部分无模板行），不从表格读取其单元格"
         "（2019 年以前的可比统计指标按对照表给出）", "report"),
    Rule("region_ambiguous", "warning",
         "the place name fits several divisions and nothing in the report says which; "
         "adcode left empty", "地名对应多个行政区划且报告未说明，区划代码留空", "report"),
    Rule("region_unresolved", "info",
         "no division could be read from the agency name or the text; region left empty",
         "无法从机关名称或正文识别行政区划，留空", "report"),
    # checks across files
    Rule("parse_error", "error", "the file could not be read as a report (the message says why)",
         "文件无法作为年度报告读取（说明中给出原因）", "corpus"),
    Rule("no_tables", "error",
         "the file was read but no value of the three standard tables was found",
         "文件已读取，但未找到三张标准表格的任何数值", "corpus"),
    Rule("duplicate", "warning",
         "the file has the same bytes as an earlier input; its cells are counted once",
         "文件与之前的输入内容相同，其单元格只计一次", "corpus"),
    Rule("same_agency_year", "warning", "another report of the same agency and statistics year "
         "was given", "同一机关同一统计年度另有报告", "corpus"),
    Rule("cumulative_change", "warning",
         "a pre-2019 statistic's 历年累计 in year t differs from the same agency's year t−1 "
         "cumulative plus year t's value", "第 t 年的历年累计不等于第 t−1 年历年累计加第 t 年本年度数",
         "corpus"),
    Rule("manifest_filled", "info",
         "the agency or statistics year the report does not print was taken from the "
         "collection manifest (the site it was collected from, the year its title claims)",
         "报告未载明的机关或统计年度取自采集清单（采集网站、标题所称年度）", "corpus"),
    Rule("manifest_year_differs", "warning",
         "the statistics year the report prints differs from the year the collection "
         "manifest claims for it; the report's own is kept",
         "报告所载统计年度与采集清单所称年度不一致，保留报告自身所载", "corpus"),
    Rule("manifest_agency_differs", "info",
         "the report names another agency than the site the manifest lists it under (one "
         "site often lists several agencies' reports); the report's own is kept",
         "报告所载机关与采集清单所列网站机关不同（一个网站常列多个机关的报告），保留报告自身所载",
         "corpus"),
    Rule("carry_over", "warning",
         "上年结转 in year t differs from 结转下年度继续办理 in the same agency's year t−1 report",
         "第 t 年的上年结转与同一机关第 t−1 年报告的结转下年度继续办理不一致", "corpus"),
)


@dataclass(frozen=True)
class Finding:
    """One thing a check found. ``severity`` is the rule's unless given. ``table``, ``row``
    and ``column`` are '' where a finding is about no particular one, and None where a
    check across files does not say (a file that could not be read has no table)."""

    rule: str
    message: str
    table: str | None = ""
    row: str | None = ""
    column: str | None = ""
    severity: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise KeyError(f"unknown rule {self.rule!r}: add it to govopen.findings.RULES")
        if not self.severity:
            object.__setattr__(self, "severity", RULES[self.rule].severity)
        elif self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def as_row(self, report_id: str | None) -> tuple:
        """The finding as a row of the findings table, in the order of
        ``govopen.fields.FINDING_COLUMNS``."""
        return (report_id, self.rule, self.severity, self.table, self.row, self.column,
                self.message)


# the rules checked across the files of a corpus (govopen.corpus.checks), with their meaning
CORPUS_RULES = {name: r.en for name, r in RULES.items() if r.stage == "corpus"}
