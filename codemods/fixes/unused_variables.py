"""The ``unused-variables`` codemod: remove local variables that are assigned and never read.

The finder works on ``ast`` and ``symtable`` only: a name is unused when no ``ast`` node of its
function (nested scopes included) reads, deletes, augments or declares it, and the compiler's
own scope analysis agrees (a local, not a parameter, not global or nonlocal, not free in any
child scope but those of lambdas deleted with their statement). The ``ast`` test is what keeps
the analysis right on Python 3.12+, where PEP 709 inlines comprehensions and ``symtable`` no
longer reports a read made inside one. A string the type checkers parse as a type
expression (an annotation, ``cast("Alias", v)``...) is an ``ast`` node that reads the names
in it: the compiler never sees those reads, ruff, pyflakes and mypy do.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import functools
import re
import symtable
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from codemods.astutil import TRY_NODES, is_string_statement, statement_blocks
from codemods.effects import frame_access, is_pure, result_owner
from codemods.evidence import unused_variable_evidence, unused_variable_left_alone
from codemods.finding import Edit, Finding, FixSafety
from codemods.fixes.base import Options, TreeCodemod
from codemods.patterns import compile_pattern
from codemods.reports import Claim
from codemods.source import SourceFile
from codemods.statement_text import (
    Position,
    Shift,
    StatementText,
    Unsure,
    block_positions,
    tree_reproduces,
)

if TYPE_CHECKING:
    import libcst as cst

DEFAULT_DUMMY_VARIABLE_RGX = r"^(_+|(_+[a-zA-Z0-9_]*[a-zA-Z0-9]+?))$"
"""ruff's and pylint's default pattern of names that are unused on purpose."""

FRAME_READ_NAMES: frozenset[str] = frozenset(
    {"__tracebackhide__", "__traceback_info__", "__traceback_supplement__", "__debuggerskip__"}
)
"""Locals that tools (pytest, zope, IPython) read from the frame: never removed."""

RULE = "unused-variable"
CODES = ("F841",)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclasses.dataclass(frozen=True)
class UnusedVariablesOptions(Options):
    """Options of ``unused-variables`` (``[tool.codemods.unused-variables]``)."""

    dummy_variable_rgx: str = DEFAULT_DUMMY_VARIABLE_RGX
    """Names matching this pattern (``re.search``) are unused on purpose and left alone."""
    keep_names: tuple[str, ...] = ()
    """More local names never to remove (e.g. names a framework reads from the frame)."""

    def __post_init__(self) -> None:
        """Reject a pattern that does not compile."""
        compile_pattern(self.dummy_variable_rgx, "dummy-variable-rgx")  # PatternError


class UnusedVariables(TreeCodemod[UnusedVariablesOptions]):
    """Remove local variables that are assigned and never read.

    ## What it does
    In a function, finds names that are bound by ``x = ...``, ``x: T = ...``,
    ``except E as x`` or ``with f() as x`` and never read anywhere in the function or the
    scopes nested in it, and removes the binding. A string that type checkers parse as a
    type reads the names in it: an annotation (``def g(x: "Alias")``,
    ``y: "list[Alias]" = v``, ``Optional["Alias"]``), a subscripted generic's argument, the
    type argument of ``cast``, ``TypeVar`` (``bound="Alias"``), ``NewType``... (not
    ``Literal[...]`` values nor ``Annotated`` metadata); a string annotation that does not
    parse reads every word in it that could be a name.

    * ``x = <pure>`` (literals, names, a lambda, operations on literals that cannot
      raise) is deleted;
    * ``x = <anything else>`` keeps the right-hand side as a statement, so every call,
      attribute read, subscript, ``await`` or ``yield`` still runs;
    * in ``a = b = f()`` only the unused targets go;
    * ``except E as x:`` becomes ``except E:``; ``with f() as x:`` becomes ``with f():``;
    * a block left empty gets ``pass``; comments of a deleted line move to the next line.

    Whole functions that can reach their locals by name -- ``locals()``, ``vars()`` and
    ``dir()`` without argument, ``eval``, ``exec``, ``breakpoint()``, frame introspection
    (``sys._getframe``,
    ``inspect.currentframe``, ``f_locals``...) -- are skipped and reported.

    Never touched: module and class attributes, parameters, ``global``/``nonlocal`` names,
    names read by a closure, tuple/list unpacking, loop variables, walrus targets, augmented
    assignments, ``match`` captures, names that are ``del``-eted, dummy names (option
    ``dummy-variable-rgx``), ``__tracebackhide__`` and the like, names the compiler reads
    without a line of source reading them (``__class__`` beside a zero-argument ``super()``:
    ``symtable`` says so), ``with (a, b) as x:`` (without
    its ``as`` it reads as two context managers), lines with ``# noqa`` (bare or naming F841)
    or ``# codemods: skip``.

    ## Why is this bad?
    A variable that is never read is dead code: the reader looks for its use, and it often
    hides a bug (the value was meant to be used, or checked).

    ## Example
    ```python
    def resize(api, server):
        flavors = api.get_flavors()
        retries = 3
        try:
            api.resize(server)
        except ApiError as exc:
            log.warning("resize failed")
    ```

    Use instead:
    ```python
    def resize(api, server):
        api.get_flavors()
        try:
            api.resize(server)
        except ApiError:
            log.warning("resize failed")
    ```

    ## Fix safety
    Safe: the analysis is flow-insensitive (a name read anywhere in its function is kept,
    all its assignments too), every effect of a right-hand side is kept (an operation on
    literals is computed and deleted only when it cannot raise: ``1 < 2j``, ``1 / 0``,
    ``"a" + 1`` and ``1 << -1`` stay as statements, so do results too large to compute,
    such as ``10 ** 10 ** 10``), and functions that read their own frame are left alone.
    Code outside the function that reads the frame of a running call (a debugger, a callee
    using ``sys._getframe(1).f_locals``) cannot be seen; name such locals in
    ``keep-names``. Deleting ``x = name`` no longer raises ``NameError`` when ``name`` is
    undefined. A name read only by a string type expression is kept even where nothing
    evaluates the string (``from __future__ import annotations``): type checkers read it.

    Unsafe, and so held back unless unsafe fixes are asked for: keeping a call as a bare
    statement (``tmp = NamedTemporaryFile()`` -> ``NamedTemporaryFile()``), since its result
    is then released at once instead of when the function returns -- a temporary file
    deleted, a lock released, a connection closed early. Calls known to return plain values
    stay safe: the builtins ``len``, ``str``, ``int``, ``sorted``, ``isinstance``... and
    ``os.path``, ``json`` and ``re`` functions (``codemods.effects.PLAIN_RESULT_FUNCTIONS``),
    and the ``str``/``bytes``/dict-view methods ``join``, ``split``, ``strip``, ``format``,
    ``encode``, ``keys``, ``items``... (``codemods.effects.PLAIN_RESULT_METHODS``).
    """

    id = "unused-variables"
    summary = "Remove local variables that are assigned and never read."
    safety = FixSafety.SAFE
    codes = frozenset(CODES)
    claims = frozenset({"W0612", "unused-variable", "unused-variables"})
    options_type = UnusedVariablesOptions

    def __init__(self, options: UnusedVariablesOptions | None = None) -> None:
        """Create the codemod; compile the dummy-name pattern once."""
        super().__init__(options)
        self._dummy = compile_pattern(self.options.dummy_variable_rgx, "dummy-variable-rgx")
        self._kept_names = FRAME_READ_NAMES | frozenset(self.options.keep_names)

    def refute(self, source: SourceFile, claim: Claim) -> str | None:
        """Say where each name the claim calls unused is read, or what kind of name it is."""
        return unused_variable_evidence(source, claim)

    def left_alone(self, source: SourceFile, claim: Claim) -> str | None:
        """Say which unused names the claim names are bound in forms this codemod never edits."""
        return unused_variable_left_alone(source, claim)

    def find(self, source: SourceFile) -> Iterator[Finding]:
        """Yield the unused bindings of every function in ``source``, one per statement."""
        tables = _FunctionTables(source)
        strings: TypeStrings = {}
        for function, reads in _function_reads(source.tree).items():
            yield from self._find_in_function(function, reads, tables, source.lines, strings)

    def fix_tree(
        self, module: cst.Module, source: SourceFile, findings: Sequence[Finding]
    ) -> cst.Module:
        """Edit the statements of the findings, block by block."""
        from codemods.fixes.unused_variables_tree import remove_bindings  # LibCST: only here

        return remove_bindings(module, source, findings)

    def fix_text(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit] | None:
        """Return the fixes as text edits, the tree's bytes exactly; ``None`` when unsure."""
        if not tree_reproduces(source):
            return None
        text = StatementText(source)
        positions: dict[ast.AST, dict[ast.stmt, Position]] = {}
        try:
            for finding in findings:
                removal: Removal = finding.data
                if removal.function not in positions:
                    positions[removal.function] = block_positions(removal.function.body)
                position = positions[removal.function].get(removal.statement)
                if position is None:
                    return None
                _edit_text(text, removal, position)
            return text.edits()
        except Unsure:
            return None

    # -- the finder ---------------------------------------------------------------------

    def _find_in_function(
        self,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        reads: set[str],
        tables: _FunctionTables,
        lines: list[str],
        strings: TypeStrings,
    ) -> Iterator[Finding]:
        """Yield the findings of one function (its own scope only).

        ``reads`` lacks the reads of string type expressions: they are added (and recorded
        in ``strings`` for the fixed point) only for a function with unread candidates.
        """
        bindings = list(_local_bindings(function.body))
        candidates = {b.name for b in bindings if self._may_be_unused(b.name)}
        if not candidates or candidates <= reads:
            return  # nothing unread: no cascade can start either
        reads = reads | _type_string_reads(function.body, strings)
        if candidates <= reads:
            return
        access = frame_access(function)
        scope = tables.of(function)
        if access is not None or scope is None:
            why = (
                f"it {access}: it can read its locals by name"
                if access is not None
                else "no symtable scope matches it"
            )
            names = ", ".join(f"`{name}`" for name in sorted(candidates - reads))
            message = f"function {function.name!r} may have unused locals: {names}"
            extent = ((function.lineno, function.end_lineno or function.lineno),)
            yield Finding(
                function.lineno, message, rule=RULE, codes=CODES, skip=why, extent=extent
            )
            return
        candidates = {
            name
            for name in candidates
            if _plain_local(scope, name) and not _implicitly_read(scope, name, reads)
        }
        protected = {**_docstring_guard(function), **_tuple_with_guard(bindings)}
        closures = _ClosureReads(scope, function)
        unused, dropped = _fixpoint(function, bindings, candidates, protected, closures, strings)
        removals = _removals(function, bindings, unused, dropped, set(protected), lines)
        readers = _readers(dropped, closures, strings)
        keys_by_name: dict[str, set[ast.AST]] = {}
        for removal in removals:
            for name in removal.names:
                keys_by_name.setdefault(name, set()).add(_key(removal))
        for removal in removals:
            # a name goes everywhere or nowhere: half-removed, it would still be unused
            siblings = {key for name in removal.names for key in keys_by_name[name]}
            skip = _unpacking_left_alone(removal)
            yield Finding.at(
                removal.owner,
                removal.message(),
                action=removal.description(),
                safety=removal.safety(),
                rule=RULE,
                codes=CODES,
                key=_key(removal),
                requires=_causes(removal, readers) | (siblings - {_key(removal)}),
                skip=skip,
                data=removal,
            )
        for owner, name in _protected_owners(bindings, unused, set(protected)):
            message = f"`{name}` is assigned but never read"
            skip = protected[owner]
            yield Finding.at(owner, message, rule=RULE, codes=CODES, skip=skip)

    def _may_be_unused(self, name: str) -> bool:
        """Tell whether the options allow removing a binding of ``name``."""
        return name not in self._kept_names and self._dummy.search(name) is None


