"""Text → a ``Report``: the second layer.

``report.parse_report`` runs the stages for one file: ``text`` (normalising, number
tokens), ``sections`` (headings 一 … 六), ``labels`` (row labels, misprints by rule),
``tables`` with ``grid``, ``cuts``, ``torn``, ``placement`` and ``solver`` (which cell
each printed number fills), ``validation`` (the identities), ``meta`` and ``regions``
(agency, year, place), and ``narrative`` (numbers the prose states).
"""
