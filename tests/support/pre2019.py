"""Generated reports before 2019, in the shapes they print their statistics: a spaced
statistics table (本年度 | 历年累计), the same table run together, or sentences only.

``TABLE``: the rows of a national-design table whose parts add up in both columns;
``pre2019_report(year, rows, …)``: a whole report's text; ``spaced_rows`` and
``glued_rows``: a table's rows as the two exports print them.
"""

from __future__ import annotations

# (statistic, label as printed, unit, this year, cumulative): parts add up in both columns
TABLE = (
    ("proactive_items", "主动公开信息数", "条", 1207, 5318),
    ("proactive_website", "其中：1.网站公开", "条", 1195, 5290),
    ("proactive_gazette", "2.政府公报公开", "条", 12, 28),
    ("requests_received", "受理依申请公开信息总数", "条", 14, 63),
    ("requests_by_channel_in_person", "其中：1.当面申请数", "条", 9, 40),
    ("requests_by_channel_fax", "2.传真申请数", "条", 0, 1),
    ("requests_by_channel_email", "3.电子邮件申请数", "条", 2, 9),
    ("requests_by_channel_online", "4.网上申请数", "条", 3, 11),
    ("requests_by_channel_letter", "5.信函申请数", "条", 0, 2),
    ("requests_by_channel_other", "6.其它形式申请数", "条", 0, 0),
    ("replies_total", "对申请的答复数", "条", 13, 61),
    ("replies_granted", "其中：1.同意公开答复数", "条", 10, 48),
    ("replies_partially_granted", "2.同意部分公开答复数", "条", 2, 7),
    ("denied", "3.否决公开答复数", "条", 1, 6),
    ("reviews", "行政复议数", "件", 0, 1),
    ("lawsuits", "行政诉讼数", "件", 0, 0),
    ("appeals", "行政申诉数", "件", 0, 0),
)


def pre2019_report(year: int, table_rows: list[str], prose: str = "", title_year: int | None = None,
            header: str = "指标名称 计量单位 本年度 历年累计", requests: str = "",
            agency: str = "某某县人民政府") -> str:
    title_year = year if title_year is None else title_year
    return "\n".join([
        f"{agency}{title_year}年政府信息公开工作年度报告",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        "本县持续推进政府信息公开工作，健全工作机制。",
        "二、主动公开政府信息情况",
        prose or "本县各单位按目录梳理信息，及时公开。",
        "三、政府信息依申请公开工作情况",
        requests or "各单位按规定办理申请。",
        "四、政府信息公开工作存在的主要问题及改进情况",
        "公开的深度还需加强。",
        "附件：政府信息公开情况统计表",
        " ".join([header, *table_rows]) if table_rows else "",
        f"{agency}办公室",
        f"{year + 1}年2月10日",
    ]) + "\n"


def spaced_rows(rows=TABLE) -> list[str]:
    return [f"{label} {unit} {now} {total}" for _k, label, unit, now, total in rows]


def glued_rows(rows=TABLE) -> list[str]:
    """The run-together export: every row's digits glued, and the next row's '2.' too."""
    return ["".join(f"{label}{unit}{now}{total}" for _k, label, unit, now, total in rows)]
