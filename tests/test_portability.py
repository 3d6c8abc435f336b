"""No call that one OS lacks outside ``codemods/portability.py``, none unguarded inside it.

Two checks, as issue 20 asks ("no POSIX-only call without a guard and a fallback"):

* the source, read with ``ast``: every use of a name of :data:`POSIX_ONLY` or
  :data:`WINDOWS_ONLY` (an attribute of ``os``, ``signal``... that some OS lacks), of
  :data:`ANY_OBJECT` or an import of a module of :data:`OS_ONLY_MODULES` is in
  ``codemods/portability.py``, and there under a guard;
* the command, run with those names deleted from ``os`` and ``signal`` (as on Windows, where
  they are missing): ``diff``, ``check`` and ``apply`` print the same bytes, exit the same
  way and leave the same files as a run with them present.

The functions of :mod:`codemods.portability` are checked one by one at the end, each with the
call it guards taken away.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

import codemods
from codemods import portability

PACKAGE = Path(codemods.__file__).resolve().parent
PORTABILITY = "codemods/portability.py"

POSIX_ONLY: dict[str, dict[str, str]] = {
    "os": {
        # open flags
        "O_NONBLOCK": "missing on Windows",
        "O_NDELAY": "missing on Windows",
        "O_CLOEXEC": "missing on Windows (O_NOINHERIT is its analog there)",
        "O_NOFOLLOW": "missing on Windows",
        "O_NOCTTY": "missing on Windows",
        "O_DIRECTORY": "missing on Windows",
        "O_SYNC": "missing on Windows",
        "O_DSYNC": "missing on Windows",
        "O_ASYNC": "missing on Windows",
        "O_PATH": "Linux only",
        "O_TMPFILE": "Linux only",
        # owners, modes, users
        "fchown": "missing on Windows",
        "chown": "missing on Windows",
        "lchown": "missing on Windows",
        "fchmod": "missing on Windows before Python 3.13",
        "lchmod": "missing on Linux, and on Windows before Python 3.13",
        "getuid": "missing on Windows",
        "geteuid": "missing on Windows",
        "getgid": "missing on Windows",
        "getegid": "missing on Windows",
        "getgroups": "missing on Windows",
        "setuid": "missing on Windows",
        "setgid": "missing on Windows",
        "initgroups": "missing on Windows",
        "chroot": "missing on Windows",
        # special files
        "mkfifo": "missing on Windows",
        "mknod": "missing on Windows",
        "makedev": "missing on Windows",
        "major": "missing on Windows",
        "minor": "missing on Windows",
        "statvfs": "missing on Windows",
        "fstatvfs": "missing on Windows",
        "fchdir": "missing on Windows",
        "sync": "missing on Windows",
        "pipe2": "missing on Windows and macOS",
        "memfd_create": "Linux only",
        "eventfd": "Linux only",
        "splice": "Linux only",
        "sendfile": "missing on Windows",
        "set_blocking": "missing on Windows before Python 3.12",
        "get_blocking": "missing on Windows before Python 3.12",
        "ttyname": "missing on Windows",
        "openpty": "missing on Windows",
        "ctermid": "missing on Windows",
        # processes
        "fork": "missing on Windows",
        "forkpty": "missing on Windows",
        "register_at_fork": "missing on Windows",
        "wait": "missing on Windows",
        "wait3": "missing on Windows",
        "wait4": "missing on Windows",
        "WNOHANG": "missing on Windows",
        "posix_spawn": "missing on Windows",
        "posix_spawnp": "missing on Windows",
        "kill": "on Windows any signal but CTRL_C_EVENT/CTRL_BREAK_EVENT is TerminateProcess "
        "(os.kill(pid, 0) kills the process)",
        "killpg": "missing on Windows",
        "setsid": "missing on Windows",
        "getsid": "missing on Windows",
        "setpgid": "missing on Windows",
        "getpgid": "missing on Windows",
        "getpgrp": "missing on Windows",
        "getppid": "on Windows (CPython 3.2+) the id stays the dead parent's and may be reused; "
        "missing on PyPy for Windows",
        "nice": "missing on Windows",
        "sched_getaffinity": "Linux only (missing on macOS and Windows)",
        "sched_setaffinity": "Linux only (missing on macOS and Windows)",
        "process_cpu_count": "missing before Python 3.13",
        "getloadavg": "missing on Windows",
        "uname": "missing on Windows",
        "sysconf": "missing on Windows",
        "confstr": "missing on Windows",
        "pathconf": "missing on Windows",
        "fpathconf": "missing on Windows",
    },
    "signal": {
        "SIGTERM": "defined on Windows, but nothing outside the process delivers it there",
        "SIGKILL": "missing on Windows",
        "SIGHUP": "missing on Windows",
        "SIGQUIT": "missing on Windows",
        "SIGALRM": "missing on Windows",
        "SIGPIPE": "missing on Windows",
        "SIGCHLD": "missing on Windows",
        "SIGUSR1": "missing on Windows",
        "SIGUSR2": "missing on Windows",
        "SIGCONT": "missing on Windows",
        "SIGSTOP": "missing on Windows",
        "SIGTSTP": "missing on Windows",
        "SIGTTIN": "missing on Windows",
        "SIGTTOU": "missing on Windows",
        "SIGWINCH": "missing on Windows",
        "SIGBUS": "missing on Windows",
        "SIG_BLOCK": "missing on Windows",
        "SIG_UNBLOCK": "missing on Windows",
        "SIG_SETMASK": "missing on Windows",
        "pthread_sigmask": "missing on Windows",
        "pthread_kill": "missing on Windows",
        "sigwait": "missing on Windows",
        "sigwaitinfo": "missing on Windows and macOS",
        "sigtimedwait": "missing on Windows and macOS",
        "sigpending": "missing on Windows",
        "siginterrupt": "missing on Windows",
        "alarm": "missing on Windows",
        "pause": "missing on Windows",
        "setitimer": "missing on Windows",
        "getitimer": "missing on Windows",
        "ITIMER_REAL": "missing on Windows",
        "pidfd_send_signal": "Linux only",
    },
    "select": {
        "poll": "missing on Windows",
        "epoll": "Linux only",
        "kqueue": "BSD and macOS only",
    },
    "ctypes": {
        "CDLL": "CDLL(None), the process's own C library, works on POSIX only (TypeError on "
        "Windows)",
    },
}
"""Attributes of a module that some supported OS (or Python) lacks, with where. The names of
:mod:`stat` (``S_ISREG``, ``S_ISFIFO``, ``S_ISCHR``...) are not here: the module is pure
Python and defines them everywhere (on Windows ``os.stat`` reports devices as ``S_IFCHR``).
``os.umask``, ``os.chmod``, ``os.fsync``, ``os.replace`` and ``os.access`` exist everywhere
(with Windows semantics that :mod:`codemods.portability` documents where they matter)."""

WINDOWS_ONLY: dict[str, dict[str, str]] = {
    "os": {
        "O_BINARY": "Windows only (without it os.open opens a file in text mode there)",
        "O_NOINHERIT": "Windows only",
        "O_TEXT": "Windows only",
        "O_TEMPORARY": "Windows only",
        "O_SHORT_LIVED": "Windows only",
    },
    "signal": {
        "SIGBREAK": "Windows only",
        "CTRL_C_EVENT": "Windows only",
        "CTRL_BREAK_EVENT": "Windows only",
    },
}
"""Attributes only Windows has. Scanned like :data:`POSIX_ONLY`, but not deleted for the run
without the POSIX-only names: that run stands for Windows, which has them."""

OS_ONLY: dict[str, dict[str, str]] = {
    module: {**POSIX_ONLY.get(module, {}), **WINDOWS_ONLY.get(module, {})}
    for module in {*POSIX_ONLY, *WINDOWS_ONLY}
}
"""Every attribute the scan looks for, by module."""

ANY_OBJECT: dict[str, str] = {
    "prctl": "Linux only (a C library function, reached through ctypes)",
}
"""Attribute names that are OS-only whatever object they are looked up on."""

OS_ONLY_MODULES: dict[str, str] = {
    "fcntl": "missing on Windows",
    "termios": "missing on Windows",
    "tty": "missing on Windows",
    "pty": "missing on Windows",
    "resource": "missing on Windows",
    "pwd": "missing on Windows",
    "grp": "missing on Windows",
    "posix": "missing on Windows",
    "syslog": "missing on Windows",
    "curses": "missing on Windows",
    "readline": "missing on Windows",
    "msvcrt": "Windows only",
    "winreg": "Windows only",
    "winsound": "Windows only",
    "_winapi": "Windows only",
    "nt": "Windows only",
}
"""Modules that some supported OS lacks: importing one must be guarded too."""

PLATFORM_TESTS = {("sys", "platform"), ("os", "name")}
"""``if`` tests on these (``sys.platform.startswith("linux")``) guard any OS-only name."""


class Use(NamedTuple):
    """One use of an OS-only name in the source."""

    path: str
    line: int
    name: str
    guarded: bool

    def __str__(self) -> str:
        """Return ``path:line: name (where it is missing)``."""
        return f"{self.path}:{self.line}: {self.name} ({_where_missing(self.name)})"


def _where_missing(name: str) -> str:
    module, _, attribute = name.rpartition(".")
    if not module:
        return OS_ONLY_MODULES.get(name) or ANY_OBJECT.get(name, "")
    if module == "signal.Signals":
        module = "signal"
    return OS_ONLY.get(module, {}).get(attribute) or ANY_OBJECT.get(attribute, "")


def os_only_uses(source: str, path: str) -> list[Use]:
    """Return every use of an OS-only name in ``source``, and whether each is guarded.

    A use is an attribute ``module.NAME`` (``module`` an ``import``ed name of a module of
    :data:`OS_ONLY`, ``signal.Signals.NAME`` too), ``getattr(module, "NAME"...)``,
    ``from module import NAME``, ``x.NAME`` for a name of :data:`ANY_OBJECT`, or an import
    of a module of :data:`OS_ONLY_MODULES`. It is guarded when it is

    * ``getattr(module, "NAME", default)`` (the default is the fallback);
    * in the body or ``else`` of an ``if`` (or ``x if test else y``, or after ``test and``)
      whose test calls ``hasattr``/``getattr`` with ``"NAME"``, or looks at ``sys.platform``
      or ``os.name``;
    * in the body of a ``try`` that catches ``AttributeError`` (``ImportError`` for a
      module), or of ``with contextlib.suppress(AttributeError)``.

    An early ``return`` is not recognised as a guard: put the use under the test.
    """
    tree = ast.parse(source, filename=path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    modules = _module_aliases(tree)
    found: list[Use] = []

    def add(node: ast.AST, name: str, guard_name: str, *, is_import: bool = False) -> None:
        guarded = _is_guarded(node, parents, guard_name, is_import=is_import)
        found.append(Use(path, getattr(node, "lineno", 0), name, guarded))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                if top in OS_ONLY_MODULES:
                    add(node, top, top, is_import=True)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.partition(".")[0]
            if top in OS_ONLY_MODULES:
                add(node, top, top, is_import=True)
            for alias in node.names:
                if alias.name in OS_ONLY.get(node.module, {}):
                    add(node, f"{node.module}.{alias.name}", alias.name, is_import=True)
        elif isinstance(node, ast.Attribute):
            module = _module_of(node.value, modules)
            if module is not None and node.attr in OS_ONLY.get(module, {}):
                add(node, f"{module}.{node.attr}", node.attr)
            elif node.attr in ANY_OBJECT:
                add(node, node.attr, node.attr)
        elif _is_call_to(node, "getattr"):
            assert isinstance(node, ast.Call)
            module = _module_of(node.args[0], modules) if len(node.args) >= 2 else None
            name = node.args[1] if module is not None else None
            if (
                module is not None
                and isinstance(name, ast.Constant)
                and name.value in OS_ONLY[module]
            ):
                with_default = len(node.args) == 3  # getattr takes no keywords
                guarded = with_default or _is_guarded(node, parents, name.value)
                found.append(Use(path, node.lineno, f"{module}.{name.value}", guarded))
    return found


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Return the local names bound to the modules of :data:`OS_ONLY` (``import os``)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                if alias.asname is None and top in OS_ONLY:
                    aliases[top] = top
                elif alias.asname is not None and alias.name in OS_ONLY:
                    aliases[alias.asname] = alias.name
    return aliases


def _module_of(node: ast.expr, modules: dict[str, str]) -> str | None:
    """Return the module ``node`` names (``os``; ``signal.Signals`` for the enum), or None."""
    if isinstance(node, ast.Name):
        return modules.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "Signals"
        and isinstance(node.value, ast.Name)
        and modules.get(node.value.id) == "signal"
    ):
        return "signal"
    return None


def _is_call_to(node: ast.AST, function: str) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function
    )


def _is_guard_test(test: ast.expr, name: str) -> bool:
    """Tell whether ``test`` asks whether ``name`` exists, or which OS this is."""
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Call)
            and (_is_call_to(node, "hasattr") or _is_call_to(node, "getattr"))
            and any(isinstance(a, ast.Constant) and a.value == name for a in node.args)
        ):
            return True
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in PLATFORM_TESTS
        ):
            return True
    return False


def _catches(handler: ast.ExceptHandler, names: set[str]) -> bool:
    caught = handler.type
    types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(kind, ast.Name) and kind.id in names for kind in types)


def _suppresses(item: ast.withitem, names: set[str]) -> bool:
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    function = call.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return called == "suppress" and any(
        isinstance(argument, ast.Name) and argument.id in names for argument in call.args
    )


def _is_guarded(
    node: ast.AST, parents: dict[ast.AST, ast.AST], name: str, *, is_import: bool = False
) -> bool:
    """Tell whether ``node`` is under a guard for ``name`` (see :func:`os_only_uses`)."""
    errors = {"ImportError", "ModuleNotFoundError"} if is_import else {"AttributeError"}
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.If, ast.IfExp)):
            if child is not parent.test and _is_guard_test(parent.test, name):
                return True
        elif isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And):
            before = parent.values[: [id(v) for v in parent.values].index(id(child))]
            if any(_is_guard_test(value, name) for value in before):
                return True
        elif isinstance(parent, ast.Try):
            if child in parent.body and any(_catches(h, errors) for h in parent.handlers):
                return True
        elif isinstance(parent, ast.With):
            if child in parent.body and any(_suppresses(item, errors) for item in parent.items):
                return True
        child, parent = parent, parents.get(parent)
    return False


def package_modules() -> Iterator[tuple[str, str]]:
    """Yield ``(path relative to the repository, source)`` for every module of ``codemods``."""
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent).as_posix(), path.read_text(encoding="utf-8")


# The source


def test_os_only_names_are_used_only_in_portability_and_only_under_a_guard() -> None:
    outside: list[str] = []
    unguarded: list[str] = []
    inside = 0
    for path, source in package_modules():
        for use in os_only_uses(source, path):
            if path == PORTABILITY:
                inside += 1
                if not use.guarded:
                    unguarded.append(str(use))
            else:
                outside.append(str(use))
    assert outside == [], "use codemods.portability instead:\n" + "\n".join(outside)
    assert unguarded == [], "guard these (hasattr/getattr/sys.platform/try):\n" + "\n".join(
        unguarded
    )
    assert inside > 0, "the scan found nothing in codemods/portability.py: is it broken?"


def _scan(code: str, path: str = PORTABILITY) -> list[tuple[str, bool]]:
    return [(use.name, use.guarded) for use in os_only_uses(textwrap.dedent(code), path)]


@pytest.mark.parametrize(
    "code",
    [
        "import os\nflags = os.O_RDONLY | os.O_NONBLOCK\n",
        "import os as o\no.fchown(1, 2, 3)\n",
        "from os import fchmod\n",
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_DFL)\n",
        "import signal\nname = signal.Signals.SIGKILL.name\n",
        "import os\nf = getattr(os, 'fchown')\n",
        "import fcntl\n",
        "libc = object()\nlibc.prctl(1)\n",
        "import os\nif hasattr(os, 'fchmod'):\n    os.fchown(1, 2, 3)\n",  # another name
        "import os\ntry:\n    os.fchown(1, 2, 3)\nexcept OSError:\n    pass\n",
    ],
)
def test_the_scan_finds_an_unguarded_use(code: str) -> None:
    uses = _scan(code)
    assert uses and not all(guarded for _, guarded in uses), uses


@pytest.mark.parametrize(
    "code",
    [
        "import os\nflag = getattr(os, 'O_NONBLOCK', 0)\n",
        "import os\nif hasattr(os, 'fchown'):\n    os.fchown(1, 2, 3)\n",
        "import os\nif not hasattr(os, 'fchmod'):\n    pass\nelse:\n    os.fchmod(1, 0)\n",
        "import os, sys\nif sys.platform != 'win32':\n    os.killpg(1, 0)\n",
        "import os\nx = os.getuid() if hasattr(os, 'getuid') else 0\n",
        "import os\nok = hasattr(os, 'geteuid') and os.geteuid() == 0\n",
        "import os\ntry:\n    os.sched_getaffinity(0)\n"
        "except (AttributeError, OSError):\n    pass\n",
        "import contextlib, signal\nwith contextlib.suppress(AttributeError):\n"
        "    signal.SIGKILL\n",
        "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n",
        "import os\nflags = os.O_RDONLY | os.O_WRONLY\n",  # not OS-only: no use at all
    ],
)
def test_the_scan_accepts_a_guarded_use(code: str) -> None:
    assert all(guarded for _, guarded in _scan(code)), _scan(code)


def test_a_guarded_use_outside_portability_is_still_a_use() -> None:
    code = "import os\nflag = getattr(os, 'O_NONBLOCK', 0)\n"
    assert _scan(code, "codemods/source.py") == [("os.O_NONBLOCK", True)]


# The command with the names removed


STRIPPED_MODULES = ("os", "signal")


def _names_to_remove() -> dict[str, list[str]]:
    """Return the OS-only names this Python's ``os`` and ``signal`` have (to delete them)."""
    present = {"os": os, "signal": signal}
    return {
        module: sorted(name for name in POSIX_ONLY[module] if hasattr(present[module], name))
        for module in STRIPPED_MODULES
    }