# -- the plan's records ----------------------------------------------------------------------

BindingKind: TypeAlias = Literal["assign", "annassign", "with", "except"]


@dataclasses.dataclass(frozen=True)
class Binding:
    """One removable binding of a local: the statement owning it and where in it."""

    kind: BindingKind
    statement: ast.stmt
    """The statement the LibCST edit starts from (a ``With`` or ``Try`` for items, handlers)."""
    owner: ast.stmt | ast.ExceptHandler
    """The node whose lines carry suppression comments (the handler for ``except``)."""
    position: int
    """Target index (``assign``), item index (``with``), handler index (``except``)."""
    name: str


@dataclasses.dataclass(frozen=True)
class Removal:
    """One edit: the unused names a statement binds and what to do with the statement."""

    function: ast.FunctionDef | ast.AsyncFunctionDef
    statement: ast.stmt
    owner: ast.stmt | ast.ExceptHandler
    """The node whose lines the finding covers (the handler for ``except``)."""
    kind: BindingKind
    names: tuple[str, ...]
    positions: tuple[int, ...]
    action: Literal["drop", "keep-value", "drop-targets", "drop-as"]
    shift: Shift | None = None
    """How to keep a multi-line value's aligned continuation lines aligned once it moves left."""

    def message(self) -> str:
        """Describe what was found."""
        names = ", ".join(f"`{name}`" for name in self.names)
        return f"{names} {'is' if len(self.names) == 1 else 'are'} assigned but never read"

    def description(self) -> str:
        """Describe the edit for the reviewer."""
        what = {
            "drop": "removed the assignment",
            "keep-value": "kept the right-hand side as a statement for its effects",
            "drop-targets": "removed it from the chained assignment",
            "drop-as": "removed the `as` clause",
        }[self.action]
        owner = self._result_owner()
        if owner is not None:
            what += f" (unsafe: the result of {owner}(...) is released at once, not at return)"
        return what

    def safety(self) -> FixSafety:
        """Return the fix's safety: unsafe when it shortens the life of a call's result."""
        return FixSafety.SAFE if self._result_owner() is None else FixSafety.UNSAFE

    def _result_owner(self) -> str | None:
        value = getattr(self.statement, "value", None)
        if self.action != "keep-value" or value is None:
            return None
        return result_owner(value)


