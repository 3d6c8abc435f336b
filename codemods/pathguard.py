"""The path guard every write of a source file goes through.

A write may only replace the file that was read, inside the roots the user named (the
paths on the command line; for ``apply --patch``, the current directory), and never through
a symbolic link that leaves them, unless ``--follow-symlinks`` says so:

* the path is resolved (``os.path.realpath``) and must lie under one of the roots; a
  symbolic link inside the tree whose target is inside the tree is written through its
  target (the link stays a link), one whose target leaves the roots is refused with
  :data:`OUTSIDE`;
* from the root's directory, each component is opened with ``O_NOFOLLOW`` relative to the
  descriptor of the one before (``openat``), so a component swapped for a link after the
  path was resolved makes the open fail instead of leading elsewhere;
* the file is opened (``O_NOFOLLOW``) and read through that descriptor, and just before the
  rename the name is checked again, without following links: the same device and inode as
  the file read, unchanged (size, mtime, ctime); the temporary file is created and renamed
  relative to the directory's descriptor (``dir_fd``).

Where the OS cannot open relative to a directory descriptor (Windows), the same checks are
made with whole paths and ``os.lstat`` (see
:func:`codemods.portability.opens_relative_to_directories`).

The remaining windows (stated in the trust model, docs/usage.md): between the last check
of the name and ``rename(2)`` (microseconds; POSIX has no compare-and-swap rename), and a
directory of the tree that is moved elsewhere after it was opened: the rename then happens
in that directory, where it now is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import click

from codemods import portability

OUTSIDE = "symbolic link to a file outside PATHS"
"""The reason a file reached through a link that leaves the roots is not written."""

_CONTEXT_KEY = "codemods.pathguard"


class GuardError(Exception):
    """The guard refuses the write; the message says why."""


class OutsideRoots(GuardError):
    """The file lies outside the roots (reached through a link): skipped, not an error."""


@dataclasses.dataclass(frozen=True)
class PathGuard:
    """The roots writes must stay in, and whether links leaving them may be followed.

    No roots: any file may be written (the API, tests), still checked to be the file read
    and opened without following a link swapped in.
    """

    roots: tuple[Path, ...] = ()
    """Real paths (``os.path.realpath``) of the roots."""
    follow_symlinks: bool = False
    outside: str = OUTSIDE
    """The reason given for a path outside the roots."""

    @classmethod
    def for_paths(
        cls, paths: tuple[str | os.PathLike[str], ...], *, follow_symlinks: bool = False
    ) -> PathGuard:
        """Return the guard for the roots ``paths`` (as the user named them)."""
        roots = tuple(Path(os.path.realpath(path)) for path in paths)
        return cls(roots=roots, follow_symlinks=follow_symlinks)

    def locate(self, path: str | os.PathLike[str]) -> tuple[Path, tuple[str, ...]]:
        """Return the directory to start from and the components down to ``path``'s target.

        Raises :class:`GuardError` if the target lies outside the roots (and links may not
        be followed there).
        """
        real = Path(os.path.realpath(path))
        if not self.roots:
            return real.parent, (real.name,)
        inside = [root for root in self.roots if real == root or real.is_relative_to(root)]
        if not inside:
            if self.follow_symlinks:
                return real.parent, (real.name,)
            raise OutsideRoots(self.outside)
        root = max(inside, key=lambda candidate: len(candidate.parts))
        if real == root:  # a file named on the command line
            return real.parent, (real.name,)
        return root, real.relative_to(root).parts

    @contextlib.contextmanager
    def opened(self, path: str | os.PathLike[str]) -> Iterator[OpenedFile]:
        """Open ``path``'s target for replacing (see the module); close it afterwards."""
        base, parts = self.locate(path)
        if portability.opens_relative_to_directories():
            opened = _open_relative(base, parts)
        else:
            opened = _open_by_path(base, parts)
        try:
            yield opened
        finally:
            opened.close()


@dataclasses.dataclass
class OpenedFile:
    """A file opened for replacing: its directory, name, descriptor, status and bytes."""

    directory: Path
    """The file's directory (for messages and the path-based fallback)."""
    name: str
    dir_fd: int | None
    """The directory's descriptor, or ``None`` where the OS cannot use one."""
    descriptor: int
    status: os.stat_result
    """``fstat`` of the file as opened."""
    data: bytes

    @property
    def path(self) -> Path:
        """Return the file's path (real, as resolved when it was opened)."""
        return self.directory / self.name

    def reread(self) -> bytes:
        """Return the file's bytes now, read through the descriptor opened."""
        os.lseek(self.descriptor, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(self.descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)

    def check_same(self) -> None:
        """Raise :class:`GuardError` unless the name is still the file opened, unchanged.

        The name is looked up without following a link: same device and inode, a regular
        file, same size, mtime and ctime; and the descriptor's file is unchanged too.
        """
        try:
            now = self.lstat(self.name)
            held = os.fstat(self.descriptor)
        except OSError as error:
            raise GuardError(f"cannot check the file again: {error.strerror or error}") from None
        if stat.S_ISLNK(now.st_mode) or (now.st_dev, now.st_ino) != (
            self.status.st_dev,
            self.status.st_ino,
        ):
            raise GuardError(
                "the file changed since it was read (another file or a link took its "
                "name); it was not written"
            )
        if not stat.S_ISREG(now.st_mode) or _changed(self.status, held):
            raise GuardError("the file changed since it was read; it was not written")

    def lstat(self, name: str) -> os.stat_result:
        """Return the status of ``name`` in the directory, not following a link."""
        if self.dir_fd is not None:
            return os.stat(name, dir_fd=self.dir_fd, follow_symlinks=False)
        return os.lstat(self.directory / name)

    def create(self, name: str, flags: int, mode: int) -> int:
        """Create ``name`` in the directory with ``os.open``; return its descriptor."""
        if self.dir_fd is not None:
            return os.open(name, flags, mode, dir_fd=self.dir_fd)
        return os.open(self.directory / name, flags, mode)

    def replace(self, temporary: str) -> None:
        """Rename ``temporary`` (in the directory) over the file's name."""
        if self.dir_fd is not None:
            os.replace(temporary, self.name, src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)
        else:
            os.replace(self.directory / temporary, self.directory / self.name)

    def unlink(self, name: str) -> None:
        """Remove ``name`` from the directory (OSError if it cannot be)."""
        if self.dir_fd is not None:
            os.unlink(name, dir_fd=self.dir_fd)
        else:
            os.unlink(self.directory / name)

    def names(self) -> list[str]:
        """Return the names in the directory (empty if it cannot be listed)."""
        try:
            return os.listdir(self.directory)
        except OSError:
            return []

    def close(self) -> None:
        """Close the descriptors."""
        with contextlib.suppress(OSError):
            os.close(self.descriptor)
        if self.dir_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.dir_fd)


