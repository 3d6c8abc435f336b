"""Apply a reviewed (possibly edited) patch: checked hunk by hunk, written all or nothing.

``codemods diff ... > fixes.patch``, edit the patch (drop hunks, change lines), then
``codemods apply --patch fixes.patch``. The patch is refused, and nothing is written, when

* a file path leads outside the current directory (absolute, ``..``, or through a symbolic
  link), or the patch creates, deletes or renames a file;
* a hunk's context and removed lines are not exactly the file's lines as they are now
  (the error names the file and the hunk);
* a patched file would not parse, or a file changed while the patch was being applied.

Edited hunks need no hand-kept line counts: the ``@@`` counts are recomputed from the lines
(as ``git apply --recount`` does). Files are read and written as bytes, so encodings, BOMs
and CRLF newlines pass through untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import unidiff

from codemods.diffs import hunk_lines, split_lines, unquoted_header_name
from codemods.interrupts import STOP_SIGNALS, Interrupted
from codemods.pathguard import GuardError, PathGuard
from codemods.source import DecodeError, decode_source, file_digest
from codemods.writes import WriteError, replace_atomically

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$")


class PatchError(Exception):
    """The patch cannot be applied as a whole; nothing was written."""


@dataclasses.dataclass(frozen=True)
class PatchedFile:
    """One file's bytes before and after the patch."""

    path: Path
    old: bytes
    new: bytes


def apply_patch(patch: bytes, root: Path, guard: PathGuard | None = None) -> list[PatchedFile]:
    """Apply ``patch`` to the files under ``root``: every file or none. Return what changed.

    ``guard`` bounds the writes (default: :func:`inside_directory`, ``apply --patch``'s rule);
    ``review`` passes the run's guard, so it writes what ``apply`` on the same PATHS would.

    SIGINT or SIGTERM (:data:`codemods.interrupts.STOP_SIGNALS`) stops it with
    :class:`~codemods.interrupts.Interrupted`: before the first write at once, during the
    writes after the file being written, once the files written are put back.
    """
    with _stop_signals_held() as held:
        guard = guard or inside_directory(root)
        planned = plan_patch(patch, root, guard)
        for patched in planned:
            if _read(patched.path) != patched.old:
                raise PatchError(
                    f"{patched.path}: the file changed while the patch was applied; "
                    "nothing was written"
                )
        held.writing = True
        _write_all(planned, guard, held)
    return planned


def inside_directory(root: Path) -> PathGuard:
    """Return the guard of ``apply --patch``: every file inside ``root``, links included."""
    return PathGuard(
        roots=(Path(os.path.realpath(root)),),
        outside="the path leads outside the current directory (symbolic link)",
    )


def _write_all(planned: list[PatchedFile], guard: PathGuard, held: _HeldSignals) -> None:
    """Write every planned file through ``guard``, or put all back."""
    written: list[PatchedFile] = []
    try:
        for patched in planned:
            if held.received:
                raise Interrupted(held.received[0])
            replace_atomically(
                patched.path, patched.new, expected_digest=file_digest(patched.old), guard=guard
            )
            written.append(patched)
        if held.received:
            raise Interrupted(held.received[0])
    except (OSError, WriteError, Interrupted) as error:
        not_restored = []
        for done in written:  # put back what was written, so it stays all or nothing
            try:
                replace_atomically(
                    done.path,
                    done.old,
                    expected_digest=file_digest(done.new),
                    guard=guard,
                    racy=False,  # we wrote it a moment ago
                )
            except WriteError:
                not_restored.append(str(done.path))
        if not_restored:
            raise PatchError(
                f"cannot write: {error}; these files were patched and could not be put back: "
                + ", ".join(not_restored)
            ) from None
        if isinstance(error, Interrupted):
            raise
        raise PatchError(f"cannot write: {error}; no file was changed") from None


@dataclasses.dataclass
class _HeldSignals:
    """The stop signals received while a patch is written (they wait for the rollback)."""

    writing: bool = False
    received: list[int] = dataclasses.field(default_factory=list)


@contextlib.contextmanager
def _stop_signals_held() -> Iterator[_HeldSignals]:
    """Handle the stop signals: raise at once before the writes, remember them during.

    Outside the main thread (where handlers cannot be set) the signals are left as they are.
    """
    held = _HeldSignals()

    def stop(signum: int, _frame: object) -> None:
        if not held.writing:
            raise Interrupted(signum)
        held.received.append(signum)

    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield held
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def plan_patch(patch: bytes, root: Path, guard: PathGuard | None = None) -> list[PatchedFile]:
    """Check every file and hunk of ``patch`` against ``root`` and compute the new bytes.

    A file ``guard`` (default: :func:`inside_directory`) would not write is refused.
    """
    guard = guard or inside_directory(root)
    text = recount(patch.decode("latin-1"))  # latin-1 maps bytes to characters one to one
    try:
        patch_set = unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as error:
        raise PatchError(f"cannot parse the patch: {error}") from None
    if not patch_set:
        raise PatchError("the patch contains no file changes")
    planned = []
    for patched_file in patch_set:
        path = _checked_path(patched_file, root, guard)
        name = path.relative_to(root).as_posix()
        old = _read(path)
        new = _patched(patched_file, old, name)
        _check_parses(new, name)
        planned.append(PatchedFile(path, old, new))
    return planned


