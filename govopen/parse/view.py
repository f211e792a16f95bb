"""A ``Report`` → HTML: its tables coloured by status, its findings, its identities and,
on a page of its own, its source text with every number the tables took highlighted.

In: a ``Report`` (``parse_report``), a label language (``"en"`` or ``"zh"``). Out:

* ``report_html(report, lang)`` — an HTML fragment for a notebook (``Report._repr_html_``):
  a header (agency, year, region, format, templates), a legend, the three tables with each
  cell coloured by status and its note on hover, the identities as "parts = total" checks
  and the findings, each linked to its cells. No script: notebook viewers strip them.
* ``report_page(report, lang)`` — a whole page (``govopen show``): the same beside the source
  text, in which each number is highlighted at the line and character it was read from
  (the cells' ``line`` and ``char``). A cell links to its source and the source back to
  the cell; a small inline script centres and marks what a link points to, and the page
  reads the same without it. Nothing is fetched: no external script, font or style.

Safe by construction: every piece of text goes through ``esc`` (or ``el``, which escapes
its attributes and text children); the only unescaped strings are ``Html`` values those
helpers return and this module's own constants. The output is XHTML-style (every element
closed, void elements self-closed) so that an XML parser reads it back. Characters XML
cannot carry (control characters, lone surrogates) are shown as U+FFFD, one for one, so
that positions on a line stay as the cells give them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from .. import schema
from ..fields import CELL_COLUMNS, STATISTIC_COLUMNS_OUT
from ..findings import RULES
from .meta import ReportMeta


class Report(Protocol):
    """What the view reads of a ``report.Report`` (which imports this module, so it is
    described here rather than imported)."""

    meta: ReportMeta
    cell_rows: list[tuple]
    finding_rows: list[tuple]
    statistic_rows: list[tuple]
    text: str

    @property
    def counts(self) -> dict[str, int]: ...

LANGS = ("en", "zh")


# --- safe HTML -------------------------------------------------------------------------

class Html(str):
    """Text that is HTML already: made by ``esc`` or ``el``, never by hand from input."""

    def _repr_html_(self) -> str:  # a notebook shows it as the HTML it is
        return str(self)

    def __repr__(self) -> str:  # not a page of markup where a notebook wants plain text
        return f"<HTML, {len(self):,} characters>"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_VOID = frozenset({"meta", "br", "hr", "col", "img", "input", "link"})
# a link may only point into the page or at a page beside it, never at a scheme
_HREF = re.compile(r"#[\w.-]*\Z|[\w.-]+\.html(#[\w.-]*)?\Z")


def esc(value: object) -> Html:
    """Any value as HTML text: escaped, unless it is ``Html`` already."""
    if isinstance(value, Html):
        return value
    text = _NOT_XML.sub("\ufffd", "" if value is None else str(value))
    return Html(html.escape(text, quote=True).replace("\r", "&#13;"))


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(esc(sep).join(esc(p) for p in parts))


def el(name: str, attrs: dict[str, object] | None = None, *children: object) -> Html:
    """One element: ``name`` and attribute names are this module's (checked), attribute
    values and children are escaped unless ``Html``; ``None`` attributes are left out."""
    if not _NAME.match(name):
        raise ValueError(f"not an element name: {name!r}")
    out = [f"<{name}"]
    for key, value in (attrs or {}).items():
        key = key.rstrip("_").replace("_", "-")  # class_ → class, data_x → data-x
        if value is None:
            continue
        if not _NAME.match(key) or key.startswith("on"):
            raise ValueError(f"not an attribute this module writes: {key!r}")
        if key == "href" and not _HREF.match(str(value)):
            raise ValueError(f"not a link this module writes: {value!r}")
        out.append(f' {key}="{esc(value)}"')
    if name in _VOID:
        if children:
            raise ValueError(f"<{name}> has no content")
        return Html("".join(out) + "/>")
    return Html("".join(out) + ">" + join(children) + f"</{name}>")


def slug(key: object) -> str:
    """A key as a piece of an element id: letters, digits and _ only."""
    return re.sub(r"[^A-Za-z0-9_]", "_", str(key))


# --- words -----------------------------------------------------------------------------

_WORDS = {
    "parsed": ("parsed: read as printed", "已读取：按原文读取"),
    "inferred": ("inferred: not printed, worked out from the identities",
                 "推算：原文未印，由勾稽关系推出"),
    "missing": ("missing: cannot be known", "缺失：无法得知"),
    "agency": ("Agency", "机关"), "year": ("Year", "年度"), "region": ("Region", "地区"),
    "format": ("Format", "格式"), "templates": ("Templates", "模板"),
    "published": ("Published", "发布日期"), "report_id": ("Report id", "报告标识"),
    "cells": ("Cells", "单元格"), "source": ("Source text", "原文"),
    "findings": ("Findings", "发现的问题"), "identities": ("Identities", "勾稽关系"),
    "no_findings": ("none: every identity holds", "无：勾稽关系全部成立"),
    "not_found": ("not found in the report", "报告中未找到"),
    "statistics": ("Statistics (before 2019)", "统计数据（2019年以前）"),
    "holds": ("holds", "成立"), "fails": ("fails", "不成立"),
    "open": ("not checked: a term is missing", "未核对：有缺失项"),
    "line": ("line", "行"), "char": ("character", "字符"),
    "read_from": ("read from", "原文"), "legend": ("Legend", "图例"),
    "no_tables": ("The report prints none of the three standard tables.",
                  "报告未印三张标准表格。"),
    "statistic": ("Statistic", "统计指标"), "value": ("Value", "数值"),
    "status": ("Status", "取值方式"), "lines": ("lines", "行"),
    "template": ("template", "模板"), "unknown": ("unknown", "未知"),
}
_STATUS_GLYPH = {"parsed": "", "inferred": "*", "missing": "?"}
# Okabe–Ito: blue for parsed, orange for inferred, grey hatching for missing; vermillion
# for a failing identity. Inline, so that a notebook viewer that drops <style> keeps them.
_STATUS_STYLE = {
    "parsed": "background:#d4e6f4",
    "inferred": "background:#f7e0a8",
    "missing": "background:repeating-linear-gradient(45deg,#eeeeee 0 4px,#cccccc 4px 8px)",
}


def word(key: str, lang: str) -> str:
    en, zh = _WORDS[key]
    return zh if lang == "zh" else en


def _label(thing, lang: str) -> tuple[str, str]:
    """(shown, the other language) of anything with zh and en."""
    return (thing.zh, thing.en) if lang == "zh" else (thing.en, thing.zh)


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r}; use 'en' or 'zh'")


# --- the pieces ------------------------------------------------------------------------

_COL = {k: CELL_COLUMNS.index(k) for k in CELL_COLUMNS}


def number(value: float) -> str:
    """A value as the report prints it: an integer without a point, others exactly."""
    if value != value:
        return "?"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class _Ids:
    """Element ids of one report, prefixed by its id so that two reports shown in one
    notebook do not share any."""

    def __init__(self, report_id: str):
        self.p = f"r{slug(report_id)}-"

    def cell(self, table, row, column) -> str:
        return f"{self.p}c-{slug(table)}-{slug(row)}-{slug(column)}"

    def source(self, table, row, column) -> str:
        return f"{self.p}s-{slug(table)}-{slug(row)}-{slug(column)}"

    def line(self, n) -> str:
        return f"{self.p}L{int(n)}"

    def row(self, table, row) -> str:
        return f"{self.p}r-{slug(table)}-{slug(row)}"

    def column(self, table, column) -> str:
        return f"{self.p}h-{slug(table)}-{slug(column)}"

    def table(self, table) -> str:
        return f"{self.p}t-{slug(table)}"

    def identity(self, table, k) -> str:
        return f"{self.p}i-{slug(table)}-{int(k)}"

    def finding(self, k) -> str:
        return f"{self.p}f-{int(k)}"


def _has(v) -> bool:
    return v is not None and v == v  # pandas gives NaN or <NA> for an empty line or char


def _where(c: tuple, lang: str) -> str:
    """Where a cell was read, and how: its hover text."""
    parts = [word(c[_COL["status"]], lang)]
    line, char, raw = c[_COL["line"]], c[_COL["char"]], c[_COL["raw"]]
    if raw:
        parts.append(f"{word('read_from', lang)} “{raw}”")
    if _has(line):
        parts.append(f"{word('line', lang)} {int(line)}"
                     + (f", {word('char', lang)} {int(char)}" if _has(char) else ""))
    if c[_COL["note"]]:
        parts.append(c[_COL["note"]])
    return " · ".join(parts)


def legend(lang: str) -> Html:
    items = [el("span", {"class": f"cell {s}", "style": _STATUS_STYLE[s]},
                f"12{_STATUS_GLYPH[s]}" if s != "missing" else "?")
             for s in ("parsed", "inferred", "missing")]
    return el("p", {"class": "legend"}, el("strong", None, word("legend", lang), ": "),
              *[join([item, " ", word(s, lang), "  "])
                for item, s in zip(items, ("parsed", "inferred", "missing"), strict=True)])


def header(report: Report, lang: str) -> Html:
    m = report.meta
    region = " ".join(x for x in (m.province, m.city, m.county) if x)
    if m.adcode:
        region += f" ({m.adcode})"
    templates = ", ".join(f"{name} {t}" for name, t in m.templates.items() if t)
    counts = report.counts
    unknown = word("unknown", lang)
    rows = [("agency", m.agency or unknown), ("year", m.year or unknown),
            ("region", region or unknown), ("format", m.format),
            ("templates", templates or "—"), ("published", m.published or unknown),
            ("report_id", m.report_id),
            ("cells", ", ".join(f"{n} {s}" for s, n in counts.items()))]
    return el("header", {"class": "head"},
              el("h1", None, m.title or m.source),
              el("dl", None, *[join([el("dt", None, word(k, lang)), el("dd", None, v)])
                               for k, v in rows]))


def tables(report: Report, lang: str, ids: _Ids, linked: bool) -> Html:
    """The three tables; ``linked``: each cell read from the source links to it."""
    by_table: dict[str, dict[tuple[str, str], tuple]] = {}
    for c in report.cell_rows:
        by_table.setdefault(c[_COL["table"]], {})[(c[_COL["row"]], c[_COL["column"]])] = c
    flagged = {(f[2], f[3], f[4]) for f in report.finding_rows}  # table, row, column
    out = []
    for name, t in schema.TABLES.items():
        cells = by_table.get(name)
        shown, other = _label(t, lang)
        template = report.meta.templates.get(name)
        caption = f"{t.section}、{shown}" + (f" ({word('template', lang)} {template})"
                                            if template else "")
        if not cells:
            out.append(el("section", {"class": "table", "id": ids.table(name)},
                          el("h3", {"title": other}, caption),
                          el("p", {"class": "absent"}, word("not_found", lang))))
            continue
        rows = [r for r in t.row_keys() if any((r, c.key) in cells for c in t.columns)]
        cols = [c for c in t.columns if any((r, c.key) in cells for r in rows)]
        head = el("tr", None, el("th", None, ""),
                  *[el("th", {"id": ids.column(name, c.key), "title": _label(c, lang)[1],
                              "scope": "col"}, _label(c, lang)[0]) for c in cols])
        body = []
        for r in rows:
            row = t.row(r)
            tds = [_cell(cells.get((r, c.key)), ids, lang, linked, flagged) for c in cols]
            body.append(el("tr", {"id": ids.row(name, r)},
                           el("th", {"scope": "row", "title": _label(row, lang)[1]},
                              _label(row, lang)[0]), *tds))
        out.append(el("section", {"class": "table", "id": ids.table(name)},
                      el("table", {"class": "cells"},
                         el("caption", {"title": other}, caption),
                         el("thead", None, head), el("tbody", None, *body))))
    return join(out)


def _cell(c: tuple | None, ids: _Ids, lang: str, linked: bool, flagged: set) -> Html:
    if c is None:  # a column this row does not have (section 二's rows differ)
        return el("td", {"class": "none"}, "")
    table, row, column = c[_COL["table"]], c[_COL["row"]], c[_COL["column"]]
    status = c[_COL["status"]]
    text = number(c[_COL["value"]]) if status != "missing" else ""
    glyph = _STATUS_GLYPH.get(status, "")
    shown: object = join([text, el("span", {"class": "glyph"}, glyph)]) if glyph else text
    href = None
    if linked and _has(c[_COL["char"]]):
        href = "#" + ids.source(table, row, column)
    elif linked and _has(c[_COL["line"]]):
        href = "#" + ids.line(c[_COL["line"]])
    if href:
        shown = el("a", {"href": href}, shown)
    flag = " flagged" if {(table, row, column), (table, row, ""), (table, "", column)} & flagged \
        else ""
    return el("td", {"id": ids.cell(table, row, column), "class": f"cell {status}{flag}",
                     "style": _STATUS_STYLE.get(status), "title": _where(c, lang),
                     "data-status": status, "data-value": text}, shown)


def _decimal(c: tuple | None) -> Decimal | None:
    if c is None or c[_COL["status"]] == "missing" or c[_COL["value"]] != c[_COL["value"]]:
        return None
    return Decimal(repr(float(c[_COL["value"]])))


def identity_checks(report: Report) -> list[tuple[str, int, schema.Identity, str, list]]:
    """(table, k, identity, state, terms) for every identity of the report's tables, in
    schema order; state is holds | fails | open (a term missing), terms are (cell key,
    value or None) for the left side then the right."""
    cells = {(c[_COL["table"]], c[_COL["row"]], c[_COL["column"]]): c for c in report.cell_rows}
    out = []
    for name in schema.TABLES:
        if not any(k[0] == name for k in cells):
            continue
        template = report.meta.templates.get(name) or "2021"
        for k, ident in enumerate(schema.identities(name, template)):
            terms = [(cell, _decimal(cells.get((name, *cell)))) for cell in ident.cells]
            values = [v for _c, v in terms if v is not None]
            if len(values) < len(terms):
                state = "open"
            else:
                left = sum(values[:len(ident.lhs)], Decimal(0))
                state = "holds" if left == sum(values[len(ident.lhs):], Decimal(0)) else "fails"
            out.append((name, k, ident, state, terms))
    return out


def identities(report: Report, lang: str, ids: _Ids) -> Html:
    items = []
    for name, k, ident, state, terms in identity_checks(report):
        t = schema.TABLES[name]
        n_left = len(ident.lhs)
        sides = [terms[:n_left], terms[n_left:]]
        # a total of parts reads "parts = total"
        if n_left == 1:
            sides.reverse()
        shown = [join([_term(name, cell, v, ids, lang) for cell, v in side], " + ")
                 for side in sides]
        rows = {cell[0] for cell, _v in terms}
        cols = {cell[1] for cell, _v in terms}
        subject = (_label(t.row(rows.pop()), lang)[0] if len(rows) == 1 else
                   _label(t.column(cols.pop()), lang)[0] if len(cols) == 1 else "")
        mark = {"holds": "✓", "fails": "✗", "open": "?"}[state]
        items.append(el("li", {"id": ids.identity(name, k), "class": f"identity {state}",
                               "title": f"{ident.description}: {word(state, lang)}"},
                        el("span", {"class": "mark"}, mark), " ",
                        el("span", {"class": "subject"}, f"{t.section} {subject}"), ": ",
                        shown[0], " = ", shown[1]))
    if not items:
        return Html("")
    return el("section", {"class": "identities"},
              el("h2", None, word("identities", lang)), el("ul", None, *items))


def _term(table: str, cell: tuple[str, str], value: Decimal | None, ids: _Ids,
          lang: str) -> Html:
    t = schema.TABLES[table]
    name = f"{_label(t.row(cell[0]), lang)[0]} / {_label(t.column(cell[1]), lang)[0]}"
    return el("a", {"href": "#" + ids.cell(table, *cell), "title": name,
                    "class": "term" + ("" if value is not None else " missing")},
              "?" if value is None else number(float(value)))


def findings(report: Report, lang: str, ids: _Ids) -> Html:
    checks = {(name, ident.rule, ident.row, ident.column): ids.identity(name, k)
              for name, k, ident, state, _t in identity_checks(report) if state == "fails"}
    items = []
    for k, f in enumerate(report.finding_rows):
        _rid, rule, severity, table, row, column, message = f
        known = RULES.get(rule)
        rule_text = (known.zh if lang == "zh" else known.en) if known else rule
        links = []
        target = _finding_target(ids, table, row, column)
        if target:
            links.append(el("a", {"href": "#" + target, "class": "where"},
                            "/".join(x for x in (table, row, column) if x)))
        if (check := checks.get((table, rule, row, column))) is not None:
            links.append(el("a", {"href": "#" + check, "class": "where"},
                            word("identities", lang)))
        items.append(el("li", {"id": ids.finding(k), "class": f"finding {severity}"},
                        el("span", {"class": "severity"}, severity), " ",
                        el("span", {"class": "rule", "title": rule_text}, rule), " ",
                        join(links, " "), (" " if links else ""), message))
    body = el("ol", None, *items) if items else el("p", None, word("no_findings", lang))
    return el("section", {"class": "findings"}, el("h2", None, word("findings", lang)), body)


def _finding_target(ids: _Ids, table: str, row: str, column: str) -> str | None:
    if table not in schema.TABLES:
        return None
    if row and column:
        return ids.cell(table, row, column)
    if row:
        return ids.row(table, row)
    if column:
        return ids.column(table, column)
    return ids.table(table)


def statistics(report: Report, lang: str, ids: _Ids, linked: bool) -> Html:
    """The statistics of a report before 2019, each linked to its line."""
    if not report.statistic_rows:
        return Html("")
    col = {k: STATISTIC_COLUMNS_OUT.index(k) for k in STATISTIC_COLUMNS_OUT}
    columns = {c.key: c for c in schema.STATISTIC_COLUMNS}
    rows = []
    for s in report.statistic_rows:
        status, line = s[col["status"]], s[col["line"]]
        text = number(s[col["value"]]) if status != "missing" else "?"
        shown: object = text
        if linked and _has(line):
            shown = el("a", {"href": "#" + ids.line(line)}, text)
        key = s[col["statistic"]]
        stat = schema.statistic(key) if key in schema.STATISTIC_KEYS else None
        column = columns.get(s[col["column"]])
        rows.append(el("tr", None,
                       el("th", {"scope": "row", "title": key},
                          _label(stat, lang)[0] if stat else key),
                       el("td", None, _label(column, lang)[0] if column else s[col["column"]]),
                       el("td", {"class": f"cell {status}", "style": _STATUS_STYLE.get(status),
                                 "title": " · ".join(x for x in (word(status, lang) if status in
                                                                 _STATUS_STYLE else status,
                                                                 s[col["raw"]], s[col["note"]])
                                                     if x)},
                          shown, s[col["unit"]] or "")))
    return el("section", {"class": "statistics"}, el("h2", None, word("statistics", lang)),
              el("table", {"class": "cells"},
                 el("thead", None, el("tr", None, el("th", None, word("statistic", lang)),
                                      el("th", None, ""), el("th", None, word("value", lang)))),
                 el("tbody", None, *rows)))


def source_text(report: Report, lang: str, ids: _Ids) -> Html:
    """The text as read, one element a line, each number a table took highlighted where
    it was read and linked back to its cell."""
    spans: dict[int, list[tuple]] = {}
    lines_of_cells: set[int] = set()
    for c in report.cell_rows:
        line, char = c[_COL["line"]], c[_COL["char"]]
        if _has(line) and _has(char) and c[_COL["raw"]]:
            spans.setdefault(int(line), []).append(c)
        elif _has(line):
            lines_of_cells.add(int(line))
    lines_of_cells.update(int(s[STATISTIC_COLUMNS_OUT.index("line")])
                          for s in report.statistic_rows
                          if _has(s[STATISTIC_COLUMNS_OUT.index("line")]))
    out = []
    for n, text in enumerate(report.text.split("\n"), 1):
        classes = "ln" + (" read" if n in lines_of_cells or n in spans else "")
        out.append(el("div", {"class": classes, "id": ids.line(n)},
                      el("span", {"class": "no"}, str(n)),
                      el("span", {"class": "tx"}, _marked(text, spans.get(n, ()), ids, lang))))
    return el("section", {"class": "source"}, el("h2", None, word("source", lang)),
              el("div", {"class": "text"}, *out))


def _marked(text: str, cells: Iterable[tuple], ids: _Ids, lang: str) -> Html:
    """One line with the raw text of each cell read on it wrapped in a link to the cell.
    Two cells never share a place in practice; if they did, the second gets an empty
    anchor where it starts, so every cell still has its source to scroll to."""
    parts: list[object] = []
    at = 0
    for c in sorted(cells, key=lambda c: int(c[_COL["char"]])):
        start = int(c[_COL["char"]])
        end = min(len(text), start + len(c[_COL["raw"]]))
        key = (c[_COL["table"]], c[_COL["row"]], c[_COL["column"]])
        if start < at or start >= len(text):
            parts.append(el("a", {"id": ids.source(*key), "href": "#" + ids.cell(*key),
                                  "class": "src extra"}, ""))
            continue
        parts.append(text[at:start])
        status = c[_COL["status"]]
        parts.append(el("a", {"id": ids.source(*key), "href": "#" + ids.cell(*key),
                              "class": f"src {status}", "style": _STATUS_STYLE.get(status),
                              "title": f"{'/'.join(key)} · {_where(c, lang)}"},
                        text[start:end]))
        at = end
    parts.append(text[at:])
    return join(parts)


# --- the two outputs -------------------------------------------------------------------

_CSS = """
.govopen-report{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",
"Microsoft YaHei",sans-serif;font-size:14px;line-height:1.4;color:#222}
.govopen-report h1{font-size:1.3em;margin:.2em 0}
.govopen-report h2{font-size:1.1em;margin:1em 0 .3em}
.govopen-report dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.3em 0}
.govopen-report dt{color:#555}.govopen-report dd{margin:0}
.govopen-report table.cells{border-collapse:collapse;margin:.5em 0 1em}
.govopen-report table.cells caption{text-align:left;font-weight:bold;padding:.2em 0}
.govopen-report table.cells th,.govopen-report table.cells td{border:1px solid #bbb;
padding:2px 6px;font-weight:normal}
.govopen-report table.cells thead th{font-size:.85em;vertical-align:bottom}
.govopen-report table.cells tbody th{text-align:left;font-size:.9em}
.govopen-report td.cell{text-align:right;font-variant-numeric:tabular-nums;min-width:2.5em}
.govopen-report td.cell a{color:inherit;text-decoration:none}
.govopen-report td.missing{text-align:center}
.govopen-report td.none{background:#fafafa}
.govopen-report .glyph{color:#8a5a00;font-weight:bold}
.govopen-report td.flagged{outline:2px solid #D55E00;outline-offset:-2px}
.govopen-report .legend .cell{display:inline-block;padding:0 6px;border:1px solid #bbb}
.govopen-report .identity.fails{color:#D55E00;font-weight:bold}
.govopen-report .identity.open{color:#888}
.govopen-report .identity .term{color:inherit}
.govopen-report .identity .term.missing{font-weight:bold}
.govopen-report .identities ul{list-style:none;padding-left:0;font-size:.9em}
.govopen-report .finding .severity{font-weight:bold}
.govopen-report .finding.error .severity{color:#D55E00}
.govopen-report .finding.warning .severity{color:#8a5a00}
.govopen-report .finding .rule{font-family:monospace}
.govopen-report :target,.govopen-report .hit{outline:3px solid #CC79A7;outline-offset:1px}
.govopen-report .ln.hit{background:#f3e0ec}
"""

_PAGE_CSS = """
body{margin:0}
.govopen-report .head{padding:.5em 1em;border-bottom:1px solid #ccc}
.govopen-report main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1em;
padding:0 1em}
.govopen-report main>div{max-height:calc(100vh - 1em);overflow:auto;position:sticky;top:0}
@media (max-width:900px){.govopen-report main{grid-template-columns:1fr}
.govopen-report main>div{max-height:none;position:static}}
.govopen-report .text{font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;
font-size:13px;white-space:pre-wrap;word-break:break-all;tab-size:4}
.govopen-report .ln{display:flex;gap:.6em}
.govopen-report .ln .no{color:#999;min-width:3em;text-align:right;flex:none;user-select:none}
.govopen-report .ln.read .no{color:#0072B2}
.govopen-report .ln .tx{flex:1}
.govopen-report a.src{color:inherit;text-decoration:none;border-bottom:1px solid #0072B2}
.govopen-report a.src.inferred{border-bottom-color:#E69F00}
.govopen-report .lang{float:right;color:#555}
"""

# Centres what a link points to in its pane and marks it and its line; the page works
# without it (links still jump, :target still marks). No < or & in it: it must stay
# well-formed XML as well as HTML.
_SCRIPT = """/*<![CDATA[*/
(function () {
  var marked = [];
  function mark() {
    marked.forEach(function (e) { e.classList.remove("hit"); });
    marked = [];
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) { return; }
    marked.push(target);
    var line = target.closest(".ln");
    if (line) { marked.push(line); }
    marked.forEach(function (e) { e.classList.add("hit"); });
    target.scrollIntoView({block: "center", inline: "nearest"});
  }
  window.addEventListener("hashchange", mark);
  mark();
})();
/*]]>*/"""


def report_html(report: Report, lang: str = "en") -> Html:
    """The report as an HTML fragment for a notebook: no script, styles inline or scoped."""
    check_lang(lang)
    ids = _Ids(report.meta.report_id)
    body = [header(report, lang), legend(lang)]
    if not report.cell_rows:
        body.append(el("p", None, word("no_tables", lang)))
    body += [tables(report, lang, ids, linked=False), identities(report, lang, ids),
             statistics(report, lang, ids, linked=False), findings(report, lang, ids)]
    return el("div", {"class": "govopen-report", "lang": lang},
              el("style", None, Html(_CSS)), *body)


def report_page(report: Report, lang: str = "en", index: str | None = None) -> Html:
    """The report as a page of its own: source text and tables side by side. ``index``:
    the name of the index page to link back to."""
    check_lang(lang)
    ids = _Ids(report.meta.report_id)
    side = [legend(lang)]
    if not report.cell_rows:
        side.append(el("p", None, word("no_tables", lang)))
    side += [tables(report, lang, ids, linked=True), identities(report, lang, ids),
             statistics(report, lang, ids, linked=True), findings(report, lang, ids)]
    top = header(report, lang)
    if index:
        top = join([el("p", {"class": "lang"}, el("a", {"href": index}, "index")), top])
    body = el("div", {"class": "govopen-report", "lang": lang}, top,
              el("main", None, el("div", None, source_text(report, lang, ids)),
                 el("div", None, *side)))
    return document(report.meta.title or report.meta.source, lang, body, script=True)


def document(title: str, lang: str, body: Html, script: bool = False) -> Html:
    """A whole page around ``body``: its styles inline, no external resource."""
    head = el("head", None, el("meta", {"charset": "utf-8"}),
              el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
              el("title", None, title), el("style", None, Html(_CSS + _PAGE_CSS)))
    parts = [body]
    if script:
        parts.append(el("script", None, Html(_SCRIPT)))
    return Html("<!DOCTYPE html>\n" + el("html", {"lang": lang}, head,
                                           el("body", None, *parts)) + "\n")


__all__ = ["Html", "esc", "el", "join", "report_html", "report_page", "document",
           "identity_checks", "number", "slug", "check_lang", "LANGS"]
