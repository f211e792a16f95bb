"""A report before the 2019 revision → its statistics, and the standard cells they give.

In: the normalised text of a report of the pre-2019 era (``era``: its statistics year is
before 2019, or it prints a statistics table and no standard tables) and the facts its
prose states (``prose.fact_records``). Out:

* ``read_statistics(text, facts, lines)`` — a ``StatisticsResult``: one row per value (in
  ``fields.STATISTIC_COLUMNS`` order: statistic, column, value, unit, raw, status, source,
  line, note) of the statistics in ``schema.STATISTICS``, and findings;
* ``crosswalk_cells(report_id, rows)`` — the standard-table cells ``schema.CROSSWALK``
  maps the comparable statistics to, as cell rows, with the finding that says so.

A statistics table (政府信息公开情况统计表 or 附表) prints a row as 指标名称, 计量单位 and one
or two values (本年度 | 历年累计, or 年末统计), spaced (``主动公开信息数 条 425 1516``) or run
together (``主动公开信息数条20263542``, with the next row's number glued on: ``…条17953304
2.政府公报…``). A row is a label, a unit and a run of digits; the label is matched on its
own against every statistic's wordings: exactly, as a suffix after table words (其中,
指标名称 …), reordered (its characters all there, a few more), or misprinted within
``labels.max_edits`` — a unique best only, never a label as near to another statistic.

Run-together digits are cut where neither value gets a leading zero and the cumulative is
not below this year's value. The table's identities (parts sum to their total, in both
columns at once: ``schema.STATISTIC_IDENTITIES``) keep the readings that fit; where one
reading is left the values are ``inferred``. A reading still open is settled by a sentence
stating the same statistic (a fact of the same key) when exactly one reading says its
number; otherwise the value is ``missing``. A statistic no table prints is taken from the
prose, the sentence as provenance (``source`` 'narrative'). Numbers that only look like
statistics are not taken: 不予公开信息数 counts documents (its own fact, never ``denied``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from .. import schema
from ..findings import Finding
from . import labels
from .facts import CONFIDENCE
from .facts import stated as stated_value
from .text import LineIndex, skeleton_of, valid_part

# rows of a statistics table: a label, a unit, a run of digits
_UNITS = ("万元", "人次", "条", "件", "元", "项", "个", "份", "次")
_ROW = re.compile(r"(?P<label>[^\d\n]{2,48}?)[ \t]*(?P<unit>" + "|".join(_UNITS)
                  + r")[ \t]*(?P<nums>\d[\d \t]*)")
_HEADER = re.compile(r"指标名称|统计表|附表")
_ENUMERATOR = re.compile(r"^[ \t]*[.．、]")
# words a table prints around its row labels, never part of one
_TABLE_WORDS = ("指标名称", "计量单位", "计量", "单位", "其中", "附表", "附件",
                *(v for c in schema.STATISTIC_COLUMNS for v in c.variants))
_TABLE_WORD = re.compile("|".join(sorted(_TABLE_WORDS, key=len, reverse=True)))
_SAME_CHARS = str.maketrans({"它": "他"})  # 其它 and 其他 are one word
# fewer statistics rows than this is not a statistics table (a sentence that says 条 5)
MIN_ROWS = 3
MAX_COMBINATIONS = 50_000  # readings of one identity's rows searched together

_FORMS = {s.key: tuple(skeleton_of(f).translate(_SAME_CHARS) for f in s.labels)
          for s in schema.STATISTICS}


def era(year: int | None, standard: bool, text: str) -> str | None:
    """'pre2019' for a report of the years before the standard tables (its statistics year,
    or, year unknown, a statistics table and no standard tables), 'standard' for one that
    prints them, None when neither can be told."""
    if standard:
        return "standard"
    if year is not None:
        return schema.PRE2019 if year < schema.FIRST_STANDARD_YEAR else None
    return schema.PRE2019 if len(_table_rows(text)[0]) >= MIN_ROWS else None


# --- matching one row label ------------------------------------------------------------


def match_label(printed: str) -> tuple[str | None, str]:
    """The statistic a printed row label names, and how: 'exact', 'reordered',
    'misprint', or (None, why not)."""
    skel = re.sub(r"[0-9A-Za-z]", "", skeleton_of(printed).translate(_SAME_CHARS))
    rest = _TABLE_WORD.sub("", skel)
    if not rest:
        return None, "no label"
    exact = [(len(f), k) for k, forms in _FORMS.items() for f in forms if rest.endswith(f)
             and not _TABLE_WORD.sub("", rest[: len(rest) - len(f)])]
    if exact:
        best = max(exact)
        if sum(1 for e in exact if e[0] == best[0] and e[1] != best[1]) == 0:
            return best[1], "exact"
        return None, "ambiguous"
    # reordered: every character of a wording there, at most max_edits more
    reordered = []
    have = Counter(rest)
    for k, forms in _FORMS.items():
        for f in forms:
            extra = len(rest) - len(f)
            if (len(f) >= labels.MIN_LENGTH and 0 <= extra <= labels.max_edits(len(f))
                    and not Counter(f) - have):
                reordered.append((extra, k))
    if reordered:
        top = min(e for e, _ in reordered)
        keys = {k for e, k in reordered if e == top}
        return (keys.pop(), "reordered") if len(keys) == 1 else (None, "ambiguous")
    near = []
    for k, forms in _FORMS.items():
        for f in forms:
            edits = labels.distance(rest, f)
            if len(rest) >= labels.MIN_LENGTH and edits <= labels.max_edits(len(f)):
                near.append((labels.Match(0, len(rest), edits, f).misfit, k, edits))
    if near:
        fit = min(n[0] for n in near)
        keys = {n[1] for n in near if n[0] == fit}
        if len(keys) == 1:
            key = keys.pop()
            d = next(n[2] for n in near if n[1] == key and n[0] == fit)
            if not labels.nearer_rival(rest, d, key, _FORMS):
                return key, "misprint"
        return None, "ambiguous"
    return None, "unknown"


# --- the table -------------------------------------------------------------------------


@dataclass
class _Row:
    key: str
    label: str
    how: str
    unit: str
    nums: str
    start: int  # of the digits
    end: int
    readings: list[tuple[int, int | None]] = field(default_factory=list)
    initial: int = 0  # how many readings the digits allowed
    note: str = ""


def _table_rows(text: str) -> tuple[list[_Row], list[Finding], int]:
    """The rows of the statistics table: matched label, unit, raw digits; and the number
    of value columns (1 or 2; 0 when no header says)."""
    head = _HEADER.search(text)
    start = head.start() if head else 0
    found = list(_ROW.finditer(text, start))
    rows: list[_Row] = []
    findings: list[Finding] = []
    for i, m in enumerate(found):
        nums, end = m.group("nums"), m.end("nums")
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.start() == end and _ENUMERATOR.match(nxt.group("label")):
            # the next row's number ('2.政府公报…') is glued to these digits
            stripped = nums.rstrip()
            cut = len(stripped) - 1
            nums, end = stripped[:cut], m.start("nums") + cut
        key, how = match_label(m.group("label"))
        if key is None:
            if how in ("ambiguous", "unknown") and rows:
                findings.append(Finding(
                    rule="statistics_row_unknown", table=schema.PRE2019, row="", column="",
                    message=f"a row of the statistics table labelled "
                            f"'{m.group('label').strip()}' names no statistic of the schema "
                            f"({how}); its numbers '{nums.strip()}' are not taken"))
            continue
        if any(r.key == key for r in rows):
            findings.append(Finding(
                rule="statistics_row_unknown", table=schema.PRE2019, row=key, column="",
                message=f"the statistic {key} is printed twice in the statistics table; "
                        f"the second, '{nums.strip()}', is not taken"))
            continue
        if how == "misprint":
            findings.append(labels.finding(schema.PRE2019, m.group("label").strip(),
                                           schema.statistic(key).zh, row=key))
        rows.append(_Row(key, _printed_label(m.group("label")), how, m.group("unit"),
                         nums.strip(), m.start("nums"), end))
    if len(rows) < MIN_ROWS:
        return [], [], 0
    header = text[start:rows[0].start]
    if "累计" in header:
        columns = 2
    elif "年末统计" in header or re.search(r"本年度|年度", header):
        columns = 1 if "累计" not in header else 2
    else:
        columns = 0
    return rows, findings, columns


_LEAD = re.compile(r"^(?:" + "|".join(sorted(_TABLE_WORDS, key=len, reverse=True))
                   + r"|[\s\d.．、:：;；()（）])+")


def _printed_label(label: str) -> str:
    """A row's label as printed, without the table words or enumerator before it."""
    return _LEAD.sub("", re.sub(r"\s+", "", label))


