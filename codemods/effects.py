"""What code may do, read from its ``ast``: run code or fail, or read a function's locals.

:func:`is_pure` tells whether evaluating an expression can neither run user code nor raise
(literals, names, displays of them, operators on literals that cannot raise), so deleting it
changes nothing; :func:`constant_outcome` decides the operators on literals by computing them,
within size bounds, as the interpreter would. :func:`frame_access` tells whether a function
can reach its locals by name (``locals()``, ``vars()``, ``eval``, frame introspection...), so
no local of it is dead for sure. :func:`result_owner` tells whether a value is a call whose
result may own a resource (a file, a lock, a connection): bound to a name it lives until the
function returns, as a bare statement it is released at once.
"""

from __future__ import annotations

import ast
import dataclasses
import operator
from collections.abc import Callable
from typing import Any

_FRAME_BUILTINS = {
    "locals": "calls locals()",
    "eval": "calls eval()",
    "exec": "calls exec()",
    "breakpoint": "calls breakpoint() (a debugger reads the locals)",
}
_FRAME_ATTRIBUTES = frozenset(
    {
        "_getframe",
        "_getframemodulename",
        "currentframe",
        "f_locals",
        "f_back",
        "tb_frame",
        "getouterframes",
        "getinnerframes",
        "getframeinfo",
        "getargvalues",
        "walk_stack",
        "walk_tb",
    }
)
_INSPECT_STACK_FUNCTIONS = frozenset({"stack", "trace"})
_LOCALS_WITHOUT_ARGUMENT = frozenset({"vars", "dir"})
"""Builtins that list or return the caller's locals when called without an argument."""
_MAX_UNPARSED_DEPTH = 100
"""Callees nesting deeper are not unparsed for messages (``ast.unparse`` recurses)."""
PLAIN_RESULT_FUNCTIONS = frozenset(
    {
        *("abs", "all", "any", "ascii", "bin", "bool", "bytes", "callable", "chr", "complex"),
        *("dict", "divmod", "float", "format", "frozenset", "getattr", "hasattr", "hash"),
        *("hex", "id", "int", "isinstance", "issubclass", "len", "list", "max", "min", "oct"),
        *("ord", "pow", "print", "repr", "round", "set", "setattr", "sorted", "str", "sum"),
        *("tuple", "type"),
        *("os.path.join", "os.path.exists", "os.path.isfile", "os.path.isdir"),
        *("os.path.basename", "os.path.dirname", "os.path.abspath", "os.path.realpath"),
        *("os.path.splitext", "os.getenv", "json.dumps", "json.loads", "re.compile"),
        *("re.match", "re.search", "re.sub", "re.split", "re.findall"),
    }
)
"""Callees whose result owns no resource: dropping it early changes nothing."""
PLAIN_RESULT_METHODS = frozenset(
    {
        *("join", "split", "rsplit", "splitlines", "strip", "lstrip", "rstrip", "lower"),
        *("upper", "replace", "format", "startswith", "endswith", "encode", "decode"),
        *("partition", "rpartition", "keys", "values", "items", "count", "index"),
    }
)
"""Method names (str, bytes, dict views) whose result owns no resource."""


def is_pure(expr: ast.expr) -> bool:
    """Tell whether evaluating ``expr`` can neither run user code nor raise (but NameError).

    Literals, names, displays of them, lambdas with pure defaults, and operators on
    literals that cannot fail (:func:`constant_outcome`: ``1 < 2j`` and ``1 / 0`` raise,
    ``10 ** 10 ** 10`` is too large to tell). Operators on names may call overloaded
    methods: not pure.
    The walk keeps its own stack, so deep expressions cannot reach the recursion limit.
    """
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Constant | ast.Name):
            continue
        if isinstance(node, ast.Tuple | ast.List):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return False
            pending.extend(node.elts)
        elif isinstance(node, ast.Set):  # hashing a name's value may run __hash__
            if not all(isinstance(e, ast.Constant) for e in node.elts):
                return False
        elif isinstance(node, ast.Dict):
            if not all(isinstance(k, ast.Constant) for k in node.keys):
                return False
            pending.extend(node.values)
        elif isinstance(node, ast.JoinedStr):
            if not all(isinstance(value, ast.Constant) for value in node.values):
                return False
        elif isinstance(node, ast.Lambda):
            pending.extend(node.args.defaults)
            pending.extend(d for d in node.args.kw_defaults if d is not None)
        elif not _is_safe_constant_operation(node):
            return False
    return True


