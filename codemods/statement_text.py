"""Edit simple statements as text, byte for byte as :mod:`codemods.blockedit` edits a LibCST tree.

A LibCST parse costs ten ``ast`` parses, and its tree of a big file takes gigabytes. For the
common shapes, ``ast`` positions and the lines of the text are enough to write what the tree
edit writes: :class:`StatementText` deletes whole statements (moving their comments, giving
an emptied block ``pass``), cuts the start of a statement (``x = call()`` -> ``call()``) and
realigns its continuation lines as :func:`codemods.blockedit.shifted` does, and removes spans
(`` as e``). Every shape it is not certain about raises :class:`Unsure`: the caller then
edits the tree instead.

What the tree does, and so what the text must do, follows from how LibCST owns lines:

* a statement owns the blank and comment lines above it (its ``leading_lines``), except
  that a block ending above them owns, in its ``footer``, every line up to the last one that
  starts with its indentation;
* the lines of a deleted statement (those above it, the comments inside it, its own
  trailing comment on a line of its own) go above the next statement of its block, with
  no longer run of blank lines than either had; at the end of the block they stay as its
  footer when they hold a comment and go otherwise; an emptied block gets ``pass``;
* new lines take the block's indentation and the file's first line ending.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from collections.abc import Iterator, Sequence

from codemods.astutil import TRY_NODES, leading_whitespace, statement_blocks
from codemods.finding import Edit
from codemods.source import SourceFile

TOOL_DIRECTIVE = re.compile(
    r"#\s*(noqa\b|type:|pylint:|pyright:|mypy:|pragma:|fmt:|nosec\b|isort:|ruff:)", re.I
)
"""Comments that are about their own line: they go with a deleted statement, never move."""

_NEWLINE = re.compile(r"\r\n?|\n")
_GAP_LINE = re.compile(r"[ \t\f]*(#[^\r\n]*)?(?:\r\n|\r|\n)")
"""A line between statements: blank, or a comment alone (LibCST's ``EmptyLine``)."""
_LAST_GAP_LINE = re.compile(r"[ \t\f]*(#[^\r\n]*)?")
"""A blank or comment line at the end of a file without a final line ending."""
_TAIL = re.compile(r"[ \t\f]*(#[^\r\n]*)?(?:\r\n|\r|\n)")
"""What may follow a statement on its last line: spaces, a comment, the line ending."""
_CLOSE_THEN_COLON = re.compile(r"\)*:")
"""What follows an ``except`` clause's type that LibCST writes back as it was."""
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPOUND = (
    *_SCOPES,
    *TRY_NODES,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Match,
)
"""The statements that hold blocks."""


class Unsure(Exception):
    """A shape the text edits do not reproduce with certainty: the tree must edit it."""


@dataclasses.dataclass(frozen=True)
class Shift:
    """A value that moves ``width`` columns left; lines aligned right of ``column`` follow it."""

    indent: int
    """The column of the statement (the block's indentation)."""
    column: int
    """The column where the value started."""
    width: int


Position = tuple[Sequence[ast.stmt], int]
"""The block holding a statement, and the statement's index in it."""


def tree_reproduces(source: SourceFile) -> bool:
    """Tell whether LibCST parses ``source`` and writes it back unchanged, as far as known.

    The tree path writes the whole file from the tree, so text edits give its bytes only
    when the rest of the file comes back as it was. Known exceptions (LibCST 1.x): it
    refuses a parenthesized annotated target (``(x): int``) and a block whose indentation
    does not start with the indentation around it (tabs and spaces mixed, which Python
    accepts when consistent), drops the spaces before the colon of an ``except`` with a
    type and no name (``except E :``), loses lines at the end of the file when some of them
    start with whitespace, and drops the last line ending of a file whose lines end in
    ``\r`` (which the engine puts back, unless the last line is blank); and the line-level
    cases of :func:`_printed_back`.
    """
    if source.text.endswith("\r\r") or _indented_last_lines(source.lines):
        return False
    if not _printed_back(source):
        return False
    stack: list[tuple[Sequence[ast.stmt], str]] = [(source.tree.body, "")]
    while stack:
        block, around = stack.pop()
        indent = _block_indent(source.lines, block)
        if indent is False or (indent is not None and not _indented_in(indent, around)):
            return False
        inner = around if indent is None else indent
        for statement in block:
            if not _reproduced(source, statement):
                return False
            if isinstance(statement, _COMPOUND):
                stack.extend((nested, inner) for nested in statement_blocks(statement))
    return True


def _printed_back(source: SourceFile) -> bool:
    """Tell whether LibCST prints the file's lines back as they are (the line-level checks).

    It drops the last newline of a file ending in a backslash, moves or drops a form feed
    in the indentation of code, may not parse code that starts with a backslash, and prints
    every line of a block with its first statement's indentation (tabs and spaces that reach
    the same column are not the same characters).
    """
    text, lines = source.text, source.lines
    if text.endswith(("\\\n", "\\\r\n", "\\\r")):
        return False
    if "\f" in text and any(_code_indented_with_form_feed(line) for line in lines):
        return False
    if "\\" in text:
        backslashed = {
            number
            for number, line in enumerate(lines, start=1)
            if line.lstrip(" \t\f").startswith("\\")
        }
        if backslashed and not backslashed <= _string_lines(source.tree):
            return False
    return not ("\t" in text and _same_columns_other_characters(lines))


def _string_lines(tree: ast.Module) -> set[int]:
    """Return the lines that continue a string (all the lines of one but its first)."""
    strings: list[ast.expr] = []
    parts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            strings.append(node)
            parts.update(id(value) for value in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            strings.append(node)
    lines: set[int] = set()
    for node in strings:
        if id(node) not in parts and node.end_lineno:
            lines.update(range(node.lineno + 1, node.end_lineno + 1))
    return lines


def _same_columns_other_characters(lines: Sequence[str]) -> bool:
    """Tell whether two lines of code are indented to the same columns by other characters.

    Python compares columns, with tabs at 8 and at 1, and accepts ``"       \\t"`` for
    ``"        "``; LibCST prints every line of a block (an ``else:`` too) with the
    indentation of its first statement.
    """
    indents: dict[tuple[int, int], str] = {}
    for line in lines:
        if not is_empty_line(line):
            indent = leading_whitespace(line)
            if indents.setdefault((len(indent.expandtabs()), len(indent)), indent) != indent:
                return True
    return False


def _code_indented_with_form_feed(line: str) -> bool:
    indent = leading_whitespace(line)
    return "\f" in indent and not is_empty_line(line)


def is_empty_line(line: str) -> bool:
    """Tell whether the line is blank or holds only a comment (LibCST's ``EmptyLine``)."""
    content = line.lstrip(" \t\f")
    return not content.rstrip("\r\n") or content.startswith("#")


def _block_indent(lines: Sequence[str], block: Sequence[ast.stmt]) -> str | bool | None:
    """Return the indentation of a block's statements, or why there is none to check.

    ``None``: a one-line suite (or an ``elif``); ``False``: they differ, or hold a form feed.
    """
    found: str | None = None
    for statement in block:
        line = lines[statement.lineno - 1]
        if len(line) - len(line.lstrip(" \t\f")) != statement.col_offset:
            continue  # not first on its line (ast columns count bytes, the same for spaces)
        if line.startswith("elif", statement.col_offset):
            continue  # an elif: its line is indented as the if
        indent = line[: statement.col_offset]
        if "\f" in indent or (found is not None and indent != found):
            return False
        found = indent
    return found


def _indented_in(indent: str, around: str) -> bool:
    """Tell whether a block's indentation is the indentation around it and more."""
    return indent.startswith(around) and (len(indent) > len(around) or not around)


def _reproduced(source: SourceFile, statement: ast.stmt) -> bool:
    """Tell whether LibCST parses and writes back one statement's own parts (not its blocks)."""
    if isinstance(statement, ast.AnnAssign):
        return source.span(statement)[0] == source.span(statement.target)[0]
    for handler in getattr(statement, "handlers", ()):
        if handler.type is not None and handler.name is None:
            end = source.span(handler.type)[1]
            if _CLOSE_THEN_COLON.match(source.text, end) is None:
                return False
    return True


def _indented_last_lines(lines: Sequence[str]) -> bool:
    """Tell whether a blank or comment line after the file's last statement starts indented."""
    for line in reversed(lines):
        if _GAP_LINE.fullmatch(line) is None and _LAST_GAP_LINE.fullmatch(line) is None:
            return False
        if line[:1] in (" ", "\t", "\f"):
            return True
    return False


def block_positions(body: Sequence[ast.stmt]) -> dict[ast.stmt, Position]:
    """Map each statement of ``body`` and of its nested blocks (not nested scopes) to its place."""
    positions: dict[ast.stmt, Position] = {}
    stack = [body]
    while stack:
        block = stack.pop()
        for index, statement in enumerate(block):
            positions[statement] = (block, index)
            if not isinstance(statement, _SCOPES):
                stack.extend(statement_blocks(statement))
    return positions


@dataclasses.dataclass
class _Run:
    """Consecutive deleted statements of a block and the lines they leave (``pending``)."""

    start: int
    """Text offset where the first one's leading lines start."""
    lines: list[str]
    """The lines that move: leading lines, comments of the deleted statements."""
    last_line: int
    """The last line of the last deleted statement."""
    trailing: str | None
    """The own comment of the last deleted statement, when it moved (the last of ``lines``)."""
    indent: str
    """The block's indentation."""


class StatementText:
    """The text edits of one file's statements, as the LibCST block edits would write them.

    Record every edit (:meth:`delete`, :meth:`cut`, :meth:`remove`), then take them all from
    :meth:`edits`. Each method raises :class:`Unsure` on a shape it does not handle.
    """

    def __init__(self, source: SourceFile) -> None:
        """Start with no edits of ``source``."""
        self.source = source
        self.lines = source.lines
        match = _NEWLINE.search(source.text)
        self.newline = match.group(0) if match is not None else "\n"
        """LibCST's default newline: the first line ending of the file."""
        self._edits: list[Edit] = []
        self._blocks: dict[int, tuple[Sequence[ast.stmt], dict[int, bool]]] = {}
        """id(block) -> the block, and its edited statements (True: deleted)."""

    def delete(self, statement: ast.stmt, position: Position) -> None:
        """Delete a simple statement that is alone on its lines (or ``pass`` in a suite)."""
        block, index = position
        if self._in_suite(statement, block):
            self._edits.append(Edit(*self.source.span(statement), "pass"))
            return
        self._record(block, index, deleted=True)

    def cut(
        self,
        statement: ast.stmt,
        position: Position,
        spans: Sequence[tuple[int, int]],
        shift: Shift | None,
    ) -> None:
        """Remove ``spans`` from the first line of a kept statement (its targets).

        The value's continuation lines then move left as :func:`codemods.blockedit.shifted`
        moves them.
        """
        block, index = position
        if self._in_suite(statement, block):
            if shift is not None:
                raise Unsure("a value moving left in a one-line suite")
        else:
            self._record(block, index, deleted=False)
            self._edits.extend(self._shifted(statement, shift))
        self._edits.extend(Edit(start, end, "") for start, end in spans)

    def remove(self, start: int, end: int) -> None:
        """Remove ``text[start:end]`` (an ``as`` clause)."""
        self._edits.append(Edit(start, end, ""))

    def edits(self) -> list[Edit]:
        """Return every recorded edit, the deletions' line moves included."""
        edits = list(self._edits)
        for block, changes in self._blocks.values():
            edits.extend(self._block_edits(block, changes))
        return edits

    # -- one statement --------------------------------------------------------------------

    def _record(self, block: Sequence[ast.stmt], index: int, *, deleted: bool) -> None:
        """Note that ``block[index]`` is edited, after checking it is alone on its lines."""
        statement = block[index]
        self._check_indent(block, index)
        self._trailing_comment(statement)
        self._blocks.setdefault(id(block), (block, {}))[1][index] = deleted

    def _in_suite(self, statement: ast.stmt, block: Sequence[ast.stmt]) -> bool:
        """Tell whether ``statement`` is the only statement of a one-line suite (``if x: y``).

        A statement that shares its line with another one (``a(); b = 1``) is not handled.
        """
        prefix = self._line_prefix(statement)
        if not prefix.strip():
            return False
        if len(block) != 1 or not prefix.rstrip().endswith(":"):
            raise Unsure("a statement that shares its line")
        self._trailing_comment(statement)
        return True

    def _line_prefix(self, statement: ast.stmt) -> str:
        """Return the text of the statement's first line before the statement."""
        line = statement.lineno
        return self.lines[line - 1][: self._column(line, statement.col_offset)]

    def _column(self, line: int, byte_column: int) -> int:
        """Return the character column of an ``ast`` (UTF-8 byte) column on ``line``."""
        return self.source.offset(line, byte_column) - self.source.offset(line, 0)

    def _check_indent(self, block: Sequence[ast.stmt], index: int) -> None:
        """Refuse a statement whose line does not start with the block's indentation alone."""
        prefix = self._line_prefix(block[index])
        if prefix != self._first_prefix(block[0]) or prefix.strip(" \t"):
            raise Unsure("an indentation that is not the block's")

    def _first_prefix(self, statement: ast.stmt) -> str:
        """Return the whitespace that starts the first line of a statement (decorators too)."""
        line = self.lines[_first_line(statement) - 1]
        return line[: len(line) - len(line.lstrip(" \t\f"))]

    def _trailing_comment(self, statement: ast.stmt) -> str | None:
        """Return the comment after a statement on its last line; refuse anything else there."""
        line = statement.end_lineno or statement.lineno
        text = self.lines[line - 1]
        match = _TAIL.fullmatch(text, self._column(line, statement.end_col_offset or 0))
        if match is None:
            raise Unsure("more than a comment after the statement on its line")
        return match.group(1)

    def _moved_comments(self, statement: ast.stmt) -> tuple[list[str], str | None]:
        """Return the comment lines a deleted statement leaves, and its own moved comment.

        Comments inside it (between brackets) come first, then its trailing comment; tool
        directives stay with the statement (they were about its line).
        """
        comments = [c for c in self._inner_comments(statement) if not TOOL_DIRECTIVE.match(c)]
        trailing = self._trailing_comment(statement)
        if trailing is not None and TOOL_DIRECTIVE.match(trailing):
            trailing = None
        if trailing is not None:
            comments.append(trailing)
        indent = self._line_prefix(statement)
        return [indent + comment + self.newline for comment in comments], trailing

    def _inner_comments(self, statement: ast.stmt) -> list[str]:
        """Return the comments inside a statement, before its last line, in order."""
        first, last = statement.lineno, statement.end_lineno or statement.lineno
        lines = self.lines[first - 1 : last - 1]
        if not any("#" in line for line in lines):
            return []
        return [
            lines[token.start[0] - 1][token.start[1] :].rstrip("\r\n")
            for token in self._tokens(first, last)
            if token.type == tokenize.COMMENT and token.start[0] < last - first + 1
        ]

    def _tokens(self, first: int, last: int) -> list[tokenize.TokenInfo]:
        """Tokenize lines ``first``..``last`` (a whole statement); rows count from 1 there."""
        text = "".join(_NEWLINE.sub("\n", line) for line in self.lines[first - 1 : last])
        try:
            return list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError) as error:
            raise Unsure(f"cannot tokenize the statement: {error}") from None

    # -- continuation lines ---------------------------------------------------------------

    def _shifted(self, statement: ast.stmt, shift: Shift | None) -> Iterator[Edit]:
        """Yield the edits that move the value's aligned continuation lines ``width`` left.

        As :class:`codemods.blockedit._ContinuationShifter`: a line that starts after a
        newline inside brackets, whose leading spaces (after the block's indentation, when
        the line starts with it) end right of the value's first column, loses ``width``
        spaces.
        """
        first, last = statement.lineno, statement.end_lineno or statement.lineno
        if shift is None or shift.width <= 0 or first == last:
            return
        value: ast.expr = statement.value  # type: ignore[attr-defined]
        if any(
            isinstance(node, ast.JoinedStr) and node.lineno != node.end_lineno
            for node in ast.walk(value)
        ):
            raise Unsure("an f-string over several lines in a value that moves")
        indent = self._line_prefix(statement)
        for row in _bracketed_line_starts(self._tokens(first, last)):
            line = first + row - 1
            text = self.lines[line - 1]
            spaces = text[: len(text) - len(text.lstrip(" \t\f"))]
            starts_indented = text.startswith(indent)
            if starts_indented:
                spaces = spaces[len(indent) :]
            column = len(spaces) + (shift.indent if starts_indented else 0)
            if column <= shift.column or spaces.strip(" ") or len(spaces) < shift.width:
                continue
            start = self.source.offset(line, 0) + len(text) - len(text.lstrip(" \t\f"))
            yield Edit(start - shift.width, start, "")

    # -- deletions, block by block --------------------------------------------------------

    def _block_edits(self, block: Sequence[ast.stmt], changes: dict[int, bool]) -> Iterator[Edit]:
        """Yield the edits of a block's deleted statements and of the lines they leave."""
        run: _Run | None = None
        for index, statement in enumerate(block):
            change = changes.get(index)
            if change:
                run = self._extend_run(run, block, index)
            elif run is not None:
                yield self._run_before(run, statement, limit=change is None)
                run = None
        if run is not None:
            yield self._run_at_end(run, emptied=all(changes.get(i) for i in range(len(block))))

    def _extend_run(self, run: _Run | None, block: Sequence[ast.stmt], index: int) -> _Run:
        """Add ``block[index]``, deleted, to the run of deleted statements above it."""
        statement = block[index]
        if run is None:
            start, lines = self._leading_lines(block, index)
            run = _Run(start, lines, 0, None, self._line_prefix(statement))
        else:
            run.lines.extend(self._gap(run.last_line + 1, statement.lineno))
        comments, run.trailing = self._moved_comments(statement)
        run.lines.extend(comments)
        run.last_line = statement.end_lineno or statement.lineno
        return run

    def _run_before(self, run: _Run, statement: ast.stmt, *, limit: bool) -> Edit:
        """Return the edit of a run followed by ``statement``: its lines go above it.

        Above a statement the run does not edit, the merged lines have no longer run of
        blank lines than either part had (``blockedit._prepend_lines``).
        """
        first = _first_line(statement)
        lines = run.lines + self._gap(run.last_line + 1, first)
        if limit:
            longest = max(
                _longest_blank_run(run.lines), _longest_blank_run(lines[len(run.lines) :])
            )
            lines = _at_most_blank(lines, longest)
        return Edit(run.start, self.source.offset(first, 0), "".join(lines))

    def _run_at_end(self, run: _Run, *, emptied: bool) -> Edit:
        """Return the edit of a run that ends its block: ``pass``, footer lines, or nothing."""
        end = self.source.offset(run.last_line + 1, 0)
        if end == len(self.source.text) and not self.source.text.endswith("\n"):
            raise Unsure("the last line of a file without a final newline")
        if emptied:
            lines = run.lines[:-1] if run.trailing is not None else run.lines
            comment = f"  {run.trailing}" if run.trailing is not None else ""
            return Edit(
                run.start, end, "".join(lines) + run.indent + "pass" + comment + self.newline
            )
        if any(not _is_blank(line) for line in run.lines):
            return Edit(run.start, end, "".join(run.lines))
        return Edit(run.start, end, "")

    def _leading_lines(self, block: Sequence[ast.stmt], index: int) -> tuple[int, list[str]]:
        """Return where the lines LibCST puts above ``block[index]`` start, and those lines."""
        statement = block[index]
        if index == 0:
            first = self._first_gap_line(statement.lineno)
            return self.source.offset(first, 0), self.lines[first - 1 : statement.lineno - 1]
        before = block[index - 1]
        self._trailing_comment(_last_statement(before))
        first = (before.end_lineno or before.lineno) + 1
        lines = self._gap(first, statement.lineno)
        footer = self._footer_indent(before)
        if footer is not None:
            owned = [i for i, line in enumerate(lines) if line.startswith(footer)]
            if owned:
                first += owned[-1] + 1
                lines = lines[owned[-1] + 1 :]
        return self.source.offset(first, 0), lines

    def _footer_indent(self, statement: ast.stmt) -> str | None:
        """Return the indentation of the outermost indented block that ends a compound statement.

        That block's footer owns the lines below it up to the last one starting with this
        indentation (deeper blocks' footers start with it too). ``None``: a simple statement,
        or one ending in a one-line suite.
        """
        while True:
            if isinstance(statement, ast.Match):
                raise Unsure("lines below a match statement (its cases have their own footer)")
            blocks = list(statement_blocks(statement))
            if not blocks:
                return None
            first = max(blocks, key=lambda block: _end(block[-1]))[0]
            prefix = self._line_prefix(first)
            if isinstance(first, ast.If) and self.lines[first.lineno - 1][
                len(prefix) :
            ].startswith("elif"):
                statement = first  # an elif: its blocks end the statement
                continue
            return None if prefix.strip() else self._first_prefix(first)

    def _first_gap_line(self, line: int) -> int:
        """Return the first of the blank and comment lines right above a block's first line.

        Above the block's first statement is its header, whose last line may end a string:
        a comment-like line with a quote could be that, and is not guessed about.
        """
        first = line
        while first > 1 and _GAP_LINE.fullmatch(self.lines[first - 2]):
            text = self.lines[first - 2]
            if "#" in text and ('"' in text or "'" in text):
                raise Unsure("a comment-like line with a quote above a block's first statement")
            first -= 1
        if first == 1 or self.lines[first - 2].rstrip("\r\n").endswith("\\"):
            raise Unsure("a line continued by a backslash above a block's first statement")
        return first

    def _gap(self, first: int, end: int) -> list[str]:
        """Return lines ``first`` up to ``end`` (excluded): each blank or a comment alone."""
        lines = self.lines[first - 1 : end - 1]
        if not all(_GAP_LINE.fullmatch(line) for line in lines):
            raise Unsure("a line between statements that is neither blank nor a comment")
        return lines


def _bracketed_line_starts(tokens: list[tokenize.TokenInfo]) -> Iterator[int]:
    """Yield the rows (after the first) whose first token follows a newline inside brackets.

    Those lines' leading whitespace is LibCST's ``ParenthesizedWhitespace``; a row continued
    by a backslash is not handled.
    """
    previous: tokenize.TokenInfo | None = None
    for token in tokens:
        if token.type in (
            tokenize.NL,
            tokenize.COMMENT,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            previous = token if token.type == tokenize.NL else previous
            continue
        if previous is not None and token.start[0] > 1 and token.start[0] != previous.end[0]:
            if previous.type != tokenize.NL or previous.start[0] != token.start[0] - 1:
                raise Unsure("a continuation line after a backslash")
            yield token.start[0]
        previous = token


def _first_line(statement: ast.stmt) -> int:
    """Return the first line of a statement, its decorators included."""
    decorators = getattr(statement, "decorator_list", None) or []
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)])


def _last_statement(statement: ast.stmt) -> ast.stmt:
    """Return the statement that ends ``statement`` (itself, or the last of its last block)."""
    while True:
        blocks = list(statement_blocks(statement))
        if not blocks:
            return statement
        statement = max((block[-1] for block in blocks), key=_end)


def _end(statement: ast.stmt) -> tuple[int, int]:
    return statement.end_lineno or statement.lineno, statement.end_col_offset or 0


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\f\r\n")


def _longest_blank_run(lines: Sequence[str]) -> int:
    longest = run = 0
    for line in lines:
        run = run + 1 if _is_blank(line) else 0
        longest = max(longest, run)
    return longest


def _at_most_blank(lines: list[str], limit: int) -> list[str]:
    kept: list[str] = []
    run = 0
    for line in lines:
        run = run + 1 if _is_blank(line) else 0
        if run <= limit:
            kept.append(line)
    return kept
