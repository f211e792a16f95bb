"""A ``Corpus`` → the agency × year panel: counts, harmonised groups and indicators.

In: a ``Corpus`` from ``read_corpus``. Out: ``build_panel(corpus)``, a DataFrame with
one row per agency and statistics year (the report ``corpus.reports`` marks ``primary``;
reports whose agency or year is unknown cannot be placed and are left out) and exactly
the columns ``panel_fields()`` describes, in that order:

* who, where and when: agency, year, ``era`` (standard, or pre2019 for a report on a year
  before the 2019 revision), the region (province … agency_kind), report_id, source,
  n_reports, template_<table>;
* flags: ``identities_hold`` and ``fails_<rule>`` for each identity of the schema, and
  ``carry_over_mismatch`` (the cross-year check), so analyses can keep or drop reports;
* section 三: ``requests_<row>`` — the 总计 column of every row, the 2019 and 2021 rows
  under their own keys; ``requests_group_<group>`` — each outcome group added up under
  the report's own template, so ``requests_group_other`` is the 2019 ``other`` row or
  the sum of the three 2021 ``other_*`` rows;
* section 四: ``reviews_<row>_<column>``; section 二: ``active_<row>_<column>``, every
  cell of either template under its own key;
* ``pre2019_<statistic>``: each statistic of a report before 2019 (``schema.STATISTICS``,
  the 本年度 column), missing for later reports;
* the ``INDICATORS``, each defined once below; the codebook prints those definitions.

The panel covers 2008 onward. A report before 2019 has standard cells only where the
crosswalk (``schema.CROSSWALK``) calls its statistic comparable, so its section 三 and 四
columns hold those and nothing else. Each indicator is placed across the 2019 revision by
the crosswalk (``indicator_eras``): *comparable* — computed before 2019 from the
statistics its terms correspond to, in the same column; *split* — the pre-2019
counterpart's definition differs, so its values go to a column of their own,
``<indicator>_pre2019``, and the indicator itself is missing before 2019; *none* — no
counterpart, missing before 2019. Nothing is joined across the break that the crosswalk
does not call comparable.

A sum is missing when any of its terms is; a rate is missing when its denominator is
0 or missing — never 0 and never infinite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus.checks import agency_key
from ..corpus.tables import Corpus
from ..fields import REPORT_FIELDS, STATISTIC_TABLE_COLUMNS, TEMPLATE_COLUMNS, Field
from ..findings import CORPUS_RULES
from ..parse.facts import FACTS, PANEL_FACTS, stated
from ..schema import (
    ACTIVE,
    CROSSWALK,
    FIRST_STANDARD_YEAR,
    OUTCOME_GROUPS,
    PRE2019,
    REQUESTS,
    REVIEW_PARTS,
    REVIEWS,
    RULES,
    STATISTICS,
    TEMPLATES,
    columns_for,
    statistic,
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


# --- the indicators across the 2019 revision -------------------------------------------

def pre2019_col(key: str) -> str:
    return f"{PRE2019}_{key}"


def split_col(indicator: str) -> str:
    """The column of an indicator's pre-2019 counterpart, when the two are not comparable."""
    return f"{indicator}_{PRE2019}"


def _cell_of(column: str) -> tuple[str, str, str] | None:
    """The standard cell a panel count column holds (None for a derived column)."""
    for row in REQUESTS.rows:
        if column == requests_col(row.key):
            return (REQUESTS.name, row.key, "total")
    for row in REVIEWS.rows:
        for col in REVIEWS.columns:
            if column == reviews_col(row.key, col.key):
                return (REVIEWS.name, row.key, col.key)
    return None


def _ancestors(key: str) -> set[str]:
    out = set()
    while statistic(key).parent:
        key = statistic(key).parent
        out.add(key)
    return out


