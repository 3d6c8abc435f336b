"""Edit the statements of LibCST blocks and keep their comments.

:class:`BlockEdits` collects edits of small statements (a new statement from the old one, or
deletion) and of single nodes (a ``with`` item, an ``except`` handler), then applies them to
a module in one pass, deepest and latest places first. The comments of a deleted statement
move to the next line (or to the block's footer), except tool directives (``# noqa``,
``# type:``...) that were about that line; a block left empty gets ``pass``, with them.
:func:`shifted` keeps a multi-line value's aligned continuation lines aligned when the value
moves left on its first line.

:mod:`codemods.statement_text` writes the same edits as text, without a tree, for the shapes it
is sure of: a change to what is written here must be made there too (``tests/test_unused_text.py``
compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

import libcst as cst

from codemods.locate import Path, edit_many, line_path
from codemods.statement_text import TOOL_DIRECTIVE, Shift

SmallEdit: TypeAlias = "Callable[[cst.BaseSmallStatement], cst.BaseSmallStatement] | None"
"""A new small statement from the old one, or ``None`` to delete it."""
REMOVE: SmallEdit = None
"""The small-statement edit that deletes the statement."""


class BlockEdits:
    """The edits of one file, grouped by the block that holds each statement."""

    def __init__(self) -> None:
        """Start with no edits."""
        self._blocks: dict[Path, dict[tuple[int, int], SmallEdit]] = {}
        self._nodes: dict[Path, Callable[[Any], Any]] = {}

    def edit_node(self, path: Path, edit: Callable[[Any], Any]) -> None:
        """Record that the node at ``path`` becomes ``edit(node)`` (a ``with`` item...)."""
        self._nodes[path] = edit

    def edit_small(self, path: Path, small_edit: SmallEdit) -> None:
        """Record the edit of the small statement at ``path`` (:data:`REMOVE` deletes it).

        ``path`` is a small statement's, as :func:`codemods.locate.statement_paths` gives it:
        inside a statement line or a one-line suite.
        """
        if line_path(path) != path:  # a small statement in a SimpleStatementLine
            block, line, small = path[:-2], path[-2][1], path[-1][1]
        else:  # a small statement in a one-line suite
            block, line, small = path[:-1], -1, path[-1][1]
        assert small is not None and line is not None
        self._blocks.setdefault(block, {})[(line, small)] = small_edit

    def apply(self, module: cst.Module) -> cst.Module:
        """Apply every edit, each node on the routes to them rebuilt once, deepest first."""
        edits: dict[Path, Callable[[Any], Any]] = dict(self._nodes)
        for block, small_edits in self._blocks.items():
            edits[block] = _block_editor(small_edits)
        return edit_many(module, edits)


def shifted(value: cst.BaseExpression, shift: Shift | None) -> cst.BaseExpression:
    """Move the continuation lines of ``value`` that were aligned inside its first line."""
    if shift is None or shift.width <= 0:
        return value
    return value.visit(_ContinuationShifter(shift))  # type: ignore[return-value]


class _ContinuationShifter(cst.CSTTransformer):
    """Dedent continuation lines aligned right of where the value started (visual indents)."""

    def __init__(self, shift: Shift) -> None:
        super().__init__()
        self.shift = shift

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        spaces = updated_node.last_line.value
        column = len(spaces) + (self.shift.indent if updated_node.indent else 0)
        if column <= self.shift.column or spaces.strip(" ") or len(spaces) < self.shift.width:
            return updated_node
        last_line = cst.SimpleWhitespace(spaces[: len(spaces) - self.shift.width])
        return updated_node.with_changes(last_line=last_line)


def _block_editor(small_edits: dict[tuple[int, int], SmallEdit]) -> Callable[[Any], Any]:
    def edit(block: Any) -> Any:
        if isinstance(block, cst.SimpleStatementSuite):
            edits = {small: e for (_, small), e in small_edits.items()}
            body, _ = _edit_smalls(block.body, edits)
            return block.with_changes(body=body or [cst.Pass()])
        return _edit_indented_block(block, small_edits)

    return edit


def _edit_smalls(
    smalls: Sequence[cst.BaseSmallStatement], edits: dict[int, SmallEdit]
) -> tuple[list[cst.BaseSmallStatement], list[cst.EmptyLine]]:
    """Apply the edits to the small statements of one line; return them and removed comments."""
    kept: list[cst.BaseSmallStatement] = []
    comments: list[cst.EmptyLine] = []
    last = len(smalls) - 1
    for position, small in enumerate(smalls):
        if position not in edits:
            kept.append(small)
        elif (small_edit := edits[position]) is None:
            comments.extend(_comment_lines(_inner_comments(small)))
        else:
            kept.append(small_edit(small))
    if kept and last in edits and edits[last] is None:
        kept[-1] = kept[-1].with_changes(semicolon=smalls[last].semicolon)
    return kept, comments


def _edit_indented_block(
    block: cst.IndentedBlock, small_edits: dict[tuple[int, int], SmallEdit]
) -> cst.IndentedBlock:
    """Apply the edits to the lines of a block, moving the comments of deleted lines."""
    by_line: dict[int, dict[int, SmallEdit]] = {}
    for (line, small), small_edit in small_edits.items():
        by_line.setdefault(line, {})[small] = small_edit
    body: list[cst.BaseStatement] = []
    pending: list[cst.EmptyLine] = []
    last_trailing: cst.Comment | None = None
    for position, statement in enumerate(block.body):
        edits = by_line.get(position)
        if edits is None:
            body.append(_prepend_lines(statement, pending))
            pending, last_trailing = [], None
            continue
        assert isinstance(statement, cst.SimpleStatementLine)
        smalls, removed_comments = _edit_smalls(statement.body, edits)
        if smalls:
            leading = [*pending, *statement.leading_lines, *removed_comments]
            body.append(statement.with_changes(body=smalls, leading_lines=leading))
            pending, last_trailing = [], None
            continue
        pending = [*pending, *statement.leading_lines, *removed_comments]
        last_trailing = _kept_comment(statement.trailing_whitespace.comment)
        if last_trailing is not None:
            pending.append(_comment_line(last_trailing))
    if not body:
        return block.with_changes(body=[_pass_line(pending, last_trailing)])
    if any(line.comment is not None for line in pending):
        return block.with_changes(body=body, footer=[*pending, *block.footer])
    return block.with_changes(body=body)


def _pass_line(pending: list[cst.EmptyLine], trailing: cst.Comment | None) -> cst.BaseStatement:
    """Return ``pass`` for an emptied block, with the removed lines' comments."""
    whitespace = cst.TrailingWhitespace()
    if trailing is not None:
        pending = pending[:-1]
        whitespace = cst.TrailingWhitespace(
            whitespace=cst.SimpleWhitespace("  "), comment=trailing
        )
    return cst.SimpleStatementLine(
        body=[cst.Pass()], leading_lines=pending, trailing_whitespace=whitespace
    )


