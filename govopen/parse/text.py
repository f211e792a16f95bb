"""Text → normalised text, label skeletons and number tokens.

In: the decoded text of a report. Out:

* ``normalize(text)`` — the same text with full-width ASCII (０-９, （）, ，…) folded to
  half-width and every kind of space folded to ' ', *character for character*, so an
  offset into the normalised text is an offset into the source;
* ``Skeleton`` — the text with everything but Chinese characters, letters and digits
  dropped, and a map back to source offsets, for lenient label matching;
* ``read_numbers(text, start, stop)`` — the run of number tokens that follows a row
  label: ``Token`` objects with their raw text, offsets, value, unit, and whether the
  token could hold several run-together cells.

Blank, '-', '—', '/', '无' are kept apart from 0: a placeholder is a token with no value.
A run of digits too long to be one cell (``MAX_CELL_DIGITS``) has no value either; it
says why in ``unreadable``, and keeps its digits only while it may still be a row's
cells run together (``MAX_RUN_DIGITS``). The offset maps of ``Skeleton`` and
``LineIndex`` are arrays of machine integers, not lists of Python ints: a text of
millions of characters costs a few bytes per character, not forty.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u200b\u202f\u205f\u3000\ufeff\r\x0b\x0c"
_FOLD: dict[int, int | str] = {0xFF01 + i: 0x21 + i for i in range(0x5E)}  # full-width ASCII -> ASCII
_FOLD.update({ord(c): " " for c in _SPACES})
_FOLD.update({0x2212: "-", 0xFE63: "-", 0x2013: "-"})  # minus sign, small hyphen, en dash


# The same as a list indexed by code point: str.translate looks a list up faster than a
# dict. Characters beyond it (outside the BMP) raise IndexError and are kept, as
# characters missing from the dict are.
_FOLD_TABLE = [chr(i) for i in range(0x10000)]
for _k, _v in _FOLD.items():
    _FOLD_TABLE[_k] = _v if isinstance(_v, str) else chr(_v)
# The last two texts folded, and what they became: the stages of one report fold the
# same text, or its folded form, again, with a short one (the agency's name) in between.
_recent: list[tuple[str, str]] = []


def normalize(text: str) -> str:
    """Fold full-width ASCII and spaces, one character for one character."""
    for last_in, last_out in _recent:
        if text is last_in or text is last_out:
            return last_out
    out = text.translate(_FOLD_TABLE)
    _recent.insert(0, (text, out))
    del _recent[2:]
    return out


# What a label skeleton keeps: ASCII digits and letters, the CJK ideographs (ext. A and
# the main block), as code point ranges.
_SKELETON_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_SKELETON_CHAR = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _SKELETON_RANGES) + "]")


class Skeleton:
    """The letters, digits and Chinese characters of a text, with source offsets."""

    def __init__(self, text: str):
        # one vectorised test of the code points: a regex match per character (or per run
        # of them) costs more than the rest of reading a table. Chunk by chunk, so that the
        # code points (four bytes a character) are never held for the whole of a long text.
        pieces: list[str] = []
        self.offsets = _offset_array(len(text))
        for at in range(0, len(text), _CHUNK):
            codes = np.frombuffer(text[at:at + _CHUNK].encode("utf-32-le", "surrogatepass"),
                                  dtype=np.uint32)
            keep = np.zeros(len(codes), dtype=bool)
            for lo, hi in _SKELETON_RANGES:
                keep |= (codes >= lo) & (codes <= hi)
            pieces.append(codes[keep].tobytes().decode("utf-32-le"))
            kept = np.flatnonzero(keep)
            kept += at
            self.offsets.frombytes(kept.astype(self.offsets.typecode).tobytes())
        self.text = "".join(pieces)

    def source_start(self, k: int) -> int:
        return self.offsets[k] if k < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)

    def source_end(self, k_end: int) -> int:
        """Source offset just after skeleton char ``k_end - 1``."""
        return self.offsets[k_end - 1] + 1 if k_end > 0 else 0

    def index_at(self, source_offset: int) -> int:
        """First skeleton index at or after a source offset."""
        return bisect.bisect_left(self.offsets, source_offset)


_CHUNK = 1 << 20  # characters a Skeleton looks at at once


def _offset_array(n: int) -> array:
    """An empty array for offsets into a text of ``n`` characters: four bytes each where
    they fit (an array, unlike a list, holds no object per offset, and bisect reads it)."""
    return array("i" if n < 2**31 and array("i").itemsize == 4 else "q")


def skeleton_of(label: str) -> str:
    return "".join(_SKELETON_CHAR.findall(normalize(label)))


class LineIndex:
    """Source offset -> 1-based line number."""

    def __init__(self, text: str):
        self.breaks = _offset_array(len(text))
        self.breaks.extend(m.start() for m in re.finditer("\n", text))

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.breaks, offset - 1) + 1 if offset > 0 else 1

    def column(self, offset: int) -> int:
        """Where ``offset`` stands on its line, in characters from 0."""
        line = self.line(offset)
        return offset if line == 1 else offset - self.breaks[line - 2] - 1


# --- number tokens ------------------------------------------------------------------

_UNITS = ("万元", "元", "笔", "件", "个", "条", "项")
_PLACEHOLDERS = ("——", "—", "--", "-", "/", "无", "―", "\\")
_UNIT_FIRST = frozenset(u[0] for u in _UNITS)
PLACEHOLDER_FIRST = frozenset(p[0] for p in _PLACEHOLDERS)
_NUM = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_YEAR_TAIL = re.compile(r"(?:19|20)\d\d$")
_WS = " \t\n|"  # '|' parts the cells of a markdown table, as a space does
# Most cells are small whole numbers: their Decimals are made once, not per token.
_SMALL_DIGITS = 4
_SMALL = {str(n): Decimal(n) for n in range(10 ** _SMALL_DIGITS)}
# A run of them parted by _WS, each read exactly as the loop in read_numbers reads it (no
# unit, no year, no separator follows): most of a table, read at once instead of
# character by character.
_SMALL_RUN = re.compile(rf"(?:[{re.escape(_WS)}]*(?:0|[1-9][0-9]{{0,{_SMALL_DIGITS - 1}}})"
                        rf"(?=[{re.escape(_WS)}]|\Z))+")
_DIGITS = re.compile(r"[0-9]+")
# A row label's numbering at the start of a line or cell ('6.属于四类过程性信息', '6、…',
# '6)…', or '6.' alone in its cell where the label's words went on to the next line): it
# opens the next row's label, whether or not the rest of that label is known, and is
# never one of this row's numbers. Run together after digits ('…00000002.其他法律…') it is
# told by the next label found, not here.
ENUMERATOR = re.compile(r"\d{1,2}(?:[.、)] *[\u3400-\u4dbf\u4e00-\u9fff]|[.、] *(?=[\t|\n]|\Z))")
SKIPPABLE_BEFORE = _WS + ")]}）】”’\"':：、"


# No count or amount in these reports comes near 15 digits (the largest are tens of
# millions of decisions, or 万元 with four decimals), and 15 significant digits are what a
# float64 holds exactly: the integer program and the value column work in float64. A
# longer run is not one cell; read as one, it would end in OverflowError, a wrong value, or
# ValueError past the interpreter's 4300-digit limit on int().
MAX_CELL_DIGITS = 15
# The longest run of digits read as a row's cells run together: section 四's fifteen cells
# of four digits, an agency with thousands of reviews and lawsuits in every column (the
# longest real runs, a big agency's seven section-三 cells, are under 30 digits). Longer
# runs are no row of any report, and cutting them into cells is a search that grows with
# every digit.
MAX_RUN_DIGITS = 15 * 4


@dataclass(slots=True)  # not frozen: a frozen dataclass is built slowly, and reports hold
class Token:            # hundreds of tokens. Tokens are never changed once read.
    raw: str  # the characters as printed (after width folding)
    start: int
    end: int
    value: Decimal | None  # None for a placeholder, and for a run too long to be one cell
    unit: str = ""
    sign: str = ""
    int_digits: str = ""  # digits before the decimal point, without separators
    fraction: str = ""  # '.xx' or ''
    grouped: bool = False  # printed with thousands separators
    unreadable: str = ""  # why a run of digits has no value ('' for every other token)

    @property
    def is_placeholder(self) -> bool:
        """No value and no digits to cut cells from: '—', '无', or a run of digits that no
        row's cells run together can be."""
        return self.value is None and not self.int_digits

    @property
    def splittable(self) -> bool:
        """Could hold several run-together cells: plain digits, more than one ('-1225' too:
        a minus sign belongs to the first of its cells)."""
        return not self.grouped and len(self.int_digits) > 1


