"""The lines a change touched: from git (``--diff-base``, ``--staged``) or given (``--line-ranges``).

git is run through its own command line -- ``git diff --unified=0`` -- rather than a library:
it is on every machine that has a repository, it answers exactly what ``git diff`` shows the
user (renames, the index, ``.gitattributes``), and it adds no dependency. Each hunk header
``@@ -a,b +c,d @@`` gives the lines ``c .. c+d-1`` of the file as it is now; a pure deletion
(``d = 0``) touches the lines on both sides of the gap. A new file is all changed (its hunk
covers it); a renamed file is changed only where its lines differ. ``--diff-base`` also
counts untracked files (not ignored) as new.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from codemods.engine import Selector
from codemods.finding import Finding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13}


class ChangeError(Exception):
    """The changed lines cannot be known (not a repository, an unknown ref, a bad range)."""


class NotARepository(ChangeError):
    """The directory is not in a git repository (the message says which option needs one)."""


@dataclasses.dataclass(frozen=True)
class ChangedLines:
    """The lines of one file, as it is now, that a change touched (ranges are inclusive)."""

    ranges: tuple[tuple[int, int], ...]

    def overlaps(self, first: int, last: int) -> bool:
        """Tell whether any line ``first..last`` was touched."""
        return any(start <= last and first <= end for start, end in self.ranges)


Changes = dict[Path, ChangedLines]
"""Changed lines by the file's resolved path; a file not in it was not changed."""


def repository_root(where: Path) -> Path | None:
    """Return the top directory of the git repository ``where`` is in (``None``: not in one)."""
    try:
        return Path(os.fsdecode(_git(where, "rev-parse", "--show-toplevel").strip()))
    except ChangeError:
        return None


def git_changes(where: Path, base: str | None, *, staged: bool = False) -> Changes:
    """Return the lines changed between ``base`` and the working tree, or staged for commit.

    ``staged`` compares the index with ``HEAD`` (``git diff --cached``); otherwise the
    working tree (index included) is compared with ``base``, which must not start with
    ``-`` (:func:`check_ref`): git is never given an option from the command line's values.
    """
    revisions = [] if staged else [check_ref(base or "HEAD")]
    try:
        top = Path(os.fsdecode(_git(where, "rev-parse", "--show-toplevel").strip()))
    except NotARepository as error:
        option = "--staged" if staged else "--diff-base"
        raise NotARepository(f"{error}; {option} needs one") from None
    patch = _git(
        top,
        "-c",
        "core.quotePath=false",
        "diff",
        *(["--cached"] if staged else []),
        "--unified=0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--find-renames",
        "--diff-filter=ACMR",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--end-of-options",
        *revisions,
        "--",
    )
    changes = parse_unified_zero(patch, top)
    if staged:
        _refuse_partly_staged(top, changes)
    else:
        untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
        for name in filter(None, untracked.split(b"\0")):
            changes[(top / os.fsdecode(name)).resolve()] = ChangedLines(((1, _BIG),))
    return changes


def _refuse_partly_staged(top: Path, changes: Changes) -> None:
    """Refuse files whose working tree differs from the index: staged lines would not match.

    pre-commit stashes unstaged changes before running hooks, so there this never happens.
    """
    unstaged = _git(top, "diff", "--name-only", "-z", "--no-ext-diff", "--no-textconv", "--")
    for name in filter(None, unstaged.split(b"\0")):
        path = (top / os.fsdecode(name)).resolve()
        if path in changes:
            raise ChangeError(
                f"{path.relative_to(top.resolve())} has unstaged changes; --staged needs the "
                "working tree to match the index (stash them, as pre-commit does)"
            )


_BIG = 2**31
"""The last line of a file that is changed as a whole."""


