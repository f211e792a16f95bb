"""The blank official template: each seed's tables with every number cell empty and the
merged label cells kept (section 三's ``三、本年度办理结果`` rowspan, the ``（三）不予公开``
group, section 二's colspans), as a DOCX and as a Word 97 .doc. Every cell of the three
tables is found on its row and is ``missing``, never 0; nothing crashes on a merged
label cell with no numbers beside it."""

from __future__ import annotations

import pytest

import govopen
from govopen.read.sources import load
from tests.support import doc_fixtures as df
from tests.support import format_fixtures as ff
from tests.support import parsed_seed

BUILDERS = {
    "docx": ff.seed_docx,
    "doc": lambda seed: df.word_doc(df.seed_blocks(seed)),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_blank_template_gives_every_cell_missing(seed, kind):
    blank = ff.blank_template(seed)
    assert not any(ff._NUMBER.match(c) for row in blank.expected_rows() for c in row)
    data = BUILDERS[kind](blank)
    name = f"{seed.name}-blank.{kind}"
    doc = load(data, name=name)
    assert doc.format == kind
    assert ff.tab_rows(doc.text) == blank.expected_rows()

    report = govopen.parse_report(data, name=name)
    cells = report.cells
    expected = parsed_seed(seed.name[:3]).cells
    assert set(cells["table"]) == {"active", "requests", "reviews"}
    assert sorted(zip(cells["table"], cells["row"], cells["column"], strict=True)) == \
        sorted(zip(expected["table"], expected["row"], expected["column"], strict=True))
    assert (cells["status"] == "missing").all()
    assert cells["value"].isna().all()  # never 0, never a guess
    assert cells["line"].notna().all()  # every row was found by its label
