"""Triage: check each claim of a report against the code; fix the true ones, refute the false.

Every :class:`~codemods.reports.Claim` gets exactly one :class:`Verdict`:

* **fixed** -- a codemod found what the claim says, and its fix for it is in the diff;
* **refuted** -- the code shows the claim is false; the reason is the evidence
  (``flavors`` is read at line 36);
* **not fixed** -- the claim may be true, but the codemod declines (an unsafe fix not asked
  for, a suppression comment, an ambiguous case, a form it never edits): the reason is its
  skip reason; also a claim no finding matches when the code shows nothing against it --
  a claim is refuted only with positive evidence;
* **unsupported** -- no codemod handles this rule, or the claim cannot be checked (its file
  is outside the tree or missing, its line is past the end of the file).

A claim is routed to a codemod by its rule id or kind (:func:`rule_table`: each codemod's
``codes`` and ``claims``, then ``rule-map`` in the configuration). It matches the codemod's
findings whose lines (a missing docstring: its whole definition) meet the claim's lines,
and when the claim names something (``flavors``), findings about that name. With
``--findings``, :func:`claims_selector` lets the engine fix only findings some claim matched,
so the diff holds nothing that no claim asked for.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from codemods.astutil import physical_lines
from codemods.engine import FILE_SKIP_ID, Engine, FileResult, Selector
from codemods.finding import Finding
from codemods.fixes.base import Codemod
from codemods.reports import Claim, resolve
from codemods.source import (
    DecodeError,
    NotRegularFile,
    SourceFile,
    decode_source,
    read_regular_file,
)


class Verdict(enum.Enum):
    """What the code says about a claim."""

    FIXED = "fixed"
    REFUTED = "refuted"
    NOT_FIXED = "not fixed"
    UNSUPPORTED = "unsupported"


@dataclasses.dataclass(frozen=True)
class Triaged:
    """One claim with its verdict, the reason (evidence, skip reason...) and its codemod."""

    claim: Claim
    verdict: Verdict
    reason: str
    codemod_id: str | None = None
    findings: tuple[Finding, ...] = ()
    """Our findings that match the claim (for ``fixed`` and ``not fixed``)."""


def rule_table(codemods: Iterable[Codemod], rule_map: Mapping[str, str]) -> dict[str, str]:
    """Return rule id or kind (upper-cased) -> codemod id, from the codemods and ``rule_map``."""
    table: dict[str, str] = {}
    for codemod in codemods:
        for rule in (*codemod.codes, *codemod.claims, codemod.id):
            table.setdefault(rule.upper(), codemod.id)
    table.update({rule.upper(): codemod_id for rule, codemod_id in rule_map.items()})
    return table


def triage(
    claims: Sequence[Claim],
    engine: Engine,
    root: Path,
    rule_map: Mapping[str, str] | None = None,
    ignored_for: Callable[[Path], frozenset[str]] = lambda _path: frozenset(),
) -> list[Triaged]:
    """Give every claim its verdict, running the engine once per file the claims name.

    ``engine`` should be the one ``apply --findings`` would use (its claims selector, the
    baseline), and ``ignored_for`` the config's per-file ignores, so that "fixed" means
    exactly what ``apply --findings`` writes.
    """
    codemods = {codemod.id: codemod for codemod in engine.codemods}
    table = rule_table(engine.codemods, rule_map or {})
    verdicts: dict[int, Triaged] = {}
    by_file: dict[Path, list[tuple[int, Claim, Codemod]]] = {}
    real_root = root.resolve()
    for index, claim in enumerate(claims):
        codemod_id = table.get(claim.rule.upper())
        if codemod_id is None or codemod_id not in codemods:
            reason = f"no codemod handles {claim.rule!r}"
            if codemod_id is not None:
                reason = f"{claim.rule!r} is {codemod_id}'s, which is not selected"
            verdicts[index] = Triaged(claim, Verdict.UNSUPPORTED, reason)
            continue
        path = resolve(claim, root)
        if not path.resolve().is_relative_to(real_root):
            reason = f"the file is outside the tree ({real_root}); it was not read"
            verdicts[index] = Triaged(claim, Verdict.UNSUPPORTED, reason, codemod_id)
            continue
        by_file.setdefault(path, []).append((index, claim, codemods[codemod_id]))
    for path, entries in by_file.items():
        for index, triaged in _triage_file(path, entries, engine, ignored_for(path)):
            verdicts[index] = triaged
    return [verdicts[index] for index in range(len(claims))]


def _triage_file(
    path: Path, entries: list[tuple[int, Claim, Codemod]], engine: Engine, ignore: frozenset[str]
) -> Iterable[tuple[int, Triaged]]:
    try:
        data = read_regular_file(path)
        text = decode_source(data).text
    except (OSError, DecodeError, NotRegularFile, ValueError) as error:
        reason = f"the file cannot be read as Python: {getattr(error, 'strerror', None) or error}"
        for index, claim, codemod in entries:
            yield index, Triaged(claim, Verdict.UNSUPPORTED, reason, codemod.id)
        return
    result = engine.fix_bytes(str(path), data, ignore)
    try:
        source: SourceFile | None = SourceFile(str(path), text)
    except (SyntaxError, ValueError, RecursionError):
        source = None  # a file only a codemod's repair makes parse (TabError): no evidence
    line_count = len(physical_lines(text))
    for index, claim, codemod in entries:
        if not claim.whole_file and claim.line > max(1, line_count):
            reason = f"line {claim.line} is past the end of the file ({line_count} lines)"
            yield index, Triaged(claim, Verdict.UNSUPPORTED, reason, codemod.id)
            continue
        yield index, _verdict(claim, codemod, result, source)


def _verdict(
    claim: Claim, codemod: Codemod, result: FileResult, source: SourceFile | None
) -> Triaged:
    if result.error is not None:
        reason = f"the file could not be fixed: {result.error.message}"
        return Triaged(claim, Verdict.NOT_FIXED, reason, codemod.id)
    matched = tuple(f for f in result.findings if matches(claim, codemod.id, f))
    fixed = tuple(finding for finding in matched if finding.fixed)
    if fixed:
        return Triaged(claim, Verdict.FIXED, _fixed_reason(fixed), codemod.id, matched)
    if matched:
        first = matched[0]
        reason = f"line {first.line}: {first.skip}"
        return Triaged(claim, Verdict.NOT_FIXED, reason, codemod.id, matched)
    if source is not None:
        left_alone = codemod.left_alone(source, claim)
        if left_alone is not None:
            return Triaged(claim, Verdict.NOT_FIXED, left_alone, codemod.id)
        evidence = codemod.refute(source, claim)
        if evidence is not None:
            return Triaged(claim, Verdict.REFUTED, evidence, codemod.id)
    return Triaged(claim, Verdict.NOT_FIXED, _no_finding(claim, codemod), codemod.id)


def _fixed_reason(fixed: tuple[Finding, ...]) -> str:
    first = fixed[0]
    more = f" (and {len(fixed) - 1} more)" if len(fixed) > 1 else ""
    return f"line {first.line}: {first.description}{more}"


def _no_finding(claim: Claim, codemod: Codemod) -> str:
    """Say that nothing matched and nothing refutes: not fixed, and not called false either."""
    lines = "the file" if claim.whole_file else f"lines {claim.line}-{claim.end_line}"
    if not claim.whole_file and claim.end_line == claim.line:
        lines = f"line {claim.line}"
    return (
        f"{codemod.id} finds nothing it can fix at {lines}, and the code shows no evidence "
        "against the claim"
    )


def matches(claim: Claim, codemod_id: str, finding: Finding) -> bool:
    """Tell whether ``finding`` (of ``codemod_id``) is what ``claim`` reports."""
    if finding.codemod_id != codemod_id or finding.codemod_id == FILE_SKIP_ID:
        return False
    if not claim.whole_file:
        first, last = claim.line, max(claim.line, claim.end_line)
        ranges = ((finding.line, finding.last_line), *(finding.extent or ()))
        if not any(start <= last and first <= end for start, end in ranges):
            return False
    return not claim.names or any(_mentions(finding.message, name) for name in claim.names)


def _mentions(message: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message) is not None


def claims_selector(claims: Sequence[Claim], root: Path, table: Mapping[str, str]) -> Selector:
    """Return the selector that fixes only findings some claim matches (``--findings``)."""
    by_path: dict[str, list[tuple[Claim, str]]] = {}
    for claim in claims:
        codemod_id = table.get(claim.rule.upper())
        if codemod_id is not None:
            key = os.path.realpath(resolve(claim, root))
            by_path.setdefault(key, []).append((claim, codemod_id))

    def select(finding: Finding) -> str | None:
        for claim, codemod_id in by_path.get(os.path.realpath(finding.path), []):
            if matches(claim, codemod_id, finding):
                return None
        return "no finding of the report asks for it"

    return select