def _readings(row: _Row, columns: int, spaced: bool) -> list[tuple[int, int | None]]:
    tokens = row.nums.split()
    if columns == 1:
        return [(int(tokens[0]), None)] if len(tokens) == 1 and valid_part(tokens[0]) else []
    if len(tokens) == 2 and all(valid_part(t) for t in tokens):
        return [(int(tokens[0]), int(tokens[1]))]
    if len(tokens) == 1 and spaced:
        # one value where the table prints two: which column is left blank cannot be
        # told, but 0 is this year's value either way (0 <= this year <= cumulative)
        if tokens[0] == "0":
            row.note = "one value printed where the table has two; 0 in either column " \
                       "makes this year 0"
            return [(0, None)]
        return []
    if len(tokens) == 1:
        d = tokens[0]
        return [(int(d[:i]), int(d[i:])) for i in range(1, len(d))
                if valid_part(d[:i]) and valid_part(d[i:]) and int(d[:i]) <= int(d[i:])]
    return []


@dataclass
class StatisticsResult:
    rows: list[tuple]
    findings: list[Finding]
    table: bool  # a statistics table was found


def read_statistics(text: str, facts: list[tuple], lines: LineIndex) -> StatisticsResult:
    """The statistics of a pre-2019 report (see the module docstring); ``facts`` are the
    report's fact records (fact, value, unit, section, sentence, confidence)."""
    rows, findings, columns = _table_rows(text)
    spaced = sum(len(r.nums.split()) == 2 for r in rows) * 2 > len(rows)
    if rows and columns == 0:
        columns = 2 if spaced else 1 if all(len(r.nums.split()) == 1 and len(r.nums) == 1
                                              for r in rows) else 0
    if rows and columns == 0:
        findings.append(Finding(rule="statistics_undetermined", table=schema.PRE2019, row="",
                                column="", message="the statistics table names no columns and "
                                "its digits run together; none of its values is read"))
    for r in rows:
        r.readings = _readings(r, columns, spaced) if columns else []
        r.initial = len(r.readings)
    by_key = {r.key: r for r in rows}
    stated, said = _stated(facts)
    findings += _settle(by_key)
    for r in rows:  # a sentence stating the same statistic picks one reading
        if len(r.readings) > 1 and r.key in said:
            pick = [x for x in r.readings if x[0] in said[r.key]]
            if len(pick) == 1:
                r.readings = pick
                sentence = said[r.key][pick[0][0]]
                r.note = (f"run-together digits '{r.nums}' read as {pick[0][0]} | {pick[0][1]}: "
                          f"the one reading a sentence states ('{_short(sentence)}')")
    findings += _settle(by_key)
    out: list[tuple] = []
    for r in rows:
        out += _values(r, columns, lines)
        if len(r.readings) != 1 and r.initial:
            findings.append(Finding(
                rule="statistics_undetermined", table=schema.PRE2019, row=r.key, column="",
                message=f"the digits '{r.nums}' of {schema.statistic(r.key).zh} can be read "
                        f"{len(r.readings)} ways that fit the table; "
                        "the values they disagree on are missing"))
    findings += _identity_findings(by_key)
    # statistics the table does not print, stated in a sentence
    printed = {r.key for r in rows}
    for key, (value, sentence) in stated.items():
        if key in printed:
            table_value = _this_year(by_key[key])
            if table_value is not None and table_value != value:
                findings.append(Finding(
                    rule="narrative_statistic", table=schema.PRE2019, row=key, column="this_year",
                    message=f"the text states {value:g} for {schema.statistic(key).zh}, the "
                            f"statistics table {table_value:g}; the table's value is kept"))
            continue
        s = schema.statistic(key)
        out.append((key, "this_year", float(value), s.unit, _short(sentence, 60), "parsed",
                    "narrative", None, f"stated in the sentence '{_short(sentence)}'"))
    return StatisticsResult(out, findings, bool(rows))


