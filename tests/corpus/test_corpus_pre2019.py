"""Reports before 2019 through the corpus: their statistics in ``Corpus.statistics``, kept
by the cache, written by ``parse_to_folder``, and the 历年累计 checked across two years of
one agency by the batch (``checks.cumulative_change``).

The reports are generated (``tests.support.pre2019``): two consecutive years of one county,
the second's cumulative of 主动公开信息数 printed wrong, and a later report of another agency.
"""

from __future__ import annotations

import pandas as pd
import pytest

from govopen.corpus import ResultCache, read_corpus
from govopen.dataset.folder import parse_to_folder
from govopen.fields import STATISTIC_TABLE_COLUMNS
from tests.support import SEED_004
from tests.support.pre2019 import TABLE, pre2019_report, spaced_rows

BROKEN = 9999  # the 2013 cumulative of proactive_items; 5318 + 1207 would be right


def _two_years() -> tuple[str, str]:
    first = pre2019_report(2012, spaced_rows())
    rows = [(k, label, unit, now, total + now) for k, label, unit, now, total in TABLE]
    rows[0] = ("proactive_items", "主动公开信息数", "条", 1207, BROKEN)
    return first, pre2019_report(2013, spaced_rows(rows))


@pytest.fixture
def early_folder(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    first, second = _two_years()
    (folder / "a-2012.txt").write_text(first, encoding="utf-8")
    (folder / "b-2013.txt").write_text(second, encoding="utf-8")
    (folder / "c-later.txt").write_bytes(SEED_004.read_bytes())
    return folder


def _values(corpus, year: int) -> dict[tuple[str, str], float]:
    rid = corpus.reports.set_index("year").loc[year, "report_id"]
    s = corpus.statistics[corpus.statistics["report_id"] == rid]
    return {(r.statistic, r.column): r.value for r in s.itertuples()}


def test_corpus_statistics_and_the_cumulative_check(early_folder):
    corpus = read_corpus(early_folder, jobs=1, progress=False)
    assert list(corpus.statistics.columns) == STATISTIC_TABLE_COLUMNS
    # every value of both tables, and none from the later report
    assert corpus.statistics["report_id"].nunique() == 2
    for year, bump in ((2012, False), (2013, True)):
        got = _values(corpus, year)
        for key, _label, _unit, now, total in TABLE:
            assert got[(key, "this_year")] == now, key
            want = (BROKEN if key == "proactive_items" else total + now) if bump else total
            assert got[(key, "cumulative")] == want, key
    # 2013's cumulative of proactive_items is not 2012's plus 2013's; every other one is
    found = corpus.findings[corpus.findings["rule"] == "cumulative_change"]
    second = corpus.reports.set_index("year").loc[2013]
    assert list(zip(found["report_id"], found["row"], found["column"], strict=True)) == [
        (second["report_id"], "proactive_items", "cumulative")]
    assert "5318" in found["message"].iloc[0] and str(BROKEN) in found["message"].iloc[0]
    assert "cumulative_change (1)" in second["message"]
    assert corpus.statistics["value"].dtype == "float64"
    assert str(corpus.statistics["line"].dtype) == "Int64"


def test_the_cache_keeps_the_statistics(early_folder, tmp_path):
    cache = ResultCache(tmp_path / "cache")
    first = read_corpus(early_folder, jobs=1, cache=cache, progress=False)
    again = read_corpus(early_folder, jobs=1, cache=cache, progress=False)
    assert (again.parsed, again.cached) == (0, 3)
    pd.testing.assert_frame_equal(first.statistics, again.statistics)
    assert len(again.statistics) == 4 * len(TABLE)
    assert (again.findings["rule"] == "cumulative_change").sum() == 1


def test_a_cache_entry_without_statistics_is_parsed_again(early_folder, tmp_path):
    import json

    cache = ResultCache(tmp_path / "cache")
    read_corpus(early_folder, jobs=1, cache=cache, progress=False)
    for entry in cache.folder.iterdir():  # as written before the table existed
        d = json.loads(entry.read_text(encoding="utf-8"))
        del d["statistics"]
        entry.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    again = read_corpus(early_folder, jobs=1, cache=cache, progress=False)
    assert again.parsed == 3 and len(again.statistics) == 4 * len(TABLE)


def _blank(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(object).where(df.notna(), "")


def test_parse_to_folder_writes_the_statistics(early_folder, tmp_path):
    out = tmp_path / "out"
    memory = read_corpus(early_folder, jobs=1, progress=False)
    stored = parse_to_folder(early_folder, out, jobs=1, progress=False, chunk_size=1)
    for ext in ("parquet", "csv"):
        assert (out / f"statistics.{ext}").is_file()
    pd.testing.assert_frame_equal(stored.statistics, memory.statistics)
    csv_only = parse_to_folder(early_folder, tmp_path / "csv", jobs=1, progress=False,
                               formats=["csv"])
    # CSV writes an empty text and a missing one alike
    pd.testing.assert_frame_equal(_blank(csv_only.statistics), _blank(memory.statistics))
    # the check across years sees both years although they sit in different chunks
    assert (stored.findings["rule"] == "cumulative_change").sum() == 1
    codebook = (out / "codebook.md").read_text(encoding="utf-8")
    assert "## `statistics`" in codebook
    import json

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "statistics")
    assert [f["name"] for f in resource["schema"]["fields"]] == STATISTIC_TABLE_COLUMNS


def test_development_corpus_cumulative_breaks(shared_corpus):
    # the zone's seven reports: the README of the corpus names the breaks of 历年累计
    # (2012: 4359 ≠ 1516 + 739; 2016: the request cumulative reset to 0; 2017 re-based to
    # 10037 ≠ 85376 + 2122) and 2013 prints 76424 ≠ 4359 + 72804
    files = sorted((shared_corpus / "raw").glob("pt-zone-*.txt"))
    corpus = read_corpus(files, jobs=2, progress=False)
    years = corpus.reports.set_index("report_id")["year"]
    found = corpus.findings[corpus.findings["rule"] == "cumulative_change"]
    got = sorted(zip(found["report_id"].map(years), found["row"], strict=True))
    assert got == [(2012, "proactive_gazette"), (2012, "proactive_items"),
                   (2012, "proactive_website"), (2013, "proactive_items"),
                   (2013, "proactive_website"), (2016, "replies_granted"),
                   (2016, "replies_total"), (2016, "requests_by_channel_letter_fax"),
                   (2016, "requests_received"), (2017, "proactive_items"),
                   (2017, "proactive_website")]
    message = found[(found["row"] == "proactive_items")]["message"]
    assert any("4359" in m and "1516" in m and "739" in m for m in message)
    # 2014 is 平潭综合实验区管委会, another name: no pair with 2013 or 2015
    assert 2014 not in set(found["report_id"].map(years))
    assert 2015 not in set(found["report_id"].map(years))
    stats = corpus.statistics.merge(corpus.reports[["report_id", "year"]])
    received = stats[(stats["statistic"] == "requests_received")
                     & (stats["column"] == "this_year")].set_index("year")["value"]
    assert received.to_dict() == {2011: 0, 2012: 0, 2013: 0, 2014: 1, 2015: 0, 2016: 0,
                                  2017: 0}
