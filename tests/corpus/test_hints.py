"""A collection manifest's agency and year fill what a report does not print, and only that."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from govopen.collect.manifest import MANIFEST, ManifestRow, sha256, write_manifest
from govopen.corpus import read_corpus
from govopen.corpus.hints import Hint, apply_hint

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
NO_AGENCY = RAW / "000_6e005d299800cb62.txt"  # names no agency; its year is 2021
BOTH = RAW / "004_5e020ea6cd751a4c.txt"  # 伊川县人民政府, 2020


def _corpus(tmp_path, hints: dict[Path, Hint]):
    """The files in a folder with a manifest that says ``hints`` of them, read."""
    rows = []
    for p, h in hints.items():
        shutil.copy(p, tmp_path / p.name)
        data = p.read_bytes()
        rows.append(ManifestRow(agency=h.agency or "", kind="report", source_url=h.origin,
                                final_url=h.origin, status=200, fetched_at="", content_type="",
                                charset="", size=len(data), sha256=sha256(data), path=p.name,
                                year=h.year))
    write_manifest(tmp_path / MANIFEST, rows)
    return read_corpus(tmp_path, jobs=1, progress=False)


def test_a_hint_fills_only_what_the_report_does_not_print(tmp_path):
    corpus = _corpus(tmp_path, {
        NO_AGENCY: Hint("某县人民政府", 2021, "https://example.org/a.html"),
        BOTH: Hint("伊川县人民政府", 2020, "https://example.org/b.html")})
    r = corpus.reports.set_index(corpus.reports["source"].map(lambda s: Path(s).name))
    assert r.loc[NO_AGENCY.name, "agency"] == "某县人民政府"
    assert r.loc[NO_AGENCY.name, "year"] == 2021
    assert r.loc[BOTH.name, ["agency", "year"]].tolist() == ["伊川县人民政府", 2020]
    f = corpus.findings
    filled = f[f["rule"] == "manifest_filled"]
    assert len(filled) == 1 and "https://example.org/a.html" in filled["message"].iloc[0]
    assert filled["severity"].iloc[0] == "info"
    assert not f["rule"].isin(["manifest_year_differs", "manifest_agency_differs"]).any()
    assert set(r["status"]) <= {"ok", "warning"}
    assert r.loc[BOTH.name, "status"] == "ok"


def test_a_year_that_differs_is_kept_and_warned(tmp_path):
    corpus = _corpus(tmp_path, {BOTH: Hint("伊川县政府", 2021, "row 3")})
    row = corpus.reports.iloc[0]
    assert row["year"] == 2020 and row["agency"] == "伊川县人民政府"
    assert row["status"] == "warning"
    rules = dict(zip(corpus.findings["rule"], corpus.findings["severity"], strict=False))
    assert rules["manifest_year_differs"] == "warning"
    assert rules["manifest_agency_differs"] == "info"


@pytest.mark.parametrize("row, hint, expect, rules", [
    ({"agency": None, "year": pd.NA}, Hint("甲局", 2023, "u"), ("甲局", 2023),
     ["manifest_filled", "manifest_filled"]),
    ({"agency": "  ", "year": None}, Hint(None, None, "u"), ("  ", None), []),
    ({"agency": "甲 局", "year": 2023}, Hint("甲局", 2023, "u"), ("甲 局", 2023), []),
    ({"agency": "甲局", "year": 2022}, Hint(None, 2023, "u"), ("甲局", 2022),
     ["manifest_year_differs"]),
])
def test_apply_hint(row, hint, expect, rules):
    row = {"report_id": "r", **row}
    found = apply_hint(row, hint)
    assert (row["agency"], row["year"]) == expect
    assert [f["rule"] for f in found] == rules
