"""The LibCST half of ``docstring-stubs``: insert the stubs into the file's tree.

Only for the rare files whose shape the text edits of :mod:`codemods.docstring_text` do not
model (they write the same bytes, without the LibCST parse); imported only then, since
LibCST takes a tenth of a second to import. The planning is
:mod:`codemods.fixes.docstring_stubs`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from codemods.astutil import leading_whitespace
from codemods.blanklines import next_path, with_blank_lines_before_next
from codemods.bound_comments import MODULE_TYPE_IGNORE, SIGNATURE_TYPE_COMMENT
from codemods.docsections import docstring_literal
from codemods.docstring_text import pinned_header
from codemods.locate import node_at, path_sort_key, replace_at, statement_paths
from codemods.source import SourceFile

if TYPE_CHECKING:
    from codemods.fixes.docstring_stubs import Definition, Stub


def insert_docstrings(module: cst.Module, source: SourceFile, stubs: Sequence[Stub]) -> cst.Module:
    """Return ``module`` (the tree of ``source``) with the docstring of each stub inserted.

    The innermost and last definitions first, so that the paths still to come stay valid.
    """
    paths = statement_paths(module, source.tree)
    placed = [(paths[stub.node], stub) for stub in stubs if stub.node is not None]
    spaced_above = {path for path, stub in placed if stub.blank_lines_before}
    for path, stub in sorted(placed, key=lambda item: path_sort_key(item[0]), reverse=True):
        definition = node_at(module, path)
        indent = _body_indent(source, stub.node, definition, module.default_indent)
        literal = docstring_literal(stub.lines, indent, module.default_newline)
        documented = _with_docstring(definition, literal, stub)
        if stub.blank_lines_before:
            blanks = [cst.EmptyLine(indent=False)] * stub.blank_lines_before
            documented = documented.with_changes(
                leading_lines=[*blanks, *documented.leading_lines]
            )
        module = replace_at(module, path, documented)
        if stub.blank_lines_after and next_path(path) not in spaced_above:
            module = with_blank_lines_before_next(module, path, stub.blank_lines_after)
    for stub in stubs:
        if stub.node is None:
            literal = docstring_literal(stub.lines, "", module.default_newline)
            module = _module_with_docstring(module, literal)
    return module


def _docstring_line(literal: str) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(body=[cst.Expr(cst.SimpleString(literal))])


def _with_docstring(definition: cst.CSTNode, literal: str, stub: Stub) -> cst.CSTNode:
    """Return the class or function with ``literal`` as the first statement of its body.

    A function's signature type comment (``# type: (str) -> bytes`` on the line after the
    header) must stay right after the header, so the docstring goes below it; a one-line
    body's comment bound to the header line stays there.
    """
    assert isinstance(definition, cst.FunctionDef | cst.ClassDef)
    is_class = isinstance(definition, cst.ClassDef)
    body = definition.body
    if isinstance(body, cst.SimpleStatementSuite):
        header = cst.TrailingWhitespace()
        trailing = body.trailing_whitespace
        if stub.comment_on_header:
            header, trailing = trailing, cst.TrailingWhitespace(newline=trailing.newline)
        first: cst.BaseStatement = cst.SimpleStatementLine(
            body=body.body, trailing_whitespace=trailing
        )
        rest: list[cst.BaseStatement] = []
    else:
        first, *rest = body.body
        header = body.header
    leading = list(first.leading_lines)
    above: list[cst.EmptyLine] = []
    if not is_class:
        signature = [
            index
            for index, line in enumerate(leading)
            if line.comment is not None and SIGNATURE_TYPE_COMMENT.match(line.comment.value)
        ]
        if signature:
            split = signature[0] + 1
            above = [line for line in leading[:split] if line.comment is not None]
            leading = leading[split:]
    nested = isinstance(first, cst.FunctionDef | cst.ClassDef)
    first = first.with_changes(leading_lines=_lines_after_docstring(leading, is_class, nested))
    docstring = _docstring_line(literal).with_changes(leading_lines=above)
    block = cst.IndentedBlock(
        body=[docstring, first, *rest],
        header=header,
        indent=body.indent if isinstance(body, cst.IndentedBlock) else None,
        footer=body.footer if isinstance(body, cst.IndentedBlock) else (),
    )
    return definition.with_changes(body=block)


def _lines_after_docstring(
    leading: Sequence[cst.EmptyLine], is_class: bool, nested_definition: bool
) -> list[cst.EmptyLine]:
    """Return the first statement's leading lines below a docstring: its comments, without
    the blank lines it had above them, after one blank line where one belongs.

    A class docstring is followed by a blank line (D204), a function's by none (D202),
    except before a nested def or class with no blank line between it and its comments:
    black and ruff format set that off by one blank line, which D202 allows. (Comments
    that a blank line separates from the def stay right below the docstring: D202 would
    report a blank line before them.)
    """
    comments_from = next(
        (index for index, line in enumerate(leading) if line.comment is not None), len(leading)
    )
    kept = list(leading[comments_from:])
    attached = all(line.comment is not None for line in kept)
    blank = is_class or (nested_definition and attached)
    return [cst.EmptyLine(indent=False), *kept] if blank else kept


def _module_with_docstring(module: cst.Module, literal: str) -> cst.Module:
    """Put the docstring after the shebang, cookie and leading comments, before any code.

    LibCST keeps every comment above the first statement in ``Module.header``; the block up
    to its last blank line stays there (licence), the comments after it belong to the first
    statement and move below the docstring. A module-wide ``# type: ignore`` stays above the
    docstring: mypy and pyright honour it only before the first statement. So do a shebang on
    line 1 and a coding cookie on line 1 or 2, the only lines where they count
    (:func:`codemods.docstring_text.pinned_header`), even below a blank line 1.
    """
    header = list(module.header)
    blank_positions = [i for i, line in enumerate(header) if line.comment is None]
    # mypy and pyright ignore the whole file for a ``# type: ignore`` before any statement
    type_ignores = [
        i
        for i, line in enumerate(header)
        if line.comment is not None and MODULE_TYPE_IGNORE.match(line.comment.value)
    ]
    if module.body and (blank_positions or type_ignores):
        split = max([*blank_positions, *type_ignores]) + 1
    else:
        split = len(header)
    # Python reads a cookie on line 1 or 2 only, the kernel a shebang on line 1 only
    split = max(split, pinned_header([_header_line_text(line) for line in header[:2]]))
    kept, attached = header[:split], header[split:]
    docstring = _docstring_line(literal)
    body = list(module.body)
    if body:
        first = body[0]
        # a def or class (with its decorators and comments) two blank lines below (E302)
        blanks = 2 if isinstance(first, cst.FunctionDef | cst.ClassDef) else 1
        leading = [*attached, *first.leading_lines]
        leading = leading[
            next((i for i, line in enumerate(leading) if line.comment), len(leading)) :
        ]
        body[0] = first.with_changes(
            leading_lines=[*(cst.EmptyLine(indent=False) for _ in range(blanks)), *leading]
        )
    trailing_newline = module.has_trailing_newline or not module.body
    return module.with_changes(
        header=kept, body=[docstring, *body], has_trailing_newline=trailing_newline
    )


def _header_line_text(line: cst.EmptyLine) -> str:
    """Return a line of the module's header as it reads (its indentation is empty)."""
    return line.whitespace.value + (line.comment.value if line.comment is not None else "")


def _body_indent(
    source: SourceFile, node: Definition | None, definition: cst.CSTNode, unit: str
) -> str:
    """Return the whitespace that starts the lines of the definition's body.

    A one-line body (``def f(): return 1``) becomes a block indented by the module's
    indentation ``unit`` on top of the header's.
    """
    assert node is not None
    if isinstance(definition.body, cst.SimpleStatementSuite):
        return leading_whitespace(source.lines[node.lineno - 1]) + unit
    return leading_whitespace(source.lines[node.body[0].lineno - 1])
