"""Worst case for placement: a big agency's section-三 table with every cell run together.

What it builds: a whole report (title, sections 一 … 六) whose section-三 table is printed
the way a crawler flattens a page — every separator removed, so each row is one long run
of digits ('一、本年新收政府信息公开申请数量9821315002310879044800123456…'). The numbers
are those of a large agency: 123456 new requests, five nonzero applicant columns, many
nonzero outcome rows, all identities holding. Every row's digits must be cut into seven
cells, and large numbers give many more cuts than the small counts of a county office.

What it measures: the median over ``--runs`` runs of ``govopen.parse_report`` on the
whole text, and of the section-三 stage alone (labels, tokens, placement), in ms of wall
clock and of CPU time. It also
checks that every cell comes out exact, so a faster placement that changes a result
shows up here too. Run from the repository root:

    .venv/bin/python -m benchmarks.placement_worst_case --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import govopen
from govopen import schema
from govopen.parse.sections import split_sections
from govopen.parse.tables import read_requests
from govopen.parse.text import LineIndex, Skeleton, normalize

TEMPLATE = "2021"
APPLICANTS = schema.APPLICANT_COLUMNS

NEW = (98213, 15002, 310, 87, 9044, 800)  # totals 123456
CARRIED = (1203, 45, 0, 0, 12, 3)
FORWARD = (2110, 102, 5, 1, 60, 13)

# How each column's handled total (（七）) is shared among the outcome rows, in per mille;
# the remainder goes to 予以公开. Rows not listed are 0.
SHARES = {
    "partially_granted": 210,
    "denied_state_secret": 3,
    "denied_third_party": 17,
    "denied_process_info": 41,
    "unable_not_held": 96,
    "unable_needs_creation": 12,
    "not_processed_petition": 55,
    "not_processed_repeat": 8,
    "other_overdue_correction": 24,
    "other_other": 2,
}


def table_values(divide: int = 1) -> dict[str, tuple[int, ...]]:
    """Every row of the table as (six applicant cells, total), all identities holding.

    ``divide`` scales the agency down (numbers divided by it), to see how time grows
    with the length of the runs of digits.
    """
    new, carried, forward = ([v // divide for v in vs] for vs in (NEW, CARRIED, FORWARD))
    forward = [min(f, n + c) for n, c, f in zip(new, carried, forward, strict=True)]
    handled = tuple(n + c - f for n, c, f in zip(new, carried, forward, strict=True))
    rows: dict[str, list[int]] = {}
    outcomes = schema.outcome_rows(TEMPLATE)
    for key in outcomes:
        rows[key] = [h * SHARES.get(key, 0) // 1000 for h in handled]
    rows["granted"] = [h - sum(rows[k][i] for k in outcomes if k != "granted")
                       for i, h in enumerate(handled)]
    rows["new_received"] = new
    rows["carried_over"] = carried
    rows["total"] = list(handled)
    rows["carried_forward"] = forward
    return {k: (*v, sum(v)) for k, v in rows.items()}


def report_text(values: dict[str, tuple[int, ...]]) -> str:
    """A report whose section-三 table is run together as a crawler prints it."""
    table = []
    for row in schema.REQUESTS.rows:
        if TEMPLATE not in row.templates:
            continue
        label = row.zh.replace("…", "、行政机关不再处理其政府信息公开申请")
        if row.key == "partially_granted":
            label += "（区分处理的，只计这一情形，不计其他情形）"
        if row.key == "granted":
            label = "三、本年度办理结果" + label
        table.append(label + "".join(str(v) for v in values[row.key]))
    reviews = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" \
              + "0" * 15
    return "\n".join([
        "某市人民政府2024年政府信息公开工作年度报告",
        "一、总体情况",
        "2024年，本机关共收到政府信息公开申请123456件。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件000",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人"
        "法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他" + "".join(table),
        "四、政府信息公开行政复议、行政诉讼情况",
        reviews,
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ])


def median_ms(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU time of ``fn`` in ms. The CPU time is the steadier of the
    two on a machine that other work shares."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per measurement")
    parser.add_argument("--divide", type=int, default=1,
                        help="scale the agency down: every number divided by this")
    args = parser.parse_args(argv)

    values = table_values(args.divide)
    text = report_text(values)
    report = govopen.parse_report(text)  # warm-up, and the check that nothing is wrong
    cols = schema.columns_for("requests", "total", TEMPLATE)
    got = {(r.row, r.column): r.value for r in report.cells.itertuples() if r.table == "requests"}
    want = {(k, c): v for k, vs in values.items() for c, v in zip(cols, vs, strict=True)}
    exact = sum(got[k] == v for k, v in want.items())
    missing = sum(got[k] != got[k] for k in want)  # NaN: the cell is missing
    wrong = len(want) - exact - missing

    norm = normalize(text)
    span = split_sections(norm).tables["requests"]
    skel, lines = Skeleton(norm), LineIndex(norm)

    whole = median_ms(lambda: govopen.parse_report(text), args.runs)
    placing = median_ms(lambda: read_requests(norm, skel, lines, span), args.runs)
    longest = max(len("".join(str(v) for v in vs)) for vs in values.values())
    print(f"section-三 table: {len(values)} rows, longest run of digits {longest}, "
          f"largest number {max(max(vs) for vs in values.values())}")
    print(f"cells: {exact} exact, {missing} missing, {wrong} wrong, of {len(want)}")
    print(f"median of {args.runs}, wall (CPU): parse_report {whole[0]:.1f} ({whole[1]:.1f}) ms, "
          f"section 三 alone {placing[0]:.1f} ({placing[1]:.1f}) ms")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
