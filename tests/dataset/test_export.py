"""CSV written by govopen's fast path is byte for byte what pandas writes."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from govopen.dataset.export import csv_body

FLOATS = [0.0, -0.0, 12.0, 0.35, 1e-5, 1e16, 1e15, 999999999999999.0, 123456.789, -3.0,
          float("nan"), float("inf"), -float("inf"), 1 / 3, 2.5e-7, 5e15, 0.1 + 0.2]


def _frame(rng: random.Random, chars: list[str]) -> pd.DataFrame:
    def text():
        r = rng.random()
        if r < 0.1:
            return None
        if r < 0.15:
            return float("nan")
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))

    n = rng.randint(1, 30)
    return pd.DataFrame({
        "s": pd.array([text() for _ in range(n)], dtype="str"),
        "o": pd.Series([text() for _ in range(n)], dtype=object),
        "f": [rng.choice(FLOATS) if rng.random() < 0.7
              else rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-8, 12) for _ in range(n)],
        "i": pd.array([rng.choice([None, 0, -5, 123456789012]) for _ in range(n)], dtype="Int64"),
        "j": np.array([rng.randint(-10, 10) for _ in range(n)], dtype=np.int64),
        "b": np.array([rng.random() < 0.5 for _ in range(n)]),
    })


@pytest.mark.parametrize("chars", [
    ["a", "中", " ", "\t", "'", "|", "—", "（", "1"],  # nothing to quote: pyarrow writes it
    ["a", "中", ",", '"', "\n", "\r", " ", "\t", "\u2028", "'"],  # quotes where pandas does
])
@pytest.mark.slow
def test_csv_body_is_what_pandas_writes(chars):
    rng = random.Random(20250107)
    for _ in range(150):
        df = _frame(rng, chars)
        assert csv_body(df) == df.to_csv(index=False, header=False).encode("utf-8")


def test_csv_body_leaves_other_columns_to_pandas():
    df = pd.DataFrame({"when": pd.to_datetime(["2024-01-02", None]), "n": [1.5, 2.0],
                       "mixed": [1, "a"]})
    assert csv_body(df) == df.to_csv(index=False, header=False).encode("utf-8")
