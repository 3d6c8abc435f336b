"""The one reader of every input file that is not source: bounded, regular, non-blocking.

A checkout is untrusted input. Its ``pyproject.toml``, ``.codemods-baseline.json``,
``.gitignore`` files and the reports a run is given are read through :func:`read_input`:

* only a regular file is read -- a FIFO (which would block the walk forever), a device (a
  symlink to ``/dev/zero`` would grow memory until ``MemoryError``), a socket or a
  directory is refused; the file is checked before it is opened (opening a device can have
  effects), opened non-blocking, and checked again on the open descriptor (the logic of
  :func:`codemods.source.read_regular_file`);
* at most :data:`MAX_FILE_SIZE` bytes (64 MB, well above the largest module the benchmark
  uses) are read; a larger file, or one that grows past the limit while it is read, is
  refused;
* a path with a NUL byte is refused (``os.stat`` would raise ``ValueError``).

The parsers here (:func:`parse_json`, :func:`parse_toml`) refuse documents nested deeper
than :data:`MAX_DEPTH` with a one-line :class:`InputError` instead of a ``RecursionError``.
Callers turn an :class:`InputError` into their own one-line error (exit 2).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from typing import Any

from codemods.portability import reading_flags
from codemods.source import NotRegularFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_FILE_SIZE = 64 * 1024 * 1024
"""The most bytes an input file may have (the default of ``--max-file-size``)."""

MAX_DEPTH = 200
"""The deepest nesting of arrays and tables/objects a JSON or TOML input may have."""

_CHUNK = 1024 * 1024


class InputError(Exception):
    """An input file that is not read: not regular, too large, too deep, unreadable.

    The message is one line and does not name the file; the caller adds the name.
    """


def read_input(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """Return the bytes of the regular file ``path``, at most ``limit`` bytes.

    ``limit`` defaults to :data:`MAX_FILE_SIZE`. Raises ``FileNotFoundError`` for a missing
    file (callers often treat that as "none") and :class:`InputError` for anything else that
    stops the read: not a regular file, too large, a NUL byte in the path, an ``OSError``.
    """
    limit = MAX_FILE_SIZE if limit is None else limit
    if "\0" in os.fsdecode(path):
        raise InputError("the path has a NUL byte")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotRegularFile("not a regular file")
        descriptor = os.open(path, reading_flags())
    except FileNotFoundError:
        raise
    except NotRegularFile as error:
        raise InputError(f"{error} (a FIFO, device, socket or directory is not read)") from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise InputError("not a regular file (a FIFO, device, socket or directory)")
            if status.st_size > limit:
                raise InputError(_too_large(status.st_size, limit))
            pieces: list[bytes] = []
            size = 0
            while size <= limit:
                piece = handle.read(min(_CHUNK, limit + 1 - size))
                if not piece:
                    break
                pieces.append(piece)
                size += len(piece)
            if size > limit:
                raise InputError(_too_large(size, limit))
            return b"".join(pieces)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}") from None


def _too_large(size: int, limit: int) -> str:
    return f"larger than the limit of {limit} bytes ({size} bytes or more)"


def parse_json(text: str) -> Any:
    """Parse JSON ``text``; nesting deeper than :data:`MAX_DEPTH` is an :class:`InputError`.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) for text that is not JSON.
    """
    _check_depth(text)
    try:
        return json.loads(text)
    except RecursionError:  # pragma: no cover - _check_depth refuses it first
        raise InputError(_too_deep()) from None


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML ``text``; nesting deeper than :data:`MAX_DEPTH` is an :class:`InputError`.

    Raises ``tomllib.TOMLDecodeError`` (a ``ValueError``) for text that is not TOML.
    """
    _check_depth(text, toml=True)
    try:
        return tomllib.loads(text)
    except RecursionError:  # pragma: no cover - _check_depth refuses it first
        raise InputError(_too_deep()) from None


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels"


def _check_depth(text: str, *, toml: bool = False) -> None:
    """Refuse ``text`` whose brackets and braces, outside strings, nest too deeply.

    Exact for JSON; for TOML, strings (basic and literal, one-line and multi-line) and
    comments are skipped, so the count is the nesting of arrays and inline tables (a table
    header's brackets close on their line). Dotted keys build nested tables without
    recursion, so they need no limit here.
    """
    depth = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(_too_deep())
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == '"' or (toml and char == "'"):
            index = _string_end(text, index, toml)
        elif toml and char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        index += 1


def _string_end(text: str, start: int, toml: bool) -> int:
    """Return the index of the quote that closes the string opened at ``start``."""
    quote = text[start]
    if toml and text.startswith(quote * 3, start):
        end = text.find(quote * 3, start + 3)
        if end < 0:
            return len(text)
        while text.startswith(quote, end + 3):  # up to two quotes may end the content
            end += 1
        return end + 2
    index = start + 1
    escapes = quote == '"'
    while index < len(text):
        char = text[index]
        if escapes and char == "\\":
            index += 2
            continue
        if char == quote or (toml and char == "\n"):
            return index
        index += 1
    return len(text)
