"""Operations on literals that ``unused-variables`` deletes: only those that cannot raise.

``y = 1 < 2j`` raises ``TypeError`` when it runs; deleting the statement would hide that.
The matrix below crosses literal operands with every operator and checks each expression
against the interpreter: what ``eval`` raises on is kept as a statement, and what the rule
before the fix deleted (a frozen copy of it is :func:`_old_rule`) and does not raise is still
deleted. Whatever else does not raise is deleted too, but for the documented exclusions
(:func:`_excluded`).
"""

from __future__ import annotations

import ast
import functools
import itertools
import subprocess
import sys
import warnings

import pytest

from codemods import effects
from codemods.effects import is_pure
from codemods.engine import Engine
from codemods.fixes.unused_variables import UnusedVariables

HUGE = "1" + "0" * 400
"""An integer literal too large for a float: ``HUGE * 1.0`` raises ``OverflowError``."""
OPERANDS = (
    *("0", "1", "(-1)", "2", "255", "256", "True", "False", "(10 ** 30)", "(10 ** 400)", HUGE),
    *("1.5", "0.0", "(-2.5)", "1e308", "1e309", "2j", "0j", "(1 + 2j)"),
    *("''", "'ab'", "b''", "b'a'", "None", "..."),
)
"""Literals of every type a constant can have, zero, negative and huge numbers among them."""
BINARY = ("+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "&", "^", "@")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in")
UNARY = ("not ", "-", "+", "~")
CHAIN_OPERANDS = ("1", "2", "1.5", "2j", "'a'", "b'a'", "None")
CHAIN_OPERATORS = ("<", "==", ">", "in")

_TOO_BIG_BITS = 1_000_000
"""The oracle does not evaluate an integer result past this size (``10 ** 10 ** 10``)."""


def _expressions() -> list[str]:
    binary = [f"{a} {op} {b}" for a, op, b in itertools.product(OPERANDS, BINARY, OPERANDS)]
    compare = [f"{a} {op} {b}" for a, op, b in itertools.product(OPERANDS, COMPARISONS, OPERANDS)]
    unary = [f"{op}{a}" for op, a in itertools.product(UNARY, OPERANDS)]
    chains = [
        f"{a} {op1} {b} {op2} {c}"
        for a, b, c in itertools.product(CHAIN_OPERANDS, repeat=3)
        for op1, op2 in itertools.product(CHAIN_OPERATORS, repeat=2)
    ]
    nested = [f"({a}) + 1" for a in binary[:: len(OPERANDS) + 1]]  # a raising operand raises
    return [*binary, *compare, *unary, *chains, *nested]


EXPRESSIONS = _expressions()


def _value(node: ast.expr) -> object:
    """Evaluate a small operand of the matrix (its literals, ``-x``, ``10 ** 400``)."""
    expression = ast.fix_missing_locations(ast.Expression(node))
    return eval(compile(expression, "<operand>", "eval"))  # noqa: S307


def _too_big(expr: ast.expr) -> bool:
    """Tell whether evaluating ``expr`` would build an integer too large to wait for."""
    for node in ast.walk(expr):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow | ast.LShift):
            try:
                left, right = _value(node.left), _value(node.right)
            except Exception:  # noqa: BLE001  (an operand that raises: the oracle sees it)
                continue
            if not (isinstance(left, int) and isinstance(right, int)) or right < 0:
                continue
            if isinstance(node.op, ast.Pow) and abs(left) > 1:
                if left.bit_length() * right > _TOO_BIG_BITS:
                    return True
            if isinstance(node.op, ast.LShift) and left and right > _TOO_BIG_BITS:
                return True
    return False


@functools.cache
def _raises(text: str) -> bool | None:
    """Tell whether evaluating ``text`` raises (warnings are errors); ``None``: too big to run."""
    expr = ast.parse(text, mode="eval").body
    if _too_big(expr):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `1 is 1` warns when compiled, never when run
        code = compile(text, "<matrix>", "eval")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            eval(code)  # noqa: S307
        except Exception:  # noqa: BLE001
            return True
    return False


