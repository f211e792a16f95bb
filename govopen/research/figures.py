"""The notebooks' tables → figures: one function per figure, and deterministic PNG files.

In: the tables of ``govopen.research`` (``handling``, ``reviews``, ``models``, ``quality``)
or a ``Report``, and a label language. Out: matplotlib figures with a title, axis labels
and the sample size a reader needs without the code, in the Okabe–Ito colour-blind-safe
palette; ``save_figure(fig, name, folder)`` writes ``folder/name.png`` with no timestamp
or software version in it, so the same figure gives the same bytes on every run; ``show``
saves, closes and returns the image for a notebook to display.

Labels: English by default, so figures render with matplotlib's own fonts. ``lang="zh"``
uses the Chinese labels of the schema when a CJK font is installed and warns (then uses
English) when none is. Row, column, group and indicator labels come from
``govopen.schema`` and ``govopen.dataset.panel``; only the figures' own titles are written here.
"""

from __future__ import annotations

import os
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ..dataset.panel import GROUP_LABELS, INDICATORS
from ..schema import APPLICANT_COLUMNS, OUTCOME_GROUPS, REQUESTS, REVIEWS
from .labels import agency_codes

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7", "grey": "#999999", "black": "#000000"}
GROUP_COLOURS = dict(zip(OUTCOME_GROUPS, (OKABE_ITO["blue"], OKABE_ITO["vermillion"],
                                          OKABE_ITO["orange"], OKABE_ITO["purple"],
                                          OKABE_ITO["grey"]), strict=True))
PART_COLOURS = {"upheld": OKABE_ITO["blue"], "corrected": OKABE_ITO["vermillion"],
                "other": OKABE_ITO["grey"], "pending": OKABE_ITO["yellow"]}
KIND_COLOURS = {"exemption": OKABE_ITO["vermillion"], "practical": OKABE_ITO["sky_blue"]}
DPI = 120

# Names of fonts with Chinese glyphs that are common on Linux, macOS and Windows.
CJK_FONT = re.compile(r"CJK|Han Sans|Han Serif|WenQuanYi|Hei|Song|Kai|Ming|YaHei|PingFang|"
                      r"Noto Sans SC|Noto Serif SC|AR PL|Droid Sans Fallback|Source Han",
                      re.I)

# The figures' own words; everything else is a label of the schema.
TEXT = {
    "outcome_title": ("Outcome of requests handled, by year", "已办理申请的处理结果（按年度）"),
    "share_handled": ("Share of requests handled", "占已办理申请的比例"),
    "year": ("Statistics year", "统计年度"),
    "volume_title": ("New requests received each year", "每年新收政府信息公开申请数量"),
    "new_requests": ("New requests (sum over reports)", "新收申请（各报告合计）"),
    "applicant_title": ("Who asks: new requests by type of applicant", "申请人类型：新收申请"),
    "requests": ("Requests", "申请数"),
    "refusal_title": ("Why requests fail: exemptions and practical reasons",
                      "申请未获公开的原因：法定不予公开事由与实际原因"),
    "share_of_handled": ("Share of requests handled (%)", "占已办理申请（%）"),
    "exemption": ("statutory exemption", "法定不予公开事由"),
    "practical": ("practical reason (unable to provide, not processed)", "实际原因（无法提供／不予处理）"),
    "not_processed": ("Not processed (all five reasons)", "不予处理（五项合计）"),
    "all_levels": ("All levels", "全部层级"),
    "review_title": ("Administrative reviews and lawsuits: results", "行政复议与行政诉讼的结果"),
    "cases": ("Cases (sum over reports)", "案件数（各报告合计）"),
    "correction": ("corrected: {c} of {n} concluded ({r})", "纠正 {c} / 已审结 {n}（{r}）"),
    "no_concluded": ("no concluded case", "无已审结案件"),
    "spread_title": ("Disclosure rate of each agency in every year with requests",
                     "各机关各年度的公开率（有申请的年度）"),
    "agency_year": ("one agency-year (size: requests handled)", "一个机关年度（大小：已办理申请数）"),
    "pooled": ("all years pooled", "各年合计"),
    "effects_title": ("Year effects on the disclosure rate (agency fixed effects)",
                      "公开率的年度效应（控制机关固定效应）"),
    "effect": ("Difference from the first year, percentage points (95% CI, clustered by agency)",
               "与首年之差，百分点（95% 置信区间，按机关聚类）"),
    "breaks_title": ("Reports that break their own arithmetic", "勾稽关系不成立的报告"),
    "share_breaking": ("Share of reports", "报告占比"),
    "format": ("File format", "文件格式"),
    "level": ("Level", "行政层级"),
    "continuity_title": ("Reports and carry-over links, agency by year",
                         "各机关各年度的报告与结转衔接"),
    "holds": ("identities hold", "勾稽关系成立"),
    "breaks": ("an identity fails", "勾稽关系不成立"),
    "no_report": ("no report", "无报告"),
    "link_differs": ("× carry-over differs from last year", "× 结转与上年不一致"),
    "report_title": ("Where the requests went: the {year} report of {agency}", "申请的去向：{agency} {year}年"),
    "n_report": ("one report; {n:g} requests handled", "一份报告；已办理申请 {n:g} 件"),
    "agency": ("Agency", "机关"),
    "events_title": ("Before and after the 2019 revision, by statistics year",
                     "2019 年修订前后（按统计年度）"),
    "event_time": ("Years since the 2019 revision (0 = statistics year 2019)",
                   "距 2019 年修订的年数（0 = 2019 统计年度）"),
    "break": ("2019: revised Regulations, new template", "2019：新条例与新模板"),
    "long_title": ("The longer view: statistics years {first}–{last}, across the 2019 revision",
                   "更长时段：{first}–{last} 统计年度，跨越 2019 年修订"),
    "per_report": ("per report", "每份报告"),
    "era_mean": ("mean of the era", "时期均值"),
    "not_joined": ("not comparable: two series, not joined", "不可比：分为两个序列，不连接"),
    "mix_title": ("Requests handled before and after the revision, by reply",
                  "修订前后已办理申请的答复结构"),
    "granted": ("granted in full or in part", "同意公开或部分公开"),
    "refused": ("refused (definitions differ before and after)", "不予公开（前后口径不同）"),
    "other_replies": ("everything else", "其他"),
}


