"""The 2019 revision study (govopen.research.revision): which series cross the break, the
bodies held on both sides, the series by year and by era, the mix of replies.

Real values: the examples' pre-2019 reports (平潭县人民政府 2012: 21 requests, 21 replies,
17 同意 / 2 部分 / 2 否决; 2013: 7 received, 3 answered, all granted; 管委会 2014: 1 request,
granted) and a panel built by hand where the truth is by construction.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from govopen.dataset.panel import build_panel, panel_fields
from govopen.research import figures, revision
from govopen.schema import CROSSWALK, PRE2019


def test_comparability_comes_from_the_crosswalk():
    table = revision.comparability()
    links = {c.statistic: c for c in CROSSWALK}
    for s in revision.SERIES:
        row = table.loc[s.key]
        if s.kind == "count":
            assert row["comparable"] == links[s.source].comparable
            assert links[s.source].note in row["note"]
    assert not table.loc["refusal_rate", "comparable"]
    assert links["denied"].note in table.loc["refusal_rate", "note"]
    assert table.loc["disclosure_rate", "comparable"]
    assert table.loc["lawsuits", "comparable"]


def _panel(rows: list[dict]) -> pd.DataFrame:
    """A panel with the columns of ``panel_fields``, the given ones filled in."""
    keys = [f.key for f in panel_fields()]
    return pd.DataFrame([{k: r.get(k, np.nan) for k in keys} for r in rows], columns=keys)


def test_held_on_both_sides_by_name_or_successor():
    panel = _panel([{"agency": "甲局", "year": 2017}, {"agency": "甲局", "year": 2020},
                    {"agency": "乙局", "year": 2016}, {"agency": "乙局（新）", "year": 2021},
                    {"agency": "丙局", "year": 2022}])
    both = revision.held_on_both_sides(panel)
    assert both.index.tolist() == ["甲局"]
    assert both.loc["甲局"].tolist() == [1, 1, 2017, 2020]
    renamed = revision.held_on_both_sides(panel, {"乙局": "乙局（新）"})
    assert renamed.index.tolist() == ["乙局（新）", "甲局"]
    study, said = revision.study_sample(panel, {"乙局": "乙局（新）"})
    assert len(study) == 4 and said.startswith("2 bodies")
    everyone, said = revision.study_sample(panel.iloc[[0, 2, 4]])
    assert len(everyone) == 3 and said.startswith("No body")


def test_series_pooled_by_year_and_era_by_construction():
    panel = _panel([
        {"agency": "甲局", "year": 2018, "era": PRE2019, "pre2019_requests_received": 4,
         "pre2019_replies_total": 4, "pre2019_replies_granted": 2,
         "pre2019_replies_partially_granted": 1, "pre2019_denied": 1},
        {"agency": "乙局", "year": 2018, "era": PRE2019, "pre2019_requests_received": 0,
         "pre2019_replies_total": 0, "pre2019_replies_granted": 0,
         "pre2019_replies_partially_granted": 0, "pre2019_denied": np.nan},
        {"agency": "甲局", "year": 2019, "era": "standard", "requests_new_received": 10,
         "requests_total": 8, "requests_granted": 2, "requests_partially_granted": 2,
         **{f"requests_{r}": 1 if r == "denied_state_secret" else 0 for r in (
             "denied_state_secret", "denied_law_prohibited",
             "denied_three_security_one_stability", "denied_third_party",
             "denied_internal_affairs", "denied_process_info", "denied_law_enforcement_file",
             "denied_admin_query")}},
    ])
    y = revision.yearly(panel).set_index(["series", "year"])
    assert y.loc[("requests_received", 2018), "value"] == 2  # (4 + 0) / 2 reports
    assert y.loc[("requests_received", 2019), "value"] == 10
    assert y.loc[("requests_received", 2018), "segment"] == "joined"
    # pooled: (2 + 1) / 4; 乙局 answered nothing and adds no denominator
    assert y.loc[("disclosure_rate", 2018), "value"] == pytest.approx(3 / 4)
    assert y.loc[("disclosure_rate", 2019), "value"] == pytest.approx(4 / 8)
    # refusals: one series per era, never joined; 乙局's 否决 is unknown, so it is left out
    assert y.loc[("refusal_rate", 2018), "value"] == pytest.approx(1 / 4)
    assert y.loc[("refusal_rate", 2018), "segment"] == "before"
    assert y.loc[("refusal_rate", 2019), "segment"] == "after"
    assert y.loc[("refusal_rate", 2019), "value"] == pytest.approx(1 / 8)
    assert y.loc[("disclosure_rate", 2019), "event_time"] == 0
    assert y.loc[("disclosure_rate", 2018), "event_time"] == -1
    means = revision.era_means(panel)
    assert means.loc["disclosure_rate", "change"] == pytest.approx(4 / 8 - 3 / 4)
    assert math.isnan(means.loc["refusal_rate", "change"])
    said = revision.describe_changes(means)
    assert any(s.startswith("Refusal rate") and "no change is computed" in s for s in said)
    assert any(s.startswith("Disclosure rate: 75.0% before 2019") and "−25.0 percentage" in s
               for s in said)


def test_examples_before_and_after(ds):
    panel = ds.panel
    sides = revision.sides(panel)
    assert sides.loc["before 2019", "reports"] == 11
    assert sides.loc["before 2019", "first_year"] == 2011
    # no agency name of the corpus is on both sides of the break
    assert revision.held_on_both_sides(panel).empty
    y = revision.yearly(panel).set_index(["series", "year"])
    # 2012: 平潭县 21, zone 0, 司法局 0 requests
    assert y.loc[("requests_received", 2012), "value"] == 7
    assert y.loc[("requests_received", 2012), "reports"] == 3
    assert y.loc[("disclosure_rate", 2012), "value"] == pytest.approx(19 / 21)
    assert y.loc[("refusal_rate", 2012), "value"] == pytest.approx(2 / 21)
    means = revision.era_means(panel)
    # (17 + 2) + 3 + 1 granted of 21 + 3 + 1 replies
    assert means.loc["disclosure_rate", "before"] == pytest.approx(23 / 25)
    assert means.loc["refusal_rate", "before"] == pytest.approx(2 / 25)
    mix = revision.reply_mix(panel)
    assert mix.loc["before 2019", "handled"] == 25
    assert mix.loc["before 2019", "granted"] == pytest.approx(23 / 25)
    assert mix.loc["before 2019", "other"] == pytest.approx(0)
    after = revision.groups_after(panel)
    assert after["share"].sum() == pytest.approx(1)
    assert after.loc["granted", "share"] == pytest.approx(mix.loc["2019 on", "granted"])


def test_the_figures(ds, tmp_path):
    shown = [s for s in revision.SERIES if s.key != "requests_handled"]
    fig = figures.plot_revision_events(revision.yearly(ds.panel, shown), shown, ds.sample())
    assert len([a for a in fig.axes if a.get_visible()]) == len(shown)
    assert "2019 revision" in figures.describe(fig)
    refusal = next(a for a in fig.axes if a.get_title("left") == "Refusal rate")
    assert any("not joined" in t.get_text() for t in refusal.texts)
    assert figures.save_figure(fig, "events", tmp_path).stat().st_size > 10_000
    fig = figures.plot_reply_mix(revision.reply_mix(ds.panel), ds.sample())
    assert "by reply" in figures.describe(fig)
    figures.save_figure(fig, "mix", tmp_path)


def test_build_panel_agrees(ds):
    # the study reads the panel the package builds, nothing else
    assert set(build_panel(ds.corpus)["era"]) == {"standard", PRE2019}


# --- the other notebooks' longer view --------------------------------------------------

def test_crossing_says_what_indicator_eras_and_the_crosswalk_say():
    from govopen.dataset.panel import indicator_eras

    eras = indicator_eras().set_index("indicator")
    keys = ["disclosure_rate", "exemption_rate", "unable_rate", "not_processed_rate"]
    view = revision.crossing(keys, counts=["requests_received"])
    assert view.loc[keys, "status"].tolist() == eras.loc[keys, "status"].tolist()
    assert view.loc[keys, "status"].tolist() == ["comparable", "split", "none", "none"]
    assert view.loc["exemption_rate", "pre2019"] == "exemption_rate_pre2019"
    assert view.loc["requests_received", "status"] == "comparable"
    assert [s.key for s in revision.followed(view)] == ["requests_received", "disclosure_rate"]
    said = revision.crossing_sentence(view, "2011–2025", "2019–2025")
    assert said == (
        "The requests received and the disclosure rate are one series across the 2019 "
        "revision (crosswalk) and are shown 2011–2025; the exemption rate is not comparable "
        "(kept apart before 2019 as exemption_rate_pre2019) and the unable-to-provide rate "
        "and the not-processed rate have no pre-2019 counterpart, so they stay 2019–2025.")
    one = revision.crossing(["review_correction_rate"], counts=["lawsuits"])
    assert revision.crossing_sentence(one, "2012–2020", "2019–2020").endswith(
        "the administrative review correction rate has no pre-2019 counterpart, so it stays "
        "2019–2020.")
    with pytest.raises(ValueError, match="not a count series"):
        revision.crossing(counts=["disclosure_rate"])
    # an indicator without a series of its own is followed as a rate of the panel
    assert revision.series_of("full_grant_rate").kind == "rate"
    assert revision.series_of("exemption_rate").key == "refusal_rate"


def test_the_longer_view_of_the_examples(ds, tmp_path):
    view = revision.crossing(["dispute_intensity"], counts=["requests_received", "reviews"])
    shown = revision.followed(view)
    table = revision.by_year(revision.yearly(ds.panel, shown))
    assert table.index.min() == 2011 and 2018 not in table.index
    assert table.loc[2012, ("era", "")] == PRE2019
    assert table.loc[2012, ("requests_received", "value")] == 7  # (21 + 0 + 0) / 3
    assert table.loc[2012, ("requests_received", "reports")] == 3
    assert table.loc[2012, ("dispute_intensity", "value")] == 0
    assert table.loc[2019, ("era", "")] == "standard"
    # 2025: 15 reviews in 6 reports (the 22 of notebook 04 are 7 in 2024 and 15 in 2025)
    assert table.loc[2025, ("reviews", "value")] == pytest.approx(2.5)
    assert (table.loc[2024, ("reviews", "value")] * table.loc[2024, ("reviews", "reports")]
            == pytest.approx(7))
    fig = figures.plot_revision_events(revision.yearly(ds.panel, shown), shown, ds.sample(),
                                       x="year")
    assert "statistics years 2011–2025" in figures.describe(fig)
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 3 and len({a.get_xlim() for a in axes}) == 1
    assert all(any(line.get_xdata()[0] == 2018.5 for line in a.lines) for a in axes)
    figures.save_figure(fig, "longer", tmp_path)
    with pytest.raises(ValueError, match="event_time"):
        figures.plot_revision_events(revision.yearly(ds.panel, shown), shown, "", x="era")
