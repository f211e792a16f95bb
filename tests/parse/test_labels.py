"""Misprinted labels (``govopen.parse.labels``): found by rule, never taken for another label.

* The approximate search on its own: the distance, the bound, short labels refused, ties
  refused, digits never part of a label, every match it gives really that close.
* Synthetic reports (``synth``) with a misprint generated in one label — a character
  dropped, two dropped from a long label, two neighbours swapped, a look-alike (止/纸,
  现/先, 卷/件, 己/已/巳, 未/末, 沭/沐) — read exactly as the same report printed
  correctly: every cell the truth, none wrong. Row labels of sections 二 and 三, column
  labels of section 二, section headings.
* The labels of one table are never read as one another, and a row that is not printed at
  all is not found in the text of another.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re

import pytest

import govopen
from govopen import schema
from govopen.parse import labels, tables
from govopen.parse.sections import KEYWORDS, NUMERALS, TITLES, split_sections
from govopen.parse.text import Skeleton, normalize
from tests.support import synth

LOOK_ALIKES = {"沭": "沐", "沐": "沭", "己": "已", "已": "己", "巳": "已", "未": "末", "末": "未",
               "止": "纸", "现": "先", "卷": "件"}
MUTATIONS = ("drop", "drop_two", "swap", "look_alike")


# --- the search on its own -----------------------------------------------------------------

def test_distance_counts_a_swap_as_one_edit():
    assert labels.distance("现行有效件数", "先行有效件数") == 1
    assert labels.distance("行政许可", "行政可许") == 1
    assert labels.distance("其他法律行政法规禁止公开", "其他法律行政止公开") == 3
    assert labels.distance("本年废止件数", "本年废纸件数") == labels.distance("本年废纸件数", "本年废止件数")
    assert labels.distance("", "规章") == 2


def test_bound_grows_with_the_label_and_short_labels_get_none():
    assert [labels.max_edits(n) for n in (1, 2, 3)] == [0, 0, 0]
    assert [labels.max_edits(n) for n in (4, 7, 8, 11, 12, 16)] == [1, 1, 2, 2, 3, 4]


def test_short_labels_never_match_approximately():
    assert labels.matches("规章", "规草000规范性文件") == []
    assert labels.matches("总计", "总汁12") == []
    # and no printed text shorter than four characters is taken for a label
    assert labels.matches("予以公开", "0予公开0") == []


def test_misprints_of_each_kind_are_found():
    cases = {
        "本年废纸件数": "本年废止件数",  # look-alike
        "先行有效件数": "现行有效件数",
        "属于行政执法案件": "属于行政执法案卷",
        "其他法律行政止公开": "其他法律行政法规禁止公开",  # three dropped of twelve
        "行政可许": "行政许可",  # swap
        "没有现成信息需要另制作": "没有现成信息需要另行制作",  # one dropped
    }
    for printed, label in cases.items():
        text = f"00000{printed}120340"
        m = labels.best([label], text)
        assert m is not None, printed
        assert text[m.start:m.end] == printed
        assert m.edits == labels.distance(label, printed)


def test_a_label_never_takes_in_a_digit():
    # run-together text: the label's last character is lost and a number follows
    text = "00000007属于行政执法案3000003"
    m = labels.best(["属于行政执法案卷"], text)
    assert text[m.start:m.end] == "属于行政执法案"


def test_beyond_the_bound_is_not_found():
    assert labels.best(["属于行政执法案卷"], "0属于执法案0") is None  # 3 edits of 8
    assert labels.best(["行政许可"], "0行许政诺0可行政0") is None  # 2 edits of 4


def test_two_places_as_good_is_no_place():
    text = "1属于行政执法案件2属于行政执法案仵3"
    assert labels.best(["属于行政执法案卷"], text) is None
    # one of them printed better: that one
    text = "1属于行政执法案件2属于行政执卷件3"
    m = labels.best(["属于行政执法案卷"], text)
    assert text[m.start:m.end] == "属于行政执法案件"


def test_matches_are_as_close_as_they_say():
    rng = random.Random(5)
    alphabet = "属于行政执法案卷件查询事项0123"
    for _ in range(400):
        label = "".join(rng.choice(alphabet[:-4]) for _ in range(rng.randint(4, 9)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for m in labels.matches(label, text):
            printed = text[m.start:m.end]
            assert labels.distance(label, printed) == m.edits <= labels.max_edits(len(label))
            assert len(printed) >= labels.MIN_LENGTH
            assert not re.search(r"\d", printed)


def test_each_planted_misprint_is_found_in_noise():
    rng = random.Random(11)
    noise = "的了在是有和与及或等对为以于"
    for n in range(300):
        row = rng.choice([r for r in schema.REQUESTS.rows if len(labels.own_label(r)) >= 8])
        label = labels.own_label(row)
        printed = mutate(label, MUTATIONS[n % 3], rng)  # the look-alikes are few: below
        text = ("".join(rng.choice(noise) for _ in range(rng.randint(0, 6))) + "12"
                + printed + "03")
        m = labels.best([label], text)
        assert m is not None and labels.distance(label, text[m.start:m.end]) <= labels.distance(label, printed)


def test_labels_wanting_the_same_text():
    text = "0本年新受政府信息公开申请数量1"
    rivals = {r.key: labels.printed_forms(r) for r in schema.REQUESTS.rows}
    wanted = [("new_received", ("本年新收政府信息公开申请数量",)),
              ("carried_over", ("上年结转政府信息公开申请数量",))]
    placed = labels.place_all(wanted, text, 0, len(text), rivals)
    assert set(placed) == {"new_received"}  # one edit beats four
    # printed exactly as another row's label: not taken for this one (three edits away)
    text = "0上年结转政府信息公开申请数量1"
    assert labels.place_all(wanted[:1], text, 0, len(text), rivals) == {}
    # two labels that fit the same text as well: neither
    placed = labels.place_all([("a", ("行政许可",)), ("b", ("行政许诺",))], "0行政许X0", 0, 9)
    assert placed == {}


def test_labels_out_of_order_are_both_dropped():
    text = "0属于行政查询事頂1属于行政执法案件2"
    wanted = [("file", ("属于行政执法案卷",)), ("query", ("属于行政查询事项",))]
    assert labels.place_all(wanted, text, 0, len(text)) == {}
    text = "0属于行政执法案件1属于行政查询事頂2"
    assert set(labels.place_all(wanted, text, 0, len(text))) == {"file", "query"}


def test_gaps_lie_between_found_neighbours():
    found = {0: (0, 5), 3: (20, 25)}
    assert list(labels.gaps(found, 5, 0, 40)) == [([1, 2], 5, 20), ([4], 25, 40)]
    assert list(labels.gaps({}, 5, 0, 40)) == []  # nothing found: no order to go by


def test_no_label_of_a_table_is_read_as_another():
    for t in schema.TABLES.values():
        rivals = {r.key: labels.printed_forms(r) for r in t.rows}
        for row in t.rows:
            forms = tuple(f for f in rivals[row.key] if len(f) >= labels.MIN_LENGTH)
            for other in t.rows:
                if other is row:
                    continue
                for text in rivals[other.key]:
                    assert labels.place_all([(row.key, forms)], text, 0, len(text), rivals) == {}, \
                        (row.key, text)
        columns = {c.key: c.variants for c in t.columns}
        for key, variants in columns.items():
            for other, texts in columns.items():
                for text in texts if other != key else ():
                    assert labels.place_all([(key, variants)], text, 0, len(text), columns) == {}


def test_finding_names_the_printed_text_and_the_label():
    f = labels.finding("active", "本年废纸件数", "本年废止件数", column="repealed")
    assert f.rule == "label_misprint" and f.severity == "info"
    assert "本年废纸件数" in f.message and "本年废止件数" in f.message
    assert set(dataclasses.asdict(f)) == {"rule", "severity", "table", "row", "column", "message"}


# --- misprints generated on synthetic reports -----------------------------------------------

def mutate(label: str, kind: str, rng: random.Random) -> str:
    """``label`` with one misprint of ``kind`` (see MUTATIONS)."""
    chars = list(label)
    if kind == "drop":
        del chars[rng.randrange(len(chars))]
    elif kind == "drop_two":
        for _ in range(2):
            del chars[rng.randrange(len(chars))]
    elif kind == "swap":
        pairs = [i for i in range(len(chars) - 1) if chars[i] != chars[i + 1]]
        i = rng.choice(pairs)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        i = rng.choice([i for i, c in enumerate(chars) if c in LOOK_ALIKES])
        chars[i] = LOOK_ALIKES[chars[i]]
    return "".join(chars)


def kinds_for(label: str) -> list[str]:
    """The misprints a label can take and still be a label: a dropped character leaves
    at least four, two dropped are for labels of eight or more."""
    kinds = ["swap"]
    if len(label) >= labels.MIN_LENGTH + 1:
        kinds.append("drop")
    if len(label) >= 8:
        kinds.append("drop_two")
    if any(c in LOOK_ALIKES for c in label):
        kinds.append("look_alike")
    return kinds


def misprint_once(text: str, start: int, end: int, label: str, kind: str,
                  rng: random.Random) -> tuple[str, str]:
    """``text`` with the one occurrence of ``label`` in [start, end) misprinted."""
    k = text.find(label, start, end)
    assert k >= 0 and text.find(label, k + 1, end) < 0, label
    printed = mutate(label, kind, rng)
    return text[:k] + printed + text[k + len(label):], printed


def table_region(text: str, table: str) -> tuple[int, int]:
    heads = {"active": "二、主动公开", "requests": "三、收到和处理", "reviews": "四、政府信息公开行政复议"}
    start = text.index(heads[table])
    nxt = {"active": "requests", "requests": "reviews"}.get(table)
    return start, (text.index(heads[nxt]) if nxt else len(text))


def cells_of(report) -> dict:
    return {(c.table, c.row, c.column): (c.value, c.status) for c in report.cells.itertuples()}


def misprintable_rows(text: str, table: str, template: str) -> list[schema.Row]:
    """Rows of ``table`` whose own label is printed once, whole, in its region."""
    start, end = table_region(text, table)
    out = []
    for row in schema.TABLES[table].rows:
        own = labels.own_label(row)
        if template not in row.templates or len(own) < labels.MIN_LENGTH:
            continue
        if text.count(own, start, end) == 1:
            out.append(row)
    return out


def assert_read_as_printed_correctly(r: synth.Rendered, data: str, what: str):
    report = govopen.parse_report(data, name=f"misprint-{r.truth.seed}.{r.layout}")
    got = cells_of(report)
    assert set(got) == set(r.truth.values), what
    wrong = [f"{k}: {got[k]} vs {v}" for k, v in r.truth.values.items()
             if not math.isnan(got[k][0]) and got[k][0] != float(v)]
    assert wrong == [], what  # never a wrong number
    missing = [k for k, v in r.truth.values.items() if got[k] != (float(v), "parsed")]
    assert missing == [], what
    return report


CASES = [(seed, layout) for seed in range(36) for layout in ("tabs", "spaces")]


@pytest.mark.parametrize("seed,layout", CASES)
def test_misprinted_row_label_reads_as_printed_correctly(seed, layout):
    rng = random.Random(f"{seed}-{layout}")
    table = ("requests", "active")[seed % 2]
    r = synth.report(seed, layout, template=("2019", "2021")[seed % 3 == 0], clutter=False,
                     blank_rate=0.0)
    text = r.data
    rows = misprintable_rows(text, table, r.truth.template)
    kind = rng.choice(MUTATIONS)
    rows = [row for row in rows if kind in kinds_for(labels.own_label(row))] or rows
    row = rng.choice(rows)
    own = labels.own_label(row)
    kind = kind if kind in kinds_for(own) else "swap"
    start, end = table_region(text, table)
    data, printed = misprint_once(text, start, end, own, kind, rng)
    assert_read_as_printed_correctly(r, data, f"{row.key}: {own} printed {printed} ({kind})")


@pytest.mark.parametrize("seed", range(24))
def test_misprinted_look_alikes_in_rows(seed):
    rng = random.Random(1000 + seed)
    rows = [r for r in schema.REQUESTS.rows
            if any(c in LOOK_ALIKES for c in labels.own_label(r))]
    row = rows[seed % len(rows)]
    r = synth.report(seed, ("tabs", "spaces")[seed % 2], template="2021", clutter=False,
                     blank_rate=0.0)
    own = labels.own_label(row)
    start, end = table_region(r.data, "requests")
    data, printed = misprint_once(r.data, start, end, own, "look_alike", rng)
    assert_read_as_printed_correctly(r, data, f"{row.key}: {own} printed {printed}")


def test_the_misprints_the_issue_names():
    r = synth.report(4, "tabs", template="2021", clutter=False)
    start, end = table_region(r.data, "requests")
    data = (r.data[:start] + r.data[start:end].replace("其他法律行政法规禁止公开", "其他法律行政止公开")
            .replace("属于行政执法案卷", "属于行政执法案件") + r.data[end:])
    start, end = table_region(data, "active")
    data = (data[:start] + data[start:end].replace("本年废止件数", "本年废纸件数")
            .replace("现行有效件数", "先行有效件数") + data[end:])
    assert_read_as_printed_correctly(r, data, "the issue's misprints")
    # the rows say how they were found
    text = normalize(data)
    skel = Skeleton(text)
    span = split_sections(text).tables["requests"]
    rows = [row for row in schema.REQUESTS.rows if "2021" in row.templates]
    found = {m.row: m.misprint for m in tables.find_rows(text, skel, span, rows)}
    assert found["denied_law_prohibited"] == "其他法律行政止公开"
    assert found["denied_law_enforcement_file"] == "属于行政执法案件"
    assert found["granted"] == ""  # printed correctly
    span = split_sections(text).tables["active"]
    misprints: list = []
    tables._column_events(skel, skel.index_at(span[0]), skel.index_at(span[1]), misprints)
    assert sorted(misprints) == [("先行有效件数", "in_force"), ("本年废纸件数", "repealed")]


def column_labels(template: str) -> list[str]:
    """Column labels section 二 prints in its first header (those printed whole)."""
    heads = {"2021": ("issued", "repealed", "in_force"), "2019": ("made", "published", "total_public")}
    return [schema.ACTIVE.column(k).zh for k in heads[template]]


@pytest.mark.parametrize("seed", range(24))
def test_misprinted_column_label_reads_as_printed_correctly(seed):
    rng = random.Random(2000 + seed)
    template = ("2019", "2021")[seed % 2]
    r = synth.report(seed, ("tabs", "spaces")[seed // 2 % 2], template=template, clutter=False,
                     blank_rate=0.0)
    label = rng.choice(column_labels(template))
    kind = rng.choice(kinds_for(label))
    start, end = table_region(r.data, "active")
    data, printed = misprint_once(r.data, start, end, label, kind, rng)
    assert_read_as_printed_correctly(r, data, f"column {label} printed {printed} ({kind})")
    # the header is read whole, not guessed from the template: the same columns, in place
    assert column_events(data) == column_events(r.data), f"{label} printed {printed} ({kind})"


def column_events(data: str) -> list[str]:
    text = normalize(data)
    skel = Skeleton(text)
    span = split_sections(text).tables["active"]
    return [key for _, key in tables._column_events(skel, skel.index_at(span[0]), skel.index_at(span[1]))]


def misprint_heading(text: str, numeral: str, rng: random.Random) -> tuple[str, str]:
    """``text`` with section ``numeral``'s heading misprinted until none of its keywords
    is printed whole in it."""
    start = text.index(numeral + "、" + TITLES[numeral])
    end = text.index("\n", start)
    line = text[start:end]
    for _ in range(3):
        present = [k for k in KEYWORDS[numeral] if k in line]
        if not present:
            break
        keyword = max(present, key=len)
        kinds = [k for k in kinds_for(keyword) if k != "drop_two"]
        k = line.index(keyword)
        line = line[:k] + mutate(keyword, rng.choice(kinds), rng) + line[k + len(keyword):]
    assert not any(k in line for k in KEYWORDS[numeral]), line
    return text[:start] + line + text[end:], line


@pytest.mark.parametrize("numeral", NUMERALS)
@pytest.mark.parametrize("seed", range(3))
def test_misprinted_heading_is_still_a_heading(numeral, seed):
    rng = random.Random(3000 + seed)
    r = synth.report(seed, "tabs", clutter=False)
    data, line = misprint_heading(r.data, numeral, rng)
    report = assert_read_as_printed_correctly(r, data, f"heading {line}")
    assert report.sections[numeral].startswith(line)
    assert report.sections == {**govopen.parse_report(r.data).sections, numeral: report.sections[numeral]}


# --- what must not be found -----------------------------------------------------------------

@pytest.mark.parametrize("seed", range(12))
def test_a_row_not_printed_is_not_found_elsewhere(seed):
    # the neighbours of a missing row are found exactly; the gap between them holds only
    # their numbers, and nothing in it may be taken for the missing row
    r = synth.report(seed, "tabs", fault="missing_row", clutter=False)
    text = normalize(r.data)
    span = split_sections(text).tables["requests"]
    rows = [row for row in schema.REQUESTS.rows if r.truth.template in row.templates]
    found = tables.find_rows(text, Skeleton(text), span, rows)
    assert r.fault_row not in {m.row for m in found}
    assert not any(m.misprint for m in found)


def test_a_row_both_missing_and_misprinted_next_to_it():
    # 上年结转 not printed and 本年新收 misprinted: the misprint is read as 本年新收, and the
    # missing row is not read from it (三 edits away, and 本年新收 fits with one)
    r = synth.report(8, "tabs", template="2021", clutter=False)
    start, end = table_region(r.data, "requests")
    body = r.data[start:end].replace("本年新收", "本年新受")
    body = re.sub(r"二、上年结转政府信息公开申请数量[^\n]*\n", "", body)
    text = normalize(r.data[:start] + body + r.data[end:])
    span = split_sections(text).tables["requests"]
    rows = [row for row in schema.REQUESTS.rows if "2021" in row.templates]
    found = {m.row: m.misprint for m in tables.find_rows(text, Skeleton(text), span, rows)}
    assert found.get("new_received") == "本年新受政府信息公开申请数量"
    assert "carried_over" not in found


def test_a_row_found_by_its_core_starts_at_its_misprinted_head():
    # 需要另行制作 is printed whole and found exactly; the row starts at '2.', not at 成, so
    # the row before does not take the 2 for one of its cells
    r = synth.report(9, "glued", template="2021", clutter=False)
    assert "2.没有现成信息需要另行制作" in r.data
    data = r.data.replace("2.没有现成信息需要另行制作", "2.没有先成信息需要另行制作")
    text = normalize(data)
    span = split_sections(text).tables["requests"]
    rows = [row for row in schema.REQUESTS.rows if "2021" in row.templates]
    found = {m.row: m for m in tables.find_rows(text, Skeleton(text), span, rows)}
    m = found["unable_needs_creation"]
    assert text[m.start:m.end].startswith("2.没有先成信息")
    assert m.misprint == "没有先成信息需要另行制作"
    got = cells_of(govopen.parse_report(data, name="glued.txt"))
    assert got == cells_of(govopen.parse_report(r.data, name="glued.txt"))


def test_a_table_found_by_its_misprinted_first_label_without_its_heading():
    r = synth.report(5, "tabs", template="2021", clutter=False)
    data = (r.data.replace("三、收到和处理政府信息公开申请情况\n", "").replace("本年新收", "本年新受")
            .replace("四、政府信息公开行政复议、行政诉讼情况\n", "")
            .replace("未经复议直接起诉", "未经复议直接起述"))
    text = normalize(data)
    spans = split_sections(text).tables
    assert text[spans["requests"][0]:].startswith("本年新受政府信息公开申请数量")
    assert text[spans["reviews"][0]:].startswith("行政复议")
    assert_read_as_printed_correctly(r, data, "no headings, first labels misprinted")


def test_labels_are_further_apart_than_the_bound():
    # but for 本年新收… and 上年结转…, three edits apart, which nearer_rival keeps apart
    close = []
    tables_ = list(schema.TABLES.values())
    groups = [[(r.key, f) for r in t.rows for f in labels.printed_forms(r)] for t in tables_]
    groups += [[(c.key, v) for c in t.columns for v in c.variants] for t in tables_]
    groups.append([(n, k) for n, ks in KEYWORDS.items() for k in ks])
    for group in groups:
        for key, a in group:
            for other, b in group:
                if key != other and labels.distance(a, b) <= labels.max_edits(len(a)):
                    close.append((a, b))
    assert sorted(close) == [("上年结转政府信息公开申请数量", "本年新收政府信息公开申请数量"),
                             ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量")]
