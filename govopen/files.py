"""Files written whole or not at all, and memory handed back between chunks.

In: a path and a function that writes a file there. Out: the file, renamed into place
only once it is complete (``atomic_write``); a killed run's temporaries, all named with
``TMP_PREFIX``, are removed by the next (``remove_stale_temporaries``). Used by the result
cache of ``govopen.corpus`` and by every export of ``govopen.dataset``.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

TMP_PREFIX = ".govopen-tmp-"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object],
                 durable: bool = True) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it to ``path``.

    ``durable``: the bytes are flushed to disk before the rename. Not needed for a cache,
    whose reader treats an unreadable file as absent; its entries, many and small, are
    written under a name of this process's own rather than a new unique one (a killed
    run's temporaries are removed by ``remove_stale_temporaries``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if durable:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
    else:
        tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")
    try:
        write(tmp)
        if durable:
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; give it a file's usual mode
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())  # the bytes reach the disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temporaries(folder: str | os.PathLike, recursive: bool = False) -> int:
    """Delete temporary files a killed run left in ``folder`` (and in its subfolders when
    ``recursive``); returns how many."""
    n = 0
    pattern = f"{TMP_PREFIX}*"
    found = list(Path(folder).rglob(pattern) if recursive else Path(folder).glob(pattern))
    for p in found:
        if p.is_dir():  # the chunks of a streamed run
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        n += 1
    return n


def release_memory() -> None:
    """Hand the memory freed by the last chunk back to the system. pyarrow's pool and
    glibc's heap keep freed memory for reuse, and over hundreds of chunks of different
    sizes a long run's resident memory grows with the corpus instead of staying flat."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc():
    """The C library when it is glibc (it alone has malloc_trim), else None."""
    import ctypes

    try:
        libc = ctypes.CDLL(None)  # the symbols already loaded: the C library among them
    except (OSError, TypeError):
        return None
    return libc if hasattr(libc, "malloc_trim") else None
