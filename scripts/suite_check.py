"""Judge the default codemods by another project's own test suite.

Usage::

    python scripts/suite_check.py PROJECT==VERSION [--unsafe-fixes] [--python PY]
                                  [--workdir DIR] [--jobs N] [--keep]

1. **Set up.** A throwaway virtual environment under the work directory (``--workdir``,
   default a new temporary directory); ``pip install PROJECT==VERSION`` with its test
   dependencies, taken from the first of these that names any:

   a. the ``test``/``tests``/``testing`` extras of the installed distribution's metadata;
   b. the PEP 735 ``[dependency-groups]`` of that name in the sdist's ``pyproject.toml``
      (``{include-group = ...}`` followed);
   c. the ``deps`` (and ``extras``, ``dependency_groups``) of ``[testenv]`` in the sdist's
      ``tox.ini`` (or ``tox.toml``, or ``[tool.tox]`` in ``pyproject.toml``), ``-r`` files
      read from the sdist, factor-conditional lines (``py3: x``) left out;
   d. :data:`RECIPES`, for projects that declare nothing usable.

   The sdist comes from ``pip download --no-binary :all: --no-deps``; its files are read as
   text, never executed. The test files: the ``test``/``tests``/``testing`` packages inside
   the installed distribution when it ships them (``twisted.test``, ``toolz.tests``), else
   the sdist's ``tests``/``test``/``testing`` folder copied to ``run/`` with the sdist's
   pytest configuration (``pytest.ini``, ``pyproject.toml``, ``setup.cfg``, ``tox.ini``,
   the root ``conftest.py``).
2. **Run the suite** and record each test's outcome:

   * pytest: ``--junitxml`` (the test id is the pytest node id, rebuilt from the junit
     ``classname`` and ``name`` by finding the test file); pytest-xdist ``-n N`` and
     pytest-timeout are added; ``-p no:randomly`` keeps the order;
   * trial (Twisted): a reporter plugin this script writes (``--reporter=suite-check``,
     put on ``PYTHONPATH`` through ``twisted/plugins/``, which trial's plugin system reads
     from every ``sys.path`` entry) appends ``outcome<TAB>test id`` to a file as each test
     ends, so a killed run keeps what it had, and ``-j N`` works (the subunit reporter
     mangles todo tests under ``-j``, and the text reporters mix with the tests' output);
   * unittest: a small runner with ``unittest`` discovery writing the same lines.
3. **Apply** the default codemods (``--unsafe-fixes`` adds the unsafe ones) in place, to
   the installed package and the test files the suite runs, with ``VIRTUAL_ENV`` set to the
   throwaway environment: ``codemods diff`` (saved as ``codemods.patch``), ``codemods diff
   --format json`` (``codemods.json``: fixes and skips by codemod), then ``codemods apply
   --no-cache -j N``. What apply wrote, diffed against the pristine copies, is
   ``applied.patch``: it is what the suite runs, so it is what is bisected (apply does not
   always write what diff shows; the files where they differ are listed).
4. **Run the suite again.** Every test that passed before and does not after is re-run on
   the untouched files (the pristine copies written back) and then with the whole patch;
   one that fails on the untouched files, or passes again with the patch, is flaky and
   dropped. Each remaining breakage is bisected: files first, then the blocks of consecutive
   changed lines of the guilty files (a hunk of the diff may hold many fixes), to the
   smallest set that still breaks it (a state that does not compile counts as not
   breaking); the other breakages are checked against that cause before bisecting anew.
5. **Summary** printed and written to ``summary.json`` in the work directory.

Exit status: 0 when nothing broke, 1 when something broke, 2 on a usage or set-up error
(one line on stderr). Without ``--keep`` the environment and the copies are deleted and the
work directory keeps the summary, the patch, the codemods report and the logs.
"""

from __future__ import annotations

import argparse
import configparser
import dataclasses
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project supports 3.10 with tomli
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parents[1]
TEST_NAMES = ("test", "tests", "testing")
"""The extras, dependency groups and folders that hold a project's tests."""
PYTEST_CONFIGS = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
"""The files pytest reads its configuration from, in its order."""
COPIED_FROM_SDIST = (*PYTEST_CONFIGS, "conftest.py")
PASSING = frozenset({"pass"})
FAILING = frozenset({"fail", "error", "uxsuccess", "missing"})
SKIPPING = frozenset({"skip", "xfail"})
RANK = {"skip": 0, "xfail": 1, "pass": 2, "uxsuccess": 3, "fail": 4, "error": 5}
"""When a test is reported twice (a teardown error after a pass), the worse outcome wins."""
DEFAULT_TIMEOUT = 3 * 3600
"""Seconds one full run of a suite may take before it is stopped."""
BISECT_BUDGET = 120
"""Suite runs one bisection may make before it gives up."""

T = TypeVar("T", bound=Hashable)


@dataclasses.dataclass(frozen=True)
class Recipe:
    """What this script knows about a project beyond what the project declares."""

    runner: str = "pytest"
    """``pytest``, ``trial`` or ``unittest``."""
    requirements: tuple[str, ...] = ()
    """Test dependencies for a project that declares none usable (step 1d)."""
    also: tuple[str, ...] = ()
    """Installed on top of whatever was found."""
    groups: tuple[str, ...] = ()
    """More dependency groups that hold the test dependencies (pydantic's ``dev``)."""
    targets: tuple[str, ...] = ()
    """What the runner runs (default: the test folders found)."""
    runner_args: tuple[str, ...] = ()
    """Extra arguments for every run of the runner."""
    parallel: bool = True
    """Run the full suite on ``--jobs`` workers (trial ``-j``, pytest-xdist ``-n``)."""
    copy: tuple[str, ...] = ()
    """More sdist paths the tests import, copied next to them into ``run/``; the codemods
    run on them too (typer's ``docs_src``: the example programs whose help the tests read)."""


RECIPES: dict[str, Recipe] = {
    "twisted": Recipe(runner="trial", targets=("twisted",)),
    "toolz": Recipe(requirements=("pytest",)),
    "sortedcontainers": Recipe(requirements=("pytest",)),
    "more-itertools": Recipe(requirements=("pytest",)),
    "python-dateutil": Recipe(requirements=("pytest", "hypothesis", "freezegun")),
    "docutils": Recipe(requirements=("pytest",)),
    "click": Recipe(requirements=("pytest",)),
    "typer": Recipe(copy=("docs_src",)),
    # Flask 3.1's conftest.py uses _pytest.monkeypatch.notset, gone in pytest 9; its
    # requirements/tests.txt pins pytest 8, its dependency group does not.
    "flask": Recipe(also=("pytest<9",)),
    "pydantic": Recipe(groups=("dev",)),  # its tests' dependencies are in "dev"
}
"""Keyed by the normalized project name."""

