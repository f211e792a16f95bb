"""What the three readers share: cell text, table grids and the lines they become.

The output contract (read by the text parser): one line per paragraph; every table row
one line of tab-separated cells; a spanned cell's text once, in its first (top-left) grid
position, and the positions it covers empty; whitespace inside a cell collapsed to one
space; a cell holding only spaces (``&nbsp;``) empty, never ``0``.
"""

from __future__ import annotations

import re

# A hard space: an explicit break inside one cell or line (``<br>``, a second paragraph
# in a DOCX cell). It always becomes one space, even between two Chinese characters.
HARD_SPACE = "\x1f"

# Every kind of blank a report uses, with the zero-width ones; tab and newline included.
_BLANKS = "\t\n\r\x0b\x0c \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff" + HARD_SPACE
BLANK_RUN = re.compile(f"[{_BLANKS}]+")  # what collapse turns into one space, or nothing
_ZERO_WIDTH = "\u200b\ufeff"
# a wide (CJK) character: no space is put or kept between two of them
WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef]")


def collapse(text: str) -> str:
    """One space for each run of blanks; nothing at either end.

    A run made only of line breaks and ordinary spaces between two wide (Chinese)
    characters is a line wrapped in the source (an HTML source line, a PDF cell line),
    not a space the author typed, and is dropped, as CSS does with segment breaks. A run
    holding a hard space, a no-break space or an ideographic space is always one space;
    zero-width characters alone are dropped.
    """
    if not BLANK_RUN.search(text):  # most cells: one word or number
        return text

    def repl(m: re.Match) -> str:
        run = m.group(0)
        if not run.strip(_ZERO_WIDTH):
            return ""
        if ("\n" in run or "\r" in run) and not re.search(f"[^\n\r \t{_ZERO_WIDTH}]", run):
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if WIDE.match(before) and WIDE.match(after):
                return ""
        return " "

    return BLANK_RUN.sub(repl, text).strip(" ")


class Grid:
    """A table laid out on a grid: rowspan and colspan expanded, spanned text once."""

    def __init__(self, max_cells: int = 2_000_000):
        self._rows: list[dict[int, str]] = []
        self._max_cells = max_cells
        self._cells = 0

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """Put ``text`` at (row, col) and mark the rest of its span as covered ('')."""
        self._cells += rowspan * colspan
        if self._cells > self._max_cells:
            raise OverflowError(f"table has more than {self._max_cells} grid cells")
        for r in range(row, row + rowspan):
            while len(self._rows) <= r:
                self._rows.append({})
            cells = self._rows[r]
            for c in range(col, col + colspan):
                cells[c] = text if (r == row and c == col) else ""

    def taken(self, row: int, col: int) -> bool:
        return row < len(self._rows) and col in self._rows[row]

    def next_free(self, row: int, col: int) -> int:
        while self.taken(row, col):
            col += 1
        return col

    def ensure_rows(self, n: int) -> None:
        while len(self._rows) < n:
            self._rows.append({})

    @property
    def width(self) -> int:
        return max((max(r) + 1 for r in self._rows if r), default=0)

    def rows(self) -> list[list[str]]:
        """Every row padded to the table's width; rows with no text left out."""
        width = self.width
        out = []
        for cells in self._rows:
            row = [cells.get(c, "") for c in range(width)]
            if any(row):
                out.append(row)
        return out


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of cells -> tab-separated lines (no tab or newline survives inside a cell)."""
    return ["\t".join(collapse(c) for c in row) for row in rows]


def join_lines(lines: list[str]) -> str:
    """The document: non-empty lines, one per paragraph or table row."""
    return "\n".join(line for line in lines if line.strip()) + "\n"
