"""Human-readable report lines: per-file lines and black-style summaries (the text format)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from codemods.engine import FileResult
from codemods.finding import FixSafety
from codemods.paths import posix_path
from codemods.safety import HELD_BACK, effective_safety


@dataclasses.dataclass
class Tally:
    """Counts of files by outcome, and the unsafe codemods that changed something."""

    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    unsafe_ids: set[str] = dataclasses.field(default_factory=set)
    held_back: int = 0
    """Unsafe fixes not made because they were not asked for."""
    extend_safe: tuple[str, ...] = ()
    extend_unsafe: tuple[str, ...] = ()
    """The configuration's ``extend-safe-fixes`` and ``extend-unsafe-fixes``: a fix is
    unsafe as they say (:func:`codemods.safety.effective_safety`), not as its codemod says."""
    no_files: str = "No Python files found."
    """The summary when no file was processed (a scope can say that none was in it)."""

    def add(self, result: FileResult) -> None:
        """Count one file's result."""
        self.held_back += sum(1 for finding in result.skips if finding.skip == HELD_BACK)
        if result.error is not None:
            self.failed += 1
        elif result.changed:
            self.changed += 1
            self.unsafe_ids.update(
                finding.codemod_id
                for finding in result.changes
                if effective_safety(finding, self.extend_safe, self.extend_unsafe)
                is FixSafety.UNSAFE
            )
        else:
            self.unchanged += 1

    def summary(self, *, applied: bool) -> str:
        """Return black's style of summary: ``2 files would be fixed, 5 files left unchanged.``"""
        parts = []
        if self.changed:
            verb = "fixed" if applied else "would be fixed"
            parts.append(f"{_files(self.changed)} {verb}")
        if self.unchanged:
            parts.append(f"{_files(self.unchanged)} left unchanged")
        if self.failed:
            parts.append(f"{_files(self.failed)} failed")
        if not parts:
            return self.no_files
        return ", ".join(parts) + "."

    def unsafe_note(self, *, applied: bool) -> str | None:
        """Return a reminder that unsafe fixes need review, when some were made."""
        if not self.unsafe_ids:
            return None
        ids = ", ".join(sorted(self.unsafe_ids))
        made = "were applied" if applied else "are in this diff"
        return f"Unsafe fixes ({ids}) {made}: they can change behaviour; review every hunk."

    def held_back_note(self) -> str | None:
        """Return how many unsafe fixes were held back, when some were."""
        if not self.held_back:
            return None
        fixes = "fix was" if self.held_back == 1 else "fixes were"
        return f"{self.held_back} unsafe {fixes} held back; run with --unsafe-fixes to see them."


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def skip_lines(result: FileResult) -> Iterable[str]:
    """Yield ``path:line: skip [id] message: reason`` for each finding left as it is."""
    for skip in result.skips:
        path = posix_path(result.path)
        yield f"{path}:{skip.line}: skip [{skip.codemod_id}] {skip.message}: {skip.skip}"


def change_lines(result: FileResult) -> Iterable[str]:
    """Yield ``path:line: [id] message: action`` for each fixed finding."""
    for change in result.changes:
        yield f"{posix_path(result.path)}:{change.line}: [{change.codemod_id}] {change.description}"


def would_fix_line(result: FileResult) -> str:
    """Return ``would fix PATH (ids)`` for ``codemods check``."""
    return f"would fix {posix_path(result.path)} ({', '.join(result.codemod_ids)})"
