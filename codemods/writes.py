"""Writing fixed files safely: atomic, faithful, never over a file that changed or is busy.

A write goes to a temporary file in the same directory (``.NAME.<pid>.<hex>.codemods-tmp``),
is flushed to disk, takes the original file's owner, group, permission bits, extended
attributes and POSIX ACL (the ``system.posix_acl_access`` attribute), and replaces the
original with a rename -- so a reader sees the old file or the new one, never half of one.
Every write goes through :mod:`codemods.pathguard`: the file is opened relative to its
root's directory without following links, and the name renamed over must still be the
file read (device and inode). A symbolic link inside the roots stays a link: its target is
written; one leading outside them is skipped (:class:`WriteSkipped`). The write is refused,
with the file left as it was, when

* the file is not a regular file (a device, a FIFO, a socket...);
* the file has more than one hard link (replacing it would split them);
* we may not write the file itself (read-only, or another user's file that only its
  directory lets us replace), or its owner, group, extended attributes or ACL cannot be kept;
* the file's bytes differ from those the fix was computed from, or its size, inode, mtime
  or ctime changed between the read and the rename (another program wrote it);
* the file was modified less than :data:`RACY_SECONDS` before it was read (git's "racy"
  rule: a program that truncated it may still be writing; a rename would orphan its data);
* the new text does not parse, or Python would not read the new bytes back as it (their BOM
  and a coding cookie on line 1 or 2 decide their codec, which must be the file's) or compile
  them: :func:`codemods.encoded.verify_written` (the engine already checked; this is the
  last net, for every result written, a cached one too).

What remains is the window between the last check of the name and the rename
(microseconds): POSIX has no compare-and-swap rename, so a program that writes the file in
exactly that window loses its write. An interrupted write (a signal, a full disk) removes
its temporary file; one left by a process killed outright (SIGKILL) carries its pid, and
the next write into that directory removes it once that process is gone (never on Windows,
where :func:`codemods.portability.process_alive` cannot tell).

Where the OS lacks a call this needs (``os.fchown`` and, before Python 3.13, ``os.fchmod`` on
Windows, whose files have no POSIX owner and only a read-only bit; extended attributes
outside Linux), :mod:`codemods.portability` says what is done instead.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

from codemods.deepstack import TooDeep, call_with_room
from codemods.encoded import NotReadBack, verify_written
from codemods.engine import FileResult
from codemods.pathguard import GuardError, OpenedFile, OutsideRoots, PathGuard
from codemods.portability import (
    creating_flags,
    get_xattr,
    keep_owner,
    list_xattrs,
    new_file_mode,
    process_alive,
    remove_xattr,
    set_mode,
    set_xattr,
)
from codemods.source import file_digest


class WriteError(Exception):
    """The fixed text was not written; the message says why."""


class WriteSkipped(WriteError):
    """The file was not written because it is outside the roots the user named.

    Not a failure: the file is reported as skipped, with the reason (``-v``).
    """


RACY_SECONDS = 2.0
"""A file modified less than this many seconds before it is read for writing is not written.

git's "racy" rule: a program may have truncated the file and be about to write the rest
(a generator, a slow copy, ``curl -o``); a rename would orphan what it writes. The
environment variable :data:`RACY_SECONDS_VARIABLE` overrides it (the test suite sets 0)."""

RACY_SECONDS_VARIABLE = "CODEMODS_RACY_SECONDS"

TEMPORARY_SUFFIX = ".codemods-tmp"
_TEMPORARY_NAME = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{12}" + re.escape(TEMPORARY_SUFFIX) + "$")


_racy_window: list[float] = []
"""The window ``--racy-window`` set for this run (empty: not set)."""


def set_racy_window(seconds: float | None) -> None:
    """Set this run's racy window (``--racy-window``; ``None``: the default or environment's)."""
    _racy_window[:] = [] if seconds is None else [max(0.0, seconds)]


def racy_seconds() -> float:
    """Return the racy window: ``--racy-window``, the environment's, or :data:`RACY_SECONDS`."""
    if _racy_window:
        return _racy_window[0]
    value = os.environ.get(RACY_SECONDS_VARIABLE)
    if value:
        with contextlib.suppress(ValueError):
            return max(0.0, float(value))
    return RACY_SECONDS


