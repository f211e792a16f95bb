"""The panel → the tables of the research notebooks: shares, counts, rates and models.

In: report folders and a folder written by ``govopen.dataset.examples`` (``load_dataset``), or a
``Corpus`` and its panel. Out: small tidy DataFrames, one function per question the
notebooks ask, and the notebooks' parameter check:

* ``check_parameters`` — the values of a notebook's ``parameters`` cell, checked and
  normalised (years as a list of ints, adcodes as text, level from the codebook);
* ``load_dataset`` — parse the report folders, add the examples, build the panel and
  keep the years, level and region asked for (``Dataset``);
* section 三: ``outcome_shares``, ``request_volume``, ``applicant_types``,
  ``refusal_reasons``; section 四: ``review_outcomes``;
* ``disclosure_by_agency`` and ``panel_model`` (two-way fixed effects, weighted,
  clustered; cross-checked with ``linearmodels``);
* report quality: ``file_outcomes``, ``failed_identities``, ``identity_breaks``,
  ``carry_over_links``.

Rates are ratios of sums over the reports that have every term (the panel's rule: a
rate is missing, never 0, when its denominator is 0); each function returns the number
of reports and agencies behind its numbers. No number is parsed here: every count
comes from the panel or the long table.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import Corpus, agency_key, read_corpus
from ..dataset.panel import (
    GROUP_LABELS,
    INDICATORS,
    build_panel,
    group_col,
    group_rows,
    requests_col,
    reviews_col,
)
from ..fields import REPORT_FIELDS
from ..schema import APPLICANT_COLUMNS, OUTCOME_GROUPS, REQUESTS, REVIEW_PARTS, REVIEWS, RULES

LEVELS = next(f.enum for f in REPORT_FIELDS if f.key == "level")
LANGS = ("en", "zh")
INDICATOR = {ind.key: ind for ind in INDICATORS}


# --- parameters -------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameters:
    inputs: list[str]
    examples: str | None
    years: list[int] | None
    level: str | None
    region: str | None
    output: str
    figures: str
    lang: str
    extra: dict = field(default_factory=dict)


def check_years(years) -> list[int] | None:
    """A list of years from a list, a single year or a 'YYYY-YYYY' range; None for all.

    papermill's ``-p years 2021`` gives an int and ``-y "years: [2021, 2022]"`` a list;
    both are accepted, as are strings of digits."""
    if years is None or (isinstance(years, str) and years.strip().lower() in ("", "all")):
        return None
    if isinstance(years, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", years)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            return list(range(min(a, b), max(a, b) + 1))
        years = re.split(r"[,\s]+", years.strip())
    if isinstance(years, (int, np.integer)):
        years = [years]
    out = []
    for y in years:
        try:
            y = int(str(y).strip())
        except ValueError:
            raise ValueError(f"years: {y!r} is not a year; give a list such as "
                             "[2021, 2022] (papermill: -y \"years: [2021, 2022]\")") from None
        if not 1990 <= y <= 2100:
            raise ValueError(f"years: {y} is not a statistics year")
        out.append(y)
    if not out:
        raise ValueError("years: the list is empty; use None for every year")
    return sorted(set(out))


def check_region(region) -> str | None:
    """An adcode or its prefix as text ('35', '350128'); None or '' for everywhere.

    Pass it with papermill's ``-r region 350128`` so it stays text; an int (from ``-p``)
    is accepted too, since no division code starts with 0."""
    if region is None or (isinstance(region, str) and region.strip() in ("", "all")):
        return None
    if isinstance(region, bool) or not isinstance(region, (str, int, np.integer)):
        raise ValueError(f"region: {region!r} is not a division code; pass it as text "
                         "(papermill: -r region 350128)")
    text = str(region).strip()
    if not re.fullmatch(r"\d{2,6}", text):
        raise ValueError(f"region: {region!r} is not a division code (2 to 6 digits, "
                         "e.g. '35' for 福建省 or '350128')")
    return text


def check_parameters(*, inputs, examples=None, years=None, level=None, region=None,
                     output="", figures="", lang="en", must_exist=True, **extra) -> Parameters:
    """The ``parameters`` cell of a notebook, checked; raises ``ValueError`` saying what
    to pass instead."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = [str(p) for p in (inputs or [])]
    if must_exist:
        for p in inputs + ([str(examples)] if examples else []):
            if not Path(p).exists():
                raise ValueError(f"{p}: no such file or folder (paths are relative to the "
                                 "notebook's folder)")
    if not inputs and not examples:
        raise ValueError("inputs: give at least one report folder, or an examples folder")
    if level in (None, "", "all"):
        level = None
    elif level not in LEVELS:
        raise ValueError(f"level: {level!r}; use one of {', '.join(LEVELS)} or 'all'")
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r}; use 'en' or 'zh'")
    return Parameters(inputs, str(examples) if examples else None, check_years(years), level,
                      check_region(region), str(output), str(figures), lang, dict(extra))


