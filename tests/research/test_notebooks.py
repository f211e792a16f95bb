"""The research notebooks: their shape, and a run with parameters other than the defaults.

nbval (``make test``) reruns every notebook with its defaults against the stored
outputs; here one notebook runs through papermill with another year range, one level
and a region given as text, and its outputs are checked against the package's own
numbers for that selection.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from govopen.research import handling, notebook
from tests.support import RAW, REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
EXAMPLES = REPO / "data" / "examples"


def _text(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append(o["text"])
        elif o["output_type"] in ("execute_result", "display_data"):
            out.append(o["data"].get("text/plain", ""))
    return "".join(out)


def test_eight_numbered_notebooks():
    names = [p.stem for p in NOTEBOOKS]
    assert len(names) == 8
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(1, 9)]
    assert all(re.fullmatch(r"\d\d-[a-z]+(-[a-z0-9]+)+", n) for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "version" not in nb.metadata.get("language_info", {})
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0], "exactly one parameters cell, the first code cell"
    params = code[0].source
    assert "lang = " in params and "output = " in params
    assert "check_parameters" in code[1].source, "the next cell validates the parameters"
    assert "import govopen" in code[1].source
    last = code[-1]
    assert "versions()" in last.source and "nbval-ignore-output" in last.metadata["tags"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "stored outputs from one clean run"
    for c in code:
        assert not set(c.metadata) - {"tags"}, "volatile execution metadata left in"
        assert not any(o["output_type"] == "error" for o in c.outputs)
        shown = _text(c)
        assert "<Figure size" not in shown and "<Axes" not in shown
        if c is not last:
            assert "site-packages" not in shown and "Warning" not in shown, shown
    raw = path.read_text(encoding="utf-8")
    assert "/work/" not in raw and "/home/" not in raw and "/tmp/" not in raw


def test_notebooks_do_no_parsing_or_indicator_arithmetic():
    for path in NOTEBOOKS:
        if path.stem.startswith("07"):
            continue  # the class exercise does the arithmetic by hand, on purpose
        source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                           if c.cell_type == "code")
        assert "parse_report" not in source and "read_csv" not in source, path.stem
        assert not re.search(r"\]\s*/\s*\w+\[", source), f"{path.stem}: a ratio in a notebook"


@pytest.mark.slow
def test_a_notebook_runs_with_other_parameters(tmp_path):
    """02 with 2022–2024, county level only, region '35' (Fujian) passed as text."""
    import papermill as pm

    figures_dir = tmp_path / "figures"
    params = dict(inputs=[str(RAW)], examples=str(EXAMPLES), years=[2022, 2023, 2024],
                  level="county", region="35", output=str(figures_dir))
    out = tmp_path / "02.ipynb"
    pm.execute_notebook(str(REPO / "notebooks" / "02-what-happens-to-requests.ipynb"),
                        str(out), parameters=params, kernel_name="python3",
                        cwd=str(REPO / "notebooks"), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(_text(c) for c in nb.cells if c.cell_type == "code")
    assert "years: 2022–2024; level: county; region: 35" in text

    expected = notebook.load_dataset([RAW], EXAMPLES, years=[2022, 2023, 2024],
                                     level="county", region="35")
    assert set(expected.panel["year"]) == {2022, 2023, 2024}
    assert expected.panel["province"].eq("福建省").all()  # 宝清县 (Heilongjiang) left out
    assert expected.sample() in text
    pooled = handling.outcome_shares(expected.panel.assign(all="all"), by="all").iloc[0]
    assert f"Pooled over {pooled['requests']:.0f} requests handled" in text
    shown = next(c for c in nb.cells if c.cell_type == "code"
                 and c.source.strip().startswith("shares = "))
    for year in (2022, 2024):
        assert f"\n{year} " in _text(shown)
    for year in (2019, 2020, 2021, 2025):
        assert f"\n{year} " not in _text(shown)
    pngs = sorted(p.name for p in figures_dir.glob("*.png"))
    assert pngs == ["02-applicant-types.png", "02-longer-view.png", "02-outcome-shares.png",
                    "02-request-volume.png"]
    # the longer view keeps level and region but every year; the rest stays 2022–2024
    assert "so they stay 2022–2024." in text
    assert not (REPO / "notebooks" / "02.ipynb").exists()