def _is_safe_constant_operation(expr: ast.expr) -> bool:
    """Tell whether ``expr`` is an operation on literals that cannot raise or blow up."""
    return isinstance(expr, ast.UnaryOp | ast.BinOp | ast.Compare) and (
        constant_outcome(expr) is not None
    )


@dataclasses.dataclass(frozen=True)
class ConstantOutcome:
    """What an operation on literals evaluates to, when it cannot raise.

    ``kind`` is the result's type, ``value`` the result itself, or :data:`UNKNOWN` when it
    is not computed: a ``str`` or ``bytes`` longer than :data:`_MAX_KNOWN_LENGTH` (only its
    ``length`` is followed: nothing large is ever built), an integer too large to compute
    cheaply, an ``is`` comparison, or a comparison of such values.
    """

    kind: type
    value: Any = None
    length: int = 0
    """The length of a ``str`` or ``bytes`` result."""

    @property
    def known(self) -> bool:
        """Tell whether :attr:`value` is the result itself."""
        return self.value is not UNKNOWN


UNKNOWN = object()
"""The :attr:`ConstantOutcome.value` of a result that is not computed."""
_NUMBERS = (bool, int, float, complex)
_INTEGERS = (bool, int)
_ORDERED_NUMBERS = (bool, int, float)
_SEQUENCES = (str, bytes)
_CONSTANT_TYPES = (*_NUMBERS, *_SEQUENCES, type(None), type(...))
_MAX_INT_BITS = 1 << 16
"""Integer results past this size are not computed: ``10 ** 10 ** 10`` would never end."""
_MAX_SEQUENCE_LENGTH = 1 << 24
_MAX_KNOWN_LENGTH = 4096
"""Longer ``str``/``bytes`` values are not built; their comparisons are not computed."""
"""Longer ``str``/``bytes`` results (``"a" * 10 ** 9``) are not deleted: they may not fit."""
_MAX_COUNT = (1 << 31) - 1
"""Repetition counts stay within 32 bits: past ``sys.maxsize`` (``2 ** 31 - 1`` on a 32-bit
system) one raises ``OverflowError``, even ``"" * 10 ** 100``."""
_BINARY_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}
"""``@`` is missing: no literal has ``__matmul__``, it always raises ``TypeError``."""
_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda item, container: item in container,
    ast.NotIn: lambda item, container: item not in container,
}
_ORDERINGS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_EVALUATION_ERRORS = (ArithmeticError, TypeError, ValueError, MemoryError)
_UNKNOWN_INT = ConstantOutcome(int, UNKNOWN)
_UNKNOWN_BOOL = ConstantOutcome(bool, UNKNOWN)


