"""Worker processes under every multiprocessing start method: ``fork``, ``spawn``, ``forkserver``.

Python 3.14 made ``forkserver`` the default on Linux, and macOS and Windows use ``spawn``. Each
test runs the CLI in a fresh interpreter with the start method set the way Python sets its
default (``multiprocessing.set_start_method`` before anything starts) and checks, with a
timeout so that a hang fails the test: ``-j 2`` prints exactly what ``-j 1`` prints; a SIGKILL
of the main process leaves no worker behind; Ctrl-C exits 130 with every file old or new.
The state a codemod's ``prepare`` builds reaches the workers as data (not through memory
inherited by ``fork``).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemods.config import Config
from codemods.fixes.resize_guard import ResizeGuard
from codemods.project_index import Project
from codemods.source import SourceFile

METHODS = [
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
]
BOOT = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv.pop(1))\n"
    "sys.argv[0] = 'codemods'\n"
    "from codemods.cli import main\n"
    "main()\n"
)
"""Run the CLI with the start method named by the first argument, as Python's default."""
RUN_LIMIT = 120
"""Seconds a run may take before the test calls it a hang."""
RESIZE_TEST = (
    "from pkg.base import Base\n\n\n"
    "class ResizeTest{n}(Base):\n"
    "    def test_resize(self, sid):\n"
    "        unused = 1\n"
    "        self.api.post_server_action(sid, {{'resize': {{'flavorRef': '2'}}}})\n"
)
"""A resize whose cleanup resolves only through the project: ``Base`` is in another file."""
MANY = '"""A module of the many."""\n\n' + "def handler():\n    unused = 1\n    return 2\n" * 20


def command(method: str, *args: str) -> list[str]:
    """Return the command that runs ``codemods ARGS`` under ``method``."""
    return [sys.executable, "-c", BOOT, method, *args]


def run(method: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``codemods ARGS`` under ``method``; a run longer than RUN_LIMIT fails the test."""
    try:
        return subprocess.run(
            command(method, *args),
            cwd=cwd,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=RUN_LIMIT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"codemods {' '.join(args)} under {method!r} hung for {RUN_LIMIT} s")


def start(method: str, cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``codemods ARGS`` under ``method`` in a process group of its own."""
    return subprocess.Popen(
        command(method, *args),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A package whose resize fixes need the project index, plus plain fixes and a clean file."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""The package."""\n')
    (package / "base.py").write_text(
        '"""Bases."""\n\n\nclass Base:\n    """A base."""\n\n'
        "    def _delete_server_allocations(self, server_uuid):\n"
        '        """Delete them."""\n'
    )
    (package / "client.py").write_text(
        '"""Clients."""\n\n\nclass Client:\n    """A client."""\n\n'
        "    def delete_server(self, server_id):\n"
        '        """Delete it."""\n'
    )
    for number in range(6):
        (package / f"test_{number}.py").write_text(RESIZE_TEST.format(n=number))
    (package / "tabs.py").write_text("def f():\n\tif True:\n\t\treturn 1\n")
    return tmp_path


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("args", "resolved"),
    [
        (
            ("diff", "--unsafe-fixes"),
            b"+            self._delete_server_allocations(sid)",
        ),
        (("check", "--format", "json", "--unsafe-fixes"), b'"codemod": "resize-guard"'),
        (("check", "--unsafe-fixes", "-v"), b"test_5.py:7: [resize-guard] "),
    ],
)
def test_two_jobs_print_what_one_job_prints(
    project: Path, method: str, args: tuple[str, ...], resolved: bytes
) -> None:
    one = run(method, project, *args, "--no-cache", "-j", "1", ".")
    two = run(method, project, *args, "--no-cache", "-j", "2", ".")
    assert one.returncode == 1, one.stderr
    assert resolved in one.stdout + one.stderr  # the resize fixes resolved through the project
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


@pytest.mark.parametrize("method", METHODS)
def test_two_jobs_apply_what_one_job_applies(project: Path, tmp_path: Path, method: str) -> None:
    files = sorted(project.rglob("*.py"))
    before = {path: path.read_bytes() for path in files}
    one = run(method, project, "apply", "--unsafe-fixes", "--no-cache", "-j", "1", ".")
    after_one = {path: path.read_bytes() for path in files}
    for path, data in before.items():
        path.write_bytes(data)
    two = run(method, project, "apply", "--unsafe-fixes", "--no-cache", "-j", "2", ".")
    assert (one.returncode, two.returncode) == (0, 0), two.stderr
    assert {path: path.read_bytes() for path in files} == after_one != before
    assert b"self._delete_server_allocations(sid)" in after_one[project / "pkg/test_3.py"]


def many_files(root: Path, count: int) -> list[Path]:
    """Write ``count`` files that every run fixes."""
    paths = [root / f"module_{number:04}.py" for number in range(count)]
    for path in paths:
        path.write_text(MANY)
    return paths


def group_members(group: int) -> list[int]:
    """Return the pids of the live processes of process group ``group`` (Linux's /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # it ended while we looked
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def wait_until_writing(path: Path, unfixed: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until the run has fixed ``path`` (its workers are at work), or fail."""
    deadline = time.monotonic() + RUN_LIMIT
    while path.read_text() == unfixed:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the run never wrote a file (exit {process.returncode})")
        time.sleep(0.02)


def assert_group_gone(group: int, seconds: float = 10) -> None:
    """Fail unless every process of ``group`` (workers, fork server, tracker) ends in time."""
    deadline = time.monotonic() + seconds
    while group_members(group):
        if time.monotonic() > deadline:
            left = group_members(group)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"processes {left} outlived the main process by {seconds} s")
        time.sleep(0.05)


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("method", METHODS)
def test_killing_the_main_process_leaves_no_worker(tmp_path: Path, method: str) -> None:
    paths = many_files(tmp_path, 1500)
    process = start(method, tmp_path, "apply", "--no-cache", "-j", "2", ".")
    wait_until_writing(paths[0], MANY, process)
    assert len(group_members(process.pid)) >= 3, "expected the main process and two workers"
    process.kill()
    started = time.monotonic()
    process.communicate(timeout=30)  # EOF on both pipes: no worker holds them open
    assert time.monotonic() - started < 10
    assert_group_gone(process.pid)