def _inverts_a_bool(expr: ast.expr) -> bool:
    """Tell whether ``expr`` has a ``~`` on a ``bool``: deprecated since 3.12, see
    :func:`test_inverting_a_bool_is_deprecated`; the one thing the old rule deleted that is
    now kept though it does not raise (here)."""
    return any(
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.Invert)
        and isinstance(_value(node.operand), bool)
        for node in ast.walk(expr)
    )


def _excluded(text: str) -> bool:
    """Tell whether ``text`` does not raise here but is documented to count as raising.

    ``bytes`` compared with anything else (``BytesWarning`` under ``python -bb``, see
    :func:`test_bytes_comparisons_raise_under_bb`), ``~True``, ``%`` on a ``str``/``bytes``
    (printf formatting of any size), an integer power or shift past ``_MAX_INT_BITS`` bits.
    """
    expr = ast.parse(text, mode="eval").body
    if _inverts_a_bool(expr):
        return True
    for node in ast.walk(expr):
        if isinstance(node, ast.Compare):
            operands = [_value(o) for o in [node.left, *node.comparators]]
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                if isinstance(op, ast.Is | ast.IsNot):
                    continue  # which literals are the same object is not decided
                bytes_link = not isinstance(op, ast.In | ast.NotIn)
                if bytes_link and isinstance(left, bytes) != isinstance(right, bytes):
                    return True
                link = ast.Compare(ast.Constant(left), [op], [ast.Constant(right)])
                if not _value(link):
                    break  # a false link ends the chain: the rest is never compared
        if isinstance(node, ast.BinOp):
            left, right = _value(node.left), _value(node.right)
            if isinstance(node.op, ast.Mod) and isinstance(left, str | bytes):
                return True
            result = _value(node) if isinstance(node.op, ast.Pow | ast.LShift) else None
            if isinstance(result, int) and result.bit_length() > effects._MAX_INT_BITS:
                return True
    return False


# -- the rule before the fix (codemods/effects.py at ea67432), frozen for the comparison --------

_OLD_SAFE_NUMERIC_OPS = (ast.Add, ast.Sub, ast.Mult, ast.BitOr, ast.BitAnd, ast.BitXor)
_OLD_SAFE_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot)


def _old_rule(expr: ast.expr) -> bool:
    """Return what the old ``_is_safe_constant_operation`` answered (recursive: small inputs)."""
    if isinstance(expr, ast.Compare):
        operands = [expr.left, *expr.comparators]
        return all(
            isinstance(o, ast.Constant) and isinstance(o.value, int | float | complex)
            for o in operands
        ) and all(isinstance(op, _OLD_SAFE_COMPARISONS) for op in expr.ops)
    return isinstance(expr, ast.UnaryOp | ast.BinOp) and _old_kind(expr) is not None


def _old_kind(node: ast.expr) -> type | None:
    numbers = (bool, int, float, complex)
    if isinstance(node, ast.Constant):
        value = node.value
        return type(value) if isinstance(value, int | float | complex | str | bytes) else None
    if isinstance(node, ast.UnaryOp):
        kind = _old_kind(node.operand)
        if kind is None:
            return None
        if isinstance(node.op, ast.Not):
            return bool
        if isinstance(node.op, ast.Invert):
            return int if kind in (int, bool) else None
        return (int if kind is bool else kind) if kind in numbers else None
    if not isinstance(node, ast.BinOp):
        return None
    left, right = _old_kind(node.left), _old_kind(node.right)
    if left is None or right is None:
        return None
    if left in numbers and right in numbers:
        if isinstance(node.op, ast.BitOr | ast.BitAnd | ast.BitXor):
            return int if left in (bool, int) and right in (bool, int) else None
        if not isinstance(node.op, _OLD_SAFE_NUMERIC_OPS):
            return None
        widest = max(left, right, key=numbers.index)
        return int if widest is bool else widest
    if isinstance(node.op, ast.Add) and left is right and left in (str, bytes):
        return left
    if isinstance(node.op, ast.Mult):
        text, count = (node.left, node.right) if left in (str, bytes) else (node.right, node.left)
        if (
            isinstance(text, ast.Constant)
            and isinstance(text.value, str | bytes)
            and isinstance(count, ast.Constant)
            and type(count.value) is int
            and count.value <= 10_000
        ):
            return type(text.value)
    return None


