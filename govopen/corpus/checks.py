"""The checks that need several files: the reports table → findings across files.

In: the reports table of a batch (one row per input, ``REPORT_COLUMNS``) and, for the
carry-over check, the two rows of section 三 that cross years, per report; for the
cumulative check, the pre-2019 reports' statistics. Out: findings as dicts in
``FINDING_COLUMNS`` (``same_agency_year``, ``carry_over``, ``cumulative_change``), which report the
panel uses for each agency and year (``choose_primary``), and each parsed report's status
and message from its errors and warnings (``settle_status``). Every rule checked here is in
the registry of ``govopen.findings`` (``CORPUS_RULES``: those of this stage).
"""

from __future__ import annotations

import re

import pandas as pd

from ..fields import FINDING_COLUMNS
from ..findings import CORPUS_RULES, Finding
from ..schema import REQUESTS

SERIOUS = ("error", "warning")  # findings that turn a report's status to 'warning'
SAME_AGENCY_SHOWN = 3  # other files named in a same_agency_year finding

CARRY_ROWS = ("carried_over", "carried_forward")  # the two rows of section 三 that cross years
CARRY_CELLS = [(row, c.key) for row in CARRY_ROWS for c in REQUESTS.columns]


def finding(report_id, rule, message, table=None, row=None, column=None) -> dict:
    """One finding about the file ``report_id``, with the keys of ``FINDING_COLUMNS``; where
    a check across files names no table, row or column, they are None."""
    return dict(zip(FINDING_COLUMNS, Finding(rule, message, table, row, column).as_row(report_id),
                    strict=True))


def agency_key(agency) -> str | None:
    """The agency name compared across reports: blanks removed, else exact."""
    if not isinstance(agency, str) or not agency.strip():
        return None
    return re.sub(r"\s+", "", agency)


def _candidates(reports: pd.DataFrame) -> pd.DataFrame:
    """Distinct parsed reports whose agency and year are known."""
    keys = reports["agency"].map(agency_key)
    ok = reports["status"].isna() & keys.notna() & reports["year"].notna()
    return reports[ok].assign(akey=keys[ok])


def choose_primary(reports: pd.DataFrame) -> pd.Series:
    """True for the one report the panel uses for its agency and year."""
    # Of several reports of one agency and year, the panel uses the one with the fewest
    # error findings, then the most values, then the first given.
    c = _candidates(reports).assign(_order=lambda d: range(len(d)))
    c = c.sort_values(["akey", "year", "n_errors", "n_values", "_order"],
                      ascending=[True, True, True, False, True])
    chosen = c.drop_duplicates(["akey", "year"]).index
    return pd.Series(reports.index.isin(chosen), index=reports.index)


def same_agency_year(reports: pd.DataFrame) -> list[dict]:
    c = _candidates(reports)
    c = c[c.duplicated(["akey", "year"], keep=False)]
    out = []
    for (_, year), group in c.groupby(["akey", "year"], sort=True):
        sources = list(group["source"])
        for rid, agency, source in zip(group["report_id"], group["agency"], sources, strict=True):
            # a few names, not all: k reports of one agency and year would otherwise
            # give k messages of k - 1 names each
            others = [s for s in sources if s != source]
            shown = ", ".join(others[:SAME_AGENCY_SHOWN])
            if len(others) > SAME_AGENCY_SHOWN:
                shown += f" and {len(others) - SAME_AGENCY_SHOWN} more"
            out.append(finding(rid, "same_agency_year",
                               f"{agency} {year} is also reported by {shown}"))
    return out


def carry_over(reports: pd.DataFrame, carry: pd.DataFrame) -> list[dict]:
    """``carry``: a row per report_id, a column per cell of ``CARRY_CELLS``."""
    c = _candidates(reports)
    prim = c[c["primary"]]
    by_year = {(r.akey, int(r.year)): r.report_id for r in prim.itertuples()}
    at = {rid: i for i, rid in enumerate(carry.index)}
    values = carry.to_numpy()
    now_at = {c.key: CARRY_CELLS.index(("carried_over", c.key)) for c in REQUESTS.columns}
    before_at = {c.key: CARRY_CELLS.index(("carried_forward", c.key)) for c in REQUESTS.columns}
    out = []
    for (agency, year), rid in by_year.items():
        prev = by_year.get((agency, year - 1))
        if prev is None or rid not in at or prev not in at:
            continue
        for col in (c.key for c in REQUESTS.columns):
            now = values[at[rid], now_at[col]]
            before = values[at[prev], before_at[col]]
            if pd.notna(now) and pd.notna(before) and now != before:
                out.append(finding(
                    rid, "carry_over",
                    f"{REQUESTS.row('carried_over').zh} {year}: {now:g}, but "
                    f"{REQUESTS.row('carried_forward').zh} {year - 1}: {before:g} "
                    f"(report {prev})", REQUESTS.name, "carried_over", col))
    return out


def cumulative_change(reports: pd.DataFrame, statistics: pd.DataFrame) -> list[dict]:
    """A pre-2019 statistic's 历年累计 against the same agency's year before: the cumulative
    of year t should be that of t−1 plus year t's value. ``statistics``: report_id,
    statistic, column (this_year | cumulative), value — the reports' ``statistics``."""
    c = _candidates(reports)
    prim = c[c["primary"]] if "primary" in c else c
    by_year = {(r.akey, int(r.year)): r.report_id for r in prim.itertuples()}
    known = statistics[statistics["value"].notna()]
    values = {(r.report_id, r.statistic, r.column): r.value for r in known.itertuples()}
    out = []
    for (agency, year), rid in sorted(by_year.items()):
        prev = by_year.get((agency, year - 1))
        if prev is None:
            continue
        for key in sorted({s for r, s, _c in values if r == rid}):
            now = values.get((rid, key, "this_year"))
            total = values.get((rid, key, "cumulative"))
            before = values.get((prev, key, "cumulative"))
            if now is None or total is None or before is None or before + now == total:
                continue
            out.append(finding(
                rid, "cumulative_change",
                f"{key} {year}: 历年累计 {total:g}, but {year - 1}'s {before:g} plus this "
                f"year's {now:g} is {before + now:g} (report {prev}); a re-based or misprinted "
                "cumulative", "pre2019", key, "cumulative"))
    return out


def settle_status(reports: pd.DataFrame, serious: pd.DataFrame) -> None:
    """Status and message of every parsed report, from its errors and warnings
    (``serious``: report_id, rule, in the order the findings table lists them)."""
    # a duplicate's finding shares the report_id of the original, which stays as it is
    serious = serious[serious["rule"] != "duplicate"]
    notes: dict[str, list[str]] = {}
    for (rid, rule), n in serious.groupby("report_id")["rule"].value_counts().items():
        notes.setdefault(rid, []).append(f"{rule} ({n})")
    todo = reports["status"].isna()
    unknown = (reports["agency"].map(agency_key).isna() | reports["year"].isna())[todo]
    messages = []
    for rid, unknown_one in zip(reports.loc[todo, "report_id"], unknown, strict=True):
        said = list(notes.get(rid, ()))
        if unknown_one:
            said.append("agency or year unknown")
        messages.append(said)
    reports.loc[todo, "status"] = ["warning" if m else "ok" for m in messages]
    reports.loc[todo, "message"] = ["; ".join(m) for m in messages]


__all__ = ["CORPUS_RULES", "SERIOUS", "SAME_AGENCY_SHOWN", "CARRY_ROWS", "CARRY_CELLS",
           "finding", "agency_key", "choose_primary", "same_agency_year", "carry_over",
           "cumulative_change",
           "settle_status"]