def text(key: str, lang: str = "en") -> str:
    en, zh = TEXT[key]
    return zh if lang == "zh" else en


# --- language and fonts -----------------------------------------------------------------

def cjk_fonts() -> list[str]:
    """Installed font families that can show Chinese, as matplotlib finds them."""
    return sorted({f.name for f in font_manager.fontManager.ttflist if CJK_FONT.search(f.name)})


def use_language(lang: str = "en") -> str:
    """The label language figures will use: 'zh' only when a CJK font is installed
    (that font is then put first); otherwise a warning and 'en'."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang: {lang!r}; use 'en' or 'zh'")
    if lang == "en":
        return "en"
    fonts = cjk_fonts()
    if not fonts:
        warnings.warn("lang='zh' but no font with Chinese characters is installed "
                      "(e.g. Noto Sans CJK: apt-get install fonts-noto-cjk); "
                      "the figures use English labels", stacklevel=2)
        return "en"
    plt.rcParams["font.sans-serif"] = [fonts[0], *plt.rcParams["font.sans-serif"]]
    plt.rcParams["axes.unicode_minus"] = False
    return "zh"


def short_zh(label: str) -> str:
    """A row's Chinese label without its numbering: '（三）不予公开 1.属于国家秘密' → '属于国家秘密'."""
    label = re.sub(r"^.*?\d\.", "", label)
    return re.sub(r"^[一二三四五六七八九十]、|^（[一二三四五六七八九十]）", "", label).strip()


def row_label(row: str, lang: str = "en") -> str:
    r = REQUESTS.row(row)
    return short_zh(r.zh) if lang == "zh" else r.en


def group_label(group: str, lang: str = "en") -> str:
    zh, en = GROUP_LABELS[group]
    return zh if lang == "zh" else en


def applicant_label(column: str, lang: str = "en") -> str:
    c = REQUESTS.column(column)
    return c.zh if lang == "zh" else c.en


def review_label(row: str, lang: str = "en") -> str:
    r = REVIEWS.row(row)
    return r.zh if lang == "zh" else r.en


def part_label(column: str, lang: str = "en") -> str:
    c = REVIEWS.column(column)
    return c.zh if lang == "zh" else c.en


def indicator_label(key: str, lang: str = "en") -> str:
    ind = next(i for i in INDICATORS if i.key == key)
    return ind.zh if lang == "zh" else ind.en


# --- drawing and saving -----------------------------------------------------------------

