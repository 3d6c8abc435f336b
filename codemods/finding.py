"""What a codemod reports before it edits: :class:`Finding`, and the :class:`Edit` that fixes one.

A codemod's ``find`` yields findings; the engine fills in the fields marked *engine*, decides
which findings get fixed (suppression comments, a baseline, changed lines...) and hands the
selected ones back to the codemod's ``fix``. Every finding leaves the engine either fixed
(``skip is None``) or skipped with the reason a reviewer can check.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
from collections.abc import Hashable
from typing import Any


class FixSafety(enum.Enum):
    """How much review a fix needs, in ruff's sense."""

    SAFE = "safe"
    """The fix keeps the program's behaviour."""
    UNSAFE = "unsafe"
    """The fix may change behaviour (for example on a failure path); review every hunk."""


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing a codemod found: where, what, how safe its fix is, and whether it is fixed.

    Lines are 1-based. A codemod gives them in the text it was handed; the engine reports them
    in the file as it was read, whatever codemods ran before.
    """

    line: int
    """First line of the finding's region (a compound statement: its first header line)."""
    message: str
    r"""What was found, for the reviewer (``\`x\` is assigned but never read``)."""
    action: str = ""
    """What the fix does (``removed the assignment``); reports add it to a fixed finding."""
    end_line: int = 0
    """Last line of the region (``0``: the same as ``line``)."""
    rule: str = ""
    """The kind of finding (``unused-variable``, ``missing-docstring``); default: the codemod id."""
    codes: tuple[str, ...] = ()
    """Other linters' codes for this finding (``F841``); ``# noqa`` naming one suppresses it."""
    safety: FixSafety | None = None
    """The fix safety of this fix (``None``: the codemod's)."""
    skip: str | None = None
    """Why this finding is not fixed; ``None`` once the engine has fixed it."""
    anchor: str | None = None
    """Text that identifies the finding for its fingerprint (default: its lines' text)."""
    key: Hashable = None
    """The codemod's own name for this finding, for ``requires`` of other findings."""
    requires: frozenset[Hashable] = frozenset()
    """Keys of findings that must be fixed too for this fix to be right (a cascade)."""
    extent: tuple[tuple[int, int], ...] | None = None
    """The line ranges whose change concerns this finding, for runs limited to changed lines
    (a function's whole body for its missing docstring); ``None``: its region."""
    data: Any = dataclasses.field(default=None, compare=False, repr=False)
    """What the codemod needs to fix it (an ``ast`` node, a plan); opaque to the engine."""
    codemod_id: str = ""
    """*engine*: the codemod that reported it."""
    path: str = ""
    """*engine*: the file."""
    scope: str = ""
    """*engine*: the qualified name of the innermost class or function around it."""
    fingerprint: str = ""
    """*engine*: stable when unrelated lines move (codemod, rule, scope, text, occurrence)."""

    @classmethod
    def at(cls, node: ast.AST, message: str, **fields: Any) -> Finding:
        """Return a finding whose region is ``node``'s lines (a compound statement: its header)."""
        first, last = node_lines(node)
        return cls(line=first, end_line=last, message=message, **fields)

    @property
    def last_line(self) -> int:
        """Return the last line of the region."""
        return max(self.line, self.end_line)

    @property
    def lines_concerned(self) -> tuple[tuple[int, int], ...]:
        """Return the line ranges (first, last) whose change concerns this finding."""
        return self.extent if self.extent is not None else ((self.line, self.last_line),)

    @property
    def description(self) -> str:
        """Return the message, with what the fix did once it is fixed."""
        return f"{self.message}: {self.action}" if self.fixed and self.action else self.message

    @property
    def fixed(self) -> bool:
        """Tell whether the fix of this finding is in the result."""
        return self.skip is None


@dataclasses.dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``text`` (offsets in code points of the whole text)."""

    start: int
    end: int
    text: str


def node_lines(node: ast.AST) -> tuple[int, int]:
    """Return the first and last line a node owns (a compound statement: its header only).

    A simple statement owns all its lines; a compound statement owns its decorators and its
    header, up to the line before its body starts.
    """
    decorators = getattr(node, "decorator_list", None) or []
    lineno: int = getattr(node, "lineno", 1)
    first = min([lineno, *(d.lineno for d in decorators)])
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.AST):
        if body[0].lineno > lineno:
            return first, max(lineno, body[0].lineno - 1)
        return first, lineno
    return first, getattr(node, "end_lineno", None) or lineno
