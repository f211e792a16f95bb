"""Number tokens → cell values, by solving the table's identities.

In: ``Segment`` objects — a run of number tokens read after one row label (or, for
section 四, after the header), the cells it must fill in printed order, and whether the
table prints cells run together ("glued": '1000001' is 1,0,0,0,0,0,1) or one token per
cell with empty cells dropped ("atomic"). Plus the identities of the table.

Out: a ``Placement`` per cell — its value (or None), the raw text it was read from,
status ``parsed`` / ``inferred`` / ``missing``, and a note saying why — and findings for
the cells the numbers cannot determine, with the alternatives.

How. Each segment has *readings*: ways to cut its digits into cells (no leading zeros
except '0' itself) and, where it prints fewer numbers than cells, to leave cells blank
(a blank is unknown, not 0). Readings that break the segment's own identities (its row
totals) are dropped when any reading keeps them. Across segments, the column
identities decide: every combination that satisfies the most identities is a solution,
and a cell is accepted only when every solution gives it the same value. Small problems
are enumerated exactly; those with blank cells or many combinations go to an integer
program (HiGHS through SciPy), which proves for each cell that no other value fits.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal

from .schema import Identity
from .text import Token, valid_part

Cell = tuple[str, str]

MAX_READINGS = 20000  # per segment; beyond it the segment's cells are missing
MAX_COMBINATIONS = 4096  # exact enumeration up to this many; the integer program beyond
ROW_RULES = ("row_total", "review_total")  # identities local to one printed row


@dataclass(frozen=True)
class Part:
    """One cell's share of the printed text in a reading."""

    value: Decimal | None  # None: blank, or a placeholder such as '—'
    raw: str
    start: int = -1  # source offsets; -1 for a blank
    end: int = -1

    @property
    def blank(self) -> bool:
        return self.value is None


@dataclass
class Segment:
    table: str
    cells: list[Cell]
    tokens: list[Token]
    glued: bool
    line: int  # line of the label, for cells that were never printed
    label: str = ""


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


# --- readings of one segment -----------------------------------------------------------


def _token_options(tok: Token, glued: bool) -> list[list[Part]]:
    """The ways one token can fill consecutive cells."""
    whole = [Part(tok.value, tok.raw, tok.start, tok.end)]
    if tok.is_placeholder or not glued or not tok.splittable:
        return [whole]
    digits = tok.int_digits
    out = []
    for k in range(1, len(digits) + 1):
        for cuts in itertools.combinations(range(1, len(digits)), k - 1):
            bounds = (0, *cuts, len(digits))
            pieces = [digits[a:b] for a, b in itertools.pairwise(bounds)]
            if not all(valid_part(p) for p in pieces):
                continue
            parts = []
            for j, p in enumerate(pieces):
                a, b = tok.start + bounds[j], tok.start + bounds[j + 1]
                if j == len(pieces) - 1:
                    raw = p + tok.fraction + tok.unit
                    parts.append(Part(Decimal(p + tok.fraction), raw, a, tok.end))
                else:
                    parts.append(Part(Decimal(p), p, a, b))
            out.append(parts)
    return out


def _max_parts(tok: Token, glued: bool) -> int:
    return len(tok.int_digits) if glued and tok.splittable else 1


def readings(seg: Segment, local: list[Identity], prune: bool, limit: int = MAX_READINGS):
    """Readings of a segment: lists of Parts, one per cell. Raises OverflowError past ``limit``.

    A segment that cannot fill its cells with printed numbers gets blanks — only as many
    as needed when cells run together, anywhere when each token is one cell.
    """
    n = len(seg.cells)
    most = sum(_max_parts(t, seg.glued) for t in seg.tokens)
    fewest = len(seg.tokens)
    if fewest > n:
        return []
    gaps = max(0, n - most)
    index = {c: i for i, c in enumerate(seg.cells)}
    # A labelled row that prints anything prints its total: the cells it drops are parts,
    # never the 总计 cell (a reading that breaks this breaks the row total, so it is caught).
    # An unlabelled run of several rows (section 四) anchors nothing: where its rows begin
    # is itself unknown.
    anchored = {index[c] for c in local[0].lhs} if seg.tokens and len(local) == 1 else set()
    checks: dict[int, list[tuple[list[int], list[int]]]] = {}
    for ident in local:
        lhs = [index[c] for c in ident.lhs]
        rhs = [index[c] for c in ident.rhs]
        checks.setdefault(max(lhs + rhs), []).append((lhs, rhs))
    if not seg.glued and fewest == n:
        # one token per cell, every cell printed: the only reading (what ``fill`` finds)
        reading = [Part(t.value, t.raw, t.start, t.end) for t in seg.tokens]
        if prune and not all(_feasible(reading, lhs, rhs)
                             for pairs in checks.values() for lhs, rhs in pairs):
            return []
        return [reading]
    options = [_token_options(t, seg.glued) for t in seg.tokens]
    out: list[list[Part]] = []
    current: list[Part] = []
    dead: set[tuple] = set()

    def ok_at(i: int) -> bool:
        return all(_feasible(current, lhs, rhs) for lhs, rhs in checks.get(i, ()))

    def fill(t: int, gaps_left: int) -> bool:
        """Place tokens t.. from cell len(current); True if any reading was produced."""
        i = len(current)
        if i == n:
            if t == len(options) and gaps_left == 0:
                out.append(list(current))
                if len(out) > limit:
                    raise OverflowError
                return True
            return False
        key = (i, t, gaps_left, _open_sums(current, checks, i)) if prune else None
        if key is not None and key in dead:
            return False
        produced = False
        if gaps_left > 0 and i not in anchored:
            current.append(Part(None, ""))
            if ok_at(i) or not prune:
                produced |= fill(t, gaps_left - 1)
            current.pop()
        if t < len(options):
            for opt in options[t]:
                if i + len(opt) > n:
                    continue
                current.extend(opt)
                if not prune or all(ok_at(j) for j in range(i, i + len(opt))):
                    produced |= fill(t + 1, gaps_left)
                del current[i:]
        if key is not None and not produced:
            dead.add(key)
        return produced

    if not seg.glued and fewest < n:
        gaps = n - fewest
    fill(0, gaps)
    return out


