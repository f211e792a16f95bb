"""The result cache keeps apart what different parsers made of the same bytes: a scan is
an error without OCR and a report (or another error) with it."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from govopen.corpus.cache import ResultCache, parser_variant
from govopen.dataset.folder import CACHE_DIR, parse_to_folder
from govopen.parse.report import parse_report
from tests.support import SEED_004
from tests.support import format_fixtures as ff


def test_each_parser_has_its_own_variant(tmp_path):
    assert parser_variant(None) == parser_variant(parse_report) == ""
    assert parser_variant(functools.partial(parse_report, ocr=False)) == ""
    assert parser_variant(functools.partial(parse_report, ocr=True)) == "ocr"
    other = parser_variant(functools.partial(parse_report, budget=1.0))
    assert other not in ("", "ocr") and other == parser_variant(
        functools.partial(parse_report, budget=1.0))
    cache = ResultCache(tmp_path, "1.0")
    assert cache.with_variant("") is cache
    assert cache.with_variant("ocr").folder == tmp_path / "1.0+ocr"
    assert cache.folder == tmp_path / "1.0"


def _message(corpus, name: str) -> str:
    row = corpus.reports[[Path(s).name == name for s in corpus.reports["source"]]]
    return str(row["message"].iloc[0])


@pytest.mark.slow
def test_an_ocr_run_is_not_served_a_plain_run_s_result(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(ff.scanned_pdf())  # ruled lines, no text
    shutil.copy(SEED_004, folder / "a.txt")
    out = tmp_path / "out"
    with_ocr = functools.partial(parse_report, ocr=True)
    plain = parse_to_folder([folder], out, jobs=1, progress=False)
    assert "no text layer" in _message(plain, "scan.pdf")
    read = parse_to_folder([folder], out, jobs=1, progress=False, parser=with_ocr)
    assert read.parsed == 2, "nothing of the plain run served to the OCR run"
    # OCR finds no text there (or, without the extra, says to install it)
    assert "no text layer" not in _message(read, "scan.pdf")
    assert (out / CACHE_DIR).is_dir()
    again = parse_to_folder([folder], out, jobs=1, progress=False)
    assert again.parsed == 0 and _message(again, "scan.pdf") == _message(plain, "scan.pdf")
    again = parse_to_folder([folder], out, jobs=1, progress=False, parser=with_ocr)
    assert again.parsed == 0 and _message(again, "scan.pdf") == _message(read, "scan.pdf")
