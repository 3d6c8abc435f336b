"""Add docstring stubs where pydocstyle's D1 rules (ruff D100-D107) report a missing docstring.

The plan walks the ``ast`` tree the way ruff builds its definitions (module, classes, methods,
functions, nested ones) and resolves their visibility as ruff does, so that after the fix
``ruff check --select D1`` has nothing left to report. Summaries come from the names; where the
name gives no honest summary, a configurable placeholder is written instead. The docstrings
go in with text edits (:mod:`codemods.docstring_text`) that write what inserting them into
the file's LibCST tree writes; only a file whose shape those edits do not model goes
through the tree (:mod:`codemods.docstring_tree`).
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import os
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias, cast

from codemods.astutil import (
    dotted_name,
    is_fstring_statement,
    is_string_statement,
    leading_whitespace,
    statement_blocks,
)
from codemods.blanklines import blank_lines_needed, first_statement_continues_with_backslash
from codemods.bound_comments import bound_comment_place, one_line_body_comment
from codemods.docreaders import (
    HELP_FRAMEWORKS,
    ClassDocReads,
    DocReads,
    HelpFramework,
    class_doc_reads,
    doc_reads,
    may_read_docstrings,
    qualified_name,
)
from codemods.docsections import function_facts, has_parameter_section, render_sections
from codemods.docstring_model import DocstringModel, LibraryEvidence, Reader
from codemods.docstring_text import Unsupported, docstring_edits
from codemods.environment import Environment
from codemods.evidence import documented_evidence, undocumented_left_alone
from codemods.exports import exported_names
from codemods.finding import Edit, Finding, FixSafety, node_lines
from codemods.fixes.base import Options, TreeCodemod
from codemods.naming import class_summary, function_summary, module_identity, module_summary
from codemods.patterns import compile_pattern
from codemods.project_index import (
    Project,
    Projects,
    consulted_environment,
    index_for,
    project_root,
    read_project,
)
from codemods.reports import Claim
from codemods.source import SourceFile
from codemods.statement_text import is_empty_line

if TYPE_CHECKING:
    import libcst as cst

Convention: TypeAlias = Literal["pep257", "google", "numpy", "sphinx"]
Definition: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef

OVERLOAD = frozenset({"typing.overload", "typing_extensions.overload"})
OVERRIDE = frozenset({"typing.override", "typing_extensions.override"})
PROPERTY = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
STATIC = frozenset({"staticmethod"})
_BUILTIN_NAMES = frozenset(dir(builtins))


RULE = "missing-docstring"
MAX_PREPARED_PROJECTS = Projects.LIMIT
"""Projects read up front by :meth:`DocstringStubs.prepare`; more are read when needed."""
DEFAULT_LINE_LENGTH = 79
"""The width when neither the options nor the project set one (PEP 8's)."""
D1_CODES = {
    "module": "D100",
    "class": "D101",
    "method": "D102",
    "function": "D103",
    "package": "D104",
    "magic": "D105",
    "nested-class": "D106",
    "init": "D107",
}
"""The ruff code that reports each kind missing its docstring (private kinds have none)."""


@dataclasses.dataclass(frozen=True)
class DocstringStubsOptions(Options):
    """Options of ``docstring-stubs`` (``[tool.codemods.docstring-stubs]``)."""

    include_private: bool = False
    """Also document private definitions (``_name``, nested functions, names not in
    ``__all__``)."""
    ignore_names: tuple[str, ...] = ()
    """Regular expressions; a definition whose whole name matches one is left alone."""
    convention: Convention = "pep257"
    """``pep257``: summary only; ``google``/``numpy``/``sphinx``: also function sections."""
    environment: str | None = None
    """The project's Python environment (a virtualenv, or its ``python``), whose libraries'
    source tells which base classes and decorators read docstrings. Default: ``VIRTUAL_ENV``,
    else a ``.venv`` or ``venv`` beside the project root (read as text, never run)."""
    line_length: int | None = None
    """Section text is wrapped to this width; a summary always stays on one line, and one
    that would make its line longer is not written (the definition is reported instead).
    ``None``: the project's configured maximum (ruff, black, flake8, pycodestyle), else 79."""
    placeholder: str = "Describe {name}."
    """Written where no summary can be derived from the name; ``{name}`` is the name. The
    default is an imperative summary (D401) without TODO/FIXME/XXX, which pylint's ``fixme``
    check (W0511) reports; a reviewer finds the stubs to finish with ``grep 'Describe '``."""

    def __post_init__(self) -> None:
        """Check the regexes, the width and the placeholder."""
        for pattern in self.ignore_names:
            compile_pattern(pattern, "ignore-names")  # PatternError, a ValueError
        if self.line_length is not None and self.line_length < 20:
            raise ValueError("line-length must be at least 20")
        try:
            fields = [field[1:] for field in string.Formatter().parse(self.placeholder)]
        except ValueError as error:
            raise ValueError(f"placeholder: {error}") from None
        if any(field != (None, None, None) and field != ("name", "", None) for field in fields):
            raise ValueError(
                "placeholder may only use the field {name}, without a format spec or conversion"
            )
        sample = self.placeholder.format(name="name")
        if not sample.endswith(".") or '"""' in sample or "\n" in sample:
            raise ValueError('placeholder must be one line ending with a period, without \'"""\'')


class DocstringStubs(TreeCodemod[DocstringStubsOptions]):
    """Add a docstring stub to each public module, class and function that lacks one.

    ## What it does
    Adds a docstring wherever ruff's ``D100``-``D107`` report one missing: public modules and
    packages, classes, nested classes, methods, functions, magic methods and ``__init__``,
    with ruff's notion of "public" (a leading underscore, a private parent, a nested function
    or a name missing from ``__all__`` make a definition private). The summary comes from the
    name, in the imperative mood: ``get_flavors`` -> ``Get flavors.``, ``setUp`` ->
    ``Set up.``, ``__init__`` -> ``Initialize Server.``, a class ``ServerGroupTestCase`` ->
    ``Server group test case.``, a module from its file name. Known acronyms keep their
    spelling and a version stays one word: ``get_v2_rpc_api`` -> ``Get v2 RPC API.``,
    ``CrossCellResizeWithQoSPort`` -> ``Cross cell resize with QoS port.`` (the table
    and the rule for digits are in ``codemods.naming``). A function whose name does not
    start with a known verb gets the placeholder ``Describe <name>.``. A summary that would
    make its line longer than ``line-length`` (79) is not written: a summary line cannot wrap
    (D400/D415 want it to end with a period), so the definition is reported as a skip for a
    human to summarise in fewer words. With
    ``convention = "google" | "numpy" | "sphinx"`` functions also get the sections their
    signature supports (parameters, Returns, Yields, Raises).

    ## Why is this bad?
    Undocumented public APIs fail ``ruff --select D1``; a stub a reviewer can finish turns a
    wall of findings into a short list of summaries to check.

    ## Example
    ```python
    class ServerGroupApi:
        def get_members(self, group_id):
            return self._members[group_id]
    ```
    Use instead:
    ```python
    class ServerGroupApi:
        \"\"\"Server group API.\"\"\"

        def get_members(self, group_id):
            \"\"\"Get members.\"\"\"
            return self._members[group_id]
    ```

    ## Fix safety
    Safe: only docstrings are added. ``@overload`` signatures, ``@override`` methods and
    property setters/deleters are never documented (ruff does not ask for them). Where a
    docstring is read at run time a stub would change what the program shows, so these are
    left alone and reported with the reason: a module that reads ``__doc__``; a class whose
    code reads its own docstring (``self.__doc__``, ``inspect.getdoc(type(self))``,
    ``getattr(cls, "__doc__")``); a function or method whose docstring is read by name
    (``f.__doc__``, ``getattr(f, "__doc__")``, ``inspect.getdoc(self.run)``); the commands
    of frameworks that show docstrings as help (a table: click, typer and fire commands,
    cliff ``Command``/``Lister``/``ShowOne`` classes, the ``do_*`` methods of a ``cmd.Cmd``
    shell); and a method overriding a method that a base class documents
    (``inspect.getdoc`` and ``help()`` show the base's text for it).

    Beyond the file, the class's bases are followed into the project (its index: a base in
    another module that reads ``self.__doc__``, ``getattr(self, "opt_" + name).__doc__`` or
    documents the method overridden) and into the libraries, whose source is read as text
    from the project's environment (``environment`` option, ``VIRTUAL_ENV``, or a ``.venv``
    or ``venv`` beside the project root) or, without one, the running Python's standard
    library (:mod:`codemods.docstring_model`). A small built-in table covers what must work
    without an environment: ``typing.NamedTuple``, ``@dataclass`` and (before Python 3.11)
    ``enum`` generate docstrings, and pydantic puts a model's docstring into its JSON
    schema; those are left alone, with the reader and where it is in the reason.

    **Test methods** that a unittest-style loader collects (``test*`` methods of a subclass
    of ``unittest.TestCase``, trial's, testtools', Django's...) get their stub as an
    *unsafe* fix, held back unless ``--unsafe-fixes``: ``TestCase.shortDescription()`` shows
    a test's first docstring line in ``unittest -v`` and runners sort and name tests by it.
    A ``test*`` method of a class whose base is found nowhere is held back the same way;
    a pytest-style class (no base) is not: pytest does not read test docstrings.
    Documentation tools (Sphinx, pydoc) are a stub's intended readers and see it.
    Comments bound to a line stay on it: a module-wide ``# type: ignore`` stays above the
    module docstring (mypy honours it only before the first statement), a signature type
    comment (``# type: (str) -> bytes``) right below its ``def`` line, and a one-line
    definition's ``# type: ignore[override]``, ``# noqa``, ``# pragma`` or ``# pylint``
    comment on the header when the body moves to its own line; when such a comment may be
    meant for the body (a bare ``# type: ignore``, a code reported in the body), the
    definition is left alone and reported. pycodestyle does not check the continuation
    lines of a block's first statement: when that statement continues with a backslash
    into a line not indented by 4, a docstring would bring out an E12x it already has, so
    that definition is left alone and reported too.
    """

    id = "docstring-stubs"
    summary = "Add docstring stubs where ruff's D100-D107 report a missing docstring."
    safety = FixSafety.SAFE
    codes = frozenset(D1_CODES.values())
    claims = frozenset(
        {
            "C0114",
            "C0115",
            "C0116",
            "missing-docstring",
            "missing-module-docstring",
            "missing-class-docstring",
            "missing-function-docstring",
        }
    )
    options_type = DocstringStubsOptions

    def refute(self, source: SourceFile, claim: Claim) -> str | None:
        """Say that the definitions the claim points at have docstrings, when they do."""
        return documented_evidence(source, claim)

    def left_alone(self, source: SourceFile, claim: Claim) -> str | None:
        """Say why an undocumented definition the claim points at is not public API to us."""
        _, _, module_private = module_identity(source.path)
        return undocumented_left_alone(source, claim, module_private)

    def __init__(self, options: DocstringStubsOptions | None = None) -> None:
        """Create the codemod; the projects and libraries it reads are its own."""
        super().__init__(options)
        self.projects = Projects()
        """The projects whose index this instance has read."""
        self._libraries: dict[str, object] = {}
        self._environments: dict[Path, tuple[Environment | None, str]] = {}
        """The environment (and its fingerprint) of each project root, found once."""
        """The library evidence per environment (:mod:`codemods.library_docs`)."""

    def prepare(self, paths: Sequence[Path]) -> tuple[Project, ...] | None:
        """Read, before anything is written, every project the files belong to.

        A method's stub depends on its bases' docstrings, in other files of the project;
        read after ``apply`` wrote some of them, the answer would depend on the order of
        the writes (and differ from ``diff``'s). So the projects are read here, once, as
        they are before the run, and handed to each worker (:meth:`receive_prepared`).
        """
        projects: dict[Path, Project] = {}
        for path in paths:
            try:
                if not path.is_file():
                    continue
                root, _ = project_root(path)
                if root not in projects and len(projects) < MAX_PREPARED_PROJECTS:
                    project = read_project(path)
                    if project is not None:
                        projects[root] = project
            except (OSError, ValueError):
                continue
        return tuple(projects.values()) or None

    def receive_prepared(self, state: object) -> None:
        """Adopt the projects the main process read (see :meth:`prepare`)."""
        if isinstance(state, tuple):
            for project in state:
                if isinstance(project, Project):
                    self.projects.adopt(project)

    def find(self, source: SourceFile) -> list[Finding]:
        """Find the definitions D1 would report and compose their docstrings."""
        if source.path.endswith(".pyi"):
            return []
        finder = _Finder(self.options, source, lambda: self._model_for(source))
        finder.run()
        return _form_feeds_kept(source, finder.findings)

    def _model_for(self, source: SourceFile) -> DocstringModel:
        """Build the evidence model of ``source``'s project and environment."""
        path = Path(source.path)
        index = index_for(path, source.text, self.projects)
        library = self._library_for(path)
        version = getattr(getattr(library, "environment", None), "python_version", None)
        return DocstringModel(index.module, index, library, version or sys.version_info[:2])

    def _library_for(self, path: Path) -> LibraryEvidence | None:
        """Return the library evidence of ``path``'s environment (one per environment)."""
        try:
            from codemods.environment import find_environment
            from codemods.library_docs import LibraryDocs
        except ImportError:  # pragma: no cover - during development only
            return None
        root, prefix = path.parent if path.is_file() else Path.cwd(), ""
        try:
            if path.is_file():
                root, prefix = project_root(path)
            if root not in self._environments:
                found = find_environment(root, self.options.environment, os.environ)
                self._environments[root] = (found, found.fingerprint() if found else "")
            environment, fingerprint = self._environments[root]
        except (OSError, ValueError):
            environment, fingerprint = None, ""
        # the project's own modules are read as a library's are: a reader of docstrings by
        # prefix may sit in another class of a base's module (an introspection helper)
        own = (_import_root(root, prefix),) if path.is_file() else ()
        key = repr((environment, own))
        if key not in self._libraries:
            self._libraries[key] = LibraryDocs(
                environment, project_roots=own, snapshot=self.projects.snapshot
            )
        if environment is not None:  # the result depends on the libraries installed there
            consulted_environment(str(environment.root), fingerprint)
        return cast(LibraryEvidence, self._libraries[key])

    def fix_text(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit] | None:
        """Insert the docstrings with text edits; ``None`` for a file they do not model."""
        try:
            return docstring_edits(source, [finding.data for finding in findings])
        except Unsupported:
            return None

    def fix_tree(
        self, module: cst.Module, source: SourceFile, findings: Sequence[Finding]
    ) -> cst.Module:
        """Insert the docstring of each finding into the tree, innermost definitions first."""
        from codemods.docstring_tree import insert_docstrings  # LibCST: only for rare files

        return insert_docstrings(module, source, [finding.data for finding in findings])


@dataclasses.dataclass(frozen=True)
class Stub:
    """One docstring to add: where (``node`` is ``None`` for the module) and its text lines."""

    kind: str
    """ruff's kind: module, package, class, nested-class, method, magic, init, function,
    nested-function (the last only with ``include-private``)."""
    node: Definition | None
    line: int
    name: str
    lines: tuple[str, ...]
    """The docstring's text, one entry per line, without indentation or quotes."""
    comment_on_header: bool = False
    """A one-line body's trailing comment is bound to the header line (``# type: ignore[override]``,
    ``# pragma: no cover``) and stays there when the body moves to its own line."""
    blank_lines_after: int = 0
    """Blank lines the next definition needs once this one-line one becomes a block
    (pycodestyle E301/E302: one in a class or function, two at module level)."""
    blank_lines_before: int = 0
    """Blank lines this one-line definition needs above it once it becomes a block, when the
    statement before it ends on the line just above."""
    unsafe_reason: str | None = None
    """Why this stub is an unsafe fix (a reader of the docstring whose output it changes:
    unittest's test descriptions), or ``None``: a safe one."""


class _Finder:
    """Walks the ``ast`` like ruff's definition collector and plans one stub per target."""

    def __init__(
        self,
        options: DocstringStubsOptions,
        source: SourceFile,
        model: Callable[[], DocstringModel | None] = lambda: None,
    ):
        self.options = options
        self.source = source
        self._model_factory = model
        self._model: DocstringModel | None = None
        self._model_built = False
        self.blank_lines_after, self.blank_lines_before = blank_lines_needed(source)
        self.imports = _import_names(source.tree)
        self.exports = exported_names(source.tree)
        self.doc_reads = (
            doc_reads(source.tree, self.imports)
            if may_read_docstrings(source.text)
            else DocReads(frozenset(), frozenset())
        )
        self.classes: dict[str, list[ast.ClassDef]] = {}
        self.top_level_classes = {
            node.name for node in source.tree.body if isinstance(node, ast.ClassDef)
        }
        for node in ast.walk(source.tree):
            if isinstance(node, ast.ClassDef):
                self.classes.setdefault(node.name, []).append(node)
        self._class_reads: dict[ast.ClassDef, ClassDocReads] = {}
        self._text_reads = may_read_docstrings(source.text)
        self.ignore = [
            compile_pattern(pattern, "ignore-names") for pattern in options.ignore_names
        ]
        self.findings: list[Finding] = []

    def run(self) -> None:
        """Plan the module's docstring, then every definition's."""
        _, _, module_private = module_identity(self.source.path)
        self._plan_module()
        self._walk(self.source.tree.body, parent="module", private=module_private, owner=None)

    def _plan_module(self) -> None:
        tree = self.source.tree
        name, kind, private = module_identity(self.source.path)
        if _has_docstring(tree.body) or self._ignored(name):
            return
        if private and not self.options.include_private:
            return
        if not name.isprintable():
            self._skip(1, "the file name is not valid UTF-8; no docstring is made from it")
            return
        if tree.body and is_fstring_statement(tree.body[0]):
            self._skip(1, "the module starts with an f-string, which is not a docstring")
            return
        if "__doc__" in self.doc_reads.names:
            self._skip(1, "the module reads __doc__; a docstring would change its behaviour")
            return
        summary = _not_this(module_summary(name, kind, self.source.path)) or self._placeholder(
            name
        )
        too_long = self._too_long(name, (summary,), 0)
        if too_long is not None:
            self._skip(1, too_long)
            return
        self._add(Stub(kind, None, 1, name, (summary,)))

    def _walk(
        self, body: Sequence[ast.stmt], parent: str, private: bool, owner: ast.ClassDef | None
    ) -> None:
        """Visit ``body``; ``parent`` is the kind of the enclosing definition."""
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                self._class(statement, parent, private)
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self._function(statement, parent, private, owner)
            else:
                for block in statement_blocks(statement):
                    self._walk(block, parent, private, owner)

    def _class(self, node: ast.ClassDef, parent: str, parent_private: bool) -> None:
        nested = parent != "module"
        private = (
            parent_private
            or node.name.startswith("_")
            or parent in ("function", "method", "nested-function")
            or (not nested and self.exports is not None and node.name not in self.exports)
        )
        kind = "nested-class" if nested else "class"
        decorators = [self._qualified(d) for d in node.decorator_list]
        self._consider(node, kind, private, class_summary(node.name), decorators)
        self._walk(node.body, "class", private, node)

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        parent: str,
        parent_private: bool,
        owner: ast.ClassDef | None,
    ) -> None:
        decorators = [self._qualified(d) for d in node.decorator_list]
        if parent == "class":
            kind, private = _method_kind(node, decorators)
            private = private or parent_private
            exempt = bool(OVERLOAD.intersection(decorators) or OVERRIDE.intersection(decorators))
        elif parent == "module":
            kind = "function"
            exported = self.exports is None or node.name in self.exports
            private = parent_private or node.name.startswith("_") or not exported
            exempt = bool(OVERLOAD.intersection(decorators))
        else:
            kind, private = "nested-function", True
            exempt = bool(OVERLOAD.intersection(decorators))
        if not exempt and not _is_accessor(node):
            is_property = bool(PROPERTY.intersection(decorators))
            owner_name = owner.name if owner is not None else None
            summary = function_summary(node.name, owner_name, is_property)
            # a class docstring that documents the parameters keeps them (pydoclint DOC304)
            sections = not (kind == "init" and owner is not None and _documents_parameters(owner))
            self._consider(node, kind, private, summary, decorators, sections, owner)
        child_parent = (
            "method"
            if parent == "class"
            else ("function" if parent == "module" else "nested-function")
        )
        self._walk(node.body, child_parent, True, None)

    def _consider(
        self,
        node: Definition,
        kind: str,
        private: bool,
        summary: str | None,
        decorators: Sequence[str] = (),
        sections: bool = True,
        owner: ast.ClassDef | None = None,
    ) -> None:
        if _has_docstring(node.body) or self._ignored(node.name):
            return
        if private and not self.options.include_private:
            return
        line = node.lineno
        if is_fstring_statement(node.body[0]):
            self._skip(line, f"{node.name}: the body starts with an f-string (not a docstring)")
            return
        reason = self._doc_read_reason(node, decorators, owner)
        if reason is not None:
            self._skip(line, reason)
            return
        reader = self._reader(node, decorators, owner)
        if reader is not None and not reader.unsafe:
            self._skip(line, reader.reason(node.name))
            return
        if (
            node.body[0].lineno == node.lineno
            and (node.body[-1].end_lineno or node.lineno) > node.lineno
        ):
            self._skip(
                line,
                f"{node.name}: its one-line body continues on the next line, which would not "
                "move with it into a block",
            )
            return
        if first_statement_continues_with_backslash(self.source, node):
            self._skip(
                line,
                f"{node.name}: a backslash continuation of its first statement is not "
                "indented by 4; pycodestyle checks it (E12x) only once a docstring comes first",
            )
            return
        comment_on_header = False
        trailing = one_line_body_comment(self.source, node)
        if trailing is not None:
            place = bound_comment_place(trailing)
            if place is None:
                self._skip(
                    line,
                    f"{node.name}: {trailing.strip()!r} on a one-line definition may be meant "
                    "for its header or its body, which a docstring puts on separate lines",
                )
                return
            comment_on_header = place == "header"
        lines = [_not_this(summary) or self._placeholder(node.name)]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines.extend(self._sections(node, kind, decorators) if sections else [])
        too_long = self._too_long(node.name, lines, _planned_indent_width(self.source, node))
        if too_long is not None:
            self._skip(line, too_long)
            return
        stub = Stub(kind, node, line, node.name, tuple(lines), comment_on_header)
        if reader is not None:  # unsafe: made, held back unless asked for
            stub = dataclasses.replace(stub, unsafe_reason=f"{reader.what} ({reader.where})")
        self._add(
            dataclasses.replace(
                stub,
                blank_lines_after=self.blank_lines_after.get(node, 0),
                blank_lines_before=self.blank_lines_before.get(node, 0),
            )
        )

    def _too_long(self, name: str, lines: Sequence[str], indent_width: int) -> str | None:
        """Say why the docstring's first line would be longer than ``line-length``, or ``None``.

        The summary is one line (D400/D415 want it to end with a period), so it cannot wrap;
        a shorter one is a human's job. Tabs count to the next multiple of 8.
        """
        prefix = "r" if any("\\" in line for line in lines) else ""
        closing = 3 if len(lines) == 1 else 0
        width = indent_width + len(prefix) + 3 + len(lines[0]) + closing
        limit = self.options.line_length or DEFAULT_LINE_LENGTH
        if width <= limit:
            return None
        return (
            f"{name}: the summary {lines[0]!r} would make the docstring's first line {width} "
            f"columns, over line-length {limit} (a summary line cannot wrap)"
        )

    def _doc_read_reason(
        self, node: Definition, decorators: Sequence[str], owner: ast.ClassDef | None
    ) -> str | None:
        """Return why a docstring here would change what the program shows, or ``None``."""
        name = node.name
        for framework in HELP_FRAMEWORKS:
            for decorator in decorators:
                head, _, _ = decorator.partition(".")
                attribute = decorator.rpartition(".")[2] if "." in decorator else ""
                if head in framework.decorator_packages:
                    what = framework.name
                elif attribute in framework.decorator_attributes:
                    what = "click or typer"  # @cli.command(): a group of either
                else:
                    continue
                return f"{name}: @{decorator} makes it a {what} command; its docstring is {framework.shows}"
        if isinstance(node, ast.ClassDef):
            found = self._framework_base(node)
            if found is not None and not found[0].method_prefix:
                framework, base = found
                return f"class {name}: a {framework.name} command ({base}); its docstring is {framework.shows}"
        elif owner is not None:
            found = self._framework_base(owner)
            if (
                found is not None
                and found[0].method_prefix
                and name.startswith(found[0].method_prefix)
            ):
                framework, base = found
                return f"{name}: a {framework.method_prefix}* method of a {base} subclass; its docstring is {framework.shows}"
        if name in self.doc_reads.owners or (
            owner is not None and f"{owner.name}.{name}" in self.doc_reads.owners
        ):
            return f"{name}.__doc__ is read; a docstring would change the value"
        if isinstance(node, ast.ClassDef) and self._reads_of(node).own:
            return f"class {name} reads its own __doc__; a docstring would change it"
        if owner is not None:
            reads = self._reads_of(owner)
            if reads.all_methods or name in reads.methods:
                return f"{name}: class {owner.name} reads this method's __doc__; a docstring would change the value"
            prefix = next((p for p in sorted(reads.prefixes) if name.startswith(p)), None)
            if prefix is not None:
                return (
                    f"{name}: class {owner.name} reads the docstrings of its {prefix}* methods "
                    f"(line {reads.line}); a docstring would change the value"
                )
            documented = self._documented_override(owner, name)
            if documented is not None:
                return (
                    f"{name} overrides {documented}, whose docstring inspect.getdoc and "
                    "help() show for it; a stub would replace that text"
                )
        return None

    def _reader(
        self, node: Definition, decorators: Sequence[str], owner: ast.ClassDef | None
    ) -> Reader | None:
        """Ask the project's and libraries' evidence (:mod:`codemods.docstring_model`)."""
        if isinstance(node, ast.ClassDef):
            if not node.bases and not node.decorator_list and not node.keywords:
                return None
            model = self._docstring_model()
            if model is None:
                return None
            return model.class_reader(self._base_names(node), tuple(decorators))
        if owner is None or (
            not owner.bases
            and owner.name not in self.top_level_classes
            and not node.name.startswith("test")
        ):
            return None
        model = self._docstring_model()
        if model is None:
            return None
        qualified = (
            f"{model.module}.{owner.name}" if owner.name in self.top_level_classes else None
        )
        # from the class itself when the index knows it: its module may read its methods'
        # docstrings by prefix from another class or a helper (Twisted's IRCClient)
        start = (qualified,) if qualified is not None else self._base_names(owner)
        return model.method_reader(start, node.name, qualified)

    def _docstring_model(self) -> DocstringModel | None:
        if not self._model_built:
            self._model_built = True
            self._model = self._model_factory()
        return self._model

    def _base_names(self, node: ast.ClassDef) -> tuple[str, ...]:
        """Return the qualified names of ``node``'s bases, as the project index spells them."""
        module = self._docstring_model()
        prefix = module.module if module is not None else ""
        names = []
        for base in node.bases:
            dotted = dotted_name(base)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head in self.imports:
                names.append(f"{self.imports[head]}.{rest}" if rest else self.imports[head])
            elif head in self.top_level_classes:
                names.append(f"{prefix}.{dotted}" if prefix else dotted)
            elif head in _BUILTIN_NAMES:
                continue
            else:
                names.append(dotted)
        return tuple(names)

    def _reads_of(self, node: ast.ClassDef) -> ClassDocReads:
        if node not in self._class_reads:
            self._class_reads[node] = (
                class_doc_reads(node, self.imports)
                if self.doc_reads.names or self.doc_reads.owners or self._text_reads
                else ClassDocReads(False, frozenset(), False)
            )
        return self._class_reads[node]

    def _same_file_bases(self, node: ast.ClassDef) -> Iterator[ast.ClassDef]:
        """Yield the classes of this file that ``node`` inherits from, nearest first."""
        seen = {node}
        pending = [node]
        while pending:
            current = pending.pop(0)
            for base in current.bases:
                dotted = dotted_name(base)
                for candidate in self.classes.get(dotted or "", []):
                    if candidate not in seen:
                        seen.add(candidate)
                        pending.append(candidate)
                        yield candidate

    def _framework_base(self, node: ast.ClassDef) -> tuple[HelpFramework, str] | None:
        """Return the framework whose base class ``node`` has (directly or in this file)."""
        for cls in (node, *self._same_file_bases(node)):
            for base in cls.bases:
                qualified = self._qualified(base)
                for framework in HELP_FRAMEWORKS:
                    if qualified in framework.base_classes:
                        return framework, qualified
        return None

    def _documented_override(self, owner: ast.ClassDef, name: str) -> str | None:
        """Return ``Base.name`` when a base class in this file documents the method ``name``.

        ``inspect.getdoc`` (and so ``help()``) gives an undocumented override the first
        docstring found along the MRO: a stub would replace that text.
        """
        for base in self._same_file_bases(owner):
            for statement in base.body:
                if (
                    isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                    and statement.name == name
                    and _has_docstring(statement.body)
                ):
                    return f"{base.name}.{name}"
        return None

    def _sections(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, kind: str, decorators: Sequence[str]
    ) -> list[str]:
        if self.options.convention == "pep257" or PROPERTY.intersection(decorators):
            return []
        takes_receiver = kind in ("method", "magic", "init") and not STATIC.intersection(
            decorators
        )
        facts = function_facts(node, takes_receiver)
        if facts is None:
            return []
        width = (self.options.line_length or DEFAULT_LINE_LENGTH) - _planned_indent_width(
            self.source, node
        )
        return render_sections(
            facts, self.options.convention, self.options.placeholder.format, width
        )

    def _ignored(self, name: str) -> bool:
        return any(pattern.fullmatch(name) for pattern in self.ignore)

    def _placeholder(self, name: str) -> str:
        return self.options.placeholder.format(name=name)

    def _add(self, stub: Stub) -> None:
        codes = (D1_CODES[stub.kind],) if stub.kind in D1_CODES else ()
        if stub.node is None:
            finding = Finding(1, _message(stub), anchor="module docstring", codes=codes)
        else:
            extent = _extent(stub.node)
            finding = Finding.at(stub.node, _message(stub), codes=codes, extent=extent)
        action = f"added {stub.lines[0]!r}"
        if stub.unsafe_reason is not None:
            finding = dataclasses.replace(
                finding,
                message=f"{finding.message} (unsafe: {stub.unsafe_reason})",
                safety=FixSafety.UNSAFE,
            )
        self.findings.append(dataclasses.replace(finding, rule=RULE, action=action, data=stub))

    def _skip(self, line: int, reason: str) -> None:
        message = "missing docstring left as it is"
        self.findings.append(Finding(line, message, rule=RULE, skip=reason))

    def _qualified(self, decorator: ast.expr) -> str:
        """Return the decorator's qualified name (``typing.overload``), resolving imports."""
        return qualified_name(decorator, self.imports)


