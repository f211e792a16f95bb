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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import schema
from . import labels
from .text import Skeleton


@dataclass
class LabelMatch:
    row: str
    start: int  # source offset of the label, its enumerator included
    end: int  # source offset just after the label
    misprint: str = ""  # the label as printed, where it was found approximately (labels)



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

