"""Each file's part of a project index, kept on disk beside the result cache; and the private,
authenticated files both stores are made of.

Checking one file with resize-guard asks questions of its project: which classes define a
method, where a function is expected to fail (:mod:`codemods.project_index`). Each file
that may answer is parsed for its part of the index. That part depends only on the file's
module name and bytes, so it is stored under their digest and read back on the next run:
only new or edited files are parsed again.

The answers decide what resize-guard writes, so the store is trusted no more than the result
cache (:mod:`codemods.cache`): its directory must be private to this user (created 0700;
one owned by someone else, or writable by group or others, or under such a directory, is
not used), each entry is written 0600 and carries an HMAC-SHA256 under a secret kept 0600 in
the directory (:func:`directory_secret`), and is read through :func:`read_private_file`
(a regular file of this user, at most a bounded size, opened without following a link or
blocking on a FIFO). An entry whose MAC does not verify, or that names another module or
digest, does not parse or has another shape, is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

from codemods.portability import (
    creating_flags,
    effective_uid,
    open_flags_nofollow,
    reading_flags,
    set_mode,
    set_path_mode,
)

FORMAT = 2
MISSING = object()
"""What :func:`load` returns when nothing usable is stored (``None`` is a stored answer:
the file does not parse)."""

SECRET_NAME = ".codemods-cache-secret"
"""The file of a private directory that holds its secret (32 random bytes, mode 0600)."""
SECRET_SIZE = 32
MAX_ENTRY_SIZE = 256 * 1024 * 1024
"""The largest entry read back (an entry holds a file's new text and diff: a few times the
64 MB largest source file); a larger one is ignored unread."""
_DIRECTORY_MODE = 0o700
_FILE_MODE = 0o600
_UNSAFE_BITS = stat.S_IWGRP | stat.S_IWOTH
"""A directory writable by group or others lets them replace what it holds."""


class UntrustedStore(Exception):
    """A directory or file of a store is not private to this user (the message says why)."""


def private_directory(directory: Path) -> Path:
    """Return ``directory`` (resolved) once it is private to this user, creating it 0700.

    Every existing directory on its way from ``/`` must belong to this user or to root
    and not be writable by group or others (unless it has the sticky bit, as ``/tmp``:
    then no one else can rename what this user put there); the directory itself must
    belong to this user. Missing directories are created 0700 whatever the umask.
    Raises :class:`UntrustedStore` naming the first directory that fails.
    """
    uid = effective_uid()
    target = Path(os.path.realpath(directory))
    missing: list[Path] = []
    existing = target
    while not existing.exists():
        missing.append(existing)
        if existing.parent == existing:
            break
        existing = existing.parent
    chain = [*reversed(existing.parents), existing]
    for ancestor in chain[:-1] if not missing else chain:
        _check_ancestor(ancestor, uid)
    if not missing:
        _check_own_directory(target, uid)
        return target
    for component in reversed(missing):
        try:
            component.mkdir(mode=_DIRECTORY_MODE)
        except FileExistsError:
            pass  # another run made it at the same moment: checked below
        except OSError as error:
            raise UntrustedStore(f"cannot create {component}: {error.strerror or error}") from None
        else:
            with contextlib.suppress(OSError):
                set_path_mode(component, _DIRECTORY_MODE)
        _check_own_directory(component, uid)
    return target


def private_subdirectory(path: Path) -> None:
    """Make ``path``, a child of a directory :func:`private_directory` returned, private.

    Created 0700 if missing; either way it must be a directory of this user that group and
    others cannot write (its parent is private, so only this user could have made it).
    Raises :class:`UntrustedStore` or ``OSError``.
    """
    try:
        path.mkdir(mode=_DIRECTORY_MODE)
    except FileExistsError:
        pass
    else:
        set_path_mode(path, _DIRECTORY_MODE)
    _check_own_directory(path, effective_uid())


def _status(path: Path) -> os.stat_result:
    try:
        return os.lstat(path)
    except OSError as error:
        raise UntrustedStore(f"cannot inspect {path}: {error.strerror or error}") from None


def _check_ancestor(path: Path, uid: int | None) -> None:
    status = _status(path)
    if not stat.S_ISDIR(status.st_mode):
        raise UntrustedStore(f"{path} is not a directory")
    if uid is None:
        return  # no POSIX owner or mode here (see portability.effective_uid)
    if status.st_uid not in (uid, 0):
        raise UntrustedStore(f"{path} belongs to another user (uid {status.st_uid})")
    if status.st_mode & _UNSAFE_BITS and not status.st_mode & stat.S_ISVTX:
        raise UntrustedStore(f"{path} is writable by group or others")


def _check_own_directory(path: Path, uid: int | None) -> None:
    status = _status(path)
    if not stat.S_ISDIR(status.st_mode):
        raise UntrustedStore(f"{path} is not a directory")
    if uid is None:
        return
    if status.st_uid != uid:
        raise UntrustedStore(f"{path} belongs to another user (uid {status.st_uid})")
    if status.st_mode & _UNSAFE_BITS:
        raise UntrustedStore(f"{path} is writable by group or others")


def read_private_file(path: Path, limit: int) -> bytes:
    """Return the bytes of ``path``: a regular file of this user, unreadable by others.

    Opened without following a final symbolic link and without blocking (a FIFO), then
    checked on the descriptor: a regular file, of this user, with no permission for group
    or others, of at most ``limit`` bytes; reading stops at ``limit + 1`` bytes whatever
    the size said. Raises :class:`UntrustedStore` or ``OSError``.
    """
    descriptor = os.open(path, reading_flags() | open_flags_nofollow())
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UntrustedStore(f"{path} is not a regular file")
        uid = effective_uid()
        if uid is not None and (status.st_uid != uid or status.st_mode & 0o077):
            raise UntrustedStore(f"{path} is not private to this user")
        if status.st_size > limit:
            raise UntrustedStore(f"{path} is larger than {limit} bytes")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UntrustedStore(f"{path} is larger than {limit} bytes")
    return data


def write_private_file(target: Path, data: bytes) -> None:
    """Create or replace ``target`` with ``data``, mode 0600, through a temporary file.

    The temporary file is created with ``O_EXCL`` (never through an existing name or
    link), its name carries this process's id, and it is renamed over ``target``: a
    reader sees the whole old file or the whole new one. Raises ``OSError``.
    """
    for _attempt in range(8):
        name = f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.codemods-tmp"
        temporary = target.parent / name
        try:
            descriptor = os.open(temporary, creating_flags() | open_flags_nofollow(), _FILE_MODE)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "wb") as handle:
                set_mode(handle.fileno(), temporary, _FILE_MODE)
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return
    raise FileExistsError(f"cannot create a temporary file beside {target}")


def directory_secret(directory: Path) -> bytes:
    """Return the secret of the private ``directory``, creating it on first use.

    The secret is :data:`SECRET_SIZE` random bytes in :data:`SECRET_NAME`, created 0600
    with ``O_EXCL`` (a second run at the same moment reads the first one's) and read with
    :func:`read_private_file`'s checks. Raises :class:`UntrustedStore` if the directory or
    an existing secret is not private, ``OSError`` if it cannot be read or made.
    """
    private = private_directory(directory)
    path = private / SECRET_NAME
    try:
        descriptor = os.open(path, creating_flags() | open_flags_nofollow(), _FILE_MODE)
    except FileExistsError:
        return _existing_secret(path)
    value = secrets.token_bytes(SECRET_SIZE)
    with os.fdopen(descriptor, "wb") as handle:
        set_mode(handle.fileno(), path, _FILE_MODE)
        handle.write(value)
    return value


def _existing_secret(path: Path) -> bytes:
    """Read a secret another run may be writing right now (wait for it, briefly)."""
    for _attempt in range(50):
        value = read_private_file(path, SECRET_SIZE)
        if len(value) == SECRET_SIZE:
            return value
        time.sleep(0.02)
    raise UntrustedStore(f"{path} is not a secret of {SECRET_SIZE} bytes")


def mac(secret: bytes, *parts: bytes) -> str:
    """Return the HMAC-SHA256 (hex) of ``parts``, each length-prefixed (no ambiguity)."""
    code = hmac.new(secret, digestmod=hashlib.sha256)
    for part in parts:
        code.update(len(part).to_bytes(8, "big"))
        code.update(part)
    return code.hexdigest()


_SECRETS: dict[Path, bytes | None] = {}
"""Each store directory's secret, or ``None`` if it is not private (checked once a process)."""


def _store_secret(directory: Path) -> bytes | None:
    if directory not in _SECRETS:
        try:
            _SECRETS[directory] = directory_secret(directory)
        except (OSError, UntrustedStore):
            _SECRETS[directory] = None  # the result cache says why, once, for the whole run
    return _SECRETS[directory]


def _entry(directory: Path, module: str, digest: str) -> Path:
    name = hashlib.sha256(f"{module}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()
    return directory / name[:2] / f"{name}.json"


def _entry_mac(secret: bytes, module: str, digest: str, body: bytes) -> str:
    return mac(
        secret,
        b"codemods index entry",
        module.encode("utf-8", "surrogatepass"),
        digest.encode("ascii", "replace"),
        body,
    )


def load(directory: Path, module: str, digest: str) -> Any:
    """Return the stored plain data of a file's index (``None`` too), or :data:`MISSING`."""
    secret = _store_secret(directory)
    if secret is None:
        return MISSING
    try:
        raw = read_private_file(_entry(directory, module, digest), MAX_ENTRY_SIZE)
        code, _, body = raw.partition(b"\n")
        expected = _entry_mac(secret, module, digest, body)
        if not hmac.compare_digest(code, expected.encode("ascii")):
            return MISSING
        entry = json.loads(body)
    except (OSError, ValueError, UntrustedStore):
        return MISSING
    if not isinstance(entry, dict) or [entry.get(k) for k in ("format", "module", "digest")] != [
        FORMAT,
        module,
        digest,
    ]:
        return MISSING
    return entry.get("index", MISSING)


def save(directory: Path, module: str, digest: str, index: Any) -> None:
    """Store the plain data of a file's index; a cache that cannot be written is skipped."""
    secret = _store_secret(directory)
    if secret is None:
        return
    entry = {"format": FORMAT, "module": module, "digest": digest, "index": index}
    body = json.dumps(entry, separators=(",", ":")).encode("utf-8")
    target = _entry(directory, module, digest)
    try:
        private_subdirectory(target.parent)
        code = _entry_mac(secret, module, digest, body)
        write_private_file(target, code.encode("ascii") + b"\n" + body)
    except (OSError, UntrustedStore):
        return
