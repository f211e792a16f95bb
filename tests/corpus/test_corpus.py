from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import govopen
import govopen._version
from govopen.corpus import ResultCache, list_inputs, read_corpus
from govopen.corpus.cache import parser_variant
from govopen.dataset import export
from govopen.dataset.folder import CACHE_DIR, add_parse_command, parse_to_folder
from govopen.files import TMP_PREFIX
from tests.support import SEED_003, SEED_004
from tests.support.goldfake import fake_parse_report, sha16, troublesome_parser

OUTPUTS = [f"{name}.{fmt}" for name in ("reports", "cells", "findings", "panel", "cell_keys")
           for fmt in ("parquet", "csv")] + ["datapackage.json", "codebook.md"]


def by_name(reports: pd.DataFrame) -> dict[str, pd.Series]:
    return {Path(s).name: r for s, r in zip(reports["source"], reports.itertuples(), strict=True)}


@pytest.mark.slow
def test_every_file_gets_one_row_with_the_right_status(mixed_folder, tmp_path):
    out = tmp_path / "out"
    corpus = parse_to_folder([mixed_folder], out, jobs=2, progress=False)
    rows = by_name(corpus.reports)
    assert sorted(rows) == sorted(p.name for p in mixed_folder.iterdir())

    assert rows["a_yichuan_2020.txt"].status == "ok"
    assert rows["a_yichuan_2020.txt"].agency == "伊川县人民政府"
    assert rows["a_yichuan_2020.txt"].year == 2020
    assert rows["a_yichuan_2020.txt"].report_id == sha16(SEED_004)
    assert rows["b_baoqing_2024.txt"].status == "warning"
    assert "balance" in rows["b_baoqing_2024.txt"].message  # 78 + 0 vs 78 + 1
    assert rows["c_empty.txt"].status == "error"
    assert "empty" in rows["c_empty.txt"].message
    assert rows["d_binary.bin"].status == "error"
    assert "binary" in rows["d_binary.bin"].message
    assert rows["e_yichuan_copy.txt"].status == "duplicate"
    assert rows["e_yichuan_copy.txt"].duplicate_of.endswith("a_yichuan_2020.txt")
    assert rows["f_portal.txt"].status == "error"
    assert "not an annual report" in rows["f_portal.txt"].message

    # the duplicate is a finding, and its cells are counted once
    dup = corpus.findings[corpus.findings["rule"] == "duplicate"]
    assert dup["report_id"].tolist() == [sha16(SEED_004)]
    counts = corpus.cells.groupby("report_id").size()
    assert set(counts.index) == {sha16(SEED_004), sha16(SEED_003)}
    assert not corpus.cells.duplicated(["report_id", "table", "row", "column"]).any()
    assert set(corpus.findings.loc[corpus.findings["rule"] == "parse_error", "report_id"]) == {
        rows[n].report_id for n in ("c_empty.txt", "d_binary.bin", "f_portal.txt")}

    for name in OUTPUTS:
        assert (out / name).is_file(), name
    assert not list(out.glob(f"{TMP_PREFIX}*"))
    assert (out / "cells.csv").read_bytes().startswith(b"\xef\xbb\xbfreport_id,")
    back = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    assert back["agency"].iloc[0] == "伊川县人民政府"
    assert pd.read_parquet(out / "cells.parquet").shape == corpus.cells.shape
    panel = pd.read_parquet(out / "panel.parquet")
    assert sorted(panel["agency"]) == ["伊川县人民政府", "宝清县人民政府"]


@pytest.mark.slow
def test_rerun_is_served_from_the_cache(mixed_folder, tmp_path):
    out = tmp_path / "out"
    first = parse_to_folder([mixed_folder], out, jobs=2, progress=False)
    before = {n: (out / n).read_bytes() for n in ("reports.csv", "cells.csv", "panel.csv")}
    second = parse_to_folder([mixed_folder], out, jobs=2, progress=False)
    assert first.parsed == 5  # five distinct contents among six files
    assert (second.parsed, second.cached) == (0, 5)  # nothing parsed twice
    assert {n: (out / n).read_bytes() for n in before} == before  # same tables, byte for byte
    pd.testing.assert_frame_equal(first.cells, second.cells)
    pd.testing.assert_frame_equal(first.reports, second.reports)
    assert len(list((out / CACHE_DIR / govopen.__version__).glob("*.json"))) == 5


