"""Docstring sections of a function: what its code lets them say, and their text.

:func:`function_facts` collects the parameters, the return, yield and raised types the way
pydoclint reads them, and declines (``None``) where sections could not be both complete and
right. :func:`render_sections` writes the facts in the Google, NumPy or Sphinx convention,
wrapped to a width, with a caller's description for each item. :func:`docstring_literal`
quotes finished lines as a ``\"\"\"`` literal that evaluates to exactly them.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import TypeAlias

from codemods.astutil import TRY_NODES, dotted_name

Describe: TypeAlias = Callable[..., str]
"""Describes one item: called with ``name=`` (a parameter, an exception, ``the return value``)."""

ITERATOR_TYPES = frozenset(
    {"Iterator", "Iterable", "Generator", "AsyncIterator", "AsyncIterable", "AsyncGenerator"}
)
_PARAMETER_SECTION = re.compile(
    r"^\s*(?::param\b|(?:Args|Arguments|Parameters)\s*:?\s*$)", re.MULTILINE
)


@dataclasses.dataclass(frozen=True)
class SectionFacts:
    """What a function's sections can say: parameters, return, yield and raised types."""

    parameters: tuple[tuple[str, str], ...]
    """``(label, annotation)`` of each parameter (``*args``, ``**kwargs`` keep their stars;
    the annotation is ``""`` where none is written)."""
    returns: str | None
    """The return type (``None``: no Returns section)."""
    yields: str | None
    """The yield type (``None``: no Yields section)."""
    raises: tuple[str, ...]
    """The exception classes raised in the function's own body, as written."""


def has_parameter_section(docstring: str) -> bool:
    """Tell whether a docstring has a parameter section, in any of the three conventions."""
    return _PARAMETER_SECTION.search(docstring) is not None


def function_facts(
    node: ast.FunctionDef | ast.AsyncFunctionDef, takes_receiver: bool
) -> SectionFacts | None:
    """Collect what the sections say; ``None`` when they could not be complete and right.

    ``takes_receiver``: the function is a method whose first positional parameter is its
    instance or class (not a ``staticmethod``), which no section documents.
    """
    parameters = _parameters(node, takes_receiver)
    own = list(_own_nodes(node))
    returns_value = any(
        isinstance(n, ast.Return) and n.value is not None and not _is_none(n.value) for n in own
    )
    generator = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in own)
    annotation = node.returns
    annotated_none = (
        annotation is None
        or _is_none(annotation)
        or dotted_name(annotation)
        in (
            "NoReturn",
            "typing.NoReturn",
            "Never",
            "typing.Never",
        )
    )
    raises = _raised_names(own)
    if raises is None or _beyond_pydoclint(node, takes_receiver, own):
        return None
    if generator:
        # pydoclint takes the yield type from the annotation only (DOC404): without one, or
        # with a value returned too (DOC405), no Yields section can pass.
        yielded = _yield_type(annotation) if annotation is not None else None
        if yielded is None or returns_value:
            return None
        return SectionFacts(parameters, None, yielded, raises)
    if annotation is None and any(isinstance(n, ast.Return) for n in own):
        # pydoclint asks for a Returns section for any ``return`` (even a bare one) and for
        # its type (DOC201, DOC203), which only an annotation gives
        return None
    if returns_value == annotated_none:
        return None  # annotation and body disagree (abstract methods, stubs): summary only
    returns = ast.unparse(annotation) if returns_value and annotation is not None else None
    return SectionFacts(parameters, returns, None, raises)


