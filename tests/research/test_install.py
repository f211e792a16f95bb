"""What a plain install gives: the parser and dataset tools import without the notebook
libraries, and ``govopen.research`` says which extra it needs when they are missing.

Each case runs in a fresh interpreter with the libraries blocked (``sys.modules[name] =
None`` makes ``import name`` fail as if it were not installed)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import REPO

NOTEBOOK_ONLY = ("matplotlib", "seaborn", "statsmodels", "linearmodels", "jupyterlab",
                 "papermill")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_the_parser_and_dataset_tools_need_no_notebook_library():
    blocked = "; ".join(f"sys.modules[{n!r}] = None" for n in NOTEBOOK_ONLY)
    run = _run(f"import sys; {blocked}\n"
               "import govopen, govopen.cli, govopen.dataset.folder, govopen.dataset.examples\n"
               "print(govopen.__file__)")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(REPO / "govopen" / "__init__.py")


def test_plain_imports_load_no_notebook_library():
    run = _run("import sys\n"
               "import govopen, govopen.cli, govopen.dataset.folder, govopen.dataset.examples\n"
               f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(NOTEBOOK_ONLY)!r}))")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.slow  # a fresh interpreter for each
@pytest.mark.parametrize("missing, module", [("matplotlib", "govopen.research"),
                                             ("matplotlib", "govopen.research.handling"),
                                             ("statsmodels", "govopen.research.models")])
def test_research_without_the_extra_names_it(missing, module):
    run = _run(f"import sys; sys.modules[{missing!r}] = None\n"
               f"try:\n    import {module}\n"
               "except ImportError as e:\n    print(type(e).__name__, e)\n"
               "else:\n    print('imported')")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ImportError"), run.stdout
    assert missing in run.stdout
    assert "pip install 'govopen[notebooks]'" in run.stdout


def test_what_research_checks_for_is_in_the_notebooks_extra():
    import tomllib

    from govopen import research

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    notebooks = {re.split(r"[<>=\[ ]", s, maxsplit=1)[0]
                 for s in project["optional-dependencies"]["notebooks"]}
    assert set(research._NEEDED) <= notebooks
