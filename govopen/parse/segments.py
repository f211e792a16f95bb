"""What placement works on and gives back, shared by its modules.

In: nothing; these are the types. ``Segment`` is a run of number tokens read for some cells
of one table (with, where known, its readings given or its grid positions); ``Placement``
is one cell's value, source text, status and note; ``Outcome`` is a table's placements
and findings, with the weight of the identities its best solutions break. ``SIGNED``
names, per table, the columns where a negative number can stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..findings import Finding
from ..schema import TABLES
from .cuts import Part
from .text import Token

Cell = tuple[str, str]


@dataclass
class Segment:
    table: str
    cells: list[Cell]
    tokens: list[Token]
    glued: bool
    line: int  # line of the label, for cells that were never printed
    label: str = ""
    # Readings supplied by the caller instead of cutting the tokens: every way to match
    # rows of numbers printed apart from their labels to the rows (see ``torn``).
    given: list[list[Part]] | None = None
    origin: str = ""  # where the numbers come from when no label ties them to the row
    # The token printed in each cell, or None for an empty cell, where the source's grid
    # says which cell each number stands in (see ``grid``): the row's one reading.
    positions: list[Token | None] | None = None


@dataclass
class Placement:
    value: Decimal | None
    raw: str
    status: str  # parsed | inferred | missing
    line: int
    note: str = ""
    start: int = -1


@dataclass
class Outcome:
    cells: dict[Cell, Placement] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    broken: int = 0  # weight of the identities the best solutions break


# table -> the keys of its columns where a negative number can stand
SIGNED = {name: frozenset(c.key for c in t.columns if c.signed) for name, t in TABLES.items()}
