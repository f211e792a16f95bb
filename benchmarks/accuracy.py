"""How many gold cells ``parse_report`` gets right: one line per set of gold files.

    python -m benchmarks.accuracy [--shared ../shared] [--score PATH | --no-score]

In: sets of gold files, each a folder of ``NAME.json`` hand transcriptions beside a folder
holding the report ``NAME.<ext>`` they transcribe: the seeds in the repository
(``data/raw``, gold in ``tests/data/seed_gold``) and, where the development corpus sits
beside the repository (``--shared``), its seeds (``seeds``, ``seeds/gold``) and corpus
(``corpus/raw``, ``corpus/gold``). A set whose folders are absent is left out with a note.

Every number in a gold file's three standard tables (``active``/``requests``/``reviews``,
or ``section2``/``section3``/``section4`` as the corpus names them; null cells are not
scored) is one of: exact — ``parse_report`` gives the same number; wrong — it gives a
different one, the dangerous case; absent — it gives nothing, or the file raised. The
counts are those of ``../shared/tools/score.py`` (``--score``, used when that file exists):
it is run on each set and its summary read back. Without it the same rules are applied
here, so the figures do not depend on whether the corpus is present.

Out: ``NAME: files F, cells C, exact E, wrong W, absent A`` per set, and how many files
raised when any did. A low score is reported, never an error: this is a benchmark.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.goldfake import gold_cells

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Score:
    files: int = 0
    cells: int = 0
    exact: int = 0
    wrong: int = 0
    absent: int = 0
    crashed: int = 0

    def line(self, name: str) -> str:
        out = (f"{name}: files {self.files}, cells {self.cells}, exact {self.exact}, "
               f"wrong {self.wrong}, absent {self.absent}")
        return out + (f" ({self.crashed} files raised)" if self.crashed else "")


def gold_sets(shared: Path) -> list[tuple[str, Path, Path]]:
    """(name, gold folder, report folder) of every set of gold files."""
    return [("seeds (data/raw)", REPO / "tests" / "data" / "seed_gold", REPO / "data" / "raw"),
            (f"{shared}/seeds", shared / "seeds" / "gold", shared / "seeds"),
            (f"{shared}/corpus", shared / "corpus" / "gold", shared / "corpus" / "raw")]


def score_here(gold_dir: Path, raw_dir: Path) -> Score:
    import govopen

    total = Score()
    for gold_path in sorted(gold_dir.glob("*.json")):
        raws = sorted(p for p in raw_dir.glob(gold_path.stem + ".*") if p.suffix != ".json")
        if not raws:
            continue
        total.files += 1
        want = gold_cells(json.loads(gold_path.read_text(encoding="utf-8")))
        total.cells += len(want)
        try:
            cells = govopen.parse_report(raws[0]).cells
        except Exception:  # a file that raises has every cell absent
            total.crashed += 1
            total.absent += len(want)
            continue
        got = {(c.table, c.row, c.column): float(c.value)
               for c in cells.itertuples(index=False)
               if c.value is not None and not (isinstance(c.value, float) and math.isnan(c.value))}
        for key, value in want.items():
            if key not in got:
                total.absent += 1
            elif abs(got[key] - value) < 1e-6:
                total.exact += 1
            else:
                total.wrong += 1
    return total


REPORTS_LINE = re.compile(r"^reports (\d+), perfect \d+, crashed (\d+)", re.MULTILINE)
CELLS_LINE = re.compile(r"^cells (\d+): exact (\d+) wrong (\d+) absent (\d+)", re.MULTILINE)


def score_with(score_py: Path, gold_dir: Path, raw_dir: Path) -> Score:
    # score.py imports govopen from sys.path, whose first entry is score.py's own folder:
    # the repository goes first so that this checkout is the one scored.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]), "PYTHONUTF8": "1"}
    run = subprocess.run([sys.executable, str(score_py), str(gold_dir), str(raw_dir)],
                         cwd=REPO, env=env, capture_output=True, text=True, check=True)
    reports, cells = REPORTS_LINE.search(run.stdout), CELLS_LINE.search(run.stdout)
    if reports is None or cells is None:
        raise SystemExit(f"{score_py}: summary not understood:\n{run.stdout}{run.stderr}")
    files, crashed = map(int, reports.groups())
    n, exact, wrong, absent = map(int, cells.groups())
    return Score(files, n, exact, wrong, absent, crashed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the development corpus beside the repository (default ../shared)")
    ap.add_argument("--score", type=Path, default=None,
                    help="score.py to count with (default SHARED/tools/score.py, if present)")
    ap.add_argument("--no-score", action="store_true",
                    help="count here even where score.py is present")
    args = ap.parse_args(argv)
    score_py = None if args.no_score else (args.score or args.shared / "tools" / "score.py")
    if score_py is not None and not score_py.is_file():
        score_py = None
    print(f"scored by {score_py if score_py else 'benchmarks/accuracy.py'}")
    for name, gold_dir, raw_dir in gold_sets(args.shared):
        if not gold_dir.is_dir() or not raw_dir.is_dir():
            print(f"{name}: not present, left out")
            continue
        score = (score_with(score_py, gold_dir, raw_dir) if score_py
                 else score_here(gold_dir, raw_dir))
        print(score.line(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
