"""A checkout is untrusted input: what the tool reads from it is bounded, and errors are one line.

Each test runs the real command (a subprocess) on a hostile tree, or the function that
reads the input: FIFOs and devices where files are expected, documents nested 1,000 deep, a
NUL byte in a report's path, a SARIF base that climbs with ``..``, patterns that backtrack,
closed and full standard streams, two ``baseline`` runs at once, and ``python -m codemods``
in a directory that shadows a dependency.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemods.baseline import Baseline, Entry
from codemods.inputs import MAX_DEPTH, InputError, parse_json, parse_toml, read_input
from codemods.patterns import PatternError, compile_pattern
from codemods.reports import read_report

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero, /dev/full")
SOURCE = "def f():\n    x = 1\n"
DEEP = 1000


def _codemods(
    where: Path, *arguments: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codemods", *arguments],
        cwd=where,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _shell(where: Path, command: str) -> subprocess.CompletedProcess[str]:
    """Run ``codemods`` through bash, so streams can be closed (``>&-``) or full."""
    return subprocess.run(
        ["bash", "-c", f"'{sys.executable}' -m codemods {command}"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "internal error" not in lines[0], lines[0]  # foreseen: not reported as a bug
    return lines[0]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Return a project (a pyproject.toml without our table) with one file to fix."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "a.py").write_text(SOURCE)
    return tmp_path


# The bounded reader


@POSIX
def test_read_input_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        read_input(fifo)
    assert time.monotonic() - started < 5


@POSIX
def test_read_input_refuses_a_link_to_dev_zero_and_a_directory(tmp_path: Path) -> None:
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_input(tmp_path / "zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_input(tmp_path)


def test_read_input_refuses_a_file_over_the_limit_and_a_nul_path(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 101)
    assert read_input(tmp_path / "big", limit=101) == b"x" * 101
    with pytest.raises(InputError, match="larger than the limit of 100 bytes"):
        read_input(tmp_path / "big", limit=100)
    with pytest.raises(InputError, match="NUL"):
        read_input(str(tmp_path / "a\0b"))
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "missing")


def test_parsers_refuse_deep_nesting_but_read_deep_strings() -> None:
    with pytest.raises(InputError, match="nested deeper"):
        parse_json("[" * DEEP + "]" * DEEP)
    with pytest.raises(InputError, match="nested deeper"):
        parse_toml("a = " + "[" * DEEP + "]" * DEEP + "\n")
    assert parse_json(json.dumps({"a": "[" * DEEP})) == {"a": "[" * DEEP}
    assert parse_toml("a = '" + "[" * DEEP + "'  # [[[\n") == {"a": "[" * DEEP}
    assert parse_toml('a = """\n' + "{" * DEEP + '"""\n') == {"a": "{" * DEEP}
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert parse_json(nested) is not None


# Inputs of the checkout through the command


def test_a_deep_pyproject_baseline_or_report_is_a_one_line_error(tree: Path) -> None:
    (tree / "deep.json").write_text("[" * DEEP + "]" * DEEP)
    assert "nested deeper" in _one_line_error(_codemods(tree, "check", "--findings", "deep.json"))
    assert "nested deeper" in _one_line_error(_codemods(tree, "triage", "deep.json"))
    baseline = tree / ".codemods-baseline.json"
    baseline.write_text('{"version": 1, "findings": ' + "[" * DEEP + "]" * DEEP + "}")
    assert "nested deeper" in _one_line_error(_codemods(tree, "check", "."))
    baseline.unlink()
    (tree / "pyproject.toml").write_text("[tool.codemods]\nx = " + "[" * DEEP + "]" * DEEP)
    assert "nested deeper" in _one_line_error(_codemods(tree, "check", "."))


def test_a_report_path_with_a_nul_byte_is_a_one_line_error(tree: Path) -> None:
    report = [
        {
            "code": "F841",
            "filename": "a\0.py",
            "location": {"row": 2, "column": 5},
            "end_location": {"row": 2, "column": 6},
            "message": "Local variable `x` is assigned to but never used",
        }
    ]
    (tree / "r.json").write_text(json.dumps(report))
    assert "NUL" in _one_line_error(_codemods(tree, "check", "--findings", "r.json", "."))
    assert "NUL" in _one_line_error(_codemods(tree, "triage", "r.json"))
    (tree / "r.txt").write_text("a\0.py:2:5: F841 Local variable `x` is assigned to\n")
    assert "NUL" in _one_line_error(_codemods(tree, "triage", "r.txt"))


@POSIX
def test_a_fifo_baseline_is_an_error_not_a_hang(tree: Path) -> None:
    os.mkfifo(tree / ".codemods-baseline.json")
    line = _one_line_error(_codemods(tree, "check", ".", timeout=30))
    assert "not a regular file" in line


@POSIX
def test_a_fifo_or_dev_zero_gitignore_does_not_hang_the_walk(tree: Path) -> None:
    os.mkfifo(tree / ".gitignore")
    (tree / "sub").mkdir()
    (tree / "sub" / "b.py").write_text(SOURCE)
    (tree / "sub" / ".gitignore").symlink_to("/dev/zero")
    done = _codemods(tree, "check", ".", timeout=30)
    assert done.returncode == 1, done  # both files would be fixed
    assert "a.py" in done.stdout and "b.py" in done.stdout


@POSIX
def test_a_pyproject_linked_to_dev_zero_is_not_read(tree: Path) -> None:
    (tree / "pyproject.toml").unlink()
    (tree / "pyproject.toml").symlink_to("/dev/zero")
    done = _codemods(tree, "check", ".", timeout=30)  # not a file: not a project marker
    assert done.returncode == 1, done
    line = _one_line_error(_codemods(tree, "check", "--config", "pyproject.toml", ".", timeout=30))
    assert "not a regular file" in line


# SARIF bases


def _sarif(base: str, uri: str) -> bytes:
    run = {
        "tool": {"driver": {"name": "t"}},
        "originalUriBaseIds": {"B": {"uri": base}},
        "results": [
            {
                "ruleId": "F841",
                "message": {"text": "x"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "uriBaseId": "B"},
                            "region": {"startLine": 2},
                        }
                    }
                ],
            }
        ],
    }
    return json.dumps({"version": "2.1.0", "runs": [run]}).encode()


@pytest.mark.parametrize(
    ("base", "uri", "path"),
    [
        ("../", "lib/m.py", "../lib/m.py"),
        ("proj/", "../lib/m.py", "proj/../lib/m.py"),
        ("../up", "m.py", "../up/m.py"),
        ("file:///src/proj/", "m.py", "/src/proj/m.py"),
        ("file:///src/proj/", "../lib/m.py", "/src/lib/m.py"),
        ("../", "/abs/m.py", "/abs/m.py"),
        ("../", "a%20b.py", "../a b.py"),
    ],
)
def test_a_relative_sarif_base_keeps_its_dot_dot(base: str, uri: str, path: str) -> None:
    (claim,) = read_report(_sarif(base, uri), "r.sarif")
    assert claim.path == path


# Patterns


def test_user_patterns_compile_with_a_linear_time_engine() -> None:
    pattern = compile_pattern("^(a+)+$", "dummy-variable-rgx")
    started = time.monotonic()
    assert pattern.search("a" * 100_000 + "!") is None
    assert time.monotonic() - started < 1
    for rejected in (r"(a)\1", "(?=x)", "(?<!x)y"):
        with pytest.raises(PatternError, match="RE2"):
            compile_pattern(rejected, "ignore-names")


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("unused-variables", "dummy-variable-rgx", '"(_)\\\\1"'),
        ("docstring-stubs", "ignore-names", '["ok", "(?=test)"]'),
    ],
)
def test_a_pattern_re2_rejects_is_a_config_error(
    tree: Path, table: str, key: str, value: str
) -> None:
    (tree / "pyproject.toml").write_text(f"[tool.codemods.{table}]\n{key} = {value}\n")
    line = _one_line_error(_codemods(tree, "check", "."))
    assert key in line and "RE2" in line


def _fixes_use_re2() -> bool:
    from codemods.fixes import unused_variables

    return "compile_pattern" in Path(unused_variables.__file__).read_text(encoding="utf-8")


@pytest.mark.skipif(
    not _fixes_use_re2(), reason="codemods/fixes/unused_variables.py compiles with re still"
)
def test_a_backtracking_dummy_pattern_does_not_hang_the_run(tree: Path) -> None:
    (tree / "pyproject.toml").write_text(
        '[tool.codemods.unused-variables]\ndummy-variable-rgx = "^(a+)+$"\n'
    )
    (tree / "a.py").write_text(f"def f():\n    {'a' * 5000}b = 1\n")
    done = _codemods(tree, "check", "--no-cache", ".", timeout=60)
    assert done.returncode == 1, done


# Standard streams


@POSIX
@pytest.mark.parametrize("command", ["check .", "diff .", "check --format json ."])
def test_closed_or_full_stdout_is_a_one_line_error(tree: Path, command: str) -> None:
    assert "stdout is closed" in _one_line_error(_shell(tree, f"{command} >&-"))
    assert "No space left" in _one_line_error(_shell(tree, f"{command} >/dev/full"))


@POSIX
def test_apply_stdin_closed_or_output_full_is_a_one_line_error(tree: Path) -> None:
    assert "stdin is closed" in _one_line_error(_shell(tree, "apply - <&-"))
    line = _one_line_error(_shell(tree, "apply - <a.py >/dev/full"))
    assert "No space left" in line


# Two baseline runs at once


def test_two_savers_that_read_before_either_wrote_keep_both_entries(tmp_path: Path) -> None:
    path = tmp_path / ".codemods-baseline.json"
    first = Baseline.load(path)
    second = Baseline.load(path)
    old = Entry("old.py", "unused-variables", "unused-variable", "0")
    dataclasses_replace = first.__class__
    Baseline(path, frozenset({old})).save()  # a third run wrote meanwhile
    first = dataclasses_replace(path, frozenset({Entry("a.py", "c", "r", "1")}), first.loaded)
    second = dataclasses_replace(path, frozenset({Entry("b.py", "c", "r", "2")}), second.loaded)
    first.save()
    second.save()
    paths = {entry.path for entry in Baseline.load(path).entries}
    assert paths == {"old.py", "a.py", "b.py"}


def test_concurrent_baseline_runs_keep_each_others_entries(tree: Path) -> None:
    for index in range(6):
        (tree / f"m{index}.py").write_text(SOURCE)
    for _ in range(3):
        (tree / ".codemods-baseline.json").unlink(missing_ok=True)
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "codemods", "baseline", "-q", f"m{index}.py"],
                cwd=tree,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for index in range(6)
        ]
        for run in runs:
            assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
        recorded = {
            entry.path for entry in Baseline.load(tree / ".codemods-baseline.json").entries
        }
        assert recorded == {f"m{index}.py" for index in range(6)}


# python -m codemods in a hostile directory


def test_python_m_does_not_import_a_dependency_from_the_current_directory(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "imported"
    for name in ("unidiff.py", "click.py", "pathspec.py"):
        (tmp_path / name).write_text(f"open({str(marker)!r}, 'w').close()\n")
    done = _codemods(tmp_path, "--version")
    assert done.returncode == 0, done
    assert not marker.exists()
