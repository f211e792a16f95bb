"""The panel → disclosure across agencies and the two-way fixed-effects model of notebook 05.

In: a panel (``Dataset.panel``). Out:

* ``disclosure_by_agency`` — each agency's disclosure rate over all its years;
* ``spread_by_level`` — how an indicator varies across agency-years, by level;
* ``panel_model`` — an indicator on agency and year fixed effects, weighted by requests
  handled, standard errors clustered by agency (statsmodels WLS), cross-checked with
  ``linearmodels.PanelOLS``: a ``PanelModel`` with the year effects and what was left out.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd

from ..dataset.panel import requests_col
from .labels import INDICATOR


def disclosure_by_agency(panel: pd.DataFrame) -> pd.DataFrame:
    """Each agency's disclosure rate over all its years (granted in full or part over
    requests handled, summed), with its level, years with requests and years without."""
    ind = INDICATOR["disclosure_rate"]
    p = panel.assign(_num=panel[list(ind.numerator)].sum(axis=1, min_count=len(ind.numerator)),
                     _den=panel[list(ind.denominator)].sum(axis=1,
                                                          min_count=len(ind.denominator)))
    g = p.groupby("agency")
    out = pd.DataFrame({
        "level": g["level"].first(), "years": g.size(),
        "years_with_requests": g["_den"].apply(lambda s: int((s > 0).sum())),
        "requests_handled": g["_den"].sum(min_count=1),
        "granted": g["_num"].sum(min_count=1)})
    out["disclosure_rate"] = out["granted"] / out["requests_handled"].where(
        out["requests_handled"] > 0)
    return out.sort_values(["level", "disclosure_rate"], na_position="last")


@dataclass
class PanelModel:
    """A fitted two-way fixed-effects model and what went into it."""

    table: pd.DataFrame  # term, coef, se, p, and the linearmodels cross-check
    n_obs: int
    n_agencies: int
    n_years: int
    dropped: dict  # reason -> number of agency-years left out
    formula: str
    statsmodels: object = None
    linearmodels: object = None
    notes: list = field(default_factory=list)

    def rounded(self, digits: int = 3) -> pd.DataFrame:
        return self.table.round(digits)


def panel_model(panel: pd.DataFrame, outcome: str = "disclosure_rate",
                weight: str | None = None) -> PanelModel:
    """``outcome`` on agency and year fixed effects, weighted by requests handled, with
    standard errors clustered by agency (statsmodels WLS), and the same model with
    ``linearmodels.PanelOLS`` as a cross-check.

    The terms reported are the year effects, each relative to the first year in the
    sample. Agency-years whose outcome is missing (no request handled), agencies seen
    in one year only (their fixed effect absorbs them) and agency-years outside the
    largest set of agencies and years that observations link (whose year effects could
    not be compared with the others') are left out and counted in ``dropped``."""
    import statsmodels.formula.api as smf

    weight = weight or requests_col("total")
    p = panel[["agency", "year", outcome, weight]].copy()
    dropped = {"rate missing (no request handled or a term missing)": int(p[outcome].isna().sum())}
    p = p.dropna(subset=[outcome, weight])
    p = p[p[weight] > 0]
    seen = p.groupby("agency")["year"].transform("nunique")
    dropped["agency seen in one year only"] = int((seen < 2).sum())
    p = p[seen >= 2].copy()
    # Year effects are identified only within a set of agencies and years linked by
    # observations (agencies reporting only before 2019 and others only after form two
    # such sets): the largest one is kept, the others counted.
    connected = _largest_connected(p)
    if (~connected).any():
        dropped["not connected to the largest set of agencies and years"] = int(
            (~connected).sum())
    p = p[connected].copy()
    notes = []
    if p["agency"].nunique() < 2 or p["year"].nunique() < 2:
        raise ValueError("too few agencies or years with requests to fit the model "
                         f"({p['agency'].nunique()} agencies, {p['year'].nunique()} years)")
    p["year"] = p["year"].astype(int)
    p = p.sort_values(["agency", "year"]).reset_index(drop=True)
    formula = f"{outcome} ~ C(agency) + C(year)"
    groups = pd.factorize(p["agency"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few clusters: statsmodels warns, the text says so
        sm = smf.wls(formula, data=p, weights=p[weight]).fit(
            cov_type="cluster", cov_kwds={"groups": groups})
    years = sorted(p["year"].unique())
    terms = [f"C(year)[T.{y}]" for y in years[1:]]
    table = pd.DataFrame({"term": [f"year {y} vs {years[0]}" for y in years[1:]],
                          "coef": sm.params[terms].to_numpy(), "se": sm.bse[terms].to_numpy(),
                          "p": sm.pvalues[terms].to_numpy()})
    lm = None
    try:
        from linearmodels.panel import PanelOLS

        idx = p.set_index(["agency", "year"])
        dummies = pd.get_dummies(idx.index.get_level_values("year"), prefix="year",
                                 drop_first=True, dtype=float).set_index(idx.index)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lm = PanelOLS(idx[outcome], dummies, entity_effects=True,
                          weights=idx[weight]).fit(cov_type="clustered", cluster_entity=True)
        names = [f"year_{y}" for y in years[1:]]
        table["coef_linearmodels"] = lm.params[names].to_numpy()
        table["se_linearmodels"] = lm.std_errors[names].to_numpy()
    except ImportError:  # pragma: no cover - linearmodels is in the notebooks extra
        notes.append("linearmodels is not installed: no cross-check")
    return PanelModel(table, n_obs=len(p), n_agencies=p["agency"].nunique(),
                      n_years=len(years), dropped=dropped, formula=formula,
                      statsmodels=sm, linearmodels=lm, notes=notes)


def _largest_connected(p: pd.DataFrame) -> pd.Series:
    """True for the agency-years of the largest set of agencies and years that
    observations link together (the connected component of the agency–year graph with
    the most observations; on a tie, the one whose first row comes first)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for agency, year in zip(p["agency"], p["year"], strict=True):
        a, y = find(("agency", agency)), find(("year", year))
        if a != y:
            parent[y] = a
    roots = pd.Series([find(("agency", a)) for a in p["agency"]], index=p.index)
    sizes = roots.value_counts(sort=False)  # in the order the sets first appear
    return roots == sizes.idxmax()


def spread_by_level(panel: pd.DataFrame, key: str = "disclosure_rate") -> pd.DataFrame:
    """How an indicator varies across agency-years, by level: agency-years, agencies,
    how many have the rate missing, and the distribution of the others."""
    g = panel.groupby("level")
    out = pd.DataFrame({"agency_years": g.size(), "agencies": g["agency"].nunique(),
                        "rate_missing": g[key].apply(lambda s: int(s.isna().sum()))})
    stats = g[key].describe()[["count", "mean", "std", "min", "50%", "max"]]
    out = out.join(stats.rename(columns={"count": "with_rate", "50%": "median"}))
    out["with_rate"] = out["with_rate"].astype(int)
    return out
