"""Tab-separated table rows → the column each printed number stands in.

In: the normalised text, where the readers of HTML, DOCX and ruled PDF tables (and
spreadsheets or Word tables copied out) print every table row as one line of
tab-separated cells, a spanned cell's text once and the positions it covers empty. Out:
for a labelled row, one entry per column of the row — the number token printed in that
column's cell, or ``None`` where the cell is empty — or ``None`` when the row's line is
not such a grid row.

Why. A page that leaves zeros blank (``<td>&nbsp;</td>``) prints '821 35 2 1 859' for
seven cells; read as a run of numbers, the blanks could stand anywhere. The grid says
where: the header row puts each column label (自然人, 商业企业 … 总计) in a position,
and a data row of the same width puts each number in one. A blank cell is then an
unknown *in that column*, which the identities usually settle.

A line is read as a grid row only when it has exactly the width of the header line that
names the columns, the label stands left of every value column, no value cell holds more
than one token, and nothing else is printed right of the label (a row whose numbers sit
one field off the header's positions is not the header's grid). Anything else is left to the run-of-numbers reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Token, read_numbers, skeleton_of

# A number with a letter that OCR reads for a digit (O/o for 0, l/I for 1, Z for 2, S for
# 5, B for 8): what it stands for is not known, only that a number stands there.
MISREAD = re.compile(r"[\d,.]*[OolIZSB][\dOolIZSB,.]*")


@dataclass(frozen=True)
class Header:
    width: int  # fields of every line of the grid
    index: dict[str, int]  # column key -> field position


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


_UNIT_NOTE = re.compile("单位.*$")  # 本年收费金额（单位：万元） names 本年收费金额


def find_header(text: str, lo: int, hi: int, variants: dict[str, tuple[str, ...]],
                keys: tuple[str, ...], *, nearest: bool = False) -> Header | None:
    """The column positions named by the tab lines in [lo, hi), for the columns ``keys``.

    ``variants`` maps a column key to the skeletons of its printed labels. A field names a
    column when its skeleton is one of them; the lines may split the labels over several
    header rows (自然人 above 商业企业), but must all have one width. The last line naming a
    column decides its position, since headers closest to the rows are the most specific.
    With ``nearest``, only the last line that names a column counts (section 二 prints a
    header of its own above each group of rows).
    """
    lookup = {v: key for key in keys for v in variants[key]}
    index: dict[str, int] = {}
    width = None
    header_lines = []
    pos = lo
    while pos < hi:
        end = text.find("\n", pos, hi)
        end = hi if end < 0 else end
        line = text[pos:end]
        pos = end + 1
        if "\t" not in line:
            continue
        fields = line.split("\t")
        named = {i: lookup[s] for i, f in enumerate(fields)
                 if (s := _UNIT_NOTE.sub("", skeleton_of(f))) in lookup}
        if named:
            header_lines.append((fields, named))
    if nearest:
        header_lines = header_lines[-1:]
    for fields, named in header_lines:
        if width is not None and len(fields) != width:
            return None  # header lines of different widths: not one grid
        width = len(fields)
        for i, key in named.items():
            index[key] = i
    if width is None or any(k not in index for k in keys):
        return None
    if len(set(index[k] for k in keys)) != len(keys):
        return None  # two columns in one position: the labels do not make a grid
    return Header(width, index)


def row_tokens(text: str, label_start: int, label_end: int, header: Header,
               keys: tuple[str, ...]) -> list[Token | None] | None:
    """The token in each column ``keys`` of the grid row holding the label, in order.

    The row's line is the one where the label ends: its start may take in the blanks before
    an enumerator ('\t\t2.'), which can reach back over a line break."""
    last = max(label_start, label_end - 1)
    start, end = _line_bounds(text, last)
    line = text[start:end]
    fields = line.split("\t")
    if len(fields) != header.width:
        return None
    label_field = line.count("\t", 0, last - start)
    if any(header.index[k] <= label_field for k in keys):
        return None
    columns = {header.index[k] for k in keys}
    if any(fields[i].strip() for i in range(label_field + 1, len(fields)) if i not in columns):
        return None  # something printed between or beside the columns: the row is shifted
    offsets = []
    at = start
    for f in fields:
        offsets.append(at)
        at += len(f) + 1
    out: list[Token | None] = []
    for key in keys:
        i = header.index[key]
        a, b = offsets[i], offsets[i] + len(fields[i])
        tokens = read_numbers(text, a, b)
        rest = text[tokens[-1].end:b] if tokens else text[a:b]
        if rest.strip():
            raw = text[a:b].strip()
            if MISREAD.fullmatch(raw):  # a digit read as a letter: the cell is unknown
                out.append(Token(raw, a + text[a:b].find(raw), b, None))
                continue
            return None  # a cell of words: not a value cell
        if len(tokens) > 1:
            # several numbers in one cell ('1 0'): a number split by a space, or two values
            # where one belongs; which, the cell cannot say, so its value is unknown
            raw = text[a:b].strip()
            out.append(Token(raw, tokens[0].start, tokens[-1].end, None))
            continue
        out.append(tokens[0] if tokens else None)
    return out


def run_tokens(text: str, start: int, cells: int) -> tuple[list[Token | None], int] | None:
    """A line of exactly ``cells`` tab-separated value cells from the line at ``start``
    (section 四's row of results): the token or ``None`` of each, and the line's end."""
    a, b = _line_bounds(text, start)
    line = text[a:b]
    if line.count("\t") != cells - 1:
        return None
    out: list[Token | None] = []
    at = a
    for f in line.split("\t"):
        tokens = read_numbers(text, at, at + len(f))
        rest = text[tokens[-1].end:at + len(f)] if tokens else f
        if len(tokens) > 1 or rest.strip():
            return None
        out.append(tokens[0] if tokens else None)
        at += len(f) + 1
    if all(t is None for t in out):
        return None
    return out, b


__all__ = ["Header", "find_header", "row_tokens", "run_tokens"]