def _import_root(root: Path, prefix: str) -> Path:
    """Return the directory ``import`` finds the project's modules in: ``root`` holds the
    package ``prefix`` (``pkg.sub``), so the import root is that many levels up."""
    parts = prefix.split(".") if prefix else []
    if parts and root.parts[-len(parts) :] == tuple(parts):
        return root.parents[len(parts) - 1]
    return root


def _form_feeds_kept(source: SourceFile, findings: list[Finding]) -> list[Finding]:
    """Return ``findings``, skipped when only the tree could write them and it would move
    the form feeds of the file's indentation.

    LibCST prints every line of a block with the indentation of its first statement, form
    feeds and all, so a line no stub edits would gain or lose one. The text edits keep them
    (:mod:`codemods.docstring_text`), but not in every file.
    """
    fixable = [finding for finding in findings if finding.skip is None]
    if not fixable or not any(_code_indented_with_form_feed(line) for line in source.lines):
        return findings
    try:
        docstring_edits(source, [finding.data for finding in fixable])
    except Unsupported as error:
        reason = (
            "LibCST would move the form feeds of this file's indentation to lines the "
            f"docstring does not touch, and the text edits cannot insert it: {error}"
        )
        return [
            dataclasses.replace(finding, skip=reason) if finding.skip is None else finding
            for finding in findings
        ]
    return findings


