"""A collect killed part-way (SIGKILL) and run again ends as a clean run does: the same
files, the same manifest (but the times of fetching), no temporaries left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from govopen.collect import read_manifest
from govopen.collect.manifest import MANIFEST, MANIFEST_COLUMNS
from govopen.files import TMP_PREFIX
from tests.support import REPO

ARGS = ["--delay", "0.15", "--timeout", "0.3", "--retries", "2", "--backoff", "0.01",
        "--no-progress"]


def _collect(sites, out) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "govopen", "collect", str(sites), "-o",
                             str(out), *ARGS], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _rows(folder):
    return sorted(tuple(getattr(r, c) for c in MANIFEST_COLUMNS if c != "fetched_at")
                  for r in read_manifest(folder / MANIFEST))


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST}


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_clean_result(clean_run, tmp_path):
    cms, clean, _, _ = clean_run
    sites = cms.sites_csv(tmp_path / "sites.csv")
    out = tmp_path / "out"
    proc = _collect(sites, out)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (out / MANIFEST).exists() and len((out / MANIFEST).read_text("utf-8").splitlines()) > 6:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(read_manifest(out / MANIFEST))
    assert 5 <= partial < len(read_manifest(clean / MANIFEST)), "killed too late to test"
    again = _collect(sites, out)
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr.decode()
    assert _files(out) == _files(clean)
    assert _rows(out) == _rows(clean)
    assert not [p for p in out.rglob("*") if p.name.startswith(TMP_PREFIX)]
