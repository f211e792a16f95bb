"""A notebook's frame: its parameters checked, its data loaded, its library versions.

In: the values of a notebook's ``parameters`` cell (report folders, an examples folder
written by ``govopen.dataset.examples``, years, level, region, label language). Out:

* ``check_parameters`` — those values checked and normalised (years as a list of ints,
  adcodes as text, level from the codebook; ``long_years``, the years of a notebook's
  longer view, like ``years``): ``Parameters``, and ``describe_parameters``, the one line
  a notebook prints about them (``describe_years`` for a list of years alone);
* ``load_dataset`` — parse the report folders, add the examples, build the panel and
  keep the years, level and region asked for: ``Dataset``; ``reselect`` the same corpus
  with other years (a longer view); ``write_dataset`` writes it with its codebook;
* ``versions`` — the line of library versions a notebook ends with.

No number is parsed or computed here: the parsing is ``govopen.corpus``'s, the panel
``govopen.dataset``'s.
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
from ..dataset.panel import build_panel
from ..fields import REPORT_FIELDS

LEVELS = next(f.enum for f in REPORT_FIELDS if f.key == "level")
LANGS = ("en", "zh")


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


def check_years(years, name: str = "years") -> list[int] | None:
    """A list of years from a list, a single year or a 'YYYY-YYYY' range; None for all.

    papermill's ``-p years 2021`` gives an int and ``-y "years: [2021, 2022]"`` a list;
    both are accepted, as are strings of digits. ``name`` is the parameter's, for the
    error message."""
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
            raise ValueError(f"{name}: {y!r} is not a year; give a list such as "
                             f"[2021, 2022] (papermill: -y \"{name}: [2021, 2022]\")") from None
        if not 1990 <= y <= 2100:
            raise ValueError(f"{name}: {y} is not a statistics year")
        out.append(y)
    if not out:
        raise ValueError(f"{name}: the list is empty; use None for every year")
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
    if "long_years" in extra:
        extra["long_years"] = check_years(extra["long_years"], "long_years")
    return Parameters(inputs, str(examples) if examples else None, check_years(years), level,
                      check_region(region), str(output), str(figures), lang, dict(extra))


def describe_years(years: list[int] | None) -> str:
    """'2019–2025' for a run of years, '2019, 2021' otherwise, 'every year' for None."""
    if years is None:
        return "every year"
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def span(panel: pd.DataFrame) -> str:
    """The first and last statistics year of a panel: '2011–2025' ('' when empty)."""
    if not len(panel):
        return ""
    first, last = int(panel["year"].min()), int(panel["year"].max())
    return str(first) if first == last else f"{first}–{last}"


def describe_parameters(p: Parameters) -> str:
    years = describe_years(p.years)
    return (f"years: {years}; level: {p.level or 'all'}; region: {p.region or 'everywhere'}; "
            f"labels: {p.lang}")


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
                  facts=cat("facts"), statistics=cat("statistics"),
                  parsed=sum(c.parsed for c in parts),
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


def reselect(ds: Dataset, years=None, level=None, region=None) -> Dataset:
    """The corpus of ``ds`` with another selection (``years`` None for every year in the
    data): the longer view of a notebook whose other sections keep fewer years."""
    panel = build_panel(ds.corpus)
    parsed = ds.corpus.reports[ds.corpus.reports["status"].isin(["ok", "warning"])]
    years, region = check_years(years), check_region(region)
    return Dataset(ds.corpus, select(parsed, years, level, region),
                   select(panel, years, level, region))


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
