"""The prose of a report checked against its own tables.

In: the facts ``prose`` read from one report and the long table of its cells (columns
``report_id, table, row, column, value, raw, status, line, note``). Out:
``check_facts(facts, cells)`` — findings where the prose contradicts the tables, each a dict
with ``rule, severity, table, row, column, message`` (``check_fact_records`` does the same
on plain tuples):

- ``narrative_requests`` (warning): a request count in the prose that equals neither
  ``requests/new_received/total`` nor ``requests/total/total``. Prose counts loosely
  (办理 often means received), so a count that matches either row is accepted; the
  message names the row of the count's own kind first.
- ``narrative_fee_exceeds_table`` (warning): the information-processing fee collected
  (信息处理费, 元) is larger than the table's 行政事业性收费 amount (``active/fees/amount``,
  万元, 2021 template), although the fee is collected as an administrative fee (booked
  under 其他缴入国库的行政事业性收费).
- ``narrative_fee_unit`` (warning): a fee of X 元 in the prose and exactly X in the
  table's 万元 column — the table most likely holds 元.

Only candidates of 'high' or 'medium' confidence are checked (``min_confidence``). A fee
of 0 in the prose never contradicts a positive table amount: that row counts all of the
agency's administrative fees, not only the information-processing fee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import pandas as pd

from ..findings import Finding
from .facts import CONFIDENCE
from .text import normalize

_APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
               "legal_services", "other")
_REQUEST_ROW = {"requests_received": ("new_received", "received"),
                "requests_handled": ("total", "handled")}
_ROW_NAME = {"new_received": "new requests received", "total": "requests handled"}


def check_facts(facts: pd.DataFrame, cells: pd.DataFrame,
                min_confidence: str = "medium") -> list[Finding]:
    """Findings where the prose contradicts the tables of the same report."""
    if "report_id" in cells.columns and cells["report_id"].nunique() > 1:
        raise ValueError("cells hold several reports; check one report at a time")
    if facts.empty:
        return []
    rows = [_Fact(*r) for r in zip(*(facts[c].tolist() for c in _Fact._fields), strict=True)]
    columns = (cells[c].tolist() for c in ("table", "row", "column", "value"))
    return check_fact_records(rows, zip(*columns, strict=True), min_confidence)


def check_fact_records(facts: Iterable[tuple], cells: Iterable[tuple],
                       min_confidence: str = "medium") -> list[Finding]:
    """``check_facts`` on plain tuples: facts as (fact, value, sentence, confidence), cells
    as (table, row, column, value), both of one report."""
    allowed = CONFIDENCE[:CONFIDENCE.index(min_confidence) + 1]
    rows = [f for f in map(_Fact._make, facts) if f.confidence in allowed]
    if not rows:
        return []
    cells = _CellIndex(cells)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for f in rows:
        if f.fact in _REQUEST_ROW:
            finding = _check_request(f, cells)
        elif f.fact == "fees_collected":
            finding = _check_fee(f, cells)
        else:
            finding = None
        if finding is None:
            continue
        key = (finding.rule, finding.row, f.value)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    return findings


class _Fact(NamedTuple):
    fact: str
    value: float
    sentence: str
    confidence: str


class _CellIndex(dict):
    """(table, row, column) -> the value of the first such cell of a long table."""

    def __init__(self, cells: Iterable[tuple]):
        super().__init__()
        for key in cells:  # (table, row, column, value)
            self.setdefault(key[:3], key[3])


def _cell(cells: _CellIndex, table: str, row: str, column: str) -> Decimal | None:
    if (table, row, column) not in cells:
        return None
    value = cells[(table, row, column)]
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _check_request(f: _Fact, cells: _CellIndex) -> Finding | None:
    own_row, verb = _REQUEST_ROW[f.fact]
    other_row = "total" if own_row == "new_received" else "new_received"
    own = _cell(cells, "requests", own_row, "total")
    other = _cell(cells, "requests", other_row, "total")
    said = Decimal(str(f.value))
    if own is not None:
        row, printed = own_row, own
    elif other is not None:
        row, printed = other_row, other
    else:
        return None
    if said in (own, other):
        return None
    message = (f"text says {_fmt(said)} requests {verb} ({_quote(f.sentence, said)}), "
               f"table {row} total is {_fmt(printed)}")
    if own is not None and other is not None:
        message += f" ({_ROW_NAME[other_row]}: {_fmt(other)})"
    parts = [p for p in (_cell(cells, "requests", row, c) for c in _APPLICANTS) if p is not None]
    if len(parts) == len(_APPLICANTS) and sum(parts, Decimal(0)) != printed:
        message += f"; its applicant columns add to {_fmt(sum(parts, Decimal(0)))}"
    return Finding("narrative_requests", message, "requests", row, "total")


def _check_fee(f: _Fact, cells: _CellIndex) -> Finding | None:
    amount = _cell(cells, "active", "fees", "amount")  # 万元
    said = Decimal(str(f.value))  # 元
    if amount is None or said <= 0:
        return None
    quote = _quote(f.sentence, said)
    if amount == said:
        return Finding("narrative_fee_unit", f"text says {_fmt(said)} 元 of information-processing "
                       f"fees ({quote}) and the table's fees amount is {_fmt(amount)} 万元 "
                       f"(= {_fmt(amount * 10000)} 元): the table probably holds 元",
                       "active", "fees", "amount")
    if said > amount * 10000:
        return Finding("narrative_fee_exceeds_table", f"text says {_fmt(said)} 元 of "
                       f"information-processing fees ({quote}), more than the table's fees "
                       f"amount of {_fmt(amount)} 万元 (= {_fmt(amount * 10000)} 元)",
                       "active", "fees", "amount")
    return None


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _quote(sentence: str, value: Decimal, width: int = 60) -> str:
    """The sentence, cut to ``width`` characters around the number it states."""
    if len(sentence) <= width:
        return f"“{sentence}”"
    m = re.search(rf"(?<![\d.]){re.escape(_fmt(value))}(?![\d])", normalize(sentence))
    mid = m.start() if m else 0
    a = max(0, min(mid - width // 2, len(sentence) - width))
    cut = sentence[a:a + width]
    return "“" + ("…" if a else "") + cut + ("…" if a + width < len(sentence) else "") + "”"
