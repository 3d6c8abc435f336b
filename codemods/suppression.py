"""The comments that ask a tool to leave code alone, read once per file for the engine.

* ``# codemods: skip`` on a line of a finding's region leaves it alone for every codemod;
  ``# codemods: skip[id,...]`` does so for the named codemods only;
* ``# codemods: skip-file`` anywhere leaves the whole file alone;
* ``# noqa`` (bare, or naming one of the finding's :attr:`~codemods.finding.Finding.codes`)
  on a line of its region, and ruff's and flake8's file-wide ``# ruff: noqa`` /
  ``# flake8: noqa`` (bare or with codes), suppress the finding as they suppress the linter's.

Only comment tokens count: a string that contains ``# noqa`` suppresses nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import tokenize

from codemods.finding import Finding

_SKIP = re.compile(
    r"#\s*codemods:\s*(?P<kind>skip-file|skip)\b(?:\[(?P<ids>[\w\-,\s]*)\])?", re.IGNORECASE
)
_NOQA = re.compile(
    r"#\s*(?:(?P<file>ruff|flake8)\s*:\s*)?noqa\b(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_PYLINT = re.compile(
    r"#\s*pylint\s*:\s*(?P<kind>disable-next|disable)\s*=\s*(?P<names>[\w\-,\s]+)"
)
PYLINT_CODES = {
    "unused-variable": "F841",
    "w0612": "F841",
    "missing-module-docstring": "D100",
    "c0114": "D100",
    "missing-class-docstring": "D101",
    "c0115": "D101",
    "missing-function-docstring": "D103",
    "c0116": "D103",
    "bad-indentation": "E111",
    "w0311": "E111",
    "mixed-indentation": "E101",
}
"""pylint's names and numbers for what the codemods fix, as the ruff code the findings carry
(``missing-function-docstring`` covers methods too: D102-D107 are added below)."""
_PYLINT_EXTRA = {"D103": ("D102", "D105", "D107"), "D100": ("D104",), "D101": ("D106",)}
EVERY_CODE: frozenset[str] = frozenset()
"""The codes of a bare ``# noqa``: an empty set stands for every code."""


@dataclasses.dataclass(frozen=True)
class Suppressions:
    """The skip and noqa comments of one text."""

    skips: dict[int, frozenset[str] | None]
    """Line -> the codemod ids its ``# codemods: skip[...]`` names (``None``: every codemod)."""
    skip_file: bool
    noqa: dict[int, frozenset[str]]
    """Line -> the codes its ``# noqa`` names (:data:`EVERY_CODE` for a bare one)."""
    noqa_file: frozenset[str] | None
    """Codes of a file-wide ``# ruff: noqa`` (:data:`EVERY_CODE`: all; ``None``: none)."""
    pylint: dict[int, frozenset[str]] = dataclasses.field(default_factory=dict)
    """Line -> the ruff codes of what its ``# pylint: disable=`` (or the line above's
    ``disable-next=``) names (:data:`PYLINT_CODES`)."""

    def reason(self, finding: Finding, *, bare_noqa: bool = True) -> str | None:
        """Return why a comment suppresses ``finding`` (its lines are those of this text).

        With ``bare_noqa`` false, only a ``# noqa`` that names one of the finding's codes does.
        """
        for line in range(finding.line, finding.last_line + 1):
            ids = self.skips.get(line, frozenset())
            if ids is None or finding.codemod_id in ids or "*" in ids:
                return "a '# codemods: skip' comment leaves it alone"
        if not finding.codes:
            return None
        if self.noqa_file is not None and _names_any(self.noqa_file, finding.codes, bare_noqa):
            return "a file-wide '# noqa' comment covers it"
        for line in range(finding.line, finding.last_line + 1):
            codes = self.noqa.get(line)
            if codes is not None and _names_any(codes, finding.codes, bare_noqa):
                return "a '# noqa' comment covers it"
            if any(code in self.pylint.get(line, ()) for code in finding.codes):
                return "a '# pylint: disable' comment covers it"
        return None


def _names_any(named: frozenset[str], codes: tuple[str, ...], bare: bool) -> bool:
    return (bare and named == EVERY_CODE) or any(code in named for code in codes)


NO_SUPPRESSIONS = Suppressions({}, False, {}, None)


@functools.lru_cache(maxsize=8)
def read_suppressions(text: str) -> Suppressions:
    """Read the skip and noqa comments of ``text`` (cheap when it has none)."""
    lowered = text.lower()
    if "codemods:" not in lowered and "noqa" not in lowered and "pylint" not in lowered:
        return NO_SUPPRESSIONS
    skips: dict[int, frozenset[str] | None] = {}
    skip_file = False
    noqa: dict[int, frozenset[str]] = {}
    noqa_file: frozenset[str] | None = None
    pylint_lines: dict[int, frozenset[str]] = {}
    for line, comment in _comments(text):
        skip = _SKIP.search(comment)
        if skip is not None:
            if skip["kind"].lower() == "skip-file":
                skip_file = True
            elif skip["ids"] is None:
                skips[line] = None
            else:
                skips[line] = frozenset(i.strip() for i in skip["ids"].split(",") if i.strip())
        pylint = _PYLINT.search(comment)
        if pylint is not None:
            codes = _pylint_codes(pylint["names"])
            if codes:
                target = line + 1 if pylint["kind"] == "disable-next" else line
                pylint_lines[target] = pylint_lines.get(target, frozenset()) | codes
        found = _NOQA.search(comment)
        if found is None:
            continue
        codes = (
            frozenset(re.split(r"[\s,]+", found["codes"].upper()))
            if found["codes"]
            else EVERY_CODE
        )
        if not found["file"]:
            noqa[line] = codes
        elif codes == EVERY_CODE or noqa_file == EVERY_CODE:
            noqa_file = EVERY_CODE
        else:
            noqa_file = (noqa_file or frozenset()) | codes
    return Suppressions(skips, skip_file, noqa, noqa_file, pylint_lines)


def _pylint_codes(names: str) -> frozenset[str]:
    """Return the ruff codes of a ``# pylint: disable=...`` list (unknown names: none)."""
    codes: set[str] = set()
    for name in re.split(r"[\s,]+", names.strip().lower()):
        code = PYLINT_CODES.get(name)
        if code is not None:
            codes.add(code)
            codes.update(_PYLINT_EXTRA.get(code, ()))
    return frozenset(codes)


def _comments(text: str) -> list[tuple[int, str]]:
    """Return ``(line, comment)`` for every comment token (strings are not comments)."""
    readline = io.StringIO(text).readline
    try:
        return [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(readline)
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        return []
