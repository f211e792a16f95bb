"""What a collection manifest says of a file → the agency and year of its report row.

In: a report row (the metadata the parser read from the file) and a ``Hint``, the agency
and statistics year the manifest (``govopen collect``) recorded for the file: the agency
of the site it was collected from and the year its title or link claimed. Out: the row
with what the report does not print filled from the hint, and the findings saying so.

The report's own words come first. A year or agency the report does not print is taken
from the hint, with a ``manifest_filled`` finding (info) naming where it came from. A year
the report prints that differs from the hint's is kept, with a ``manifest_year_differs``
warning: one of the two is wrong and a reader should look. An agency that differs is only
noted (``manifest_agency_differs``, info), because one site's report column often lists the
reports of several agencies (a city portal lists its departments').
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .checks import agency_key, finding


@dataclass(frozen=True)
class Hint:
    """The manifest's word on one file: ``origin`` names the manifest row (its URL)."""

    agency: str | None
    year: int | None
    origin: str


def apply_hint(row: dict, hint: Hint) -> list[dict]:
    """Fill ``row``'s agency and year from ``hint`` where the report names none (in place);
    returns the findings, one per field filled or differing."""
    rid = row.get("report_id")
    found = []
    agency = row.get("agency")
    has_agency = isinstance(agency, str) and agency.strip() != ""
    if hint.agency:
        if not has_agency:
            row["agency"] = hint.agency
            found.append(finding(rid, "manifest_filled",
                                 f"agency {hint.agency} from the manifest ({hint.origin}): "
                                 "the report does not name it"))
        elif agency_key(agency) != agency_key(hint.agency):
            found.append(finding(rid, "manifest_agency_differs",
                                 f"the report names {agency}; the manifest lists it under "
                                 f"{hint.agency} ({hint.origin})"))
    printed = row.get("year")
    year = None if printed is None or pd.isna(printed) else int(printed)
    if hint.year is not None:
        if year is None:
            row["year"] = hint.year
            found.append(finding(rid, "manifest_filled",
                                 f"statistics year {hint.year} from the manifest "
                                 f"({hint.origin}): the report does not print it"))
        elif year != hint.year:
            found.append(finding(rid, "manifest_year_differs",
                                 f"the report is of {year}; the manifest claims "
                                 f"{hint.year} ({hint.origin}); the report's year is kept"))
    return found


__all__ = ["Hint", "apply_hint"]
