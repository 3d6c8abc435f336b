"""The ``indentation`` codemod: re-indent blocks to ``indent-width`` spaces, losslessly.

The plan is cheap: an ``ast`` pass proves most files already consistent, a ``tokenize`` pass
finds the lines to move in the others. The rewrite sets every LibCST ``IndentedBlock`` to the
unit and moves, by column, the whitespace LibCST keeps absolute (comment lines off the
current level, continuation lines, docstring lines). ``repair`` is the engine hook that makes
``TabError`` files parseable first. The class docstring is the user documentation.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import io
import re
import tokenize
from collections.abc import Iterator

import libcst as cst

from codemods.fixes.base import Change, Codemod, FixSafety, Options, Plan, Skip
from codemods.locate import line_path, node_at, statement_paths
from codemods.source import SourceFile

TAB_SIZE = 8
"""Columns a tab advances to (the next multiple of), as Python's tokenizer counts."""

_INDENT_WITH_TAB_OR_FORM_FEED = re.compile(r"^ *[\t\f]", re.MULTILINE)
_BACKSLASH_NEWLINE = re.compile(r"(\\(?:\r\n|\r|\n))")
_DOCSTRING_LINE_INDENT = re.compile(r"[ \t]*")
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")


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
class Finding:
    """Lines whose indentation the rewrite changes, described for the reviewer."""

    line: int
    message: str