@pytest.mark.slow
def test_cache_is_keyed_by_content_and_version(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a.txt")
    out = tmp_path / "out"
    assert parse_to_folder(folder, out, jobs=1, progress=False).parsed == 1
    # same bytes under another name: served from the cache, under its new name
    (folder / "a.txt").rename(folder / "renamed.txt")
    again = parse_to_folder(folder, out, jobs=1, progress=False)
    assert again.parsed == 0
    assert again.reports["source"].iloc[0].endswith("renamed.txt")
    # changed bytes are parsed again
    (folder / "renamed.txt").write_bytes(SEED_004.read_bytes() + b"\n")
    assert parse_to_folder(folder, out, jobs=1, progress=False).parsed == 1
    # and so is everything under another govopen version
    monkeypatch.setattr(govopen._version, "__version__", "0.0.0-other")
    assert parse_to_folder(folder, out, jobs=1, progress=False).parsed == 1
    assert ResultCache(out / CACHE_DIR, "0.0.0-never").get("0" * 64) is None


@pytest.mark.slow
def test_a_failed_write_leaves_no_partial_file(mixed_folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_body = export.csv_body

    def crash_in_cells(df):
        if "raw" in df.columns:  # the cells table, its header already written
            raise OSError("disk full")
        return real_body(df)

    monkeypatch.setattr(export, "csv_body", crash_in_cells)
    with pytest.raises(OSError, match="disk full"):
        parse_to_folder([mixed_folder], out, jobs=1, progress=False)
    assert not (out / "cells.csv").exists()
    assert (out / "cells.parquet").exists()  # written before the crash, and whole
    assert not list(out.glob(f"{TMP_PREFIX}*"))

    # a crash while replacing a good file keeps the good file
    monkeypatch.setattr(export, "csv_body", real_body)
    parse_to_folder([mixed_folder], out, jobs=1, progress=False)
    good = (out / "cells.csv").read_bytes()
    monkeypatch.setattr(export, "csv_body", crash_in_cells)
    with pytest.raises(OSError):
        parse_to_folder([mixed_folder], out, jobs=1, progress=False)
    assert (out / "cells.csv").read_bytes() == good


KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from govopen.dataset import export
from govopen.dataset.folder import parse_to_folder

real = export.csv_body
def csv_body(df):
    if "raw" in df.columns:  # the cells table, its header already written
        os.kill(os.getpid(), signal.SIGKILL)  # killed midway through writing cells.csv
    return real(df)
export.csv_body = csv_body
parse_to_folder([sys.argv[1]], sys.argv[2], jobs=1, progress=False)
"""


@pytest.mark.slow
def test_a_killed_run_leaves_no_partial_file(mixed_folder, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_RUN), str(mixed_folder),
                           str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr
    assert (out / "reports.csv").is_file()  # finished before the kill
    assert not (out / "cells.csv").exists()  # never half there
    assert list(out.glob(f"{TMP_PREFIX}cells.csv*"))  # the kill left only a temporary
    corpus = parse_to_folder([mixed_folder], out, jobs=1, progress=False)
    assert corpus.parsed == 0  # the killed run had filled the cache
    assert not list(out.glob(f"{TMP_PREFIX}*"))
    assert pd.read_csv(out / "cells.csv", encoding="utf-8-sig").shape == corpus.cells.shape


@pytest.mark.slow
def test_a_parser_bug_or_crash_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a.txt")
    (folder / "b_bug.txt").write_text("一", encoding="utf-8")
    (folder / "c_crash.txt").write_text("二", encoding="utf-8")
    shutil.copy(SEED_003, folder / "d.txt")
    cache = ResultCache(tmp_path / "cache")
    corpus = read_corpus(folder, jobs=2, parser=troublesome_parser, cache=cache, progress=False)
    status = {Path(s).name: st for s, st in zip(corpus.reports["source"],
                                                corpus.reports["status"], strict=True)}
    assert status == {"a.txt": "ok", "b_bug.txt": "error", "c_crash.txt": "error",
                      "d.txt": "warning"}
    msg = dict(zip(corpus.reports["source"].map(lambda s: Path(s).name),
                   corpus.reports["message"], strict=True))
    assert "RuntimeError" in msg["b_bug.txt"]
    assert "crashed" in msg["c_crash.txt"]
    # a bug or a crash is not remembered: the next run of that parser tries those two
    # files again, and takes the other two from the cache
    again = read_corpus(folder, jobs=2, parser=troublesome_parser, cache=cache, progress=False)
    assert (again.parsed, again.cached) == (2, 2)
    # the default parser's results are kept apart from another parser's: none is cached
    plain = read_corpus(folder, jobs=1, cache=cache, progress=False)
    assert (plain.parsed, plain.cached) == (4, 0)


@pytest.mark.slow
def test_an_interrupted_run_keeps_what_it_parsed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a.txt")
    shutil.copy(SEED_003, folder / "b.txt")
    (folder / "c_interrupt.txt").write_text("三", encoding="utf-8")
    cache = ResultCache(tmp_path / "cache")
    with pytest.raises(KeyboardInterrupt):
        read_corpus(folder, jobs=1, parser=troublesome_parser, cache=cache, progress=False)
    # the same parser's next run takes the two files parsed before the interrupt from the
    # cache (the third interrupts it again)
    with pytest.raises(KeyboardInterrupt):
        read_corpus(folder, jobs=1, parser=troublesome_parser, cache=cache, progress=False)
    assert len(list(cache.with_variant(parser_variant(troublesome_parser)).folder.glob("*.json"))) == 2
    (folder / "c_interrupt.txt").unlink()
    again = read_corpus(folder, jobs=1, parser=troublesome_parser, cache=cache, progress=False)
    assert (again.parsed, again.cached) == (0, 2)


def test_two_reports_of_one_agency_and_year_are_flagged(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a.txt")
    # the same report saved again with a trailing line: other bytes, same agency and year
    (folder / "b.txt").write_bytes(SEED_004.read_bytes() + "\n（转载）\n".encode())
    corpus = read_corpus(folder, jobs=1, progress=False)
    assert corpus.reports["status"].tolist() == ["warning", "warning"]
    flagged = corpus.findings[corpus.findings["rule"] == "same_agency_year"]
    assert sorted(flagged["report_id"]) == sorted(corpus.reports["report_id"])
    assert corpus.reports["primary"].tolist() == [True, False]
    assert flagged["message"].iloc[0].endswith(f"is also reported by {folder / 'b.txt'}")


def test_many_reports_of_one_agency_and_year_name_a_few_others(tmp_path):
    # k copies would otherwise give k messages of k - 1 names each
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_bytes(SEED_004.read_bytes() + f"\n（转载{i}）\n".encode())
    corpus = read_corpus(folder, jobs=1, progress=False)
    flagged = corpus.findings[corpus.findings["rule"] == "same_agency_year"]
    assert len(flagged) == 6
    first = flagged["message"].iloc[0]
    assert first.endswith(f"{folder / '1.txt'}, {folder / '2.txt'}, {folder / '3.txt'} and 2 more")
    assert str(folder / "0.txt") not in first


def test_missing_inputs_and_folders(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_bytes(SEED_004.read_bytes())
    (tmp_path / ".hidden.txt").write_bytes(b"x")
    files = list_inputs([tmp_path, tmp_path / "nope.txt"])
    assert [Path(f).name for f in files] == ["r.txt", "nope.txt"]
    corpus = read_corpus([tmp_path, tmp_path / "nope.txt"], jobs=1, progress=False)
    assert corpus.reports["status"].tolist() == ["ok", "error"]
    assert corpus.reports["message"].iloc[1].startswith("file not found")


def test_cli_parse_command(mixed_folder, tmp_path, capsys):
    import argparse

    cli = argparse.ArgumentParser(prog="govopen")
    add_parse_command(cli.add_subparsers())
    args = cli.parse_args(["parse", str(mixed_folder), "-o", str(tmp_path / "o"), "-j", "1",
                           "--no-progress", "-f", "csv"])
    assert args.func(args) == 0
    assert "6 files: 1 ok, 1 warning, 3 error, 1 duplicate" in capsys.readouterr().out
    assert (tmp_path / "o" / "panel.csv").is_file()
    assert not (tmp_path / "o" / "panel.parquet").exists()


def test_development_corpus_carry_and_twins(shared_corpus):
    corpus = read_corpus(shared_corpus / "raw", jobs=2, progress=False)
    reports = corpus.reports
    assert len(reports) == len(list((shared_corpus / "raw").iterdir()))
    assert len(reports) == len(list((shared_corpus / "gold").iterdir()))
    # reports before 2019 print none of the standard tables: read, with a warning saying so
    old = reports[reports["year"] < 2019]
    assert len(old) == 11 and (old["status"] == "warning").all()
    assert old["message"].str.contains("no_standard_tables").all()
    assert (reports["status"] != "duplicate").all()  # the HTML twin has other bytes
    # 公安局 carries 1 request from 2021 into 2022: consistent, so no finding
    assert not (corpus.findings["rule"] == "carry_over").any()
    gaj = reports[reports["agency"] == "平潭综合实验区公安局"].set_index("year")
    cells = corpus.cells.set_index(["report_id", "table", "row", "column"])["value"]
    assert cells[(gaj.loc[2021, "report_id"], "requests", "carried_forward", "total")] == 1
    assert cells[(gaj.loc[2022, "report_id"], "requests", "carried_over", "total")] == 1
    html = reports[reports["source"].str.endswith(".html")].iloc[0]
    if html["status"] != "error":  # HTML is read once govopen.read.html is there
        twins = corpus.findings[corpus.findings["rule"] == "same_agency_year"]
        assert html["report_id"] in set(twins["report_id"])


def test_the_gold_stands_in_for_the_parser(tmp_path):
    # the fake used by the panel tests agrees with the real parser where both are exact
    corpus = read_corpus([SEED_004], jobs=1, parser=fake_parse_report, progress=False)
    real = read_corpus([SEED_004], jobs=1, progress=False)
    a = corpus.cells.set_index(["table", "row", "column"])["value"]
    b = real.cells.set_index(["table", "row", "column"])["value"]
    common = a.index.intersection(b.index)
    assert len(common) > 150
    pd.testing.assert_series_equal(a[common], b[common])
    assert os.path.basename(corpus.reports["source"].iloc[0]) == SEED_004.name


@pytest.mark.slow
def test_govopen_parse_command_line(mixed_folder, tmp_path):
    from govopen.cli import main

    out = tmp_path / "out"
    assert main(["parse", str(mixed_folder), "-o", str(out), "-j", "2"]) == 0
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    reports = pd.read_parquet(out / "reports.parquet")
    assert reports["status"].value_counts().to_dict() == {
        "error": 3, "ok": 1, "warning": 1, "duplicate": 1}
