"""Misprinted labels, found by a rule instead of by lists of variants.

In: a label in skeleton form (Chinese characters only, see ``text.skeleton_of``), a text
in skeleton form and the range of it to search. Out: a ``Match`` — where the label is
printed with a few misprints (a character dropped or added, a look-alike in place of
another, two characters swapped) — when there is exactly one best such place; for
several labels missing from one range, ``place_all``. Also the printed forms of a row's
label (``own_label``, ``printed_forms``) and the finding that reports a misprint.

Reports print 本年废纸件数 for 本年废止件数, 先行有效件数 for 现行有效件数, 属于行政执法案件
for 属于行政执法案卷, 其他法律行政止公开 for 其他法律行政法规禁止公开. A list of variants
learns each misprint from one file and misses the next one; the rule takes any of them,
within these bounds:

* the distance is the optimal string alignment distance: Levenshtein's insertions,
  deletions and substitutions, and the swap of two adjacent characters, one edit each;
* a label of fewer than ``MIN_LENGTH`` characters (规章, 总计, 其他) never matches
  approximately, and neither does printed text that short: one edit in three
  characters leaves too little of a label to know it by;
* at most ``max_edits(len(label))`` = len // 4 edits: one in a label of 4–7 characters,
  two in 8–11, three in 12–15 (其他法律行政止公开 is 12 characters less three). A
  quarter keeps the distinctive part of every label: no two row labels of one table are
  within it of each other but the pair the last rule below is for (``tests/parse/test_labels.py``
  checks it);
* the printed text is a run of Chinese characters: a digit or a letter is never part of
  it, as in run-together text the numbers touch the labels ('…案件3000003 8.属于…');
* only a unique best place is taken: two places as good (edits per character of the
  label) leave the label unfound, and where two labels want overlapping text the better
  fit takes it, neither of them on a tie;
* printed text as near to another label of the table as to the one sought is not taken
  (本年新收政府信息公开申请数量 is three edits from 上年结转政府信息公开申请数量), nor text
  that overlaps another label printed whole (重复申请 is one edit from 反复申请, the end
  of 无正当理由大量反复申请).

Callers (``tables``, ``sections``) search only where an exact search found nothing, and
only between the labels found exactly, in the template's order (``gaps``): such a gap
holds the missing label, its numbers and little else, which is what makes the bound safe.
(``tables`` also searches next to a label found by its core, where the rest of the label
is misprinted.)

The search is Sellers' dynamic programme (the edit distance of the label against every
substring of the range, in one pass), computed one label character at a time over the
whole range with numpy; a range that lacks too many of the label's characters costs a set
lookup, not a programme.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

import numpy as np

from ..findings import Finding
from ..schema import Row
from .text import skeleton_of

Key = TypeVar("Key", bound=Hashable)  # what names a label: a row's key, a column's, a numeral

MIN_LENGTH = 4
# the code points a label is made of (CJK ext. A and the main block); anything else in
# a skeleton (digits, letters) ends a printed label
_LABEL_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


def max_edits(length: int) -> int:
    """How many edits a label of ``length`` characters may be printed with: none below
    ``MIN_LENGTH``, then one per four characters."""
    return 0 if length < MIN_LENGTH else length // 4


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps
    of two adjacent characters, each one edit (no character edited twice)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@dataclass(frozen=True)
class Match:
    """``label`` printed as ``text[start:end]`` with ``edits`` edits."""

    start: int
    end: int
    edits: int
    label: str

    @property
    def misfit(self) -> Fraction:
        """Edits per character of the label: what 'as good as' compares."""
        return Fraction(self.edits, len(self.label))

    def overlaps(self, other: Match) -> bool:
        return self.start < other.end and other.start < self.end


def is_label_char(c: str) -> bool:
    """A character a label is made of (a Chinese character, not a digit or a letter)."""
    return "\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff"  # _LABEL_RANGES


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _programme(label: str, codes: np.ndarray, barrier: np.ndarray) -> list[np.ndarray]:
    """Sellers' table: row i, column j is the fewest edits that turn ``label[:i]`` into
    some substring of the text ending before ``codes[j]`` (row 0 is all zeros: a match
    may start anywhere). No substring holds a barrier character."""
    n = len(codes)
    cols = np.arange(n + 1, dtype=np.int64)
    # insertions run along a row; a barrier character starts a new segment that they do
    # not enter from the left, which a large offset per segment enforces in one cumulative
    # minimum (values never exceed len(label), columns never exceed n)
    shift = np.concatenate(([0], np.cumsum(barrier))).astype(np.int64) * (2 * n + len(label) + 2)
    rows = [np.zeros(n + 1, dtype=np.int64)]
    for i in range(1, len(label) + 1):
        prev = rows[-1]
        body = np.minimum(prev[:-1] + (codes != ord(label[i - 1])), prev[1:] + 1)
        if i > 1 and n > 1:
            swap = (codes[:-1] == ord(label[i - 1])) & (codes[1:] == ord(label[i - 2]))
            if swap.any():
                body[1:] = np.where(swap, np.minimum(body[1:], rows[-2][:-2] + 1), body[1:])
        body[barrier] = i  # ending on a barrier: only the empty substring after it
        row = np.concatenate(([i], body))
        rows.append(np.minimum.accumulate(row - cols - shift) + cols + shift)
    return rows


def _start(rows: list[np.ndarray], label: str, codes: np.ndarray, barrier: np.ndarray,
           end: int) -> int:
    """Where the alignment ending at column ``end`` starts, taking a substitution before a
    swap, a swap before a dropped or an added character: the printed text then keeps the
    label's length where it can."""
    i, j = len(label), end
    while i > 0:
        v = rows[i][j]
        if j > 0 and not barrier[j - 1] and rows[i - 1][j - 1] + (codes[j - 1] != ord(label[i - 1])) == v:
            i, j = i - 1, j - 1
        elif (i > 1 and j > 1 and codes[j - 2] == ord(label[i - 1]) and codes[j - 1] == ord(label[i - 2])
              and rows[i - 2][j - 2] + 1 == v):
            i, j = i - 2, j - 2
        elif rows[i - 1][j] + 1 == v:
            i -= 1
        else:
            j -= 1
    return j