# -- the matrix ----------------------------------------------------------------------------


def test_the_matrix_exercises_the_bug_class() -> None:
    parsed = {text: ast.parse(text, mode="eval").body for text in EXPRESSIONS}
    wrongly_deleted = [t for t in EXPRESSIONS if _raises(t) and _old_rule(parsed[t])]
    assert "1 < 2j" in wrongly_deleted
    assert f"{HUGE} * 1.5" in wrongly_deleted  # OverflowError: int too large to convert
    assert len(wrongly_deleted) >= 50  # what the old rule deleted though it raises


@pytest.mark.parametrize("part", range(4))
def test_purity_matches_the_interpreter(part: int) -> None:
    problems = []
    for text in EXPRESSIONS[part::4]:
        expr = ast.parse(text, mode="eval").body
        pure = is_pure(expr)
        raises = _raises(text)
        if raises is None or raises:
            expected = False  # raises, or too big to tell: kept
        else:
            expected = not _excluded(text)
        if pure != expected:
            problems.append(f"{text}: pure={pure}, raises={raises}")
    assert problems == []


def test_what_the_old_rule_deleted_and_does_not_raise_is_still_deleted() -> None:
    still = []
    for text in EXPRESSIONS:
        expr = ast.parse(text, mode="eval").body
        if _old_rule(expr) and _raises(text) is False and not _inverts_a_bool(expr):
            still.append(text)
            assert is_pure(expr), text
    assert len(still) >= 500


def test_the_statements_are_kept_or_deleted_as_purity_says() -> None:
    # one file, one function per expression: the codemod's own decision, end to end
    texts = [t for t in EXPRESSIONS if _raises(t) is not None][::7]
    functions = "".join(f"def f{i}():\n    y = {text}\n\n\n" for i, text in enumerate(texts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `1 is 1`, `~True` (3.12+) warn when compiled
        result = Engine([UnusedVariables()]).fix_text("matrix.py", functions)
    assert result.error is None, result.error
    tree = ast.parse(result.new_text)
    bodies = {node.name: node.body for node in tree.body if isinstance(node, ast.FunctionDef)}
    problems = []
    for i, text in enumerate(texts):
        (statement,) = bodies[f"f{i}"]
        if _raises(text):
            kept = isinstance(statement, ast.Expr) and ast.dump(statement.value) == ast.dump(
                ast.parse(text, mode="eval").body
            )
            if not kept:
                problems.append(f"{text}: raises, but {ast.unparse(statement)!r} is left")
        elif is_pure(ast.parse(text, mode="eval").body) and not isinstance(statement, ast.Pass):
            problems.append(f"{text}: pure, but {ast.unparse(statement)!r} is left")
    assert problems == []
    assert any(isinstance(b[0], ast.Pass) for b in bodies.values())  # some were deleted


# -- the cases named in the issue, and the bounds --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1 < 2j",
        "2j >= 1j",
        "'a' < 1",
        "None < 1",
        "1 / 0",
        "1 // 0",
        "1 % 0",
        "1.5 % 0.0",
        "0 ** -1",
        "'a' + 1",
        "b'a' + 'a'",
        "'a' * 1.5",
        "'a' * (10 ** 100)",
        "1 << -1",
        "1 >> -1",
        "1e308 ** 2",
        "(10 ** 400) * 1.0",
        "(10 ** 400) + 0.5",
        "(10 ** 400) / 3",
        "256 in b'a'",
        "1 in 'a'",
        "'a' in b'a'",
        "1 > 0 < 2j",
        "-'a'",
        "~1.5",
        "1 @ 1",
        "(1 < 2j) + 1",
    ],
)
def test_operations_that_raise_are_kept(text: str) -> None:
    assert _raises(text) in (True, None)
    assert not is_pure(ast.parse(text, mode="eval").body)
    function = f"def f():\n    y = {text}\n    return 1\n"
    assert Engine([UnusedVariables()]).fix_text("f.py", function).new_text == (
        f"def f():\n    {text}\n    return 1\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "10 ** 10 ** 10",
        "2 ** (10 ** 6)",
        "1 << (10 ** 9)",
        "'a' * (10 ** 9)",
        "b'ab' * 2 ** 30",
        "'' * (10 ** 18)",  # fits 64 bits, not 32: OverflowError on a 32-bit Python
    ],
)
def test_results_too_large_to_compute_are_kept(text: str) -> None:
    # evaluating them would take minutes or gigabytes: they are never computed
    assert not is_pure(ast.parse(text, mode="eval").body)


