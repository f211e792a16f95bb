"""A table's rows found by their labels.

In: the normalised text, its ``Skeleton``, a table's span and the rows (``schema.Row``) it
may print, in template order. Out: ``find_rows`` — a ``LabelMatch`` (row key, source start
with its enumerator, source end, the label as printed where it was misprinted) for each
row found, in printed order.

All occurrences of every row's label are collected and the longest run in the right order
is kept, so a label that also appears in a heading or in the prose never captures a row.
A label missing from the chain is searched for, misprinted, in the gap where the order
puts it (``labels``); a row found by the core of its label starts where its misprinted
head starts.

A label cut over two lines — a table row broken at a page break (LibreOffice Writer and
Word export such rows as two), a label cell wrapped by a converter, OCR — is one row
(``_cut_labels``): the last words of a line and the first words of the next, or the
words in the same cell of the two lines, whose joined skeleton is a row's label while
neither alone is another row's, with numbers on at most one of the lines. A line that prints
only a row's numbering ('(七)', '6.') followed by a line that prints only its label is
the same cut. Where the numbers are on the first line, the match says where
(``LabelMatch.numbers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import schema
from . import labels
from .text import Skeleton, read_numbers


@dataclass
class LabelMatch:
    row: str
    start: int  # source offset of the label, its enumerator included
    end: int  # source offset just after the label
    misprint: str = ""  # the label as printed, where it was found approximately (labels)
    # (start, end) of the row's numbers where they are not after the label: a label cut
    # over two lines with its numbers on the first (``_cut_labels``)
    numbers: tuple[int, int] | None = None

    def numbers_span(self, stop: int) -> tuple[int, int]:
        """Where to read the row's numbers: after its label up to ``stop`` (the next
        row's start), or where ``numbers`` says."""
        return self.numbers or (self.end, stop)


# row key (unique across the three tables) -> own label skeleton: the schema is fixed, so
# this is worked out once, not on every parse
_OWN_LABELS = {r.key: labels.own_label(r) for t in schema.TABLES.values() for r in t.rows}


def _full_label(row: schema.Row) -> str:
    """The row's own label with its tail, the two joined where they overlap
    ('…要求缴纳费用' + '要求缴纳费用行政机关…')."""
    own, tail = _OWN_LABELS[row.key], row.tail
    overlap = next((n for n in range(min(len(own), len(tail)), 0, -1) if own.endswith(tail[:n])), 0)
    return own + tail[overlap:]


# every printed form of a row's label (own label, cores): the rivals a misprint is
# compared with; the forms long enough to be searched approximately; the full label
_PRINTED = {r.key: labels.printed_forms(r) for t in schema.TABLES.values() for r in t.rows}
_FORMS = {key: tuple(f for f in forms if len(f) >= labels.MIN_LENGTH) for key, forms in _PRINTED.items()}
_FULL_LABELS = {r.key: _full_label(r) for t in schema.TABLES.values() for r in t.rows}
# rows whose label may be found by a core that leaves a head before it (规范性文件 of
# 行政规范性文件)
_HAS_HEAD = {r.key: any(_OWN_LABELS[r.key].find(c) > 0 for c in r.core)
             for t in schema.TABLES.values() for r in t.rows}


def _occurrences(skel: Skeleton, row: schema.Row, lo: int, hi: int) -> list[tuple[int, int]]:
    """(skeleton start, skeleton end) of each occurrence of a row's label in [lo, hi)."""
    own = _OWN_LABELS[row.key]
    found = set()
    for core in row.core:
        k = skel.text.find(core, lo, hi)
        while k >= 0:
            start, end = k, k + len(core)
            # extend over the printed head and tail of the official label
            at = own.find(core)
            if at > 0:
                head = own[:at]
                n = 0
                while n < len(head) and start - n - 1 >= lo and skel.text[start - n - 1] == head[-n - 1]:
                    n += 1
                start -= n
            tail = (own[at + len(core):] if at >= 0 else "") or row.tail
            if row.tail and not own.endswith(row.tail):
                tail = tail + row.tail if tail else row.tail
            n = 0
            while n < len(tail) and end + n < hi and skel.text[end + n] == tail[n]:
                n += 1
            found.add((start, end + n))
            k = skel.text.find(core, k + 1, hi)
    return sorted(found)


