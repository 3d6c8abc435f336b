"""``[tool.codemods]`` in ``pyproject.toml`` -> typed, frozen configuration.

Recognised keys::

    [tool.codemods]
    select = ["unused-variables", "docstring-stubs"]   # default: every codemod
    ignore = ["resize-guard"]
    exclude = ["migrations/*", "legacy/**"]            # gitignore-style, relative to this file
    force-exclude = true                               # exclude named files and stdin too
    rule-map = { "X100" = "unused-variables" }         # a report's rule id -> a codemod
    per-file-ignores = { "tests/*" = ["docstring-stubs"] }  # as ruff's per-file-ignores

    [tool.codemods.unused-variables]                   # one table per codemod id
    dummy-variable-rgx = "^_"

Keys may be written ``kebab-case`` or ``snake_case``. An unknown key or a value of the wrong
type is a :class:`ConfigError` whose one-line message names the file, the key and what was
expected.

The project root (:func:`find_project_root`, black's rule) is the nearest directory above the
paths that holds ``.git``, ``.hg`` or a ``pyproject.toml``, whether or not that file has our
table. The configuration is read from that root's ``pyproject.toml`` only, never from one
further up; the default baseline lives there, and the result cache is keyed by it.
"""

from __future__ import annotations

import dataclasses
import os.path
import sys
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Union

import pathspec

from codemods.baseline import Baseline
from codemods.changes import ChangedLines, changes_selector
from codemods.discovery import exclude_spec
from codemods.engine import Engine
from codemods.fixes.base import Codemod, Options
from codemods.fixes.registry import all_codemods
from codemods.inputs import InputError, parse_toml, read_input
from codemods.patterns import PATTERN_OPTIONS, PatternError, check_patterns
from codemods.project_style import project_line_length
from codemods.reports import Claim
from codemods.safety import unsafe_selector
from codemods.triage import claims_selector, rule_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOP_LEVEL_KEYS = (
    "select",
    "ignore",
    "exclude",
    "per-file-ignores",
    "unsafe-fixes",
    "extend-safe-fixes",
    "extend-unsafe-fixes",
    "force-exclude",
    "rule-map",
)
_LIST_KEYS = ("select", "ignore", "exclude", "extend-safe-fixes", "extend-unsafe-fixes")


PROJECT_MARKERS = (".git", ".hg", "pyproject.toml")
"""What makes a directory the project root, in the order they are looked for in one directory."""


class ConfigError(Exception):
    """Configuration that cannot be used; the message names the file and key."""


@dataclasses.dataclass(frozen=True)
class ProjectRoot:
    """The project root of a run, and the marker that made it the root."""

    path: Path
    marker: str | None = None
    """``.git``, ``.hg`` or ``pyproject.toml``; ``None``: no directory above the paths holds
    one, and the root is the current directory."""

    def describe(self) -> str:
        """Return the root and why, for ``-v``: ``/src/proj (it holds .git)``."""
        if self.marker is None:
            markers = ", ".join(PROJECT_MARKERS)
            return f"{self.path} (the current directory: none above the paths holds {markers})"
        return f"{self.path} (it holds {self.marker})"


