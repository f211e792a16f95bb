"""Many files → a ``Corpus``: the third layer.

``batch`` lists the inputs, parses each in worker processes (``engines``), keeps results
in a cache keyed by content hash, and runs the checks that need several files.
"""
