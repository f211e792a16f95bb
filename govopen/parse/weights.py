"""What placement and its integer program share: how much a broken identity costs, and
the order in which a cell's alternative values are listed.

In: an ``Identity`` (``weight``) or a value (``value_order``). Out: a number or sort key.
"""

from __future__ import annotations

from ..schema import Identity

ROW_RULES = ("row_total", "review_total")  # identities local to one printed row


def weight(ident: Identity) -> int:
    """What breaking ``ident`` costs a solution."""
    # A row's own total is the most local evidence: it outweighs any number of column sums.
    return 1000 if ident.rule in ROW_RULES else 1


def value_order(v):
    """Sort key of a cell's alternative values: ascending, an unknown (None) last."""
    return (v is None, v if v is not None else 0)
