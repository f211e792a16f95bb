"""A ``Corpus`` → files researchers open: the fourth layer.

``panel`` (one row per agency and year), ``codebook`` (every column defined, in Chinese
and English; ``datapackage.json``), ``export`` (Parquet, CSV, Stata, Excel), ``folder``
(``govopen parse INPUT… -o OUT``) and ``examples`` (the committed example data).
"""
