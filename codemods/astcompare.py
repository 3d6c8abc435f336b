"""Tell whether a rewrite of leading whitespace kept a file's program: the same ``ast``.

:func:`same_program` compares the file before and after a rewrite that changed only the
leading whitespace of known lines, docstrings by their cleaned value
(:func:`docstring_value`), at a fraction of the cost of comparing whole ``ast`` dumps.
"""

from __future__ import annotations

import ast
import bisect
import inspect

from codemods.astutil import is_string_statement, physical_lines
from codemods.source import SourceFile

_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
"""Fields that hold nested nodes. Unlike :func:`codemods.astutil.statement_blocks`, which
yields statement lists, handlers and cases are nodes of the skeleton here, with their own
line."""


def same_program(source: SourceFile, new_code: str, edited_indexes: list[int]) -> bool:
    """Tell whether ``new_code`` has the same ``ast`` as ``source`` (docstrings cleaned).

    The rewrite changes only the leading whitespace of the lines at ``edited_indexes``
    (0-based, sorted), so lines keep their numbers, and a line's leading whitespace matters
    only to the block structure or, inside a string, to its value. So comparing the block
    structure (each statement's kind, lines and block) and the dumps of the statements with
    an edited line after their first is the same test as comparing the whole dumps, at a
    fraction of their cost. Which lines start a statement is read from each ``ast``.
    """
    try:
        new_tree = ast.parse(new_code)
    except SyntaxError:
        return False
    edited_rows = [index + 1 for index in edited_indexes]
    old_skeleton = _skeleton(source.tree.body, source.lines, edited_rows)
    return old_skeleton == _skeleton(new_tree.body, physical_lines(new_code), edited_rows)


def _skeleton(body: list[ast.stmt], lines: list[str], edited_rows: list[int]) -> list[object]:
    """Return the block structure of ``body`` with the dumps of statements with edited rows.

    Each block is introduced by its field and its owner's line; each statement is its kind
    and lines. A statement with an edited row after the first of its own lines (a compound
    one: decorators and header, up to its body's first line unless the body starts that
    line) is dumped without its blocks, a docstring compared by its cleaned value.
    """
    found: list[object] = []
    pending: list[tuple[str, int | None, list[ast.AST]]] = [("body", 0, list(body))]
    while pending:
        field, owner_line, nodes = pending.pop()
        found.append((field, owner_line))
        for node in nodes:
            first = getattr(node, "lineno", None)
            found.append((type(node).__name__, first, getattr(node, "end_lineno", None)))
            blocks = [name for name in _BLOCK_FIELDS if getattr(node, name, None)]
            if first is None or _edited_inside(node, blocks, lines, edited_rows):
                found.append(_header_dump(node))
            pending.extend((name, first, getattr(node, name)) for name in blocks)
    return found


def _edited_inside(
    node: ast.AST, blocks: list[str], lines: list[str], edited_rows: list[int]
) -> bool:
    """Tell whether an edited row lies after the first of the statement's own lines."""
    decorators = getattr(node, "decorator_list", None) or []
    first = min([node.lineno, *(decorator.lineno for decorator in decorators)])  # type: ignore[attr-defined]
    if blocks:
        inner = getattr(node, blocks[0])[0]
        last = inner.lineno
        if not lines[last - 1][: inner.col_offset].strip(" \t\f"):
            last -= 1  # the body starts its own line: that line is the body's
    else:
        last = node.end_lineno  # type: ignore[attr-defined]
    index = bisect.bisect_right(edited_rows, first)
    return index < len(edited_rows) and edited_rows[index] <= last


def _header_dump(node: ast.AST) -> object:
    """Dump a statement without its blocks; a docstring as its cleaned value."""
    if is_string_statement(node):
        return docstring_value(node.value.value)  # type: ignore[attr-defined]
    return [_dump(value) for name, value in ast.iter_fields(node) if name not in _BLOCK_FIELDS]


def _dump(value: object) -> object:
    """Dump one field's value: a node, a list of nodes, or a plain value."""
    if isinstance(value, ast.AST):
        return ast.dump(value)
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def docstring_value(value: str) -> str:
    """Return ``inspect.cleandoc(value)`` with whitespace-only lines emptied.

    Python 3.11's ``cleandoc`` keeps whitespace-only lines as they are when no line after
    the first has text (``"Summary.\\n    "``), so the closing quotes' column would count;
    moving them is the point, and such lines read the same whatever their length.
    """
    return "\n".join(line if line.strip() else "" for line in inspect.cleandoc(value).split("\n"))
