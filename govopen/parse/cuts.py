"""The printed numbers of one row → its readings: every way to cut them into the row's cells.

In: a segment (``placement.Segment``: the cells to fill, in printed order, the number
tokens read for them, and whether the table runs cells together), the identities local
to it (its row totals) and whether to keep only readings that can satisfy them. Out: the
readings, each a list of ``Part`` (one per cell), in a fixed order.

A reading cuts each run-together token into consecutive cells (no leading zero unless
the cell is '0' itself; the token's fraction and unit stay with its last cell) and, where
the tokens cannot fill every cell, leaves cells blank between tokens — a blank is an
unknown, not 0. ``placement`` then chooses among the readings of all rows by the
identities of the whole table.

How. Cells are cut from the right, one at a time, by a depth-first search. A row prints
its total last, so the total is fixed first, and from then on the identity bounds every
cut (``_may_hold`` with ``_Row.reach``): a part larger than what is left of the total,
digits too many for the cells left to hold without exceeding it, a sum that disagrees
with the digits modulo 9, or, once a few cells are left, a sum they cannot make, end the
branch at once. A big agency's '9821315002310879044800123456' has 2^27 cuts; the search
visits a few dozen cells. The bounds only ever drop branches that cannot end in a
reading that keeps the identities, so the readings are exactly those that cutting every
way and checking would give, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .text import Token, valid_part

MAX_READINGS = 20000  # per segment; beyond it the segment's cells are missing
FEW_SUMS = 64  # the sums a token's last cells can make are listed up to this many


@dataclass(slots=True)  # not frozen, as Token: built often, never changed
class Part:
    """One cell's share of the printed text in a reading."""

    value: Decimal | None  # None: blank, or a placeholder such as '—'
    raw: str
    start: int = -1  # source offsets; -1 for a blank
    end: int = -1

    @property
    def blank(self) -> bool:
        return self.value is None


def max_parts(tok: Token, glued: bool) -> int:
    """How many cells one token can fill."""
    return len(tok.int_digits) if glued and tok.splittable else 1