def _could_hold(label: str, present: set[str]) -> bool:
    """Whether a range made of the characters ``present`` may hold ``label`` within the
    bound: an edit loses at most one of the label's characters, the rest are there."""
    k = max_edits(len(label))
    return k > 0 and sum(c in present for c in label) >= len(label) - k


def matches(label: str, text: str, lo: int = 0, hi: int | None = None,
            present: set[str] | None = None) -> list[Match]:
    """Every approximate occurrence of ``label`` in ``text[lo:hi]`` within the bound, one
    per end position (its best alignment), printed text of ``MIN_LENGTH`` or more.
    ``present``: the characters of the range, where the caller has them."""
    hi = len(text) if hi is None else hi
    if hi - lo < MIN_LENGTH or not _could_hold(label, set(text[lo:hi]) if present is None else present):
        return []
    k = max_edits(len(label))
    window = text[lo:hi]
    codes = _codes(window)
    barrier = np.ones(len(codes), dtype=bool)
    for a, b in _LABEL_RANGES:
        barrier &= (codes < a) | (codes > b)
    rows = _programme(label, codes, barrier)
    out = []
    for end in np.flatnonzero(rows[-1] <= k).tolist():
        start = _start(rows, label, codes, barrier, end)
        if end - start >= MIN_LENGTH:
            out.append(Match(lo + start, lo + end, int(rows[-1][end]), label))
    return out


def best(labels: Sequence[str], text: str, lo: int = 0, hi: int | None = None,
         present: set[str] | None = None) -> Match | None:
    """The one best place of any of ``labels`` (the printed forms of one label) in
    ``text[lo:hi]``; None when there is none, or when two places are as good."""
    hi = len(text) if hi is None else hi
    present = set(text[lo:hi]) if present is None else present
    return unique_best([m for label in labels for m in matches(label, text, lo, hi, present)])


def unique_best(found: Sequence[Match]) -> Match | None:
    """The best of ``found`` (fewest edits per label character) if it is one place:
    matches of that quality that overlap are one place, any that do not are a tie. Of
    the matches at that place, of any quality, the one of the longest form of the label
    is taken, then the one whose printed length is nearest the label's: a short form
    printed well (四类过程性) does not cut the whole label (于四类过性信息) short."""
    if not found:
        return None
    top = min(m.misfit for m in found)
    tied = sorted((m for m in found if m.misfit == top), key=lambda m: (m.start, m.end))
    place = Match(tied[0].start, tied[0].end, 0, tied[0].label)
    for m in tied[1:]:
        if m.start >= place.end:
            return None
        place = Match(place.start, max(place.end, m.end), 0, place.label)
    return min((m for m in found if m.overlaps(place)),
               key=lambda m: (-len(m.label), abs((m.end - m.start) - len(m.label)), m.end))


