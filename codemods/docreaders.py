"""Who reads docstrings at run time, so that adding one would change what a program shows.

Frameworks that show docstrings as help (:data:`HELP_FRAMEWORKS`), and code that reads
``__doc__`` by name, through ``getattr`` or ``inspect.getdoc`` (:func:`doc_reads`,
:func:`class_doc_reads`).
"""

from __future__ import annotations

import ast
import dataclasses

from codemods.astutil import dotted_name


@dataclasses.dataclass(frozen=True)
class HelpFramework:
    """A framework that shows docstrings to users at run time: a stub changes its output."""

    name: str
    shows: str
    """What the docstring becomes, for the skip reason."""
    decorator_packages: frozenset[str] = frozenset()
    """A function with a decorator from one of these packages (``@click.command()``)."""
    decorator_attributes: frozenset[str] = frozenset()
    """A function with a decorator ``@<anything>.<attribute>`` (``@cli.command()``)."""
    base_classes: frozenset[str] = frozenset()
    """Qualified names of base classes (``cmd.Cmd``); a subclass in the file counts too."""
    method_prefix: str = ""
    """With ``base_classes``: the methods whose docstrings it shows (``do_``); empty: the
    class's own docstring."""


HELP_FRAMEWORKS: tuple[HelpFramework, ...] = (
    HelpFramework(
        "click",
        "its --help text",
        decorator_packages=frozenset({"click"}),
        decorator_attributes=frozenset({"command", "group"}),  # @cli.command(), @app.command()
    ),
    HelpFramework("typer", "its --help text", decorator_packages=frozenset({"typer"})),
    HelpFramework("fire", "its --help text", decorator_packages=frozenset({"fire"})),
    HelpFramework(
        "cliff",
        "the command's help text (Command.get_description)",
        decorator_packages=frozenset({"cliff"}),
        base_classes=frozenset(
            {
                "cliff.command.Command",
                "cliff.display.DisplayCommandBase",
                "cliff.lister.Lister",
                "cliff.show.ShowOne",
                "osc_lib.command.command.Command",
                "osc_lib.command.command.Lister",
                "osc_lib.command.command.ShowOne",
            }
        ),
    ),
    HelpFramework(
        "cmd",
        "what 'help <command>' prints in the shell",
        base_classes=frozenset({"cmd.Cmd"}),
        method_prefix="do_",
    ),
)
"""Frameworks known to show docstrings as help; their commands are left alone and reported."""


DOC_READERS = frozenset({"inspect.getdoc", "pydoc.getdoc", "pydoc.render_doc", "help"})
"""Functions that read their argument's docstring, as ``X.__doc__`` does."""


@dataclasses.dataclass(frozen=True)
class DocReads:
    """Where a module reads docstrings: the names loaded, and whose ``__doc__`` is read."""

    names: frozenset[str]
    """Names loaded anywhere (only ``__doc__`` matters)."""
    owners: frozenset[str]
    """``X`` (or ``X.m``) of every ``X.__doc__``, ``getattr(X, "__doc__")``,
    ``inspect.getdoc(X)``... read, for names and attributes of names."""


@dataclasses.dataclass(frozen=True)
class ClassDocReads:
    """What a class's own code reads of its docstrings."""

    own: bool
    """Its own docstring: ``self.__doc__``, ``inspect.getdoc(cls)``, ``type(self).__doc__``."""
    methods: frozenset[str]
    """Methods whose docstrings it reads: ``self.run.__doc__``, ``getdoc(self.run)``."""
    all_methods: bool
    """It reads methods' docstrings by computed name (``getattr(self, "do_" + name).__doc__``)."""


def qualified_name(node: ast.expr, imports: dict[str, str]) -> str:
    """Return the qualified name of a decorator or callee (``typing.overload``), or ``""``."""
    target = node.func if isinstance(node, ast.Call) else node
    dotted = dotted_name(target)
    if dotted is None:
        return ""
    head, _, rest = dotted.partition(".")
    resolved = imports.get(head, head)
    return f"{resolved}.{rest}" if rest else resolved


def doc_read_target(node: ast.AST, imports: dict[str, str]) -> ast.expr | None:
    """Return ``X`` when ``node`` reads the docstring of ``X``, else ``None``.

    ``X.__doc__``, ``getattr(X, "__doc__"[, default])`` and a call of a :data:`DOC_READERS`
    function (``inspect.getdoc(X)``, ``help(X)``) read it.
    """
    if isinstance(node, ast.Attribute) and node.attr == "__doc__":
        return node.value if isinstance(node.ctx, ast.Load) else None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    callee = qualified_name(node.func, imports)
    if callee == "getattr" and len(node.args) >= 2:
        name = node.args[1]
        if isinstance(name, ast.Constant) and name.value == "__doc__":
            return node.args[0]
        return None
    return node.args[0] if callee in DOC_READERS else None


def doc_reads(tree: ast.Module, imports: dict[str, str]) -> DocReads:
    """Return where the module reads docstrings (``imports`` resolves qualified names)."""
    names: set[str] = set()
    owners: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "__doc__" and isinstance(node.ctx, ast.Load):
            names.add(node.id)
            continue
        target = doc_read_target(node, imports)
        dotted = dotted_name(target) if target is not None else None
        if dotted is not None and dotted.count(".") <= 1:
            owners.add(dotted)
    return DocReads(frozenset(names), frozenset(owners))


def class_doc_reads(node: ast.ClassDef, imports: dict[str, str]) -> ClassDocReads:
    """Tell which of its docstrings the class's body and methods read (see the fields)."""
    own = all_methods = False
    methods: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and inner.id == "__doc__":
            own = True
            continue
        target = doc_read_target(inner, imports)
        if target is None:
            continue
        if is_own_reference(target, node.name):
            own = True
        elif isinstance(target, ast.Attribute) and is_own_reference(target.value, node.name):
            methods.add(target.attr)
        elif (
            isinstance(target, ast.Call)
            and qualified_name(target.func, imports) == "getattr"
            and target.args
            and is_own_reference(target.args[0], node.name)
        ):
            attribute = target.args[1] if len(target.args) > 1 else None
            if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
                methods.add(attribute.value)
            else:
                all_methods = True
    return ClassDocReads(own, frozenset(methods), all_methods)


def is_own_reference(node: ast.expr, class_name: str) -> bool:
    """Tell whether ``node`` is the class or its instance: ``self``, ``cls``, ``type(self)``..."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls", "__class__", class_name)
    if isinstance(node, ast.Call):
        return dotted_name(node.func) == "type"
    if isinstance(node, ast.Attribute) and node.attr == "__class__":
        return is_own_reference(node.value, class_name)
    return False