class _Row:
    """The fixed facts of one segment's search: tokens, identities, and scaled integers.

    Values are compared as integers scaled by 10^(longest fraction), so the bounds are
    exact and cheap; the readings themselves keep the printed ``Decimal`` values.
    """

    def __init__(self, seg, local, prune: bool):
        self.n = n = len(seg.cells)
        self.tokens = tokens = seg.tokens
        self.split = [seg.glued and t.splittable for t in tokens]
        self.units = [len(t.int_digits) if s else 1 for t, s in zip(tokens, self.split, strict=True)]
        places = max((len(t.fraction) - 1 for t in tokens if t.fraction), default=0)
        self.scale = 10 ** places
        self.frac = [int(Decimal(t.fraction or "0") * self.scale) for t in tokens]
        # A whole token's scaled value (None for a placeholder such as '—').
        self.whole = [None if t.value is None else int(t.value * self.scale) for t in tokens]
        self.max_before = [0]  # max_before[t]: most cells tokens 0 .. t-1 can fill
        for u in self.units:
            self.max_before.append(self.max_before[-1] + u)
        index = {c: i for i, c in enumerate(seg.cells)}
        self.checks = [([index[c] for c in ident.lhs], [index[c] for c in ident.rhs])
                       for ident in local]
        self.lowest = [min(lhs + rhs) for lhs, rhs in self.checks]  # set last: cut from the right
        self.member: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # cell -> (check, side)
        for k, (lhs, rhs) in enumerate(self.checks):
            for side, cells in ((0, lhs), (1, rhs)):
                for c in cells:
                    self.member[c].append((k, side))
        # how many cells of each side of each check lie at or below i (i = -1 .. n-1)
        self.below = [[[sum(c <= i for c in cells) for i in range(-1, n)] for cells in pair]
                      for pair in self.checks]
        self.prune = prune
        self.sum_sets: dict[tuple[int, int, int], frozenset[int] | None] = {}
        # Bounds need non-negative numbers; a signed token is only checked once its row is whole.
        self.bounded = prune and not any(t.value is not None and t.value < 0 for t in tokens)
        # A labelled row that prints anything prints its total: the cells it drops are parts,
        # never the 总计 cell (a reading that breaks this breaks the row total, so it is
        # caught). An unlabelled run of several rows (section 四) anchors nothing: where its
        # rows begin is itself unknown.
        self.anchored = {index[c] for c in local[0].lhs} if tokens and len(local) == 1 else set()

    def piece_sum(self, t: int, left: int) -> int:
        """The scaled value of the first ``left`` digits of token t, one that cells are cut
        from, read as one number."""
        v = int(self.tokens[t].int_digits[:left]) * self.scale
        return v + self.frac[t] if left == self.units[t] else v

    def reach(self, i: int, t: int, left: int, gaps_left: int):
        """What the cells 0 .. i still to cut from token t (its first ``left`` units) and
        the tokens before it can add up to: (largest one cell can be, largest sum, least
        sum, their sum mod 9, every sum they can make or None if unknown or many, whether
        a cell may stay unknown). None when they cannot be filled at all.

        No cell is longer than its token's digits less one for each other cell the token
        must fill. The cells of one token add up to no more than its digits read as one
        number, and to the same modulo 9 (10 = 1 mod 9, so any cut keeps the digit sum).
        A token cut into at most k cells has cells of k even lengths at least, each of d > 1
        digits at least 10^(d-1), there being no leading zeros. And when a few cells are
        left in one token, the sums they can make are few and listed exactly.
        """
        cells = i + 1 - gaps_left
        if t < 0:
            return (0, 0, 0, 0, None, gaps_left > 0) if cells == 0 else None
        most_all = (left if self.split[t] else 1) + self.max_before[t]
        pieces = t + 1
        if not pieces <= cells <= most_all:
            return None
        cell_max = top = least = residue = 0
        wild = gaps_left > 0
        for k in range(t, -1, -1):
            units = left if k == t else self.units[k]
            if not self.split[k]:
                v = self.whole[k]
                if v is None:
                    wild = True
                    continue
                cell_max, top, least, residue = max(cell_max, v), top + v, least + v, residue + v
                continue
            fewest = max(1, cells - (most_all - units))
            most = min(units, cells - (pieces - 1))
            whole = self.piece_sum(k, units)
            cell_max = max(cell_max, min(whole, 10 ** (units - fewest + 1) * self.scale))
            top += whole
            least += whole if most == 1 else _least_sum(units, most) * self.scale
            residue += whole
        # Few cells left in one token: the sums they can make are few, and known exactly.
        exact = self.sums(0, left, cells) if t == 0 and self.split[0] and not wild else None
        return cell_max, top, least, residue % 9, exact, wild

    def sums(self, t: int, left: int, parts: int) -> frozenset[int] | None:
        """Every sum of cutting the first ``left`` digits of token t into exactly ``parts``
        cells, while there are at most ``FEW_SUMS`` of them (None past that)."""
        key = (t, left, parts)
        if key in self.sum_sets:
            return self.sum_sets[key]
        digits = self.tokens[t].int_digits
        extra = self.frac[t] if left == self.units[t] else 0  # the last cell has the fraction
        found: set[int] = set()
        too_many = False
        if parts == 1:
            if valid_part(digits[:left]):
                found.add(int(digits[:left]) * self.scale + extra)
        else:
            for length in range(1, left - parts + 2):
                piece = digits[left - length:left]
                if not valid_part(piece):
                    continue
                rest = self.sums(t, left - length, parts - 1)
                if rest is None:
                    too_many = True
                    break
                v = int(piece) * self.scale + extra
                found.update(v + x for x in rest)
                if len(found) > FEW_SUMS:
                    too_many = True
                    break
        self.sum_sets[key] = None if too_many else frozenset(found)
        return self.sum_sets[key]


def _least_sum(digits: int, parts: int) -> int:
    """The least sum of at most ``parts`` cells cut from ``digits`` digits: a cell of k > 1
    digits is at least 10^(k-1), and the least total comes from cells of even length."""
    q, r = divmod(digits, parts)
    return r * (10 ** q if q else 0) + (parts - r) * (10 ** (q - 1) if q > 1 else 0)


