"""The panel → tables of section 三: what happens to requests, who makes them, why they fail.

In: a panel (``govopen.dataset.panel.build_panel``, or ``Dataset.panel``) and, for the
applicant types, the corpus whose cells it was built from. Out: small tidy DataFrames,
one per question notebooks 02 and 03 ask:

* ``handled`` — the reports whose requests can be shared out (some handled, outcome
  rows that add up);
* ``outcome_shares`` — the share of requests handled in each outcome group;
* ``request_volume`` — new requests by year;
* ``applicant_types`` — requests by the six types of applicant;
* ``refusal_reasons`` — requests refused on each statutory exemption and for each
  practical reason.

Rates are ratios of sums over the reports that have every term (the panel's rule: a
rate is missing, never 0, when its denominator is 0); each table gives the reports and
agencies behind its numbers. Every count comes from the panel or the long table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..dataset.panel import group_col, group_rows, requests_col
from ..schema import APPLICANT_COLUMNS, OUTCOME_GROUPS, REQUESTS


def handled(panel: pd.DataFrame) -> pd.DataFrame:
    """Reports that handled at least one request and whose outcome rows add up."""
    groups = [group_col(g) for g in OUTCOME_GROUPS]
    total = panel[requests_col("total")]
    ok = (total > 0) & panel[groups].notna().all(axis=1) & ~panel["fails_outcome_total"]
    return panel[ok]


def outcome_shares(panel: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Share of handled requests in each outcome group, by ``by``: the groups' sums over
    the sum of requests handled, with ``requests`` and ``reports`` behind each row."""
    h = handled(panel)
    groups = [group_col(g) for g in OUTCOME_GROUPS]
    sums = h.groupby(by)[groups + [requests_col("total")]].sum()
    shares = sums[groups].div(sums[requests_col("total")], axis=0)
    shares.columns = list(OUTCOME_GROUPS)
    shares["requests"] = sums[requests_col("total")].astype(int)
    shares["reports"] = h.groupby(by).size()
    shares["agencies"] = h.groupby(by)["agency"].nunique()
    return shares


def request_volume(panel: pd.DataFrame) -> pd.DataFrame:
    """New requests by year: the sum, the reports behind it, how many of them received
    none, and the median per report."""
    col = requests_col("new_received")
    g = panel.groupby("year")[col]
    return pd.DataFrame({"new_requests": g.sum(min_count=1), "reports": g.size(),
                         "agencies": panel.groupby("year")["agency"].nunique(),
                         "reports_with_none": g.apply(lambda s: int((s == 0).sum())),
                         "median_per_report": g.median()})


def applicant_types(corpus: Corpus, panel: pd.DataFrame, row: str = "new_received",
                    by: str | None = None) -> pd.DataFrame:
    """Requests of ``row`` (new requests by default) by the six applicant types, summed over
    the panel's reports (pooled, or by a panel column ``by``); missing cells count as
    unknown, never as 0."""
    cells = corpus.cells
    sub = cells[(cells["table"] == REQUESTS.name) & (cells["row"] == row)
                & cells["column"].isin(APPLICANT_COLUMNS)
                & cells["report_id"].isin(panel["report_id"])]
    wide = (sub.drop_duplicates(["report_id", "column"])
            .pivot(index="report_id", columns="column", values="value")
            .reindex(columns=list(APPLICANT_COLUMNS)))
    wide = wide.reindex(panel["report_id"])
    key = panel.set_index("report_id")[by] if by else pd.Series("all", index=panel["report_id"])
    out = wide.groupby(key.reindex(wide.index).to_numpy()).sum(min_count=1)
    out["unknown_cells"] = wide.isna().sum(axis=1).groupby(
        key.reindex(wide.index).to_numpy()).sum()
    out.index.name = by or "pooled"
    return out


EXEMPTIONS = group_rows("denied", "2021")
PRACTICAL = (*group_rows("unable", "2021"), "not_processed")


def refusal_reasons(panel: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Requests refused on each of the eight statutory exemptions and for each practical
    reason (not held, would need creating, unclear, not processed), summed (pooled or by
    ``by``): long table with ``reason``, ``kind`` (exemption | practical), ``requests``,
    ``share`` of requests handled, and the reports and requests behind it."""
    h = handled(panel)
    cols = {r: requests_col(r) for r in EXEMPTIONS + PRACTICAL[:-1]}
    cols["not_processed"] = group_col("not_processed")
    keys = h[by] if by else pd.Series("all", index=h.index)
    rows = []
    for k, part in h.groupby(keys):
        total = part[requests_col("total")].sum()
        for reason, col in cols.items():
            n = part[col].sum()
            rows.append(dict(group=k, reason=reason,
                             kind="exemption" if reason in EXEMPTIONS else "practical",
                             requests=int(n), share=n / total if total else np.nan,
                             handled=int(total), reports=len(part),
                             agencies=part["agency"].nunique()))
    return pd.DataFrame(rows)