class Indentation(Codemod[IndentationOptions]):
    """Re-indent blocks to a consistent unit of spaces (``indent-width``, default 4).

    What it does
    ------------
    Every block's indentation becomes ``depth x indent-width`` spaces, whatever it was: tabs
    (read as Python does, to the next multiple of 8 columns), 2 or 3 spaces, or a different
    unit per block. Continuation lines inside brackets or after a backslash move with their
    statement and keep their offset from its first line, so hanging and visual indents
    survive. A comment line at the column of an open block keeps that block's depth; at any
    other column it takes the indentation of the block holding it (the next statement's).
    A docstring moves with its statement, its ``inspect.cleandoc`` value unchanged; every
    other string (data, SQL, f-strings, bytes) keeps its bytes. A file Python 3 rejects with
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
    ``inspect.cleandoc``), otherwise the file is left alone with a skip.
    """

    id = "indentation"
    summary = "Re-indent blocks to a consistent number of spaces, keeping strings and alignment."
    safety = FixSafety.SAFE
    options_type = IndentationOptions

    @property
    def unit(self) -> str:
        """Return the indentation of one level."""
        return " " * self.options.indent_width

    def plan(self, source: SourceFile) -> Plan:
        """Find the lines whose indentation is not ``depth x unit``; cheap (ast, tokenize)."""
        if _consistent_by_ast(source, self.options.indent_width):
            return Plan()
        try:
            scan = _scan_tokens(source.text, self.unit)
        except (tokenize.TokenError, SyntaxError) as error:
            return Plan(skips=(Skip(self.id, 1, f"cannot tokenize the file: {error}"),))
        if not scan.findings:
            return Plan()
        if scan.form_feed_lines:
            reason = "a form feed precedes code on this line, which LibCST cannot parse"
            return Plan(skips=(Skip(self.id, scan.form_feed_lines[0], reason),))
        suppressed = sorted(
            line for line in source.suppressions if source.is_line_suppressed(self.id, line)
        )
        if suppressed:
            reason = (
                "a suppression comment covers 'indentation'; indentation is one structure per "
                "file, so the whole file is left alone"
            )
            return Plan(skips=(Skip(self.id, suppressed[0], reason),))
        return Plan(work=tuple(scan.findings), skips=tuple(self._docstrings_kept(source)))

    def _docstrings_kept(self, source: SourceFile) -> Iterator[Skip]:
        """Yield a skip for each multi-line docstring the rewrite will leave where it is."""
        width = self.options.indent_width
        lines = _physical_lines(source.text)
        for depth, block in _blocks(source.tree.body, 0):
            for stmt in block:
                if not _is_statement_string(stmt) or stmt.end_lineno == stmt.lineno:
                    continue
                line = lines[stmt.lineno - 1]
                indent = line[: len(line) - len(line.lstrip(" \t\f"))]
                if len(indent) != stmt.col_offset or indent == " " * (depth * width):
                    continue
                token = _segment(lines, stmt.value)
                shift = depth * width - _column(indent)
                _, reason = _move_docstring(token, _column(indent), shift)
                if reason:
                    yield Skip(self.id, stmt.lineno, f"docstring left as it is: {reason}")

    def rewrite(
        self, module: cst.Module, source: SourceFile, plan: Plan
    ) -> tuple[cst.Module, list[Change]]:
        """Re-indent the whole tree; verify the result's ``ast`` before returning it."""
        multi_line = _multi_line_statement_lines(module, source.tree)
        new_module = module.visit(_Reindenter(self.unit, module.default_indent, multi_line))
        assert isinstance(new_module, cst.Module)
        new_code = new_module.code
        if new_code == source.text:
            return module, []
        if not _same_program(source.text, new_code):
            # Never expected: the tree edits touch only whitespace Python ignores.
            raise RuntimeError("re-indenting would change the program's ast; file left alone")
        return new_module, [Change(self.id, found.line, found.message) for found in plan.work]

    def repair(self, text: str, error: SyntaxError) -> str | None:
        """Repair a file Python 3 rejects with ``TabError`` by reading tabs as 8 columns.

        The leading whitespace of every statement and comment line (not continuation lines,
        not strings) is rewritten as spaces up to the column Python 2 gave it. The repair is
        kept only when that reading gives a well-formed block structure (``tokenize`` finds
        every dedent at an open level) and the result parses.
        """
        if not isinstance(error, TabError):
            return None
        lines = io.StringIO(text, newline="").readlines()
        try:
            rows = _statement_and_comment_rows(text)
        except (tokenize.TokenError, SyntaxError):
            return None
        for row in rows:
            line = lines[row - 1]
            indent = line[: len(line) - len(line.lstrip(" \t\f"))]
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
    level (one of the levels between the statements around it). ``False`` only means "look
    closer": the token scan decides.
    """
    text = source.text
    if _INDENT_WITH_TAB_OR_FORM_FEED.search(text):
        return False
    lines = _physical_lines(text)
    depths: dict[int, int] = {}
    for depth, block in _blocks(source.tree.body, 0):
        for stmt in block:
            line = lines[stmt.lineno - 1]
            indent = len(line) - len(line.lstrip(" \t\f"))
            if indent != stmt.col_offset:
                continue  # not the first statement on its line
            if line[:indent] != " " * (depth * width):
                return False
            depths[stmt.lineno] = depth
    return _comments_on_open_levels(lines, depths, width)


def _blocks(body: list[ast.stmt], depth: int) -> Iterator[tuple[int, list[ast.stmt]]]:
    """Yield ``(depth, statements)`` for every block of statements, outermost first."""
    yield depth, body
    for stmt in body:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                yield from _blocks(inner, depth + 1)
        for clause in [*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())]:
            yield from _blocks(clause.body, depth + 1)


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


@dataclasses.dataclass
class _Scan:
    """What the token scan found: lines to re-indent and lines LibCST cannot parse."""

    findings: list[Finding] = dataclasses.field(default_factory=list)
    form_feed_lines: list[int] = dataclasses.field(default_factory=list)


def _scan_tokens(text: str, unit: str) -> _Scan:
    """Compare every statement and comment line's indentation with ``depth x unit``."""
    scan = _Scan()
    misplaced: list[tuple[int, str, str]] = []
    for line, indent, open_columns, depth in _indented_lines(text):
        if "\f" in indent and open_columns is None:
            scan.form_feed_lines.append(line)
        effective = indent[indent.rfind("\f") + 1 :]
        if open_columns is None:
            wanted = unit * depth
        else:
            column = _column(effective)
            wanted = unit * (open_columns.index(column) if column in open_columns else depth)
        if effective != wanted:
            misplaced.append((line, effective, wanted))
    scan.findings = _describe_runs(misplaced, unit)
    return scan