def _code_indented_with_form_feed(line: str) -> bool:
    """Tell whether a line of code (or what may be one) has a form feed in its indentation."""
    indent = leading_whitespace(line)
    return "\f" in indent and not is_empty_line(line)


def _documents_parameters(owner: ast.ClassDef) -> bool:
    """Tell whether the class docstring has a parameter section (then ``__init__``'s has none)."""
    docstring = ast.get_docstring(owner, clean=True)
    return docstring is not None and has_parameter_section(docstring)


def _method_kind(
    node: ast.FunctionDef | ast.AsyncFunctionDef, decorators: Sequence[str]
) -> tuple[str, bool]:
    """Return ruff's kind of a method and whether its own name makes it private."""
    name = node.name
    if name == "__init__":
        return "init", False
    magic = name.startswith("__") and name.endswith("__") and len(name) > 4
    if magic:
        return ("method" if name in ("__new__", "__call__") else "magic"), False
    return "method", name.startswith("_")


def _is_accessor(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether the function is a ``@<name>.setter`` or ``@<name>.deleter``."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Attribute)
            and decorator.attr in ("setter", "deleter")
            and isinstance(decorator.value, ast.Name)
            and decorator.value.id == node.name
        ):
            return True
    return False


def _has_docstring(body: Sequence[ast.stmt]) -> bool:
    return bool(body) and is_string_statement(body[0])


