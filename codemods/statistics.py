"""``--statistics``: how many findings each codemod fixed, and why the others were left alone.

Skip reasons name the code they are about (``snapshot_extract overrides Image.snapshot_extract``);
counted one by one they would not add up to anything. Each reason is counted by its kind:
quoted text, dotted, snake_case and CamelCase names and numbers are masked with ``…``, so
``'post' holds 'rebuild'`` and ``'req' holds 'shelve'`` count as one kind.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator

from codemods.engine import FileResult

_CODE_WORDS = re.compile(
    r"""'[^']*'|"[^"]*"|`[^`]*`"""  # quoted
    r"|\b\w+(?:\.\w+)+(?:\(\.\.\.\))?"  # dotted names and calls: self.api.post(...)
    r"|\b\w*_\w*\b"  # snake_case and dunder names
    r"|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b"  # CamelCase
    r"|\b\d+\b"
)


def reason_kind(reason: str) -> str:
    """Return ``reason`` with the names and numbers it quotes masked (see the module doc)."""
    return _CODE_WORDS.sub("…", reason)


class Statistics:
    """Counts of fixed findings per codemod, and of skipped ones per codemod and reason kind."""

    def __init__(self) -> None:
        """Start with nothing counted."""
        self.fixed: collections.Counter[str] = collections.Counter()
        self.skipped: collections.Counter[tuple[str, str]] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()

    def add(self, result: FileResult) -> None:
        """Count the findings of one file (a failed file counts as one error)."""
        if result.error is not None:
            self.errors[result.error.codemod_id or "file"] += 1
            return
        for finding in result.findings:
            if finding.fixed:
                self.fixed[finding.codemod_id] += 1
            else:
                self.skipped[(finding.codemod_id, reason_kind(finding.skip or ""))] += 1

    def lines(self) -> Iterator[str]:
        """Yield the table: ``count  codemod  fixed | skipped: reason | error``, largest first."""
        rows = [(count, codemod, "fixed") for codemod, count in self.fixed.items()]
        rows += [
            (count, codemod, f"skipped: {reason}")
            for (codemod, reason), count in self.skipped.items()
        ]
        rows += [(count, where, "failed") for where, count in self.errors.items()]
        if not rows:
            return
        count_width = max(len(str(count)) for count, _, _ in rows)
        id_width = max(len(codemod) for _, codemod, _ in rows)
        for count, codemod, what in sorted(rows, key=lambda row: (-row[0], row[1], row[2])):
            yield f"{count:>{count_width}}  {codemod:<{id_width}}  {what}"
