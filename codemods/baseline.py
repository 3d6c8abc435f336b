"""A baseline that ratchets: today's findings are recorded and left alone; new ones are fixed.

``codemods baseline PATHS`` writes ``.codemods-baseline.json`` in the project root (the
nearest directory above the paths holding ``.git``, ``.hg`` or a ``pyproject.toml``:
:func:`codemods.config.find_project_root`), wherever it runs from: for each finding, its file
(relative to the baseline's directory), codemod, rule and fingerprint. With a baseline
present, ``check``, ``diff``, ``apply``, ``review`` and the hooks act only on findings not in
it, so CI can require "no new findings" on a legacy codebase from the first day. ``review``
adds the findings of every hunk a person declines, so a declined fix is not proposed again.

What is stable (see :mod:`codemods.fingerprints`): a fingerprint hashes the codemod, the
rule, the qualified name of the enclosing function or class, the finding's own text with
whitespace normalised, and its occurrence among identical findings in that scope -- never a
line number. A finding stays matched when lines above or below it are added or removed, when
its function moves within the file, or when only whitespace inside it changes. It is no longer
matched (and so is fixed) when its own text changes, when its function or class is renamed,
when an identical finding is inserted before it in the same scope, or when its file is renamed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from codemods.engine import Selector
from codemods.finding import Finding
from codemods.inputs import InputError, parse_json, read_input
from codemods.paths import relative_posix
from codemods.portability import lock_exclusive, open_flags_cloexec
from codemods.writes import WriteError, write_new_file

BASELINE_FILE = ".codemods-baseline.json"
IN_BASELINE = f"it is in the baseline ({BASELINE_FILE})"
_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or written; the message names it."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One recorded finding: where it is and what identifies it."""

    path: str
    """The file, relative to the baseline's directory, with forward slashes."""
    codemod: str
    rule: str
    fingerprint: str


@dataclasses.dataclass(frozen=True)
class Baseline:
    """The recorded findings of one baseline file."""

    path: Path
    entries: frozenset[Entry] = frozenset()
    loaded: frozenset[Entry] = dataclasses.field(default=frozenset(), compare=False)
    """The entries the file had when it was read: :meth:`save` writes only the difference
    between them and :attr:`entries` over what the file has then (another run's entries)."""

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read ``path``; a missing file is an empty baseline, a broken one an error.

        The file is read through :func:`codemods.inputs.read_input` (a regular file of
        bounded size; a FIFO or device is refused) and parsed with a nesting limit.
        """
        entries = _read_entries(path)
        return cls(path, entries, entries)

    def entry(self, finding: Finding) -> Entry:
        """Return the entry that records ``finding``."""
        relative = relative_posix(os.path.realpath(finding.path), self.path.parent.resolve())
        return Entry(relative, finding.codemod_id, finding.rule, finding.fingerprint)

    def contains(self, finding: Finding) -> bool:
        """Tell whether ``finding`` is recorded."""
        return self.entry(finding) in self.entries

    def replacing(
        self, files: Iterable[str], codemods: Iterable[str], findings: Iterable[Finding]
    ) -> Baseline:
        """Return this baseline with the entries of ``codemods`` in ``files`` replaced.

        Entries of other files and of codemods that did not run are kept, so a run limited
        by ``--select`` or one that could not read a file loses nothing.
        """
        root = self.path.parent.resolve()
        replaced = {relative_posix(os.path.realpath(f), root) for f in files}
        ran = set(codemods)
        kept = {e for e in self.entries if e.path not in replaced or e.codemod not in ran}
        return dataclasses.replace(self, entries=frozenset(kept | set(map(self.entry, findings))))

    def adding(self, findings: Iterable[Finding]) -> Baseline:
        """Return this baseline with ``findings`` recorded too."""
        return dataclasses.replace(self, entries=self.entries | set(map(self.entry, findings)))

    def save(self) -> None:
        """Write the baseline (sorted, so it diffs well), atomically, under a lock.

        Two runs at once (two ``baseline`` commands, a ``review`` and a ``baseline``) do not
        lose each other's entries: with the baseline's directory locked
        (:func:`_locked`), the file is read again and only this run's changes -- the
        entries it added and removed since :meth:`load` -- are applied to what it has now.
        """
        with _locked(self.path):
            current = _read_entries(self.path)
            added = self.entries - self.loaded
            removed = self.loaded - self.entries
            dataclasses.replace(self, entries=(current - removed) | added)._write()

    def _write(self) -> None:
        ordered = sorted(self.entries, key=lambda e: (e.path, e.codemod, e.rule, e.fingerprint))
        data = {"version": _VERSION, "findings": [dataclasses.asdict(e) for e in ordered]}
        try:
            encoded = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: its bytes as \udcXX escapes
            encoded = (json.dumps(data, indent=2) + "\n").encode("ascii")
        try:
            write_new_file(self.path, encoded)
        except WriteError as error:
            raise BaselineError(f"{self.path}: {error}") from None

    def selector(self) -> Selector:
        """Return the selector that leaves recorded findings alone."""

        def select(finding: Finding) -> str | None:
            return IN_BASELINE if self.contains(finding) else None

        return select


def _read_entries(path: Path) -> frozenset[Entry]:
    """Return the entries of the baseline file ``path`` (none when it does not exist)."""
    try:
        text = read_input(path).decode("utf-8")
    except FileNotFoundError:
        return frozenset()
    except InputError as error:
        raise BaselineError(f"{path}: {error}") from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"{path}: cannot read: {error}") from None
    try:
        data = parse_json(text)
        if data.get("version") != _VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        return frozenset(
            Entry(item["path"], item["codemod"], item["rule"], item["fingerprint"])
            for item in data["findings"]
        )
    except InputError as error:
        raise BaselineError(f"{path}: {error}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not a codemods baseline: {error}") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the directory of the baseline ``path`` while in the block.

    The directory, not a lock file, is locked (``flock``, through
    :func:`codemods.portability.lock_exclusive`): nothing is left in the checkout, and the
    lock goes with the process (a killed run leaves no stale lock). Where a directory
    cannot be opened or locked (Windows), the block runs unlocked.
    """
    try:
        descriptor = os.open(path.parent, os.O_RDONLY | open_flags_cloexec())
    except OSError:
        yield
        return
    try:
        try:
            lock_exclusive(descriptor)
        except OSError:
            pass  # a file system without locks: as without fcntl
        yield
    finally:
        os.close(descriptor)