def recount(text: str) -> str:
    """Rewrite each ``@@`` header's line counts from the hunk's lines (they may be edited)."""
    lines = text.split("\n")
    result: list[str] = []
    header_index: int | None = None
    old_count = new_count = 0

    def close() -> None:
        if header_index is not None:
            match = _HUNK_HEADER.match(result[header_index])
            assert match is not None
            old_start, new_start, rest = match.groups()
            result[header_index] = f"@@ -{old_start},{old_count} +{new_start},{new_count} @@{rest}"

    for index, line in enumerate(lines):
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        starts_file = line.startswith("--- ") and next_line.startswith("+++ ")
        if _HUNK_HEADER.match(line) or starts_file or line.startswith("diff "):
            close()
            header_index = len(result) if _HUNK_HEADER.match(line) else None
            old_count = new_count = 0
        elif header_index is not None:
            kind = line[:1]
            old_count += kind in (" ", "-", "") and index + 1 < len(lines)
            new_count += kind in (" ", "+", "") and index + 1 < len(lines)
            if kind == "":  # an editor stripped a context line's leading space
                line = " "
        result.append(line)
    close()
    return "\n".join(result)


def _checked_path(patched_file: unidiff.PatchedFile, root: Path, guard: PathGuard) -> Path:
    # By the names, as git does: unidiff also calls a hunk ``-0,0`` (text added to an empty
    # file, such as a docstring for an empty ``__init__.py``) the creation of a file.
    created = patched_file.source_file.rstrip("\t") == unidiff.constants.DEV_NULL
    deleted = patched_file.target_file.rstrip("\t") == unidiff.constants.DEV_NULL
    if created or deleted or patched_file.is_rename:
        raise PatchError(
            f"{patched_file.path}: creating, deleting or renaming files is not supported"
        )
    source = _strip_prefix(patched_file.source_file, "a/")
    target = _strip_prefix(patched_file.target_file, "b/")
    if source != target:
        raise PatchError(f"{target}: the patch renames {source}; renames are not supported")
    # The patch was read as latin-1 (one character a byte): its names are the bytes the file
    # system holds, which need not be UTF-8 (``caf\xe9.py``); turn them back into them.
    relative = PurePosixPath(os.fsdecode(target.encode("latin-1")))
    target = str(relative)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise PatchError(f"{target}: the path leads outside the current directory")
    path = root / relative
    try:
        guard.locate(path)
    except GuardError as error:
        raise PatchError(f"{target}: {error}") from None
    if not path.is_file():
        raise PatchError(f"{target}: no such file")
    return path


def _strip_prefix(name: str, prefix: str) -> str:
    name = unquoted_header_name(name.rstrip("\t"))
    return name[len(prefix) :] if name.startswith(prefix) else name


def _patched(patched_file: unidiff.PatchedFile, old: bytes, name: str) -> bytes:
    """Apply the hunks of one file to its bytes, refusing any hunk that does not match."""
    old_lines = split_lines(old.decode("latin-1"))
    result: list[str] = []
    cursor = 0
    for number, hunk in enumerate(patched_file, start=1):
        lines = hunk_lines(hunk)
        expected = [value for line, value in lines if line.line_type in (" ", "-")]
        start = hunk.source_start - 1 if expected else hunk.source_start
        header = f"@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@"
        if start < cursor or old_lines[start : start + len(expected)] != expected:
            raise PatchError(
                f"{name}: hunk {number} ({header}) does not match the file as it is now"
            )
        result.extend(old_lines[cursor:start])
        result.extend(value for line, value in lines if line.line_type in (" ", "+"))
        cursor = start + len(expected)
    result.extend(old_lines[cursor:])
    return "".join(result).encode("latin-1")


def _check_parses(data: bytes, name: str) -> None:
    try:
        compile(decode_source(data).text, name, "exec", dont_inherit=True)
    except DecodeError as error:
        raise PatchError(
            f"{name}:{error.line}: the patched file cannot be decoded: {error}"
        ) from None
    except SyntaxError as error:
        raise PatchError(
            f"{name}:{error.lineno}: the patched file does not parse: {error.msg}"
        ) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise PatchError(f"{path}: cannot read: {error.strerror or error}") from None
