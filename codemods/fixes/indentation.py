"""The ``indentation`` codemod: re-indent blocks to ``indent-width`` spaces, losslessly.

A text codemod: its fix is line edits and never needs a LibCST tree. ``find`` is cheap
for the common case -- an ``ast`` pass proves most files already consistent -- and for the
others one ``tokenize`` pass computes every line's new indentation: statement lines get
``depth x unit``, comment lines their block's (or, aligned under the comment ending the line
above, their column relative to it), continuation lines keep their offset from their
statement, docstring lines move by their statement's shift, lines inside any other string
keep their bytes; the result's ``ast`` is checked before any finding is made.
``fix`` writes those lines.
``repair`` is the engine hook that makes ``TabError`` files parseable first. The class
docstring is the user documentation.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from collections.abc import Iterator, Sequence
from typing import Any

from codemods.astcompare import docstring_value
from codemods.astutil import (
    is_string_statement,
    leading_whitespace,
    physical_lines,
    statement_blocks,
)
from codemods.evidence import consistent_indentation_evidence
from codemods.finding import Edit, Finding, FixSafety
from codemods.fixes.base import Codemod, Options
from codemods.reports import Claim
from codemods.source import SourceFile

INDENTATION_CODES = ("E101", "E111", "E114", "E115", "E116", "E117", "W191")
"""pycodestyle's codes for the indentation this codemod fixes."""
TAB_SIZE = 8
"""Columns a tab advances to (the next multiple of), as Python's tokenizer counts."""

