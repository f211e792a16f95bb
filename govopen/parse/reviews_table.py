"""Section 四 → the reviews table (行政复议、行政诉讼情况) as cells.

In: the normalised text, its ``Skeleton`` and ``LineIndex``, the table's span, and the
deadline of the report's placement search. Out: ``read_reviews`` — a ``TableResult``
with the cells of the table's single run of numbers (no template) and findings.

The numbers start after the table's header, found as a run of its column words, so that
a heading or a sentence that names 行政复议 before the table is not read as its numbers.
A table continued past a page break is joined back together (``torn``).
"""

from __future__ import annotations

import re

from .. import schema
from ..findings import Finding
from . import grid, torn
from .placement import Segment
from .row_numbers import TableResult, finalize, is_glued, numbers_after, several_numbers, stray
from .text import LineIndex, Skeleton

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
    tokens = torn.own_tokens(text, header_end, numbers_after(text, header_end, span[1]),
                             len(cells), torn.furniture(scanned))
    placed = grid.run_tokens(text, tokens[0].start, len(cells)) if tokens else None
    if placed:
        seg = Segment("reviews", cells, [t for t in placed[0] if t is not None], False,
                      lines.line(header_end), label="reviews", positions=placed[0])
        odd = [f for r in schema.REVIEWS.row_keys()
               for f in several_numbers("reviews", r, [c for rr, c in cells if rr == r],
                                         [t for (rr, _), t in zip(cells, placed[0], strict=True)
                                           if rr == r])]
        return finalize("reviews", None, [seg], schema.identities("reviews"), [], odd,
                         deadline=deadline)
    seg = Segment("reviews", cells, tokens, False, lines.line(header_end), label="reviews")
    idents = schema.identities("reviews")
    spare = torn.spare_lines(scanned, [seg], after=header_end)
    findings: list[Finding] = []
    if spare and len(tokens) < len(cells):
        # Fewer numbers after the header than the table has cells, and more rows of numbers
        # further down: the table continues past a page break.
        seg.glued = is_glued([seg] + [Segment("reviews", cells, ln.tokens, False, 0)
                                       for ln in spare])
        seg, findings = torn.restore_run(seg, spare, scanned, idents)
        return finalize("reviews", None, [seg], idents, [], findings, seg.glued, deadline=deadline)
    findings += stray(spare, "reviews")
    return finalize("reviews", None, [seg], idents, [], findings, deadline=deadline)