def parse_unified_zero(patch: bytes, top: Path) -> Changes:
    """Read the new-side line ranges of every file in a ``git diff --unified=0`` patch."""
    changes: dict[Path, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    in_header = False  # between 'diff --git' and the first '@@': only there is '+++' a header
    for line in patch.split(b"\n"):
        if line.startswith(b"diff --git "):
            current, in_header = None, True
        elif in_header and line.startswith(b"+++ "):
            name = _unquote(line[4:].rstrip(b"\t"))
            if name == b"/dev/null":
                current = None
                continue
            path = (top / os.fsdecode(name.removeprefix(b"b/"))).resolve()
            current = changes.setdefault(path, [])
        elif current is not None and (match := _HUNK.match(line)):
            in_header = False
            start = int(match[1])
            count = 1 if match[2] is None else int(match[2])
            if count:
                current.append((start, start + count - 1))
            else:  # a deletion after line ``start``: the lines on both sides of the gap
                current.append((max(1, start), start + 1))
    return {path: ChangedLines(tuple(ranges)) for path, ranges in changes.items() if ranges}


def _unquote(name: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"a\\tb"``, octal escapes for other bytes)."""
    if not (name.startswith(b'"') and name.endswith(b'"')):
        return name
    body, result, index = name[1:-1], bytearray(), 0
    while index < len(body):
        byte = body[index : index + 1]
        if byte != b"\\":
            result += byte
            index += 1
            continue
        escaped = body[index + 1 : index + 2]
        if escaped.isdigit():
            result.append(int(body[index + 1 : index + 4], 8))
            index += 4
        else:
            result.append(_ESCAPES.get(escaped, escaped[0] if escaped else 92))
            index += 2
    return bytes(result)


class BadRef(ChangeError):
    """A ``--diff-base`` that git would read as an option, not a revision (a usage error)."""


def check_ref(ref: str) -> str:
    """Return ``ref`` if git can only read it as a revision; raise :class:`BadRef` otherwise.

    A ref starting with ``-`` (``--output=FILE``) would be an option of ``git diff``; an
    empty one or one with a NUL byte names no revision.
    """
    if not ref or ref.startswith("-") or "\0" in ref:
        raise BadRef(f"--diff-base {ref!r}: a revision cannot start with '-' or be empty")
    return ref


GIT_SAFETY = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "--no-pager",
)
"""Options before every git command: no fsmonitor program or hook from the repository's
configuration runs, and no pager (``diff.external`` and textconv drivers are turned off by
``--no-ext-diff --no-textconv`` on ``git diff`` itself; filter drivers by
:func:`_without_repository_filters`)."""

_REPOSITORY_SCOPES = frozenset({"local", "worktree"})
"""Configuration scopes that come with the checkout (``.git/config``, its includes, the
worktree's file), as opposed to the user's own (global, system) and the command line."""


def _without_repository_filters(where: Path) -> dict[str, str]:
    """Return an environment in which no filter driver the repository configures runs.

    A ``.gitattributes`` line ``* filter=x`` makes ``git diff`` pipe working-tree files
    through ``filter.x.clean`` or ``filter.x.process`` -- programs named in ``.git/config``,
    which a vendored tree or an unpacked archive brings along. Each driver defined in a
    repository scope is overridden with an empty command (git then runs none) and made optional through
    ``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``, which takes the name verbatim where ``-c``
    would parse it. Drivers from the user's own configuration (git-lfs) keep working.
    """
    environment = dict(os.environ)
    listing = _run_git(
        where,
        ["config", "-z", "--show-scope", "--name-only", "--get-regexp", r"^filter\."],
        environment,
        allowed_codes=(0, 1),  # 1: no such variable
    )
    fields = listing.split(b"\0")
    names = {
        os.fsdecode(name).rpartition(".")[0]
        for scope, name in zip(fields[::2], fields[1::2], strict=False)  # a trailing NUL
        if os.fsdecode(scope) in _REPOSITORY_SCOPES
    }
    count = int(environment.get("GIT_CONFIG_COUNT", "0") or 0)
    for driver in sorted(names):
        for key, value in (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")):
            environment[f"GIT_CONFIG_KEY_{count}"] = f"{driver}.{key}"
            environment[f"GIT_CONFIG_VALUE_{count}"] = value
            count += 1
    environment["GIT_CONFIG_COUNT"] = str(count)
    return environment


def _git(where: Path, *arguments: str) -> bytes:
    """Run ``git GIT_SAFETY... arguments`` in ``where``; return its stdout.

    ``arguments`` are fixed option words and values checked by the caller (a revision
    through :func:`check_ref`, after ``--end-of-options``), never raw user text. A
    ``diff`` runs with the repository's filter drivers turned off.
    """
    environment = _without_repository_filters(where) if "diff" in arguments else None
    return _run_git(where, list(arguments), environment)


def _run_git(
    where: Path,
    arguments: list[str],
    environment: dict[str, str] | None,
    *,
    allowed_codes: tuple[int, ...] = (0,),
) -> bytes:
    """Run one git command with :data:`GIT_SAFETY`; raise :class:`ChangeError` on failure."""
    try:
        done = subprocess.run(
            ["git", *GIT_SAFETY, *arguments],
            cwd=where,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=environment,
        )
    except FileNotFoundError:
        raise ChangeError("git is not installed; --diff-base and --staged need it") from None
    if done.returncode not in allowed_codes:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit code {done.returncode}"
        if "not a git repository" in first:
            raise NotARepository(f"{where} is not in a git repository")
        command = next(a for a in arguments if not a.startswith("-") and "=" not in a)
        raise ChangeError(f"git {command} failed: {first.removeprefix('fatal: ')}")
    return done.stdout


def line_ranges(specs: Sequence[str], cwd: Path) -> Changes:
    """Parse ``--line-ranges PATH:START-END`` values (repeatable, 1-based, inclusive)."""
    ranges: dict[Path, list[tuple[int, int]]] = {}
    for spec in specs:
        path, _, numbers = spec.rpartition(":")
        match = re.fullmatch(r"(\d+)-(\d+)", numbers)
        if not path or match is None:
            raise ChangeError(f"--line-ranges {spec!r}: expected PATH:START-END")
        start, end = int(match[1]), int(match[2])
        if not 1 <= start <= end:
            raise ChangeError(f"--line-ranges {spec!r}: expected 1 <= START <= END")
        ranges.setdefault((cwd / path).resolve(), []).append((start, end))
    return {path: ChangedLines(tuple(found)) for path, found in ranges.items()}


def in_changes(paths: Iterable[Path], changes: Mapping[Path, ChangedLines]) -> list[Path]:
    """Return the paths of files the change touched, in their order (others are not read)."""
    return [path for path in paths if path.resolve() in changes]


def changes_selector(changes: Mapping[Path, ChangedLines], what: str) -> Selector:
    """Return the selector that fixes only findings on lines of ``changes`` (``what`` says whose)."""
    resolved: dict[str, Path] = {}

    def select(finding: Finding) -> str | None:
        path = resolved.get(finding.path)
        if path is None:
            path = resolved[finding.path] = Path(finding.path).resolve()
        lines = changes.get(path)
        if lines is not None and any(
            lines.overlaps(first, last) for first, last in finding.lines_concerned
        ):
            return None
        return f"not on a line {what}"

    return select
