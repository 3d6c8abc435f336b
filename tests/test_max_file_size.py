"""``--max-file-size``: no file the run reads is larger, in the main process or a worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = str(Path(sys.executable).parent / "codemods")
FIXABLE = "def f():\n    x = 1\n    return 2\n"


def codemods(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_source_file_over_the_limit_is_refused_in_one_line(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "big.py").write_text(FIXABLE + "# padding\n" * 2000)  # about 20 KB
    (tmp_path / "small.py").write_text(FIXABLE)
    done = codemods(tmp_path, "check", "--no-cache", "-j", jobs, "--max-file-size", "10K", ".")
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert errors == [
        "big.py:1:1: error: cannot read: larger than --max-file-size (10240 bytes); "
        "it was not read"
    ]
    assert "would fix small.py" in done.stdout
    assert codemods(tmp_path, "check", "--no-cache", "-j", jobs, ".").returncode == 1


def test_a_configuration_over_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\n" + "# padding\n" * 2000)
    (tmp_path / "m.py").write_text(FIXABLE)
    done = codemods(tmp_path, "check", "--no-cache", "--max-file-size", "10K", "m.py")
    assert done.returncode == 2, done.stderr
    assert "pyproject.toml" in done.stderr and "larger than" in done.stderr


@pytest.mark.parametrize("value", ["0", "-1", "ten", "3X"])
def test_a_bad_size_is_a_usage_error(tmp_path: Path, value: str) -> None:
    done = codemods(tmp_path, "check", "--max-file-size", value, ".")
    assert done.returncode == 2
    assert done.stderr.startswith("error: invalid value for '--max-file-size'")


def test_stdin_over_the_limit_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [COMMAND, "apply", "--no-cache", "--max-file-size", "10", "-"],
        input=FIXABLE,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "stdin has more than 10 bytes (--max-file-size)" in done.stderr


def test_a_size_too_large_to_mean_anything_is_a_usage_error(tmp_path: Path) -> None:
    done = codemods(tmp_path, "check", "--max-file-size", "99999999999999999G", ".")
    assert done.returncode == 2
    assert done.stderr.startswith("error: invalid value for '--max-file-size'")
