"""Sections → the three standard tables as cells.

In: the normalised text and the table spans from ``sections``. Out: for each table the
detected template and a list of cells ``(table, row, column, value, raw, status, line,
note)``, plus findings about rows that are missing or cannot be placed.

Rows are found by their labels (``schema``), in template order: all occurrences of every
row's label are collected and the longest run in the right order is kept, so a label
that also appears in a heading or in the prose never captures a row. The numbers a row
prints are the tokens between the end of its label and the start of the next row's
label (with its '2.'-style number, so '…00000002.其他法律…' gives the previous row
'0000000'); where the row is a line of tab-separated cells as wide as the header that
names the columns, each number keeps the header's column instead (``grid``). A label
missing from the chain is searched for, misprinted, in the gap where the order puts it
(``labels``). ``placement`` then turns the tokens into cells using the identities,
within a time budget for the whole report (``BUDGET``).
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass

from .. import schema
from . import grid, labels, torn
from .placement import Placement, Segment, place
from .sections import Sections
from .text import LineIndex, Skeleton, Token, read_numbers

_LABEL_SKIP = re.compile(r"[^\d\n。;；]{0,40}?(?=[\d\-—/无]|\n|$)")


@dataclass
class LabelMatch:
    row: str
    start: int  # source offset of the label, its enumerator included
    end: int  # source offset just after the label
    misprint: str = ""  # the label as printed, where it was found approximately (labels)


@dataclass
class TableResult:
    name: str
    template: str | None
    cells: dict[tuple[str, str], Placement]
    findings: list[dict]
    rows_found: list[str]


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


def _next_start(starts: list[int], start: int, end: int) -> int:
    """The first of the sorted ``starts`` after ``start``; ``end`` when there is none."""
    k = bisect.bisect_right(starts, start)
    return starts[k] if k < len(starts) else end


def _numbers_after(text: str, start: int, stop: int) -> list[Token]:
    tokens = read_numbers(text, start, stop)
    if tokens:
        return tokens
    # the rest of a label printed in words of its own ('…不计其他情形）'): skip it on its line
    m = _LABEL_SKIP.match(text, start, stop)
    if m and m.end() > start:
        return read_numbers(text, m.end(), stop)
    return []


def _is_glued(segments: list[Segment]) -> bool:
    """Cells run together somewhere in the table: a token with a leading zero, or — in a
    table where no row prints two numbers apart, so nothing shows that blanks part the
    cells — one token that is as long as the row has cells ('38' for two cells is 38
    beside a blank where other rows print '0 -14')."""
    long_alone = False
    for seg in segments:
        for t in seg.tokens:
            if not t.is_placeholder and len(t.int_digits) > 1 and t.int_digits[0] == "0":
                return True
        if len(seg.tokens) == 1 and len(seg.cells) > 1 and len(seg.tokens[0].int_digits) >= len(seg.cells):
            long_alone = True
    return long_alone and not any(len(seg.tokens) > 1 and seg.given is None and seg.origin == ""
                                  for seg in segments)


def _finalize(name, template, segments, idents, rows_found, extra_findings, glued=None,
              deadline=None):
    glued = _is_glued(segments) if glued is None else glued
    for seg in segments:
        seg.glued = glued
    outcome = place(segments, idents, deadline)
    return TableResult(name, template, outcome.cells, extra_findings + outcome.findings, rows_found)


# --- section 三 -------------------------------------------------------------------------


def requests_template(skel: Skeleton, span) -> str:
    body = skel.text[skel.index_at(span[0]):skel.index_at(span[1])]
    return "2021" if ("逾期不补正" in body or "逾期未按收费" in body) else "2019"


_REQUEST_VARIANTS = {c.key: c.variants for c in schema.REQUESTS.columns}
_ACTIVE_VARIANTS = {c.key: c.variants for c in schema.ACTIVE.columns}
_HEADER_REACH = 600  # characters above a table's first row where its column headers stand


def sections_start(text: str, span: tuple[int, int]) -> int:
    """Where a table's column headers may begin: a little above its first row."""
    return max(0, span[0] - _HEADER_REACH)


