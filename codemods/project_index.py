"""What a project defines, read from the ``ast`` of its files: classes, their bases and methods.

A codemod that writes calls (``resize-guard``'s cleanup) must only write calls that exist. The
index answers that for the project a file belongs to, found by :func:`project_root`: the
directory its imports are resolved from. That is the top-level package holding it (the highest
directory up the tree that has an ``__init__.py``) or the file's own directory -- unless the
file's absolute imports say its modules are named from higher up, as in an implicit namespace
package (PEP 420: ``tests/functional`` without ``__init__.py``, imported as
``tests.functional.base``).

* :meth:`ProjectIndex.defines` -- does this class, or one of its bases within the project,
  define that method?
* :meth:`ProjectIndex.defines_anywhere` -- does any class of the project define it?
* :meth:`ProjectIndex.expected_failure` -- is this function called where its failure is the
  caller's expectation (inside ``assertRaises(...)``, ``with self.assertRaises(...)``, or a
  ``try`` that handles what it raises)?

Each file's part is built from one ``ast.parse``, only when a question needs that file, and
kept by the file's digest (in this process, and across runs in the cache directory).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from codemods import index_store
from codemods.astutil import TRY_NODES, is_name, last_name
from codemods.discovery import DEFAULT_EXCLUDES
from codemods.docreaders import class_doc_facts, may_read_docstrings

RAISES_HELPERS = frozenset(
    {"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "raises", "ExpectedException"}
)
"""Last names of the helpers whose failure is the test's expectation."""


@dataclasses.dataclass(frozen=True)
class ClassInfo:
    """One class: its qualified name, its bases as written (resolved where imports say)."""

    name: str
    bases: tuple[str, ...]
    methods: frozenset[str]
    documented: frozenset[str] = frozenset()
    """Its methods that have a docstring (``inspect.getdoc`` shows it for an override)."""
    doc_reads: tuple[str, ...] = ()
    """What its own code reads of docstrings (:func:`codemods.docreaders.class_doc_facts`):
    ``own``, ``all``, ``method:NAME``, ``prefix:PREFIX``, ``line:N`` (the first read)."""


@dataclasses.dataclass(frozen=True)
class FileIndex:
    """What one module defines and where its functions are expected to fail."""

    classes: tuple[ClassInfo, ...]
    expected_failures: tuple[tuple[str | None, str, int], ...]
    """``(caller's class, function name, line)`` of each call whose failure the caller
    expects; the class is set when the call is ``self.name(...)`` in a method."""


class Project:
    """One project's files on disk, each read and indexed only when a question needs it.

    A question names a method, a function or a class; only the files whose bytes contain
    that name can answer it (a file defining ``cleanup`` spells ``cleanup``), so only those
    are parsed. Checking one Nova file parses a handful of files instead of 1,508.
    """

    def __init__(self, root: Path, prefix: str) -> None:
        """List the project's files (module name -> path; a name two files share is dropped)."""
        self.root = root
        self.prefix = prefix
        on_disk = _project_files(root)
        self.fingerprint = _fingerprint(on_disk)
        self.paths: dict[str, Path] = {}
        seen: set[str] = set()
        for path, relative, _ in on_disk:
            module = ".".join(
                part for part in (prefix, *PurePosixPath(relative).with_suffix("").parts) if part
            ).removesuffix(".__init__")
            if module in seen:  # two files, one name: neither can be trusted to be the import
                self.paths.pop(module, None)
                continue
            seen.add(module)
            self.paths[module] = path
        self._data: dict[str, bytes | None] = {}
        self._indexes: dict[str, FileIndex | None] = {}

    def data(self, module: str) -> bytes | None:
        """Return the bytes of a module's file (``None``: not readable)."""
        if module not in self._data:
            try:
                self._data[module] = self.paths[module].read_bytes()
            except OSError:
                self._data[module] = None
        return self._data[module]

    def read_all(self) -> None:
        """Read every file now (in the main process, to hand the bytes to every worker)."""
        for module in self.paths:
            self.data(module)
        self.read_before = {path.resolve(): module for module, path in self.paths.items()}

    read_before: dict[Path, str] | None = None
    """After :meth:`read_all`: each file's module; its bytes are those read then."""

    def snapshot(self, path: Path) -> bytes | None:
        """Return ``path``'s bytes as :meth:`read_all` read them (``None``: not read so)."""
        module = self.read_before.get(path) if self.read_before is not None else None
        return self._data.get(module) if module is not None else None

    def index(self, module: str) -> FileIndex | None:
        """Return a module's index (``None``: no such file, unreadable or not Python)."""
        if module not in self._indexes:
            data = self.data(module) if module in self.paths else None
            is_package = data is not None and self.paths[module].name == "__init__.py"
            self._indexes[module] = (
                None if data is None else _file_index(module, data, is_package=is_package)
            )
        return self._indexes[module]

    def modules_naming(self, name: str) -> list[str]:
        """Return, sorted, the modules whose file may mention ``name`` (all, for non-ASCII)."""
        if not name.isascii():
            return sorted(self.paths)
        needle = name.encode("ascii")
        return sorted(m for m in self.paths if needle in (self.data(m) or b""))


