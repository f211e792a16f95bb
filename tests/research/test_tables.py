"""The tables of the notebooks: sections 三 and 四, the panel model, report quality, labels."""

from __future__ import annotations

import numpy as np
import pytest

from govopen.research import figures, handling, labels, models, quality, reviews

# --- tables -----------------------------------------------------------------------------

def test_outcome_shares_add_up_and_weigh_requests(seeds):
    shares = handling.outcome_shares(seeds.panel)
    groups = ["granted", "denied", "unable", "not_processed", "other"]
    assert np.allclose(shares[groups].sum(axis=1), 1)
    # 2020: 伊川县 26 of 27 granted, 东山县 1 of 2 → 27 of 29
    assert shares.loc[2020, "granted"] == pytest.approx(27 / 29)
    assert shares.loc[2020, "requests"] == 29


def test_correction_rate_leaves_pending_cases_out(seeds):
    baoqing = seeds.panel[seeds.panel["year"] == 2024]
    out = reviews.review_outcomes(baoqing)
    # 宝清县 2024: 1 upheld, 1 corrected, 0 other, 2 pending
    assert out.loc["review", "concluded"] == 2
    assert out.loc["review", "correction_rate"] == pytest.approx(0.5)
    assert np.isnan(out.loc["litigation_direct", "correction_rate"])  # no case: missing


def test_refusal_reasons_split_exemptions_from_practical(seeds):
    r = handling.refusal_reasons(seeds.panel)
    assert (r["kind"] == "exemption").sum() == 8
    assert set(r.loc[r["kind"] == "practical", "reason"]) == {
        "unable_not_held", "unable_needs_creation", "unable_unclear", "not_processed"}
    assert r.set_index("reason").loc["unable_not_held", "requests"] >= 24  # 宝清县 alone


def test_applicant_types_count_unknown_cells(seeds):
    a = handling.applicant_types(seeds.corpus, seeds.panel)
    assert a.loc["all", "unknown_cells"] == 2  # 东山县 drops empty cells: 自然人 or 商业企业
    assert a.loc["all", "natural_person"] >= 78


@pytest.mark.slow
def test_panel_model_agrees_with_linearmodels(ds):
    later = ds.panel[ds.panel["year"] >= 2019]
    m = models.panel_model(later)
    assert np.allclose(m.table["coef"], m.table["coef_linearmodels"], atol=1e-8)
    assert m.n_agencies == 5 and m.n_obs == 24
    assert m.dropped["agency seen in one year only"] == 4
    assert "not connected to the largest set of agencies and years" not in m.dropped
    # with the years before 2019: 平潭县 (2012, 2013) shares no year with the later
    # agencies, so its year effects could not be compared; it is left out, not fitted
    m = models.panel_model(ds.panel)
    assert m.dropped["not connected to the largest set of agencies and years"] == 2
    assert m.dropped["agency seen in one year only"] == 5  # 管委会 2014 too
    assert m.n_agencies == 5 and m.n_obs == 24
    assert np.allclose(m.table["coef"], m.table["coef_linearmodels"], atol=1e-8)


def test_carry_over_links_the_years(ds):
    links = quality.carry_over_links(ds.panel)
    gaj = links[(links["agency"] == "平潭综合实验区公安局") & (links["year"] == 2022)].iloc[0]
    assert (gaj["carried_forward_previous"], gaj["carried_over"], gaj["link"]) == (1, 1, "agrees")


def test_identity_breaks_count_each_report_once(ds):
    by_year = quality.identity_breaks(ds, "year")
    assert by_year["reports"].sum() == len(ds.reports)
    assert by_year.loc[2024, "breaking"] == 3  # 宝清县, 海坛片区 and 经济发展局 2024


def test_agency_table_lists_the_codes_figures_use(ds):
    table = labels.agency_table(ds.panel)
    assert figures.agency_codes is labels.agency_codes
    assert dict(zip(table["agency"], table.index, strict=True)) == labels.agency_codes(ds.panel)
    assert list(table.index[:3]) == ["A1", "A2", "A3"]