def constant_outcome(expr: ast.expr) -> ConstantOutcome | None:
    """Return what an operation on literals evaluates to, or ``None`` if it may raise.

    Operands are literals (numbers, ``str``, ``bytes``, ``None``, ``...``) and unary, binary
    and comparison operators on them. Numbers are computed exactly -- so ``1 < 2j``,
    ``1 / 0``, ``1 << -1`` and ``10 ** 400 * 1.0`` raise here as they would at run time --
    unless a result would be too large to compute cheaply (``10 ** 10 ** 10``: ``None``;
    a product of large integers: an integer of unknown value, which no ``+``, ``-``, ``*``
    or bitwise operator can make raise). ``str`` and ``bytes`` values longer than 4,096
    are never built: only their type and length are followed (``"a" + 1`` raises,
    ``"a" * 10 ** 9`` is ``None``). A chain of comparisons stops at its first false link,
    as it does at run time (``1 > 2 < 3j`` does not raise). ``None`` also answers what
    raises only under some interpreter options or versions: a ``bytes`` compared with
    anything but ``bytes`` (``b"a" == "a"`` raises ``BytesWarning`` under ``python -bb``),
    ``~True`` (deprecated since 3.12, to raise in 3.16), and ``%`` on a ``str`` or
    ``bytes`` (printf formatting of any size). Operands are evaluated before their
    operator on an explicit stack (a 100,000-term ``+`` chain is that many levels deep).
    """
    outcomes: dict[ast.expr, ConstantOutcome] = {}
    pending: list[tuple[ast.expr, bool]] = [(expr, False)]
    while pending:
        node, operands_done = pending.pop()
        if not operands_done:
            operands = _operands(node)
            if operands is None:
                return None
            if operands:
                pending.append((node, True))
                pending.extend((operand, False) for operand in operands)
                continue
        outcome = _outcome_of(node, outcomes)
        if outcome is None:
            return None  # raising anywhere raises the whole expression
        outcomes[node] = outcome
    return outcomes[expr]


def _operands(node: ast.expr) -> list[ast.expr] | None:
    """Return the operands of a constant operation (``[]`` for a literal; ``None``: neither)."""
    if isinstance(node, ast.Constant):
        return [] if isinstance(node.value, _CONSTANT_TYPES) else None
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.Compare):  # every operand, even those a chain may not evaluate
        return [node.left, *node.comparators]
    return None


