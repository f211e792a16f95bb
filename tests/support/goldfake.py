"""Reports made from hand-checked gold values, for tests that need exact inputs.

``gold_report(gold, report_id)`` turns one gold JSON (keys active/requests/reviews or
section2/section3/section4) into an object with ``parse_report``'s contract: ``.meta``,
``.cells``, ``.findings`` (the schema's identities, checked over the known cells).
``gold_cells(gold)`` gives every number a gold file holds, by (table, row, column).
``fake_parse_report(path)`` reads the file with ``govopen.read.sources.load`` (so empty and
binary files fail as they will in the real parser) and returns the gold report of those
bytes, or a report with no value for a page it has no gold for.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from govopen import schema
from govopen.parse.meta import ReportMeta
from govopen.read.sources import load

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "data" / "raw"
SEED_GOLD = REPO / "tests" / "data" / "seed_gold"
SHARED = REPO.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"

# the gold files' names for the three standard tables, and govopen's
GOLD_TABLES = {"active": "active", "section2": "active", "requests": "requests",
               "section3": "requests", "reviews": "reviews", "section4": "reviews"}


def sha16(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def seed_gold() -> dict[str, dict]:
    """Seed stem -> gold."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEED_GOLD.glob("*.json"))}


def _tables(gold: dict) -> dict[str, dict]:
    return {GOLD_TABLES[k]: v for k, v in gold.items() if k in GOLD_TABLES and isinstance(v, dict)}


def gold_cells(gold: dict) -> dict[tuple[str, str, str], float]:
    """Every number of a gold file's three tables; null cells (nobody can know them) and
    anything that is not a count are left out."""
    out = {}
    for table, rows in _tables(gold).items():
        for row, cols in rows.items():
            if not isinstance(cols, dict):
                continue
            for col, v in cols.items():
                # bool is an int to Python, and is no count
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    out[(table, row, col)] = float(v)
    return out


def _template(table: str, rows: dict) -> str | None:
    keys = set(rows)
    if table == "requests":
        return "2019" if "other" in keys else "2021"
    if table == "active":
        cols = {c for v in rows.values() if isinstance(v, dict) for c in v}
        return "2021" if cols & {"issued", "in_force"} else "2019"
    return None


def gold_report(gold: dict, report_id: str, source: str = "<gold>") -> GoldReport:
    tables = _tables(gold)
    templates = {t: _template(t, tables.get(t) or {}) for t in schema.TABLES}
    rows = []
    for name, table in schema.TABLES.items():
        block = tables.get(name) or {}
        template = templates[name] or "2021"  # section 四 is the same in both
        for row in table.row_keys(template):
            for col in schema.columns_for(name, row, template):
                v = (block.get(row) or {}).get(col)
                rows.append(dict(report_id=report_id, table=name, row=row, column=col,
                                 value=float(v) if v is not None else float("nan"),
                                 raw=None if v is None else str(v),
                                 status="parsed" if v is not None else "missing",
                                 line=None, note=None))
    cells = pd.DataFrame(rows)
    meta = ReportMeta(report_id, source, "text", agency=gold.get("agency"), year=gold.get("year"),
                      templates=templates)
    return GoldReport(meta, cells, identity_findings(cells, templates))


def identity_findings(cells: pd.DataFrame, templates: dict) -> pd.DataFrame:
    values = cells.set_index(["table", "row", "column"])["value"]
    out = []
    for table in ("requests", "reviews"):
        for ident in schema.identities(table, templates.get(table) or "2021"):
            got = [values.get((table, r, c)) for r, c in ident.cells]
            if any(v is None or pd.isna(v) for v in got):
                continue
            lhs = sum(values[(table, r, c)] for r, c in ident.lhs)
            rhs = sum(values[(table, r, c)] for r, c in ident.rhs)
            if lhs != rhs:
                row, col = ident.lhs[0]
                out.append(dict(report_id=cells["report_id"].iloc[0], rule=ident.rule,
                                severity="error", table=table, row=row, column=col,
                                message=f"{ident.description}: {lhs:g} ≠ {rhs:g}"))
    return pd.DataFrame(out, columns=["report_id", "rule", "severity", "table", "row",
                                      "column", "message"])


class GoldReport:
    def __init__(self, meta, cells, findings):
        self.meta, self.cells, self.findings = meta, cells, findings

    def table(self, name):
        t = self.cells[self.cells["table"] == name]
        return t.pivot(index="row", columns="column", values="value")


def _gold_by_id() -> dict[str, dict]:
    out = {sha16(SEEDS / f"{stem}.txt"): g for stem, g in seed_gold().items()}
    if SHARED_CORPUS.is_dir():
        for g in sorted((SHARED_CORPUS / "gold").glob("*.json")):
            for raw in (SHARED_CORPUS / "raw").glob(g.stem + ".*"):
                out[sha16(raw)] = json.loads(g.read_text(encoding="utf-8"))
    return out


GOLD_BY_ID = _gold_by_id()


def fake_parse_report(source):
    """The gold report of these bytes; no values for bytes without gold."""
    doc = load(source)
    gold = GOLD_BY_ID.get(doc.report_id, {})
    return gold_report(gold, doc.report_id, doc.source)


def gold_json_parser(path):
    """A gold JSON file, parsed as if it were the report it transcribes."""
    data = Path(path).read_bytes()
    report_id = hashlib.sha256(data).hexdigest()[:16]
    return gold_report(json.loads(data), report_id, str(path))


def troublesome_parser(path):
    """The real parser, except on files named to misbehave: 'bug' raises an unexpected
    exception, 'crash' kills the worker process outright, 'interrupt' is a Ctrl-C."""
    import os

    from govopen import parse_report

    name = Path(path).name
    if "crash" in name:
        os._exit(3)
    if "interrupt" in name:
        raise KeyboardInterrupt
    if "bug" in name:
        raise RuntimeError("an unexpected parser bug")
    return parse_report(path)
