"""Code newer than the running Python: name the Python it needs, from the code itself.

A pre-commit hook runs on whatever ``python3`` the machine has, so a file written for a newer
Python (a 3.12 ``type`` statement under 3.10) reaches ``ast.parse`` and fails as a plain
``SyntaxError``. When it does, this module asks LibCST, whose one grammar covers every
Python up to 3.15 (its native parser accepts every version's syntax at once: the
``python_version`` of ``PartialParserConfig`` does not restrict it), whether the text parses
at all. If it does, the tree says which newer syntax the file uses, with the first Python that
accepts it:

======  ==============================================================================
3.11    ``except*`` (PEP 654); a starred subscript ``a[*b]`` or ``*args: *Ts`` (PEP 646)
3.12    a ``type`` statement and type parameters ``def f[T]`` (PEP 695); f-strings that
        reuse their quotes, hold a backslash, a comment or a line break in a replacement
        field, or nest format specs deeper than two levels (PEP 701)
3.13    a type parameter default ``[T = int]`` (PEP 696)
3.14    a t-string (PEP 750); ``except A, B:`` without parentheses (PEP 758)
3.15    a ``lazy`` import (PEP 810); unpacking in a comprehension ``[*a for a in b]``
        (PEP 798)
======  ==============================================================================

The error then names the newest of them (the file needs that Python), and where it is. When
LibCST parses the text but none of these is newer than the running Python, the file still
parses for a later grammar: the error says it needs a newer Python than this one. When LibCST
cannot parse it either, or the tree holds a construct no Python accepts, the file is simply
invalid and keeps its ``SyntaxError``.

LibCST is imported only here, on that error path: a run over valid files never pays for it.
"""

from __future__ import annotations

import dataclasses
import functools
import platform
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst

Version = tuple[int, int]
"""A Python version as ``(major, minor)``."""

MAX_NESTING = 200
"""The deepest :func:`nesting` given to LibCST. Its native parser takes time in the square of
the nesting (a thousand unary minus signs take over a second, a thousand nested lists three,
three thousand over a minute) and overflows the C stack further down (a crash, not an
exception); CPython itself refuses more than 200 nested brackets in every version. Real code
nests a few levels (this project's own: under 50)."""
MAX_CHARACTERS = 1_000_000
"""The longest text looked at on this error path (1 MB: about a second of work)."""

_STRING = (
    r"(?:[rRbBuUfFtT]{1,2})?"
    r"(?:'''(?:\\.|[^\\])*?'''"
    r'|"""(?:\\.|[^\\])*?"""'
    r"|'(?:\\.|[^\\'\n])*'"
    r'|"(?:\\.|[^\\"\n])*")'
)
_TOKEN = re.compile(
    rf"(?P<string>{_STRING})"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<newline>\n)"
    r"|(?P<separator>[,;]|(?<![=!<>])=(?!=))"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<number>\d[\w.]*)"
    r"|(?P<space>[ \t\f\r:]+|\\\r?\n)"
    r"|(?P<operator>.)",
    re.DOTALL,
)
_BREAKS = frozenset(("and", "or", "not", "in", "is", "if", "else", "lambda", "await", "yield"))
"""Keywords that chain expressions (each one level of LibCST's recursion)."""


@dataclasses.dataclass(frozen=True)
class Feature:
    """One use of version-specific syntax: the first Python that accepts it, and where."""

    version: Version
    what: str
    """What it is, as the error names it: ``a 'type' statement``."""
    line: int


@dataclasses.dataclass(frozen=True)
class NewerSyntax:
    """Why a file the running Python rejects needs a newer one."""

    running: Version
    feature: Feature | None
    """The newest syntax the file uses (the Python it needs); ``None`` when the file parses
    for LibCST's grammar but uses none of the features this module knows."""


def syntax_features(text: str) -> list[Feature] | None:
    """Return the version-specific syntax in ``text`` (in source order), as LibCST reads it.

    ``None`` when LibCST cannot parse the text either, or when it holds a construct that no
    Python accepts (LibCST is more lenient there): then the text is just invalid. ``None``
    too, without asking LibCST, for a text nested past :data:`MAX_NESTING` or longer than
    :data:`MAX_CHARACTERS`. Raises ``RecursionError`` when walking the tree needs a deeper
    stack than this thread's (:func:`codemods.deepstack.call_with_room` gives one).
    """
    if len(text) > MAX_CHARACTERS or nesting(text) > MAX_NESTING:
        return None  # past every Python's limits, or too costly for LibCST: no evidence
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    try:
        module = cst.parse_module(text)
        finder = _finder_class()()
        MetadataWrapper(module, unsafe_skip_copy=True).visit(finder)
    except RecursionError:
        raise  # deep code: the engine retries with a large stack (codemods.deepstack)
    except Exception:  # LibCST cannot parse it either: no evidence
        return None
    if finder.invalid:
        return None
    return sorted(finder.features, key=lambda feature: feature.line)


