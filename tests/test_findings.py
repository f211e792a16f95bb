"""The registry of rules is complete: every finding a parse or a batch makes names a
registered rule, with the registry's severity, and every registered rule is one the
package can raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import govopen
from govopen.dataset import codebook
from govopen.fields import FINDING_COLUMNS, FINDING_FIELDS
from govopen.findings import RULES, SEVERITIES, Finding
from tests.support import RAW, synth

PACKAGE = Path(govopen.__file__).resolve().parent


def _findings_of_generated_reports():
    for layout, fault, seed, r in synth.every_report(1):
        if not isinstance(r, str):  # a string: a combination the generator cannot make
            yield from govopen.parse_report(r.data, f"{layout}-{fault}-{seed}").finding_rows


@pytest.fixture(scope="module")
def seen() -> dict[str, set[str]]:
    """rule -> the severities it was given, over the seeds, generated reports of every
    layout × fault, and a batch with an empty file, a duplicate and a non-report."""
    rows = [row for p in sorted(RAW.glob("*.txt")) for row in govopen.parse_report(p).finding_rows]
    rows += list(_findings_of_generated_reports())
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row[1], set()).add(row[2])
    return out


@pytest.mark.slow  # parses a generated report of every layout x fault
def test_every_finding_names_a_registered_rule_with_its_severity(seen, mixed_folder):
    corpus = govopen.read_corpus(mixed_folder, jobs=1, progress=False)
    for row in corpus.findings.itertuples():
        seen.setdefault(row.rule, set()).add(row.severity)
    assert {"parse_error", "duplicate", "row_total", "torn_table"} <= set(seen)
    assert {r: s for r, s in seen.items() if r not in RULES} == {}
    assert {r: s for r, s in seen.items() if s != {RULES[r].severity}} == {}


def test_every_rule_is_defined_in_both_languages():
    for rule in RULES.values():
        assert rule.severity in SEVERITIES, rule.name
        assert len(rule.en) > 20, rule.name
        assert re.search(r"[\u4e00-\u9fff]{4}", rule.zh), rule.name


def test_every_rule_can_be_raised():
    """A registered rule's name is spelled where a finding is made (the identities' names
    are the schema's), so the registry lists no rule the package never raises."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                       if p.name != "findings.py")
    named = set(re.findall(r"""["']([a-z_]+)["']""", source))
    assert sorted(r for r in RULES if r not in named) == []


def test_a_finding_takes_its_severity_from_the_registry_and_refuses_unknown_rules():
    f = Finding("label_misprint", "the label printed 'x' was taken as y", "requests")
    assert f.severity == "info"
    assert f.as_row("id")[:4] == ("id", "label_misprint", "info", "requests")
    with pytest.raises(KeyError, match="unknown rule"):
        Finding("no_such_rule", "")
    with pytest.raises(ValueError, match="severity"):
        Finding("unit", "", severity="fatal")


def test_a_finding_row_is_in_the_findings_table_s_column_order():
    row = Finding("unit", "printed in 元", "active", "fees", "amount").as_row("abc")
    assert dict(zip(FINDING_COLUMNS, row, strict=True)) == {
        "report_id": "abc", "rule": "unit", "severity": "warning", "table": "active",
        "row": "fees", "column": "amount", "message": "printed in 元"}


def test_the_codebook_defines_every_rule_in_both_languages():
    book = codebook.markdown()
    for rule in RULES.values():
        assert f"| `{rule.name}` | {rule.severity} | {rule.stage} | {rule.en} | {rule.zh} |" in book
    assert list(codebook.rules()["rule"]) == list(RULES)
    rule_field = next(f for f in FINDING_FIELDS if f.key == "rule")
    assert rule_field.enum == tuple(RULES)
