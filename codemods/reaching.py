"""Which bindings of a function's local name reach each statement, and what dict they hold.

:class:`ReachingBindings` runs a forward pass over one function's statements for one name
and records, before each statement, the set of bindings that may reach it: a dict literal
(its constant string keys, and whether it may hold others) or something else (a parameter,
a call result...). :meth:`ReachingBindings.key_verdict` and :func:`dict_literal_verdict`
answer whether the value is a dict with a given key: yes, no, or cannot tell (and why).
"""

from __future__ import annotations

import ast
import dataclasses
import enum
from collections.abc import Container, Sequence
from typing import TypeAlias

from codemods.astutil import TRY_NODES, is_name

_ADDING_METHODS = frozenset({"update", "setdefault"})
_REMOVING_METHODS = frozenset({"pop", "popitem", "clear"})


class Verdict(enum.Enum):
    """Whether a value is a dict with the key asked about."""

    MATCH = "match"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclasses.dataclass(frozen=True)
class _DictValue:
    """A binding of the request name to a dict literal (``keys``: its constant string keys)."""

    line: int
    keys: tuple[str, ...]
    open_ended: bool
    """Other keys may be present (``**`` unpacking, non-constant keys, keys stored later)."""

    @classmethod
    def of(cls, node: ast.Dict) -> _DictValue:
        """Describe a dict literal."""
        keys = tuple(
            key.value
            for key in node.keys
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        )
        open_ended = any(
            key is None or not (isinstance(key, ast.Constant) and isinstance(key.value, str))
            for key in node.keys
        )
        return cls(node.lineno, keys, open_ended)


@dataclasses.dataclass(frozen=True)
class _OtherValue:
    """A binding whose value is not a dict literal (or no binding at all)."""

    line: int
    description: str


_Value: TypeAlias = _DictValue | _OtherValue


def dict_literal_verdict(node: ast.Dict, key: str) -> tuple[Verdict, str]:
    """Tell whether a dict literal has ``key``; the detail says why not (or why unknown)."""
    return _literal_verdict(_DictValue.of(node), key)


def _literal_verdict(value: _DictValue, key: str) -> tuple[Verdict, str]:
    if key in value.keys:
        return Verdict.MATCH, ""
    if value.open_ended:
        return (
            Verdict.UNKNOWN,
            f"the dict of line {value.line} may hold keys its literal does not show",
        )
    action = repr(value.keys[0]) if value.keys else "an empty dict"
    return Verdict.OTHER, f"the request is {action}"


def _combined_verdict(name: str, values: frozenset[_Value], key: str) -> tuple[Verdict, str]:
    if not values:
        return Verdict.UNKNOWN, "no path reaches this statement (unreachable code)"
    verdicts = [
        _literal_verdict(value, key)
        if isinstance(value, _DictValue)
        else (Verdict.UNKNOWN, f"{name!r} is {value.description}")
        for value in sorted(values, key=lambda value: value.line)
    ]
    kinds = {verdict for verdict, _ in verdicts}
    if kinds == {Verdict.MATCH}:
        return Verdict.MATCH, ""
    if kinds == {Verdict.OTHER}:
        return Verdict.OTHER, f"{name!r} holds " + " or ".join(
            detail.removeprefix("the request is ") for _, detail in verdicts
        )
    if kinds == {Verdict.MATCH, Verdict.OTHER}:
        lines = ", ".join(str(value.line) for value in sorted(values, key=lambda v: v.line))
        return (
            Verdict.UNKNOWN,
            f"{name!r} holds different actions on different paths (lines {lines})",
        )
    return next((verdict, detail) for verdict, detail in verdicts if verdict is Verdict.UNKNOWN)