# -- finding the bindings --------------------------------------------------------------------


def _local_bindings(body: Sequence[ast.stmt]) -> Iterator[Binding]:
    """Yield the removable bindings in a block and its nested blocks (not nested scopes)."""
    for statement in body:
        yield from _statement_bindings(statement)
        if isinstance(statement, _SCOPES):
            continue
        for block in statement_blocks(statement):
            yield from _local_bindings(block)


def _statement_bindings(statement: ast.stmt) -> Iterator[Binding]:
    """Yield the bindings of simple names that one statement makes, in the kinds we edit."""
    if isinstance(statement, ast.Assign):
        for position, target in enumerate(statement.targets):
            if isinstance(target, ast.Name):
                yield Binding("assign", statement, statement, position, target.id)
    elif isinstance(statement, ast.AnnAssign):
        if statement.value is not None and isinstance(statement.target, ast.Name):
            yield Binding("annassign", statement, statement, 0, statement.target.id)
    elif isinstance(statement, ast.With | ast.AsyncWith):
        for position, item in enumerate(statement.items):
            if isinstance(item.optional_vars, ast.Name):
                yield Binding("with", statement, statement, position, item.optional_vars.id)
    elif isinstance(statement, TRY_NODES):
        for position, handler in enumerate(statement.handlers):  # type: ignore[attr-defined]
            if handler.name is not None:
                yield Binding("except", statement, handler, position, handler.name)


# -- names read inside strings ---------------------------------------------------------------

TypeStrings: TypeAlias = dict[ast.Constant, tuple[str, ...]]
"""The string constants that are read as type expressions -> the names they read."""

