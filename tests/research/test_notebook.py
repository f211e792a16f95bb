"""A notebook's frame: the examples folder it loads, its parameters, the selection."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from govopen.dataset.examples import load_examples, read_table, write_examples
from govopen.dataset.panel import build_panel
from govopen.research import notebook
from tests.support import RAW, REPO

EXAMPLES = REPO / "data" / "examples"


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
    # the pre-2019 statistics: a value stated in a sentence keeps its number only
    stats = pd.read_csv(EXAMPLES / "statistics.csv", dtype=str, keep_default_na=False)
    told = stats[stats["source"] == "narrative"]
    assert len(told) and (told["raw"] == "").all() and (told["value"] != "").all()
    assert stats["report_id"].nunique() == 11  # every pre-2019 report, the prose-only one too
    for name in ("reports", "findings", "cells", "facts", "statistics", "panel"):
        text = (EXAMPLES / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert "“" not in text.replace("“…”", ""), name  # no quoted sentence
        assert "shared/" not in text and "corpus/raw" not in text, name
        # no sentence between straight quotes either: a clause of Chinese text
        assert not re.search(r"[\u4e00-\u9fff]{4,}[，。；]", text), name


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
    assert notebook.check_years(given) == years


@pytest.mark.parametrize("given, region", [
    ("35", "35"), (350128, "350128"), ("", None), (None, None)])
def test_region_stays_text(given, region):
    assert notebook.check_region(given) == region


@pytest.mark.parametrize("bad", [{"level": "district"}, {"lang": "fr"}, {"years": ["x"]},
                                 {"region": "fujian"}, {"inputs": ["no/such/folder"]}])
def test_bad_parameters_say_what_to_pass(bad):
    kw = dict(inputs=[str(RAW)], examples=str(EXAMPLES)) | bad
    with pytest.raises(ValueError):
        notebook.check_parameters(**kw)


# --- the selection -------------------------------------------------------------------

def test_selection_keeps_years_level_and_region(ds):
    sel = notebook.load_dataset([RAW], EXAMPLES, years=[2022, 2023], level="county",
                                region="35")
    assert set(sel.panel["year"]) == {2022, 2023}
    assert sel.panel["adcode"].str.startswith("35").all()
    assert len(sel.panel) < len(ds.panel)
    assert set(sel.reports["year"]) <= {2022, 2023}


def test_combine_keeps_the_first_report_of_an_agency_year(seeds):
    both = notebook.combine(seeds.corpus, seeds.corpus)
    panel = build_panel(both)
    assert len(panel) == len(seeds.panel)




def test_the_longer_view_reselects_every_year(ds):
    p = notebook.check_parameters(inputs=[], examples=str(EXAMPLES), years=[2019, 2020],
                                  long_years="all", must_exist=False)
    assert p.years == [2019, 2020] and p.extra["long_years"] is None
    assert notebook.check_parameters(inputs=[], examples="x", long_years="2012-2014",
                                     must_exist=False).extra["long_years"] == [2012, 2013, 2014]
    with pytest.raises(ValueError, match="long_years: 1850"):
        notebook.check_parameters(inputs=[], examples="x", long_years=[1850], must_exist=False)
    short = notebook.reselect(ds, [2019, 2020])
    assert set(short.panel["year"]) == {2019, 2020}
    longer = notebook.reselect(short, None)
    assert longer.corpus is ds.corpus and len(longer.panel) == len(ds.panel)
    assert notebook.span(longer.panel) == "2011–2025" and notebook.span(short.panel) == "2019–2020"
    assert notebook.span(short.panel.iloc[:0]) == ""
    assert notebook.describe_years([2019, 2021]) == "2019, 2021"
