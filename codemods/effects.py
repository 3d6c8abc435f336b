"""What code may do, read from its ``ast``: run code or fail, or read a function's locals.

:func:`is_pure` tells whether evaluating an expression can neither run user code nor raise
(literals, names, displays of them, a few operators on literals), so deleting it changes
nothing. :func:`frame_access` tells whether a function can reach its locals by name
(``locals()``, ``vars()``, ``eval``, frame introspection...), so no local of it is dead for
sure. :func:`result_owner` tells whether a value is a call whose result may own a resource
(a file, a lock, a connection): bound to a name it lives until the function returns, as a
bare statement it is released at once.
"""

from __future__ import annotations

import ast

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
_SAFE_NUMERIC_OPS = (ast.Add, ast.Sub, ast.Mult, ast.BitOr, ast.BitAnd, ast.BitXor)
_SAFE_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot)
_MAX_REPEAT = 10_000
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

    Literals, names, displays of them, lambdas with pure defaults, and a few operators on
    literals that cannot fail. Operators on names may call overloaded methods: not pure.
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
    """Tell whether ``expr`` is an operator on literals that cannot raise or blow up."""
    if isinstance(expr, ast.Compare):
        operands = [expr.left, *expr.comparators]
        return all(isinstance(o, ast.Constant) and _is_number(o.value) for o in operands) and all(
            isinstance(op, _SAFE_COMPARISONS) for op in expr.ops
        )
    return isinstance(expr, ast.UnaryOp | ast.BinOp) and _constant_kind(expr) is not None


def _constant_kind(expr: ast.expr) -> type | None:
    """Return the type an operation on literals evaluates to without raising (else ``None``).

    ``("a" + "b") - 1`` has no kind: its left side is a string, whatever the operator chain.
    Operands are evaluated before their operator on an explicit stack (a 1,000-term ``+``
    chain is 1,000 levels deep), and a first operand without a kind ends the walk.
    """
    kinds: dict[ast.expr, type | None] = {}
    pending: list[tuple[ast.expr, bool]] = [(expr, False)]
    while pending:
        node, operands_done = pending.pop()
        if isinstance(node, ast.UnaryOp | ast.BinOp) and not operands_done:
            pending.append((node, True))
            operands = [node.operand] if isinstance(node, ast.UnaryOp) else [node.left, node.right]
            pending.extend((operand, False) for operand in operands)
            continue
        kind = _kind_of(node, kinds)
        if kind is None:
            return None  # no operator on a kindless operand has a kind
        kinds[node] = kind
    return kinds[expr]


def _kind_of(node: ast.expr, kinds: dict[ast.expr, type | None]) -> type | None:
    """Return the kind of one node, its operands' kinds already in ``kinds``."""
    if isinstance(node, ast.Constant):
        value = node.value
        return type(value) if _is_number(value) or isinstance(value, str | bytes) else None
    if isinstance(node, ast.UnaryOp):
        kind = kinds[node.operand]
        if isinstance(node.op, ast.Not):
            return bool
        if isinstance(node.op, ast.Invert):
            return int if kind in (int, bool) else None
        return (int if kind is bool else kind) if kind in (int, bool, float, complex) else None
    if not isinstance(node, ast.BinOp):
        return None
    left, right = kinds[node.left], kinds[node.right]
    numbers = (bool, int, float, complex)
    if left in numbers and right in numbers:
        if isinstance(node.op, ast.BitOr | ast.BitAnd | ast.BitXor):
            return int if left in (bool, int) and right in (bool, int) else None
        if not isinstance(node.op, _SAFE_NUMERIC_OPS):
            return None
        widest = max(left, right, key=numbers.index)
        return int if widest is bool else widest
    if isinstance(node.op, ast.Add) and left is right and left in (str, bytes):
        return left
    if isinstance(node.op, ast.Mult):  # repetition: only of a literal, by a small literal
        text, count = (node.left, node.right) if left in (str, bytes) else (node.right, node.left)
        if (
            isinstance(text, ast.Constant)
            and isinstance(text.value, str | bytes)
            and isinstance(count, ast.Constant)
            and type(count.value) is int
            and count.value <= _MAX_REPEAT
        ):
            return type(text.value)
    return None


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


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | complex)


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
