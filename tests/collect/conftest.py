"""The fake CMS and one clean collect of it, shared by the collector's tests."""

from __future__ import annotations

import pytest

from govopen.collect.collect import collect
from govopen.collect.polite import Politeness
from govopen.collect.sites import read_sites
from tests.support.fake_cms import build_site_fixture

# Small numbers so the tests are quick; the defaults are tested separately.
FAST = Politeness(delay=0.05, timeout=0.3, retries=2, backoff=0.01)


@pytest.fixture(scope="session")
def cms():
    fx = build_site_fixture()
    yield fx
    fx.stop()


@pytest.fixture(scope="session")
def clean_run(cms, tmp_path_factory):
    """(fixture, output folder, result, index of the first log entry of each host)."""
    out = tmp_path_factory.mktemp("collect")
    sites = read_sites(cms.sites_csv(out.parent / f"{out.name}-sites.csv"))
    marks = (len(cms.a.log), len(cms.b.log))
    result = collect(sites, out, politeness=FAST, progress=False)
    return cms, out, result, marks
