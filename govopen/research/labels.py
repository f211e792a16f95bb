"""The words a notebook prints beside its numbers: definitions, labels and agency codes.

In: an indicator key, a codebook column, a report's table, or a panel. Out: text and
small tables taken from ``govopen.dataset.panel.INDICATORS``, the codebook and
``govopen.schema``, so that a notebook writes no definition of its own:

* ``INDICATOR``, ``indicator_text``, ``indicator_table`` — the panel's indicators;
* ``definition`` — the codebook's definition of one column of an output table;
* ``group_label`` — an outcome group in Chinese or English;
* ``labelled`` — a report's table with the schema's row and column labels;
* ``agency_codes``, ``agency_table`` — the short codes (A1, A2 …) figures with English
  labels use for agencies, and the table that lists them.
"""

from __future__ import annotations

import pandas as pd

from ..dataset.panel import GROUP_LABELS, INDICATORS

INDICATOR = {ind.key: ind for ind in INDICATORS}


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


def agency_codes(panel: pd.DataFrame) -> dict[str, str]:
    """A short code per agency ('A1', 'A2' … in the order of their names), for figures
    with English labels that cannot show Chinese names; ``agency_table`` lists them."""
    return {a: f"A{i + 1}" for i, a in enumerate(sorted(panel["agency"].dropna().unique()))}


def agency_table(panel: pd.DataFrame) -> pd.DataFrame:
    """The agencies of a panel with the short codes figures use for them (A1, A2 …):
    code, agency, level, province, county, first and last year, reports."""
    codes = agency_codes(panel)
    g = panel.groupby("agency")
    out = pd.DataFrame({"code": pd.Series(codes), "level": g["level"].first(),
                        "province": g["province"].first(), "county": g["county"].first(),
                        "first_year": g["year"].min(), "last_year": g["year"].max(),
                        "reports": g.size()})
    out.index.name = "agency"
    return out.reset_index().set_index("code").sort_index(key=lambda s: s.str[1:].astype(int))
