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
cells blank (a blank is unknown, not 0). Readings that break the segment's own
identities (its row totals) are dropped when any reading keeps them. A segment may come
with its readings given instead: the ways to match rows of numbers printed apart from
their labels to the rows (``torn``), chosen among exactly as cuts are. Across segments,
the column identities decide: every combination that satisfies the most identities is a
solution, and a cell is accepted only when every solution gives it the same value. Small problems
are enumerated exactly; those with blank cells or many combinations go to an integer
program (HiGHS through SciPy), which proves for each cell that no other value fits.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal

from .cuts import MAX_READINGS, Part, feasible, is_one_cell, readings
from .schema import TABLES, Identity
from .text import Token

Cell = tuple[str, str]

MAX_COMBINATIONS = 4096  # exact enumeration up to this many; the integer program beyond
ROW_RULES = ("row_total", "review_total")  # identities local to one printed row


@dataclass
class Segment:
    table: str
    cells: list[Cell]
    tokens: list[Token]
    glued: bool
    line: int  # line of the label, for cells that were never printed
    label: str = ""
    # Readings supplied by the caller instead of cutting the tokens: every way to match
    # rows of numbers printed apart from their labels to the rows (see ``torn``).
    given: list[list[Part]] | None = None
    origin: str = ""  # where the numbers come from when no label ties them to the row


@dataclass
class Placement:
    value: Decimal | None
    raw: str
    status: str  # parsed | inferred | missing
    line: int
    note: str = ""
    start: int = -1


@dataclass
class Outcome:
    cells: dict[Cell, Placement] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)


def _violations(reading: list[Part], local_idx) -> int:
    return sum(not feasible(reading, lhs, rhs) for lhs, rhs in local_idx)


# --- the table ----------------------------------------------------------------------------


def place(segments: list[Segment], idents: list[Identity]) -> Outcome:
    """Fill the cells of one table from its segments, as far as the identities allow."""
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
    solutions_agree, survivors = _solve(segments, seg_readings, usable, result)
    for seg, rs in zip(segments, seg_readings, strict=True):
        kept = survivors.get(id(seg), rs)
        if seg.given is not None:
            kept = _agreeing(seg, kept, solutions_agree)
        for j, cell in enumerate(seg.cells):
            if seg.given is not None:
                result.cells[cell] = _given_placement(seg, kept, j, solutions_agree.get(cell))
                continue
            p = _cell_placement(seg, kept, j, solutions_agree.get(cell))
            if p.status == "parsed" and len(kept) < len(rs):
                p.note = (f"'{_printed(seg)}' reads {len(rs)} ways; the table's identities "
                          f"keep {'this one' if len(kept) == 1 else str(len(kept))}")
            if seg.origin:
                p.note = f"{seg.origin}; {p.note}" if p.note else seg.origin
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
    signed = _SIGNED[seg.table]
    return all(tok.value is not None and is_one_cell(tok, seg.glued)
               and _may_stand(tok.value, cell, signed)
               for tok, cell in zip(seg.tokens, seg.cells, strict=True))


def _as_printed(segments: list[Segment]) -> Outcome:
    """What ``place`` gives when every row prints each of its cells: one reading of each
    row, so one solution, every cell parsed as printed (identities are checked later)."""
    result = Outcome()
    for seg in segments:
        for tok, cell in zip(seg.tokens, seg.cells, strict=True):
            result.cells[cell] = Placement(tok.value, tok.raw, "parsed", seg.line, seg.origin,
                                           tok.start)
    return result