def _short(sentence: str, keep: int = 40) -> str:
    return sentence if len(sentence) <= keep else sentence[:keep] + "…"


def _stated(facts: list[tuple]) -> tuple[dict[str, tuple[float, str]],
                                         dict[str, dict[float, str]]]:
    """statistic -> (the one value the prose states for it, a sentence saying it); and
    statistic -> every value a sentence states for it (high or medium confidence) -> the
    sentence."""
    cands: dict[str, list[tuple[float, str, str]]] = {}
    said: dict[str, dict[float, str]] = {}
    for fact, value, _unit, _section, sentence, confidence in facts:
        if fact in schema.STATISTIC_KEYS:
            cands.setdefault(fact, []).append((value, confidence, sentence))
            if confidence != "low":
                said.setdefault(fact, {}).setdefault(value, sentence)
    out = {}
    for key, c in cands.items():
        value = stated_value((v, conf) for v, conf, _s in c)
        if value == value:  # not NaN
            sentence = next(s for v, conf, s in sorted(c, key=lambda x: CONFIDENCE.index(x[1]))
                            if v == value)
            out[key] = (value, sentence)
    return out, said


def _settle(by_key: dict[str, _Row]) -> list[Finding]:
    """Keep the readings of each row that fit every identity, both columns at once, until
    nothing changes; an identity no reading fits is left out, with a finding."""
    findings: list[Finding] = []
    broken: set[int] = set()
    changed = True
    while changed:
        changed = False
        for n, ident in enumerate(schema.STATISTIC_IDENTITIES):
            if n in broken:
                continue
            keys = _identity_keys(ident, by_key)
            if keys is None:
                continue
            options = [by_key[k].readings for k in keys]
            if any(not o for o in options):
                continue
            size = 1
            for o in options:
                size *= len(o)
            if size == 1 or size > MAX_COMBINATIONS:
                continue
            fits = [combo for combo in itertools.product(*options) if _fits(combo)]
            if not fits:
                broken.add(n)
                continue
            for i, k in enumerate(keys):
                keep = [x for x in by_key[k].readings if any(c[i] == x for c in fits)]
                if len(keep) < len(by_key[k].readings):
                    by_key[k].readings = keep
                    changed = True
    return findings