# --- the data ---------------------------------------------------------------------------

@dataclass
class Dataset:
    """``corpus``: every file given; ``reports`` and ``panel``: the selection asked for."""

    corpus: Corpus
    reports: pd.DataFrame
    panel: pd.DataFrame

    @property
    def n_reports(self) -> int:
        return len(self.panel)

    @property
    def n_agencies(self) -> int:
        return int(self.panel["agency"].nunique())

    def sample(self, panel: pd.DataFrame | None = None) -> str:
        """'n = 31 reports, 8 agencies' for a panel (the whole selection by default)."""
        return sample_size(self.panel if panel is None else panel)


def sample_size(panel: pd.DataFrame) -> str:
    n, a = len(panel), panel["agency"].nunique()
    return f"n = {n} report{'s' if n != 1 else ''}, {a} agenc{'ies' if a != 1 else 'y'}"


def combine(*corpora: Corpus) -> Corpus:
    """Several corpora as one; of two primary reports of one agency and year, the first
    given stays primary."""
    parts = [c for c in corpora if c is not None]
    if not parts:
        raise ValueError("no corpus to combine")
    if len(parts) == 1:
        return parts[0]

    def cat(name):
        frames = [getattr(c, name) for c in parts if len(getattr(c, name))]
        return (pd.concat(frames, ignore_index=True) if frames
                else getattr(parts[0], name).copy())

    reports = pd.concat([c.reports for c in parts], ignore_index=True)
    key = reports["agency"].map(agency_key)
    primary = reports["primary"].astype(bool)
    taken = pd.Series(list(zip(key, reports["year"], strict=True)), index=reports.index)
    reports["primary"] = primary & ~(primary & taken.duplicated() & key.notna())
    return Corpus(reports, cat("cells"), cat("findings"), sections=cat("sections"),
                  facts=cat("facts"), parsed=sum(c.parsed for c in parts),
                  cached=sum(c.cached for c in parts))


def select(df: pd.DataFrame, years=None, level=None, region=None) -> pd.DataFrame:
    """Rows of a panel or report table in ``years``, at ``level``, under ``region``."""
    keep = pd.Series(True, index=df.index)
    if years is not None:
        keep &= df["year"].isin(years)
    if level is not None:
        keep &= df["level"] == level
    if region is not None:
        keep &= df["adcode"].astype("string").str.startswith(region).fillna(False)
    return df[keep].reset_index(drop=True)


def load_dataset(inputs=(), examples=None, *, years=None, level=None, region=None,
                 jobs: int = 1) -> Dataset:
    """Parse the report files or folders ``inputs``, add the corpus stored in ``examples``
    (see ``govopen.dataset.examples``), build the panel, and keep the selection asked for."""
    from ..dataset.examples import load_examples

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = list(inputs)
    parts = []
    if inputs:
        with warnings.catch_warnings():
            # tqdm.auto warns in a notebook without ipywidgets although no bar is shown
            warnings.filterwarnings("ignore", message="IProgress not found")
            parts.append(read_corpus(inputs, jobs, progress=False))
    if examples:
        parts.append(load_examples(examples))
    corpus = combine(*parts)
    panel = build_panel(corpus)
    parsed = corpus.reports[corpus.reports["status"].isin(["ok", "warning"])]
    return Dataset(corpus, select(parsed, check_years(years), level, check_region(region)),
                   select(panel, check_years(years), level, check_region(region)))


def write_dataset(ds: Dataset, out: str | os.PathLike,
                  formats=("parquet", "csv")) -> list[Path]:
    """Write the selection's reports, cells, findings and panel, with the codebook."""
    from ..dataset.codebook import fields, write_codebook
    from ..dataset.export import write_table

    out = Path(out)
    ids = set(ds.reports["report_id"])
    tables = {"reports": ds.reports,
              "cells": ds.corpus.cells[ds.corpus.cells["report_id"].isin(ids)],
              "findings": ds.corpus.findings[ds.corpus.findings["report_id"].isin(ids)],
              "panel": ds.panel}
    written = []
    for name, df in tables.items():
        for fmt in formats:
            written.append(write_table(df.reset_index(drop=True), out / f"{name}.{fmt}",
                                       fields(name, df.columns)))
    if "csv" in formats:
        write_codebook(out, {name: f"{name}.csv" for name in tables},
                       {name: list(df.columns) for name, df in tables.items()})
    return written


# --- files and identities ---------------------------------------------------------------

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


# --- section 三 -------------------------------------------------------------------------

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


# --- section 四 -------------------------------------------------------------------------

CONCLUDED = tuple(p for p in REVIEW_PARTS if p != "pending")