_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_GENERIC_NAMES = frozenset(
    {
        *("list", "dict", "set", "frozenset", "tuple", "type", "deque", "defaultdict"),
        "IO",
    }
)
"""Subscripted names whose arguments are types though they do not look like classes.

Any other subscripted name that looks like a class (``Optional``, ``Callable``,
``OrderedDict``, ``MyGeneric``: a capital letter first, not all capitals) counts too.
"""
_TYPE_KEYWORDS = {
    "cast": ("typ",),
    "NewType": ("tp",),
    "TypeAliasType": ("value",),
    "TypeVar": ("bound", "default"),
    "ParamSpec": ("bound", "default"),
    "TypeVarTuple": ("default",),
}
"""Functions of ``typing`` whose keyword arguments of these names are types."""
_FIRST_TYPE_ARGUMENT = {"cast": 0, "assert_type": 1, "NewType": 1, "TypeAliasType": 1}
"""Functions of ``typing`` whose positional argument at this index is a type."""
_TYPE_ROOT_NODES: tuple[type[ast.AST], ...] = (
    ast.arg,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.AnnAssign,
    ast.Call,
    ast.Subscript,
    *(
        getattr(ast, name)
        for name in ("TypeAlias", "TypeVar", "ParamSpec", "TypeVarTuple")
        if hasattr(ast, name)  # 3.12+: ``type X = ...``, ``def f[T: "Alias"]()``
    ),
)
"""The nodes that may hold a type expression (:func:`_type_roots`)."""


def _type_string_reads(body: Sequence[ast.stmt], strings: TypeStrings) -> set[str]:
    """Return the names the string type expressions of a block read, nested scopes included.

    Each such string is recorded in ``strings`` (:func:`_record_type_strings`), for
    :func:`_used_names`. A string's type expression starts at the string or above it, never
    above the statements of the block: the breadth-first walk meets it first.
    """
    names: set[str] = set()
    for node in _walk(body):
        if isinstance(node, _TYPE_ROOT_NODES):
            _record_type_strings(node, strings)
        elif isinstance(node, ast.Constant) and node in strings:
            names.update(strings[node])
    return names


def _walk(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Yield every node of a block, breadth first (a node before the nodes inside it)."""
    pending: collections.deque[ast.AST] = collections.deque(body)
    while pending:
        node = pending.popleft()
        yield node
        pending.extend(ast.iter_child_nodes(node))


def _record_type_strings(node: ast.AST, strings: TypeStrings) -> None:
    """Record in ``strings`` the strings ``node`` reads as type expressions, and their names.

    Type checkers and ``typing.get_type_hints`` parse such a string as code, so a name it
    reads is read: the strings in an annotation (``x: "Alias"``, ``-> "list[Alias]"``,
    ``Optional["Alias | None"]``), in the arguments of a subscripted generic
    (``dict[str, "Alias"]``, ``Optional["Alias"]`` anywhere), in the type arguments of
    ``cast``, ``assert_type``, ``TypeVar`` (constraints, ``bound=``, ``default=``),
    ``ParamSpec``, ``NewType``, ``TypeAliasType``, ``TypedDict`` and ``NamedTuple``, in the
    value of an ``X: TypeAlias = ...`` and of a ``type X = ...`` (3.12). Functions are
    known by their last name (``cast``, ``typing.cast``, ``t.cast``): a stranger's ``cast``
    only keeps a few more names. Not type expressions: the arguments of ``Literal[...]`` and
    the metadata of ``Annotated[T, ...]`` (what follows ``T``).
    """
    for root in _type_roots(node):
        for constant, text in _strings_in_type(root):
            if constant not in strings:
                strings[constant] = _names_in_type_string(text)


def _type_roots(node: ast.AST) -> list[ast.expr]:
    """Return the parts of ``node`` that are type expressions (:func:`_record_type_strings`)."""
    if isinstance(node, ast.arg):
        return [node.annotation] if node.annotation is not None else []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.returns] if node.returns is not None else []
    if isinstance(node, ast.AnnAssign):
        if node.value is not None and _last_name(node.annotation) == "TypeAlias":
            return [node.annotation, node.value]
        return [node.annotation]
    if isinstance(node, ast.Call):
        return _type_arguments(node)
    if isinstance(node, ast.Subscript):
        name = _last_name(node.value)
        generic = name is not None and (
            name in _GENERIC_NAMES or (name[:1].isupper() and not name.isupper())
        )
        return [node] if generic else []
    kind = type(node).__name__  # 3.12+ nodes, by name: 3.10 has none
    if kind == "TypeAlias":
        return [node.value]  # type: ignore[attr-defined]
    if kind in ("TypeVar", "ParamSpec", "TypeVarTuple"):
        parts = (getattr(node, "bound", None), getattr(node, "default_value", None))
        return [part for part in parts if isinstance(part, ast.expr)]
    return []


def _type_arguments(call: ast.Call) -> list[ast.expr]:
    """Return the arguments of a ``typing`` function call that are types."""
    name = _last_name(call.func)
    if name is None:
        return []
    found: list[ast.expr] = []
    index = _FIRST_TYPE_ARGUMENT.get(name)
    if index is not None:
        found.extend(call.args[index : index + 1])
    keywords = _TYPE_KEYWORDS.get(name, ())
    if name == "TypeVar":
        found.extend(call.args[1:])  # the constraints
    elif name in ("TypedDict", "NamedTuple"):
        fields = call.args[1] if len(call.args) > 1 else None
        if isinstance(fields, ast.Dict):  # TypedDict("TD", {"a": "Alias"})
            found.extend(fields.values)
        elif isinstance(fields, ast.List | ast.Tuple):  # NamedTuple("NT", [("a", "Alias")])
            found.extend(
                pair.elts[1]
                for pair in fields.elts
                if isinstance(pair, ast.Tuple | ast.List) and len(pair.elts) == 2
            )
        keywords = tuple(
            k.arg for k in call.keywords if k.arg is not None and k.arg not in ("total", "closed")
        )
    found.extend(k.value for k in call.keywords if k.arg in keywords)
    return found


def _strings_in_type(root: ast.expr) -> Iterator[tuple[ast.Constant, str]]:
    """Yield the string constants of a type expression with their text.

    Not those in ``Literal[...]`` (values) nor in the metadata of ``Annotated[T, ...]``.
    """
    pending: list[ast.AST] = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                yield node, node.value
            continue
        if isinstance(node, ast.Subscript):
            name = _last_name(node.value)
            if name == "Literal":
                pending.append(node.value)  # its arguments are values, not types
                continue
            if name == "Annotated":
                arguments = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                pending.extend([node.value, *arguments[:1]])  # the rest is metadata
                continue
        pending.extend(ast.iter_child_nodes(node))


@functools.lru_cache(maxsize=1024)
def _names_in_type_string(text: str) -> tuple[str, ...]:
    """Return the names a string type expression reads, strings inside it included.

    A string that does not parse as an expression reads, for all we know, every word in it
    that could be a name (after NFKC normalization, as the parser normalizes names): its
    author's type checker may read it another way, and the bindings of those names stay.
    """
    names: set[str] = set()
    pending = [text]
    while pending:
        current = pending.pop()
        try:
            tree = ast.parse(current.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            names.update(_IDENTIFIER.findall(unicodedata.normalize("NFKC", current)))
            continue
        names.update(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
        pending.extend(inner for _, inner in _strings_in_type(tree.body))
    return tuple(sorted(names))


def _last_name(expr: ast.expr) -> str | None:
    """Return ``c`` for ``c``, ``a.b.c``; ``None`` for any other expression."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def _function_reads(tree: ast.Module) -> dict[ast.FunctionDef | ast.AsyncFunctionDef, set[str]]:
    """Map every function of the file to the names used in it (see :func:`_reads`), in one pass.

    Each use counts for every function that encloses it, so a closure's read keeps the name
    in the outer function. Decorators, defaults and annotations belong to the enclosing scope.
    Reads by string type expressions are not in it: :func:`_type_string_reads` adds them
    for the few functions that need them.
    """
    found: dict[ast.FunctionDef | ast.AsyncFunctionDef, set[str]] = {}
    stack: list[tuple[ast.AST, tuple[set[str], ...]]] = [(tree, ())]
    no_strings: TypeStrings = {}
    while stack:
        node, enclosing = stack.pop()
        used = _used_names(node, no_strings)
        for names in enclosing:
            names.update(used)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node] = own = set()
            inside = (*enclosing, own)
            stack.extend((statement, inside) for statement in node.body)
            body = {id(statement) for statement in node.body}
            for child in ast.iter_child_nodes(node):
                if id(child) not in body:
                    stack.append((child, enclosing))
        else:
            stack.extend((child, enclosing) for child in ast.iter_child_nodes(node))
    return found


