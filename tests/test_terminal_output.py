"""What a person sees on a terminal, and what a script gets: the progress bar, -q/-s, colour,
each command's exit codes in --help, and one-line usage errors.

The terminal tests run the command in a real pty (pexpect) and render what it wrote the way a
terminal would (pyte), so "the screen" below is what a person could select and copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

COLUMNS = 160
FUNCTIONS = 12
FILES = 25  # the bar is drawn from 20 files (codemods.progress.MANY_FILES)
UNDOCUMENTED = "def area_{n}_{f}(width, height):\n    return width * height\n"
DIFF_PREFIXES = ("--- ", "+++ ", "@@ ", "+", "-", " ")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A project of 25 files whose diffs together exceed stdout's buffer (so it is flushed
    mid-run), each file with a dozen functions that lack docstrings.

    No blank line between the functions: a blank context line is one space, which a copy
    from a terminal drops like any trailing space.
    """
    root = tmp_path / "tree"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.codemods]\nselect = ['docstring-stubs']\n")
    for n in range(FILES):
        text = "".join(UNDOCUMENTED.format(n=n, f=f) for f in range(FUNCTIONS))
        (root / "pkg" / f"module_{n:02}.py").write_text(text)
    return root


def environment(**changes: str | None) -> dict[str, str]:
    """The test's environment without colour variables, with ``changes`` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def on_terminal(
    cwd: Path, *args: str, rows: int = 100, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run ``codemods ARGS`` with stdin, stdout and stderr on one pty; return (exit, output)."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "codemods", *args],
        cwd=str(cwd),
        env=env or environment(),
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(rows, COLUMNS),
        timeout=180,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return child.exitstatus, child.before


def screen_lines(output: str, rows: int) -> list[str]:
    """Render ``output`` on a ``rows`` x COLUMNS terminal; return its lines without the blank
    tail, each stripped on the right as a terminal's copy does."""
    pyte = pytest.importorskip("pyte")  # a test extra: renders a terminal's screen
    screen = pyte.Screen(COLUMNS, rows)
    pyte.Stream(screen).feed(output)
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``codemods ARGS`` with pipes (no terminal)."""
    command = [sys.executable, "-m", "codemods", *args]
    return subprocess.run(
        command, cwd=cwd, env=env or environment(), capture_output=True, text=True, check=False
    )


# The progress bar and stdout on one terminal


def test_a_diff_copied_from_the_terminal_applies(tree: Path) -> None:
    piped = run(tree, "diff", "--no-cache", ".")
    assert piped.returncode == 1
    assert len(piped.stdout.encode()) > 3 * 8192, "stdout must be flushed during the run"
    rows = piped.stdout.count("\n") + 20  # all of it stays on the screen
    code, output = on_terminal(tree, "diff", "--no-cache", ".", rows=rows)
    assert code == 1
    lines = screen_lines(output, rows)
    assert lines[-1] == f"{FILES} files would be fixed."
    bar = lines[-2]
    assert f"{FILES}/{FILES}" in bar and "100%" in bar, "the bar was drawn, and left at 100%"
    copied = lines[:-2]
    assert not [line for line in copied if "file/s" in line or "%|" in line], "no stale frame"
    assert [line for line in copied if not line.startswith(DIFF_PREFIXES)] == []
    assert "\n".join(copied) + "\n" == piped.stdout, "the screen shows exactly the diff"
    patch = tree.parent / "copied.patch"
    patch.write_text("\n".join(copied) + "\n")
    dry_run = ["patch", "--dry-run", "--batch", "-p1", "-i", str(patch)]
    assert subprocess.run(dry_run, cwd=tree, capture_output=True).returncode == 0
    if shutil.which("git"):
        done = subprocess.run(
            ["git", "apply", "--check", str(patch)], cwd=tree, capture_output=True
        )
        assert done.returncode == 0, done.stderr


def test_would_fix_lines_on_the_terminal_hold_no_bar(tree: Path) -> None:
    rows = FILES + 20
    code, output = on_terminal(tree, "check", "--no-cache", ".", rows=rows)
    assert code == 1
    lines = screen_lines(output, rows)
    expected = [f"would fix pkg/module_{n:02}.py (docstring-stubs)" for n in range(FILES)]
    assert lines[:FILES] == expected
    assert f"{FILES}/{FILES}" in lines[FILES] and lines[FILES + 1 :] == [
        f"{FILES} files would be fixed."
    ]


# -q prints the findings and no summary; -s prints nothing but errors (ruff's convention)

MISSING = "def area(width, height):\n    return width * height\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A project with one file to fix and one that does not parse."""
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\nselect = ['docstring-stubs']\n")
    (tmp_path / "m.py").write_text(MISSING)
    return tmp_path


