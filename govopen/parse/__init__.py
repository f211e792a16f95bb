"""Text → a ``Report``: the second layer.

``report.parse_report`` runs the stages for one file:

* ``text`` (normalising, number tokens) and ``sections`` (headings 一 … 六);
* the tables: ``tables`` (section 二 and ``read_tables``), ``requests_table`` (三) and
  ``reviews_table`` (四), which find rows by their labels (``rows``, ``labels``: misprints
  by rule) and take the numbers after them (``row_numbers``, ``grid`` for grid positions,
  ``torn`` for tables torn apart);
* which cell each printed number fills: ``segments`` (the records), ``cuts`` (the readings
  of a row), ``placement`` (the driver), ``search`` (exact enumeration), ``bounds``
  (intervals over the identities), ``solver`` (the integer program) and ``weights``
  (what they share): the identities choose;
* ``validation`` (the identities checked), ``meta`` and ``regions`` (agency, year, place);
* the prose: ``facts`` (what it may state), ``prose`` (reading it), ``prose_checks``
  (prose against the tables).
"""
