"""Which names a module exports: its ``__all__``, and names private by their spelling.

Both ``docstring-stubs`` (which documents public API only) and ``triage`` (which says why
an undocumented definition was left alone) read the same rules from here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from codemods.astutil import statement_blocks


def is_private(name: str) -> bool:
    """Tell whether ``name`` is private: a leading underscore, and not a ``__dunder__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_scope_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Yield the statements that run in the module's scope (not inside defs or classes)."""
    for statement in body:
        yield statement
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for block in statement_blocks(statement):
                yield from _module_scope_statements(block)


def exported_names(tree: ast.Module) -> frozenset[str] | None:
    """Return the names ``__all__`` lists, or ``None`` when the module does not define it."""
    names: set[str] = set()
    defined = False
    for statement in _module_scope_statements(tree.body):
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in statement.targets
        ):
            value = statement.value
        elif (
            isinstance(statement, ast.AugAssign | ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == "__all__"
        ):
            value = statement.value
        if value is not None:
            defined = True
            names.update(_string_elements(value))
    return frozenset(names) if defined else None


def _string_elements(node: ast.expr | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {
            element.value
            for element in node.elts
            if isinstance(element, ast.Constant) and isinstance(element.value, str)
        }
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _string_elements(node.left) | _string_elements(node.right)
    return set()
