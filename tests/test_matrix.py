"""Every command x every output format x every file shape: the class of "a new file crashes us".

Each shape is one file a real package may hold (empty, a BOM alone, CRLF, CR only, a form
feed, a NUL byte, a latin-1 cookie, a ``.pyi``, a 2 MB module, one that does not parse, one
that cannot be decoded, a name that is not UTF-8...). Each cell runs one command on it, in
this process through click's runner (a few through real programs: ``git apply``,
``patch``), and checks what holds for every cell:

* no traceback, and the exit code the docs give: 0 nothing to change, 1 changes found
  (``diff``, ``check``), 2 when the file cannot be processed -- never 1 for an error;
* the report is valid for its format: SARIF against its schema, JSON and rdjson parse,
  ``github`` lines are workflow commands;
* every diff we print is accepted by ``git apply`` and ``patch``, and by ``apply --patch``;
* ``apply`` then ``check`` finds nothing: a second run changes nothing.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from codemods import cli

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
FORMATS = ("text", "json", "sarif", "github", "rdjson")
TRIAGE_FORMATS = ("table", "json", "sarif", "markdown")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+(,[a-zA-Z]+=[^,:]*)*::.+$")


@dataclasses.dataclass(frozen=True)
class Shape:
    """One kind of file: its name, its bytes, and what a run must make of it."""

    name: str
    data: bytes
    changes: bool
    """Whether the default codemods change it."""
    error: bool = False
    """Whether it cannot be processed (exit 2, left as it was)."""
    filename: str = "shape.py"
    heavy: bool = False
    """Slow to fix (seconds): its cells share the result cache, so the engine runs once per
    text and each cell still renders its own output (the engine's speed is bench.py's)."""


def _big_module() -> bytes:
    """About 2 MB, as protobuf generates them: a serialized blob, and a function to fix."""
    blob = base64.b64encode(random.Random(0).randbytes(1_500_000))
    lines = b"".join(b'    b"' + blob[i : i + 76] + b'"\n' for i in range(0, len(blob), 76))
    return (
        b'"""A generated module."""\n\nSERIALIZED = (\n'
        + lines
        + b")\n\n\ndef lookup(key):\n    unused = key\n    return SERIALIZED[0]\n"
    )


SHAPES = [
    Shape("empty", b"", changes=True),
    Shape("only-a-comment", b"# nothing here\n", changes=True),
    Shape("only-a-bom", b"\xef\xbb\xbf", changes=True),
    Shape("no-final-newline", b'"""Doc."""\n\n\ndef f():\n    x = 1\n    return 2', True),
    Shape("crlf", b'"""Doc."""\r\n\r\n\r\ndef f():\r\n    x = 1\r\n    return 2\r\n', True),
    Shape("cr-only", b'"""Doc."""\r\r\rdef f():\r    x = 1\r    return 2\r', True),
    Shape("one-line", b"x = 1\n", changes=True),
    Shape("clean", b'"""Doc."""\n\nx = 1\n', changes=False),
    Shape("form-feed", b'"""Doc."""\n\n\x0c\ndef f():\n    x = 1\n    return 2\n', True),
    Shape("tabs", b'"""Doc."""\n\n\ndef f():\n\tif f:\n\t\treturn 1\n', changes=True),
    Shape(
        "latin-1-cookie",
        b'# -*- coding: latin-1 -*-\n"""Caf\xe9."""\n\n\ndef f():\n    x = "\xe9"\n    return 2\n',
        changes=True,
    ),
    Shape(
        "stub",  # docstrings are not asked of stubs (ruff's D1 neither); tabs are fixed
        b"class C:\n\tdef f(self, x: int) -> int: ...\n",
        changes=True,
        filename="shape.pyi",
    ),
    Shape("two-mb", _big_module(), changes=True, heavy=True),
    Shape("does-not-parse", b'"""Doc."""\n\ndef f(:\n    pass\n', changes=False, error=True),
    Shape("cannot-decode", b'"""Doc."""\n\nx = "\xff\xfe"\n', changes=False, error=True),
    Shape("nul-byte", b'"""Doc."""\n\nx = 1\x00\n', changes=False, error=True),
    Shape(
        "newline-in-name",  # a diff header names it C-quoted, as git does: "a/a\nb.py"
        b"def f():\n    x = 1\n    return 2\n",
        changes=True,
        filename='a\nb "quoted" \\.py',
    ),
    Shape(
        "non-utf8-name",
        b"def f():\n    x = 1\n    return 2\n",
        changes=True,
        filename=os.fsdecode(b"caf\xe9.py"),
    ),
]


@pytest.fixture(params=SHAPES, ids=[shape.name for shape in SHAPES])
def shape(request: pytest.FixtureRequest) -> Shape:
    """Each file shape in turn."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def heavy_place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the heavy shapes' projects live: one place, so that their cells share the cache."""
    return tmp_path_factory.mktemp("heavy")


