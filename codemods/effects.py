"""What code may do, read from its ``ast``: run code or fail, or read a function's locals.

:func:`is_pure` tells whether evaluating an expression can neither run user code nor raise
(literals, names, displays of them, a few operators on literals), so deleting it changes
nothing. :func:`frame_access` tells whether a function can reach its locals by name
(``locals()``, ``vars()``, ``eval``, frame introspection...), so no local of it is dead for
sure.
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
_SAFE_NUMERIC_OPS = (ast.Add, ast.Sub, ast.Mult, ast.BitOr, ast.BitAnd, ast.BitXor)
_SAFE_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot)
_MAX_REPEAT = 10_000


def is_pure(expr: ast.expr) -> bool:
    """Tell whether evaluating ``expr`` can neither run user code nor raise (but NameError).

    Literals, names, displays of them, lambdas with pure defaults, and a few operators on
    literals that cannot fail. Operators on names may call overloaded methods: not pure.
    """
    if isinstance(expr, ast.Constant | ast.Name):
        return True
    if isinstance(expr, ast.Tuple | ast.List):
        return all(not isinstance(e, ast.Starred) and is_pure(e) for e in expr.elts)
    if isinstance(expr, ast.Set):  # hashing a name's value may run __hash__
        return all(isinstance(e, ast.Constant) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in expr.keys) and all(
            is_pure(v) for v in expr.values
        )
    if isinstance(expr, ast.JoinedStr):
        return all(isinstance(value, ast.Constant) for value in expr.values)
    if isinstance(expr, ast.Lambda):
        defaults = [*expr.args.defaults, *(d for d in expr.args.kw_defaults if d is not None)]
        return all(is_pure(default) for default in defaults)
    return _is_safe_constant_operation(expr)


def _is_safe_constant_operation(expr: ast.expr) -> bool:
    """Tell whether ``expr`` is an operator on literals that cannot raise or blow up."""
    if isinstance(expr, ast.UnaryOp):
        operand = expr.operand
        return isinstance(operand, ast.Constant) and (
            isinstance(expr.op, ast.Not) or _is_number(operand.value)
        )
    if isinstance(expr, ast.BinOp):
        left, right = expr.left, expr.right
        if not (isinstance(left, ast.Constant) and isinstance(right, ast.Constant)):
            return (
                _is_safe_constant_operation(left)
                and isinstance(right, ast.Constant)
                and (_is_number(right.value) and isinstance(expr.op, _SAFE_NUMERIC_OPS))
            )
        return _safe_binary(left.value, expr.op, right.value)
    if isinstance(expr, ast.Compare):
        operands = [expr.left, *expr.comparators]
        return all(isinstance(o, ast.Constant) and _is_number(o.value) for o in operands) and all(
            isinstance(op, _SAFE_COMPARISONS) for op in expr.ops
        )
    return False


def _safe_binary(left: object, op: ast.operator, right: object) -> bool:
    if _is_number(left) and _is_number(right):
        return isinstance(op, _SAFE_NUMERIC_OPS) and not (
            isinstance(op, ast.BitOr | ast.BitAnd | ast.BitXor)
            and not (isinstance(left, int) and isinstance(right, int))
        )
    if isinstance(op, ast.Add):
        return type(left) is type(right) and isinstance(left, str | bytes)
    if isinstance(op, ast.Mult):
        text, count = (left, right) if isinstance(left, str | bytes) else (right, left)
        return isinstance(text, str | bytes) and type(count) is int and count <= _MAX_REPEAT
    return False


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
    return (isinstance(func, ast.Name) and func.id == "vars") or (
        isinstance(func, ast.Attribute) and func.attr == "vars"
    )


def _frame_access_at(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        if node.id in _FRAME_BUILTINS:
            return _FRAME_BUILTINS[node.id]
        if node.id in _FRAME_ATTRIBUTES:
            return f"uses {node.id} (frame introspection)"
        if node.id == "vars":
            return "calls vars() without argument (or passes vars on)"
    if isinstance(node, ast.Attribute):
        base = node.value.id if isinstance(node.value, ast.Name) else None
        if node.attr in _FRAME_ATTRIBUTES:
            return f"uses .{node.attr} (frame introspection)"
        if base == "inspect" and node.attr in _INSPECT_STACK_FUNCTIONS:
            return f"calls inspect.{node.attr}() (frame introspection)"
        if base in ("builtins", "__builtins__") and (
            node.attr in _FRAME_BUILTINS or node.attr == "vars"
        ):
            return f"uses {base}.{node.attr}"
    return None
