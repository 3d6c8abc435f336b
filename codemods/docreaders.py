"""Who reads docstrings at run time, so that adding one would change what a program shows.

Frameworks that show docstrings as help (:data:`HELP_FRAMEWORKS`), and code that reads
``__doc__`` by name, through ``getattr`` or ``inspect.getdoc`` (:func:`doc_reads`,
:func:`class_doc_reads`).
"""

from __future__ import annotations

import ast
import dataclasses
import re

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
READ_MARKS = ("__doc__", "getdoc", "render_doc", "help(")
"""Text that every docstring read this module finds spells: a file without any of these
reads none (a cheap test before walking its tree)."""


def may_read_docstrings(text: str | bytes) -> bool:
    """Tell whether ``text`` spells something a docstring read needs (:data:`READ_MARKS`)."""
    if isinstance(text, bytes):
        return any(mark.encode() in text for mark in READ_MARKS)
    return any(mark in text for mark in READ_MARKS)


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
    """Its own docstring: ``self.__doc__``, ``inspect.getdoc(cls)``, ``type(self).__doc__``
    (in ``__init_subclass__`` or a metaclass's methods too: then a subclass's, or a class
    made by the metaclass)."""
    methods: frozenset[str]
    """Methods whose docstrings it reads: ``self.run.__doc__``, ``getdoc(self.run)``."""
    all_methods: bool
    """It reads methods' docstrings by computed name and no name prefix narrows them."""
    prefixes: frozenset[str] = frozenset()
    """Name prefixes of the methods it reads by computed name: ``getattr(self, "do_" + x)``,
    ``f"opt_{x}"``, ``"xmlrpc_%s" % x``, or a ``dir(self)`` loop kept by ``startswith("do_")``."""
    line: int = 0
    """The line of the first read (0: none)."""

    def to_facts(self) -> tuple[str, ...]:
        """Encode as plain strings (the project index stores these)."""
        facts = ["own"] if self.own else []
        facts += ["all"] if self.all_methods else []
        facts += [f"method:{name}" for name in sorted(self.methods)]
        facts += [f"prefix:{prefix}" for prefix in sorted(self.prefixes)]
        return (*facts, f"line:{self.line}") if facts else ()

    @classmethod
    def from_facts(cls, facts: tuple[str, ...]) -> ClassDocReads:
        """Decode :meth:`to_facts`' strings."""
        found: dict[str, set[str]] = {"method": set(), "prefix": set(), "line": set()}
        for fact in facts:
            kind, _, value = fact.partition(":")
            found.setdefault(kind, set()).add(value)
        line = int(min(found["line"], default="0"))
        return cls(
            "own" in found,
            frozenset(found["method"]),
            "all" in found,
            frozenset(found["prefix"]),
            line,
        )


_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]*_")
"""A method-name prefix: a word and an underscore (``do_``, ``opt_``, ``xmlrpc_``,
``ctcpQuery_``)."""
MEMBER_LISTERS = frozenset({"dir", "vars", "inspect.getmembers", "inspect.getmembers_static"})
"""Calls that list an object's attributes: a loop over them on ``self`` reads any method."""


def name_prefix(node: ast.expr) -> str | None:
    """Return the constant method-name prefix of a computed name, or ``None``.

    ``"do_" + name``, ``f"do_{name}"``, ``"do_%s" % name`` and ``"do_{}".format(name)``
    give ``do_``; a prefix must look like one (a word, then ``_``).
    """
    head: object = None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        head = node.left.value if isinstance(node.left, ast.Constant) else None
        if isinstance(node.op, ast.Mod) and isinstance(head, str):
            head = head.partition("%")[0]
    elif isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        head = first.value if isinstance(first, ast.Constant) else None
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    ):
        head = node.func.value.value
        head = head.partition("{")[0] if isinstance(head, str) else None
    if isinstance(head, str) and _PREFIX.fullmatch(head):
        return head
    return None


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
    owners.update(_passed_to_readers(tree, imports))
    return DocReads(frozenset(names), frozenset(owners))


def parameter_doc_reads(tree: ast.Module, imports: dict[str, str]) -> dict[str, set[int]]:
    """Map each function of the module to the positions of the parameters whose docstring
    it reads (``def describe(obj): return obj.__doc__`` -> ``{"describe": {0}}``)."""
    readers: dict[str, set[int]] = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        for node in ast.walk(function):
            target = doc_read_target(node, imports)
            while isinstance(target, ast.Attribute):  # obj.run.__doc__ reads obj's method
                target = target.value
            if isinstance(target, ast.Name) and target.id in parameters:
                readers.setdefault(function.name, set()).add(parameters.index(target.id))
    return readers


