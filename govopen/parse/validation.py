"""Cells → findings: every identity (勾稽关系) of SCHEMA.md checked, column by column.

In: the cell values of one table (``{(row, column): value or None}``) and its template.
Out: one finding per identity that fails, naming the cells and both sides; printed
values are never changed. An identity with a missing cell is not checked (its cells are
already flagged where they were placed).
"""

from __future__ import annotations

from decimal import Decimal

from ..findings import Finding
from ..schema import RULES, identities


def check_identities(table: str, values: dict[tuple[str, str], Decimal | None],
                     template: str | None) -> list[Finding]:
    findings: list[Finding] = []
    # the known values only, so a missing cell is a missing key (testing each value for
    # None costs more than the sums: Decimal's == is slow against None)
    known = {c: v for c, v in values.items() if v is not None}
    for ident in identities(table, template or "2021"):
        try:
            vals = [known[c] for c in ident.cells]
        except KeyError:
            continue
        left, right = vals[:len(ident.lhs)], vals[len(ident.lhs):]
        if sum(left) == sum(right):
            continue
        findings.append(Finding(
            rule=ident.rule, table=table,
            row=ident.row, column=ident.column,
            message=f"{ident.description} fails: {_side(ident.lhs, left)} = {_num(sum(left))}, "
                    f"but {_side(ident.rhs, right)} = {_num(sum(right))} ({RULES[ident.rule]})"))
    return findings


def _side(cells, vals) -> str:
    if len(cells) > 3:
        nonzero = [f"{r}/{c} {_num(v)}" for (r, c), v in zip(cells, vals, strict=True) if v]
        return "sum of " + str(len(cells)) + " cells" + (f" ({', '.join(nonzero)})" if nonzero else "")
    return " + ".join(f"{r}/{c} {_num(v)}" for (r, c), v in zip(cells, vals, strict=True))


def _num(v) -> str:
    s = format(v, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s
