"""One file's parse → a ``Result``: what a worker sends back and the cache keeps.

In: a report's metadata and its tables as plain tuples (columns in the order of
``govopen.fields``), or why nothing could be read. Out: ``Result``, and its JSON text
(``to_json``, ``from_json``) for ``ResultCache``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..fields import CELL_COLUMNS, STATISTIC_TABLE_COLUMNS

_TABLES = ("cells", "findings", "sections", "facts", "statistics")


@dataclass
class Result:
    """What parsing one file's bytes gave; the same for every copy of those bytes.

    Its tables are plain tuples in the column order of ``CELL_COLUMNS``,
    ``FINDING_COLUMNS``, ``SECTION_COLUMNS``, ``FACT_COLUMNS`` and
    ``STATISTIC_TABLE_COLUMNS`` (a pre-2019 report's statistics; none for a later report):
    cheap to send back from a worker and to cache, and gathered into one DataFrame per
    chunk of files.
    """

    meta: dict
    cells: list[tuple]
    findings: list[tuple]
    error: str = ""  # why nothing could be read; "" when parsed
    final: bool = True  # False for failures that another try might not repeat (a crash)
    sections: list[tuple] = field(default_factory=list)
    facts: list[tuple] = field(default_factory=list)
    statistics: list[tuple] = field(default_factory=list)

    def to_json(self) -> str:
        # only final results are cached; a missing value is written as NaN, which
        # Python's json reads back (the cache is govopen's own, not for other readers)
        return json.dumps({"meta": self.meta, "error": self.error,
                           **{name: getattr(self, name) for name in _TABLES}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Result:
        d = json.loads(text)
        # an entry without one of the tables (written before it existed) raises KeyError,
        # one whose cells have other columns (written before a column was added)
        # ValueError: the cache reports it absent and the file is parsed again
        if any(len(r) != len(CELL_COLUMNS) for r in d["cells"]):
            raise ValueError("cells of another column set")
        return cls(d["meta"], _with_nan(d["cells"], CELL_COLUMNS.index("value")),
                   [tuple(r) for r in d["findings"]], d["error"],
                   sections=[tuple(r) for r in d["sections"]],
                   facts=[tuple(r) for r in d["facts"]],
                   statistics=_with_nan(d["statistics"], STATISTIC_TABLE_COLUMNS.index("value")))


def _with_nan(rows: list[list], value: int) -> list[tuple]:
    """Rows read back from JSON, a missing value (written as null or NaN) as NaN."""
    nan = float("nan")
    return [tuple(nan if v is None and i == value else v for i, v in enumerate(row))
            for row in rows]


def failed(message: str, final: bool = True) -> Result:
    """The result of a file nothing could be read from."""
    return Result({}, [], [], message, final)