class ProjectIndex:
    """The classes and expected failures of a project, with one file as the codemods see it."""

    def __init__(
        self, project: Project | None, module: str, own: FileIndex | None, text: str
    ) -> None:
        """Answer for ``project`` with ``module``'s index taken from its current ``text``."""
        self.project = project
        self.module = module
        self.own = own
        self.text = text
        self.fingerprint = project.fingerprint if project is not None else ""

    def _index(self, module: str) -> FileIndex | None:
        if module == self.module:
            return self.own
        return self.project.index(module) if self.project is not None else None

    def _modules_naming(self, name: str) -> list[str]:
        modules = self.project.modules_naming(name) if self.project is not None else []
        modules = [module for module in modules if module != self.module]
        if not name.isascii() or name in self.text:
            modules.append(self.module)
        return sorted(modules)

    def _class(self, name: str) -> ClassInfo | None:
        index = self._index(name.rpartition(".")[0])
        if index is None:
            return None
        return next((info for info in index.classes if info.name == name), None)

    def defines(self, class_name: str, method: str) -> bool | None:
        """Tell whether the class or a base in the project defines ``method``.

        ``None`` when it is not found but some base lies outside the project (so the answer
        is not known); ``False`` when every base is in the project and none defines it.
        """
        seen: set[str] = set()
        pending = [class_name]
        unknown = False
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            info = self._class(name)
            if info is None:
                unknown = unknown or name != "object"
                continue
            if method in info.methods:
                return True
            pending.extend(info.bases)
        return None if unknown else False

    def defines_anywhere(self, method: str) -> bool:
        """Tell whether any class of the project defines ``method``."""
        return any(
            method in info.methods
            for module in self._modules_naming(method)
            for info in getattr(self._index(module), "classes", ())
        )

    def expected_failure(self, function: str, owner: str | None) -> tuple[str, int] | None:
        """Return ``(path, line)`` of a call where ``function``'s failure is expected.

        ``owner`` is the class ``function`` is a method of: a ``self.function(...)`` call
        counts when its class and ``owner`` may be one instance's (see :meth:`_related`);
        any other call by name counts. The first such call in module order is returned.
        """
        for module in self._modules_naming(function):
            index = self._index(module)
            for caller, name, line in index.expected_failures if index is not None else ():
                if name != function:
                    continue
                if caller is None or owner is None or self._related(caller, owner):
                    return _module_path(module), line
        return None

    def _related(self, caller: str, owner: str) -> bool:
        """Tell whether one instance may be both: one class inherits the other, a project
        class inherits both (a mixin), or a base lies outside the project (unknown)."""
        if self._inherits(caller, owner) or self._inherits(owner, caller):
            return True
        if not (self._fully_known(caller) and self._fully_known(owner)):
            return True
        return any(self._inherits(name, owner) for name in self._subclasses(caller))

    def _subclasses(self, base: str) -> set[str]:
        """Return the project's classes that inherit ``base`` (itself included, if known).

        A class's file names its direct base, so the files to read follow from the names
        of the subclasses found so far.
        """
        found = {base} if self._class(base) is not None else set()
        pending, searched = [base.rpartition(".")[2]], set()
        while pending:
            short = pending.pop()
            if short in searched:
                continue
            searched.add(short)
            for module in self._modules_naming(short):
                for info in getattr(self._index(module), "classes", ()):
                    if info.name not in found and self._inherits(info.name, base):
                        found.add(info.name)
                        pending.append(info.name.rpartition(".")[2])
        return found

    def _fully_known(self, class_name: str) -> bool:
        """Tell whether the class and all its bases are in the project (``object`` aside)."""
        seen: set[str] = set()
        pending = [class_name]
        while pending:
            name = pending.pop()
            if name in seen or name == "object":
                continue
            seen.add(name)
            info = self._class(name)
            if info is None:
                return False
            pending.extend(info.bases)
        return True

    def _inherits(self, class_name: str, base: str) -> bool:
        """Tell whether ``class_name`` is ``base`` or has it among its project bases."""
        seen: set[str] = set()
        pending = [class_name]
        while pending:
            name = pending.pop()
            if name == base:
                return True
            if name in seen:
                continue
            seen.add(name)
            info = self._class(name)
            if info is not None:
                pending.extend(info.bases)
        return False