def temporary_name(name: str) -> str:
    """Return a new temporary file name for ``name``: ``.NAME.<pid>.<hex>.codemods-tmp``."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"


def stale_temporary(name: str) -> bool:
    """Tell whether ``name`` is a temporary file of a run whose process is gone.

    Only the names :func:`temporary_name` makes count, and only when the process is known
    to be dead (:func:`codemods.portability.process_alive`: never on Windows).
    """
    match = _TEMPORARY_NAME.match(name)
    return match is not None and process_alive(int(match.group(1))) is False


def write_result(path: Path, result: FileResult, guard: PathGuard | None = None) -> None:
    """Write ``result.new_text`` to ``path`` (encoded as the file was), or raise WriteError.

    The new bytes are written only if Python reads them back as the new text, in the file's
    codec, and compiles them (:func:`codemods.encoded.verify_written`).

    ``guard``: the roots the write must stay in (:mod:`codemods.pathguard`); none: anywhere.
    """
    if result.error is not None:
        raise WriteError("the file has errors; it was not written")
    try:
        call_with_room(lambda: ast.parse(result.new_text))
        data = result.new_bytes()
        verify_written(data, result.new_text, result.encoding, result.path)
    except TooDeep:
        raise WriteError("the fixed text nests too deeply to check; not written") from None
    except SyntaxError as error:
        raise WriteError(f"the fixed text does not parse ({error.msg}); not written") from None
    except UnicodeEncodeError as error:
        raise WriteError(
            f"the fixed text cannot be encoded as {result.encoding}: {error}"
        ) from None
    except NotReadBack as error:
        raise WriteError(f"{error}; not written") from None
    replace_atomically(path, data, expected_digest=result.digest, guard=guard)


def replace_atomically(
    target: Path,
    data: bytes,
    *,
    expected_digest: str | None = None,
    guard: PathGuard | None = None,
    racy: bool = True,
) -> None:
    """Replace the regular file ``target`` with ``data``, keeping owner, mode, xattrs and ACL.

    The file is opened through ``guard`` (:mod:`codemods.pathguard`). With
    ``expected_digest``, refuse unless the file's bytes still have that digest, checked
    when it is opened and again just before the rename. ``racy``: also refuse a file
    modified within :func:`racy_seconds` (off for putting back a file we just wrote).
    """
    guard = guard or PathGuard()
    try:
        with guard.opened(target) as opened:
            _check_writable(opened)
            if expected_digest is not None and file_digest(opened.data) != expected_digest:
                raise WriteError("the file changed since it was read; it was not written")
            if racy:
                _check_not_racy(opened.status)
            _clean_directory(opened)
            _replace_opened(opened, data, expected_digest)
    except OutsideRoots as error:
        raise WriteSkipped(str(error)) from None
    except GuardError as error:
        raise WriteError(str(error)) from None


def _check_not_racy(status: os.stat_result) -> None:
    window = racy_seconds()
    age = time.time() - max(status.st_mtime, status.st_ctime)
    if window > 0 and 0 <= age < window:  # a time in the future (a skewed clock) says nothing
        raise WriteError(
            f"the file was modified {max(age, 0.0):.1f}s before it was read (less than "
            f"{window:g}s): another program may still be writing it; it was not written"
        )


_cleaned: set[Path] = set()
"""The directories this process has cleaned already (once each: a run writes many files)."""


def _clean_directory(opened: OpenedFile) -> None:
    """Remove the temporary files that dead runs left beside the file (once a directory)."""
    if opened.directory in _cleaned:
        return
    _cleaned.add(opened.directory)
    for name in opened.names():
        if stale_temporary(name):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(opened.lstat(name).st_mode):
                    opened.unlink(name)


def _replace_opened(opened: OpenedFile, data: bytes, expected_digest: str | None) -> None:
    """Write ``data`` to a temporary file beside ``opened``, make it faithful, rename it over."""
    status = opened.status
    for _attempt in range(8):
        temporary = temporary_name(opened.name)
        try:
            descriptor = opened.create(temporary, creating_flags(), 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                _keep_owner(handle.fileno(), status)
                set_mode(
                    handle.fileno(), opened.directory / temporary, stat.S_IMODE(status.st_mode)
                )
                _copy_xattrs(opened.descriptor, handle.fileno())
                os.fsync(handle.fileno())
            if expected_digest is not None and file_digest(opened.reread()) != expected_digest:
                raise WriteError("the file changed since it was read; it was not written")
            opened.check_same()
            opened.replace(temporary)
            return
        except FileExistsError:
            continue  # not ours: another name
        except BaseException as error:
            with contextlib.suppress(OSError):
                opened.unlink(temporary)
            if isinstance(error, GuardError):
                raise WriteError(str(error)) from None
            if isinstance(error, OSError):
                raise WriteError(f"cannot write: {error.strerror or error}") from None
            raise
    raise WriteError("cannot create a temporary file: every name tried exists")


def _copy_xattrs(source: int, target: int) -> None:
    """Give ``target`` the extended attributes and POSIX ACL of ``source``, or raise WriteError.

    Names the new file has that the original has not (an ACL inherited from the
    directory's default ACL) are removed, so the file keeps exactly its own.
    """
    try:
        names = list_xattrs(source)
        for name in names:
            set_xattr(target, name, get_xattr(source, name))
        for name in list_xattrs(target):
            if name not in names:
                remove_xattr(target, name)
    except OSError as error:
        raise WriteError(
            f"the file's extended attributes or ACL cannot be kept ({error.strerror or error}); "
            "it was not written"
        ) from None


def write_new_file(target: Path, data: bytes) -> None:
    """Create or replace ``target`` (a report, a baseline) with ``data`` through a temporary file.

    An existing file keeps its permission bits; a new one gets those the umask allows.
    """
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = new_file_mode()
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}") from None
    _through_temporary(
        target, data, lambda descriptor, temporary: set_mode(descriptor, temporary, mode)
    )


def _through_temporary(
    target: Path,
    data: bytes,
    prepare: Callable[[int, Path], None],
    before_rename: Callable[[], None] = lambda: None,
) -> None:
    """Write ``data`` to a temporary file beside ``target``, ``prepare`` it, rename it over.

    ``prepare`` gets the temporary file's descriptor and its path (for the OS calls that
    need a path where the descriptor one is missing: :mod:`codemods.portability`).

    Whatever stops the write (a signal, a full disk, a refusal) removes the temporary file.
    Its name is chosen before it is created, so a signal that arrives between its creation
    and the next statement still finds it to remove (``mkstemp`` would not say its name).
    """
    for _attempt in range(8):
        temporary = target.parent / temporary_name(target.name)
        try:
            descriptor = os.open(temporary, creating_flags(), 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                prepare(handle.fileno(), temporary)
            before_rename()
            os.replace(temporary, target)
            return
        except FileExistsError:
            continue  # not ours: another name
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(error, OSError):
                raise WriteError(f"cannot write: {error.strerror or error}") from None
            raise
    raise WriteError("cannot create a temporary file: every name tried exists")


def _check_writable(opened: OpenedFile) -> None:
    """Raise WriteError unless we may replace the opened file as it is."""
    status = opened.status
    if status.st_nlink > 1:
        raise WriteError(
            f"the file has {status.st_nlink} hard links; replacing it would split them, "
            "so it was not written"
        )
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("the file is read-only; it was not written")
    if not os.access(opened.path, os.W_OK):
        raise WriteError("no permission to write the file; it was not written")


def _keep_owner(descriptor: int, status: os.stat_result) -> None:
    """Give the temporary file the original's owner and group, or raise WriteError."""
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid):
        return
    try:
        keep_owner(descriptor, status.st_uid, status.st_gid)
    except OSError:
        raise WriteError(
            "the file belongs to another user or group that a rewritten file could not "
            "keep; it was not written"
        ) from None
