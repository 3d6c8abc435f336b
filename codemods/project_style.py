"""Read a project's style settings from the linters' and formatters' own configuration files.

:func:`project_line_length` finds the maximum line length a project configures, so that a
codemod writing new lines (docstring stubs) can stay within the width the project's linters
enforce. Only values set explicitly count: a tool's built-in default is not "the project's".
A file that cannot be read, is not valid TOML or INI, or holds a value that is not a positive
integer is ignored, as if it said nothing: style is a default, never a reason to stop.
"""

from __future__ import annotations

import configparser
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeGuard

from codemods.inputs import InputError, read_input

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

LineLength = tuple[int, str]
"""The length, and where it came from: ``"/repo/pyproject.toml: [tool.ruff] line-length"``."""

TOML_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    ".ruff.toml": (
        ("lint", "pycodestyle", "max-line-length"),
        ("pycodestyle", "max-line-length"),
        ("line-length",),
    ),
    "ruff.toml": (
        ("lint", "pycodestyle", "max-line-length"),
        ("pycodestyle", "max-line-length"),
        ("line-length",),
    ),
    "pyproject.toml": (
        ("tool", "ruff", "lint", "pycodestyle", "max-line-length"),
        ("tool", "ruff", "pycodestyle", "max-line-length"),
        ("tool", "ruff", "line-length"),
        ("tool", "black", "line-length"),
    ),
}
"""TOML files read in each directory, in this order, and their keys, first match wins.

ruff's ``pycodestyle.max-line-length`` is the width its E501 enforces when set (otherwise
``line-length``, which is also the formatter's); ruff reads ``.ruff.toml`` before
``ruff.toml`` before ``pyproject.toml``. black has only ``line-length``."""
INI_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    name: (
        ("flake8", "max-line-length"),
        ("flake8", "max_line_length"),
        ("pycodestyle", "max-line-length"),
        ("pycodestyle", "max_line_length"),
        ("pep8", "max-line-length"),
        ("pep8", "max_line_length"),
    )
    for name in ("setup.cfg", "tox.ini", ".flake8")
}
"""INI files read after the TOML ones in each directory, and their ``[section] key``s."""


def project_line_length(start: Path) -> LineLength | None:
    """Return the first maximum line length configured in ``start`` or a directory above it.

    Each directory from ``start`` (a directory) up to the filesystem root is searched in the
    order of :data:`TOML_KEYS` then :data:`INI_KEYS`: ruff's and black's settings come
    before flake8's and pycodestyle's in one directory, and the nearest directory with any
    setting wins. ``None`` when no file on the way sets one.
    """
    for directory in _upwards(start):
        for name, toml_keys in TOML_KEYS.items():
            found = _from_toml(directory / name, toml_keys)
            if found is not None:
                return found
        for name, ini_keys in INI_KEYS.items():
            found = _from_ini(directory / name, ini_keys)
            if found is not None:
                return found
    return None


def _upwards(start: Path) -> Iterator[Path]:
    directory = start.absolute()
    yield directory
    yield from directory.parents


def _from_toml(path: Path, keys: tuple[tuple[str, ...], ...]) -> LineLength | None:
    table = _read(path, lambda text: tomllib.loads(text))
    if table is None:
        return None
    for key in keys:
        value: Any = table
        for part in key:
            value = value.get(part) if isinstance(value, Mapping) else None
        if _is_length(value):
            section = f"[{'.'.join(key[:-1])}] " if len(key) > 1 else ""
            return value, f"{path}: {section}{key[-1]}"
    return None


def _from_ini(path: Path, keys: tuple[tuple[str, str], ...]) -> LineLength | None:
    parser = _read(path, _parse_ini)
    if parser is None:
        return None
    for section, option in keys:
        raw = parser.get(section, option, fallback=None)
        value = int(raw) if raw is not None and raw.strip().isdigit() else None
        if _is_length(value):
            return value, f"{path}: [{section}] {option}"
    return None


def _parse_ini(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


def _read(path: Path, parse: Callable[[str], Any]) -> Any:
    """Parse the file with ``parse``; ``None`` when it is missing, unreadable or invalid."""
    try:
        if not path.is_file():
            return None
        return parse(read_input(path).decode("utf-8"))  # bounded: a checkout is untrusted
    except (
        OSError,
        InputError,
        UnicodeDecodeError,
        ValueError,
        RecursionError,
        configparser.Error,
    ):
        return None  # tomllib.TOMLDecodeError is a ValueError


def _is_length(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
