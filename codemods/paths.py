"""Paths as the tool writes them: forward slashes on every OS, relative to a root where asked.

Diff headers, reports (``json``, ``sarif``, ``github``, ``rdjson``, ``triage``), ``check``
and ``-v`` lines, error lines, baseline entries and cache keys all name files through these
helpers, so Windows writes ``pkg/mod.py`` where it would write ``pkg\\mod.py``. On POSIX a
backslash is an ordinary character of a file name and is kept: nothing changes there.

``flavour`` is the path syntax to read a path with (default: :data:`NATIVE`, looked up at
each call); the tests pass :class:`~pathlib.PureWindowsPath`, or set :data:`NATIVE` to it, to
check Windows paths on any OS.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
from pathlib import PurePath, PureWindowsPath

NATIVE: type[PurePath] = type(PurePath())
"""This OS's path syntax: :class:`~pathlib.PurePosixPath` or :class:`PureWindowsPath`."""


def pure(path: str | os.PathLike[str], flavour: type[PurePath] | None = None) -> PurePath:
    """Return ``path`` read with ``flavour``'s syntax (default: this OS's)."""
    return (flavour or NATIVE)(path)


def posix_path(path: str | os.PathLike[str], flavour: type[PurePath] | None = None) -> str:
    """Return ``path`` with forward slashes, otherwise as it is written.

    Only the separators change (``src\\m.py`` becomes ``src/m.py`` under Windows syntax); a
    POSIX path comes back unchanged, backslashes included (there they are part of a name).
    """
    text = os.fspath(path)
    if issubclass(flavour or NATIVE, PureWindowsPath):
        return text.replace("\\", "/")
    return text


def relative_posix(
    path: str | os.PathLike[str],
    start: str | os.PathLike[str],
    flavour: type[PurePath] | None = None,
) -> str:
    """Return ``path`` relative to the directory ``start``, with forward slashes.

    Both should be absolute. A path outside ``start`` gets ``..`` components; one that
    cannot be relative to it at all (another drive, on Windows) comes back absolute, with
    forward slashes.
    """
    flavour = flavour or NATIVE
    module = ntpath if issubclass(flavour, PureWindowsPath) else posixpath
    try:
        relative = module.relpath(os.fspath(path), os.fspath(start))
    except ValueError:  # "path is on mount 'D:', start on mount 'C:'"
        return flavour(path).as_posix()
    return flavour(relative).as_posix()


def under_root(
    path: str | os.PathLike[str],
    root: str | os.PathLike[str],
    flavour: type[PurePath] | None = None,
) -> str | None:
    """Return ``path`` relative to ``root`` with forward slashes, or ``None`` if outside it.

    Both should be absolute; the comparison is by name (no link is resolved), and follows
    the flavour's case rules (Windows: ``C:\\Src`` holds ``c:\\src\\m.py``).
    """
    relative = relative_posix(path, root, flavour)
    outside = relative == ".." or relative.startswith("../")
    if outside or pure(relative, flavour).is_absolute():
        return None
    return relative