def _parameters(
    node: ast.FunctionDef | ast.AsyncFunctionDef, takes_receiver: bool
) -> tuple[tuple[str, str], ...]:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if takes_receiver and positional:
        positional = positional[1:]  # the instance or class, whatever its name (as pydoclint)
    listed: list[tuple[str, ast.arg]] = [(arg.arg, arg) for arg in positional]
    if arguments.vararg is not None:
        listed.append((f"*{arguments.vararg.arg}", arguments.vararg))
    listed.extend((arg.arg, arg) for arg in arguments.kwonlyargs)
    if arguments.kwarg is not None:
        listed.append((f"**{arguments.kwarg.arg}", arguments.kwarg))
    return tuple(
        (label, ast.unparse(arg.annotation) if arg.annotation is not None else "")
        for label, arg in listed
        if arg.arg.strip("_")
    )


def _beyond_pydoclint(
    node: ast.FunctionDef | ast.AsyncFunctionDef, takes_receiver: bool, own: Sequence[ast.AST]
) -> bool:
    """Tell whether pydoclint reads the function differently from Python, so sections can't pass.

    * a method with no positional parameter (``def m(*args)``): pydoclint drops ``*args``
      as if it were ``self``;
    * a ``raise`` inside a ``try`` body with handlers: pydoclint may count it as caught;
    * a nested one-line ``def f(x): return x``: pydoclint takes its ``return`` as the outer
      function's.
    """
    arguments = node.args
    if takes_receiver and not (arguments.posonlyargs or arguments.args):
        return True
    for inner in (node, *own):
        if isinstance(inner, TRY_NODES) and inner.handlers:
            if any(isinstance(n, ast.Raise) for s in inner.body for n in ast.walk(s)):
                return True
        for child in ast.iter_child_nodes(inner):
            if (
                isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                and child.body[0].lineno == child.lineno
                and any(isinstance(n, ast.Return) for n in ast.walk(child))
            ):
                return True
    return False


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Yield the nodes of a function's own body, not of nested functions, classes, lambdas."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(child, ast.expr) and child in _annotations(node):
            continue
        yield child
        yield from _own_nodes(child)


def _annotations(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.returns] if node.returns is not None else []
    return []


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _raised_names(nodes: Sequence[ast.AST]) -> tuple[str, ...] | None:
    """Return the exception classes raised directly; ``None`` if one is not a class name."""
    found: dict[str, None] = {}
    for node in nodes:
        if isinstance(node, ast.Raise):
            names = _raise_target(node, nodes)
            if names is None:
                return None
            found.update(dict.fromkeys(names))
    return tuple(found)


def _raise_target(node: ast.Raise, nodes: Sequence[ast.AST]) -> list[str] | None:
    if node.exc is None:
        handlers = [h for h in nodes if isinstance(h, ast.ExceptHandler) and _contains(h, node)]
        handler = handlers[-1] if handlers else None  # the innermost one
        if handler is None or handler.type is None:
            return None
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names = [dotted_name(t) for t in types]
        return None if None in names else [n for n in names if n is not None]
    target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    name = dotted_name(target)
    if name is None or not name.rpartition(".")[2][:1].isupper():
        return None
    return [name]


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return any(child is inner for child in ast.walk(outer))


def _yield_type(annotation: ast.expr) -> str | None:
    """``Iterator[int]`` -> ``int``; ``None`` when the annotation is not an iterator type."""
    if not isinstance(annotation, ast.Subscript):
        return None
    base = dotted_name(annotation.value)
    if base is None or base.rpartition(".")[2] not in ITERATOR_TYPES:
        return None
    argument = annotation.slice
    if isinstance(argument, ast.Tuple):
        argument = argument.elts[0]
    return ast.unparse(argument)


def render_sections(
    facts: SectionFacts, convention: str, describe: Describe, width: int
) -> list[str]:
    """Render the sections of ``facts`` as lines without indentation, each after a blank line.

    ``convention`` is ``google``, ``numpy`` or ``sphinx``; ``width`` is what a line may take
    after the docstring's indentation.
    """
    render = {"google": _google, "numpy": _numpy, "sphinx": _sphinx}[convention]
    blocks = render(facts, describe, width)
    lines: list[str] = []
    for block in blocks:
        if block:
            lines.extend(["", *block])
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text, width=width, initial_indent=first, subsequent_indent=rest, break_long_words=False
    ) or [first.rstrip()]


