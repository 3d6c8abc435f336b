"""The contract every codemod implements, and the records it reports.

A codemod works in two steps so that files with nothing to do never pay for a LibCST parse:

1. ``plan(source)`` looks at the cheap views of the file (text, ``ast`` tree, ``symtable``)
   and returns a :class:`Plan`: the work it found (opaque to the engine) and the places it
   declined to edit, each with its reason.
2. ``rewrite(module, source, plan)`` runs only when the plan has work. It receives the one
   LibCST tree of the file (shared by every codemod, in the registry's order) and returns the
   edited tree with the list of :class:`Change` records.

The class docstring of a codemod is its documentation, in ruff's four parts (What it does /
Why is this bad? / Example / Fix safety); ``codemods explain ID`` prints it.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import libcst as cst

if TYPE_CHECKING:
    from codemods.source import SourceFile


class FixSafety(enum.Enum):
    """How much review a codemod's fix needs, in ruff's sense."""

    SAFE = "safe"
    """The fix keeps the program's behaviour."""
    UNSAFE = "unsafe"
    """The fix may change behaviour (for example on a failure path); review every hunk."""


@dataclasses.dataclass(frozen=True)
class Change:
    """One edit a codemod made: where and what.

    A codemod reports the 1-based line in the text it was given; the engine maps it to the
    line of the file as it was read before the result leaves the engine.
    """

    codemod_id: str
    line: int
    message: str


@dataclasses.dataclass(frozen=True)
class Skip:
    """A place a codemod chose not to edit, with the reason a reviewer can check."""

    codemod_id: str
    line: int
    reason: str


@dataclasses.dataclass(frozen=True)
class Options:
    """Base of every codemod's typed options; a codemod with no options uses it as is."""


@dataclasses.dataclass(frozen=True)
class Plan:
    """What ``plan`` found: the work to do (``None`` or empty: nothing) and the skips."""

    work: Any = None
    skips: tuple[Skip, ...] = ()

    @property
    def has_work(self) -> bool:
        """Tell whether ``rewrite`` has anything to do."""
        if self.work is None:
            return False
        if isinstance(self.work, Sequence | set | frozenset | dict):
            return len(self.work) > 0
        return True


OptionsT = TypeVar("OptionsT", bound=Options)


class Codemod(ABC, Generic[OptionsT]):
    """Base class of codemods. Subclasses set the class attributes and the two steps."""

    id: ClassVar[str]
    """Kebab-case identifier used by ``--select``, config tables and suppression comments."""
    summary: ClassVar[str]
    """One line for ``codemods list``."""
    safety: ClassVar[FixSafety]
    """How much review the fix needs."""
    options_type: ClassVar[type[Options]] = Options
    """The dataclass of this codemod's options, filled from ``[tool.codemods.<id>]``."""

    def __init__(self, options: OptionsT | None = None) -> None:
        """Create the codemod with its options (the defaults when none are given)."""
        self.options: OptionsT = options if options is not None else self.options_type()  # type: ignore[assignment]

    @classmethod
    def description(cls) -> str:
        """Return the full documentation (the class docstring, dedented)."""
        return inspect.getdoc(cls) or cls.summary

    @abstractmethod
    def plan(self, source: SourceFile) -> Plan:
        """Find the work in ``source`` with cheap analysis only (no LibCST)."""

    def repair(self, text: str, error: SyntaxError) -> str | None:
        """Return ``text`` made parseable, or ``None`` (the default: this codemod repairs nothing).

        An optional hook for codemods whose subject is what makes ``ast.parse`` fail (such as
        tabs and spaces that Python 3 rejects). The engine calls it only for a file that does
        not parse, before any ``plan``, on each selected codemod in run order; the first
        repair that parses is kept, recorded as a :class:`Change`, and the file then goes
        through every codemod as usual. Only whitespace-level repairs belong here.
        """
        return None

    @abstractmethod
    def rewrite(
        self, module: cst.Module, source: SourceFile, plan: Plan
    ) -> tuple[cst.Module, list[Change]]:
        """Apply ``plan`` to ``module`` (the tree of ``source.text``); return it and the changes."""


class TextCodemod(Codemod[OptionsT]):
    """A codemod that edits the file's text rather than its LibCST tree.

    For fixes whose subject is the text's layout (indentation), where a tree buys nothing and
    costs a parse: when such a codemod runs before the file has a LibCST tree (built-ins
    are ordered so that it does), the engine calls :meth:`rewrite_text` and the file is
    parsed with LibCST later only if a tree codemod has work. Run after a tree exists, it
    falls back to :meth:`rewrite`, which re-parses its output.
    """

    @abstractmethod
    def rewrite_text(self, source: SourceFile, plan: Plan) -> tuple[str, list[Change]]:
        """Apply ``plan`` to ``source.text``; return the new text and the changes."""

    def rewrite(
        self, module: cst.Module, source: SourceFile, plan: Plan
    ) -> tuple[cst.Module, list[Change]]:
        """Edit the text (``module`` is the tree of ``source.text``) and parse the result."""
        new_text, changes = self.rewrite_text(source, plan)
        return cst.parse_module(new_text), changes
