"""Many files through the engine: read, fix and verify in worker processes, then write.

Each worker process builds its own codemods from the (picklable) :class:`Config` once, then
fixes whole files. Results come back in the order of the input, so the output of ``-j N`` is
byte for byte the output of ``-j 1``. Writing happens here, in the main process, one file at
a time as its result arrives: atomically, only when the new text parses, never over a file
that changed since it was read (see :mod:`codemods.writes`).

Workers never outlive the run: they ignore SIGINT (the main process decides), are
terminated when the main process stops early (an interrupt, an error), and on Linux are
killed by the kernel if the main process dies without cleaning up (SIGKILL), so nothing
keeps the output pipes open.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from codemods import project_index
from codemods.cache import ResultCache
from codemods.config import Config
from codemods.engine import Engine, FileError, FileResult
from codemods.source import NotRegularFile, read_regular_file
from codemods.writes import WriteError, write_result

_worker: tuple[Engine, _Work] | None = None
_PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    """Return the default number of worker processes: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    paths: Sequence[Path],
    config: Config,
    jobs: int | None = None,
    *,
    write: bool = False,
    cache: ResultCache | None = None,
    diffs: bool = False,
) -> Iterator[FileResult]:
    """Yield the result for each path, in the order of ``paths``; ``write`` the fixed ones.

    With a ``cache``, a file whose result it holds is not fixed again, and new results are
    stored in it. ``diffs``: render each change's diff where the file is fixed (in the
    workers). A file that could not be written comes back with the reason as its error.
    Closing the iterator early (or an exception in the caller) stops the workers.
    """
    store = None if cache is None else cache.directory / "index"
    project_index.keep_indexes_in(store)
    for result in _cached_or_fixed(paths, _Work(config, diffs, store), jobs, cache):
        yield _written(result) if write and result.changed else result


@dataclasses.dataclass(frozen=True)
class _Work:
    """What each worker needs: the run's settings, and whether to render diffs."""

    config: Config
    diffs: bool
    index_store: Path | None = None
    """Where file indexes are kept across runs (:func:`project_index.keep_indexes_in`)."""


def _cached_or_fixed(
    paths: Sequence[Path], work: _Work, jobs: int | None, cache: ResultCache | None
) -> Iterator[FileResult]:
    """Yield each path's result from the cache, or fixed (by workers) and then stored."""
    if cache is None:
        yield from _fix_all(paths, work, jobs)
        return
    cached: dict[int, FileResult] = {}
    for index, path in enumerate(paths):
        try:
            data = read_regular_file(path)
        except (OSError, NotRegularFile):
            continue  # the worker reports it
        result = cache.load(str(path), data)
        if result is not None:
            cached[index] = result
    fresh = _fix_all([p for i, p in enumerate(paths) if i not in cached], work, jobs)
    try:
        for index in range(len(paths)):
            if index in cached:
                result = cached[index]
                if work.diffs and result.changed and result.rendered_diff is None:
                    result = result.with_diff()  # an entry a run without diffs stored
                    cache.store(result)
                yield result
                continue
            result = next(fresh)
            cache.store(result)
            yield result
    finally:
        fresh.close()  # stops the workers when the caller stops early


def fix_bytes(name: str, data: bytes, config: Config) -> FileResult:
    """Fix text that does not come from a file on disk (stdin); ``name`` is for messages."""
    return config.build_engine().fix_bytes(name, data, config.ignored_for(Path(name)))


def fix_path(engine: Engine, path: Path, config: Config, *, diffs: bool = False) -> FileResult:
    """Read ``path`` and run the engine on its bytes; a read failure is the file's error.

    ``diffs``: render the diff of a change now (see :meth:`FileResult.with_diff`).
    """
    try:
        data = read_regular_file(path)
    except NotRegularFile as error:
        return _error(path, f"{error}; it was skipped")
    except OSError as error:
        return _error(path, f"cannot read: {error.strerror or error}")
    consulted = len(project_index.consulted())
    try:
        result = engine.fix_bytes(str(path), data, config.ignored_for(path))
    except Exception as error:  # never let one file take the run down
        return _error(path, f"internal error: {type(error).__name__}: {error}")
    projects = tuple(dict.fromkeys(project_index.consulted()[consulted:]))
    if projects:  # it read other files of the project
        result = dataclasses.replace(result, projects=projects)
    return result.with_diff() if diffs else result


def _error(path: Path, message: str) -> FileResult:
    return FileResult(str(path), "", "", error=FileError(1, 1, message))


def _fix_all(paths: Sequence[Path], work: _Work, jobs: int | None) -> Iterator[FileResult]:
    jobs = default_jobs() if jobs is None else jobs
    if not paths:
        return
    if jobs <= 1 or len(paths) <= 1:
        engine = work.config.build_engine()
        for path in paths:
            yield fix_path(engine, path, work.config, diffs=work.diffs)
        return
    for codemod in work.config.build_codemods():
        codemod.prepare(paths)  # shared state, built once and inherited by the workers
    workers = min(jobs, len(paths))
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    pool = multiprocessing.Pool(workers, _start_worker, (work, os.getpid()))
    try:
        yield from pool.imap(_fix_in_worker, paths, chunksize=chunk)
        pool.close()
    finally:
        pool.terminate()  # stops at once on an interrupt; a no-op when all is done
        pool.join()


def _written(result: FileResult) -> FileResult:
    try:
        write_result(Path(result.path), result)
    except WriteError as error:
        return dataclasses.replace(result, error=FileError(1, 1, str(error)))
    return result


def _start_worker(work: _Work, parent: int) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the handler inherited from the CLI
    _die_with_parent(parent)
    project_index.keep_indexes_in(work.index_store)
    _worker = (work.config.build_engine(), work)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the main process dies (Linux only)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _fix_in_worker(path: Path) -> FileResult:
    assert _worker is not None, "worker used before its initializer ran"
    engine, work = _worker
    return fix_path(engine, path, work.config, diffs=work.diffs)