def _identity_keys(ident: schema.StatisticIdentity, by_key: dict[str, _Row]) -> list[str] | None:
    parts = [p for p in ident.parts if p in by_key]
    if ident.total not in by_key or not parts or any(r not in by_key for r in ident.requires):
        return None
    return [ident.total, *parts]


def _fits(combo) -> bool:
    total, *parts = combo
    if total[0] != sum(p[0] for p in parts):
        return False
    if total[1] is None or any(p[1] is None for p in parts):
        return True
    return total[1] == sum(p[1] for p in parts)


def _this_year(r: _Row) -> float | None:
    values = {x[0] for x in r.readings}
    return float(values.pop()) if len(values) == 1 else None


def _values(r: _Row, columns: int, lines: LineIndex) -> list[tuple]:
    unit = r.unit
    out = []
    line = lines.line(r.start)
    for i, col in enumerate(("this_year", "cumulative")[:max(columns, 1)]):
        values = {x[i] for x in r.readings}
        value = values.pop() if len(values) == 1 else None
        if value is None:
            status, note = "missing", r.note or (
                f"digits '{r.nums}' fit several readings" if r.readings else
                f"'{r.nums}' cannot be read as this row's values")
            if i == 1 and r.readings and all(x[1] is None for x in r.readings):
                note = "not printed"
        elif r.initial == 1 and not r.note:
            status, note = "parsed", ""
        else:
            status, note = "inferred", r.note or (
                f"run-together digits '{r.nums}': the one reading that fits the table's sums")
        out.append((r.key, col, float(value) if value is not None else float("nan"), unit,
                    f"{r.label} {unit} {r.nums}", status, "table", line, note))
    return out


