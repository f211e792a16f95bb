"""Reports before 2019: their statistics, read from a table or from sentences, and the
standard cells the crosswalk gives.

The fixtures are generated here in the shapes the pre-2019 reports print: a spaced
statistics table (本年度 | 历年累计), the same table run together (digits of both columns
glued, the next row's number glued on), and a report that states everything in sentences.
The corpus test at the end reads every pre-2019 report of ../shared/corpus against its
gold ``pre2019`` block.
"""

from __future__ import annotations

import json
import math

import pytest

import govopen
from govopen import schema
from govopen.parse import pre2019
from tests.support import SHARED, cell
from tests.support.pre2019 import TABLE, glued_rows, spaced_rows
from tests.support.pre2019 import pre2019_report as _report


def values(report, source="table") -> dict[tuple[str, str], tuple[float, str]]:
    s = report.statistics
    s = s[s.source == source]
    return {(r.statistic, r.column): (r.value, r.status) for r in s.itertuples()}


def test_spaced_statistics_table_reads_every_row_in_both_columns():
    report = govopen.parse_report(_report(2012, spaced_rows()), name="spaced.txt")
    assert report.era == "pre2019" and report.meta.year == 2012
    got = values(report)
    for key, _label, _unit, now, total in TABLE:
        assert got[(key, "this_year")] == (now, "parsed")
        assert got[(key, "cumulative")] == (total, "parsed")
    assert not (report.findings.rule == "statistics_identity").any()  # the parts add up
    # the comparable statistics give the standard cells, saying where they come from
    assert cell(report, "requests", "new_received", "total") == (14, "parsed")
    assert cell(report, "requests", "granted", "total") == (10, "parsed")
    assert cell(report, "requests", "partially_granted", "total") == (2, "parsed")
    assert cell(report, "requests", "total", "total") == (13, "parsed")
    assert cell(report, "reviews", "review", "total") == (0, "parsed")
    assert cell(report, "reviews", "litigation_direct", "total") == (0, "inferred")
    assert cell(report, "reviews", "litigation_after_review", "total") == (0, "inferred")
    # 否决 is not comparable to the eight 不予公开 rows: no cell of theirs
    assert not report.cells.row.str.startswith("denied").any()
    assert report.cells.note.str.contains("via the crosswalk from the pre-2019").all()
    assert (report.findings.rule == "crosswalk").sum() == 1


def test_run_together_table_is_split_by_its_own_sums():
    # '条1207531' + '8其中：1.网站公开…': every row glued; the sums of both columns and
    # the rule that a cumulative is no less than this year's value pick each split
    report = govopen.parse_report(_report(2013, glued_rows()), name="glued.txt")
    got = values(report)
    for key, _label, _unit, now, total in TABLE:
        value, status = got[(key, "this_year")]
        if status != "missing":
            assert value == now, key
            assert got[(key, "cumulative")][0] == total, key
    # the request rows are all decided: the channel and reply sums leave one reading
    for key in ("requests_received", "requests_by_channel_in_person", "replies_total",
                "replies_granted"):
        assert got[(key, "this_year")][1] in ("parsed", "inferred"), key
    assert got[("requests_received", "this_year")] == (14, "inferred")
    assert cell(report, "requests", "new_received", "total") == (14, "inferred")


def test_run_together_split_settled_by_the_sentence_that_states_it():
    rows = [("proactive_items", "主动公开信息数", "条", 2026, 3542),
            ("proactive_website", "其中：1.网站公开", "条", 2026, 3542),
            ("proactive_gazette", "2.政府公报公开", "条", 0, 0),
            ("requests_received", "受理依申请公开信息总数", "条", 0, 0),
            ("replies_total", "对申请的答复数", "条", 0, 0)]
    plain = _report(2014, glued_rows(rows))
    got = values(govopen.parse_report(plain, name="plain.txt"))
    # 20|263542, 202|63542, 2026|3542: the sums cannot tell, the values are missing
    assert math.isnan(got[("proactive_items", "this_year")][0])
    told = _report(2014, glued_rows(rows), prose="全年主动公开政府信息2026条，均在网站发布。")
    report = govopen.parse_report(told, name="told.txt")
    got = values(report)
    assert got[("proactive_items", "this_year")] == (2026, "inferred")
    assert got[("proactive_items", "cumulative")] == (3542, "inferred")
    assert got[("proactive_website", "this_year")] == (2026, "inferred")  # then by the sum
    note = report.statistics.set_index(["statistic", "column"]).loc[
        ("proactive_items", "this_year"), "note"]
    assert "a sentence states" in note