@contextmanager
def _style():
    with plt.rc_context({"axes.spines.top": False, "axes.spines.right": False,
                         "axes.titlelocation": "left", "axes.titlesize": 12,
                         "axes.titleweight": "bold", "axes.labelsize": 10,
                         "legend.frameon": False, "figure.dpi": DPI,
                         "svg.hashsalt": "govopen"}):
        yield


def _finish(fig, ax, title: str, sample: str) -> None:
    ax.set_title(title, pad=22)
    ax.text(0, 1.02, sample, transform=ax.transAxes, fontsize=9, color="#444444", va="bottom")
    fig.tight_layout()


def save_figure(fig, name: str, folder: str | os.PathLike = "reports/figures") -> Path:
    """Write ``fig`` to ``folder/name.png`` with deterministic bytes and close it."""
    path = Path(folder) / (name if name.endswith(".png") else f"{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None},
                pil_kwargs={"optimize": False}, facecolor="white")
    plt.close(fig)
    return path


def show(fig, name: str, folder: str | os.PathLike = "reports/figures"):
    """Save with ``save_figure`` and return the saved PNG for a notebook to display, its
    title as the image's alternative text."""
    from IPython.display import Image

    alt = describe(fig)
    return Image(filename=str(save_figure(fig, name, folder)), alt=alt)


def describe(fig) -> str:
    """The figure's title and the sample size under it, as one line of text."""
    parts = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    for ax in fig.axes:
        parts += [t for t in (ax.get_title("left"), ax.get_title()) if t]
        parts += [t.get_text() for t in ax.texts if t.get_text().startswith(("n = ", "one "))]
    parts += [t.get_text() for t in fig.texts if t.get_text().startswith("n = ")]
    return "; ".join(dict.fromkeys(p for p in parts if p))


def _pct(ax, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0))


# --- section 三 -------------------------------------------------------------------------

