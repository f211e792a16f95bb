"""The tests' fixtures and markers; the helpers they share are in ``tests.support``.

A test that takes the ``shared`` or ``shared_corpus`` fixture is marked ``needs_shared``
here; tests that reach ../shared another way carry the marker themselves. ``make test-fast``
leaves out ``needs_shared`` and ``slow`` tests (markers declared in pyproject.toml).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import NOT_A_REPORT, SEED_003, SEED_004, SHARED, seed_path

SHARED_FIXTURES = {"shared", "shared_corpus"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.needs_shared)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus" / "gold").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


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
    from tests.support import format_fixtures as ff

    return ff.load_seed(seed_path(request.param))
