"""Every cell of the five seed reports against values transcribed by hand from the source.

The expected values are the seeds' hand transcriptions (tests/data/seed_gold, in the keys
of SCHEMA.md). Where the text does not let anyone know a value the expectation is
missing, and the cases where the identities decide more, or less, than the transcription
are spelled out below with the reasoning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cell, parsed_seed, seed_gold

SEEDS = ["000", "001", "002", "003", "004"]

# seed 000 prints 予以公开 as '→→→→→→14' (only its total). （七）总计 prints 14 in 自然人
# and every other outcome row is 0 there, so the column sum forces 自然人 = 14 and the
# other applicant cells 0: inferred, not printed.
INFERRED_000 = {("requests", "granted", "natural_person"): 14,
                **{("requests", "granted", c): 0 for c in
                   ("commercial", "research", "public_interest", "legal_services", "other")}}

# seed 001 drops empty cells: '2 0  0  0  0 2' could be 自然人 2 or 商业企业 2 — no row
# prints a nonzero number in a position the identities can pin, so those cells of the
# four rows with requests are missing (every zero row is 0 whatever its positions).
UNKNOWN_001 = {("requests", r, c) for r in ("new_received", "granted", "unable_not_held", "total")
               for c in ("natural_person", "commercial")}


def expected_cells(prefix: str) -> dict:
    gold = seed_gold(prefix)
    out = {}
    for table in ("active", "requests", "reviews"):
        for row, cols in (gold.get(table) or {}).items():
            for col, value in cols.items():
                out[(table, row, col)] = value
    if prefix == "000":
        out.update(INFERRED_000)
    if prefix == "001":
        out.update({k: None for k in UNKNOWN_001})
    return out


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_cell(prefix):
    report = parsed_seed(prefix)
    want = expected_cells(prefix)
    assert want, "no expectations"
    wrong = []
    for (table, row, col), value in want.items():
        got, status = cell(report, table, row, col)
        if value is None:
            if got is not None:
                wrong.append(f"{table}/{row}/{col}: want missing, got {got} ({status})")
        elif got is None or abs(got - value) > 1e-9:
            wrong.append(f"{table}/{row}/{col}: want {value}, got {got} ({status})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("prefix", SEEDS)
def test_no_cell_outside_the_schema(prefix):
    from govopen import schema

    c = parsed_seed(prefix).cells
    for t, rows in c.groupby("table"):
        table = schema.TABLES[t]
        assert set(rows.row) <= set(table.row_keys())
        assert set(rows.column) <= {col.key for col in table.columns}
    assert set(c.status) <= {"parsed", "inferred", "missing"}


def test_seed_000_inferred_cells_say_why():
    c = parsed_seed("000").cells
    granted = c[(c.table == "requests") & (c.row == "granted")].set_index("column")
    parts = granted.drop(index="total")
    assert (parts.status == "inferred").all()
    assert parts.note.str.contains("forced by the identities").all()
    assert (granted.loc["total", "status"], granted.loc["total", "raw"]) == ("parsed", "14")


def test_seed_001_reviews_are_missing_with_a_finding():
    report = parsed_seed("001")
    rev = report.cells[report.cells.table == "reviews"]
    assert len(rev) == 15 and rev.value.isna().all() and (rev.status == "missing").all()
    f = report.findings
    hit = f[(f.table == "reviews") & (f.rule == "undetermined")]
    assert len(hit) == 1 and "0 0 0 1 0 0 0 0 0 0 0" in hit.message.iloc[0]


def test_seed_001_dropped_cells_name_the_rows():
    f = parsed_seed("001").findings
    rows = set(f[(f.table == "requests") & (f.rule == "undetermined")].row)
    assert rows == {"new_received", "granted", "unable_not_held", "total"}
    msg = f[f.row == "new_received"].message.iloc[0]
    # the blank is 0 wherever it stands (the row's total says so): two readings are left
    assert "2 0 0 0 0 2" in msg
    assert "readings that fit: 0|2|0|0|0|0|2 / 2|0|0|0|0|0|2" in msg


def test_seed_001_zero_rows_are_inferred_not_parsed():
    # '二、上年结转政府信息公开申请数量  0  0  0': three zeros printed for seven cells
    v, status = cell(parsed_seed("001"), "requests", "carried_over", "research")
    assert v == 0 and status == "inferred"
    v, status = cell(parsed_seed("001"), "requests", "carried_forward", "research")
    assert v == 0 and status == "parsed"  # '0 0 0 0 0 0 0': all seven printed


def test_seed_003_broken_identity_is_kept_and_flagged():
    report = parsed_seed("003")
    assert cell(report, "requests", "carried_forward", "total") == (1, "parsed")
    assert cell(report, "requests", "total", "total") == (78, "parsed")
    f = report.findings
    bal = f[(f.rule == "balance") & (f.severity == "error")]
    assert set(bal.column) == {"natural_person", "total"}
    msg = bal[bal.column == "total"].message.iloc[0]
    assert "78 + carried_over/total 0 = 78" in msg and "= 79" in msg


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_consistent_seeds_have_no_findings(prefix):
    f = parsed_seed(prefix).findings
    assert f[f.severity != "info"].empty
    # seed 000 names no agency and no place: said, not guessed
    assert list(f.rule) == (["region_unresolved"] if prefix == "000" else [])


@pytest.mark.parametrize("prefix,agency,year,published", [
    ("000", None, 2021, None),
    ("001", "东山县人民政府办公室", 2020, "2021-01-19"),
    ("002", None, 2021, None),
    ("003", "宝清县人民政府", 2024, None),
    ("004", "伊川县人民政府", 2020, None),
])
def test_metadata(prefix, agency, year, published):
    meta = parsed_seed(prefix).meta
    assert (meta.agency, meta.year, meta.published) == (agency, year, published)
    assert len(meta.report_id) == 16


@pytest.mark.parametrize("prefix,active,requests", [
    ("000", "2021", "2021"), ("001", "2019", "2019"), ("002", "mixed", "2019"),
    ("003", "2021", "2021"), ("004", "2019", "2019"),
])
def test_template_detected_per_table(prefix, active, requests):
    t = parsed_seed(prefix).meta.templates
    assert (t["active"], t["requests"]) == (active, requests)


def test_seed_002_mixed_section_two_keeps_each_rows_columns():
    report = parsed_seed("002")
    assert cell(report, "active", "regulations", "made") == (0, "parsed")  # 2019 header
    assert cell(report, "active", "licensing", "decisions") == (7032, "parsed")  # 2021 header
    assert cell(report, "active", "fees", "amount") == (333.3, "parsed")
    assert not (report.cells.row == "procurement").any()  # a 2019-only row it does not print


def test_every_value_keeps_where_it_came_from():
    report = parsed_seed("004")
    c = report.cells
    lic = c[(c.row == "licensing") & (c.column == "decisions")].iloc[0]
    assert lic.raw == "49822"
    line = Path(report.meta.source).read_text(encoding="utf-8").splitlines()[lic.line - 1]
    assert line.startswith("行政许可") and "49822" in line


def test_wide_table():
    t = parsed_seed("004").table("requests")
    assert t.loc["new_received", "total"] == 27
    assert list(t.columns)[-1] == "total" and list(t.index)[0] == "new_received"
    with pytest.raises(KeyError):
        parsed_seed("004").table("nonsense")


def test_prose_is_checked_against_the_table():
    # seed 001: '共受理县政府和县政府办信息公开申请3件' against 一、本年新收 … 2
    report = parsed_seed("001")
    f = report.findings[report.findings.rule == "narrative_requests"]
    assert len(f) == 1 and f.severity.iloc[0] == "warning" and "3" in f.message.iloc[0]
    facts = report.facts
    assert facts[facts.fact == "requests_received"].value.tolist() == [3]
    assert report.sections["preamble"].startswith("长者模式")
    assert report.sections["四"].startswith("四、政府信息公开行政复议")
