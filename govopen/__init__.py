"""govopen: exact, validated tables from Chinese Open Government Information annual reports.

>>> import govopen
>>> report = govopen.parse_report("data/raw/004_5e020ea6cd751a4c.txt")
>>> report.table("requests").loc["new_received", "total"]
27.0
"""

from ._version import __version__
from .corpus import Corpus, read_corpus
from .dataset.folder import parse_to_folder
from .dataset.panel import build_panel
from .errors import ParseError
from .parse.report import Report, parse_report

__all__ = ["ParseError", "Report", "parse_report", "Corpus", "read_corpus", "parse_to_folder",
           "build_panel", "__version__"]