def _may_hold(a, b, ua, ub, fl, fr, everything, bounds) -> bool:
    """Can ``a + F_l (+ blanks) == b + F_r (+ blanks)`` hold, where F_l and F_r are the
    sums of the fl and fr cells still to cut on each side?

    ``ua``/``ub``: a side has a blank (an unknown non-negative number, as in
    ``feasible``); ``everything``: the two sides hold every cell still to cut, so their
    sum is at least the least sum. With no cell left this is exactly ``feasible``.
    """
    if not fl and not fr:
        return True if ua and ub else a <= b if ua else b <= a if ub else a == b
    cell_max, top, least, residue, exact, wild = bounds
    d = b - a  # F_l - F_r must be d
    open_l = ua or (wild and fl)
    open_r = ub or (wild and fr)
    up_l = min(fl * cell_max, top)
    up_r = min(fr * cell_max, top)
    if open_l and open_r:
        return True
    if open_l:
        return -up_r <= d
    if open_r:
        return d <= up_l
    if everything and not wild:
        # Any cut of digits adds up to the digits read as one number, modulo 9 (10 = 1 mod
        # 9): the cells still to cut add up to ``total`` mod 9. One side with no cell left
        # fixes the other side's sum, and so the sum of them all.
        if not fl and (-d - residue) % 9:
            return False
        if not fr and (d - residue) % 9:
            return False
        if exact is not None and not (fl and fr):
            return (d if fl else -d) in exact
    # 0 <= F_r <= up_r, 0 <= F_r + d <= up_l, 2 F_r + d <= top, and >= least
    lo = max(0, -d)
    hi = min(up_r, up_l - d)
    if 2 * hi + d > top:
        hi = (top - d) // 2
    if everything and not wild and 2 * hi + d < least:
        return False
    return lo <= hi


def feasible(current: list[Part], lhs: list[int], rhs: list[int]) -> bool:
    """Can ``sum(lhs) == sum(rhs)`` hold, blanks being unknown non-negative numbers?"""
    a = sum(v for k in lhs if (v := current[k].value) is not None)  # the printed ones
    b = sum(v for k in rhs if (v := current[k].value) is not None)
    ua = any(current[k].blank for k in lhs)
    ub = any(current[k].blank for k in rhs)
    if ua and ub:
        return True
    if ua:
        return a <= b
    if ub:
        return b <= a
    return a == b


def readings(seg, local, prune: bool, limit: int = MAX_READINGS) -> list[list[Part]]:
    """Readings of a segment: lists of Parts, one per cell. Raises OverflowError past ``limit``.

    A segment that cannot fill its cells with printed numbers gets blanks — only as many
    as needed when cells run together, anywhere when each token is one cell. With
    ``prune``, only readings that keep every identity of ``local`` (blanks being unknown
    non-negative numbers) are returned; without it, all of them. The order is that of
    enumerating, cell by cell from the left, a blank first and then each token's cuts by
    number of parts and by cut positions.
    """
    n = len(seg.cells)
    fewest = len(seg.tokens)
    if fewest > n:
        return []
    most = sum(max_parts(t, seg.glued) for t in seg.tokens)
    gaps = max(0, n - most)
    if not seg.glued and fewest < n:
        gaps = n - fewest
    if fewest == n:
        return _one_per_cell(seg, local, prune)
    row = _Row(seg, local, prune)
    return _Search(row, limit).run(gaps)


def is_one_cell(tok: Token, glued: bool) -> bool:
    """Whether ``tok`` read whole can be one cell: '007' is none when cells run together."""
    return not (glued and tok.splittable) or valid_part(tok.int_digits)