def review_outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """Administrative reviews and the two kinds of lawsuit: cases by result (summed over
    reports with the whole row known), cases concluded, and the correction rate —
    corrected over concluded (upheld + corrected + other), pending cases left out."""
    rows = []
    for row in REVIEWS.rows:
        cols = [reviews_col(row.key, c.key) for c in REVIEWS.columns]
        known = panel[panel[cols].notna().all(axis=1)]
        sums = {c.key: int(known[reviews_col(row.key, c.key)].sum()) for c in REVIEWS.columns}
        concluded = sum(sums[p] for p in CONCLUDED)
        rows.append(dict(kind=row.key, **sums, concluded=concluded,
                         correction_rate=sums["corrected"] / concluded if concluded else np.nan,
                         reports=len(known),
                         reports_with_cases=int((known[reviews_col(row.key, "total")] > 0).sum()),
                         agencies=known["agency"].nunique()))
    return pd.DataFrame(rows).set_index("kind")


# --- disclosure across agencies and the panel model -------------------------------------

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
    sample. Agency-years whose outcome is missing (no request handled) and agencies seen
    in one year only (their fixed effect absorbs them) are left out and counted."""
    import statsmodels.formula.api as smf

    weight = weight or requests_col("total")
    p = panel[["agency", "year", outcome, weight]].copy()
    dropped = {"rate missing (no request handled or a term missing)": int(p[outcome].isna().sum())}
    p = p.dropna(subset=[outcome, weight])
    p = p[p[weight] > 0]
    seen = p.groupby("agency")["year"].transform("nunique")
    dropped["agency seen in one year only"] = int((seen < 2).sum())
    p = p[seen >= 2].copy()
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
    except ImportError:  # pragma: no cover - linearmodels is in the dev extra
        notes.append("linearmodels is not installed: no cross-check")
    return PanelModel(table, n_obs=len(p), n_agencies=p["agency"].nunique(),
                      n_years=len(years), dropped=dropped, formula=formula,
                      statsmodels=sm, linearmodels=lm, notes=notes)


# --- report quality ---------------------------------------------------------------------

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


def agency_table(panel: pd.DataFrame) -> pd.DataFrame:
    """The agencies of a panel with the short codes figures use for them (A1, A2 …):
    code, agency, level, province, county, first and last year, reports."""
    from .figures import agency_codes

    codes = agency_codes(panel)
    g = panel.groupby("agency")
    out = pd.DataFrame({"code": pd.Series(codes), "level": g["level"].first(),
                        "province": g["province"].first(), "county": g["county"].first(),
                        "first_year": g["year"].min(), "last_year": g["year"].max(),
                        "reports": g.size()})
    out.index.name = "agency"
    return out.reset_index().set_index("code").sort_index(key=lambda s: s.str[1:].astype(int))


def indicator_text(key: str, lang: str = "en") -> str:
    """'Disclosure rate (公开率): requests granted … ; missing when …' from ``INDICATORS``."""
    ind = INDICATOR[key]
    return f"{ind.en} ({ind.zh}) = {ind.definition}"


def group_label(group: str, lang: str = "en") -> str:
    zh, en = GROUP_LABELS[group]
    return zh if lang == "zh" else en


def indicator_table() -> pd.DataFrame:
    """Every indicator of the panel: key, Chinese and English name, definition."""
    return pd.DataFrame([{"key": i.key, "zh": i.zh, "en": i.en, "definition": i.definition}
                         for i in INDICATORS]).set_index("key")


def definition(dataset: str, key: str) -> str:
    """The codebook's definition of one column of an output table."""
    from ..dataset.codebook import fields

    f = next(f for f in fields(dataset) if f.key == key)
    return f"{f.key} ({f.zh}, {f.en}): {f.definition}"


def describe_parameters(p: Parameters) -> str:
    years = ("every year" if p.years is None else
             f"{p.years[0]}–{p.years[-1]}" if p.years == list(range(p.years[0], p.years[-1] + 1))
             else ", ".join(map(str, p.years)))
    return (f"years: {years}; level: {p.level or 'all'}; region: {p.region or 'everywhere'}; "
            f"labels: {p.lang}")


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


def labelled(table: pd.DataFrame, name: str, lang: str = "both") -> pd.DataFrame:
    """A report's table (``Report.table(name)``) with the schema's labels as its row and
    column names: Chinese, English, or both ('zh', 'en', 'both')."""
    from ..schema import TABLES

    t = TABLES[name]

    def row(key):
        r = t.row(key)
        return {"zh": r.zh, "en": r.en}.get(lang, f"{r.zh} | {r.en}")

    def col(key):
        c = t.column(key)
        return {"zh": c.zh, "en": c.en}.get(lang, f"{c.zh} {c.en}")

    return table.rename(index=row, columns=col)


def versions() -> str:
    """Python, govopen and the libraries the notebooks use, with their versions."""
    import importlib.metadata as md
    import platform

    names = ["govopen", "pandas", "numpy", "matplotlib", "statsmodels", "linearmodels",
             "papermill"]
    parts = [f"Python {platform.python_version()}"]
    for n in names:
        try:
            parts.append(f"{n} {md.version(n)}")
        except md.PackageNotFoundError:
            parts.append(f"{n} (not installed)")
    return "; ".join(parts)
