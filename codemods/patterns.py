"""User-written regular expressions, compiled with a linear-time engine (google-re2).

A checkout's ``pyproject.toml`` is untrusted input, and so are the patterns it sets
(``dummy-variable-rgx``, ``ignore-names``): with Python's backtracking :mod:`re`, a pattern
such as ``^(a+)+$`` takes exponential time on one long name and hangs the run. RE2 matches
in time linear in the text, whatever the pattern (ruff's options use a linear-time engine
too). RE2 has no backreferences and no lookaround, and its ``\\w``, ``\\d`` and ``\\b`` are
ASCII-only (write ``\\pL`` for any letter); a pattern it rejects is a configuration
error (exit 2).
"""

from __future__ import annotations

from typing import Any

import re2  # type: ignore[import-untyped]

PATTERN_OPTIONS = frozenset({"dummy_variable_rgx", "ignore_names"})
"""The option fields (of any codemod's options) that hold one pattern or a list of them."""


class PatternError(ValueError):
    """A pattern the linear-time engine does not accept; the message names the option."""


def compile_pattern(pattern: str, option: str) -> Any:
    """Compile ``pattern`` with RE2; ``option`` (``dummy-variable-rgx``) names it in errors.

    The result has the methods of a compiled :mod:`re` pattern that codemods use
    (``search``, ``match``, ``fullmatch``). Raises :class:`PatternError`.
    """
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, in one line
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else "rejected"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            f"{option}: {pattern!r} is not a pattern the linear-time engine (RE2) accepts: "
            f"{reason} (no backreferences or lookaround)"
        ) from None


def check_patterns(value: object, option: str) -> None:
    """Compile the pattern, or each pattern of a list/tuple ``value``; raise PatternError."""
    for pattern in value if isinstance(value, list | tuple) else (value,):
        if isinstance(pattern, str):
            compile_pattern(pattern, option)
