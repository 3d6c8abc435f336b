"""The rules of ``resize-guard``: which calls to guard, and the ``try`` that guards them.

A :class:`GuardRule` names a callee pattern, conditions on the call's arguments and cleanup
statements with ``{placeholders}`` for those arguments (``{arg0}``, a parameter name,
``{receiver}``); it builds the ``try`` statement as a LibCST template. A rule is checked
when it is made: one read from the configuration either gives valid code whose handler
re-raises, or is refused with a message that names what is wrong.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import re
from typing import Literal, TypeAlias

from codemods.astutil import dotted_name

ReraiseStyle: TypeAlias = Literal["raise", "save-and-reraise"]

WRAPPED = "wrapped_statement"
"""Template placeholder of the statement that goes inside the ``try``."""

PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
"""A ``{name}`` placeholder in a cleanup statement."""
_POSITIONAL_PLACEHOLDER = re.compile(r"arg(\d+)")
_CALLEE_PATTERN = re.compile(r"[\w*]+(\.[\w*]+)*")
_FORBIDDEN_CLEANUP = (ast.Return, ast.Raise, ast.Break, ast.Continue)


@dataclasses.dataclass(frozen=True)
class ArgumentCondition:
    """The argument ``argument`` (position or parameter name) is a dict with the key ``key``."""

    argument: int | str
    """The argument's position (0-based) or its parameter name (one of ``parameters``)."""
    key: str
    """The key the dict must have."""


@dataclasses.dataclass(frozen=True)
class GuardRule:
    """Which calls to guard, and the ``try`` that guards them."""

    callee: str
    """Dotted name of the callee; ``*`` matches any run of characters, dots included."""
    cleanup: tuple[str, ...]
    """One simple statement per item, with ``{placeholders}`` for the call's arguments."""
    name: str = ""
    """Shown in messages (default: ``rules[N]``)."""
    parameters: tuple[str, ...] = ()
    """The callee's parameter names in order, so arguments can be named either way."""
    conditions: tuple[ArgumentCondition, ...] = ()
    exception: str | None = None
    """The exception caught (``None``: the options' ``exception``)."""
    reraise: ReraiseStyle | None = None
    """``raise`` or ``save-and-reraise`` (``None``: the options' ``reraise``)."""
    isolate_cleanup: bool | None = None
    """Run each cleanup statement under ``contextlib.suppress(Exception)`` (``None``: the
    options' ``isolate-cleanup``)."""

    def __post_init__(self) -> None:
        """Refuse a rule that cannot produce valid, re-raising code."""
        _check_rule(self)

    def matches_callee(self, dotted: str) -> bool:
        """Tell whether a callee's dotted name matches this rule's pattern."""
        return fnmatch.fnmatchcase(dotted, self.callee)

    def placeholders(self) -> tuple[str, ...]:
        """Return the placeholders the cleanup uses, once each, in order."""
        found = (name for text in self.cleanup for name in PLACEHOLDER.findall(text))
        return tuple(dict.fromkeys(found))

    def template(self, indent: str, newline: str) -> str:
        """Return the ``try`` statement as a LibCST template (``{wrapped_statement}`` inside)."""
        handler_indent = indent
        lines = ["try:", f"{indent}{{{WRAPPED}}}", f"except {self.exception}:"]
        if self.reraise == "save-and-reraise":
            lines.append(f"{indent}with excutils.save_and_reraise_exception():")
            handler_indent = indent * 2
        for statement in self.cleanup:
            if self.isolate_cleanup:
                lines.append(f"{handler_indent}with contextlib.suppress(Exception):")
                lines.append(f"{handler_indent}{indent}{statement}")
            else:
                lines.append(f"{handler_indent}{statement}")
        if self.reraise == "raise":
            lines.append(f"{indent}raise")
        return newline.join(lines) + newline

    def needed_imports(self) -> tuple[tuple[str, str | None], ...]:
        """Return the ``(module, name)`` imports the generated code needs."""
        imports: list[tuple[str, str | None]] = []
        if self.reraise == "save-and-reraise":
            imports.append(("oslo_utils", "excutils"))
        if self.isolate_cleanup:
            imports.append(("contextlib", None))
        return tuple(imports)


def argument_selector(placeholder: str) -> int | str:
    """Return which argument a cleanup placeholder stands for: ``arg1`` -> 1, else its name."""
    positional = _POSITIONAL_PLACEHOLDER.fullmatch(placeholder)
    return int(positional[1]) if positional else placeholder


def _check_rule(rule: GuardRule) -> None:
    """Raise ``ValueError`` for a rule that cannot produce valid, re-raising code."""
    where = f"rule {rule.name!r}" if rule.name else "rule"
    if not _CALLEE_PATTERN.fullmatch(rule.callee):
        raise ValueError(
            f"{where} callee: expected a dotted name with '*' wildcards, got {rule.callee!r}"
        )
    if rule.exception is not None:
        _check_exception(rule.exception, where)
    for name in rule.parameters:
        if (
            not name.isidentifier()
            or name in ("receiver", "self", WRAPPED)
            or _POSITIONAL_PLACEHOLDER.fullmatch(name)
        ):
            raise ValueError(f"{where} parameters: {name!r} cannot be a parameter name")
    for condition in rule.conditions:
        if isinstance(condition.argument, str) and condition.argument not in rule.parameters:
            raise ValueError(
                f"{where} conditions: argument {condition.argument!r} is not one of the "
                f"parameters ({', '.join(rule.parameters) or 'none given'})"
            )
        if isinstance(condition.argument, int) and condition.argument < 0:
            raise ValueError(f"{where} conditions: argument must be 0 or more")
    if not rule.cleanup:
        raise ValueError(f"{where} cleanup: expected at least one statement")
    for index, statement in enumerate(rule.cleanup):
        _check_cleanup(statement, rule, f"{where} cleanup[{index}]")


def _check_exception(exception: str, where: str) -> None:
    try:
        expression = ast.parse(exception, mode="eval").body
    except SyntaxError:
        expression = None
    parts = expression.elts if isinstance(expression, ast.Tuple) else [expression]
    if not parts or not all(dotted_name(part) is not None for part in parts):
        raise ValueError(
            f"{where} exception: expected a class name or a tuple of them, got {exception!r}"
        )


def _check_cleanup(statement: str, rule: GuardRule, where: str) -> None:
    for name in PLACEHOLDER.findall(statement):
        if name not in ("receiver", "self", *rule.parameters) and not (
            _POSITIONAL_PLACEHOLDER.fullmatch(name)
        ):
            known = ", ".join(["arg0", "arg1", "...", "receiver", "self", *rule.parameters])
            raise ValueError(f"{where}: unknown placeholder {{{name}}} (known: {known})")
    if "\n" in statement or "\r" in statement:
        raise ValueError(f"{where}: expected one statement on one line")
    try:
        parsed = ast.parse(PLACEHOLDER.sub(r"\1", statement)).body
    except SyntaxError as error:
        raise ValueError(f"{where}: not a Python statement: {error.msg}") from None
    if len(parsed) != 1 or not isinstance(parsed[0], ast.stmt) or hasattr(parsed[0], "body"):
        raise ValueError(f"{where}: expected exactly one simple statement, got {statement!r}")
    if isinstance(parsed[0], _FORBIDDEN_CLEANUP):
        raise ValueError(
            f"{where}: {type(parsed[0]).__name__.lower()} would stop the handler from re-raising"
        )
