"""Where the per-file work runs: this process, a pool of worker processes, or Dask.

In: ``tasks`` — (path, sha256) of the distinct files to parse, in input order — and a
picklable ``work(path, sha256) -> result`` that never raises for a bad file (see
``corpus.parse_file``). Out: ``ordered_results(...)``, an iterator of the results *in
the order of* ``tasks``, however the work is spread, so the outputs of a run never
depend on which worker finished first.

At most ``window`` files (64 per worker unless given) are in flight at a time: results
wait for their turn in a bounded buffer and the caller consumes them as they come, so
memory does not grow with the corpus.

* ``processes`` (default): a ``ProcessPoolExecutor`` of ``jobs`` workers, handed
  ``BATCH`` files at a time. A worker that dies (a crash in a native library) takes the
  files in flight with it; each of those is tried again alone in a fresh process, so
  only the culprit fails, and the pool is started again for the rest.
* ``dask``: the same ``work`` as Dask tasks on a ``distributed`` cluster — the one at
  ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``, or a ``Client``), or a
  ``LocalCluster`` of ``jobs`` single-threaded workers started for the run and shut down
  after it. Paths are sent, not bytes: the workers must see the input files at the same
  paths (a shared file system), and the output folder's cache must be writable by them.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

ENGINES = ("processes", "dask")
CRASHED = "the parser crashed its process on this file"


def ordered_results(tasks: list[tuple[str, str]], work: Callable, *, jobs: int,
                    engine: str = "processes", scheduler=None, window: int | None = None,
                    on_crash: Callable[[str], object] | None = None,
                    warm_up: Callable[[], object] | None = None) -> Generator:
    """``work(path, sha)`` for every task, yielded in task order (see the module docstring).

    ``on_crash(message)`` makes the result of a file whose worker died. ``warm_up()`` is
    called in this process before worker processes are forked, so they share what it
    loaded (the region table).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    window = window or max(8, 64 * jobs)
    if engine == "dask":
        yield from _dask(tasks, work, jobs, scheduler, window, on_crash)
        return
    if jobs <= 1 or len(tasks) <= 1:
        for path, sha in tasks:
            yield work(path, sha)
        return
    if warm_up is not None:
        warm_up()
    yield from _processes(tasks, work, min(jobs, len(tasks)), window, on_crash)


def _bounded(tasks: Iterable, submit: Callable, window: int) -> Iterator[tuple]:
    """(task, future) in task order, with at most ``window`` submitted and not yet taken."""
    pending: deque = deque()
    it = iter(tasks)
    for task in it:
        pending.append((task, submit(task)))
        if len(pending) >= window:
            break
    while pending:
        task, fut = pending.popleft()
        yield task, fut
        nxt = next(it, None)
        if nxt is not None:
            pending.append((nxt, submit(nxt)))


class _Pool:
    """A process pool that starts again after a worker's death broke it."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.executor: ProcessPoolExecutor | None = None

    def submit(self, fn, *args):
        """(the executor, the future) of one call."""
        if self.executor is None:
            self.executor = ProcessPoolExecutor(max_workers=self.jobs)
        try:
            return self.executor, self.executor.submit(fn, *args)
        except BrokenProcessPool:
            self.restart()
            return self.submit(fn, *args)

    def restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


BATCH = 8  # files a worker is handed at a time: one call each costs more than a parse


def _batch(work: Callable, tasks: list[tuple[str, str]]) -> list:
    return [work(path, sha) for path, sha in tasks]


def _processes(tasks, work, jobs, window, on_crash):
    pool = _Pool(jobs)
    size = max(1, min(BATCH, window // (2 * jobs)))  # each worker has two batches or more
    batches = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    try:
        for batch, (executor, fut) in _bounded(
                batches, lambda b: pool.submit(_batch, work, b), max(1, window // size)):
            try:
                results = fut.result()
            except (BrokenProcessPool, CancelledError):
                if executor is pool.executor:  # the first of its futures to fail
                    pool.restart()
                results = [_alone(work, path, sha, on_crash) for path, sha in batch]
            yield from results
    finally:
        pool.close()


def _alone(work, path, sha, on_crash):
    """Parse one file in a process of its own: a crash there is this file's."""
    try:
        with ProcessPoolExecutor(max_workers=1) as one:
            return one.submit(work, path, sha).result()
    except BrokenProcessPool:
        return on_crash(CRASHED) if on_crash else None


def _dask(tasks, work, jobs, scheduler, window, on_crash):
    try:
        from distributed import Client, LocalCluster
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("engine='dask' needs dask.distributed: "
                          "pip install 'govopen[dask]'") from None
    with contextlib.ExitStack() as stack:
        if isinstance(scheduler, Client):
            client = scheduler
        elif scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=max(1, jobs), threads_per_worker=1, dashboard_address=None,
                host="127.0.0.1"))
            client = stack.enter_context(Client(cluster))
        for _task, fut in _bounded(
                tasks, lambda t: client.submit(work, *t, pure=False, retries=0), window):
            try:
                result = fut.result()
            except (KilledWorker, FutureCancelledError):
                result = on_crash(CRASHED) if on_crash else None
            fut.release()
            yield result


__all__ = ["ENGINES", "ordered_results"]
