"""Who reads a definition's docstring at run time: evidence from the project and its libraries.

Documentation tools (``help()``, pydoc, Sphinx) are a stub's intended readers. A program
whose behaviour or output depends on a docstring is not: a command line's help, an API
schema, an RPC answer, a test's description. There a stub is not a safe fix. Nor may a stub
replace a docstring that exists at run time: one a decorator or base class generates (a
dataclass's signature), or one an undocumented override inherits from a documented base
(``inspect.getdoc`` shows it).

A class's ancestry is walked base by base, each base found where it is defined:

* in the project, through the project index (:mod:`codemods.project_index`): what each
  class's own code reads of docstrings (``self.__doc__``, ``getattr(self, "do_" + name)``
  ...) and which of its methods are documented;
* in a library, from its source in the project's environment (:mod:`codemods.library_docs`:
  read as text, never imported), or the standard library of the running Python;
* in :data:`KNOWN_READERS`, a small table for what must work without an environment (test
  case classes, generated docstrings, model classes whose docstring becomes a schema).

A base found nowhere is *unknown*. Every answer is a :class:`Reader` naming what reads the
docstring and where; test methods of unittest-style classes are held back as an unsafe fix
(opt in with ``--unsafe-fixes``), every other reader's stub is never made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, Protocol

from codemods.docreaders import ClassDocReads
from codemods.project_index import ClassInfo, ProjectIndex

UNITTEST_READER = (
    "unittest shows a test method's first docstring line as the test's description "
    "(TestCase.shortDescription: 'python -m unittest -v', runners that name or sort tests "
    "by it)"
)


@dataclasses.dataclass(frozen=True)
class KnownReader:
    """A row of the built-in table: classes whose docstrings a library reads or makes."""

    bases: frozenset[str]
    """Qualified names of the library's classes (a subclass, at any depth, counts)."""
    what: str
    """What the library does with the docstring (for the reason)."""
    reads: str
    """``class``: the subclass's own docstring; ``generated``: the library makes one;
    ``test-methods``: ``test*`` methods (a unittest-style loader's)."""
    before: tuple[int, int] | None = None
    """Only on Pythons older than this (the standard library changed)."""


TEST_CASE_BASES = frozenset(
    {
        "unittest.TestCase",
        "unittest.case.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
        "twisted.trial.unittest.TestCase",
        "twisted.trial.unittest.SynchronousTestCase",
        "testtools.TestCase",
        "testtools.testcase.TestCase",
        "oslotest.base.BaseTestCase",
        "django.test.TestCase",
        "django.test.SimpleTestCase",
        "django.test.TransactionTestCase",
        "django.test.LiveServerTestCase",
    }
)
"""unittest's test case classes and the best-known subclasses from libraries, for a project
whose environment is not available; with one, a library's class is followed to unittest."""

KNOWN_READERS: tuple[KnownReader, ...] = (
    KnownReader(TEST_CASE_BASES, UNITTEST_READER, "test-methods"),
    KnownReader(
        frozenset({"typing.NamedTuple"}),
        "typing.NamedTuple generates the class docstring ('Point(x, y)')",
        "generated",
    ),
    KnownReader(
        frozenset({"enum.Enum", "enum.IntEnum", "enum.Flag", "enum.IntFlag"}),
        "enum gives an undocumented Enum the docstring 'An enumeration.' before Python 3.11",
        "generated",
        before=(3, 11),
    ),
    KnownReader(
        frozenset(
            {
                "pydantic.BaseModel",
                "pydantic.main.BaseModel",
                "pydantic.v1.BaseModel",
                "pydantic.v1.main.BaseModel",
                "sqlmodel.SQLModel",
            }
        ),
        "pydantic puts a model's docstring in its JSON schema ('description'), which APIs serve",
        "class",
    ),
)
"""What must be known without the project's environment. Each row is tested."""

GENERATING_DECORATORS = {
    "dataclasses.dataclass": "dataclasses.dataclass generates the class docstring (its signature)",
    "pydantic.dataclasses.dataclass": "pydantic's dataclass generates the class docstring",
}
"""Class decorators that give an undocumented class a docstring (found in the standard
library's own source too, when it is read: :mod:`codemods.library_docs`)."""


@dataclasses.dataclass(frozen=True)
class Reader:
    """Who reads (or makes) a docstring at run time, and where that is."""

    what: str
    """What happens to the docstring."""
    where: str
    """The class, module and line (or the table) the evidence is from."""
    unsafe: bool = False
    """The stub is an unsafe fix, held back unless asked for; otherwise it is never made."""

    def reason(self, name: str) -> str:
        """Return the one-line reason for ``name``'s held-back stub."""
        return f"{name}: {self.what} ({self.where})"


class LibraryEvidence(Protocol):
    """What :class:`DocstringModel` asks of a library reader (:mod:`codemods.library_docs`)."""

    def class_use(self, qualified_name: str) -> Any:
        """Describe what the library class ``qualified_name`` reads of docstrings."""

    def decorator_use(self, qualified_name: str) -> Any:
        """Describe what the library decorator ``qualified_name`` reads or makes."""