def _indented_lines(text: str) -> Iterator[tuple[int, str, tuple[int, ...] | None, int]]:
    """Yield ``(line, indentation, open_columns, depth)`` for statement and comment lines.

    ``open_columns`` is ``None`` for the first line of a statement (``depth`` is its block's);
    for a comment-only line outside brackets it holds the columns of the levels open there
    (those before the next statement and that statement's own), and ``depth`` is the next
    statement's.
    """
    columns = [0]
    brackets = 0
    at_statement_start = True
    comments: list[tuple[int, str, tuple[int, ...]]] = []
    for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
        kind = token.type
        if kind == tokenize.INDENT:
            columns.append(_column(token.string))
        elif kind == tokenize.DEDENT:
            columns.pop()
        elif kind == tokenize.NEWLINE:
            at_statement_start = True
        elif kind in (tokenize.NL, tokenize.ENCODING):
            continue
        elif kind == tokenize.COMMENT:
            indent = token.line[: token.start[1]]
            if at_statement_start and brackets == 0 and not indent.strip(" \t\f"):
                comments.append((token.start[0], indent, tuple(columns)))
        else:
            if at_statement_start:
                depth = len(columns) - 1
                for line, indent, open_then in comments:
                    yield line, indent, _merge_levels(open_then, columns), depth
                comments.clear()
                if kind != tokenize.ENDMARKER:
                    yield token.start[0], token.line[: token.start[1]], None, depth
                at_statement_start = False
            if kind == tokenize.OP:
                brackets += (token.string in _OPENING) - (token.string in _CLOSING)


def _merge_levels(open_before: tuple[int, ...], open_now: list[int]) -> tuple[int, ...]:
    """Return the open levels' columns around a comment: before it, plus a new deeper one."""
    if len(open_now) > len(open_before):
        return (*open_before, open_now[-1])
    return open_before


def _statement_and_comment_rows(text: str) -> list[int]:
    """Return the rows that start a statement or hold only a comment (outside brackets)."""
    return [line for line, _, _, _ in _indented_lines(text)]


def _describe_runs(misplaced: list[tuple[int, str, str]], unit: str) -> list[Finding]:
    """Merge consecutive lines with the same old and new indentation into one finding."""
    findings: list[Finding] = []
    run_start = 0
    for index, (_, old, new) in enumerate(misplaced):
        last = index + 1 == len(misplaced)
        if last or misplaced[index + 1][1:] != (old, new):
            count = index - run_start + 1
            first_line = misplaced[run_start][0]
            what = "line" if count == 1 else f"{count} lines"
            findings.append(
                Finding(
                    first_line, f"re-indented {what} from {_describe(old)} to {_describe(new)}"
                )
            )
            run_start = index + 1
    return findings


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


# --- the LibCST edit ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Level:
    """One open block: its absolute indentation before and after the rewrite."""

    old: str
    new: str

    @property
    def old_column(self) -> int:
        """Return the column the old indentation reaches."""
        return _column(self.old)

    @property
    def shift(self) -> int:
        """Return how many columns the block moves (negative: to the left)."""
        return _column(self.new) - self.old_column


