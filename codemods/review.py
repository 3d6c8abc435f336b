"""``codemods review``: walk the fixes hunk by hunk on a terminal, like ``git add -p``.

Each hunk is shown with the codemods that made it and their messages, then a prompt:

\b
  y  apply this hunk
  n  do not apply this hunk (its fixes are recorded in the baseline)
  a  apply this hunk and all the remaining ones in this file
  q  quit; keep the answers given so far
  s  split this hunk into smaller hunks (offered only when its changes are apart)
  e  edit this hunk in $EDITOR, then apply the edited hunk
  ?  print this help

**A file's answers are kept together, as soon as its last hunk is answered.** Its accepted
hunks become one patch that goes through :func:`codemods.patching.apply_patch`, so the same
checks hold as for ``apply --patch`` (every hunk must still match the file, the patched file
must parse, the write is atomic), and the fixes of its declined hunks are added to the
baseline (not with ``--no-baseline``). Whatever stops the review, each file either has all
its answers or is as it was:

* ``q`` keeps the answers given so far, the current file's accepted hunks included; its
  hunks not yet answered count as declined.
* End of input (Ctrl-D) stops as ``git add -p`` does, which is like ``q`` (the current
  file's accepted hunks are applied) with exit code 0; but the hunks never answered are not
  recorded as declined, since nobody declined them.
* Ctrl-C (or SIGTERM) keeps every file already answered, leaves the file being answered as
  it was (its answers are dropped, ``n`` included), and the command exits ``128 + N``.

A file's answers are kept with SIGINT and SIGTERM held, so a signal never falls between its
write and its baseline entries; while ``$EDITOR`` runs, Ctrl-C belongs to the editor.

``s`` splits a hunk, as ``git add -p`` does, where context lines separate its changes: each
part keeps the context around it (two neighbouring parts share the lines between them) and is
answered on its own. The accepted parts are joined again before the patch is made, so
accepting every part writes exactly the unsplit hunk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from codemods.baseline import Baseline
from codemods.diffs import NO_NEWLINE_MARKER, diff_path, split_lines, unified_diff
from codemods.engine import FileResult
from codemods.finding import Finding
from codemods.hunks import FileHunk, diff_hunks, fixed_with_hunks
from codemods.interrupts import STOP_SIGNALS, Interrupted
from codemods.patching import PatchError, apply_patch, plan_patch
from codemods.pathguard import PathGuard

HELP_LINES = {
    "y": "y - apply this hunk",
    "n": "n - do not apply this hunk",
    "a": "a - apply this hunk and all the remaining ones in this file",
    "q": "q - quit; keep the answers given so far",
    "s": "s - split this hunk into smaller hunks",
    "e": "e - edit this hunk in $EDITOR",
    "?": "? - print this help",
}
EDIT_NOTE = """\
# Edit the hunk above: change '+' lines, turn '-' lines into ' ' lines to keep them, or delete
# '+' lines. Do not touch ' ' and '-' lines otherwise: they must match the file. Lines starting
# with '#' are dropped. An empty hunk is not applied.
"""
END_OF_INPUT = (
    "End of input: quitting as with 'q' (as git add -p does); "
    "the hunks not answered are not recorded as declined."
)
_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class ReviewError(Exception):
    """A file's answers cannot be kept (the message says why); the file is as it was."""


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of a hunk: its kind (`` ``, ``-`` or ``+``) and its text with its newline."""

    kind: str
    text: str
    """The line without its kind; without a newline when the file's last line has none."""

    def render(self) -> str:
        """Return the line as a diff writes it (with ``\\ No newline at end of file``)."""
        if self.text.endswith("\n"):
            return self.kind + self.text
        return self.kind + self.text + "\n" + NO_NEWLINE_MARKER


