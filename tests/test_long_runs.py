"""What a long run gives: a progress bar on a terminal only, --shard for CI matrices, --statistics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from codemods.statistics import reason_kind

UNDOCUMENTED = "def area{n}(width, height):\n    return width * height\n"


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.codemods]\n")
    for number in range(30):
        (root / f"module_{number:02}.py").write_text(UNDOCUMENTED.format(n=number))
    return root


def codemods(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codemods", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


def checked_files(output: str) -> set[str]:
    return {line.split()[2] for line in output.splitlines() if line.startswith("would fix")}


def test_shards_partition_the_files_the_same_way_from_anywhere(many: Path) -> None:
    everything = checked_files(codemods(many, "check", "--no-cache", ".").stdout)
    assert len(everything) == 30
    shards = [
        checked_files(codemods(many, "check", "--no-cache", "--shard", f"{k}/3", ".").stdout)
        for k in (1, 2, 3)
    ]
    assert set().union(*shards) == everything
    assert sum(len(shard) for shard in shards) == 30 and all(shards)
    # from the parent directory, the same files make up shard 2 (paths relative to the project)
    outside = codemods(many.parent, "check", "--no-cache", "--shard", "2/3", "many").stdout
    assert {Path(name).name for name in checked_files(outside)} == {
        Path(name).name for name in shards[1]
    }


@pytest.mark.parametrize("value", ["0/3", "4/3", "1/0", "a/b", "2"])
def test_a_bad_shard_is_a_usage_error(many: Path, value: str) -> None:
    done = codemods(many, "check", "--shard", value, ".")
    assert done.returncode == 2
    assert f"'{value}' is not K/N with 1 <= K <= N" in done.stderr


def test_statistics_count_fixes_and_skip_reasons_by_kind(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def area(width):  # noqa: D103\n    return width\n")
    (tmp_path / "b.py").write_text(
        "def area(width):  # codemods: skip[docstring-stubs]\n    return width\n"
    )
    (tmp_path / "c.py").write_text("def area(width):\n    return width\n")
    args = ("check", "--no-cache", "--statistics", "--select", "docstring-stubs", ".")
    done = codemods(tmp_path, *args)
    assert done.stderr.splitlines() == [
        "2 files would be fixed, 1 file left unchanged.",
        "3  docstring-stubs  fixed",
        "2  docstring-stubs  skipped: a … comment leaves it alone",
        "1  docstring-stubs  skipped: a … comment covers it",
    ]
    quiet = codemods(tmp_path, *args, "-q")
    assert quiet.stderr.splitlines() == done.stderr.splitlines()[1:]  # asked for: still shown


def test_reason_kinds_mask_names_and_numbers() -> None:
    assert (
        reason_kind("snapshot_extract overrides Image.snapshot_extract, whose docstring shows")
        == "… overrides …, whose docstring shows"
    )
    assert reason_kind("not a 'resize' request: 'post' holds 'rebuild' (rule 'resize')") == (
        "not a … request: … holds … (rule …)"
    )
    assert reason_kind("wrapping would push line 12 past the line length (79)") == (
        "wrapping would push line … past the line length (…)"
    )


def test_a_progress_bar_is_drawn_on_a_terminal_only(many: Path) -> None:
    command = f"{sys.executable} -m codemods check --no-cache -j 1 ."
    terminal = pexpect.spawn(command, cwd=str(many), encoding="utf-8", timeout=120)
    terminal.expect(pexpect.EOF)
    shown = terminal.before
    assert "30/30" in shown and "file/s" in shown and "100%" in shown
    quiet = pexpect.spawn(command + " -q", cwd=str(many), encoding="utf-8", timeout=120)
    quiet.expect(pexpect.EOF)
    assert "30/30" not in quiet.before
    piped = codemods(many, "check", "--no-cache", "-j", "1", ".")
    assert "30/30" not in piped.stderr and "\r" not in piped.stderr
    assert piped.stderr == "30 files would be fixed.\n"
