"""The racy window: a file modified a moment before it is read is not written, unless asked.

pre-commit rewrites a partly staged file just before its hooks run (it sets the unstaged
changes aside): the hooks pass ``--racy-window=0``, or every such commit would fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

COMMAND = str(Path(sys.executable).parent / "codemods")
ROOT = Path(__file__).resolve().parent.parent
FIXABLE = "def f():\n    x = 1\n    return 2\n"


def apply(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CODEMODS_RACY_SECONDS"}
    return subprocess.run(
        [COMMAND, "apply", "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_a_file_written_a_moment_ago_is_refused_by_default(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(FIXABLE)
    done = apply(tmp_path, "m.py")
    assert done.returncode == 2
    assert "before it was read (less than 2s)" in done.stderr
    assert (tmp_path / "m.py").read_text() == FIXABLE


def test_racy_window_0_writes_it(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(FIXABLE)
    done = apply(tmp_path, "--racy-window", "0", "m.py")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "m.py").read_text() != FIXABLE


def test_a_partly_staged_file_as_pre_commit_leaves_it_is_fixed_by_the_hooks(
    tmp_path: Path,
) -> None:
    """pre-commit's own steps: stage, edit more, set the unstaged part aside, run the hook."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    target = tmp_path / "m.py"
    target.write_text(FIXABLE)
    subprocess.run([*git, "add", "m.py"], cwd=tmp_path, check=True)
    target.write_text(FIXABLE + "\n\nEXTRA = 1\n")  # unstaged
    subprocess.run([*git, "checkout", "--", "m.py"], cwd=tmp_path, check=True)  # set aside
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        if not hook["entry"].startswith("codemods apply"):
            continue
        target.write_text(FIXABLE)
        done = apply(tmp_path, *hook["entry"].split()[2:], "m.py")
        assert done.returncode == 0, (hook["id"], done.stderr)
        assert target.read_text() != FIXABLE, hook["id"]
