"""Tables torn apart by PDF-to-markdown converters → their rows of numbers put back.

In: the normalised text, the span of one table, and what the label-anchored reading of
``tables`` made of it — one ``Segment`` per row, some of them rows whose label prints
no numbers of its own. Out: the rows of numbers and the page furniture among the lines
of the span (``scan``), the tokens a label may keep (``own_tokens``), and, when
rows are left without numbers while unlabelled rows of numbers sit in the span,
segments that put those rows of numbers back (``restore_rows``, ``restore_run``).

What converters do to a table: generic headers ('| Col1 | Col2 |', '|---|'); the row
labels in a block of their own, away from the numbers (all labels first and then the rows
of numbers, or the labels in a paragraph before a pipe table of numbers); the table split
into blocks at page breaks, the header repeated; header words broken ('商业企' '业'); and
page footers and page numbers among the rows ('- 3 -', '第 3 页', '3/7', a lone '3').

How. Labels printed on the line of their numbers are trusted; a label with no numbers of
its own only tells that its row exists, and so, in a torn table, does a label followed by
a row of numbers on a line of its own (``detach``): converters put such a line below its
label or above it, and only the order of the rows of numbers tells which row it is. The unlabelled rows of numbers are taken in
printed order and matched, in order, to the rows left without numbers. Where that can be
done in more than one way — a lone number that may be a page number or a row printing
only its total, fewer rows of numbers than rows — every way is kept as a reading of one
segment spanning those rows, and ``placement`` chooses among them by the identities,
with the same weights as among cuts of digits: a cell is accepted only when every way
that fits gives it the same value. A footer that can be nothing else ('- 3 -', '第3页',
'3/7') is skipped outright. A lone number may be a page number only on a plain line of a
table printed as a pipe table or with its pages marked; rows of numbers beyond the rows
must be page numbers; and rows are taken to print nothing only where there are fewer rows
of numbers than rows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import Finding
from ..schema import Identity
from .cuts import Part, readings
from .placement import Segment
from .text import PLACEHOLDER_FIRST, SKIPPABLE_BEFORE, LineIndex, Token, read_numbers
from .weights import ROW_RULES

MAX_WAYS = 64  # ways to match rows of numbers to rows; beyond it the rows stay unknown
MAX_READINGS = 4096  # readings of a segment that spans several torn rows

_FURNITURE = re.compile(
    r"[-—–]\s*\d{1,4}\s*[-—–]"  # - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页, 第3页 共7页
    r"|共\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*第\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/7
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?")
_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")  # |---|:---:|


@dataclass
class Line:
    """One line of a table's span, sorted out."""

    start: int  # source offset of its first character
    end: int  # source offset of its end
    number: int  # 1-based line number
    kind: str  # numbers | furniture
    shown: str  # its text, '|' and surrounding space dropped, for notes
    tokens: list[Token]
    pipe: bool  # a row of a markdown table

    @property
    def lone(self) -> bool:
        """One number alone: a page number, or a row that prints only its total."""
        return len(self.tokens) == 1 and not self.tokens[0].is_placeholder


# What a line must open with to be a row of numbers (a number or a placeholder, after the
# characters read_numbers skips) or page furniture (the first characters _FURNITURE can
# match, after blanks): lines that cannot be either are not looked at further, and most
# lines of a table print a label first.
_MAYBE_ROW = re.compile(rf"[\s{re.escape(SKIPPABLE_BEFORE)}]*"
                        rf"[-\d{re.escape(''.join(sorted(PLACEHOLDER_FIRST)))}—–第共pP]")


def scan(text: str, span: tuple[int, int], lines: LineIndex) -> list[Line]:
    """The lines of ``span`` that are rows of numbers (nothing but number tokens,
    placeholders and '|') or page furniture; other lines (labels, headers, prose) are
    left out."""
    out = []
    pos = span[0]
    number = lines.line(pos)
    for raw in text[span[0]:span[1]].split("\n"):
        end = pos + len(raw)
        if _MAYBE_ROW.match(raw):
            body = " ".join(raw.replace("|", " ").split())
            if _FURNITURE.fullmatch(body):
                out.append(Line(pos, end, number, "furniture", body, [], "|" in raw))
            elif not _RULE.fullmatch(raw.strip()):
                first = pos + len(raw) - len(raw.lstrip(" \t|"))
                last = pos + len(raw.rstrip(" \t|"))
                tokens = read_numbers(text, first, last)
                if tokens and tokens[-1].end == last:
                    out.append(Line(pos, end, number, "numbers", body, tokens, "|" in raw))
        pos = end + 1
        number += 1
    return out


