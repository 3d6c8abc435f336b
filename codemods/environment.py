"""The project's Python environment, found without running anything from it.

:func:`find_environment` looks, in this order, at

1. an explicit setting: a virtual environment's directory or its Python executable
   (``.venv``, ``/x/venv/bin/python``; a relative path is taken from the project root). A
   setting that names no environment gives ``None``: it is never replaced by a guess;
2. ``VIRTUAL_ENV`` from the environment variables (a stale value falls through to 3);
   like an explicit setting, it may name an environment without ``pyvenv.cfg``;
3. a ``.venv`` or ``venv`` directory beside the project root holding ``pyvenv.cfg``.

Nothing is executed: the environment's ``pyvenv.cfg`` (``version`` or ``version_info``,
``home``, ``base-prefix``, ``include-system-site-packages``) and its directory layout
(``lib/pythonX.Y/site-packages``, ``lib64/...``, ``Lib/site-packages`` on Windows,
``lib/pypyX.Y/site-packages``) say where its ``site-packages`` and its Python's standard
library are. An explicitly named directory or executable without ``pyvenv.cfg`` (a conda
environment, a system Python) is read by its layout alone. When the environment's standard
library is not found (``home`` moved), the running interpreter's is used
(``sysconfig.get_paths()["stdlib"]``).

An environment is untrusted input like the rest of a checkout: ``pyvenv.cfg`` is read
through :func:`codemods.inputs.read_input` (regular files only, at most
:data:`MAX_CONFIG_SIZE` bytes, never blocking), and only when its real path is inside the
environment's directory; directory listings stop after :data:`MAX_LISTING` entries. Any
failure (a FIFO as ``pyvenv.cfg``, a symlink loop, a file too large, no permission) means
"no environment", never an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path

from codemods.inputs import InputError, read_input

MAX_CONFIG_SIZE = 64 * 1024
"""The most bytes a ``pyvenv.cfg`` may have (real ones have a few hundred)."""

MAX_LISTING = 20_000
"""The most directory entries looked at in one listing (``site-packages``, ``lib``)."""

VENV_CONFIG = "pyvenv.cfg"
"""The file every virtual environment holds (``venv``, ``virtualenv``, ``uv``)."""

PROJECT_VENV_NAMES = (".venv", "venv")
"""The directories beside the project root that are taken for its environment."""

_VERSION = re.compile(r"\s*(\d+)\.(\d+)")
_VERSION_DIRECTORY = re.compile(r"(?:python|pypy)(\d+)\.(\d+)t?")
_DISTRIBUTION_DIRECTORY = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py[^-]*)?$")


@dataclasses.dataclass(frozen=True)
class Distribution:
    """An installed distribution, from the name of its ``*.dist-info`` (or ``*.egg-info``)."""

    name: str
    """Its name as the directory spells it (``twisted``, ``zope_interface``)."""
    version: str
    """Its version (``24.3.0``)."""
    path: Path
    """Its ``*.dist-info`` or ``*.egg-info`` directory."""


@dataclasses.dataclass(frozen=True)
class Environment:
    """A Python environment: where its libraries and its standard library are."""

    root: Path
    """The environment's directory (``/x/project/.venv``), absolute, symlinks kept."""
    site_packages: tuple[Path, ...]
    """Its ``site-packages`` directories, in import order (the base Python's last, when
    ``include-system-site-packages`` is true)."""
    stdlib: Path | None
    """The standard library of its Python, else the running interpreter's, else ``None``."""
    python_version: tuple[int, int] | None
    """Its Python's ``(major, minor)``, when ``pyvenv.cfg`` or the layout says."""
    how: str
    """How it was found, for ``-v``: ``VIRTUAL_ENV=/x/venv``, ``.venv beside the project
    root``..."""

    def distributions(self) -> tuple[Distribution, ...]:
        """Return the distributions installed in :attr:`site_packages`, in listing order."""
        found: list[Distribution] = []
        for directory in self.site_packages:
            found.extend(installed_distributions(directory))
        return tuple(found)

    def fingerprint(self) -> str:
        """Return a key that changes when the environment does (for caches).

        It covers the paths, the Python version and the name and version of every installed
        distribution (from the ``*.dist-info`` directory names), not the files' contents.
        """
        lines = [
            f"root={self.root}",
            *(f"site={path}" for path in self.site_packages),
            f"stdlib={self.stdlib}",
            f"version={self.python_version}",
        ]
        for directory in self.site_packages:
            names = sorted(
                f"{item.name}=={item.version}" for item in installed_distributions(directory)
            )
            lines.extend(f"{directory}:{name}" for name in names)
        return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def find_environment(
    project_root: Path, configured: str | None, environ: Mapping[str, str]
) -> Environment | None:
    """Return the project's environment, or ``None`` (see the module docstring for the order).

    ``configured`` is the explicit setting (a directory or an executable; relative to
    ``project_root``); ``environ`` is where ``VIRTUAL_ENV`` is looked up (``os.environ``).
    """
    try:
        return _find(project_root, configured, environ)
    except (OSError, ValueError, InputError, RecursionError):  # pragma: no cover - defensive
        return None


