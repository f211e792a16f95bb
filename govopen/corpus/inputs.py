"""Paths given → the input files of a batch, and each file's content hash.

In: paths of report files and of folders. Out: ``list_inputs`` gives the files in order (a
folder searched recursively, hidden entries and excluded folders skipped); ``hash_file``
gives one file's SHA-256, or why it cannot be read. Nothing here raises on a bad input:
a missing or unreadable file is kept, to be reported as an error row.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def list_inputs(inputs, exclude: Iterable[str | os.PathLike] = ()) -> list[str]:
    """Input files in order: a folder gives its files (recursively, sorted, hidden ones and
    ``exclude`` folders skipped); any other path is kept as given, even if it is missing."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    skip = [Path(e).resolve() for e in exclude]
    files: list[str] = []
    for item in inputs:
        path = Path(item)
        if not path.is_dir():
            files.append(str(item))
            continue
        for p in sorted(path.rglob("*")):
            rel = p.relative_to(path).parts
            # every entry but a folder is an input: a broken link or a pipe is reported
            # as an error, never dropped without a word
            if any(part.startswith(".") for part in rel) or p.is_dir():
                continue
            if skip and any(p.resolve().is_relative_to(s) for s in skip):
                continue
            files.append(str(p))
    return files


def hash_file(path: str) -> tuple[str | None, str]:
    """(SHA-256 of the file's bytes, "") or (None, why it cannot be read)."""
    h = hashlib.sha256()
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return None, "is a directory, not a file"
        if not stat.S_ISREG(mode):  # reading a pipe would wait forever
            return None, ("not a regular file (a pipe, socket or device) — "
                          "copy the report into a file and parse that")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return None, ("file not found (removed, moved or a broken link) — "
                      "check the path, or download it again")
    except IsADirectoryError:
        return None, "is a directory, not a file"
    except OSError as e:
        return None, (f"file cannot be read ({e.strerror or e}) — "
                      "check its permissions, or copy it somewhere readable")
    return h.hexdigest(), ""
