"""govopen: exact, validated tables from Chinese Open Government Information annual reports.

>>> import govopen
>>> report = govopen.parse_report("data/raw/004_5e020ea6cd751a4c.txt")
>>> report.table("requests").loc["new_received", "total"]
27.0
"""

from .errors import ParseError
from .report import Report, parse_report

__all__ = ["ParseError", "Report", "parse_report"]
__version__ = "0.1.0"
