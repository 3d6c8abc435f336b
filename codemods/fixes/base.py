"""The contract every codemod implements: ``find`` reports findings, ``fix`` fixes the chosen ones.

1. ``find(source)`` looks at the cheap views of the file (text, ``ast``, ``symtable``) and
   yields :class:`~codemods.finding.Finding` objects: what is wrong where, and what the fix
   needs (in ``data``). A finding the codemod will not fix carries its ``skip`` reason.
2. The engine selects the findings to fix: suppression comments, then any other filter
   (a baseline, the lines a change touched...). A codemod never reads suppression comments.
3. ``fix(source, findings)`` returns :class:`~codemods.finding.Edit` objects for exactly the
   findings it is handed; :class:`TreeCodemod` instead edits the file's one LibCST tree in
   ``fix_tree``, for rewrites that need a tree (wrapping a statement in ``try``).

The class docstring of a codemod is its documentation, in ruff's four parts (What it does /
Why is this bad? / Example / Fix safety); ``codemods explain ID`` and ``docs/`` show it.
``VALID`` and ``INVALID`` examples beside it are its quick tests (see :mod:`codemods.testing`).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from codemods.finding import Edit, Finding, FixSafety
from codemods.reports import Claim
from codemods.source import SourceFile

if TYPE_CHECKING:
    import libcst as cst  # imported at run time only where a tree is built


@dataclasses.dataclass(frozen=True)
class Options:
    """Base of every codemod's typed options; a codemod with no options uses it as is.

    Fields are filled from ``[tool.codemods.<id>]`` (``kebab-case`` keys); a value the type
    allows but the codemod cannot use raises ``ValueError`` in ``__post_init__``.
    """


OptionsT = TypeVar("OptionsT", bound=Options)


class Codemod(ABC, Generic[OptionsT]):
    """Base class of codemods: set the class attributes, write ``find`` and ``fix``."""

    id: ClassVar[str]
    """Kebab-case identifier used by ``--select``, config tables and suppression comments."""
    summary: ClassVar[str]
    """One line for ``codemods list``."""
    safety: ClassVar[FixSafety] = FixSafety.SAFE
    """How much review the fix needs (a finding may say otherwise for its own fix)."""
    codes: ClassVar[frozenset[str]] = frozenset()
    """Other linters' codes this codemod's findings stand for (``F841``...)."""
    claims: ClassVar[frozenset[str]] = frozenset()
    """More rule ids and review kinds its findings answer (``W0612``, ``unused-variable``);
    with :attr:`codes` and the id, they route a report's findings to this codemod."""
    bare_noqa: ClassVar[bool] = True
    """Whether a bare ``# noqa`` (naming no code) suppresses this codemod's findings."""
    options_type: ClassVar[type[Options]] = Options
    """The dataclass of this codemod's options, filled from ``[tool.codemods.<id>]``."""
    VALID: ClassVar[Sequence[str]] = ()
    """Code this codemod must leave unchanged (run by :mod:`codemods.testing`)."""
    INVALID: ClassVar[Sequence[tuple[str, str]]] = ()
    """``(before, after)`` pairs this codemod must fix exactly so."""

    def __init__(self, options: OptionsT | None = None) -> None:
        """Create the codemod with its options (the defaults when none are given)."""
        self.options: OptionsT = options if options is not None else self.options_type()  # type: ignore[assignment]

    @classmethod
    def description(cls) -> str:
        """Return the full documentation: the class docstring, dedented, its tabs kept.

        (``inspect.getdoc`` would expand tabs, and examples of tab-indented code need them.
        From Python 3.13 the compiler itself dedents ``__doc__`` and expands its tabs, so the
        docstring is read as written, from the class's source, where that can be had.)
        """
        doc = _docstring_as_written(cls) or cls.__doc__
        if not doc:
            return cls.summary
        first, _, rest = doc.partition("\n")
        return (first.strip() + "\n" + textwrap.dedent(rest)).strip()

    @abstractmethod
    def find(self, source: SourceFile) -> Iterable[Finding]:
        """Yield what is wrong in ``source``, from cheap analysis only (no LibCST)."""

    @abstractmethod
    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        """Return the edits that fix exactly ``findings`` (found in this ``source``)."""

    def prepare(self, paths: Sequence[Path]) -> object:
        """Build, once, what every worker of the run will read; return it (default: ``None``).

        Called in the main process before the worker processes start, with the files of the
        run. The returned state must be picklable: the engine hands it to each worker's
        instance through :meth:`receive_prepared`, whatever the start method (under
        ``spawn`` and ``forkserver`` nothing the main process keeps in memory reaches the
        workers). ``None`` means there is nothing to hand over.
        """
        return None

    def receive_prepared(self, state: object) -> None:
        """Adopt the state :meth:`prepare` returned in the main process (default: ignore it).

        Called in each worker process, on that worker's own instance, before any file; never
        called when :meth:`prepare` returned ``None``. With one process (``-j 1``),
        :meth:`prepare` is not called: the codemod builds what it needs when it needs it.
        """

    def refute(self, source: SourceFile, claim: Claim) -> str | None:
        """Return the evidence that ``claim`` is false (this codemod found nothing for it).

        Called by ``codemods triage`` for a report's finding that matches none of this
        codemod's findings: say what the code shows instead (``flavors`` is read at line 36).
        ``None`` (the default) gives the generic "finds nothing of the kind" reason.
        """
        return None

    def left_alone(self, source: SourceFile, claim: Claim) -> str | None:
        """Return why a true ``claim`` is one this codemod never fixes (it found nothing).

        Called by ``codemods triage`` before :meth:`refute`: a finding the code confirms but
        this codemod leaves alone by design (a variable bound by tuple unpacking) is "not
        fixed" with this reason, never "refuted". ``None`` (the default): nothing to say.
        """
        return None

    def repair(self, text: str, error: SyntaxError) -> str | None:
        """Return ``text`` made parseable, or ``None`` (the default: this codemod repairs nothing).

        An optional hook for codemods whose subject is what makes ``ast.parse`` fail (such as
        tabs and spaces that Python 3 rejects). The engine calls it only for a file that does
        not parse, before any ``find``, on each selected codemod in run order; the first
        repair that parses is kept and reported, and the file then goes through every codemod.
        Only whitespace-level repairs belong here.
        """
        return None


