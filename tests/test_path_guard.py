"""The path guard (issue 22): no write outside the roots the user named, none through a link
swapped in, and ``apply --patch`` all or nothing under SIGINT/SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods import portability, writes
from codemods.cli import main
from codemods.engine import Engine, FileResult
from codemods.pathguard import OUTSIDE, PathGuard, guard_for_run
from codemods.writes import RACY_SECONDS_VARIABLE, WriteError, write_result

sys.path.insert(0, str(Path(__file__).parent / "plugin"))
from codemods_example_plugin import PrintToLog  # noqa: E402

ENGINE = Engine([PrintToLog()])
COMMAND = str(Path(sys.executable).with_name("codemods"))
SETTINGS = b"import os\n\n\ndef handler():\n    unused = os.sep\n    return 2\n"
"""A module ``apply`` changes (a docstring, an unused variable)."""

pytestmark = pytest.mark.skipif(
    not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links"
)


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test a moment ago are not "racy"."""
    monkeypatch.setenv(RACY_SECONDS_VARIABLE, "0")


def fixed(path: Path) -> FileResult:
    """Return the engine's result for ``path`` as it is now."""
    return ENGINE.fix_bytes(str(path), path.read_bytes())


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    """Return ``project/`` holding ``link.py -> outside/settings.py``, and that file."""
    outside = tmp_path / "outside" / "settings.py"
    outside.parent.mkdir()
    outside.write_bytes(SETTINGS)
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.py").symlink_to(outside)
    return project, outside


def test_apply_does_not_write_through_a_link_leaving_the_tree(tmp_path: Path) -> None:
    project, outside = _tree(tmp_path)
    done = CliRunner().invoke(main, ["apply", "--no-cache", "-j", "1", "-v", str(project)])
    assert outside.read_bytes() == SETTINGS
    assert (project / "link.py").is_symlink()
    assert done.exit_code == 0, done.output  # skipped, not failed
    assert f"link.py:1: skip [*] every codemod: {OUTSIDE}" in done.output, done.output


def test_writes_use_directory_descriptors_where_the_os_has_them() -> None:
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        assert portability.opens_relative_to_directories()


def test_follow_symlinks_writes_through_it(tmp_path: Path) -> None:
    project, outside = _tree(tmp_path)
    args = ["apply", "--no-cache", "-j", "1", "--follow-symlinks", str(project)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert outside.read_bytes() != SETTINGS
    assert (project / "link.py").is_symlink()


def test_a_link_inside_the_tree_is_fixed_once_through_its_target(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    target = project / "pkg" / "real.py"
    target.write_bytes(SETTINGS)
    (project / "alias.py").symlink_to(target)
    done = CliRunner().invoke(main, ["apply", "--no-cache", "-j", "1", str(project)])
    assert done.exit_code == 0, done.output
    assert (project / "alias.py").is_symlink()
    once = target.read_bytes()
    assert once != SETTINGS and once.count(b'"""') == 4, once  # module and function
    assert "1 file fixed" in done.output, done.output


def test_a_link_swapped_in_after_the_read_does_not_redirect_the_write(tmp_path: Path) -> None:
    """The outside file has the same bytes: a digest check alone would write it."""
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "outside.py"
    outside.write_bytes(b"print(1)\n")
    path = project / "m.py"
    path.write_bytes(b"print(1)\n")
    result = fixed(path)
    path.unlink()
    path.symlink_to(outside)
    with pytest.raises(WriteError, match=OUTSIDE):
        write_result(path, result, PathGuard.for_paths((project,)))
    assert outside.read_bytes() == b"print(1)\n"


@pytest.mark.parametrize("relative", [True, False], ids=["dir_fd", "by-path"])
def test_a_link_swapped_in_just_before_the_rename_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "outside.py"
    outside.write_bytes(b"print(1)\n")
    path = project / "m.py"
    path.write_bytes(b"print(1)\n")
    if not relative:
        monkeypatch.setattr(portability, "opens_relative_to_directories", lambda: False)
    original = writes._copy_xattrs

    def swap_then_copy(source: int, target: int) -> None:
        path.unlink()
        path.symlink_to(outside)
        original(source, target)

    monkeypatch.setattr(writes, "_copy_xattrs", swap_then_copy)
    with pytest.raises(WriteError, match="changed since it was read"):
        write_result(path, fixed(path), PathGuard.for_paths((project,)))
    assert outside.read_bytes() == b"print(1)\n"
    assert path.is_symlink(), "the write replaced the link"
    assert sorted(p.name for p in project.iterdir()) == ["m.py"]


def test_a_directory_swapped_for_a_link_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "m.py").write_bytes(b"print(1)\n")
    path = project / "pkg" / "m.py"
    path.write_bytes(b"print(1)\n")
    result = fixed(path)
    guard = PathGuard.for_paths((project,))
    real_locate = PathGuard.locate

    def locate_then_swap(
        self: PathGuard, target: str | os.PathLike[str]
    ) -> tuple[Path, tuple[str, ...]]:
        located = real_locate(self, target)  # resolved while pkg/ is a directory
        (project / "pkg").rename(project / "old-pkg")
        (project / "pkg").symlink_to(elsewhere)
        return located

    monkeypatch.setattr(PathGuard, "locate", locate_then_swap)
    with pytest.raises(WriteError, match="symbolic link appeared"):
        write_result(path, result, guard)
    assert (elsewhere / "m.py").read_bytes() == b"print(1)\n"


def test_a_file_outside_the_roots_is_refused_without_a_link(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"print(1)\n")
    (tmp_path / "project").mkdir()
    with pytest.raises(WriteError, match=OUTSIDE):
        write_result(path, fixed(path), PathGuard.for_paths((tmp_path / "project",)))
    guard = PathGuard.for_paths((tmp_path / "project",), follow_symlinks=True)
    write_result(path, fixed(path), guard)
    assert path.read_bytes() == b"log(1)\n"


# apply --patch and signals


FILES = 1500


def _patch_tree(tmp_path: Path) -> bytes:
    parts = []
    for number in range(FILES):
        name = f"module_{number:04d}.py"
        (tmp_path / name).write_bytes(b"x = 1\n")
        parts.append(f"--- a/{name}\n+++ b/{name}\n@@ -1 +1 @@\n-x = 1\n+x = 2\n")
    return "".join(parts).encode()


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_apply_patch_leaves_all_or_nothing(
    tmp_path: Path, signal_number: int
) -> None:
    patch = tmp_path / "fixes.patch"
    patch.write_bytes(_patch_tree(tmp_path))
    environment = {**os.environ, RACY_SECONDS_VARIABLE: "0"}
    process = subprocess.Popen(
        [COMMAND, "apply", "--patch", str(patch)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment,
    )
    first = tmp_path / "module_0000.py"
    deadline = time.monotonic() + 60
    while first.read_bytes() == b"x = 1\n" and time.monotonic() < deadline:
        time.sleep(0.002)  # wait until it is writing
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal_number, stderr.decode()
    contents = {p.read_bytes() for p in tmp_path.glob("module_*.py")}
    assert contents == {b"x = 1\n"}, "half the patch was applied"
    assert not list(tmp_path.glob(".*.codemods-tmp"))
    assert b"Traceback" not in stderr


def test_the_root_of_a_findings_run_is_the_project_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "sub").mkdir()
    guard = guard_for_run((str(tmp_path / "sub"),), findings=True)
    assert guard.roots == (tmp_path.resolve(),)
    assert guard_for_run((str(tmp_path / "sub"),)).roots == ((tmp_path / "sub").resolve(),)
    assert guard_for_run(("-",)).roots == ()
