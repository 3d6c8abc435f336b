"""Faults, injected for real: signals, files changing under us, full disks, odd files.

Each test runs the installed ``codemods`` command (or the writer itself) against a real
situation -- a signal sent to the process, a second ``apply`` on the same tree, a tmpfs of
64 KiB, a FIFO, a device, a hard link, a file of another owner -- and checks that every file
is entirely old or entirely new, that no temporary file is left, and that the error is one
line naming the file. Tests that need root (mounting, devices, other owners) or need to
take root's powers away (``setpriv``) are skipped where they cannot run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codemods.config import Config
from codemods.writes import WriteError, write_result

COMMAND = str(Path(sys.executable).parent / "codemods")
IS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
UNFIXED = "import os\n\n\ndef handler():\n    unused = 1\n    return 2\n"
MANY = '"""A module of the many."""\n\n' + UNFIXED * 20
"""What :func:`many_files` writes: the same text for every file, so one fix fits all."""


def codemods(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the installed command and capture its output (never waiting on stdin)."""
    return subprocess.run(
        [*prefix, COMMAND, *args],
        cwd=cwd,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def start(cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start the installed command in its own process group (its workers can be looked for)."""
    return subprocess.Popen(
        [COMMAND, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """Return stderr, checking it holds no traceback."""
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return stderr


def temporary_files(root: Path) -> list[Path]:
    """Return the temporary files a write may have left under ``root``."""
    return [path for path in root.rglob("*") if "codemods-tmp" in path.name]


def many_files(root: Path, count: int) -> list[Path]:
    """Write ``count`` files that every run fixes (an unused local and missing docstrings)."""
    paths = []
    for number in range(count):
        path = root / f"module_{number:03}.py"
        path.write_text(MANY)
        paths.append(path)
    return paths


def fixed_text(path: Path) -> str:
    """Return what ``apply`` makes of one of :func:`many_files`, computed in this process."""
    result = Config().build_engine().fix_text(str(path), MANY)
    assert result.changed, result.error
    return result.new_text


def without_root_powers(*capabilities: str) -> tuple[str, ...]:
    """Return a command prefix that runs a command without the given root capabilities."""
    if not IS_ROOT:
        return ()
    if SETPRIV is None:
        pytest.skip("needs setpriv to drop root's capabilities")
    dropped = ",".join(f"-{capability}" for capability in capabilities)
    return (SETPRIV, f"--bounding-set={dropped}")


# --output-file


def test_output_file_naming_an_input_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    victim = tmp_path / "victim.py"
    victim.write_text(UNFIXED)
    done = codemods("diff", "--output-file", "victim.py", "victim.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "--output-file victim.py is one of the files to fix" in one_line_error(done)
    assert victim.read_text() == UNFIXED


def test_output_file_over_other_python_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text('"""Clean."""\n')
    (tmp_path / "one.py").write_text("print(1)\n")
    done = codemods("check", "--output-file", "one.py", "clean.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "is Python source; a report is not written over it" in one_line_error(done)
    assert (tmp_path / "one.py").read_text() == "print(1)\n"


def test_output_file_is_written_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(UNFIXED)
    done = codemods("diff", "--output-file", "fixes.patch", "m.py", cwd=tmp_path)
    assert done.returncode == 1
    report = tmp_path / "fixes.patch"
    assert report.read_text().startswith("--- a/m.py\n+++ b/m.py\n")
    assert stat.S_IMODE(report.stat().st_mode) == 0o666 & ~_umask()
    assert not list(tmp_path.glob(".fixes.patch.*"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Signals


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_mid_apply_leaves_every_file_old_or_new_and_no_process(
    tmp_path: Path, signal_number: int
) -> None:
    paths = many_files(tmp_path, 300)
    expected = fixed_text(paths[0])
    process = start(tmp_path, "apply", "-j", "2", ".")
    deadline = time.monotonic() + 60
    while paths[0].read_text() != expected and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the run is writing
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal_number, stderr
    message = stderr.decode()
    assert "Traceback" not in message
    name = signal.Signals(signal_number).name
    assert f"interrupted by {name} after " in message and " of 300 files" in message
    texts = [path.read_text() for path in paths]
    assert set(texts) <= {MANY, expected}
    assert 0 < texts.count(expected) < 300, "the signal came after the run ended"
    assert temporary_files(tmp_path) == []
    _assert_group_gone(process.pid)


def _assert_group_gone(group: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail("worker processes outlived the run")


def test_workers_die_with_the_main_process_and_release_its_output(tmp_path: Path) -> None:
    many_files(tmp_path, 300)
    process = start(tmp_path, "check", "-j", "2", ".")
    _wait_for_children(process.pid)
    process.kill()
    started = time.monotonic()
    process.communicate(timeout=30)  # EOF on both pipes: no worker holds them open
    assert time.monotonic() - started < 10
    _assert_group_gone(process.pid)


def _wait_for_children(pid: int) -> None:
    deadline = time.monotonic() + 30
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("needs Linux's /proc to see the workers")
    while time.monotonic() < deadline:
        if len(children.read_text().split()) >= 2:
            return
        time.sleep(0.05)
    pytest.fail("the workers never started")


# Files changing under us, concurrent runs, full disks


def test_a_file_changed_while_its_new_version_is_written_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.py"
    path.write_text(UNFIXED)
    result = Config().build_engine().fix_bytes(str(path), path.read_bytes())
    assert result.changed
    real_fsync = os.fsync

    def someone_saves_the_file(descriptor: int) -> None:
        path.write_text(UNFIXED + "# saved by an editor\n")  # after the first check
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", someone_saves_the_file)
    with pytest.raises(WriteError, match="changed since it was read"):
        write_result(path, result)
    assert path.read_text() == UNFIXED + "# saved by an editor\n"
    assert temporary_files(tmp_path) == []


def test_two_applies_on_one_tree_at_once_leave_every_file_fixed_once(tmp_path: Path) -> None:
    paths = many_files(tmp_path, 120)
    expected = fixed_text(paths[0])
    runs = [start(tmp_path, "apply", "-j", "1", ".") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode in (0, 2), stderr
        errors = [line for line in stderr.decode().splitlines() if ": error: " in line]
        assert all("changed since it was read" in line for line in errors), errors
    assert {path.read_text() for path in paths} == {expected}
    assert temporary_files(tmp_path) == []
    assert codemods("check", ".", cwd=tmp_path).returncode == 0


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """Mount a 64 KiB tmpfs (root only) and unmount it afterwards."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_full_disk_leaves_the_old_file_intact(small_tmpfs: Path) -> None:
    path = small_tmpfs / "big.py"
    original = UNFIXED * 700  # about 38 KiB: the old file and its new copy do not fit
    path.write_text(original)
    done = codemods("apply", "big.py", cwd=small_tmpfs)
    assert done.returncode == 2
    assert "big.py:1:1: error: cannot write: No space left on device" in one_line_error(done)
    assert path.read_text() == original
    assert temporary_files(small_tmpfs) == []


# Odd files


def test_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    named = ["pipe.py"]
    if IS_ROOT:
        os.mknod(tmp_path / "null.py", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        named.append("null.py")
    done = codemods("apply", *named, cwd=tmp_path)
    assert done.returncode == 2
    stderr = one_line_error(done)
    for name in named:
        assert f"{name}:1:1: error: not a regular file; it was skipped" in stderr
    assert stat.S_ISFIFO((tmp_path / "pipe.py").stat().st_mode)
    if IS_ROOT:
        assert stat.S_ISCHR((tmp_path / "null.py").stat().st_mode)


def test_a_fifo_met_while_walking_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "m.py").write_text(UNFIXED)
    done = codemods("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.decode() == "would fix m.py (unused-variables, docstring-stubs)\n"


def test_a_hard_linked_file_is_refused_and_both_names_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(UNFIXED)
    os.link(path, tmp_path / "twin.py")
    done = codemods("apply", "m.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "m.py:1:1: error: the file has 2 hard links" in one_line_error(done)
    assert path.stat().st_nlink == 2 and path.read_text() == UNFIXED


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_root_keeps_the_owner_and_group_of_another_users_file(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(UNFIXED)
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    done = codemods("apply", "m.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (65534, 65534, 0o640)
    assert path.read_text() != UNFIXED


@pytest.mark.skipif(not IS_ROOT, reason="needs a file of another user in a writable directory")
def test_a_file_only_its_directory_lets_us_replace_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)  # anyone may replace files here...
    read_only = tmp_path / "theirs.py"
    read_only.write_text(UNFIXED)
    os.chown(read_only, 65534, 65534)
    read_only.chmod(0o644)  # ...but this one is not ours to write
    group_writable = tmp_path / "shared.py"
    group_writable.write_text(UNFIXED)
    os.chown(group_writable, 65534, os.getegid())
    group_writable.chmod(0o664)  # we may write it, but a new file would not be theirs
    powers = without_root_powers("dac_override", "dac_read_search", "chown", "fowner")
    done = codemods("apply", "theirs.py", "shared.py", cwd=tmp_path, prefix=powers)
    assert done.returncode == 2
    stderr = one_line_error(done)
    assert "theirs.py:1:1: error: no permission to write the file" in stderr
    assert "shared.py:1:1: error: the file belongs to another user or group" in stderr
    for path in (read_only, group_writable):
        assert path.read_text() == UNFIXED and path.stat().st_uid == 65534


# Paths and directories


def test_an_unreadable_directory_is_reported_and_the_walk_goes_on(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked/m.py").write_text(UNFIXED)
    (tmp_path / "open").mkdir()
    (tmp_path / "open/m.py").write_text(UNFIXED)
    (tmp_path / "locked").chmod(0)
    try:
        powers = without_root_powers("dac_override", "dac_read_search")
        done = codemods("check", ".", cwd=tmp_path, prefix=powers)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert done.returncode == 2
    assert "locked:1:1: error: cannot read directory: Permission denied; it was skipped" in (
        one_line_error(done)
    )
    assert done.stdout.decode() == "would fix open/m.py (unused-variables, docstring-stubs)\n"


def test_a_path_in_a_directory_without_search_permission_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked/m.py").write_text(UNFIXED)
    (tmp_path / "locked").chmod(0o600)
    try:
        powers = without_root_powers("dac_override", "dac_read_search")
        done = codemods("check", "locked/m.py", cwd=tmp_path, prefix=powers)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert done.returncode == 2
    assert "cannot use path locked/m.py: Permission denied" in one_line_error(done)


def test_an_over_long_path_name_is_one_line(tmp_path: Path) -> None:
    done = codemods("check", "x" * 300 + ".py", cwd=tmp_path)
    assert done.returncode == 2
    assert ": File name too long" in one_line_error(done)


def test_an_invalid_exclude_pattern_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(UNFIXED)
    done = codemods("check", "--exclude", "[z-a]", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "error: invalid exclude pattern '[z-a]': bad character range" in one_line_error(done)
    (tmp_path / "pyproject.toml").write_text('[tool.codemods]\nexclude = ["[z-a]"]\n')
    done = codemods("check", ".", cwd=tmp_path)
    assert done.returncode == 2 and "invalid exclude pattern" in one_line_error(done)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("tool = 3\n", "[tool] must be a table"),
        ("[tool]\ncodemods = 3\n", "[tool.codemods] must be a table"),
        (
            '[tool.codemods.docstring-stubs]\nplaceholder = "TODO {name:>99999999999}."\n',
            "placeholder may only use the field {name}, without a format spec",
        ),
    ],
)
def test_bad_configuration_named_with_config_is_one_line(
    tmp_path: Path, toml: str, message: str
) -> None:
    (tmp_path / "settings.toml").write_text(toml)
    (tmp_path / "m.py").write_text(UNFIXED)
    done = codemods("check", "--config", "settings.toml", "m.py", cwd=tmp_path)
    assert done.returncode == 2
    assert message in one_line_error(done)


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "rdjson"])
def test_a_file_name_that_is_not_utf8_is_reported(tmp_path: Path, output_format: str) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text(UNFIXED)
    done = codemods("check", "--format", output_format, ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    one_line_error(done)
    report = done.stdout.decode("utf-8")
    if output_format == "github":
        assert report.startswith("::warning file=caf\\xe9.py,line=")
    elif output_format == "sarif":
        uris = {
            location["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(report)["runs"][0]["results"]
            for location in result["locations"]
        }
        assert uris == {"caf%E9.py"}
    else:
        assert "caf\\\\xe9.py" in report and json.loads(report)


def test_diff_headers_of_absolute_paths_have_no_prefix(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(UNFIXED)
    done = codemods("diff", str(tmp_path / "m.py"), cwd=tmp_path)
    name = (tmp_path / "m.py").as_posix()
    assert done.stdout.decode().startswith(f"--- {name}\n+++ {name}\n@@ ")
    patched = subprocess.run(
        ["patch", "-p0", "--dry-run"], input=done.stdout, cwd="/", capture_output=True
    )
    assert patched.returncode == 0, patched.stdout
