"""The text half of ``docstring-stubs``: insert the stubs with edits where LibCST puts them.

Putting a docstring into the file's LibCST tree and printing the tree back costs a LibCST
parse (ten ``ast`` parses). These edits, at positions ``ast`` gives, write the same bytes as
that tree edit (:mod:`codemods.docstring_tree`) does:

* New lines end with the line ending of the file's first line (``\\n`` when it has none). A
  one-line body that becomes a block is indented by the indentation step of the file's first
  indented block (four spaces when it has none) more than its header.
* A block's docstring goes right after the header line, below a signature type comment
  (the blank lines around that comment go). The first statement keeps its comments but not
  the blank lines above them, and gets one blank line after a class docstring (D204) or
  before a nested def or class that its comments (if any) touch.
* A one-line body moves to its own line below the docstring; a comment bound to the header
  stays on the header line (after the semicolon that ends the body, if one does: LibCST gives
  the spaces before the comment to the semicolon).
* A one-line definition that needs blank lines above or below it gets them first among the
  lines above it or above the next statement (after those that end the block before and
  start with its indentation: LibCST's block footer).
* The module docstring goes after the comments above the first statement up to the last
  blank line or module-wide ``# type: ignore`` (all of them if there is neither), one blank
  line above the first statement (two above a def or class); in a file of comments alone,
  at its end. It never goes above a shebang on line 1 or a coding cookie on line 1 or 2,
  where alone they count (:func:`pinned_header`): a blank line 1 and a cookie on line 2
  keep both where they are, the docstring below.

* New lines are indented without form feeds (a form feed resets Python's column, so only
  the whitespace after the last one counts); a line that has one keeps it. LibCST would
  move or drop them (it prints a block's lines with its first statement's indentation),
  so a file that it prints back as it was but for them goes through these edits.

A file that LibCST would not parse, or would not print back as it was, raises
:class:`Unsupported` and its docstrings go through the tree, which writes what it writes.
So do the shapes these rules do not model: a backslash continuation or a decorator's ``@``
away from its expression where the positions would need tokens.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from codemods.astutil import leading_whitespace, statement_blocks
from codemods.bound_comments import MODULE_TYPE_IGNORE, SIGNATURE_TYPE_COMMENT
from codemods.docsections import docstring_literal
from codemods.finding import Edit
from codemods.source import SourceFile
from codemods.statement_text import is_empty_line, tree_reproduces

if TYPE_CHECKING:
    from codemods.fixes.docstring_stubs import Stub

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef

SPACE = " \t\f"
"""What LibCST (like Python's tokenizer) takes for whitespace inside a line."""
LINE_ENDINGS = ("\r\n", "\n", "\r")
"""The endings of physical lines, the two-character one first."""
DEFAULT_INDENT = "    "
"""LibCST's indentation step for a file without an indented block."""


CODING_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+", re.ASCII)
"""A PEP 263 coding cookie as :func:`tokenize.detect_encoding` finds it (Emacs ``-*- coding:
latin-1 -*-``, ``coding=latin-1``, Vim ``fileencoding=latin-1``); Python reads one on line 1
or 2 only."""


def pinned_header(lines: Sequence[str]) -> int:
    """Return how many of the file's first ``lines`` a module docstring must stay below.

    The kernel reads a shebang (``#!``) on line 1 only, Python a coding cookie on line 1 or 2
    only (:data:`CODING_COOKIE`): a docstring above either would leave it a mere comment --
    a file in latin-1 would no longer decode. The docstring goes below the last of them
    (``0``: there is neither).
    """
    pinned = 0
    for index, line in enumerate(lines[:2]):
        if CODING_COOKIE.match(line) or (index == 0 and line.startswith("#!")):
            pinned = index + 1
    return pinned


class Unsupported(Exception):
    """The file has a shape the text edits do not model: its docstrings need the tree."""


def docstring_edits(source: SourceFile, stubs: Sequence[Stub]) -> list[Edit]:
    """Return the edits that add the docstrings of ``stubs``, as the tree edit writes them.

    Raises :class:`Unsupported` when the file has a shape the edits do not model.
    """
    return _Writer(source).edits(stubs)


class _Writer:
    """Plans the edits of one file: knows its lines, its line ending and its indent step."""

    def __init__(self, source: SourceFile) -> None:
        """Check that the file is one the edits model (raises :class:`Unsupported`)."""
        self.source = source
        self.text = source.text
        self.lines = source.lines
        self.newline = (line_ending(self.lines[0]) if self.lines else "") or "\n"
        self._check_file()

    def edits(self, stubs: Sequence[Stub]) -> list[Edit]:
        """Return the edits of every stub, the module's last (the tree edit's order)."""
        placed = [stub for stub in stubs if stub.node is not None]
        placed.sort(key=lambda stub: _position(stub.node), reverse=True)  # innermost first
        spaced_above = {stub.node for stub in placed if stub.blank_lines_before}
        edits: list[Edit] = []
        for stub in placed:
            node = stub.node
            assert node is not None
            edits.append(self._definition(stub, node))
            if stub.blank_lines_before:
                previous, _ = self._neighbours.get(node, (None, None))
                edits.append(self._blank_lines(previous, node, stub.blank_lines_before))
            if stub.blank_lines_after:
                _, following = self._neighbours.get(node, (None, None))
                if following not in spaced_above:
                    edits.append(self._blank_lines(node, following, stub.blank_lines_after))
        edits.extend(self._module(stub) for stub in stubs if stub.node is None)
        return edits

    # --- one definition --------------------------------------------------------------------

    def _definition(self, stub: Stub, node: Definition) -> Edit:
        """Return the edit that gives ``node`` its docstring."""
        first = node.body[0]
        start = self.source.offset(first.lineno, first.col_offset)
        if self.text[self._line_start(first.lineno) : start].strip(SPACE):
            return self._one_line(stub, node)
        return self._block(stub, node)

    def _block(self, stub: Stub, node: Definition) -> Edit:
        """Return the edit of a block body: the lines between the header and the body."""
        first = node.body[0]
        line, indent = self._indented_start(first)
        header = line - 1
        while header >= node.lineno and is_empty_line(self.lines[header - 1]):
            header -= 1
        if header < _header_end_line(node) or _continues(self.lines[header - 1]):
            raise Unsupported("the header's last line is not clear without tokens")
        gap = self.lines[header : line - 1]
        if isinstance(node, ast.ClassDef):
            above, leading = [], gap
        else:
            above, leading = _split_after_signature_comment(gap)
        above = [text for text in above if comment_of(text)]
        comments = next((i for i, text in enumerate(leading) if comment_of(text)), len(leading))
        kept = leading[comments:]
        nested = isinstance(first, Definition) and all(comment_of(text) for text in kept)
        blank = self.newline if isinstance(node, ast.ClassDef) or nested else ""
        indent = after_form_feed(indent)
        continuation = after_form_feed(leading_whitespace(self.lines[first.lineno - 1]))
        literal = docstring_literal(stub.lines, continuation, self.newline)
        docstring = f"{''.join(above)}{indent}{literal}{self.newline}{blank}{''.join(kept)}"
        return self.source.replace_lines(header + 1, line - 1, docstring)

    def _one_line(self, stub: Stub, node: Definition) -> Edit:
        """Return the edit of a one-line body: from the header's colon to the line's end."""
        first, last = node.body[0], node.body[-1]
        body_start = self.source.offset(first.lineno, first.col_offset)
        colon = body_start
        while self.text[colon - 1] in SPACE:
            colon -= 1
        if self.text[colon - 1] != ":":
            raise Unsupported("no colon right before the one-line body")
        end_line = last.end_lineno or last.lineno
        body_end = self.source.offset(end_line, last.end_col_offset or 0)
        ending = line_ending(self.lines[end_line - 1])
        line_end = self._line_start(end_line + 1) - len(ending)
        rest = self.text[body_end:line_end]
        if rest.endswith("\\"):
            raise Unsupported("the one-line body's line continues with a backslash")
        indent = after_form_feed(leading_whitespace(self.lines[node.lineno - 1]))
        indent += self._indent_step
        literal = docstring_literal(stub.lines, indent, self.newline)
        if stub.comment_on_header:
            semicolon, comment = _split_trailing(rest)
            header = comment + (ending or self.newline)
            body = self.text[body_start:body_end] + semicolon + ending
        else:
            header = self.newline
            body = self.text[body_start:line_end] + ending
        blank = self.newline if isinstance(node, ast.ClassDef) else ""  # D204
        new = f"{header}{indent}{literal}{self.newline}{blank}{indent}{body}"
        return Edit(colon, line_end + len(ending), new)

    def _blank_lines(
        self, previous: ast.stmt | None, following: ast.stmt | None, count: int
    ) -> Edit:
        """Return the edit that puts ``count`` blank lines first above ``following``.

        They go after the lines that end ``previous``'s last block (LibCST's block footer:
        up to the last one that starts with the block's indentation).
        """
        if previous is None or following is None:
            raise Unsupported("a one-line definition's neighbour is not in the same block")
        end = previous.end_lineno or previous.lineno
        line, _ = self._indented_start(following)
        start = self._after_block_footer(previous, self.lines[end : line - 1])
        return self.source.insert_before_line(start + 1, self.newline * count)

    def _after_block_footer(self, statement: ast.stmt, gap: list[str]) -> int:
        """Return the last line of ``statement`` with its blocks' footer, which ``gap`` follows.

        The blocks that end with the statement keep the blank and comment lines after it up
        to the last one that starts with the indentation of the outermost of them.
        """
        end = statement.end_lineno or statement.lineno
        if not all(is_empty_line(text) for text in gap):
            raise Unsupported("a line after a statement is not blank or a comment")
        if all(text in LINE_ENDINGS for text in gap):
            return end
        indent = self._last_block_indent(statement)
        last = end
        for number, text in enumerate(gap, start=end + 1):
            if indent and _from_last_form_feed(text).startswith(indent):
                last = number
        return last

    def _last_block_indent(self, statement: ast.stmt) -> str | None:
        """Return the indentation of the block that ends ``statement``, ``None`` if none does.

        A one-line clause (``else: pass``) is not a block; an ``elif`` ends with its own; a
        ``match`` ends with the block of its cases.
        """
        if isinstance(statement, ast.Match):
            return after_form_feed(self._case_start(statement.cases[0])[2])
        blocks = list(statement_blocks(statement))
        if not blocks:
            return None
        block = max(blocks, key=lambda block: _end_position(block[-1]))
        first = block[0]
        if isinstance(statement, ast.If) and block is statement.orelse and self._is_elif(first):
            return self._last_block_indent(first)
        line, offset = self._start(first)
        if self.text[self._line_start(line) : offset].strip(SPACE):
            return None
        return after_form_feed(self._indented_start(first)[1])

    # --- the module ------------------------------------------------------------------------

    def _module(self, stub: Stub) -> Edit:
        """Return the edit that inserts the module docstring."""
        literal = docstring_literal(stub.lines, "", self.newline)
        body = self.source.tree.body
        if not body:
            if not all(is_empty_line(text) for text in self.lines):
                raise Unsupported("a line of a file without statements is not a comment")
            ending = self.newline if self.lines and not line_ending(self.lines[-1]) else ""
            return Edit(len(self.text), len(self.text), f"{ending}{literal}{self.newline}")
        line, indent = self._indented_start(body[0])
        header = self.lines[: line - 1]
        if after_form_feed(indent) or not all(is_empty_line(text) for text in header):
            raise Unsupported("the first statement is indented, or follows more than comments")
        marks = [
            index
            for index, text in enumerate(header)
            if not comment_of(text) or MODULE_TYPE_IGNORE.match(comment_of(text))
        ]
        attached_from = max(marks) + 1 if marks else len(header)
        attached_from = max(attached_from, pinned_header(header))
        blanks = 2 if isinstance(body[0], Definition) else 1
        return self.source.insert_before_line(
            attached_from + 1, literal + self.newline * (1 + blanks)
        )

    # --- positions -------------------------------------------------------------------------

    def _line_start(self, line: int) -> int:
        return self.source.offset(line, 0) if line <= len(self.lines) else len(self.text)

    def _start(self, statement: ast.stmt) -> tuple[int, int]:
        """Return the line and offset of the statement's first token (a decorator's ``@``)."""
        decorators = getattr(statement, "decorator_list", None)
        if not decorators:
            return statement.lineno, self.source.offset(statement.lineno, statement.col_offset)
        decorator = decorators[0]
        start = self._line_start(decorator.lineno)
        before = self.text[start : self.source.offset(decorator.lineno, decorator.col_offset)]
        at = before.rstrip(SPACE)
        if not at.endswith("@") or at[:-1].strip(SPACE):
            raise Unsupported("a decorator's @ is not on the line of its expression")
        return decorator.lineno, start + len(at) - 1

    def _indented_start(self, statement: ast.stmt) -> tuple[int, str]:
        """Return the line where a statement that starts its line starts, and its indentation.

        A line after a backslash continuation is not a line start for Python's tokenizer.
        """
        line, offset = self._start(statement)
        indent = self.text[self._line_start(line) : offset]
        if indent.strip(SPACE):
            raise Unsupported("a statement expected at the start of its line is not")
        if line > 1 and _continues(self.lines[line - 2]):
            raise Unsupported("a statement follows a backslash continuation")
        return line, indent

    def _is_elif(self, statement: ast.stmt) -> bool:
        start = self.source.offset(statement.lineno, statement.col_offset)
        return self.text.startswith("elif", start)

    def _case_start(self, case: ast.match_case) -> tuple[int, int, str]:
        """Return the line, offset and indentation of a ``case`` (``ast`` has no position)."""
        line = case.pattern.lineno
        text = self.lines[line - 1]
        indent = leading_whitespace(text)
        keyword_end = len(indent) + len("case")
        pattern = self.source.offset(line, case.pattern.col_offset) - self._line_start(line)
        if (
            not text.startswith("case", len(indent))
            or text[keyword_end : keyword_end + 1] not in (" ", "\t", "\f", "(")
            or pattern <= keyword_end
            or (line > 1 and _continues(self.lines[line - 2]))
        ):
            raise Unsupported("a case keyword is not where its pattern starts")
        return line, self._line_start(line) + len(indent), indent

    @functools.cached_property
    def _neighbours(self) -> dict[ast.stmt, tuple[ast.stmt | None, ast.stmt | None]]:
        """Map each statement to the statements before and after it in its block."""
        neighbours: dict[ast.stmt, tuple[ast.stmt | None, ast.stmt | None]] = {}
        for block in _blocks(self.source.tree):
            for index, statement in enumerate(block):
                previous = block[index - 1] if index else None
                following = block[index + 1] if index + 1 < len(block) else None
                neighbours[statement] = (previous, following)
        return neighbours

    @functools.cached_property
    def _indent_step(self) -> str:
        """Return LibCST's ``default_indent``: the indentation of the first indented block.

        (The first line indented deeper than the module; its block may be a ``match``'s.)
        """
        tree = self.source.tree
        starts = []
        for block in _blocks(tree):
            if block is not tree.body:
                starts.append(self._start(block[0]))
            starts.extend(
                self._case_start(statement.cases[0])[:2]
                for statement in block
                if isinstance(statement, ast.Match)
            )
        indented = [
            (line, offset)
            for line, offset in starts
            if not self.text[self._line_start(line) : offset].strip(SPACE)
        ]
        if not indented:
            return DEFAULT_INDENT
        line, offset = min(indented)
        if line > 1 and _continues(self.lines[line - 2]):
            raise Unsupported("the first indented block follows a backslash continuation")
        return after_form_feed(self.text[self._line_start(line) : offset])

    # --- shapes the edits do not model -----------------------------------------------------

    def _check_file(self) -> None:
        """Raise :class:`Unsupported` for a file LibCST would not parse or print back as it was.

        :func:`codemods.statement_text.tree_reproduces` knows such files. A file without
        statements that ends in ``\\r`` goes through the tree too: LibCST prints its last newline once it has a docstring, but a
        tree that another codemod printed before (the engine hands it on) lost it then.
        """
        text = self.text
        if not tree_reproduces(self.source) and not _reproduced_but_form_feeds(self.source):
            raise Unsupported("LibCST would not parse the file or print it back as it was")
        if text.endswith("\r") and not self.source.tree.body:
            raise Unsupported("a file without statements ends in \\r")


def after_form_feed(indent: str) -> str:
    """Return the indentation Python counts: what follows its last form feed.

    A form feed resets the tokenizer's column, so the whitespace before it counts for
    nothing; new lines are indented without it, and lines that have one keep it.
    """
    return indent[indent.rfind("\f") + 1 :]


def _from_last_form_feed(line: str) -> str:
    """Return ``line`` with its indentation as Python counts it (:func:`after_form_feed`)."""
    indent = leading_whitespace(line)
    return after_form_feed(indent) + line[len(indent) :] if "\f" in indent else line


def _reproduced_but_form_feeds(source: SourceFile) -> bool:
    """Tell whether LibCST would print the file back as it was but for its form feeds.

    LibCST moves or drops a form feed in the indentation of code (it prints every line of a
    block with the indentation of its first statement). The edits only insert lines and
    replace the blank lines between a header and its body; they indent their own lines
    without form feeds (:func:`after_form_feed`), so every form feed of the file stays on
    its line. The positions they use are those of the file without the form feeds before
    the indentation Python counts, which is the file LibCST is asked about here.
    """
    if "\f" not in source.text:
        return False
    text = "".join(_from_last_form_feed(line) for line in source.lines)
    try:
        return tree_reproduces(SourceFile(source.path, text))
    except SyntaxError:  # not expected: the tokens are the same
        return False


def _blocks(tree: ast.Module) -> Iterator[list[ast.stmt]]:
    """Yield every statement block of the module, the module's body first."""
    pending = [tree.body]
    while pending:
        block = pending.pop()
        yield block
        for statement in block:
            pending.extend(statement_blocks(statement))


def _header_end_line(node: Definition) -> int:
    """Return the last line of the header's last part (a base, a parameter, the annotation).

    The header's colon is on that line or after it: a line above it that looks like a
    comment may be inside a string of the header.
    """
    if isinstance(node, ast.ClassDef):
        parts: list[ast.AST | None] = [*node.bases, *node.keywords]
    else:
        arguments = node.args
        parts = [
            *arguments.posonlyargs,
            *arguments.args,
            arguments.vararg,
            *arguments.kwonlyargs,
            arguments.kwarg,
            *arguments.defaults,
            *arguments.kw_defaults,
            node.returns,
        ]
    parts.extend(getattr(node, "type_params", ()))
    ends = [getattr(part, "end_lineno", None) for part in parts if part is not None]
    return max([node.lineno, *(end for end in ends if end is not None)])


def _position(node: ast.stmt | None) -> tuple[int, int]:
    assert node is not None
    return node.lineno, node.col_offset


def _end_position(node: ast.stmt) -> tuple[int, int]:
    return node.end_lineno or node.lineno, node.end_col_offset or 0


def line_ending(line: str) -> str:
    """Return the line's ending (``\\r\\n``, ``\\n``, ``\\r``), or ``""`` for the last line."""
    return next((ending for ending in LINE_ENDINGS if line.endswith(ending)), "")


def comment_of(line: str) -> str:
    """Return the comment of a comment-only line (from ``#``, without the ending), else ``""``."""
    content = line.lstrip(SPACE)
    return content.rstrip("\r\n") if content.startswith("#") else ""


def _continues(line: str) -> bool:
    """Tell whether a line that is not a comment ends in a backslash (maybe a continuation)."""
    return not comment_of(line) and line.rstrip("\r\n").endswith("\\")


def _split_after_signature_comment(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines above a function's body after its signature type comment, if any."""
    for index, text in enumerate(lines):
        if SIGNATURE_TYPE_COMMENT.match(comment_of(text)):
            return lines[: index + 1], lines[index + 1 :]
    return [], lines


def _split_trailing(rest: str) -> tuple[str, str]:
    """Split what follows a one-line body into its final semicolon and the comment after it.

    Returns ``(semicolon, comment)``: the semicolon with the spaces around it (``"; "``),
    or ``""``; the comment with the spaces before it when no semicolon takes them.
    """
    content = rest.lstrip(SPACE)
    semicolon = ""
    if content.startswith(";"):
        after = content[1:].lstrip(SPACE)
        semicolon = rest[: len(rest) - len(after)]
        content = rest = after
    if not content.startswith("#"):
        raise Unsupported("no comment after the one-line body to keep on the header")
    return semicolon, rest