PYTEST_SELECT_PLUGIN = textwrap.dedent(
    """\
    # Written by codemods' scripts/suite_check.py: keep only the node ids listed in the file
    # $SUITE_CHECK_SELECT names (one a line); without it, keep everything.
    import os


    def pytest_collection_modifyitems(session, config, items):
        path = os.environ.get("SUITE_CHECK_SELECT")
        if not path:
            return
        with open(path, encoding="utf-8") as handle:
            wanted = set(handle.read().splitlines())
        kept = [item for item in items if item.nodeid in wanted]
        dropped = [item for item in items if item.nodeid not in wanted]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    """
)
TRIAL_PLUGIN = textwrap.dedent(
    """\
    # Written by codemods' scripts/suite_check.py: the trial reporter "suite-check".
    from zope.interface import implementer

    from twisted.plugin import IPlugin
    from twisted.trial.itrial import IReporter


    @implementer(IPlugin, IReporter)
    class _SuiteCheckReporter:
        name = "suite-check"
        module = "suite_check_trial"
        description = "verbose output, and each outcome appended to $SUITE_CHECK_OUTCOMES"
        longOpt = "suite-check"
        shortOpt = None
        klass = "Reporter"


    suite_check = _SuiteCheckReporter()
    """
)
TRIAL_REPORTER = textwrap.dedent(
    """\
    # Written by codemods' scripts/suite_check.py: a verbose reporter that also appends
    # "outcome<TAB>test id" to $SUITE_CHECK_OUTCOMES as each test ends.
    import os

    from twisted.trial.reporter import VerboseTextReporter
    from twisted.trial.unittest import makeTodo


    class Reporter(VerboseTextReporter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._outcomes = open(os.environ["SUITE_CHECK_OUTCOMES"], "a", encoding="utf-8")

        def _record(self, test, outcome):
            self._outcomes.write(outcome + "\\t" + test.id() + "\\n")
            self._outcomes.flush()

        def addSuccess(self, test):
            super().addSuccess(test)
            self._record(test, "pass")

        def addFailure(self, test, fail):
            super().addFailure(test, fail)
            self._record(test, "fail")

        def addError(self, test, error):
            super().addError(test, error)
            self._record(test, "error")

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._record(test, "skip")

        def addExpectedFailure(self, test, error, todo=None):
            if isinstance(todo, str):  # trial -j hands the reason over as a string
                todo = makeTodo(todo)
            super().addExpectedFailure(test, error, todo)
            self._record(test, "xfail")

        def addUnexpectedSuccess(self, test, todo=None):
            if isinstance(todo, str):
                todo = makeTodo(todo)
            super().addUnexpectedSuccess(test, todo)
            self._record(test, "uxsuccess")
    """
)
UNITTEST_RUNNER = textwrap.dedent(
    """\
    # Written by codemods' scripts/suite_check.py. Usage:
    #   python run_unittest.py OUTCOMES discover START TOP  |  python run_unittest.py OUTCOMES ID...
    import sys, unittest

    outcomes = open(sys.argv[1], "a", encoding="utf-8")

    def record(test, outcome):
        outcomes.write(outcome + "\\t" + test.id() + "\\n")
        outcomes.flush()

    class Recorder(unittest.TextTestResult):
        def addSuccess(self, test):
            super().addSuccess(test); record(test, "pass")
        def addFailure(self, test, err):
            super().addFailure(test, err); record(test, "fail")
        def addError(self, test, err):
            super().addError(test, err); record(test, "error")
        def addSkip(self, test, reason):
            super().addSkip(test, reason); record(test, "skip")
        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err); record(test, "xfail")
        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test); record(test, "uxsuccess")

    loader = unittest.defaultTestLoader
    if sys.argv[2] == "discover":
        suite = loader.discover(sys.argv[3], top_level_dir=sys.argv[4])
    else:
        suite = loader.loadTestsFromNames(sys.argv[2:])
    unittest.TextTestRunner(resultclass=Recorder, verbosity=2).run(suite)
    """
)
COMPILE_CHECK = textwrap.dedent(
    """\
    import sys
    bad = []
    for path in sys.argv[1:]:
        try:
            with open(path, "rb") as handle:
                compile(handle.read(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            bad.append(path)
    print("\\n".join(bad))
    """
)


class SetupError(Exception):
    """The run cannot go on: a bad argument, a failed install, no tests found."""


class PatchError(Exception):
    """A patch does not parse, or does not apply to the text it was made from."""


class BisectBudgetError(Exception):
    """A bisection made more suite runs than :data:`BISECT_BUDGET` allows."""


# --- test dependencies -------------------------------------------------------------------


def normalize(name: str) -> str:
    """Return ``name`` normalized as PEP 503 (packages), 685 (extras), 735 (groups) say."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _unique(items: Iterable[str]) -> list[str]:
    """Return ``items`` without repeats, in their first order."""
    return list(dict.fromkeys(items))


def extras_for_tests(provided: Iterable[str]) -> list[str]:
    """Return the extras among ``provided`` named test, tests or testing (one spelling each)."""
    found: dict[str, str] = {}
    for extra in provided:
        key = normalize(extra)
        if key in TEST_NAMES and key not in found:
            found[key] = extra
    return list(found.values())


def resolve_group(
    groups: Mapping[str, Any], name: str, including: tuple[str, ...] = ()
) -> list[str]:
    """Return the requirements of dependency group ``name``, includes followed (PEP 735).

    Raise ``ValueError`` for a missing group, an include cycle or an entry of another kind.
    """
    table = {normalize(key): value for key, value in groups.items()}
    key = normalize(name)
    if key in including:
        raise ValueError(f"dependency group {name!r} includes itself")
    if key not in table or not isinstance(table[key], list):
        raise ValueError(f"no dependency group {name!r}")
    requirements: list[str] = []
    for entry in table[key]:
        if isinstance(entry, str):
            requirements.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
            requirements.extend(resolve_group(groups, entry["include-group"], (*including, key)))
        else:
            raise ValueError(f"dependency group {name!r}: unknown entry {entry!r}")
    return requirements


def group_requirements(
    pyproject: Mapping[str, Any], names: Iterable[str] = TEST_NAMES
) -> list[str]:
    """Return the requirements of the dependency groups in ``names`` of a parsed pyproject."""
    groups = pyproject.get("dependency-groups")
    if not isinstance(groups, dict):
        return []
    wanted = {normalize(name) for name in names}
    requirements: list[str] = []
    for name in groups:
        if normalize(name) in wanted:
            requirements.extend(resolve_group(groups, name))
    return _unique(requirements)


@dataclasses.dataclass
class ToxDeps:
    """What a tox ``[testenv]`` installs: requirements, the project's extras, groups."""

    requirements: list[str] = dataclasses.field(default_factory=list)
    extras: list[str] = dataclasses.field(default_factory=list)
    groups: list[str] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        """Tell whether it names anything to install besides the project."""
        return bool(self.requirements or self.extras or self.groups)


_FACTOR = re.compile(r"^!?[A-Za-z0-9_.{},!-]+:(?!//)")
_REFERENCE = re.compile(r"\{\[([^\]]+)\]([^}]+)\}")
_LOCAL = re.compile(r"^(?:\{toxinidir\}/?|\./?|\.(?=\[)|\.$)(?:\[([^\]]*)\])?$")


def _requirement_lines(
    text: str, read: Callable[[str], str | None], base: str, into: ToxDeps, depth: int = 0
) -> None:
    """Add the requirements of the lines of ``text`` (a deps value or a requirements file).

    ``-r FILE`` is read through ``read`` relative to ``base``; ``.``/``.[x,y]``/``-e .``
    (the project itself) adds its extras; options, unresolved ``{...}`` substitutions and
    factor-conditional lines are left out.
    """
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line or _FACTOR.match(line):
            continue
        option = re.match(
            r"^(-r|--requirement|-c|--constraint|-e|--editable)(?:\s*=\s*|\s*)(.*)$", line
        )
        if option:
            flag, value = option.group(1), option.group(2).strip()
            if flag in ("-c", "--constraint"):
                continue
            if flag in ("-r", "--requirement"):
                relative = value.replace("{toxinidir}/", "").replace("{toxinidir}", ".")
                if "{" in relative or depth > 5:
                    continue
                path = os.path.normpath(os.path.join(base, relative))
                nested = read(path)
                if nested is not None:
                    _requirement_lines(nested, read, os.path.dirname(path), into, depth + 1)
                continue
            line = value  # -e X: X
        if line.startswith("-"):
            continue
        local = _LOCAL.match(line)
        if local:
            into.extras.extend(e.strip() for e in (local.group(1) or "").split(",") if e.strip())
            continue
        if "{" in line:
            continue
        into.requirements.append(line)


def _substitute(parser: configparser.ConfigParser, value: str, depth: int = 0) -> str:
    """Replace the ``{[section]key}`` references of a tox value (others are left)."""

    def replace(match: re.Match[str]) -> str:
        """Return the referenced value, itself substituted."""
        section, key = match.group(1), match.group(2)
        if depth > 5 or not parser.has_option(section, key):
            return ""
        return _substitute(parser, parser.get(section, key), depth + 1)

    return _REFERENCE.sub(replace, value)


