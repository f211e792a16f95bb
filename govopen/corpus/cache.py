"""Parse results kept on disk → an unchanged file is parsed once.

In: a folder, and a govopen version (this one by default). Out: ``ResultCache``, which
stores one ``Result`` per content hash as a JSON file under ``folder/version/``; an entry
that is absent or cannot be read is reported as absent, so the file is parsed again.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..files import atomic_write
from .result import Result


class ResultCache:
    """Parse results on disk, one JSON file per content hash, per govopen version."""

    def __init__(self, folder: str | os.PathLike, version: str | None = None):
        from .._version import __version__

        self.version = version or __version__
        self.folder = Path(folder) / self.version

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def get(self, sha256: str) -> Result | None:
        try:
            return Result.from_json(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            return None  # absent or unreadable: parse again

    def put(self, sha256: str, result: Result) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = result.to_json()
        # Renamed into place but not flushed to disk: a crash can at worst leave an
        # unreadable entry, which ``get`` treats as absent.
        atomic_write(self._path(sha256), lambda p: p.write_text(text, encoding="utf-8"),
                     durable=False)