def _used_names(node: ast.AST, strings: TypeStrings) -> tuple[str, ...]:
    """Return the names a node itself uses: a load or ``del``, ``+=``, a declaration.

    A string read as a type expression (``def f(x: "Alias")``, ``cast("Alias", v)``) uses
    the names it reads (``strings``, from :func:`_record_type_strings`).
    """
    if isinstance(node, ast.Name):
        return () if isinstance(node.ctx, ast.Store) else (node.id,)
    if isinstance(node, ast.Constant):
        return strings.get(node, ())
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        return (node.target.id,)
    if isinstance(node, ast.Global | ast.Nonlocal):
        return tuple(node.names)
    return ()


def _reads(
    body: Sequence[ast.stmt], dropped: frozenset[ast.stmt], strings: TypeStrings
) -> set[str]:
    """Return every name a block uses in any scope nested in it, outside dropped statements.

    A use is a load, a ``del``, an augmented assignment, a ``global``/``nonlocal``
    declaration, a name read by a string type expression (``strings``). Nested functions,
    classes, lambdas and comprehensions count in full, so a closure's read keeps the name,
    whatever ``symtable`` says about inlined comprehensions.
    """
    names: set[str] = set()
    stack: list[ast.AST] = [statement for statement in body if statement not in dropped]
    while stack:
        node = stack.pop()
        names.update(_used_names(node, strings))
        stack.extend(child for child in ast.iter_child_nodes(node) if child not in dropped)
    return names


def _fixpoint(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    bindings: list[Binding],
    candidates: set[str],
    protected: Guards,
    closures: _ClosureReads,
    strings: TypeStrings,
) -> tuple[set[str], frozenset[ast.stmt]]:
    """Return the unused names and the statements deleted whole, until nothing more changes.

    Deleting ``b = a`` (or ``b = lambda: a``) can leave ``a`` unread; iterating here makes
    one run reach the fixed point, so a second run changes nothing. A statement whose
    lambdas cannot be told apart from kept ones (:meth:`_ClosureReads.ambiguous_lines`) is
    added to ``protected``, with the reason, and the iteration starts again.
    """
    while True:
        frozen = set(protected)
        dropped: frozenset[ast.stmt] = frozenset()
        while True:
            kept_reads = _reads(function.body, dropped, strings)
            unused = candidates - kept_reads - closures.reads(dropped)
            now_dropped = frozenset(
                b.statement
                for b in bindings
                if b.statement not in frozen and _is_dropped_whole(b.statement, unused)
            )
            if now_dropped == dropped:
                break
            dropped = now_dropped
        ambiguous = closures.ambiguous_lines(dropped, candidates - kept_reads)
        if not ambiguous:
            return unused, dropped
        for statement in dropped:
            if ambiguous & closures.lines_of(statement).keys():
                protected[statement] = (
                    "a lambda of another statement starts on the line of its lambda: the "
                    "compiler's scopes of the two (and so what each reads) cannot be told apart"
                )