def nesting(text: str) -> int:
    """Estimate how deeply ``text`` nests, as a recursive parser descends: cheaply, from tokens.

    Each open bracket starts a level; within one, every operator, chaining keyword (``not``,
    ``lambda``, ``else``...), trailer (the calls of ``f()()``) and adjacent string adds one,
    until ``,``, ``;`` or ``=`` (or, outside brackets, the end of the line) ends the
    expression. The estimate is the largest sum over the open levels. Strings are skipped
    roughly (a PEP 701 f-string that reuses its quotes reads as several strings): the
    estimate tells ordinary code from pathological code, it is not a parse.
    """
    runs = [0]
    """The operators of the expression being read, one count per open bracket."""
    total = deepest = 0
    previous = ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind in ("space", "comment") or (kind == "newline" and len(runs) > 1):
            continue
        if kind == "open":
            if previous in ("name", "number", "close", "string"):
                runs[-1] += 1  # a trailer: a call or subscript of what precedes
                total += 1
            runs.append(0)
            total += 1
        elif kind == "close" and len(runs) > 1:
            total -= 1 + runs.pop()
        elif kind in ("separator", "newline"):
            total -= runs[-1]
            runs[-1] = 0
        elif (
            kind == "operator"
            or (kind == "name" and match.group() in _BREAKS)
            or (kind == "string" and previous == "string")
        ):
            runs[-1] += 1
            total += 1
        deepest = max(deepest, total)
        previous = kind
    return deepest


def newer_syntax(text: str, running: Version | None = None) -> NewerSyntax | None:
    """Explain why ``text``, which the running Python cannot parse, needs a newer Python.

    ``running`` is the Python to compare with (default: this one). Returns ``None`` when the
    text is invalid for every Python LibCST knows: its ``SyntaxError`` is the whole story.
    """
    running = running or (sys.version_info.major, sys.version_info.minor)
    features = syntax_features(text)
    if features is None:
        return None
    newer = [feature for feature in features if feature.version > running]
    if not newer:
        return NewerSyntax(running, None)
    newest = max(feature.version for feature in newer)
    return NewerSyntax(running, next(f for f in newer if f.version == newest))


def newer_python_message(text: str) -> str | None:
    """Return the one-line error for ``text`` that the running Python could not parse.

    ``this file needs Python 3.12 or newer (a 'type' statement at line 3); codemods runs on
    Python 3.10.13 here`` -- or ``None`` when the text is not newer code but invalid code.
    """
    found = newer_syntax(text)
    if found is None:
        return None
    return describe(found, platform.python_version())


def describe(found: NewerSyntax, python: str) -> str:
    """Render ``found`` as the error message; ``python`` is the running version, in full."""
    here = f"codemods runs on Python {python} here"
    feature = found.feature
    if feature is None:
        major, minor = found.running
        return f"this file needs a newer Python than {major}.{minor}; {here}"
    major, minor = feature.version
    return (
        f"this file needs Python {major}.{minor} or newer "
        f"({feature.what} at line {feature.line}); {here}"
    )


def _outer_quote(start: str) -> str:
    """Return the quote of an f-string from its ``start`` (``rf'''`` gives ``'''``)."""
    return start.lstrip("fFrRtT")


