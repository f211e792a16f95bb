"""What the tests share: paths, the parsed seeds, and the generators of test reports.

``synth`` draws reports with known truth in every layout and fault; ``variants`` rewrites
a seed's text into other layouts; ``format_fixtures`` and ``pdf_fixtures`` make HTML,
DOCX and PDF versions of a report; ``goldfake`` parsers that read gold files or fail on
purpose. Importable from tests and benchmarks alike (``from tests.support import synth``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import govopen

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
SEED_GOLD = REPO / "tests" / "data" / "seed_gold"
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


SEED_004 = seed_path("004")  # 伊川县人民政府 2020, 2019 template
SEED_003 = seed_path("003")  # 宝清县人民政府 2024, its balance fails

# The text of a web page that is not a report: it names the subject, but has no tables.
NOT_A_REPORT = """政府信息公开
政府信息公开指南 | 政府信息公开制度 | 政府信息公开工作年度报告 | 网站地图
本网站由某县人民政府办公室主办。联系电话：0000-0000000
"""