def crosswalk_terms(columns) -> tuple[tuple[str, ...], bool] | None:
    """The pre-2019 statistics whose crosswalk cells make up exactly the cells of the panel
    ``columns`` (their sum is the counterpart), and whether every link is comparable;
    None when the statistics do not cover those cells."""
    target = [_cell_of(c) for c in columns]
    if any(t is None for t in target):
        return None
    wanted = set(target)
    links = [link for link in CROSSWALK if link.cells and set(link.cells) <= wanted]
    keys = {link.statistic for link in links}
    # a part is not added beside its total (涉及国家秘密 beside 否决公开)
    links = [link for link in links if not (_ancestors(link.statistic) & keys)]
    if not links or set().union(*(set(link.cells) for link in links)) != wanted:
        return None
    return tuple(link.statistic for link in links), all(link.comparable for link in links)


@dataclass(frozen=True)
class IndicatorEra:
    """How one indicator crosses the 2019 revision (see the module docstring)."""

    indicator: str
    status: str  # comparable | split | none
    numerator: tuple[str, ...] = ()  # the pre-2019 statistics, where there is a counterpart
    denominator: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the crosswalk notes of the links that are not comparable

    @property
    def column(self) -> str:
        """The column that holds the indicator before 2019 ('' when none does)."""
        return {"comparable": self.indicator, "split": split_col(self.indicator)}.get(
            self.status, "")

    @property
    def definition(self) -> str:
        if self.status == "none":
            return ("no pre-2019 counterpart (the crosswalk does not cover its terms): "
                    "missing before 2019")
        how = (f"({' + '.join(self.numerator)}) / ({' + '.join(self.denominator)}) of the "
               "pre-2019 statistics")
        if self.status == "comparable":
            return f"comparable across 2019 (crosswalk): before 2019 {how}"
        return (f"not comparable across 2019 (crosswalk: {'; '.join(self.notes)}): missing "
                f"before 2019, where {split_col(self.indicator)} holds {how}")


def indicator_era(ind: Indicator) -> IndicatorEra:
    num, den = crosswalk_terms(ind.numerator), crosswalk_terms(ind.denominator)
    if num is None or den is None:
        return IndicatorEra(ind.key, "none")
    comparable = num[1] and den[1]
    notes = tuple(link.note for link in CROSSWALK
                  if link.statistic in num[0] + den[0] and not link.comparable)
    return IndicatorEra(ind.key, "comparable" if comparable else "split", num[0], den[0],
                        notes)


def indicator_eras() -> pd.DataFrame:
    """Each indicator across the 2019 revision: comparable, split or none, the pre-2019
    statistics it is computed from, the column holding it before 2019, and why."""
    rows = [indicator_era(ind) for ind in INDICATORS]
    return pd.DataFrame([(e.indicator, e.status, e.status == "comparable", e.column,
                          " + ".join(e.numerator), " + ".join(e.denominator), e.definition)
                         for e in rows],
                        columns=["indicator", "status", "comparable", "pre2019_column",
                                 "pre2019_numerator", "pre2019_denominator", "definition"])


_ERAS = {ind.key: indicator_era(ind) for ind in INDICATORS}
SPLIT = tuple(e for e in _ERAS.values() if e.status == "split")


def _pre2019_rate(stats: pd.DataFrame, era: IndicatorEra) -> pd.Series:
    num = _sum(stats, (pre2019_col(k) for k in era.numerator))
    den = _sum(stats, (pre2019_col(k) for k in era.denominator))
    return (num / den.where(den != 0)).astype("float64")