def wait_until_busy(process: subprocess.Popen[bytes], workers: int) -> None:
    """Wait until ``workers`` processes of the run have been running for a second."""
    deadline = time.monotonic() + RUN_LIMIT
    busy_since = None
    while time.monotonic() < deadline:
        others = [pid for pid in group_members(process.pid) if pid != process.pid]
        if sum(_state(pid) == "R" for pid in others) >= workers:
            busy_since = busy_since or time.monotonic()
            if time.monotonic() - busy_since > 1:
                return
        else:
            busy_since = None
        time.sleep(0.02)
    process.kill()
    pytest.fail("the workers never got to work")


def _state(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


@needs_proc
@pytest.mark.parametrize("method", METHODS)
def test_killing_the_main_process_stops_workers_in_the_middle_of_a_file(
    tmp_path: Path, method: str
) -> None:
    """A worker on a long file (tens of seconds) stops at once, not when the file is done.

    Between files a worker reads its next task from a pipe only the main process writes,
    and ends at its end; in the middle of a file only watching the main process ends it.
    """
    big = '"""Big."""\n\n\n' + "def handler():\n    unused = 1\n    return 2\n\n\n" * 20000
    for name in ("big_1.py", "big_2.py"):
        (tmp_path / name).write_text(big)
    process = start(method, tmp_path, "check", "--no-cache", "-j", "2", ".")
    wait_until_busy(process, workers=2)
    process.kill()
    assert_group_gone(process.pid, seconds=5)
    process.communicate(timeout=30)


@needs_proc
@pytest.mark.parametrize("method", METHODS)
def test_ctrl_c_exits_130_with_every_file_old_or_new(tmp_path: Path, method: str) -> None:
    paths = many_files(tmp_path, 1500)
    expected = Config().build_engine().fix_text(str(paths[0]), MANY).new_text
    process = start(method, tmp_path, "apply", "--no-cache", "-j", "2", ".")
    wait_until_writing(paths[0], MANY, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=RUN_LIMIT)
    assert process.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert b"interrupted by SIGINT after " in stderr
    texts = [path.read_text() for path in paths]
    assert set(texts) <= {MANY, expected}
    assert 0 < texts.count(expected) < len(paths), "the signal came after the run ended"
    assert not [path for path in tmp_path.iterdir() if "codemods-tmp" in path.name]
    assert_group_gone(process.pid)


def test_prepared_state_reaches_a_worker_as_data(project: Path) -> None:
    """What ``prepare`` read in the main process answers in another process, pickled."""
    checked = project / "pkg/test_0.py"
    paths = sorted(project.rglob("*.py"))
    state = ResizeGuard().prepare(paths)
    assert isinstance(state, Project)
    shipped = pickle.loads(pickle.dumps(state))
    (project / "pkg/base.py").unlink()  # only the handed state still knows Base
    source = SourceFile(str(checked), checked.read_text())

    worker = ResizeGuard()
    worker.receive_prepared(shipped)
    found = [finding for finding in worker.find(source) if finding.skip is None]
    assert [finding.line for finding in found] == [7]

    unprepared = [f for f in ResizeGuard().find(source) if f.skip is None]
    assert unprepared == []  # without the state, Base is unknown: the call is left alone


def test_prepare_hands_over_nothing_when_no_file_names_a_callee(tmp_path: Path) -> None:
    paths = many_files(tmp_path, 3)
    assert ResizeGuard().prepare(paths) is None


@pytest.mark.parametrize("method", METHODS)
def test_workers_import_nothing_from_the_checkout(tmp_path: Path, method: str) -> None:
    """A ``socket.py`` in the checkout runs in no worker (``python -c`` puts the cwd first)."""
    for number in range(3):
        (tmp_path / f"m{number}.py").write_text("def f():\n    x = 1\n    return 2\n")
    (tmp_path / "socket.py").write_text(
        "import os, sys\n"
        "open(os.path.join(os.path.dirname(__file__), f'MARKER-{os.getpid()}'), 'w').close()\n"
        "del sys.modules['socket']\n"
        "sys.path = [p for p in sys.path if p not in ('', os.path.dirname(__file__))]\n"
        "import socket\n"
    )
    boot = "import sys\nsys.path = [p for p in sys.path if p != '']\n" + BOOT
    done = subprocess.run(
        [sys.executable, "-c", boot, method, "diff", "--no-cache", "-j", "2", "."],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=RUN_LIMIT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"},
    )
    assert done.returncode == 1, done.stderr
    assert sorted(path.name for path in tmp_path.glob("MARKER-*")) == []


BROKEN_WORKER_PLUGIN = '''"""A plugin whose workers cannot get ready: its prepared state is refused there."""

from codemods import Codemod, Options


class Refuses(Codemod[Options]):
    """Find nothing; refuse the prepared state in every worker.

    Why is this bad? A test plugin.
    Fix safety: safe.
    """

    id = "refuses-in-workers"
    summary = "Refuse the prepared state."
    options_type = Options

    def prepare(self, paths):
        """Hand every worker a state."""
        return "state"

    def receive_prepared(self, state):
        """Fail, as a worker whose set-up breaks does."""
        raise OSError("the worker's set-up broke")

    def find(self, source):
        """Find nothing."""
        return iter(())

    def fix(self, source, findings):
        """Change nothing."""
        return []
'''


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_that_cannot_start_ends_the_run_with_exit_2(tmp_path: Path, method: str) -> None:
    """A worker's set-up that fails once failed for ever: the pool replaced the worker, and the
    run hung. Now the first file names the reason: one line, exit 2, every start method."""
    site = tmp_path / "site"
    info = site / "refuses-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: refuses\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[codemods.fixes]\nrefuses-in-workers = refuses_plugin:Refuses\n"
    )
    (site / "refuses_plugin.py").write_text(BROKEN_WORKER_PLUGIN)
    work = tmp_path / "work"
    work.mkdir()
    for number in range(4):
        (work / f"m{number}.py").write_text("def f():\n    x = 1\n    return 2\n")
    environment = {**os.environ, "PYTHONPATH": str(site)}
    try:
        done = subprocess.run(
            command(
                method, "check", "--no-cache", "-j", "2", "--select", "refuses-in-workers", "."
            ),
            cwd=work,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=RUN_LIMIT,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"a worker that cannot start hung the run under {method!r}")
    assert done.returncode == 2, done
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "a worker process could not start" in lines[0], lines
    assert "the worker's set-up broke" in lines[0], lines
    assert "bug in codemods" not in lines[0], lines