def furniture(scanned: list[Line]) -> list[tuple[int, int]]:
    """(start, end) of the lines of page furniture."""
    return [(ln.start, ln.end) for ln in scanned if ln.kind == "furniture"]


def own_tokens(text: str, after: int, tokens: list[Token], cells: int,
               furniture: list[tuple[int, int]]) -> list[Token]:
    """The tokens read after a label (or a header) that are its own.

    Those on its line always are. Those on the lines below (one cell per line, or a row
    wrapped) are too, page furniture (``furniture``: its lines) left out, as long as
    together they do not exceed the row's cells; more than that are rows of numbers of
    their own that happen to follow the label — the last label of a block of labels
    followed by the block of numbers — and are left to ``restore_rows``.
    """
    eol = text.find("\n", after)
    eol = len(text) if eol < 0 else eol
    same = [t for t in tokens if t.start < eol]
    below = [t for t in tokens if t.start >= eol]
    if below and furniture:
        below = [t for t in below if not any(a <= t.start < b for a, b in furniture)]
    return same + below if len(same) + len(below) <= cells else same


def spare_lines(scanned: list[Line], segments: list[Segment], after: int = -1) -> list[Line]:
    """Rows of numbers (from ``after`` on) that no label or header claimed, in order."""
    claimed = {t.start for seg in segments for t in seg.tokens}
    return [ln for ln in scanned if ln.kind == "numbers" and ln.start >= after
            and not any(t.start in claimed for t in ln.tokens)]


def detach(segments: list[Segment], scanned: list[Line]) -> bool:
    """In a torn table, rows whose numbers are a whole row of numbers on a line of their
    own, not the label's, lose them to the order matching: whether a converter put such a
    line below its label or above it, the labels cannot say — a line between two labels
    may be either's — while the order of the rows of numbers can. Whether any did."""
    line_at = {ln.tokens[0].start: ln for ln in scanned if ln.kind == "numbers" and ln.tokens}
    detached = False
    for seg in segments:
        if not seg.tokens or seg.positions is not None or not seg.label:
            continue
        ln = line_at.get(seg.tokens[0].start)
        if ln is not None and ln.number != seg.line and \
                [t.start for t in ln.tokens] == [t.start for t in seg.tokens]:
            seg.tokens = []
            detached = True
    return detached


def _page_numbers(spare: list[Line], scanned: list[Line]) -> list[int]:
    """Which spare lines may be page numbers: a lone number on a plain line, where the
    table is a pipe table (so a plain line is outside it) or pages are marked."""
    paged = any(ln.pipe for ln in spare) or any(ln.kind == "furniture" for ln in scanned)
    return [i for i, ln in enumerate(spare) if paged and ln.lone and not ln.pipe]


def _ways(k: int, m: int, page: list[int], extra: bool = False
          ) -> list[tuple[tuple[int, ...], tuple]] | None:
    """Every way to match k rows of numbers, in order, to m rows, in order: (lines read as
    page numbers, for each row the line it gets or None). None past ``MAX_WAYS``.

    Rows of numbers beyond the rows must be page numbers. Where there are fewer rows of
    numbers than rows, some rows print none, and page numbers may be among the lines too;
    with ``extra``, one more lone number than that may be a page number.
    """
    least = max(0, k - m)
    most = len(page) if k - least < m else least + 1 if extra else least
    skips = range(least, min(most, len(page)) + 1)
    out = []
    for s in skips:
        for skipped in itertools.combinations(page, s):
            kept = [i for i in range(k) if i not in skipped]
            if len(kept) > m:
                continue
            for empty in itertools.combinations(range(m), m - len(kept)):
                lines = iter(kept)
                out.append((skipped, tuple(None if j in empty else next(lines) for j in range(m))))
                if len(out) > MAX_WAYS:
                    return None
    return out


def _line_readings(seg: Segment, local: Sequence[Identity]) -> list[list[Part]]:
    """The readings of one row of numbers on a row, as ``placement`` would make them."""
    try:
        rs = readings(seg, local, prune=True)
        if rs:
            return rs
        return readings(seg, local, prune=False)
    except OverflowError:
        return [[Part(None, "")] * len(seg.cells)]


def _shown(line: Line) -> str:
    return line.shown if len(line.shown) <= 40 else line.shown[:37] + "…"