def _imported_modules() -> list[str]:
    """Return every module outside ``codemods`` that the package imports, anywhere."""
    names: set[str] = set()
    for path, source in package_modules():
        for node in ast.walk(ast.parse(source, filename=path)):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return sorted(
        name
        for name in names
        if name.partition(".")[0] not in {"codemods", "__future__", *OS_ONLY_MODULES}
    )


BOOTSTRAP = """
import importlib, json, sys
spec = json.loads(sys.argv[1])
for name in spec["preload"]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
for module, names in spec["remove"].items():
    for name in names:
        delattr(sys.modules[module], name)
sys.argv = ["codemods", *spec["args"]]
from codemods.cli import main
main(prog_name="codemods")
"""
"""Run the command with ``spec["remove"]`` deleted from ``os`` and ``signal`` first.

The modules the package imports (the standard library's and third parties') are imported
before the names go: on Windows they take their own branches and never look for them, here
their POSIX branches would, at import. Then nothing of ``codemods`` is imported yet, so its
module-level code runs without the names too."""


class Outcome(NamedTuple):
    """What one run of the command did."""

    returncode: int
    stdout: bytes
    stderr: bytes
    files: dict[str, tuple[bytes, int]]
    """After the run: each file's bytes and permission bits."""


SAMPLE = {
    "pkg/alpha.py": b"import os\n\n\ndef handler():\n    unused = os.sep\n    return 2\n",
    "pkg/beta.py": (
        b'"""Beta."""\n\n\ndef double(value):\n\tif value:\n\t\treturn value * 2\n\treturn 0\n'
    ),
    "pkg/crlf.py": (
        b'"""Line ends of Windows."""\r\n\r\n\r\ndef f():\r\n    x = 1\r\n    return 0\r\n'
    ),
}
"""An unused variable, missing docstrings, tab indentation, and CRLF line endings."""