def find_rows(text: str, skel: Skeleton, span: tuple[int, int], rows) -> list[LabelMatch]:
    """The labels of ``rows`` in printed order: the longest ordered chain of occurrences,
    then the rows it misses where their labels are misprinted (``_misprinted``); a row
    found by its core is started where its misprinted head starts (``_misprinted_head``)."""
    lo, hi = skel.index_at(span[0]), skel.index_at(span[1])
    occ = [_occurrences(skel, r, lo, hi) for r in rows]
    cut: dict[tuple[int, int, int], _Cut] = {}
    for c in _cut_labels(text, span, rows):
        at = (c.row, skel.index_at(c.start), skel.index_at(c.end))
        cut[at] = c
        occ[c.row] = sorted(set(occ[c.row]) | {at[1:]})
    # best[i][j]: (rows matched, -sum of positions) for a chain ending at occurrence j of row i
    best: list[list[tuple]] = []
    earlier: list[tuple] = []  # (end, rows matched, -sum, (i, j)) of the rows before, in order
    for i, occs in enumerate(occ):
        best.append([])
        for s, _e in occs:
            count, neg, prev = 1, -s, None
            for pe, cnt, pneg, node in earlier:
                # the first of the best chains ending before s, as a tuple comparison
                if pe <= s and (cnt + 1 > count or (cnt + 1 == count and pneg - s > neg)):
                    count, neg, prev = cnt + 1, pneg - s, node
            best[i].append((count, neg, prev))
        earlier.extend((e, *best[i][j][:2], (i, j)) for j, (_s, e) in enumerate(occs))
    end = max(((b[0], b[1], i, j) for i, bs in enumerate(best) for j, b in enumerate(bs)),
              default=None)
    chain = []
    node = (end[2], end[3]) if end else None
    while node is not None:
        i, j = node
        chain.append((i, occ[i][j]))
        node = best[i][j][2]
    matches = []
    chain.reverse()
    for n, (i, (s, e)) in enumerate(chain):
        row = rows[i]
        if (i, s, e) in cut:
            c = cut[(i, s, e)]
            matches.append(LabelMatch(row.key, c.start, c.end, numbers=c.numbers))
            continue
        s, printed = _misprinted_head(text, skel, rows, i, s, chain[n - 1][1][1] if n else lo,
                                      chain[n + 1][1][0] if n + 1 < len(chain) else hi)
        start = skel.source_start(s)
        start = _with_enumerator(text, start, row.enumerator)
        matches.append(LabelMatch(row.key, start, skel.source_end(e), misprint=printed))
    misprinted = _misprinted(text, skel, rows, dict(chain), lo, hi)
    return sorted(matches + misprinted, key=lambda m: m.start) if misprinted else matches


def _misprinted_head(text: str, skel: Skeleton, rows, i: int, s: int, before: int,
                     after: int) -> tuple[int, str]:
    """(start, printed label) of ``rows[i]`` found at ``s`` by its core, between the rows
    found before and after it, where the head of its label is misprinted: in '2.没有先成
    信息需要另行制作' the core 需要另行制作 is found, and its head only back to 成. The
    start moves back over the misprinted head where the whole label fits there
    (``labels``), so that the row before ends at this row's number, not in its label;
    (s, '') where the head is whole or not printed."""
    row = rows[i]
    if not _HAS_HEAD[row.key] or s <= before or not labels.is_label_char(skel.text[s - 1]):
        return s, ""
    own = _OWN_LABELS[row.key]
    if skel.text.startswith(own, s):
        return s, ""
    reach = len(own) + labels.max_edits(len(own))
    placed = labels.place_all([(row.key, (own,))], skel.text, max(before, s - reach),
                              min(after, s + reach), {r.key: _PRINTED[r.key] for r in rows})
    m = placed.get(row.key)
    if m is None or not m.start < s < m.end:
        return s, ""
    return m.start, text[skel.source_start(m.start):skel.source_end(m.end)]


