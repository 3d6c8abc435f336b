"""Paths on the command line -> the Python files to process, in a stable order.

* A file named explicitly is always processed, whatever its name or the excludes.
* Directories are walked for ``*.py`` and ``*.pyi`` files, in sorted order. Symbolic links to
  directories are followed once each (a link loop is walked once, never forever).
* Skipped while walking: the default excludes (:data:`DEFAULT_EXCLUDES`), the ``exclude``
  patterns (gitignore syntax, matched against the path relative to the walked directory), and
  whatever the ``.gitignore`` files say -- those inside the walked tree and those of its parent
  directories up to the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pathspec

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".eggs",
    "node_modules",
)
PYTHON_SUFFIXES = (".py", ".pyi")


class DiscoveryError(Exception):
    """A path on the command line cannot be used (it does not exist, or cannot be read)."""


def discover(paths: Sequence[Path], exclude: Iterable[str] = ()) -> list[Path]:
    """Return the files to process for ``paths``: explicit files, then walked ones, no repeats."""
    excludes = pathspec.GitIgnoreSpec.from_lines([*DEFAULT_EXCLUDES, *exclude])
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise DiscoveryError(f"path does not exist: {path}")
        candidates = [path] if not path.is_dir() else _walk(path, excludes)
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


class _IgnoreRules:
    """The ``.gitignore`` specs that apply in one directory, each with its base directory."""

    def __init__(self, rules: tuple[tuple[Path, pathspec.GitIgnoreSpec], ...] = ()) -> None:
        self.rules = rules

    def with_directory(self, directory: Path) -> _IgnoreRules:
        """Return these rules plus the ``.gitignore`` of ``directory``, if it has one."""
        spec = _read_gitignore(directory / ".gitignore")
        return self if spec is None else _IgnoreRules((*self.rules, (directory, spec)))

    def ignores(self, path: Path, is_dir: bool) -> bool:
        """Tell whether the last matching rule (deepest ``.gitignore`` last) ignores ``path``."""
        ignored = False
        for base, spec in self.rules:
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                ignored = result.include
        return ignored


def _walk(root: Path, excludes: pathspec.GitIgnoreSpec) -> Iterator[Path]:
    """Yield the Python files under ``root``, as paths that start with ``root`` as given."""
    absolute_root = Path(os.path.abspath(root))
    visited: set[tuple[int, int]] = set()
    walked = _walk_directory(
        absolute_root, absolute_root, _parent_gitignores(absolute_root), excludes, visited
    )
    for path in walked:
        yield root / path.relative_to(absolute_root)


def _walk_directory(
    directory: Path,
    root: Path,
    rules: _IgnoreRules,
    excludes: pathspec.GitIgnoreSpec,
    visited: set[tuple[int, int]],
) -> Iterator[Path]:
    try:
        status = directory.stat()
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        raise DiscoveryError(f"cannot read directory {directory}: {error.strerror}") from None
    if (status.st_dev, status.st_ino) in visited:
        return
    visited.add((status.st_dev, status.st_ino))
    rules = rules.with_directory(directory)
    for entry in entries:
        path = directory / entry.name
        try:
            is_dir = entry.is_dir()  # follows symbolic links; a dangling one is neither
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        relative = path.relative_to(root).as_posix() + ("/" if is_dir else "")
        if excludes.match_file(relative) or rules.ignores(path, is_dir):
            continue
        if is_dir:
            yield from _walk_directory(path, root, rules, excludes, visited)
        elif is_file and entry.name.endswith(PYTHON_SUFFIXES):
            yield path


def _parent_gitignores(absolute_root: Path) -> _IgnoreRules:
    """Collect the ``.gitignore`` files above ``absolute_root``, up to its repository's root."""
    parents: list[Path] = []
    for directory in absolute_root.parents:
        parents.append(directory)
        if (directory / ".git").exists():
            break
    else:
        return _IgnoreRules()  # not in a repository: ignore files above it do not apply
    rules = _IgnoreRules()
    for directory in reversed(parents):
        rules = rules.with_directory(directory)
    return rules


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)
