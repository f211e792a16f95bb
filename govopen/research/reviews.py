"""The panel → the table of section 四: administrative reviews and lawsuits, by result.

In: a panel (``Dataset.panel``). Out: ``review_outcomes``, one row per kind of case
(administrative review, lawsuit without review, lawsuit after review): the cases by
result summed over the reports that give the whole row, cases concluded, and the
correction rate (corrected over concluded; pending cases left out, a rate with no
concluded case missing, never 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dataset.panel import reviews_col
from ..schema import REVIEW_PARTS, REVIEWS

CONCLUDED = tuple(p for p in REVIEW_PARTS if p != "pending")


def review_outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """Administrative reviews and the two kinds of lawsuit: cases by result (summed over
    reports with the whole row known), cases concluded, and the correction rate —
    corrected over concluded (upheld + corrected + other), pending cases left out."""
    rows = []
    for row in REVIEWS.rows:
        cols = [reviews_col(row.key, c.key) for c in REVIEWS.columns]
        known = panel[panel[cols].notna().all(axis=1)]
        sums = {c.key: int(known[reviews_col(row.key, c.key)].sum()) for c in REVIEWS.columns}
        concluded = sum(sums[p] for p in CONCLUDED)
        rows.append(dict(kind=row.key, **sums, concluded=concluded,
                         correction_rate=sums["corrected"] / concluded if concluded else np.nan,
                         reports=len(known),
                         reports_with_cases=int((known[reviews_col(row.key, "total")] > 0).sum()),
                         agencies=known["agency"].nunique()))
    return pd.DataFrame(rows).set_index("kind")