def _run(root: Path, args: tuple[str, ...], remove: dict[str, list[str]]) -> Outcome:
    project = root / "project"
    for name, data in SAMPLE.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
        os.chmod(project / name, 0o640)
    spec = {"preload": _imported_modules(), "remove": remove, "args": list(args)}
    done = subprocess.run(
        [sys.executable, "-c", BOOTSTRAP, json.dumps(spec)],
        cwd=project,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    files = {
        name: ((project / name).read_bytes(), stat.S_IMODE((project / name).stat().st_mode))
        for name in SAMPLE
    }
    return Outcome(done.returncode, done.stdout, done.stderr, files)


@pytest.mark.parametrize("mode", ["diff", "check", "apply"])
def test_the_command_gives_the_same_output_without_the_posix_only_names(
    tmp_path: Path, mode: str
) -> None:
    """One process (``-j 1``): with workers, ``multiprocessing``'s own POSIX code needs the
    names on this OS (Windows has other code); the runner's calls are covered by the scan
    above and by tests/test_start_methods.py under ``spawn``, Windows' start method."""
    remove = _names_to_remove()
    if os.name == "posix":  # else they are missing already: the run below is the real thing
        assert {"O_NONBLOCK", "O_CLOEXEC", "fchown", "fchmod"} <= set(remove["os"])
        assert "SIGTERM" in remove["signal"]
    args = (mode, "--no-cache", "-j", "1", ".")
    normal = _run(tmp_path / "normal", args, {module: [] for module in STRIPPED_MODULES})
    stripped = _run(tmp_path / "stripped", args, remove)
    assert b"Traceback" not in stripped.stderr, stripped.stderr.decode()
    assert normal.returncode == (0 if mode == "apply" else 1), normal.stderr.decode()
    assert stripped == normal
    if mode == "apply":
        assert all(data != SAMPLE[name] for name, (data, _) in normal.files.items())
        crlf = normal.files["pkg/crlf.py"][0]
        assert crlf.count(b"\r\n") == crlf.count(b"\n"), "a line end changed"
        if os.name == "posix":  # Windows keeps only the read-only bit
            assert {bits for _, bits in normal.files.values()} == {0o640}


# Each fallback


def test_open_flags_fall_back_to_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("O_NONBLOCK", "O_CLOEXEC", "O_BINARY"):
        monkeypatch.delattr(os, name, raising=False)
    assert portability.open_flags_nonblocking() == 0
    assert portability.open_flags_cloexec() == 0
    assert portability.open_flags_binary() == 0
    assert portability.reading_flags() == os.O_RDONLY
    assert portability.creating_flags() == os.O_WRONLY | os.O_CREAT | os.O_EXCL


def test_open_flags_are_the_os_flags_where_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)  # as on Windows
    assert portability.open_flags_binary() == 0x8000
    assert portability.reading_flags() & 0x8000
    assert portability.creating_flags() & 0x8000
    if hasattr(os, "O_NONBLOCK"):
        assert portability.reading_flags() & os.O_NONBLOCK


