"""codemods: turn code-review findings into safe, reviewable, automatic fixes.

The public API for writing a codemod: subclass :class:`Codemod` (or :class:`TreeCodemod`),
yield :class:`Finding` objects from ``find`` and return edits from ``fix`` (made with the
:class:`SourceFile` helpers); test it with :mod:`codemods.testing`. :class:`Engine` runs
codemods on a file and :func:`all_codemods` lists the installed ones.
"""

import os as _os
import sys as _sys


def _drop_current_directory() -> None:
    """Under ``python -m codemods``, take the current directory off the front of sys.path.

    ``python -m`` puts it first (unless ``-P``/``PYTHONSAFEPATH``), and sets ``sys.argv[0]``
    to ``"-m"`` while it imports this package: an untrusted checkout's ``unidiff.py`` or
    ``click/`` would be imported in place of the real ones. Runs before any import below.
    """
    if _sys.argv[:1] != ["-m"] or getattr(_sys.flags, "safe_path", False) or not _sys.path:
        return
    first = _sys.path[0]
    if first == "" or _os.path.abspath(first) == _os.getcwd():
        del _sys.path[0]


_drop_current_directory()

from codemods.engine import Engine, FileError, FileResult  # noqa: E402 - sys.path first
from codemods.finding import Edit, Finding, FixSafety  # noqa: E402
from codemods.fixes.base import Codemod, Options, TreeCodemod  # noqa: E402
from codemods.fixes.registry import all_codemods  # noqa: E402
from codemods.source import SourceFile  # noqa: E402

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
