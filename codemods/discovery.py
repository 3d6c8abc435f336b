"""Paths on the command line -> the Python files to process, in a stable order.

* A file named explicitly is processed whatever its name or the excludes -- unless
  ``force_exclude`` (``--force-exclude``, as pre-commit and editors call us): then the
  ``exclude`` patterns apply to it too.
* Directories are walked for ``*.py`` and ``*.pyi`` files, in sorted order. Symbolic links to
  directories are followed once each (a link loop is walked once, never forever).
* Skipped while walking: the default excludes (:data:`DEFAULT_EXCLUDES`), every virtual
  environment (a directory holding ``pyvenv.cfg``, whatever its name: ``env/``, ``py311/``),
  the ``exclude`` patterns, and whatever the ``.gitignore`` files say -- those inside the
  walked tree and those of its parent directories up to the repository root. A directory
  named on the command line is walked even when it is excluded or is a virtual environment
  (as ruff walks a directory it is given); ``site-packages`` inside it is still skipped.
* ``exclude`` patterns use gitignore syntax and are relative to the project root (the
  nearest directory above the paths holding ``.git``, ``.hg`` or a ``pyproject.toml``; see
  :func:`codemods.config.find_project_root`), whatever directory is walked:
  ``pkg/migrations/`` holds for ``codemods check .`` and for ``codemods check pkg`` alike. A
  file outside the root is matched by its path relative to the walked directory.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pathspec

from codemods.inputs import InputError, read_input

DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
"""Never walked into: the union of ruff's default ``exclude`` and black's
``DEFAULT_EXCLUDES`` (version control, tool caches, build output, installed packages,
environments), plus ``__pycache__``."""
VENV_MARKER = "pyvenv.cfg"
"""The file every virtual environment holds (``venv``, ``virtualenv``, ``uv``): a directory
holding it is never walked into, whatever its name."""
PYTHON_SUFFIXES = (".py", ".pyi")


class DiscoveryError(Exception):
    """A path on the command line cannot be used (it does not exist, or cannot be read)."""


UnreadableDirectory = Callable[[Path, OSError], None]
"""Called for each directory the walk cannot read; the walk goes on without it."""


def check_paths(paths: Iterable[Path]) -> None:
    """Raise :class:`DiscoveryError` for a path that does not exist or cannot be looked at."""
    for path in paths:
        try:
            os.stat(path)
        except FileNotFoundError:
            raise DiscoveryError(f"path does not exist: {path}") from None
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise DiscoveryError(f"cannot use path {path}: {reason}") from None


def exclude_spec(exclude: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Return the spec of the default excludes and ``exclude``; a bad pattern is a ValueError."""
    patterns = [*DEFAULT_EXCLUDES, *exclude]
    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except (ValueError, re.error):
        for pattern in patterns:  # name the pattern that is wrong
            try:
                pathspec.GitIgnoreSpec.from_lines([pattern])
            except (ValueError, re.error) as error:
                raise ValueError(f"invalid exclude pattern {pattern!r}: {error}") from None
        raise


class Exclusions:
    """The ``exclude`` patterns of a run (plus the defaults), relative to ``root``."""

    def __init__(self, patterns: Iterable[str] = (), root: Path | None = None) -> None:
        """Compile the patterns; a bad one is a :class:`DiscoveryError` naming it."""
        try:
            self.spec = exclude_spec(patterns)
        except ValueError as error:
            raise DiscoveryError(str(error)) from None
        self.root = Path(os.path.abspath(root if root is not None else Path.cwd()))
        self._walked_excluded: dict[Path, bool] = {}

    def excludes(self, path: Path, is_dir: bool = False, walked: Path | None = None) -> bool:
        """Tell whether ``path`` is excluded (``walked``: the directory being walked).

        Inside a walked directory that is itself excluded (the user named it), the
        patterns match the path relative to that directory, as for a tree of its own.
        """
        absolute = Path(os.path.abspath(path))
        if walked is not None and (
            not absolute.is_relative_to(self.root) or self._named_excluded(walked)
        ):
            relative = absolute.relative_to(walked)
        elif absolute.is_relative_to(self.root):
            relative = absolute.relative_to(self.root)
        else:
            relative = Path(path)
        return self.spec.match_file(_matchable(relative.as_posix() + ("/" if is_dir else "")))

    def _named_excluded(self, walked: Path) -> bool:
        if walked not in self._walked_excluded:
            excluded = walked != self.root and self.excludes(walked, is_dir=True)
            self._walked_excluded[walked] = excluded
        return self._walked_excluded[walked]