@pytest.fixture
def tree(tmp_path: Path, shape: Shape, heavy_place: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project holding the one file of ``shape``; the current directory."""
    if shape.filename != os.fsdecode(os.fsencode(shape.filename)):
        pytest.skip("this file system cannot name the file")
    place = heavy_place if shape.heavy else tmp_path
    project = place / "project"
    shutil.rmtree(project, ignore_errors=True)
    for leftover in place.glob("*.patch"):
        leftover.unlink()
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'shape'\n")
    (project / shape.filename).write_bytes(shape.data)
    monkeypatch.chdir(project)
    return project


@dataclasses.dataclass(frozen=True)
class Run:
    """One command's exit code and outputs."""

    code: int
    out: bytes
    err: str


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The result cache of the heavy shapes' cells."""
    return tmp_path_factory.mktemp("matrix-cache")


@pytest.fixture
def engine_args(shape: Shape, shared_cache: Path) -> tuple[str, ...]:
    """``--no-cache``, or for a heavy shape the cache its cells share."""
    return ("--cache-dir", str(shared_cache)) if shape.heavy else ("--no-cache",)


def run(*args: str, stdin: bytes | None = None) -> Run:
    """Run the CLI in this process."""
    done = CliRunner().invoke(cli.main, list(args), input=stdin)
    err = done.stderr
    assert "Traceback" not in err, err
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return Run(done.exit_code, done.stdout_bytes, err)


def expected_code(shape: Shape, *, reports_changes: bool = True) -> int:
    """The documented exit code: errors win (2), then changes found (1), else 0."""
    if shape.error:
        return 2
    return 1 if shape.changes and reports_changes else 0


def check_report(output_format: str, out: bytes, shape: Shape) -> None:
    """Check that ``out`` is a valid report of ``output_format`` (a diff is the file's bytes)."""
    if output_format == "text":
        return  # diffs and "would fix" lines: the diffs are checked by git apply and patch
    text = out.decode("utf-8")
    if output_format == "sarif":
        jsonschema.validate(json.loads(text), SARIF_SCHEMA)
    elif output_format in ("json", "rdjson"):
        json.loads(text)
    elif output_format == "github":
        lines = text.splitlines()
        assert all(GITHUB_LINE.match(line) for line in lines), text
        assert bool(lines) == (shape.changes or shape.error), text
        assert any(line.startswith("::error ") for line in lines) == shape.error, text


def check_patch_applies(diff: bytes, project: Path, shape: Shape) -> None:
    """``git apply`` and ``patch`` both accept the diff (dry runs)."""
    if not diff:
        return
    patch_file = project.parent / "fixes.patch"
    patch_file.write_bytes(diff)
    git = subprocess.run(
        ["git", "apply", "--check", "--unsafe-paths", str(patch_file)],
        cwd=project,
        capture_output=True,
    )
    assert git.returncode == 0, git.stderr.decode()
    if shutil.which("patch"):
        dry = subprocess.run(
            ["patch", "--dry-run", "-p1", "-i", str(patch_file)], cwd=project, capture_output=True
        )
        assert dry.returncode == 0, dry.stdout.decode() + dry.stderr.decode()


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("command", ["diff", "check"])
def test_diff_and_check_in_every_format(
    tree: Path, shape: Shape, engine_args: tuple[str, ...], command: str, output_format: str
) -> None:
    before = (tree / shape.filename).read_bytes()
    done = run(command, *engine_args, "--format", output_format, ".")
    assert done.code == expected_code(shape), done.err
    check_report(output_format, done.out, shape)
    if command == "diff" and output_format == "text":
        assert bool(done.out) == shape.changes
        check_patch_applies(done.out, tree, shape)
    if shape.error:
        assert f"{shape.filename}:" in done.err and "error:" in done.err
        assert len([line for line in done.err.splitlines() if "error:" in line]) == 1
    assert (tree / shape.filename).read_bytes() == before  # a dry run writes nothing


@pytest.mark.parametrize("command", ["diff", "check"])
def test_diff_and_check_on_stdin(
    tree: Path, shape: Shape, engine_args: tuple[str, ...], command: str
) -> None:
    by_path = run(command, *engine_args, ".")
    by_stdin = run(
        command, *engine_args, "--stdin-filename", shape.filename, "-", stdin=shape.data
    )
    assert by_stdin.code == by_path.code == expected_code(shape), by_stdin.err
    if command == "diff":
        assert by_stdin.out == by_path.out


def test_apply_then_nothing_is_left(
    tree: Path, shape: Shape, engine_args: tuple[str, ...]
) -> None:
    done = run("apply", *engine_args, ".")
    assert done.code == (2 if shape.error else 0), done.err
    after = (tree / shape.filename).read_bytes()
    assert (after != shape.data) == shape.changes
    again = run("check", *engine_args, ".")
    assert again.code == (2 if shape.error else 0), again.err
    assert (tree / shape.filename).read_bytes() == after


def test_apply_on_stdin_prints_what_apply_writes(
    tree: Path, shape: Shape, engine_args: tuple[str, ...]
) -> None:
    printed = run("apply", *engine_args, "--stdin-filename", shape.filename, "-", stdin=shape.data)
    assert printed.code == (2 if shape.error else 0), printed.err
    if shape.error:
        return
    run("apply", *engine_args, ".")
    assert printed.out == (tree / shape.filename).read_bytes()
    twice = run("apply", *engine_args, "--stdin-filename", shape.filename, "-", stdin=printed.out)
    assert twice.out == printed.out


def test_apply_patch_of_our_own_diff_writes_what_apply_writes(
    tree: Path, shape: Shape, engine_args: tuple[str, ...]
) -> None:
    diff = run("diff", *engine_args, ".")
    if not diff.out:
        assert not shape.changes or shape.error
        return
    patch_file = tree.parent / "fixes.patch"
    patch_file.write_bytes(diff.out)
    patched = run("apply", "--patch", str(patch_file))
    assert patched.code == 0, patched.err
    result = (tree / shape.filename).read_bytes()
    (tree / shape.filename).write_bytes(shape.data)
    run("apply", *engine_args, ".")
    assert result == (tree / shape.filename).read_bytes()


def test_baseline_then_check_is_clean(
    tree: Path, shape: Shape, engine_args: tuple[str, ...]
) -> None:
    recorded = run("baseline", ".")
    assert recorded.code == (2 if shape.error else 0), recorded.err
    if shape.error:
        return
    assert (tree / ".codemods-baseline.json").exists() == shape.changes or not shape.changes
    again = run("check", *engine_args, ".")
    assert again.code == 0, again.err


@pytest.mark.parametrize("report_format", ["sarif", "json", "rdjson"])
@pytest.mark.parametrize("triage_format", TRIAGE_FORMATS)
def test_triage_reads_our_own_reports(
    tree: Path, shape: Shape, engine_args: tuple[str, ...], report_format: str, triage_format: str
) -> None:
    if shape.error:
        pytest.skip("no report of a file that cannot be read")
    report = run("check", *engine_args, "--format", report_format, ".")
    report_file = tree.parent / f"report.{report_format}"
    report_file.write_bytes(report.out)
    triaged = run("triage", "--format", triage_format, str(report_file))
    assert triaged.code == (1 if shape.changes else 0), triaged.err
    if triage_format == "sarif":
        jsonschema.validate(json.loads(triaged.out), SARIF_SCHEMA)
    elif triage_format == "json":
        json.loads(triaged.out)
    if shape.changes:
        assert b"fixed" in triaged.out or triage_format in ("sarif", "json")


ERROR_SHAPES = [shape for shape in SHAPES if shape.error]


@pytest.mark.parametrize("bad", ERROR_SHAPES, ids=[shape.name for shape in ERROR_SHAPES])
@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("command", ["diff", "check", "apply"])
def test_errors_win_over_changes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bad: Shape,
    command: str,
    output_format: str,
) -> None:
    """A file that cannot be processed beside one that is fixed: exit 2, the other goes on."""
    if command == "apply" and output_format != "text":
        pytest.skip("apply has no report formats")
    good = next(shape for shape in SHAPES if shape.name == "crlf")
    (tmp_path / "bad.py").write_bytes(bad.data)
    (tmp_path / "good.py").write_bytes(good.data)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mixed'\n")
    monkeypatch.chdir(tmp_path)
    args = ("--format", output_format) if command != "apply" else ()
    done = run(command, "--no-cache", *args, ".")
    assert done.code == 2, done.err
    assert "bad.py:" in done.err
    check_report(output_format, done.out, dataclasses.replace(good, error=True))
    if command == "apply":
        assert (tmp_path / "good.py").read_bytes() != good.data
        assert (tmp_path / "bad.py").read_bytes() == bad.data
    else:
        assert b"good.py" in done.out


def test_review_in_a_terminal_writes_what_apply_writes(
    tree: Path, shape: Shape, engine_args: tuple[str, ...]
) -> None:
    """``review`` in a real pty, answering ``y`` to every hunk, as a person would."""
    pexpect = pytest.importorskip("pexpect")
    command = str(Path(sys.executable).parent / "codemods")
    child = pexpect.spawn(
        command, ["review", *engine_args, "."], cwd=str(tree), timeout=60, dimensions=(200, 200)
    )
    while child.expect([rb"Apply this hunk to .*\]\? ", pexpect.EOF]) == 0:
        child.sendline(b"y")
    child.close()
    printed = child.before.decode("utf-8", "replace")
    assert "Traceback" not in printed, printed
    assert child.exitstatus == (2 if shape.error else 0), printed
    reviewed = (tree / shape.filename).read_bytes()
    (tree / shape.filename).write_bytes(shape.data)
    run("apply", *engine_args, ".")
    assert reviewed == (tree / shape.filename).read_bytes()