@pytest.mark.parametrize("command", ["diff", "check"])
def test_quiet_prints_the_findings_but_no_summary(small: Path, command: str) -> None:
    loud = run(small, command, "--no-cache", ".")
    quiet = run(small, command, "--no-cache", "-q", ".")
    assert loud.stderr == "1 file would be fixed.\n" and loud.stdout
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (1, loud.stdout, "")
    report = run(small, command, "--no-cache", "-q", "--format", "json", ".")
    assert report.returncode == 1 and report.stderr == "" and report.stdout.startswith("{")


@pytest.mark.parametrize("command", ["diff", "check"])
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_silent_prints_nothing_but_errors(small: Path, command: str, output_format: str) -> None:
    args = ("--no-cache", "--format", output_format, "--statistics")
    silent = run(small, command, *args, "-s", ".")
    assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", "")
    assert run(small, command, *args, "--silent", ".").stdout == ""
    (small / "bad.py").write_text("def (:\n")
    failed = run(small, command, *args, "-s", ".")
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.startswith("bad.py:1:") and failed.stderr.count("\n") == 1
    report = small / "report.json"
    run(small, command, *args, "-s", "--output-file", str(report), ".")
    assert report.exists(), "a file asked for by name is still written"


def test_silent_and_verbose_are_a_usage_error(small: Path) -> None:
    done = run(small, "check", "-s", "-v", ".")
    assert done.returncode == 2
    assert done.stderr == "error: -s/--silent and -v/--verbose cannot be used together\n"


def test_apply_baseline_and_patch_are_silent_with_s(small: Path) -> None:
    fixes = run(small, "diff", "--no-cache", ".").stdout
    (small / "fixes.patch").write_text(fixes)
    patched = run(small, "apply", "-s", "--patch", "fixes.patch")
    assert (patched.returncode, patched.stdout, patched.stderr) == (0, "", "")
    assert (small / "m.py").read_text() != MISSING
    (small / "n.py").write_text(MISSING)
    recorded = run(small, "baseline", "-s")
    assert (recorded.returncode, recorded.stdout, recorded.stderr) == (0, "", "")
    assert (small / ".codemods-baseline.json").exists()
    (small / "o.py").write_text(MISSING)
    applied = run(small, "apply", "--no-cache", "--no-baseline", "-s", ".")
    assert (applied.returncode, applied.stdout, applied.stderr) == (0, "", "")
    assert (small / "o.py").read_text() != MISSING
    editor = subprocess.run(
        [sys.executable, "-m", "codemods", "apply", "-s", "-"],
        input=MISSING,
        cwd=small,
        capture_output=True,
        text=True,
        check=False,
    )
    assert editor.stdout.startswith('"""'), "apply - prints the fixed text: it is the output"


def test_triage_quiet_drops_the_counts_and_silent_everything(small: Path) -> None:
    (small / "flake8.txt").write_text("m.py:1:1: D103 Missing docstring in public function\n")
    table = run(small, "triage", "flake8.txt")
    assert table.returncode == 1, table.stderr
    rows = table.stdout.splitlines()
    assert rows[-1] == "1 fixed, 0 refuted, 0 not fixed, 0 unsupported."
    quiet = run(small, "triage", "-q", "flake8.txt")
    assert (quiet.returncode, quiet.stdout.splitlines()) == (1, rows[:-1])
    silent = run(small, "triage", "-s", "flake8.txt")
    assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", "")


def test_the_docs_exit_code_only_example_is_silent() -> None:
    root = Path(__file__).resolve().parent.parent
    for doc in (root / "README.md", root / "docs" / "usage.md"):
        lines = [line for line in doc.read_text().splitlines() if "# exit code only" in line]
        assert lines and all(" -s " in line and " -q " not in line for line in lines), doc


# Colour: --color, then NO_COLOR (https://no-color.org), then FORCE_COLOR, then the terminal

RED = "\x1b[31m"


@pytest.mark.parametrize(
    ("variables", "option", "coloured"),
    [
        ({}, (), True),
        ({"NO_COLOR": "1"}, (), False),
        ({"NO_COLOR": ""}, (), True),  # empty: as if unset
        ({"NO_COLOR": "1"}, ("--color", "always"), True),
        ({"FORCE_COLOR": "1"}, ("--color", "never"), False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, (), False),
    ],
)
def test_colour_on_a_terminal(
    small: Path, variables: dict[str, str], option: tuple[str, ...], coloured: bool
) -> None:
    code, output = on_terminal(
        small, "diff", "--no-cache", *option, "m.py", env=environment(**variables)
    )
    assert code == 1 and "+++ b/m.py" in output
    assert ("\x1b[" in output) is coloured, repr(output)


