"""git runs no code from the checkout and takes no option from the command line's values.

``--diff-base=--output=FILE`` once made ``git diff`` overwrite FILE; a repository whose
``.git/config`` names a ``core.fsmonitor`` program had it run by every ``git diff``. Each test
runs the real command in a real repository.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codemods import changes
from codemods.changes import BadRef, check_ref

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SOURCE = "def f():\n    x = 1\n"


def _git(where: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *arguments],
        cwd=where,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """Return a repository with one committed file, changed in the working tree."""
    where = tmp_path / "repo"
    where.mkdir()
    _git(where, "init", "-q", ".")
    (where / "a.py").write_text("def f():\n    pass\n")
    _git(where, "add", "a.py")
    _git(where, "commit", "-qm", "first")
    (where / "a.py").write_text(SOURCE)
    return where


def _codemods(where: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codemods", *arguments],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("existing", [False, True])
def test_a_diff_base_that_is_an_option_is_a_usage_error(repository: Path, existing: bool) -> None:
    precious = repository / "precious.txt"
    if existing:
        precious.write_text("keep me\n")
    done = _codemods(repository, "check", "--diff-base=--output=precious.txt", "a.py")
    assert done.returncode == 2, done
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "cannot start with '-'" in done.stderr
    if existing:
        assert precious.read_text() == "keep me\n"
    else:
        assert not precious.exists()


@pytest.mark.parametrize("ref", ["-p", "--output=x", "", "a\0b"])
def test_check_ref_refuses_what_git_would_read_as_an_option(ref: str) -> None:
    with pytest.raises(BadRef):
        check_ref(ref)


def test_check_ref_keeps_revisions() -> None:
    for ref in ("HEAD", "main", "HEAD~1", "origin/main", "v1.0", "a-b"):
        assert check_ref(ref) == ref


def test_every_git_command_turns_off_hooks_fsmonitor_and_ends_options(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real_run = subprocess.run

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(list(command))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    found = changes.git_changes(repository, "HEAD")
    assert (repository / "a.py").resolve() in found
    changes.git_changes(repository, None, staged=True)
    assert calls
    for command in calls:
        assert command[:6] == [
            "git",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "--no-pager",
        ], command
        if "diff" in command:
            assert "--no-ext-diff" in command and "--no-textconv" in command
    diffs = [c for c in calls if "diff" in c and "--unified=0" in c and "--cached" not in c]
    assert diffs and diffs[0][-3:] == ["--end-of-options", "HEAD", "--"]


def _plant_fsmonitor(repository: Path) -> Path:
    """Set ``core.fsmonitor`` in ``.git/config`` to a script that touches a marker."""
    marker = repository.parent / "fsmonitor-ran"
    script = repository.parent / "monitor.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    _git(repository, "config", "core.fsmonitor", str(script))
    return marker


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as fsmonitor")
def test_a_planted_fsmonitor_program_is_not_run(repository: Path) -> None:
    marker = _plant_fsmonitor(repository)
    # the test means something: plain git runs the program
    subprocess.run(["git", "diff", "HEAD"], cwd=repository, capture_output=True, check=False)
    if not marker.exists():
        pytest.skip("this git does not run core.fsmonitor on diff")
    marker.unlink()
    for options in (["--diff-base", "HEAD"], ["--staged"]):
        done = _codemods(repository, "check", *options, ".")
        assert done.returncode in (0, 1), done
        assert not marker.exists(), options


def test_git_version_supports_end_of_options() -> None:
    output = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout
    version = tuple(int(part) for part in output.split()[2].split(".")[:2])
    assert version >= (2, 24), output


def test_no_other_subprocess_call_in_the_package() -> None:
    package = Path(changes.__file__).parent
    users = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "subprocess" in path.read_text(encoding="utf-8")
    )
    assert users == ["changes.py"], users


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as filter driver")
@pytest.mark.parametrize("kind", ["clean", "process"])
def test_a_planted_filter_driver_is_not_run(repository: Path, kind: str) -> None:
    """``.gitattributes`` + ``filter.x.clean`` / ``.process`` in ``.git/config``: git would
    pipe the working tree through the repository's program on every ``git diff``."""
    marker = repository.parent / "filter-ran"
    script = repository.parent / "filter.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexec cat\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (repository / ".gitattributes").write_text("*.py filter=planted\n")
    _git(repository, "config", f"filter.planted.{kind}", str(script))
    _git(repository, "config", "filter.planted.required", "true")
    (repository / "a.py").write_text(SOURCE + "# touched again\n")
    # the test means something: plain git runs the program
    subprocess.run(["git", "diff", "HEAD"], cwd=repository, capture_output=True, check=False)
    assert marker.exists()
    marker.unlink()
    for options in (["--diff-base", "HEAD"], ["--staged"]):
        done = _codemods(repository, "check", *options, ".")
        assert done.returncode in (0, 1), done
        assert not marker.exists(), options
    found = changes.git_changes(repository, "HEAD")
    assert (repository / "a.py").resolve() in found


def test_the_users_own_filter_drivers_still_apply(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only drivers the repository defines are turned off: the user's (git-lfs) stay."""
    marker = tmp_path / "user-filter-ran"
    script = tmp_path / "user-filter.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexec cat\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    user_config = tmp_path / "gitconfig"
    user_config.write_text(f'[filter "mine"]\n\tclean = {script}\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(user_config))
    (repository / ".gitattributes").write_text("*.py filter=mine\n")
    (repository / "a.py").write_text(SOURCE + "# touched again\n")
    changes.git_changes(repository, "HEAD")
    assert marker.exists()