@dataclasses.dataclass(frozen=True)
class Config:
    """The settings of one run, from the config file and the command line."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    """Codemod ids to run (``None``: all of them)."""
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    options: Mapping[str, Options] = dataclasses.field(default_factory=dict)
    """Options per codemod id; a codemod missing here runs with its defaults."""
    unsafe_fixes: bool = False
    """Make unsafe fixes too (``--unsafe-fixes``); otherwise they are held back."""
    extend_safe_fixes: tuple[str, ...] = ()
    """Codemod ids or rules whose fixes count as safe."""
    extend_unsafe_fixes: tuple[str, ...] = ()
    """Codemod ids or rules whose fixes count as unsafe."""
    line_length: int | None = None
    """The maximum line length the project configures (ruff, black, flake8, pycodestyle); the
    default of every codemod option ``line-length`` the configuration leaves unset."""
    per_file_ignores: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """Gitignore-style pattern -> codemod ids not run on the files it matches (as ruff's
    ``per-file-ignores``); patterns are relative to the config file's directory."""
    force_exclude: bool = False
    """Apply ``exclude`` to files named on the command line and ``--stdin-filename`` too."""
    changes: Mapping[Path, ChangedLines] | None = None
    """Fix only findings on these lines (``--diff-base``, ``--staged``, ``--line-ranges``)."""
    changes_source: str = ""
    """Whose lines :attr:`changes` are, for skip reasons (``changed since main``)."""
    baseline: Baseline | None = None
    """Leave the findings recorded here alone."""
    rule_map: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Rule id or review kind -> codemod id, for reports' findings (``rule-map``)."""
    claims: tuple[Claim, ...] | None = None
    """Fix only findings these claims of a report match (``--findings``)."""
    claims_root: Path | None = None
    """The directory the claims' relative paths start from."""
    project: ProjectRoot | None = None
    """The project root (:func:`find_project_root`); ``None``: not looked for (the cwd)."""
    max_file_size: int = 64 * 1024 * 1024
    """The most bytes a file read may have (``--max-file-size``); a larger one is refused."""

    @property
    def root(self) -> Path:
        """Return the directory patterns are relative to.

        That is the config file's directory (the project root, unless ``--config`` names a
        file elsewhere), else the project root, else the current directory.
        """
        if self.path is not None:
            return self.path.parent
        return self.project.path if self.project is not None else Path.cwd()

    @property
    def project_root(self) -> Path:
        """Return the project root: where the default baseline is, what the cache is keyed by."""
        return self.project.path if self.project is not None else self.root

    def ignored_for(self, path: Path) -> frozenset[str]:
        """Return the ids that ``per-file-ignores`` turns off for ``path``."""
        if not self.per_file_ignores:
            return frozenset()
        try:
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return frozenset()
        return frozenset(
            codemod_id
            for pattern, ids in self.per_file_ignores.items()
            if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative)
            for codemod_id in ids
        )

    def selected_ids(self) -> tuple[str, ...]:
        """Return the ids to run, in the registry's order."""
        registry = all_codemods()
        chosen = registry if self.select is None else set(self.select)
        return tuple(i for i in registry if i in chosen and i not in self.ignore)

    def build_codemods(self) -> list[Codemod[Any]]:
        """Instantiate the selected codemods with their options, in run order.

        An options ``line_length`` left unset (``None``) takes the project's.
        """
        registry = all_codemods()
        codemods = []
        for codemod_id in self.selected_ids():
            codemod_type = registry[codemod_id]
            options = self.options.get(codemod_id) or codemod_type.options_type()
            if self.line_length and getattr(options, "line_length", 0) is None:
                options = dataclasses.replace(options, line_length=self.line_length)  # type: ignore[call-arg]
            codemods.append(codemod_type(options))
        return codemods

    def build_engine(self) -> Engine:
        """Return the engine of this run: its codemods and what selects their fixes.

        In order: the lines of a change, the baseline, then unsafe fixes held back unless
        asked for; the first reason not to fix is the one reported.
        """
        selectors = []
        if self.claims is not None:
            codemods = self.build_codemods()
            table = rule_table(codemods, self.rule_map)
            root = self.claims_root or self.root
            selectors.append(claims_selector(self.claims, root, table))
        if self.changes is not None:
            selectors.append(changes_selector(self.changes, self.changes_source))
        if self.baseline is not None:
            selectors.append(self.baseline.selector())
        if not self.unsafe_fixes:
            selectors.append(unsafe_selector(self.extend_safe_fixes, self.extend_unsafe_fixes))
        return Engine(self.build_codemods(), selectors)


