"""A corpus → how well its reports add up: file outcomes, failed identities, carried-over links.

In: a ``Corpus`` (every file read), a ``Dataset`` (``govopen.research.notebook``) or its
panel. Out: the tables of notebooks 01 and 06:

* ``file_outcomes`` — one row per input file: status, how its cells were read, which
  identities fail;
* ``failed_identities`` — every failed identity with both sides;
* ``identity_breaks`` — the reports that break their own arithmetic, by year, level or
  format;
* ``carry_over_links`` — requests carried forward at the end of one year against those
  carried over into the next, for every agency.

No number is parsed here: the identities are the parser's findings (``govopen.schema.RULES``).
"""

from __future__ import annotations

import pandas as pd

from ..corpus import Corpus
from ..dataset.panel import requests_col
from ..schema import RULES
from .notebook import Dataset


def file_outcomes(corpus: Corpus) -> pd.DataFrame:
    """One row per input file: its name, status, agency, year, level, format, how its
    cells were read, its identity errors and why it is not ok."""
    r = corpus.reports
    counts = (corpus.cells.groupby(["report_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=["parsed", "inferred", "missing"], fill_value=0))
    failed = corpus.findings[corpus.findings["rule"].isin(RULES)
                             & (corpus.findings["severity"] == "error")]
    broken = failed.groupby("report_id")["rule"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    from ..dataset.examples import file_name

    out = pd.DataFrame({
        "file": r["source"].map(file_name), "status": r["status"],
        "agency": r["agency"], "year": r["year"], "level": r["level"], "format": r["format"],
        "in_panel": r["primary"].astype(bool)})
    for s in ("parsed", "inferred", "missing"):
        out[s] = r["report_id"].map(counts[s]).fillna(0).astype(int).to_numpy()
    out["identities_failed"] = r["report_id"].map(broken).fillna("").to_numpy()
    out["message"] = r["message"].fillna("")
    return out


def failed_identities(corpus: Corpus, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every failed identity (of the ``reports`` given, by default all): file, agency,
    year, rule, where, and both sides."""
    f = corpus.findings
    f = f[f["rule"].isin(RULES) & (f["severity"] == "error")]
    if reports is not None:
        f = f[f["report_id"].isin(reports["report_id"])]
    from ..dataset.examples import file_name

    who = corpus.reports.drop_duplicates("report_id").set_index("report_id")
    out = pd.DataFrame({
        "file": f["report_id"].map(who["source"]).map(file_name),
        "agency": f["report_id"].map(who["agency"]), "year": f["report_id"].map(who["year"]),
        "rule": f["rule"], "row": f["row"], "column": f["column"],
        "message": [m.replace(f" ({RULES[r]})", "") if isinstance(m, str) else m
                    for m, r in zip(f["message"], f["rule"], strict=True)]})
    return out.reset_index(drop=True)


def identity_breaks(ds: Dataset, by: str) -> pd.DataFrame:
    """Parsed reports (every file read, not only the panel's) that break at least one of
    their own identities, by ``by`` (year, level, format …): reports, breaking, share,
    and the count for each rule."""
    r = ds.reports.copy()
    f = ds.corpus.findings
    failed = f[f["rule"].isin(RULES) & (f["severity"] == "error")]
    for rule in RULES:
        r[rule] = r["report_id"].isin(failed.loc[failed["rule"] == rule, "report_id"])
    r["breaks"] = r[list(RULES)].any(axis=1)
    key = r[by].astype(object).where(r[by].notna(), "(unknown)")
    g = r.groupby(key)
    out = pd.DataFrame({"reports": g.size(), "breaking": g["breaks"].sum().astype(int)})
    out["share"] = out["breaking"] / out["reports"]
    for rule in RULES:
        out[rule] = g[rule].sum().astype(int)
    out.index.name = by
    return out


def carry_over_links(panel: pd.DataFrame) -> pd.DataFrame:
    """Every pair of consecutive years of one agency: requests carried forward at the end
    of year t−1 (四) against those carried over into year t (二), total column, and whether
    they agree."""
    fwd, back = requests_col("carried_forward"), requests_col("carried_over")
    rows = []
    for agency, g in panel.sort_values("year").groupby("agency"):
        by_year = g.set_index("year")
        for y in by_year.index:
            if y - 1 not in by_year.index:
                continue
            a, b = by_year.at[y - 1, fwd], by_year.at[y, back]
            status = ("unknown" if pd.isna(a) or pd.isna(b)
                      else "agrees" if a == b else "differs")
            rows.append(dict(agency=agency, year=int(y), carried_forward_previous=a,
                             carried_over=b, link=status))
    return pd.DataFrame(rows, columns=["agency", "year", "carried_forward_previous",
                                       "carried_over", "link"])
