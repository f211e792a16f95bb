"""Panel values checked against numbers worked out by hand from the seeds' gold."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pandas as pd
import pytest

from govopen.corpus import read_corpus
from govopen.dataset.panel import INDICATORS, build_panel, panel_fields
from tests.support import SEED_003, SEED_004
from tests.support.goldfake import SHARED_CORPUS, gold_json_parser, seed_gold

GOLD = seed_gold()
G004 = GOLD["004_5e020ea6cd751a4c"]  # 伊川县人民政府 2020, 2019 template
G003 = GOLD["003_3f00e38b5daa275f"]  # 宝清县人民政府 2024, 2021 template, balance fails
G002 = GOLD["002_67e7ef50c29e803e"]  # 乐都区 2021, reviews 0,1,2,0,3


def panel_of(tmp_path, *golds) -> tuple[pd.DataFrame, object]:
    """Write each gold as a file, read them as a corpus, build the panel."""
    for i, g in enumerate(golds):
        (tmp_path / f"r{i:02d}.json").write_text(json.dumps(g, ensure_ascii=False),
                                                 encoding="utf-8")
    corpus = read_corpus(tmp_path, jobs=1, parser=gold_json_parser, progress=False)
    return build_panel(corpus), corpus


def row(panel, agency, year) -> pd.Series:
    hit = panel[(panel["agency"] == agency) & (panel["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def named(gold, agency):
    g = copy.deepcopy(gold)
    g["agency"] = agency
    return g


def test_indicators_by_hand(tmp_path):
    panel, _ = panel_of(tmp_path, G004, G003, named(G002, "海东市乐都区"))
    yc = row(panel, "伊川县人民政府", 2020)
    assert yc["requests_total"] == 27
    assert yc["disclosure_rate"] == pytest.approx(26 / 27)  # (25 + 1) / 27
    assert yc["full_grant_rate"] == pytest.approx(25 / 27)
    assert yc["exemption_rate"] == pytest.approx(1 / 27)  # one 三类内部事务
    assert yc["unable_rate"] == 0
    assert yc["not_processed_rate"] == 0
    assert yc["dispute_intensity"] == 0  # no case, 27 requests
    assert math.isnan(yc["review_correction_rate"])  # 0 / 0 is missing, not 0
    assert yc["identities_hold"]

    ld = row(panel, "海东市乐都区", 2021)
    assert ld["review_correction_rate"] == pytest.approx(1 / 3)  # 0,1,2,0,3: 1 / (0+1+2)
    assert ld["litigation_direct_correction_rate"] == 0  # 0,0,1,0,1
    assert math.isnan(ld["litigation_after_review_correction_rate"])  # all 0
    assert ld["dispute_intensity"] == pytest.approx(4 / 5)  # (3 + 1 + 0) / 5 requests

    bq = row(panel, "宝清县人民政府", 2024)
    assert bq["disclosure_rate"] == pytest.approx(40 / 78)  # 14 + 26
    assert bq["full_grant_rate"] == pytest.approx(14 / 78)
    assert bq["exemption_rate"] == pytest.approx(9 / 78)  # 1 + 1 + 6 + 1
    assert bq["unable_rate"] == pytest.approx(24 / 78)
    assert bq["not_processed_rate"] == pytest.approx(2 / 78)
    assert bq["review_correction_rate"] == pytest.approx(1 / 2)  # 1,1,0 concluded, 2 pending
    assert bq["dispute_intensity"] == pytest.approx(4 / 78)
    assert bq["requests_group_other"] == 3  # 3 逾期不补正 + 0 + 0
    assert not bq["identities_hold"]  # 78 + 0 ≠ 78 + 1, kept as printed and flagged
    assert bq["fails_balance"] and not bq["fails_row_total"]


def test_panel_columns_and_one_row_per_agency_year(tmp_path):
    panel, corpus = panel_of(tmp_path, G004, G003, GOLD["000_6e005d299800cb62"])
    assert list(panel.columns) == [f.key for f in panel_fields()]
    assert len(set(panel.columns)) == len(panel.columns)
    # the unnamed county office cannot be placed in an agency × year panel
    assert panel["agency"].tolist() == ["伊川县人民政府", "宝清县人民政府"]
    assert corpus.reports["status"].tolist() == ["ok", "warning", "warning"]


def test_other_handling_harmonised_across_templates(tmp_path):
    g2019 = named(G004, "甲")
    g2019["requests"]["other"]["total"] = 3
    g2021 = named(G003, "乙")
    for key, v in (("other_overdue_correction", 1), ("other_unpaid_fee", 1), ("other_other", 1)):
        g2021["requests"][key]["total"] = v
    g2021_gap = named(G003, "丙")
    g2021_gap["requests"]["other_unpaid_fee"]["total"] = None
    panel, _ = panel_of(tmp_path, g2019, g2021, g2021_gap)
    a, b, c = (row(panel, name, year) for name, year in (("甲", 2020), ("乙", 2024),
                                                          ("丙", 2024)))
    assert a["requests_group_other"] == a["requests_other"] == 3
    assert math.isnan(a["requests_other_other"])  # 2021-only row: not in a 2019 report
    assert b["requests_group_other"] == 3  # 1 + 1 + 1
    assert math.isnan(b["requests_other"])  # 2019-only row
    assert math.isnan(c["requests_group_other"])  # a missing term is never read as 0
    # both templates' section-二 cells, each under its own key
    assert a["active_normative_documents_made"] == 12  # 2019 columns
    assert math.isnan(a["active_normative_documents_issued"])
    assert a["active_procurement_amount"] == 94430
    assert b["active_licensing_decisions"] == G003["active"]["licensing"]["decisions"]
    assert math.isnan(b["active_licensing_prev_items"])


def test_zero_or_missing_denominator_gives_missing_never_zero_or_inf(tmp_path):
    none = named(G004, "零")  # no request at all, but one review (upheld)
    for r in none["requests"].values():
        for col in r:
            r[col] = 0
    none["reviews"]["review"].update(upheld=1, total=1)
    gap = named(G004, "缺")
    gap["requests"]["total"]["total"] = None
    panel, _ = panel_of(tmp_path, none, gap)
    per_request = [i.key for i in INDICATORS if i.denominator == ("requests_total",)]
    assert len(per_request) == 6
    for name in ("零", "缺"):
        assert row(panel, name, 2020)[per_request].astype(float).isna().all(), name
    assert row(panel, "零", 2020)["review_correction_rate"] == 0  # 0 corrected of 1
    values = panel[[i.key for i in INDICATORS]].to_numpy(dtype=float)
    assert not np.isinf(values).any()


def small_report(agency, year, carried_over, carried_forward):
    """A tiny consistent 2021-template report: n requests received, all granted."""
    g = copy.deepcopy(G003)
    g["agency"], g["year"] = agency, year
    req = g["requests"]
    for r in req.values():
        for col in r:
            r[col] = 0
    handled = 2 + carried_over - carried_forward
    for key, n in (("new_received", 2), ("carried_over", carried_over), ("granted", handled),
                   ("total", handled), ("carried_forward", carried_forward)):
        req[key]["natural_person"] = req[key]["total"] = n
    return g


def test_carry_over_across_years(tmp_path):
    panel, corpus = panel_of(tmp_path,
                             small_report("某局", 2021, 0, 1), small_report("某局", 2022, 1, 0),
                             small_report("某处", 2021, 0, 2), small_report("某处", 2022, 0, 0),
                             small_report("某处", 2024, 3, 0))
    carry = corpus.findings[corpus.findings["rule"] == "carry_over"]
    # 某局: 1 carried forward, 1 carried over: consistent. 某处 2022 receives 0 of 2, in two
    # columns (natural_person and total); 2024 has no 2023 report to compare with.
    assert sorted(carry["column"]) == ["natural_person", "total"]
    (rid,) = set(carry["report_id"])
    assert row(panel, "某处", 2022)["report_id"] == rid
    assert row(panel, "某处", 2022)["carry_over_mismatch"]
    assert not row(panel, "某处", 2024)["carry_over_mismatch"]
    assert not panel.loc[panel["agency"] == "某局", "carry_over_mismatch"].any()
    assert panel["identities_hold"].all()  # each report is consistent on its own
    status = corpus.reports.set_index("report_id")["status"]
    assert status[rid] == "warning"


def test_two_reports_one_row_the_better_one_kept(tmp_path):
    broken = copy.deepcopy(G004)
    broken["requests"]["total"]["total"] = 28  # now three identities fail
    panel, corpus = panel_of(tmp_path, broken, G004)
    (only,) = panel.itertuples()
    assert only.n_reports == 2
    assert only.requests_total == 27 and only.identities_hold
    assert corpus.reports["primary"].tolist() == [False, True]


def test_panel_from_the_parser_matches_the_hand_values(tmp_path):
    panel = build_panel(read_corpus([SEED_004, SEED_003], jobs=1, progress=False))
    yc = row(panel, "伊川县人民政府", 2020)
    assert yc["disclosure_rate"] == pytest.approx(26 / 27)
    assert (yc["province"], yc["city"], yc["county"], yc["adcode"], yc["level"]) == (
        "河南省", "洛阳市", "伊川县", "410329", "county")  # the region, from the parser
    bq = row(panel, "宝清县人民政府", 2024)
    assert bq["review_correction_rate"] == pytest.approx(1 / 2)
    assert bq["fails_balance"]


def test_development_corpus_panel_matches_its_gold(shared_corpus):
    gold = {}
    for p in sorted((SHARED_CORPUS / "gold").glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        gold.setdefault((g["agency"], g["year"]), g)
    corpus = read_corpus(shared_corpus / "raw", jobs=2, progress=False)
    panel = build_panel(corpus).set_index(["agency", "year"])
    assert set(panel.index) == set(gold)  # the HTML twin shares a row
    gaj = panel.loc[("平潭综合实验区公安局", 2022)]
    assert gaj["requests_carried_over"] == 1 and not gaj["carry_over_mismatch"]
    assert not panel.loc[("平潭综合实验区公安局", 2021), "identities_hold"]  # counted twice
    checked = 0
    for key, g in gold.items():
        if g.get("template") == "pre2019":
            continue  # its statistics are not the 2019 tables' (not read yet: #20)
        total = g["section3"]["total"]["total"]
        granted = (g["section3"]["granted"]["total"], g["section3"]["partially_granted"]["total"])
        if total and None not in granted and not math.isnan(panel.loc[key, "requests_total"]):
            assert panel.loc[key, "disclosure_rate"] == pytest.approx(sum(granted) / total), key
            checked += 1
    assert checked >= 15