def plot_outcome_shares(shares: pd.DataFrame, sample: str, lang: str = "en"):
    """100 % stacked bars: the share of each outcome group among requests handled, by year,
    with the number of requests under each bar."""
    with _style():
        fig, ax = plt.subplots(figsize=(8, 4.6))
        x = np.arange(len(shares))
        bottom = np.zeros(len(shares))
        for g in OUTCOME_GROUPS:
            v = shares[g].to_numpy(dtype=float)
            ax.bar(x, v, bottom=bottom, color=GROUP_COLOURS[g], label=group_label(g, lang),
                   width=0.7, edgecolor="white", linewidth=0.5)
            bottom += v
        labels = [f"{y}\n{'n='}{r}" for y, r in zip(shares.index, shares["requests"],
                                                     strict=True)]
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 1)
        _pct(ax)
        ax.set_ylabel(text("share_handled", lang))
        ax.set_xlabel(text("year", lang) + ("（n = 已办理申请数）" if lang == "zh"
                                            else " (n = requests handled)"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
        _finish(fig, ax, text("outcome_title", lang), sample)
    return fig


def plot_request_volume(volume: pd.DataFrame, sample: str, lang: str = "en"):
    """Bars: new requests per year; the number of reports above each bar."""
    with _style():
        fig, ax = plt.subplots(figsize=(8, 4.2))
        x = volume.index.astype(int).astype(str)
        bars = ax.bar(x, volume["new_requests"].fillna(0), color=OKABE_ITO["blue"], width=0.65)
        for b, n, none in zip(bars, volume["reports"], volume["reports_with_none"], strict=True):
            word = (f"{n} 份报告\n{none} 份为 0" if lang == "zh"
                    else f"{n} report{'s' if n != 1 else ''}\n{none} with none")
            ax.annotate(word, (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                        textcoords="offset points")
        ax.set_ylabel(text("new_requests", lang))
        ax.set_xlabel(text("year", lang))
        ax.margins(y=0.2)
        _finish(fig, ax, text("volume_title", lang), sample)
    return fig


def plot_applicants(applicants: pd.DataFrame, sample: str, lang: str = "en"):
    """Horizontal bars: new requests by the six applicant types, pooled."""
    row = applicants.iloc[0]
    with _style():
        fig, ax = plt.subplots(figsize=(8, 3.6))
        cols = list(APPLICANT_COLUMNS)[::-1]
        values = [row[c] for c in cols]
        bars = ax.barh([applicant_label(c, lang) for c in cols], values,
                       color=OKABE_ITO["sky_blue"])
        total = np.nansum(values)
        for b, v in zip(bars, values, strict=True):
            ax.annotate(f"{v:g} ({v / total:.0%})" if total else f"{v:g}",
                        (b.get_width(), b.get_y() + b.get_height() / 2), va="center",
                        fontsize=8, xytext=(3, 0), textcoords="offset points")
        ax.set_xlabel(text("requests", lang))
        ax.margins(x=0.15)
        unknown = int(applicants["unknown_cells"].iloc[0])
        if unknown:
            sample += (f"; {unknown} 个单元格未知" if lang == "zh"
                       else f"; {unknown} cells unknown, not counted")
        _finish(fig, ax, text("applicant_title", lang), sample)
    return fig


def plot_refusal_reasons(reasons: pd.DataFrame, by_level: pd.DataFrame | None = None,
                         lang: str = "en"):
    """Horizontal bars: the share of requests handled refused on each exemption and for
    each practical reason, pooled, and one panel per level when there are several."""
    if by_level is not None and by_level["group"].nunique() > 1:
        reasons = pd.concat([reasons, by_level], ignore_index=True)
    groups = list(dict.fromkeys(reasons["group"]))
    with _style():
        fig, axes = plt.subplots(1, len(groups), figsize=(8 if len(groups) == 1 else 11, 5.2),
                                 sharey=True, squeeze=False)
        for ax, g in zip(axes[0], groups, strict=True):
            part = reasons[reasons["group"] == g].iloc[::-1]
            labels = [text("not_processed", lang) if r == "not_processed" else row_label(r, lang)
                      for r in part["reason"]]
            bars = ax.barh(labels, part["share"] * 100,
                           color=[KIND_COLOURS[k] for k in part["kind"]])
            for b, n in zip(bars, part["requests"], strict=True):
                ax.annotate(f"{n}", (b.get_width(), b.get_y() + b.get_height() / 2),
                            va="center", fontsize=8, xytext=(3, 0), textcoords="offset points")
            ax.set_xlabel(text("share_of_handled", lang))
            ax.margins(x=0.15)
            first = part.iloc[0]
            name = (text("all_levels", lang) if g == "all" else str(g)) if len(groups) > 1 \
                else ""
            ax.set_title(name, fontsize=11, pad=22)
            ax.text(0, 1.02, f"n = {first['handled']} "
                    + ("已办理申请；" if lang == "zh" else "requests handled; ")
                    + f"{first['reports']} " + ("份报告，" if lang == "zh" else "reports, ")
                    + f"{first['agencies']} " + ("个机关" if lang == "zh" else "agencies"),
                    transform=ax.transAxes, fontsize=9, color="#444444", va="bottom")
        from matplotlib.patches import Patch

        handles = [Patch(color=KIND_COLOURS[k], label=text(k, lang)) for k in KIND_COLOURS]
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9,
                   bbox_to_anchor=(0.5, 0.0))
        fig.suptitle(text("refusal_title", lang), x=0.01, ha="left", fontweight="bold")
        fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


# --- section 四 -------------------------------------------------------------------------

def plot_review_outcomes(outcomes: pd.DataFrame, sample: str, lang: str = "en"):
    """Stacked horizontal bars: cases by result for reviews and both kinds of lawsuit,
    with each correction rate and its denominator (concluded cases)."""
    parts = list(PART_COLOURS)
    with _style():
        fig, ax = plt.subplots(figsize=(8.5, 3.8))
        kinds = list(outcomes.index)[::-1]
        y = np.arange(len(kinds))
        left = np.zeros(len(kinds))
        for part in parts:
            v = outcomes.loc[kinds, part].to_numpy(dtype=float)
            ax.barh(y, v, left=left, color=PART_COLOURS[part], label=part_label(part, lang),
                    edgecolor="white", linewidth=0.5)
            left += v
        for yi, k in zip(y, kinds, strict=True):
            r = outcomes.loc[k]
            note = (text("correction", lang).format(c=int(r["corrected"]), n=int(r["concluded"]),
                                                     r=f"{r['correction_rate']:.0%}")
                    if r["concluded"] else text("no_concluded", lang))
            ax.annotate(note, (left[yi], yi), va="center", fontsize=8, xytext=(4, 0),
                        textcoords="offset points")
        ax.set_yticks(y, [review_label(k, lang) for k in kinds])
        ax.set_xlabel(text("cases", lang))
        ax.set_xlim(0, max(left.max(), 1) * 1.9)
        ax.legend(loc="lower right", fontsize=9, ncol=2)
        _finish(fig, ax, text("review_title", lang), sample)
    return fig


# --- across agencies and the model ------------------------------------------------------

def _agency_name(agency: str, codes: dict, lang: str) -> str:
    return agency if lang == "zh" else codes.get(agency, agency)


def plot_disclosure_spread(panel: pd.DataFrame, by_agency: pd.DataFrame, sample: str,
                           lang: str = "en"):
    """One row per agency (grouped by level): each year's disclosure rate as a dot sized
    by requests handled, and the pooled rate as a black bar."""
    rates = panel.dropna(subset=["disclosure_rate"])
    order = by_agency.dropna(subset=["disclosure_rate"])
    order = order.sort_values(["level", "disclosure_rate"], ascending=[True, True])
    agencies = list(order.index)
    with _style():
        fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(agencies) + 1.8))
        pos = {a: i for i, a in enumerate(agencies)}
        handled = rates["requests_total"].to_numpy(dtype=float)
        ax.scatter(rates["disclosure_rate"], rates["agency"].map(pos), s=12 + 6 * np.sqrt(handled),
                   color=OKABE_ITO["sky_blue"], alpha=0.8, edgecolor=OKABE_ITO["blue"],
                   label=text("agency_year", lang), zorder=2)
        ax.scatter(order["disclosure_rate"], range(len(agencies)), marker="|", s=300,
                   color="black", label=text("pooled", lang), zorder=3)
        codes = agency_codes(panel)
        ax.set_yticks(range(len(agencies)), [
            f"{_agency_name(a, codes, lang)} ({order.at[a, 'level']}, "
            f"n={int(order.at[a, 'requests_handled'])})" for a in agencies])
        ax.set_xlim(-0.05, 1.05)
        _pct(ax, "x")
        ax.set_xlabel(indicator_label("disclosure_rate", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncol=2, fontsize=9)
        _finish(fig, ax, text("spread_title", lang), sample)
    return fig


def plot_year_effects(table: pd.DataFrame, sample: str, lang: str = "en"):
    """Point and 95 % interval of each year effect of the panel model."""
    with _style():
        fig, ax = plt.subplots(figsize=(8, 3.8))
        y = np.arange(len(table))[::-1]
        ax.errorbar(table["coef"], y, xerr=1.96 * table["se"], fmt="o",
                    color=OKABE_ITO["blue"], ecolor=OKABE_ITO["sky_blue"], capsize=3)
        ax.axvline(0, color="#666666", lw=0.8)
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:+.0f}" if v else "0"))
        ax.set_yticks(y, table["term"])
        ax.set_xlabel(text("effect", lang))
        _finish(fig, ax, text("effects_title", lang), sample)
    return fig


