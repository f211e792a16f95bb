"""The 2019 revision as a study: a panel spanning it → what notebook 08 shows.

In: a panel (``govopen.dataset.panel.build_panel``) with reports on both sides of the 2019
revision of the Regulations, and optionally the successor names of agencies renamed across
it. Out:

* ``SERIES`` — the series the study follows (requests received, requests handled, the
  disclosure rate, the refusal rate, reviews, lawsuits, disputes per request), each with its
  comparability across the break *from the crosswalk* (``schema.CROSSWALK`` for a count,
  ``panel.indicator_eras`` for a rate): ``comparability`` lists them, with the note that
  says why;
* ``held_on_both_sides`` — the agencies (after ``successors``) with a report before 2019
  and one from 2019 on; ``study_sample`` — those, or every report when there are none,
  with the sentence that says which;
* ``yearly`` — each series per statistics year, pooled over the reports that state every
  term, with the era and the event time (year − 2019) of each row;
* ``era_means`` — the same, pooled over each era, side by side, and ``describe_changes``
  in words;
* ``reply_mix`` — the requests handled in each era shared out into granted, refused and
  everything else.

The break is the 2019 statistics year (``schema.FIRST_STANDARD_YEAR``): the first reports
under the revised Regulations and on the new template. A series the crosswalk does not
call comparable is kept as two series, one per era, and never joined; a rate is a ratio of
sums over the reports that have every term, missing when the denominator is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus.checks import agency_key
from ..dataset.panel import (
    INDICATORS,
    group_col,
    indicator_era,
    pre2019_col,
    requests_col,
    reviews_col,
)
from ..schema import CROSSWALK, FIRST_STANDARD_YEAR, OUTCOME_GROUPS, PRE2019, statistic
from .handling import handled as handled_reports

BREAK_YEAR = FIRST_STANDARD_YEAR
_LINK = {link.statistic: link for link in CROSSWALK}
_INDICATOR = {ind.key: ind for ind in INDICATORS}


@dataclass(frozen=True)
class Series:
    """One series of the study: a count (a pre-2019 statistic and the 2019+ cells its
    crosswalk link names, summed) or a rate (a panel indicator)."""

    key: str
    kind: str  # count | rate
    source: str  # the statistic of a count, the indicator of a rate
    en: str
    zh: str

    @property
    def comparable(self) -> bool:
        if self.kind == "count":
            return _LINK[self.source].comparable
        return indicator_era(_INDICATOR[self.source]).status == "comparable"

    @property
    def note(self) -> str:
        """Why the series is, or is not, one series across 2019: the crosswalk's words."""
        if self.kind == "count":
            link = _LINK[self.source]
            cells = " + ".join("/".join(c) for c in link.cells) or "no 2019+ cell"
            return f"{statistic(self.source).zh} → {cells}: {link.note}"
        return indicator_era(_INDICATOR[self.source]).definition

    def terms(self, era: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The panel columns the series adds up in an era: (numerator, denominator); a
        count has no denominator."""
        if self.kind == "count":
            if era == PRE2019:
                return (pre2019_col(self.source),), ()
            return tuple(_cell_column(c) for c in _LINK[self.source].cells), ()
        ind = _INDICATOR[self.source]
        if era == PRE2019:
            e = indicator_era(ind)
            if e.status == "none":
                return (), ()
            return (tuple(pre2019_col(k) for k in e.numerator),
                    tuple(pre2019_col(k) for k in e.denominator))
        return ind.numerator, ind.denominator


def _cell_column(cell: tuple[str, str, str]) -> str:
    table, row, column = cell
    return requests_col(row) if table == "requests" else reviews_col(row, column)


SERIES = (
    Series("requests_received", "count", "requests_received", "Requests received",
           "受理（新收）申请"),
    Series("requests_handled", "count", "replies_total", "Requests answered (handled)",
           "答复（办理）申请"),
    Series("disclosure_rate", "rate", "disclosure_rate", "Disclosure rate", "公开率"),
    Series("refusal_rate", "rate", "exemption_rate", "Refusal rate", "不予公开率"),
    Series("reviews", "count", "reviews", "Administrative reviews", "行政复议"),
    Series("lawsuits", "count", "lawsuits", "Administrative lawsuits", "行政诉讼"),
    Series("dispute_intensity", "rate", "dispute_intensity", "Reviews and lawsuits per request",
           "争议强度"),
)
SERIES_BY_KEY = {s.key: s for s in SERIES}


def comparability() -> pd.DataFrame:
    """Each series, whether it is one series across 2019, and why (the crosswalk's note)."""
    return pd.DataFrame([(s.key, s.en, s.zh, s.kind, s.comparable, s.note) for s in SERIES],
                        columns=["series", "en", "zh", "kind", "comparable", "note"]
                        ).set_index("series")


# --- which agencies --------------------------------------------------------------------

def with_bodies(panel: pd.DataFrame, successors: dict[str, str] | None = None) -> pd.DataFrame:
    """The panel with ``body``: the agency, or the name it is known by after a renaming
    (``successors``: earlier name → later name, as the researcher declares them)."""
    rename = {agency_key(k): v for k, v in (successors or {}).items()}
    body = [rename.get(agency_key(a), a) for a in panel["agency"]]
    return panel.assign(body=body)


def held_on_both_sides(panel: pd.DataFrame,
                       successors: dict[str, str] | None = None) -> pd.DataFrame:
    """The bodies with a report before 2019 and one from 2019 on: their first and last
    year and their reports in each era."""
    p = with_bodies(panel, successors)
    early = p["year"] < BREAK_YEAR
    g = p.groupby("body")
    out = pd.DataFrame({"reports_before": early.groupby(p["body"]).sum(),
                        "reports_after": (~early).groupby(p["body"]).sum(),
                        "first_year": g["year"].min(), "last_year": g["year"].max()})
    out = out[(out["reports_before"] > 0) & (out["reports_after"] > 0)]
    return out.astype("int64").sort_index()


def study_sample(panel: pd.DataFrame,
                 successors: dict[str, str] | None = None) -> tuple[pd.DataFrame, str]:
    """The rows the study compares, and one sentence saying which: the bodies held on both
    sides of the break when there are any, else every report (a comparison of eras, not
    of agencies)."""
    both = held_on_both_sides(panel, successors)
    p = with_bodies(panel, successors)
    if len(both):
        n = len(both)
        said = (f"{n} bodies are held on both sides of the break; the figures follow only "
                "them." if n != 1 else
                "1 body is held on both sides of the break; the figures follow only it.")
        return p[p["body"].isin(both.index)].reset_index(drop=True), said
    return (p.reset_index(drop=True),
            "No body is held on both sides of the break (the same agency name, or a "
            "successor declared in `successors`, with a report before 2019 and one from "
            "2019 on). The figures therefore compare the bodies that reported before 2019 "
            "with those that report from 2019: a comparison of eras, not of agencies, and "
            "a change in who reports is part of any difference.")


def sides(panel: pd.DataFrame) -> pd.DataFrame:
    """Reports and agencies on each side of the break."""
    early = panel["year"] < BREAK_YEAR
    label = np.where(early, f"before {BREAK_YEAR}", f"{BREAK_YEAR} on")
    g = panel.groupby(label)
    return pd.DataFrame({"reports": g.size(), "agencies": g["agency"].nunique(),
                         "first_year": g["year"].min(), "last_year": g["year"].max()})


# --- the series ----------------------------------------------------------------------

def _era_of(panel: pd.DataFrame) -> pd.Series:
    return pd.Series(np.where(panel["year"] < BREAK_YEAR, PRE2019, "standard"),
                     index=panel.index)


def _pooled(rows: pd.DataFrame, s: Series, era: str) -> dict:
    num, den = s.terms(era)
    if not num:
        return {"value": np.nan, "reports": 0}
    cols = list(num + den)
    known = rows[rows[cols].notna().all(axis=1)] if cols else rows.iloc[:0]
    top = float(known[list(num)].to_numpy().sum())
    if s.kind == "count":
        # a count per report, so that years with more reports do not look busier
        n = len(known)
        return {"value": top / n if n else np.nan, "total": top, "reports": n}
    bottom = float(known[list(den)].to_numpy().sum())
    return {"value": top / bottom if bottom else np.nan, "total": top, "base": bottom,
            "reports": int((known[list(den)].sum(axis=1) > 0).sum())}


def yearly(panel: pd.DataFrame, series=SERIES) -> pd.DataFrame:
    """Every series per statistics year: ``value`` (a count per report, or a pooled rate),
    the reports behind it, the era and the event time (year − 2019). A series that is not
    comparable has ``segment`` 'before'/'after' so that it is never drawn as one line."""
    rows = []
    era = _era_of(panel)
    for s in series:
        for year, group in panel.groupby("year"):
            e = era[group.index[0]]
            got = _pooled(group, s, e)
            rows.append({"series": s.key, "year": int(year), "event_time": int(year) - BREAK_YEAR,
                         "era": e, "comparable": s.comparable,
                         "segment": "joined" if s.comparable else
                         ("before" if e == PRE2019 else "after"), **got})
    out = pd.DataFrame(rows, columns=["series", "year", "event_time", "era", "comparable",
                                      "segment", "value", "total", "base", "reports"])
    out["reports"] = out["reports"].fillna(0).astype("int64")
    return out


def era_means(panel: pd.DataFrame, series=SERIES) -> pd.DataFrame:
    """Each series pooled over each era: before 2019, from 2019, the difference (only for a
    comparable series) and the reports behind each side."""
    era = _era_of(panel)
    rows = []
    for s in series:
        before = _pooled(panel[era == PRE2019], s, PRE2019)
        after = _pooled(panel[era != PRE2019], s, "standard")
        change = after["value"] - before["value"] if s.comparable else np.nan
        rows.append({"series": s.key, "comparable": s.comparable, "before": before["value"],
                     "after": after["value"], "change": change,
                     "reports_before": before["reports"], "reports_after": after["reports"]})
    return pd.DataFrame(rows).set_index("series")


def describe_changes(means: pd.DataFrame) -> list[str]:
    """One sentence per series of ``era_means``: before, after, and the change only where
    the series is comparable."""
    out = []
    for key, r in means.iterrows():
        s = SERIES_BY_KEY[str(key)]

        def fmt(v, s=s):
            if pd.isna(v):
                return "not known"
            return f"{v:.1%}" if s.kind == "rate" else f"{v:.2f} per report"

        said = (f"{s.en}: {fmt(r['before'])} before {BREAK_YEAR} ({r['reports_before']} "
                f"reports), {fmt(r['after'])} from {BREAK_YEAR} ({r['reports_after']} reports)")
        if not s.comparable:
            said += "; not comparable across the break, so no change is computed"
        elif pd.notna(r["change"]):
            sign = "+" if r["change"] >= 0 else "−"
            size = (f"{abs(r['change']) * 100:.1f} percentage points" if s.kind == "rate"
                    else f"{abs(r['change']):.2f} per report")
            said += f"; change {sign}{size}"
        out.append(said + ".")
    return out


def reply_mix(panel: pd.DataFrame) -> pd.DataFrame:
    """The requests handled in each era, shared out: granted (in full or in part, one
    series across 2019), refused (否决公开 before, the eight 不予公开 grounds after: not
    comparable) and the rest; over the reports that state all three (from 2019, those
    whose outcome rows add up, as ``groups_after``)."""
    era = _era_of(panel)
    granted = {PRE2019: [pre2019_col("replies_granted"), pre2019_col("replies_partially_granted")],
               "standard": [requests_col("granted"), requests_col("partially_granted")]}
    refused = {PRE2019: [pre2019_col("denied")], "standard": [group_col("denied")]}
    handled = {PRE2019: [pre2019_col("replies_total")], "standard": [requests_col("total")]}
    rows = []
    for e, label in ((PRE2019, f"before {BREAK_YEAR}"), ("standard", f"{BREAK_YEAR} on")):
        p = panel[era == e]
        if e != PRE2019:  # the reports whose outcome rows add up to the requests handled
            p = handled_reports(p)
        cols = granted[e] + refused[e] + handled[e]
        known = p[p[cols].notna().all(axis=1)]
        total = float(known[handled[e]].to_numpy().sum())
        g = float(known[granted[e]].to_numpy().sum())
        r = float(known[refused[e]].to_numpy().sum())
        rows.append({"era": label, "handled": total, "reports": len(known),
                     "granted": g / total if total else np.nan,
                     "refused": r / total if total else np.nan,
                     "other": (total - g - r) / total if total else np.nan})
    return pd.DataFrame(rows).set_index("era")


def groups_after(panel: pd.DataFrame) -> pd.DataFrame:
    """From 2019 on, the outcome groups that before 2019 were not counted apart: requests
    handled in each group, pooled over the reports whose outcome rows add up to the
    requests handled (``handling.handled``)."""
    known = handled_reports(panel[panel["year"] >= BREAK_YEAR])
    total = float(known[requests_col("total")].sum())
    return pd.DataFrame({"requests": [float(known[group_col(g)].sum()) for g in OUTCOME_GROUPS],
                         "share": [float(known[group_col(g)].sum()) / total if total else np.nan
                                   for g in OUTCOME_GROUPS]},
                        index=pd.Index(OUTCOME_GROUPS, name="group"))


__all__ = ["BREAK_YEAR", "Series", "SERIES", "SERIES_BY_KEY", "comparability", "with_bodies",
           "held_on_both_sides", "study_sample", "describe_changes", "sides", "yearly", "era_means", "reply_mix", "groups_after"]