def _one_per_cell(seg, local, prune: bool) -> list[list[Part]]:
    """As many tokens as cells: each token is one whole cell, the only reading (a token
    cut in two would leave a number with no cell). Most rows of most reports are this."""
    reading = []
    for tok in seg.tokens:
        if not is_one_cell(tok, seg.glued):
            return []
        if seg.glued and tok.splittable:  # as the search spells a token read whole
            piece = tok.sign + tok.int_digits + tok.fraction
            reading.append(Part(Decimal(piece), piece + tok.unit, tok.start, tok.end))
        else:
            reading.append(Part(tok.value, tok.raw, tok.start, tok.end))
    if prune:
        index = {c: i for i, c in enumerate(seg.cells)}
        for ident in local:
            if not feasible(reading, [index[c] for c in ident.lhs], [index[c] for c in ident.rhs]):
                return []
    return [reading]


class _Search:
    """The depth-first search of one segment's readings, cutting cells from the right."""

    def __init__(self, row: _Row, limit: int):
        self.row = row
        self.limit = limit
        n = row.n
        k = len(row.checks)
        self.sums = [[0, 0] for _ in range(k)]  # scaled sums of the set cells of each side
        self.blanks = [[0, 0] for _ in range(k)]  # blanks among them
        self.trace: list[tuple[int, int] | None] = [None] * n  # (token, offset of first digit)
        self.out: list[tuple[tuple, list[Part]]] = []
        self.dead: set[tuple] = set()
        self.reached: dict[tuple, tuple | None] = {}  # row.reach depends on the position only

    def run(self, gaps: int) -> list[list[Part]]:
        row = self.row
        t = len(row.tokens) - 1
        self.fill(row.n - 1, t, row.units[t] if t >= 0 else 0, gaps)
        self.out.sort(key=lambda kr: kr[0])
        return [r for _, r in self.out]

    def _set(self, i: int, value: int | None, sign: int):
        for k, side in self.row.member[i]:
            if value is None:
                self.blanks[k][side] += sign
            else:
                self.sums[k][side] += sign * value

    def holds(self, i: int, t: int, left: int, gaps_left: int) -> bool:
        """Cells i+1 .. n-1 are set; can cells 0 .. i still be cut to keep the checks?"""
        row = self.row
        if not row.bounded:  # check each identity once its last cell is set
            for k, low in enumerate(row.lowest):
                if low == i + 1:
                    (a, b), (ua, ub) = self.sums[k], self.blanks[k]
                    if not _may_hold(a, b, ua, ub, 0, 0, True, None):
                        return False
            return True
        bounds = None
        for k, low in enumerate(row.lowest):
            if low > i + 1:
                continue  # complete and checked when its last cell was set
            fl, fr = row.below[k][0][i + 1], row.below[k][1][i + 1]
            if (fl or fr) and bounds is None:
                where = (i, t, left, gaps_left)
                if where not in self.reached:
                    self.reached[where] = row.reach(*where)
                bounds = self.reached[where]
                if bounds is None:
                    return False
            (a, b), (ua, ub) = self.sums[k], self.blanks[k]
            if not _may_hold(a, b, ua, ub, fl, fr, fl + fr == i + 1, bounds):
                return False
        return True

    def fill(self, i: int, t: int, left: int, gaps_left: int) -> bool:
        """Fill cells i, i-1, … 0 from the first ``left`` units of token t and the tokens
        before it; True if any reading was produced."""
        row = self.row
        if i < 0:
            if t >= 0 or gaps_left:
                return False
            self.out.append((self._order_key(), self._reading()))
            if len(self.out) > self.limit:
                raise OverflowError
            return True
        cells_left = i + 1 - gaps_left  # cells that take printed numbers
        if t < 0:
            if cells_left:
                return False
        elif not t + 1 <= cells_left <= (left if row.split[t] else 1) + row.max_before[t]:
            return False
        key = None
        if row.prune:
            # what is left to fit depends on each open check's difference only
            key = (i, t, left, gaps_left, tuple(
                (s[1] - s[0], u[0] > 0, u[1] > 0)
                for s, u, low in zip(self.sums, self.blanks, row.lowest, strict=True) if low <= i))
            if key in self.dead:
                return False
        produced = False
        # a blank stands between tokens, never between the cells of one token
        if gaps_left > 0 and i not in row.anchored and (t < 0 or left == row.units[t]):
            produced |= self._try(i, None, None, t, left, gaps_left - 1)[0]
        if t >= 0 and not row.split[t]:
            produced |= self._try(i, row.whole[t], (t, 0), *_next(row, t, 0), gaps_left)[0]
        elif t >= 0:
            digits = row.tokens[t].int_digits
            extra = row.frac[t] if left == row.units[t] else 0  # the last cell has the fraction
            # The cells below i must still be fillable: by what is left of this token
            # (every unit a cell at most) and the tokens before it, each at least one cell.
            after = i - gaps_left
            longest = left - 1 if after >= t + 1 else 0
            longest = min(longest, left - after + row.max_before[t])
            lengths: Sequence[int] = range(1, longest + 1)
            if t <= after <= row.max_before[t]:
                lengths = [*lengths, left]  # the rest of the token, as one cell
            for length in lengths:
                a = left - length
                if not valid_part(digits[a:left]):
                    continue
                scaled = int(digits[a:left]) * row.scale + extra
                if a == 0 and row.tokens[t].sign:
                    scaled = -scaled  # the minus sign goes with the token's first cell
                found, overshoot = self._try(i, scaled, (t, a), *_next(row, t, a), gaps_left)
                produced |= found
                if overshoot:
                    break  # a longer cell is larger still: no longer one can fit either
        if key is not None and not produced:
            self.dead.add(key)
        return produced

    def _try(self, i, scaled, trace, t, left, gaps_left) -> tuple[bool, bool]:
        """Set cell i, and go on to cell i-1 if the checks may still hold. Returns whether
        a reading was produced, and whether the cell overshoots: its side of a check already
        exceeds the other side, which has no cell left to cut and no blank."""
        row = self.row
        self._set(i, scaled, 1)
        self.trace[i] = trace
        produced = overshoot = False
        if not row.prune or self.holds(i - 1, t, left, gaps_left):
            produced = self.fill(i - 1, t, left, gaps_left)
        elif row.bounded and scaled is not None:
            for k, side in row.member[i]:
                other = 1 - side
                if (not self.blanks[k][other] and not row.below[k][other][i]
                        and self.sums[k][side] > self.sums[k][other]):
                    overshoot = True
                    break
        self._set(i, scaled, -1)
        self.trace[i] = None
        return produced, overshoot

    def _reading(self) -> list[Part]:
        """The Parts of the cells as now cut."""
        row = self.row
        out = []
        for i, tr in enumerate(self.trace):
            if tr is None:
                out.append(Part(None, ""))
                continue
            t, a = tr
            tok = row.tokens[t]
            if not row.split[t]:
                out.append(Part(tok.value, tok.raw, tok.start, tok.end))
                continue
            # the cell ends where the next cell of the same token starts, or at the token's end;
            # a minus sign stays with the first cell
            sign = tok.sign if a == 0 else ""
            at = tok.start + len(tok.sign)  # where the digits begin
            nxt = self.trace[i + 1] if i + 1 < len(self.trace) else None
            if nxt is not None and nxt[0] == t:
                piece = sign + tok.int_digits[a:nxt[1]]
                out.append(Part(Decimal(piece), piece, at + a - len(sign), at + nxt[1]))
            else:
                piece = sign + tok.int_digits[a:] + tok.fraction
                out.append(Part(Decimal(piece), piece + tok.unit, at + a - len(sign), tok.end))
        return out

    def _order_key(self) -> tuple:
        """The reading's place in the order of enumerating, cell by cell from the left, a
        blank first, then each token's cuts by number of parts and by cut positions."""
        key: list[tuple] = []
        trace = self.trace
        j = 0
        while j < len(trace):
            first = trace[j]
            if first is None:
                key.append((0,))
                j += 1
                continue
            t = first[0]
            cuts = []
            j += 1
            while j < len(trace) and (step := trace[j]) is not None and step[0] == t:
                cuts.append(step[1])
                j += 1
            key.append((1, len(cuts) + 1, tuple(cuts)))
        return tuple(key)


def _next(row: _Row, t: int, a: int) -> tuple[int, int]:
    """Where cutting goes on after a cell that starts at unit ``a`` of token t."""
    if a:
        return t, a
    return t - 1, (row.units[t - 1] if t > 0 else 0)
