"""Writing fixed files safely: atomic, same mode, never over a file that changed meanwhile.

A write goes to a temporary file in the same directory, is flushed to disk, takes the
original file's permission bits, and replaces the original with ``os.replace`` -- so a reader
sees the old file or the new one, never half of one. A symbolic link stays a link: its
target is written. The write is refused, with the file left as it was, when

* the file's bytes differ from those the fix was computed from (it changed under us),
* the file is read-only (no write permission bit, even for root),
* the new text does not parse (the engine already checked; this is the last net).
"""

from __future__ import annotations

import ast
import contextlib
import os
import stat
import tempfile
from pathlib import Path

from codemods.engine import FileResult
from codemods.source import file_digest


class WriteError(Exception):
    """The fixed text was not written; the message says why."""


def write_result(path: Path, result: FileResult) -> None:
    """Write ``result.new_text`` to ``path`` (encoded as the file was), or raise WriteError."""
    if result.error is not None:
        raise WriteError("the file has errors; it was not written")
    target = Path(os.path.realpath(path))
    try:
        current = target.read_bytes()
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as error:
        raise WriteError(f"cannot read the file again: {error.strerror or error}") from None
    if file_digest(current) != result.digest:
        raise WriteError("the file changed since it was read; it was not written")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("the file is read-only; it was not written")
    try:
        ast.parse(result.new_text)
        data = result.new_bytes()
    except SyntaxError as error:
        raise WriteError(f"the fixed text does not parse ({error.msg}); not written") from None
    except UnicodeEncodeError as error:
        raise WriteError(
            f"the fixed text cannot be encoded as {result.encoding}: {error}"
        ) from None
    replace_atomically(target, data, mode)


def replace_atomically(target: Path, data: bytes, mode: int) -> None:
    """Replace ``target`` with ``data`` through a temporary file in the same directory."""
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".codemods-tmp"
        )
    except OSError as error:
        raise WriteError(f"cannot create a temporary file: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write: {error.strerror or error}") from None
