"""Shared paths and parsed seeds for the tests."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest

import govopen

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SEED_GOLD = Path(__file__).parent / "data" / "seed_gold"
SHARED = REPO.parent / "shared"


def seed_path(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*.txt"))


@cache
def parsed_seed(prefix: str) -> govopen.Report:
    return govopen.parse_report(seed_path(prefix))


def seed_gold(prefix: str) -> dict:
    return json.loads(next(SEED_GOLD.glob(f"{prefix}_*.json")).read_text(encoding="utf-8"))


def cell(report: govopen.Report, table: str, row: str, column: str):
    """(value or None, status) of one cell."""
    c = report.cells
    hit = c[(c.table == table) & (c.row == row) & (c.column == column)]
    assert len(hit) == 1, f"{table}/{row}/{column}: {len(hit)} cells"
    v = hit.value.iloc[0]
    return (None if v != v else v), hit.status.iloc[0]


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus" / "gold").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


# --- corpus, panel and codebook tests ---------------------------------------------------

SEED_004 = seed_path("004")  # 伊川县人民政府 2020, 2019 template
SEED_003 = seed_path("003")  # 宝清县人民政府 2024, its balance fails

# The text of a web page that is not a report: it names the subject, but has no tables.
NOT_A_REPORT = """政府信息公开
政府信息公开指南 | 政府信息公开制度 | 政府信息公开工作年度报告 | 网站地图
本网站由某县人民政府办公室主办。联系电话：0000-0000000
"""


@pytest.fixture
def shared_corpus(shared) -> Path:
    return shared / "corpus"


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """Good reports, an empty file, a binary file, a duplicate and a non-report page."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a_yichuan_2020.txt")
    shutil.copy(SEED_003, folder / "b_baoqing_2024.txt")
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_binary.bin").write_bytes(bytes(range(256)) * 8)
    shutil.copy(SEED_004, folder / "e_yichuan_copy.txt")
    (folder / "f_portal.txt").write_text(NOT_A_REPORT, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["000", "001", "002", "003", "004"])
def seed(request):
    """Each seed report's text and tables, for the format readers' fixtures."""
    import format_fixtures as ff

    return ff.load_seed(seed_path(request.param))
