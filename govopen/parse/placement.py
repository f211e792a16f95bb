"""Number tokens → cell values, by solving the table's identities.

In: ``Segment`` objects — a run of number tokens read after one row label (or, for
section 四, after the header), the cells it must fill in printed order, and whether the
table prints cells run together ("glued": '1000001' is 1,0,0,0,0,0,1) or one token per
cell with empty cells dropped ("atomic"). Plus the identities of the table.

Out: a ``Placement`` per cell — its value (or None), the raw text it was read from,
status ``parsed`` / ``inferred`` / ``missing``, and a note saying why — and findings for
the cells the numbers cannot determine, with the alternatives.

How. Each segment has *readings* (``cuts``): ways to cut its digits into cells (no
leading zeros except '0' itself) and, where it prints fewer numbers than cells, to leave
cells blank (a blank is unknown, not 0). A segment whose source is a grid has one
reading, its ``positions`` (``grid``); one may come with its readings given instead: the
ways to match rows of numbers printed apart from their labels to the rows (``torn``).
Readings that break the segment's own identities (its row totals) are dropped when any
reading keeps them, and the blanks those identities force are filled in. Across
segments the column identities decide: every combination that breaks the least is a
solution, and a cell is accepted only when every solution gives it the same value; where
every solution breaks some identity, a row's cell stands only where all its readings
agree. In order: small problems are enumerated; intervals are narrowed over the
identities (one reading per row, blanks unknown) and readings they rule out set aside;
what is left goes to an integer program (HiGHS through SciPy, ``solver``) within a time
budget, after which unsettled cells are missing.

Modules: this one turns readings into placements and findings; ``segments`` holds the
types (``Segment``, ``Placement``, ``Outcome``, re-exported here); ``search`` chooses the
search and enumerates; ``bounds`` narrows intervals and sets readings aside.

Status: ``parsed`` when every reading prints the cell from the same characters (its row
and column are the source's), ``inferred`` when its value or place was reasoned out,
``missing`` when it cannot be known.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from ..findings import Finding
from ..schema import Identity
from .bounds import equation, narrow
from .cuts import MAX_READINGS, Part, feasible, is_one_cell, readings
from .search import solve
from .segments import SIGNED, Cell, Outcome, Placement, Segment
from .text import Token
from .weights import ROW_RULES, value_order

__all__ = ["Cell", "Outcome", "Placement", "Segment", "place", "readings"]


def _violations(reading: list[Part], local_idx) -> int:
    return sum(not feasible(reading, lhs, rhs) for lhs, rhs in local_idx)


# --- the table ----------------------------------------------------------------------------


def place(segments: list[Segment], idents: list[Identity], deadline: float | None = None) -> Outcome:
    """Fill the cells of one table from its segments, as far as the identities allow.

    ``deadline`` (a ``time.process_time()`` reading) ends any search: cells it has not
    settled by then are missing, with a finding that says the time budget ran out."""
    if all(_prints_each_cell(seg) for seg in segments):
        return _as_printed(segments)
    result = Outcome()
    where = {c: s for s in segments for c in s.cells}
    seg_readings: list[list[list[Part]]] = []
    by_first_cell: dict[Cell, list[Identity]] = {}
    for i in idents:
        if i.rule in ROW_RULES:
            by_first_cell.setdefault(i.cells[0], []).append(i)
    for seg in segments:
        own = set(seg.cells)
        local = [i for c in seg.cells for i in by_first_cell.get(c, ())
                 if all(x in own for x in i.cells)]
        seg_readings.append(_local_readings(seg, local, result))
    usable = [i for i in idents if all(c in where for c in i.cells)]
    solutions_agree, survivors = solve(segments, seg_readings, usable, result, deadline)
    for seg, rs in zip(segments, seg_readings, strict=True):
        kept = survivors.get(id(seg), rs)
        if len(rs) > 1 and result.broken:
            # No solution keeps every identity: they cannot vouch for one reading of this
            # row over another, so a cell stands only where every reading agrees.
            kept = rs
            solutions_agree = {**solutions_agree, **_same_in_every_way(seg, rs)}
        elif seg.given is not None:
            kept = _agreeing(seg, kept, solutions_agree)
        for j, cell in enumerate(seg.cells):
            if seg.given is not None:
                result.cells[cell] = _given_placement(seg, kept, j, solutions_agree.get(cell))
                continue
            p = _cell_placement(seg, kept, j, solutions_agree.get(cell))
            if p.status == "parsed" and len(kept) < len(rs):
                p.note = (f"'{_printed(seg)}' reads {len(rs)} ways; the table's identities "
                          f"keep {'this one' if len(kept) == 1 else str(len(kept))}")
                if len({(r[j].start, r[j].end) for r in rs}) > 1:
                    p.status = "inferred"  # the ways print it from other characters
            if seg.origin:
                p.note = f"{seg.origin}; {p.note}" if p.note else seg.origin
                p.status = "inferred" if p.status == "parsed" else p.status
            result.cells[cell] = p
        if rs and seg.given is not None:
            _explain_ways(seg, rs, result)
        elif rs:
            _explain_undetermined(seg, rs, result)
    return result


def _prints_each_cell(seg: Segment) -> bool:
    """The row prints one number for each of its cells, each a whole cell that can stand
    there: its only reading, whatever the identities say (a token cut in two would leave
    a number without a cell), so every solution places these numbers as printed."""
    if seg.given is not None or len(seg.tokens) != len(seg.cells):
        return False
    signed = SIGNED[seg.table]
    return all(tok.value is not None and is_one_cell(tok, seg.glued)
               and _may_stand(tok.value, cell, signed, tok.raw)
               for tok, cell in zip(seg.tokens, seg.cells, strict=True))


def _as_printed(segments: list[Segment]) -> Outcome:
    """What ``place`` gives when every row prints each of its cells: one reading of each
    row, so one solution, every cell parsed as printed (identities are checked later)."""
    result = Outcome()
    for seg in segments:
        # numbers that no label ties to their row (a torn table) are placed by reasoning
        status = "inferred" if seg.origin else "parsed"
        for tok, cell in zip(seg.tokens, seg.cells, strict=True):
            result.cells[cell] = Placement(tok.value, tok.raw, status, seg.line, seg.origin,
                                           tok.start)
    return result


def _same_in_every_way(seg: Segment, rs) -> dict[Cell, object]:
    """Each cell's value where every reading prints the same one, else the values."""
    out: dict[Cell, object] = {}
    for j, cell in enumerate(seg.cells):
        vals = {r[j].value for r in rs}
        out[cell] = vals.pop() if len(vals) == 1 and None not in vals else \
            sorted(vals, key=value_order)
    return out


