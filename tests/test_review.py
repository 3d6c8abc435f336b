"""``codemods review`` on a pseudo-terminal (pexpect), and its refusal without one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

COMMAND = str(Path(sys.executable).parent / "codemods")
ONLY_PLUGIN = ("--select", "print-to-log")
THREE_PRINTS = "".join(
    f"print({i})\n" if i in (1, 10, 20) else f"x{i} = {i}\n" for i in range(1, 21)
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text(THREE_PRINTS)
    (tmp_path / "b.py").write_text("print('b')\n")
    return tmp_path


def spawn(env: dict[str, str], cwd: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        COMMAND,
        ["review", *ONLY_PLUGIN, "-j", "1", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )


def answer(child: pexpect.spawn, *answers: str) -> None:
    for reply in answers:
        child.expect(r"Apply this hunk to \S+ \[y,n,a,q,e,\?\]\? ")
        child.sendline(reply)


def test_yes_no_all_and_help(plugin_env: dict[str, str], project: Path) -> None:
    child = spawn(plugin_env, project, ".")
    child.expect(r"# \[print-to-log\] print -> log")
    answer(child, "?")
    child.expect("a - apply this hunk and all the remaining ones in this file")
    child.sendline("y")  # the help re-asks the same hunk: accept a.py's first hunk
    answer(child, "n", "a")  # skip the second, accept the third; then b.py
    child.sendline("a")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace("print(1)", "log(1)").replace(
        "print(20)", "log(20)"
    )
    assert (project / "b.py").read_text() == "log('b')\n"
    assert "3 hunks applied to 2 files, 1 skipped." in child.before


def test_quit_keeps_what_was_accepted(plugin_env: dict[str, str], project: Path) -> None:
    child = spawn(plugin_env, project, ".")
    answer(child, "y", "q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace("print(1)", "log(1)")
    assert (project / "b.py").read_text() == "print('b')\n"


def test_edit_a_hunk_in_the_editor(plugin_env: dict[str, str], project: Path) -> None:
    env = {**plugin_env, "EDITOR": "sed -i -e 's/^+log(10)$/+log(10)  # reviewed/'"}
    child = spawn(env, project, "a.py")
    answer(child, "n", "e", "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace(
        "print(10)", "log(10)  # reviewed"
    )


def test_without_a_terminal_review_refuses_and_points_to_diff_and_patch(
    plugin_env: dict[str, str], project: Path
) -> None:
    done = subprocess.run(
        [COMMAND, "review", *ONLY_PLUGIN, "."],
        cwd=project,
        env=plugin_env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    message = done.stderr.decode()
    assert (
        message.count("\n") == 1 and "needs a terminal" in message and "apply --patch" in message
    )
    assert (project / "a.py").read_text() == THREE_PRINTS
