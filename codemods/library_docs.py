"""Who reads docstrings at run time, from evidence in the libraries' own source.

:class:`LibraryDocs` answers two questions about library code, which it reads as text from
the project's environment (:mod:`codemods.environment`) and the standard library of its
Python -- parsed with :func:`ast.parse`, never imported or run:

* :meth:`LibraryDocs.class_use`: what a class and its bases (followed through each module's
  imports, across libraries) and their metaclasses do with the docstring of a subclass and
  of its methods;
* :meth:`LibraryDocs.decorator_use`: whether a decorator reads the docstring of what it
  decorates, or writes one (a generated docstring).

Every finding is a :class:`DocReader` naming what happens and where: the distribution and
version (from its ``*.dist-info`` directory's name) or "the standard library X.Y", the
module's path and the line.

Finding the source
------------------

A module is looked for in the standard library, then each ``site-packages``, then the
directories their ``*.pth`` files add (editable installs): ``a/b.py`` or ``a/b/__init__.py``.
A name is followed through the module's imports (``from .x import Y``, ``import x as y``,
``Y = x.Z``, ``from x import *``, a PEP 562 ``__getattr__`` that imports it), bases through
``Generic[T]`` subscripts and ``six.with_metaclass(M, B)``, metaclasses through
``metaclass=M`` and ``__metaclass__ = M``. Builtins (``object``, ``Exception``) and the
standard library's C modules end a walk quietly; anything else not found (no source, a
compiled module in ``site-packages``, a file not read or parsed, a limit reached) is
reported in ``unresolved`` with a note, and gives no evidence.

What counts as evidence
-----------------------

Only code in functions counts (a class body's ``__doc__`` is that class's own). A *read* of
a docstring is ``X.__doc__`` (loaded), ``getattr(X, "__doc__"[, default])``, or a call of
``inspect.getdoc``, ``pydoc.getdoc``, ``pydoc.render_doc``, ``pydoc.doc``,
``pydoc.text.document``/``plaintext.document``/``html.document`` or ``help`` on ``X``; so is
a call passing ``X`` to a function or method of the same module that reads (or passes on)
that parameter's docstring. A read whose value only goes into another ``__doc__`` --
``wrapper.__doc__ = f.__doc__``, ``setattr(w, "__doc__", ...)``, a ``"__doc__"`` entry of a
dict display or a ``__doc__=`` keyword, also through one local variable that is otherwise
only tested (``contextlib``, ``functools.cached_property``) -- copies documentation and is
not evidence: the copy is there for documentation tools, a stub's intended readers.

``X`` is traced back inside its function (and the functions it is nested in) through the
assignments, ``for`` loops and comprehensions that bind a name, every one of them (the
order is not followed), at most six steps:

* the instance or the class -- a method's first parameter (``self``, ``cls``, any name; not
  in a ``@staticmethod``), ``cls`` in a classmethod, ``__new__`` or ``__init_subclass__``
  (the class ``super().__new__()`` returns, in a metaclass), ``type(self)``,
  ``self.__class__``, a loop over ``type(self).__mro__``, ``type(self).mro()`` or
  ``inspect.getmro(cls)``, and ``vars(self)["__doc__"]``/``self.__dict__.get("__doc__")``:
  the class reads its subclasses' docstrings -> ``own``. ``ClassName.__doc__`` reads that
  one class's docstring and is not evidence for subclasses; nor is a parameter named
  ``cls`` that is not the first.
* ``self.name`` or ``getattr(self, "name")``: that attribute's docstring -> ``methods``
  (an attribute holding a function counts alike).
* ``getattr(self, NAME)`` with a computed ``NAME``, or a member from a loop over
  ``inspect.getmembers(self)``, ``vars(self).values()``/``.items()`` or
  ``self.__dict__``: methods' docstrings, narrowed to name prefixes by

  - the string constant at the head of ``NAME``: ``"opt_" + name``, ``f"ctcpQuery_{x}"``,
    ``"xmlrpc_%s" % x``, ``"do_{}".format(x)``;
  - tests on the name variable that hold where the read is: an enclosing
    ``if name.startswith("do_")`` (a tuple of prefixes too) or ``if name[:3] == "do_"``,
    the ``else`` of their negation, an earlier ``and`` operand, a comprehension's ``if``,
    or an earlier ``if not name.startswith("do_"): continue`` (or ``return``, ``raise``,
    ``break``) in an enclosing block;
  - the call the name (or the member) comes from, when it is given the instance or class
    and a string constant ending in ``_``: ``reflect.prefixedMethodNames(self.__class__,
    "ctcpQuery_")``, or a local container such a call fills (``accumulateMethods(self, d,
    "opt_")`` then ``for name, method in d.items()``);

  -> ``method_prefixes``. A prefix is an identifier's beginning (``[A-Za-z_][A-Za-z0-9_]*``).
  A computed name none of these narrows -- a parameter, as in ``unittest.TestCase.__init__``'s
  ``getattr(self, methodName)``; an unfiltered loop over ``dir(self)``, ``vars(self)`` or
  ``inspect.getmembers(self)``; a test that drops names (``if name.startswith("_"):
  continue``) -> ``all_methods`` (every method counts).
* a value returned by a call ``obj.NAME(...)`` (or ``NAME(...)``) that is not traced
  further: every function of the module called ``NAME`` is searched for computed lookups
  ``getattr(self, ...)``, which give their own class prefixes as above. This is how
  ``XMLRPCIntrospection.xmlrpc_methodHelp`` reading ``getattr(method, "__doc__")`` of what
  ``self._xmlrpc_parent.lookupProcedure(name)`` returned (``getattr(self, "xmlrpc_%s" %
  name)`` in ``XMLRPC.lookupProcedure``) marks the ``xmlrpc_*`` methods of ``XMLRPC``.

A *write* of ``cls.__doc__`` (or ``setattr(cls, "__doc__", ...)``, ``type(self).__doc__``)
in ``__init_subclass__``, a classmethod or ``__new__`` -> ``generated``; ``self.__doc__``
written in an ordinary method sets an instance's attribute and is not. In a metaclass (a
class derived from ``type``, or named by ``metaclass=``) every method works on classes: a
write of ``self.__doc__`` or ``cls.__doc__``, ``namespace["__doc__"] = ...`` or
``namespace.setdefault("__doc__", ...)`` on a parameter of its methods is ``generated``,
and ``namespace["__doc__"]``/``namespace.get("__doc__")`` read is ``own``. A metaclass's
findings apply to every class it makes, and to the metaclass asked about itself.

A decorator (:meth:`LibraryDocs.decorator_use`) reads (or writes the docstring of) what it
decorates when that happens to the decorated parameter -- the first of a function, the one
after ``self`` of a class's ``__init__``/``__new__``/``__call__`` or of a method
(``pkg.App.command``) -- directly or in a function or class of the same module it is passed
to (``dataclass`` -> ``wrap`` -> ``_process_class``), or to the first parameter of a
function defined inside it (a decorator factory's inner decorator), of the decorator
another factory of the module returns (``return command(name)``, ``command(...)(f)``), or
of the ``__call__`` of a decorator class it returns an instance of. ``@overload`` stubs are
skipped for the implementation. The reader named is the deepest one (``dataclass``'s is
``cls.__doc__ = ...`` in ``_process_class``).

What is missed
--------------

Reads through data flow the rules above do not follow: a lookup on another object
(``getattr(self.parent, "do_" + x)``, or on a parameter, unless a call's result is linked as
above), values kept in attributes or containers (``SimpleXMLRPCServer.register_function``
storing ``f`` for ``system.methodHelp``'s ``pydoc.getdoc`` later), names built by calls
(``self.name_for(x)``) or kept in attributes, ``__doc__`` read by a computed attribute name
(``getattr(obj, attr)`` with ``attr`` from ``("__doc__", ...)``, as ``functools.wraps``
does), calls into another module (``unittest``'s loader prefix ``test`` is in
``unittest/loader.py``, not in ``TestCase``, so ``TestCase`` reads ``all_methods``), a
class decorator of a base class, ``six.add_metaclass``, C extension modules, and code the
running Python cannot parse (a newer Python's syntax: Python 3.13's own
``dataclasses.py`` is unknown to 3.11). A read found is not proven to run; a read not found
is not proven absent.

Bounds
------

Each question reads at most ``max_files`` module files (memoised ones count, so an answer
does not depend on what was asked before) and follows at most :data:`MAX_CLASSES` classes;
each file goes through :func:`codemods.inputs.read_input` (regular files only, at most
:data:`MAX_SOURCE_SIZE` bytes, never blocking). A file that cannot be read or parsed (a
``SyntaxError``, a ``RecursionError`` or ``MemoryError`` on deep nesting, a ``ValueError``)
is *unknown*: no evidence, and the names it should define are ``unresolved``. Analyses are
memoised per (path, size, modification time); a :class:`LibraryDocs` holds plain data only
and can be pickled to worker processes.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from codemods.environment import Environment, installed_distributions, running_stdlib
from codemods.inputs import InputError, read_input

MAX_FILES = 64
"""The most module files one question reads (parsed or memoised), by default."""

MAX_SOURCE_SIZE = 4 * 1024 * 1024
"""The largest library module read (bytes); a larger one is unknown."""

MAX_METADATA_SIZE = 4 * 1024 * 1024
"""The largest ``RECORD``, ``top_level.txt`` or ``.pth`` file read."""

MAX_CLASSES = 200
"""The most classes followed for one question (a class and all its bases)."""

_MAX_NAMES_PER_LOOKUP = 64
_MAX_TRACE_DEPTH = 6
_MAX_FIXPOINT_ROUNDS = 12
_MAX_PTH_FILES = 64
_MAX_RECORDS = 300

DOC_READER_CALLS = frozenset(
    {
        "inspect.getdoc",
        "pydoc.getdoc",
        "pydoc.render_doc",
        "pydoc.doc",
        "pydoc.text.document",
        "pydoc.plaintext.document",
        "pydoc.html.document",
        "help",
    }
)
"""Calls that read their first argument's docstring, as ``X.__doc__`` does."""

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_FILTER_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HELPER_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]*_")
_WRAPPERS = frozenset({"sorted", "list", "tuple", "set", "frozenset", "reversed", "iter"})
_MEMBER_LISTERS = frozenset({"vars", "inspect.getmembers", "inspect.getmembers_static"})
_BUILTIN_NAMES = frozenset(dir(builtins))