def project_root(path: Path) -> tuple[Path, str]:
    """Return the project directory of ``path`` and the dotted prefix of its modules.

    The rule: start from the directory above the top-level regular package holding ``path``
    (the file's own directory when it has no ``__init__.py``), and climb while the file
    would still have a valid dotted name, up to the nearest directory that holds ``.git``,
    ``.hg``, ``pyproject.toml``, ``setup.py`` or ``setup.cfg``. Each directory passed is a
    candidate import root; the one where most of the file's own absolute imports resolve to
    a module, a package or a namespace directory wins (the nearest on a tie, the start when
    none resolves). Above the start, an import counts only when it leads into the part of
    the tree that holds the file (``tests.functional.base`` for
    ``tests/functional/test_x.py``): the file names its own namespace package.

    The start itself gives the top-level package's directory and its name as the prefix
    (or the file's own directory and no prefix); a root found higher up gives that
    directory and no prefix, every module named by its path from it.
    """
    file = path.resolve()
    directory = file.parent
    start = directory
    while (start / "__init__.py").exists() and start.parent != start:
        start = start.parent
    root = _import_root(file, start)
    if root != start:
        return root, ""
    if start == directory:
        return directory, ""
    package = start / directory.relative_to(start).parts[0]
    return package, package.name


_ROOT_MARKERS = (".git", ".hg", "pyproject.toml", "setup.py", "setup.cfg")
"""What marks the top of a project: no import root is looked for above it."""


def _import_root(file: Path, start: Path) -> Path:
    """Return the candidate root where most of ``file``'s absolute imports resolve."""
    imported = _absolute_imports(file)
    best, best_count = start, 0
    if not imported:
        return best
    for candidate in _candidate_roots(file, start):
        own = file.relative_to(candidate).parts[0]
        count = sum(
            _resolves(candidate, name)
            for name in imported
            if candidate == start or name.partition(".")[0] == own
        )
        if count > best_count:
            best, best_count = candidate, count
    return best


def _candidate_roots(file: Path, start: Path) -> Iterator[Path]:
    """Yield ``start`` and the directories above it that could be ``file``'s import root."""
    candidate = start
    while True:
        yield candidate
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return
        if candidate.parent == candidate or not candidate.name.isidentifier():
            return
        candidate = candidate.parent


def _resolves(root: Path, dotted: str) -> bool:
    """Tell whether the module ``dotted`` is a file, a package or a namespace under ``root``."""
    target = root.joinpath(*dotted.split("."))
    return target.with_name(target.name + ".py").is_file() or target.is_dir()


def _absolute_imports(file: Path) -> tuple[str, ...]:
    """Return the modules ``file`` imports by absolute name (none: not a readable file)."""
    try:
        status = file.stat()
    except OSError:
        return ()
    if not stat.S_ISREG(status.st_mode):
        return ()
    return _imports_of(str(file), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=256)
def _imports_of(file: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Return the absolute imports of ``file`` as it is at ``mtime_ns`` and ``size``."""
    del mtime_ns, size  # the cache key: the file as it is now
    try:
        tree = ast.parse(Path(file).read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError):
        return ()
    names: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(dict.fromkeys(alias.name for alias in node.names))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names[node.module] = None
    return tuple(names)


def module_name(path: Path) -> str:
    """Return the dotted module name of ``path`` in its project (``pkg.sub.mod``)."""
    root, prefix = project_root(path)
    parts = [prefix, *path.resolve().relative_to(root).with_suffix("").parts]
    return ".".join(part for part in parts if part).removesuffix(".__init__")


_CONSULTED: list[tuple[str, str]] = []
"""``(root, fingerprint)`` of each project index this process gave out, in order."""


def consulted_environment(root: str, fingerprint: str) -> None:
    """Record that a result read the libraries of the environment at ``root``.

    The cache keeps such a result only while the environment's fingerprint (its Python and
    installed distributions: :meth:`codemods.environment.Environment.fingerprint`) holds.
    """
    _CONSULTED.append((ENVIRONMENT_PREFIX + root, fingerprint))


ENVIRONMENT_PREFIX = "environment:"
"""Marks a consulted root that is a Python environment, not a project."""


def consulted() -> list[tuple[str, str]]:
    """Return the ``(root, fingerprint)`` of each project index given out so far, in order.

    A result computed with an index depends on the project's other files, not only on its
    own bytes: the result cache keeps it only as long as :func:`project_fingerprint` of
    that root is the same (:mod:`codemods.cache`).
    """
    return _CONSULTED


class Projects:
    """The projects one codemod instance has read, each read once: its per-process memory.

    A codemod keeps one (not a module global), so that what the main process read for the
    workers (:meth:`adopt`) reaches them as data, under every start method.
    """

    LIMIT = 4
    """How many projects are kept; the one used longest ago is forgotten first."""

    def __init__(self) -> None:
        """Start with no project read."""
        self._known: dict[tuple[Path, str], Project] = {}

    def get(self, root: Path, prefix: str) -> Project:
        """Return the project at ``root`` (modules named under ``prefix``), read once."""
        key = (root, prefix)
        project = self._known.pop(key, None)
        if project is None:
            project = Project(root, prefix)
        self._known[key] = project  # now the most recently used
        while len(self._known) > self.LIMIT:
            del self._known[next(iter(self._known))]
        return project

    def adopt(self, project: Project) -> None:
        """Take a project read elsewhere (in the main process) as this one's."""
        self._known.pop((project.root, project.prefix), None)
        self._known[(project.root, project.prefix)] = project

    def __len__(self) -> int:
        """Return how many projects are known."""
        return len(self._known)

    def snapshot(self, path: Path) -> bytes | None:
        """Return a file's bytes as a project read up front holds them, or ``None``."""
        if not any(project.read_before for project in self._known.values()):
            return None
        path = path.resolve()
        for project in self._known.values():
            data = project.snapshot(path)
            if data is not None:
                return data
        return None


