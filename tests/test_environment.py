"""environment.yml names the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

from tests.support import REPO


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(d) for d in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(d) for d in extra}
    env = (REPO / "environment.yml").read_text(encoding="utf-8")
    deps = env.split("dependencies:", 1)[1]
    conda = {_name(m) for m in re.findall(r"^  - ([A-Za-z0-9_.\-]+[^\n:]*)$", deps, re.M)}
    from_pip = {_name(m) for m in re.findall(r"^      - ([A-Za-z0-9_.\-]+[^\n]*)$", deps, re.M)}
    conda = (conda | from_pip) - {"python", "pip", "-e"}
    assert conda == wanted
    assert re.search(r"^      - -e \.$", env, re.M), "environment.yml must install govopen itself"