@dataclasses.dataclass(frozen=True)
class Hunk:
    """One hunk as it is reviewed: where it starts in the old file, its lines, its fixes."""

    old_start: int
    """0-based index of its first old line (a pure insertion: of the line it goes before)."""
    lines: tuple[Line, ...]
    findings: tuple[Finding, ...] = ()
    """The fixed findings this hunk carries (declining it records them)."""
    new_start: int = -1
    """0-based index of its first new line, as shown (``-1``: the same as ``old_start``)."""

    @classmethod
    def parse(cls, text: str, findings: Iterable[Finding] = ()) -> Hunk:
        """Read a hunk in unified diff form, ``@@`` header first."""
        header, *body = split_lines(text)
        match = _HUNK_HEADER.match(header)
        if match is None:
            raise ValueError(f"not a hunk header: {header!r}")
        old_first, old_count, new_first, new_count = match.groups()
        old_start = int(old_first) - (old_count != "0")
        new_start = int(new_first) - (new_count != "0")
        lines = _parse_lines(body)
        if lines is None:
            raise ValueError("a hunk line is not ' ', '-', '+' or '\\'")
        return cls(old_start, lines, tuple(findings), new_start)

    @property
    def old_lines(self) -> list[str]:
        """Return the lines of the old file the hunk covers (context and removed lines)."""
        return [line.text for line in self.lines if line.kind != "+"]

    @property
    def new_count(self) -> int:
        """Return how many lines of the new file the hunk covers."""
        return sum(1 for line in self.lines if line.kind != "-")

    @property
    def old_end(self) -> int:
        """Return the 0-based index just past the old lines the hunk covers."""
        return self.old_start + len(self.old_lines)

    def text(self, new_start: int | None = None) -> str:
        """Return the hunk in unified diff form (``new_start``: its 0-based new first line)."""
        if new_start is None:
            new_start = self.old_start if self.new_start < 0 else self.new_start
        old_count, new_count = len(self.old_lines), self.new_count
        old_first = self.old_start + (old_count != 0)
        new_first = new_start + (new_count != 0)
        header = f"@@ -{old_first},{old_count} +{new_first},{new_count} @@\n"
        return header + "".join(line.render() for line in self.lines)

    def _runs(self) -> list[tuple[int, int]]:
        """Return the runs of changed lines, as ``(start, end)`` indexes into ``lines``."""
        runs: list[tuple[int, int]] = []
        for index, line in enumerate(self.lines):
            if line.kind == " ":
                continue
            if runs and runs[-1][1] == index:
                runs[-1] = (runs[-1][0], index + 1)
            else:
                runs.append((index, index + 1))
        return runs

    @property
    def splittable(self) -> bool:
        """Tell whether context lines separate the hunk's changes (``s`` can split it)."""
        return len(self._runs()) > 1

    def split(self) -> list[Hunk]:
        """Cut the hunk into one part per run of changes, each with the context around it.

        Two neighbouring parts share the context lines between their changes, as in
        ``git add -p``; :func:`joined` merges them back when both are accepted. Each of the
        hunk's findings goes to the part whose changes are nearest to its lines.
        """
        runs = self._runs()
        if len(runs) < 2:
            return [self]
        shown_start = self.old_start if self.new_start < 0 else self.new_start
        parts: list[Hunk] = []
        for number in range(len(runs)):
            first = runs[number - 1][1] if number else 0
            last = runs[number + 1][0] if number + 1 < len(runs) else len(self.lines)
            before = self.lines[:first]
            parts.append(
                Hunk(
                    self.old_start + sum(1 for line in before if line.kind != "+"),
                    self.lines[first:last],
                    new_start=shown_start + sum(1 for line in before if line.kind != "-"),
                )
            )
        spans = [_changed_span(part) for part in parts]
        found: list[list[Finding]] = [[] for _ in parts]
        for finding in self.findings:
            distances = [_distance(finding, span) for span in spans]
            found[distances.index(min(distances))].append(finding)
        return [
            dataclasses.replace(part, findings=tuple(own))
            for part, own in zip(parts, found, strict=True)
        ]


