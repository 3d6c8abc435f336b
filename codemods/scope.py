"""The scope of a run: a report's findings, the lines a change touched, the baseline.

``--diff-base REF``, ``--staged`` and ``--line-ranges`` limit the fixes to findings on
changed lines (:mod:`codemods.changes`); the baseline (``.codemods-baseline.json`` in the
project root, or ``--baseline FILE``) leaves recorded findings alone
(:mod:`codemods.baseline`); ``--findings REPORT`` fixes only what the report's findings ask
for (:mod:`codemods.triage`). Each becomes a selector of the engine through the config, so
the worker processes apply them too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from codemods.baseline import BASELINE_FILE, Baseline, BaselineError
from codemods.changes import ChangeError, git_changes, line_ranges, repository_root
from codemods.config import Config
from codemods.inputs import InputError, read_input
from codemods.reports import Claim, ReportError, read_report


class ScopeError(Exception):
    """The scope options cannot be used together, or their input cannot be read."""


@dataclasses.dataclass(frozen=True)
class ScopeOptions:
    """What the command line says about the scope of the run."""

    diff_base: str | None = None
    staged: bool = False
    line_ranges: tuple[str, ...] = ()
    baseline: Path | None = None
    no_baseline: bool = False
    findings: Path | None = None


def with_scope(
    config: Config,
    options: ScopeOptions,
    paths: Sequence[str],
    *,
    stdin_filename: str | None = None,
) -> Config:
    """Return ``config`` with the changed lines and the baseline the options ask for.

    A ``--line-ranges`` path must name a file of the run: one of ``paths``, a file under one
    of them, or ``stdin_filename`` when the file is read from stdin.
    """
    chosen = [
        name
        for name, given in (
            ("--diff-base", options.diff_base is not None),
            ("--staged", options.staged),
            ("--line-ranges", bool(options.line_ranges)),
        )
        if given
    ]
    if len(chosen) > 1:
        raise ScopeError(f"{' and '.join(chosen)} cannot be used together")
    where = _anchor(paths)
    try:
        if options.diff_base is not None:
            changes = git_changes(where, options.diff_base)
            config = dataclasses.replace(
                config, changes=changes, changes_source=f"changed since {options.diff_base}"
            )
        elif options.staged:
            changes = git_changes(where, None, staged=True)
            config = dataclasses.replace(config, changes=changes, changes_source="staged")
        elif options.line_ranges:
            changes = line_ranges(options.line_ranges, Path.cwd())
            _check_ranged_files(options.line_ranges, paths, stdin_filename)
            config = dataclasses.replace(
                config, changes=changes, changes_source="in --line-ranges"
            )
        if options.findings is not None:
            claims = read_claims(options.findings)
            config = dataclasses.replace(
                config, claims=tuple(claims), claims_root=report_root(where)
            )
        if options.no_baseline:
            return config
        return dataclasses.replace(config, baseline=load_baseline(config, options.baseline))
    except (ChangeError, BaselineError, ReportError) as error:
        raise ScopeError(str(error)) from None


def _check_ranged_files(
    specs: Sequence[str], paths: Sequence[str], stdin_filename: str | None
) -> None:
    """Raise :class:`ChangeError` for a ``--line-ranges`` path that names no file of the run."""
    given = [Path(name).resolve() for name in paths if name != "-"]
    if "-" in paths:
        given.append(Path(stdin_filename or "-").resolve())
    for spec in specs:
        name = spec.rpartition(":")[0]
        path = Path(name).resolve()
        named_itself = path in given and not path.is_dir()
        under_one = path.is_file() and any(path.is_relative_to(p) for p in given)
        if named_itself or under_one:
            continue
        named = ", ".join(paths)
        if "-" in paths:
            named = f"--stdin-filename {stdin_filename}" if stdin_filename else "stdin, unnamed"
        raise ChangeError(f"--line-ranges {spec!r}: {name} names no file of the run ({named})")


def read_claims(report: Path) -> list[Claim]:
    """Read a report's findings; an unreadable or unknown report is a ReportError.

    The report is read through :func:`codemods.inputs.read_input`: a regular file of
    bounded size (a FIFO or a device is refused, never waited on).
    """
    try:
        data = read_input(report)
    except FileNotFoundError:
        raise ReportError(f"{report}: cannot read: No such file or directory") from None
    except InputError as error:
        raise ReportError(f"{report}: {error}") from None
    return read_report(data, str(report))


def report_root(where: Path) -> Path:
    """Return the directory a report's relative paths start from: the repository's top."""
    return repository_root(where) or Path.cwd()


def baseline_path(config: Config, given: Path | None) -> Path:
    """Return the baseline file of the run: ``given``, else the one in the project root."""
    return given if given is not None else config.project_root / BASELINE_FILE


def load_baseline(config: Config, given: Path | None) -> Baseline | None:
    """Read the baseline: ``None`` when there is none (a named file must exist)."""
    path = baseline_path(config, given)
    if given is None and not path.exists():
        return None
    if given is not None and not path.is_file():
        raise BaselineError(f"{path}: no such baseline file")
    return Baseline.load(path)


def _anchor(paths: Sequence[str]) -> Path:
    """Return a directory inside the repository the paths are in (for git)."""
    for name in paths:
        path = Path(name)
        if name != "-" and path.exists():
            return path if path.is_dir() else path.parent
    return Path.cwd()
