"""Mutations of real source files: the layouts and encodings users' files come in.

Each mutation takes a UTF-8 file that is consistently indented by 4 spaces (a Nova file, a
file of this project) and returns the bytes of a variant a user may well have:

* indentation: ``tabs`` (4 spaces -> a tab), ``two-spaces``, ``mixed`` (8 columns -> a tab,
  the rest spaces, as Python 2 editors wrote them: often a ``TabError`` in Python 3);
* ``form-feeds``: a form feed on blank lines and before the indentation of some lines;
* encodings: ``bom`` (UTF-8 with a byte order mark), ``latin-1`` and ``cp932`` with a PEP 263
  coding cookie and non-ASCII characters in comments and strings, ``cp932-nec`` the same with
  the NEC bytes ``87 90`` (which decode to a character that cp932 encodes as ``81 e0``);
* line endings: ``crlf``, ``cr`` (CR only);
* ``no-final-newline``;
* ``unused-locals``: an assignment nobody reads at the top of every function body (a
  constant, a call, a lambda, a comprehension, by turns), so that ``unused-variables`` has
  work in code that has none (Nova).

The changes are made line by line without parsing, so they also reach the insides of
strings: the variant is just another input, and what is checked is the codemods' output
against that input. :func:`mutate` applies one choice of each kind; :data:`MUTATIONS` lists
every single mutation by name.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize

INDENTS = ("spaces", "tabs", "two-spaces", "mixed")
"""How blocks are indented (``spaces``: as the file was)."""
ENCODINGS = ("utf-8", "bom", "latin-1", "cp932", "cp932-nec")
"""How the text is encoded (``utf-8``: as the file was)."""
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
"""Line endings by name."""

LATIN_1_TEXT = "café déjà vu ñ ©"
"""Non-ASCII text Latin-1 encodes."""
CP932_TEXT = "日本語のコメント ｱｲｳ ①"
"""Non-ASCII text cp932 encodes: kanji, kana, half-width kana, an NEC circled digit."""
NEC_BYTES = b"\x87\x90"
"""cp932 bytes that decode to U+2252, which cp932 encodes as ``81 e0``: they only survive a
round trip when the untouched lines keep their bytes."""
_NEC_MARK = "\ue000"
"""A private-use character standing for :data:`NEC_BYTES` until the text is encoded."""
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_LEADING_SPACES = re.compile(r"^( +)(?=\S)")


@dataclasses.dataclass(frozen=True)
class Mutation:
    """One choice of each kind of mutation (the defaults leave the file as it was)."""

    indent: str = "spaces"
    form_feeds: bool = False
    encoding: str = "utf-8"
    newline: str = "lf"
    final_newline: bool = True
    unused_locals: bool = False

    def describe(self) -> str:
        """Return the mutation's name: its non-default choices joined by ``+``."""
        parts = [
            self.indent if self.indent != "spaces" else "",
            "form-feeds" if self.form_feeds else "",
            self.encoding if self.encoding != "utf-8" else "",
            self.newline if self.newline != "lf" else "",
            "" if self.final_newline else "no-final-newline",
            "unused-locals" if self.unused_locals else "",
        ]
        return "+".join(part for part in parts if part) or "unchanged"


MUTATIONS: dict[str, Mutation] = {
    "tabs": Mutation(indent="tabs"),
    "two-spaces": Mutation(indent="two-spaces"),
    "mixed": Mutation(indent="mixed"),
    "form-feeds": Mutation(form_feeds=True),
    "bom": Mutation(encoding="bom"),
    "latin-1": Mutation(encoding="latin-1"),
    "cp932": Mutation(encoding="cp932"),
    "cp932-nec": Mutation(encoding="cp932-nec"),
    "crlf": Mutation(newline="crlf"),
    "cr": Mutation(newline="cr"),
    "no-final-newline": Mutation(final_newline=False),
    "unused-locals": Mutation(unused_locals=True),
}
"""Every single mutation by name."""


def mutate(data: bytes, mutation: Mutation) -> bytes:
    """Return ``data`` (UTF-8, LF or CRLF line endings) with ``mutation`` applied.

    Lone surrogates (``surrogatepass``) are kept, in UTF-8, or escaped in other encodings.
    """
    text = data.decode("utf-8-sig", "surrogatepass").replace("\r\n", "\n")
    lines = _lines(text)
    if mutation.unused_locals:
        lines = _with_unused_locals(lines)
    lines = [_reindent(line, mutation.indent) for line in lines]
    if mutation.form_feeds:
        lines = _with_form_feeds(lines)
    text = "".join(lines)
    if mutation.encoding in ("latin-1", "cp932", "cp932-nec"):
        text = _with_non_ascii(text, mutation.encoding)
    if not mutation.final_newline:
        text = text.rstrip("\n")
    text = text.replace("\n", NEWLINES[mutation.newline])
    return _encode(text, mutation.encoding)