def _parse_lines(body: Iterable[str]) -> tuple[Line, ...] | None:
    """Read a hunk's lines; ``None`` when one is not a diff line.

    An empty line is a context line whose leading space an editor dropped.
    """
    lines: list[Line] = []
    for raw in body:
        if raw.startswith("\\"):
            if lines and lines[-1].text.endswith("\n"):
                last = lines.pop()
                lines.append(Line(last.kind, last.text[:-1]))
            continue
        if raw in ("\n", "\r\n"):
            lines.append(Line(" ", raw))
        elif raw[:1] in (" ", "-", "+"):
            lines.append(Line(raw[0], raw[1:]))
        else:
            return None
    return tuple(lines)


def _changed_span(hunk: Hunk) -> tuple[int, int]:
    """Return the 1-based old lines a hunk's changes span (an insertion: the line after)."""
    old_line = hunk.old_start
    first = last = 0
    for line in hunk.lines:
        if line.kind != " " and not first:
            first = last = old_line + 1
        if line.kind == "-":
            last = old_line + 1
        if line.kind != "+":
            old_line += 1
    return first, max(first, last)


def _distance(finding: Finding, span: tuple[int, int]) -> int:
    """Return how many lines apart a finding's region and a span of changes are."""
    first, last = span
    if finding.last_line < first:
        return first - finding.last_line
    return max(0, finding.line - last)


def joined(hunks: Iterable[Hunk]) -> list[Hunk]:
    """Merge hunks that overlap (parts of a split hunk) into one; keep file order.

    The overlap must be context lines of the later hunk, as split parts share; an edited
    hunk that changed them cannot be joined (:class:`ReviewError`).
    """
    merged: list[Hunk] = []
    for hunk in hunks:
        if merged and hunk.old_start < merged[-1].old_end:
            previous = merged[-1]
            overlap = previous.old_end - hunk.old_start
            lines = list(hunk.lines)
            shared = lines[:overlap]
            if len(shared) < overlap or any(line.kind != " " for line in shared):
                raise ReviewError(
                    "two accepted hunks change the same lines (an edited part of a split hunk)"
                )
            merged[-1] = dataclasses.replace(
                previous,
                lines=previous.lines + tuple(lines[overlap:]),
                findings=previous.findings + hunk.findings,
            )
        else:
            merged.append(hunk)
    return merged


@dataclasses.dataclass(frozen=True)
class ReviewedFile:
    """One file's answers: its accepted hunks (as a patch section) and its declined fixes."""

    path: str
    header: str
    hunks: tuple[Hunk, ...]
    encoding: str
    declined: tuple[Finding, ...] = ()
    """The fixed findings of the hunks the person declined (``n``, or left by ``q``)."""
    skipped: int = 0
    """How many of its hunks were not applied."""

    def patch(self) -> bytes:
        """Return the patch section for this file (empty when no hunk was accepted)."""
        if not self.hunks:
            return b""
        sections = [self.header]
        shift = 0
        for hunk in joined(self.hunks):
            sections.append(hunk.text(hunk.old_start + shift))
            shift += hunk.new_count - len(hunk.old_lines)
        return "".join(sections).encode(
            "utf-8" if self.encoding == "utf-8-sig" else self.encoding, "surrogateescape"
        )


@dataclasses.dataclass(frozen=True)
class Terminal:
    """How review talks to the person: print text, ask a question, edit text.

    ``ask`` raises :class:`EOFError` at the end of input (Ctrl-D); a :class:`KeyboardInterrupt`
    (Ctrl-C) goes through :func:`review` to its caller.
    """

    show: Callable[[str], None]
    ask: Callable[[str], str]
    edit: Callable[[str], str | None]


@dataclasses.dataclass
class Tally:
    """How far a review got; kept up to date, so an interrupted review can say it."""

    files_kept: int = 0
    """Files whose answers are kept (written and recorded): every hunk answered, or quit."""
    files_written: int = 0
    hunks_applied: int = 0
    skipped: int = 0
    recorded: int = 0
    """Declined fixes added to the baseline."""
    failed: int = 0
    """Files left as they were because their accepted hunks could not be applied."""
    current: str | None = None
    """The file being answered, whose answers are not kept yet."""


