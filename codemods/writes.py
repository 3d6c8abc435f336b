"""Writing fixed files safely: atomic, same owner and mode, never over a file that changed.

A write goes to a temporary file in the same directory, is flushed to disk, takes the
original file's owner, group and permission bits, and replaces the original with
``os.replace`` -- so a reader sees the old file or the new one, never half of one. A symbolic
link stays a link: its target is written. The write is refused, with the file left as it was,
when

* the file is not a regular file (a device, a FIFO, a socket...);
* the file has more than one hard link (replacing it would split them);
* we may not write the file itself (read-only, or another user's file that only its
  directory lets us replace), or its owner and group cannot be kept;
* the file's bytes differ from those the fix was computed from (it changed under us);
* the new text does not parse (the engine already checked; this is the last net).

The check that the file did not change is made twice: when the run starts writing it, and
again after the temporary file is complete, immediately before the rename. What remains is
the window between that last read and ``os.replace`` (microseconds): POSIX has no
compare-and-swap rename, so a program that writes the file in exactly that window loses its
write. An interrupted write (a signal, a full disk) removes its temporary file.

Where the OS lacks a call this needs (``os.fchown`` and, before Python 3.13, ``os.fchmod`` on
Windows, whose files have no POSIX owner and only a read-only bit), :mod:`codemods.portability`
says what is done instead.
"""

from __future__ import annotations

import ast
import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from codemods.deepstack import TooDeep, call_with_room
from codemods.engine import FileResult
from codemods.portability import creating_flags, keep_owner, new_file_mode, set_mode
from codemods.source import file_digest


class WriteError(Exception):
    """The fixed text was not written; the message says why."""


def write_result(path: Path, result: FileResult) -> None:
    """Write ``result.new_text`` to ``path`` (encoded as the file was), or raise WriteError."""
    if result.error is not None:
        raise WriteError("the file has errors; it was not written")
    target = Path(os.path.realpath(path))
    try:
        call_with_room(lambda: ast.parse(result.new_text))
        data = result.new_bytes()
    except TooDeep:
        raise WriteError("the fixed text nests too deeply to check; not written") from None
    except SyntaxError as error:
        raise WriteError(f"the fixed text does not parse ({error.msg}); not written") from None
    except UnicodeEncodeError as error:
        raise WriteError(
            f"the fixed text cannot be encoded as {result.encoding}: {error}"
        ) from None
    replace_atomically(target, data, expected_digest=result.digest)


def replace_atomically(target: Path, data: bytes, *, expected_digest: str | None = None) -> None:
    """Replace the regular file ``target`` with ``data``, keeping its owner, group and mode.

    With ``expected_digest``, refuse unless the file's bytes still have that digest, checked
    before writing and again just before the rename.
    """
    status = _writable_status(target)
    if expected_digest is not None:
        _check_unchanged(target, expected_digest)

    def prepare(descriptor: int, temporary: Path) -> None:
        _keep_owner(descriptor, status)
        set_mode(descriptor, temporary, stat.S_IMODE(status.st_mode))
        os.fsync(descriptor)

    def before_rename() -> None:
        if expected_digest is not None:
            _check_unchanged(target, expected_digest)

    _through_temporary(target, data, prepare, before_rename)


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
        temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.codemods-tmp"
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


def _writable_status(target: Path) -> os.stat_result:
    """Return ``target``'s status if we may replace it as it is; raise WriteError if not."""
    try:
        status = target.stat()
    except OSError as error:
        raise WriteError(f"cannot read the file again: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise WriteError("not a regular file; it was not written")
    if status.st_nlink > 1:
        raise WriteError(
            f"the file has {status.st_nlink} hard links; replacing it would split them, "
            "so it was not written"
        )
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("the file is read-only; it was not written")
    if not os.access(target, os.W_OK):
        raise WriteError("no permission to write the file; it was not written")
    return status


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


def _check_unchanged(target: Path, expected_digest: str) -> None:
    try:
        current = target.read_bytes()
    except OSError as error:
        raise WriteError(f"cannot read the file again: {error.strerror or error}") from None
    if file_digest(current) != expected_digest:
        raise WriteError("the file changed since it was read; it was not written")