@pytest.mark.parametrize(
    "text",
    [
        "1 + 2",
        "1 > 2 < 3j",  # a false link ends the chain: 3j is never compared
        "-1 < 2",
        "'ab' * 3",
        "3 * b'ab'",
        "'a' * -5",
        "'a' * True",
        "'a' + 'b' == 'ab'",
        "not None",
        "1 is None",
        "2 ** 100",
        "1 / 3",
        "7 // 2 % 3",
        "1 << 10",
        "(10 ** 400) >> (10 ** 400)",
        "1 ** (10 ** 100)",
        "1.5 < 2 <= 3",
        "1j == 1",
        "b'a' in b'abc'",
        "97 in b'abc'",
        "'a' in 'abc'",
        "'a' == 1",
    ],
)
def test_operations_that_cannot_raise_are_deleted(text: str) -> None:
    assert _raises(text) is False
    assert is_pure(ast.parse(text, mode="eval").body)
    function = f"def f():\n    y = {text}\n    return 1\n"
    assert Engine([UnusedVariables()]).fix_text("f.py", function).new_text == (
        "def f():\n    return 1\n"
    )


def test_products_of_huge_literals_stay_pure_without_being_computed() -> None:
    huge = "0x" + "f" * 17_000  # 68,000 bits: the product is not computed, cannot raise
    product = ast.parse(f"{huge} * {huge} * {huge} + 1", mode="eval").body
    assert is_pure(product)
    outcome = effects.constant_outcome(product)
    assert outcome is not None and outcome.kind is int and not outcome.known
    # but what it would take its value to know is not guessed
    assert not is_pure(ast.parse(f"{huge} * {huge} / 3", mode="eval").body)
    assert not is_pure(ast.parse(f"{huge} * {huge} < 2j", mode="eval").body)


def test_strings_are_never_built() -> None:
    outcome = effects.constant_outcome(ast.parse("('ab' * 1000 + 'c') * 1000", mode="eval").body)
    assert outcome is not None and outcome.kind is str and outcome.length == 2_001_000
    assert not outcome.known


@pytest.mark.parametrize("text", ["b'a' == 'a'", "b'a' != 1", "b'a' == 97"])
def test_bytes_comparisons_raise_under_bb(text: str) -> None:
    # why a bytes compared with a str or an int counts as raising
    run = subprocess.run(
        [sys.executable, "-bb", "-c", text], capture_output=True, text=True, check=False
    )
    assert run.returncode != 0 and "BytesWarning" in run.stderr
    assert not is_pure(ast.parse(text, mode="eval").body)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="deprecated in Python 3.12")
def test_inverting_a_bool_is_deprecated() -> None:
    # the old rule deleted `~True`; it warns since 3.12 (an error under -W error) and Python
    # says it will raise in 3.16: it is kept
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning):
            eval("~True")  # noqa: S307
    assert not is_pure(ast.parse("~True", mode="eval").body)


def test_a_long_chain_of_raising_comparisons_needs_no_recursion() -> None:
    chain = ast.parse(" < ".join(["1"] * 5_000) + " < 2j", mode="eval").body
    assert is_pure(chain)  # 1 < 1 is false: the chain stops before 2j
    chain = ast.parse(" <= ".join(["1"] * 5_000) + " < 2j", mode="eval").body
    assert not is_pure(chain)
