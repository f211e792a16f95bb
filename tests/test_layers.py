"""The package's layers import one way: read → collect → parse → corpus → dataset → research → cli.

Every import in every module of ``govopen`` (at the top or inside a function) is read
from its syntax tree, resolved to the module it names, and checked: a module imports only
from its own layer, a lower one, or the base modules every layer may use. Within a layer
the imports form no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import govopen

PACKAGE = Path(govopen.__file__).resolve().parent
# the base: the schema (the public contract), the output fields, the rules of findings,
# errors, the version, files written safely
BASE = {"govopen.schema", "govopen.errors", "govopen._version", "govopen.files", "govopen.fields",
        "govopen.findings"}
LAYERS = ("read", "collect", "parse", "corpus", "dataset", "research")
TOP = {"govopen.cli": len(LAYERS), "govopen": len(LAYERS), "govopen.__main__": len(LAYERS)}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def rank(module: str) -> int:
    """-1 for the base, 0 … 5 for the layers, 6 above them."""
    if module in BASE:
        return -1
    if module in TOP:
        return TOP[module]
    return LAYERS.index(module.split(".")[1])


def imports(module: str) -> set[str]:
    """The govopen modules ``module`` imports."""
    path = MODULES[module]
    return imports_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def imports_in(source: str, module: str, is_package: bool = False) -> set[str]:
    """The govopen modules a module of that name and source imports (a name imported
    from a package counts as the submodule of that name when there is one)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("govopen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if not source.startswith("govopen"):
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                found.add(sub if sub in MODULES else source)
    found.discard(module)
    return found


def test_every_module_is_placed_in_a_layer():
    assert {m for m in MODULES if m not in BASE and m not in TOP
            and m.split(".")[1] not in LAYERS} == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    upward = sorted(m for m in imports(module) if rank(m) > rank(module))
    assert upward == [], f"{module} (layer {rank(module)}) imports from above: {upward}"


def test_the_base_imports_only_the_base():
    for module in BASE:
        assert imports(module) <= BASE, module


def test_no_import_cycle():
    graph = {m: imports(m) for m in MODULES}
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    path: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = path[path.index(n):] + [n]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if n not in state:
                walk(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state and m != "govopen":  # the package's own API imports every layer
            walk(m)


def test_the_checker_sees_upward_and_lazy_imports():
    """The rules are not vacuous: the wrapper the corpus module once had, which imported
    the folder writer inside a function (corpus → dataset), is found and ranked upward."""
    source = "def parse_to_folder():\n    from ..dataset.folder import parse_to_folder\n"
    found = imports_in(source, "govopen.corpus.batch")
    assert found == {"govopen.dataset.folder"}
    assert rank("govopen.dataset.folder") > rank("govopen.corpus.batch")
    assert imports_in("from .. import schema\nfrom . import text\n", "govopen.parse.report") == {
        "govopen.schema", "govopen.parse.text"}
