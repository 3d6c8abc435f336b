"""A fixed file's diff as reviewers' tools see it: hunks with their exact replacement.

A file's diff is split into hunks; each becomes a :class:`FileHunk` whose replacement is tight
(the hunk without its leading and trailing context lines): a region of the old text, given as
1-based line/column positions, and the text that replaces it. Each fixed finding belongs to
the hunk that covers its first line (or the nearest one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import unidiff

from codemods.diffs import hunk_lines, split_lines, unified_diff
from codemods.engine import FileResult
from codemods.finding import Finding


@dataclasses.dataclass(frozen=True)
class Position:
    """A place in a text: 1-based line and 1-based column in code points."""

    line: int
    column: int


@dataclasses.dataclass(frozen=True)
class FileHunk:
    """One hunk: its text, the old lines it spans and its tight replacement."""

    index: int
    """Its position among the file's hunks (0-based)."""
    hunk: str
    first_line: int
    """First line of the old file the replacement covers (for an insertion: the line after)."""
    last_line: int
    """Last line of the old file the replacement covers (``first_line - 1`` for an insertion)."""
    start: Position
    end: Position
    """End of the replaced region, exclusive."""
    deleted: str
    inserted: str


def file_hunks(result: FileResult) -> list[FileHunk]:
    """Return the hunks of a changed file, in file order."""
    return diff_hunks(unified_diff(result.old_text, result.new_text, result.path), result.old_text)


def diff_hunks(diff: str, old_text: str) -> list[FileHunk]:
    """Return the hunks of one file's unified ``diff`` from ``old_text``."""
    if not diff:
        return []
    old_lines = split_lines(old_text)
    (patched_file,) = unidiff.PatchSet(diff)
    return [_file_hunk(index, hunk, old_lines) for index, hunk in enumerate(patched_file)]


def fixed_with_hunks(
    result: FileResult, hunks: list[FileHunk] | None = None
) -> Iterator[tuple[Finding, FileHunk | None, bool]]:
    """Yield each fixed finding with its hunk, and whether it is the first of that hunk."""
    if not result.changed:
        return
    if hunks is None:
        hunks = file_hunks(result)
    seen: set[int] = set()
    for finding in result.changes:
        hunk = _nearest(hunks, finding.line)
        first = hunk is not None and hunk.index not in seen
        if hunk is not None:
            seen.add(hunk.index)
        yield finding, hunk, first


def _nearest(edits: list[FileHunk], line: int) -> FileHunk | None:
    def distance(edit: FileHunk) -> int:
        last = max(edit.first_line, edit.last_line)
        return (
            0
            if edit.first_line <= line <= last
            else min(abs(line - edit.first_line), abs(line - last))
        )

    return min(edits, key=distance, default=None)


def _file_hunk(index: int, hunk: unidiff.Hunk, old_lines: list[str]) -> FileHunk:
    """Build the tight replacement of one hunk against the old file's lines."""
    lines = hunk_lines(hunk)
    changed = [i for i, (line, _) in enumerate(lines) if line.line_type in "+-"]
    span = lines[changed[0] : changed[-1] + 1]
    leading_context = changed[0]
    first_line = (
        hunk.source_start + leading_context if hunk.source_length else hunk.source_start + 1
    )
    deleted = "".join(value for line, value in span if line.line_type in " -")
    inserted = "".join(value for line, value in span if line.line_type in " +")
    deleted_count = sum(1 for line, _ in span if line.line_type in " -")
    last_line = first_line + deleted_count - 1
    start = Position(first_line, 1)
    if last_line < len(old_lines) or not old_lines or old_lines[-1].endswith("\n"):
        end = Position(last_line + 1, 1)
    else:  # the region runs to the end of a last line without a newline
        end = Position(last_line, len(old_lines[-1]) + 1)
    return FileHunk(
        index=index,
        hunk=str(hunk),
        first_line=first_line,
        last_line=last_line,
        start=start,
        end=end,
        deleted=deleted,
        inserted=inserted,
    )
