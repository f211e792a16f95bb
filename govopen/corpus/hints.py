"""What a collection manifest says of a file → the agency and year of its report row.

In: the inputs of a batch, some of them folders ``govopen collect`` wrote; a report row
(the metadata the parser read from a file) and its ``Hint``, the agency and statistics
year the manifest recorded for the file: the agency of the site it was collected from and
the year its title or link claimed. Out: ``collected_inputs`` gives the files to parse (a
collected folder stands for the reports its manifest lists) and their hints;
``apply_hint`` fills what the report does not print, with the findings saying so.

The report's own words come first. A year or agency the report does not print is taken
from the hint, with a ``manifest_filled`` finding (info) naming where it came from. A year
the report prints that differs from the hint's is kept, with a ``manifest_year_differs``
warning: one of the two is wrong and a reader should look. An agency that differs is only
noted (``manifest_agency_differs``, info), because one site's report column often lists the
reports of several agencies (a city portal lists its departments').
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..collect.manifest import MANIFEST, read_manifest
from .checks import agency_key, finding
from .inputs import list_inputs


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


def collected_inputs(inputs, manifest: str | os.PathLike | None = None,
                     exclude: Iterable[str | os.PathLike] = ()) -> tuple[list, dict[str, Hint]]:
    """The inputs to parse, and the hints of the collection manifests among them.

    A folder ``govopen collect`` wrote (it holds a govopen ``manifest.csv``), found as an
    input or inside one, or the folder of ``manifest``, stands for the report pages and
    attachments its manifest lists: not the list pages, the manifest itself or a WARC
    file beside it. Each of those files gets the agency and claimed year of its manifest
    row as a ``Hint``. A file the manifest lists but the folder lacks is kept, to be
    reported as missing. Other inputs are as given (a ``manifest.csv`` of another kind is
    an ordinary input). Raises ``ParseError`` for a govopen manifest that cannot be read.
    """
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    files = list_inputs(inputs, exclude)  # the one walk of the folders given
    given = {os.path.abspath(i) for i in inputs if not Path(i).is_dir()}
    manifests = [Path(manifest).resolve()] if manifest is not None else []
    found = [Path(f).resolve() for f in files if Path(f).name == MANIFEST
             and os.path.abspath(f) not in given and _is_manifest(f)]
    manifests += [m for m in found if m not in manifests]
    if not manifests:  # the common case: the inputs exactly as given
        return inputs, {}
    hints: dict[str, Hint] = {}
    listed: list[str] = []
    for m in manifests:
        for row in read_manifest(m):
            if row.kind == "list" or row.abs_path is None:
                continue
            path = os.path.abspath(row.abs_path)
            if path not in hints:
                listed.append(path)
            hints[path] = Hint(row.agency or None, row.year, row.final_url or row.source_url)
    # everything else found or given, but not what lies in a collected folder
    collected = [m.parent for m in manifests]
    for f in files:
        path = os.path.abspath(f)
        inside = any(Path(f).resolve().is_relative_to(c) for c in collected)
        if path not in hints and (path in given or not inside):
            listed.append(f)
    return listed, hints


def _is_manifest(path: str | os.PathLike) -> bool:
    """A ``manifest.csv`` govopen collect wrote: its header names the manifest's columns."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            header = set(f.readline().strip().split(","))
    except OSError:
        return False
    return {"agency", "kind", "source_url", "sha256", "path"} <= header


__all__ = ["Hint", "apply_hint", "collected_inputs"]
