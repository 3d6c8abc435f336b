"""Run a codemod's corpus check on the real corpora (Nova 34.0.0 wheel, the stdlib).

Usage: ``python scripts/corpus_check.py CODEMOD-ID [options of that check]``. Each codemod's
check lives in ``scripts/corpus_<module>.py`` and exposes ``main(argv) -> int``; this script
only dispatches, so ``python scripts/corpus_check.py unused-variables --help`` shows that
check's own options. ``all`` runs every check with its defaults.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHECKS = {
    "indentation": "corpus_indentation",
    "unused-variables": "corpus_unused_variables",
    "resize-guard": "corpus_resize_guard",
    "docstring-stubs": "corpus_docstring_stubs",
}


def main(argv: list[str]) -> int:
    """Dispatch to the named codemod's corpus check; return its exit code."""
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in (*CHECKS, "all"):
        print(__doc__.strip(), file=sys.stderr)
        print("checks: " + ", ".join(CHECKS), file=sys.stderr)
        return 2
    names = list(CHECKS) if argv[0] == "all" else [argv[0]]
    status = 0
    for name in names:
        module = importlib.import_module(CHECKS[name])
        status = max(status, module.main(argv[1:] if argv[0] != "all" else []))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