Function = ast.FunctionDef | ast.AsyncFunctionDef


# --- answers -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DocReader:
    """A library's code that reads (or writes) a docstring, and where it is."""

    what: str
    """What it does: ``twisted.python.usage.Options reads the docstrings of its opt_*
    methods (in Options._gather_handlers)``."""
    where: str
    """The library, the module's path and the line: ``twisted 24.3.0,
    twisted/python/usage.py:398`` or ``the standard library 3.11, cmd.py:300``."""


@dataclasses.dataclass(frozen=True)
class ClassDocUse:
    """What a library class and its bases do with their subclasses' docstrings."""

    qualified_name: str
    """The name asked about (``twisted.python.usage.Options``)."""
    found: bool
    """The class was found in a library's source (else every other field is empty)."""
    where: str = ""
    """Where the class is defined (its library, path and line)."""
    own: DocReader | None = None
    """Its code (a base's, its metaclass's, ``__init_subclass__``) reads the docstring of
    the instance's class: a subclass's docstring is read."""
    generated: DocReader | None = None
    """Its code writes a subclass's ``__doc__`` (``__init_subclass__``, a metaclass): a
    generated docstring."""
    method_prefixes: tuple[tuple[str, DocReader], ...] = ()
    """``(prefix, reader)``: the docstrings of methods named ``prefix...`` are read."""
    methods: tuple[tuple[str, DocReader], ...] = ()
    """``(name, reader)``: the docstring of the method ``name`` is read (``self.run.__doc__``)."""
    all_methods: DocReader | None = None
    """Methods' docstrings are read by a computed name no prefix narrows: every method."""
    documented_methods: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    """Methods of the class and its bases that have a docstring (name -> where): an
    undocumented override inherits it in ``inspect.getdoc`` and ``help()``."""
    ancestors: tuple[str, ...] = ()
    """The qualified names of the class and its bases as they were met: as referred to
    (``unittest.TestCase``) and where defined (``unittest.case.TestCase``)."""
    unresolved: tuple[str, ...] = ()
    """Bases (and metaclasses) whose source was not found or not read: unknown."""
    notes: tuple[str, ...] = ()
    """Why each unresolved name is unknown, and other limits met."""


@dataclasses.dataclass(frozen=True)
class DecoratorDocUse:
    """What a library decorator does with the docstring of what it decorates."""

    qualified_name: str
    """The name asked about (``dataclasses.dataclass``)."""
    found: bool
    """The decorator was found in a library's source."""
    where: str = ""
    """Where it is defined (its library, path and line)."""
    reads: DocReader | None = None
    """It reads the decorated object's docstring (stores ``f.__doc__``, ``getdoc(f)``...)."""
    generated: DocReader | None = None
    """It writes the decorated object's ``__doc__``: a generated docstring."""
    notes: tuple[str, ...] = ()
    """Why it is unknown, when it is."""


# --- facts: what one module's analysis keeps (plain data, memoised) -------------------------


@dataclasses.dataclass(frozen=True)
class _Evidence:
    """One finding in a module: its kind, the prefix or method name, the line."""

    kind: str
    """``own``, ``generated``, ``instance_write``, ``ns_read``, ``ns_write``, ``prefix``,
    ``method``, ``all``, or for a decorator ``reads``/``writes``."""
    value: str
    line: int
    function: str
    via: str = ""


@dataclasses.dataclass(frozen=True)
class _ClassFacts:
    name: str
    line: int
    bases: tuple[str, ...]
    odd_bases: tuple[str, ...]
    metaclass: str
    evidence: tuple[_Evidence, ...]
    documented: tuple[tuple[str, int], ...]


@dataclasses.dataclass(frozen=True)
class _CallableFacts:
    line: int
    reads: _Evidence | None
    writes: _Evidence | None


@dataclasses.dataclass(frozen=True)
class _ModuleFacts:
    module: str
    path: str
    error: str = ""
    classes: dict[str, _ClassFacts] = dataclasses.field(default_factory=dict)
    callables: dict[str, _CallableFacts] = dataclasses.field(default_factory=dict)
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    star_imports: tuple[str, ...] = ()


# --- the analysis of one module ------------------------------------------------------------


def _dotted(node: ast.AST | None) -> str | None:
    """Return ``a.b.c`` for a name or a chain of attributes on a name (iteratively)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def constant_prefix(node: ast.AST) -> str | None:
    """Return the constant head of a computed name, or ``None``.

    ``"do_" + name``, ``f"do_{name}"``, ``"do_%s" % name`` and ``"do_{}".format(name)`` give
    ``do_``; the head must be an identifier's beginning (``[A-Za-z_][A-Za-z0-9_]*``).
    """
    head: str | None = None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left: ast.AST = node
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
            left = left.left
        head = _string(left)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        text = _string(node.left)
        head = text.partition("%")[0] if text is not None else None
    elif isinstance(node, ast.JoinedStr) and node.values:
        head = _string(node.values[0])
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        text = _string(node.func.value)
        head = text.partition("{")[0] if text is not None else None
    if head and _FILTER_PREFIX.fullmatch(head):
        return head
    return None


@dataclasses.dataclass
class _Binding:
    kind: str  # "value" | "iter" | "opaque"
    value: ast.AST | None = None
    index: int = -1
    loop: ast.AST | None = None
    target: ast.AST | None = None


@dataclasses.dataclass(frozen=True)
class _Origin:
    kind: str  # "own" | "lookup" | "method" | "param" | "call"
    prefixes: frozenset[str] | None = None
    name: str = ""
    index: int = -1
    line: int = 0
    owner: str | None = None
    via: str = ""


class _Scope:
    """One function: its parameters, the names it binds and the nodes of its own body."""

    def __init__(
        self,
        node: Function,
        qualname: str,
        owner: str | None,
        parent: _Scope | None,
    ) -> None:
        self.node = node
        self.qualname = qualname
        self.owner = owner
        self.parent = parent
        decorators = {_dotted(d) for d in node.decorator_list}
        self.kind = "function"
        if owner is not None:
            if "staticmethod" in decorators:
                self.kind = "static"
            elif "classmethod" in decorators or node.name in (
                "__init_subclass__",
                "__class_getitem__",
                "__new__",
            ):
                self.kind = "class"
            else:
                self.kind = "method"
        arguments = node.args
        self.positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
        self.keyword_index = {name: index for index, name in enumerate(self.positional)}
        first = self.positional[0] if self.positional and self.kind in ("method", "class") else ""
        inherited: frozenset[str] = parent.own_names if parent is not None else frozenset()
        own = {first} | ({"cls"} if self.kind == "class" else set())  # cls = super().__new__()
        self.own_names: frozenset[str] = frozenset(own - {""}) | inherited
        self.first = first
        self.nodes: list[ast.AST] = []
        self.bindings: dict[str, list[_Binding]] = {}
        self.nested: dict[str, Function] = {}
        self.imports: dict[str, str] = {}
        stack: list[ast.AST] = list(reversed(node.body))
        while stack:
            item = stack.pop()
            self.nodes.append(item)
            if isinstance(item, _FUNCTIONS):
                self.nested.setdefault(item.name, item)
            if isinstance(item, _SCOPES):
                continue
            self._bind(item)
            stack.extend(reversed(list(ast.iter_child_nodes(item))))

    def _bind(self, item: ast.AST) -> None:
        if isinstance(item, ast.Assign):
            for target in item.targets:
                self._bind_assigned(target, item.value)
        elif isinstance(item, ast.AnnAssign | ast.NamedExpr) and item.value is not None:
            self._bind_assigned(item.target, item.value)
        elif isinstance(item, ast.For | ast.AsyncFor):
            self._bind_iterated(item.target, item.iter, item)
        elif isinstance(item, ast.comprehension):
            self._bind_iterated(item.target, item.iter, item)
        elif isinstance(item, ast.withitem) and item.optional_vars is not None:
            for name in _names_in(item.optional_vars):
                self._add(name, _Binding("opaque"))
        elif isinstance(item, ast.Import):
            for alias in item.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    self.imports[head] = head
        elif isinstance(item, ast.ImportFrom) and not item.level and item.module:
            for alias in item.names:
                self.imports[alias.asname or alias.name] = f"{item.module}.{alias.name}"

    def _add(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def _bind_assigned(self, target: ast.AST, value: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self._add(target.id, _Binding("value", value))
        elif isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
                for part, part_value in zip(target.elts, value.elts, strict=True):
                    self._bind_assigned(part, part_value)
            else:
                for name in _names_in(target):
                    self._add(name, _Binding("opaque"))

    def _bind_iterated(self, target: ast.AST, iterable: ast.AST, loop: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self._add(target.id, _Binding("iter", iterable, -1, loop, target))
        elif isinstance(target, ast.Tuple | ast.List):
            for index, part in enumerate(target.elts):
                if isinstance(part, ast.Name):
                    self._add(part.id, _Binding("iter", iterable, index, loop, target))
                else:
                    for name in _names_in(part):
                        self._add(name, _Binding("opaque"))

    def lookup(self, name: str) -> list[_Binding] | None:
        """Return the bindings of ``name`` here or in an enclosing function (``None``: none)."""
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.bindings:
                return scope.bindings[name]
            if name in scope.keyword_index:
                return []
            scope = scope.parent
        return None

    def nested_function(self, name: str) -> Function | None:
        """Return the function ``name`` defined in this function or an enclosing one."""
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.nested:
                return scope.nested[name]
            scope = scope.parent
        return None

    def local_import(self, name: str) -> str | None:
        """Return what an import inside this function (or an enclosing one) binds ``name`` to."""
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.imports:
                return scope.imports[name]
            scope = scope.parent
        return None


_Site = tuple[ast.AST, ast.AST, "_Evidence | None"]
"""A read or write: its node, whose docstring, and the helper's evidence when passed on."""


