"""codemods: turn code-review findings into safe, reviewable, automatic fixes.

The public API for writing a codemod: subclass :class:`Codemod` (or :class:`TreeCodemod`),
yield :class:`Finding` objects from ``find`` and return edits from ``fix`` (made with the
:class:`SourceFile` helpers); test it with :mod:`codemods.testing`. :class:`Engine` runs
codemods on a file and :func:`all_codemods` lists the installed ones.
"""

from codemods.engine import Engine, FileError, FileResult
from codemods.finding import Edit, Finding, FixSafety
from codemods.fixes.base import Codemod, Options, TreeCodemod
from codemods.fixes.registry import all_codemods
from codemods.source import SourceFile

__version__ = "0.1.0"

__all__ = [
    "Codemod",
    "Edit",
    "Engine",
    "FileError",
    "FileResult",
    "Finding",
    "FixSafety",
    "Options",
    "SourceFile",
    "TreeCodemod",
    "__version__",
    "all_codemods",
]
