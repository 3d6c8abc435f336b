"""Find the LibCST statement behind an ``ast`` statement, and edit the tree only there.

LibCST's position metadata costs more than twice the parse itself. Codemods plan on ``ast``
instead, then need the matching LibCST node. Both trees have the same statement structure, so
one walk over the statements of both (not over expressions) pairs them:

* a ``SimpleStatementLine`` (or a one-line suite) holds one LibCST small statement per ``ast``
  statement, in order (``a = 1; b = 2`` is one line, two statements);
* a compound statement pairs with its ``ast`` node, and their blocks pair in turn
  (``body``, ``orelse``/``elif``, ``handlers``, ``finalbody``, match ``cases``).

A :data:`Path` is the route from the module to a node, as ``(attribute, index)`` steps
(``index`` is ``None`` for a single child). :func:`replace_at` rebuilds only the nodes on that
route, so an edit costs nothing for the rest of the file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeAlias

import libcst as cst

from codemods.astutil import TRY_NODES

Step: TypeAlias = tuple[str, int | None]
Path: TypeAlias = tuple[Step, ...]
Replacement: TypeAlias = "cst.CSTNode | Sequence[cst.CSTNode] | cst.RemovalSentinel"


def statement_paths(module: cst.Module, tree: ast.Module) -> dict[ast.stmt, Path]:
    """Pair every ``ast`` statement of ``tree`` with the path of its LibCST statement.

    Simple statements map to the small statement (``Assign``, ``Expr``...) inside their
    ``SimpleStatementLine``; compound statements map to the compound node itself.
    """
    pairs: dict[ast.stmt, Path] = {}
    _pair_statement_list(module.body, tree.body, (), "body", pairs)
    return pairs


def line_path(path: Path) -> Path:
    """Return the path of the statement line holding a small statement (itself otherwise).

    For a small statement inside a ``SimpleStatementLine`` this drops the last step; for one
    in a one-line suite (``if x: a = 1``) the path is returned unchanged.
    """
    if (
        len(path) >= 2
        and path[-1][0] == "body"
        and path[-2][0] == "body"
        and path[-2][1] is not None
    ):
        return path[:-1]
    return path


def node_at(root: cst.CSTNode, path: Path) -> Any:
    """Return the node that ``path`` leads to from ``root``."""
    node: Any = root
    for attribute, index in path:
        node = getattr(node, attribute)
        if index is not None:
            node = node[index]
    return node


def replace_at(root: cst.CSTNode, path: Path, replacement: Replacement) -> Any:
    """Return ``root`` with the node at ``path`` replaced, rebuilding only the route to it.

    ``replacement`` may be one node, several nodes (spliced into the list that held the
    node; the path must end in an indexed step) or ``cst.RemoveFromParent()``.
    """
    if not path:
        if isinstance(replacement, cst.CSTNode):
            return replacement
        raise ValueError("only a single node can replace the root")
    (attribute, index), rest = path[0], path[1:]
    child = getattr(root, attribute)
    if index is None:
        return root.with_changes(**{attribute: replace_at(child, rest, replacement)})
    items = list(child)
    if rest:
        items[index] = replace_at(items[index], rest, replacement)
    elif isinstance(replacement, cst.RemovalSentinel):
        del items[index]
    elif isinstance(replacement, cst.CSTNode):
        items[index] = replacement
    else:
        items[index : index + 1] = list(replacement)
    return root.with_changes(**{attribute: tuple(items)})


def replace_many(root: cst.CSTNode, edits: Iterable[tuple[Path, Replacement]]) -> Any:
    """Apply several :func:`replace_at` edits; later places first, so earlier paths stay valid.

    Paths must not lead into a node that another edit of the same batch replaces.
    """
    for path, replacement in sorted(edits, key=lambda edit: path_sort_key(edit[0]), reverse=True):
        root = replace_at(root, path, replacement)
    return root


def edit_many(root: Any, edits: dict[Path, Callable[[Any], Any]]) -> Any:
    """Return ``root`` with the node at each path replaced by ``edit(node)``.

    A node's edit sees the node with the edits below it already made. Every node on the
    routes is rebuilt once, so the cost grows with the routes, not with edits x list sizes.
    """
    below: dict[str, dict[int | None, dict[Path, Callable[[Any], Any]]]] = {}
    for path, edit in edits.items():
        if path:
            (attribute, index), rest = path[0], path[1:]
            below.setdefault(attribute, {}).setdefault(index, {})[rest] = edit
    changes: dict[str, Any] = {}
    for attribute, by_index in below.items():
        child = getattr(root, attribute)
        if None in by_index:
            changes[attribute] = edit_many(child, by_index[None])
        else:
            items = list(child)
            for index, child_edits in by_index.items():
                items[index] = edit_many(items[index], child_edits)
            changes[attribute] = tuple(items)
    node = root.with_changes(**changes) if changes else root
    edit = edits.get(())
    return node if edit is None else edit(node)


def path_sort_key(path: Path) -> tuple[tuple[str, int], ...]:
    """Return a key that orders paths as their nodes come in the tree, a node before its children.

    Sorting edits by this key in reverse applies later and deeper places first, so the paths
    of the edits still to come stay valid.
    """
    return tuple((attribute, -1 if index is None else index) for attribute, index in path)


def _pair_statement_list(
    cst_body: Sequence[cst.CSTNode],
    ast_body: Sequence[ast.stmt],
    prefix: Path,
    attribute: str,
    pairs: dict[ast.stmt, Path],
) -> None:
    """Pair a list of LibCST statements (lines and compounds) with ``ast`` statements."""
    ast_iter = iter(ast_body)
    for position, statement in enumerate(cst_body):
        path = (*prefix, (attribute, position))
        if isinstance(statement, cst.SimpleStatementLine):
            for small_position, _ in enumerate(statement.body):
                pairs[_next(ast_iter, statement)] = (*path, ("body", small_position))
        else:
            node = _next(ast_iter, statement)
            pairs[node] = path
            _pair_compound(statement, node, path, pairs)
    if next(ast_iter, None) is not None:
        raise ValueError("ast and LibCST trees disagree: more ast statements than LibCST ones")


def _pair_suite(
    suite: cst.BaseSuite, ast_body: Sequence[ast.stmt], prefix: Path, pairs: dict[ast.stmt, Path]
) -> None:
    """Pair an indented block or a one-line suite with ``ast`` statements."""
    if isinstance(suite, cst.IndentedBlock):
        _pair_statement_list(suite.body, ast_body, prefix, "body", pairs)
        return
    assert isinstance(suite, cst.SimpleStatementSuite)
    if len(suite.body) != len(ast_body):
        raise ValueError("ast and LibCST trees disagree on a one-line suite")
    for position, node in enumerate(ast_body):
        pairs[node] = (*prefix, ("body", position))


def _pair_compound(
    statement: cst.CSTNode, node: ast.stmt, path: Path, pairs: dict[ast.stmt, Path]
) -> None:
    """Pair the blocks of one compound statement with those of its ``ast`` node."""
    for attribute, suite, ast_body in _paired_blocks(statement, node):
        if isinstance(suite, cst.If):  # an ``elif``: the ast keeps it as a nested If
            (elif_node,) = ast_body
            pairs[elif_node] = (*path, (attribute, None))
            _pair_compound(suite, elif_node, (*path, (attribute, None)), pairs)
        else:
            _pair_suite(suite, ast_body, (*path, *attribute_steps(attribute)), pairs)


def attribute_steps(attribute: str) -> Path:
    """Turn ``"handlers.2.body"`` into the steps ``(("handlers", 2), ("body", None))``."""
    parts = attribute.split(".")
    steps: list[Step] = []
    for part in parts:
        if part.isdigit():
            name, _ = steps.pop()
            steps.append((name, int(part)))
        else:
            steps.append((part, None))
    return tuple(steps)


def _paired_blocks(
    statement: cst.CSTNode, node: ast.stmt
) -> Iterator[tuple[str, Any, list[ast.stmt]]]:
    """Yield ``(attribute route, LibCST suite or elif, ast statements)`` for each block.

    Unlike :func:`codemods.astutil.statement_blocks`, this pairs each block of the LibCST
    statement with the same block of its ``ast`` node, and names the route to the suite.
    """
    body = getattr(statement, "body", None)
    if isinstance(body, cst.BaseSuite):
        yield "body", body, node.body  # type: ignore[attr-defined]
    if isinstance(statement, cst.Try | cst.TryStar):
        assert isinstance(node, TRY_NODES)
        for position, handler in enumerate(statement.handlers):
            yield f"handlers.{position}.body", handler.body, node.handlers[position].body
        if statement.finalbody is not None:
            yield "finalbody.body", statement.finalbody.body, node.finalbody
    if isinstance(statement, cst.Match):
        assert isinstance(node, ast.Match)
        for position, case in enumerate(statement.cases):
            yield f"cases.{position}.body", case.body, node.cases[position].body
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.If):
        yield "orelse", orelse, node.orelse  # type: ignore[attr-defined]
    elif isinstance(orelse, cst.Else):
        yield "orelse.body", orelse.body, node.orelse  # type: ignore[attr-defined]


def _next(ast_iter: Iterator[ast.stmt], statement: cst.CSTNode) -> ast.stmt:
    node = next(ast_iter, None)
    if node is None:
        raise ValueError(f"ast and LibCST trees disagree at a {type(statement).__name__}")
    return node