def find_project_root(paths: Iterable[Path]) -> ProjectRoot:
    """Return the project root of ``paths`` (black's rule; no paths: the current directory).

    It is the nearest directory, from the paths' common directory upwards, that holds
    ``.git`` (a directory, or the file of a worktree or submodule), a ``.hg`` directory or a
    ``pyproject.toml`` file -- with or without a ``[tool.codemods]`` table. When none does,
    the current directory is the root (black would take the file system's root; a baseline
    is not written there).
    """
    resolved = [path.resolve() for path in paths] or [Path.cwd().resolve()]
    start = Path(_common_parent(resolved))
    for directory in (start, *start.parents):
        if os.path.exists(directory / ".git"):
            return ProjectRoot(directory, ".git")
        if os.path.isdir(directory / ".hg"):
            return ProjectRoot(directory, ".hg")
        if os.path.isfile(directory / "pyproject.toml"):
            return ProjectRoot(directory, "pyproject.toml")
    return ProjectRoot(Path.cwd())


def find_config(paths: Iterable[Path], project: ProjectRoot | None = None) -> Path | None:
    """Return the project root's ``pyproject.toml`` when it has a ``[tool.codemods]`` table.

    No file above the root is read: a checkout's settings are its own (``project``: the root
    already found for ``paths``).
    """
    project = project if project is not None else find_project_root(paths)
    if project.marker is None:
        return None
    candidate = project.path / "pyproject.toml"
    if not candidate.is_file():
        return None
    tool = _read_toml(candidate).get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{candidate}: [tool] must be a table")
    return candidate if "codemods" in tool else None


def load_config(path: Path) -> Config:
    """Read ``[tool.codemods]`` from ``path`` (a missing table gives the defaults)."""
    data = _read_toml(path)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    table = tool.get("codemods", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.codemods] must be a table")
    return dataclasses.replace(config_from_table(table, str(path)), path=path)


