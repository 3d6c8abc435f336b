"""Many files through the engine: read, fix and verify in worker processes, then write.

Each worker process builds its own codemods from the (picklable) :class:`Config` once, hands
each the state its :meth:`~codemods.fixes.base.Codemod.prepare` built in the main process,
then fixes whole files. Results come back in the order of the input, so the output of
``-j N`` is byte for byte the output of ``-j 1``. Writing happens here, in the main process,
one file at a time as its result arrives: atomically, only when the new text parses, never
over a file that changed since it was read (see :mod:`codemods.writes`).

The same holds under every start method (``fork``, ``spawn``, ``forkserver``, the default of
Python 3.14 on Linux): nothing reaches a worker through memory inherited by ``fork``.

Workers never outlive the run: they ignore SIGINT (the main process decides), are
terminated when the main process stops early (an interrupt, an error), and exit by
themselves when the main process dies without cleaning up (SIGKILL), so nothing keeps the
output pipes open: a thread of each worker waits on the sentinel ``multiprocessing`` gives
it for its parent process -- the main process under ``fork`` and ``spawn``, and under
``forkserver`` too (the server forks the worker, but the sentinel is the main process's).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import pickle
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from codemods import pathguard, portability, project_index
from codemods.cache import ResultCache
from codemods.config import Config
from codemods.engine import FILE_SKIP_ID, Engine, FileError, FileResult
from codemods.finding import Finding
from codemods.source import NotRegularFile, read_regular_file
from codemods.writes import WriteError, WriteSkipped, write_result

_worker: tuple[Engine, _Work] | None = None
_worker_failure: str | None = None


def default_jobs() -> int:
    """Return the default number of worker processes: the cores this process may use."""
    return portability.usable_cpu_count()


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
    work = _Work(config, diffs, store, snapshot=write)
    for result in _cached_or_fixed(paths, work, jobs, cache):
        yield _written(result) if write and result.changed else result


@dataclasses.dataclass(frozen=True)
class _Work:
    """What each worker needs: the run's settings, and whether to render diffs."""

    config: Config
    diffs: bool
    index_store: Path | None = None
    """Where file indexes are kept across runs (:func:`project_index.keep_indexes_in`)."""
    snapshot: bool = False
    """Files are written as their results arrive: codemods that read other files (a base
    class's docstrings) must read them as they were before the first write, or the result
    would depend on the order of the writes. Their :meth:`prepare` reads them first."""
    prepared: tuple[tuple[str, object], ...] = ()
    """``(codemod id, state)`` for each codemod whose ``prepare`` returned state."""


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
            data = read_regular_file(path, work.config.max_file_size)
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
        data = read_regular_file(path, config.max_file_size)
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
        if work.snapshot and len(paths) > 1:  # read before the first write (see _Work)
            for codemod in engine.codemods:
                state = codemod.prepare(paths)
                if state is not None:
                    codemod.receive_prepared(state)
        for path in paths:
            yield fix_path(engine, path, work.config, diffs=work.diffs)
        return
    work = dataclasses.replace(work, prepared=_prepared(work.config, paths))
    _no_imports_from_the_current_directory()
    workers = min(jobs, len(paths))
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    # Pickled here, unpickled by the worker's own code: a failure there is reported, where
    # one in multiprocessing's start-up would have the pool replace the worker forever.
    handover = pickle.dumps((work, os.getpid()))
    pool = multiprocessing.Pool(workers, _start_worker, (handover,))
    try:
        yield from pool.imap(_fix_in_worker, paths, chunksize=chunk)
        pool.close()
    finally:
        pool.terminate()  # stops at once on an interrupt; a no-op when all is done
        pool.join()


def _written(result: FileResult) -> FileResult:
    """Write ``result`` through the command's path guard (:mod:`codemods.pathguard`).

    A refusal becomes the file's error; a file outside the roots is skipped instead, with
    the reason as a whole-file skip (``-v`` prints it).
    """
    try:
        write_result(Path(result.path), result, pathguard.current())
    except WriteSkipped as skipped:  # outside the roots: the whole file is skipped
        reason = f"{skipped} (--follow-symlinks writes it)"
        skip = Finding(1, "every codemod", codemod_id=FILE_SKIP_ID, path=result.path, skip=reason)
        return dataclasses.replace(
            result, new_text=result.old_text, new_data=None, rendered_diff=None, findings=(skip,)
        )
    except WriteError as error:
        return dataclasses.replace(result, error=FileError(1, 1, str(error)))
    return result


