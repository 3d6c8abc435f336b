"""Unified diffs that ``git apply`` and ``patch -p1`` accept, made with ``difflib``.

What ``difflib.unified_diff`` alone gets wrong, and this module adds:

* lines are split on ``\\n`` only, as ``git`` and ``patch`` do: a CRLF line keeps its ``\\r``,
  and form feeds or other Unicode line breaks stay inside their line;
* a last line without a newline gets the ``\\ No newline at end of file`` marker;
* file names get ``a/`` and ``b/`` prefixes, with forward slashes, and a name with a space is
  followed by a tab, as ``git diff`` writes it;
* a UTF-8 byte order mark is part of the first line, so hunks touching it still apply.
"""

from __future__ import annotations

import difflib
from pathlib import PurePath

import unidiff
import unidiff.constants
from unidiff.patch import Hunk, Line

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"
CONTEXT_LINES = 3


def split_lines(text: str) -> list[str]:
    """Split ``text`` after each ``\\n``, keeping the endings (the last line may have none)."""
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    if last:
        result.append(last)
    return result


def diff_path(path: str) -> str:
    """Return ``path`` as a diff header names it: forward slashes, no leading ``./``."""
    return PurePath(path).as_posix().removeprefix("./")


def unified_diff(old_text: str, new_text: str, path: str, *, bom: bool = False) -> str:
    """Return the unified diff from ``old_text`` to ``new_text`` for ``path`` ('' if equal)."""
    if old_text == new_text:
        return ""
    prefix = "\ufeff" if bom else ""
    name = diff_path(path)
    suffix = "\t" if " " in name else ""
    # git's a/ and b/ prefixes for relative paths; an absolute path is named as it is
    old_prefix, new_prefix = ("", "") if name.startswith("/") else ("a/", "b/")
    lines = difflib.unified_diff(
        split_lines(prefix + old_text),
        split_lines(prefix + new_text),
        fromfile=f"{old_prefix}{name}{suffix}",
        tofile=f"{new_prefix}{name}{suffix}",
        n=CONTEXT_LINES,
    )
    chunks: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            chunks.append(line)
        else:  # only the last line of a file lacks its newline
            chunks.append(line + "\n" + NO_NEWLINE_MARKER)
    return "".join(chunks)


def parse_patch(diff_text: str) -> unidiff.PatchSet:
    """Parse a unified diff with ``unidiff`` (raises ``unidiff.UnidiffParseError``)."""
    return unidiff.PatchSet(diff_text)


def diff_stats(diff_text: str) -> tuple[int, int, int]:
    """Return ``(hunks, added lines, removed lines)`` of a diff."""
    patch = parse_patch(diff_text)
    hunks = sum(len(patched_file) for patched_file in patch)
    return hunks, patch.added, patch.removed


def hunk_lines(hunk: Hunk) -> list[tuple[Line, str]]:
    """Pair each line of a hunk with its text, honouring ``\\ No newline at end of file``.

    The marker is dropped, and the line before it loses the newline that the marker denies.
    """
    paired: list[tuple[Line, str]] = []
    for line in hunk:
        if line.line_type == unidiff.constants.LINE_TYPE_NO_NEWLINE:
            previous, value = paired[-1]
            paired[-1] = (previous, value[:-1] if value.endswith("\n") else value)
        else:
            paired.append((line, line.value))
    return paired
