"""Nothing lost: every input has its row; a killed run, restarted, ends as a clean one; two
runs write the same bytes.

* Any folder — of reports, bad files and copies, under any names — gives a manifest
  (``reports``) that lists exactly its files, once each, in the order they were given.
* ``govopen parse`` killed (with its worker processes) at random points and run again
  over the same output folder finishes with output files byte for byte those of an
  uninterrupted run; a second clean run writes the same bytes as the first.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govopen.corpus import list_inputs, read_corpus
from tests.support import seed_path, synth

pytestmark = pytest.mark.slow

POOL = {
    "seed002": seed_path("002").read_bytes(),
    "seed003": seed_path("003").read_bytes(),
    "seed004": seed_path("004").read_bytes(),
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "page": b"<html><body><h1>404 Not Found</h1></body></html>",
}
NAME = st.text(st.characters(codec="utf-8", exclude_characters="/\\\0", exclude_categories=("Cs", "Cc")),
               min_size=1, max_size=12).filter(lambda s: not s.startswith(".") and s.strip() == s)


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(NAME, st.sampled_from(sorted(POOL))), min_size=1, max_size=8,
                unique_by=lambda t: t[0].casefold()))
def test_the_manifest_lists_exactly_the_inputs(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("in")
    for name, kind in files:
        (folder / f"{name}.txt").write_bytes(POOL[kind])
    given_names = sorted(f"{name}.txt" for name, _ in files)
    corpus = read_corpus(folder, jobs=1, progress=False)
    listed = [Path(s).name for s in corpus.reports["source"]]
    assert listed == [Path(p).name for p in list_inputs(folder)]
    assert sorted(listed) == given_names
    assert corpus.reports["status"].notna().all()
    assert set(corpus.reports["status"]) <= {"ok", "warning", "error", "duplicate"}


# --- killed and restarted ---------------------------------------------------------------

def _folder(root: Path) -> Path:
    folder = root / "reports in"
    folder.mkdir()
    for prefix in ("000", "001", "002", "003", "004"):
        (folder / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    for seed, layout in ((11, "tabs"), (12, "spaces"), (13, "cells"), (14, "html"),
                         (15, "docx"), (16, "glued")):
        ext = {"html": "html", "docx": "docx"}.get(layout, "txt")
        (folder / f"synth_{seed}_{layout}.{ext}").write_bytes(synth.report(seed, layout).as_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "copy of 004.txt").write_bytes(seed_path("004").read_bytes())
    (folder / "not a report.html").write_bytes(POOL["page"])
    return folder


def _command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "govopen.cli", "parse", str(folder), "-o", str(out),
            "-j", "2", "--no-progress"]


def _run(folder: Path, out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(_command(folder, out), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return time.perf_counter() - start


def _results(out: Path) -> int:
    return sum(1 for _ in (out / ".govopen-cache").glob("*/*.json"))


def _killed(folder: Path, out: Path, after: int) -> bool:
    """``govopen parse`` killed, with every process it started, once ``after`` files have
    their result in the cache (a point reached mid-run, whatever the machine's speed);
    False if the run had finished by then."""
    proc = subprocess.Popen(_command(folder, out), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    while proc.poll() is None and _results(out) < after and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is not None:
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return True


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_killed_runs_restart_to_the_same_bytes_and_runs_are_deterministic(tmp_path):
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "clean")
    clean = _outputs(tmp_path / "clean")
    results = _results(tmp_path / "clean")
    assert {"reports.csv", "cells.parquet", "panel.csv", "datapackage.json"} <= set(clean)

    _run(folder, tmp_path / "again")
    again = _outputs(tmp_path / "again")
    assert again.keys() == clean.keys()
    assert [k for k in clean if clean[k] != again[k]] == []

    rng = random.Random(int(os.environ.get("GOVOPEN_KILL_SEED", "20250107")))
    kills = 0
    # once early in the run, once when most results are in
    points = (rng.randint(1, results // 2), rng.randint(results // 2 + 1, results - 1))
    for k, after in enumerate(points):
        out = tmp_path / f"killed{k}"
        if _killed(folder, out, after):
            kills += 1
        _run(folder, out)
        restarted = _outputs(out)
        assert restarted.keys() == clean.keys(), (after, set(restarted) ^ set(clean))
        assert [name for name in clean if clean[name] != restarted[name]] == [], after
    assert kills == 2
