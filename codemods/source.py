"""The cheap views of one file's text that codemods plan from: lines, ``ast``, ``symtable``.

Building a :class:`SourceFile` costs one ``ast.parse`` (about a tenth of a LibCST parse);
``symtable`` is built on first use only. Suppression comments are read here too:

* ``# codemods: skip`` on a line of a statement leaves that statement alone for every codemod;
* ``# codemods: skip[id,...]`` does the same for the named codemods only;
* ``# codemods: skip-file`` anywhere leaves the whole file alone.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import symtable
import tokenize
from collections.abc import Mapping

SUPPRESSION_MARKER = "codemods:"
_SUPPRESSION = re.compile(
    r"#\s*codemods:\s*(?P<kind>skip-file|skip)\b(?:\[(?P<ids>[\w\-,\s]*)\])?", re.IGNORECASE
)
ALL_CODEMODS: frozenset[str] = frozenset({"*"})
"""Marks a line suppressed for every codemod."""


class SourceFile:
    """One version of a file's text with its ``ast`` tree and lazily built ``symtable``."""

    def __init__(self, path: str, text: str) -> None:
        """Parse ``text`` with ``ast`` (raises ``SyntaxError`` on invalid code)."""
        self.path = path
        self.text = text
        self.tree: ast.Module = ast.parse(text, filename=path, type_comments=False)

    @functools.cached_property
    def lines(self) -> list[str]:
        """Return the physical lines, with their endings, numbered as ``ast`` numbers them.

        Only ``\n``, ``\r\n`` and ``\r`` end a line (``str.splitlines`` would also split at
        form feeds and other Unicode breaks, and shift every later line number).
        """
        return io.StringIO(self.text, newline="").readlines()

    @functools.cached_property
    def symtable(self) -> symtable.SymbolTable:
        """Return the compiler's scope analysis of the text (built on first use)."""
        return symtable.symtable(self.text, self.path, "exec")

    @functools.cached_property
    def suppressions(self) -> Mapping[int, frozenset[str]]:
        """Map line numbers with a skip comment to the codemod ids it names (``*``: all)."""
        if SUPPRESSION_MARKER not in self.text:
            return {}
        found: dict[int, frozenset[str]] = {}
        for line, comment in _comments(self.text):
            match = _SUPPRESSION.search(comment)
            if match is None or match["kind"].lower() != "skip":
                continue
            ids = match["ids"]
            if ids is None:
                found[line] = ALL_CODEMODS
            else:
                found[line] = frozenset(part.strip() for part in ids.split(",") if part.strip())
        return found

    @functools.cached_property
    def skip_file(self) -> bool:
        """Tell whether a ``# codemods: skip-file`` comment asks to leave the file alone."""
        if SUPPRESSION_MARKER not in self.text:
            return False
        return any(
            (match := _SUPPRESSION.search(comment)) is not None
            and match["kind"].lower() == "skip-file"
            for _, comment in _comments(self.text)
        )

    def is_line_suppressed(self, codemod_id: str, line: int) -> bool:
        """Tell whether ``line`` carries a skip comment that covers ``codemod_id``."""
        ids = self.suppressions.get(line)
        return ids is not None and (ids is ALL_CODEMODS or "*" in ids or codemod_id in ids)

    def is_suppressed(self, codemod_id: str, node: ast.stmt) -> bool:
        """Tell whether a skip comment on one of the statement's own lines covers ``codemod_id``.

        A simple statement owns all its lines; a compound statement owns its decorators and
        its header (up to the line before its body starts).
        """
        if not self.suppressions:
            return False
        first, last = statement_lines(node)
        return any(self.is_line_suppressed(codemod_id, line) for line in range(first, last + 1))


def statement_lines(node: ast.stmt) -> tuple[int, int]:
    """Return the first and last line a statement owns (a compound one: its header)."""
    decorators = getattr(node, "decorator_list", None) or []
    first = min([node.lineno, *(d.lineno for d in decorators)])
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.AST):
        header_end = max(node.lineno, body[0].lineno - 1)
        return first, header_end if body[0].lineno > node.lineno else node.lineno
    return first, node.end_lineno or node.lineno


def _comments(text: str) -> list[tuple[int, str]]:
    """Return ``(line, comment)`` for every comment token (strings are not comments)."""
    readline = io.StringIO(text).readline
    try:
        return [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(readline)
            if token.type == tokenize.COMMENT and SUPPRESSION_MARKER in token.string
        ]
    except (tokenize.TokenError, SyntaxError):
        return []
