"""A corpus's reports table → an HTML summary: how many files of each status, and one row a
file (source, status, format, agency, year, values read and missing, errors, message).

In: the reports table of a ``Corpus`` (``govopen.fields.REPORT_FIELDS``; any of its columns
may be absent), optionally each report's page (``govopen show``) by source. Out:
``corpus_html`` — a fragment without script (``Corpus._repr_html_``): the counts link to
the files of each status, and each file to its page where it has one; ``index_page`` —
the same as a page of its own. Text is escaped by the helpers of ``govopen.parse.view``.
"""

from __future__ import annotations

import pandas as pd

from ..fields import STATUSES
from ..parse.view import Html, check_lang, document, el, join, slug

# rows shown for each status in a notebook: a corpus of thousands stays readable
SHOWN_PER_STATUS = 200

_HEADS = {"source": ("File", "文件"), "status": ("Status", "状态"), "format": ("Format", "格式"),
          "agency": ("Agency", "机关"), "year": ("Year", "年度"),
          "n_values": ("Values", "数值"), "n_missing": ("Missing", "缺失"),
          "n_errors": ("Errors", "错误"), "message": ("Message", "说明")}
_STATUS_STYLE = {"ok": "background:#d4e6f4", "warning": "background:#f7e0a8",
                 "error": "background:#f4c7b0", "duplicate": "background:#e6e6e6"}
_MORE = ("… and {n} more", "……另有 {n} 个")
_FILES = ("files", "个文件")


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def corpus_html(reports: pd.DataFrame, pages: dict[str, str] | None = None,
                lang: str = "en", shown: int | None = SHOWN_PER_STATUS) -> Html:
    """The summary as a fragment. ``pages``: source → the page of its report; ``shown``:
    rows listed for each status (None: every one)."""
    check_lang(lang)
    zh = lang == "zh"
    columns = [c for c in _HEADS if c in reports.columns]
    statuses = reports["status"] if "status" in reports else pd.Series(["ok"] * len(reports))
    order = [s for s in ("error", "warning", "duplicate", "ok") if s in STATUSES]
    order += sorted(set(statuses.dropna()) - set(order))
    counts = statuses.value_counts()
    summary = [el("a", {"href": f"#govopen-status-{slug(s)}", "class": "count",
                        "style": _STATUS_STYLE.get(s)}, f"{s} {int(counts[s])}")
               for s in order if s in counts]
    groups = []
    for status in order:
        if status not in counts:
            continue
        rows = reports[statuses.to_numpy() == status]
        body = [_row(r, columns, pages) for r in
                (rows if shown is None else rows.head(shown)).to_dict("records")]
        more = len(rows) - len(body)
        if more:
            body.append(el("tr", None, el("td", {"colspan": len(columns)},
                                          _MORE[zh].format(n=more))))
        head = el("tr", None, *[el("th", None, _HEADS[c][zh]) for c in columns])
        groups.append(el("table", {"class": "corpus", "id": f"govopen-status-{slug(status)}"},
                         el("caption", None, f"{status}: {int(counts[status])} {_FILES[zh]}"),
                         el("thead", None, head), el("tbody", None, *body)))
    return el("div", {"class": "govopen-corpus", "lang": lang},
              el("p", None, f"{len(reports)} {_FILES[zh]}: ", join(summary, " ")), *groups)


def _row(r: dict, columns: list[str], pages: dict[str, str] | None) -> Html:
    tds = []
    for c in columns:
        value = _text(r.get(c))
        if c == "source" and pages and value in pages:
            tds.append(el("td", None, el("a", {"href": pages[value]}, value)))
        elif c == "status":
            tds.append(el("td", {"style": _STATUS_STYLE.get(value)}, value))
        else:
            tds.append(el("td", {"class": "num"} if c.startswith("n_") or c == "year" else None,
                          value))
    return el("tr", None, *tds)


_CSS = """
.govopen-corpus{font-family:system-ui,"Noto Sans CJK SC",sans-serif;font-size:14px;padding:0 1em}
.govopen-corpus table{border-collapse:collapse;margin:.5em 0 1.5em}
.govopen-corpus caption{text-align:left;font-weight:bold}
.govopen-corpus th,.govopen-corpus td{border:1px solid #bbb;padding:2px 6px;text-align:left}
.govopen-corpus td.num{text-align:right}
.govopen-corpus .count{padding:0 6px;border:1px solid #bbb;color:inherit}
"""


def index_page(reports: pd.DataFrame, pages: dict[str, str], lang: str = "en",
               title: str = "govopen") -> Html:
    """The summary as a page of its own, every file listed, each linked to its page."""
    body = el("div", {"class": "govopen-corpus"}, el("style", None, Html(_CSS)),
              el("h1", None, title), corpus_html(reports, pages, lang, shown=None))
    return document(title, lang, body)


def corpus_repr_html(reports: pd.DataFrame) -> str:
    return join([el("style", None, Html(_CSS)), corpus_html(reports)])


__all__ = ["corpus_html", "index_page", "corpus_repr_html", "SHOWN_PER_STATUS"]