def _identity_findings(by_key: dict[str, _Row]) -> list[Finding]:
    out = []
    for ident in schema.STATISTIC_IDENTITIES:
        keys = _identity_keys(ident, by_key)
        if keys is None:
            continue
        for i, col in enumerate(("this_year", "cumulative")):
            values: list[int] = []
            for k in keys:
                vals = {x[i] for x in by_key[k].readings}
                value = vals.pop() if len(vals) == 1 else None
                if value is None:
                    break
                values.append(value)
            if len(values) < len(keys):
                continue
            total, *parts = values
            if total != sum(parts):
                out.append(Finding(
                    rule="statistics_identity", table=schema.PRE2019, row=ident.total, column=col,
                    message=f"{ident.description}: {total} ≠ {' + '.join(map(str, parts))} "
                            f"({col}); kept as printed"))
    return out


# --- the crosswalk ---------------------------------------------------------------------


def crosswalk_cells(report_id: str, rows: list[tuple]) -> tuple[list[tuple], list[Finding]]:
    """Standard cells (``fields.CELL_COLUMNS`` order) for the comparable statistics of
    ``schema.CROSSWALK``: the value where it maps to one cell; where it maps to a sum of
    cells, each cell only when the statistic is 0."""
    this_year = {r[0]: r for r in rows if r[1] == "this_year"}
    cells: list[tuple] = []
    taken = []
    for link in schema.CROSSWALK:
        r = this_year.get(link.statistic)
        if not link.comparable or not link.cells or r is None:
            continue
        _key, _col, value, _unit, raw, status, source, line, note = r
        via = f"via the crosswalk from the pre-2019 statistic {link.statistic} " \
              f"({schema.statistic(link.statistic).zh}, {source})"
        if len(link.cells) == 1:
            table, row, column = link.cells[0]
            cells.append((report_id, table, row, column, value, raw, status, line, None,
                          f"{via}{': ' + note if note else ''}"))
            taken.append(f"{table}/{row}/{column}")
        elif value == 0:
            for table, row, column in link.cells:
                cells.append((report_id, table, row, column, 0.0, raw, "inferred", line, None,
                              f"{via}: a sum of 0 makes each part 0"))
                taken.append(f"{table}/{row}/{column}")
    findings = [Finding(rule="crosswalk", table="", row="", column="",
                        message="cells of the standard tables come from the pre-2019 "
                                f"statistics via the crosswalk: {', '.join(taken)}")] if taken else []
    order = {key: i for i, key in enumerate((t, r.key, c.key) for t, tab in schema.TABLES.items()
                                            for r in tab.rows for c in tab.columns)}
    cells.sort(key=lambda c: order.get((c[1], c[2], c[3]), 0))
    return cells, findings