def _sum(df: pd.DataFrame, columns) -> pd.Series:
    columns = list(columns)
    return df[columns].sum(axis=1, min_count=len(columns))


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
    fields = [*(report[k] for k in ("agency", "year", "era", *_REGION, "report_id", "source")),
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
    for stat in STATISTICS:
        fields.append(Field(pre2019_col(stat.key), f"2019年以前：{stat.zh}",
                            f"Before 2019: {stat.en}", "number", stat.unit,
                            f"the pre-2019 statistic {stat.key} (本年度); missing for a "
                            "report of 2019 or later, or where the report does not state it"))
    for ind in INDICATORS:
        fields.append(Field(ind.key, ind.zh, ind.en, "number", "ratio",
                            f"{ind.definition}. Across the 2019 revision: "
                            f"{_ERAS[ind.key].definition}"))
    for era in SPLIT:
        ind = next(i for i in INDICATORS if i.key == era.indicator)
        fields.append(Field(split_col(ind.key), f"{ind.zh}（2019年以前口径）",
                            f"{ind.en} (pre-2019 definition)", "number", "ratio",
                            f"before 2019 only: ({' + '.join(era.numerator)}) / "
                            f"({' + '.join(era.denominator)}) of the pre-2019 statistics; "
                            f"not joined with {ind.key}: {'; '.join(era.notes)}"))
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
    out["era"] = _era(reports)
    early = out["era"] == PRE2019
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

    stats = getattr(corpus, "statistics", None)
    for key, values_ in _statistics(stats, ids).items():
        out[pre2019_col(key)] = np.where(early, values_, np.nan)

    panel = pd.DataFrame(out)
    for ind in INDICATORS:
        era = _ERAS[ind.key]
        later = ind.compute(panel)
        if era.status == "comparable":
            before = _pre2019_rate(panel, era)
            panel[ind.key] = later.where(~early, before)
        else:  # never joined: missing before 2019, the counterpart in its own column
            panel[ind.key] = later.where(~early)
    for era in SPLIT:
        panel[split_col(era.indicator)] = _pre2019_rate(panel, era).where(early)
    panel = panel.sort_values(["agency", "year"], kind="stable").reset_index(drop=True)
    return panel[columns]


def _era(reports: pd.DataFrame) -> np.ndarray:
    """Each report's era: as the parser said, else by its statistics year."""
    by_year = np.where(pd.to_numeric(reports["year"]).to_numpy() < FIRST_STANDARD_YEAR,
                       PRE2019, "standard")
    said = reports["era"].to_numpy(dtype=object) if "era" in reports else by_year
    return np.array([s if s in ("standard", PRE2019) else y
                     for s, y in zip(said, by_year, strict=True)], dtype=object)


def _statistics(stats: pd.DataFrame | None, ids: pd.Index) -> dict[str, np.ndarray]:
    """The 本年度 value of every pre-2019 statistic, per report of ``ids``."""
    if stats is None or stats.empty:
        return {s.key: np.full(len(ids), np.nan) for s in STATISTICS}
    assert set(STATISTIC_TABLE_COLUMNS) <= set(stats.columns)
    now = stats[(stats["column"] == "this_year") & stats["report_id"].isin(ids)]
    # a statistic the table prints and the prose restates: the table's value
    now = now.assign(_table=now["source"] != "table").sort_values(["_table"], kind="stable")
    now = now.drop_duplicates(["report_id", "statistic"])
    wide = now.pivot(index="report_id", columns="statistic", values="value")
    return {s.key: (wide[s.key].reindex(ids).to_numpy(dtype="float64") if s.key in wide
                    else np.full(len(ids), np.nan)) for s in STATISTICS}


def _requests_template(reports: pd.DataFrame, out: dict) -> np.ndarray:
    """Section 三's template per report; a mixed or unknown one is read from which
    'other' rows carry values (the 2019 single row, else the 2021 rows)."""
    declared = reports[TEMPLATE_COLUMNS[REQUESTS.name]].to_numpy(dtype=object)
    only_2019 = [r for r in group_rows("other", "2019") if r not in group_rows("other", "2021")]
    has_2019 = pd.DataFrame({r: out[requests_col(r)] for r in only_2019}).notna().any(axis=1)
    guessed = np.where(has_2019.to_numpy(), "2019", "2021")
    return np.where(np.isin(declared, TEMPLATES), declared, guessed)