def _is_dropped_whole(statement: ast.stmt, unused: set[str]) -> bool:
    """Tell whether a statement goes entirely: all its targets unused and a pure value."""
    if isinstance(statement, ast.Assign):
        targets_unused = all(
            isinstance(target, ast.Name) and target.id in unused for target in statement.targets
        )
        return targets_unused and is_pure(statement.value)
    if isinstance(statement, ast.AnnAssign):
        target = statement.target
        return (
            isinstance(target, ast.Name)
            and target.id in unused
            and statement.value is not None
            and is_pure(statement.value)
        )
    return False


def _removals(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    bindings: list[Binding],
    unused: set[str],
    dropped: frozenset[ast.stmt],
    frozen: set[ast.stmt | ast.ExceptHandler],
    lines: list[str],
) -> list[Removal]:
    """Group the unused bindings into one removal per statement (per handler for ``except``)."""
    by_owner: dict[ast.AST, list[Binding]] = {}
    for binding in bindings:
        if binding.name in unused and binding.owner not in frozen:
            group = binding.owner if binding.kind == "except" else binding.statement
            by_owner.setdefault(group, []).append(binding)
    removals = []
    for found in by_owner.values():
        statement, kind = found[0].statement, found[0].kind
        names = tuple(dict.fromkeys(b.name for b in found))
        positions = tuple(b.position for b in found)
        if kind in ("with", "except"):
            action: Any = "drop-as"
        elif statement in dropped:
            action = "drop"
        elif kind == "assign" and len(positions) < len(statement.targets):  # type: ignore[attr-defined]
            action = "drop-targets"
        else:
            action = "keep-value"
        shift = _value_shift(statement, positions, action, lines)
        removals.append(
            Removal(function, statement, found[0].owner, kind, names, positions, action, shift)
        )
    return removals


def _unpacking_left_alone(removal: Removal) -> str | None:
    """Say why a chained assignment that would keep only unpacking targets is left alone."""
    if removal.action != "drop-targets":
        return None
    targets = removal.statement.targets  # type: ignore[attr-defined]
    kept = [t for i, t in enumerate(targets) if i not in removal.positions]
    if not all(isinstance(target, ast.Tuple | ast.List) for target in kept):
        return None
    return (
        "the chained assignment would keep only its unpacking targets, whose names linters "
        "then report as unused (ruff F841)"
    )


def _key(removal: Removal) -> ast.AST:
    """Return the key of a removal's finding: its statement (an ``except``: its handler)."""
    return removal.statement if removal.kind != "except" else removal.owner


def _causes(removal: Removal, readers: dict[str, set[ast.stmt]]) -> frozenset[ast.AST]:
    """Return the dropped statements whose removal leaves ``removal``'s names unread."""
    found: set[ast.AST] = set()
    for name in removal.names:
        found |= readers.get(name, set())
    found.discard(removal.statement)
    return frozenset(found)


def _readers(
    dropped: frozenset[ast.stmt], closures: _ClosureReads, strings: TypeStrings
) -> dict[str, set[ast.stmt]]:
    """Map each name to the dropped statements that read it (their lambdas' reads included)."""
    readers: dict[str, set[ast.stmt]] = {}
    for statement, closure_reads in closures.deleted_reads(dropped).items():
        for name in _reads([statement], frozenset(), strings) | closure_reads:
            readers.setdefault(name, set()).add(statement)
    return readers


def _value_shift(
    statement: ast.stmt, positions: tuple[int, ...], action: str, lines: list[str]
) -> Shift | None:
    """Return how far a kept multi-line value moves left, if its first line moves."""
    value = getattr(statement, "value", None)
    if action not in ("keep-value", "drop-targets") or value is None:
        return None
    first_line = lines[statement.lineno - 1]
    if (
        value.lineno == (value.end_lineno or value.lineno)
        or value.lineno != statement.lineno
        or not first_line.isascii()  # ast columns are bytes; keep it simple
        or first_line[: statement.col_offset].strip()
    ):
        return None
    if action == "keep-value":
        return Shift(
            statement.col_offset, value.col_offset, value.col_offset - statement.col_offset
        )
    targets = statement.targets  # type: ignore[attr-defined]
    if any(target.lineno != statement.lineno for target in targets):
        return None
    starts = [target.col_offset for target in targets] + [value.col_offset]
    width = sum(starts[i + 1] - starts[i] for i in positions)
    return Shift(statement.col_offset, value.col_offset, width)


def _protected_owners(
    bindings: list[Binding], unused: set[str], protected: set[ast.stmt | ast.ExceptHandler]
) -> Iterator[tuple[ast.stmt | ast.ExceptHandler, str]]:
    """Yield the statements with an unused name that the docstring rule keeps, and the name."""
    seen: set[ast.AST] = set()
    for binding in bindings:
        if binding.name in unused and binding.owner in protected and binding.owner not in seen:
            seen.add(binding.owner)
            yield binding.owner, binding.name


