from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from govopen import schema
from govopen.dataset.codebook import DATASETS, cell_keys, codebook, datapackage, fields, markdown
from govopen.dataset.export import STATA_LABEL_MAX, stata_names, write_table
from govopen.dataset.folder import parse_to_folder
from govopen.dataset.panel import INDICATORS, build_panel, indicator_era, panel_fields
from govopen.fields import CELL_COLUMNS
from tests.support import SEED_003, SEED_004


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cb")
    (tmp / "in").mkdir()
    for seed in (SEED_004, SEED_003):
        shutil.copy(seed, tmp / "in" / seed.name)
    corpus = parse_to_folder(tmp / "in", tmp / "out", jobs=1, progress=False,
                             formats=("parquet", "csv", "dta", "xlsx"))
    return tmp / "out", corpus


def test_every_column_is_described():
    book = codebook()
    assert not book[["key", "zh", "en", "type"]].isin(["", None]).any().any()
    assert book.loc[book["dataset"] == "cells", "key"].tolist() == CELL_COLUMNS
    assert book.loc[book["dataset"] == "panel", "key"].tolist() == [f.key for f in panel_fields()]
    assert set(book["type"]) <= {"string", "integer", "number", "boolean", "date"}
    panel = book[book["dataset"] == "panel"].set_index("key")
    for ind in INDICATORS:  # the definitions are the ones the panel computes with
        # …and how the indicator crosses the 2019 revision
        assert panel.loc[ind.key, "definition"] == (
            f"{ind.definition}. Across the 2019 revision: {indicator_era(ind).definition}")
        assert panel.loc[ind.key, "unit"] == "ratio"
    granted = schema.REQUESTS.row("granted")
    assert panel.loc["requests_granted", "zh"].startswith(granted.zh)
    assert panel.loc["active_fees_amount", "unit"] == "10k_yuan"
    assert (panel["stata"].str.len() <= 32).all() and panel["stata"].is_unique


def test_cell_keys_cover_both_templates():
    keys = cell_keys()
    n = sum(len(schema.columns_for(t, r.key, tpl)) for t, tb in schema.TABLES.items()
            for r in tb.rows for tpl in schema.TEMPLATES if tpl in r.templates)
    assert len(keys) < n  # a cell in both templates is listed once...
    assert not keys.duplicated(["table", "row", "column"]).any()
    tpl = keys.set_index(["table", "row", "column"])["templates"]
    assert tpl[("requests", "other", "total")] == "2019"
    assert tpl[("requests", "other_other", "total")] == "2021"
    assert tpl[("requests", "granted", "total")] == "2019/2021"
    assert tpl[("active", "licensing", "decisions")] == "2019/2021"  # ...with both


@pytest.mark.slow
def test_written_files_match_the_codebook(folder):
    out, corpus = folder
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == list(DATASETS)
    for res in package["resources"]:
        header = pd.read_csv(out / res["path"], encoding="utf-8-sig", nrows=0).columns.tolist()
        assert header == [f["name"] for f in res["schema"]["fields"]], res["name"]
    md = markdown()
    assert all(f"`{f.key}`" in md for name in DATASETS for f in fields(name))
    assert (out / "codebook.md").read_text(encoding="utf-8") == md


@pytest.mark.slow
def test_datapackage_validates(folder):
    frictionless = pytest.importorskip("frictionless")
    out, _ = folder
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]


@pytest.mark.slow
def test_stata_file_has_labels_and_round_trips(folder):
    out, corpus = folder
    panel = build_panel(corpus)
    back = pd.read_stata(out / "panel.dta")
    names = stata_names(panel.columns)
    assert list(back.columns) == [names[c] for c in panel.columns]
    assert back["agency"].tolist() == panel["agency"].tolist()  # Chinese text survives
    assert back["disclosure_rate"].iloc[0] == pytest.approx(26 / 27)
    with pd.io.stata.StataReader(out / "panel.dta") as reader:
        labels = reader.variable_labels()
    assert labels["agency"] == "机关名称 Agency"
    assert all(0 < len(v) <= STATA_LABEL_MAX for v in labels.values())
    cells = pd.read_stata(out / "cells.dta")
    assert len(cells) == len(corpus.cells)


