"""Property tests on synthetic reports (``synth``): parse(render(truth)) is the truth.

* Layouts that print every cell in its place (tabs, one cell per line, markdown, HTML
  with rowspan/colspan, DOCX): every cell comes back exactly, as ``parsed``, and no
  identity fails.
* Layouts that lose information (spaces with empty cells dropped, a crawler's run-together
  text): a cell is the truth or missing, never a different number; a row printed in full
  comes back exactly.
* Injected faults are always flagged, and no cell takes a number the page does not print.

Examples are few (the dropped-cell layout goes to the integer program, ~0.5 s each);
``HYPOTHESIS_PROFILE=thorough`` runs many more.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govopen
from govopen.schema import RULES
from tests.support import synth

settings.register_profile("ci", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=500,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

seeds = st.integers(min_value=0, max_value=2**31 - 1)
templates = st.sampled_from([None, "2019", "2021"])


def parse(r: synth.Rendered) -> govopen.Report:
    return govopen.parse_report(r.data, name=f"synthetic-{r.truth.seed}.{r.layout}")


def cells_of(report) -> dict:
    return {(c.table, c.row, c.column): (c.value, c.status) for c in report.cells.itertuples()}


def different(r: synth.Rendered, got: dict) -> list[str]:
    """Cells whose value is a number other than the one the page prints."""
    return [f"{k}: parsed {got[k][0]}, printed {v}" for k, v in r.printed.items()
            if k in got and not math.isnan(got[k][0]) and got[k][0] != float(v)]


@pytest.mark.slow
@pytest.mark.parametrize("layout", synth.EXACT_LAYOUTS)
@settings(max_examples=12)
@given(seed=seeds, template=templates)
def test_every_cell_comes_back_exactly(layout, seed, template):
    r = synth.report(seed, layout, template=template)
    report = parse(r)
    got = cells_of(report)
    assert set(got) == set(r.truth.values), "the cells of the report's template, no more"
    wrong = [f"{k}: {got[k]} vs {v}" for k, v in r.truth.values.items()
             if got[k][1] != "parsed" or got[k][0] != float(v)]
    assert wrong == [], f"seed {seed}"
    assert not report.findings["rule"].isin(list(RULES)).any()
    assert report.meta.agency == r.truth.agency
    assert report.meta.year == r.truth.year
    assert set(report.meta.templates.values()) == {r.truth.template, None}


@settings(max_examples=6)
@given(seed=seeds, template=templates)
def test_dropped_cells_are_recovered_or_missing(seed, template):
    r = synth.report(seed, "spaces", template=template)
    got = cells_of(parse(r))
    assert different(r, got) == [], f"seed {seed}"
    # a row printed without any gap has one reading: it comes back exactly
    full_rows = {k[:2] for k in r.truth.values} - {k[:2] for k in r.truth.blanks}
    lost = [k for k, v in r.truth.values.items()
            if k[:2] in full_rows and k[0] != "reviews" and got[k][0] != float(v)]
    assert lost == [], f"seed {seed}"


@settings(max_examples=15)
@given(seed=seeds, template=templates)
def test_run_together_text_never_gives_a_wrong_number(seed, template):
    r = synth.report(seed, "glued", template=template)
    got = cells_of(parse(r))
    # section 二 is left out: see the next test
    wrong = [d for d in different(r, got) if not d.startswith("('active'")]
    assert wrong == [], f"seed {seed}"


def test_run_together_negative_change_in_section_two():
    # '行政许可30-1225' is 30, -12, 25. The minus sign goes with the first cell cut from
    # '-1225' (-1|225, -12|25, -122|5 all fit), and 3, 0, -1225 is no reading: 处理决定数量
    # cannot be negative. So 30 is known, the other two are missing — never wrong.
    r = synth.report(148, "glued", template="2019")
    assert "行政许可30-1225" in r.data
    report = parse(r)
    got = cells_of(report)
    assert different(r, got) == []
    assert got[("active", "licensing", "prev_items")] == (30, "parsed")
    for col in ("change", "decisions"):
        assert math.isnan(got[("active", "licensing", col)][0])
    f = report.findings
    assert f[f.row == "licensing"].message.str.contains("-12|25", regex=False).any()


@pytest.mark.parametrize("fault", synth.FAULTS)
@settings(max_examples=10)
@given(seed=seeds, layout=st.sampled_from(["tabs", "cells", "markdown", "html"]))
def test_injected_faults_are_flagged(fault, seed, layout):
    r = synth.report(seed, layout, fault=fault)
    report = parse(r)
    got = cells_of(report)
    assert different(r, got) == [], f"seed {seed}"
    f = report.findings
    on_requests = f[(f["table"] == "requests") & f["severity"].isin(["error", "warning"])]
    if fault == "broken_identity":
        errors = on_requests[on_requests["severity"] == "error"]
        assert errors["rule"].isin(list(RULES)).any(), f"seed {seed}: no identity fails"
        assert r.fault_row in set(errors["row"]), f"seed {seed}: {errors['row'].tolist()}"
        # the printed number is kept, never corrected
        (cell,) = r.fault_cells
        assert got[cell] == (float(r.printed[cell]), "parsed")
    elif fault == "missing_row":
        rows = on_requests.loc[on_requests["rule"] == "row_not_found", "row"]
        assert rows.tolist() == [r.fault_row], f"seed {seed}"
    else:
        assert r.fault_row in set(on_requests["row"]), f"seed {seed}: {on_requests}"
        (cell,) = r.fault_cells
        assert math.isnan(got[cell][0]) or got[cell][0] == float(r.printed[cell])


def test_the_generator_keeps_its_identities():
    for seed in range(200):
        t = synth.draw(synth.random.Random(seed), seed=seed)
        values = {k[1:]: v for k, v in t.values.items() if k[0] == "requests"}
        for ident in govopen.schema.identities("requests", t.template):
            assert sum(values[c] for c in ident.lhs) == sum(values[c] for c in ident.rhs)
        reviews = {k[1:]: v for k, v in t.values.items() if k[0] == "reviews"}
        for ident in govopen.schema.identities("reviews"):
            assert sum(reviews[c] for c in ident.lhs) == sum(reviews[c] for c in ident.rhs)


def test_the_generator_is_skewed_like_real_reports():
    totals = sorted(synth.draw(synth.random.Random(s)).requests_total for s in range(2000))
    assert totals[1000] <= 50  # the median agency gets a few requests
    assert totals[-1] >= 1000  # and a few get thousands
    assert sum(t == 0 for t in totals) > 200


def test_same_seed_same_bytes():
    for layout in synth.LAYOUTS:
        if layout == "docx":
            continue  # python-docx stamps the time into the file's properties
        assert synth.report(7, layout).data == synth.report(7, layout).data
