"""govopen: exact, validated tables from Chinese Open Government Information annual reports.

>>> import govopen
>>> report = govopen.parse_report("data/raw/004_5e020ea6cd751a4c.txt")
>>> report.table("requests").loc["new_received", "total"]
27.0
"""

from .corpus import Corpus, read_corpus
from .errors import ParseError
from .folder import parse_to_folder
from .panel import build_panel
from .report import Report, parse_report

__all__ = ["ParseError", "Report", "parse_report", "Corpus", "read_corpus", "parse_to_folder",
           "build_panel"]
__version__ = "0.1.0"
