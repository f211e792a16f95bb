"""Every output of govopen over a fixed set of inputs, to show a change leaves them as they were.

    python -m benchmarks.reference_outputs write OUT.json [--shared ../shared]
    python -m benchmarks.reference_outputs compare OLD.json NEW.json

In: the seeds and the development corpus in ``--shared`` (skipped when absent), every report
in ``data/raw``, and generated reports of every layout × fault of ``tests/support/synth.py``
(``--seeds`` per combination). Every file is parsed with ``govopen.parse_report``; then
the real reports and one seed per generated combination are parsed together with
``govopen.parse_to_folder``.

Out (``write``): one JSON file with, per input, a digest of meta, cells, findings, facts and
sections (or the error it raised), and the SHA-256 of every CSV file the folder parse
wrote. ``compare`` prints every input whose outputs differ, and exits 1 when any does.
A reference run, not a test: every parse has a placement budget of ``BUDGET`` seconds, far
more than any of these inputs needs, so that what is settled does not depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import sys
import tempfile
from pathlib import Path

import govopen
from tests.support import synth

REPO = Path(__file__).resolve().parent.parent
PARTS = ("meta", "cells", "findings", "facts", "sections")


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _plain({k: getattr(value, k) for k in value.__dataclass_fields__})
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _digest(obj) -> str:
    text = json.dumps(_plain(obj), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Seconds of placement search a report may take: far more than any input here needs, so
# that no output depends on the speed of the machine.
BUDGET = 60.0


def outputs(source, name: str | None = None) -> dict[str, str]:
    """A digest of each output of one parse, or the error it raised."""
    try:
        r = govopen.parse_report(source, name, budget=BUDGET)
    except Exception as e:  # noqa: BLE001 - the error is part of the output
        return {"error": f"{type(e).__name__}: {e}"}
    meta = dict(_plain(r.meta))
    # the same report gives the same digest from any checkout of the repository
    meta["source"] = str(meta["source"]).replace(str(REPO), "<repo>")
    return {"meta": _digest(meta), "cells": _digest(r.cell_rows),
            "findings": _digest(r.finding_rows), "facts": _digest(r.fact_rows),
            "sections": _digest(r.sections)}


def real_inputs(shared: Path) -> list[Path]:
    folders = [REPO / "data" / "raw", shared / "seeds", shared / "corpus" / "raw"]
    # folder by folder, so that which of two equal files is the duplicate does not depend
    # on where the repository is
    return [p for f in folders if f.is_dir() for p in sorted(f.iterdir())
            if p.is_file() and p.suffix not in (".json", ".md", ".csv")]


def generated(seeds: int):
    for layout, fault, seed, r in synth.every_report(seeds):
        name = f"{layout}-{fault or 'clean'}-{seed}"
        if isinstance(r, str):  # a combination the generator cannot make
            yield name, None, r
        else:
            yield name, r.data, None


def write(out: Path, shared: Path, seeds: int) -> None:
    result: dict[str, dict] = {"parse": {}, "folder": {}}
    for path in real_inputs(shared):
        key = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else f"shared/{path.name}"
        result["parse"][key] = outputs(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder_in = Path(tmp) / "in"
        folder_in.mkdir()
        for name, data, error in generated(seeds):
            if data is None:
                result["parse"][name] = {"generator": error}
                continue
            result["parse"][name] = outputs(data, name)
            if name.endswith("-0"):
                suffix = ".docx" if data[:2] == b"PK" else ".html" if isinstance(data, bytes) else ".txt"
                blob = data if isinstance(data, bytes) else data.encode()
                (folder_in / f"{name}{suffix}").write_bytes(blob)
        folder_out = Path(tmp) / "out"
        govopen.parse_to_folder([*real_inputs(shared), folder_in], folder_out, jobs=1,
                                progress=False,
                                parser=functools.partial(govopen.parse_report, budget=BUDGET))
        for csv in sorted(folder_out.glob("*.csv")):
            text = csv.read_bytes().replace(tmp.encode(), b"<tmp>")
            text = text.replace(str(REPO).encode(), b"<repo>")
            result["folder"][csv.name] = hashlib.sha256(text).hexdigest()[:16]
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(result['parse'])} inputs, {len(result['folder'])} folder files -> {out}")


def compare(old: Path, new: Path) -> int:
    a, b = json.loads(old.read_text()), json.loads(new.read_text())
    differ = 0
    for kind in ("parse", "folder"):
        for key in sorted(set(a[kind]) | set(b[kind])):
            if a[kind].get(key) != b[kind].get(key):
                differ += 1
                print(f"{kind} {key}: {a[kind].get(key)} != {b[kind].get(key)}")
    total = len(a["parse"]) + len(a["folder"])
    print(f"{differ} of {total} outputs differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    w.add_argument("--seeds", type=int, default=3)
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.command == "write":
        write(args.out, args.shared, args.seeds)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