def tox_ini_deps(text: str, read: Callable[[str], str | None]) -> ToxDeps:
    """Return what tox.ini's ``[testenv]`` installs; ``read`` reads other sdist files."""
    parser = configparser.ConfigParser(
        interpolation=None, strict=False, delimiters=("=",), comment_prefixes=("#", ";")
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        return ToxDeps()
    deps = ToxDeps()
    if not parser.has_section("testenv"):
        return deps
    if parser.has_option("testenv", "deps"):
        _requirement_lines(_substitute(parser, parser.get("testenv", "deps")), read, ".", deps)
    for key, into in (("extras", deps.extras), ("dependency_groups", deps.groups)):
        if parser.has_option("testenv", key):
            value = _substitute(parser, parser.get("testenv", key))
            for line in value.replace(",", "\n").splitlines():
                item = line.strip()
                if item and not _FACTOR.match(item) and "{" not in item:
                    into.append(item)
    deps.requirements = _unique(deps.requirements)
    deps.extras = _unique(deps.extras)
    return deps


def tox_toml_deps(table: Mapping[str, Any], read: Callable[[str], str | None]) -> ToxDeps:
    """Return what ``env_run_base`` of a tox TOML configuration installs."""
    base = table.get("env_run_base")
    deps = ToxDeps()
    if not isinstance(base, dict):
        return deps
    lines = [d for d in base.get("deps", []) if isinstance(d, str)]
    _requirement_lines("\n".join(lines), read, ".", deps)
    deps.extras.extend(e for e in base.get("extras", []) if isinstance(e, str))
    deps.groups.extend(g for g in base.get("dependency_groups", []) if isinstance(g, str))
    deps.requirements = _unique(deps.requirements)
    deps.extras = _unique(deps.extras)
    return deps


def tox_deps(read: Callable[[str], str | None]) -> ToxDeps:
    """Return what tox installs for the tests: ``tox.ini``, else ``tox.toml``, else pyproject."""
    ini = read("tox.ini")
    if ini is not None:
        found = tox_ini_deps(ini, read)
        if found:
            return found
    toml = read("tox.toml")
    if toml is not None:
        found = tox_toml_deps(_toml(toml), read)
        if found:
            return found
    tool = _toml(read("pyproject.toml") or "").get("tool", {})
    tox = tool.get("tox") if isinstance(tool, dict) else None
    if isinstance(tox, dict):
        legacy = tox.get("legacy_tox_ini")
        if isinstance(legacy, str):
            return tox_ini_deps(legacy, read)
        return tox_toml_deps(tox, read)
    return ToxDeps()


def _toml(text: str) -> dict[str, Any]:
    """Return ``text`` parsed as TOML, or an empty table when it is not TOML."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return {}


@dataclasses.dataclass
class Plan:
    """The test dependencies chosen, and where they came from."""

    source: str
    extras: list[str] = dataclasses.field(default_factory=list)
    requirements: list[str] = dataclasses.field(default_factory=list)


def plan_requirements(
    project: str,
    provided_extras: Iterable[str],
    read: Callable[[str], str | None],
    recipe: Recipe,
) -> Plan:
    """Choose the test dependencies: extras, then dependency groups, then tox, then the table.

    ``read`` returns the text of a file of the sdist (a path relative to its root), or None.
    """
    extras = extras_for_tests(provided_extras)
    if extras:
        return Plan("extras " + ",".join(extras), extras=extras)
    pyproject = _toml(read("pyproject.toml") or "")
    try:
        groups = group_requirements(pyproject, (*TEST_NAMES, *recipe.groups))
    except ValueError:
        groups = []
    if groups:
        requirements, own = _own_extras(groups, project)
        return Plan("dependency groups (pyproject.toml)", own, requirements)
    tox = tox_deps(read)
    if tox:
        requirements = list(tox.requirements)
        for group in tox.groups:
            try:
                requirements.extend(group_requirements(pyproject, [group]))
            except ValueError:
                pass
        requirements, own = _own_extras(_unique(requirements), project)
        return Plan("tox deps", _unique([*tox.extras, *own]), requirements)
    if recipe.requirements:
        return Plan("table in suite_check.py", requirements=list(recipe.requirements))
    return Plan("none found")


def _own_extras(requirements: Iterable[str], project: str) -> tuple[list[str], list[str]]:
    """Split off the requirements naming the project itself (``pytest[dev]`` in pytest's
    ``dev`` group); return the others and the extras those name."""
    others: list[str] = []
    extras: list[str] = []
    for requirement in requirements:
        if _requirement_name(requirement) != normalize(project):
            others.append(requirement)
            continue
        named = re.match(r"\s*[A-Za-z0-9._-]+\s*\[([^\]]*)\]", requirement)
        if named:
            extras.extend(e.strip() for e in named.group(1).split(",") if e.strip())
    return others, _unique(extras)


def _requirement_name(requirement: str) -> str:
    """Return the normalized project name a requirement string starts with."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return normalize(match.group(1)) if match else ""


# --- where the tests are ---------------------------------------------------------------


def top_level_paths(files: Iterable[str]) -> list[str]:
    """Return the top-level packages and modules of a distribution's files (site-relative)."""
    tops: list[str] = []
    for name in files:
        parts = Path(name).parts
        if not parts or parts[0] == ".." or not name.endswith(".py"):
            continue
        if parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] == "__pycache__":
            continue
        tops.append(parts[0])
    return sorted(set(tops))


def package_test_dirs(files: Iterable[str], loose: bool = False) -> list[str]:
    """Return the outermost test folders (``test``/``tests``/``testing``) inside the package.

    A folder counts when it holds a ``test_*.py`` or ``*_test.py`` file (site-relative paths).
    With ``loose``, the folders holding such files whatever their name (``fire/core_test.py``
    beside ``fire/core.py``), for a package whose tests are nowhere else.
    """
    found: set[str] = set()
    for name in files:
        path = Path(name)
        if len(path.parts) < 2 or path.parts[0] == "..":
            continue
        if not re.match(r"(test_.*|.*_test)\.py$", path.name):
            continue
        if loose:
            found.add("/".join(path.parts[:-1]))
            continue
        for index, part in enumerate(path.parts[:-1]):
            if part in TEST_NAMES and index > 0:
                found.add("/".join(path.parts[: index + 1]))
                break
    return sorted(d for d in found if not any(d.startswith(o + "/") for o in found))


def pytest_config(read: Callable[[str], str | None]) -> str | None:
    """Return the name of the file pytest would take its configuration from, as pytest does."""
    for name in PYTEST_CONFIGS:
        text = read(name)
        if text is None:
            continue
        if name in ("pytest.ini", ".pytest.ini"):
            return name
        if name == "pyproject.toml":
            tool = _toml(text).get("tool", {})
            if isinstance(tool, dict) and isinstance(tool.get("pytest"), dict):
                return name
        elif name == "tox.ini" and re.search(r"^\[pytest\]", text, re.M):
            return name
        elif name == "setup.cfg" and re.search(r"^\[tool:pytest\]", text, re.M):
            return name
    return None


# --- outcomes ------------------------------------------------------------------------------


def pytest_node_id(classname: str, name: str, exists: Callable[[str], bool]) -> str:
    """Return the pytest node id of a junit test case (``exists`` looks in the rootdir).

    pytest writes ``classname`` as the node id's path with ``/`` as ``.`` and ``.py``
    dropped, followed by the classes; the longest prefix naming an existing file is the path.
    """
    if not classname:
        return name  # a collection error: ``name`` is the dotted module
    parts = classname.split(".")
    for end in range(len(parts), 0, -1):
        candidates = ["/".join(parts[:end]) + ".py"]
        if end >= 2:  # a test file that is not Python: README.rst
            candidates.append("/".join(parts[: end - 1]) + "." + parts[end - 1])
        for path in candidates:
            if exists(path):
                return "::".join([path, *parts[end:], name])
    return f"{classname}::{name}"


def _worse(first: str | None, second: str) -> str:
    """Return the worse of two outcomes of one test (a teardown error beats a pass)."""
    if first is None:
        return second
    return first if RANK.get(first, 9) >= RANK.get(second, 9) else second


def parse_junit(
    text: str | bytes, test_id: Callable[[str, str], str] = lambda c, n: f"{c}::{n}"
) -> dict[str, str]:
    """Return each test case's outcome in a junit XML report.

    ``pass``, ``fail``, ``error``, ``skip``, or ``xfail`` (pytest's ``skipped`` of type
    ``pytest.xfail``); ``test_id(classname, name)`` names the test. Raise ``ValueError``
    for text that is not XML.
    """
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ValueError(f"not a junit XML report: {error}") from None
    outcomes: dict[str, str] = {}
    for case in root.iter("testcase"):
        outcome = "pass"
        for child in case:
            if child.tag == "error":
                outcome = _worse(outcome if outcome != "pass" else None, "error")
            elif child.tag == "failure":
                outcome = _worse(outcome if outcome != "pass" else None, "fail")
            elif child.tag == "skipped" and outcome == "pass":
                outcome = "xfail" if child.get("type") == "pytest.xfail" else "skip"
        key = test_id(case.get("classname", ""), case.get("name", ""))
        outcomes[key] = _worse(outcomes.get(key), outcome)
    return outcomes


def parse_outcome_lines(text: str) -> dict[str, str]:
    """Return each test's outcome from ``outcome<TAB>id`` lines (trial and unittest runs)."""
    outcomes: dict[str, str] = {}
    for line in text.splitlines():
        outcome, tab, test = line.partition("\t")
        if tab and outcome in RANK:
            outcomes[test] = _worse(outcomes.get(test), outcome)
    return outcomes


