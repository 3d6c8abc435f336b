"""Run a corpus check on the real corpora (Nova 34.0.0, the stdlib, large PyPI projects).

Usage: ``python scripts/corpus_check.py CHECK [options of that check]``.

* ``all``: every codemod at once on every corpus, and the invariants every run must keep
  (no crash, output that compiles, untouched lines kept byte for byte, a fixed point), with
  the counts per corpus (``scripts/corpus_all.py``);
* a codemod id: that codemod's own check, in ``scripts/corpus_<module>.py``;
* ``each``: every codemod's own check in turn, with its defaults.

Each check exposes ``main(argv) -> int``; this script only dispatches, so
``python scripts/corpus_check.py unused-variables --help`` shows that check's own options.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHECKS = {
    "all": "corpus_all",
    "indentation": "corpus_indentation",
    "unused-variables": "corpus_unused_variables",
    "resize-guard": "corpus_resize_guard",
    "docstring-stubs": "corpus_docstring_stubs",
}
CODEMOD_CHECKS = [name for name in CHECKS if name != "all"]


def main(argv: list[str]) -> int:
    """Dispatch to the named check (``each``: every codemod's); return its exit code."""
    if not argv or argv[0] not in (*CHECKS, "each"):
        print(__doc__.strip(), file=sys.stderr)
        print("checks: " + ", ".join([*CHECKS, "each"]), file=sys.stderr)
        return 2
    if argv[0] != "each":
        return importlib.import_module(CHECKS[argv[0]]).main(argv[1:])
    status = 0
    for name in CODEMOD_CHECKS:
        status = max(status, importlib.import_module(CHECKS[name]).main([]))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
