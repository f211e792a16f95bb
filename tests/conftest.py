"""Shared paths and parsed seeds for the tests."""

from __future__ import annotations

import json
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