@functools.cache
def _finder_class() -> type[Any]:
    """Return the visitor class, built once (LibCST is imported only when a file needs it)."""
    import libcst as cst
    from libcst.metadata import PositionProvider

    empty = cst.Module(body=[])

    class Finder(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            super().__init__()
            self.features: list[Feature] = []
            self.invalid = False
            self.nested_scopes = 0
            """Functions, classes, ``try`` and ``with`` blocks around the current node (a
            ``lazy`` import inside one is invalid in every Python)."""

        def _add(self, version: Version, what: str, node: cst.CSTNode) -> None:
            line = self.get_metadata(PositionProvider, node).start.line
            self.features.append(Feature(version, what, line))

        # 3.10 -------------------------------------------------------------------------
        def visit_Match(self, node: cst.Match) -> None:
            self._add((3, 10), "a 'match' statement", node)

        # 3.11 -------------------------------------------------------------------------
        def visit_TryStar(self, node: cst.TryStar) -> None:
            self.nested_scopes += 1

        def leave_TryStar(self, original_node: cst.TryStar) -> None:
            self.nested_scopes -= 1

        def visit_Index(self, node: cst.Index) -> None:
            if node.star:
                self._add((3, 11), "a starred subscript", node)

        def visit_Param(self, node: cst.Param) -> None:
            annotation = node.annotation
            if annotation is not None and isinstance(annotation.annotation, cst.StarredElement):
                self._add((3, 11), "a starred '*args' annotation", node)

        # 3.12 -------------------------------------------------------------------------
        def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
            self._add((3, 12), "a 'type' statement", node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if node.type_parameters is not None:
                name = node.name.value
                self._add((3, 12), f"type parameters on function '{name}'", node.type_parameters)
            self.nested_scopes += 1

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.nested_scopes -= 1

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            if node.type_parameters is not None:
                name = node.name.value
                self._add((3, 12), f"type parameters on class '{name}'", node.type_parameters)
            self.nested_scopes += 1

        def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
            self.nested_scopes -= 1

        def visit_FormattedString(self, node: cst.FormattedString) -> None:
            what = _pep701_use(node, empty)
            if what is not None:
                self._add((3, 12), what, node)

        # 3.13 -------------------------------------------------------------------------
        def visit_TypeParam(self, node: cst.TypeParam) -> None:
            if getattr(node, "default", None) is not None:  # absent from older LibCSTs
                self._add((3, 13), "a type parameter default", node)

        # 3.14 -------------------------------------------------------------------------
        def visit_TemplatedString(self, node: cst.TemplatedString) -> None:
            self._add((3, 14), "a t-string", node)

        def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
            self._except_types(node.type, node)

        def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
            self._add((3, 11), "an 'except*' clause", node)
            self._except_types(node.type, node)

        def _except_types(self, types: cst.BaseExpression | None, node: cst.CSTNode) -> None:
            if isinstance(types, cst.Tuple) and not types.lpar:
                self._add((3, 14), "an 'except' of several types without parentheses", node)

        # 3.15 -------------------------------------------------------------------------
        def visit_LazyImport(self, node: cst.LazyImport) -> None:
            self._lazy(node)

        def visit_LazyImportFrom(self, node: cst.LazyImportFrom) -> None:
            if isinstance(node.names, cst.ImportStar):
                self.invalid = True  # 'lazy from m import *' is refused by PEP 810 itself
            self._lazy(node)

        def _lazy(self, node: cst.CSTNode) -> None:
            if self.nested_scopes:
                self.invalid = True  # only allowed at module level, outside try and with
            self._add((3, 15), "a 'lazy' import", node)

        def visit_Try(self, node: cst.Try) -> None:
            self.nested_scopes += 1

        def leave_Try(self, original_node: cst.Try) -> None:
            self.nested_scopes -= 1

        def visit_With(self, node: cst.With) -> None:
            self.nested_scopes += 1

        def leave_With(self, original_node: cst.With) -> None:
            self.nested_scopes -= 1

        def visit_StarredDictComp(self, node: cst.StarredDictComp) -> None:
            self._add((3, 15), "unpacking in a comprehension", node)

        def visit_ListComp(self, node: cst.ListComp) -> None:
            self._starred_element(node)

        def visit_SetComp(self, node: cst.SetComp) -> None:
            self._starred_element(node)

        def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
            self._starred_element(node)

        def _starred_element(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp) -> None:
            if isinstance(node.elt, cst.StarredElement):
                self._add((3, 15), "unpacking in a comprehension", node)

    return Finder


def _pep701_use(node: cst.FormattedString, empty: cst.Module) -> str | None:
    """Return what makes this f-string need Python 3.12 (PEP 701), or ``None``.

    Before 3.12 a replacement field could not reuse the f-string's quotes, hold a
    backslash or a comment, span lines in a single-quoted f-string, or nest format specs
    more than two levels deep.
    """
    import libcst as cst

    quote = _outer_quote(node.start)
    fields = [(part, 1) for part in node.parts if isinstance(part, cst.FormattedStringExpression)]
    while fields:
        field, depth = fields.pop()
        if depth > 2:
            return "an f-string with format specs nested more than two levels deep"
        parts = (
            field.whitespace_before_expression,
            field.expression,
            field.whitespace_after_expression,
        )
        code = "".join(empty.code_for_node(part) for part in parts)
        if quote in code:
            return "an f-string that reuses its quotes inside a replacement field"
        if "\\" in code:
            return "an f-string with a backslash inside a replacement field"
        if any(_has_comment(part) for part in parts):
            return "an f-string with a comment inside a replacement field"
        if len(quote) == 1 and ("\n" in code or "\r" in code):
            return "a single-quoted f-string whose replacement field spans lines"
        fields.extend(
            (part, depth + 1)
            for part in field.format_spec or ()
            if isinstance(part, cst.FormattedStringExpression)
        )
    return None


def _has_comment(node: cst.CSTNode) -> bool:
    """Tell whether a ``#`` comment is inside ``node`` (not inside a string)."""
    import libcst as cst

    class Comments(cst.CSTVisitor):
        found = False

        def visit_Comment(self, node: cst.Comment) -> None:
            self.found = True

    visitor = Comments()
    node.visit(visitor)
    return visitor.found