def restore_rows(segments: list[Segment], spare: list[Line], scanned: list[Line],
                 idents: Sequence[Identity], glued: bool, extra: bool = True
                 ) -> tuple[list[Segment], list[Finding]]:
    """Put unlabelled rows of numbers back on the rows left without numbers.

    In: the table's segments (one per row, in template order; a row whose label was not
    found at all is left without numbers too), the spare rows of numbers, the identities.
    Out: the segments to place, and findings. With one way to match them, each row left
    without numbers gets its line; with several, those rows become one segment whose
    readings are every way (``placement`` chooses by the identities).
    """
    table = segments[0].table
    targets = [s for s in segments if not s.tokens]
    page = _page_numbers(spare, scanned)
    # A lone number that may be a page number may be one even where the lines are as many
    # as the rows (a row printed nothing, or not even its label): read both ways where the
    # ways stay few.
    ways = (extra and _ways(len(spare), len(targets), page, extra=True)) or \
        _ways(len(spare), len(targets), page)
    where = f"lines {spare[0].number}–{spare[-1].number}" if len(spare) > 1 \
        else f"line {spare[0].number}"
    if not ways:
        msg = (f"{len(spare)} rows of numbers ({where}) are printed apart from the labels of "
               f"{len(targets)} rows and cannot be matched to them in few enough ways; "
               "those rows are unknown")
        # one row left without numbers: the finding belongs to that row
        only = targets[0].cells[0][0] if len(targets) == 1 else ""
        return segments, [_finding(table, "torn_table", msg, only)]
    if len(ways) == 1:
        return segments, [_in_printed_order(table, targets, spare, ways[0], where)]
    return _several_ways(segments, targets, spare, scanned, idents, glued, extra, ways, where)


def _in_printed_order(table: str, targets: list[Segment], spare: list[Line], way,
                      where: str) -> Finding:
    """The one way to match the rows of numbers to ``targets``: each row gets its line (a
    line the way skips is a page number). The finding that says so."""
    skipped, match = way
    skip_note = _skips(spare, skipped)
    for seg, i in zip(targets, match, strict=True):
        if i is None:
            continue
        ln = spare[i]
        seg.tokens, seg.line = ln.tokens, ln.number
        seg.origin = (f"printed on line {ln.number} ('{_shown(ln)}') apart from its label; "
                      f"the rows of numbers are placed on the rows in printed order{skip_note}")
    msg = (f"the rows of numbers ({where}) are printed apart from their labels; they are "
           f"placed on the {len(targets)} rows left without numbers in printed order"
           f"{skip_note}")
    return _finding(table, "torn_table", msg)


def _several_ways(segments: list[Segment], targets: list[Segment], spare: list[Line],
                  scanned: list[Line], idents: Sequence[Identity], glued: bool, extra: bool,
                  ways, where: str) -> tuple[list[Segment], list[Finding]]:
    """Several ways to match the rows of numbers to ``targets``. A row that gets the same
    row of numbers in every way (or none in every way) keeps a segment of its own; the
    rows the ways disagree on become one segment, one reading per way (and per reading of
    each row of numbers in it)."""
    table = targets[0].table
    pages = sorted({spare[i].number for skipped, _ in ways for i in skipped})
    maybe = ("" if not pages else f"; line {pages[0]} may be a page number" if len(pages) == 1
             else f"; lines {', '.join(map(str, pages))} may each be a page number")
    settled = [j for j in range(len(targets)) if len({match[j] for _, match in ways}) == 1]
    for j in settled:
        i = ways[0][1][j]
        if i is not None:
            ln = spare[i]
            targets[j].tokens, targets[j].line = ln.tokens, ln.number
            targets[j].origin = (f"printed on line {ln.number} ('{_shown(ln)}') apart from its "
                                 f"label; the rows of numbers are placed on the rows in printed "
                                 f"order, which every way to match them agrees on here{maybe}")
    open_rows = [j for j in range(len(targets)) if j not in settled]
    given = _every_way(targets, spare, idents, glued, ways, open_rows)
    if given is None:  # too many
        for seg in targets:
            seg.tokens, seg.origin = [], ""
        if extra:  # without the one more lone number read as a page number
            return restore_rows(segments, spare, scanned, idents, glued, extra=False)
        msg = (f"the rows of numbers ({where}) are printed apart from the labels of "
               f"{len(targets)} rows and read in too many ways; those rows are unknown")
        return segments, [_finding(table, "torn_table", msg)]
    cells = [c for j in open_rows for c in targets[j].cells]
    lines_open = sorted({i for _, match in ways for j in open_rows if (i := match[j]) is not None})
    torn = Segment(table, cells, [t for i in lines_open for t in spare[i].tokens], glued,
                   spare[lines_open[0]].number if lines_open else spare[0].number,
                   label="torn", given=given,
                   origin=(f"the rows of numbers ({where}) are printed apart from their labels "
                           f"and can be matched to the rows in {len(ways)} ways{maybe}"))
    msg = (f"the rows of numbers ({where}) are printed apart from their labels; they can be "
           f"matched to the {len(targets)} rows left without numbers in {len(ways)} ways"
           f"{maybe}; the identities choose, and cells the ways disagree on are missing")
    return [s for s in segments if s not in [targets[j] for j in open_rows]] + [torn], \
        [_finding(table, "torn_table", msg)]