def _agreeing(seg: Segment, rs, agreed: dict) -> list:
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
        return Placement(p.value, parts[0].raw, "parsed", seg.line, settled + where,
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
        result.findings.append(dict(
            rule="undetermined", severity="warning", table=seg.table, row=row, column="",
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
            "|".join(p.raw for p in r) for r in rs)
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
    try:
        rs = _signs_fit(seg, readings(seg, local, prune=True))
        if rs:
            return rs
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


def _signs_fit(seg: Segment, rs):
    """Readings that put a negative number only where one can stand (本年增/减): '30-1225'
    run together is not 3, 0 and −1225 处理决定数量."""
    signed = _SIGNED[seg.table]
    return [r for r in rs if all(_may_stand(p.value, cell, signed)
                                 for p, cell in zip(r, seg.cells, strict=True))]


def _may_stand(value: Decimal | None, cell: Cell, signed: frozenset) -> bool:
    """A blank, a number ≥ 0, or a negative number in a column where one can stand."""
    return value is None or value >= 0 or cell[1] in signed


# table -> the keys of its columns where a negative number can stand
_SIGNED = {name: frozenset(c.key for c in t.columns if c.signed) for name, t in TABLES.items()}


def _fewest_broken(seg: Segment, rs, local: list[Identity]):
    if not rs:
        return []
    index = {c: i for i, c in enumerate(seg.cells)}
    local_idx = [([index[c] for c in i.lhs], [index[c] for c in i.rhs]) for i in local]
    scores = [_violations(r, local_idx) for r in rs]
    best = min(scores)
    return [r for r, s in zip(rs, scores, strict=True) if s == best]


def _solve(segments, seg_readings, idents, result: Outcome):
    """(cell -> value shared by every best solution, or a list of alternatives;
    id(segment) -> the readings that take part in a best solution, where known)."""
    live = [(s, rs) for s, rs in zip(segments, seg_readings, strict=True) if rs]
    if not idents:
        return _agree_per_segment(live), {}
    has_blank = any(p.blank for _, rs in live for r in rs for p in r)
    n_comb = math.prod(len(rs) for _, rs in live)
    missing_cells = {c for s, rs in zip(segments, seg_readings, strict=True) if not rs for c in s.cells}
    if not has_blank and not missing_cells and n_comb <= MAX_COMBINATIONS:
        return _enumerate(live, idents)
    from .solver import solve_table  # noqa: PLC0415 - SciPy only when needed

    return solve_table(live, idents, missing_cells, result), {}


def _agree_per_segment(live) -> dict[Cell, object]:
    """Without identities a cell is known when every reading of its row agrees on it."""
    out: dict[Cell, object] = {}
    for seg, rs in live:
        for j, cell in enumerate(seg.cells):
            vals = {r[j].value for r in rs}
            out[cell] = vals.pop() if len(vals) == 1 else sorted(vals, key=_sort_key)
    return out


def _enumerate(live, idents) -> dict[Cell, object]:
    """Exact: score every combination of readings by the identities it breaks.

    Only rows with several readings vary, and only the identities that touch them can
    change from one combination to the next, so each identity is reduced beforehand to a
    constant and, for each varying row, what each of its readings adds to it.
    """
    cells = [c for s, _ in live for c in s.cells]
    base = {cell: part.value for seg, rs in live for cell, part in zip(seg.cells, rs[0], strict=True)}
    varying = [s for s, (_, rs) in enumerate(live) if len(rs) > 1]
    if not varying:  # one reading of every row: the one solution, whatever it breaks
        return base, {id(seg): rs for seg, rs in live}
    slot = {s: v for v, s in enumerate(varying)}
    owner = {cell: s for s, (seg, _) in enumerate(live) for cell in seg.cells}
    fixed_score = 0
    moving = []  # (weight, constant, [(varying slot, what each reading adds)])
    for ident in idents:
        signed = [(c, 1) for c in ident.lhs] + [(c, -1) for c in ident.rhs]
        const = sum(sign * base[c] for c, sign in signed if owner[c] not in slot)
        terms = []
        for s in sorted({owner[c] for c, _ in signed if owner[c] in slot}):
            seg, rs = live[s]
            at = [(seg.cells.index(c), sign) for c, sign in signed if owner[c] == s]
            terms.append((slot[s], [sum(sign * r[j].value for j, sign in at) for r in rs]))
        if terms:
            moving.append((_weight(ident), const, terms))
        elif const != 0:
            fixed_score += _weight(ident)
    best_score, best_combos = None, []
    for combo in itertools.product(*(range(len(live[s][1])) for s in varying)):
        score = fixed_score
        for weight, const, terms in moving:
            if const + sum(adds[combo[v]] for v, adds in terms) != 0:
                score += weight
        if best_score is None or score < best_score:
            best_score, best_combos = score, [combo]
        elif score == best_score:
            best_combos.append(combo)
    best_vals = []
    for combo in best_combos:
        values = dict(base)
        for v, s in enumerate(varying):
            seg, rs = live[s]
            values.update(zip(seg.cells, (p.value for p in rs[combo[v]]), strict=True))
        best_vals.append(values)
    out: dict[Cell, object] = {}
    for cell in cells:
        vals = {v[cell] for v in best_vals}
        out[cell] = vals.pop() if len(vals) == 1 else sorted(vals, key=_sort_key)
    survivors = {id(seg): [rs[k] for k in sorted({combo[slot[i]] for combo in best_combos})]
                 if i in slot else [rs[0]] for i, (seg, rs) in enumerate(live)}
    return out, survivors


def _weight(ident: Identity) -> int:
    # A row's own total is the most local evidence: it outweighs any number of column sums.
    return 1000 if ident.rule in ROW_RULES else 1


def _sort_key(v):
    return (v is None, v if v is not None else 0)


def _cell_placement(seg: Segment, rs, j: int, agreed) -> Placement:
    if not rs:
        return Placement(None, "", "missing", seg.line, "no reading of the row fits")
    part = rs[0][j]
    if len(rs) == 1 and part.value is not None and part.value == agreed:
        return Placement(agreed, part.raw, "parsed", seg.line, "", part.start)  # most cells
    spans = {(r[j].start, r[j].end, r[j].raw) for r in rs}
    printed_same = len(spans) == 1 and not rs[0][j].blank
    raw = rs[0][j].raw if len(spans) == 1 else ""  # a placeholder ('—', '无') keeps its text
    line = seg.line
    if agreed is None or isinstance(agreed, list):
        alts = agreed if isinstance(agreed, list) else []
        shown = " or ".join(_fmt(v) for v in alts[:4]) if alts else "any value"
        placeholder = {r[j].raw for r in rs if r[j].blank and r[j].raw}
        note = (f"printed '{placeholder.pop()}'" if placeholder and len(rs) == 1
                else f"not determined: {shown} fit the identities")
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
    return " ".join(t.raw for t in seg.tokens)


def _finding(result: Outcome, seg: Segment, rule: str, message: str, severity: str = "warning"):
    row = seg.cells[0][0] if len({c[0] for c in seg.cells}) == 1 else ""
    result.findings.append(dict(rule=rule, severity=severity, table=seg.table, row=row,
                                column="", message=message))
