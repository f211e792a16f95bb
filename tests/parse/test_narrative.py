"""Narrative facts: extraction from the prose and the prose-vs-table checks.

Expected facts of the seeds were read off the reports by hand. Sections and the seeds'
tables come from the core parser; the development corpus is checked against its gold
tables; small hand-made ``cells`` tables pin down each rule.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

import govopen
from govopen.parse.facts import CONFIDENCE, FACT_KEYS, FACTS, codebook
from govopen.parse.prose import chinese_number, extract_facts
from govopen.parse.prose_checks import check_facts
from govopen.parse.sections import TITLES, split_sections
from govopen.parse.text import normalize
from tests.support import SHARED, parsed_seed, seed_path

CORPUS = SHARED / "corpus"


def seed_facts(n: int) -> pd.DataFrame:
    prefix = f"{n:03d}"
    return extract_facts(parsed_seed(prefix).sections,
                         seed_path(prefix).read_text(encoding="utf-8"))


def sections_of(text: str) -> dict[str, str]:
    found = split_sections(normalize(text))
    return {numeral: found.text(numeral, text) for numeral in TITLES}


def rows(df: pd.DataFrame) -> list[tuple]:
    return sorted(zip(df["fact"], df["value"], df["section"], df["confidence"], strict=True))


def request_cells(new_received, total, report_id="r1", applicants=None, fees=None):
    """A hand-made long table: requests/new_received and requests/total, optionally the
    applicant columns of both and active/fees/amount (万元)."""
    out = []
    for row, value in (("new_received", new_received), ("total", total)):
        out.append((row, "total", value))
        for col, v in (applicants or {}).items():
            out.append((row, col, v))
    cells = [{"report_id": report_id, "table": "requests", "row": r, "column": c,
              "value": v, "raw": str(v), "status": "ok", "line": 0, "note": ""}
             for r, c, v in out]
    if fees is not None:
        cells.append({"report_id": report_id, "table": "active", "row": "fees",
                      "column": "amount", "value": fees, "raw": str(fees), "status": "ok",
                      "line": 0, "note": ""})
    return pd.DataFrame(cells)


def one(fact: str, value: float, sentence: str, confidence: str = "high",
        section: str = "一") -> pd.DataFrame:
    return pd.DataFrame([{"fact": fact, "value": value, "unit": "", "section": section,
                          "sentence": sentence, "confidence": confidence}])


# --- the declared facts ---------------------------------------------------------------


def test_facts_are_declared_once_with_codebook_fields():
    assert len(set(FACT_KEYS)) == len(FACTS)
    assert set(FACT_KEYS) == {"proactive_items", "requests_received", "requests_handled",
                              "new_media_accounts", "fees_collected",
                              "policy_interpretations"}
    units = {f.key: f.unit for f in FACTS}
    assert units["fees_collected"] == "元"
    assert units["proactive_items"] == "条"
    assert units["new_media_accounts"] == "个"
    for f in FACTS:
        assert f.zh and f.en and f.definition and f.cues
        assert all(c.grade in CONFIDENCE for c in f.cues)
    book = codebook()
    assert list(book.columns) == ["key", "zh", "en", "unit", "definition"]
    assert list(book["key"]) == list(FACT_KEYS)


def test_output_columns_even_when_nothing_is_found():
    df = extract_facts({"一": "本年度工作平稳推进。"})
    assert list(df.columns) == ["fact", "value", "unit", "section", "sentence", "confidence"]
    assert df.empty


# --- the seeds, read by hand ----------------------------------------------------------


def test_seed_000():
    df = seed_facts(0)
    assert rows(df) == sorted([
        # 县政府门户网站主动公开信息2266条 — no year in that sentence
        ("proactive_items", 2266.0, "一", "medium"),
        # 全年办理政府信息公开申请14件，办结14件
        ("requests_handled", 14.0, "一", "high"),
        ("requests_handled", 14.0, "一", "medium"),
        # 32个政务微信、2个政务微博、2个抖音号、1个今日头条号: four platforms, kept apart
        ("new_media_accounts", 32.0, "一", "low"),
        ("new_media_accounts", 2.0, "一", "low"),
        ("new_media_accounts", 2.0, "一", "low"),
        ("new_media_accounts", 1.0, "一", "low"),
        # 我单位2021年未收取信息处理费
        ("fees_collected", 0.0, "六", "high"),
    ])
    proactive = df[df["fact"] == "proactive_items"].iloc[0]
    assert "主动公开信息2266条" in proactive["sentence"]
    assert proactive["unit"] == "条"
    assert set(df[df["fact"] == "new_media_accounts"]["sentence"].str.contains("32个政务微信"))
    assert df[df["fact"] == "fees_collected"]["unit"].tolist() == ["元"]


def test_seed_001():
    df = seed_facts(1)
    assert rows(df) == sorted([
        ("proactive_items", 164.0, "一", "high"),  # 今年以来,共主动公开政府信息164条
        ("proactive_items", 80.0, "一", "low"),  # …等重点领域信息80条: a subset
        ("requests_received", 3.0, "一", "high"),  # 共受理…信息公开申请3件
    ])
    # the three ways of applying (当面/邮寄/电子邮件 1件 each) are not further counts
    assert (df["value"] == 1.0).sum() == 0


def test_seed_002():
    df = seed_facts(2)
    assert rows(df) == sorted([
        ("new_media_accounts", 62.0, "一", "high"),  # 政务新媒体共62个
        ("new_media_accounts", 32.0, "一", "high"),  # 运行的32个政务新媒体
        ("proactive_items", 190.0, "一", "low"),  # 公开政务信息190余条: approximate
        ("requests_handled", 6.0, "一", "high"),  # 办理依申请公开6件
    ])
    # 收到行政复议3件、行政诉讼1件 are not requests; 申报关停30个 is not an account count
    assert not set(df["value"]) & {3.0, 1.0, 30.0}


def test_seed_003():
    df = seed_facts(3)
    assert rows(df) == sorted([
        ("proactive_items", 831.0, "一", "medium"),  # 信息公开目录更新831条
        ("policy_interpretations", 14.0, "一", "medium"),  # 共公开政策解读文件14件
        ("requests_handled", 78.0, "一", "high"),  # 共办理政府信息公开申请78件
        ("fees_collected", 0.0, "六", "high"),  # 本年度收取信息处理费用为0
    ])


def test_seed_004():
    df = seed_facts(4)
    assert rows(df) == sorted([
        ("proactive_items", 2000.0, "一", "low"),  # 更新发布各类信息2000余条
        ("requests_handled", 27.0, "一", "high"),  # 一年共办理各类政府信息公开申请27件
        ("new_media_accounts", 4.0, "一", "high"),  # 目前保留政务新媒体4个
        ("new_media_accounts", 3.0, "一", "low"),  # 其中微信3个
        ("new_media_accounts", 1.0, "一", "low"),  # 微博1个
    ])


# --- the seeds against the tables the core parser reads -------------------------------


@pytest.mark.parametrize("n", [0, 2, 3, 4])
def test_seed_requests_agree_with_table(n):
    # 002 says 办理依申请公开6件: new_received is 6, （七）总计 5 — counted the other way
    assert check_facts(seed_facts(n), parsed_seed(f"{n:03d}").cells) == []


def test_seed_001_text_says_3_table_says_2():
    findings = check_facts(seed_facts(1), parsed_seed("001").cells)
    assert len(findings) == 1
    (f,) = findings
    assert f.rule == "narrative_requests"
    assert f.severity == "warning"
    assert (f.table, f.row, f.column) == ("requests", "new_received", "total")
    assert f.message.startswith("text says 3 requests received (")
    assert "申请3件" in f.message
    assert "table new_received total is 2" in f.message
    assert set(dataclasses.asdict(f)) == {"rule", "severity", "table", "row", "column", "message"}


# --- wordings -------------------------------------------------------------------------


def test_fees_in_wanyuan_are_converted_exactly():
    df = extract_facts({"六": "本年度共收取信息处理费0.0035万元。"})
    assert df["value"].tolist() == [35.0]
    assert df["unit"].tolist() == ["元"]
    df = extract_facts({"六": "2022年收取信息处理费1.2345万元。"})
    assert df["value"].tolist() == [12345.0]
    df = extract_facts({"六": "2022年收取信息处理费400元。"})
    assert df["value"].tolist() == [400.0]
    df = extract_facts({"六": "2022年收取信息处理费1,200元，均已上缴。"})
    assert df["value"].tolist() == [1200.0]
    # a rate is not an amount collected
    assert extract_facts({"六": "超出部分按件收取信息处理费100元/件。"}).empty


def test_fee_statements_of_none():
    for sentence in ("2023年度本机关未收取信息处理费。", "本年度没有产生信息处理费。",
                     "2021年，无收取信息处理费情况。"):
        df = extract_facts({"六": sentence})
        assert df[["value", "confidence"]].values.tolist() == [[0.0, "high"]], sentence
    # a statement of policy, not of what happened
    df = extract_facts({"六": "本机关依申请提供政府信息，不收取费用。"})
    assert df[["value", "confidence"]].values.tolist() == [[0.0, "low"]]


def test_fee_table_in_section_six():
    spaced = ("六、其他需要报告的事项\n通知收取件数\t通知收取金额（元）\t实际收取金额（元）\n"
              "信息处理费收取情况\t2\t300\t300\n")
    df = extract_facts({"六": spaced})
    assert df[["fact", "value", "confidence"]].values.tolist() == [
        ["fees_collected", 300.0, "high"]]
    # run together: '23000' reads 2|300|0 or 230|0|0 — the amount collected is 0 in both
    flat = "六、其他需要报告的事项通知收取件数通知收取金额（元）实际收取金额（元）信息处理费收取情况23000"
    df = extract_facts({"六": flat})
    assert df[["value", "confidence"]].values.tolist() == [[0.0, "medium"]]
    # '12100' reads 1|2|100, 1|210|0, 12|10|0 or 121|0|0: not decidable, nothing is read
    assert extract_facts({"六": flat.replace("23000", "12100")}).empty


def test_several_candidates_in_one_sentence_are_kept_apart():
    df = extract_facts({"一": "截至目前，全县共有政务新媒体12个，其中政务微信8个、政务微博4个。"})
    assert df["value"].tolist() == [12.0, 8.0, 4.0]
    assert df["confidence"].tolist() == ["high", "low", "low"]
    assert df["sentence"].nunique() == 1


def test_requests_received_and_handled():
    df = extract_facts({"一": "2022年，共收到政府信息公开申请5件，办结5件。"})
    assert rows(df) == sorted([("requests_received", 5.0, "一", "high"),
                               ("requests_handled", 5.0, "一", "medium")])
    df = extract_facts({"一": "2022年，本机关收到政府信息公开申请两件。"})
    assert df["value"].tolist() == [2.0]
    df = extract_facts({"一": "2023年，本机关未收到政府信息公开申请。"})
    assert df[["fact", "value"]].values.tolist() == [["requests_received", 0.0]]


def test_request_lookalikes_are_not_requests():
    text = ("2021年制作政府信息总数300条，其中主动公开政府信息100条，依申请公开信息数120条，"
            "不予公开信息数80条。本机关已作出补正告知，目前未收到该申请人提交的补正材料。"
            "结转上年度政府信息公开申请1件。收到行政复议2件。")
    df = extract_facts({"一": text})
    assert df[["fact", "value"]].values.tolist() == [["proactive_items", 100.0]]


def test_categories_and_channels_are_not_the_total():
    text = ("2020年，本机关共公开政府信息254条，其中财政预决算信息4条，其他应主动公开的"
            "政府信息194条。2020年，通过微信公众号公开政府信息480条。")
    df = extract_facts({"一": text})
    assert df[["value", "confidence"]].values.tolist() == [[254.0, "high"], [480.0, "low"]]


def test_confidence_follows_period_and_precision():
    assert extract_facts({"一": "2021年主动公开政府信息198条。"})["confidence"][0] == "high"
    assert extract_facts({"一": "本机关主动公开政府信息198条。"})["confidence"][0] == "medium"
    assert extract_facts({"一": "全年主动公开政府信息近200条。"})["confidence"][0] == "low"
    df = extract_facts({"一": "全年主动公开政府信息1.2万条。"})
    assert df["value"].tolist() == [12000.0]


def test_policy_interpretations():
    df = extract_facts({"一": "全年发布政策解读12篇，解读政策性文件8条。"})
    assert df[["fact", "value"]].values.tolist() == [["policy_interpretations", 12.0],
                                                     ["policy_interpretations", 8.0]]


def test_preamble_and_clutter():
    full = ("2022年，本机关主动公开政府信息300条。\n一、总体情况\n本机关依法推进公开工作。\n"
            "二、主动公开政府信息情况\n")
    df = extract_facts(sections_of(full), full)
    assert df[["section", "value"]].values.tolist() == [["preamble", 300.0]]
    df = extract_facts({"一": "<!--[if !supportLists]-->（一）<!--[endif]-->2022年共收到政府信息公开申请"
                              "3件。"})
    assert df["sentence"].tolist() == ["（一）2022年共收到政府信息公开申请3件。"]
    # no sections at all: the whole text is read, its section left blank
    df = extract_facts({}, "2022年共收到政府信息公开申请3件。")
    assert df[["section", "value"]].values.tolist() == [["", 3.0]]


def test_a_missing_heading_leaves_its_facts_to_the_section_before():
    # 六's heading was not found, so its text closes section 二
    found = extract_facts({"一": "本机关依法推进公开工作。",
                           "二": "（表格略）五、存在的主要问题……六、其他需报告的事项"
                                 "本年度未产生信息处理费。"})
    assert found[["fact", "section"]].values.tolist() == [["fees_collected", "二"]]
    # with 六 in place, 二 is not read for fees
    found = extract_facts({"二": "本年度未收取信息处理费。", "六": "无。"})
    assert found.empty


def test_chinese_numbers():
    assert [chinese_number(s) for s in ("两", "十", "十二", "二十", "一百零五", "三千")] == [
        2, 10, 12, 20, 105, 3000]
    assert chinese_number("一二") is None


# --- checks ---------------------------------------------------------------------------


def test_request_count_matching_either_row_is_accepted():
    handled = one("requests_handled", 6.0, "2021年办理依申请公开6件。")
    assert check_facts(handled, request_cells(6, 5)) == []
    assert check_facts(handled, request_cells(5, 6)) == []
    (f,) = check_facts(handled, request_cells(4, 5))
    assert f.row == "total"
    assert "text says 6 requests handled" in f.message
    assert "table total total is 5 (new requests received: 4)" in f.message


def test_request_finding_points_at_a_wrong_total_column():
    cells = request_cells(0, 0, applicants={"natural_person": 5, "commercial": 1,
                                            "research": 0, "public_interest": 0,
                                            "legal_services": 0, "other": 0})
    (f,) = check_facts(one("requests_received", 6.0, "2024年，共受理政府信息公开申请6件。"), cells)
    assert "table new_received total is 0" in f.message
    assert "applicant columns add to 6" in f.message


def test_low_confidence_is_not_checked_unless_asked():
    low = one("requests_handled", 9.0, "依申请公开政府信息9条。", confidence="low")
    assert check_facts(low, request_cells(2, 2)) == []
    assert len(check_facts(low, request_cells(2, 2), min_confidence="low")) == 1


def test_the_same_count_twice_is_one_finding():
    facts = pd.concat([one("requests_received", 3.0, "2020年共受理申请3件。"),
                       one("requests_received", 3.0, "全年共受理政府信息公开申请3件。")])
    assert len(check_facts(facts, request_cells(2, 2))) == 1


def test_missing_table_values_give_no_finding():
    facts = one("requests_received", 3.0, "2020年共受理申请3件。")
    assert check_facts(facts, request_cells(None, None)) == []
    assert check_facts(facts.iloc[0:0], request_cells(2, 2)) == []


def test_fee_checks_mind_the_units():
    fee = one("fees_collected", 400.0, "2022年收取信息处理费400元。", section="六")
    (f,) = check_facts(fee, request_cells(1, 1, fees=0))
    assert (f.rule, f.table, f.row, f.column) == (
        "narrative_fee_exceeds_table", "active", "fees", "amount")
    assert "400 元" in f.message and "0 万元" in f.message
    (f,) = check_facts(fee, request_cells(1, 1, fees=400))
    assert f.rule == "narrative_fee_unit"
    assert "4000000 元" in f.message
    assert check_facts(fee, request_cells(1, 1, fees=0.04)) == []  # 0.04 万元 = 400 元
    assert check_facts(fee, request_cells(1, 1, fees=0.05)) == []  # other fees as well
    assert check_facts(fee, request_cells(1, 1)) == []  # 2019 template: no amount column
    # none collected, while the agency's administrative fees run to 7816 万元: no conflict
    none = one("fees_collected", 0.0, "2022年，无收取信息处理费情况。", section="六")
    assert check_facts(none, request_cells(1, 1, fees=7816)) == []


def test_cells_of_several_reports_are_refused():
    cells = pd.concat([request_cells(1, 1, "a"), request_cells(2, 2, "b")])
    with pytest.raises(ValueError):
        check_facts(one("requests_received", 1.0, "2020年共受理申请1件。"), cells)


# --- the development corpus (numbers only; its texts stay outside the repository) -------

# The request counts the prose of each report states (read by hand), and the main
# proactive-disclosure count.
CORPUS_REQUESTS = {
    "pt-czj-2019": [], "pt-czj-2020": [], "pt-czj-2021": [], "pt-czj-2022": [1, 1],
    "pt-czj-2023": [0], "pt-czj-2024": [2, 2], "pt-czj-2025": [2, 2],
    "pt-gaj-2021": [1], "pt-gaj-2022": [1], "pt-gaj-2024": [8],
    "pt-htp-2019": [], "pt-htp-2020": [0], "pt-htp-2021": [0], "pt-htp-2022": [4],
    "pt-htp-2023": [0], "pt-htp-2024": [6], "pt-htp-2025": [2],
    "pt-scj-2019": [], "pt-scj-2020": [], "pt-scj-2021": [], "pt-scj-2022": [3],
    "pt-scj-2023": [1], "pt-scj-2024": [4], "pt-scj-2025": [21, 21],
    "pt-shs-2019": [], "pt-shs-2020": [], "pt-shs-2021": [], "pt-shs-2022": [3],
    "pt-shs-2023": [1], "pt-shs-2024": [2], "pt-shs-2025": [3],
}
CORPUS_PROACTIVE = {
    "pt-czj-2019": 90, "pt-czj-2020": 148, "pt-czj-2021": 198, "pt-czj-2022": 123,
    "pt-czj-2023": 107, "pt-czj-2024": 61, "pt-czj-2025": 53,
    "pt-gaj-2021": 184, "pt-gaj-2022": 179, "pt-gaj-2024": 135,
    "pt-htp-2019": 34, "pt-htp-2020": 254, "pt-htp-2021": 267, "pt-htp-2022": 117,
    "pt-htp-2023": 159, "pt-htp-2024": 128, "pt-htp-2025": 129,
    "pt-scj-2019": 215, "pt-scj-2020": 393, "pt-scj-2021": 394, "pt-scj-2022": 471,
    "pt-scj-2023": 459, "pt-scj-2024": 374, "pt-scj-2025": 395,
    "pt-shs-2019": 140, "pt-shs-2020": 228, "pt-shs-2021": 263, "pt-shs-2022": 169,
    "pt-shs-2023": 130, "pt-shs-2024": 99, "pt-shs-2025": 54,
}
# reports without any statement on information-processing fees (2019/2020 reports, before
# the fee rules, and pt-czj-2021, which has no section 六)
CORPUS_NO_FEE = {"pt-czj-2019", "pt-czj-2020", "pt-czj-2021", "pt-htp-2019", "pt-htp-2020",
                 "pt-scj-2019", "pt-scj-2020", "pt-shs-2019", "pt-shs-2020"}
# prose and printed table truly disagree: both print 0 in the 总计 column of row 一
# while the applicant columns hold 5+1 and 2, and the prose says 6 and 2 requests
CORPUS_FLAGGED = {"pt-htp-2024", "pt-htp-2025"}


def corpus_reports():
    if not (CORPUS / "raw").is_dir():
        pytest.skip("development corpus not available")
    for path in sorted((CORPUS / "raw").glob("pt-*.txt")):
        report = govopen.parse_report(path)
        facts = extract_facts(report.sections, path.read_text(encoding="utf-8"))
        gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        yield path.stem, facts, gold


def cells_from_gold(gold: dict, report_id: str) -> pd.DataFrame:
    cells = []
    for table, part in (("requests", "section3"), ("active", "section2")):
        for row, cols in gold[part].items():
            for col, value in cols.items():
                cells.append({"report_id": report_id, "table": table, "row": row,
                              "column": col, "value": value, "raw": "", "status": "ok",
                              "line": 0, "note": ""})
    return pd.DataFrame(cells)


@pytest.mark.needs_shared
def test_corpus_facts_and_checks():
    flagged = set()
    seen = 0
    for rid, df, gold in corpus_reports():
        if rid not in CORPUS_REQUESTS:
            continue  # the second harvest: its stated counts are not listed here
        seen += 1
        checked = df[df["confidence"] != "low"]
        requests = checked[checked["fact"].isin(["requests_received", "requests_handled"])]
        assert sorted(requests["value"]) == CORPUS_REQUESTS[rid], rid
        proactive = df[df["fact"] == "proactive_items"]
        assert CORPUS_PROACTIVE[rid] in set(proactive["value"]), rid
        assert set(proactive[proactive["confidence"] != "low"]["value"]) <= {
            CORPUS_PROACTIVE[rid]}, rid
        fees = set(df[df["fact"] == "fees_collected"]["value"])
        assert fees == (set() if rid in CORPUS_NO_FEE else {0.0}), rid
        findings = check_facts(df, cells_from_gold(gold, rid))
        if findings:
            flagged.add(rid)
            assert all(f.rule == "narrative_requests" for f in findings)
    assert seen == 31
    assert flagged == CORPUS_FLAGGED



@pytest.mark.parametrize("sentence, value", [
    ("全年共有12件政府信息公开申请已办结。", 12.0),
    ("本年度运行3个政务新媒体。", 3.0),
])
def test_cues_that_open_with_the_number(sentence, value):
    # these are searched for what follows the number first (prose._TAILS)
    facts = extract_facts({"一": sentence})
    assert value in facts["value"].tolist()