def test_force_color_colours_a_pipe(small: Path) -> None:
    assert "\x1b[" not in run(small, "diff", "--no-cache", "m.py").stdout
    forced = run(small, "diff", "--no-cache", "m.py", env=environment(FORCE_COLOR="1"))
    assert RED in forced.stdout or "\x1b[32m" in forced.stdout


# Each command's --help gives its own exit codes


def help_text(*command: str) -> str:
    """Return what ``codemods COMMAND --help`` prints after ``Exit codes:`` (in process)."""
    from click.testing import CliRunner

    from codemods.cli import main

    done = CliRunner().invoke(main, [*command, "--help"], prog_name="codemods")
    assert done.exit_code == 0, done.output
    return done.output.split("Exit codes:", 1)[1]


@pytest.mark.parametrize(
    ("command", "says", "never"),
    [
        ("diff", ["0  nothing to change", "1  changes found", "2  usage"], ["apply", "triage"]),
        ("check", ["0  nothing to change", "1  changes found", "128+N"], ["apply", "triage"]),
        ("apply", ["0  fixes written, or nothing to do", "--patch", "128+N"], ["1  "]),
        ("review", ["0  the accepted hunks are written", "no terminal", "130"], ["1  "]),
        ("baseline", ["0  the findings are recorded", "2  "], ["1  "]),
        (
            "triage",
            ["0  no finding is fixed", "1  a codemod fixes at least one", "2  "],
            ["changes found"],
        ),
        ("list", ["0  listed", "2  a plugin"], ["1  "]),
        ("explain", ["0  shown", "2  no codemod has this id"], ["1  "]),
    ],
)
def test_each_command_help_has_its_own_exit_codes(
    command: str, says: list[str], never: list[str]
) -> None:
    text = help_text(command)
    assert [part for part in says if part not in text] == []
    assert [part for part in never if part in text] == []


def test_the_group_help_says_each_command_has_its_own() -> None:
    assert "each command's --help has its own codes" in help_text()


# Every error is one line, error: ..., and exit 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "--zzz", "."],
            "error: no such option '--zzz'. Try 'codemods diff --help' for help.",
        ),
        (["--foo"], "error: no such option '--foo'. Try 'codemods --help' for help."),
        (["frobnicate"], "error: no such command 'frobnicate'. Try 'codemods --help' for help."),
        (["dif", "."], "error: no such command 'dif'. Did you mean 'diff'? Try 'codemods --help'"),
        (["explain"], "error: missing argument 'ID'. Try 'codemods explain --help' for help."),
        (
            ["check", "--color", "blue", "."],
            "error: invalid value for '--color': 'blue' is not one of 'auto', 'always', 'never'. "
            "Try 'codemods check --help' for help.",
        ),
        (
            ["check", "--shard", "0/3", "."],
            "error: invalid value for '--shard': '0/3' is not K/N with 1 <= K <= N (such as 2/4). "
            "Try 'codemods check --help' for help.",
        ),
        (
            ["diff", "--select"],
            "error: option '--select' requires an argument. Try 'codemods diff --help' for help.",
        ),
        (["diff", "nope.py"], "error: path does not exist: nope.py"),  # ours: as it was
        (["explain", "nope"], "error: unknown codemod 'nope' (known: "),
    ],
)
def test_a_usage_error_is_one_line(small: Path, args: list[str], message: str) -> None:
    done = run(small, *args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(message), done.stderr


def test_a_file_error_is_one_line_and_exit_2_not_1(small: Path) -> None:
    done = run(
        small, "check", "--no-cache", "--format", "json", "--output-file", "no/such/dir.json", "."
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: could not open file"), (
        done.stderr
    )


def test_no_arguments_still_show_the_help(small: Path) -> None:
    done = run(small)
    assert done.returncode == 2 and "Commands:" in done.stdout + done.stderr


def test_ctrl_c_that_no_command_handles_exits_130(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from codemods import cli

    def interrupted(_data: bytes, _root: Path) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "apply_patch", interrupted)
    monkeypatch.chdir(small)
    (small / "fixes.patch").write_text("")
    done = CliRunner().invoke(cli.main, ["apply", "--patch", "fixes.patch"])
    assert done.exit_code == 130
    assert done.output == "interrupted by SIGINT.\n"
