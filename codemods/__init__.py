"""codemods: turn code-review findings into safe, reviewable, automatic fixes.

The public API: :class:`~codemods.engine.Engine` runs codemods on a file,
:class:`~codemods.fixes.base.Codemod` is what a codemod implements, and
:func:`~codemods.fixes.registry.all_codemods` lists the known ones.
"""

from codemods.engine import Engine, FileError, FileResult
from codemods.fixes.base import Change, Codemod, FixSafety, Options, Plan, Skip
from codemods.fixes.registry import all_codemods

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Codemod",
    "Engine",
    "FileError",
    "FileResult",
    "FixSafety",
    "Options",
    "Plan",
    "Skip",
    "__version__",
    "all_codemods",
]
