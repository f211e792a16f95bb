"""A corpus → ``data/examples``: the numbers govopen reads from reports, without their text.

In: report files or folders (the development corpus of real reports, when it is beside
the repository). Out, in one folder, as CSV (UTF-8 with a byte-order mark):

* ``reports.csv`` — one row per input file, ``source`` reduced to the file's name and the
  ``title`` left empty;
* ``cells.csv`` — the long table (numbers, the digits they were read from, their status);
* ``findings.csv`` — the checks; any sentence a message quotes from a report is cut out
  and file paths are reduced to file names;
* ``facts.csv`` — the numbers stated in the prose, without the ``sentence`` they stand in;
* ``statistics.csv`` — the statistics of the reports before 2019; a value read from a
  sentence keeps its number, not the sentence (``raw`` empty, the quotation in ``note``
  cut out);
* ``panel.csv`` — the agency × year panel built from the above.

Nothing of a report's prose is kept: no sections, no sentences, no titles; a quoted
sentence in a note or a message is cut out, as is the sentence a crosswalked cell was
read from. ``load_examples``
reads the folder back into a ``Corpus`` with the column types of the codebook, so the
panel built from it equals ``panel.csv``.

    python -m govopen.dataset.examples INPUT... -o data/examples
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path, PurePath

import pandas as pd

from ..corpus.batch import read_corpus
from ..corpus.tables import Corpus, conform
from ..fields import (
    CELL_COLUMNS,
    FACT_COLUMNS,
    FINDING_COLUMNS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
    STATISTIC_TABLE_COLUMNS,
)
from .codebook import fields
from .export import write_csv
from .panel import build_panel

EXAMPLE_TABLES = ("reports", "cells", "findings", "facts", "statistics", "panel")
_COLUMNS = {"reports": REPORT_COLUMNS, "cells": CELL_COLUMNS, "findings": FINDING_COLUMNS,
            "facts": FACT_COLUMNS, "statistics": STATISTIC_TABLE_COLUMNS}
_QUOTE = re.compile(r"“[^”]*”")
QUOTE_REMOVED = "“…”"
# a sentence a note quotes between straight quotes ('…'): Chinese text with a clause mark or
# longer than a row label; digits ('1077') and labels ('本年废纸件数') stay
_SENTENCE = re.compile(r"'([^']*[\u4e00-\u9fff][^']*)'")
SENTENCE_REMOVED = "'…'"


def _cut_sentences(text):
    if not isinstance(text, str):
        return text
    return _SENTENCE.sub(lambda m: SENTENCE_REMOVED if re.search(r"[，。；：！？]", m.group(1))
                         or len(m.group(1)) > 16 else m.group(0), text)


def file_name(path) -> str | None:
    """The last part of a path, whichever separator it uses; None stays None."""
    if path is None or (isinstance(path, float) and pd.isna(path)) or path is pd.NA:
        return None
    return PurePath(str(path).replace("\\", "/")).name


def without_text(corpus: Corpus) -> Corpus:
    """The corpus with its prose removed and every path reduced to a file name."""
    reports = corpus.reports.copy()
    sources = [s for s in reports["source"].dropna().unique()]
    by_length = sorted(sources, key=len, reverse=True)  # a path before any path it contains

    def names(text):
        if not isinstance(text, str):
            return text
        for s in by_length:
            text = text.replace(s, file_name(s))
        return text

    reports["source"] = reports["source"].map(file_name)
    reports["duplicate_of"] = reports["duplicate_of"].map(file_name)
    reports["message"] = reports["message"].map(names)
    reports["title"] = None
    findings = corpus.findings.copy()
    findings["message"] = findings["message"].map(
        lambda m: _cut_sentences(_QUOTE.sub(QUOTE_REMOVED, names(m))) if isinstance(m, str)
        else m)
    facts = corpus.facts.copy()
    facts["sentence"] = None
    statistics = corpus.statistics.copy()
    told = statistics["source"] == "narrative"
    sentences = set(zip(statistics.loc[told, "report_id"], statistics.loc[told, "raw"],
                        strict=True))
    statistics.loc[told, "raw"] = None
    statistics["note"] = statistics["note"].map(_cut_sentences)
    cells = corpus.cells.copy()
    # a cell the crosswalk gives from a statistic stated in a sentence was read from it
    from_sentence = [(r, raw) in sentences for r, raw in zip(cells["report_id"], cells["raw"],
                                                              strict=True)]
    cells.loc[from_sentence, "raw"] = None
    cells["note"] = cells["note"].map(_cut_sentences)
    return Corpus(reports, cells, findings,
                  sections=conform(pd.DataFrame(columns=SECTION_COLUMNS), SECTION_COLUMNS),
                  facts=facts, statistics=statistics, parsed=corpus.parsed,
                  cached=corpus.cached)


def write_examples(inputs, out: str | os.PathLike, jobs: int | None = None) -> Corpus:
    """Parse ``inputs`` and write the text-free tables into ``out``; returns that corpus."""
    corpus = without_text(read_corpus(inputs, jobs, progress=False))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"reports": corpus.reports, "cells": corpus.cells, "findings": corpus.findings,
              "facts": corpus.facts, "statistics": corpus.statistics,
              "panel": build_panel(corpus)}
    for name, df in tables.items():
        write_csv(df, out / f"{name}.csv")
    return corpus


def read_table(path: str | os.PathLike, dataset: str) -> pd.DataFrame:
    """A CSV file written by govopen, with the column types the codebook gives."""
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    described = {f.key: f for f in fields(dataset, header)}
    text = [c for c in header if described[c].type == "string"]
    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                     dtype={c: "object" for c in text})
    for col in header:
        kind = described[col].type
        if kind == "integer":
            df[col] = pd.to_numeric(df[col]).astype("Int64")
        elif kind == "number":
            df[col] = pd.to_numeric(df[col]).astype("float64")
        elif kind == "boolean":
            df[col] = df[col].map({True: True, False: False, "True": True, "False": False})
            df[col] = df[col].astype(bool if df[col].notna().all() else "boolean")
        else:
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


def load_examples(folder: str | os.PathLike) -> Corpus:
    """The ``Corpus`` stored in ``folder`` by ``write_examples`` (without sections)."""
    folder = Path(folder)
    missing = [n for n in _COLUMNS if not (folder / f"{n}.csv").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: no {', '.join(m + '.csv' for m in missing)}; "
                                "write the folder with govopen.dataset.examples.write_examples")
    t = {name: read_table(folder / f"{name}.csv", name) for name in _COLUMNS}
    reports = t["reports"]
    return Corpus(reports, conform(t["cells"], CELL_COLUMNS),
                  conform(t["findings"], FINDING_COLUMNS),
                  sections=conform(pd.DataFrame(columns=SECTION_COLUMNS), SECTION_COLUMNS),
                  facts=conform(t["facts"], FACT_COLUMNS),
                  statistics=conform(t["statistics"], STATISTIC_TABLE_COLUMNS))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m govopen.dataset.examples",
        description="Parse reports and write the numbers (no text) to an examples folder.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or folders")
    p.add_argument("-o", "--out", required=True, help="output folder")
    args = p.parse_args(argv)
    corpus = write_examples(args.inputs, args.out)
    counts = corpus.reports["status"].value_counts().to_dict()
    print(f"{len(corpus.reports)} files {counts} → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