def _every_way(targets: list[Segment], spare: list[Line], idents: Sequence[Identity], glued: bool,
               ways, open_rows: list[int]) -> list[list[Part]] | None:
    """The readings of the rows in ``open_rows`` together: for each way to match lines to
    them, every combination of the lines' own readings (a row without a line: blank).
    None past ``MAX_READINGS``."""
    table = targets[0].table
    local = [x for x in idents if x.rule in ROW_RULES and all(c in targets[0].cells for c in x.cells)]
    per_line = [_line_readings(Segment(table, targets[0].cells, ln.tokens, glued, ln.number),
                               local) for ln in spare]
    blank = [Part(None, "")] * len(targets[0].cells)
    given: list[list[Part]] = []
    for option in sorted({tuple(match[j] for j in open_rows) for _, match in ways},
                         key=lambda o: [-1 if i is None else i for i in o]):
        choices = [per_line[i] if i is not None else [blank] for i in option]
        for combo in itertools.product(*choices):
            given.append([p for row in combo for p in row])
            if len(given) > MAX_READINGS:
                return None
    return given


def restore_run(seg: Segment, spare: list[Line], scanned: list[Line],
                idents: Sequence[Identity]) -> tuple[Segment, list[Finding]]:
    """Section 四: the header's run of numbers continued by unlabelled rows of numbers
    further down (the table split at a page break). Lone numbers that may be page numbers
    are left out in every way that keeps to the table's cells, each way a reading."""
    cells = len(seg.cells)
    page = _page_numbers(spare, scanned)
    total = len(seg.tokens) + sum(len(ln.tokens) for ln in spare)
    # Numbers beyond the cells must be page numbers; with fewer, cells may be dropped too,
    # and any lone number may be a page number.
    skips = [total - cells] if total > cells else range(len(page) + 1)
    options = []
    for s in skips:
        for skipped in itertools.combinations(page, s):
            tokens = seg.tokens + [t for i, ln in enumerate(spare) if i not in skipped
                                   for t in ln.tokens]
            options.append((skipped, tokens))
        if len(options) > MAX_WAYS:
            options = []
            break
    where = ("lines " if len(spare) > 1 else "line ") + ", ".join(str(ln.number) for ln in spare)
    if not options:
        why = ("are more than its cells" if total - cells > len(page)
               else "cannot be told from page numbers in few enough ways")
        return seg, [_finding(seg.table, "torn_table",
                              f"numbers on {where} continue the table but {why}; they are "
                              "left out")]
    if len(options) == 1:
        skipped, tokens = options[0]
        seg.tokens = tokens
        seg.origin = f"the numbers continue on {where}, apart from the header{_skips(spare, skipped)}"
        return seg, [_finding(seg.table, "torn_table", f"the table's numbers continue on {where}, "
                              f"apart from the header{_skips(spare, skipped)}")]
    given = []
    for _skipped, tokens in options:
        given.extend(_line_readings(Segment(seg.table, seg.cells, tokens, seg.glued, seg.line),
                                    idents))
    pages = ", ".join(str(spare[i].number) for i in page)
    seg.tokens = seg.tokens + [t for ln in spare for t in ln.tokens]
    seg.given = given
    seg.origin = (f"the numbers continue on {where}, apart from the header; line {pages} may "
                  "be a page number")
    return seg, [_finding(seg.table, "torn_table",
                          f"the table's numbers continue on {where}, apart from the header; "
                          f"line {pages} may be a page number, and the identities choose")]


def _skips(spare: list[Line], skipped) -> str:
    if not skipped:
        return ""
    shown = ", ".join(f"line {spare[i].number} '{spare[i].shown}'" for i in skipped)
    return f", {shown} read as a page number"


def _finding(table: str, rule: str, message: str, row: str = "") -> Finding:
    return Finding(rule=rule, table=table, row=row, column="", message=message)