class Keeper:
    """Keeps each finished file's answers: writes its accepted hunks, records its declines."""

    def __init__(
        self,
        root: Path,
        baseline: Baseline | None,
        report: Callable[[str], None],
        guard: PathGuard | None = None,
    ) -> None:
        """Patch files under ``root`` as ``guard`` allows (default: every file under it);
        record in ``baseline`` (``None``: ``--no-baseline``)."""
        self.root = root
        self.guard = guard
        self.baseline = baseline
        self.report = report
        self.tally = Tally()

    def keep(self, reviewed: ReviewedFile) -> None:
        """Write the file's accepted hunks and record its declined fixes, or neither.

        A patch that does not apply (the file changed, the result does not parse...) is
        reported and the file left as it was, its declines unrecorded; the review goes on.
        A baseline that cannot be written raises :class:`codemods.baseline.BaselineError`.
        """
        with _signals_held():
            try:
                patch = reviewed.patch()
                if patch:
                    plan_patch(
                        patch, self.root, self.guard
                    )  # every check, before anything is written
            except (PatchError, ReviewError) as error:
                self._failed(reviewed, error)
                return
            if reviewed.declined and self.baseline is not None:
                self.baseline = self.baseline.adding(reviewed.declined)
                self.baseline.save()
                self.tally.recorded += len(reviewed.declined)
            if patch:
                try:
                    apply_patch(patch, self.root, self.guard)
                except PatchError as error:
                    self._failed(reviewed, error)
                    return
                self.tally.files_written += 1
                self.tally.hunks_applied += len(reviewed.hunks)
            self.tally.skipped += reviewed.skipped
            self.tally.files_kept += 1
            self.tally.current = None

    def _failed(self, reviewed: ReviewedFile, error: Exception) -> None:
        self.report(f"error: {error}; {diff_path(reviewed.path)} was left as it was")
        self.tally.failed += 1
        self.tally.current = None

    def stopped(self, why: str) -> str:
        """Return the one line that says what a review stopped early kept (``why``: by what)."""
        tally = self.tally
        if not tally.files_kept:
            kept = "no file was fully answered, nothing was written"
        else:
            recorded = (
                f"{_count(tally.recorded, 'declined fix', 'declined fixes')} recorded"
                if self.baseline is not None
                else "declined fixes not recorded (--no-baseline)"
            )
            kept = (
                f"kept the answers for {_count(tally.files_kept, 'file')} "
                f"({_count(tally.hunks_applied, 'hunk')} applied to "
                f"{_count(tally.files_written, 'file')}, {recorded})"
            )
        current = (
            f"; {diff_path(tally.current)} was not fully answered and is as it was"
            if tally.current is not None
            else ""
        )
        return f"{why}: {kept}{current}."


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM in the body; one that came is raised when the body is done."""
    held: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        held.append(signum)

    previous = {number: signal.signal(number, hold) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if held:
        raise Interrupted(held[0])


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Let Ctrl-C belong to ``$EDITOR`` while it runs (as git does); the editor gets the
    default handler, since a handler of ours is reset when it starts."""

    def ignore(_signum: int, _frame: object) -> None:
        pass

    previous = signal.signal(signal.SIGINT, ignore)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def review(results: Iterable[FileResult], terminal: Terminal, keeper: Keeper) -> Tally:
    """Walk every hunk of every changed file; keep each file's answers once it is done."""
    for result in results:
        if not result.changed:
            continue
        keeper.tally.current = result.path
        if _review_file(result, terminal, keeper):
            break
    return keeper.tally


