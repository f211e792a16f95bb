"""A manifest → the same corpus again, verified byte for byte.

In: a ``manifest.csv`` written by ``govopen collect``, an output folder, and optionally a
WARC. Out, in the folder: every listed file of the kinds asked for (report pages and
attachments by default; list pages change whenever a report is added) at the path the
manifest gives, a ``manifest.csv`` of the rows that verified, and a ``FetchResult``.

Each file is downloaded from its source URL (politely, as ``collect`` does) or, with a
WARC, taken from the WARC's response for its final or source URL (no network at all).
Its SHA-256 must equal the manifest's. A file whose bytes differ is never written at its
path: it is kept apart under ``changed/<path>`` for inspection, reported, and the run
exits non-zero. A file already at its path with the right hash is left alone, so an
interrupted fetch resumes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParseError
from ..files import atomic_write, remove_stale_temporaries
from .manifest import MANIFEST, ManifestRow, file_sha256, read_manifest, sha256, write_manifest
from .polite import CapReached, Disallowed, FetchFailed, PoliteClient, Politeness

CHANGED = "changed"
DEFAULT_KINDS = ("report", "attachment")


@dataclass
class FetchResult:
    verified: list[ManifestRow] = field(default_factory=list)  # written, or already there
    changed: list[tuple[ManifestRow, str]] = field(default_factory=list)  # (row, sha256 got)
    failed: list[tuple[ManifestRow, str]] = field(default_factory=list)  # (row, reason)

    @property
    def ok(self) -> bool:
        return not self.changed and not self.failed


def fetch(manifest: str | os.PathLike, out: str | os.PathLike, *,
          warc: str | os.PathLike | None = None, kinds: Iterable[str] = DEFAULT_KINDS,
          politeness: Politeness | None = None, progress: bool | None = None) -> FetchResult:
    from tqdm.auto import tqdm

    from .warc import normal_url, read_warc

    kinds = tuple(kinds)
    rows = [r for r in read_manifest(manifest) if r.path and r.kind in kinds]
    out = Path(out)
    if out.resolve() == Path(manifest).resolve().parent:
        # its manifest would be rewritten with only the rows fetched now
        raise ParseError(str(manifest), "fetch would write into the folder of its own "
                                        "manifest", "give a new output folder (-o)")
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out, recursive=True)
    archive = read_warc(warc) if warc else None
    client = None if archive is not None else PoliteClient(politeness)
    result = FetchResult()
    try:
        for row in tqdm(rows, desc="fetch", unit="file",
                        disable=None if progress is None else not progress):
            target = out / row.path
            if file_sha256(target) == row.sha256:
                result.verified.append(row)
                continue
            if archive is not None:
                bodies = [*archive.get(normal_url(row.final_url), []),
                          *archive.get(normal_url(row.source_url), [])]
                if not bodies:
                    result.failed.append((row, "not in the WARC"))
                    continue
                # a URL fetched on several runs has several bodies: the one hashed, if any
                data = next((b for b in bodies if sha256(b) == row.sha256), bodies[-1])
            else:
                assert client is not None
                try:
                    data = client.get(row.source_url).content
                except (FetchFailed, Disallowed) as e:
                    result.failed.append((row, str(e)))
                    continue
                except CapReached as e:
                    result.failed.append((row, str(e)))
                    break
            got = sha256(data)
            if got != row.sha256:
                _write_bytes(out / CHANGED / row.path, data)
                result.changed.append((row, got))
                continue
            _write_bytes(target, data)
            result.verified.append(row)
    finally:
        if client is not None:
            client.close()
    write_manifest(out / MANIFEST, result.verified)
    return result


def _write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
