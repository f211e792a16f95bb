"""The notebooks' helpers: the examples folder, parameters, tables, the model, figures."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from govopen.dataset.examples import load_examples, read_table, write_examples
from govopen.dataset.panel import build_panel
from govopen.research import analysis, figures
from tests.support import RAW, REPO

EXAMPLES = REPO / "data" / "examples"


@pytest.fixture(scope="module")
def ds() -> analysis.Dataset:
    return analysis.load_dataset([RAW], EXAMPLES)


@pytest.fixture(scope="module")
def seeds() -> analysis.Dataset:
    return analysis.load_dataset([RAW])


# --- data/examples ----------------------------------------------------------------------

def test_examples_read_back_to_the_stored_panel():
    corpus = load_examples(EXAMPLES)
    stored = read_table(EXAMPLES / "panel.csv", "panel")
    def blanks_as_none(df: pd.DataFrame) -> pd.DataFrame:  # an empty text cell reads back None
        return df.astype(object).where(df.notna(), None)

    pd.testing.assert_frame_equal(blanks_as_none(build_panel(corpus)), blanks_as_none(stored),
                                  check_dtype=False)
    assert len(stored) == 56 and stored["agency"].nunique() == 12


def test_examples_hold_numbers_not_text():
    reports = pd.read_csv(EXAMPLES / "reports.csv", dtype=str, keep_default_na=False)
    assert not reports["source"].str.contains(r"[/\\]").any()
    assert set(reports["source"]) >= {"pt-scj-2025.txt", "pt-scj-2025-html.html"}
    assert (reports["title"] == "").all()
    facts = pd.read_csv(EXAMPLES / "facts.csv", dtype=str, keep_default_na=False)
    assert len(facts) and (facts["sentence"] == "").all()
    for name in ("reports", "findings", "cells", "facts", "panel"):
        text = (EXAMPLES / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert "“" not in text.replace("“…”", ""), name  # no quoted sentence
        assert "shared/" not in text and "corpus/raw" not in text, name


@pytest.mark.slow
def test_write_examples_strips_text_and_paths(tmp_path):
    out = tmp_path / "ex"
    corpus = write_examples([RAW], out, jobs=1)
    assert corpus.sections.empty
    assert set(corpus.reports["source"]) == {p.name for p in RAW.iterdir()}
    quoted = corpus.findings["message"].str.contains("“", na=False)
    assert quoted.any()  # seed 001: the text says 3 requests, the table 2
    assert corpus.findings.loc[quoted, "message"].str.contains("“…”").all()
    assert load_examples(out).reports["source"].tolist() == corpus.reports["source"].tolist()


def test_examples_are_what_govopen_extracts_now(shared, tmp_path):
    """data/examples is up to date with the parser (rerun `make examples` otherwise)."""
    fresh = write_examples([shared / "corpus" / "raw"], tmp_path / "examples", jobs=2)
    stored = load_examples(EXAMPLES)
    pd.testing.assert_frame_equal(build_panel(fresh), build_panel(stored), check_dtype=False)
    cols = ["report_id", "table", "row", "column", "value", "status"]
    pd.testing.assert_frame_equal(fresh.cells[cols].astype(object).reset_index(drop=True),
                                  stored.cells[cols].astype(object).reset_index(drop=True))


# --- parameters -------------------------------------------------------------------------

@pytest.mark.parametrize("given, years", [
    ([2021, 2022], [2021, 2022]), (2024, [2024]), ("2021-2023", [2021, 2022, 2023]),
    (["2022", 2021], [2021, 2022]), ("2020, 2022", [2020, 2022]), (None, None), ("all", None)])
def test_years(given, years):
    assert analysis.check_years(given) == years


@pytest.mark.parametrize("given, region", [
    ("35", "35"), (350128, "350128"), ("", None), (None, None)])
def test_region_stays_text(given, region):
    assert analysis.check_region(given) == region


@pytest.mark.parametrize("bad", [{"level": "district"}, {"lang": "fr"}, {"years": ["x"]},
                                 {"region": "fujian"}, {"inputs": ["no/such/folder"]}])
def test_bad_parameters_say_what_to_pass(bad):
    kw = dict(inputs=[str(RAW)], examples=str(EXAMPLES)) | bad
    with pytest.raises(ValueError):
        analysis.check_parameters(**kw)


# --- tables -----------------------------------------------------------------------------

def test_selection_keeps_years_level_and_region(ds):
    sel = analysis.load_dataset([RAW], EXAMPLES, years=[2022, 2023], level="county",
                                region="35")
    assert set(sel.panel["year"]) == {2022, 2023}
    assert sel.panel["adcode"].str.startswith("35").all()
    assert len(sel.panel) < len(ds.panel)
    assert set(sel.reports["year"]) <= {2022, 2023}


def test_outcome_shares_add_up_and_weigh_requests(seeds):
    shares = analysis.outcome_shares(seeds.panel)
    groups = ["granted", "denied", "unable", "not_processed", "other"]
    assert np.allclose(shares[groups].sum(axis=1), 1)
    # 2020: 伊川县 26 of 27 granted, 东山县 1 of 2 → 27 of 29
    assert shares.loc[2020, "granted"] == pytest.approx(27 / 29)
    assert shares.loc[2020, "requests"] == 29


def test_correction_rate_leaves_pending_cases_out(seeds):
    baoqing = seeds.panel[seeds.panel["year"] == 2024]
    out = analysis.review_outcomes(baoqing)
    # 宝清县 2024: 1 upheld, 1 corrected, 0 other, 2 pending
    assert out.loc["review", "concluded"] == 2
    assert out.loc["review", "correction_rate"] == pytest.approx(0.5)
    assert np.isnan(out.loc["litigation_direct", "correction_rate"])  # no case: missing


def test_refusal_reasons_split_exemptions_from_practical(seeds):
    r = analysis.refusal_reasons(seeds.panel)
    assert (r["kind"] == "exemption").sum() == 8
    assert set(r.loc[r["kind"] == "practical", "reason"]) == {
        "unable_not_held", "unable_needs_creation", "unable_unclear", "not_processed"}
    assert r.set_index("reason").loc["unable_not_held", "requests"] >= 24  # 宝清县 alone


def test_applicant_types_count_unknown_cells(seeds):
    a = analysis.applicant_types(seeds.corpus, seeds.panel)
    assert a.loc["all", "unknown_cells"] == 2  # 东山县 drops empty cells: 自然人 or 商业企业
    assert a.loc["all", "natural_person"] >= 78


@pytest.mark.slow
def test_panel_model_agrees_with_linearmodels(ds):
    m = analysis.panel_model(ds.panel)
    assert np.allclose(m.table["coef"], m.table["coef_linearmodels"], atol=1e-8)
    assert m.n_agencies == 5 and m.n_obs == 24
    assert m.dropped["agency seen in one year only"] == 4


def test_carry_over_links_the_years(ds):
    links = analysis.carry_over_links(ds.panel)
    gaj = links[(links["agency"] == "平潭综合实验区公安局") & (links["year"] == 2022)].iloc[0]
    assert (gaj["carried_forward_previous"], gaj["carried_over"], gaj["link"]) == (1, 1, "agrees")


def test_identity_breaks_count_each_report_once(ds):
    by_year = analysis.identity_breaks(ds, "year")
    assert by_year["reports"].sum() == len(ds.reports)
    assert by_year.loc[2024, "breaking"] == 3  # 宝清县, 海坛片区 and 经济发展局 2024


def test_combine_keeps_the_first_report_of_an_agency_year(seeds):
    both = analysis.combine(seeds.corpus, seeds.corpus)
    panel = build_panel(both)
    assert len(panel) == len(seeds.panel)


# --- figures ----------------------------------------------------------------------------

@pytest.mark.slow
def test_save_figure_writes_the_same_bytes(tmp_path, seeds):
    shares = analysis.outcome_shares(seeds.panel)
    a = figures.save_figure(figures.plot_outcome_shares(shares, seeds.sample()), "a", tmp_path)
    b = figures.save_figure(figures.plot_outcome_shares(shares, seeds.sample()), "b", tmp_path)
    assert a.read_bytes() == b.read_bytes()
    assert b"Software" not in a.read_bytes() and b"Creation" not in a.read_bytes()


def test_chinese_labels_need_a_chinese_font(monkeypatch):
    monkeypatch.setattr(figures, "cjk_fonts", lambda: [])
    with pytest.warns(UserWarning, match="no font with Chinese"):
        assert figures.use_language("zh") == "en"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figures.use_language("en") == "en"


def test_labels_come_from_the_schema():
    assert figures.row_label("unable_not_held") == "Unable: information not held"
    assert figures.row_label("denied_state_secret", "zh") == "属于国家秘密"
    assert figures.group_label("granted", "zh") == "予以公开与部分公开"
    assert all(not re.search(r"[\u4e00-\u9fff]", en) for en, _ in figures.TEXT.values())
