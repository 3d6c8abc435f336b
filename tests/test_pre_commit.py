"""The pre-commit hooks, run by the real ``pre-commit try-repo`` on a throw-away repository.

pre-commit builds the hook's environment by installing this repository with pip, so this
test needs the package index and takes a minute; it runs in CI all the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.config import Config
from codemods.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"

NEEDS_FIXES = '''\
"""Statistics helpers."""


def mean(values):
    """Return the mean of values."""
    count = len(values)
    unused = sorted(values)
    return sum(values) / count
'''


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment with a private pre-commit cache and a git identity."""
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }


def make_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=path, check=True, env=env)
    (path / "stats.py").write_text(NEEDS_FIXES)
    subprocess.run(["git", "add", "stats.py"], cwd=path, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "start"], cwd=path, check=True, env=env)
    return path


def try_repo(hook: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_fix_hook_fails_then_passes_and_leaves_the_fixed_file(
    tmp_path: Path, hook_env: dict[str, str]
) -> None:
    repo = make_repo(tmp_path / "repo", hook_env)
    expected = Engine(Config().build_codemods()).fix_text("stats.py", NEEDS_FIXES).new_text
    assert expected != NEEDS_FIXES

    first = try_repo("codemods", repo, hook_env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "stats.py").read_text() == expected

    second = try_repo("codemods", repo, hook_env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert (repo / "stats.py").read_text() == expected


@pytest.mark.slow
def test_check_hook_prints_the_diff_and_changes_nothing(
    tmp_path: Path, hook_env: dict[str, str]
) -> None:
    repo = make_repo(tmp_path / "repo", hook_env)
    done = try_repo("codemods-check", repo, hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "--- a/stats.py\n+++ b/stats.py\n" in done.stdout
    assert "-    unused = sorted(values)\n" in done.stdout
    assert (repo / "stats.py").read_text() == NEEDS_FIXES