class TreeCodemod(Codemod[OptionsT]):
    """A codemod whose fix edits the file's LibCST tree, shared by every tree codemod.

    The engine first offers the findings to :meth:`fix_text`: findings whose fix is a text
    edit at positions ``ast`` gives need no tree (a LibCST parse costs ten ``ast`` parses).
    Only when it declines does the engine parse the file with LibCST, once, and call
    :meth:`fix_tree` (the tree is shared with the next tree codemods).
    """

    def fix_text(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit] | None:
        """Return text edits that fix exactly ``findings``, or ``None`` when a tree is needed.

        The default needs a tree. The edits are verified like any codemod's (the new text
        must parse and compile).
        """
        return None

    @abstractmethod
    def fix_tree(
        self, module: cst.Module, source: SourceFile, findings: Sequence[Finding]
    ) -> cst.Module:
        """Return ``module`` (the tree of ``source.text``) with exactly ``findings`` fixed."""

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        """Fix with text edits when they do, else through a tree of this source alone."""
        edits = self.fix_text(source, findings)
        if edits is not None:
            return edits
        import libcst as cst

        module = self.fix_tree(cst.parse_module(source.text), source, findings)
        return [Edit(0, len(source.text), module.code)]


def _docstring_as_written(cls: type) -> str | None:
    """Return ``cls``'s docstring exactly as its source spells it, or ``None`` (no source)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        definition = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(definition, ast.ClassDef):
        return None
    return ast.get_docstring(definition, clean=False)