def index_for(path: Path, text: str, projects: Projects) -> ProjectIndex:
    """Return the index of the project ``path`` belongs to, with ``text`` as that file's.

    The project's other files are read from disk when a question needs them (once per
    ``projects``); ``text`` is the file as the codemods see it now. A path that is no file
    (stdin) is a project of its own.
    """
    if not path.is_file():
        module = path.stem or "stdin"
        return ProjectIndex(None, module, _file_index(module, text), text)
    project = projects.get(*project_root(path))
    _CONSULTED.append((str(project.root), project.fingerprint))
    module = module_name(path)
    own = _file_index(module, text, is_package=path.name == "__init__.py")
    return ProjectIndex(project, module, own, text)


def read_project(path: Path) -> Project | None:
    """Return ``path``'s project with every file read (``None``: ``path`` is no file).

    For the main process: the result is picklable, so it can be handed to each worker.
    """
    if not path.is_file():
        return None
    project = Project(*project_root(path))
    project.read_all()
    return project


def project_fingerprint(root: Path) -> str:
    """Return the digest of the names, sizes and modification times of the project's files.

    Like mypy and ruff for the files around the one being checked, a file counts as
    unchanged while its size and its modification time (in nanoseconds) are: reading and
    hashing every file of a large project would cost a one-file run more than its work.
    """
    return _fingerprint(_project_files(root))


_Stamp = tuple[int, int]
"""A file's size and modification time in nanoseconds."""


def _project_files(root: Path) -> list[tuple[Path, str, _Stamp]]:
    """Return each file of the project with its path relative to ``root`` and its stamp."""
    files = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        inside = relative.parts[:-1]
        if any(part.startswith(".") or part in _SKIPPED_DIRECTORIES for part in inside):
            continue
        try:
            status = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            files.append((path, relative.as_posix(), (status.st_size, status.st_mtime_ns)))
    return files