def tally(outcomes: Mapping[str, str]) -> dict[str, int]:
    """Count passed, failed (failures, errors, unexpected successes) and skipped tests."""
    values = list(outcomes.values())
    return {
        "total": len(values),
        "passed": sum(v in PASSING for v in values),
        "failed": sum(v in FAILING for v in values),
        "skipped": sum(v in SKIPPING for v in values),
    }


def broken_tests(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Return the tests that passed before and fail (or are missing) after, sorted."""
    return sorted(
        test
        for test, outcome in before.items()
        if outcome in PASSING and after.get(test, "missing") in FAILING
    )


# --- patches -------------------------------------------------------------------------------

_HUNK_HEADER = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclasses.dataclass(frozen=True)
class Hunk:
    """One hunk of a unified diff: its header numbers and lines (prefix kept, bytes)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    header: bytes
    lines: tuple[bytes, ...]
    before: tuple[bytes, ...] = ()
    """Context lines shown before it (not applied: a block of :func:`split_hunk`)."""
    after: tuple[bytes, ...] = ()
    """Context lines shown after it."""

    def text(self) -> str:
        """Return the hunk as a unified diff hunk with its context, for people."""
        lines = (*self.before, *self.lines, *self.after)
        return (self.header + b"".join(lines)).decode("utf-8", "replace")


@dataclasses.dataclass(frozen=True)
class FilePatch:
    """The hunks of one file, named by its path in the ``+++`` line (without ``b/``)."""

    path: str
    hunks: tuple[Hunk, ...]


def _split_lines(data: bytes) -> list[bytes]:
    """Split on ``\\n`` only, keeping the ends (a form feed or ``\\r`` is not a line end)."""
    pieces = data.split(b"\n")
    lines = [piece + b"\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def parse_patch(data: bytes) -> list[FilePatch]:
    """Parse the unified diff ``codemods diff`` prints; raise :class:`PatchError` if bad."""
    lines = _split_lines(data)
    files: list[FilePatch] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith(b"--- "):
            index += 1
            continue
        if index + 1 >= len(lines) or not lines[index + 1].startswith(b"+++ "):
            raise PatchError(f"line {index + 1}: '---' without '+++'")
        name = lines[index + 1][4:].rstrip(b"\r\n").split(b"\t")[0].decode("utf-8", "replace")
        path = name[2:] if name.startswith("b/") else name
        index += 2
        hunks: list[Hunk] = []
        while index < len(lines) and lines[index].startswith(b"@@ "):
            hunk, index = _parse_hunk(lines, index)
            hunks.append(hunk)
        if not hunks:
            raise PatchError(f"{path}: no hunks")
        files.append(FilePatch(path, tuple(hunks)))
    return files


def _parse_hunk(lines: Sequence[bytes], index: int) -> tuple[Hunk, int]:
    """Parse the hunk whose header is ``lines[index]``; return it and the next index."""
    match = _HUNK_HEADER.match(lines[index])
    if not match:
        raise PatchError(f"line {index + 1}: bad hunk header")
    old_start, new_start = int(match.group(1)), int(match.group(3))
    old_count = int(match.group(2)) if match.group(2) is not None else 1
    new_count = int(match.group(4)) if match.group(4) is not None else 1
    header = lines[index]
    index += 1
    body: list[bytes] = []
    old_left, new_left = old_count, new_count
    while old_left > 0 or new_left > 0 or (index < len(lines) and lines[index][:1] == b"\\"):
        if index >= len(lines):
            raise PatchError(f"hunk {header!r} ends early")
        line = lines[index]
        kind = line[:1]
        if kind == b" ":
            old_left, new_left = old_left - 1, new_left - 1
        elif kind == b"-":
            old_left -= 1
        elif kind == b"+":
            new_left -= 1
        elif kind != b"\\":
            raise PatchError(f"hunk {header!r}: unexpected line {line!r}")
        body.append(line)
        index += 1
    if old_left < 0 or new_left < 0:
        raise PatchError(f"hunk {header!r}: counts do not match")
    return Hunk(old_start, old_count, new_start, new_count, header, tuple(body)), index


def split_hunk(hunk: Hunk, context: int = 3) -> list[Hunk]:
    """Split a hunk into its blocks of consecutive changed lines, each its own hunk.

    A block holds only its ``-``/``+`` lines (so blocks apply independently, placed by their
    old line numbers); up to ``context`` unchanged lines around it are kept for showing.
    """
    blocks: list[Hunk] = []
    old_line, new_line = hunk.old_start, hunk.new_start
    if hunk.old_count == 0:
        old_line += 1  # an insertion's old start is the line before it
    if hunk.new_count == 0:
        new_line += 1
    lines = list(hunk.lines)
    index = 0
    seen_context: list[bytes] = []
    while index < len(lines):
        kind = lines[index][:1]
        if kind == b" ":
            seen_context.append(lines[index])
            old_line, new_line = old_line + 1, new_line + 1
            index += 1
            continue
        if kind == b"\\":  # the marker of a context line: the line is not applied
            index += 1
            continue
        start_old, start_new = old_line, new_line
        body: list[bytes] = []
        while index < len(lines) and lines[index][:1] in (b"-", b"+", b"\\"):
            line = lines[index]
            if line[:1] == b"-":
                old_line += 1
            elif line[:1] == b"+":
                new_line += 1
            body.append(line)
            index += 1
        after = tuple(_context_run(lines, index, context))
        before = tuple(seen_context[-context:]) if context else ()
        removed, added = old_line - start_old, new_line - start_new
        shown_old = start_old - len(before)
        shown_new = start_new - len(before)
        header = (
            f"@@ -{shown_old},{removed + len(before) + len(after)} "
            f"+{shown_new},{added + len(before) + len(after)} @@\n"
        ).encode()
        blocks.append(
            Hunk(
                start_old if removed else start_old - 1,
                removed,
                start_new if added else start_new - 1,
                added,
                header,
                tuple(body),
                before,
                after,
            )
        )
        seen_context = []
    return blocks


def _context_run(lines: Sequence[bytes], index: int, limit: int) -> list[bytes]:
    """Return up to ``limit`` unchanged lines from ``index`` on, stopping at a change."""
    run: list[bytes] = []
    while index < len(lines) and lines[index][:1] == b" " and len(run) < limit:
        run.append(lines[index])
        index += 1
    return run


def split_patch(patch: Iterable[FilePatch]) -> list[FilePatch]:
    """Return the patch with every hunk split into its blocks of changed lines."""
    return [
        FilePatch(file.path, tuple(block for hunk in file.hunks for block in split_hunk(hunk)))
        for file in patch
    ]


def _hunk_sides(hunk: Hunk) -> tuple[list[bytes], list[bytes]]:
    """Return the hunk's old and new lines (``\\ No newline`` markers applied)."""
    old: list[bytes] = []
    new: list[bytes] = []
    last: list[list[bytes]] = []
    for line in hunk.lines:
        kind, content = line[:1], line[1:]
        if kind == b"\\":
            for side in last:
                side[-1] = side[-1].rstrip(b"\n")
            continue
        last = []
        if kind in (b" ", b"-"):
            old.append(content)
            last.append(old)
        if kind in (b" ", b"+"):
            new.append(content)
            last.append(new)
    return old, new


def apply_hunks(original: bytes, hunks: Iterable[Hunk]) -> bytes:
    """Return ``original`` with ``hunks`` (any subset of one file's hunks) applied.

    Each hunk is placed by its old line numbers, so hunks left out shift nothing; raise
    :class:`PatchError` when a hunk's old lines are not in ``original`` there.
    """
    source = _split_lines(original)
    output: list[bytes] = []
    position = 0  # lines of source consumed
    for hunk in sorted(hunks, key=lambda h: h.old_start):
        old, new = _hunk_sides(hunk)
        start = hunk.old_start - 1 if hunk.old_count else hunk.old_start
        if start < position:
            raise PatchError(f"overlapping hunk {hunk.header!r}")
        if source[start : start + len(old)] != old:
            raise PatchError(f"hunk {hunk.header!r} does not apply")
        output.extend(source[position:start])
        output.extend(new)
        position = start + len(old)
    output.extend(source[position:])
    return b"".join(output)


# --- bisection -----------------------------------------------------------------------------


def minimal_cause(
    items: Sequence[T], fails: Callable[[Sequence[T]], bool], base: Sequence[T] = ()
) -> list[T]:
    """Return a small subset of ``items`` that, with ``base``, makes ``fails`` true.

    Expects ``fails(base + items)`` true and ``fails(base)`` false. Halves the items: the
    half that fails alone is searched; when neither does, each half is searched with the
    other (or the part of it found) applied, so that causes needing several items are found
    too (the "find the failure-inducing subset" algorithm of delta debugging).
    """
    if len(items) <= 1:
        return list(items)
    middle = len(items) // 2
    left, right = items[:middle], items[middle:]
    if fails([*base, *left]):
        return minimal_cause(left, fails, base)
    if fails([*base, *right]):
        return minimal_cause(right, fails, base)
    found_left = minimal_cause(left, fails, [*base, *right])
    found_right = minimal_cause(right, fails, [*base, *found_left])
    return [*found_left, *found_right]


Selection = Mapping[str, frozenset[int]]
"""Which hunks of each patched file are applied: path -> hunk indexes."""


def find_cause(
    patch: Sequence[FilePatch], fails_with: Callable[[Selection], bool]
) -> list[tuple[str, int]] | None:
    """Return the hunks (path, index) that break the test ``fails_with`` runs.

    Files first, then the hunks of the guilty files. None when the whole patch does not
    break it (any more): a flaky test.
    """
    everything = {file.path: frozenset(range(len(file.hunks))) for file in patch}
    if not fails_with(everything):
        return None
    paths = minimal_cause(
        [file.path for file in patch],
        lambda chosen: fails_with({path: everything[path] for path in chosen}),
    )
    candidates = [(path, index) for path in paths for index in sorted(everything[path])]

    def with_hunks(chosen: Sequence[tuple[str, int]]) -> bool:
        """Tell whether the test fails with only the ``chosen`` hunks applied."""
        selection: dict[str, set[int]] = {}
        for path, index in chosen:
            selection.setdefault(path, set()).add(index)
        return fails_with({path: frozenset(indexes) for path, indexes in selection.items()})

    return minimal_cause(candidates, with_hunks)


# --- running things ------------------------------------------------------------------------


@dataclasses.dataclass
class Completed:
    """A finished command: status, output (stdout and stderr together), time."""

    returncode: int
    output: str
    seconds: float
    timed_out: bool = False


def run_command(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    log: Path | None = None,
    stdout_to: Path | None = None,
) -> Completed:
    """Run ``command`` in its own process group; kill the group when ``timeout`` passes.

    The output goes to ``log`` when given (and is then not kept in memory); with
    ``stdout_to``, the standard output goes there and only the errors to ``log``.
    """
    start = time.monotonic()
    handle = open(log, "wb") if log is not None else None  # noqa: SIM115
    out = open(stdout_to, "wb") if stdout_to is not None else None  # noqa: SIM115
    try:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out or handle or subprocess.PIPE,
            stderr=handle if out is not None and handle is not None else subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            stdout, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            stdout, _ = process.communicate()
        except BaseException:
            _kill_group(process)
            process.wait()
            raise
    finally:
        for opened in (handle, out):
            if opened is not None:
                opened.close()
    text = (stdout or b"").decode("utf-8", "replace")
    return Completed(process.returncode, text, time.monotonic() - start, timed_out)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group ``process`` leads: SIGTERM, then SIGKILL after 10 s."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def _last_line(text: str) -> str:
    """Return the last non-empty line of ``text`` (for one-line error messages)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


@dataclasses.dataclass
class RunResult:
    """One run of (part of) a suite: each test's outcome, the status, the time."""

    outcomes: dict[str, str]
    returncode: int
    seconds: float
    timed_out: bool
    log: Path


@dataclasses.dataclass
class Suite:
    """How to run a project's suite (all of it, or some tests) in its environment."""

    runner: str
    python: Path
    cwd: Path
    rootdir: Path
    targets: list[str]
    environment: dict[str, str]
    logs: Path
    jobs: int
    timeout: float
    runner_args: list[str] = dataclasses.field(default_factory=list)
    config: Path | None = None
    pytest_addopts_off: bool = False

    def run(self, label: str, tests: Sequence[str] | None = None) -> RunResult:
        """Run the whole suite (``tests`` None) or only ``tests``; return the outcomes."""
        log = self.logs / f"{label}.log"
        results = self.logs / f"{label}.results"
        results.unlink(missing_ok=True)
        environment = dict(self.environment)
        if self.runner == "pytest":
            command = self._pytest(results, tests, environment)
        elif self.runner == "trial":
            environment["SUITE_CHECK_OUTCOMES"] = str(results)
            command = [
                self.python,
                "-m",
                "twisted.trial",
                "--reporter=suite-check",
                f"--temp-directory={self.cwd / '_trial_temp'}",
                *self.runner_args,
            ]
            if tests is None and self.jobs > 1:
                command.append(f"--jobs={self.jobs}")
            command.extend(tests if tests is not None else self.targets)
        elif self.runner == "unittest":
            runner = self.logs.parent / "plugins" / "run_unittest.py"
            command = [self.python, runner, results]
            if tests is None:
                command.extend(["discover", self.targets[0], str(self.rootdir)])
            else:
                command.extend(tests)
        else:
            raise SetupError(f"unknown runner {self.runner!r}")
        timeout = self.timeout if tests is None else max(600.0, self.timeout / 4)
        done = run_command(command, cwd=self.cwd, env=environment, timeout=timeout, log=log)
        outcomes = self._outcomes(results)
        if tests is not None:
            outcomes = {test: outcomes.get(test, "missing") for test in tests}
        return RunResult(outcomes, done.returncode, done.seconds, done.timed_out, log)

    def _pytest(
        self, results: Path, tests: Sequence[str] | None, environment: dict[str, str]
    ) -> list[str | Path]:
        """Return the pytest command line; with ``tests``, select them by node id."""
        command: list[str | Path] = [
            self.python,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-p",
            "suite_check_select",
            f"--junitxml={results}",
            "--timeout=900",
            "-q",
            "--rootdir",
            self.rootdir,
            *self.runner_args,
        ]
        if self.config is not None:
            command.extend(["-c", self.config])
        if self.pytest_addopts_off:
            command.extend(["-o", "addopts="])
        environment.pop("SUITE_CHECK_SELECT", None)
        if tests is None:
            if self.jobs > 1:
                command.extend(["-n", str(self.jobs)])
            command.extend(self.targets)
            return command
        selection = results.with_suffix(".select")
        selection.write_text("\n".join(tests) + "\n", encoding="utf-8")
        environment["SUITE_CHECK_SELECT"] = str(selection)
        if all("::" in test for test in tests):  # only the files that hold them
            command.extend(str(self.rootdir / f) for f in _unique(t.split("::")[0] for t in tests))
        else:  # a collection error's id names no file
            command.extend(self.targets)
        return command

    def _outcomes(self, results: Path) -> dict[str, str]:
        """Read the outcomes a run left in ``results``."""
        if not results.exists():
            return {}
        if self.runner == "pytest":
            data = results.read_bytes()
            if not data.strip():
                return {}
            try:
                return parse_junit(
                    data,
                    lambda c, n: pytest_node_id(c, n, lambda p: (self.rootdir / p).is_file()),
                )
            except ValueError:
                return {}
        return parse_outcome_lines(results.read_text(encoding="utf-8", errors="replace"))


# --- the environment ---------------------------------------------------------------------


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``PROJECT==VERSION``; raise :class:`SetupError` for anything else."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)\s*", spec)
    if not match:
        raise SetupError(f"expected PROJECT==VERSION, got {spec!r}")
    return match.group(1), match.group(2)


def git_commit() -> str:
    """Return the short commit of the codemods checkout, with ``+dirty`` if codemods/ changed."""
    commit = subprocess.run(
        ["git", "-C", str(REPOSITORY), "log", "-1", "--format=%h"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    status = subprocess.run(
        ["git", "-C", str(REPOSITORY), "status", "--porcelain", "--", "codemods"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (commit or "unknown") + ("+dirty" if status else "")


def _pip(python: Path, *arguments: str, log: Path) -> Completed:
    """Run pip of ``python`` quietly, its output appended to the log of its label."""
    return run_command(
        [python, "-m", "pip", "--disable-pip-version-check", *arguments],
        log=log,
        timeout=3600,
    )


def _read_log(path: Path) -> str:
    """Return a log's text (empty when missing)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def create_environment(python: str, directory: Path, logs: Path) -> Path:
    """Create the throwaway virtual environment; return its Python."""
    created = run_command([python, "-m", "venv", directory], log=logs / "venv.log")
    if created.returncode != 0:
        raise SetupError(
            f"cannot create a virtualenv with {python}: {_last_line(_read_log(logs / 'venv.log'))}"
        )
    venv_python = directory / "bin" / "python"
    _pip(venv_python, "install", "--quiet", "--upgrade", "pip", log=logs / "pip-upgrade.log")
    return venv_python


METADATA_SNIPPET = textwrap.dedent(
    """\
    import json, sys
    from importlib import metadata
    dist = metadata.distribution(sys.argv[1])
    site = dist.locate_file("")
    print(json.dumps({
        "name": dist.metadata["Name"],
        "version": dist.version,
        "extras": dist.metadata.get_all("Provides-Extra") or [],
        "site": str(site),
        "files": [str(f) for f in (dist.files or [])],
    }))
    """
)


def distribution_info(python: Path, project: str) -> dict[str, Any]:
    """Return name, version, extras, site-packages and files of the installed project."""
    done = subprocess.run(
        [str(python), "-c", METADATA_SNIPPET, project], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SetupError(f"cannot read the metadata of {project}: {_last_line(done.stderr)}")
    info: dict[str, Any] = json.loads(done.stdout)
    return info


def download_sdist(python: Path, requirement: str, directory: Path, logs: Path) -> Path | None:
    """Download and unpack the sdist; return its root folder, or None when there is none."""
    archive_dir = directory / "archive"
    done = _pip(
        python,
        "download",
        "--no-binary",
        ":all:",
        "--no-deps",
        "--quiet",
        "-d",
        str(archive_dir),
        requirement,
        log=logs / "pip-download-sdist.log",
    )
    archives = sorted(archive_dir.glob("*")) if archive_dir.exists() else []
    if done.returncode != 0 or not archives:
        return None
    unpacked = directory / "source"
    unpacked.mkdir(parents=True, exist_ok=True)
    archive = archives[0]
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as handle:
            for member in handle.namelist():
                target = (unpacked / member).resolve()
                if not target.is_relative_to(unpacked.resolve()):
                    continue
                handle.extract(member, unpacked)
    else:
        with tarfile.open(archive) as handle:
            if hasattr(tarfile, "data_filter"):
                handle.extractall(unpacked, filter="data")
            else:  # pragma: no cover - Pythons before 3.11.4
                handle.extractall(unpacked)  # noqa: S202
    roots = [p for p in unpacked.iterdir() if p.is_dir()]
    return roots[0] if len(roots) == 1 else unpacked


def _version_key(version: str) -> str:
    """Return ``version`` without trailing ``.0`` parts, lower case (``1.0`` is ``1.0.0``)."""
    return re.sub(r"(\.0+)+$", "", version.strip().lower())


def _shown(text: str, limit: int = 40) -> str:
    """Return at most ``limit`` lines of a hunk, saying how many more the summary holds."""
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    more = len(lines) - limit
    return "\n".join([*lines[:limit], f"... {more} more lines (summary.json has them all)"])


def _reader(root: Path | None) -> Callable[[str], str | None]:
    """Return a function reading a file of the sdist as text (None if absent or outside)."""

    def read(relative: str) -> str | None:
        """Return the text of ``relative`` in the sdist, or None."""
        if root is None:
            return None
        path = (root / relative).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            return None
        return path.read_text(encoding="utf-8", errors="replace")

    return read


def install_test_dependencies(
    python: Path, project: str, version: str, plan: Plan, recipe: Recipe, logs: Path, jobs: int
) -> list[str]:
    """Install the plan's requirements (and the runner); return those pip could not install."""
    pinned = (
        f"{project}[{','.join(plan.extras)}]=={version}"
        if plan.extras
        else f"{project}=={version}"
    )
    wanted = [*plan.requirements, *recipe.also]
    if recipe.runner == "pytest":
        wanted.extend(["pytest", "pytest-timeout"])
        if jobs > 1 and recipe.parallel:
            wanted.append("pytest-xdist")
    wanted = _unique(wanted)
    done = _pip(python, "install", pinned, *wanted, log=logs / "pip-install-tests.log")
    if done.returncode == 0:
        return []
    failed = []
    extras_done = _pip(python, "install", pinned, log=logs / "pip-install-project-extras.log")
    if extras_done.returncode != 0:
        failed.append(pinned)
    for number, requirement in enumerate(wanted):
        one = _pip(
            python,
            "install",
            f"{project}=={version}",
            requirement,
            log=logs / f"pip-install-one-{number}.log",
        )
        if one.returncode != 0:
            failed.append(requirement)
    return failed


# --- the run -------------------------------------------------------------------------------


@dataclasses.dataclass
class Workspace:
    """The patched files of a run: their pristine bytes, hunks and current state."""

    root: Path
    patch: list[FilePatch]
    python: Path
    pristine: dict[str, bytes]
    """The untouched bytes of every file of the patch."""
    current: dict[str, frozenset[int]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        """Start from the whole patch applied (the state ``codemods apply`` left)."""
        self.current = self.everything()

    def expected(self, path: str, hunks: Iterable[int]) -> bytes:
        """Return the bytes of ``path`` with the ``hunks`` of its patch applied."""
        file = next(f for f in self.patch if f.path == path)
        return apply_hunks(self.pristine[path], [file.hunks[i] for i in sorted(hunks)])

    def everything(self) -> dict[str, frozenset[int]]:
        """Return the selection of the whole patch."""
        return {file.path: frozenset(range(len(file.hunks))) for file in self.patch}

    def set_state(self, selection: Selection) -> bool:
        """Write each file with the selected hunks; return False if one does not compile."""
        for file in self.patch:
            wanted = selection.get(file.path, frozenset())
            if self.current.get(file.path) == wanted:
                continue
            target = self.root / file.path
            target.write_bytes(self.expected(file.path, wanted))
            for cached in target.parent.glob(f"__pycache__/{target.stem}.*.pyc"):
                cached.unlink(missing_ok=True)
            self.current[file.path] = wanted
        partial = [
            str(self.root / f.path)
            for f in self.patch
            if 0 < len(self.current[f.path]) < len(f.hunks)
        ]
        if not partial:
            return True
        done = subprocess.run(
            [str(self.python), "-c", COMPILE_CHECK, *partial], capture_output=True, text=True
        )
        return done.returncode == 0 and not done.stdout.strip()


def snapshot(root: Path, targets: Iterable[str]) -> dict[str, bytes]:
    """Return the bytes of every ``*.py`` file under the targets (paths relative to ``root``)."""
    files: dict[str, bytes] = {}
    for target in targets:
        path = root / target
        found = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in found:
            if file.is_file() and "__pycache__" not in file.parts:
                files[file.relative_to(root).as_posix()] = file.read_bytes()
    return files


def make_patch(path: str, old: bytes, new: bytes) -> bytes:
    """Return the unified diff (3 lines of context) from ``old`` to ``new``, as bytes.

    Like ``codemods diff``: ``a/``/``b/`` names, ``\\ No newline at end of file`` markers.
    """
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _split_lines(old),
        _split_lines(new),
        f"a/{path}".encode(),
        f"b/{path}".encode(),
        n=3,
    )
    return b"".join(
        line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n"
        for line in lines
    )


def differing_files(
    patch: Sequence[FilePatch], pristine: Mapping[str, bytes], written: Mapping[str, bytes]
) -> list[str]:
    """Return the files whose written bytes are not the pristine bytes with ``patch`` applied."""
    expected = dict(pristine)
    for file in patch:
        try:
            expected[file.path] = apply_hunks(pristine.get(file.path, b""), file.hunks)
        except PatchError:
            expected[file.path] = b"\0 the diff does not apply"
    return sorted(
        path for path in set(expected) | set(written) if expected.get(path) != written.get(path)
    )


def codemods_counts(report: Mapping[str, Any]) -> dict[str, Any]:
    """Return fixes and skips by codemod, held-back stubs and errors of a json report."""
    fixes: dict[str, int] = {}
    for change in report.get("changes", []):
        fixes[change.get("codemod", "?")] = fixes.get(change.get("codemod", "?"), 0) + 1
    skips: dict[str, int] = {}
    for skip in report.get("skips", []):
        skips[skip.get("codemod", "?")] = skips.get(skip.get("codemod", "?"), 0) + 1
    return {
        "fixes_by_codemod": dict(sorted(fixes.items())),
        "skips_by_codemod": dict(sorted(skips.items())),
        "held_back_stubs": skips.get("docstring-stubs", 0),
        "errors": len(report.get("errors", [])),
        "files_with_changes": report.get("summary", {}).get("files_with_changes"),
    }


def run_check(arguments: argparse.Namespace) -> int:
    """Set up, run the suite before and after the codemods, bisect; return the exit status."""
    started = time.monotonic()
    project, version = parse_spec(arguments.spec)
    recipe = RECIPES.get(normalize(project), Recipe())
    codemods = Path(arguments.codemods)
    if not codemods.exists():
        raise SetupError(f"codemods not found at {codemods}")
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix=f"suite-check-{project}-"))
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    for owned in ("venv", "sdist", "run", "pristine", "logs", "plugins"):
        shutil.rmtree(workdir / owned, ignore_errors=True)
    logs = workdir / "logs"
    logs.mkdir()
    commit = git_commit()
    summary: dict[str, Any] = {
        "project": project,
        "version": version,
        "codemods_commit": commit,
        "unsafe_fixes": arguments.unsafe_fixes,
        "workdir": str(workdir),
        "phases_s": {},
    }
    phases: dict[str, float] = summary["phases_s"]

    def phase(name: str, since: float) -> float:
        """Record the seconds a phase took; return now."""
        now = time.monotonic()
        phases[name] = round(now - since, 1)
        print(f"[{time.strftime('%H:%M:%S')}] {name}: {phases[name]} s", flush=True)
        return now

    print(f"== suite_check {project}=={version}, codemods {commit}, work directory {workdir}")
    mark = time.monotonic()
    python = create_environment(arguments.python, workdir / "venv", logs)
    installed = _pip(python, "install", f"{project}=={version}", log=logs / "pip-install.log")
    if installed.returncode != 0:
        raise SetupError(
            f"pip cannot install {project}=={version}: {_last_line(_read_log(logs / 'pip-install.log'))}"
        )
    info = distribution_info(python, project)
    summary["python"] = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    sdist_root = download_sdist(python, f"{project}=={version}", workdir / "sdist", logs)
    read = _reader(sdist_root)
    plan = plan_requirements(project, info["extras"], read, recipe)
    print(f"test dependencies from {plan.source}: extras {plan.extras}, {plan.requirements}")
    failed = install_test_dependencies(
        python, project, version, plan, recipe, logs, arguments.jobs
    )
    if failed:
        print(f"WARNING: pip could not install {failed}", flush=True)
    summary["test_dependencies"] = dataclasses.asdict(plan)
    summary["not_installed"] = failed
    summary["sdist"] = sdist_root is not None
    info = distribution_info(python, project)
    if _version_key(info["version"]) != _version_key(version):
        raise SetupError(f"{project} {info['version']} got installed, not {version}")
    site = Path(info["site"]).resolve()
    mark = phase("setup", mark)

    # Where the tests are, and what the codemods run on.
    run_dir = workdir / "run"
    run_dir.mkdir()
    packages = [os.path.relpath(site / top, workdir) for top in top_level_paths(info["files"])]
    in_package = package_test_dirs(info["files"])
    if not in_package and not any(sdist_root and (sdist_root / n).is_dir() for n in TEST_NAMES):
        in_package = package_test_dirs(info["files"], loose=True)
    config_name = pytest_config(read)
    targets: list[str] = list(recipe.targets)
    copied_tests: list[str] = []
    if in_package or recipe.runner == "trial":
        summary["tests_from"] = "installed package: " + ", ".join(in_package or recipe.targets)
        rootdir = site
        if not targets:
            targets = [str(site / d) for d in in_package]
        if config_name is not None and sdist_root is not None:
            shutil.copy(sdist_root / config_name, run_dir / config_name)
        config = run_dir / config_name if config_name else None
    else:
        folder = next(
            (name for name in TEST_NAMES if sdist_root and (sdist_root / name).is_dir()), None
        )
        if sdist_root is None or folder is None:
            raise SetupError(
                f"{project} ships no tests in its package and its sdist has no "
                f"{'/'.join(TEST_NAMES)} folder" + ("" if sdist_root else " (no sdist)")
            )
        summary["tests_from"] = f"sdist {folder}/"
        shutil.copytree(sdist_root / folder, run_dir / folder, symlinks=True)
        copied_tests.append(os.path.relpath(run_dir / folder, workdir))
        for name in (*COPIED_FROM_SDIST, *recipe.copy):
            source = sdist_root / name
            if source.is_file():
                shutil.copy(source, run_dir / name)
            elif source.is_dir() and not (run_dir / name).exists():
                shutil.copytree(source, run_dir / name, symlinks=True)
                copied_tests.append(os.path.relpath(run_dir / name, workdir))
        if (run_dir / "conftest.py").exists():
            copied_tests.append(os.path.relpath(run_dir / "conftest.py", workdir))
        rootdir = run_dir
        config = None
        if not targets:
            targets = [folder]
    codemod_targets = [*packages, *copied_tests]
    summary["codemods_paths"] = codemod_targets

    plugins = workdir / "plugins"
    plugins.mkdir()
    (plugins / "suite_check_select.py").write_text(PYTEST_SELECT_PLUGIN)
    (plugins / "run_unittest.py").write_text(UNITTEST_RUNNER)
    if recipe.runner == "trial":  # found through twisted.plugins' path on every sys.path entry
        (plugins / "twisted" / "plugins").mkdir(parents=True)
        (plugins / "suite_check_trial.py").write_text(TRIAL_REPORTER)
        (plugins / "twisted" / "plugins" / "suite_check_reporter.py").write_text(TRIAL_PLUGIN)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTEST_ADDOPTS")
    }
    environment.update(
        {
            "PYTHONPATH": str(plugins),
            "VIRTUAL_ENV": str(workdir / "venv"),
            "PATH": f"{workdir / 'venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONHASHSEED": "0",
        }
    )
    suite = Suite(
        runner=recipe.runner,
        python=python,
        cwd=run_dir,
        rootdir=rootdir,
        targets=targets,
        environment=environment,
        logs=logs,
        jobs=arguments.jobs if recipe.parallel else 1,
        timeout=arguments.timeout,
        runner_args=list(recipe.runner_args),
        config=config,
    )
    print(f"tests: {summary['tests_from']}; runner {recipe.runner}; codemods on {codemod_targets}")

    before = suite.run("before")
    if not before.outcomes and recipe.runner == "pytest":
        suite.pytest_addopts_off = True  # e.g. addopts naming a plugin not installed
        before = suite.run("before")
        summary["pytest_addopts_off"] = True
    if not before.outcomes:
        raise SetupError(
            f"the suite ran no test before the codemods (exit {before.returncode}): "
            f"{_last_line(_read_log(before.log))} [log {before.log}]"
        )
    if not any(outcome in PASSING for outcome in before.outcomes.values()):
        raise SetupError(
            f"no test passed before the codemods ({len(before.outcomes)} ran): a set-up "
            f"problem; see {before.log}"
        )
    summary["tests_before"] = tally(before.outcomes)
    summary["before_timed_out"] = before.timed_out
    print(f"before: {summary['tests_before']}", flush=True)
    mark = phase("suite before", mark)

    # The codemods: diff, report, apply.
    codemods_env = {**environment, "VIRTUAL_ENV": str(workdir / "venv")}
    codemods_env.pop("PYTHONPATH", None)
    common = ["--no-cache", "-j", str(arguments.jobs)]
    if arguments.unsafe_fixes:
        common.append("--unsafe-fixes")
    pristine = snapshot(workdir, codemod_targets)
    summary["files"] = len(pristine)
    for path, data in pristine.items():  # a copy on disk, for people
        copy = workdir / "pristine" / path
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
    patch_path = workdir / "codemods.patch"
    diffed = run_command(
        [codemods, "diff", *common, "--color", "never", *codemod_targets],
        cwd=workdir,
        env=codemods_env,
        log=logs / "codemods-diff.log",
        stdout_to=patch_path,
    )
    if diffed.returncode not in (0, 1, 2):
        raise SetupError(f"codemods diff failed (exit {diffed.returncode}); see {logs}")
    report_path = workdir / "codemods.json"
    reported = run_command(
        [
            codemods,
            "diff",
            *common,
            "--format",
            "json",
            "--output-file",
            report_path,
            *codemod_targets,
        ],
        cwd=workdir,
        env=codemods_env,
        log=logs / "codemods-json.log",
    )
    if reported.returncode not in (0, 1, 2) or not report_path.exists():
        raise SetupError(f"codemods diff --format json failed (exit {reported.returncode})")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    summary.update(codemods_counts(report))
    if report.get("errors") and not report.get("changes"):
        first = report["errors"][0]
        raise SetupError(
            f"codemods changed nothing and reported {len(report['errors'])} errors, the first: "
            f"{first.get('file')}: {first.get('message')}"
        )
    try:
        patch = parse_patch(patch_path.read_bytes())
    except PatchError as error:
        raise SetupError(f"cannot parse codemods.patch: {error}") from None
    mark = phase("codemods diff", mark)
    applied = run_command(
        [codemods, "apply", *common, *codemod_targets],
        cwd=workdir,
        env=codemods_env,
        log=logs / "codemods-apply.log",
    )
    summary["codemods_apply_exit"] = applied.returncode
    # What apply wrote is what the suite runs: bisect that, and tell where it is not the diff.
    written = snapshot(workdir, codemod_targets)
    changed = sorted(path for path in pristine if written.get(path) != pristine[path])
    applied_patch = b"".join(make_patch(path, pristine[path], written[path]) for path in changed)
    (workdir / "applied.patch").write_bytes(applied_patch)
    summary["apply_differs_from_diff"] = differing_files(patch, pristine, written)
    if summary["apply_differs_from_diff"]:
        print(
            f"WARNING: codemods apply wrote {len(summary['apply_differs_from_diff'])} files "
            "otherwise than codemods diff showed (applied.patch has what apply wrote)",
            flush=True,
        )
    applied_files = parse_patch(applied_patch)
    summary["files_changed"] = len(applied_files)
    summary["hunks"] = sum(len(f.hunks) for f in applied_files)
    blocks = split_patch(applied_files)  # bisected block by block: a hunk may hold many fixes
    summary["blocks"] = sum(len(f.hunks) for f in blocks)
    workspace = Workspace(workdir, blocks, python, {f.path: pristine[f.path] for f in blocks})
    mark = phase("codemods apply", mark)
    print(
        f"codemods: {summary['files_changed']} of {summary['files']} files, "
        f"fixes {summary['fixes_by_codemod']}, held-back stubs {summary['held_back_stubs']}",
        flush=True,
    )

    after = suite.run("after")
    summary["tests_after"] = tally(after.outcomes)
    summary["after_timed_out"] = after.timed_out
    print(f"after: {summary['tests_after']}", flush=True)
    mark = phase("suite after", mark)
    broken = broken_tests(before.outcomes, after.outcomes)
    summary["newly_skipped"] = sorted(
        t for t, o in before.outcomes.items() if o in PASSING and after.outcomes.get(t) in SKIPPING
    )
    summary["failed_after"] = len(broken)
    flaky: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    unexplained: list[str] = []
    if broken:
        print(f"{len(broken)} tests passed before and fail after; re-running them", flush=True)
        workspace.set_state({})
        untouched = suite.run("rerun-pristine", broken)
        for test in broken:
            if untouched.outcomes[test] not in PASSING:
                flaky[test] = f"{untouched.outcomes[test]} on the untouched files too"
        candidates = [t for t in broken if t not in flaky]
        if candidates:
            workspace.set_state(workspace.everything())
            again = suite.run("rerun-patched", candidates)
            for test in candidates:
                if again.outcomes[test] in PASSING:
                    flaky[test] = "passed with the patch when re-run alone"
        confirmed = [t for t in broken if t not in flaky]
        mark = phase("re-runs", mark)
        results, unexplained = bisect_all(
            confirmed, before.outcomes, after.outcomes, workspace, suite, arguments.max_bisect
        )
        workspace.set_state(workspace.everything())
        phase("bisection", mark)
    summary["broken"] = results
    summary["not_bisected"] = unexplained
    summary["flaky"] = flaky
    summary["wall_time_s"] = round(time.monotonic() - started, 1)
    (workdir / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print_summary(summary)
    if not arguments.keep:
        for owned in ("venv", "sdist", "run", "pristine", "plugins"):
            shutil.rmtree(workdir / owned, ignore_errors=True)
    return 1 if results or unexplained else 0


def bisect_all(
    confirmed: list[str],
    before: Mapping[str, str],
    after: Mapping[str, str],
    workspace: Workspace,
    suite: Suite,
    max_bisect: int,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Find the hunks that break each confirmed test; return the findings and the rest."""
    results: list[dict[str, Any]] = []
    left = list(confirmed)
    runs = 0
    bisections = 0
    while left and bisections < max_bisect:
        test = left.pop(0)
        bisections += 1
        calls = 0

        def fails_with(selection: Selection, test: str = test) -> bool:
            """Tell whether ``test`` fails with ``selection`` applied (not compiling: no)."""
            nonlocal calls, runs
            calls += 1
            runs += 1
            if calls > BISECT_BUDGET:
                raise BisectBudgetError(test)
            if not workspace.set_state(selection):
                return False
            outcome = suite.run(f"bisect-{runs}", [test]).outcomes[test]
            return outcome in FAILING

        print(f"bisecting {test}", flush=True)
        try:
            cause = find_cause(workspace.patch, fails_with)
        except BisectBudgetError:
            results.append(_finding(test, before, after, None, "bisection gave up"))
            continue
        if cause is None:
            results.append(_finding(test, before, after, None, "not reproduced in bisection"))
            continue
        hunks = [_hunk_record(workspace, path, index) for path, index in cause]
        results.append(_finding(test, before, after, hunks, f"{calls} runs"))
        for record in hunks:
            print(
                f"  caused by {record['file']}:\n{textwrap.indent(_shown(record['hunk']), '    ')}"
            )
        if left:
            selection: dict[str, set[int]] = {}
            for path, index in cause:
                selection.setdefault(path, set()).add(index)
            if workspace.set_state({p: frozenset(i) for p, i in selection.items()}):
                runs += 1
                same = suite.run(f"bisect-{runs}-others", left).outcomes
                also = [t for t in left if same[t] in FAILING]
                for other in also:
                    results.append(_finding(other, before, after, hunks, f"same cause as {test}"))
                left = [t for t in left if t not in also]
    return results, left


def _hunk_record(workspace: Workspace, path: str, index: int) -> dict[str, Any]:
    """Return a hunk as the summary shows it."""
    file = next(f for f in workspace.patch if f.path == path)
    return {"file": path, "index": index, "hunk": file.hunks[index].text()}


def _finding(
    test: str,
    before: Mapping[str, str],
    after: Mapping[str, str],
    hunks: list[dict[str, Any]] | None,
    note: str,
) -> dict[str, Any]:
    """Return one broken test as the summary records it."""
    return {
        "test": test,
        "before": before.get(test),
        "after": after.get(test, "missing"),
        "cause": hunks,
        "note": note,
    }


def print_summary(summary: Mapping[str, Any]) -> None:
    """Print the summary for people."""
    mode = "default codemods + --unsafe-fixes" if summary["unsafe_fixes"] else "default codemods"
    print(
        f"\n== {summary['project']} {summary['version']}: {mode}, codemods {summary['codemods_commit']}"
    )
    print(f"python {summary.get('python')}; tests from {summary.get('tests_from')}")
    print(f"test dependencies: {summary['test_dependencies']['source']}")
    print(
        f"files: {summary['files_changed']} changed of {summary['files']}; "
        f"hunks {summary['hunks']} ({summary['blocks']} blocks of changed lines)"
    )
    print(f"fixes by codemod: {summary['fixes_by_codemod']}; codemods errors: {summary['errors']}")
    print(
        f"skips by codemod: {summary['skips_by_codemod']} (held-back stubs: {summary['held_back_stubs']})"
    )
    print(f"tests before: {summary['tests_before']}")
    print(f"tests after:  {summary['tests_after']}")
    for finding in summary["broken"]:
        print(
            f"BROKEN {finding['test']} ({finding['before']} -> {finding['after']}; {finding['note']})"
        )
        for record in finding["cause"] or []:
            print(f"  {record['file']}\n{textwrap.indent(_shown(record['hunk']), '    ')}")
    for test in summary["not_bisected"]:
        print(f"BROKEN (not bisected) {test}")
    for test, why in summary["flaky"].items():
        print(f"flaky, dropped: {test} ({why})")
    print(f"wall time: {summary['wall_time_s']} s; summary: {summary['workdir']}/summary.json")
    print("FAIL" if summary["broken"] or summary["not_bisected"] else "PASS")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> Any:
        """Print the error on one line and exit 2."""
        print(f"suite_check: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str]) -> int:
    """Parse the arguments and run the check; return the exit status."""
    parser = _Parser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("spec", metavar="PROJECT==VERSION")
    parser.add_argument("--unsafe-fixes", action="store_true", help="apply unsafe fixes too")
    parser.add_argument("--python", default=sys.executable, help="the Python of the virtualenv")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary dir")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="codemods and runner workers")
    parser.add_argument("--keep", action="store_true", help="keep the virtualenv and copies")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per full run, s")
    parser.add_argument("--max-bisect", type=int, default=25, help="bisections at most")
    parser.add_argument(
        "--codemods",
        default=str(Path(sys.executable).parent / "codemods"),
        help="the codemods program (default: beside this Python)",
    )
    arguments = parser.parse_args(argv)
    if arguments.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        return run_check(arguments)
    except SetupError as error:
        print(f"suite_check: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
