"""Whether a guard's cleanup, written at one call site, only uses what exists there.

``resize-guard`` writes cleanup statements from a rule's template into a function. Before it
does, :func:`cleanup_problem` checks, with the project's index (:mod:`codemods.project_index`):

* ``{self}`` stands for the function's own first parameter: a free function or a
  ``@staticmethod`` has none, so a cleanup that needs it cannot go there;
* every ``{self}.method(...)`` is defined on the enclosing class or its bases in the project;
* every ``{receiver}.method(...)`` is a method some class of the project defines;
* every other name the cleanup reads is bound in the function, the module or builtins;
* an argument the cleanup repeats has no effects (``pending.pop()`` would run twice);
* the function is not one whose failure its callers expect (``assertRaises(..., helper)``):
  its cleanup would run before they handle the failure.

Each answer is ``None`` (fine) or the reason, for the skip a reviewer reads.
"""

from __future__ import annotations

import ast
import builtins
import functools
from collections.abc import Callable

from codemods.guard_rules import PLACEHOLDER, GuardRule
from codemods.project_index import ProjectIndex

Function = ast.FunctionDef | ast.AsyncFunctionDef
_MARK = "__codemods_placeholder_{}__"


def cleanup_problem(
    rule: GuardRule,
    function: Function | None,
    owner: ast.ClassDef | None,
    module_name: str,
    module: ast.Module,
    arguments: dict[str, ast.expr],
    index: Callable[[], ProjectIndex],
) -> str | None:
    """Return why the rule's cleanup cannot be written in ``function`` (``None``: it can).

    ``owner`` is the class ``function`` is a method of; ``arguments`` maps each placeholder
    to the argument it stands for; ``index`` builds the project index when it is needed.
    """
    uses_self = "self" in rule.placeholders()
    if uses_self and self_name(function, owner) is None:
        where = f"{function.name!r}" if function is not None else "module level"
        return f"the cleanup needs the method's own instance ({{self}}), which {where} has not"
    for placeholder, argument in arguments.items():
        if not _repeatable(argument):
            return (
                f"the cleanup repeats the argument {ast.unparse(argument)!r} ({{{placeholder}}}), "
                "which has effects"
            )
    project = index()
    class_name = f"{module_name}.{owner.name}" if owner is not None else None
    if function is not None:
        expected = project.expected_failure(function.name, class_name)
        if expected is not None:
            path, line = expected
            return (
                f"{function.name!r} is called where its failure is expected ({path}:{line}); "
                "its callers handle the error before any cleanup should run"
            )
    scope = _bound_names(function, module)
    instance = self_name(function, owner)
    for statement in rule.cleanup:
        problem = _statement_problem(statement, scope, class_name, owner, instance, project)
        if problem is not None:
            return problem
    return None


def _statement_problem(
    statement: str,
    scope: frozenset[str],
    class_name: str | None,
    owner: ast.ClassDef | None,
    instance: str | None,
    project: ProjectIndex,
) -> str | None:
    """Return why one cleanup statement would not resolve (``self.x`` is checked as ``{self}``)."""
    tree = ast.parse(_marked(statement))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = node.value.id
            if base == _MARK.format("self") or (instance is not None and base == instance):
                defined = class_name is not None and project.defines(class_name, node.attr)
                if not defined:
                    where = f"{owner.name!r}" if owner is not None else "the class"
                    return f"{node.attr!r} is not defined on {where} or its bases in this project"
            elif base == _MARK.format("receiver") and not project.defines_anywhere(node.attr):
                return f"no class in this project defines {node.attr!r}"
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if not node.id.startswith("__codemods_placeholder_") and node.id not in scope:
                return f"the cleanup reads {node.id!r}, which is not defined where the call is"
    return None


def _marked(statement: str) -> str:
    """Replace ``{name}`` placeholders with identifiers the ``ast`` can read."""
    return PLACEHOLDER.sub(lambda match: _MARK.format(match[1]), statement)


def _first_parameter(function: Function) -> str | None:
    """Return the name of a method's instance parameter (``None``: a static or class method)."""
    decorators = {ast.unparse(d).rpartition(".")[2] for d in function.decorator_list}
    if decorators & {"staticmethod", "classmethod"}:
        return None  # no instance: a classmethod's first parameter is the class
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None


def self_name(function: Function | None, owner: ast.ClassDef | None) -> str | None:
    """Return the name ``{self}`` stands for: a method's first parameter (``None``: none)."""
    if function is None or owner is None:
        return None
    return _first_parameter(function)


def _repeatable(argument: ast.expr) -> bool:
    """Tell whether evaluating ``argument`` again gives an equal value without effects.

    Names, literals, attribute and subscript reads of them, and displays of those. (An
    attribute read may run a property; tests and clients do not hide effects there.)
    """
    if isinstance(argument, ast.Constant | ast.Name):
        return True
    if isinstance(argument, ast.Attribute):
        return _repeatable(argument.value)
    if isinstance(argument, ast.Subscript):
        return _repeatable(argument.value) and _repeatable(argument.slice)
    if isinstance(argument, ast.Tuple | ast.List | ast.Set):
        return all(_repeatable(element) for element in argument.elts)
    if isinstance(argument, ast.Dict):
        return all(key is not None and _repeatable(key) for key in argument.keys) and all(
            _repeatable(value) for value in argument.values
        )
    return False


def _bound_names(function: Function | None, module: ast.Module) -> frozenset[str]:
    """Return the names a statement in ``function`` can read: its own, the module's, builtins."""
    names = set(_module_names(module))
    if function is not None:
        arguments = function.args
        names.update(
            a.arg
            for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        )
        names.update(
            node.id
            for node in ast.walk(function)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        )
    return frozenset(names)


@functools.lru_cache(maxsize=16)
def _module_names(module: ast.Module) -> frozenset[str]:
    names = set(dir(builtins))
    for node in module.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        else:
            names.update(
                child.id
                for child in ast.walk(node)
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store)
            )
    return frozenset(names)
