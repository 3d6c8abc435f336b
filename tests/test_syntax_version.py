"""Code newer than the running Python: a one-line error naming the Python it needs, exit 2.

The feature detector (:mod:`codemods.syntax_version`) is checked three ways:

- on this Python, with code it cannot parse (a ``type`` statement under 3.11) and, through
  ``running=``, with code an older Python could not parse;
- against the real grammars: every Python installed here (3.10 to 3.13, from PATH and pyenv)
  parses each sample exactly when it is at least the version the detector names;
- end to end, the command line run by a Python older than each feature (3.10 here: in a
  virtual environment with the dependencies, made once and kept in the user cache), as a
  pre-commit hook on an old ``python3`` would run it. Without such a Python the test is
  skipped, saying which Python it needs.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemods import syntax_version
from codemods.config import Config
from codemods.deepstack import call_with_room
from codemods.syntax_version import (
    MAX_NESTING,
    Feature,
    NewerSyntax,
    describe,
    nesting,
    newer_python_message,
    newer_syntax,
    syntax_features,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
RUNNING = sys.version_info[:2]

SAMPLES: dict[str, tuple[str, tuple[int, int], str, int]] = {
    # name: (code, the first Python that accepts it, what the error names, at line)
    "type statement": ("x = 1\n\n\ntype Vector = list[float]\n", (3, 12), "a 'type' statement", 4),
    "generic function": (
        "@decorated\ndef first[T](items: list[T]) -> T:\n    return items[0]\n",
        (3, 12),
        "type parameters on function 'first'",
        2,
    ),
    "generic class": (
        "class Box[T]:\n    item: T\n",
        (3, 12),
        "type parameters on class 'Box'",
        1,
    ),
    "except star": (
        "try:\n    run()\nexcept* ValueError:\n    pass\n",
        (3, 11),
        "an 'except*' clause",
        3,
    ),
    "starred subscript": ("Array[*Shape]\n", (3, 11), "a starred subscript", 1),
    "starred args annotation": (
        "def f(*args: *Ts): pass\n",
        (3, 11),
        "a starred '*args' annotation",
        1,
    ),
    "f-string reusing its quotes": (
        'name = "x"\ngreeting = f"hello {", ".join([name])}"\n',
        (3, 12),
        "an f-string that reuses its quotes inside a replacement field",
        2,
    ),
    "f-string with a backslash": (
        "lines = f'{chr(10).join(x) + \"\\n\"}'\n",
        (3, 12),
        "an f-string with a backslash inside a replacement field",
        1,
    ),
    "f-string with a comment": (
        'total = f"""{\n    price  # in cents\n}"""\n',
        (3, 12),
        "an f-string with a comment inside a replacement field",
        1,
    ),
    "single-quoted f-string on two lines": (
        "total = f'{price +\n    tax}'\n",
        (3, 12),
        "a single-quoted f-string whose replacement field spans lines",
        1,
    ),
    "f-string nested three levels": (
        "f'{value:{width:{fill}}}'\n",
        (3, 12),
        "an f-string with format specs nested more than two levels deep",
        1,
    ),
    "type parameter default": (
        "class Box[T = int]:\n    pass\n",
        (3, 13),
        "a type parameter default",
        1,
    ),
    "t-string": ("greeting = t'hello {name}'\n", (3, 14), "a t-string", 1),
    "except without parentheses": (
        "try:\n    run()\nexcept ValueError, TypeError:\n    pass\n",
        (3, 14),
        "an 'except' of several types without parentheses",
        3,
    ),
    "lazy import": ("lazy import json\n", (3, 15), "a 'lazy' import", 1),
    "unpacking in a comprehension": (
        "flat = [*row for row in rows]\n",
        (3, 15),
        "unpacking in a comprehension",
        1,
    ),
}
"""One sample per feature the detector knows (3.10's ``match`` aside: codemods needs 3.10)."""

ACCEPTED_EVERYWHERE = {
    "f-string reusing other quotes": "f'{x[\"key\"]}'\n",
    "f-string with a hash in a string": "f\"{'#'}\"\n",
    "f-string nested two levels": "f'{value:{width}}'\n",
    "triple-quoted f-string with other quotes": "f'''{\"a\"}'''\n",
    "except with parentheses": "try:\n    pass\nexcept (ValueError, TypeError):\n    pass\n",
    "format spec with a backslash": "f'{x:\\t}'\n",
}
"""Look-alikes every Python from 3.10 accepts: the detector must find nothing in them."""