def read_requests(text: str, skel: Skeleton, lines: LineIndex, span,
                  deadline: float | None = None) -> TableResult:
    template = requests_template(skel, span)
    rows = [r for r in schema.REQUESTS.rows if template in r.templates]
    matches = find_rows(text, skel, span, rows)
    by_row = {m.row: m for m in matches}
    cols = schema.columns_for("requests", "total", template)
    scanned = torn.scan(text, span, lines)
    furniture = torn.furniture(scanned)
    segments, findings = [], []
    findings += [labels.finding("requests", m.misprint, schema.REQUESTS.row(m.row).zh, row=m.row)
                 for m in matches if m.misprint]
    starts = sorted(m.start for m in matches)
    header = None
    if matches:
        header_from = sections_start(text, span)
        header = grid.find_header(text, header_from, matches[0].start, _REQUEST_VARIANTS, cols)
    for row in rows:
        m = by_row.get(row.key)
        if m is None:
            findings.append(dict(rule="row_not_found", severity="warning", table="requests",
                                 row=row.key, column="",
                                 message=f"row {row.zh} not found; its cells are unknown"))
            seg = Segment("requests", [(row.key, c) for c in cols], [], False, lines.line(span[0]))
        else:
            placed = header and grid.row_tokens(text, m.start, m.end, header, cols)
            if placed:
                findings += _several_numbers("requests", row.key, cols, placed)
                seg = Segment("requests", [(row.key, c) for c in cols],
                              [t for t in placed if t is not None], False, lines.line(m.start),
                              label=row.key, positions=placed)
                segments.append(seg)
                continue
            nxt = _next_start(starts, m.start, span[1])
            tokens = torn.own_tokens(text, m.end, _numbers_after(text, m.end, nxt), len(cols),
                                     furniture)
            misread = _misread_after(text, tokens, m.end, nxt)
            if misread:
                findings.append(dict(
                    rule="misread_number", severity="warning", table="requests", row=row.key,
                    column="", message=f"requests/{row.key}: the row prints '{misread}' among "
                    "its numbers, a letter where a digit belongs; its cells are not read from "
                    "it"))
                segments.append(Segment("requests", [(row.key, c) for c in cols], [], False,
                                        lines.line(m.start), label=row.key,
                                        positions=[None] * len(cols)))
                continue
            seg = Segment("requests", [(row.key, c) for c in cols], tokens, False, lines.line(m.start),
                          label=row.key)
        segments.append(seg)
    idents = schema.identities("requests", template)
    rows_found = [m.row for m in matches]
    spare = torn.spare_lines(scanned, segments)
    if spare and any(not seg.tokens and seg.positions is None for seg in segments):
        # Rows left without numbers while unlabelled rows of numbers sit in the table: a
        # table torn apart by a converter. Put the rows of numbers back, in order.
        if torn.detach(segments, scanned):
            spare = torn.spare_lines(scanned, segments)
        glued = _is_glued(segments + [Segment("requests", segments[0].cells, ln.tokens, False, 0)
                                      for ln in spare])
        segments, more = torn.restore_rows(segments, spare, scanned, idents, glued)
        findings = [f for f in findings if f["rule"] != "row_not_found"] + more
        return _finalize("requests", template, segments, idents, rows_found, findings, glued, deadline=deadline)
    findings += _stray(spare, "requests")
    return _finalize("requests", template, segments, idents, rows_found, findings, deadline=deadline)


# digits and letters OCR reads for digits, right after a row's numbers
_AFTER_MISREAD = re.compile(r"[\s|]*([\d,.]*[OolIZSB][\dOolIZSB,.]*)(?![A-Za-z])")


def _misread_after(text: str, tokens: list[Token], start: int, stop: int) -> str:
    """The misread number ('l', '1O') that ended a row's numbers, or ''. Read as the end
    of the row, it would cut the row short and make its last number before it the 总计."""
    at = tokens[-1].end if tokens else start
    m = _AFTER_MISREAD.match(text, at, stop)
    return m.group(1) if m else ""


def _several_numbers(table: str, row: str, cols, placed: list[Token | None]) -> list[dict]:
    """A finding for each grid cell that prints several numbers ('1 2': a number split by a
    space, or two values where one belongs) or a misread one ('l', '1O'): its value is not
    taken from it."""
    out = []
    for col, t in zip(cols, placed, strict=True):
        if t is None or t.value is not None:
            continue
        if t.unreadable:
            rule, what = "unreadable_number", t.unreadable
        elif " " in t.raw and any(ch.isdigit() for ch in t.raw):
            rule, what = "several_numbers", "several numbers in one cell"
        elif grid.MISREAD.fullmatch(t.raw):
            rule, what = "misread_number", "a letter where a digit belongs"
        else:
            continue  # a placeholder ('—', '无')
        shown = t.raw if len(t.raw) <= 20 else t.raw[:17] + "…"
        out.append(dict(rule=rule, severity="warning", table=table, row=row, column=col,
                        message=f"{table}/{row}/{col}: the cell prints '{shown}', {what}; "
                                "its value is not read from it"))
    return out