def _fingerprint(files: list[tuple[Path, str, _Stamp]]) -> str:
    digest = hashlib.sha256()
    for _, relative, (size, mtime) in files:
        digest.update(f"{relative}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


_SKIPPED_DIRECTORIES = frozenset({*DEFAULT_EXCLUDES, "site-packages"})
"""Directories under a project root that hold no code of the project: discovery's default
excludes, and installed packages."""


_FILE_INDEXES: dict[tuple[str, str], FileIndex | None] = {}
"""``(module, digest of its bytes)`` -> its index, for every file indexed in this process."""
_STORE: list[Path] = []
"""The directory file indexes are also kept in across runs (empty: none)."""


def keep_indexes_in(directory: Path | None) -> None:
    """Keep each file's index in ``directory`` across runs (``None``: in this process only)."""
    _STORE[:] = [] if directory is None else [directory]


def _file_index(module: str, data: bytes | str, *, is_package: bool = False) -> FileIndex | None:
    """Index one module's source (``None``: it does not parse); cached by its digest."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    kind = ("t" if isinstance(data, str) else "b") + ("p" if is_package else "")
    key = (module, hashlib.sha256(raw).hexdigest() + kind)
    if key not in _FILE_INDEXES:
        _FILE_INDEXES[key] = _stored_or_built(module, data, is_package, key[1])
    return _FILE_INDEXES[key]


def _stored_or_built(
    module: str, data: bytes | str, is_package: bool, digest: str
) -> FileIndex | None:
    """Return the index from the store when it holds a valid one, else build (and store) it."""
    if not _STORE:
        return _build_file_index(module, data, is_package)
    stored = index_store.load(_STORE[0], module, digest)
    if stored is not index_store.MISSING:
        try:
            return _from_plain(stored)
        except (TypeError, ValueError, KeyError):
            pass  # another shape: rebuilt below
    index = _build_file_index(module, data, is_package)
    index_store.save(_STORE[0], module, digest, _to_plain(index))
    return index


def _to_plain(index: FileIndex | None) -> Any:
    if index is None:
        return None
    return {
        "classes": [
            [c.name, list(c.bases), sorted(c.methods), sorted(c.documented), list(c.doc_reads)]
            for c in index.classes
        ],
        "expected": [list(expected) for expected in index.expected_failures],
    }


def _from_plain(plain: Any) -> FileIndex | None:
    if plain is None:
        return None
    classes = tuple(
        ClassInfo(
            _str(name),
            tuple(map(_str, bases)),
            frozenset(map(_str, methods)),
            frozenset(map(_str, documented)),
            tuple(map(_str, reads)),
        )
        for name, bases, methods, documented, reads in plain["classes"]
    )
    expected = tuple(
        (None if caller is None else _str(caller), _str(name), int(line))
        for caller, name, line in plain["expected"]
    )
    return FileIndex(classes, expected)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _build_file_index(module: str, data: bytes | str, is_package: bool) -> FileIndex | None:
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError):
        return None
    imports = _imported_names(tree, module, is_package)
    reads = may_read_docstrings(data)
    classes = [
        ClassInfo(
            f"{module}.{node.name}",
            tuple(_resolved(base, imports, module, tree) for base in node.bases),
            frozenset(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            ),
            frozenset(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and ast.get_docstring(item, clean=False) is not None
            ),
            class_doc_facts(node, imports, reads=reads),
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    ]
    return FileIndex(tuple(classes), tuple(_expected_failures(tree, module)))


def _imported_names(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Map names bound by module-level imports to the dotted names they stand for.

    A package's ``__init__`` is its own package for relative imports.
    """
    names: dict[str, str] = {}
    package = module if is_package else (module.rsplit(".", 1)[0] if "." in module else "")
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join([*parts, *([base] if base else [])])
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return names


def _resolved(base: ast.expr, imports: dict[str, str], module: str, tree: ast.Module) -> str:
    """Return the qualified name a base class expression refers to, as far as imports say."""
    dotted = ast.unparse(base)
    head, _, rest = dotted.partition(".")
    if head in imports:
        return f"{imports[head]}.{rest}" if rest else imports[head]
    local = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return f"{module}.{dotted}" if head in local else dotted


def _expected_failures(tree: ast.Module, module: str) -> Iterator[tuple[str | None, str, int]]:
    """Yield ``(caller's class, name, line)`` of calls made where their failure is expected."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                yield from _expected_in(item, f"{module}.{node.name}")
        else:
            yield from _expected_in(node, None)


def _expected_in(scope: ast.AST, owner: str | None) -> Iterator[tuple[str | None, str, int]]:
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and last_name(node.func) in RAISES_HELPERS:
            for argument in node.args[1:2]:  # assertRaises(Error, callable, ...)
                yield from _named(argument, owner, node.lineno)
        elif isinstance(node, ast.With | ast.AsyncWith) and any(
            isinstance(item.context_expr, ast.Call)
            and last_name(item.context_expr.func) in RAISES_HELPERS
            for item in node.items
        ):
            yield from _called(node.body, owner)
        elif isinstance(node, TRY_NODES) and node.handlers:  # type: ignore[attr-defined]
            yield from _called(node.body, owner)  # type: ignore[attr-defined]


def _called(body: Iterable[ast.stmt], owner: str | None) -> Iterator[tuple[str | None, str, int]]:
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                yield from _named(node.func, owner, node.lineno)


def _named(
    callee: ast.expr, owner: str | None, line: int
) -> Iterator[tuple[str | None, str, int]]:
    """Yield the called name, with ``owner`` when the call is ``self.name`` in a method."""
    name = last_name(callee)
    if name is None:
        return
    on_self = isinstance(callee, ast.Attribute) and is_name(callee.value, "self")
    yield (owner if on_self else None), name, line


def _module_path(module: str) -> str:
    return module.replace(".", "/") + ".py"
