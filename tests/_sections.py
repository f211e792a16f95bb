"""A minimal section splitter for the narrative tests, until the core's splitter is used.

``split_sections(text)`` finds the six headings (一、总体情况 … 六、其他需要报告的事项) in
order, each after the one before, and returns ``{key: text}`` from each heading to the
next. A heading is its numeral, '、' and a word of its title within a few characters, so
the table rows '一、本年新收…' and '四、结转下年度…' are not taken for headings.
"""

from __future__ import annotations

import re

_TITLES = (
    ("一", r"总体情况|概述|概况|基本情况"),
    ("二", r"主动公开"),
    ("三", r"收到和处理|申请"),
    ("四", r"复议|诉讼"),
    ("五", r"问题|不足"),
    ("六", r"其他|需要报告|需报告"),
)


def split_sections(text: str) -> dict[str, str]:
    starts: list[tuple[str, int]] = []
    pos = 0
    for key, words in _TITLES:
        m = re.compile(rf"{key}\s*[、.．]\s*[^、。\n]{{0,16}}?(?:{words})").search(text, pos)
        if m is None:
            continue
        starts.append((key, m.start()))
        pos = m.end()
    sections = {}
    for i, (key, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        sections[key] = text[start:end]
    return sections
