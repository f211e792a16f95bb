"""Which reports print the standard tables: none before 2019, and never from prose.

Reports on years before the 2019 revision of the Regulations print other statistics (an
attached 政府信息公开情况统计表 of 本年度 | 历年累计 rows) or none. Their numbers are read as
those statistics (govopen.parse.pre2019), and come out as cells of the 2019 tables only
through the crosswalk (schema.CROSSWALK), never because a row such as 同意部分公开答复数
looks like （二）部分公开. The reports here are generated in the old designs, with random
values (whose parts do not add up: the identities cannot help, and fail).
"""

from __future__ import annotations

import random

import pytest

import govopen
from govopen import schema
from tests.support import cell

OLD_ROWS = (  # (label, unit) of the statistics table most provinces used 2008–2013
    # (the statistic of each row is OLD_KEYS's, in order)
    ("主动公开信息数", "条"), ("其中：1.网站公开数", "条"), ("2.政府公报公开数", "条"),
    ("受理依申请公开信息总数", "条"), ("其中：1.当面申请数", "条"), ("2.网上申请数", "条"),
    ("3.信函申请数", "条"), ("对申请的答复数", "条"), ("其中：1.同意公开答复数", "条"),
    ("2.同意部分公开答复数", "条"), ("3.否决公开答复数", "条"), ("行政复议数", "件"),
    ("行政诉讼数", "件"), ("行政申诉数", "件"),
)


OLD_KEYS = ("proactive_items", "proactive_website", "proactive_gazette", "requests_received",
            "requests_by_channel_in_person", "requests_by_channel_online",
            "requests_by_channel_letter", "replies_total", "replies_granted",
            "replies_partially_granted", "denied", "reviews", "lawsuits", "appeals")


def old_report(rng: random.Random, year: int, *, glued: bool = False,
               title_year: bool = True, values: list | None = None) -> str:
    """A pre-2019 report: prose in parts and an attached statistics table; ``values``
    receives the (this year, cumulative) of each row."""
    title = f"某某县人民政府{year if title_year else ''}年政府信息公开工作年度报告"
    rows = []
    for label, unit in OLD_ROWS:
        now, total = rng.randint(0, 40), rng.randint(40, 4000)
        if values is not None:
            values.append((now, total))
        rows.append(f"{label}{unit}{now}{total}" if glued else f"{label}\t{unit}\t{now}\t{total}")
    body = [
        title,
        f"本报告统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，我县认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "二、主动公开政府信息情况",
        f"全年主动公开政府信息{rng.randint(100, 900)}条，其中部分公开信息{rng.randint(1, 9)}条。",
        "三、依申请公开政府信息情况",
        f"全年共受理政府信息公开申请{rng.randint(0, 30)}件，同意部分公开{rng.randint(0, 5)}件，"
        "总计办结率100%。",
        "四、行政复议、行政诉讼情况",
        "全年未发生针对本机关政府信息公开事务的行政复议、行政诉讼。",
        "五、存在的主要问题及改进措施",
        "公开内容不够全面。",
        "附件：政府信息公开情况统计表",
        "指标名称\t计量单位\t本年度\t历年累计",
        *rows,
        "某某县人民政府办公室",
        f"{year + 1}年3月1日",
    ]
    return "\n".join(body) + "\n"


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("glued", [False, True])
def test_old_report_gives_cells_only_through_the_crosswalk(seed, glued):
    rng = random.Random(seed)
    year = rng.randint(2008, 2018)
    values: list = []
    report = govopen.parse_report(old_report(rng, year, glued=glued, values=values),
                                  name=f"old-{seed}.txt")
    assert report.meta.year == year and report.era == "pre2019"
    found = report.findings[report.findings.rule == "no_standard_tables"]
    assert len(found) == 1 and str(year) in found.iloc[0].message
    assert all(t is None for t in report.meta.templates.values())
    truth = dict(zip(OLD_KEYS, values, strict=True))
    stats = report.statistics[report.statistics.source == "table"]
    got = {(r.statistic, r.column): r.value for r in stats.itertuples()}
    for key, (now, total) in truth.items():
        for column, want in (("this_year", now), ("cumulative", total)):
            value = got[(key, column)]
            if glued:  # run-together digits: the value or nothing, never another number
                assert value != value or value == want, (key, column)
            else:
                assert value == want, (key, column)
    # every cell is a statistic's value, through the crosswalk
    links = {c: link.statistic for link in schema.CROSSWALK if link.comparable
             for c in link.cells}
    for c in report.cells.itertuples():
        assert "via the crosswalk" in c.note
        statistic = links[(c.table, c.row, c.column)]
        want = truth[statistic][0]
        assert c.value != c.value or c.value == (want if c.row not in LITIGATION else 0)


LITIGATION = ("litigation_direct", "litigation_after_review")  # lawsuits 0 forces both


def test_old_table_without_a_year_in_the_title():
    # the year comes from the statistics period; the old table's statistics are read
    rng = random.Random(3)
    values: list = []
    report = govopen.parse_report(old_report(rng, 2012, title_year=False, values=values),
                                  name="old.txt")
    assert report.meta.year == 2012
    assert cell(report, "requests", "new_received", "total") == (values[3][0], "parsed")


def test_new_template_in_an_old_year_is_still_not_read():
    # the 2019 tables cannot describe a year before 2019: the year in the title is wrong, or
    # the tables are not what they seem; either way no cell is given
    from tests.support.synth import draw, render

    truth = draw(random.Random(5), template="2019")
    text = render(truth, "tabs").data.replace(f"{truth.year}年", "2017年")
    report = govopen.parse_report(text, name="misdated.txt")
    assert report.meta.year == 2017
    assert report.statistics[report.statistics.source == "table"].empty
    # what a sentence states may still come through the crosswalk, never a table's number
    assert (report.statistics.source == "narrative").all()
    assert report.cells.note.str.contains("via the crosswalk").all()


def test_text_that_is_not_a_report_is_an_error():
    text = "某某县2015年工作总结\n一、概述\n受理依申请公开信息总数\t条\t3\t10\n"
    with pytest.raises(govopen.ParseError, match="not an annual report"):
        govopen.parse_report(text, name="summary.txt")
