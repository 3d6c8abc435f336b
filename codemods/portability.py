"""The operating-system calls that not every OS has, each behind a guard with its fallback.

codemods runs on Linux, macOS and Windows. Every call it makes that one of them lacks
(``os.O_NONBLOCK``, ``os.fchown``, ``os.fchmod`` before Python 3.13 on Windows, ``SIGTERM``
as a deliverable signal, ``prctl``...) lives here and nowhere else in the package, looked up
with ``getattr``/``hasattr`` or behind a ``sys.platform`` test, so a missing attribute means
the documented fallback, never an ``AttributeError``. Each function says what it does where
the call is missing and why that is safe. ``tests/test_portability.py`` lists the
POSIX-only names from the source (``ast``) and fails on a use outside this module or an
unguarded one inside it, and runs the command with those names deleted from ``os`` and
``signal`` to check that the output stays the same.

Calls that exist everywhere but behave differently on Windows are here too when the
difference matters: ``os.open`` without ``O_BINARY`` (text mode), ``os.chmod`` (only the
read-only bit), ``os.umask`` (only the write bit), ``os.getppid`` (an id that may be reused).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys

# Opening files


def open_flags_nonblocking() -> int:
    """Return ``os.O_NONBLOCK`` where the OS has it, else 0.

    The flag is for opening a FIFO (which would wait for a writer forever) or a device
    without blocking; callers check that a path is a regular file before opening it, and
    again after. Windows has no such flag and needs none: its file system has no FIFOs
    (named pipes live under ``\\\\.\\pipe\\``, which no project walk reaches), and a device
    name such as ``NUL`` or ``CON`` is not a regular file to ``os.stat``, so the check before
    the open refuses it and nothing that could block is ever opened.
    """
    flag: int = getattr(os, "O_NONBLOCK", 0)
    return flag


def open_flags_cloexec() -> int:
    """Return ``os.O_CLOEXEC`` where the OS has it, else 0.

    Python makes every descriptor it creates non-inheritable anyway (PEP 446): on Windows
    ``os.open`` adds ``O_NOINHERIT`` itself, the analog of ``O_CLOEXEC``, which Windows does
    not have. On POSIX the flag makes that atomic with the open (no window in which another
    thread's ``fork`` could inherit it), so the fallback loses nothing on Windows.
    """
    flag: int = getattr(os, "O_CLOEXEC", 0)
    return flag


def open_flags_binary() -> int:
    """Return ``os.O_BINARY`` on Windows, else 0 (POSIX has no text mode).

    Without it Windows' C runtime opens a descriptor in text mode: reading turns CRLF into
    LF and stops at Ctrl-Z, writing turns LF into CRLF. The bytes codemods read, digest and
    write must be the file's own, so every ``os.open`` of a source file or of the temporary
    file that replaces it asks for binary mode.
    """
    flag: int = getattr(os, "O_BINARY", 0)
    return flag


def reading_flags() -> int:
    """Return the flags to open a source file for reading: binary, non-blocking, no inherit."""
    return os.O_RDONLY | open_flags_nonblocking() | open_flags_cloexec() | open_flags_binary()


def creating_flags() -> int:
    """Return the flags to create a new file (it must not exist) for writing, in binary."""
    return os.O_WRONLY | os.O_CREAT | os.O_EXCL | open_flags_cloexec() | open_flags_binary()


# Owner and mode of a written file


def keep_owner(descriptor: int, uid: int, gid: int) -> None:
    """Give the open file ``descriptor`` the owner ``uid`` and group ``gid`` (``os.fchown``).

    Raises ``OSError`` if the OS refuses. Where ``os.fchown`` is missing (Windows) this does
    nothing: Windows files have no POSIX owner and group (``os.stat`` reports 0 for both,
    so callers that compare first never get here), and a file written by rename gets its
    owner and its access-control list from the writing user and the directory, as it does
    for every editor that saves by rename.
    """
    fchown = getattr(os, "fchown", None)
    if fchown is not None:
        fchown(descriptor, uid, gid)


def set_mode(descriptor: int, path: str | os.PathLike[str], mode: int) -> None:
    """Set the permission bits ``mode`` of the open file ``descriptor``, which is ``path``.

    Uses ``os.fchmod`` where present (POSIX; Windows from Python 3.13), else ``os.chmod`` on
    ``path`` (Windows before 3.13), where only the write bit counts: it sets or clears the
    file's read-only attribute, the one permission a Windows file has. Raises ``OSError``.
    """
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(descriptor, mode)
    else:
        os.chmod(path, mode)


_DEFAULT_UMASK = 0o022
"""The umask assumed where ``os.umask`` is missing: the usual default (files 0o644)."""


def new_file_mode() -> int:
    """Return the permission bits a new file gets: ``0o666`` less the process's umask.

    ``os.umask`` can only be read by setting it, so it is set and at once restored (a file
    another thread creates in between gets the umask 0: this module's callers create files
    from one thread). Windows has ``os.umask`` but honours only its write bit, which
    :func:`set_mode` maps to the read-only attribute; where the function is missing
    (``os.umask`` is a stub on some WebAssembly builds) the usual default 0o022 is assumed.
    """
    umask = getattr(os, "umask", None)
    if umask is None:
        return 0o666 & ~_DEFAULT_UMASK
    current: int = umask(0)
    umask(current)
    return 0o666 & ~current


def effective_uid() -> int | None:
    """Return the user id files this process creates belong to, or ``None`` where unknown.

    ``os.geteuid`` on POSIX. Windows has no POSIX owner (``os.stat`` reports 0) nor
    permission bits beyond read-only, so where the call is missing this returns ``None``
    and callers skip the owner and mode checks (the result cache's privacy rests there on
    the per-user profile directory's access-control list, which is private by default).
    """
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:
        return None
    uid: int = geteuid()
    return uid


def set_path_mode(path: str | os.PathLike[str], mode: int) -> None:
    """Set the permission bits ``mode`` of ``path`` (a directory), whatever the umask.

    ``os.chmod`` exists everywhere; on Windows only its write bit counts (the read-only
    attribute), so a directory made "private" there keeps the access-control list it
    inherits. Raises ``OSError``.
    """
    os.chmod(path, mode)


# Signals


def stop_signals() -> tuple[int, ...]:
    """Return the signals that stop a run cleanly: SIGINT, then SIGTERM and SIGBREAK if present.

    SIGINT (Ctrl-C) exists everywhere. SIGTERM is taken wherever ``signal`` has it: on POSIX
    it is how a process is asked to stop; Windows defines it and accepts a handler, but
    nothing outside the process delivers it (``os.kill`` and the task manager end a
    process with ``TerminateProcess``, which runs no handler), so there the handler is
    harmless and unused. SIGBREAK (Ctrl-Break) exists only on Windows, where it is the one
    other stop a console user can send; it is handled like SIGINT (exit ``128 + 21``).
    """
    found = [signal.SIGINT]
    sigterm = getattr(signal, "SIGTERM", None)
    if sigterm is not None:
        found.append(sigterm)
    sigbreak = getattr(signal, "SIGBREAK", None)
    if sigbreak is not None:
        found.append(sigbreak)
    return tuple(found)


def signal_name(signum: int) -> str:
    """Return the name of signal ``signum`` (``"SIGTERM"``), or ``"signal N"`` if it has none."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def reset_worker_signals() -> None:
    """In a worker process: ignore the console's stop keys, and let SIGTERM end it.

    The main process decides what Ctrl-C (SIGINT) and, on Windows, Ctrl-Break (SIGBREAK,
    delivered to every process of the console) mean, so a worker ignores both. SIGTERM gets
    its default action back (not the handler a forked worker inherits from the command),
    where ``signal`` has it; on Windows nothing delivers it (see :func:`stop_signals`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sigbreak = getattr(signal, "SIGBREAK", None)
    if sigbreak is not None:
        signal.signal(sigbreak, signal.SIG_IGN)
    sigterm = getattr(signal, "SIGTERM", None)
    if sigterm is not None:
        signal.signal(sigterm, signal.SIG_DFL)


# Processes


def usable_cpu_count() -> int:
    """Return how many CPUs this process may run on (at least 1).

    ``os.process_cpu_count`` (Python 3.13+) where present; else ``os.sched_getaffinity``
    (Linux and some BSDs: it honours ``taskset`` and container CPU sets); else
    ``os.cpu_count``, all the machine's CPUs (macOS, Windows before 3.13), or 1 if unknown.
    """
    process_cpu_count = getattr(os, "process_cpu_count", None)
    if process_cpu_count is not None:
        counted: int | None = process_cpu_count()
        return max(1, counted or 1)
    sched_getaffinity = getattr(os, "sched_getaffinity", None)
    if sched_getaffinity is not None:
        with contextlib.suppress(OSError):
            return max(1, len(sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def parent_pid() -> int | None:
    """Return the id of the process that started this one, or ``None`` where it is unknown.

    ``os.getppid`` exists on POSIX and, since Python 3.2, on CPython for Windows (PyPy for
    Windows lacked it). The value means less on Windows: after the parent exits it is still
    the parent's old id, which another process may have taken (POSIX returns the reaper's
    id, 1 or a subreaper), so use it to tell who started a process, not whether it lives.
    """
    getppid = getattr(os, "getppid", None)
    if getppid is None:
        return None
    pid: int = getppid()
    return pid


_PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal the kernel sends this process when its parent thread dies."""


def kill_with_parent() -> bool:
    """Have the kernel SIGKILL this process when its parent dies; return whether it will.

    Linux only (``prctl(PR_SET_PDEATHSIG)`` through the C library). Everywhere else, or if
    the call fails, this does nothing and returns ``False``: the caller must also watch the
    parent some portable way (``multiprocessing``'s parent sentinel), which this only makes
    faster.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


# Paths opened one component at a time (codemods.pathguard)


def open_flags_nofollow() -> int:
    """Return ``os.O_NOFOLLOW`` where the OS has it, else 0.

    With it, opening a path whose last component is a symbolic link fails (``ELOOP``)
    instead of opening the link's target. Windows has no such flag; there
    :func:`opens_relative_to_directories` is false and :mod:`codemods.pathguard` checks
    each component with ``os.lstat`` instead (a window between check and use remains, which
    the trust model in docs/usage.md states).
    """
    flag: int = getattr(os, "O_NOFOLLOW", 0)
    return flag


def open_flags_directory() -> int:
    """Return ``os.O_DIRECTORY`` where the OS has it, else 0 (the open then takes any file)."""
    flag: int = getattr(os, "O_DIRECTORY", 0)
    return flag


def opens_relative_to_directories() -> bool:
    """Tell whether paths can be opened and renamed relative to a directory descriptor.

    True where ``os.open``, ``os.stat``, ``os.unlink`` and ``os.replace`` take ``dir_fd``
    and the OS has ``O_NOFOLLOW`` and ``O_DIRECTORY`` (Linux, macOS, the BSDs). Elsewhere
    (Windows) :mod:`codemods.pathguard` works with whole paths and ``os.lstat`` checks.
    """
    # ``os.replace`` takes ``src_dir_fd``/``dst_dir_fd`` wherever ``os.rename`` does (one C
    # function), but only ``os.rename`` is listed in ``os.supports_dir_fd``.
    needed = (os.open, os.stat, os.unlink, os.rename)
    return (
        all(function in os.supports_dir_fd for function in needed)
        and open_flags_nofollow() != 0
        and open_flags_directory() != 0
    )


# Extended attributes and POSIX ACLs (codemods.writes)


ACL_ACCESS = "system.posix_acl_access"
"""The extended attribute that holds a file's POSIX access ACL (Linux)."""


def list_xattrs(descriptor: int) -> list[str]:
    """Return the names of the extended attributes of the open file ``descriptor``.

    Linux only (``os.listxattr``). Elsewhere, or where the file system keeps none
    (``ENOTSUP``), the list is empty: macOS and the BSDs keep their extended attributes and
    ACLs through interfaces Python does not offer, Windows has none of this kind. So a
    rewritten file there keeps its mode and owner but not those (documented in docs/usage.md).
    """
    listxattr = getattr(os, "listxattr", None)
    if listxattr is None:
        return []
    try:
        names: list[str] = listxattr(descriptor)
    except OSError as error:
        if error.errno in _NO_XATTR_SUPPORT:
            return []
        raise
    return names


def get_xattr(descriptor: int, name: str) -> bytes:
    """Return the value of extended attribute ``name`` of ``descriptor`` (Linux; OSError)."""
    getxattr = getattr(os, "getxattr", None)
    if getxattr is None:
        raise OSError(errno.ENOTSUP, "extended attributes are not supported")
    value: bytes = getxattr(descriptor, name)
    return value


def set_xattr(descriptor: int, name: str, value: bytes) -> None:
    """Set extended attribute ``name`` of ``descriptor`` to ``value`` (Linux; OSError)."""
    setxattr = getattr(os, "setxattr", None)
    if setxattr is None:
        raise OSError(errno.ENOTSUP, "extended attributes are not supported")
    setxattr(descriptor, name, value)


def remove_xattr(descriptor: int, name: str) -> None:
    """Remove extended attribute ``name`` of ``descriptor`` (Linux; OSError elsewhere)."""
    removexattr = getattr(os, "removexattr", None)
    if removexattr is None:
        raise OSError(errno.ENOTSUP, "extended attributes are not supported")
    removexattr(descriptor, name)


_NO_XATTR_SUPPORT = {errno.ENOTSUP, errno.EOPNOTSUPP, getattr(errno, "ENODATA", errno.ENOENT)}


# Whether a process lives (codemods.writes: temporary files of dead runs)


def process_alive(pid: int) -> bool | None:
    """Tell whether process ``pid`` exists: True, False, or ``None`` when it cannot be known.

    POSIX: ``os.kill(pid, 0)`` sends nothing and only checks (``ESRCH``: gone; ``EPERM``:
    it exists, another user's). On Windows ``os.kill`` with any signal but the console
    events ends the process, so nothing is asked and the answer is ``None``: callers then
    leave the file alone. A live answer may be a later process that reused the id: callers
    only ever keep a file on a live answer, so reuse can only keep a stale file longer.
    """
    if pid <= 0:
        return None
    if sys.platform != "win32" and hasattr(os, "kill"):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        except OSError:
            return None
        return True
    return None


# Locking


def lock_exclusive(descriptor: int) -> bool:
    """Wait for an exclusive lock on the open file or directory ``descriptor``.

    ``fcntl.flock`` where there is ``fcntl`` (POSIX; it works on a directory's descriptor
    too). The lock is released when the descriptor is closed, also when the process dies,
    so a lock is never stale. Returns ``False`` where the OS has no ``fcntl`` (Windows, where
    a directory cannot be opened with ``os.open`` either): the caller runs without the lock
    and says so in its documentation. Raises ``OSError`` if the lock cannot be taken.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is None:
        return False
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return True