class ReachingBindings:
    """Which bindings of one local name reach each statement of a function.

    A forward pass over the statements: a binding replaces the set; ``if``/``match`` branches,
    loop back edges, ``break``/``continue`` and the states an exception can leave a ``try`` or
    ``with`` body in are merged. Names that other code can rebind behind the pass's back
    (``global``, ``nonlocal`` in a nested function, walrus, in-place ``del``/``pop``) are
    not tracked at all.
    """

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> None:
        """Run the pass for ``name`` over the body of ``function``."""
        self.name = name
        self.states: dict[ast.stmt, frozenset[_Value]] = {}
        """Statement -> the bindings that may reach it (a statement no path reaches: none)."""
        self.untrackable = _untrackable(function, name)
        """Why the name's bindings cannot be followed (``""``: they can)."""
        self._loops: list[tuple[list[frozenset[_Value]], list[frozenset[_Value]]]] = []
        self._catchers: list[list[frozenset[_Value]]] = []
        if self.untrackable:
            return
        arguments = function.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        if any(parameter.arg == name for parameter in parameters):
            start: frozenset[_Value] = frozenset({_OtherValue(function.lineno, "a parameter")})
        else:
            start = frozenset({_OtherValue(function.lineno, "not bound in this function")})
        self._block(function.body, start)

    def key_verdict(self, statement: ast.stmt, key: str) -> tuple[Verdict, str]:
        """Tell whether the name holds a dict with ``key`` when ``statement`` runs, and why not.

        It does when every binding that reaches the statement is a dict literal with the
        key; it does not when every one is a literal without it; otherwise it cannot tell.
        """
        if self.untrackable:
            return Verdict.UNKNOWN, self.untrackable
        return _combined_verdict(self.name, self.states.get(statement) or frozenset(), key)

    def _block(
        self, statements: Sequence[ast.stmt], state: frozenset[_Value] | None
    ) -> frozenset[_Value] | None:
        """Run a statement list; ``None`` is the state after a jump (no path continues)."""
        for statement in statements:
            if state is None:
                return None
            self.states[statement] = state
            for caught in self._catchers:
                caught.append(state)
            state = self._statement(statement, state)
        return state

    def _statement(self, node: ast.stmt, state: frozenset[_Value]) -> frozenset[_Value] | None:
        if isinstance(node, ast.If):
            return _union(self._block(node.body, state), self._block(node.orelse, state))
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            return self._loop(node, state)
        if isinstance(node, TRY_NODES):
            return self._try(node, state)
        if isinstance(node, ast.With | ast.AsyncWith):
            entry = self._bound(node, state, [item.optional_vars for item in node.items])
            caught: list[frozenset[_Value]] = []
            self._catchers.append(caught)
            end = self._block(node.body, entry)
            self._catchers.pop()
            return _union(end, *caught)  # a context manager may swallow an exception
        if isinstance(node, ast.Match):
            ends = [self._block(case.body, self._match_entry(case, state)) for case in node.cases]
            return _union(state, *ends)
        if isinstance(node, ast.Return | ast.Raise):
            return None
        if isinstance(node, ast.Break | ast.Continue):
            if self._loops:
                self._loops[-1][isinstance(node, ast.Continue)].append(state)
            return None
        return self._simple(node, state)

    def _simple(self, node: ast.stmt, state: frozenset[_Value]) -> frozenset[_Value]:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(is_name(target, self.name) for target in targets):
                if isinstance(node.value, ast.Dict) and all(
                    isinstance(target, ast.Name) for target in targets
                ):
                    return frozenset({_DictValue.of(node.value)})
                return frozenset(
                    {_OtherValue(node.lineno, f"bound to {describe_expression(node.value)}")}
                )
            stored = [
                t for t in targets if isinstance(t, ast.Subscript) and is_name(t.value, self.name)
            ]
            if stored:
                return _keys_added(
                    state, _constant_key(stored[0].slice) if len(stored) == 1 else None
                )
            return self._bound(node, state, targets)
        if isinstance(node, ast.Expr) and _is_method_call(node.value, self.name, _ADDING_METHODS):
            return _keys_added(state, None)
        if isinstance(node, ast.AugAssign | ast.Delete):
            targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
            return self._bound(node, state, targets)
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
            if self.name in names:
                return frozenset({_OtherValue(node.lineno, "an imported name")})
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == self.name:
                return frozenset({_OtherValue(node.lineno, "a nested definition")})
        return state

    def _bound(
        self, node: ast.stmt, state: frozenset[_Value], targets: Sequence[ast.AST | None]
    ) -> frozenset[_Value]:
        """Return the state after ``targets`` are bound to something that is not a literal."""
        if any(target is not None and self.name in _bound_names(target) for target in targets):
            return frozenset({_OtherValue(node.lineno, "bound to a value that is not a literal")})
        return state

    def _loop(
        self, node: ast.For | ast.AsyncFor | ast.While, state: frozenset[_Value]
    ) -> frozenset[_Value] | None:
        head = state
        while True:
            breaks: list[frozenset[_Value]] = []
            continues: list[frozenset[_Value]] = []
            self._loops.append((breaks, continues))
            entry = head
            if not isinstance(node, ast.While):
                entry = self._bound(node, head, [node.target])
            end = self._block(node.body, entry)
            self._loops.pop()
            grown = _union(head, end, *continues)
            if grown == head:
                break
            head = grown or head
        return _union(self._block(node.orelse, head), *breaks)

    def _try(self, node: ast.Try, state: frozenset[_Value]) -> frozenset[_Value] | None:
        caught: list[frozenset[_Value]] = []
        self._catchers.append(caught)
        body_end = self._block(node.body, state)
        exception_entry = _union(state, body_end, *caught) or state
        handler_ends = []
        for handler in node.handlers:
            entry = exception_entry
            if handler.name == self.name:
                entry = frozenset({_OtherValue(handler.lineno, "an exception name")})
            handler_ends.append(self._block(handler.body, entry))
        normal_end = _union(self._block(node.orelse, body_end), *handler_ends)
        self._catchers.pop()
        if not node.finalbody:
            return normal_end
        final_entry = _union(normal_end, exception_entry, *caught) or state
        final_end = self._block(node.finalbody, final_entry)
        return final_end if normal_end is not None else None

    def _match_entry(self, case: ast.match_case, state: frozenset[_Value]) -> frozenset[_Value]:
        captures = [
            n
            for n in ast.walk(case.pattern)
            if getattr(n, "name", None) == self.name or getattr(n, "rest", None) == self.name
        ]
        if captures:
            return frozenset({_OtherValue(case.pattern.lineno, "a match capture")})
        return state


