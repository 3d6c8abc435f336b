"""A local read only inside a string that type checkers parse is read: ``unused-variables``.

``Payload = dict[str, int]`` followed by ``def handle(data: "Payload")`` reads ``Payload``:
ruff (F821), pyflakes and mypy parse the string and report an undefined name once the
binding is gone. The forms below are generated, each in its own function, with and without
``from __future__ import annotations`` and for each kind of binding; the codemod must keep
every binding, and the real linters must find no undefined name in its output. The
controls are strings that are *not* type expressions (``Literal`` values, ``Annotated``
metadata, data): there the binding is still removed.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.engine import Engine
from codemods.fixes import unused_variables
from codemods.fixes.unused_variables import UnusedVariables

HEADER = """\
import typing
import typing as t
from typing import (
    Annotated,
    Callable,
    Literal,
    NamedTuple,
    NewType,
    Optional,
    TypeAlias,
    TypedDict,
    TypeVar,
    assert_type,
    cast,
)


"""

READ_FORMS = {
    "parameter": 'def handle(data: "{A}"):\n        return data\n    return handle',
    "star_parameters": 'def handle(*args: "{A}", **kwargs: "{A}"):\n        return args\n'
    "    return handle",
    "return": 'def handle() -> "{A}":\n        return v\n    return handle',
    "nested_two_levels": 'def outer():\n        def inner(a: "list[{A}]"):\n'
    "            return a\n        return inner\n    return outer",
    "lambda_default_cast": 'return lambda w=cast("{A}", v): w',
    "typing_cast": 'return typing.cast("{A}", v)',
    "cast": 'return cast("{A}", v)',
    "cast_generic": 'return cast("list[{A}]", v)',
    "cast_keywords": 'return t.cast(typ="{A}", val=v)',
    "typevar_bound": 'return TypeVar("T", bound="{A}")',
    "typevar_constraints": 'return TypeVar("T", "{A}", "int")',
    "local_annotation": 'x: "{A}" = v\n    return x',
    "bare_local_annotation": 'x: "{A}"\n    return v',
    "optional_of_union": 'x: Optional["{A} | None"] = v\n    return x',
    "string_optional": 'x: "Optional[{A}]" = v\n    return x',
    "string_in_string": "x: Optional[\"list['{A}']\"] = v\n    return x",
    "annotated_type": 'x: Annotated["{A}", "some metadata"] = v\n    return x',
    "annotated_nested": 'x: Annotated[Optional["{A}"], Literal["other"]] = v\n    return x',
    "union_in_string": 'x: "{A} | None" = v\n    return x',
    "callable": 'x: Callable[["{A}"], None] = v\n    return x',
    "callable_return": 'x: Callable[..., "{A}"] = v\n    return x',
    "attribute_in_string": 'x: "{A}.real" = v\n    return x',
    "spaces_in_string": 'x: "  {A}  " = v\n    return x',
    "runtime_optional": 'maybe = Optional["{A}"]\n    return maybe',
    "runtime_builtin_generic": 'pairs = dict[str, "{A}"]\n    return pairs',
    "runtime_list": 'return list["{A}"]',
    "type_alias": 'alias: TypeAlias = "{A}"\n    return alias',
    "new_type": 'return NewType("N", "{A}")',
    "assert_type": 'return assert_type(v, "{A}")',
    "typed_dict": 'return TypedDict("TD", {{"a": "{A}"}})',
    "named_tuple": 'return NamedTuple("NT", [("a", "{A}")])',
    "class_attribute": 'class Box:\n        item: "{A}"\n    return Box',
    "method": 'class Box:\n        def get(self) -> "{A}":\n            return v\n    return Box',
    "fullwidth_name": 'x: "\uff21lias" = v\n    return x',  # NFKC: the parser reads `Alias`
}
"""Forms where the string reads ``{A}``: each keeps the binding of ``{A}``."""
UNPARSABLE_FORMS = {
    "dangling_operator": 'x: "{A} |" = v\n    return x',
    "open_bracket": 'x: "list[{A}" = v\n    return x',
    "in_cast": 'return cast("{A}[", v)',
}
"""String annotations that do not parse: the names in them are kept, to be safe."""
CONTROL_FORMS = {
    "data": 'print("{A}")\n    return v',
    "dict_key": 'd = {{"{A}": v}}\n    return d',
    "subscript_of_a_value": 'return v["{A}"]',
    "literal": 'x: Literal["{A}"] = v\n    return x',
    "annotated_metadata": 'x: Annotated[int, "{A}"] = v\n    return x',
    "literal_in_string": "x: \"Literal['{A}']\" = v\n    return x",
}
"""Strings that are no type expression: ``{A}`` is unread there and its binding goes."""
BINDINGS = {
    "assign": "{A} = int",
    "kept_value": "{A} = dict[str, int]",  # a subscript: kept as a statement
    "annotated": "{A}: type = int",
}


def _module(forms: dict[str, str], future: bool) -> tuple[str, list[str]]:
    """Return a module with one function per form and binding, and the functions' names."""
    names = []
    parts = ["from __future__ import annotations\n" if future else "", HEADER]
    for (form, body), (binding, bound) in itertools.product(forms.items(), BINDINGS.items()):
        name = f"{form}__{binding}"
        names.append(name)
        parts.append(
            f"def {name}(v):\n    {bound.format(A='Alias')}\n    {body.format(A='Alias')}\n\n\n"
        )
    return "".join(parts).rstrip("\n") + "\n", names


def _fix(text: str) -> str:
    result = Engine([UnusedVariables()]).fix_text("forms.py", text)
    assert result.error is None, result.error
    return result.new_text


