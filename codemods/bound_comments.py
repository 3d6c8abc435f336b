"""Comments bound to a line: where a docstring may go without moving them off it.

mypy reads a module-wide ``# type: ignore`` only before the first statement and a signature
type comment only right below its ``def``; on a one-line definition, a ``# type: ignore[...]``,
``# noqa`` or ``# pragma`` may be about the header or the body. These helpers tell which, so
that ``docstring-stubs`` keeps each comment where it binds or leaves the definition alone.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from codemods.source import SourceFile

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


MYPY_DEFINITION_CODES = frozenset(
    {
        "override",
        "explicit-override",
        "no-untyped-def",
        "no-redef",
        "empty-body",
        "return",
        "untyped-decorator",
    }
)
"""mypy error codes reported at a ``def``/``class`` line, never inside the body: a one-line
definition's ``# type: ignore[...]`` naming only these stays on the header line."""


PYRIGHT_DEFINITION_RULES = frozenset(
    {
        "reportIncompatibleMethodOverride",
        "reportIncompatibleVariableOverride",
        "reportImplicitOverride",
        "reportRedeclaration",
        "reportMissingParameterType",
    }
)
"""pyright rules reported at the header: ``# pyright: ignore[...]`` naming only these stays."""


NOQA_DEFINITION_CODES = re.compile(
    r"E30[1-6]|E70[14]|N80[1-7]|ANN\d{3}|ARG00[1-5]|FBT00[1-3]|A00[12]|B00[68]|C901"
    r"|PLR091[1-7]|D1\d\d"
)
"""Linter codes reported at the header line (blank lines before it, a statement on the def
line, naming, annotations, arguments, complexity): ``# noqa: ...`` naming only these stays."""


_TYPE_IGNORE = re.compile(r"type:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?")


_PYRIGHT_IGNORE = re.compile(r"pyright:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?")


_NOQA = re.compile(r"noqa\b(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)


SIGNATURE_TYPE_COMMENT = re.compile(r"#\s*type:(?!\s*ignore\b)")


MODULE_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\b")


def one_line_body_comment(source: SourceFile, node: Definition) -> str | None:
    """Return the trailing comment of a one-line body (``def f(): return 1  # c``), if any."""
    first = node.body[0]
    line = source.lines[first.lineno - 1]
    if not line.encode("utf-8")[: first.col_offset].strip():
        return None  # the body starts its own line
    end = node.end_lineno or node.lineno
    text = "".join(source.lines[node.lineno - 1 : end])
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NEWLINE:
                break
            previous = token
    except (tokenize.TokenError, SyntaxError):
        return None
    if previous is not None and previous.type == tokenize.COMMENT:
        return previous.string
    return None


def bound_comment_place(comment: str) -> str | None:
    """Tell where a one-line body's trailing comment goes: ``header``, ``body``, or ``None``.

    A plain comment moves with the body. A comment bound to its line -- ``# type:``,
    ``# noqa``, ``# pragma:``, ``# pylint:``, ``# pyright: ignore`` -- stays on the header when
    it is about the definition: a pragma (coverage excludes a whole function from its
    header line), a pylint directive (it covers the block it opens), an ignore naming only
    codes reported at the header. Otherwise (a bare ``# type: ignore``, a code reported in
    the body, a ``# type:`` annotation) nobody can tell which line it is for: ``None``.
    """
    bound = False
    for part in comment.split("#")[1:]:
        part = part.strip()
        if part.startswith(("pragma:", "pylint:")):
            bound = True
            continue
        match = _TYPE_IGNORE.match(part) or _PYRIGHT_IGNORE.match(part)
        if match is not None:
            codes = [code.strip() for code in (match["codes"] or "").split(",") if code.strip()]
            known = MYPY_DEFINITION_CODES if part.startswith("type") else PYRIGHT_DEFINITION_RULES
            if not codes or not known.issuperset(codes):
                return None
            bound = True
            continue
        if part.startswith("type:"):
            return None  # the statement's annotation, or (for mypy) the signature's
        match = _NOQA.match(part)
        if match is not None:
            codes = re.split(r"[,\s]+", match["codes"] or "")
            if not all(NOQA_DEFINITION_CODES.fullmatch(code) for code in codes):
                return None
            bound = True
    return "header" if bound else "body"