# --- report quality ---------------------------------------------------------------------

def plot_identity_breaks(tables: dict[str, pd.DataFrame], sample: str, lang: str = "en"):
    """Bars of the share of reports that break an identity, one panel per breakdown
    (year, level, format), with 'k/n' above each bar."""
    with _style():
        widths = [max(len(t), 2) for t in tables.values()]
        fig, axes = plt.subplots(1, len(tables), figsize=(10, 3.8), sharey=True,
                                 gridspec_kw={"width_ratios": widths}, squeeze=False)
        for ax, (by, t) in zip(axes[0], tables.items(), strict=True):
            names = [str(int(i)) if isinstance(i, (int, np.integer, float)) and by == "year"
                     else str(i) for i in t.index]
            bars = ax.bar(names, t["share"], color=OKABE_ITO["vermillion"], width=0.6)
            for b, k, n in zip(bars, t["breaking"], t["reports"], strict=True):
                ax.annotate(f"{k}/{n}", (b.get_x() + b.get_width() / 2, b.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                            textcoords="offset points")
            ax.set_xlabel(text(by, lang) if by in TEXT else by)
            ax.tick_params(axis="x", labelsize=8)
        axes[0][0].set_ylabel(text("share_breaking", lang))
        axes[0][0].set_ylim(0, 1)
        _pct(axes[0][0])
        fig.suptitle(text("breaks_title", lang), x=0.01, ha="left", fontweight="bold")
        fig.text(0.01, 0.9, sample, fontsize=9, color="#444444")
        fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig


def plot_continuity(panel: pd.DataFrame, links: pd.DataFrame, sample: str, lang: str = "en"):
    """Agency × year tiles: a report whose identities hold, one that breaks one, or no
    report; × marks a year whose carried-over requests differ from last year's carried
    forward. The number in a tile is the requests carried forward to the next year."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    agencies = sorted(panel["agency"].unique())
    years = list(range(int(panel["year"].min()), int(panel["year"].max()) + 1))
    grid = np.zeros((len(agencies), len(years)))
    for r in panel.itertuples():
        grid[agencies.index(r.agency), years.index(int(r.year))] = 1 if r.identities_hold else 2
    with _style():
        fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(agencies) + 1.9))
        cmap = ListedColormap(["#EEEEEE", OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"]])
        ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="auto")
        for r in panel.itertuples():
            v = r.requests_carried_forward
            if pd.notna(v):
                ax.text(years.index(int(r.year)), agencies.index(r.agency), f"{v:g}",
                        ha="center", va="center", fontsize=8)
        for r in links[links["link"] == "differs"].itertuples():
            ax.text(years.index(r.year) - 0.5, agencies.index(r.agency), "×", ha="center",
                    va="center", fontsize=14, color="black")
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        codes = agency_codes(panel)
        ax.set_yticks(range(len(agencies)), [_agency_name(a, codes, lang) for a in agencies])
        ax.set_ylabel(text("agency", lang))
        ax.set_xlabel(text("year", lang))
        for s in ax.spines.values():
            s.set_visible(False)
        handles = [Patch(color=OKABE_ITO["sky_blue"], label=text("holds", lang)),
                   Patch(color=OKABE_ITO["vermillion"], label=text("breaks", lang)),
                   Patch(color="#EEEEEE", label=text("no_report", lang))]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.12), ncol=3,
                  fontsize=9)
        _finish(fig, ax, text("continuity_title", lang), sample)
    return fig


def plot_report_requests(report, lang: str = "en"):
    """One report: requests handled by outcome row (rows with none left out), coloured by
    outcome group."""
    t = report.table("requests")
    rows = [r for r in REQUESTS.rows if r.group and r.key in t.index
            and pd.notna(t.loc[r.key, "total"]) and t.loc[r.key, "total"] > 0]
    handled = t.loc["total", "total"] if "total" in t.index else np.nan
    with _style():
        fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(rows), 2) + 1.8))
        labels = [row_label(r.key, lang) for r in rows][::-1]
        values = [t.loc[r.key, "total"] for r in rows][::-1]
        colours = [GROUP_COLOURS[r.group] for r in rows][::-1]
        bars = ax.barh(labels, values, color=colours)
        for b, v in zip(bars, values, strict=True):
            ax.annotate(f"{v:g}", (b.get_width(), b.get_y() + b.get_height() / 2),
                        va="center", fontsize=9, xytext=(3, 0), textcoords="offset points")
        from matplotlib.patches import Patch

        used = list(dict.fromkeys(r.group for r in rows))
        ax.legend(handles=[Patch(color=GROUP_COLOURS[g], label=group_label(g, lang))
                           for g in used], loc="lower right", fontsize=9)
        ax.set_xlabel(text("requests", lang))
        ax.margins(x=0.12)
        m = report.meta
        agency = (m.agency or m.county or "" if lang == "zh"
                  else f"division {m.adcode or '?'}")
        _finish(fig, ax, text("report_title", lang).format(agency=agency, year=m.year),
                text("n_report", lang).format(n=handled))
    return fig


# --- the 2019 revision ------------------------------------------------------------------

def plot_revision_events(yearly: pd.DataFrame, series, sample: str, lang: str = "en",
                         break_year: int = 2019, x: str = "event_time"):
    """Event-study style: one panel per series, its value by event time (statistics year
    − ``break_year``), the break marked between −1 and 0 and each era's pooled mean as a
    flat line. A series that is not comparable (``yearly.segment`` before/after) is drawn
    as two series in different colours, never joined across the break. ``x="year"``
    draws the same by statistics year, the break between ``break_year`` − 1 and
    ``break_year``, under a title naming the years: a notebook's longer view."""
    from matplotlib.ticker import MaxNLocator

    if x not in ("event_time", "year"):
        raise ValueError(f"x: {x!r}; use 'event_time' or 'year'")
    cut = -0.5 if x == "event_time" else break_year - 0.5

    n = len(series)
    cols = 2
    rows = (n + cols - 1) // cols
    with _style():
        fig, axes = plt.subplots(rows, cols, figsize=(9, 2.5 * rows + 0.9), squeeze=False)
        for ax, s in zip(axes.flat, series, strict=False):
            d = yearly[yearly["series"] == s.key].sort_values(x)
            parts = ([("joined", OKABE_ITO["blue"])] if s.comparable else
                     [("before", OKABE_ITO["orange"]), ("after", OKABE_ITO["blue"])])
            for segment, colour in parts:
                seg = d[d["segment"] == segment]
                for _era, side in seg.groupby("era"):
                    ax.plot(side[x], side["value"], marker="o", ms=4, lw=1.2,
                            color=colour)
                    known = side[side["value"].notna()]
                    if len(known):  # the era's mean, weighted as the pooled values are
                        ax.hlines(_era_mean(known, s.kind), known[x].min() - 0.3,
                                  known[x].max() + 0.3, colors=colour,
                                  linestyles=":", lw=1)
            ax.axvline(cut, color=OKABE_ITO["vermillion"], lw=1.2, ls="--")
            label = s.zh if lang == "zh" else s.en
            if s.kind == "count":
                label += f" ({text('per_report', lang)})"
            ax.set_title(label, fontsize=10, pad=4)
            if not s.comparable:
                ax.text(0.02, 0.92, text("not_joined", lang), transform=ax.transAxes,
                        fontsize=8, color="#444444", va="top")
            if s.kind == "rate":
                _pct(ax)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.margins(y=0.15)
            if x == "year" and len(yearly):  # every panel on the same years
                ax.set_xlim(yearly["year"].min() - 0.7, yearly["year"].max() + 0.7)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        for ax in list(axes.flat)[max(n - cols, 0):n]:
            ax.set_xlabel(text(x if x == "event_time" else "year", lang), fontsize=8)
        axes.flat[0].text(cut + 0.05, 1.0, text("break", lang), transform=axes.flat[0].get_xaxis_transform(),
                          fontsize=7, color=OKABE_ITO["vermillion"], va="top")
        title = text("events_title", lang)
        if x == "year" and len(yearly):
            title = text("long_title", lang).format(first=int(yearly["year"].min()),
                                                    last=int(yearly["year"].max()))
        # title, sample and panels a fixed distance from the top, however many rows
        height = fig.get_figheight()
        fig.suptitle(title, x=0.01, y=1 - 0.168 / height, ha="left", fontweight="bold",
                     fontsize=12)
        fig.text(0.01, 1 - 0.378 / height, sample, fontsize=9, color="#444444", va="top")
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.588 / height))
    return fig