def _misprinted(text: str, skel: Skeleton, rows, found: dict[int, tuple[int, int]], lo: int,
                hi: int) -> list[LabelMatch]:
    """Rows the exact search missed, found approximately (``labels``) between the rows
    found before and after them."""
    out = []
    rivals = None
    for missing, g_lo, g_hi in labels.gaps(found, len(rows), lo, hi):
        wanted = [(i, _FORMS[rows[i].key]) for i in missing if _FORMS[rows[i].key]]
        if not wanted:
            continue
        rivals = rivals or {i: _PRINTED[r.key] for i, r in enumerate(rows)}
        for i, m in labels.place_all(wanted, skel.text, g_lo, g_hi, rivals).items():
            row = rows[i]
            full = _FULL_LABELS[row.key]
            rest = full[full.find(m.label) + len(m.label):] if m.label in full else ""
            end = m.end
            while end - m.end < len(rest) and end < g_hi and skel.text[end] == rest[end - m.end]:
                end += 1
            start = skel.source_start(m.start)
            printed = text[start:skel.source_end(m.end)]
            out.append(LabelMatch(row.key, _with_enumerator(text, start, row.enumerator),
                                  skel.source_end(end), misprint=printed))
    return out


def _with_enumerator(text: str, start: int, enumerator: str) -> int:
    """Move a label's start back over its printed number: '2.', '2、', '(2)', '2)'."""
    if not enumerator:
        return start
    before = text[max(0, start - 8):start]
    m = re.search(r"[(]?\s*" + enumerator + r"\s*[.、)]\s*$", before)
    return start - (len(before) - m.start()) if m else start


# --- labels cut over two lines ------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# a label's numbering at the start of a cell or after a blank: '6.', '6、', '(6)', '6)',
# '(六)', '六、' (full-width forms are folded by then)
_NUMBERING = re.compile(r"(?:\( *(?:\d{1,2}|[一二三四五六七八九十]+) *\)|\d{1,2} *[.、)]"
                        r"|[一二三四五六七八九十]+、) *")
# the words of a cell, up to a number or the cell's end: a run with a Chinese character,
# its numbering first where it has one
_PIECE = re.compile(rf"(?<![^\s|])(?:{_NUMBERING.pattern})?[^\d\t|\n{_HAN}]*[{_HAN}][^\d\t|\n]*"
                    rf"|(?<![^\s|]){_NUMBERING.pattern}(?=[\s|]|$)")
# The longest line a cut label is looked for on: a table row's line, its label and cells,
# is far shorter; a longer line is prose or a table run together, and looking for pieces
# on it costs time that grows with the square of its length.
_MAX_LINE = 400
# what a row's label may be printed as, whole: its own label, with its tail, its cores
_WHOLE = {r.key: {*_PRINTED[r.key], _FULL_LABELS[r.key]} for t in schema.TABLES.values()
          for r in t.rows}


def _numeral(row: schema.Row) -> str:
    """The numbering a row's label is printed with: '6' of 6.属于…, '七' of （七）总计."""
    if row.enumerator:
        return row.enumerator
    m = re.match(r"[（(]?([一二三四五六七八九十]+)[）)、]", row.zh)
    return m.group(1) if m else ""


_NUMERALS = {r.key: _numeral(r) for t in schema.TABLES.values() for r in t.rows}


@dataclass
class _Piece:
    start: int  # source offset, its numbering included
    end: int  # source offset just after its last Chinese character
    words: str  # its Chinese characters, the numbering's left out
    numeral: str  # its numbering's digits or numeral, '' without one
    field: int  # the tab-separated field of its line it stands in


@dataclass
class _Cut:
    row: int  # index into the rows searched
    start: int
    end: int
    numbers: tuple[int, int] | None


_HAN_CHARS = re.compile(f"[{_HAN}]+")
_NOT_NUMERAL = re.compile(r"[^\d一二三四五六七八九十]")


def _pieces(text: str, start: int, end: int) -> list[_Piece]:
    out = []
    for m in _PIECE.finditer(text, start, end):
        raw = m.group()
        num = _NUMBERING.match(raw)
        words_at = num.end() if num else 0
        runs = list(_HAN_CHARS.finditer(raw, words_at))
        words = "".join(r.group() for r in runs)
        numeral = _NOT_NUMERAL.sub("", raw[:words_at])
        stop = m.start() + (runs[-1].end() if runs else len(raw.rstrip()))
        out.append(_Piece(m.start(), stop, words, numeral, text.count("\t", start, m.start())))
    return out


