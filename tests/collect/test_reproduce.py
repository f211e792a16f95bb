"""From a manifest to the tables: the embedded reports (data/raw) served as a report
column, collected, rebuilt from the manifest into a new folder, parsed; the cells are
those of parsing data/raw directly. The sequence docs/collect.md gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govopen.cli import main
from govopen.collect import read_manifest
from govopen.collect.manifest import MANIFEST
from tests.support import RAW, REPO
from tests.support.fake_cms import serve_folder

KEYS = ["table", "row", "column", "value", "status"]


def _cells_by_stem(folder: Path) -> dict[str, list]:
    reports = pd.read_csv(folder / "reports.csv", encoding="utf-8-sig")
    cells = pd.read_csv(folder / "cells.csv", encoding="utf-8-sig")
    out = {}
    for rid, source in zip(reports["report_id"], reports["source"], strict=True):
        stem = Path(source).stem.split("-", 1)[-1]  # collected files: <hash>-<stem>.html
        sub = cells[cells["report_id"] == rid].sort_values(KEYS[:3])
        out[stem] = sub[KEYS].fillna(-1).values.tolist()
    return out


@pytest.mark.slow
def test_collect_fetch_parse_gives_the_cells_of_the_embedded_data(tmp_path):
    cms, line = serve_folder(RAW)
    sites = tmp_path / "sites.csv"
    sites.write_text("agency,url\n" + line + "\n", encoding="utf-8")
    polite = ["--delay", "0.02", "--no-progress"]
    try:
        assert main(["collect", str(sites), "-o", str(tmp_path / "collected"), *polite]) == 0
        assert main(["fetch", str(tmp_path / "collected" / MANIFEST), "-o",
                     str(tmp_path / "corpus"), *polite]) == 0
    finally:
        cms.stop()
    rows = read_manifest(tmp_path / "corpus" / MANIFEST)
    assert sorted(Path(r.path).stem.split("-", 1)[1] for r in rows) == sorted(
        p.stem for p in RAW.glob("*.txt"))
    assert {r.agency for r in rows} == {"示例机关"}
    # the folder with its manifest: the reports it lists, with the manifest's agency
    assert main(["parse", str(tmp_path / "corpus"), "-o", str(tmp_path / "parsed"),
                 "-j", "1", "--no-progress"]) == 0
    assert main(["parse", str(RAW), "-o", str(tmp_path / "direct"), "-j", "1",
                 "--no-progress"]) == 0
    reports = pd.read_csv(tmp_path / "parsed" / "reports.csv", encoding="utf-8-sig")
    assert sorted(Path(s).name for s in reports["source"]) == sorted(
        Path(r.path).name for r in rows)  # not the manifest, nor a list page
    direct_reports = pd.read_csv(tmp_path / "direct" / "reports.csv", encoding="utf-8-sig")
    unnamed = direct_reports["agency"].isna().sum()
    assert unnamed == 2  # two of the embedded reports name no agency: the manifest's fills it
    assert reports["agency"].notna().all()
    findings = pd.read_csv(tmp_path / "parsed" / "findings.csv", encoding="utf-8-sig")
    filled = findings[findings["rule"] == "manifest_filled"]
    assert len(filled) == unnamed and filled["message"].str.contains("示例机关").all()
    assert not findings["rule"].eq("manifest_year_differs").any()
    collected, direct = _cells_by_stem(tmp_path / "parsed"), _cells_by_stem(tmp_path / "direct")
    assert sorted(collected) == sorted(direct) and len(direct) == 5
    for stem in direct:
        assert collected[stem] == direct[stem], stem


def test_the_fake_cms_entry_point_writes_the_sites_file(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.fake_cms", str(RAW),
                             "--sites", str(tmp_path / "sites.csv")], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "agency,url"
        line = proc.stdout.readline().strip()
        assert line.startswith("示例机关,http://127.0.0.1:") and line.endswith("/nb/index.html")
        assert (tmp_path / "sites.csv").read_text(encoding="utf-8") == f"agency,url\n{line}\n"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
