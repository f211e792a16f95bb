"""pyproject.toml's extras fit together, and environment.yml names the same dependencies.

pyproject.toml: the runtime dependencies (a plain ``pip install govopen``), one extra per
way of using govopen (``notebooks``, ``test``, ``bench``, ``dask``, ``ocr``, ``collect``) and
``dev``, which names the others (``govopen[notebooks,test,bench,dask,ocr,collect]``). environment.yml: one conda
environment with every one of them, each with the lower bound pyproject.toml gives it.
"""

from __future__ import annotations

import re
import tomllib

from tests.support import REPO

SELF = "govopen"
REQUIREMENT = re.compile(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[([^\]]*)\])?\s*([^;]*)")


def _parse(spec: str) -> tuple[str, set[str], str | None]:
    """'dask[distributed]>=2024.1' → ('dask', {'distributed'}, '2024.1')."""
    m = REQUIREMENT.match(spec)
    assert m, spec
    name = m.group(1).lower().replace("_", "-")
    extras = {e.strip() for e in (m.group(2) or "").split(",") if e.strip()}
    lower = re.search(r">=\s*([^,\s]+)", m.group(3))
    return name, extras, lower.group(1) if lower else None


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _expanded(extras: dict[str, list[str]], extra: str) -> list[str]:
    """The requirements of ``extra``, with ``govopen[...]`` replaced by those extras' own."""
    out = []
    for spec in extras[extra]:
        name, named, _ = _parse(spec)
        if name == SELF:
            for other in sorted(named):
                out += _expanded(extras, other)
        else:
            out.append(spec)
    return out


def _bounds(specs: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for spec in specs:
        name, _, lower = _parse(spec)
        assert out.get(name, lower) == lower, f"{name}: two lower bounds in pyproject.toml"
        out[name] = lower
    return out


def _environment() -> tuple[str, dict[str, str | None]]:
    env = (REPO / "environment.yml").read_text(encoding="utf-8")
    deps = env.split("dependencies:", 1)[1]
    conda = re.findall(r"^  - ([A-Za-z0-9_.\-][^\n:]*)$", deps, re.M)
    from_pip = re.findall(r"^      - ([A-Za-z0-9_.\-][^\n]*)$", deps, re.M)
    bounds = _bounds([s for s in conda + from_pip
                      if not s.startswith("-") and _parse(s)[0] not in ("python", "pip")])
    return env, bounds


def test_the_extras_are_the_ways_to_install():
    extras = _project()["optional-dependencies"]
    assert set(extras) == {"notebooks", "test", "bench", "dask", "ocr", "collect", "dev"}
    for extra, specs in extras.items():
        for spec in specs:
            name, named, lower = _parse(spec)
            if name == SELF:
                assert named and named <= set(extras) - {extra}, f"{extra}: {spec}"
            else:
                assert lower, f"{extra}: {spec} has no lower bound"
    assert {_parse(s)[0] for s in extras["notebooks"]} == {
        "matplotlib", "seaborn", "statsmodels", "linearmodels", "jupyterlab", "papermill"}
    assert "mypy" in {_parse(s)[0] for s in _expanded(extras, "test")}
    # RapidOCR 2.x and later download their models at run time: never allowed
    rapid = next(s for s in extras["ocr"] if _parse(s)[0] == "rapidocr-onnxruntime")
    assert re.search(r"<\s*2\b", rapid), rapid


def test_dev_is_every_other_extra():
    extras = _project()["optional-dependencies"]
    assert all(_parse(s)[0] == SELF for s in extras["dev"]), "dev only names the other extras"
    others = [s for extra in extras if extra != "dev" for s in _expanded(extras, extra)]
    assert _bounds(_expanded(extras, "dev")) == _bounds(others)


def test_environment_matches_pyproject():
    project = _project()
    extras = project["optional-dependencies"]
    wanted = _bounds(list(project["dependencies"])
                     + [s for extra in extras for s in _expanded(extras, extra)])
    env, conda = _environment()
    assert sorted(set(conda) - set(wanted)) == [], "in environment.yml, not in pyproject.toml"
    assert sorted(set(wanted) - set(conda)) == [], "in pyproject.toml, not in environment.yml"
    assert conda == wanted, "the same lower bounds"
    assert re.search(r"^      - -e \.$", env, re.M), "environment.yml must install govopen itself"