def _review_file(result: FileResult, terminal: Terminal, keeper: Keeper) -> bool:
    """Ask about each hunk of one file and keep the answers; return whether to quit."""
    path = os.path.relpath(os.path.abspath(result.path), keeper.root)  # the patch's root
    diff = unified_diff(result.old_text, result.new_text, path, bom=result.has_bom)
    header = "".join(split_lines(diff)[:2])  # the '---' and '+++' lines
    patch_hunks = diff_hunks(diff, result.old_text)
    findings = _findings_by_hunk(result, patch_hunks)
    queue = [Hunk.parse(hunk.hunk, findings.get(hunk.index, ())) for hunk in patch_hunks]
    old_lines = split_lines(("\ufeff" if result.has_bom else "") + result.old_text)
    accepted: list[Hunk] = []
    declined: list[Finding] = []
    skipped = 0
    quit_now = False
    terminal.show(header.rstrip("\n"))
    index = 0
    while index < len(queue):
        hunk = queue[index]
        for finding in hunk.findings:
            terminal.show(f"# [{finding.codemod_id}] {finding.description}")
        terminal.show(hunk.text().rstrip("\n"))
        choices = "y,n,a,q,s,e,?" if hunk.splittable else "y,n,a,q,e,?"
        question = (
            f"({index + 1}/{len(queue)}) Apply this hunk to {diff_path(result.path)} [{choices}]? "
        )
        try:
            answer = _ask(terminal, question, hunk.splittable)
        except EOFError:
            terminal.show("")  # the prompt's line was not ended
            terminal.show(END_OF_INPUT)
            skipped += len(queue) - index
            quit_now = True
            break
        if answer == "s":
            parts = hunk.split()
            queue[index : index + 1] = parts
            terminal.show(f"Split into {len(parts)} hunks.")
            continue
        if answer == "e":
            edited = _edited(hunk, terminal, old_lines)
            if edited is None:
                continue  # not a hunk that applies: asked again
            if edited.lines:
                accepted.append(edited)
            else:
                skipped += 1
        elif answer == "y":
            accepted.append(hunk)
        elif answer == "a":
            accepted.extend(queue[index:])
            break
        elif answer == "q":
            skipped += len(queue) - index
            declined.extend(finding for rest in queue[index:] for finding in rest.findings)
            quit_now = True
            break
        else:
            skipped += 1
            declined.extend(hunk.findings)
        index += 1
    keeper.keep(
        ReviewedFile(
            result.path, header, tuple(accepted), result.encoding, tuple(declined), skipped
        )
    )
    return quit_now


def _ask(terminal: Terminal, question: str, splittable: bool) -> str:
    while True:
        answer = terminal.ask(question).strip().lower()[:1]
        if answer == "s" and not splittable:
            terminal.show("Sorry, cannot split this hunk")
        elif answer in ("y", "n", "a", "q", "e", "s"):
            return answer
        else:
            terminal.show(
                "\n".join(text for key, text in HELP_LINES.items() if key != "s" or splittable)
            )


def _edited(hunk: Hunk, terminal: Terminal, old_lines: list[str]) -> Hunk | None:
    """Let the person edit ``hunk``; return it (no lines: nothing to apply), ``None``: asked again.

    The edited hunk keeps the place of the original: its ``@@`` line is ignored and its
    counts recomputed. Its context and removed lines must be the file's lines there.
    """
    with _interrupts_ignored():
        text = terminal.edit(hunk.text() + EDIT_NOTE)
    body = [line for line in split_lines(text or "") if not line.startswith("#")]
    if body and body[0].startswith("@@"):
        body = body[1:]
    lines = _parse_lines(body)
    if lines is None:
        terminal.show("The edited hunk has a line that is not ' ', '-' or '+'; answer again.")
        return None
    if not any(line.kind != " " for line in lines):
        return dataclasses.replace(hunk, lines=())
    edited = dataclasses.replace(hunk, lines=lines)
    if edited.old_lines != old_lines[hunk.old_start : edited.old_end]:
        terminal.show(
            "The edited hunk's ' ' and '-' lines are not the file's lines there; answer again."
        )
        return None
    return edited


def _findings_by_hunk(result: FileResult, hunks: list[FileHunk]) -> dict[int, list[Finding]]:
    """Map each hunk's index to the fixed findings it carries."""
    findings: dict[int, list[Finding]] = {}
    for finding, hunk, _ in fixed_with_hunks(result, hunks):
        if hunk is not None:
            findings.setdefault(hunk.index, []).append(finding)
    return findings
