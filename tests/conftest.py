from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from goldfake import SEEDS, SHARED_CORPUS

SEED_004 = SEEDS / "004_5e020ea6cd751a4c.txt"  # 伊川县人民政府 2020, 2019 template
SEED_003 = SEEDS / "003_3f00e38b5daa275f.txt"  # 宝清县人民政府 2024, its balance fails

# The text of a web page that is not a report: it names the subject, but has no tables.
NOT_A_REPORT = """政府信息公开
政府信息公开指南 | 政府信息公开制度 | 政府信息公开工作年度报告 | 网站地图
本网站由某县人民政府办公室主办。联系电话：0000-0000000
"""


@pytest.fixture
def shared_corpus() -> Path:
    if not (SHARED_CORPUS / "raw").is_dir():
        pytest.skip("the development corpus (../shared/corpus) is not beside the repository")
    return SHARED_CORPUS


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