def parses_here(code: str) -> bool:
    try:
        compile(code, "<sample>", "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except SyntaxError:
        return False
    return True


# -- the detector, on this Python ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_detector_names_each_feature_with_its_version_and_line(name: str) -> None:
    code, version, what, line = SAMPLES[name]
    features = syntax_features(code)
    assert features is not None, "LibCST parses every sample"
    newest = max(features, key=lambda feature: feature.version)
    assert newest == Feature(version, what, line)
    older = (version[0], version[1] - 1)
    assert newer_syntax(code, running=older) == NewerSyntax(older, newest)
    assert newer_syntax(code, running=version) == NewerSyntax(version, None)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_code_this_python_cannot_parse_gets_the_one_line_error(name: str) -> None:
    code, version, what, line = SAMPLES[name]
    if RUNNING >= version:
        pytest.skip(f"Python {RUNNING[0]}.{RUNNING[1]} parses it: see the ``running=`` test")
    assert not parses_here(code)
    expected = (
        f"this file needs Python {version[0]}.{version[1]} or newer ({what} at line {line}); "
        f"codemods runs on Python {platform.python_version()} here"
    )
    assert newer_python_message(code) == expected
    result = Config().build_engine().fix_text("new.py", code)
    assert result.error is not None and not result.changed and result.new_text == code
    assert result.error.format("new.py") == f"new.py:1:1: error: {expected}"


def test_a_type_statement_under_this_python() -> None:
    """The case of the issue on this machine's 3.11: a 3.12 ``type`` statement."""
    code = "import typing\n\ntype Pair = tuple[int, int]\n"
    if RUNNING >= (3, 12):
        pytest.skip("this Python parses type statements")
    message = newer_python_message(code)
    assert message is not None and message.startswith(
        "this file needs Python 3.12 or newer (a 'type' statement at line 3); "
    )


def test_the_newest_feature_names_the_python_the_file_needs() -> None:
    code = SAMPLES["except star"][0] + SAMPLES["type statement"][0] + "class C[T = int]: pass\n"
    found = newer_syntax(code, running=(3, 10))
    assert found is not None and found.feature == Feature((3, 13), "a type parameter default", 9)


@pytest.mark.parametrize("name", sorted(ACCEPTED_EVERYWHERE))
def test_look_alikes_that_every_python_accepts_are_not_features(name: str) -> None:
    assert syntax_features(ACCEPTED_EVERYWHERE[name]) == []


@pytest.mark.parametrize(
    "code",
    [
        "def (:\n",
        "print 'python 2'\n",
        "type X = \n",
        "def f():\n    lazy import json\n",  # PEP 810: module level only
        "lazy from json import *\n",
    ],
)
def test_invalid_code_keeps_its_syntax_error(code: str) -> None:
    assert newer_syntax(code) is None
    result = Config().build_engine().fix_text("bad.py", code)
    assert result.error is not None and "needs" not in result.error.message


def test_code_that_parses_for_a_later_grammar_without_a_known_feature(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LibCST parses it, no feature explains it: 'a newer Python than 3.X'."""
    monkeypatch.setattr(syntax_version, "syntax_features", lambda text: [])
    found = newer_syntax("anything the running Python rejected\n", running=(3, 10))
    assert found == NewerSyntax((3, 10), None)
    assert describe(found, "3.10.13") == (
        "this file needs a newer Python than 3.10; codemods runs on Python 3.10.13 here"
    )


def test_deep_code_never_reaches_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibCST's native parser takes time in the square of the nesting and crashes the process
    further down: deep code keeps its plain error, at once."""
    shapes = {
        "brackets": "x = " + "[" * 5000 + "]" * 5000,
        "unary minus": "x = " + "-" * 100_000 + "1",
        "plus chain": "x = 1" + " + 1" * 100_000,
        "calls": "x = f" + "()" * 100_000,
        "lambdas": "x = " + "lambda: " * 10_000 + "1",
        "conditionals": "x = " + "a if b else " * 10_000 + "c",
    }
    for name, deep in shapes.items():
        assert nesting(deep) > MAX_NESTING, name
        started = time.perf_counter()
        assert newer_syntax(SAMPLES["type statement"][0] + deep + "\n") is None, name
        assert time.perf_counter() - started < 2, name
    for shallow in ("x = " + "[" * 150 + "]" * 150, "x = 1" + " + 1" * 150):
        assert nesting(shallow) <= MAX_NESTING
        text = "type X = int\n" + shallow + "\n"  # the engine gives deep code a large stack
        found = call_with_room(functools.partial(newer_syntax, text, running=(3, 10)))
        assert found is not None


def test_this_projects_own_code_is_far_from_the_nesting_limit() -> None:
    deepest = max(nesting(p.read_text(encoding="utf-8")) for p in ROOT.glob("codemods/**/*.py"))
    assert deepest < MAX_NESTING // 4


# -- the detector against the real grammars ------------------------------------------------


@functools.cache
def installed_pythons() -> dict[tuple[int, int], str]:
    """Return one interpreter per version 3.10+ found here: this one, PATH, pyenv."""
    candidates = [sys.executable]
    for minor in range(10, 20):
        found = shutil.which(f"python3.{minor}")
        if found:
            candidates.append(found)
    roots = {os.environ.get("PYENV_ROOT", ""), str(Path.home() / ".pyenv")} - {""}
    for root in sorted(roots):
        candidates.extend(sorted(glob.glob(f"{root}/versions/3.*/bin/python3.*[0-9]")))
    found_versions: dict[tuple[int, int], str] = {}
    for candidate in candidates:
        try:
            done = subprocess.run(
                [candidate, "-I", "-c", "import sys; print(*sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        version = tuple(map(int, done.stdout.split()))
        if len(version) == 2 and version >= (3, 10):
            found_versions.setdefault((version[0], version[1]), candidate)
    return found_versions


def needed_by_the_detector(code: str) -> tuple[int, int]:
    """Return the Python the detector says ``code`` needs (3.10: nothing newer in it)."""
    features = syntax_features(code)
    assert features is not None
    return max((feature.version for feature in features), default=(3, 10))


PARSE_EACH = """
import ast, json, sys
for code in json.load(sys.stdin):
    try:
        ast.parse(code)
    except SyntaxError:
        print(0)
    else:
        print(1)
"""


def test_each_installed_python_parses_a_sample_exactly_from_the_version_named() -> None:
    pythons = installed_pythons()
    codes = [SAMPLES[name][0] for name in sorted(SAMPLES)] + list(ACCEPTED_EVERYWHERE.values())
    needed = [needed_by_the_detector(code) for code in codes]
    for version, python in sorted(pythons.items()):
        done = subprocess.run(
            [python, "-I", "-c", PARSE_EACH],
            input=json.dumps(codes),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=ROOT / "tests",  # not a directory whose modules shadow the standard library
        )
        parsed = [line == "1" for line in done.stdout.split()]
        expected = [version >= need for need in needed]
        wrong = [code for code, p, e in zip(codes, parsed, expected, strict=True) if p != e]
        assert not wrong, f"Python {version}: the detector's versions are wrong for {wrong}"
    if len(pythons) < 2:
        pytest.skip(f"only Python {sorted(pythons)} is installed: one grammar checked")


# -- end to end under an older Python ------------------------------------------------------


def oldest_python() -> tuple[tuple[int, int], str] | None:
    """Return the oldest Python (3.10+) installed here, as a pre-commit hook may run it."""
    pythons = installed_pythons()
    return min(pythons.items()) if pythons else None


@pytest.fixture(scope="session")
def old_codemods() -> tuple[tuple[int, int], list[str], dict[str, str]]:
    """Return ``(version, command, env)`` that run this tree's CLI under the oldest Python.

    That Python gets a virtual environment with the project's dependencies (not the project:
    ``PYTHONPATH`` points at this tree), made once and kept in the user cache under a name
    that changes with the dependencies.
    """
    oldest = oldest_python()
    if oldest is None:
        pytest.skip("no Python 3.10 or newer found")
    version, python = oldest
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONNOUSERSITE": "1", "NO_COLOR": "1"}
    if version == RUNNING:
        return version, [sys.executable, "-m", "codemods"], env
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = sorted(project["project"]["dependencies"])
    digest = hashlib.sha256(json.dumps([python, dependencies]).encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "codemods-test-pythons" / f"{version[0]}.{version[1]}-{digest}"
    venv_python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    check = [str(venv_python), "-c", "import libcst, click, unidiff, pathspec, platformdirs"]
    if not venv_python.exists() or subprocess.run(check, capture_output=True).returncode:
        building = venv.with_name(f"{venv.name}.{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        steps = [
            [python, "-m", "venv", str(building)],
            [str(building / venv_python.relative_to(venv)), "-m", "pip", "install", "-q"]
            + dependencies,
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                shutil.rmtree(building, ignore_errors=True)
                pytest.skip(
                    f"cannot make a Python {version} environment ({' '.join(step[:4])}...): "
                    f"{done.stderr.strip()[-300:]}"
                )
        shutil.rmtree(venv, ignore_errors=True)
        building.rename(venv)
    return version, [str(venv_python), "-m", "codemods"], env


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["type statement", "generic function", "except star", "f-string reusing its quotes"],
)
def test_the_cli_under_an_older_python_names_the_python_the_file_needs(
    old_codemods: tuple[tuple[int, int], list[str], dict[str, str]], tmp_path: Path, name: str
) -> None:
    version, command, env = old_codemods
    code, needed, what, line = SAMPLES[name]
    if version >= needed:
        pytest.skip(
            f"needs a Python older than {needed[0]}.{needed[1]}; the oldest here is "
            f"{version[0]}.{version[1]}"
        )
    (tmp_path / "new.py").write_text(code)
    (tmp_path / "old.py").write_text("def area(w, h):\n    return w * h\n")
    done = subprocess.run(
        [*command, "apply", "--no-cache", "new.py", "old.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    error, *rest = done.stderr.splitlines()
    pattern = (
        rf"new\.py:1:1: error: this file needs Python {needed[0]}\.{needed[1]} or newer "
        rf"\({re.escape(what)} at line {line}\); codemods runs on Python "
        rf"{version[0]}\.{version[1]}\.\d+\S* here"
    )
    assert re.fullmatch(pattern, error), error
    assert rest == ["1 file fixed, 1 file failed."], done.stderr
    assert (tmp_path / "new.py").read_text() == code, "the newer file is left alone"
    assert (tmp_path / "old.py").read_text().startswith('"""'), "the other files go on"
