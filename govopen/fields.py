"""The columns of every output table, defined once: their order, names and meanings.

In: nothing but ``govopen.schema`` (the tables, their rules). Out: the ``Field`` dataclass
(one column: key, Chinese and English name, type, unit, definition, allowed values), the
field tuples of the tables a parse gives — ``REPORT_FIELDS``, ``CELL_FIELDS``,
``FINDING_FIELDS``, ``SECTION_FIELDS``, ``FACT_FIELDS``, ``STATISTIC_TABLE_FIELDS`` (the
statistics of the reports before 2019; ``STATISTIC_FIELDS`` is one report's, without its
``report_id``) — and their key lists (``REPORT_COLUMNS`` …), which fix each table's column
order. The parser builds its tuples
in this order, the corpus gathers them, the codebook documents them from here.

The findings' ``rule`` and ``severity`` columns take their values from the registry of
rules in ``govopen.findings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .findings import RULES, SEVERITIES
from .schema import PRE2019, STATISTIC_COLUMNS, STATISTIC_KEYS, TABLES


@dataclass(frozen=True)
class Field:
    """One column of an output table, as the codebook describes it."""

    key: str
    zh: str
    en: str
    type: str  # Frictionless type: string | integer | number | boolean | date
    unit: str = ""
    definition: str = ""
    enum: tuple[str, ...] = ()


def keys(fields: Iterable[Field]) -> list[str]:
    """The column names of ``fields``, in order."""
    return [f.key for f in fields]


STATUSES = ("ok", "warning", "error", "duplicate")
TEMPLATE_COLUMNS = {name: f"template_{name}" for name in TABLES}

REPORT_FIELDS = (
    Field("source", "来源文件", "Source file", "string",
          definition="the path of the input file as given"),
    Field("report_id", "报告标识", "Report id", "string",
          definition="first 16 hex digits of the SHA-256 of the file's bytes"),
    Field("sha256", "内容哈希", "Content hash", "string",
          definition="SHA-256 of the file's bytes; files with equal hashes are duplicates"),
    Field("status", "处理状态", "Status", "string", enum=STATUSES,
          definition="ok: parsed, no finding to look at; warning: parsed, see findings; "
                     "error: nothing could be read; duplicate: same bytes as an earlier file"),
    Field("message", "说明", "Message", "string",
          definition="why the file is an error, or which findings made it a warning"),
    Field("duplicate_of", "重复于", "Duplicate of", "string",
          definition="source of the earlier file with the same bytes"),
    Field("primary", "面板采用", "Used in the panel", "boolean",
          definition="the one report the panel uses for its agency and year"),
    Field("govopen_version", "govopen 版本", "govopen version", "string",
          definition="version of govopen that parsed the file"),
    Field("format", "文件格式", "File format", "string",
          enum=("text", "html", "docx", "doc", "pdf", "ofd")),
    Field("agency", "机关名称", "Agency", "string", definition="issuing agency as named"),
    Field("year", "统计年度", "Statistics year", "integer",
          definition="the year the statistics cover (2020 for a report published in 2021)"),
    Field("era", "报告时期", "Era", "string", enum=("standard", PRE2019),
          definition="standard: the three tables of the 2019 template (statistics year 2019 "
                     "on); pre2019: a report on an earlier year, its statistics in the "
                     "statistics table, its comparable ones as cells via the crosswalk"),
    Field("published", "发布日期", "Publication date", "string",
          definition="ISO date where the report states one"),
    Field("title", "标题", "Title", "string"),
    Field("province", "省级", "Province", "string",
          definition="province-level division, resolved from the agency name or the text"),
    Field("city", "地级", "City", "string",
          definition="prefecture-level division; empty for a province, a central body or a "
                     "county directly under a province"),
    Field("county", "县级", "County", "string", definition="county-level division"),
    Field("adcode", "行政区划代码", "Division code", "string",
          definition="6-digit code (民政部) of the finest division resolved, kept as text"),
    Field("level", "行政层级", "Level", "string",
          enum=("central", "province", "city", "county", "township"),
          definition="administrative level of the agency"),
    Field("agency_kind", "机关类型", "Kind of agency", "string",
          enum=("government", "government_office", "department", "other"),
          definition="a government, its general office, a department, or another body"),
    *(Field(col, f"{TABLES[t].zh}模板", f"Template of table {t}", "string",
            enum=("2019", "2021", "mixed"),
            definition=f"format of section {TABLES[t].section} as printed: 2019, 2021 or mixed")
      for t, col in TEMPLATE_COLUMNS.items()),
    Field("n_values", "数值个数", "Values read", "integer",
          definition="cells with a value (parsed or inferred)"),
    Field("n_missing", "缺失个数", "Values missing", "integer",
          definition="cells the report does not let anyone know"),
    Field("n_errors", "错误数", "Error findings", "integer",
          definition="findings of severity error (e.g. a failed identity)"),
)

# every table but reports names its report by this key
REPORT_LINK = Field("report_id", "报告标识", "Report id", "string",
                    definition="links to reports.report_id")

CELL_FIELDS = (
    REPORT_LINK,
    Field("table", "表", "Table", "string", enum=tuple(TABLES),
          definition="; ".join(f"{t.name}: section {t.section} {t.zh}" for t in TABLES.values())),
    Field("row", "行", "Row", "string", definition="row key of the table (see the cell keys)"),
    Field("column", "列", "Column", "string",
          definition="column key of the table (see the cell keys)"),
    Field("value", "数值", "Value", "number", unit="see the cell keys",
          definition="the number; missing when the report does not let anyone know it"),
    Field("raw", "原文", "Raw text", "string", definition="the text the value was read from"),
    Field("status", "取值方式", "Value status", "string", enum=("parsed", "inferred", "missing"),
          definition="parsed: read as printed; inferred: not printed, derived from the "
                     "identities; missing: unknowable"),
    Field("line", "行号", "Line", "integer", definition="line of the source text it was read on"),
    Field("char", "字符位置", "Position on the line", "integer",
          definition="where on its line the raw text begins, counting characters from 0; "
                     "empty when the value was not read from one place"),
    Field("note", "备注", "Note", "string", definition="how an inferred or missing value came about"),
)

FINDING_FIELDS = (
    REPORT_LINK,
    Field("rule", "规则", "Rule", "string", enum=tuple(RULES),
          definition="the check that made the finding; every rule is defined, in English and "
                     "Chinese, in the codebook's table of rules"),
    Field("severity", "严重程度", "Severity", "string", enum=SEVERITIES),
    Field("table", "表", "Table", "string", enum=(*TABLES, PRE2019),
          definition="a standard table, or pre2019: the statistics of a report before 2019"),
    Field("row", "行", "Row", "string"),
    Field("column", "列", "Column", "string"),
    Field("message", "说明", "Message", "string"),
)

# the statistics of a report before 2019 (govopen.schema.STATISTICS), one row per value
STATISTIC_FIELDS = (
    Field("statistic", "统计指标", "Statistic", "string", enum=STATISTIC_KEYS,
          definition="a key of govopen.schema.STATISTICS"),
    Field("column", "列", "Column", "string", enum=tuple(c.key for c in STATISTIC_COLUMNS),
          definition="this_year: 本年度 (or 年末统计); cumulative: 历年累计"),
    Field("value", "数值", "Value", "number", definition="missing when it cannot be known"),
    Field("unit", "单位", "Unit", "string", definition="as printed (条, 件, 元 …)"),
    Field("raw", "原文", "Raw text", "string", definition="the row or sentence it was read from"),
    Field("status", "取值方式", "Value status", "string", enum=("parsed", "inferred", "missing")),
    Field("source", "来源", "Source", "string", enum=("table", "narrative"),
          definition="table: the statistics table; narrative: a sentence of the report"),
    Field("line", "行号", "Line", "integer"),
    Field("note", "备注", "Note", "string"),
)
# the same, as the corpus gathers them: each row names its report
STATISTIC_TABLE_FIELDS = (REPORT_LINK, *STATISTIC_FIELDS)

SECTION_FIELDS = (
    REPORT_LINK,
    Field("section", "部分", "Section", "string",
          definition="preamble (before the first heading) or 一 … 六 of the report"),
    Field("text", "正文", "Text", "string", definition="the section's text as printed"),
)

FACT_FIELDS = (
    REPORT_LINK,
    Field("fact", "事项", "Fact", "string", definition="a key of govopen.parse.facts.FACTS"),
    Field("value", "数值", "Value", "number", definition="the number the sentence states "
          "(fees in 元, converted from 万元 exactly)"),
    Field("unit", "单位", "Unit", "string"),
    Field("section", "部分", "Section", "string"),
    Field("sentence", "原句", "Sentence", "string", definition="the sentence it was read from"),
    Field("confidence", "可信度", "Confidence", "string", enum=("high", "medium", "low"),
          definition="high: the wording names the fact and the period; medium: a weaker "
                     "wording; low: a subset, one channel or an approximate number"),
)

REPORT_COLUMNS = keys(REPORT_FIELDS)
CELL_COLUMNS = keys(CELL_FIELDS)
FINDING_COLUMNS = keys(FINDING_FIELDS)
SECTION_COLUMNS = keys(SECTION_FIELDS)
FACT_COLUMNS = keys(FACT_FIELDS)
STATISTIC_COLUMNS_OUT = keys(STATISTIC_FIELDS)
STATISTIC_TABLE_COLUMNS = keys(STATISTIC_TABLE_FIELDS)
# a fact as one report's parse gives it, before the corpus adds its report_id
FACT_RECORD_COLUMNS = tuple(FACT_COLUMNS[1:])

__all__ = ["Field", "keys", "STATUSES", "TEMPLATE_COLUMNS",
           "REPORT_FIELDS", "REPORT_LINK", "CELL_FIELDS", "FINDING_FIELDS", "SECTION_FIELDS",
           "FACT_FIELDS", "STATISTIC_FIELDS", "STATISTIC_TABLE_FIELDS", "STATISTIC_COLUMNS_OUT",
           "STATISTIC_TABLE_COLUMNS", "REPORT_COLUMNS", "CELL_COLUMNS", "FINDING_COLUMNS",
           "SECTION_COLUMNS", "FACT_COLUMNS", "FACT_RECORD_COLUMNS"]