def _no_imports_from_the_current_directory() -> None:
    """Keep workers started afresh (``spawn``, ``forkserver``) from importing the checkout.

    They start as ``python -c ...``, which puts the current directory -- the checkout, maybe
    someone else's -- first on ``sys.path`` while the standard library loads: a ``socket.py``
    there would run in every worker. ``PYTHONSAFEPATH`` (Python 3.11+) leaves it off; the
    workers inherit this process's environment. Python 3.10 has no such switch: there the
    workers (and the fork server) start in isolated mode (``-I``), which also leaves the
    directory off. That is safe because a worker takes this process's ``sys.path`` (user
    site and ``PYTHONPATH`` entries included) before it imports anything but the standard
    library. ``multiprocessing`` builds both command lines with the same helper, so it is
    wrapped once, here.
    """
    os.environ.setdefault("PYTHONSAFEPATH", "1")
    if sys.version_info < (3, 11):  # pragma: no cover - Python 3.10 only
        _start_workers_isolated()


def _start_workers_isolated() -> None:
    """Add ``-I`` to the interpreter flags ``multiprocessing`` starts new processes with."""
    flags = multiprocessing.util._args_from_interpreter_flags  # type: ignore[attr-defined]
    if getattr(flags, "codemods_isolated", False):
        return

    def isolated_flags() -> list[str]:
        found: list[str] = flags()
        return found if "-I" in found else [*found, "-I"]

    isolated_flags.codemods_isolated = True  # type: ignore[attr-defined]
    multiprocessing.util._args_from_interpreter_flags = isolated_flags  # type: ignore[attr-defined]


def _prepared(config: Config, paths: Sequence[Path]) -> tuple[tuple[str, object], ...]:
    """Run each codemod's ``prepare`` here, once; return the states to hand to the workers."""
    states = ((codemod.id, codemod.prepare(paths)) for codemod in config.build_codemods())
    return tuple((codemod_id, state) for codemod_id, state in states if state is not None)


class WorkerStartError(RuntimeError):
    """A worker process could not get ready (the message says why); the run stops."""


def _start_worker(handover: bytes) -> None:
    """Get this worker ready; keep the reason if it cannot be (never raise).

    An initializer that raises ends the worker, and ``multiprocessing.Pool`` starts another
    in its place, forever: the run would hang. The first file this worker is given reports
    the reason instead (:func:`_fix_in_worker`).
    """
    global _worker_failure
    portability.reset_worker_signals()  # the main process handles Ctrl-C; SIGTERM kills
    try:
        work, main_pid = pickle.loads(handover)
        _die_with_main_process(main_pid)
        _get_ready(work)
    except BaseException as error:  # noqa: BLE001 - anything, reported by the first task
        _worker_failure = f"a worker process could not start: {type(error).__name__}: {error}"


def _get_ready(work: _Work) -> None:
    """Build this worker's engine and hand each codemod its prepared state."""
    global _worker
    project_index.keep_indexes_in(work.index_store)
    engine = work.config.build_engine()
    states = dict(work.prepared)
    for codemod in engine.codemods:
        if codemod.id in states:
            codemod.receive_prepared(states[codemod.id])
    _worker = (engine, work)


def _die_with_main_process(main_pid: int) -> None:
    """End this worker as soon as the main process is gone, however it went.

    ``multiprocessing`` gives each child a sentinel of the process that started it: the
    read end of a pipe whose write end only that process holds (on Windows, a handle of
    it). Under ``forkserver`` the worker's parent is the fork server, yet the sentinel is
    still the main process's; so a thread waiting on it works under every start method, and
    it is ready at once if the main process died before the worker got here. On Linux,
    when the main process is the parent (``fork``, ``spawn``), the kernel also kills the
    worker at once (``PR_SET_PDEATHSIG``).
    """
    if portability.parent_pid() == main_pid:
        portability.kill_with_parent()
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - not a worker
        return
    watcher = threading.Thread(
        target=_exit_when_ready, args=(parent.sentinel,), name="codemods-main-watch", daemon=True
    )
    watcher.start()


def _exit_when_ready(sentinel: int) -> None:
    """Wait until ``sentinel`` is ready (the main process is gone), then exit at once."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _fix_in_worker(path: Path) -> FileResult:
    if _worker is None:
        raise WorkerStartError(_worker_failure or "a worker process was used before it started")
    engine, work = _worker
    return fix_path(engine, path, work.config, diffs=work.diffs)