@dataclasses.dataclass
class Ancestry:
    """A class's bases at every depth, each where it was found."""

    project: list[ClassInfo] = dataclasses.field(default_factory=list)
    library: list[tuple[str, Any]] = dataclasses.field(default_factory=list)
    """``(name, class use)`` of each base read from a library's source."""
    names: set[str] = dataclasses.field(default_factory=set)
    """Every qualified name met, libraries' ancestors included."""
    unknown: list[str] = dataclasses.field(default_factory=list)
    """Bases found nowhere."""


class DocstringModel:
    """Answers, for one file, who reads the docstring of a class or method defined in it."""

    def __init__(
        self,
        module: str,
        index: ProjectIndex | None,
        library: LibraryEvidence | None,
        python_version: tuple[int, int],
    ) -> None:
        """Answer for ``module`` of ``index``'s project, with ``library`` for the rest."""
        self.module = module
        self.index = index
        self.library = library
        self.python_version = python_version
        self._ancestries: dict[tuple[str, ...], Ancestry] = {}

    def ancestry(self, bases: tuple[str, ...]) -> Ancestry:
        """Walk ``bases`` (qualified names) and their own bases, once per tuple."""
        if bases not in self._ancestries:
            self._ancestries[bases] = self._walk(bases)
        return self._ancestries[bases]

    def _walk(self, bases: tuple[str, ...]) -> Ancestry:
        found = Ancestry()
        pending = list(bases)
        while pending and len(found.names) < 200:
            name = pending.pop(0)
            if name in found.names or name in ("object", "builtins.object"):
                continue
            found.names.add(name)
            info = self._project_class(name)
            if info is not None:
                found.project.append(info)
                pending.extend(info.bases)
                # a project installed in site-packages (or a vendored library) is also read
                # as library source: its readers by prefix may sit in another class
                use = self._library_class(name)
                if use is not None:  # its reads only: documented methods come from the
                    found.library.append((name, _reads_only(use)))  # index, read up front
                continue
            use = self._library_class(name)
            if use is not None:
                found.library.append((name, use))
                found.names.update(getattr(use, "ancestors", ()))
                found.unknown.extend(getattr(use, "unresolved", ()))
                continue
            found.unknown.append(name)
        return found

    def _test_case_subclass(self, owner: str | None) -> str | None:
        """Return a project class that inherits ``owner`` and is a unittest-style test case
        (a mixin of test methods: unittest collects them through the subclass)."""
        if owner is None or self.index is None:
            return None
        try:
            subclasses = sorted(self.index._subclasses(owner) - {owner})
        except (OSError, ValueError, RecursionError):
            return None
        for subclass in subclasses[:50]:
            info = self._project_class(subclass)
            if info is not None and any(self._rows(self.ancestry(info.bases), "test-methods")):
                return subclass
        return None

    def _project_class(self, name: str) -> ClassInfo | None:
        if self.index is None or "." not in name:
            return None
        try:
            return self.index._class(name)
        except (OSError, ValueError, RecursionError):
            return None

    def _library_class(self, name: str) -> Any:
        if self.library is None or "." not in name:
            return None
        try:
            use = self.library.class_use(name)
        except (OSError, ValueError, RecursionError):
            return None
        return use if getattr(use, "found", True) else None

    def _rows(self, ancestry: Ancestry, reads: str) -> Iterator[tuple[KnownReader, str]]:
        for row in KNOWN_READERS:
            if row.reads != reads:
                continue
            if row.before is not None and self.python_version >= row.before:
                continue
            for name in sorted(ancestry.names & row.bases):
                yield row, name

    def class_reader(self, bases: tuple[str, ...], decorators: tuple[str, ...]) -> Reader | None:
        """Return who reads or makes the docstring of a class with these bases and decorators."""
        for decorator in decorators:
            if decorator in GENERATING_DECORATORS:
                return Reader(GENERATING_DECORATORS[decorator], "the built-in table")
            use = self._library_decorator(decorator)
            reader = _reader_of(use, "generated") or _reader_of(use, "reads")
            if reader is not None:
                return reader
        ancestry = self.ancestry(bases)
        for reads in ("generated", "class"):
            for row, name in self._rows(ancestry, reads):
                return Reader(row.what, f"{name}, the built-in table")
        for info in ancestry.project:
            facts = ClassDocReads.from_facts(info.doc_reads)
            if facts.own:
                return Reader(
                    f"{info.name} reads its subclasses' docstrings (self.__doc__ or alike)",
                    f"{_module_path(info.name)}:{facts.line}",
                )
            metaclass = _metaclass(info.doc_reads)
            if metaclass:
                reader = self._metaclass_reader(metaclass)
                if reader is not None:
                    return reader
        for _name, use in ancestry.library:
            for field in ("generated", "own"):
                reader = _reader_of(use, field)
                if reader is not None:
                    return reader
        return None

    def _metaclass_reader(self, metaclass: str) -> Reader | None:
        info = self._project_class(metaclass)
        if info is not None:
            facts = ClassDocReads.from_facts(info.doc_reads)
            if facts.own:
                return Reader(
                    f"the metaclass {info.name} reads the docstrings of its classes",
                    f"{_module_path(info.name)}:{facts.line}",
                )
            return None
        use = self._library_class(metaclass)
        return _reader_of(use, "own") if use is not None else None

    def _library_decorator(self, decorator: str) -> Any:
        if self.library is None or "." not in decorator:
            return None
        try:
            return self.library.decorator_use(decorator)
        except (OSError, ValueError, RecursionError):
            return None

    def method_reader(
        self, bases: tuple[str, ...], name: str, owner: str | None = None
    ) -> Reader | None:
        """Return who reads the docstring of a method ``name`` of a class with ``bases``
        (``owner``: the class's qualified name, to find its subclasses in the project)."""
        ancestry = self.ancestry(bases)
        is_test = name.startswith("test")
        if is_test:
            for row, base in self._rows(ancestry, "test-methods"):
                return Reader(row.what, f"a subclass of {base}", unsafe=True)
            mixed_into = self._test_case_subclass(owner)
            if mixed_into is not None:
                return Reader(
                    UNITTEST_READER, f"its class is mixed into {mixed_into}", unsafe=True
                )
            if ancestry.unknown:
                return Reader(
                    f"a unittest-style runner may show it as the test's description: the base "
                    f"{ancestry.unknown[0]} was found neither in the project nor in its "
                    "environment",
                    "unknown base class",
                    unsafe=True,
                )
        for info in ancestry.project:
            facts = ClassDocReads.from_facts(info.doc_reads)
            where = f"{_module_path(info.name)}:{facts.line}"
            if name in facts.methods:
                return Reader(f"{info.name} reads this method's docstring", where)
            prefix = next((p for p in sorted(facts.prefixes) if name.startswith(p)), None)
            if prefix is not None:
                return Reader(f"{info.name} reads the docstrings of its {prefix}* methods", where)
            if facts.all_methods:
                return Reader(f"{info.name} reads its methods' docstrings by computed name", where)
        for info in ancestry.project:
            if name in info.documented:
                return Reader(
                    f"it overrides {info.name}.{name}, whose docstring inspect.getdoc and "
                    "help() show for it; a stub would replace that text",
                    _module_path(info.name),
                )
        # unittest's TestCase reads the docstring of the method it runs, named by a
        # parameter: the table's row (test* methods) says which; its computed read does not
        test_case = any(True for _ in self._rows(ancestry, "test-methods"))
        for _base, use in ancestry.library:
            reader = _method_reader_of(use, name, computed=not test_case)
            if reader is not None:
                return reader
        return None