def test_one_column_table():
    rows = [f"{label}{unit}{now}" for _k, label, unit, now, _t in TABLE]
    text = _report(2012, [" ".join(rows)], header="附表：指标名称计量单位年末统计")
    report = govopen.parse_report(text, name="onecol.txt")
    got = values(report)
    assert got[("requests_received", "this_year")] == (14, "parsed")
    assert ("requests_received", "cumulative") not in got
    assert cell(report, "requests", "granted", "total") == (10, "parsed")


def test_a_blank_cumulative_in_a_spaced_table():
    rows = spaced_rows()
    rows[2] = "2.政府公报公开 条 0"  # one value where the table has two
    got = values(govopen.parse_report(_report(2013, rows), name="blank.txt"))
    assert got[("proactive_gazette", "this_year")] == (0, "inferred")
    assert math.isnan(got[("proactive_gazette", "cumulative")][0])


def test_prose_only_report():
    prose = ("本年度未收到公民、法人或其他组织提出的政府信息公开申请。"
             "本年度未收到申请行政复议、提起行政诉讼的情况。")
    report = govopen.parse_report(_report(2011, [], requests=prose), name="prose.txt")
    assert report.era == "pre2019"
    got = values(report, "narrative")
    assert got == {("requests_received", "this_year"): (0, "parsed"),
                   ("reviews", "this_year"): (0, "parsed"),
                   ("lawsuits", "this_year"): (0, "parsed")}
    assert cell(report, "requests", "new_received", "total") == (0, "parsed")
    assert cell(report, "reviews", "review", "total") == (0, "parsed")
    assert cell(report, "reviews", "litigation_direct", "total") == (0, "inferred")
    raw = report.statistics.set_index("statistic").loc["requests_received", "raw"]
    assert "未收到" in raw  # the sentence is the provenance


def test_prose_with_numbers():
    prose = ("全年共收到政府信息公开申请6件，其中当面申请数4件，网上申请数2件；"
             "对申请的答复总数6件，其中同意公开答复数5件。")
    report = govopen.parse_report(_report(2012, [], requests=prose), name="prose2.txt")
    got = values(report, "narrative")
    assert got[("requests_received", "this_year")][0] == 6
    assert got[("requests_by_channel_in_person", "this_year")][0] == 4
    assert got[("requests_by_channel_online", "this_year")][0] == 2
    assert got[("replies_total", "this_year")][0] == 6
    assert got[("replies_granted", "this_year")][0] == 5
    assert cell(report, "requests", "total", "total") == (6, "parsed")


def test_document_counts_are_not_refusals():
    # 二（一） counts the documents an agency classified: 不予公开信息数 is not 否决公开答复数
    prose = ("全年制作、获取政府信息总数930条，其中主动公开政府信息600条，作为依申请公开信息数"
             "30条，不予公开信息数300条。")
    report = govopen.parse_report(_report(2012, spaced_rows(), prose=prose), name="docs.txt")
    facts = report.facts.set_index("fact")["value"]
    assert facts["info_not_public"] == 300 and facts["info_on_request"] == 30
    assert "denied" not in set(report.facts.fact)
    assert values(report)[("denied", "this_year")] == (1, "parsed")  # the table's
    assert not report.cells.row.str.startswith("denied").any()


def test_service_centre_applications_and_review_requests_are_not_requests():
    prose = ("行政服务中心开设窗口20个，全年共受理申请98000件。"
             "全年未收到有关政府信息公开的行政复议申请。")
    report = govopen.parse_report(_report(2015, [], requests=prose), name="centre.txt")
    got = values(report, "narrative")
    assert ("requests_received", "this_year") not in got  # 98000 审批 applications, and a review
    assert got[("reviews", "this_year")] == (0, "parsed")
    assert not (report.cells.row == "new_received").any()


def test_cumulative_below_this_year_is_no_reading():
    # '5030' can be 5|030 (leading zero), 50|30 (cumulative below this year) or 503|0: none
    rows = [("requests_received", "受理依申请公开信息总数", "条", 50, 30)]
    rows += [("replies_total", "对申请的答复数", "条", 0, 0), ("reviews", "行政复议数", "件", 0, 0)]
    report = govopen.parse_report(_report(2013, glued_rows(rows)), name="below.txt")
    assert math.isnan(values(report)[("requests_received", "this_year")][0])
    assert not (report.cells.row == "new_received").any() or math.isnan(
        cell(report, "requests", "new_received", "total")[0] or math.nan)


