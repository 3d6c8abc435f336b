"""``codemods review`` in a real pseudo-terminal: Ctrl-C, Ctrl-D, ``s``, ``--no-baseline``.

Each test runs the installed command under pexpect, answers its prompts as a person would,
and renders what the person saw with pyte (a terminal emulator), so a progress bar frame
glued to a line or a traceback would show.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pyte
import pytest

COMMAND = str(Path(sys.executable).parent / "codemods")
ROWS, COLUMNS = 400, 250  # wide enough that no line of ours wraps, tall enough to keep all
FILLER = "".join(f"x{i} = {i}\n" for i in range(10))  # keeps f's and g's stubs in two hunks
PROMPT = r"\((\d+)/(\d+)\) Apply this hunk to (\S+) \[([a-z,?]+)\]\? "


def two_functions(number: int) -> str:
    """A module whose two functions lack docstrings, far apart: two hunks."""
    return f'"""Module {number}."""\n\n\ndef f():\n    return 1\n\n\n{FILLER}\n\ndef g():\n    return 2\n'


def with_stubs(text: str, *names: str) -> str:
    """``text`` with docstring-stubs' docstring added to each function named."""
    for name in names:
        text = text.replace(f"def {name}():\n", f'def {name}():\n    """Describe {name}."""\n')
    return text


@pytest.fixture
def env() -> dict[str, str]:
    """The environment of a person at a colour terminal."""
    variables = {**os.environ, "TERM": "xterm", "COLUMNS": str(COLUMNS)}
    variables.pop("NO_COLOR", None)
    variables.pop("EDITOR", None)
    return variables


class Session:
    """One ``codemods review`` in a pseudo-terminal, with all it printed."""

    def __init__(self, cwd: Path, env: dict[str, str], *args: str) -> None:
        """Start the command in ``cwd`` with ``args`` after ``review``."""
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            COMMAND,
            ["review", "--select", "docstring-stubs", *args],
            cwd=str(cwd),
            env=env,
            encoding="utf-8",
            timeout=60,
            dimensions=(ROWS, COLUMNS),
        )
        self.child.logfile_read = self.log

    def prompt(self) -> tuple[str, str]:
        """Wait for the next prompt; return the file it names and its choices."""
        self.child.expect(PROMPT)
        match = self.child.match
        return match.group(3), match.group(4)

    def answer(self, *replies: tuple[str, str]) -> None:
        """For each ``(file, reply)``: check the prompt names that file, then reply."""
        for path, reply in replies:
            assert self.prompt()[0] == path
            self.child.sendline(reply)

    def finish(self) -> int:
        """Wait for the command to end; return its exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.signalstatus is None
        status: int = self.child.exitstatus
        return status

    def screen(self) -> list[str]:
        """Return the terminal's lines as the person sees them (trailing blanks dropped)."""
        screen = pyte.Screen(COLUMNS, ROWS)
        pyte.Stream(screen).feed(self.log.getvalue())
        lines = [line.rstrip() for line in screen.display]
        while lines and not lines[-1]:
            lines.pop()
        return lines


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """22 modules (the progress bar shows from 20 files), each with two hunks."""
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\n")
    for number in range(22):
        (tmp_path / f"m{number:02}.py").write_text(two_functions(number))
    return tmp_path


def baseline_entries(root: Path) -> list[tuple[str, str]]:
    """Return the (path, rule) of each entry of the project's baseline."""
    data = json.loads((root / ".codemods-baseline.json").read_text())
    return sorted((entry["path"], entry["rule"]) for entry in data["findings"])