def _changed(before: os.stat_result, after: os.stat_result) -> bool:
    """Tell whether size, inode, mtime or ctime differ between two statuses of a file."""
    return (
        before.st_size != after.st_size
        or (before.st_dev, before.st_ino) != (after.st_dev, after.st_ino)
        or before.st_mtime_ns != after.st_mtime_ns
        or before.st_ctime_ns != after.st_ctime_ns
    )


def _open_relative(base: Path, parts: tuple[str, ...]) -> OpenedFile:
    """Open ``base``/``parts`` one component at a time, never following a link."""
    directory_flags = (
        os.O_RDONLY
        | portability.open_flags_directory()
        | portability.open_flags_cloexec()
        | portability.open_flags_nofollow()
    )
    try:
        dir_fd = os.open(base, os.O_RDONLY | portability.open_flags_directory())
    except OSError as error:
        raise GuardError(f"cannot open the directory: {error.strerror or error}") from None
    try:
        for part in parts[:-1]:
            following = os.open(part, directory_flags, dir_fd=dir_fd)
            os.close(dir_fd)
            dir_fd = following
        descriptor = os.open(
            parts[-1],
            portability.reading_flags() | portability.open_flags_nofollow(),
            dir_fd=dir_fd,
        )
    except OSError as error:
        os.close(dir_fd)
        raise _open_error(error) from None
    return _read_opened(base.joinpath(*parts[:-1]), parts[-1], dir_fd, descriptor)


def _open_by_path(base: Path, parts: tuple[str, ...]) -> OpenedFile:
    """Open ``base``/``parts`` by path, refusing a component that is a link (``lstat``)."""
    current = base
    for part in parts:
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                raise GuardError(
                    "a symbolic link appeared in the path since it was resolved; "
                    "it was not written"
                )
        except OSError as error:
            raise _open_error(error) from None
    try:
        descriptor = os.open(current, portability.reading_flags())
    except OSError as error:
        raise _open_error(error) from None
    return _read_opened(current.parent, current.name, None, descriptor)


def _read_opened(directory: Path, name: str, dir_fd: int | None, descriptor: int) -> OpenedFile:
    opened = OpenedFile(directory, name, dir_fd, descriptor, os.fstat(descriptor), b"")
    if not stat.S_ISREG(opened.status.st_mode):
        opened.close()
        raise GuardError("not a regular file; it was not written")
    try:
        opened.data = opened.reread()
    except OSError as error:
        opened.close()
        raise GuardError(f"cannot read the file again: {error.strerror or error}") from None
    return opened


def _open_error(error: OSError) -> GuardError:
    if isinstance(error, (NotADirectoryError, FileNotFoundError)) or error.errno == errno.ELOOP:
        return GuardError(
            "a symbolic link appeared in the path since it was resolved, or the file is "
            "gone; it was not written"
        )
    return GuardError(f"cannot open the file again: {error.strerror or error}")


def guard_for_run(
    paths: tuple[str, ...], *, findings: bool = False, follow_symlinks: bool = False
) -> PathGuard:
    """Return the guard of a run on ``paths`` (the command line's PATHS).

    With ``findings`` (``--findings REPORT``: the report names the files), the root is the
    project root of the paths (:func:`codemods.config.find_project_root`) instead.
    """
    roots: tuple[str | os.PathLike[str], ...] = tuple(path for path in paths if path != "-")
    if findings:
        from codemods.config import find_project_root  # config imports much; only here

        anchors = [Path(path) for path in roots if Path(path).exists()]
        roots = (find_project_root(anchors).path,)
    return PathGuard.for_paths(roots, follow_symlinks=follow_symlinks)


def install(guard: PathGuard) -> None:
    """Make ``guard`` the one of the command being run (kept in click's context)."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_CONTEXT_KEY] = guard


def current() -> PathGuard:
    """Return the guard of the command being run, or one without roots outside a command."""
    context = click.get_current_context(silent=True)
    guard = None if context is None else context.meta.get(_CONTEXT_KEY)
    return guard if isinstance(guard, PathGuard) else PathGuard()
