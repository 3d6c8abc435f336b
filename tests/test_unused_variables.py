"""Tests of ``unused-variables`` beyond the samples: the seed file, real Nova code, options."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import corpora
import corpus_unused_variables
import pytest

from codemods.config import ConfigError, options_from_table
from codemods.effects import is_pure
from codemods.engine import Engine, FileResult
from codemods.fixes.registry import all_codemods
from codemods.fixes.unused_variables import Removal, UnusedVariables, UnusedVariablesOptions
from codemods.safety import HELD_BACK, unsafe_selector
from codemods.source import SourceFile

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "unused-variables"
CASES = sorted(case for case in SAMPLES.glob("*.py") if not case.name.endswith(".expected.py"))


def _fix(text: str, options: UnusedVariablesOptions | None = None) -> str:
    result = Engine([UnusedVariables(options)]).fix_text("example.py", text)
    assert result.error is None, result.error
    return result.new_text


def test_seed_file_gets_no_edit(nova_seed) -> None:
    result = Engine([UnusedVariables()]).fix_bytes(nova_seed.name, nova_seed.data)

    assert result.error is None
    assert not result.changes
    assert result.new_bytes() == nova_seed.data
    text = nova_seed.data.decode()
    assert "flavors = " in text and "compute_driver = " in text  # the two false claims


def test_stdlib_sample_edits_are_provably_dead() -> None:
    # Nova has no unused locals; the standard library has hundreds, so its edits are checked.
    engine = Engine([UnusedVariables()])
    changed = 0
    for corpus_file in corpora.stdlib_files(step=17):
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        if result.changed:
            changed += 1
            assert _problems(corpus_file.name, result) == []
    assert changed >= 10, "the sample must exercise real removals"


_READ_BY_A_NESTED_SCOPE = re.compile(
    r":(?P<line>\d+): `(?P<name>[^`]+)`: free in a child scope of the original$"
)


def _problems(path: str, result: FileResult) -> list[str]:
    """Run the corpus script's independent checks on one changed file.

    The script refuses every name a nested scope of the original reads, but a lambda deleted
    with its assignment takes its reads along (sample ``lambda_cascade``): such a name passes
    when no nested scope of its function in the output reads it (by ``symtable``).
    """
    report = corpus_unused_variables.CorpusReport(path)
    corpus_unused_variables.check_file(path, result, UnusedVariables(), report)
    return [
        problem
        for problem in report.problems
        if (match := _READ_BY_A_NESTED_SCOPE.search(problem)) is None
        or _read_by_a_nested_scope_of_the_output(result, int(match["line"]), match["name"])
    ]


def _read_by_a_nested_scope_of_the_output(result: FileResult, line: int, name: str) -> bool:
    """Tell whether a scope nested in the output's function around ``line`` reads ``name``."""
    source = SourceFile(result.path, result.old_text)
    output = SourceFile(result.path, result.new_text)
    function = max(
        (
            node
            for node in ast.walk(source.tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
        ),
        key=lambda node: node.lineno,
    )
    new_function = corpus_unused_variables.matching_function(source, output, function)
    scope = corpus_unused_variables.function_table(output, new_function)
    return any(
        name in table.get_identifiers() and table.lookup(name).is_free()
        for table in corpus_unused_variables.descendants(scope)
    )


def test_every_sample_removal_is_checked_dead_in_the_original() -> None:
    cases = sorted(SAMPLES.glob("*.expected.py"))
    assert cases
    for expected in cases:
        case = expected.with_name(expected.name.replace(".expected", ""))
        old_text = case.read_text(encoding="utf-8")
        new_text = expected.read_text(encoding="utf-8")
        if case.with_suffix(".toml").exists():
            continue  # the check runs the default options
        result = Engine([UnusedVariables()]).fix_text(case.name, old_text)
        assert result.new_text == new_text, case.name
        assert _problems(case.name, result) == [], case.name


def test_the_independent_check_catches_a_wrong_removal() -> None:
    old_text = "def f(values):\n    factor = 2\n    return [v * factor for v in values]\n"
    source = SourceFile("f.py", old_text)
    function = source.tree.body[0]
    statement = function.body[0]
    wrong = Removal(function, statement, statement, "assign", ("factor",), (0,), "drop")
    output = SourceFile("f.py", "def f(values):\n    return [v * factor for v in values]\n")
    problem, _ = corpus_unused_variables.verify_removal(source, output, (wrong,), wrong, "factor")
    assert problem is not None  # symtable says "free in a child" on 3.11, ast "read" on 3.12+


def test_read_only_inside_comprehension_is_a_read() -> None:
    # On Python 3.12+ symtable reports `factor` as unreferenced (PEP 709 inlining).
    text = "def f(values):\n    factor = 2\n    return [v * factor for v in values]\n"
    assert _fix(text) == text


def test_same_name_bound_in_comprehension_keeps_outer_assignment() -> None:
    # Conservative: any read of the name in the function keeps every assignment of it.
    text = "def f(values):\n    v = 1\n    return [v for v in values]\n"
    assert _fix(text) == text


def test_frame_access_in_nested_function_skips_the_outer_one() -> None:
    text = (
        "import sys\n\n\ndef f():\n    secret = 1\n\n"
        "    def peek():\n        return sys._getframe(1).f_locals\n\n    return peek()\n"
    )
    result = Engine([UnusedVariables()]).fix_text("example.py", text)
    assert result.new_text == text
    assert [skip.line for skip in result.skips] == [4]
    assert "frame introspection" in result.skips[0].skip


def test_vars_with_an_argument_is_not_frame_access() -> None:
    text = "def f(obj):\n    count = 1\n    return vars(obj)\n"
    assert _fix(text) == "def f(obj):\n    return vars(obj)\n"


def test_kept_right_hand_side_is_reported_per_name() -> None:
    text = "def f(api):\n    first = second = api.create()\n"
    result = Engine([UnusedVariables()]).fix_text("example.py", text)
    assert result.new_text == "def f(api):\n    api.create()\n"
    (change,) = result.changes
    assert change.line == 2
    assert "`first`, `second`" in change.message


def test_dummy_variable_rgx_option_replaces_the_default() -> None:
    options = options_from_table(
        UnusedVariablesOptions, {"dummy-variable-rgx": "^skip_"}, "pyproject.toml"
    )
    text = "def f(api):\n    skip_me = api.a()\n    _hidden = api.b()\n"
    assert _fix(text, options) == "def f(api):\n    skip_me = api.a()\n    api.b()\n"


def test_invalid_dummy_variable_rgx_names_the_key() -> None:
    with pytest.raises(ConfigError, match="dummy-variable-rgx"):
        options_from_table(UnusedVariablesOptions, {"dummy-variable-rgx": "("}, "pyproject.toml")


def test_files_without_unused_names_have_no_work() -> None:
    source = SourceFile("example.py", "def f(api):\n    value = api.get()\n    return value\n")
    assert not list(UnusedVariables().find(source))


def test_docstring_has_the_four_parts() -> None:
    description = UnusedVariables.description()
    for part in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert part in description


def test_eval_with_an_argument_is_still_frame_access() -> None:
    text = "def f(expression):\n    scale = 10\n    return eval(expression)\n"
    assert _fix(text) == text


def test_a_name_is_removed_everywhere_or_nowhere() -> None:
    # the call's binding is an unsafe fix, held back by default: then `ref = None` stays too,
    # or `ref` would still be unused, reported at another line
    text = (
        "import weakref\n\n\ndef clear(buffer):\n    ref = weakref.ref(buffer)\n"
        "    buffer = None\n    ref = None\n    return buffer\n"
    )
    engine = Engine([UnusedVariables()], [unsafe_selector((), ())])
    result = engine.fix_text("example.py", text)
    assert result.new_text == text
    assert [(s.line, s.skip) for s in result.skips] == [
        (5, HELD_BACK),
        (7, f"it depends on the fix at line 5, which is not made ({HELD_BACK})"),
    ]


@pytest.mark.parametrize("unsafe_fixes", [False, True], ids=["default", "unsafe-fixes"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_every_codemod_reaches_the_fixed_point_in_one_run(case: Path, unsafe_fixes: bool) -> None:
    # as `codemods apply` (pre-commit) runs them: docstring-stubs adds a docstring after
    # unused-variables decided on the statements below it (docstring_promotion_kept)
    selectors = [] if unsafe_fixes else [unsafe_selector((), ())]
    engine = Engine([codemod() for codemod in all_codemods().values()], selectors)
    first = engine.fix_bytes(case.name, case.read_bytes())
    assert first.error is None, first.error
    second = engine.fix_text(case.name, first.new_text)
    assert second.error is None, second.error
    assert second.new_text == first.new_text, [change.message for change in second.changes]


def _chain(terms: int, last: ast.expr) -> ast.expr:
    """Return ``1 + 1 + ... + last``, built directly: 3.11's parser stops near 3,000 terms."""

    def add(left: ast.expr, _: int) -> ast.expr:
        return ast.BinOp(left, ast.Add(), ast.Constant(1))

    return ast.BinOp(functools.reduce(add, range(terms - 2), ast.Constant(1)), ast.Add(), last)


@pytest.mark.parametrize("terms", [1_000, 3_000, 100_000])
def test_purity_of_a_long_operator_chain_needs_no_recursion(terms: int) -> None:
    assert is_pure(_chain(terms, ast.Constant(1)))
    assert not is_pure(_chain(terms, ast.Constant("text")))  # int + str raises
    assert not is_pure(_chain(terms, ast.Name("x")))  # may call __radd__


def test_a_1000_term_chain_assigned_to_an_unused_name_is_removed() -> None:
    text = "def f():\n    x = " + " + ".join(["1"] * 1_000) + "\n"
    (finding,) = UnusedVariables().find(SourceFile("example.py", text))
    assert finding.data.action == "drop"
    assert _fix(text) == "def f():\n    pass\n"


def test_a_deeply_nested_callee_is_named_without_recursion() -> None:
    calls = "def f(g):\n    x = g" + "()" * 900 + "\n"
    (finding,) = UnusedVariables().find(SourceFile("example.py", calls))
    assert "the result of <a callee nested over 100 levels deep>(...)" in finding.action
    dotted = "def f(g):\n    x = g" + ".b" * 900 + "()\n"
    (finding,) = UnusedVariables().find(SourceFile("example.py", dotted))
    assert f"the result of g{'.b' * 900}(...)" in finding.action


SUPER_WITH_CLASS_CELL = """class Base:
    def name(self):
        return "base"


class Child(Base):
    def name(self):
        __class__ = Base
        return super().name()
"""


def test_class_cell_read_by_zero_argument_super_is_kept() -> None:
    # The compiler makes super() load `__class__`: symtable says referenced, the ast says not.
    assert _fix(SUPER_WITH_CLASS_CELL) == SUPER_WITH_CLASS_CELL
    nested = SUPER_WITH_CLASS_CELL.replace("super().name()", "(lambda: super().name())()")
    assert _fix(nested) == nested


def test_class_cell_edit_would_change_what_super_does() -> None:
    # Why it is kept: with the local `__class__`, super() finds no class cell; without, it does.
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    exec(SUPER_WITH_CLASS_CELL, before)
    exec(SUPER_WITH_CLASS_CELL.replace("        __class__ = Base\n", ""), after)
    with pytest.raises(RuntimeError, match="__class__"):
        before["Child"]().name()  # type: ignore[operator]
    assert after["Child"]().name() == "base"  # type: ignore[operator]


def test_class_cell_without_super_is_an_ordinary_local() -> None:
    text = "class C:\n    def f(self):\n        __class__ = int\n        return 1\n"
    assert _fix(text) == "class C:\n    def f(self):\n        return 1\n"
