"""The core parser reads every format alike: for each seed report, the HTML (UTF-8, and
GBK in a table-layout page with no declaration), DOCX and PDF versions give the same
cells, (table, row, column, value) for each, as the text version."""

from __future__ import annotations

import pandas as pd
import pytest

import govopen
from tests.support import format_fixtures as ff
from tests.support import parsed_seed

BUILDERS = {
    "html": lambda seed: ff.seed_html(seed).encode("utf-8"),
    "html-gbk": lambda seed: ff.seed_html(seed, charset_meta=None, layout_table=True)
    .encode("gbk", errors="xmlcharrefreplace"),
    "docx": ff.seed_docx,
    "pdf": ff.seed_pdf,
}


def _cells(report: govopen.Report) -> pd.DataFrame:
    cells = report.cells[["table", "row", "column", "value"]]
    return cells.sort_values(["table", "row", "column"]).reset_index(drop=True)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("prefix", sorted(p.stem[:3] for p in ff.SEEDS))
def test_same_cells_as_the_text_version(prefix, kind):
    path = next(p for p in ff.SEEDS if p.stem.startswith(prefix))
    seed = ff.load_seed(path)
    report = govopen.parse_report(BUILDERS[kind](seed), name=f"{path.stem}.{kind}")
    assert report.meta.format == kind.split("-")[0]
    pd.testing.assert_frame_equal(_cells(report), _cells(parsed_seed(prefix)))