def _read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a file that cannot be read or parsed is a :class:`ConfigError`.

    A ``pyproject.toml`` on the way up that is not valid TOML stops the run: it may hold the
    configuration the user meant, so running with the defaults could fix what they excluded.
    """
    try:
        return parse_toml(read_input(path).decode("utf-8"))
    except InputError as error:  # not a regular file, too large, nested too deeply
        raise ConfigError(f"{path}: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def config_from_table(table: Mapping[str, Any], where: str) -> Config:
    """Build a :class:`Config` from the contents of a ``[tool.codemods]`` table."""
    registry = all_codemods()
    lists: dict[str, tuple[str, ...]] = {}
    options: dict[str, Options] = {}
    per_file_ignores: dict[str, tuple[str, ...]] = {}
    unsafe_fixes = force_exclude = False
    rule_map: dict[str, str] = {}
    for written, value in table.items():
        key = written.replace("_", "-")  # kebab-case or snake_case, as everywhere
        if key == "per-file-ignores":
            where_key = f"{where}: [tool.codemods] {key}"
            per_file_ignores = coerce(value, dict[str, tuple[str, ...]], where_key)
            for pattern, ids in per_file_ignores.items():
                check_ids(ids, f"{where_key}.{pattern}")
        elif key == "unsafe-fixes":
            unsafe_fixes = coerce(value, bool, f"{where}: [tool.codemods] {key}")
        elif key == "force-exclude":
            force_exclude = coerce(value, bool, f"{where}: [tool.codemods] {key}")
        elif key == "rule-map":
            rule_map = coerce(value, dict[str, str], f"{where}: [tool.codemods] {key}")
            check_ids(rule_map.values(), f"{where}: [tool.codemods] {key}")
        elif key in _LIST_KEYS:
            lists[key] = coerce(value, tuple[str, ...], f"{where}: [tool.codemods] {key}")
        elif key in registry:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [tool.codemods.{key}] must be a table")
            options[key] = options_from_table(
                registry[key].options_type, value, f"{where}: [tool.codemods.{key}]"
            )
        else:
            known = ", ".join([*TOP_LEVEL_KEYS, *registry])
            raise ConfigError(
                f"{where}: [tool.codemods] unknown key {key!r} (expected one of: {known})"
            )
    for key in ("select", "ignore"):
        check_ids(lists.get(key, ()), f"{where}: [tool.codemods] {key}")
    for key in ("extend-safe-fixes", "extend-unsafe-fixes"):
        check_fix_names(lists.get(key, ()), f"{where}: [tool.codemods] {key}")
    return Config(
        select=lists.get("select"),
        ignore=lists.get("ignore", ()),
        exclude=lists.get("exclude", ()),
        options=options,
        unsafe_fixes=unsafe_fixes,
        extend_safe_fixes=lists.get("extend-safe-fixes", ()),
        extend_unsafe_fixes=lists.get("extend-unsafe-fixes", ()),
        per_file_ignores=per_file_ignores,
        force_exclude=force_exclude,
        rule_map=rule_map,
    )


def config_for_run(
    paths: Iterable[str],
    *,
    config_file: Path | None = None,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    stdin_filename: str | None = None,
    unsafe_fixes: bool | None = None,
) -> Config:
    """Return the configuration of a run: the config file found (or named), then the options.

    The project root is found from the paths (for stdin: from ``stdin_filename``, else the
    current directory). Without ``config_file``, the root's ``pyproject.toml`` is read if it
    has our table. ``select`` and ``unsafe_fixes`` (unless ``None``) replace the file's,
    ``ignore`` and ``exclude`` add to it.
    """
    anchors = [Path(path) for path in paths if path != "-"]
    if stdin_filename and not anchors:
        anchors = [Path(stdin_filename).parent]
    project = find_project_root([a for a in anchors if a.exists()] or [Path.cwd()])
    if config_file is not None:
        config = load_config(config_file)
    else:
        found = find_config((), project)
        config = load_config(found) if found is not None else Config()
    config = dataclasses.replace(config, project=project)
    if select is not None:
        check_ids(select, "--select")
        config = dataclasses.replace(config, select=select)
    if ignore:
        check_ids(ignore, "--ignore")
        config = dataclasses.replace(config, ignore=(*config.ignore, *ignore))
    if unsafe_fixes is not None:
        config = dataclasses.replace(config, unsafe_fixes=unsafe_fixes)
    start = (
        config.path.parent
        if config.path is not None
        else Path(_project_start(paths, stdin_filename))
    )
    line_length = project_line_length(start)
    if line_length is not None and line_length[0] >= 20:
        config = dataclasses.replace(config, line_length=line_length[0])
    config = dataclasses.replace(config, exclude=(*config.exclude, *exclude))
    try:
        exclude_spec(config.exclude)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return config


def _project_start(paths: Iterable[str], stdin_filename: str | None) -> str:
    """Return the directory the project's settings are looked for from (no config file)."""
    anchors = [Path(path).resolve() for path in paths if path != "-" and Path(path).exists()]
    if not anchors and stdin_filename:
        anchors = [Path(stdin_filename).resolve()]
    return _common_parent(anchors) if anchors else str(Path.cwd())


def check_ids(ids: Iterable[str], where: str) -> None:
    """Raise :class:`ConfigError` for an id that names no codemod."""
    registry = all_codemods()
    for codemod_id in ids:
        if codemod_id not in registry:
            known = ", ".join(registry) or "none"
            raise ConfigError(f"{where}: unknown codemod {codemod_id!r} (known: {known})")


def check_fix_names(names: Iterable[str], where: str) -> None:
    """Raise :class:`ConfigError` for a name ``extend-(un)safe-fixes`` would never match.

    Those lists are matched against a finding's codemod id and its rule
    (:func:`codemods.safety.effective_safety`): a codemod id, or a rule its findings answer
    (its ``claims``: ``unguarded-resize``, ``unused-variable``...). Another linter's code
    (``F841``) is refused with the names to use instead, as a finding's codes are not matched.
    """
    registry = all_codemods()
    rules = {rule for codemod in registry.values() for rule in codemod.claims}
    for name in names:
        if name in registry or name in rules:
            continue
        owner = next((c.id for c in registry.values() if name in c.codes), None)
        if owner is not None:
            raise ConfigError(
                f"{where}: {name!r} is a code of {owner}; name the codemod or its rule "
                f"(one of: {', '.join(sorted({owner, *registry[owner].claims}))})"
            )
        raise ConfigError(
            f"{where}: unknown codemod or rule {name!r} (codemods: {', '.join(registry)}; "
            f"rules: {', '.join(sorted(rules - set(registry))) or 'none'})"
        )