Guards: TypeAlias = dict[ast.stmt | ast.ExceptHandler, str]
"""Statements kept whatever they bind, with the reason."""


def _docstring_guard(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Guards:
    """Protect a first statement whose deletion could promote a later string to docstring.

    The first statement after a docstring is protected the same way: ``docstring-stubs`` runs
    after this codemod and may add that docstring in the same run, and the statement it kept
    must not be deleted by a second run.
    """
    body = function.body
    start = 1 if is_string_statement(body[0]) else 0
    if len(body) <= start or not isinstance(body[start], ast.Assign | ast.AnnAssign):
        return {}
    for statement in body[start + 1 :]:
        if is_string_statement(statement):
            if start == 0:
                reason = (
                    "deleting the function's first statement would turn the string below it "
                    "into the docstring"
                )
            else:
                reason = (
                    "without the docstring above it, deleting it would turn the string below it "
                    "into the docstring, and docstring-stubs may add that docstring in the same "
                    "run: a second run must change nothing"
                )
            return {body[start]: reason}
        if not isinstance(statement, ast.Assign | ast.AnnAssign):
            return {}
    return {}


def _tuple_with_guard(bindings: list[Binding]) -> Guards:
    """Protect ``with (a, b) as x:``: without its ``as`` it reads as two context managers."""
    reason = "without its `as`, `with (a, b) as x:` would read as two context managers"
    return {
        b.statement: reason
        for b in bindings
        if b.kind == "with" and isinstance(b.statement.items[b.position].context_expr, ast.Tuple)  # type: ignore[attr-defined]
    }


# -- the compiler's view ---------------------------------------------------------------------


class _FunctionTables:
    """The symtable scopes of a file's functions, looked up by name and line."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self._tables: dict[tuple[str, int], symtable.SymbolTable | None] | None = None

    def of(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> symtable.SymbolTable | None:
        """Return the symtable scope of a ``def`` (None if it cannot be told apart)."""
        if self._tables is None:
            self._tables = {}
            for table in _all_tables(self.source.symtable):
                if table.get_type() == "function":
                    key = (table.get_name(), table.get_lineno())
                    self._tables[key] = None if key in self._tables else table
        return self._tables.get((function.name, function.lineno))


def _all_tables(table: symtable.SymbolTable) -> Iterator[symtable.SymbolTable]:
    """Yield a table and every table nested in it, at any depth (without recursion)."""
    stack = [table]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.get_children()))


def _plain_local(scope: symtable.SymbolTable, name: str) -> bool:
    """Tell whether the compiler sees ``name`` as a plain local of ``scope``.

    Reads are the ``ast``'s business (it also sees reads in inlined comprehensions) and
    :class:`_ClosureReads`' (the reads of nested scopes, as the compiler sees them).
    """
    try:
        symbol = scope.lookup(name)
    except KeyError:
        return False
    return (
        symbol.is_local()
        and symbol.is_assigned()
        and not symbol.is_parameter()
        and not symbol.is_global()
        and not symbol.is_nonlocal()
        and not symbol.is_free()
    )


def _implicitly_read(scope: symtable.SymbolTable, name: str, reads: set[str]) -> bool:
    """Tell whether the compiler reads ``name`` in ``scope`` where no ``ast`` node reads it.

    ``symtable`` marks a name referenced when the compiled code loads it. Its references are
    a superset of the ``ast``'s reads, and the difference is what the compiler reads on its
    own: zero-argument ``super()`` loads ``__class__`` (so ``__class__ = C`` changes what
    ``super()`` does). Such a name is read, whatever its spelling in the source.
    """
    if name in reads:
        return False
    try:
        return scope.lookup(name).is_referenced()
    except KeyError:
        return False


class _ClosureReads:
    """The names the scopes nested in a function read from it, as the compiler sees them.

    ``symtable`` is the second opinion on reads: it also sees names the ``ast`` spells
    differently (``__x`` in a class is ``_C__x``). A deleted statement's lambdas go with it,
    and so do their reads; but a scope carries only its line, so the lambda scopes of a line
    are deleted only when every lambda that starts on that line is in a deleted statement.
    """

    def __init__(
        self, scope: symtable.SymbolTable, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> None:
        """Collect the reads of the scopes nested in ``scope``, lambdas by line."""
        self._lambda_reads: dict[int, set[str]] = {}
        """Line -> the names read by the lambda scopes that start there (and those in them)."""
        self._other_reads: set[str] = set()
        for child in scope.get_children():
            names = {
                symbol.get_name()
                for table in _all_tables(child)
                for symbol in table.get_symbols()
                if symbol.is_free()
            }
            if child.get_name() == "lambda":
                self._lambda_reads.setdefault(child.get_lineno(), set()).update(names)
            else:
                self._other_reads |= names
        self._body = function.body
        self._everywhere: Counter[int] | None = None
        self._lines: dict[ast.stmt, Counter[int]] = {}

    def lines_of(self, statement: ast.stmt) -> Counter[int]:
        """Return how many lambdas start on each line of a statement of the function."""
        if statement not in self._lines:
            self._lines[statement] = _lambda_lines([statement])
        return self._lines[statement]

    def reads(self, dropped: frozenset[ast.stmt]) -> set[str]:
        """Return the names read by the nested scopes that outlive the dropped statements."""
        deleted, _ = self._deleted_lines(dropped)
        names = set(self._other_reads)
        for line, read in self._lambda_reads.items():
            if line not in deleted:
                names |= read
        return names

    def deleted_reads(self, dropped: frozenset[ast.stmt]) -> dict[ast.stmt, set[str]]:
        """Map each dropped statement to the names read by the lambda scopes deleted with it.

        The lambda scopes of a line are deleted together: each statement with a lambda
        on that line gets the reads of all of them.
        """
        deleted, _ = self._deleted_lines(dropped)
        found: dict[ast.stmt, set[str]] = {}
        for statement in dropped:
            names = found[statement] = set()
            for line in self.lines_of(statement).keys() & deleted:
                names |= self._lambda_reads.get(line, set())
        return found

    def ambiguous_lines(self, dropped: frozenset[ast.stmt], unread: set[str]) -> set[int]:
        """Return the lines where a deleted and a kept lambda start and one reads ``unread``.

        ``unread`` holds the names no kept code reads in the ``ast``: whether such a name is
        read by the kept lambda or by the deleted one cannot be told.
        """
        _, mixed = self._deleted_lines(dropped)
        return {line for line in mixed if self._lambda_reads.get(line, set()) & unread}

    def _deleted_lines(self, dropped: frozenset[ast.stmt]) -> tuple[set[int], set[int]]:
        """Return the lines whose lambdas all go with ``dropped``, and those where only some do."""
        if not self._lambda_reads:
            return set(), set()  # no nested lambda scope: nothing to tell apart
        counts: Counter[int] = Counter()
        for statement in dropped:
            counts.update(self.lines_of(statement))
        if self._everywhere is None:
            self._everywhere = _lambda_lines(self._body)
        everywhere = self._everywhere
        deleted = {line for line, count in counts.items() if count == everywhere[line]}
        return deleted, set(counts) - deleted


def _lambda_lines(statements: Sequence[ast.stmt]) -> Counter[int]:
    """Return how many lambdas start on each line of ``statements`` (nested ones included)."""
    return Counter(
        node.lineno
        for statement in statements
        for node in ast.walk(statement)
        if isinstance(node, ast.Lambda)
    )


# -- the text edits --------------------------------------------------------------------------

_AS = re.compile(r"[ \t]*as[ \t]+")
_EQUALS = re.compile(r"[ \t]*=[ \t]*")
_NO_VALUE_START = ("", "\f", "\\", "\r", "\n", "#")
"""What after ``= `` means LibCST's spaces go on (a form feed, a backslash) or no value follows."""


def _edit_text(text: StatementText, removal: Removal, position: Position) -> None:
    """Record the text edits of one removal (:class:`Unsure` when the tree must do it)."""
    statement, source = removal.statement, text.source
    if removal.kind == "with":
        for index in removal.positions:
            item = statement.items[index]  # type: ignore[attr-defined]
            text.remove(*_as_clause(source, item.context_expr, item.optional_vars))
    elif removal.kind == "except":
        text.remove(*_handler_name(source, removal.owner))  # type: ignore[arg-type]
    elif removal.action == "drop":
        text.delete(statement, position)
    else:
        text.cut(statement, position, _target_spans(source, removal), removal.shift)


def _as_clause(source: SourceFile, expression: ast.expr, name: ast.expr) -> tuple[int, int]:
    """Return the span of `` as name`` after a ``with`` item's expression."""
    start, (name_start, end) = source.span(expression)[1], source.span(name)
    if _AS.fullmatch(source.text, start, name_start) is None:
        raise Unsure("an `as` clause that is not `expression as name`")
    return start, end


def _handler_name(source: SourceFile, handler: ast.ExceptHandler) -> tuple[int, int]:
    """Return the span of `` as name`` after an ``except`` clause's type."""
    if handler.type is None or handler.name is None:
        raise Unsure("an `except` clause without a type")
    start = source.span(handler.type)[1]
    match = re.compile(_AS.pattern + re.escape(handler.name) + r"(?!\w)").match(source.text, start)
    if match is None:
        raise Unsure("an `except` clause that is not `except type as name`")
    return start, match.end()


def _target_spans(source: SourceFile, removal: Removal) -> list[tuple[int, int]]:
    """Return the spans of the removed targets, each with its `` = ``.

    As LibCST's ``AssignTarget`` (the target, the spaces around ``=`` and the ``=``); a
    parenthesized target or one continued on the next line is not handled.
    """
    statement = removal.statement
    if isinstance(statement, ast.AnnAssign):
        start = source.span(statement)[0]
        if source.span(statement.target)[0] != start:
            raise Unsure("a parenthesized target")
        return [(start, _after_equals(source, source.span(statement.annotation)[1]))]
    targets: list[ast.expr] = statement.targets  # type: ignore[attr-defined]
    spans = [source.span(target) for target in targets]
    if spans[0][0] != source.span(statement)[0]:
        raise Unsure("a parenthesized target")
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if _EQUALS.fullmatch(source.text, end, start) is None:
            raise Unsure("a parenthesized target")
    bounds = [start for start, _ in spans] + [_after_equals(source, spans[-1][1])]
    return [(bounds[index], bounds[index + 1]) for index in removal.positions]


def _after_equals(source: SourceFile, end: int) -> int:
    """Return where the value starts for LibCST: after the ``=`` and spaces following ``end``."""
    match = _EQUALS.match(source.text, end)
    if match is None or source.text[match.end() : match.end() + 1] in _NO_VALUE_START:
        raise Unsure("a value that does not follow `=` on its line")
    return match.end()