def test_set_mode_uses_the_path_without_fchmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"")
    monkeypatch.delattr(os, "fchmod", raising=False)
    with open(path, "rb") as handle:
        portability.set_mode(handle.fileno(), path, 0o444)
    assert not path.stat().st_mode & stat.S_IWUSR
    os.chmod(path, 0o644)


def test_keep_owner_does_nothing_without_fchown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "fchown", raising=False)
    with open(tmp_path / "f", "wb") as handle:
        portability.keep_owner(handle.fileno(), 12345, 12345)  # no OSError: nothing tried


def test_new_file_mode_follows_the_umask_or_assumes_the_usual_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = os.umask(0o027)
    try:
        kept = os.umask(0o027)  # what the OS keeps of it (Windows: only the write bit)
        assert portability.new_file_mode() == 0o666 & ~kept
        assert os.umask(0o027) == kept, "the umask was not restored"
    finally:
        os.umask(previous)
    monkeypatch.delattr(os, "umask")
    assert portability.new_file_mode() == 0o644


def test_stop_signals_are_those_the_os_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(signal, "SIGBREAK", raising=False)
    if hasattr(signal, "SIGTERM"):
        assert portability.stop_signals() == (signal.SIGINT, signal.SIGTERM)
    monkeypatch.delattr(signal, "SIGTERM", raising=False)
    assert portability.stop_signals() == (signal.SIGINT,)
    monkeypatch.setattr(signal, "SIGBREAK", 21, raising=False)  # as on Windows
    assert portability.stop_signals() == (signal.SIGINT, 21)