@pytest.mark.slow
def test_excel_has_bilingual_headers_and_no_formulas(tmp_path, folder):
    out, corpus = folder
    head = pd.read_excel(out / "panel.xlsx", header=None, nrows=3)
    col = head.columns[head.iloc[0] == "requests_granted"][0]
    assert head[col].tolist()[1:] == [f"{schema.REQUESTS.row('granted').zh}（总计）",
                                      "Granted in full (total)"]
    back = pd.read_excel(out / "panel.xlsx", skiprows=[1, 2])
    assert back["requests_total"].tolist() == build_panel(corpus)["requests_total"].tolist()
    assert "codebook" in pd.ExcelFile(out / "panel.xlsx").sheet_names

    df = pd.DataFrame({"raw": ["=1+1", "ok\x0b"], "value": [1.0, float("nan")]})
    write_table(df, tmp_path / "t.xlsx")
    from openpyxl import load_workbook
    ws = load_workbook(tmp_path / "t.xlsx")["data"]
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"  # text, not a formula
    assert ws["A5"].value == "ok" and ws["B5"].value is None


def test_stata_names_are_short_unique_and_stable():
    keys = ["a" * 40, "a" * 40 + "b", "requests_denied_three_security_one_stability", "1x"]
    names = stata_names(keys)
    assert all(len(n) <= 32 for n in names.values())
    assert len(set(names.values())) == len(keys)
    assert names == stata_names(keys)
    assert names["requests_denied_three_security_one_stability"] == "req_denied_security"
    assert names["1x"] == "v1x"


def test_descriptor_links_cells_to_their_keys():
    desc = datapackage({"cells": "cells.csv", "cell_keys": "cell_keys.csv"})
    cells, keys = desc["resources"]
    assert cells["schema"]["foreignKeys"][0]["reference"]["resource"] == "cell_keys"
    assert keys["schema"]["primaryKey"] == ["table", "row", "column"]
    assert cells["encoding"] == "utf-8-sig"


def test_a_table_too_long_for_excel_is_skipped_with_a_warning(tmp_path, monkeypatch):
    import govopen.dataset.folder

    monkeypatch.setattr(govopen.dataset.folder, "EXCEL_MAX_ROWS", 100)  # cells has ~200 rows
    with pytest.warns(UserWarning, match="cells.xlsx not written"):
        parse_to_folder([SEED_004], tmp_path, jobs=1, progress=False, formats=("xlsx",))
    assert (tmp_path / "panel.xlsx").is_file() and not (tmp_path / "cells.xlsx").exists()


def test_codebook_carries_the_pre2019_statistics_and_the_crosswalk():
    from govopen import schema
    from govopen.dataset.codebook import crosswalk, statistics

    assert list(statistics().statistic) == list(schema.STATISTIC_KEYS)
    walk = crosswalk().set_index("statistic")
    assert walk.loc["requests_received", "cells"] == "requests/new_received/total"
    assert bool(walk.loc["requests_received", "comparable"])
    assert not bool(walk.loc["denied", "comparable"])  # the eight 不予公开 rows, flagged
    assert walk.loc["denied", "cells"].count("+") == 7
    book = markdown()
    assert "## The crosswalk: pre-2019 statistics and 2019+ cells" in book
    assert "| `replies_not_held` | 信息不存在答复数 | requests/unable_not_held/total | yes |" in book


def test_the_codebook_says_how_each_indicator_crosses_2019():
    from govopen.dataset.codebook import markdown
    from govopen.dataset.panel import indicator_eras

    text = markdown()
    heading = "## The panel's indicators across the 2019 revision"
    assert heading in text
    section = text.split(heading)[1].split("\n## ")[0]
    for row in indicator_eras().itertuples():
        line = next(ln for ln in section.splitlines()
                    if ln.startswith(f"| `{row.indicator}` | "))
        assert f"| {row.status} |" in line
    assert "| `exemption_rate` | split | `exemption_rate_pre2019` | denied | replies_total |" \
        in text
    assert "## `statistics`" in text
