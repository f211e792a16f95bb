"""Variants of a real seed report: the same numbers in other layouts, encodings and notations."""

from __future__ import annotations

import re

from conftest import seed_path

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
