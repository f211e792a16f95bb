"""Variants of a real seed report: the same numbers in other layouts, encodings and notations."""

from __future__ import annotations

import re

from tests.support import seed_path

CLUTTER_HEAD = "长者模式\n无障碍浏览\n首页 | 政务公开 | 互动交流\n返回首页\n当前位置：首页 > 政府信息公开 > 年度报告\n"
CLUTTER_TAIL = "\n\n【打印本页】【关闭窗口】\n扫一扫在手机打开当前页\n网站标识码 4103290001 备案号 豫ICP备05012345号\n"


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def one_line(text: str) -> str:
    """The whole report on one line, cells still separated by spaces."""
    return re.sub(r"[\t\n]+", " ", text)


def run_together(text: str) -> str:
    """A crawler's page text: every separator inside the report removed."""
    return re.sub(r"[\t\n ]+", "", text)


def one_cell_per_line(text: str) -> str:
    return text.replace("\t", "\n\n")


def with_clutter(text: str) -> str:
    return CLUTTER_HEAD + text + CLUTTER_TAIL


# --- tables torn apart by PDF-to-markdown converters -----------------------------------

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:万元|元|件)?|[-—/]|无")
_HEADINGS = {"三": "三、收到和处理政府信息公开申请情况", "四": "四、政府信息公开行政复议、行政诉讼情况"}


def _cells(line: str) -> tuple[list[str], list[str]]:
    """(label cells, number cells) of one line of a seed's table."""
    cells = [c.strip() for c in line.split("\t")] if "\t" in line else line.split()
    labels = [i for i, c in enumerate(cells) if c and not _NUMBER.fullmatch(c)]
    if not labels:
        numbers = cells
        return [], [c for c in numbers if c]
    last = labels[-1]
    numbers = cells[last + 1:]
    while numbers and not numbers[-1]:
        numbers.pop()
    if "\t" not in line:  # a space-separated label keeps its spaces
        return [" ".join(cells[:last + 1])], numbers
    return [c for c in cells[:last + 1] if c], numbers


def _section(text: str, numeral: str) -> tuple[int, int]:
    """Where a seed's section 三 or 四 table starts (after its heading line) and ends."""
    head = text.index(_HEADINGS[numeral][:6])
    start = text.index("\n", head) + 1
    nxt = r"四、政府信息公开行政复议" if numeral == "三" else "五、"
    stop = re.compile(r"^[#\s]*" + nxt, re.M).search(text, start).start()
    return start, stop


def table_rows(text: str, numeral: str = "三") -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(header lines, rows) of a seed's section 三 or 四 table; a row is its label and its
    number cells, empty cells kept where the seed prints them between tabs."""
    start, stop = _section(text, numeral)
    header: list[str] = []
    rows: list[tuple[str, list[str]]] = []
    for line in text[start:stop].split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        labels, numbers = _cells(line)
        if numeral == "四":
            if labels:
                header.append(" ".join(labels))
            rows.extend(("", [n]) for n in numbers if n)
            continue
        label = " ".join(labels)
        if label and not rows and "本年新收" not in label:
            header.append(label)
            continue
        if label and (not rows or any(rows[-1][1])):
            rows.append((label, []))
        elif label:  # a group label on a line of its own ('三、本年度办理结果')
            rows[-1] = (rows[-1][0] + " " + label, rows[-1][1])
        if rows:
            rows[-1][1].extend(numbers)
    if numeral == "四":
        rows = [("", [n for _, (n,) in rows])]
    return header, rows


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _generic_header(width: int, word: str = "Col") -> str:
    return _pipe([f"{word}{i}" for i in range(1, width + 1)]) + "\n" + "|---" * width + "|"


def replace_table(text: str, numeral: str, body: str) -> str:
    """``text`` with what section 三's or 四's heading line is followed by replaced."""
    start, stop = _section(text, numeral)
    return text[:start] + "\n" + body + "\n\n" + text[stop:]


def _fragments(header: list[str]) -> list[str]:
    """Header words broken as a converter breaks them: '商业企' '业'."""
    out = []
    for line in header:
        for word in line.split():
            out.extend([word[:-1], word[-1]] if len(word) > 3 else [word])
    return out


def pipe_tables(text: str) -> str:
    """Sections 三 and 四 as markdown pipe tables under a generic header, each label still
    on the row of its numbers: the converter's layout before anything is torn."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows) + 1
    body = [_generic_header(width), _pipe(header + [""] * (width - len(header)))]
    body += [_pipe([label] + numbers) for label, numbers in rows]
    text = replace_table(text, "三", "\n".join(body))
    header4, ((_, numbers),) = table_rows(text, "四")
    return replace_table(text, "四", "\n".join([_generic_header(len(numbers)),
                                               _pipe(header4), _pipe(numbers)]))