def _agreeing(seg: Segment, rs, agreed: Mapping) -> list:
    """The readings that can take part in a best solution: those printing, in every cell
    the identities settle, the value they settle on (or nothing). Every best solution has
    those values, so no reading it uses is dropped."""
    settled = [(j, agreed[c]) for j, c in enumerate(seg.cells)
               if agreed.get(c) is not None and not isinstance(agreed[c], list)]
    kept = [r for r in rs if all(r[j].blank or r[j].value == v for j, v in settled)]
    return kept or rs


def _given_placement(seg: Segment, rs, j: int, agreed) -> Placement:
    """A cell of a segment whose readings are ways to match rows of numbers to rows: read
    as printed when every way prints the value the identities settle on, wherever."""
    p = _cell_placement(seg, rs, j, agreed)
    if p.status == "missing":
        p.note = f"{p.note}; {seg.origin}"
        return p
    parts = [r[j] for r in rs]
    settled = f"{seg.origin}; every way that fits the identities gives this value"
    if parts and all(not q.blank and q.value == p.value for q in parts):
        places = len({q.start for q in parts})
        where = f", printed in {places} places" if places > 1 else ""
        return Placement(p.value, parts[0].raw, "inferred", seg.line, settled + where,
                         parts[0].start)
    return Placement(p.value, p.raw, "inferred", p.line,
                     settled + ", printed in some ways and forced by the identities in others")


def _explain_ways(seg: Segment, rs, result: Outcome):
    """One finding per row of a segment with given readings whose cells the ways to read
    it leave undetermined, with the values that fit."""
    rows: dict[str, list[Cell]] = {}
    for c in seg.cells:
        if result.cells[c].status == "missing":
            rows.setdefault(c[0], []).append(c)
    for row, cells in rows.items():
        alts = "; ".join(f"{c[1]} {result.cells[c].note.split(';')[0].removeprefix('not determined: ')}"
                         for c in cells[:3])
        result.findings.append(Finding(
            rule="undetermined", table=seg.table, row=row, column="",
            message=f"{seg.table}/{row}: {seg.origin}; the ways that fit the identities "
                    f"disagree on {', '.join(c[1] for c in cells)} ({alts}); these cells are "
                    "missing"))