def _binds_alias(text: str) -> dict[str, bool]:
    """Map each function of ``text`` to whether it still binds ``Alias``."""
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = any(
                isinstance(inner, ast.Name)
                and inner.id == "Alias"
                and isinstance(inner.ctx, ast.Store)
                for inner in ast.walk(node)
            )
    return found


@pytest.mark.parametrize("future", [False, True], ids=["eager", "future-annotations"])
@pytest.mark.parametrize(
    "forms", [READ_FORMS, UNPARSABLE_FORMS], ids=["type-expressions", "unparsable"]
)
def test_a_name_read_in_a_type_string_keeps_its_binding(
    forms: dict[str, str], future: bool
) -> None:
    text, names = _module(forms, future)
    assert all(_binds_alias(text).values())
    kept = _binds_alias(_fix(text))
    assert [name for name in names if not kept[name]] == []


@pytest.mark.parametrize("future", [False, True], ids=["eager", "future-annotations"])
def test_a_name_in_a_string_that_is_no_type_is_still_unread(future: bool) -> None:
    text, names = _module(CONTROL_FORMS, future)
    kept = _binds_alias(_fix(text))
    assert [name for name in names if kept[name]] == []


# -- the real linters on the output -----------------------------------------------------------


def _pyflakes_undefined(text: str, tmp_path: Path) -> list[str]:
    if importlib.util.find_spec("pyflakes") is None:
        pytest.skip("pyflakes is not installed")
    path = tmp_path / "forms.py"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pyflakes", str(path)], capture_output=True, text=True, check=False
    )
    return [line for line in run.stdout.splitlines() if "undefined name" in line]


def _ruff_undefined(text: str, tmp_path: Path) -> list[str]:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    path = tmp_path / "forms.py"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [ruff, "check", "--isolated", "--no-cache", "--select", "F821"]
        + ["--output-format", "concise", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return [line for line in run.stdout.splitlines() if re.search(r"F821", line)]


LINTERS = {"pyflakes": _pyflakes_undefined, "ruff": _ruff_undefined}


@pytest.mark.parametrize("future", [False, True], ids=["eager", "future-annotations"])
@pytest.mark.parametrize("linter", sorted(LINTERS))
def test_the_output_gains_no_undefined_name(linter: str, future: bool, tmp_path: Path) -> None:
    forms = {**READ_FORMS, **UNPARSABLE_FORMS, **CONTROL_FORMS}
    text, _ = _module(forms, future)
    check = LINTERS[linter]
    assert check(text, tmp_path) == []
    assert check(_fix(text), tmp_path) == []


@pytest.mark.parametrize("linter", sorted(LINTERS))
def test_the_linters_see_the_names_the_codemod_keeps(linter: str, tmp_path: Path) -> None:
    # the check has teeth: with every `Alias = ...` deleted by hand, the linter reports the
    # forms it parses (not all: pyflakes and ruff do not read every form mypy reads)
    text, names = _module(READ_FORMS, future=False)
    deleted = re.sub(r"(?m)^    Alias(: type)? = .*\n", "    pass\n", text)
    reports = LINTERS[linter](deleted, tmp_path)
    assert len(reports) >= len(names) // 2, reports


# -- the details ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Alias", ("Alias",)),
        ("dict[str, Alias] | None", ("Alias", "dict", "str")),
        ("list['Alias']", ("Alias", "list")),  # a string inside the string
        ("Literal['Alias']", ("Literal",)),  # a value, not a type
        ("Annotated[Alias, 'doc text']", ("Alias", "Annotated")),
        ("  Alias  ", ("Alias",)),
        ("\uff21lias", ("Alias",)),  # NFKC, as the parser reads names
        ("Alias |", ("Alias",)),  # does not parse: every word that could be a name
        ("list[Alias", ("Alias", "list")),
        ("3 Alias-x", ("Alias", "x")),
    ],
)
def test_the_names_a_type_string_reads(text: str, names: tuple[str, ...]) -> None:
    assert unused_variables._names_in_type_string(text) == names


def test_a_deleted_annotation_leaves_its_name_unread() -> None:
    # the string of a deleted statement reads nothing any more: the cascade goes on
    text = 'def f():\n    Alias = int\n    y: "Alias" = 1\n    return 2\n'
    assert _fix(text) == "def f():\n    return 2\n"
    kept = text.replace('"Alias" = 1', '"Alias" = 1  # noqa: F841')
    assert _fix(kept) == kept


def test_strings_of_nested_scopes_count_for_the_outer_function() -> None:
    text = (
        "def f(v):\n    Alias = int\n\n    class Box:\n        def get(self):\n"
        '            return cast("Alias", v)\n\n    return Box\n'
    )
    assert _fix(text) == text


def test_a_function_s_own_annotations_are_read_by_the_enclosing_scope() -> None:
    text = 'def outer():\n    Alias = int\n\n    def inner(x: "Alias") -> "Alias":\n'
    text += "        Alias = 2\n        return x\n\n    return inner\n"
    # inner's `Alias = 2` is unread: the annotations are read in outer, where they are
    assert _fix(text) == text.replace("        Alias = 2\n", "")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax")
@pytest.mark.parametrize(
    "form",
    [
        'type Pair = tuple["{A}", "{A}"]\n    return Pair',
        'def g[T: "{A}"](x: T) -> T:\n        return x\n    return g',
        'class Box[T: ("{A}", int)]:\n        pass\n    return Box',
    ],
)
def test_type_parameters_and_type_statements(form: str) -> None:
    text = f"def f(v):\n    Alias = int\n    {form.format(A='Alias')}\n"
    assert _fix(text) == text