def _prepend_lines(statement: Any, lines: list[cst.EmptyLine]) -> Any:
    """Put a removed statement's lines above the next one, without more blank lines in a row
    than either had (pycodestyle E303 counts them)."""
    if not lines:
        return statement
    if isinstance(statement, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        merged = [*lines, *statement.leading_lines]
        limit = max(_longest_blank_run(lines), _longest_blank_run(statement.leading_lines))
        return statement.with_changes(leading_lines=_at_most_blank(merged, limit))
    return statement


def _longest_blank_run(lines: Sequence[cst.EmptyLine]) -> int:
    longest = run = 0
    for line in lines:
        run = run + 1 if line.comment is None else 0
        longest = max(longest, run)
    return longest


def _at_most_blank(lines: list[cst.EmptyLine], limit: int) -> list[cst.EmptyLine]:
    kept: list[cst.EmptyLine] = []
    run = 0
    for line in lines:
        run = run + 1 if line.comment is None else 0
        if run <= limit:
            kept.append(line)
    return kept


def _kept_comment(comment: cst.Comment | None) -> cst.Comment | None:
    """Return a removed line's own comment unless it is a tool directive about that line."""
    if comment is None or TOOL_DIRECTIVE.match(comment.value):
        return None
    return comment


def _inner_comments(node: cst.CSTNode) -> list[cst.Comment]:
    """Return the comments inside a multi-line statement, in order, minus tool directives."""
    found: list[cst.Comment] = []

    class Collector(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            if _kept_comment(comment) is not None:
                found.append(comment)

    node.visit(Collector())
    return found


def _comment_lines(comments: Iterable[cst.Comment]) -> list[cst.EmptyLine]:
    return [_comment_line(comment) for comment in comments]


def _comment_line(comment: cst.Comment) -> cst.EmptyLine:
    return cst.EmptyLine(indent=True, whitespace=cst.SimpleWhitespace(""), comment=comment)
