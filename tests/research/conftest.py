"""The datasets the research tests share: the seed reports, with and without the examples."""

from __future__ import annotations

import pytest

from govopen.research import notebook
from tests.support import RAW, REPO

EXAMPLES = REPO / "data" / "examples"


@pytest.fixture(scope="session")
def ds() -> notebook.Dataset:
    return notebook.load_dataset([RAW], EXAMPLES)


@pytest.fixture(scope="session")
def seeds() -> notebook.Dataset:
    return notebook.load_dataset([RAW])