def nearer_rival(printed: str, edits: int, key: Key,
                 rivals: Mapping[Key, Sequence[str]]) -> bool:
    """Whether ``printed``, read as ``key``'s label with ``edits`` edits, is as near to the
    label of another key among ``rivals`` (key -> printed forms)."""
    return any(abs(len(form) - len(printed)) <= edits and distance(printed, form) <= edits
               for other, forms in rivals.items() if other != key for form in forms)


def inside_rival(text: str, m: Match, key: Key,
                 rivals: Mapping[Key, Sequence[str]]) -> bool:
    """Whether ``m`` overlaps the exact text of another key's label among ``rivals`` (of
    ``MIN_LENGTH`` or more: 其他 is part of too many labels): 重复申请 is one edit from
    the end of 无正当理由大量反复申请."""
    for other, forms in rivals.items():
        if other == key:
            continue
        for form in forms:
            if len(form) >= MIN_LENGTH and form in text[max(0, m.start - len(form) + 1):m.end + len(form) - 1]:
                return True
    return False


def place_all(wanted: Sequence[tuple[Key, Sequence[str]]], text: str, lo: int, hi: int,
              rivals: Mapping[Key, Sequence[str]] | None = None) -> dict[Key, Match]:
    """The places of several missing labels sharing one gap, ``wanted`` in the order they
    are printed: (key, printed forms). A label is left out when its place is not unique,
    when the text there is as near to the label of another key of ``rivals`` (every
    label of the table, found or not) or is part of one printed whole, when another
    label wants overlapping text as well or better, or when it would be printed out of
    order with another one."""
    if not wanted:
        return {}
    present = set(text[lo:hi])
    # most gaps hold numbers only: settled by the characters they hold, at once
    if not any(_could_hold(f, present) for _key, forms in wanted for f in forms):
        return {}
    rivals = rivals or {}
    found = {key: best(forms, text, lo, hi, present) for key, forms in wanted}
    placed = {key: m for key, m in found.items() if m is not None
              and not nearer_rival(text[m.start:m.end], m.edits, key, rivals)
              and not inside_rival(text, m, key, rivals)}
    kept = {key: m for key, m in placed.items()
            if all(m.misfit < o.misfit for other, o in placed.items() if other != key and m.overlaps(o))}
    order = [key for key, _ in wanted if key in kept]
    crossed: set[Key] = set()
    for n, a in enumerate(order):
        for b in order[n + 1:]:
            if kept[a].start >= kept[b].end:
                crossed |= {a, b}
    return {key: m for key, m in kept.items() if key not in crossed}


def gaps(found: dict[int, tuple[int, int]], count: int, lo: int,
         hi: int) -> Iterator[tuple[list[int], int, int]]:
    """The runs of missing items among ``count`` items printed in order, each with the
    range between its found neighbours: (indices, start, end). ``found`` maps an item's
    index to its (start, end); nothing is yielded when nothing was found, as then no
    order constrains where a missing item may be."""
    if not found:
        return
    i = 0
    while i < count:
        if i in found:
            i += 1
            continue
        j = i
        while j < count and j not in found:
            j += 1
        start = found[i - 1][1] if i > 0 else lo
        end = found[j][0] if j < count else hi
        if end > start:
            yield list(range(i, j)), start, end
        i = j


def own_label(row: Row) -> str:
    """A row's own printed label (skeleton): its Chinese label after any group label and
    number ('（三）不予公开 1.属于国家秘密' -> 属于国家秘密)."""
    zh = row.zh.replace("…", "")
    zh = re.split(r"\d[.．]", zh)[-1]
    zh = re.split(r"[)）、]", zh)[-1]
    return skeleton_of(zh)


def printed_forms(row: Row) -> tuple[str, ...]:
    """Every wording a report may print a row's label in: its own label, then its cores."""
    return tuple(dict.fromkeys((own_label(row), *row.core)))


def finding(table: str, printed: str, label: str, row: str = "", column: str = "") -> Finding:
    """The finding that says a label was read from a misprint."""
    return Finding(rule="label_misprint", table=table, row=row, column=column,
                message=f"the label printed '{printed}' was taken as {label}")
