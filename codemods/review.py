"""``codemods review``: walk the fixes hunk by hunk on a terminal, like ``git add -p``.

Each hunk is shown with the codemods that made it and their messages, then a prompt:

\b
  y  apply this hunk
  n  do not apply this hunk
  a  apply this hunk and all the remaining ones in this file
  q  quit; apply only the hunks accepted so far
  e  edit this hunk in $EDITOR, then apply the edited hunk
  ?  print this help

The accepted hunks become one patch that goes through :func:`codemods.patching.apply_patch`,
so the same checks hold as for ``apply --patch``: every hunk must still match the file, every
patched file must parse, and the files are written all or nothing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable

from codemods.diffs import diff_path, unified_diff
from codemods.engine import FileResult
from codemods.finding import Finding
from codemods.hunks import FileHunk, diff_hunks, fixed_with_hunks

HELP = """\
y - apply this hunk
n - do not apply this hunk
a - apply this hunk and all the remaining ones in this file
q - quit; apply only the hunks accepted so far
e - edit this hunk in $EDITOR
? - print this help"""
EDIT_NOTE = """\
# Edit the hunk above: change '+' lines, turn '-' lines into ' ' lines to keep them, or delete
# '+' lines. Do not touch ' ' and '-' lines otherwise: they must match the file. Lines starting
# with '#' are dropped. An empty hunk is not applied.
"""


@dataclasses.dataclass(frozen=True)
class ReviewedFile:
    """One file's accepted hunks, as a patch section in the file's encoding."""

    path: str
    header: str
    hunks: tuple[str, ...]
    encoding: str
    declined: tuple[Finding, ...] = ()
    """The fixed findings of the hunks the person declined (``n``, or left by ``q``)."""

    def patch(self) -> bytes:
        """Return the patch section for this file (empty when no hunk was accepted)."""
        if not self.hunks:
            return b""
        text = self.header + "".join(self.hunks)
        return text.encode(
            "utf-8" if self.encoding == "utf-8-sig" else self.encoding, "surrogateescape"
        )


@dataclasses.dataclass(frozen=True)
class Terminal:
    """How review talks to the person: print text, ask a question, edit text."""

    show: Callable[[str], None]
    ask: Callable[[str], str]
    edit: Callable[[str], str | None]


def review(results: Iterable[FileResult], terminal: Terminal) -> tuple[list[ReviewedFile], int]:
    """Walk every hunk of every changed file; return the accepted hunks and the skipped count."""
    reviewed: list[ReviewedFile] = []
    skipped = 0
    for result in results:
        if not result.changed:
            continue
        accepted, file_skipped, quit_now = _review_file(result, terminal)
        reviewed.append(accepted)
        skipped += file_skipped
        if quit_now:
            break
    return reviewed, skipped


def _review_file(result: FileResult, terminal: Terminal) -> tuple[ReviewedFile, int, bool]:
    path = os.path.relpath(result.path)  # the patch is applied from the current directory
    diff = unified_diff(result.old_text, result.new_text, path, bom=result.has_bom)
    header = diff[: diff.index("@@")]
    patch_hunks = diff_hunks(diff, result.old_text)
    findings = _findings_by_hunk(result, patch_hunks)
    reasons = {
        index: [f"[{finding.codemod_id}] {finding.description}" for finding in found]
        for index, found in findings.items()
    }
    declined: list[Finding] = []
    hunks = [file_hunk.hunk for file_hunk in patch_hunks]
    accepted: list[str] = []
    skipped = 0
    accept_rest = False
    terminal.show(header.rstrip("\n"))
    for number, hunk in enumerate(hunks, start=1):
        if accept_rest:
            accepted.append(hunk)
            continue
        for reason in reasons.get(number - 1, []):
            terminal.show(f"# {reason}")
        terminal.show(hunk.rstrip("\n"))
        answer = _ask(
            terminal,
            f"({number}/{len(hunks)}) Apply this hunk to {diff_path(result.path)} [y,n,a,q,e,?]? ",
        )
        if answer == "y":
            accepted.append(hunk)
        elif answer == "a":
            accepted.append(hunk)
            accept_rest = True
        elif answer == "e":
            edited = terminal.edit(hunk + EDIT_NOTE)
            kept = _without_comments(edited)
            if kept:
                accepted.append(kept)
            else:
                skipped += 1
        elif answer == "q":
            skipped += len(hunks) - number + 1
            for index in range(number - 1, len(hunks)):
                declined.extend(findings.get(index, []))
            reviewed = ReviewedFile(
                result.path, header, tuple(accepted), result.encoding, tuple(declined)
            )
            return reviewed, skipped, True
        else:
            skipped += 1
            declined.extend(findings.get(number - 1, []))
    reviewed = ReviewedFile(result.path, header, tuple(accepted), result.encoding, tuple(declined))
    return reviewed, skipped, False


def _ask(terminal: Terminal, question: str) -> str:
    while True:
        answer = terminal.ask(question).strip().lower()[:1]
        if answer in ("y", "n", "a", "q", "e"):
            return answer
        terminal.show(HELP)


def _without_comments(text: str | None) -> str:
    if text is None:
        return ""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    if not any(line.startswith(("+", "-")) for line in lines):
        return ""
    kept = "".join(lines)
    return kept if kept.endswith("\n") else kept + "\n"


def _findings_by_hunk(result: FileResult, hunks: list[FileHunk]) -> dict[int, list[Finding]]:
    """Map each hunk's index to the fixed findings it carries."""
    findings: dict[int, list[Finding]] = {}
    for finding, hunk, _ in fixed_with_hunks(result, hunks):
        if hunk is not None:
            findings.setdefault(hunk.index, []).append(finding)
    return findings
