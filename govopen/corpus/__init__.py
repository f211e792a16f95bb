"""Many files → a ``Corpus``: the third layer.

In: paths of report files and folders. Out: a ``Corpus`` of DataFrames (reports, cells,
findings, sections, facts, statistics) whose columns ``govopen.fields`` defines.

``inputs`` lists the files and hashes their bytes; ``batch`` parses each (in worker
processes, ``engines``) and gathers the results (``result``) into the tables of
``tables``, keeping them in a ``cache`` keyed by content hash; ``checks`` runs the checks
that need several files (duplicates, one agency and year twice, the carry-over of pending
requests, the 历年累计 of the pre-2019 statistics).
"""

from ..fields import (
    CELL_COLUMNS,
    CELL_FIELDS,
    FACT_COLUMNS,
    FACT_FIELDS,
    FINDING_COLUMNS,
    FINDING_FIELDS,
    REPORT_COLUMNS,
    REPORT_FIELDS,
    SECTION_COLUMNS,
    SECTION_FIELDS,
    STATISTIC_TABLE_COLUMNS,
    STATISTIC_TABLE_FIELDS,
    STATUSES,
    Field,
)
from .batch import Batch, read_corpus, run_batch
from .cache import ResultCache
from .checks import CORPUS_RULES, agency_key
from .inputs import list_inputs
from .tables import Corpus, StoredCorpus

__all__ = ["Corpus", "StoredCorpus", "Batch", "read_corpus", "run_batch", "ResultCache",
           "list_inputs", "agency_key", "CORPUS_RULES", "Field", "STATUSES", "REPORT_FIELDS",
           "CELL_FIELDS", "FINDING_FIELDS", "SECTION_FIELDS", "FACT_FIELDS",
           "STATISTIC_TABLE_FIELDS", "REPORT_COLUMNS", "CELL_COLUMNS", "FINDING_COLUMNS",
           "SECTION_COLUMNS", "FACT_COLUMNS", "STATISTIC_TABLE_COLUMNS"]