def _import_names(tree: ast.Module) -> dict[str, str]:
    """Map each imported local name to what it stands for (``ov`` -> ``typing.overload``)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


# --- comments bound to a line ----------------------------------------------------------------


# --- summaries -------------------------------------------------------------------------------


def _planned_indent_width(source: SourceFile, node: Definition) -> int:
    """Return the width of the body's indentation (a one-line body: the header's plus 4)."""
    first = node.body[0]
    line = source.lines[first.lineno - 1]
    before_body = line.encode("utf-8")[: first.col_offset].decode("utf-8", errors="replace")
    if before_body.strip():  # ``def f(): return 1``
        return len(leading_whitespace(source.lines[node.lineno - 1]).expandtabs()) + 4
    return len(before_body.expandtabs())


def _message(stub: Stub) -> str:
    label = {"magic": "magic method", "init": "__init__"}.get(stub.kind, stub.kind)
    label = label.replace("-", " ")
    return f"missing {label} docstring for {stub.name}"


def _extent(node: Definition) -> tuple[tuple[int, int], ...]:
    """Return the lines whose change concerns a definition's missing docstring.

    A function: all of it (header, decorators, body). A class: its header and its own
    statements, not the bodies of its methods and nested classes -- a change to one method
    concerns that method's docstring, not the class's.
    """
    header = node_lines(node)
    if not isinstance(node, ast.ClassDef):
        return ((header[0], node.end_lineno or node.lineno),)
    own = [
        (statement.lineno, statement.end_lineno or statement.lineno)
        for statement in node.body
        if not isinstance(statement, Definition)
    ]
    return (header, *own)


def _not_this(summary: str | None) -> str | None:
    """Return ``summary`` unless its first word is "This" (pydocstyle D404 reports that)."""
    return None if summary is None or summary.split()[0].rstrip(".") == "This" else summary
