"""What the code shows when a report's finding is false: the evidence ``triage`` prints.

Each function answers for one codemod's kind of finding, from the ``ast`` alone, and says
why the claim does not hold -- "``flavors`` is read at line 31", "``compute_driver`` is a
class attribute (class scope), not a local", "indentation is consistent: every block is 4
spaces". ``None`` means the code gives no specific evidence (the generic reason is used).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods.exports import exported_names, is_private
from codemods.reports import Claim
from codemods.source import SourceFile

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def unused_variable_evidence(source: SourceFile, claim: Claim) -> str | None:
    """Say, for each name the claim calls unused, where it is read or what kind of name it is.

    Only positive evidence counts: a read in the function's own scope of a name it binds
    once, or a name that is no local at all. ``None`` when any name lacks such evidence.
    """
    if not claim.names:
        return None
    evidence = [_name_evidence(source.tree, name, claim) for name in claim.names]
    if any(item is None for item in evidence):
        return None
    return "; ".join(item for item in evidence if item is not None)


def unused_variable_left_alone(source: SourceFile, claim: Claim) -> str | None:
    """Say why a name the claim rightly calls unused is bound in a form the codemod never edits.

    Tuple unpacking, loop variables, assignment expressions and augmented assignments are
    left alone by ``unused-variables``: the claim is true, the fix is not ours to make.
    """
    reasons = []
    for name in claim.names:
        for scope, node in _bindings(source.tree, name):
            if not _in_claim(node, claim) or not isinstance(scope, _FUNCTIONS):
                continue
            read = _first_read(scope, name)
            if read is None:
                form = _binding_form(scope, node)
                reasons.append(
                    f"`{name}` is bound by {form}, which unused-variables leaves alone"
                    if form is not None
                    else f"unused-variables leaves this binding of `{name}` alone (it may be "
                    "read by a nested scope, or bound in a form it does not edit)"
                )
                break
            count = sum(1 for inner, _ in _bindings(scope, name) if inner is scope)
            if count > 1:
                reasons.append(
                    f"`{name}` is bound {count} times in {_scope_name(scope)} and read at line "
                    f"{read}; unused-variables keeps a name its function reads anywhere"
                )
                break
    return "; ".join(reasons) or None


def _binding_form(scope: ast.AST, target: ast.AST) -> str | None:
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign | ast.For | ast.AsyncFor | ast.comprehension):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for outer in targets:
                if outer is not target and any(inner is target for inner in ast.walk(outer)):
                    return "unpacking" if isinstance(node, ast.Assign) else "a loop"
                if outer is target and not isinstance(node, ast.Assign):
                    return "a loop variable"
        elif isinstance(node, ast.NamedExpr) and node.target is target:
            return "an assignment expression"
        elif isinstance(node, ast.AugAssign) and node.target is target:
            return "an augmented assignment"
    return None


def _name_evidence(tree: ast.Module, name: str, claim: Claim) -> str | None:
    for scope, node in sorted(_bindings(tree, name), key=lambda b: getattr(b[1], "lineno", 0)):
        if not _in_claim(node, claim):
            continue
        if isinstance(scope, ast.ClassDef):
            return f"`{name}` is a class attribute of {scope.name} (class scope), not a local"
        if isinstance(scope, ast.Module):
            return f"`{name}` is a module-level name, not a local"
        if isinstance(node, ast.arg):
            return f"`{name}` is a parameter of {_scope_name(scope)}, not an unused local"
        read = _first_read(scope, name)
        if read is not None:  # a single binding (left_alone answered for several)
            return f"`{name}` is read at line {read}"
        return None  # read only by a nested scope, or not at all: no evidence either way
    return None


def _bindings(tree: ast.AST, name: str) -> Iterator[tuple[ast.AST, ast.AST]]:
    """Yield (enclosing scope, binding node) for every binding of ``name`` in ``tree``.

    Assignments, ``for``/``with``/walrus targets, parameters, ``except ... as``, imports and
    ``match`` captures all bind.
    """
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        scope, node = stack.pop()
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (*_FUNCTIONS, ast.ClassDef)) else scope
            if isinstance(child, ast.Name) and child.id == name and not _is_load(child):
                yield scope, child
            elif isinstance(child, ast.arg) and child.arg == name:
                yield inner, child
            elif isinstance(child, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
                if child.name == name:
                    yield scope, child
            elif isinstance(child, ast.MatchMapping) and child.rest == name:
                yield scope, child
            elif isinstance(child, ast.alias) and _alias_binds(child) == name:
                yield scope, child
            stack.append((inner, child))


def _is_load(node: ast.Name) -> bool:
    return isinstance(node.ctx, ast.Load)


def _alias_binds(alias: ast.alias) -> str:
    """Return the name an import binds (``import os.path`` binds ``os``)."""
    return alias.asname or alias.name.partition(".")[0]


_NESTED_SCOPES = (
    *_FUNCTIONS,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _first_read(scope: ast.AST, name: str) -> int | None:
    """Return the first line of ``scope``'s own code (not nested scopes) that reads ``name``.

    A read inside a nested function, lambda, class or comprehension may be of another
    binding (a parameter, its own assignment, a global): it is no evidence here.
    """
    lines = []
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, _NESTED_SCOPES):
            continue
        if isinstance(node, ast.Name) and node.id == name and _is_load(node):
            lines.append(node.lineno)
        stack.extend(ast.iter_child_nodes(node))
    return min(lines, default=None)


def _in_claim(node: ast.AST, claim: Claim) -> bool:
    if claim.whole_file:
        return True
    line = getattr(node, "lineno", 1)  # the module: its first line
    return claim.line <= line <= max(claim.line, claim.end_line)


def _scope_name(scope: ast.AST) -> str:
    return (
        f"{scope.name}()"
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
        else "a lambda"
    )


def consistent_indentation_evidence(width: int) -> str:
    """Say that the file's blocks already follow the unit (the claim of inconsistency is false)."""
    return f"indentation is consistent: every block is {width} spaces"


