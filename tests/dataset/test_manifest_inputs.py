"""A collected folder given to ``govopen parse``: the reports its manifest lists, each with
the manifest's agency and claimed year as hints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from govopen.cli import main
from govopen.collect.manifest import MANIFEST, ManifestRow, sha256, write_manifest
from govopen.corpus.hints import collected_inputs
from tests.support import RAW

NO_AGENCY = "000_6e005d299800cb62.txt"  # names no agency; 2021
BOTH = "004_5e020ea6cd751a4c.txt"  # 伊川县人民政府, 2020


def _row(kind: str, path: str, year: int | None, data: bytes) -> ManifestRow:
    return ManifestRow(agency="某县人民政府", kind=kind, source_url=f"http://site.example/{path}",
                       final_url=f"http://site.example/{path}", status=200,
                       fetched_at="2026-01-01T00:00:00Z", content_type="text/plain",
                       charset="utf-8", size=len(data), sha256=sha256(data), path=path,
                       year=year)


@pytest.fixture
def collected(tmp_path) -> Path:
    """A folder as govopen collect leaves it: a list page, two reports, the manifest, and
    a report the manifest lists whose file is gone."""
    folder = tmp_path / "collected"
    (folder / "reports").mkdir(parents=True)
    (folder / "lists").mkdir()
    rows = []
    for name, year in ((NO_AGENCY, 2021), (BOTH, 2021)):
        shutil.copy(RAW / name, folder / "reports" / name)
        rows.append(_row("report", f"reports/{name}", year, (RAW / name).read_bytes()))
    (folder / "lists" / "index.html").write_text("<html><a href='x'>年报</a></html>",
                                                 encoding="utf-8")
    rows.append(_row("list", "lists/index.html", None, b""))
    rows.append(_row("report", "reports/gone.html", 2022, b"gone"))
    write_manifest(folder / MANIFEST, rows)
    (folder / "collect.warc.gz").write_bytes(b"\x1f\x8b")
    return folder


def test_a_collected_folder_stands_for_the_reports_its_manifest_lists(collected, tmp_path):
    files, hints = collected_inputs([collected])
    assert sorted(Path(f).name for f in files) == sorted([NO_AGENCY, BOTH, "gone.html"])
    assert {h.agency for h in hints.values()} == {"某县人民政府"}
    assert hints[str((collected / "reports" / BOTH).resolve())].year == 2021
    # found inside a folder given, beside other reports, which are kept as they are
    other = tmp_path / "other.txt"
    other.write_bytes((RAW / NO_AGENCY).read_bytes())
    files, hints = collected_inputs([tmp_path], exclude=[tmp_path / "out"])
    assert sorted(Path(f).name for f in files) == sorted(
        [NO_AGENCY, BOTH, "gone.html", "other.txt"])
    assert str(other) not in hints and len(hints) == 3
    # named on its own: the reports it lists, and a file given beside them
    files, hints = collected_inputs([other], collected / MANIFEST)
    assert sorted(Path(f).name for f in files) == sorted(
        [NO_AGENCY, BOTH, "gone.html", "other.txt"])


def test_a_folder_without_a_govopen_manifest_is_as_given(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / MANIFEST).write_text("file,checksum\na.txt,1\n", encoding="utf-8")
    assert collected_inputs([tmp_path]) == ([tmp_path], {})


def test_govopen_parse_takes_the_hints_and_keeps_the_reports_own_words(collected, tmp_path):
    out = tmp_path / "out"
    assert main(["parse", str(collected), "-o", str(out), "-j", "1", "--no-progress"]) == 0
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    by_name = reports.set_index(reports["source"].map(lambda s: Path(s).name))
    assert sorted(by_name.index) == sorted([NO_AGENCY, BOTH, "gone.html"])
    assert by_name.loc[NO_AGENCY, "agency"] == "某县人民政府"  # filled
    assert by_name.loc[BOTH, ["agency", "year"]].tolist() == ["伊川县人民政府", 2020]  # kept
    assert by_name.loc[BOTH, "status"] == "warning"  # the manifest claims 2021
    assert by_name.loc[NO_AGENCY, "status"] == "ok"
    assert by_name.loc[("gone.html"), "status"] == "error"  # listed, missing: reported
    assert "not found" in by_name.loc["gone.html", "message"]
    f = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert sorted(f.loc[f["rule"].str.startswith("manifest_"), "rule"]) == [
        "manifest_agency_differs", "manifest_filled", "manifest_year_differs"]
    panel = pd.read_csv(out / "panel.csv", encoding="utf-8-sig")
    assert sorted(zip(panel["agency"], panel["year"], strict=True)) == [
        ("伊川县人民政府", 2020), ("某县人民政府", 2021)]


def test_a_manifest_that_cannot_be_read_stops_the_run_before_anything_is_written(
        collected, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["parse", str(collected), "--manifest", str(other), "-o", str(out),
                 "--no-progress"]) == 2
    assert "other.csv" in capsys.readouterr().err and not out.exists()
    # a govopen manifest with a broken row
    text = (collected / MANIFEST).read_text(encoding="utf-8")
    (collected / MANIFEST).write_text(text.replace(",200,", ",OK,", 1), encoding="utf-8")
    assert main(["parse", str(collected), "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "manifest.csv" in err and "malformed" in err and not out.exists()