def _explain_undetermined(seg: Segment, rs, result: Outcome):
    """One finding per printed row whose cells the numbers cannot all determine."""
    lost = [(j, c) for j, c in enumerate(seg.cells) if result.cells[c].status == "missing"]
    if not lost or not (seg.tokens or seg.label):
        return  # a row that is not printed at all has its own finding (row_not_found)
    names = ", ".join(c[1] for _, c in lost)
    printed = _printed(seg) or "nothing"
    shown = ""
    if 1 < len(rs) <= 4 and not any(p.blank for r in rs for p in r):
        shown = "; readings that fit: " + " / ".join(
            "|".join(p.raw or _fmt(p.value) for p in r) for r in rs)
    else:
        alts = [f"{c[1]} {result.cells[c].note.removeprefix('not determined: ')}"
                for _, c in lost[:3] if result.cells[c].note.startswith("not determined")]
        if alts:
            shown = "; " + "; ".join(alts)
    _finding(result, seg, "undetermined",
             f"{seg.table}/{seg.cells[0][0] if len({c[0] for c in seg.cells}) == 1 else 'table'}: "
             f"printed '{printed}' does not determine {names}{shown}; these cells are missing")


def _local_readings(seg: Segment, local: list[Identity], result: Outcome):
    """A segment's readings, keeping those that break the fewest of its own identities."""
    if seg.given is not None:  # ways worked out by the caller (a torn table)
        return _fewest_broken(seg, seg.given, local)
    if seg.positions is not None:
        return _signs_fit(seg, [_positioned(seg.positions)])
    lost = [t for t in seg.tokens if t.unreadable and not (seg.glued and t.splittable)]
    if lost:  # a number too long to be a count: a placeholder, whose value is not known
        _finding(result, seg, "unreadable_number",
                 f"{seg.table}/{seg.cells[0][0]}: {lost[0].unreadable}; its value is not read")
    try:
        rs = _signs_fit(seg, readings(seg, local, prune=True))
        if rs:
            return _settle_blanks(seg, rs, local)
        rs = _signs_fit(seg, readings(seg, local, prune=False))
    except OverflowError:
        _finding(result, seg, "too_many_readings",
                 f"'{_printed(seg)}' has more than {MAX_READINGS} readings; its cells are missing")
        return []
    if not rs and seg.tokens:
        why = (f"prints more numbers than the row's {len(seg.cells)} cells"
               if len(seg.tokens) > len(seg.cells)
               else "has no reading that puts its negative numbers where one can stand")
        _finding(result, seg, "unplaceable", f"'{_printed(seg)}' {why}; its cells are missing")
    return _fewest_broken(seg, rs, local)


def _settle_blanks(seg: Segment, rs: list[list[Part]], local: list[Identity]):
    """Readings that keep the row's own identities, with the blanks those identities force
    filled in (a row printing '2 0 0 0 0 2' for seven cells: the blank is 0 wherever it
    stands), and readings that then give every cell the same value merged into one.

    Every best solution keeps each row's own identities when some reading of every row
    does (one of them outweighs all column sums), so a value forced here holds in all of
    them. A filled-in cell is not printed (its part has no source offset); a merged
    reading keeps a cell's printed text only where all the readings merged print it alike.
    """
    if not local or not any(p.blank for r in rs for p in r):
        return rs
    index = {c: i for i, c in enumerate(seg.cells)}
    equations = [[(index[c], k) for c, k in equation(ident)] for ident in local]
    signed = SIGNED[seg.table]
    groups: dict[tuple, list[list[Part]]] = {}
    for r in rs:
        values = {j: p.value for j, p in enumerate(r) if p.value is not None}  # not blank
        lo = {j: (-math.inf if seg.cells[j][1] in signed else 0.0) for j, p in enumerate(r) if p.blank}
        hi = {j: math.inf for j in lo}
        for _ in range(len(lo) + 1):
            if not any([narrow(terms, values, lo, hi) for terms in equations]):
                break
        if any(lo[j] > hi[j] for j in lo):
            continue
        filled = [p if not p.blank or j not in values else Part(values[j], "", -1, -1)
                  for j, p in enumerate(r)]
        groups.setdefault(tuple(q.value for q in filled), []).append(filled)
    if not groups:
        return rs
    merged = []
    for members in groups.values():
        first = members[0]
        merged.append([first[j] if all(m[j] == first[j] for m in members)
                       else Part(first[j].value, "", -1, -1) for j in range(len(first))])
    return merged


