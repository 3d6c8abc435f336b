"""pycodestyle's blank-line and continuation rules as they bear on an inserted docstring.

A one-line definition that becomes a block needs the blank lines pycodestyle and black want
around it (E301/E302); a backslash continuation of a block's first statement is checked by
pycodestyle only once a docstring comes first (E12x).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from codemods.astutil import leading_whitespace
from codemods.source import SourceFile

if TYPE_CHECKING:
    import libcst as cst  # imported by the tree edit below only: a run of text edits needs none

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def blank_lines_needed(
    source: SourceFile,
) -> tuple[dict[ast.stmt, int], dict[ast.stmt, int]]:
    """Return the blank lines one-line definitions will need once they become blocks.

    The first map: a one-line definition followed by another definition -> the blank lines
    to add above that one; the second: a one-line definition below another statement -> the
    blank lines to add above itself. Two at module level, one elsewhere, less the blank lines
    already there (only blank lines may lie between; comments leave it as it is).
    """
    after: dict[ast.stmt, int] = {}
    before: dict[ast.stmt, int] = {}
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    tree = source.tree
    for owner in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(owner, field, None)
            if not isinstance(body, list):
                continue
            wanted = 2 if owner is tree else 1
            for current, following in zip(body, body[1:], strict=False):
                if not isinstance(following, ast.stmt):
                    continue
                decorators = getattr(following, "decorator_list", [])
                starts = min([following.lineno, *(d.lineno for d in decorators)])
                end = current.end_lineno or current.lineno
                gap = source.lines[end : starts - 1]
                if any(line.strip() for line in gap) or len(gap) >= wanted:
                    continue
                missing = wanted - len(gap)
                if isinstance(current, definitions) and isinstance(following, definitions):
                    if current.body[0].lineno == current.lineno:
                        after[current] = missing
                if isinstance(following, definitions) and (
                    following.body[0].lineno == following.lineno
                ):
                    before[following] = missing
    return after, before


def next_path(path: tuple) -> tuple:
    """Return the path of the statement after the one at ``path`` in the same block."""
    (attribute, index), parent = path[-1], path[:-1]
    assert index is not None
    return (*parent, (attribute, index + 1))


def with_blank_lines_before_next(module: cst.Module, path: tuple, count: int) -> cst.Module:
    """Give the statement after the one at ``path`` ``count`` blank lines before it."""
    import libcst as cst

    from codemods.locate import node_at, replace_at

    following_path = next_path(path)
    following = node_at(module, following_path)
    blanks = [cst.EmptyLine(indent=False) for _ in range(count)]
    updated = following.with_changes(leading_lines=[*blanks, *following.leading_lines])
    return replace_at(module, following_path, updated)


def first_statement_continues_with_backslash(source: SourceFile, node: Definition) -> bool:
    """Tell whether the body's first statement has a backslash continuation pycodestyle flags.

    pycodestyle does not check the continuation lines of a block's first statement; once a
    docstring comes first it does, and a line after a backslash that is not indented by
    exactly 4 from the statement is an E12x the docstring would bring out.
    """
    first = node.body[0]
    if isinstance(first, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return False  # a nested definition's header (its body is checked on its own)
    lines = source.lines
    start = len(leading_whitespace(lines[first.lineno - 1]).expandtabs())
    for number in range(first.lineno, first.end_lineno or first.lineno):
        if lines[number - 1].rstrip("\r\n").endswith("\\"):
            following = lines[number]
            if len(leading_whitespace(following).expandtabs()) - start != 4:
                return True
    return False