def _reader_of(use: Any, field: str) -> Reader | None:
    """Turn a library answer's ``field`` (a ``DocReader``-like object) into a Reader."""
    found = getattr(use, field, None) if use is not None else None
    if found is None or found is False:
        return None
    return Reader(str(getattr(found, "what", field)), str(getattr(found, "where", "a library")))


def _method_reader_of(use: Any, name: str, *, computed: bool = True) -> Reader | None:
    """Return the library's reader of method ``name``'s docstring, if its answer names one
    (``computed``: also a read by a computed name that no prefix narrows)."""
    for method, found in getattr(use, "methods", ()):
        if name == method:
            return Reader(str(found.what), str(found.where))
    for prefix, found in getattr(use, "method_prefixes", ()):
        if name.startswith(prefix):
            return Reader(str(found.what), str(found.where))
    documented = getattr(use, "documented_methods", {})
    if name in documented:
        where = documented[name]
        return Reader(
            "it overrides a method the library documents, whose docstring inspect.getdoc "
            "and help() show for it; a stub would replace that text",
            str(where),
        )
    return _reader_of(use, "all_methods") if computed else None


def _reads_only(use: Any) -> Any:
    """Keep what a library answer says about reads, not what it says is documented or
    generated: for the project's own classes those come from the project index, which
    holds the files as they were before ``apply`` wrote any (the library reader reads the
    disk as it is now)."""
    if not dataclasses.is_dataclass(use) or isinstance(use, type):
        return use
    fields = {field.name for field in dataclasses.fields(use)}
    changes: dict[str, Any] = {}
    if "documented_methods" in fields:
        changes["documented_methods"] = {}
    if "generated" in fields:
        changes["generated"] = None
    return dataclasses.replace(use, **changes)


def _metaclass(facts: tuple[str, ...]) -> str:
    return next((f.partition(":")[2] for f in facts if f.startswith("metaclass:")), "")


def _module_path(qualified: str) -> str:
    return qualified.rpartition(".")[0].replace(".", "/") + ".py"
