"""The panel across the 2019 revision: reports before 2019 give rows through the crosswalk,
every indicator is comparable, split or absent before 2019 as the crosswalk says, and
nothing the crosswalk does not call comparable is joined.

Generated reports (``tests.support.pre2019``) give the truth by construction; the
development corpus's pre-2019 reports are checked against their gold.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from govopen.corpus import read_corpus
from govopen.dataset.panel import (
    INDICATORS,
    build_panel,
    indicator_eras,
    panel_fields,
    pre2019_col,
    split_col,
)
from govopen.schema import CROSSWALK, STATISTIC_KEYS
from tests.support import SEED_004
from tests.support.pre2019 import TABLE, pre2019_report, spaced_rows

NOW = {key: now for key, _label, _unit, now, _total in TABLE}


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("early")
    (folder / "a.txt").write_text(pre2019_report(2012, spaced_rows()), encoding="utf-8")
    # a county with lawsuits: 行政诉讼数 2 has no one 2019+ cell, yet the dispute intensity
    # is comparable through the sum
    rows = [(k, label, unit, {"reviews": 1, "lawsuits": 2}.get(k, now), total + 5)
            for k, label, unit, now, total in TABLE]
    (folder / "b.txt").write_text(pre2019_report(2013, spaced_rows(rows), agency="某某市人民政府"),
                                  encoding="utf-8")
    (folder / "c.txt").write_bytes(SEED_004.read_bytes())
    return build_panel(read_corpus(folder, jobs=1, progress=False)).set_index("year")


def test_eras_of_the_indicators_follow_the_crosswalk():
    eras = indicator_eras().set_index("indicator")
    assert set(eras.index) == {i.key for i in INDICATORS}
    assert eras.loc["disclosure_rate", "status"] == "comparable"
    assert eras.loc["disclosure_rate", "pre2019_numerator"] == (
        "replies_granted + replies_partially_granted")
    assert eras.loc["dispute_intensity", "pre2019_numerator"] == "reviews + lawsuits"
    # 否决公开 is flagged in the crosswalk: a series of its own before 2019
    assert eras.loc["exemption_rate", "status"] == "split"
    assert eras.loc["exemption_rate", "pre2019_column"] == split_col("exemption_rate")
    denied = next(c for c in CROSSWALK if c.statistic == "denied")
    assert denied.note in eras.loc["exemption_rate", "definition"]
    # the correction rates need outcomes the old tables do not print
    assert eras.loc["review_correction_rate", "status"] == "none"
    assert eras.loc["unable_rate", "status"] == "none"
    # the codebook says the same of each
    described = {f.key: f.definition for f in panel_fields()}
    for row in eras.itertuples():
        assert row.definition in described[row.Index]
    assert "not joined with exemption_rate" in described[split_col("exemption_rate")]


def test_pre2019_rows_through_the_crosswalk(panel):
    early, later = panel.loc[2012], panel.loc[2024 if 2024 in panel.index else panel.index.max()]
    assert early["era"] == "pre2019" and later["era"] == "standard"
    for key, now in NOW.items():
        assert early[pre2019_col(key)] == now, key
        assert math.isnan(later[pre2019_col(key)]), key
    assert early["requests_new_received"] == 14 and early["requests_total"] == 13
    assert early["requests_granted"] == 10 and early["requests_partially_granted"] == 2
    assert early["disclosure_rate"] == pytest.approx(12 / 13)
    assert early["full_grant_rate"] == pytest.approx(10 / 13)
    assert early["dispute_intensity"] == 0
    # split: the old refusal rate in its own column, the new one missing before 2019
    assert math.isnan(early["exemption_rate"])
    assert early[split_col("exemption_rate")] == pytest.approx(1 / 13)
    assert math.isnan(later[split_col("exemption_rate")])
    assert not math.isnan(later["exemption_rate"])
    for ind in ("unable_rate", "not_processed_rate", "review_correction_rate"):
        assert math.isnan(early[ind]), ind


def test_a_sum_of_cells_is_comparable_though_no_cell_is_known(panel):
    row = panel.loc[2013]
    assert row["pre2019_reviews"] == 1 and row["pre2019_lawsuits"] == 2
    # 2 lawsuits: neither 2019+ lawsuit cell can be known, the sum can
    assert math.isnan(row["reviews_litigation_direct_total"])
    assert row["reviews_review_total"] == 1
    assert row["dispute_intensity"] == pytest.approx(3 / 13)


def test_development_corpus_panel_before_2019(shared_corpus):
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((shared_corpus / "gold").glob("*.json"))}
    early = {k: g for k, g in golds.items() if g["template"] == "pre2019"}
    files = [shared_corpus / "raw" / f"{k}.txt" for k in early]
    corpus = read_corpus(files, jobs=2, progress=False)
    panel = build_panel(corpus).set_index(["agency", "year"])
    assert len(panel) == len(early) == 11
    assert (panel["era"] == "pre2019").all()
    assert sorted(panel.index.get_level_values("year").unique()) == [
        2011, 2012, 2013, 2014, 2015, 2016, 2017]
    s = corpus.statistics
    missing = set(zip(s.loc[s["status"] == "missing", "report_id"],
                      s.loc[s["status"] == "missing", "statistic"], strict=True))
    checked = 0
    for ident, gold in early.items():
        row = panel.loc[(gold["agency"], gold["year"])]
        stats = {k: v for k, v in gold["pre2019"].items() if k in STATISTIC_KEYS}
        for key, entry in stats.items():
            got = row[pre2019_col(key)]
            if math.isnan(got):
                # a table value the reader leaves missing says why (run-together digits
                # with several readings); a narrative one may not be taken at all
                assert entry["source"] != "table" or (row["report_id"], key) in missing
            else:
                assert got == entry["value"], (ident, key)
                checked += 1
        for cell, want in gold["section3"].items():
            assert row[f"requests_{cell}"] == want["total"], (ident, cell)
        # the truth from the gold, over the statistics the panel has
        value = {k: e["value"] for k, e in stats.items()
                 if not math.isnan(row[pre2019_col(k)])}

        def rate(num, den, value=value):
            if any(k not in value for k in (*num, *den)) or sum(value[k] for k in den) == 0:
                return None
            return sum(value[k] for k in num) / sum(value[k] for k in den)

        for column, want in (
                ("disclosure_rate", rate(["replies_granted", "replies_partially_granted"],
                                         ["replies_total"])),
                ("exemption_rate_pre2019", rate(["denied"], ["replies_total"])),
                ("dispute_intensity", rate(["reviews", "lawsuits"], ["replies_total"]))):
            if want is None:
                assert math.isnan(row[column]), (ident, column)
            else:
                assert row[column] == pytest.approx(want), (ident, column)
        assert math.isnan(row["exemption_rate"])
    assert checked > 100
    ptx = panel.loc[("平潭县人民政府", 2012)]  # 21 requests, 17 同意 / 2 部分 / 2 否决
    assert ptx["disclosure_rate"] == pytest.approx(19 / 21)
    assert ptx["exemption_rate_pre2019"] == pytest.approx(2 / 21)
    ptx13 = panel.loc[("平潭县人民政府", 2013)]  # 7 received, 3 answered
    assert (ptx13["requests_new_received"], ptx13["requests_total"]) == (7, 3)


def test_panel_columns_are_the_fields(panel):
    keys = [f.key for f in panel_fields()]
    assert list(panel.reset_index().columns) == ["year", *(k for k in keys if k != "year")]
    assert isinstance(panel, pd.DataFrame)