def parse_number(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def read_numbers(text: str, start: int, stop: int | None = None) -> list[Token]:
    """The number tokens printed from ``start``, up to the first non-number text.

    ``text`` must be normalised. Whitespace and the '|' of markdown tables separate tokens;
    they never join them.
    A run of digits directly followed by 年 loses a trailing four-digit year
    ('…20000022025年' reads '2000002'), and reading stops there. Reading stops, too, at
    a label's numbering at the start of a line or cell (``ENUMERATOR``).
    """
    stop = len(text) if stop is None else stop
    tokens: list[Token] = []
    i = start
    while i < stop and text[i] in SKIPPABLE_BEFORE:
        i += 1
    while i < stop:
        ch = text[i]
        if ch in _WS:
            i += 1
            continue
        if (i == 0 or text[i - 1] in _WS) and ENUMERATOR.match(text, i):
            break
        run = _SMALL_RUN.match(text, i, stop)
        if run:
            for d in _DIGITS.finditer(text, i, run.end()):
                tokens.append(_number_token(d.group(), d.start(), d.end(), ""))
            i = run.end()
            continue
        m = _NUM.match(text, i, stop)
        if m and (m.group()[0] not in "-+" or len(m.group()) > 1):
            raw_num = m.group()
            j = m.end()
            nxt = text[j] if j < stop else ""
            if nxt in ("年", "月", "日", "%"):
                if nxt == "年":
                    head = _YEAR_TAIL.sub("", raw_num)
                    if head and head != raw_num and not head.endswith((".", ",")):
                        tokens.append(_number_token(head, i, i + len(head), ""))
                break
            unit = ""
            if j < stop and text[j] in _UNIT_FIRST:
                unit = next((u for u in _UNITS if text.startswith(u, j) and j + len(u) <= stop), "")
            tokens.append(_number_token(raw_num, i, j, unit))
            i = j + len(unit)
            if i < stop and text[i] not in _WS and not _NUM.match(text, i, stop):
                break  # a number glued to prose: the run ends here
            continue
        if ch not in PLACEHOLDER_FIRST:
            break
        ph = next((p for p in _PLACEHOLDERS if text.startswith(p, i) and i + len(p) <= stop), None)
        if ph and (i + len(ph) >= stop or text[i + len(ph)] in _WS or _NUM.match(text, i + len(ph))):
            tokens.append(Token(ph, i, i + len(ph), None))
            i += len(ph)
            continue
        break
    return tokens


def _number_token(raw_num: str, start: int, end: int, unit: str) -> Token:
    small = _SMALL.get(raw_num)
    if small is not None:
        return Token(raw_num + unit, start, end + len(unit), small, unit, "", raw_num)
    sign = raw_num[0] if raw_num[0] in "-+" else ""  # '+1' in 本年增/减 ('0+11': 0, +1, 1)
    body = raw_num[len(sign):]
    int_part, _, frac = body.partition(".")
    int_digits = int_part.replace(",", "")
    grouped = "," in int_part
    fraction = ("." + frac) if frac else ""
    digits = len(int_digits) + len(frac)
    if digits <= MAX_CELL_DIGITS:
        return Token(raw_num + unit, start, end + len(unit), parse_number(raw_num), unit,
                     sign, int_digits, fraction, grouped)
    why = (f"'{_shortened(raw_num)}' has {digits} digits, more than the {MAX_CELL_DIGITS} "
           "any count or amount has")
    if sign or grouped or len(frac) > MAX_CELL_DIGITS or len(int_digits) > MAX_RUN_DIGITS:
        # cannot be cells run together either (a minus sign or separators only stand in
        # one number, and no row has cells enough): nothing to cut, a placeholder
        int_digits, fraction = "", ""
    return Token(raw_num + unit, start, end + len(unit), None, unit, sign, int_digits,
                 fraction, grouped, why)


def _shortened(raw: str, keep: int = 12) -> str:
    return raw if len(raw) <= 2 * keep else f"{raw[:keep]}…{raw[-keep:]}"


def valid_part(digits: str) -> bool:
    """A run-together cell: no leading zero unless the cell is '0' itself, and no more
    digits than a cell can have."""
    return bool(digits) and len(digits) <= MAX_CELL_DIGITS and (digits == "0" or digits[0] != "0")