def options_from_table(
    options_type: type[Options], table: Mapping[str, Any], where: str
) -> Options:
    """Fill a codemod's options dataclass from its table, checking every key and type.

    Nested dataclasses are read the same way; a ``ValueError`` from a dataclass's own checks
    becomes a :class:`ConfigError` naming the table it came from.
    """
    options: Options = _dataclass_from_table(options_type, table, where)
    return options


def _dataclass_from_table(cls: type, table: Mapping[str, Any], where: str) -> Any:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: expected a table, got {_describe(table)}")
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls) if field.init}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in fields:
            known = ", ".join(field.replace("_", "-") for field in fields) or "none"
            raise ConfigError(f"{where} unknown key {key!r} (expected one of: {known})")
        values[name] = coerce(value, hints[name], f"{where} {key}")
        if name in PATTERN_OPTIONS:  # compiled by the linear-time engine, or refused here
            try:
                check_patterns(values[name], f"{where} {key}")
            except PatternError as error:
                raise ConfigError(str(error)) from None
    for name, field in fields.items():
        required = field.default is dataclasses.MISSING
        if required and field.default_factory is dataclasses.MISSING and name not in values:
            raise ConfigError(f"{where}: missing required key {name.replace('_', '-')!r}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{where}: {error}") from None


def coerce(value: Any, expected: Any, where: str) -> Any:
    """Check ``value`` against the type ``expected``; lists become tuples (options are frozen)."""
    origin = typing.get_origin(expected)
    arguments = typing.get_args(expected)
    if expected is Any:
        return value
    if origin in (Union, types.UnionType):
        for option in arguments:
            try:
                return coerce(value, option, where)
            except ConfigError:
                continue
        raise ConfigError(f"{where}: expected {_name(expected)}, got {_describe(value)}")
    if origin is Literal:
        if value in arguments:
            return value
        choices = ", ".join(repr(a) for a in arguments)
        raise ConfigError(f"{where}: expected one of {choices}, got {value!r}")
    if origin in (tuple, list) or expected in (tuple, list):
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected {_name(expected)}, got {_describe(value)}")
        item_type = arguments[0] if arguments else Any
        return tuple(coerce(item, item_type, f"{where}[{i}]") for i, item in enumerate(value))
    if origin in (dict, Mapping) or expected is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {_describe(value)}")
        value_type = arguments[1] if arguments else Any
        return {str(k): coerce(v, value_type, f"{where}.{k}") for k, v in value.items()}
    if expected is type(None):
        raise ConfigError(f"{where}: expected nothing, got {_describe(value)}")
    if dataclasses.is_dataclass(expected) and isinstance(expected, type):
        return _dataclass_from_table(expected, value, where)
    if expected is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if expected is int and isinstance(value, bool):
        raise ConfigError(f"{where}: expected an integer, got {_describe(value)}")
    if isinstance(expected, type) and isinstance(value, expected):
        return value
    raise ConfigError(f"{where}: expected {_name(expected)}, got {_describe(value)}")


_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}


def _name(expected: Any) -> str:
    if expected in _NAMES:
        return _NAMES[expected]
    if dataclasses.is_dataclass(expected):
        return "a table"
    origin = typing.get_origin(expected)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(expected))
    if origin in (tuple, list) or expected in (tuple, list):
        arguments = [a for a in typing.get_args(expected) if a is not Ellipsis]
        return (
            f"a list of {_name(arguments[0]).removeprefix('a ').removeprefix('an ')}s"
            if arguments
            else "a list"
        )
    if origin in (Union, types.UnionType):
        return " or ".join(_name(a) for a in typing.get_args(expected) if a is not type(None))
    return getattr(expected, "__name__", str(expected))


def _describe(value: Any) -> str:
    kind = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return f"{kind.get(type(value), type(value).__name__)} {value!r}"


def _common_parent(paths: list[Path]) -> str:
    directories = [str(path if path.is_dir() else path.parent) for path in paths]
    return os.path.commonpath(directories)
