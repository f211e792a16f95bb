"""A ``Corpus``: the tables of many reports as DataFrames, in memory or read from a folder.

In: the per-file tables as DataFrames or plain tuples (columns as ``govopen.fields``
orders them). Out: ``Corpus`` (reports, cells, findings, sections, facts, statistics),
``StoredCorpus``
(the same, its per-file tables read from the files ``parse_to_folder`` wrote when first
used), and the helpers that give every such DataFrame its exact columns and dtypes
(``conform``, ``empty_frame``, ``frame_of``, ``concat_frames``, ``findings_frame``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..fields import (
    CELL_COLUMNS,
    FACT_COLUMNS,
    FINDING_COLUMNS,
    SECTION_COLUMNS,
    STATISTIC_TABLE_COLUMNS,
)
from .view import corpus_repr_html

# the per-file tables of a corpus and their columns
TABLE_COLUMNS = {"cells": CELL_COLUMNS, "findings": FINDING_COLUMNS,
                 "sections": SECTION_COLUMNS, "facts": FACT_COLUMNS,
                 "statistics": STATISTIC_TABLE_COLUMNS}


@dataclass
class Corpus:
    """The tables of many reports, in memory (see ``govopen.corpus.batch``)."""

    reports: pd.DataFrame
    cells: pd.DataFrame
    findings: pd.DataFrame
    sections: pd.DataFrame = field(default_factory=lambda: empty_frame(SECTION_COLUMNS))
    facts: pd.DataFrame = field(default_factory=lambda: empty_frame(FACT_COLUMNS))
    # the statistics of the reports before 2019, one row per value (STATISTIC_TABLE_FIELDS)
    statistics: pd.DataFrame = field(
        default_factory=lambda: empty_frame(STATISTIC_TABLE_COLUMNS))
    parsed: int = 0  # distinct files parsed in this call
    cached: int = 0  # distinct files whose result came from the cache

    def __repr__(self) -> str:
        counts = self.reports["status"].value_counts().to_dict()
        return f"<Corpus {len(self.reports)} files {counts}, {len(self.cells)} cells>"

    def _repr_html_(self) -> str:
        """How a notebook shows the corpus: its files by status (``view.corpus_html``)."""
        return corpus_repr_html(self.reports)


class StoredCorpus(Corpus):
    """A ``Corpus`` whose per-file tables (cells, findings, sections, facts, statistics) are
    read from
    the files ``parse_to_folder`` wrote, when first used; ``reports`` is in memory."""

    def __init__(self, reports: pd.DataFrame, folder: str | os.PathLike,
                 formats: Iterable[str], parsed: int = 0, cached: int = 0):
        self.reports = reports
        self.folder = Path(folder)
        self.formats = tuple(formats)
        self.parsed = parsed
        self.cached = cached
        self._tables: dict[str, pd.DataFrame] = {}

    def keep(self, tables: dict[str, pd.DataFrame]) -> None:
        self._tables.update(tables)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            columns = TABLE_COLUMNS[name]
            if "parquet" in self.formats:
                df = pd.read_parquet(self.folder / f"{name}.parquet")
            else:
                # text columns as text, even where every value of one is empty
                df = pd.read_csv(self.folder / f"{name}.csv", encoding="utf-8-sig",
                                 keep_default_na=False, na_values=[""],
                                 dtype={c: str for c in columns if c not in _NUMERIC})
            self._tables[name] = conform(df, columns)
        return self._tables[name]

    cells = property(lambda self: self._table("cells"))
    findings = property(lambda self: self._table("findings"))
    sections = property(lambda self: self._table("sections"))
    facts = property(lambda self: self._table("facts"))
    statistics = property(lambda self: self._table("statistics"))

    def __repr__(self) -> str:
        counts = self.reports["status"].value_counts().to_dict()
        return f"<Corpus {len(self.reports)} files {counts}, tables in {self.folder}>"


_NUMERIC = ("value", "line", "char")  # the only columns of the per-file tables that are not text


def conform(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` with exactly ``columns`` in that order, and stable dtypes for the numbers."""
    df = df.reindex(columns=columns).reset_index(drop=True)
    if "value" in df:
        df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    for col in ("line", "char"):
        if col in df:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    return df


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """A table with no row, its ``columns`` typed as ``conform`` types them."""
    return conform(pd.DataFrame(columns=columns), columns)


def frame_of(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Plain tuples in ``columns`` order as a conformed DataFrame."""
    return conform(pd.DataFrame(rows, columns=columns), columns) if rows else empty_frame(columns)


def concat_frames(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The non-empty ``parts`` as one conformed DataFrame (an empty one if none)."""
    parts = [p for p in parts if not p.empty]
    return conform(pd.concat(parts, ignore_index=True), columns) if parts else empty_frame(columns)


def findings_frame(parts) -> pd.DataFrame:
    """Findings given as dicts and as DataFrames, in order, as one DataFrame."""
    frames, found = [], []
    for p in [*parts, None]:
        if isinstance(p, dict):
            found.append(p)
            continue
        if found:
            frames.append(pd.DataFrame(found, columns=FINDING_COLUMNS))
            found = []
        if p is not None and len(p):
            frames.append(p)
    if not frames:
        return empty_frame(FINDING_COLUMNS)
    return conform(pd.concat(frames, ignore_index=True), FINDING_COLUMNS)
