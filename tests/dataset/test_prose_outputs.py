"""The prose in the corpus outputs: a sections table, the facts, and two panel columns."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import govopen
from tests.support import RAW, SEED_003


@pytest.mark.slow
def test_sections_and_facts_reach_the_corpus_and_the_panel(tmp_path):
    corpus = govopen.parse_to_folder(RAW, tmp_path, progress=False)
    secs = pd.read_csv(tmp_path / "sections.csv", encoding="utf-8-sig")
    baoqing = corpus.reports.set_index("agency").loc["宝清县人民政府", "report_id"]
    assert set(secs[secs.report_id == baoqing].section) == {
        "preamble", "一", "二", "三", "四", "五", "六"}
    facts = pd.read_csv(tmp_path / "facts.csv", encoding="utf-8-sig")
    assert {"fact", "value", "sentence", "confidence"} <= set(facts.columns)
    panel = pd.read_csv(tmp_path / "panel.csv", encoding="utf-8-sig").set_index("agency")
    # seed 003: '全年在县政府门户网站信息公开目录更新831条' and '本年度收取信息处理费用为0'
    assert panel.loc["宝清县人民政府", "text_proactive_items"] == 831
    assert panel.loc["宝清县人民政府", "text_fees_collected"] == 0
    # seed 004 says only '更新发布各类信息2000余条' (approximate): not stated exactly
    assert math.isnan(panel.loc["伊川县人民政府", "text_proactive_items"])
    codebook = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    assert "text_proactive_items" in codebook and "facts" in codebook


def test_two_different_values_at_equal_confidence_stay_missing():
    from govopen.parse.facts import stated_value

    facts = pd.DataFrame({"fact": ["proactive_items"] * 2, "value": [164.0, 80.0],
                          "confidence": ["high", "high"]})
    assert math.isnan(stated_value(facts, "proactive_items"))
    facts.loc[1, "confidence"] = "low"
    assert stated_value(facts, "proactive_items") == 164
    assert SEED_003.exists()
