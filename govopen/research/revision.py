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
  everything else;
* for the other notebooks' longer view: ``crossing`` — a notebook's indicators (from
  ``panel.indicator_eras``) and counts (from their crosswalk link) across 2019,
  ``crossing_sentence`` the one sentence that says which are comparable and which stay
  within the notebook's years, ``followed`` the series of the comparable ones, and
  ``by_year`` their yearly values side by side.

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
    indicator_eras,
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
        s = series_of(str(key))

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


# --- a notebook's longer view --------------------------------------------------------

def series_of(key: str) -> Series:
    """The series called ``key``; for a panel indicator, the series that follows it (the
    exemption rate is ``refusal_rate``), or the indicator itself as a rate."""
    if key in SERIES_BY_KEY:
        return SERIES_BY_KEY[key]
    for s in SERIES:
        if s.kind == "rate" and s.source == key:
            return s
    ind = _INDICATOR[key]
    return Series(key, "rate", key, ind.en, ind.zh)


def crossing(indicators=(), counts=()) -> pd.DataFrame:
    """A notebook's indicators and counts across the 2019 revision, one row each: kind,
    status (comparable | split | none), the column or statistic holding it before 2019
    and why. An indicator's row is ``panel.indicator_eras``'; a count's (a count series
    of ``SERIES``) its crosswalk link's: comparable, split when the link is not, none when
    the link names no 2019+ cell."""
    eras = indicator_eras().set_index("indicator")
    rows = []
    for key in counts:
        s = SERIES_BY_KEY[key]
        if s.kind != "count":
            raise ValueError(f"{key}: not a count series; give it among the indicators")
        link = _LINK[s.source]
        status = "comparable" if link.comparable else "split" if link.cells else "none"
        rows.append((key, "count", s.en, s.zh, status, pre2019_col(s.source), s.note))
    for key in indicators:
        e = eras.loc[key]
        rows.append((key, "rate", _INDICATOR[key].en, _INDICATOR[key].zh, e["status"],
                     e["pre2019_column"], e["definition"]))
    return pd.DataFrame(rows, columns=["key", "kind", "en", "zh", "status", "pre2019",
                                       "note"]).set_index("key")


def _names(table: pd.DataFrame) -> str:
    # 'the administrative review correction rate', not '… review: correction rate'
    names = ["the " + en[0].lower() + en[1:].replace(": ", " ") for en in table["en"]]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def crossing_sentence(table: pd.DataFrame, shown: str, kept: str) -> str:
    """One sentence from ``crossing``: which indicators and counts are one series across
    2019 (and so are shown ``shown``, e.g. '2011–2025'), which are not comparable or have
    no pre-2019 counterpart (and so stay ``kept``, the notebook's years)."""
    parts = []
    same = table[table["status"] == "comparable"]
    split = table[table["status"] == "split"]
    none = table[table["status"] == "none"]
    if len(same):
        are = "is" if len(same) == 1 else "are"
        parts.append(f"{_names(same)} {are} one series across the 2019 revision "
                     f"(crosswalk) and {are} shown {shown}")
    rest = []
    if len(split):
        columns = ", ".join(split["pre2019"])
        rest.append(f"{_names(split)} {'is' if len(split) == 1 else 'are'} not comparable "
                    f"(kept apart before 2019 as {columns})")
    if len(none):
        rest.append(f"{_names(none)} {'has' if len(none) == 1 else 'have'} no pre-2019 "
                    "counterpart")
    if rest:
        stay = "it stays" if len(split) + len(none) == 1 else "they stay"
        parts.append(f"{' and '.join(rest)}, so {stay} {kept}")
    said = "; ".join(parts)
    return said[0].upper() + said[1:] + "." if said else ""


def followed(table: pd.DataFrame) -> list[Series]:
    """The series of the comparable rows of ``crossing``, in its order."""
    return [series_of(str(k)) for k in table.index[table["status"] == "comparable"]]


def by_year(yearly_table: pd.DataFrame) -> pd.DataFrame:
    """``yearly`` side by side: one row per statistics year, its era, and for each series
    its value (a count per report, or a pooled rate) and the reports behind it."""
    wide = yearly_table.pivot(index="year", columns="series", values=["value", "reports"])
    order = list(dict.fromkeys(yearly_table["series"]))
    wide = wide.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product(
        [order, ["value", "reports"]]))
    wide.insert(0, ("era", ""), yearly_table.groupby("year")["era"].first())
    for key in order:
        wide[(key, "reports")] = wide[(key, "reports")].astype("int64")
    wide.columns.names = ["series", ""]
    return wide


__all__ = ["BREAK_YEAR", "Series", "SERIES", "SERIES_BY_KEY", "comparability", "with_bodies",
           "held_on_both_sides", "study_sample", "describe_changes", "sides", "yearly",
           "era_means", "reply_mix", "groups_after", "series_of", "crossing",
           "crossing_sentence", "followed", "by_year"]
