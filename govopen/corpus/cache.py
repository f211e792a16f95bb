"""Parse results kept on disk → an unchanged file is parsed once.

In: a folder, and a govopen version (this one by default). Out: ``ResultCache``, which
stores one ``Result`` per content hash as a JSON file under ``folder/version/``; an entry
that is absent or cannot be read is reported as absent, so the file is parsed again.

The results of one file differ with how it was parsed (a scan is an error without OCR and
a report with it), so a parser other than plain ``parse_report`` keeps its results apart:
``with_variant`` gives the cache of one variant, under ``folder/version+variant/``
(``parser_variant`` names it: ``ocr`` for ``parse_report(..., ocr=True)``).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..files import atomic_write
from .result import Result


class ResultCache:
    """Parse results on disk, one JSON file per content hash, per govopen version."""

    def __init__(self, folder: str | os.PathLike, version: str | None = None,
                 variant: str = ""):
        from .._version import __version__

        self.version = version or __version__
        self.variant = variant
        self.root = Path(folder)
        self.folder = self.root / (self.version + (f"+{variant}" if variant else ""))

    def with_variant(self, variant: str) -> ResultCache:
        """The cache of the same folder and version for results of another parser."""
        if variant == self.variant:
            return self
        return ResultCache(self.root, self.version, variant)

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


def parser_variant(parser: Callable | None) -> str:
    """The cache variant of a parser: '' for ``parse_report`` as it is, ``ocr`` for
    ``functools.partial(parse_report, ocr=True)``, and for any other parser a hash of its
    name and bound arguments."""
    func, args, keywords = parser, (), {}
    if isinstance(parser, functools.partial):
        func, args, keywords = parser.func, parser.args, dict(parser.keywords)
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', type(func).__name__)}"
    if parser is None or (name == "govopen.parse.report.parse_report" and not args):
        if not keywords:
            return ""
        if keywords == {"ocr": True}:
            return "ocr"
        if keywords == {"ocr": False}:
            return ""
    text = name + repr(args) + repr(sorted(keywords.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