class _Reindenter(cst.CSTTransformer):
    """Set every block to the unit and move the whitespace that LibCST keeps absolute.

    LibCST renders a block's statements, its ``indent=True`` comment lines and bracket
    continuations relative to the enclosing indentation, so setting ``IndentedBlock.indent``
    moves them. What it keeps absolute -- comment lines off the current level, continuation
    lines less indented than their statement, lines after a backslash, docstring lines -- is
    moved here by column. Blank lines and f-strings keep their bytes.
    """

    def __init__(self, unit: str, old_default_indent: str, multi_line: set[int]) -> None:
        """Start at module level, knowing what ``IndentedBlock.indent=None`` meant.

        ``multi_line`` holds the ``id`` of each statement line that spans several lines; the
        others only need their leading comment lines placed, so their insides are not walked.
        """
        super().__init__()
        self.unit = unit
        self.multi_line = multi_line
        self.old_default_indent = old_default_indent
        self.levels = [_Level("", "")]
        self.in_brackets = 0
        self.in_fstring = 0

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        """Make the unit the module's default indentation."""
        return updated_node.with_changes(default_indent=self.unit)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        """Open a level: the old indentation plus the block's own, the new one plus a unit."""
        outer = self.levels[-1]
        own = self.old_default_indent if node.indent is None else node.indent
        self.levels.append(_Level(outer.old + own, outer.new + self.unit))
        return True

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """Close the level; the block now uses the module's default (the unit)."""
        self.levels.pop()
        return updated_node.with_changes(indent=None)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        """Walk into a statement line only when it has continuation or docstring lines."""
        return id(node) in self.multi_line

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        """Place the leading comment lines of a line whose inside was not walked."""
        if id(original_node) in self.multi_line:
            return updated_node
        placed = [self._placed_line(line) for line in updated_node.leading_lines]
        if all(new is old for new, old in zip(placed, updated_node.leading_lines, strict=True)):
            return updated_node
        return updated_node.with_changes(leading_lines=placed)

    def visit_FormattedStringExpression(self, node: cst.FormattedStringExpression) -> bool:
        """Enter an f-string's replacement field: every byte inside it stays.

        Only the fields hold whitespace nodes; the f-string's own parentheses do not count
        (a parenthesized f-string's continuation lines move like any other).
        """
        self.in_fstring += 1
        return True

    def leave_FormattedStringExpression(
        self,
        original_node: cst.FormattedStringExpression,
        updated_node: cst.FormattedStringExpression,
    ) -> cst.FormattedStringExpression:
        """Leave an f-string's replacement field."""
        self.in_fstring -= 1
        return updated_node

    def visit_ParenthesizedWhitespace(self, node: cst.ParenthesizedWhitespace) -> bool:
        """Enter a bracket continuation: its comment lines are continuation lines too."""
        self.in_brackets += 1
        return True

    def leave_ParenthesizedWhitespace(
        self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace
    ) -> cst.ParenthesizedWhitespace:
        """Move the continuation line with its statement."""
        self.in_brackets -= 1
        level = self.levels[-1]
        indent, backslash, rest = updated_node.last_line.value.partition("\\")
        old = (level.old if updated_node.indent else "") + indent
        relative, new = self._placed(self._continuation(old))
        last_line = cst.SimpleWhitespace(new + backslash + rest)
        return updated_node.with_changes(indent=relative, last_line=last_line)

    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine:
        """Place a comment line; a blank line keeps its bytes."""
        return self._placed_line(updated_node)

    def _placed_line(self, updated_node: cst.EmptyLine) -> cst.EmptyLine:
        """Return a comment line at its new indentation; a blank line with its bytes."""
        level = self.levels[-1]
        old = (level.old if updated_node.indent else "") + updated_node.whitespace.value
        if updated_node.comment is None:
            new = old
        elif self.in_brackets or self.in_fstring:
            new = self._continuation(old)
        else:
            new = self._comment_indentation(old)
        relative, whitespace = self._placed(new)
        if (relative, whitespace) == (updated_node.indent, updated_node.whitespace.value):
            return updated_node
        return updated_node.with_changes(
            indent=relative, whitespace=cst.SimpleWhitespace(whitespace)
        )

    def leave_SimpleWhitespace(
        self, original_node: cst.SimpleWhitespace, updated_node: cst.SimpleWhitespace
    ) -> cst.SimpleWhitespace:
        """Move the lines after backslash continuations with their statement."""
        value = updated_node.value
        if "\\" not in value:
            return updated_node
        parts = _BACKSLASH_NEWLINE.split(value)
        for index in range(2, len(parts), 2):
            parts[index] = self._continuation(parts[index])
        return updated_node.with_changes(value="".join(parts))

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.Expr:
        """Move a docstring's lines with its statement when its cleandoc value allows."""
        string = updated_node.value
        if not isinstance(string, cst.SimpleString) or "b" in string.prefix.lower():
            return updated_node
        level = self.levels[-1]
        if level.old == level.new:
            return updated_node
        moved, _ = _move_docstring(string.value, level.old_column, level.shift)
        if moved is None:  # the plan reported why
            return updated_node
        return updated_node.with_changes(value=string.with_changes(value=moved))

    def _continuation(self, indent: str) -> str:
        """Return a continuation line's new indentation: same offset from its statement."""
        level = self.levels[-1]
        if self.in_fstring or level.old == level.new or "\f" in indent:
            return indent
        if indent.startswith(level.old) and "\t" not in indent[len(level.old) :]:
            return level.new + indent[len(level.old) :]
        return " " * max(_column(indent) + level.shift, 0)

    def _comment_indentation(self, indent: str) -> str:
        """Return a comment line's new indentation: its open level's, or its block's."""
        keep = indent[: indent.rfind("\f") + 1]
        column = _column(indent[len(keep) :])
        for level in self.levels:
            if level.old_column == column:
                return keep + level.new
        return keep + self.levels[-1].new

    def _placed(self, indent: str) -> tuple[bool, str]:
        """Split an absolute indentation into LibCST's ``(indent, whitespace)`` pair."""
        current = self.levels[-1].new
        if indent.startswith(current):
            return True, indent[len(current) :]
        return False, indent