def _names_in(node: ast.AST) -> Iterator[str]:
    for item in ast.walk(node):
        if isinstance(item, ast.Name):
            yield item.id


class _Analysis:
    """The analysis of one module's tree: see the module docstring for the rules."""

    def __init__(self, tree: ast.Module, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.aliases: dict[str, str] = {}
        self.star_imports: list[str] = []
        self.module_functions: dict[str, Function] = {}
        self.class_nodes: dict[str, ast.ClassDef] = {}
        self.scopes: dict[Function, _Scope] = {}
        self.by_name: dict[str, list[_Scope]] = {}
        self.methods: dict[tuple[str, str], Function] = {}
        self._module_level(tree.body, "")
        self._collect_scopes(tree)
        self.param_reads: dict[Function, dict[int, _Evidence]] = {}
        self.param_writes: dict[Function, dict[int, _Evidence]] = {}
        self.evidence: dict[str, list[_Evidence]] = {}
        self._linked: dict[str, list[_Origin]] = {}
        self._descendants: dict[Function, list[Function]] | None = None

    # module level: imports, aliases, classes

    def _module_level(self, body: list[ast.stmt], prefix: str) -> None:
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                name = f"{prefix}{statement.name}"
                self.class_nodes.setdefault(name, statement)
                self._module_level(statement.body, f"{name}.")
                continue
            if prefix:
                continue  # in a class body: only nested classes matter
            if isinstance(statement, _FUNCTIONS):
                if not _is_overload(statement):
                    self.module_functions.setdefault(statement.name, statement)
                if statement.name == "__getattr__":  # PEP 562 lazy imports: unittest's
                    for inner in ast.walk(statement):
                        if isinstance(inner, ast.ImportFrom):
                            base = self._import_base(inner)
                            for alias in inner.names:
                                if base and alias.name != "*":
                                    name = alias.asname or alias.name
                                    self.aliases.setdefault(name, f"{base}.{alias.name}")
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        self.aliases.setdefault(alias.asname, alias.name)
                    else:
                        head = alias.name.partition(".")[0]
                        self.aliases.setdefault(head, head)
            elif isinstance(statement, ast.ImportFrom):
                base = self._import_base(statement)
                for alias in statement.names:
                    if alias.name == "*":
                        self.star_imports.append(base)
                    elif base:
                        self.aliases.setdefault(alias.asname or alias.name, f"{base}.{alias.name}")
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                dotted = _dotted(statement.value)
                if isinstance(target, ast.Name) and dotted is not None:
                    resolved = self.qualify(dotted)
                    if resolved and resolved != f"{self.module}.{target.id}":
                        self.aliases.setdefault(target.id, resolved)
            elif isinstance(statement, ast.If | ast.Try | ast.With):
                for block in _blocks(statement):
                    self._module_level(block, prefix)

    def _import_base(self, statement: ast.ImportFrom) -> str:
        base = statement.module or ""
        if statement.level:
            parts = self.package.split(".") if self.package else []
            if statement.level > 1:
                parts = parts[: len(parts) - (statement.level - 1)]
            base = ".".join([*parts, *([base] if base else [])])
        return base

    def qualify(self, dotted: str) -> str:
        """Return the qualified name a module-level dotted name stands for."""
        head, dot, rest = dotted.partition(".")
        if head in self.aliases:
            return f"{self.aliases[head]}{dot}{rest}"
        if head in self.class_nodes or head in self.module_functions:
            return f"{self.module}.{dotted}"
        if head in _BUILTIN_NAMES:
            return f"builtins.{dotted}"
        return f"{self.module}.{dotted}"

    def callee(self, node: ast.AST, scope: _Scope | None) -> str:
        """Return the qualified name of a called expression (``inspect.getdoc``), or ``""``."""
        dotted = _dotted(node)
        if dotted is None:
            return ""
        head, dot, rest = dotted.partition(".")
        local = scope.local_import(head) if scope is not None else None
        if local is not None:
            return f"{local}{dot}{rest}"
        if scope is not None and scope.lookup(head) is not None:
            return dotted  # a local variable
        if head in self.aliases:
            return f"{self.aliases[head]}{dot}{rest}"
        return dotted

    def _collect_scopes(self, tree: ast.Module) -> None:
        stack: list[tuple[ast.AST, str, str | None, _Scope | None]] = [(tree, "", None, None)]
        while stack:
            node, prefix, owner, parent = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    name = f"{prefix}{child.name}"
                    stack.append((child, f"{name}.", name, parent))
                elif isinstance(child, _FUNCTIONS):
                    scope = _Scope(child, f"{prefix}{child.name}", owner, parent)
                    self.scopes[child] = scope
                    self.by_name.setdefault(child.name, []).append(scope)
                    if owner is not None and parent is None and not _is_overload(child):
                        self.methods.setdefault((owner, child.name), child)
                    stack.append((child, f"{prefix}{child.name}.<locals>.", None, scope))
                elif not isinstance(child, ast.Lambda):
                    stack.append((child, prefix, owner, parent))

    # what an expression is

    def own(self, node: ast.AST, scope: _Scope) -> bool:
        """Tell whether ``node`` is the instance or its class (``self``, ``type(self)``...)."""
        if scope.owner is None and not scope.own_names:
            return False
        if isinstance(node, ast.Name):
            return node.id in scope.own_names
        if isinstance(node, ast.Call):
            return (
                _dotted(node.func) == "type"
                and len(node.args) == 1
                and self.own(node.args[0], scope)
            )
        if isinstance(node, ast.Attribute) and node.attr == "__class__":
            return self.own(node.value, scope)
        return False

    def _owner(self, scope: _Scope) -> str | None:
        while scope.owner is None and scope.parent is not None:
            scope = scope.parent
        return scope.owner

    def read_target(self, node: ast.AST, scope: _Scope) -> ast.AST | None:
        """Return ``X`` when ``node`` reads the docstring of ``X``, else ``None``."""
        if isinstance(node, ast.Attribute) and node.attr == "__doc__":
            return node.value if isinstance(node.ctx, ast.Load) else None
        if not isinstance(node, ast.Call) or not node.args:
            return None
        callee = self.callee(node.func, scope)
        if callee == "getattr" and len(node.args) >= 2:
            return node.args[0] if _string(node.args[1]) == "__doc__" else None
        return node.args[0] if callee in DOC_READER_CALLS else None

    def namespace_access(self, node: ast.AST) -> tuple[str, ast.AST] | None:
        """Return ``("read"|"write", X)`` for ``X["__doc__"]``, ``X.get("__doc__")``..."""
        if isinstance(node, ast.Subscript) and _string(node.slice) == "__doc__":
            return ("write" if isinstance(node.ctx, ast.Store) else "read"), node.value
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.args
            and _string(node.args[0]) == "__doc__"
        ):
            if node.func.attr == "get":
                return "read", node.func.value
            if node.func.attr == "setdefault":
                return "write", node.func.value
        return None

    def write_target(self, node: ast.AST, scope: _Scope) -> ast.AST | None:
        """Return ``X`` when ``node`` writes ``X.__doc__`` (or ``setattr(X, "__doc__", v)``)."""
        if isinstance(node, ast.Attribute) and node.attr == "__doc__":
            return node.value if isinstance(node.ctx, ast.Store) else None
        if (
            isinstance(node, ast.Call)
            and len(node.args) >= 3
            and self.callee(node.func, scope) == "setattr"
            and _string(node.args[1]) == "__doc__"
        ):
            return node.args[0]
        return None

    def _statement(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.stmt) and node in self.parents:
            node = self.parents[node]
        return node

    def _is_doc_store(self, statement: ast.AST) -> bool:
        if isinstance(statement, ast.Assign):
            targets: list[ast.expr] = list(statement.targets)
        elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
            targets = [statement.target]
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            return (
                _dotted(call.func) == "setattr"
                and len(call.args) >= 3
                and _string(call.args[1]) == "__doc__"
            )
        else:
            return False
        return all(
            (isinstance(t, ast.Attribute) and t.attr == "__doc__")
            or (isinstance(t, ast.Subscript) and _string(t.slice) == "__doc__")
            for t in targets
        )

    def _in_doc_entry(self, node: ast.AST, statement: ast.AST) -> bool:
        """Tell whether ``node`` is the value of a ``"__doc__"`` entry of a dict display or a
        ``__doc__=`` keyword (``type(name, bases, {"__doc__": cls.__doc__})``)."""
        child = node
        while child is not statement and child in self.parents:
            parent = self.parents[child]
            if isinstance(parent, ast.Dict):
                for key, value in zip(parent.keys, parent.values, strict=True):
                    if value is child and _string(key) == "__doc__":
                        return True
            elif isinstance(parent, ast.keyword) and parent.arg == "__doc__":
                return True
            child = parent
        return False

    def _in_test(self, node: ast.AST, statement: ast.AST) -> bool:
        child = node
        while child is not statement and child in self.parents:
            parent = self.parents[child]
            if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert) and (
                child is parent.test
            ):
                return True
            child = parent
        return False

    def copied_only(self, read: ast.AST, scope: _Scope) -> bool:
        """Tell whether the docstring read by ``read`` only goes into another ``__doc__``."""
        statement = self._statement(read)
        if self._is_doc_store(statement) or self._in_doc_entry(read, statement):
            return True
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            return False
        variable = statement.targets[0].id
        uses = [
            node
            for node in scope.nodes
            if isinstance(node, ast.Name)
            and node.id == variable
            and isinstance(node.ctx, ast.Load)
        ]
        return bool(uses) and all(
            self._is_doc_store(self._statement(use)) or self._in_test(use, self._statement(use))
            for use in uses
        )

    # tracing a value to where it comes from

    def origins(
        self, node: ast.AST, read: ast.AST, scope: _Scope, depth: int = 0
    ) -> list[_Origin]:
        """Return where the object whose docstring ``read`` reads comes from."""
        if depth > _MAX_TRACE_DEPTH:
            return []
        owner = self._owner(scope)
        if self.own(node, scope):
            return [_Origin("own", owner=owner, line=_line(read))]
        if isinstance(node, ast.Call):
            callee = self.callee(node.func, scope)
            if callee == "getattr" and len(node.args) >= 2 and self.own(node.args[0], scope):
                constant = _string(node.args[1])
                if constant is not None:
                    return [_Origin("method", name=constant, owner=owner, line=_line(read))]
                prefixes = self.name_prefixes(node.args[1], read, scope)
                via = ""
                if prefixes is None and isinstance(node.args[1], ast.Name):
                    if node.args[1].id in scope.keyword_index and not scope.bindings.get(
                        node.args[1].id
                    ):
                        via = f"the name is its parameter {node.args[1].id}"
                return [_Origin("lookup", prefixes, owner=owner, line=_line(read), via=via)]
            name = node.func.attr if isinstance(node.func, ast.Attribute) else callee
            if name and "." not in name and name not in _BUILTIN_NAMES:
                return [_Origin("call", name=name, line=_line(read))]
            return []
        if isinstance(node, ast.Attribute):
            if self.own(node.value, scope) and not node.attr.startswith("__"):
                return [_Origin("method", name=node.attr, owner=owner, line=_line(read))]
            return []
        if isinstance(node, ast.BoolOp):
            return [
                o for value in node.values for o in self.origins(value, read, scope, depth + 1)
            ]
        if isinstance(node, ast.IfExp):
            return [
                *self.origins(node.body, read, scope, depth + 1),
                *self.origins(node.orelse, read, scope, depth + 1),
            ]
        if not isinstance(node, ast.Name):
            return []
        found: list[_Origin] = []
        if node.id in scope.keyword_index and node.id not in scope.own_names:
            found.append(_Origin("param", index=scope.keyword_index[node.id], line=_line(read)))
        for binding in scope.lookup(node.id) or []:
            found.extend(self._binding_origins(binding, read, scope, depth + 1))
        return found

    def _binding_origins(
        self, binding: _Binding, read: ast.AST, scope: _Scope, depth: int
    ) -> list[_Origin]:
        owner = self._owner(scope)
        if binding.kind == "value" and binding.value is not None:
            return self.origins(binding.value, read, scope, depth)
        if binding.kind != "iter" or binding.value is None:
            return []
        source, mode = _unwrap_iterable(binding.value)
        line = _line(read)
        if isinstance(source, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.origins(source.elt, read, scope, depth) if binding.index < 0 else []
        if isinstance(source, ast.DictComp):
            if mode == "items" and binding.index == 1 or mode == "values":
                return self.origins(source.value, read, scope, depth)
            return []
        if isinstance(source, ast.Attribute) and source.attr == "__mro__":
            return (
                [_Origin("own", owner=owner, line=line)] if self.own(source.value, scope) else []
            )
        if isinstance(source, ast.Attribute) and source.attr == "__dict__":
            if not self.own(source.value, scope) or not _member_objects(mode, binding.index):
                return []
            names = self._paired_name(binding)
            prefixes = self._filters(names, read, scope) if names else frozenset()
            return [_Origin("lookup", prefixes or None, owner=owner, line=line)]
        if isinstance(source, ast.Call):
            callee = self.callee(source.func, scope)
            if callee == "inspect.getmro" and source.args and self.own(source.args[0], scope):
                return [_Origin("own", owner=owner, line=line)]
            if (
                isinstance(source.func, ast.Attribute)
                and source.func.attr == "mro"
                and self.own(source.func.value, scope)
            ):
                return [_Origin("own", owner=owner, line=line)]
            if callee == "dir":
                return []  # names, not objects
            members = self._member_listing(source, mode, binding.index, scope)
            if members is not None:
                if not members:
                    return []
                names = self._paired_name(binding)
                prefixes = self._filters(names, read, scope) if names else frozenset()
                return [_Origin("lookup", prefixes or None, owner=owner, line=line)]
            helper = self._helper_prefixes(source, scope)
            if helper:
                return [_Origin("lookup", helper, owner=owner, line=line)]
            name = source.func.attr if isinstance(source.func, ast.Attribute) else callee
            if name and "." not in name and name not in _BUILTIN_NAMES:
                return [_Origin("call", name=name, line=line)]
            return []
        if isinstance(source, ast.Name):
            helper = self._container_prefixes(source.id, scope)
            if helper:
                return [_Origin("lookup", helper, owner=owner, line=line)]
            found: list[_Origin] = []
            for inner in scope.lookup(source.id) or []:
                if inner.kind == "value" and isinstance(
                    inner.value, ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp
                ):
                    found.extend(
                        self._binding_origins(
                            _Binding("iter", inner.value, binding.index, binding.loop),
                            read,
                            scope,
                            depth + 1,
                        )
                    )
            return found
        return []

    def _member_listing(
        self, source: ast.Call, mode: str, index: int, scope: _Scope
    ) -> bool | None:
        """For a call listing the members of the instance or class: whether the loop variable
        is a member object (``True``) or not (a name); ``None`` for any other call."""
        callee = self.callee(source.func, scope)
        if callee not in _MEMBER_LISTERS or not source.args or not self.own(source.args[0], scope):
            return None
        if callee == "vars":
            return _member_objects(mode, index)
        return index == 1  # getmembers: (name, member) pairs

    def _paired_name(self, binding: _Binding) -> str:
        """Return the name variable paired with a member (``for name, member in ...``)."""
        target = binding.target
        if binding.index == 1 and isinstance(target, ast.Tuple | ast.List):
            first = target.elts[0]
            if isinstance(first, ast.Name):
                return first.id
        return ""

    def _helper_prefixes(self, call: ast.Call, scope: _Scope) -> frozenset[str]:
        """Return the prefixes a call passes with the instance or class (``accumulateMethods(
        self, d, "opt_")``, ``prefixedMethodNames(self.__class__, "do_")``)."""
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        if not any(self.own(argument, scope) for argument in arguments):
            return frozenset()
        return frozenset(
            text
            for argument in arguments
            if (text := _string(argument)) is not None and _HELPER_PREFIX.fullmatch(text)
        )

    def _container_prefixes(self, name: str, scope: _Scope) -> frozenset[str]:
        """Return the prefixes of a helper call that fills the local container ``name``."""
        found: set[str] = set()
        for node in scope.nodes:
            if isinstance(node, ast.Call) and any(
                isinstance(argument, ast.Name) and argument.id == name for argument in node.args
            ):
                found |= self._helper_prefixes(node, scope)
        return frozenset(found)

    def name_prefixes(self, name: ast.AST, read: ast.AST, scope: _Scope) -> frozenset[str] | None:
        """Return the prefixes a computed attribute name is known to start with, or ``None``."""
        head = constant_prefix(name)
        if head is not None:
            return frozenset({head})
        if not isinstance(name, ast.Name):
            return None
        filters = self._filters(name.id, read, scope)
        if filters:
            return filters
        found: set[str] = set()
        for binding in scope.lookup(name.id) or [_Binding("opaque")]:
            prefixes = self._binding_prefixes(name.id, binding, scope)
            if not prefixes:
                return None
            found |= prefixes
        return frozenset(found) or None

    def _binding_prefixes(self, name: str, binding: _Binding, scope: _Scope) -> frozenset[str]:
        if binding.kind == "value" and binding.value is not None:
            head = constant_prefix(binding.value)
            return frozenset({head}) if head else frozenset()
        if binding.kind != "iter" or binding.value is None:
            return frozenset()
        if isinstance(binding.loop, ast.comprehension):
            found = self._tests_of(binding.loop.ifs, name)
            if found:
                return found
        source, _mode = _unwrap_iterable(binding.value)
        if isinstance(source, ast.Call):
            return self._helper_prefixes(source, scope)
        if isinstance(source, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            element = source.elt
            if isinstance(element, ast.Name):
                return self._tests_of([i for g in source.generators for i in g.ifs], element.id)
            head = constant_prefix(element)
            return frozenset({head}) if head else frozenset()
        if isinstance(source, ast.Name):
            found = self._container_prefixes(source.id, scope)
            if found:
                return found
            for inner in scope.lookup(source.id) or []:
                if inner.kind == "value" and isinstance(
                    inner.value, ast.ListComp | ast.GeneratorExp | ast.SetComp
                ):
                    element = inner.value.elt
                    if isinstance(element, ast.Name):
                        generators = inner.value.generators
                        found |= self._tests_of([i for g in generators for i in g.ifs], element.id)
            return found
        return frozenset()

    def _tests_of(self, tests: Iterable[ast.AST], name: str) -> frozenset[str]:
        found: set[str] = set()
        for test in tests:
            found |= _implied_prefixes(test, name, True)
        return frozenset(found)

    def _filters(self, name: str, read: ast.AST, scope: _Scope) -> frozenset[str]:
        """Return the prefixes that tests on ``name`` guarantee where ``read`` runs."""
        found: set[str] = set()
        child = read
        while child in self.parents and child is not scope.node:
            parent = self.parents[child]
            if isinstance(parent, ast.If | ast.IfExp):
                if child is not parent.test:
                    in_body = (
                        child in parent.body
                        if isinstance(parent, ast.If)
                        else child is parent.body
                    )
                    found |= _implied_prefixes(parent.test, name, in_body)
            elif isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And):
                for value in parent.values:
                    if value is child:
                        break
                    found |= _implied_prefixes(value, name, True)
            elif isinstance(parent, ast.comprehension):
                pass
            elif isinstance(parent, ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp):
                for generator in parent.generators:
                    if name in _names_in(generator.target):
                        found |= self._tests_of(generator.ifs, name)
            if isinstance(child, ast.stmt):
                for block in _blocks(parent):
                    if child in block:
                        for earlier in block[: block.index(child)]:
                            found |= _guard_prefixes(earlier, name)
            child = parent
        return frozenset(found)

    # the evidence

    def run(self) -> None:
        """Compute parameter reads and writes to a fixed point, then each class's evidence."""
        for _round in range(_MAX_FIXPOINT_ROUNDS):
            changed = False
            for scope in self.scopes.values():
                changed |= self._parameter_effects(scope)
            if not changed:
                break
        for scope in self.scopes.values():
            self._class_evidence(scope)

    def _reads_in(self, scope: _Scope) -> Iterator[_Site]:
        """Yield ``(read node, X, evidence)`` for every docstring read of ``X`` in ``scope``,
        helper calls included (``describe(x)`` where ``describe`` reads its parameter's:
        then ``evidence`` is the helper's)."""
        for node in scope.nodes:
            target = self.read_target(node, scope)
            if target is not None:
                if not self.copied_only(node, scope):
                    yield node, target, None
                continue
            if isinstance(node, ast.Call):
                for argument, evidence in self._passed(node, scope, self.param_reads):
                    yield node, argument, evidence

    def _writes_in(self, scope: _Scope) -> Iterator[_Site]:
        """Yield ``(write node, X, evidence)`` for every write of ``X.__doc__`` in ``scope``."""
        for node in scope.nodes:
            target = self.write_target(node, scope)
            if target is not None:
                yield node, target, None
            elif isinstance(node, ast.Call):
                for argument, evidence in self._passed(node, scope, self.param_writes):
                    yield node, argument, evidence

    def _passed(
        self,
        call: ast.Call,
        scope: _Scope,
        effects: dict[Function, dict[int, _Evidence]],
    ) -> Iterator[tuple[ast.AST, _Evidence]]:
        """Yield the arguments of ``call`` whose docstring the called function reads/writes,
        each with the called function's evidence."""
        for function, shift in self._resolve_call(call, scope):
            positions = effects.get(function, {})
            if not positions:
                continue
            called = self.scopes[function]
            for index, argument in enumerate(call.args):
                if isinstance(argument, ast.Starred):
                    break
                if index + shift in positions:
                    yield argument, positions[index + shift]
            for keyword in call.keywords:
                position = called.keyword_index.get(keyword.arg or "", -1)
                if position in positions:
                    yield keyword.value, positions[position]

    def _resolve_call(self, call: ast.Call, scope: _Scope) -> list[tuple[Function, int]]:
        """Return the functions of this module ``call`` runs, each with the index of the
        parameter its first argument goes to (1 for a method or a class's ``__init__``)."""
        func = call.func
        if isinstance(func, ast.Call):  # factory(...)(f): the decorator the factory returns
            return [
                (inner, 0)
                for factory, _shift in self._resolve_call(func, scope)
                for inner in self._returned_functions(self.scopes[factory])
            ]
        if isinstance(func, ast.Name):
            nested = scope.nested_function(func.id)
            if nested is not None:
                return [(nested, 0)]
            if scope.lookup(func.id) is not None:
                return []
            if func.id in self.module_functions:
                return [(self.module_functions[func.id], 0)]
            if func.id in self.class_nodes:
                return [
                    (self.methods[(func.id, name)], 1)
                    for name in ("__init__", "__new__")
                    if (func.id, name) in self.methods
                ]
            return []
        owner = self._owner(scope)
        if isinstance(func, ast.Attribute) and owner is not None and self.own(func.value, scope):
            method = self.methods.get((owner, func.attr))
            return [(method, 1)] if method is not None else []
        return []

    def _returned_functions(self, scope: _Scope) -> list[Function]:
        """Return the functions defined in ``scope`` that it returns (``return decorator``)."""
        return [
            scope.nested[node.value.id]
            for node in scope.nodes
            if isinstance(node, ast.Return)
            and isinstance(node.value, ast.Name)
            and node.value.id in scope.nested
        ]

    def _parameter_effects(self, scope: _Scope) -> bool:
        changed = False
        for effects, sites in (
            (self.param_reads, self._reads_in(scope)),
            (self.param_writes, self._writes_in(scope)),
        ):
            positions = effects.setdefault(scope.node, {})
            for node, target, inherited in list(sites):
                if not isinstance(target, ast.Name):
                    continue
                for origin in self.origins(target, node, scope):
                    if origin.kind != "param" or origin.index in positions:
                        continue
                    positions[origin.index] = inherited or _Evidence(
                        "reads" if effects is self.param_reads else "writes",
                        target.id,
                        _line(node),
                        scope.qualname,
                    )
                    changed = True
        return changed

    def _add_evidence(self, owner: str | None, evidence: _Evidence) -> None:
        if owner is not None:
            self.evidence.setdefault(owner, []).append(evidence)

    def _class_evidence(self, scope: _Scope) -> None:
        owner = self._owner(scope)
        for node, target, _inherited in self._reads_in(scope):
            for origin in self.origins(target, node, scope):
                self._record(origin, scope)
        for node in scope.nodes:
            access = self.namespace_access(node)
            if access is None or owner is None:
                continue
            kind, target = access
            if self._namespace_dict(target, scope):
                if kind == "read" and not self.copied_only(node, scope):
                    self._add_evidence(owner, _Evidence("own", "", _line(node), scope.qualname))
            elif isinstance(target, ast.Name) and target.id in scope.keyword_index:
                if kind == "write" or not self.copied_only(node, scope):
                    evidence = _Evidence(f"ns_{kind}", "", _line(node), scope.qualname)
                    self._add_evidence(owner, evidence)
        if owner is None:
            return
        for node, target, _inherited in self._writes_in(scope):
            if not self.own(target, scope):
                continue
            class_level = (
                isinstance(target, ast.Call | ast.Attribute)
                or (isinstance(target, ast.Name) and target.id == "cls")
                or (scope.kind == "class" and _is_name(target, scope.first))
            )
            kind = "generated" if class_level else "instance_write"
            self._add_evidence(owner, _Evidence(kind, "", _line(node), scope.qualname))

    def _namespace_dict(self, node: ast.AST, scope: _Scope) -> bool:
        """Tell whether ``node`` is ``vars(self)`` or ``self.__dict__`` (the class's dict)."""
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return self.own(node.value, scope)
        if isinstance(node, ast.Call) and self.callee(node.func, scope) == "vars" and node.args:
            return self.own(node.args[0], scope)
        return False

    def _record(self, origin: _Origin, scope: _Scope) -> None:
        if origin.kind == "own":
            self._add_evidence(origin.owner, _Evidence("own", "", origin.line, scope.qualname))
        elif origin.kind == "method":
            evidence = _Evidence("method", origin.name, origin.line, scope.qualname)
            self._add_evidence(origin.owner, evidence)
        elif origin.kind == "lookup":
            self._record_lookup(origin, scope.qualname, origin.line)
        elif origin.kind == "call":
            for linked in self._linked_lookups(origin.name):
                self._record_lookup(linked, scope.qualname, origin.line)

    def _record_lookup(self, origin: _Origin, function: str, line: int) -> None:
        if origin.prefixes is None:
            self._add_evidence(origin.owner, _Evidence("all", "", line, function, origin.via))
            return
        for prefix in sorted(origin.prefixes):
            self._add_evidence(
                origin.owner, _Evidence("prefix", prefix, line, function, origin.via)
            )

    def _linked_lookups(self, name: str) -> list[_Origin]:
        """Return the computed lookups ``getattr(self, ...)`` in the functions called ``name``."""
        if name in self._linked:
            return self._linked[name]
        found: list[_Origin] = []
        self._linked[name] = found
        for scope in self.by_name.get(name, []):
            owner = self._owner(scope)
            if owner is None:
                continue
            for node in scope.nodes:
                if (
                    isinstance(node, ast.Call)
                    and self.callee(node.func, scope) == "getattr"
                    and len(node.args) >= 2
                    and self.own(node.args[0], scope)
                    and _string(node.args[1]) is None
                ):
                    prefixes = self.name_prefixes(node.args[1], node, scope)
                    via = f"looked up in {scope.qualname}, line {node.lineno}"
                    found.append(_Origin("lookup", prefixes, owner=owner, via=via))
        return found

    # the facts kept

    def facts(self, path: str) -> _ModuleFacts:
        """Return the plain facts of the module (see :class:`_ModuleFacts`)."""
        classes = {name: self._class_facts(name, node) for name, node in self.class_nodes.items()}
        callables: dict[str, _CallableFacts] = {}
        for name, function in self.module_functions.items():
            callables[name] = self._decorator_facts(function, 0)
        for name, node in self.class_nodes.items():
            callables[name] = self._class_decorator_facts(name, node)
            for (owner, method), function in self.methods.items():
                if owner == name:
                    shift = 0 if self.scopes[function].kind == "static" else 1
                    callables[f"{name}.{method}"] = self._decorator_facts(function, shift)
        return _ModuleFacts(
            self.module,
            path,
            "",
            classes,
            callables,
            dict(self.aliases),
            tuple(self.star_imports),
        )

    def _class_facts(self, name: str, node: ast.ClassDef) -> _ClassFacts:
        bases: list[str] = []
        odd: list[str] = []
        metaclass = ""
        for base in node.bases:
            if isinstance(base, ast.Call) and (_dotted(base.func) or "").endswith(
                "with_metaclass"
            ):
                if base.args:
                    metaclass = self._base_name(base.args[0]) or metaclass
                for inner in base.args[1:]:
                    resolved = self._base_name(inner)
                    if resolved:
                        bases.append(resolved)
                continue
            resolved = self._base_name(base)
            if resolved:
                bases.append(resolved)
            else:
                odd.append(f"{name}: a base that is not a name (line {base.lineno})")
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                metaclass = self._base_name(keyword.value) or metaclass
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and any(_is_name(t, "__metaclass__") for t in statement.targets)
                and not metaclass
            ):
                metaclass = self._base_name(statement.value)
        documented = tuple(
            (item.name, item.lineno)
            for item in node.body
            if isinstance(item, _FUNCTIONS) and ast.get_docstring(item, clean=False) is not None
        )
        return _ClassFacts(
            name,
            node.lineno,
            tuple(bases),
            tuple(odd),
            metaclass,
            tuple(self.evidence.get(name, ())),
            documented,
        )

    def _base_name(self, node: ast.AST) -> str:
        if isinstance(node, ast.Subscript):  # Generic[T]
            node = node.value
        dotted = _dotted(node)
        return self.qualify(dotted) if dotted is not None else ""

    def _decorator_facts(self, function: Function, position: int) -> _CallableFacts:
        reads = self.param_reads.get(function, {}).get(position)
        writes = self.param_writes.get(function, {}).get(position)
        scope = self.scopes[function]
        for inner in self._inner_functions(scope):
            reads = reads or self.param_reads.get(inner, {}).get(0)
            writes = writes or self.param_writes.get(inner, {}).get(0)
        for node in scope.nodes:  # returns another factory's decorator: return command(name)
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
                for called, shift in self._resolve_call(node.value, scope):
                    for inner in (
                        self._returned_functions(self.scopes[called]) if not shift else ()
                    ):
                        reads = reads or self.param_reads.get(inner, {}).get(0)
                        writes = writes or self.param_writes.get(inner, {}).get(0)
        for node in scope.nodes:  # a factory returning an instance of a decorator class
            if (
                isinstance(node, ast.Return)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id in self.class_nodes
                and (node.value.func.id, "__call__") in self.methods
            ):
                call = self.methods[(node.value.func.id, "__call__")]
                reads = reads or self.param_reads.get(call, {}).get(1)
                writes = writes or self.param_writes.get(call, {}).get(1)
        return _CallableFacts(function.lineno, reads, writes)

    def _inner_functions(self, scope: _Scope) -> list[Function]:
        """Return the functions defined inside ``scope``'s function, at any depth."""
        if self._descendants is None:
            self._descendants = {}
            for other in self.scopes.values():
                parent = other.parent
                while parent is not None:
                    self._descendants.setdefault(parent.node, []).append(other.node)
                    parent = parent.parent
        return self._descendants.get(scope.node, [])

    def _class_decorator_facts(self, name: str, node: ast.ClassDef) -> _CallableFacts:
        reads: _Evidence | None = None
        writes: _Evidence | None = None
        for method in ("__init__", "__new__", "__call__"):
            function = self.methods.get((name, method))
            if function is not None:
                reads = reads or self.param_reads.get(function, {}).get(1)
                writes = writes or self.param_writes.get(function, {}).get(1)
        return _CallableFacts(node.lineno, reads, writes)


