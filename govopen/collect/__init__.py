"""Collecting reports from agency sites, and rebuilding a corpus from its manifest.

In: a SITES CSV (agency, URL of its report column) or a ``manifest.csv``. Out: a folder
of report pages and attachments with the manifest of exactly what was fetched (see
``collect``), or the same files again, verified by their SHA-256 (see ``fetch``).
``read_manifest`` gives each saved file with its agency and claimed statistics year, the
hints ``govopen parse`` can use. Needs ``pip install 'govopen[collect]'`` (httpx,
protego, warcio), imported only when a command runs.
"""

from __future__ import annotations

from .commands import add_collect_commands
from .manifest import MANIFEST_COLUMNS, ManifestRow, read_manifest
from .polite import Politeness
from .sites import Site, read_sites

__all__ = ["MANIFEST_COLUMNS", "ManifestRow", "Politeness", "Site", "add_collect_commands",
           "read_manifest", "read_sites"]
