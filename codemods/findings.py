"""Changes as reviewers' tools see them: each change with its hunk and its exact replacement.

A file's diff is split into hunks; each hunk becomes an :class:`Edit` whose replacement is
tight (the hunk without its leading and trailing context lines): a region of the old text,
given as 1-based line/column positions, and the text that replaces it. Each change a codemod
reported is attached to the edit that covers its line (or the nearest one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import unidiff

from codemods.diffs import hunk_lines, split_lines, unified_diff
from codemods.engine import FileResult
from codemods.fixes.base import FixSafety
from codemods.fixes.registry import all_codemods


@dataclasses.dataclass(frozen=True)
class Position:
    """A place in a text: 1-based line and 1-based column in code points."""

    line: int
    column: int


@dataclasses.dataclass(frozen=True)
class Edit:
    """One hunk: its text, the old lines it spans and its tight replacement."""

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


@dataclasses.dataclass(frozen=True)
class Finding:
    """One change of one codemod, with the edit that carries it."""

    path: str
    codemod_id: str
    message: str
    line: int
    safety: FixSafety | None
    edit: Edit | None


def file_edits(result: FileResult) -> list[Edit]:
    """Return the edits of a changed file, in file order."""
    diff = unified_diff(result.old_text, result.new_text, result.path)
    if not diff:
        return []
    old_lines = split_lines(result.old_text)
    (patched_file,) = unidiff.PatchSet(diff)
    return [_edit(hunk, old_lines) for hunk in patched_file]


def findings(result: FileResult) -> Iterator[Finding]:
    """Yield a :class:`Finding` for each change in ``result``, attached to its edit."""
    if not result.changed:
        return
    edits = file_edits(result)
    registry = all_codemods()
    for change in result.changes:
        codemod = registry.get(change.codemod_id)
        yield Finding(
            path=result.path,
            codemod_id=change.codemod_id,
            message=change.message,
            line=change.line,
            safety=codemod.safety if codemod is not None else None,
            edit=_nearest(edits, change.line),
        )


def _nearest(edits: list[Edit], line: int) -> Edit | None:
    def distance(edit: Edit) -> int:
        last = max(edit.first_line, edit.last_line)
        return (
            0
            if edit.first_line <= line <= last
            else min(abs(line - edit.first_line), abs(line - last))
        )

    return min(edits, key=distance, default=None)


def _edit(hunk: unidiff.Hunk, old_lines: list[str]) -> Edit:
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
    if last_line < len(old_lines) or old_lines[-1].endswith("\n"):
        end = Position(last_line + 1, 1)
    else:  # the region runs to the end of a last line without a newline
        end = Position(last_line, len(old_lines[-1]) + 1)
    return Edit(
        hunk=str(hunk),
        first_line=first_line,
        last_line=last_line,
        start=start,
        end=end,
        deleted=deleted,
        inserted=inserted,
    )