def _positioned(positions: list[Token | None]) -> list[Part]:
    """The reading a grid gives: each token whole in its cell, an empty cell blank."""
    return [Part(None, "", -1, -1) if t is None else Part(t.value, t.raw, t.start, t.end)
            for t in positions]


def _signs_fit(seg: Segment, rs):
    """Readings that put a negative number only where one can stand (本年增/减): '30-1225'
    run together is not 3, 0 and −1225 处理决定数量."""
    signed = SIGNED[seg.table]
    return [r for r in rs if all(_may_stand(p.value, cell, signed, p.raw)
                                 for p, cell in zip(r, seg.cells, strict=True))]


def _may_stand(value: Decimal | None, cell: Cell, signed: frozenset, raw: str = "") -> bool:
    """A blank, a number ≥ 0, or a negative number — or one printed with a '+' — in a
    column where a change can stand (本年增/减)."""
    if value is None or cell[1] in signed:
        return True
    return value >= 0 and not raw.startswith("+")


def _fewest_broken(seg: Segment, rs, local: list[Identity]):
    if not rs:
        return []
    index = {c: i for i, c in enumerate(seg.cells)}
    local_idx = [([index[c] for c in i.lhs], [index[c] for c in i.rhs]) for i in local]
    scores = [_violations(r, local_idx) for r in rs]
    best = min(scores)
    return [r for r, s in zip(rs, scores, strict=True) if s == best]


def _cell_placement(seg: Segment, rs, j: int, agreed) -> Placement:
    if not rs:
        return Placement(None, "", "missing", seg.line, "no reading of the row fits")
    part = rs[0][j]
    if len(rs) == 1 and part.value is not None and part.value == agreed and part.start >= 0:
        return Placement(agreed, part.raw, "parsed", seg.line, "", part.start)  # most cells
    spans = {(r[j].start, r[j].end, r[j].raw) for r in rs}
    printed_same = len(spans) == 1 and not rs[0][j].blank and rs[0][j].start >= 0
    raw = rs[0][j].raw if len(spans) == 1 else ""  # a placeholder ('—', '无') keeps its text
    line = seg.line
    if agreed is None or isinstance(agreed, list):
        alts = agreed if isinstance(agreed, list) else []
        shown = " or ".join(_fmt(v) for v in alts[:4]) if alts else "any value"
        placeholder = {r[j].raw for r in rs if r[j].blank and r[j].raw}
        note = (f"printed '{placeholder.pop()}'" if placeholder and len(rs) == 1
                else f"not determined: {shown} fit the identities")
        if type(agreed).__name__ == "OutOfTime":
            note = "not settled: the search ran out of its time budget"
        return Placement(None, raw, "missing", line, note)
    value = agreed
    if printed_same and rs[0][j].value == value:
        note = ""
        if len(rs) > 1:
            note = f"one of {len(rs)} readings of '{_printed(seg)}'; the cell is the same in all"
        return Placement(value, raw, "parsed", line, note, rs[0][j].start)
    if printed_same:
        # printed, but the identities could only be met with another reading
        return Placement(value, raw, "inferred", line, "value fixed by the identities")
    if any(not r[j].blank for r in rs):
        return Placement(value, "", "inferred", line,
                         f"the row prints '{_printed(seg)}' for {len(seg.cells)} cells; "
                         "this value is forced by the identities")
    return Placement(value, "", "inferred", line, "not printed; forced by the identities")


def _fmt(v) -> str:
    return "blank" if v is None else format(v, "f").rstrip("0").rstrip(".") if "." in format(v, "f") else str(v)


def _printed(seg: Segment) -> str:
    return " ".join(t.raw if len(t.raw) <= 20 else t.raw[:17] + "…" for t in seg.tokens)


def _finding(result: Outcome, seg: Segment, rule: str, message: str, severity: str = "warning"):
    row = seg.cells[0][0] if len({c[0] for c in seg.cells}) == 1 else ""
    result.findings.append(Finding(rule=rule, table=seg.table, row=row,
                                column="", message=message))