# what leaves a stretch of a line more than blanks and punctuation: a digit, a letter, a
# Chinese character
_PRINTED_CHAR = re.compile(rf"[0-9A-Za-z{_HAN}]")


def _blank(text: str, start: int, end: int) -> bool:
    """Nothing but blanks and punctuation in ``text[start:end]`` (the '）' or '”' that
    ends a label, the tabs of empty cells)."""
    return not _PRINTED_CHAR.search(text, start, end)


def _has_numbers(text: str, start: int, end: int) -> bool:
    """Numbers (or placeholders) and nothing else but blanks in ``text[start:end]``."""
    tokens = read_numbers(text, start, end)
    return bool(tokens) and _blank(text, tokens[-1].end, end)


# every printed form of every row, one string: the Chinese characters a line ends its
# label with must be found in it for the line to hold a piece of a cut label
_ALL_FORMS = "\n".join(sorted({form for forms in _WHOLE.values() for form in forms}))
_NUMERAL_ONLY = re.compile("[一二三四五六七八九十]+")
_LAST_HAN = re.compile(f"[{_HAN}]+(?=[^{_HAN}]*$)")


def _may_hold_piece(text: str, start: int, end: int) -> bool:
    """Whether a line may hold a piece of a cut label: short enough to be a table row,
    its last Chinese characters part of some row's label or a numbering's numeral, or
    followed by a numbering ('6.') in a cell of its own."""
    if end - start > _MAX_LINE:
        return False
    m = _LAST_HAN.search(text, start, end)
    if m is not None and (m.group() in _ALL_FORMS or _NUMERAL_ONLY.fullmatch(m.group())):
        return True
    return _PIECE.search(text, m.end() if m else start, end) is not None


def _cut_labels(text: str, span: tuple[int, int], rows) -> list[_Cut]:
    """Labels of ``rows`` cut over two consecutive lines of ``span`` (see the module
    docstring). The first line's piece is its last words (or its numbering alone); the
    second's, the last words of its line, standing first on it or in the same field as
    the first piece. The second piece has no numbering of its own (that would be the next
    row's label). The two are one row's label where their words joined are one of its
    printed forms and neither piece alone is the label of another of ``rows`` (部分公开 and
    its tail （区分处理的…） are one; 3.其他 and 处理 are not the 2019 template's 其他处理
    where 其他 is a row of its own), a numbering alone first being the row's own. The numbers are after one of the pieces; the other line prints
    only blanks and punctuation after its piece."""
    whole: dict[str, int] = {}
    owners: dict[str, set[int]] = {}  # form -> the rows searched printed in it
    for i, r in enumerate(rows):
        for form in _WHOLE[r.key]:
            whole[form] = i
            owners.setdefault(form, set()).add(i)
    out = []
    lines = []
    at = span[0]
    while at < span[1]:
        end = text.find("\n", at, span[1])
        end = span[1] if end < 0 else end
        lines.append((at, end, _pieces(text, at, end) if _may_hold_piece(text, at, end) else []))
        at = end + 1
    for (_a_line, a_end, first), (b_line, b_end, second) in zip(lines, lines[1:], strict=False):
        if not first or not second:
            continue
        a, b = first[-1], second[-1]
        if b.numeral or not b.words:
            continue
        if not (b is second[0] and _blank(text, b_line, b.start)) and b.field != a.field:
            continue
        found = whole.get(a.words + b.words)
        if found is None:
            continue
        i = found
        if not owners.get(a.words, set()) | owners.get(b.words, set()) <= {i}:
            continue  # a piece is another row's label on its own: not this row cut in two
        if not a.words and a.numeral != _NUMERALS[rows[i].key]:
            continue
        on_first, on_second = _has_numbers(text, a.end, a_end), _has_numbers(text, b.end, b_end)
        if on_first and on_second:
            continue  # numbers on both lines: not one row cut in two
        if not (_blank(text, b.end, b_end) if on_first else _blank(text, a.end, a_end)):
            continue  # the line without the numbers prints something else after its piece
        out.append(_Cut(i, a.start, b.end, (a.end, a_end) if on_first else None))
    return out