def _find(
    project_root: Path, configured: str | None, environ: Mapping[str, str]
) -> Environment | None:
    if configured:
        path = Path(os.path.expanduser(configured))
        if not path.is_absolute():
            path = project_root / path
        return _from_setting(Path(os.path.abspath(path)), configured)
    active = environ.get("VIRTUAL_ENV", "")
    if active and "\0" not in active:
        found = _from_directory(
            Path(os.path.abspath(active)), f"VIRTUAL_ENV={active}", layout_only=True
        )
        if found is not None:
            return found
    for name in PROJECT_VENV_NAMES:
        candidate = project_root / name
        if candidate.is_dir() and (candidate / VENV_CONFIG).is_file():
            found = _from_directory(
                Path(os.path.abspath(candidate)), f"{name} beside the project root"
            )
            if found is not None:
                return found
    return None


def _from_setting(path: Path, configured: str) -> Environment | None:
    """Read the environment an explicit setting names: a directory or a Python executable."""
    if "\0" in str(path):
        return None
    if path.is_dir():
        return _from_directory(path, f"configured: {configured}", layout_only=True)
    if not path.is_file():
        return None
    executable = path
    parent = executable.parent
    roots = [parent.parent] if parent.name in ("bin", "Scripts") else []
    roots.append(parent)  # Windows: python.exe sits in the environment's directory
    version = _version_of(executable.name)
    for root in roots:
        found = _from_directory(
            root,
            f"configured: {configured} (its environment {root})",
            layout_only=True,
            version=version,
        )
        if found is not None:
            return found
    return None


def _from_directory(
    root: Path,
    how: str,
    *,
    layout_only: bool = False,
    version: tuple[int, int] | None = None,
) -> Environment | None:
    """Read the environment in ``root``: by its ``pyvenv.cfg`` or, if allowed, its layout."""
    config = read_venv_config(root)
    if config is None:
        if not layout_only or os.path.lexists(root / VENV_CONFIG):
            return None  # no venv here, or a pyvenv.cfg that cannot be read
        return _from_layout(root, how, version)
    version = _version_of(config.get("version_info", "")) or _version_of(config.get("version", ""))
    site = _site_packages(root, version)
    if version is None:
        version = _single_version(site)
    if config.get("include-system-site-packages", "").strip().lower() == "true":
        site = _unique([*site, *_base_site_packages(config, version)])
    stdlib = _venv_stdlib(config, version) or running_stdlib()
    return Environment(root, tuple(site), stdlib, version, how)


def _from_layout(root: Path, how: str, version: tuple[int, int] | None) -> Environment | None:
    """Read a Python installation without ``pyvenv.cfg`` (conda, a system Python)."""
    site = _site_packages(root, version)
    if not site:
        return None
    version = version or _single_version(site)
    stdlib = _prefix_stdlib(root, version) or running_stdlib()
    return Environment(root, tuple(site), stdlib, version, how)


def read_venv_config(root: Path) -> dict[str, str] | None:
    """Return the keys and values of ``root/pyvenv.cfg``, or ``None`` if it is not read.

    Only a regular file of at most :data:`MAX_CONFIG_SIZE` bytes whose real path is in
    ``root`` (a symlink out of the environment is refused). Keys are lower-cased.
    """
    path = root / VENV_CONFIG
    try:
        real_root = os.path.realpath(root)
        if os.path.dirname(os.path.realpath(path)) != real_root:
            return None
        data = read_input(path, MAX_CONFIG_SIZE)
    except (OSError, InputError, ValueError, RecursionError):
        return None
    values: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        key, equals, value = line.partition("=")
        if equals and not key.lstrip().startswith(("#", ";")):
            values[key.strip().lower()] = value.strip()
    return values


def _version_of(text: str) -> tuple[int, int] | None:
    """Return ``(3, 11)`` for ``3.11.7``, ``3.11.7.final.0`` or ``python3.11``, else ``None``."""
    match = _VERSION.match(text.removeprefix("python").removeprefix("pypy"))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _site_packages(root: Path, version: tuple[int, int] | None) -> list[Path]:
    """Return the ``site-packages`` directories of the environment in ``root``."""
    candidates: list[Path] = [root / "Lib" / "site-packages"]
    for lib in ("lib", "lib64"):
        if version is not None:
            major, minor = version
            for name in (
                f"python{major}.{minor}",
                f"python{major}.{minor}t",
                f"pypy{major}.{minor}",
            ):
                candidates.append(root / lib / name / "site-packages")
        else:
            for entry in _listing(root / lib):
                if _VERSION_DIRECTORY.fullmatch(entry):
                    candidates.append(root / lib / entry / "site-packages")
    return _unique(path for path in candidates if path.is_dir())