def _lines(text: str) -> list[str]:
    """Split ``text`` after each ``\\n`` only (``str.splitlines`` also splits at form feeds)."""
    return _LINE.findall(text)


UNUSED_VALUES = ("0", "object()", "lambda: None", "[item for item in ()]", "{}.get(0)")
"""The values of the unused assignments, by turns: pure ones go, effects stay."""


def _with_unused_locals(lines: list[str]) -> list[str]:
    """Insert ``fuzz_unused_N = VALUE`` before the first statement of every function body.

    After a docstring, when there is one; only where that statement starts its own line.
    A file that does not parse, or has lone CR line endings, is left as it is.
    """
    if any("\r" in line for line in lines):
        return lines
    try:
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError):
        return lines
    rows: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body[1:] if _is_docstring(node.body[0]) else node.body
            if body and body[0].lineno > node.lineno:
                first = lines[body[0].lineno - 1]
                indent = first[: len(first) - len(first.lstrip(" "))]
                if len(indent) == body[0].col_offset:
                    rows[body[0].lineno] = indent
    out = list(lines)
    for number, row in enumerate(sorted(rows, reverse=True)):
        value = UNUSED_VALUES[number % len(UNUSED_VALUES)]
        out.insert(row - 1, f"{rows[row]}fuzz_unused_{number} = {value}\n")
    return out


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _reindent(line: str, indent: str) -> str:
    """Re-indent a line's leading spaces (each 4 columns one level)."""
    match = _LEADING_SPACES.match(line)
    if match is None or indent == "spaces":
        return line
    width = len(match.group(1))
    if indent == "tabs":
        new = "\t" * (width // 4) + " " * (width % 4)
    elif indent == "two-spaces":
        new = "  " * (width // 4) + " " * (width % 4)
    else:  # mixed: a tab for each 8 columns
        new = "\t" * (width // 8) + " " * (width % 8)
    return new + line[width:]


def _with_form_feeds(lines: list[str]) -> list[str]:
    """Put a form feed on each blank line and before the indentation of every third line."""
    out = []
    for number, line in enumerate(lines):
        if not line.strip():
            out.append("\f" + line)
        elif number % 3 == 0 and line[:1] in (" ", "\t"):
            out.append("\f" + line)
        else:
            out.append(line)
    return out


def _with_non_ascii(text: str, encoding: str) -> str:
    """Add a coding cookie, and non-ASCII characters to comments and (single-line) strings."""
    sample = LATIN_1_TEXT if encoding == "latin-1" else CP932_TEXT
    if encoding == "cp932-nec":
        sample += " " + _NEC_MARK
    text = _add_to_tokens(text, sample)
    cookie = f"# -*- coding: {'latin-1' if encoding == 'latin-1' else 'cp932'} -*-\n"
    lines = _lines(text)
    for index in range(min(2, len(lines))):
        if _COOKIE.match(lines[index]):
            lines[index] = cookie
            return "".join(lines)
    at = 1 if lines and lines[0].startswith("#!") else 0
    return "".join([*lines[:at], cookie, *lines[at:]])


def _add_to_tokens(text: str, sample: str) -> str:
    """Append ``sample`` to every comment and to the value of every single-line plain string."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    lines = _lines(text)
    edits: list[tuple[int, int, str]] = []
    for token in tokens:
        (row, column), (end_row, end_column) = token.start, token.end
        if token.type == tokenize.COMMENT:
            edits.append((row, end_column, " " + sample))
        elif token.type == tokenize.STRING and row == end_row and _plain_string(token.string):
            quote = token.string[-1]
            edits.append((row, end_column - 1, sample.replace(quote, "")))
    for row, column, addition in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:column] + addition + line[column:]
    return "".join(lines)


def _plain_string(literal: str) -> bool:
    """Tell whether a string literal takes any character as it is (no bytes, no raw, no f)."""
    prefix = literal[: len(literal) - len(literal.lstrip("bBrRuUfF"))]
    return not set(prefix.lower()) & {"b", "r", "f"} and literal[-3:] not in ('"""', "'''")


def _encode(text: str, encoding: str) -> bytes:
    """Encode ``text``; characters the codec lacks become backslash escapes."""
    if encoding in ("utf-8", "bom"):
        return text.encode("utf-8-sig" if encoding == "bom" else "utf-8", "surrogatepass")
    codec = "latin-1" if encoding == "latin-1" else "cp932"
    return NEC_BYTES.join(part.encode(codec, "backslashreplace") for part in text.split(_NEC_MARK))