def test_a_broken_sum_is_an_error_kept_as_printed():
    rows = [list(r) for r in TABLE]
    rows[1][3] = 1100  # website 1100 + gazette 12 != 1207
    report = govopen.parse_report(_report(2012, spaced_rows([tuple(r) for r in rows])),
                                  name="broken.txt")
    found = report.findings[report.findings.rule == "statistics_identity"]
    assert list(found.row) == ["proactive_items"] and (found.severity == "error").all()
    assert values(report)[("proactive_website", "this_year")] == (1100, "parsed")


@pytest.mark.parametrize(("printed", "key", "how"), [
    ("受理依申请公开信息总数", "requests_received", "exact"),
    ("其中：1、政府网站公开数", "proactive_website", "exact"),
    ("6.其它形式申请数", "requests_by_channel_other", "exact"),  # 其它 = 其他
    ("受理政府信息依申请公开总数", "requests_received", "reordered"),  # 政府信息 moved
    ("对申请答复的总数", "replies_total", "reordered"),  # every character, one more
    ("同意部分公开答夏数", "replies_partially_granted", "misprint"),
    ("接受行政诉讼、举报数", "lawsuits_reports", "exact"),  # not 行政诉讼数
    ("不予公开信息数", "info_not_public", "exact"),  # documents, not 不予公开答复数
    ("本年办结事项数", None, "unknown"),
])
def test_label_rules(printed, key, how):
    assert pre2019.match_label(printed) == (key, how)


def test_era_by_statistics_year_not_title_year():
    # published in 2018 and titled so, the report is on 2017: the period decides
    report = govopen.parse_report(_report(2017, spaced_rows(), title_year=2018), name="t.txt")
    assert report.meta.year == 2017 and report.era == "pre2019"
    # titled with the year of publication 2019, on 2018: still the old era, read as such
    report = govopen.parse_report(_report(2018, spaced_rows(), title_year=2019), name="u.txt")
    assert report.meta.year == 2018 and report.era == "pre2019"
    assert cell(report, "requests", "new_received", "total") == (14, "parsed")


def test_era_by_content_when_no_year_is_given():
    text = _report(2012, spaced_rows()).replace("2012年", "").replace("2013年", "")
    report = govopen.parse_report(text, name="noyear.txt")
    assert report.meta.year is None and report.era == "pre2019"
    assert cell(report, "requests", "new_received", "total") == (14, "parsed")


def test_every_statistic_has_a_crosswalk_and_one_comparable_link_per_cell():
    linked = [c.statistic for c in schema.CROSSWALK]
    assert sorted(linked) == sorted(schema.STATISTIC_KEYS)
    cells = [c for link in schema.CROSSWALK if link.comparable for c in link.cells]
    assert len(cells) == len(set(cells))
    keys = {(t, r.key, c.key) for t, tab in schema.TABLES.items() for r in tab.rows
            for c in tab.columns}
    assert {c for link in schema.CROSSWALK for c in link.cells} <= keys
    for design in schema.STATISTICS_DESIGNS.values():
        assert set(design) <= set(schema.STATISTIC_KEYS)


# --- the corpus: every pre-2019 report against its gold pre2019 block ------------------

CORPUS = SHARED / "corpus"
PRE_IDS = sorted(p.stem for p in (CORPUS / "gold").glob("*.json")
                 if json.loads(p.read_text(encoding="utf-8")).get("template") == "pre2019"
                 ) if CORPUS.is_dir() else []

