"""A ``Corpus`` → the agency × year panel: counts, harmonised groups and indicators.

In: a ``Corpus`` from ``read_corpus``. Out: ``build_panel(corpus)``, a DataFrame with
one row per agency and statistics year (the report ``corpus.reports`` marks ``primary``;
reports whose agency or year is unknown cannot be placed and are left out) and exactly
the columns ``panel_fields()`` describes, in that order:

* who, where and when: agency, year, the region (province … agency_kind), report_id,
  source, n_reports, template_<table>;
* flags: ``identities_hold`` and ``fails_<rule>`` for each identity of the schema, and
  ``carry_over_mismatch`` (the cross-year check), so analyses can keep or drop reports;
* section 三: ``requests_<row>`` — the 总计 column of every row, the 2019 and 2021 rows
  under their own keys; ``requests_group_<group>`` — each outcome group added up under
  the report's own template, so ``requests_group_other`` is the 2019 ``other`` row or
  the sum of the three 2021 ``other_*`` rows;
* section 四: ``reviews_<row>_<column>``; section 二: ``active_<row>_<column>``, every
  cell of either template under its own key;
* the ``INDICATORS``, each defined once below; the codebook prints those definitions.

A sum is missing when any of its terms is; a rate is missing when its denominator is
0 or missing — never 0 and never infinite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus.checks import agency_key
from ..corpus.tables import Corpus
from ..fields import REPORT_FIELDS, TEMPLATE_COLUMNS, Field
from ..findings import CORPUS_RULES
from ..parse.facts import FACTS, PANEL_FACTS, stated
from ..schema import (
    ACTIVE,
    OUTCOME_GROUPS,
    REQUESTS,
    REVIEW_PARTS,
    REVIEWS,
    RULES,
    TEMPLATES,
    columns_for,
)


def requests_col(row: str) -> str:
    return f"{REQUESTS.name}_{row}"


def group_col(group: str) -> str:
    return f"{REQUESTS.name}_group_{group}"


def reviews_col(row: str, column: str) -> str:
    return f"{REVIEWS.name}_{row}_{column}"


def active_col(row: str, column: str) -> str:
    return f"{ACTIVE.name}_{row}_{column}"


def fails_col(rule: str) -> str:
    return f"fails_{rule}"


def group_rows(group: str, template: str) -> tuple[str, ...]:
    return tuple(r.key for r in REQUESTS.rows if r.group == group and template in r.templates)


# The schema names the outcome groups; these are their labels.
GROUP_LABELS = {
    "granted": ("予以公开与部分公开", "Granted in full or in part"),
    "denied": ("不予公开", "Denied"),
    "unable": ("无法提供", "Unable to provide"),
    "not_processed": ("不予处理", "Not processed"),
    "other": ("其他处理", "Other handling"),
}
assert tuple(GROUP_LABELS) == OUTCOME_GROUPS


@dataclass(frozen=True)
class Indicator:
    """``sum(numerator) / sum(denominator)`` over panel columns."""

    key: str
    zh: str
    en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    meaning: str

    @property
    def definition(self) -> str:
        return (f"{self.meaning}: ({' + '.join(self.numerator)}) / "
                f"({' + '.join(self.denominator)}); missing when the denominator is 0 or "
                "missing, or a term is missing")

    def compute(self, panel: pd.DataFrame) -> pd.Series:
        num = _sum(panel, self.numerator)
        den = _sum(panel, self.denominator)
        return (num / den.where(den != 0)).astype("float64")


_HANDLED = (requests_col("total"),)
_CONCLUDED = tuple(p for p in REVIEW_PARTS if p != "pending")

INDICATORS = (
    Indicator("disclosure_rate", "公开率", "Disclosure rate",
              (requests_col("granted"), requests_col("partially_granted")), _HANDLED,
              "requests granted in full or in part per request handled"),
    Indicator("full_grant_rate", "全部公开率", "Full grant rate",
              (requests_col("granted"),), _HANDLED,
              "requests granted in full per request handled"),
    Indicator("exemption_rate", "不予公开率", "Exemption rate",
              tuple(map(requests_col, group_rows("denied", "2021"))), _HANDLED,
              "requests denied on one of the eight grounds per request handled"),
    Indicator("unable_rate", "无法提供率", "Unable-to-provide rate",
              tuple(map(requests_col, group_rows("unable", "2021"))), _HANDLED,
              "requests the agency could not answer per request handled"),
    Indicator("not_processed_rate", "不予处理率", "Not-processed rate",
              tuple(map(requests_col, group_rows("not_processed", "2021"))), _HANDLED,
              "requests not processed per request handled"),
    *(Indicator(f"{row.key}_correction_rate", f"{row.zh}纠错率", f"{row.en}: correction rate",
                (reviews_col(row.key, "corrected"),),
                tuple(reviews_col(row.key, p) for p in _CONCLUDED),
                "cases whose result was corrected per case concluded (pending cases left out)")
      for row in REVIEWS.rows),
    Indicator("dispute_intensity", "争议强度", "Dispute intensity",
              tuple(reviews_col(row.key, "total") for row in REVIEWS.rows), _HANDLED,
              "administrative reviews and lawsuits per request handled"),
)


def _sum(df: pd.DataFrame, columns) -> pd.Series:
    return df[list(columns)].sum(axis=1, min_count=len(columns))


def _active_cells() -> list[tuple[str, str]]:
    """Every (row, column) of section 二 under either template, in schema order."""
    out: list[tuple[str, str]] = []
    for row in ACTIVE.rows:
        for template in TEMPLATES[::-1]:  # 2021 first: the current template
            out += [(row.key, c) for c in columns_for(ACTIVE.name, row.key, template)
                    if (row.key, c) not in out]
    return out


_REGION = ("province", "city", "county", "adcode", "level", "agency_kind")


def panel_fields() -> list[Field]:
    """Every panel column, in order, with its labels, type, unit and definition."""
    report = {f.key: f for f in REPORT_FIELDS}
    fields = [*(report[k] for k in ("agency", "year", *_REGION, "report_id", "source")),
              Field("n_reports", "报告份数", "Reports given", "integer",
                    definition="parsed reports of this agency and year; the panel uses one "
                               "(reports.primary)"),
              *(report[col] for col in TEMPLATE_COLUMNS.values()),
              Field("identities_hold", "勾稽关系成立", "Identities hold", "boolean",
                    definition="no identity of the report failed (no fails_* column is true)"),
              *(Field(fails_col(rule), f"{rule} 不成立", f"Fails {rule}", "boolean",
                      definition=f"an identity failed: {text}") for rule, text in RULES.items()),
              Field("carry_over_mismatch", "跨年结转不一致", "Carry-over mismatch", "boolean",
                    definition=CORPUS_RULES["carry_over"])]
    total = REQUESTS.column("total")
    for row in REQUESTS.rows:
        fields.append(Field(
            requests_col(row.key), f"{row.zh}（{total.zh}）", f"{row.en} ({total.en.lower()})",
            "number", "count",
            f"section 三, row {row.key}, column total; template {'/'.join(sorted(row.templates))}"))
    for group, (zh, en) in GROUP_LABELS.items():
        parts = {t: " + ".join(group_rows(group, t)) for t in TEMPLATES}
        how = (f"{parts['2019']} (2019 template); {parts['2021']} (2021 template)"
               if parts["2019"] != parts["2021"] else parts["2021"])
        fields.append(Field(group_col(group), f"{zh}（合计）", f"{en} (sum)", "number", "count",
                            f"outcome group {group}, total column, harmonised: {how}"))
    for row in REVIEWS.rows:
        for col in REVIEWS.columns:
            fields.append(Field(reviews_col(row.key, col.key), f"{row.zh}{col.zh}",
                                f"{row.en}: {col.en}", "number", col.unit,
                                f"section 四, row {row.key}, column {col.key}"))
    for row_key, col_key in _active_cells():
        row, col = ACTIVE.row(row_key), ACTIVE.column(col_key)
        templates = sorted(t for t in TEMPLATES if col_key in row.columns.get(t, ()))
        fields.append(Field(active_col(row_key, col_key), f"{row.zh}：{col.zh}",
                            f"{row.en}: {col.en}", "number", col.unit,
                            f"section 二, row {row_key}, column {col_key}; "
                            f"template {'/'.join(templates)}"))
    for fact in FACTS:
        if fact.key in PANEL_FACTS:
            fields.append(Field(fact_col(fact.key), f"正文：{fact.zh}", f"Text: {fact.en}",
                                "number", fact.unit,
                                f"{fact.definition} The one value stated with the best "
                                "confidence; missing where the prose does not state it or "
                                "states two different values (see the facts table)."))
    for ind in INDICATORS:
        fields.append(Field(ind.key, ind.zh, ind.en, "number", "ratio", ind.definition))
    return fields


def fact_col(key: str) -> str:
    return f"text_{key}"


def build_panel(corpus: Corpus) -> pd.DataFrame:
    """One row per agency × year; see the module docstring for the columns."""
    columns = [f.key for f in panel_fields()]
    reports = corpus.reports[corpus.reports["primary"].astype(bool)]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    ids = pd.Index(reports["report_id"], name="report_id")
    cells = corpus.cells[corpus.cells["report_id"].isin(ids)]
    values = (cells.drop_duplicates(["report_id", "table", "row", "column"])
              .set_index(["table", "row", "column", "report_id"])["value"].sort_index())

    def cell(table: str, row: str, column: str) -> pd.Series:
        try:
            return values.loc[(table, row, column)].reindex(ids).astype("float64")
        except KeyError:
            return pd.Series(np.nan, index=ids)

    out = {c: reports[c].to_numpy() for c in ("agency", "year", *_REGION, "report_id",
                                               "source", *TEMPLATE_COLUMNS.values())}
    parsed = corpus.reports[corpus.reports["status"].isin(["ok", "warning"])]
    count = parsed.groupby([parsed["agency"].map(agency_key), "year"]).size()
    out["n_reports"] = [int(count.get((agency_key(a), y), 1))
                        for a, y in zip(reports["agency"], reports["year"], strict=True)]

    found = corpus.findings[corpus.findings["report_id"].isin(ids)]
    failed = found[found["severity"] == "error"]
    for rule in RULES:
        out[fails_col(rule)] = ids.isin(failed.loc[failed["rule"] == rule, "report_id"])
    out["identities_hold"] = ~ids.isin(failed.loc[failed["rule"].isin(RULES), "report_id"])
    out["carry_over_mismatch"] = ids.isin(found.loc[found["rule"] == "carry_over", "report_id"])

    for row in REQUESTS.rows:
        out[requests_col(row.key)] = cell(REQUESTS.name, row.key, "total").to_numpy()
    template = _requests_template(reports, out)
    for group in GROUP_LABELS:
        by_template = {t: _sum(pd.DataFrame({r: out[requests_col(r)] for r in group_rows(group, t)}),
                               group_rows(group, t)) for t in TEMPLATES}
        out[group_col(group)] = np.where(template == "2019", by_template["2019"],
                                         by_template["2021"])
    for row in REVIEWS.rows:
        for col in REVIEWS.columns:
            out[reviews_col(row.key, col.key)] = cell(REVIEWS.name, row.key, col.key).to_numpy()
    for row_key, col_key in _active_cells():
        out[active_col(row_key, col_key)] = cell(ACTIVE.name, row_key, col_key).to_numpy()

    facts = corpus.facts
    candidates: dict[tuple, list] = {}  # (report_id, fact) -> [(value, confidence)]
    for rid, fact, value, confidence in zip(facts["report_id"], facts["fact"], facts["value"],
                                            facts["confidence"], strict=True):
        candidates.setdefault((rid, fact), []).append((value, confidence))
    for key in PANEL_FACTS:
        out[fact_col(key)] = [stated(candidates.get((r, key), ())) for r in ids]

    panel = pd.DataFrame(out)
    for ind in INDICATORS:
        panel[ind.key] = ind.compute(panel)
    panel = panel.sort_values(["agency", "year"], kind="stable").reset_index(drop=True)
    return panel[columns]


def _requests_template(reports: pd.DataFrame, out: dict) -> np.ndarray:
    """Section 三's template per report; a mixed or unknown one is read from which
    'other' rows carry values (the 2019 single row, else the 2021 rows)."""
    declared = reports[TEMPLATE_COLUMNS[REQUESTS.name]].to_numpy(dtype=object)
    only_2019 = [r for r in group_rows("other", "2019") if r not in group_rows("other", "2021")]
    has_2019 = pd.DataFrame({r: out[requests_col(r)] for r in only_2019}).notna().any(axis=1)
    guessed = np.where(has_2019.to_numpy(), "2019", "2021")
    return np.where(np.isin(declared, TEMPLATES), declared, guessed)