def _open_sums(current: list[Part], checks, i: int) -> tuple:
    """What the rest of a segment's checks depend on: known sums of assigned cells."""
    return tuple(
        (sum((current[k].value or 0) for k in lhs if k < i),
         sum((current[k].value or 0) for k in rhs if k < i),
         any(current[k].blank for k in lhs if k < i), any(current[k].blank for k in rhs if k < i))
        for pos, pairs in checks.items() if pos >= i for lhs, rhs in pairs)


def _feasible(current: list[Part], lhs: list[int], rhs: list[int]) -> bool:
    """Can ``sum(lhs) == sum(rhs)`` hold, blanks being unknown non-negative numbers?"""
    a = sum(current[k].value for k in lhs if not current[k].blank)
    b = sum(current[k].value for k in rhs if not current[k].blank)
    ua = any(current[k].blank for k in lhs)
    ub = any(current[k].blank for k in rhs)
    if ua and ub:
        return True
    if ua:
        return a <= b
    if ub:
        return b <= a
    return a == b


def _violations(reading: list[Part], local_idx) -> int:
    return sum(not _feasible(reading, lhs, rhs) for lhs, rhs in local_idx)


# --- the table ----------------------------------------------------------------------------


def place(segments: list[Segment], idents: list[Identity]) -> Outcome:
    """Fill the cells of one table from its segments, as far as the identities allow."""
    result = Outcome()
    where = {c: s for s in segments for c in s.cells}
    seg_readings: list[list[list[Part]]] = []
    for seg in segments:
        own = set(seg.cells)
        local = [i for i in idents if i.rule in ROW_RULES and all(c in own for c in i.cells)]
        seg_readings.append(_local_readings(seg, local, result))
    usable = [i for i in idents if all(c in where for c in i.cells)]
    solutions_agree, survivors = _solve(segments, seg_readings, usable, result)
    for seg, rs in zip(segments, seg_readings, strict=True):
        kept = survivors.get(id(seg), rs)
        for j, cell in enumerate(seg.cells):
            p = _cell_placement(seg, kept, j, solutions_agree.get(cell))
            if p.status == "parsed" and len(kept) < len(rs):
                p.note = (f"'{_printed(seg)}' reads {len(rs)} ways; the table's identities "
                          f"keep {'this one' if len(kept) == 1 else str(len(kept))}")
            result.cells[cell] = p
        if rs:
            _explain_undetermined(seg, rs, result)
    return result


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
    try:
        rs = readings(seg, local, prune=True)
        if rs:
            return rs
        rs = readings(seg, local, prune=False)
    except OverflowError:
        _finding(result, seg, "too_many_readings",
                 f"'{_printed(seg)}' has more than {MAX_READINGS} readings; its cells are missing")
        return []
    if not rs:
        if seg.tokens:
            _finding(result, seg, "unplaceable",
                     f"'{_printed(seg)}' prints more numbers than the row's "
                     f"{len(seg.cells)} cells; its cells are missing")
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
    """Exact: score every combination of readings by the identities it breaks."""
    cells = [c for s, _ in live for c in s.cells]
    best_score, best_vals, best_combos = None, [], []
    for combo in itertools.product(*(range(len(rs)) for _, rs in live)):
        values = {}
        for (seg, rs), k in zip(live, combo, strict=True):
            for cell, part in zip(seg.cells, rs[k], strict=True):
                values[cell] = part.value
        score = sum(_weight(i) for i in idents
                    if sum(values[c] for c in i.lhs) != sum(values[c] for c in i.rhs))
        if best_score is None or score < best_score:
            best_score, best_vals, best_combos = score, [values], [combo]
        elif score == best_score:
            best_vals.append(values)
            best_combos.append(combo)
    out: dict[Cell, object] = {}
    for cell in cells:
        vals = {v[cell] for v in best_vals}
        out[cell] = vals.pop() if len(vals) == 1 else sorted(vals, key=_sort_key)
    survivors = {id(seg): [rs[k] for k in sorted({combo[i] for combo in best_combos})]
                 for i, (seg, rs) in enumerate(live)}
    return out, survivors


def _weight(ident: Identity) -> int:
    # A row's own total is the most local evidence: it outweighs any number of column sums.
    return 1000 if ident.rule in ROW_RULES else 1


def _sort_key(v):
    return (v is None, v if v is not None else 0)


def _cell_placement(seg: Segment, rs, j: int, agreed) -> Placement:
    if not rs:
        return Placement(None, "", "missing", seg.line, "no reading of the row fits")
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