def _stray(spare: list[torn.Line], table: str) -> list[dict]:
    """Rows of numbers in a table's span that belong to no row: said, and left out."""
    return [dict(rule="stray_numbers", severity="warning", table=table, row="", column="",
                 message=f"numbers on line {ln.number} ('{ln.shown}') belong to no row; "
                         "left out") for ln in spare]


# --- section 四 -------------------------------------------------------------------------

_GENERIC_HEADER = re.compile(r"(?:Col(?:umn)?\d{1,2})+")
_REVIEW_HEADER = ("未经复议直接起诉", "复议后起诉", "行政复议", "行政诉讼", "结果维持", "结果纠正",
                  "其他结果", "尚未审结", "总计", "维持", "纠正", "审结", "结果", "其他", "情况")


_HEADER_RUN = 3  # header words in a row that make the table's header, not prose
# words only the header's columns print: a heading or a sentence names 行政复议 and 行政诉讼
# (情况), never 结果维持 or 尚未审结
_RESULT_WORDS = frozenset(w for w in _REVIEW_HEADER if w not in ("行政复议", "行政诉讼", "情况",
                                                                "其他", "结果"))


def _header_start(skel: Skeleton, lo: int, hi: int) -> int:
    """Where section 四's header begins: the first run of at least ``_HEADER_RUN`` header
    words with nothing else between them and a column's result word among them, so that a
    heading or a sentence before the table ('2021年未发生行政复议、行政诉讼…') is not read
    as its numbers. ``lo`` when no such run is printed."""
    k, run_start, words, results = lo, lo, 0, 0
    while k < hi:
        word = next((w for w in _REVIEW_HEADER if skel.text.startswith(w, k)), None)
        if word is None:
            generic = _GENERIC_HEADER.match(skel.text, k, hi)
            if generic:
                k = generic.end()
                continue
            k, words, results = k + 1, 0, 0
            continue
        if words == 0:
            run_start = k
        words += 1
        results += word in _RESULT_WORDS
        if words >= _HEADER_RUN and results:
            return run_start
        k += len(word)
    return lo


def read_reviews(text: str, skel: Skeleton, lines: LineIndex, span,
                 deadline: float | None = None) -> TableResult:
    lo, hi = skel.index_at(span[0]), skel.index_at(span[1])
    header_end = span[0]
    k = _header_start(skel, lo, hi)
    while k < hi:
        word = next((w for w in _REVIEW_HEADER if skel.text.startswith(w, k)), None)
        generic = _GENERIC_HEADER.match(skel.text, k, hi)
        if generic:  # a converter's 'Col1 Col2 …' header: words, not numbers
            k = generic.end()
            continue
        if word is None:
            if skel.text[k].isdigit():
                break
            k += 1
            continue
        header_end = skel.source_end(k + len(word))
        k += len(word)
    cells = [(r, c) for r in schema.REVIEWS.row_keys() for c in (col.key for col in schema.REVIEWS.columns)]
    scanned = torn.scan(text, span, lines)
    tokens = torn.own_tokens(text, header_end, _numbers_after(text, header_end, span[1]),
                             len(cells), torn.furniture(scanned))
    placed = grid.run_tokens(text, tokens[0].start, len(cells)) if tokens else None
    if placed:
        seg = Segment("reviews", cells, [t for t in placed[0] if t is not None], False,
                      lines.line(header_end), label="reviews", positions=placed[0])
        odd = [f for r in schema.REVIEWS.row_keys()
               for f in _several_numbers("reviews", r, [c for rr, c in cells if rr == r],
                                         [t for (rr, _), t in zip(cells, placed[0], strict=True)
                                           if rr == r])]
        return _finalize("reviews", None, [seg], schema.identities("reviews"), [], odd,
                         deadline=deadline)
    seg = Segment("reviews", cells, tokens, False, lines.line(header_end), label="reviews")
    idents = schema.identities("reviews")
    spare = torn.spare_lines(scanned, [seg], after=header_end)
    findings: list[dict] = []
    if spare and len(tokens) < len(cells):
        # Fewer numbers after the header than the table has cells, and more rows of numbers
        # further down: the table continues past a page break.
        seg.glued = _is_glued([seg] + [Segment("reviews", cells, ln.tokens, False, 0)
                                       for ln in spare])
        seg, findings = torn.restore_run(seg, spare, scanned, idents)
        return _finalize("reviews", None, [seg], idents, [], findings, seg.glued, deadline=deadline)
    findings += _stray(spare, "reviews")
    return _finalize("reviews", None, [seg], idents, [], findings, deadline=deadline)