def test_signal_names() -> None:
    assert portability.signal_name(signal.SIGINT) == "SIGINT"
    assert portability.signal_name(0) == "signal 0"


def test_worker_signals_without_sigterm(monkeypatch: pytest.MonkeyPatch) -> None:
    numbers = [signal.SIGINT, *([signal.SIGBREAK] if hasattr(signal, "SIGBREAK") else [])]
    previous = {number: signal.getsignal(number) for number in numbers}
    monkeypatch.delattr(signal, "SIGTERM", raising=False)
    try:
        portability.reset_worker_signals()
        assert all(signal.getsignal(number) is signal.SIG_IGN for number in numbers)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def test_cpu_count_falls_back_to_all_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert portability.usable_cpu_count() >= 1
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert portability.usable_cpu_count() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert portability.usable_cpu_count() == 6


def test_parent_pid_is_unknown_without_getppid(monkeypatch: pytest.MonkeyPatch) -> None:
    assert portability.parent_pid() == os.getppid()
    monkeypatch.delattr(os, "getppid")
    assert portability.parent_pid() is None


def test_kill_with_parent_is_linux_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert portability.kill_with_parent() is False
    monkeypatch.setattr(sys, "platform", "darwin")
    assert portability.kill_with_parent() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_kill_with_parent_works_on_linux() -> None:
    code = "from codemods.portability import kill_with_parent; print(kill_with_parent())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.stdout == b"True\n", done.stderr.decode()