def _outcome_of(
    node: ast.expr, outcomes: dict[ast.expr, ConstantOutcome]
) -> ConstantOutcome | None:
    """Return the outcome of one node, its operands' outcomes already in ``outcomes``."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, _SEQUENCES):
            return _sequence(type(value), value, len(value))
        return ConstantOutcome(type(value), value)
    if isinstance(node, ast.UnaryOp):
        return _unary(node.op, outcomes[node.operand])
    if isinstance(node, ast.BinOp):
        return _binary(node.op, outcomes[node.left], outcomes[node.right])
    assert isinstance(node, ast.Compare)
    operands = [outcomes[node.left], *(outcomes[c] for c in node.comparators)]
    result: ConstantOutcome | None = ConstantOutcome(bool, True)
    for index, op in enumerate(node.ops):
        result = _compare(op, operands[index], operands[index + 1])
        if result is None:
            return None
        if result.known and not result.value:
            break  # ``a < b < c`` is ``a < b and b < c``: a false link ends the chain
    return result


def _unary(op: ast.unaryop, operand: ConstantOutcome) -> ConstantOutcome | None:
    """Return the outcome of a unary operator (``None``: it may raise)."""
    kind, value = operand.kind, operand.value
    if isinstance(op, ast.Not):
        if kind in _SEQUENCES:
            return ConstantOutcome(bool, operand.length == 0)
        return ConstantOutcome(bool, not value) if operand.known else _UNKNOWN_BOOL
    if isinstance(op, ast.Invert):
        if kind is not int:  # ``~True`` is deprecated (3.12): a DeprecationWarning, then TypeError
            return None
        return ConstantOutcome(int, ~value) if operand.known else _UNKNOWN_INT
    if kind not in _NUMBERS:
        return None
    if not operand.known:
        return _UNKNOWN_INT
    result = +value if isinstance(op, ast.UAdd) else -value
    return ConstantOutcome(type(result), result)


def _binary(
    op: ast.operator, left: ConstantOutcome, right: ConstantOutcome
) -> ConstantOutcome | None:
    """Return the outcome of a binary operator (``None``: it may raise or grow too large)."""
    if left.kind in _SEQUENCES or right.kind in _SEQUENCES:
        return _sequence_binary(op, left, right)
    if left.kind not in _NUMBERS or right.kind not in _NUMBERS:
        return None  # ``None`` and ``...`` have no arithmetic
    function = _BINARY_OPERATORS.get(type(op))
    if function is None:
        return None
    integers = left.kind in _INTEGERS and right.kind in _INTEGERS
    if not (left.known and right.known):
        # only an integer too large to compute: these never raise on integers
        safe = isinstance(op, ast.Add | ast.Sub | ast.Mult | ast.BitOr | ast.BitAnd | ast.BitXor)
        return _UNKNOWN_INT if integers and safe else None
    a, b = left.value, right.value
    if integers:
        bits = max(a.bit_length(), b.bit_length())
        if isinstance(op, ast.Mult) and bits > _MAX_INT_BITS // 2:
            return _UNKNOWN_INT  # a product of literals is as large as the source: no blow-up
        if isinstance(op, ast.Div | ast.FloorDiv | ast.Mod) and bits > _MAX_INT_BITS:
            return None  # long division is quadratic
        if isinstance(op, ast.Pow) and b >= 0 and abs(a) > 1:
            if a.bit_length() * b > _MAX_INT_BITS:
                return None
        if isinstance(op, ast.LShift) and a and b > 0:
            if a.bit_length() + b > _MAX_INT_BITS:
                return None
    try:
        result = function(a, b)
    except _EVALUATION_ERRORS:
        return None
    return ConstantOutcome(type(result), result)


def _sequence_binary(
    op: ast.operator, left: ConstantOutcome, right: ConstantOutcome
) -> ConstantOutcome | None:
    """Return the outcome of ``+`` or ``*`` on a ``str`` or ``bytes`` (every other raises).

    ``%`` is printf formatting: whether it raises depends on the text, and
    ``"%0999999999d" % 1`` is a gigabyte; it counts as raising.
    """
    if isinstance(op, ast.Add):
        length = left.length + right.length
        if left.kind is not right.kind or length > _MAX_SEQUENCE_LENGTH:
            return None
        short = left.known and right.known and length <= _MAX_KNOWN_LENGTH
        return _sequence(left.kind, left.value + right.value if short else UNKNOWN, length)
    if isinstance(op, ast.Mult):
        text, count = (left, right) if left.kind in _SEQUENCES else (right, left)
        if count.kind not in _INTEGERS or not count.known or abs(count.value) > _MAX_COUNT:
            return None
        length = text.length * max(count.value, 0)
        if length > _MAX_SEQUENCE_LENGTH:
            return None
        short = text.known and length <= _MAX_KNOWN_LENGTH
        return _sequence(text.kind, text.value * count.value if short else UNKNOWN, length)
    return None


def _sequence(kind: type, value: Any, length: int) -> ConstantOutcome:
    """Return the outcome of a ``str`` or ``bytes``: its value only when it is short."""
    return ConstantOutcome(kind, value if length <= _MAX_KNOWN_LENGTH else UNKNOWN, length)


def _compare(
    op: ast.cmpop, left: ConstantOutcome, right: ConstantOutcome
) -> ConstantOutcome | None:
    """Return the outcome of one comparison of a chain (``None``: it may raise)."""
    if isinstance(op, ast.Is | ast.IsNot):
        return _UNKNOWN_BOOL  # never raises; which literals are the same object is CPython's
    if isinstance(op, ast.In | ast.NotIn):
        if not _may_contain(left, right):
            return None  # ``1 in "a"``, ``256 in b"a"``, ``1 in 2``: TypeError or ValueError
    elif (left.kind is bytes) != (right.kind is bytes):
        return None  # ``b"a" == "a"`` and ``b"a" < 1``: BytesWarning under -bb, or TypeError
    elif isinstance(op, _ORDERINGS) and not (
        (left.kind in _SEQUENCES and left.kind is right.kind)
        or (left.kind in _ORDERED_NUMBERS and right.kind in _ORDERED_NUMBERS)
    ):
        return None  # ``1 < 2j``, ``"a" < 1``, ``None < 1``: TypeError
    if not (left.known and right.known):
        return _UNKNOWN_BOOL
    try:
        result = _COMPARISONS[type(op)](left.value, right.value)
    except _EVALUATION_ERRORS:
        return None
    return ConstantOutcome(bool, bool(result))


def _may_contain(item: ConstantOutcome, container: ConstantOutcome) -> bool:
    """Tell whether ``item in container`` cannot raise.

    It cannot for a ``str`` in a ``str``, and for ``bytes`` or an integer in ``range(256)``
    in ``bytes``.
    """
    if container.kind is str:
        return item.kind is str
    if container.kind is bytes:
        return item.kind is bytes or (
            item.kind in _INTEGERS and item.known and 0 <= item.value < 256
        )
    return False


def result_owner(value: ast.expr) -> str | None:
    """Return the callee whose result ``value`` is, unless it is known to own no resource.

    ``await f()`` is ``f``'s result too. Other expressions (names, attributes, operators)
    give ``None``: dropping them releases nothing their statement did not already hold.
    """
    call = value.value if isinstance(value, ast.Await) else value
    if not isinstance(call, ast.Call):
        return None
    callee = _callee_text(call.func)
    if callee in PLAIN_RESULT_FUNCTIONS:
        return None
    if isinstance(call.func, ast.Attribute) and call.func.attr in PLAIN_RESULT_METHODS:
        return None
    return callee


def _callee_text(func: ast.expr) -> str:
    """Return a callee as written: ``a.b.c`` for a dotted name, else its unparsed source.

    A dotted name is read without recursion, whatever its length; other callees are
    unparsed (which recurses) only when they nest less than :data:`_MAX_UNPARSED_DEPTH` deep.
    """
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    if _depth(func) >= _MAX_UNPARSED_DEPTH:
        return f"<a callee nested over {_MAX_UNPARSED_DEPTH} levels deep>"
    return ast.unparse(func)


def _depth(expr: ast.expr) -> int:
    """Return how many levels deep ``expr`` nests (1 for a leaf), without recursion."""
    deepest = 0
    pending = [(expr, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def frame_access(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """Return how the function (or a scope nested in it) can read locals by name, if it can."""
    vars_with_argument: set[ast.AST] = set()
    for node in ast.walk(function):  # breadth first: a call comes before its callee name
        if isinstance(node, ast.Call) and (node.args or node.keywords) and _is_vars(node.func):
            vars_with_argument.add(node.func)
        reason = None if node in vars_with_argument else _frame_access_at(node)
        if reason is not None:
            return f"{reason} (line {getattr(node, 'lineno', function.lineno)})"
    return None


def _is_vars(func: ast.expr) -> bool:
    """Tell whether ``func`` is ``vars`` or ``dir``: with an argument they read no locals."""
    return (isinstance(func, ast.Name) and func.id in _LOCALS_WITHOUT_ARGUMENT) or (
        isinstance(func, ast.Attribute) and func.attr in _LOCALS_WITHOUT_ARGUMENT
    )


def _frame_access_at(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        if node.id in _FRAME_BUILTINS:
            return _FRAME_BUILTINS[node.id]
        if node.id in _FRAME_ATTRIBUTES:
            return f"uses {node.id} (frame introspection)"
        if node.id in _LOCALS_WITHOUT_ARGUMENT:
            return f"calls {node.id}() without argument (or passes {node.id} on)"
    if isinstance(node, ast.Attribute):
        base = node.value.id if isinstance(node.value, ast.Name) else None
        if node.attr in _FRAME_ATTRIBUTES:
            return f"uses .{node.attr} (frame introspection)"
        if base == "inspect" and node.attr in _INSPECT_STACK_FUNCTIONS:
            return f"calls inspect.{node.attr}() (frame introspection)"
        if base in ("builtins", "__builtins__") and (
            node.attr in _FRAME_BUILTINS or node.attr in _LOCALS_WITHOUT_ARGUMENT
        ):
            return f"uses {base}.{node.attr}"
    return None