# gold keys (after the '_narrative' suffix is dropped) the schema names differently
GOLD_TO_SCHEMA: dict[str, str] = {}
# gold keys not read, and why: none is skipped silently
NOT_READ = {
    "proactive_dept_units_pct": "a share (%) of the total, not a count; derivable",
    "proactive_townships_pct": "a share (%) of the total, not a count; derivable",
    "proactive_by_category": "topic breakdowns (机构职能, 规划计划 …): one report's list of "
                             "categories each, not a statistic of the tables",
    "key_areas": "重点领域 topic counts: lists that change every year, not statistics",
    "key_area_items_online": "a topic count (重点领域 through the portal)",
    "office_items_online": "one office's own count (公开办), not the agency's statistic",
    "reading_point_units": "reading rooms' member units: infrastructure, not disclosure",
    "bulletin_issues": "notice-board issues (期): not a count of items or requests",
    "replies_other_public_narrative": "prose name '其它公开答复数' for 同意部分公开: its own "
                                      "wording, kept apart as the gold keeps it",
    "replies_exempt_narrative": "prose name '免于公开答复数' for 否决: its own wording",
    "service_centre_units": "行政服务中心 (审批) figures: not open government information",
    "service_centre_windows": "行政服务中心 (审批) figures",
    "service_centre_applications": "行政服务中心 applications: administrative, not requests",
    "online_approvals_received": "online approvals (审批), not requests",
    "online_approvals_completed": "online approvals (审批), not requests",
    "weibo_followers": "social-media audience, not disclosure",
    "weibo_posts": "social-media posts: a channel count of one report",
    "info_cleared": "a one-off clean-up count of one department",
    "full_text_electronic_pct": "a share (%), not a count",
    "farm_product_checks": "topic notices (期)",
    "key_projects": "topic counts", "land_announcements": "topic counts",
    "land_approvals": "topic counts", "land_notices": "topic counts",
    "online_bidding": "topic counts", "pollution_monitoring_issues": "topic counts",
    "power_items": "power lists (权力清单): items of another register",
    "power_list_items": "power lists (权力清单)", "responsibility_items": "power lists",
    "multi_dept_supervision_items": "power lists", "public_service_items": "service lists",
    "public_service_list_items": "service lists", "procurement_items": "topic counts",
    "project_bulletins": "topic bulletins (期)", "public_rental_flats": "topic counts",
    "safety_bulletins": "topic bulletins (期)", "tender_notices": "topic counts",
    "policy_interpretations": "a 2019+ fact (policy_interpretations) whose wording here is "
                              "a column name, not read before 2019",
}
# statistics the table prints run together with several readings that neither the
# table's sums (the source breaks website + gazette = total) nor a sentence settle
UNDECIDABLE = {("pt-ptx-2012", "proactive_website"), ("pt-ptx-2013", "proactive_website")}


def _gold_entries(block: dict, prefix: str = ""):
    for key, entry in block.items():
        if isinstance(entry, dict) and "value" not in entry:
            yield from ((f"{key}.{k}", e) for k, e in _gold_entries(entry))
        else:
            yield prefix + key, entry


@pytest.mark.needs_shared
@pytest.mark.parametrize("ident", PRE_IDS)
def test_corpus_pre2019_against_gold(ident):
    gold = json.loads((CORPUS / "gold" / f"{ident}.json").read_text(encoding="utf-8"))
    report = govopen.parse_report(CORPUS / "raw" / f"{ident}.txt")
    table = values(report)
    narrative = values(report, "narrative")
    wrong, absent = [], []
    for key, entry in _gold_entries(gold["pre2019"]):
        top = key.split(".")[0]
        base = key.removesuffix("_narrative")
        if top in NOT_READ or key in NOT_READ:
            continue
        base = GOLD_TO_SCHEMA.get(base, base)
        assert base in schema.STATISTIC_KEYS, f"{key}: no statistic of the schema"
        if entry["source"] == "table":
            wanted = [("this_year", entry["value"]), ("cumulative", entry.get("cumulative"))]
            for column, want in wanted:
                got = table.get((base, column))
                if want is None:
                    assert got is None or math.isnan(got[0]), (key, column, got)
                elif got is None or math.isnan(got[0]):
                    if (ident, base) not in UNDECIDABLE:
                        absent.append((key, column))
                elif got[0] != want:
                    wrong.append((key, column, got[0], want))
        else:  # a sentence: one of the report's facts of that key says it
            facts = report.facts[report.facts.fact == base]
            said = facts[facts.sentence.str.contains(entry["raw"], regex=False)]
            if said.empty:
                absent.append((key, "sentence"))
            elif entry["value"] not in set(said.value):
                wrong.append((key, "sentence", list(said.value), entry["value"]))
            if (base, "this_year") in narrative:  # the statistic was taken from the prose
                assert narrative[(base, "this_year")][0] == entry["value"]
    assert not wrong
    assert not absent


def test_cumulative_checked_against_the_year_before():
    import pandas as pd

    from govopen.corpus.checks import cumulative_change

    first = govopen.parse_report(_report(2012, spaced_rows()), name="a.txt")
    rows = [(k, label, unit, now, total + now) for k, label, unit, now, total in TABLE]
    rows[0] = ("proactive_items", "主动公开信息数", "条", 1207, 9999)  # not 5318 + 1207
    second = govopen.parse_report(_report(2013, spaced_rows(rows)), name="b.txt")
    reports = pd.DataFrame([
        {"report_id": r.meta.report_id, "agency": "某某县人民政府", "year": r.meta.year,
         "status": None, "primary": True} for r in (first, second)])
    stats = pd.concat([r.statistics.assign(report_id=r.meta.report_id) for r in (first, second)])
    found = cumulative_change(reports, stats)
    assert [(f["report_id"], f["row"]) for f in found] == [(second.meta.report_id,
                                                            "proactive_items")]
