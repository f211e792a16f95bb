"""Section 三 → the requests table (收到和处理政府信息公开申请情况) as cells.

In: the normalised text, its ``Skeleton`` and ``LineIndex``, the table's span, and the
deadline of the report's placement search. Out: ``read_requests`` — a ``TableResult``
with the template (2019 or 2021, told by ``requests_template``), the cells of every row
of that template, and findings about rows missing, misprinted or with numbers not read.

Rows are found by their labels (``rows``). The numbers a row prints are the tokens between
the end of its label and the start of the next row's label (with its '2.'-style number,
so '…00000002.其他法律…' gives the previous row '0000000'); where the row is a line of
tab-separated cells as wide as the header that names the columns, each number keeps the
header's column instead (``grid``). Rows of numbers a converter tore from their labels
are put back in order (``torn``).
"""

from __future__ import annotations

from .. import schema
from ..findings import Finding
from . import grid, labels, torn
from .placement import Segment
from .row_numbers import (
    HEADER_REACH,
    TableResult,
    finalize,
    is_glued,
    misread_after,
    next_start,
    numbers_after,
    several_numbers,
    stray,
)
from .rows import find_rows
from .text import LineIndex, Skeleton


def requests_template(skel: Skeleton, span) -> str:
    body = skel.text[skel.index_at(span[0]):skel.index_at(span[1])]
    return "2021" if ("逾期不补正" in body or "逾期未按收费" in body) else "2019"


_REQUEST_VARIANTS = {c.key: c.variants for c in schema.REQUESTS.columns}


def sections_start(text: str, span: tuple[int, int]) -> int:
    """Where a table's column headers may begin: a little above its first row."""
    return max(0, span[0] - HEADER_REACH)


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
            findings.append(Finding(rule="row_not_found", table="requests",
                                 row=row.key, column="",
                                 message=f"row {row.zh} not found; its cells are unknown"))
            seg = Segment("requests", [(row.key, c) for c in cols], [], False, lines.line(span[0]))
        else:
            nxt = next_start(starts, m.start, span[1])
            after, stop = m.numbers_span(nxt)
            placed = header and grid.row_tokens(text, m.start, after, header, cols)
            if placed:
                findings += several_numbers("requests", row.key, cols, placed)
                seg = Segment("requests", [(row.key, c) for c in cols],
                              [t for t in placed if t is not None], False, lines.line(m.start),
                              label=row.key, positions=placed)
                segments.append(seg)
                continue
            tokens = torn.own_tokens(text, after, numbers_after(text, after, stop), len(cols),
                                     furniture)
            misread = misread_after(text, tokens, after, stop)
            if misread:
                findings.append(Finding(
                    rule="misread_number", table="requests", row=row.key,
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
        glued = is_glued(segments + [Segment("requests", segments[0].cells, ln.tokens, False, 0)
                                      for ln in spare])
        segments, more = torn.restore_rows(segments, spare, scanned, idents, glued)
        findings = [f for f in findings if f.rule != "row_not_found"] + more
        return finalize("requests", template, segments, idents, rows_found, findings, glued, deadline=deadline)
    findings += stray(spare, "requests")
    return finalize("requests", template, segments, idents, rows_found, findings, deadline=deadline)