def _era_mean(rows: pd.DataFrame, kind: str) -> float:
    if kind == "count":
        return float(rows["total"].sum() / rows["reports"].sum())
    return float(rows["total"].sum() / rows["base"].sum())


def plot_reply_mix(mix: pd.DataFrame, sample: str, lang: str = "en"):
    """100 % bars, one per era: the requests handled granted, refused and the rest, with
    the requests behind each bar; the refused part hatched, its definition changed."""
    with _style():
        fig, ax = plt.subplots(figsize=(7, 3.4))
        y = np.arange(len(mix))
        left = np.zeros(len(mix))
        parts = (("granted", GROUP_COLOURS["granted"], ""),
                 ("refused", GROUP_COLOURS["denied"], "//"),
                 ("other", OKABE_ITO["grey"], ""))
        labels = {"granted": "granted", "refused": "refused", "other": "other_replies"}
        for key, colour, hatch in parts:
            v = mix[key].fillna(0).to_numpy(dtype=float)
            ax.barh(y, v, left=left, color=colour, hatch=hatch, edgecolor="white",
                    label=text(labels[key], lang), height=0.6)
            for yi, (l0, vi) in enumerate(zip(left, v, strict=True)):
                if vi >= 0.06:
                    ax.text(l0 + vi / 2, yi, f"{vi:.0%}", ha="center", va="center",
                            fontsize=9, color="white")
            left += v
        ticks = [f"{era}\n(n = {h:g})" for era, h in zip(mix.index, mix["handled"], strict=True)]
        ax.set_yticks(y, ticks)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        _pct(ax, "x")
        ax.set_xlabel(text("share_handled", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.22), ncol=2, fontsize=8)
        _finish(fig, ax, text("mix_title", lang), sample)
    return fig