# --- section 二 -------------------------------------------------------------------------

_ONLY_2019 = {"made", "published", "total_public", "prev_items", "change", "items"}
_ONLY_2021 = {"issued", "repealed", "in_force"}


# the column headers section 二 prints, each in its printed order (from the schema's rows)
_HEADERS = tuple(dict.fromkeys(cols for r in schema.ACTIVE.rows for cols in r.columns.values()))
_COLUMN_PRINTED = {c.key: c.variants for c in schema.ACTIVE.columns}
_COLUMN_FORMS = {key: tuple(v for v in vs if len(v) >= labels.MIN_LENGTH)
                 for key, vs in _COLUMN_PRINTED.items()}


def _columns_between(before: str | None, after: str | None) -> tuple[str, ...]:
    """The columns a header may print between column ``before`` and column ``after``
    (None: the start or the end of the table): those between the two in a header that
    prints both, else those that may follow ``before`` and those that may precede
    ``after``."""
    for h in _HEADERS:
        if before in h and after in h and h.index(before) < h.index(after):
            return h[h.index(before) + 1:h.index(after)]
    follow = [k for h in _HEADERS if before in h for k in h[h.index(before) + 1:]]
    precede = [k for h in _HEADERS if after in h for k in h[:h.index(after)]]
    return tuple(dict.fromkeys(follow + precede))


# asked for between every two column labels of every report: worked out once
_BETWEEN = {(a, b): _columns_between(a, b) for a in (None, *_COLUMN_PRINTED) for b in (None, *_COLUMN_PRINTED)}


def _column_events(skel: Skeleton, lo: int, hi: int,
                   misprints: list[tuple[str, str]] | None = None) -> list[tuple[int, str]]:
    """(skeleton offset, column key) of each column label of section 二 in [lo, hi): the
    exact labels, then, between two of them, the columns their headers lack where the
    label is misprinted (``labels``); each of those is added to ``misprints`` as
    (printed text, key) when a list is given."""
    variants = sorted(((v, c.key) for c in schema.ACTIVE.columns for v in c.variants),
                      key=lambda vk: -len(vk[0]))
    taken: list[tuple[int, int]] = []
    events = []
    for variant, key in variants:
        k = skel.text.find(variant, lo, hi)
        while k >= 0:
            if not any(a < k + len(variant) and k < b for a, b in taken):
                taken.append((k, k + len(variant)))
                events.append((k, key))
            k = skel.text.find(variant, k + 1, hi)
    exact = sorted((a, b, key) for (a, b), (_k, key) in zip(taken, events, strict=True))
    for n in range(len(exact) + 1) if exact else ():
        g_lo = exact[n - 1][1] if n else lo
        g_hi = exact[n][0] if n < len(exact) else hi
        between = _BETWEEN[exact[n - 1][2] if n else None, exact[n][2] if n < len(exact) else None]
        if not between:
            continue
        wanted = [(key, _COLUMN_FORMS[key]) for key in between]
        for key, m in labels.place_all(wanted, skel.text, g_lo, g_hi, _COLUMN_PRINTED).items():
            events.append((m.start, key))
            if misprints is not None:
                misprints.append((skel.text[m.start:m.end], key))
    return sorted(events)


def _row_template(row: schema.Row, header: list[str], default: str) -> tuple[str, tuple[str, ...]]:
    options = row.columns
    hs = set(header)
    for t, cols in options.items():
        if hs and hs == set(cols):
            ordered = tuple(header) if len(header) == len(cols) else cols
            return t, ordered
    for t in ("2019", "2021"):
        if t in options and hs and hs <= set(options[t]) and not (hs & (_ONLY_2021 if t == "2019" else _ONLY_2019)):
            return t, options[t]
    t = default if default in options else next(iter(options))
    return t, options[t]