def _multi_line_statement_lines(module: cst.Module, tree: ast.Module) -> set[int]:
    """Return the ``id`` of every LibCST statement line whose statements span several lines."""
    spans: dict[int, tuple[int, int]] = {}
    for stmt, path in statement_paths(module, tree).items():
        line = node_at(module, line_path(path))
        if isinstance(line, cst.SimpleStatementLine):
            first, last = spans.get(id(line), (stmt.lineno, stmt.lineno))
            spans[id(line)] = (min(first, stmt.lineno), max(last, stmt.end_lineno or stmt.lineno))
    return {key for key, (first, last) in spans.items() if last > first}


def _move_docstring(token: str, statement_column: int, shift: int) -> tuple[str | None, str]:
    """Shift the lines after the first of a docstring token by ``shift`` columns.

    Returns ``(new_token, "")``, or ``(None, reason)`` when the docstring stays as it is: it
    has one line (nothing to move, no reason), a line is left of its statement (placed so on
    purpose), or ``inspect.cleandoc`` would read the moved value differently (a tab inside a
    line, a backslash continuation).
    """
    quote_start = len(token) - len(token.lstrip("rRuU"))
    quote = token[quote_start : quote_start + 3]
    if quote not in ('"""', "'''"):
        return None, ""
    body = token[quote_start + 3 : -3]
    lines = _physical_lines(body)
    if len(lines) < 2:
        return None, ""
    moved = [lines[0]]
    for line in lines[1:]:
        indent = _DOCSTRING_LINE_INDENT.match(line).group()  # type: ignore[union-attr]
        rest = line[len(indent) :]
        column = _column(indent)
        if column >= statement_column:
            column += shift
        elif rest.strip():
            return None, "a line is left of its statement"
        elif shift < 0:
            column = min(column, statement_column + shift)
        moved.append(
            line if column == _column(indent) and "\t" not in indent else " " * column + rest
        )
    new_token = token[: quote_start + 3] + "".join(moved) + quote
    try:
        same = _cleandoc(token) == _cleandoc(new_token)
    except (SyntaxError, ValueError):
        same = False
    if not same:
        return None, "moving it would change its value after inspect.cleandoc"
    return new_token, ""


def _cleandoc(token: str) -> str:
    """Return a string token's docstring value (see :func:`_docstring_value`)."""
    value = ast.literal_eval(token)
    return _docstring_value(value) if isinstance(value, str) else repr(value)


def _docstring_value(value: str) -> str:
    """Return ``inspect.cleandoc(value)`` with whitespace-only lines emptied.

    Python 3.11's ``cleandoc`` keeps whitespace-only lines as they are when no line after
    the first has text (``"Summary.\\n    "``), so the closing quotes' column would count;
    moving them is the point, and such lines read the same whatever their length.
    """
    return "\n".join(line if line.strip() else "" for line in inspect.cleandoc(value).split("\n"))


# --- checks and helpers ------------------------------------------------------------------


def _same_program(old_code: str, new_code: str) -> bool:
    """Tell whether both codes have the same ``ast`` (docstrings after ``cleandoc``)."""
    try:
        return _normalized_dump(old_code) == _normalized_dump(new_code)
    except SyntaxError:
        return False


def _normalized_dump(code: str) -> str:
    """Dump the ``ast`` of ``code`` with every statement-string replaced by its doc value."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if _is_statement_string(node):
            node.value.value = _docstring_value(node.value.value)  # type: ignore[attr-defined]
    return ast.dump(tree)


def _segment(lines: list[str], node: ast.expr) -> str:
    """Return the source text of ``node`` (``ast.get_source_segment`` without re-splitting)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    head = lines[first].encode()[node.col_offset :].decode()
    tail = lines[last].encode()[: node.end_col_offset].decode()
    return head + "".join(lines[first + 1 : last]) + tail


def _is_statement_string(node: ast.AST) -> bool:
    """Tell whether ``node`` is a string that is a whole statement (a docstring)."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


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


def _physical_lines(text: str) -> list[str]:
    """Split ``text`` into lines the way Python numbers them (``\\n``, ``\\r\\n``, ``\\r``)."""
    return io.StringIO(text, newline="").readlines()