_INDENT_WITH_TAB_OR_FORM_FEED = re.compile(r"(?:^|(?<=\r)) *[\t\f]", re.MULTILINE)
"""A line (ended by ``\\n``, ``\\r\\n`` or a lone ``\\r``) indented with a tab or form feed."""
_DOCSTRING_LINE_INDENT = re.compile(r"[ \t]*")
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_NOT_DOCSTRING_PREFIX = frozenset("bBfFtT")
_STRING_STARTS = frozenset(
    getattr(tokenize, name)
    for name in ("FSTRING_START", "TSTRING_START")
    if hasattr(tokenize, name)
)
"""Python 3.12+ tokenizes f-strings (3.14+ t-strings) in parts; these tokens open one."""
_STRING_ENDS = frozenset(
    getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)
)
_NO_ROW = frozenset(
    {tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
)
"""Tokens that never start a row's content."""


@dataclasses.dataclass(frozen=True)
class IndentationOptions(Options):
    """Options of ``[tool.codemods.indentation]``."""

    indent_width: int = 4
    """Spaces per indentation level."""

    def __post_init__(self) -> None:
        """Refuse widths that are no indentation at all or absurdly wide."""
        if not 1 <= self.indent_width <= 16:
            raise ValueError(f"indent-width must be between 1 and 16, got {self.indent_width}")


@dataclasses.dataclass(frozen=True)
class MisplacedRun:
    """Consecutive misplaced lines of one top-level statement, same old and new indentation."""

    line: int
    end_line: int
    message: str
    action: str
    group: int
    """The index of the top-level statement holding the lines (``-1``: between statements)."""


@dataclasses.dataclass(frozen=True)
class Reindent:
    """What the fix writes: the new text of each line that moves, by top-level statement."""

    new_lines: dict[int, str]
    """0-based line index -> the whole new line (ending included)."""
    groups: dict[int, int]
    """0-based line index -> its group: the top-level statement holding it (``-1``: none)."""


class Indentation(Codemod[IndentationOptions]):
    """Re-indent blocks to a consistent unit of spaces (``indent-width``, default 4).

    What it does
    ------------
    Every block's indentation becomes ``depth x indent-width`` spaces, whatever it was: tabs
    (read as Python does, to the next multiple of 8 columns), 2 or 3 spaces, or a different
    unit per block. Continuation lines inside brackets or after a backslash move with their
    statement and keep their offset from its first line, so hanging and visual indents
    survive (one left of its statement at an enclosing block's column follows that block).
    A comment line at the column of an open block keeps that block's depth; at any other
    column it takes the indentation of the block holding it (the next statement's).
    A comment line aligned under the comment that ends the line of code above it (or under
    such a line) continues that comment and keeps its column relative to it: it stays
    where it is when that line stays, and moves with it when it moves (in spaces).
    ``black`` and ``ruff format`` move such a line to its block's indentation (pycodestyle
    reports it as E114/E116): that is a layout choice the formatter makes, the same way
    whether this codemod ran first or not; this codemod only fixes the indentation of
    blocks and keeps the alignment its author chose.
    A docstring moves with its statement, its ``inspect.cleandoc`` value unchanged; every
    other string (data, SQL, f-strings, bytes) keeps its bytes, the lines inside an
    f-string's replacement fields too: a self-documenting field (``{value=}``) prints its
    own source text, whitespace and newlines included. A file Python 3 rejects with
    ``TabError`` is repaired when reading its tabs at 8 columns gives code that parses.
    A file already consistent with the unit, blank lines, trailing whitespace, form feeds
    and line endings are left as they are.

    Why is this bad?
    ----------------
    Mixed indentation reads differently in every editor, hides the block structure from
    reviewers and becomes a ``TabError`` in Python 3. PEP 8 asks for 4 spaces per level
    (pycodestyle E101, E111, E114-E117, W191).

    Example
    -------
    Before (tabs)::

        class Greeter:
        \tdef greet(self, name):
        \t\t\"\"\"Say hello.

        \t\tReturns nothing.
        \t\t\"\"\"
        \t\tprint("hello",
        \t\t      name)

    After::

        class Greeter:
            def greet(self, name):
                \"\"\"Say hello.

                Returns nothing.
                \"\"\"
                print("hello",
                      name)

    Fix safety
    ----------
    Safe: only whitespace Python ignores changes, plus the indentation inside docstrings,
    whose ``inspect.cleandoc`` value stays the same (the raw ``__doc__`` changes, as with
    black). Each rewrite is checked: the new ``ast`` must equal the old one (docstrings after
    ``inspect.cleandoc``), otherwise the file is left alone and a skip says why.
    """

    id = "indentation"
    summary = "Re-indent blocks to a consistent number of spaces, keeping strings and alignment."
    safety = FixSafety.SAFE
    codes = frozenset(INDENTATION_CODES)
    bare_noqa = False  # an import's bare noqa comment (for F401) must not stop a statement's fix
    claims = frozenset({"W0311", "W0312", "indentation", "inconsistent-indentation"})
    options_type = IndentationOptions

    @property
    def unit(self) -> str:
        """Return the indentation of one level."""
        return " " * self.options.indent_width

    def refute(self, source: SourceFile, claim: Claim) -> str | None:
        """Say that the blocks already follow the unit, when they do (the claim is false)."""
        if _consistent_by_ast(source, self.options.indent_width):
            return consistent_indentation_evidence(self.options.indent_width)
        return None

    def find(self, source: SourceFile) -> Iterator[Finding]:
        """Compute the new indentation of every line that moves (ast first, then tokenize).

        Indentation is one structure per top-level statement: every run of moved lines of a
        statement requires the statement's other runs, so a suppression comment on any of
        them (or a change-limited run that does not reach the statement) leaves that whole
        statement as it is. Each top-level statement starts at column 0, so re-indenting
        some and not others keeps a valid program (``fix`` checks it keeps the same one).
        """
        if _consistent_by_ast(source, self.options.indent_width):
            return
        try:
            layout = _Layout(source.lines, self.unit)
            layout.read()
        except (tokenize.TokenError, SyntaxError) as error:
            yield Finding(1, "cannot re-indent", skip=f"cannot tokenize the file: {error}")
            return
        for line, reason in layout.kept_docstrings:
            yield Finding(
                line, "docstring not re-indented", skip=f"docstring left as it is: {reason}"
            )
        if not layout.new_lines:
            return
        refusal = _program_change(source, layout.new_lines)
        if refusal is not None:
            yield Finding(1, "cannot re-indent", skip=refusal)
            return
        spans = _top_level_spans(source.tree)
        groups = {index: _group_of(index + 1, spans) for index in layout.new_lines}
        plan = Reindent(layout.new_lines, groups)
        runs = list(_describe_runs(layout.misplaced, groups))
        keys_by_group: dict[int, set[tuple[int, int]]] = {}
        for key, run in enumerate(runs):
            keys_by_group.setdefault(run.group, set()).add((run.group, key))
        for key, run in enumerate(runs):
            own = (run.group, key)
            span = spans[run.group] if run.group >= 0 else (run.line, run.end_line)
            yield Finding(
                run.line,
                run.message,
                action=run.action,
                end_line=run.end_line,
                codes=INDENTATION_CODES,
                key=own,
                requires=frozenset(keys_by_group[run.group] - {own}),
                extent=(span,),
                data=plan,
            )

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        """Write the planned lines (``find`` checked that they keep the program's ``ast``)."""
        plan: Reindent = findings[0].data
        chosen = {finding.key[0] for finding in findings}
        new_lines = {
            index: line for index, line in plan.new_lines.items() if plan.groups[index] in chosen
        }
        if len(new_lines) < len(plan.new_lines):  # some statements are out of this run's scope
            refusal = _program_change(source, new_lines)
            if refusal is not None:
                raise ValueError(f"re-indenting only some statements: {refusal}")
        return [
            source.replace_lines(index + 1, index + 1, new_line)
            for index, new_line in new_lines.items()
        ]

    def repair(self, text: str, error: SyntaxError) -> str | None:
        """Repair a file Python 3 rejects with ``TabError`` by reading tabs as 8 columns.

        The leading whitespace of every statement and comment line (not continuation lines,
        not strings) is rewritten as spaces up to the column Python 2 gave it. The repair is
        kept only when that reading gives a well-formed block structure (``tokenize`` finds
        every dedent at an open level) and the result parses.
        """
        if not isinstance(error, TabError):
            return None
        lines = physical_lines(text)
        try:
            rows = _statement_and_comment_rows(lines)
        except (tokenize.TokenError, SyntaxError):
            return None
        for row in rows:
            line = lines[row - 1]
            indent = leading_whitespace(line)
            if "\t" in indent:
                keep = indent[: indent.rfind("\f") + 1]
                lines[row - 1] = keep + " " * _column(indent) + line[len(indent) :]
        repaired = "".join(lines)
        try:
            ast.parse(repaired)
        except SyntaxError:
            return None
        return repaired


# --- the cheap finder -------------------------------------------------------------------


def _consistent_by_ast(source: SourceFile, width: int) -> bool:
    """Tell cheaply, without tokenizing, that every block and comment is already in place.

    Without tabs or form feeds in any indentation, lines of one block share their bytes, so
    one statement per block is enough; a comment line is in place when it sits on an open
    level (one of the levels between the statements around it). A ``case`` line is no
    statement and opens a level of its own, so a ``match`` is for the token scan. ``False``
    only means "look closer": the token scan decides.
    """
    text = source.text
    if _INDENT_WITH_TAB_OR_FORM_FEED.search(text):
        return False
    lines = physical_lines(text)
    depths: dict[int, int] = {}
    for depth, block in _blocks(source.tree.body):
        for stmt in block:
            if isinstance(stmt, ast.Match):
                return False
            line = lines[stmt.lineno - 1]
            indent = len(line) - len(line.lstrip(" \t\f"))
            if indent != stmt.col_offset:
                continue  # not the first statement on its line
            if line[:indent] != " " * (depth * width):
                return False
            depths[stmt.lineno] = depth
    return _comments_on_open_levels(lines, depths, width)


def _blocks(body: list[ast.stmt]) -> Iterator[tuple[int, list[ast.stmt]]]:
    """Yield ``(depth, statements)`` for every block of statements (iteratively)."""
    pending = [(0, body)]
    while pending:
        depth, block = pending.pop()
        yield depth, block
        for stmt in block:
            pending.extend((depth + 1, inner) for inner in statement_blocks(stmt))


def _comments_on_open_levels(lines: list[str], depths: dict[int, int], width: int) -> bool:
    """Tell whether every comment-only line sits at ``k x width`` on a level open there.

    Lines inside strings or brackets may be taken for comment lines here; they can only make
    the answer ``False`` (the token scan then looks closer), never a wrong ``True``.
    """
    previous_depth = 0
    pending: list[int] = []
    for number, line in enumerate(lines, start=1):
        if number in depths:
            next_depth = depths[number]
            if any(level > max(previous_depth, next_depth) for level in pending):
                return False
            pending.clear()
            previous_depth = next_depth
            continue
        code = line.lstrip(" \t\f")
        if code.startswith("#"):
            column = len(line) - len(code)
            if column % width or line[:column].strip(" "):
                return False
            pending.append(column // width)
    return all(level <= previous_depth for level in pending)


# --- the safety check ---------------------------------------------------------------------


def _program_change(source: SourceFile, new_lines: dict[int, str]) -> str | None:
    """Return why the file with ``new_lines`` written is not the same program, or ``None``.

    The same program parses to the same ``ast``, docstrings (every statement that is only a
    string) compared by their ``inspect.cleandoc`` value. Never expected: only leading
    whitespace and docstring margins change.
    """
    lines = list(source.lines)
    for index, new_line in new_lines.items():
        lines[index] = new_line
    try:
        new_tree = ast.parse("".join(lines))
    except RecursionError:  # parsed before, with a little more room on the stack
        return "the code nests too deeply to check the re-indented file"
    except SyntaxError:
        return "the re-indented file would not parse"
    if not _same_tree(source.tree, new_tree):
        return "re-indenting would change the program's ast"
    return None


def _same_tree(old: ast.AST, new: ast.AST) -> bool:
    """Tell whether two trees have the same nodes and values, positions aside.

    The walk is iterative: a 1,000-term expression must not exhaust the stack.
    """
    pending: list[tuple[Any, Any]] = [(old, new)]
    while pending:
        old_value, new_value = pending.pop()
        if type(old_value) is not type(new_value):
            return False
        if is_string_statement(old_value) or is_string_statement(new_value):
            if not (is_string_statement(old_value) and is_string_statement(new_value)):
                return False
            old_doc, new_doc = old_value.value.value, new_value.value.value
            if docstring_value(old_doc) != docstring_value(new_doc):
                return False
        elif isinstance(old_value, ast.AST):
            pending.extend(
                (getattr(old_value, field, None), getattr(new_value, field, None))
                for field in old_value._fields
            )
        elif isinstance(old_value, list):
            if len(old_value) != len(new_value):
                return False
            pending.extend(zip(old_value, new_value, strict=True))
        elif old_value != new_value:
            return False
    return True


# --- the token pass ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Level:
    """One open block: its indentation as read (after any form feed) and as rewritten."""

    old: str
    new: str

    @property
    def old_column(self) -> int:
        """Return the column the old indentation reaches."""
        return _column(self.old)

    @property
    def shift(self) -> int:
        """Return how many columns the block moves (negative: to the left)."""
        return len(self.new) - self.old_column


class _Layout:
    """One ``tokenize`` pass that decides every line's new indentation.

    Each row is classified by the first token that starts on it: the first token of a
    logical line (a statement line: ``depth x unit``), a comment at a statement's start
    outside brackets (a comment line: the depth of the block it belongs to, placed once the
    next statement's depth is known), or any other token (a continuation line: same offset
    from its statement). Rows that begin inside a string token are left alone, except the
    lines of a docstring, which move with their statement. Blank rows have no token.
    """

    def __init__(self, lines: list[str], unit: str) -> None:
        """Prepare to read ``lines`` (the file's physical lines) for the indentation ``unit``."""
        self.lines = lines
        self.unit = unit
        self.levels = [_Level("", "")]
        self.new_lines: dict[int, str] = {}
        self.misplaced: list[tuple[int, str, str]] = []
        """``(line, old indentation, new indentation)`` of statement and comment lines."""
        self.placed_rows: list[int] = []
        """Every statement and comment row, in order (what the ``TabError`` repair rewrites)."""
        self.kept_docstrings: list[tuple[int, str]] = []
        self._comments: list[tuple[int, tuple[int, ...], tuple[int, int] | None]] = []
        """Comment lines not yet placed: row, columns open before it, the comment it continues."""
        self._trailing: tuple[int, int] | None = None
        """The row and offset of the last comment ending a line of code, while comment lines
        aligned under it follow it on the next rows (``None``: no such run goes on)."""
        self._trailing_run_end = 0
        """The last row of that run: the comment's own row or its last aligned line."""
        self._provisional: set[int] = set()
        """Depths of blocks ``tokenize`` opened at a line of whitespace and a backslash alone.

        The compiler takes that line for a blank one and opens a block only where a
        statement comes; until one does, a comment does not belong to it.
        """

    def read(self) -> None:
        """Tokenize the lines once and record the new lines (raises what ``tokenize`` raises).

        The tokenizer reads a copy whose lines all end in ``\\n``, as the compiler reads
        them: Python 3.11's pure-Python ``tokenize`` knows no ``\\r`` line ending, and
        without it a CR-only file would be one statement line followed by continuation
        lines. Rows and columns are the same in the copy; the new lines are made from the
        real ones, so every line ending stays as it was.
        """
        brackets = nested_strings = last_row = ended_row = 0
        at_statement_start = True
        opened = False  # an INDENT and no statement since
        docstring: tokenize.TokenInfo | None = None
        lf_text = "".join(_with_lf_ending(line) for line in self.lines)
        for token in tokenize.generate_tokens(io.StringIO(lf_text).readline):
            kind = token.type
            if nested_strings:  # inside a 3.12+ f-string: every byte stays
                nested_strings += (kind in _STRING_STARTS) - (kind in _STRING_ENDS)
                last_row = token.end[0]
                continue
            if kind in (tokenize.NL, tokenize.NEWLINE):
                ended_row = token.start[0]
            if kind == tokenize.INDENT:
                old = token.string[token.string.rfind("\f") + 1 :]
                self.levels.append(_Level(old, self.unit * len(self.levels)))
                opened = True
            elif kind == tokenize.DEDENT:
                self._provisional.discard(len(self.levels) - 1)
                self.levels.pop()
            elif kind == tokenize.NEWLINE:
                if at_statement_start and opened:
                    self._provisional.add(len(self.levels) - 1)
                if docstring is not None:
                    self._move_docstring(docstring)
                    docstring = None
                at_statement_start = True
            elif kind == tokenize.ENDMARKER:
                self._place_comments()
            if kind in _NO_ROW or kind == tokenize.NEWLINE:
                continue
            row = token.start[0]
            first_on_row = row > last_row
            last_row = token.end[0]
            if kind in _STRING_STARTS:
                nested_strings = 1
            if kind == tokenize.COMMENT:
                if not first_on_row:  # ends a line of code: comment lines may align under it
                    self._trailing, self._trailing_run_end = (row, token.start[1]), row
                elif at_statement_start and brackets == 0 and row > ended_row + 1:
                    pass  # after a backslash continuation: no line of its own, left alone
                elif at_statement_start and brackets == 0:
                    self._comments.append((row, self._open_columns(), self._continued(row)))
                elif first_on_row:
                    self._continue(row, token.start[1])
                continue
            if at_statement_start:
                self._provisional.clear()  # a statement in them: the compiler's blocks too
                opened = False
                self._place_comments()
                self._place_statement(row, token.start[1])
                at_statement_start = False
                if kind == tokenize.STRING and _may_be_docstring(token):
                    docstring = token
                    continue
            elif first_on_row:
                self._continue(row, token.start[1])
            docstring = None
            if kind == tokenize.OP:
                brackets += (token.string in _OPENING) - (token.string in _CLOSING)

    def _continued(self, row: int) -> tuple[int, int] | None:
        """Return the comment that the comment line ``row`` continues, aligned under it.

        That is a comment ending the line of code just above, or above a run of comment
        lines aligned under it, at the same column (tabs read to the next multiple of 8).
        """
        trailing = self._trailing
        if trailing is not None and row == self._trailing_run_end + 1:
            anchor_row, offset = trailing
            column = _column(self.lines[anchor_row - 1][:offset])
            if _column(leading_whitespace(self.lines[row - 1])) == column:
                self._trailing_run_end = row
                return trailing
        self._trailing = None
        return None

    def _open_columns(self) -> tuple[int, ...]:
        """Return the columns of the blocks open now, as the compiler sees them."""
        return tuple(
            level.old_column
            for depth, level in enumerate(self.levels)
            if depth not in self._provisional
        )

    def _replace_indent(self, row: int, indent: str, new_indent: str) -> None:
        """Record ``row`` with ``indent`` (its leading whitespace) replaced by ``new_indent``."""
        if new_indent != indent:
            line = self.lines[row - 1]
            self.new_lines[row - 1] = new_indent + line[len(indent) :]

    def _place_statement(self, row: int, column: int) -> None:
        """Put a statement's first line at its block's depth (a form feed stays)."""
        indent = self.lines[row - 1][:column]
        keep = indent[: indent.rfind("\f") + 1]
        wanted = self.unit * (len(self.levels) - 1)
        self.placed_rows.append(row)
        if indent[len(keep) :] != wanted:
            self.misplaced.append((row, indent[len(keep) :], wanted))
            self._replace_indent(row, indent, keep + wanted)

    def _place_comments(self) -> None:
        """Put the comment lines read since the last statement at the depth they belong to.

        A comment aligned under the comment that ends the line of code above it (or under
        such an aligned line) continues that comment: it keeps its column relative to it,
        in spaces. Otherwise a comment at the column of a level open there (those open
        before it, plus the one the next statement opens) keeps that level's depth. At any
        other column it joins the deepest open block it is inside, and at least the next
        statement's block: a comment deeper than what follows stays with the block it ends.
        """
        depth = len(self.levels) - 1
        now_open = [level.old_column for level in self.levels]
        for row, open_before, continued in self._comments:
            open_columns = open_before
            if len(now_open) > len(open_before):
                open_columns = (*open_before, now_open[-1])
            line = self.lines[row - 1]
            indent = leading_whitespace(line)
            keep = indent[: indent.rfind("\f") + 1]
            column = _column(indent)
            if continued is not None:
                wanted = " " * self._new_column(*continued)
            elif column in open_columns:
                wanted = self.unit * open_columns.index(column)
            else:
                inside = [index for index, open_at in enumerate(open_columns) if open_at <= column]
                wanted = self.unit * max(inside[-1], depth)
            self.placed_rows.append(row)
            if indent[len(keep) :] != wanted:
                self.misplaced.append((row, indent[len(keep) :], wanted))
                self._replace_indent(row, indent, keep + wanted)
        self._comments.clear()

    def _new_column(self, row: int, offset: int) -> int:
        """Return the column where the text at ``offset`` of line ``row`` ends up.

        The line's new text, if it moves, differs from the old one only in its leading
        whitespace, which ``offset`` is past.
        """
        old = self.lines[row - 1]
        new = self.new_lines.get(row - 1, old)
        return _column(new[: offset + len(new) - len(old)])

    def _continue(self, row: int, column: int) -> None:
        """Move a continuation line with its statement: same offset from its first line.

        A line left of its statement at the column of an enclosing block (a closing bracket
        put back at an outer level, or at column 0) takes that block's new indentation, as
        a comment line would; another line left of it moves by the shift, to column 0 at
        most.
        """
        level = self.levels[-1]
        indent = self.lines[row - 1][:column]
        if level.old == level.new or "\f" in indent:
            return
        old_column = _column(indent)
        if old_column < level.old_column:
            outer = [
                open_level for open_level in self.levels if open_level.old_column == old_column
            ]
            new_indent = outer[0].new if outer else " " * max(old_column + level.shift, 0)
        elif indent.startswith(level.old) and "\t" not in indent[len(level.old) :]:
            new_indent = level.new + indent[len(level.old) :]
        else:
            new_indent = " " * (old_column + level.shift)
        self._replace_indent(row, indent, new_indent)

    def _move_docstring(self, token: tokenize.TokenInfo) -> None:
        """Move a docstring's lines after the first by its statement's shift, if allowed."""
        level = self.levels[-1]
        if level.old == level.new:
            return
        first_row = token.start[0]
        rows = range(first_row + 1, token.end[0] + 1)
        indents = [_DOCSTRING_LINE_INDENT.match(self.lines[row - 1]).group() for row in rows]  # type: ignore[union-attr]
        moved, reason = _moved_docstring_indents(token.string, indents, level)
        if moved is None:
            self.kept_docstrings.append((first_row, reason))
            return
        for row, indent, new_indent in zip(rows, indents, moved, strict=True):
            self._replace_indent(row, indent, new_indent)


def _may_be_docstring(token: tokenize.TokenInfo) -> bool:
    """Tell whether a statement-starting string token could be a docstring worth moving."""
    if token.end[0] == token.start[0]:
        return False
    prefix = token.string[: len(token.string) - len(token.string.lstrip("rRuUbBfFtT"))]
    return not _NOT_DOCSTRING_PREFIX.intersection(prefix)


def _moved_docstring_indents(
    token: str, indents: list[str], level: _Level
) -> tuple[list[str] | None, str]:
    """Return the new indentation of a docstring's lines after the first, or why none.

    Every line that has indentation moves by the statement's shift (whitespace-only lines
    and the closing quotes' line stop at column 0); lines at column 0 stay. The docstring
    stays as it is when a line of text is left of its statement (laid out so on purpose,
    such as a usage text printed as written) or when ``inspect.cleandoc`` would read the
    moved value differently (a tab inside a line, an escape or line continuation, a
    whitespace-only line that would become empty).
    """
    lines = physical_lines(token)[1:]
    moved: list[str] = []
    for line, indent in zip(lines, indents, strict=True):
        has_text = line[len(indent) :].strip() not in ("", token[-3:])
        column = _column(indent)
        if has_text and column < level.old_column:
            return None, "a line is left of its statement"
        moved.append(indent and " " * max(column + level.shift, 0))
    if not _same_docstring(token, lines, indents, moved):
        return None, "moving it would change its value after inspect.cleandoc"
    return moved, ""


def _same_docstring(token: str, lines: list[str], indents: list[str], moved: list[str]) -> bool:
    """Tell whether the moved docstring has the same value after ``inspect.cleandoc``."""
    head = physical_lines(token)[0]
    new_token = head + "".join(
        new + line[len(old) :] for line, old, new in zip(lines, indents, moved, strict=True)
    )
    try:
        return _cleandoc(token) == _cleandoc(new_token)
    except (SyntaxError, ValueError):
        return False


def _cleandoc(token: str) -> str:
    """Return a string token's docstring value (see :func:`~codemods.astcompare.docstring_value`).

    A multi-line token without a backslash is triple-quoted and its value is the text
    between its quotes; only a token with a backslash is evaluated.
    """
    if "\\" not in token:
        return docstring_value(token[len(token) - len(token.lstrip("rRuU")) + 3 : -3])
    value = ast.literal_eval(token)
    return docstring_value(value) if isinstance(value, str) else repr(value)


def _statement_and_comment_rows(lines: list[str]) -> list[int]:
    """Return the rows that start a statement or hold only a comment (outside brackets).

    Python 3.12+ tokenizes with the interpreter's tokenizer, which refuses inconsistent tabs,
    so the rows are read from a copy whose every line's leading whitespace is spaces up to
    the same column: that changes no token boundary, only the whitespace in between.
    """
    probe = [" " * _column(leading_whitespace(line)) + line.lstrip(" \t\f") for line in lines]
    layout = _Layout(probe, " ")
    layout.read()
    return sorted(layout.placed_rows)


def _describe_runs(
    misplaced: list[tuple[int, str, str]], groups: dict[int, int]
) -> Iterator[MisplacedRun]:
    """Merge consecutive lines with the same old and new indentation into one finding.

    A run never crosses from one top-level statement to another (``groups``: by 0-based line).
    """
    run_start = 0
    for index, (line, old, new) in enumerate(misplaced):
        group = groups.get(line - 1, -1)
        last = index + 1 == len(misplaced)
        following = None if last else misplaced[index + 1]
        if (
            following is None
            or following[1:] != (old, new)
            or groups.get(following[0] - 1, -1) != group
        ):
            count = index - run_start + 1
            what = "line" if count == 1 else f"{count} lines"
            message = f"{what} indented with {_describe(old)}"
            action = f"re-indented to {_describe(new)}"
            yield MisplacedRun(
                misplaced[run_start][0], misplaced[index][0], message, action, group
            )
            run_start = index + 1


def _top_level_spans(tree: ast.Module) -> list[tuple[int, int]]:
    """Return the first and last line of each top-level statement (decorators included)."""
    spans = []
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", [])
        first = min([statement.lineno, *(d.lineno for d in decorators)])
        spans.append((first, statement.end_lineno or statement.lineno))
    return spans


def _group_of(line: int, spans: list[tuple[int, int]]) -> int:
    """Return the index of the top-level statement holding ``line`` (``-1``: none)."""
    low, high = 0, len(spans) - 1
    while low <= high:
        middle = (low + high) // 2
        first, last = spans[middle]
        if line < first:
            high = middle - 1
        elif line > last:
            low = middle + 1
        else:
            return middle
    return -1


def _describe(indent: str) -> str:
    """Describe an indentation for a reviewer: ``'2 tabs, 4 spaces'``."""
    if not indent:
        return "no indentation"
    parts: list[str] = []
    for match in re.finditer(r"\t+| +", indent):
        run = match.group()
        name = "tab" if run[0] == "\t" else "space"
        parts.append(f"{len(run)} {name}{'s' if len(run) > 1 else ''}")
    return ", ".join(parts)


# --- helpers -------------------------------------------------------------------------------


def _with_lf_ending(line: str) -> str:
    """Return ``line`` with its ending (``\\r\\n``, ``\\r`` or ``\\n``), if any, as ``\\n``."""
    content = line.rstrip("\r\n")
    return content + "\n" if content != line else line


def _column(indent: str) -> int:
    """Return the column reached after ``indent``, counting tabs and form feeds as Python."""
    column = 0
    for char in indent:
        if char == "\t":
            column = (column // TAB_SIZE + 1) * TAB_SIZE
        elif char == "\f":
            column = 0
        else:
            column += 1
    return column