def _is_overload(function: Function) -> bool:
    """Tell whether ``function`` is an ``@overload`` stub (the implementation comes later)."""
    return any(
        (_dotted(decorator) or "").rpartition(".")[2] == "overload"
        for decorator in function.decorator_list
    )


def _member_objects(mode: str, index: int) -> bool:
    """Tell whether a loop over a namespace dict binds member objects: ``.values()``, or the
    second of ``.items()``."""
    return (mode == "values" and index < 0) or (mode == "items" and index == 1)


def _line(node: ast.AST) -> int:
    return int(getattr(node, "lineno", 0))


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _blocks(node: ast.AST) -> Iterator[list[ast.stmt]]:
    """Yield the statement lists of a compound statement (bodies, ``else``, handlers)."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(node, "handlers", None) or ():
        yield handler.body
    for case in getattr(node, "cases", None) or ():
        yield case.body


def _unwrap_iterable(node: ast.AST) -> tuple[ast.AST, str]:
    """Return the iterated object and how: ``sorted(d.items())`` -> ``(d, "items")``."""
    mode = ""
    for _step in range(8):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _WRAPPERS
            and node.args
        ):
            node = node.args[0]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("items", "values", "keys")
            and not node.args
        ):
            mode = mode or node.func.attr
            node = node.func.value
        else:
            break
    return node, mode


def _implied_prefixes(test: ast.AST, name: str, holds: bool) -> frozenset[str]:
    """Return the prefixes ``name`` must start with when ``test`` is ``holds``.

    ``name.startswith("do_")`` (a tuple too) and ``name[:3] == "do_"`` when true,
    ``name[:3] != "do_"`` when false; ``not``, ``and`` and ``or`` combine them.
    """
    stack: list[tuple[ast.AST, bool]] = [(test, holds)]
    found: set[str] = set()
    while stack:
        node, truth = stack.pop()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            stack.append((node.operand, not truth))
        elif isinstance(node, ast.BoolOp):
            conjunction = isinstance(node.op, ast.And) == truth
            if conjunction:  # every operand holds (or, negated, fails): any one constrains
                stack.extend((value, truth) for value in node.values)
            else:  # one operand holds: only a constraint from every operand counts
                parts = [_implied_prefixes(value, name, truth) for value in node.values]
                if all(parts):
                    found.update(*parts)
        elif truth and _is_startswith(node, name):
            assert isinstance(node, ast.Call)
            found |= _startswith_constants(node.args[0])
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            equal = isinstance(node.ops[0], ast.Eq)
            if (equal and truth) or (isinstance(node.ops[0], ast.NotEq) and not truth):
                left, right = node.left, node.comparators[0]
                for side, constant in ((left, right), (right, left)):
                    text = _string(constant)
                    if text and _is_head_slice(side, name) and _FILTER_PREFIX.fullmatch(text):
                        found.add(text)
    return frozenset(found)


def _is_startswith(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "startswith"
        and _is_name(node.func.value, name)
        and len(node.args) == 1
    )


def _startswith_constants(node: ast.AST) -> frozenset[str]:
    values = node.elts if isinstance(node, ast.Tuple) else [node]
    texts = [_string(value) for value in values]
    if all(text and _FILTER_PREFIX.fullmatch(text) for text in texts):
        return frozenset(text for text in texts if text)
    return frozenset()


def _is_head_slice(node: ast.AST, name: str) -> bool:
    """Tell whether ``node`` is ``name[:n]`` (or ``name[0:n]``)."""
    if not (isinstance(node, ast.Subscript) and _is_name(node.value, name)):
        return False
    part = node.slice
    return (
        isinstance(part, ast.Slice)
        and (
            part.lower is None or (isinstance(part.lower, ast.Constant) and part.lower.value == 0)
        )
        and part.step is None
    )


def _guard_prefixes(statement: ast.stmt, name: str) -> frozenset[str]:
    """Return the prefixes an ``if TEST: continue`` (or ``return``/``raise``) guard leaves."""
    if (
        isinstance(statement, ast.If)
        and not statement.orelse
        and statement.body
        and isinstance(statement.body[-1], ast.Continue | ast.Return | ast.Raise | ast.Break)
    ):
        return _implied_prefixes(statement.test, name, False)
    return frozenset()


def _analyse_module(data: bytes, module: str, is_package: bool, path: str) -> _ModuleFacts:
    """Return the facts of one module's source; a parse or analysis failure is recorded in
    ``error`` (unknown: no evidence)."""
    try:
        tree = ast.parse(data)
        analysis = _Analysis(tree, module, is_package)
        analysis.run()
        return analysis.facts(path)
    except SyntaxError:
        return _ModuleFacts(module, path, "it could not be parsed (a syntax error)")
    except RecursionError:
        return _ModuleFacts(module, path, "it is nested too deeply to analyse")
    except (ValueError, MemoryError) as error:
        return _ModuleFacts(module, path, f"it could not be parsed ({type(error).__name__})")
    except Exception as error:  # noqa: BLE001 - an odd tree is unknown, never a crash
        return _ModuleFacts(module, path, f"its analysis failed ({type(error).__name__})")


# --- finding library source ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Located:
    facts: _ModuleFacts
    name: str
    root: Path


@dataclasses.dataclass(frozen=True)
class _Missing:
    reason: str
    quiet: bool = False
    """Not reported as unresolved (a builtin, the standard library's C code, a cycle)."""


class _Budget:
    """The files one question may read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.visited: set[str] = set()

    def allow(self, module: str) -> bool:
        if module in self.visited:
            return True
        if len(self.visited) >= self.limit:
            return False
        self.visited.add(module)
        return True


@dataclasses.dataclass
class _Walk:
    classes: list[_Located] = dataclasses.field(default_factory=list)
    names: list[str] = dataclasses.field(default_factory=list)
    metaclasses: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    unresolved: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    is_metaclass: bool = False


class LibraryDocs:
    """Answers questions about libraries' classes and decorators from their source.

    ``environment`` gives the ``site-packages`` directories and the standard library; with
    ``None`` only the running interpreter's standard library is read. At most
    ``max_files`` module files are read per question.
    """

    def __init__(
        self,
        environment: Environment | None,
        *,
        max_files: int = MAX_FILES,
        project_roots: tuple[Path, ...] = (),
        snapshot: Callable[[Path], bytes | None] | None = None,
    ) -> None:
        """Read libraries from ``environment`` (see the class docstring); ``project_roots``
        (import roots of the project itself) are read first, as a library would be;
        ``snapshot`` gives a file's bytes as they were before the run wrote any (``None``:
        read the disk)."""
        self.snapshot = snapshot
        self.environment = environment
        self.max_files = max_files
        self.stdlib = environment.stdlib if environment is not None else running_stdlib()
        site = environment.site_packages if environment is not None else ()
        self.site_packages: tuple[Path, ...] = tuple(site)
        self.roots: tuple[Path, ...] = (
            *project_roots,
            *((self.stdlib,) if self.stdlib is not None else ()),
            *self.site_packages,
            *_pth_directories(self.site_packages),
        )
        self._facts: dict[tuple[str, str], tuple[tuple[int, int], _ModuleFacts]] = {}
        self._class_uses: dict[str, ClassDocUse] = {}
        self._labels: dict[str, str] = {}
        self._distributions: tuple[tuple[str, str, Path], ...] | None = None

    # the questions

    def class_use(self, qualified_name: str) -> ClassDocUse:
        """Tell what the class ``qualified_name`` and its bases do with docstrings.

        With a ``snapshot`` (a run: its own writes must not change the answers) each class is
        answered once; without one, answers follow the files as they change."""
        known = self._class_uses.get(qualified_name) if self.snapshot is not None else None
        if known is not None:
            return known
        try:
            found = self._class_use(qualified_name)
        except (OSError, InputError, ValueError, RecursionError, MemoryError) as error:
            note = f"{qualified_name}: not analysed ({type(error).__name__})"
            found = ClassDocUse(qualified_name, False, unresolved=(qualified_name,), notes=(note,))
        if self.snapshot is not None:
            self._class_uses[qualified_name] = found
        return found

    def decorator_use(self, qualified_name: str) -> DecoratorDocUse:
        """Tell whether the decorator ``qualified_name`` reads or writes what it decorates'
        docstring."""
        try:
            return self._decorator_use(qualified_name)
        except (OSError, InputError, ValueError, RecursionError, MemoryError) as error:
            note = f"{qualified_name}: not analysed ({type(error).__name__})"
            return DecoratorDocUse(qualified_name, False, notes=(note,))

    def _class_use(self, qualified_name: str) -> ClassDocUse:
        budget = _Budget(self.max_files)
        walk = self._walk(qualified_name, budget)
        if not walk.classes:
            return ClassDocUse(
                qualified_name,
                False,
                unresolved=tuple(walk.unresolved),
                notes=tuple(walk.notes),
            )
        start = walk.classes[0]
        found: dict[str, DocReader | None] = {"own": None, "generated": None, "all": None}
        prefixes: dict[str, DocReader] = {}
        methods: dict[str, DocReader] = {}
        role = "self-meta" if walk.is_metaclass else "class"
        layers: list[tuple[_Located, str, str]] = [(item, role, "") for item in walk.classes]
        seen_meta: set[str] = set()
        for metaclass, user in walk.metaclasses:
            if metaclass in seen_meta:
                continue
            seen_meta.add(metaclass)
            meta_walk = self._walk(metaclass, budget)
            layers.extend((item, "metaclass", user) for item in meta_walk.classes)
            walk.unresolved.extend(meta_walk.unresolved)
            walk.notes.extend(meta_walk.notes)
        for located, layer_role, user in layers:
            for evidence in self._class(located).evidence:
                kind = _kind_for(evidence.kind, layer_role)
                if kind is None:
                    continue
                reader = DocReader(
                    self._what(kind, evidence, located, layer_role, user),
                    self._where(located, evidence.line),
                )
                if kind == "prefix":
                    prefixes.setdefault(evidence.value, reader)
                elif kind == "method":
                    methods.setdefault(evidence.value, reader)
                elif found[kind] is None:
                    found[kind] = reader
        documented: dict[str, str] = {}
        for located in walk.classes:
            for name, line in self._class(located).documented:
                documented.setdefault(name, self._where(located, line))
        return ClassDocUse(
            qualified_name,
            True,
            self._where(start, self._class(start).line),
            found["own"],
            found["generated"],
            tuple(prefixes.items()),
            tuple(methods.items()),
            found["all"],
            documented,
            tuple(dict.fromkeys(walk.names)),
            tuple(dict.fromkeys(walk.unresolved)),
            tuple(dict.fromkeys(walk.notes)),
        )

    def _decorator_use(self, qualified_name: str) -> DecoratorDocUse:
        budget = _Budget(self.max_files)
        located = self._find(qualified_name, budget, "callables", set())
        if isinstance(located, _Missing):
            return DecoratorDocUse(qualified_name, False, notes=(located.reason,))
        facts = located.facts.callables[located.name]
        reads = generated = None
        if facts.reads is not None:
            reads = DocReader(
                f"{qualified_name} reads the docstring of what it decorates "
                f"(in {facts.reads.function})",
                self._where(located, facts.reads.line),
            )
        if facts.writes is not None:
            generated = DocReader(
                f"{qualified_name} writes the __doc__ of what it decorates, a generated "
                f"docstring (in {facts.writes.function})",
                self._where(located, facts.writes.line),
            )
        return DecoratorDocUse(
            qualified_name, True, self._where(located, facts.line), reads, generated
        )

    def _what(
        self, kind: str, evidence: _Evidence, located: _Located, role: str, user: str
    ) -> str:
        owner = f"{located.facts.module}.{located.name}"
        if role == "class" or kind not in ("own", "generated"):
            return _what_text(kind, owner, evidence)
        where = f"in {evidence.function}"
        maker = f"the metaclass {owner}" + (f" of {user}" if role == "metaclass" else "")
        if kind == "own":
            return f"{maker} reads the docstring of each class it makes ({where})"
        return (
            f"{maker} writes the __doc__ of each class it makes, a generated docstring ({where})"
        )

    # walking a class's ancestry

    def _class(self, located: _Located) -> _ClassFacts:
        return located.facts.classes[located.name]

    def _walk(self, start: str, budget: _Budget) -> _Walk:
        walk = _Walk()
        queue = deque([start])
        seen: set[str] = set()
        canonical: set[str] = set()
        while queue and len(walk.classes) < MAX_CLASSES:
            name = queue.popleft()
            if name in seen:
                continue
            seen.add(name)
            if name == "builtins.type":
                walk.is_metaclass = True
                continue
            if name.startswith("builtins.") or name == "object":
                continue
            located = self._find(name, budget, "classes", set())
            if isinstance(located, _Missing):
                if not located.quiet:
                    walk.unresolved.append(name)
                    walk.notes.append(f"{name}: {located.reason}")
                continue
            qualified = f"{located.facts.module}.{located.name}"
            walk.names.extend((name, qualified))
            if qualified in canonical:
                continue
            canonical.add(qualified)
            facts = self._class(located)
            walk.classes.append(located)
            walk.notes.extend(facts.odd_bases)
            queue.extend(facts.bases)
            if facts.metaclass:
                walk.metaclasses.append((facts.metaclass, qualified))
        if queue:
            walk.notes.append(f"{start}: only the first {MAX_CLASSES} classes were followed")
        return walk

    def _find(self, name: str, budget: _Budget, table: str, seen: set[str]) -> _Located | _Missing:
        """Find the class (``table="classes"``) or decorator (``"callables"``) ``name``."""
        if name in seen:
            return _Missing("its imports go round in a cycle", quiet=True)
        if len(seen) > _MAX_NAMES_PER_LOOKUP:
            return _Missing(f"not found within {_MAX_NAMES_PER_LOOKUP} re-exports")
        seen.add(name)
        parts = name.split(".")
        if not all(part.isidentifier() for part in parts):
            return _Missing("not a qualified name")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            rest = ".".join(parts[cut:])
            loaded = self._load(module, budget)
            if loaded is None:
                continue
            if isinstance(loaded, _Missing):
                return loaded
            facts, root = loaded
            if facts.error:
                return _Missing(f"{facts.path}: {facts.error}")
            entries: dict[str, _ClassFacts] | dict[str, _CallableFacts] = (
                facts.classes if table == "classes" else facts.callables
            )
            if rest in entries:
                return _Located(facts, rest, root)
            head, dot, tail = rest.partition(".")
            if head in facts.aliases:
                return self._find(f"{facts.aliases[head]}{dot}{tail}", budget, table, seen)
            for star in facts.star_imports:
                found = self._find(f"{star}.{rest}", budget, table, seen)
                if isinstance(found, _Located):
                    return found
            if table == "classes" and rest in facts.callables:
                return _Missing(f"not a class in {facts.path} (a function or a method)")
            return _Missing(f"not defined in {facts.path}")
        return _Missing("no Python source found for it")

    def _load(self, module: str, budget: _Budget) -> tuple[_ModuleFacts, Path] | _Missing | None:
        """Return the facts of ``module`` and its root; ``None`` if there is no such module."""
        where = self._module_file(module)
        if where is None:
            return None
        if isinstance(where, _Missing):
            return where
        path, root, is_package = where
        if not budget.allow(module):
            return _Missing(f"the limit of {self.max_files} files per question was reached")
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return _Missing("its source could not be read")
        stamp = (status.st_size, status.st_mtime_ns)
        key = (str(path), module)
        memo = self._facts.get(key)
        if memo is not None and memo[0] == stamp:
            return memo[1], root
        relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            held = self.snapshot(path) if self.snapshot is not None else None
            data = held if held is not None else read_input(path, MAX_SOURCE_SIZE)
        except (OSError, InputError) as error:
            facts = _ModuleFacts(module, relative, f"it was not read ({error})")
        else:
            facts = _analyse_module(data, module, is_package, relative)
        self._facts[key] = (stamp, facts)
        return facts, root

    def _module_file(self, module: str) -> tuple[Path, Path, bool] | _Missing | None:
        parts = module.split(".")
        for root in self.roots:
            base = root.joinpath(*parts)
            try:
                if (base / "__init__.py").is_file():
                    return base / "__init__.py", root, True
                module_file = base.with_name(f"{parts[-1]}.py")
                if module_file.is_file():
                    return module_file, root, False
            except (OSError, ValueError):
                continue
        if len(parts) == 1 and parts[0] in sys.builtin_module_names:
            return _Missing("built into Python (C code)", quiet=True)
        if self.stdlib is not None and _compiled(self.stdlib / "lib-dynload", parts[-1]):
            return _Missing("a C extension of the standard library", quiet=True)
        for root in self.roots:
            if _compiled(root.joinpath(*parts[:-1]), parts[-1]):
                return _Missing("a compiled extension module: no source to read")
        return None

    # naming where evidence is

    def _where(self, located: _Located, line: int) -> str:
        return f"{self._label(located)}, {located.facts.path}:{line}"

    def _label(self, located: _Located) -> str:
        if self.stdlib is not None and located.root == self.stdlib:
            return f"the standard library {self._stdlib_version()}"
        top = located.facts.module.partition(".")[0]
        if top not in self._labels:
            self._labels[top] = self._distribution_of(top)
        return self._labels[top]

    def _stdlib_version(self) -> str:
        assert self.stdlib is not None
        match = re.fullmatch(r"(?:python|pypy)(\d+\.\d+)t?", self.stdlib.name)
        if match:
            return match.group(1)
        if self.environment is not None and self.environment.python_version is not None:
            major, minor = self.environment.python_version
            return f"{major}.{minor}"
        return f"{sys.version_info[0]}.{sys.version_info[1]}"

    def _distribution_of(self, top: str) -> str:
        """Name the distribution that installs the top-level module ``top``."""
        if self._distributions is None:
            self._distributions = tuple(
                (item.name, item.version, item.path)
                for directory in self.site_packages
                for item in installed_distributions(directory)
            )
        wanted = _normalized(top)
        for name, version, _path in self._distributions:
            if _normalized(name) == wanted:
                return f"{name} {version}"
        for name, version, path in self._distributions:
            if top in _metadata_lines(path / "top_level.txt"):
                return f"{name} {version}"
        for name, version, path in self._distributions[:_MAX_RECORDS]:
            for line in _metadata_lines(path / "RECORD"):
                if line.startswith((f"{top}/", f"{top}.py,", f"{top}.")):
                    return f"{name} {version}"
        return f"{top} (no distribution found)"


def _kind_for(kind: str, role: str) -> str | None:
    """Map a finding's kind to the answer's field, for a class (``class``), a metaclass
    asked about itself (``self-meta``) or the metaclass of the class asked (``metaclass``)."""
    if kind in ("own", "generated", "prefix", "method", "all"):
        return kind
    if role == "class":
        return None
    return {"instance_write": "generated", "ns_write": "generated", "ns_read": "own"}.get(kind)


def _what_text(kind: str, owner: str, evidence: _Evidence) -> str:
    where = f"in {evidence.function}" + (f"; {evidence.via}" if evidence.via else "")
    if kind == "own":
        return f"{owner} reads the docstring of each subclass ({where})"
    if kind == "generated":
        return f"{owner} writes the __doc__ of each subclass, a generated docstring ({where})"
    if kind == "prefix":
        return f"{owner} reads the docstrings of its {evidence.value}* methods ({where})"
    if kind == "method":
        return f"{owner} reads the docstring of its method {evidence.value} ({where})"
    return (
        f"{owner} reads its methods' docstrings by a computed name that no prefix narrows "
        f"({where})"
    )


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_lines(path: Path) -> list[str]:
    try:
        data = read_input(path, MAX_METADATA_SIZE)
    except (OSError, InputError):
        return []
    return [line.strip() for line in data.decode("utf-8", "replace").splitlines()]


def _compiled(directory: Path, name: str) -> bool:
    """Tell whether ``directory`` holds an extension module ``name`` (``name.*.so``)."""
    try:
        return any(
            any(directory.glob(pattern))
            for pattern in (f"{name}.so", f"{name}.*.so", f"{name}.pyd", f"{name}.*.pyd")
        )
    except (OSError, ValueError):
        return False


def _pth_directories(site_packages: tuple[Path, ...]) -> list[Path]:
    """Return the directories ``*.pth`` files add to ``sys.path`` (editable installs)."""
    found: list[Path] = []
    for directory in site_packages:
        try:
            files = sorted(directory.glob("*.pth"))[:_MAX_PTH_FILES]
        except (OSError, ValueError):
            continue
        for file in files:
            for line in _metadata_lines(file):
                if not line or line.startswith(("#", "import ", "import\t")):
                    continue
                path = directory / line
                try:
                    if path.is_dir() and path not in found:
                        found.append(path)
                except (OSError, ValueError):
                    continue
    return found