def read_active(text: str, skel: Skeleton, lines: LineIndex, span,
                deadline: float | None = None) -> TableResult:
    first = text.find("第二十条", span[0], span[1])
    if first >= 0:
        span = (first, span[1])
    lo, hi = skel.index_at(span[0]), skel.index_at(span[1])
    matches = find_rows(text, skel, span, list(schema.ACTIVE.rows))
    col_misprints: list = []
    col_events = _column_events(skel, lo, hi, col_misprints)
    keys = [k for _, k in col_events]
    n19 = sum(k in _ONLY_2019 for k in keys)
    n21 = sum(k in _ONLY_2021 for k in keys)
    default = "2019" if n19 > n21 else "2021"
    markers = [skel.source_start(m.start()) for m in re.finditer("第二十条|信息内容", skel.text[:hi])
               if m.start() >= lo]
    events = sorted([(skel.source_start(k), "col", key) for k, key in col_events]
                    + [(m.start, "row", m.row) for m in matches]
                    + [(p, "marker", "") for p in markers])
    header: list[str] = []
    fresh = True  # column labels seen since the last row start a new header
    row_cols: dict[str, tuple[str, tuple[str, ...]]] = {}
    for _, kind, key in events:
        if kind == "marker":
            header, fresh = [], True
        elif kind == "col":
            if not fresh:
                header, fresh = [], True
            if key not in header:
                header.append(key)
        else:
            row_cols[key] = _row_template(schema.ACTIVE.row(key), header, default)
            fresh = False
    boundaries = sorted([m.start for m in matches] + markers
                        + [skel.source_start(k) for k, _ in col_events])
    used = [t for t, _ in row_cols.values()]
    if used:  # rows the table does not print are those of the template most rows follow
        default = max(("2021", "2019"), key=used.count)
    segments, templates_used = [], []
    by_row = {m.row: m for m in matches}
    findings: list[dict] = [
        labels.finding("active", m.misprint, schema.ACTIVE.row(m.row).zh, row=m.row)
        for m in matches if m.misprint]
    findings += [labels.finding("active", p, schema.ACTIVE.column(k).zh, column=k)
                 for p, k in col_misprints]
    missing: dict[tuple[str, str], Placement] = {}
    for row in schema.ACTIVE.rows:
        m = by_row.get(row.key)
        if m is None:
            if default in row.templates:
                for c in row.columns[default]:
                    missing[(row.key, c)] = Placement(None, "", "missing", lines.line(span[0]),
                                                      "row not printed")
            continue
        t, cols = row_cols[row.key]
        templates_used.append(t)
        header = grid.find_header(text, max(span[0], m.start - _HEADER_REACH), m.start,
                                  _ACTIVE_VARIANTS, cols, nearest=True)
        placed = header and grid.row_tokens(text, m.start, m.end, header, cols)
        if placed:
            findings += _several_numbers("active", row.key, cols, placed)
            segments.append(Segment("active", [(row.key, c) for c in cols],
                                    [t for t in placed if t is not None], False,
                                    lines.line(m.start), label=row.key, positions=placed))
            continue
        nxt = _next_start(boundaries, m.start, span[1])
        tokens = _numbers_after(text, m.end, nxt)
        segments.append(Segment("active", [(row.key, c) for c in cols], tokens, False,
                                lines.line(m.start), label=row.key))
    result = _finalize("active", None, segments, [], [m.row for m in matches], findings,
                       deadline=deadline)
    for cell, p in result.cells.items():
        _check_unit(cell, p, result)
    result.cells.update({c: p for c, p in missing.items() if c not in result.cells})
    kinds = set(templates_used)
    result.template = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else None)
    return result


def _check_unit(cell, p: Placement, result: TableResult):
    """Amounts are in 万元; a cell printed in 元 is kept as raw, its value missing (unless 0)."""
    in_yuan = p.raw.endswith("元") and not p.raw.endswith("万元")
    if cell[1] == "amount" and p.value is not None and p.value != 0 and in_yuan:
        p.value, p.status = None, "missing"
        p.note = "printed in 元, the column is in 万元; kept as raw"
        result.findings.append(dict(
            rule="unit", severity="warning", table="active", row=cell[0], column=cell[1],
            message=f"{cell[0]}/{cell[1]} printed '{p.raw}' in 元 where the table asks for 万元"))


# Characters of a table's span that are read: a table runs to a few thousand even when torn
# apart with page furniture, so what lies beyond is not part of it (a text that prints a
# heading and then megabytes of numbers is read in milliseconds, not seconds).
MAX_TABLE_CHARS = 100_000
# Seconds of search a report's placement may take in all; a search still running then
# stops, and the cells it has not settled are missing (see ``placement``).
BUDGET = 0.5


def read_tables(text: str, sections: Sections, lines: LineIndex,
                budget: float = BUDGET) -> dict[str, TableResult]:
    deadline = time.process_time() + budget
    skel = Skeleton(text)
    out = {}
    readers = {"active": read_active, "requests": read_requests, "reviews": read_reviews}
    for name, reader in readers.items():
        if name in sections.tables:
            start, end = sections.tables[name]
            out[name] = reader(text, skel, lines, (start, min(end, start + MAX_TABLE_CHARS)),
                               deadline)
    return out