def _passed_to_readers(tree: ast.Module, imports: dict[str, str]) -> set[str]:
    """Return the names whose docstring a function of the module reads through a parameter.

    A definition passed to such a function (``describe(Point)``), or decorated by one
    (``@register`` where ``register(f)`` stores ``f.__doc__``), has its docstring read.
    """
    readers = parameter_doc_reads(tree, imports)
    if not readers:
        return set()
    found: set[str] = set()
    factories = _decorator_factories(tree, readers)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            positions = readers.get(dotted_name(node.func) or "", set())
            for position in positions:
                if position < len(node.args):
                    dotted = dotted_name(node.args[position])
                    if dotted is not None and dotted.count(".") <= 1:
                        found.add(dotted)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):  # @register("name"): a factory
                    reads = dotted_name(decorator.func) in factories
                else:
                    reads = 0 in readers.get(dotted_name(decorator) or "", set())
                if reads:
                    found.add(node.name)
    return found


def _decorator_factories(tree: ast.Module, readers: dict[str, set[int]]) -> set[str]:
    """Return the functions that define a decorator reading its argument's docstring."""
    return {
        outer.name
        for outer in ast.walk(tree)
        if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            and inner is not outer
            and 0 in readers.get(inner.name, set())
            for inner in ast.walk(outer)
        )
    }


def class_doc_reads(node: ast.ClassDef, imports: dict[str, str]) -> ClassDocReads:
    """Tell which of its docstrings the class's body and methods read (see the fields)."""
    own = all_methods = False
    methods: set[str] = set()
    prefixes: set[str] = set()
    lines: list[int] = []
    members = _member_loop_names(node, imports)
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and inner.id == "__doc__":
            own = True
            lines.append(inner.lineno)
            continue
        target = doc_read_target(inner, imports)
        if target is None:
            continue
        line = getattr(inner, "lineno", 0)
        if is_own_reference(target, node.name):
            own = True
        elif isinstance(target, ast.Attribute) and is_own_reference(target.value, node.name):
            methods.add(target.attr)
        elif isinstance(target, ast.Name) and target.id in members:
            all_methods = True
        elif (
            isinstance(target, ast.Call)
            and qualified_name(target.func, imports) == "getattr"
            and target.args
            and is_own_reference(target.args[0], node.name)
        ):
            attribute = target.args[1] if len(target.args) > 1 else None
            prefix = name_prefix(attribute) if attribute is not None else None
            if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
                methods.add(attribute.value)
            elif prefix is not None:
                prefixes.add(prefix)
            else:
                all_methods = True
        else:
            continue
        lines.append(line)
    if all_methods:  # a loop over dir(self) kept by startswith("do_") reads only do_*
        filters = _startswith_prefixes(node)
        if filters:
            prefixes.update(filters)
            all_methods = False
    return ClassDocReads(
        own, frozenset(methods), all_methods, frozenset(prefixes), min(lines, default=0)
    )


def class_doc_facts(
    node: ast.ClassDef, imports: dict[str, str], *, reads: bool = True
) -> tuple[str, ...]:
    """Return :func:`class_doc_reads` as plain facts, plus ``metaclass:NAME`` if it has one
    (``reads`` false: the file spells no docstring read, so only the metaclass is looked at)."""
    facts = class_doc_reads(node, imports).to_facts() if reads else ()
    for keyword in node.keywords:
        if keyword.arg == "metaclass":
            name = qualified_name(keyword.value, imports)
            facts = (*facts, f"metaclass:{name}") if name else facts
    return facts


def _member_loop_names(node: ast.ClassDef, imports: dict[str, str]) -> set[str]:
    """Return the names a loop binds to members of the class or instance.

    ``for name in dir(self)``, ``for name, member in inspect.getmembers(type(self))``,
    ``for value in vars(cls).values()`` and comprehensions alike.
    """
    names: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.For | ast.AsyncFor | ast.comprehension):
            lister = inner.iter
            while (
                isinstance(lister, ast.Call)
                and isinstance(lister.func, ast.Attribute)
                and lister.func.attr in ("items", "values", "keys")
            ):
                lister = lister.func.value  # vars(self).items() -> vars(self)
            if (
                isinstance(lister, ast.Call)
                and qualified_name(lister.func, imports) in MEMBER_LISTERS
                and lister.args
                and is_own_reference(lister.args[0], node.name)
            ):
                names.update(
                    target.id for target in ast.walk(inner.target) if isinstance(target, ast.Name)
                )
    return names


def _startswith_prefixes(node: ast.ClassDef) -> set[str]:
    """Return the prefixes the class's code tests names with: ``name.startswith("do_")``."""
    found: set[str] = set()
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr == "startswith"
            and inner.args
            and isinstance(inner.args[0], ast.Constant)
            and isinstance(inner.args[0].value, str)
            and _PREFIX.fullmatch(inner.args[0].value)
        ):
            found.add(inner.args[0].value)
    return found


def is_own_reference(node: ast.expr, class_name: str) -> bool:
    """Tell whether ``node`` is the class or its instance: ``self``, ``cls``, ``type(self)``..."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls", "__class__", class_name)
    if isinstance(node, ast.Call):
        return dotted_name(node.func) == "type"
    if isinstance(node, ast.Attribute) and node.attr == "__class__":
        return is_own_reference(node.value, class_name)
    return False
