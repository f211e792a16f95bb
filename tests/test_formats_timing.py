"""Extraction time per seed report and format (printed with the test run)."""

from __future__ import annotations

import time

import format_fixtures as ff

from govopen.sources import load

SEEDS = {p.stem[:3]: p for p in ff.SEEDS}

# --- timing ---------------------------------------------------------------------------------

def test_extraction_time_per_format(capsys):
    """Extraction time per seed and format (printed; a loose bound keeps it honest)."""
    report = []
    for key, path in sorted(SEEDS.items()):
        seed = ff.load_seed(path)
        files = {"html": ff.seed_html(seed).encode("utf-8"), "docx": ff.seed_docx(seed),
                 "pdf": ff.seed_pdf(seed)}
        for kind, data in files.items():
            start = time.perf_counter()
            load(data)
            elapsed = time.perf_counter() - start
            report.append((key, kind, len(data), elapsed))
            assert elapsed < 20, (key, kind, elapsed)
    with capsys.disabled():
        print("\nextraction time (seed, format, bytes, seconds):")
        for key, kind, size, elapsed in report:
            print(f"  {key} {kind:<4} {size:>8} {elapsed:7.3f}")
