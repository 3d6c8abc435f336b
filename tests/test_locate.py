"""The ast-to-LibCST statement pairing and the path-local edits."""

from __future__ import annotations

import ast
import sys

import libcst as cst
import pytest

from codemods.locate import line_path, node_at, replace_at, replace_many, statement_paths

SOURCE = """\
import os
@dec
def f(a):
    x = 1; y = 2
    if a: b = 3; c = 4
    elif a > 1:
        pass
    else:
        d = 5
    try:
        e = 6
    except E as exc:
        g = 7
    else:
        h = 8
    finally:
        i = 9
    for j in k:
        l = 10
    else:
        m = 11
    while a:
        n = 12
    match a:
        case 1:
            o = 13
    with q as r: s = 14
    async def inner():
        async with z: t = 15
class C: v = 17
"""
if sys.version_info >= (3, 11):  # ``except*`` is 3.11 syntax
    SOURCE += "try:\n    pass\nexcept* ValueError:\n    u = 16\n"


def test_every_statement_pairs_with_the_same_code() -> None:
    module, tree = cst.parse_module(SOURCE), ast.parse(SOURCE)
    pairs = statement_paths(module, tree)
    assert set(pairs) == {node for node in ast.walk(tree) if isinstance(node, ast.stmt)}
    for node, path in pairs.items():
        found = node_at(module, path)
        code = module.code_for_node(found).strip()
        expected = ast.get_source_segment(SOURCE, node)
        assert expected is not None
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.decorator_list
        ):
            code = code.split("\n", 1)[1]  # LibCST renders the decorators with the def
        header = expected.split("\n")[0].rstrip(":").strip().removeprefix("el")  # elif -> if
        assert code.startswith(header), (code, expected)


def test_line_path_reaches_the_statement_line() -> None:
    module, tree = cst.parse_module(SOURCE), ast.parse(SOURCE)
    pairs = statement_paths(module, tree)
    function = tree.body[1]
    assert isinstance(function, ast.FunctionDef)
    first_assign = function.body[0]
    assert isinstance(node_at(module, line_path(pairs[first_assign])), cst.SimpleStatementLine)
    in_suite = function.body[2].body[0]  # ``b = 3`` in ``if a: b = 3; c = 4``
    assert line_path(pairs[in_suite]) == pairs[in_suite]


def test_replace_many_rebuilds_only_the_route() -> None:
    text = "a = 1\nb = 2\nc = 3\n"
    module, tree = cst.parse_module(text), ast.parse(text)
    pairs = statement_paths(module, tree)
    lines = [line_path(pairs[node]) for node in tree.body]
    edited = replace_many(
        module,
        [
            (lines[0], cst.RemoveFromParent()),
            (lines[2], [cst.parse_statement("c = 30\n"), cst.parse_statement("d = 4\n")]),
        ],
    )
    assert edited.code == "b = 2\nc = 30\nd = 4\n"
    assert edited.body[0] is module.body[1], "untouched statements are shared, not copied"


def test_replace_root_needs_a_node() -> None:
    module = cst.parse_module("a = 1\n")
    with pytest.raises(ValueError):
        replace_at(module, (), [])
