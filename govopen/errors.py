"""The one exception govopen raises for input it cannot use."""

from __future__ import annotations


class ParseError(ValueError):
    """A file that cannot be read as a report; says which file and why."""

    def __init__(self, source: str, reason: str, hint: str = ""):
        self.source = source
        self.reason = reason
        self.hint = hint
        super().__init__(f"{source}: {reason}" + (f" — {hint}" if hint else ""))