def labels_then_numbers(text: str, fragments: bool = False) -> str:
    """Section 三 torn: the header, then every row label on a line of its own, then the
    rows of numbers as a pipe table under a generic header."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows)
    lines = _fragments(header) if fragments else header
    body = lines + [label for label, _ in rows] + ["", _generic_header(width)]
    body += [_pipe(numbers) for _, numbers in rows]
    return replace_table(text, "三", "\n".join(body))


def labels_in_paragraph(text: str) -> str:
    """Section 三 torn: the labels run on in a paragraph before a pipe table of numbers."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows)
    para = "；".join(label for label, _ in rows) + "。"
    body = [" ".join(header), para, "", _generic_header(width)]
    body += [_pipe(numbers) for _, numbers in rows]
    return replace_table(text, "三", "\n".join(body))


def split_at_page_break(text: str, at: int = 12, footer: str = "- 3 -", page: str = "3") -> str:
    """Section 三 torn and split at a page break after ``at`` rows of numbers: a page footer
    and a lone page number between the blocks, the generic header repeated; section 四's
    numbers split the same way."""
    header, rows = table_rows(text)
    text = replace_table(text, "三", torn_rows(header, rows, at, footer, page))
    header4, ((_, numbers),) = table_rows(text, "四")
    # a seed that drops empty cells prints fewer than the table's 15 columns
    return replace_table(text, "四", torn_numbers(header4, numbers, 10, footer, page, columns=15))


def torn_rows(header: list[str], rows: list[tuple[str, list[str]]], at: int, footer: str,
              page: str, word: str = "Col") -> str:
    """A table's header lines, its row labels on lines of their own, then its rows of
    numbers as a pipe table under a generic header ('Col1' or, with ``word``, '数据1'),
    split after ``at`` rows by a page footer and a lone page number, the header repeated."""
    width = max(len(n) for _, n in rows)
    body = header + [label for label, _ in rows] + ["", _generic_header(width, word)]
    body += [_pipe(numbers) for _, numbers in rows[:at]]
    body += ["", footer, "", page, "", _generic_header(width, word)]
    body += [_pipe(numbers) for _, numbers in rows[at:]]
    return "\n".join(body)


def torn_numbers(header: list[str], numbers: list[str], at: int | None, footer: str = "",
                 page: str = "", word: str = "Col", columns: int | None = None) -> str:
    """A table of one row of numbers (section 四) under its header lines, as a pipe table
    with a generic header ``columns`` wide (default: one per number); split after ``at``
    columns by a page footer and a lone page number, each part under a header of its own
    width (``at=None``: not split)."""
    columns = columns or len(numbers)
    if at is None:
        return "\n".join([*header, _generic_header(columns, word), _pipe(numbers)])
    return "\n".join([*header, _generic_header(at, word), _pipe(numbers[:at]), "", footer, "",
                      page, "", _generic_header(columns - at, word), _pipe(numbers[at:])])


def drop_number_row(text: str, index: int) -> str:
    """``labels_then_numbers`` with one row of numbers lost (its label still listed)."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows)
    body = header + [label for label, _ in rows] + ["", _generic_header(width)]
    body += [_pipe(numbers) for i, (_, numbers) in enumerate(rows) if i != index]
    return replace_table(text, "三", "\n".join(body))


def plain_rows_at_page_break(text: str, at: int = 12, footer: str = "第 3 页 共 7 页",
                             page: str = "3") -> str:
    """Section 三 torn as PDF text extraction leaves it: the labels, then the rows of
    numbers as plain space-separated lines (empty cells gone), split by a page footer and a
    lone page number; a row that prints only its total is then a lone number too."""
    header, rows = table_rows(text)
    body = header + [label for label, _ in rows] + [""]
    plain = [" ".join(n for n in numbers if n) for _, numbers in rows]
    body += plain[:at] + ["", footer, page, ""] + plain[at:]
    return replace_table(text, "三", "\n".join(body))


def labelled_pipe_table_at_page_break(text: str, at: int = 12, footer: str = "3/7",
                                      page: str = "3") -> str:
    """Section 三 as a pipe table with each label on its row, split at a page break: a
    footer and a page number between the blocks, the generic header repeated."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows) + 1
    head = [_generic_header(width), _pipe(header + [""] * (width - len(header)))]
    body = head + [_pipe([label] + numbers) for label, numbers in rows[:at]]
    body += ["", footer, "", page, "", _generic_header(width)]
    body += [_pipe([label] + numbers) for label, numbers in rows[at:]]
    return replace_table(text, "三", "\n".join(body))


def half_torn(text: str, at: int = 12) -> str:
    """Section 三 as a pipe table whose first ``at`` rows keep their labels and whose other
    rows lost them: their labels listed after the table, their numbers below."""
    header, rows = table_rows(text)
    width = max(len(n) for _, n in rows) + 1
    body = [_generic_header(width)] + [_pipe([label] + numbers) for label, numbers in rows[:at]]
    body += [""] + [label for label, _ in rows[at:]] + ["", _generic_header(width - 1)]
    body += [_pipe(numbers) for _, numbers in rows[at:]]
    return replace_table(text, "三", "\n".join(header + [""] + body))