def undocumented_left_alone(source: SourceFile, claim: Claim, module_private: bool) -> str | None:
    """Say why a definition the claim rightly calls undocumented gets no stub from us.

    ``docstring-stubs`` documents public API only, as ruff's D1 rules do: not private names,
    not what a private module, class or function holds, not names left out of ``__all__``.
    """
    exported = exported_names(source.tree)
    if claim.line == 1 and ast.get_docstring(source.tree) is None and module_private:
        return "the module is private (its name starts with '_'); docstring-stubs leaves it alone"
    for node, parents in _definitions(source.tree):
        if ast.get_docstring(node) is not None or not _in_claim(node, claim):
            continue
        private = [p.name for p in (*parents, node) if is_private(p.name)]
        if module_private:
            why = "it is in a private module"
        elif private:
            why = f"{private[0]!r} is private"
        elif any(not isinstance(p, ast.ClassDef) for p in parents):
            why = "it is nested in a function"
        elif exported is not None and (parents[0] if parents else node).name not in exported:
            top = parents[0] if parents else node
            why = f"{top.name!r} is not in the module's __all__"
        else:
            why = "docstring-stubs' options or rules exclude it"
        return f"{node.name!r} has no docstring, but {why}: not public API, left alone"
    return None


def _definitions(
    tree: ast.Module,
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, tuple[ast.AST, ...]]]:
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(tree, ())]
    while stack:
        node, parents = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                yield child, parents
                stack.append((child, (*parents, child)))
            elif not isinstance(child, ast.expr):
                stack.append((child, parents))


def documented_evidence(source: SourceFile, claim: Claim) -> str | None:
    """Say which definitions in the claim's lines have docstrings (or that there are none)."""
    definitions = [
        node
        for node in ast.walk(source.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and _in_claim(node, claim)
    ]
    if not definitions or (
        _in_claim(source.tree, claim) and ast.get_docstring(source.tree) is None
    ):
        return None  # the claim may be about the module itself, which has no docstring
    documented = [node for node in definitions if ast.get_docstring(node) is not None]
    if len(documented) == len(definitions):
        names = ", ".join(node.name for node in documented[:3])
        more = f" and {len(documented) - 3} more" if len(documented) > 3 else ""
        return f"every definition here has a docstring ({names}{more})"
    return None
