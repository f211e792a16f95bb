"""govopen: exact, validated tables from Chinese Open Government Information annual reports."""

from .errors import ParseError

__all__ = ["ParseError"]
__version__ = "0.1.0"
