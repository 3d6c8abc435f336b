"""Unsafe fixes are opt-in, as in ruff: the selector that holds them back.

A finding's fix safety is its own (a codemod may mark one fix unsafe and another safe); the
configuration can move fixes either way by codemod id or rule (``extend-safe-fixes``,
``extend-unsafe-fixes``). Unless unsafe fixes are asked for (``--unsafe-fixes`` or
``unsafe-fixes = true``), every unsafe one is left as it is with :data:`HELD_BACK` as its
reason, in ``diff`` and ``check`` as in ``apply``, ``review`` and the hooks.
"""

from __future__ import annotations

from collections.abc import Collection

from codemods.engine import Selector
from codemods.finding import Finding, FixSafety

HELD_BACK = "an unsafe fix, held back: run with --unsafe-fixes to see and apply it"
"""The skip reason of an unsafe fix that was not asked for."""


def effective_safety(
    finding: Finding, extend_safe: Collection[str], extend_unsafe: Collection[str]
) -> FixSafety:
    """Return the safety of ``finding``'s fix after the configuration's overrides."""
    names = {finding.codemod_id, finding.rule}
    if names & set(extend_unsafe):
        return FixSafety.UNSAFE
    if names & set(extend_safe):
        return FixSafety.SAFE
    return finding.safety or FixSafety.SAFE


def unsafe_selector(extend_safe: Collection[str], extend_unsafe: Collection[str]) -> Selector:
    """Return the selector that holds back every unsafe fix."""

    def select(finding: Finding) -> str | None:
        unsafe = effective_safety(finding, extend_safe, extend_unsafe) is FixSafety.UNSAFE
        return HELD_BACK if unsafe else None

    return select