def _untrackable(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> str:
    """Return why bindings of ``name`` cannot be followed in ``function`` ('' if they can)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return f"{name!r} is declared {type(node).__name__.lower()}"
        if isinstance(node, ast.NamedExpr) and node.target.id == name:
            return f"{name!r} is bound by ':=' at line {node.lineno}"
        if isinstance(node, ast.Delete) and any(
            isinstance(t, ast.Subscript) and is_name(t.value, name) for t in node.targets
        ):
            return f"a key of {name!r} is deleted at line {node.lineno}"
        if _is_method_call(node, name, _REMOVING_METHODS):
            return f"{name!r} is changed in place at line {node.lineno}"
    return ""


def _bound_names(target: ast.AST) -> set[str]:
    """Return the names an assignment target binds (not those it only reads, as in ``a[i]``)."""
    names: set[str] = set()
    pending = [target]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Starred):
            pending.append(node.value)
        elif isinstance(node, ast.Tuple | ast.List):
            pending.extend(node.elts)
    return names


def _keys_added(state: frozenset[_Value], key: str | None) -> frozenset[_Value]:
    """Return the state after ``key`` (``None``: unknown keys) is stored into the name's dict."""
    return frozenset(
        (
            dataclasses.replace(value, keys=(*value.keys, key))
            if key is not None
            else dataclasses.replace(value, open_ended=True)
        )
        if isinstance(value, _DictValue)
        else value
        for value in state
    )


def _constant_key(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_method_call(node: ast.AST, name: str, methods: Container[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
        and is_name(node.func.value, name)
    )


def _union(*states: frozenset[_Value] | None) -> frozenset[_Value] | None:
    present = [state for state in states if state is not None]
    return frozenset().union(*present) if present else None


def describe_expression(node: ast.expr) -> str:
    """Name the kind of an expression for a message: ``a call result``, ``an attribute``..."""
    kinds = {
        ast.Call: "a call result",
        ast.Name: "another name",
        ast.Attribute: "an attribute",
        ast.Subscript: "a subscript",
        ast.DictComp: "a dict comprehension",
    }
    return kinds.get(type(node), f"a {type(node).__name__} expression")
