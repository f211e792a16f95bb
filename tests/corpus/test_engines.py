"""The same batch on every engine, and in chunks: the same tables, byte for byte.

The Dask tests start small in-process ``LocalCluster``s (no network at all).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from govopen.corpus import read_corpus
from govopen.corpus.engines import ordered_results
from govopen.dataset.folder import parse_to_folder
from tests.support import SEED_003, SEED_004, synth
from tests.support.goldfake import troublesome_parser

TABLES = ("reports", "cells", "findings", "panel", "sections", "facts")


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    """A mixed batch: synthetic reports in four layouts, two seeds, a duplicate, junk."""
    folder = tmp_path_factory.mktemp("batch")
    for seed in range(24):
        r = synth.report(seed, ("tabs", "cells", "markdown", "html")[seed % 4])
        (folder / f"r{seed:03d}.{'html' if r.layout == 'html' else 'txt'}").write_bytes(
            r.as_bytes())
    shutil.copy(SEED_004, folder / "s004.txt")
    shutil.copy(SEED_003, folder / "s003.txt")
    shutil.copy(SEED_004, folder / "s004_copy.txt")
    (folder / "z_empty.txt").write_bytes(b"")
    return folder


def read_back(out, name):
    return (out / f"{name}.csv").read_bytes()


def test_process_pool_gives_results_in_input_order():
    tasks = [(str(i), "") for i in range(50)]
    got = list(ordered_results(tasks, _slow_identity, jobs=2, window=4))
    assert got == [str(i) for i in range(50)]


def _slow_identity(path, sha):
    import time

    time.sleep(0.001 * (int(path) % 7))  # later files often finish first
    return path


@pytest.mark.slow
def test_chunked_outputs_are_those_of_one_chunk(synthetic_folder, tmp_path):
    whole = parse_to_folder(synthetic_folder, tmp_path / "whole", jobs=2, progress=False)
    chunked = parse_to_folder(synthetic_folder, tmp_path / "chunked", jobs=2, progress=False,
                              chunk_size=5)
    for name in TABLES:
        assert read_back(tmp_path / "whole", name) == read_back(tmp_path / "chunked", name), name
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "whole" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "chunked" / f"{name}.parquet"))
    # the Corpus returned reads the same tables back
    pd.testing.assert_frame_equal(whole.cells, chunked.cells)
    memory = read_corpus(synthetic_folder, jobs=1, progress=False)
    pd.testing.assert_frame_equal(memory.cells, chunked.cells)
    assert memory.reports["status"].tolist() == chunked.reports["status"].tolist()
    assert (chunked.reports["status"] == "duplicate").sum() == 1


@pytest.mark.slow
def test_dask_engine_matches_the_process_pool(synthetic_folder, tmp_path):
    distributed = pytest.importorskip("distributed")
    pool = parse_to_folder(synthetic_folder, tmp_path / "pool", jobs=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dask = parse_to_folder(synthetic_folder, tmp_path / "dask", progress=False,
                               engine="dask", scheduler=client)
        memory = read_corpus(synthetic_folder, progress=False, engine="dask", scheduler=client)
    for name in TABLES:
        assert read_back(tmp_path / "pool", name) == read_back(tmp_path / "dask", name), name
    pd.testing.assert_frame_equal(pool.reports, dask.reports)
    pd.testing.assert_frame_equal(pool.cells, memory.cells)
    assert dask.parsed == len(set(dask.reports["sha256"].dropna()))


@pytest.mark.slow
def test_dask_engine_parser_failures_do_not_stop_the_batch(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_004, folder / "a.txt")
    (folder / "b_bug.txt").write_text("一", encoding="utf-8")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        corpus = read_corpus(folder, parser=troublesome_parser, progress=False,
                             engine="dask", scheduler=client)
    assert corpus.reports["status"].tolist() == ["ok", "error"]
    assert "RuntimeError" in corpus.reports["message"].iloc[1]


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        read_corpus([SEED_004], engine="spark", progress=False)
