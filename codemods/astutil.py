"""Small questions about ``ast`` nodes and their source lines that several codemods ask.

The blocks a compound statement holds, whether a statement is a bare string (a docstring
candidate), the dotted name an expression spells, the lines ``ast`` numbers and their
indentation. Each answer is written once here so that the codemods cannot drift apart on it.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator

TRY_NODES: tuple[type[ast.stmt], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
"""``try`` statements (``try``/``except*`` too, on Python 3.11+)."""


def statement_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """Yield the statement blocks a statement holds directly, in source order of the fields.

    ``body``, ``orelse`` (an ``elif`` is a block holding one ``If``), ``finalbody``, then the
    body of each ``except`` handler and of each ``match`` case. The bodies of definitions are
    yielded too: a caller that stays in one scope skips definitions itself.
    """
    for field in ("body", "orelse", "finalbody"):
        block = getattr(statement, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def is_string_statement(node: ast.AST) -> bool:
    """Tell whether ``node`` is a statement that is only a string literal (a docstring's form)."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def is_fstring_statement(node: ast.AST) -> bool:
    """Tell whether ``node`` is a statement that is only an f-string (never a docstring)."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.JoinedStr)


def dotted_name(node: ast.AST | None) -> str | None:
    """Return ``a.b.c`` for a name or a chain of attributes on a name, else ``None``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def is_name(node: ast.AST, name: str) -> bool:
    """Tell whether ``node`` is the plain name ``name``."""
    return isinstance(node, ast.Name) and node.id == name


def physical_lines(text: str) -> list[str]:
    """Split ``text`` into lines the way Python numbers them (``\\n``, ``\\r\\n``, ``\\r``)."""
    return io.StringIO(text, newline="").readlines()


def leading_whitespace(line: str) -> str:
    """Return the indentation of ``line``: its leading spaces, tabs and form feeds."""
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def last_name(node: ast.AST) -> str | None:
    """Return the last name of ``a.b.c`` (``c``) or of a plain name; ``None`` otherwise."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None
