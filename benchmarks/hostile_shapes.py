"""Time and memory of parsing two hostile shapes of input, each in a fresh process.

What it builds (in a temporary folder): a text file of ``--mib`` MiB of random numbers,
spaces and line breaks with a few Chinese words among them (``numbers``); the same after
a report's title and the headings 一 and 三 (``headed``); the same again cut to just under
``sources.LONG_TEXT_CHARS`` characters (``headed_short``), the longest such text still
read in full; and an ordinary generated report whose row 一、本年新收… prints a run of
5,000 digits in one cell (``long_run``).

What it measures, for each: wall time of ``govopen.parse_report`` and the growth of the
process's peak resident memory over its peak after importing govopen, also as a multiple
of the file's size; and what came out (the report, or the error). The first line, an
ordinary report, shows what any first parse adds (the region table, SciPy): a file that
grows the peak by no more than that costs nothing of its own that shows.
Run from the repository root:

    .venv/bin/python -m benchmarks.hostile_shapes --mib 20

``--package DIR`` parses with the govopen found in DIR instead (a checkout of an older
commit, say), to compare.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support import synth

HERE = Path(__file__).resolve().parent

HEAD = ("某某局2021年政府信息公开工作年度报告\n一、总体情况\n本机关认真贯彻落实政府信息公开工作要求。\n"
        "三、收到和处理政府信息公开申请情况\n")
LONG_TEXT_CHARS = 1_000_000  # as sources.LONG_TEXT_CHARS; the older packages lack it

RUN = r"""
import json, re, sys, time
sys.path.insert(0, sys.argv[1])  # the govopen to measure: this one or an older one
import govopen
def peak():  # this process's own high-water mark (ru_maxrss carries the parent's over exec)
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
base = peak()
start = time.perf_counter()
try:
    r = govopen.parse_report(sys.argv[2])
    f = r.findings
    out = f"{r!r}; findings on new_received: {sorted(set(f[f.row == 'new_received'].rule))}"
except Exception as e:
    out = f"{type(e).__name__}: {str(e)[:160]}"
seconds = time.perf_counter() - start
grew = (peak() - base) * 1024
print(json.dumps(dict(seconds=seconds, grew=grew, base=base * 1024, out=out)))
"""


def numbers(rng: random.Random, size: int) -> str:
    parts, n = [], 0
    while n < size:
        s = str(rng.randint(0, 10 ** rng.randint(1, 8)))
        parts.append(s + rng.choice(" \n  \t"))
        n += len(s) + 1
        if rng.random() < 0.001:
            w = rng.choice(("申请", "件", "合计", "其他"))
            parts.append(w)
            n += len(w.encode())
    return "".join(parts)


def long_run() -> str:
    text = synth.report(1, "tabs", clutter=False).data
    label = "一、本年新收政府信息公开申请数量"
    line = text.index(label)
    end = text.index("\n", line)
    cells = text[line:end].split("\t")
    cells[4] = "9" * 5000
    return text[:line] + "\t".join(cells) + text[end:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mib", type=float, default=20, help="size of the files of numbers")
    ap.add_argument("--package", default=str(HERE.parent), help="folder holding govopen/")
    args = ap.parse_args()
    rng = random.Random(7)
    body = numbers(rng, int(args.mib * 2**20))
    with tempfile.TemporaryDirectory() as tmp:
        files = {"ordinary": synth.report(3, "tabs", clutter=False).data, "numbers": body, "headed": HEAD + body,
                 "headed_short": (HEAD + body)[:LONG_TEXT_CHARS - 1], "long_run": long_run()}
        for name, text in files.items():
            path = Path(tmp, f"{name}.txt")
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size
            done = subprocess.run([sys.executable, "-c", RUN, args.package, str(path)], capture_output=True, text=True, check=True)
            m = json.loads(done.stdout.strip().splitlines()[-1])
            times = f"{m['grew'] / size:5.1f}× the file" if size > 2**20 else "the file is small"
            print(f"{name:<13} {size / 2**20:6.2f} MiB  {m['seconds']:6.2f} s  peak memory "
                  f"+{m['grew'] / 2**20:5.0f} MiB ({times}) over {m['base'] / 2**20:.0f} MiB "
                  f"after importing govopen\n    {m['out']}", flush=True)


if __name__ == "__main__":
    main()