def _google(facts: SectionFacts, describe: Describe, width: int) -> list[list[str]]:
    """Render Google-style sections (``Args:``, ``Returns:``, ``Yields:``, ``Raises:``)."""
    space = width
    args = ["Args:"]
    for label, annotation in facts.parameters:
        head = f"    {label} ({annotation}): " if annotation else f"    {label}: "
        args.extend(_wrap(describe(name=label.lstrip("*")), space, head, "        "))
    blocks = [args if facts.parameters else []]
    for title, value, what in (
        ("Returns:", facts.returns, "the return value"),
        ("Yields:", facts.yields, "the yielded values"),
    ):
        if value is None:
            continue
        text = describe(name=what)
        blocks.append([title, *_wrap(text, space, f"    {value}: ", "        ")])
    if facts.raises:
        raises = ["Raises:"]
        for name in facts.raises:
            raises.extend(_wrap(describe(name=name), space, f"    {name}: ", "        "))
        blocks.append(raises)
    return blocks


def _numpy(facts: SectionFacts, describe: Describe, width: int) -> list[list[str]]:
    space = width
    blocks: list[list[str]] = []
    if facts.parameters:
        block = ["Parameters", "----------"]
        for label, annotation in facts.parameters:
            block.append(f"{label} : {annotation}" if annotation else label)
            block.extend(_wrap(describe(name=label.lstrip("*")), space, "    ", "    "))
        blocks.append(block)
    for title, value, what in (
        ("Returns", facts.returns, "the return value"),
        ("Yields", facts.yields, "the yielded values"),
    ):
        if value is not None:
            text = _wrap(describe(name=what), space, "    ", "    ")
            blocks.append([title, "-" * len(title), value, *text])
    if facts.raises:
        block = ["Raises", "------"]
        for name in facts.raises:
            block.append(name)
            block.extend(_wrap(describe(name=name), space, "    ", "    "))
        blocks.append(block)
    return blocks


def _sphinx(facts: SectionFacts, describe: Describe, width: int) -> list[list[str]]:
    space = width
    fields: list[str] = []
    for label, annotation in facts.parameters:
        name = label.lstrip("*")
        fields.extend(_wrap(describe(name=name), space, f":param {label}: ", "    "))
        if annotation:
            fields.append(f":type {label}: {annotation}")
    if facts.returns is not None:
        fields.extend(_wrap(describe(name="the return value"), space, ":return: ", "    "))
        fields.append(f":rtype: {facts.returns}")
    if facts.yields is not None:
        fields.extend(_wrap(describe(name="the yielded values"), space, ":yield: ", "    "))
        fields.append(f":ytype: {facts.yields}")
    for name in facts.raises:
        fields.extend(_wrap(describe(name=name), space, f":raises {name}: ", "    "))
    return [fields]


def docstring_literal(lines: Sequence[str], indent: str, newline: str) -> str:
    """Render the docstring literal: ``\"\"\"``, ``r\"\"\"`` if a backslash appears.

    ``lines`` are the text lines without indentation; every line after the first gets
    ``indent``. Raises ``ValueError`` when no such literal evaluates to exactly the text.
    """
    text_lines = [lines[0], *((indent + line) if line else "" for line in lines[1:])]
    if len(lines) > 1:
        text_lines.append(indent)
    body = newline.join(text_lines)
    prefix = "r" if "\\" in body else ""
    literal = f'{prefix}"""{body}"""'
    expected = body.replace("\r\n", "\n").replace("\r", "\n")  # as the tokenizer reads it
    if '"""' in body or body.endswith('"') or _evaluated(literal) != expected:
        raise ValueError(f"cannot write a docstring for {lines[0]!r} safely")
    return literal


def _evaluated(literal: str) -> object:
    try:
        return ast.literal_eval(literal)
    except (SyntaxError, ValueError):
        return None