def would_fix(root: Path) -> list[str]:
    """Return the files ``codemods check`` would still fix (the baseline applies)."""
    done = subprocess.run(
        [COMMAND, "check", "--select", "docstring-stubs", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return sorted(line.split()[2] for line in done.stdout.splitlines() if "would fix" in line)


def test_ctrl_c_keeps_the_answered_files_and_exits_130(tree: Path, env: dict[str, str]) -> None:
    session = Session(tree, env, "-j", "2", ".")
    session.answer(
        ("m00.py", "y"),
        ("m00.py", "y"),  # m00: both accepted
        ("m01.py", "y"),
        ("m01.py", "n"),  # m01: f accepted, g declined
        ("m02.py", "n"),
        ("m02.py", "n"),  # m02: both declined
        ("m03.py", "y"),  # m03: only its first hunk answered...
    )
    assert session.prompt()[0] == "m03.py"
    session.child.sendintr()  # ...then Ctrl-C
    assert session.finish() == 130

    assert (tree / "m00.py").read_text() == with_stubs(two_functions(0), "f", "g")
    assert (tree / "m01.py").read_text() == with_stubs(two_functions(1), "f")
    assert (tree / "m02.py").read_text() == two_functions(2)
    for number in range(3, 22):  # the partly answered file and those after it
        assert (tree / f"m{number:02}.py").read_text() == two_functions(number)
    assert baseline_entries(tree) == [
        ("m01.py", "missing-docstring"),
        ("m02.py", "missing-docstring"),
        ("m02.py", "missing-docstring"),
    ]
    # the declined fixes are not proposed again; the unfinished file's fixes still are
    assert would_fix(tree) == [f"m{number:02}.py" for number in range(3, 22)]

    screen = session.screen()
    assert not any("Traceback" in line or "Aborted" in line for line in screen)
    assert "--- a/m00.py" in screen  # a line of its own, not glued to a progress bar frame
    assert any("22/22" in line for line in screen[: screen.index("--- a/m00.py")])
    message = [line for line in screen if line.startswith("interrupted by SIGINT")]
    assert message == [
        "interrupted by SIGINT: kept the answers for 3 files (3 hunks applied to 2 files, "
        "3 declined fixes recorded); m03.py was not fully answered and is as it was."
    ]
    assert screen[-1] == message[0]


def test_ctrl_d_quits_as_git_add_p_does(tree: Path, env: dict[str, str]) -> None:
    session = Session(tree, env, "-j", "1", "m00.py", "m01.py", "m02.py")
    session.answer(("m00.py", "n"), ("m00.py", "y"), ("m01.py", "y"))
    assert session.prompt()[0] == "m01.py"
    session.child.sendeof()  # Ctrl-D at m01's second hunk
    assert session.finish() == 0  # as git add -p

    assert (tree / "m00.py").read_text() == with_stubs(two_functions(0), "g")
    assert (tree / "m01.py").read_text() == with_stubs(two_functions(1), "f")  # as with q
    assert (tree / "m02.py").read_text() == two_functions(2)
    assert baseline_entries(tree) == [("m00.py", "missing-docstring")]  # only the 'n'
    screen = session.screen()
    assert not any("Traceback" in line or "Aborted" in line for line in screen)
    assert any(line.startswith("End of input: quitting as with 'q'") for line in screen)
    assert screen[-1] == "2 hunks applied to 2 files, 2 skipped."


def test_s_splits_a_hunk_and_writes_exactly_the_accepted_part(
    tmp_path: Path, env: dict[str, str]
) -> None:
    neighbours = '"""Module."""\n\n\ndef f():\n    return 1\n\n\ndef g():\n    return 2\n'
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\n")
    (tmp_path / "m.py").write_text(neighbours)
    (tmp_path / "one.py").write_text('"""One."""\n\n\ndef h():\n    return 3\n')
    session = Session(tmp_path, env, "-j", "1", "m.py", "one.py")

    assert session.prompt() == ("m.py", "y,n,a,q,s,e,?")  # the stubs of f and g: one hunk
    session.child.sendline("s")
    session.child.expect("Split into 2 hunks.")
    assert session.prompt() == ("m.py", "y,n,a,q,e,?")
    assert session.child.match.group(1, 2) == ("1", "2")
    session.child.sendline("n")  # f's stub declined
    assert session.prompt() == ("m.py", "y,n,a,q,e,?")
    assert session.child.match.group(1, 2) == ("2", "2")
    session.child.sendline("y")  # g's stub accepted
    assert session.prompt() == ("one.py", "y,n,a,q,e,?")  # one change: no 's'
    session.child.sendline("s")
    session.child.expect("Sorry, cannot split this hunk")
    session.answer(("one.py", "n"))
    assert session.finish() == 0

    written = (tmp_path / "m.py").read_text()
    assert written == with_stubs(neighbours, "g")
    compile(written, "m.py", "exec")
    assert baseline_entries(tmp_path) == [
        ("m.py", "missing-docstring"),
        ("one.py", "missing-docstring"),
    ]
    assert would_fix(tmp_path) == []  # f's stub and h's were declined: recorded
    screen = session.screen()
    assert "1 hunk applied to 1 file, 2 skipped." in screen


def test_no_baseline_says_declined_hunks_go_unrecorded(tree: Path, env: dict[str, str]) -> None:
    session = Session(tree, env, "--no-baseline", "-j", "1", "m00.py")
    session.answer(("m00.py", "n"), ("m00.py", "y"))
    assert session.finish() == 0
    screen = session.screen()
    note = "--no-baseline: declined hunks are not recorded; they will be proposed again."
    assert screen.count(note) == 1 and screen.index(note) < screen.index("--- a/m00.py")
    assert not (tree / ".codemods-baseline.json").exists()
    assert (tree / "m00.py").read_text() == with_stubs(two_functions(0), "g")


def test_an_empty_init_is_reviewed_and_written(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_bytes(b"")
    (tmp_path / "pkg/mod.py").write_text('"""Mod."""\n\n\ndef f():\n    x = 1\n    return 2\n')
    session = Session(
        tmp_path, env, "--select", "unused-variables", "pkg/mod.py", "pkg/__init__.py"
    )
    session.answer(("pkg/mod.py", "y"), ("pkg/__init__.py", "y"))
    assert session.finish() == 0
    assert (tmp_path / "pkg/__init__.py").read_text() == '"""Pkg package."""\n'
    assert (tmp_path / "pkg/mod.py").read_text() == (
        '"""Mod."""\n\n\ndef f():\n    """Describe f."""\n    return 2\n'
    )
    screen = session.screen()
    assert not any("Traceback" in line for line in screen)
    assert screen[-1] == "2 hunks applied to 2 files, 0 skipped."


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_named_link_is_reviewed_as_apply_takes_it(tmp_path: Path, env: dict[str, str]) -> None:
    """``apply link.py`` fixes the file a named link points to (a named path is a root);
    ``review link.py`` writes the same file, and an unnamed link in a named folder that
    leaves it is skipped by both."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.py").write_text(two_functions(1))
    (outside / "other.py").write_text(two_functions(2))
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.py").symlink_to(outside / "target.py")
    (project / "pkg").mkdir()
    (project / "pkg" / "leaves.py").symlink_to(outside / "other.py")
    session = Session(project, env, "link.py", "pkg")
    session.answer(("link.py", "y"), ("link.py", "n"))
    assert session.finish() == 0
    screen = session.screen()
    assert "pkg/leaves.py: not offered: symbolic link to a file outside PATHS" in "\n".join(screen)
    assert screen[-1].startswith("1 hunk applied to 1 file"), screen[-3:]
    assert (outside / "target.py").read_text() == with_stubs(two_functions(1), "f")
    assert (project / "link.py").is_symlink()
    assert (outside / "other.py").read_text() == two_functions(2)