def _matchable(name: str) -> str:
    r"""Return ``name`` as text a pattern engine takes: a byte that is not UTF-8 (a file name's
    ``\udcXX`` escape) becomes U+FFFD, which wildcards match and no written pattern names.

    (pathspec hands names to google-re2 where it is installed, which refuses such escapes.)
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def discover(
    paths: Sequence[Path],
    exclusions: Exclusions | None = None,
    on_unreadable: UnreadableDirectory | None = None,
    *,
    force_exclude: bool = False,
) -> list[Path]:
    """Return the files to process for ``paths``: explicit files, then walked ones, no repeats.

    A directory that cannot be read is handed to ``on_unreadable`` and skipped; without
    that callback it is a :class:`DiscoveryError`.
    """
    exclusions = exclusions or Exclusions()
    check_paths(paths)
    found: list[Path] = []
    seen: set[object] = set()
    for path in paths:
        if not path.is_dir():
            candidates: Iterable[Path] = [path]
            if force_exclude and exclusions.excludes(path):
                candidates = []
        else:
            candidates = _walk(path, exclusions, on_unreadable)
        for candidate in candidates:
            key = _identity(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _identity(path: Path) -> object:
    """Return what names one file however it is reached: its device and inode.

    (One ``stat``; resolving the path would ``lstat`` each of its components.)
    """
    try:
        status = os.stat(path)
    except OSError:
        return path.resolve()
    return (status.st_dev, status.st_ino)


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


def _walk(
    root: Path, exclusions: Exclusions, on_unreadable: UnreadableDirectory | None
) -> Iterator[Path]:
    """Yield the Python files under ``root``, as paths that start with ``root`` as given."""
    absolute_root = Path(os.path.abspath(root))
    report: UnreadableDirectory | None = None
    if on_unreadable is not None:

        def report(directory: Path, error: OSError) -> None:
            on_unreadable(root / directory.relative_to(absolute_root), error)  # as given

    walk = _Walk(absolute_root, exclusions, report)
    walked = walk.directory(absolute_root, _parent_gitignores(absolute_root))
    for path in walked:
        yield root / path.relative_to(absolute_root)


class _Walk:
    """One walk of a directory tree: its root, excludes, and the directories already seen."""

    def __init__(
        self,
        root: Path,
        exclusions: Exclusions,
        on_unreadable: UnreadableDirectory | None,
    ) -> None:
        self.root = root
        self.exclusions = exclusions
        self.on_unreadable = on_unreadable
        self.visited: set[tuple[int, int]] = set()

    def directory(self, directory: Path, rules: _IgnoreRules) -> Iterator[Path]:
        """Yield the Python files under ``directory`` that no rule excludes."""
        try:
            status = directory.stat()
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            if self.on_unreadable is None:
                raise DiscoveryError(
                    f"cannot read directory {directory}: {error.strerror}"
                ) from None
            self.on_unreadable(directory, error)
            return
        if (status.st_dev, status.st_ino) in self.visited:
            return
        self.visited.add((status.st_dev, status.st_ino))
        rules = rules.with_directory(directory)
        for entry in entries:
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()  # follows symbolic links; a dangling one is neither
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if self.exclusions.excludes(path, is_dir, self.root) or rules.ignores(path, is_dir):
                continue
            if is_dir:
                if not os.path.isfile(path / VENV_MARKER):  # a virtual environment
                    yield from self.directory(path, rules)
            elif is_file and entry.name.endswith(PYTHON_SUFFIXES):
                yield path


def _parent_gitignores(absolute_root: Path) -> _IgnoreRules:
    """Collect the ``.gitignore`` files above ``absolute_root``, up to its repository's root."""
    if (absolute_root / ".git").exists():
        return (
            _IgnoreRules()
        )  # a repository's root: the ignore files of one around it do not apply
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
    """Read a ``.gitignore`` through the bounded reader; a FIFO, device or huge file is none.

    (A ``.gitignore`` that is a FIFO would otherwise hang the walk; a link to
    ``/dev/zero`` would grow memory without end. git itself ignores such files too.)
    """
    try:
        lines = read_input(path).decode("utf-8", errors="replace").splitlines()
    except (OSError, InputError):
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def shard(paths: Sequence[Path], index: int, count: int, root: Path) -> list[Path]:
    """Return the paths of shard ``index`` (1-based) of ``count``: a deterministic partition.

    A file's shard follows from its path relative to ``root`` (the project's), hashed, so
    every machine of a CI matrix computes the same partition, each file lands in exactly one
    shard, and adding a file moves no other file.
    """
    chosen = []
    for path in paths:
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = path.as_posix()
        number = int.from_bytes(hashlib.sha256(os.fsencode(name)).digest()[:8], "big")
        if number % count == index - 1:
            chosen.append(path)
    return chosen