def _single_version(site: list[Path]) -> tuple[int, int] | None:
    """Return the one version the ``site-packages`` paths name (``lib/python3.11/...``)."""
    versions = {
        (int(match.group(1)), int(match.group(2)))
        for path in site
        if (match := _VERSION_DIRECTORY.fullmatch(path.parent.name))
    }
    return versions.pop() if len(versions) == 1 else None


def _base_prefixes(config: Mapping[str, str]) -> list[Path]:
    """Return the base Python's prefix: ``base-prefix``, else the parent of ``home``."""
    prefixes: list[Path] = []
    for key in ("base-prefix", "base_prefix"):
        if config.get(key):
            prefixes.append(Path(config[key]))
    home = config.get("home", "")
    if home:
        home_path = Path(home)
        prefixes.append(home_path.parent if home_path.name in ("bin", "Scripts") else home_path)
        prefixes.append(home_path.parent)
    return _unique(path for path in prefixes if path.is_absolute() and "\0" not in str(path))


def _base_site_packages(config: Mapping[str, str], version: tuple[int, int] | None) -> list[Path]:
    """Return the base Python's ``site-packages`` (and Debian's ``dist-packages``)."""
    found: list[Path] = []
    for prefix in _base_prefixes(config):
        found.extend(_site_packages(prefix, version))
        if version is not None:
            major, minor = version
            found.append(prefix / "local" / "lib" / f"python{major}.{minor}" / "dist-packages")
            found.append(prefix / "lib" / f"python{major}" / "dist-packages")
    return [path for path in found if path.is_dir()]


def _venv_stdlib(config: Mapping[str, str], version: tuple[int, int] | None) -> Path | None:
    """Return the standard library of the venv's base Python (from ``home``), or ``None``."""
    for prefix in _base_prefixes(config):
        found = _prefix_stdlib(prefix, version)
        if found is not None:
            return found
    return None


def _prefix_stdlib(prefix: Path, version: tuple[int, int] | None) -> Path | None:
    """Return ``prefix/lib/pythonX.Y`` (or ``prefix/Lib``) if it holds ``os.py``."""
    candidates = [prefix / "Lib"]
    if version is not None:
        major, minor = version
        candidates += [
            prefix / "lib" / f"python{major}.{minor}",
            prefix / "lib" / f"pypy{major}.{minor}",
        ]
    else:
        candidates += [
            prefix / "lib" / entry
            for entry in sorted(_listing(prefix / "lib"))
            if _VERSION_DIRECTORY.fullmatch(entry)
        ]
    for candidate in candidates:
        if (candidate / "os.py").is_file():
            return candidate
    return None


def running_stdlib() -> Path | None:
    """Return the running interpreter's standard library directory, or ``None``."""
    try:
        path = Path(sysconfig.get_paths()["stdlib"])
    except (KeyError, OSError, ValueError):  # pragma: no cover - a broken installation
        return None
    return path if path.is_dir() else None


def installed_distributions(site_packages: Path) -> tuple[Distribution, ...]:
    """Return the distributions in ``site_packages``, from ``*.dist-info``/``*.egg-info`` names.

    Nothing is read but the directory's listing (at most :data:`MAX_LISTING` entries).
    """
    found: list[Distribution] = []
    for entry in _listing(site_packages):
        stem, dot, suffix = entry.rpartition(".")
        if not dot or suffix not in ("dist-info", "egg-info"):
            continue
        match = _DISTRIBUTION_DIRECTORY.fullmatch(stem)
        if match:
            found.append(Distribution(match["name"], match["version"], site_packages / entry))
    return tuple(found)


def _listing(directory: Path) -> Iterator[str]:
    """Yield the names in ``directory`` (at most :data:`MAX_LISTING`); nothing on an error."""
    names: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if len(names) >= MAX_LISTING:
                    break
                names.append(entry.name)
    except (OSError, ValueError):
        return iter(())
    return iter(names)


def _unique(paths: Iterator[Path] | list[Path]) -> list[Path]:
    """Return ``paths`` without repeats (``lib64`` is often a symlink to ``lib``)."""
    seen: set[str] = set()
    kept: list[Path] = []
    for path in paths:
        try:
            key = os.path.realpath(path)
        except (OSError, ValueError):  # pragma: no cover - defensive
            continue
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def environment_fingerprint(root: str) -> str:
    """Return the fingerprint of the environment at ``root`` now (``""``: none is there).

    For a cache entry that read this environment's libraries: the entry is used only while
    this stays what it was.
    """
    found = find_environment(Path(root), root, {})
    return found.fingerprint() if found is not None else ""
