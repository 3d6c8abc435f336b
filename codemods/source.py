"""The view of one file that codemods read: its text, lines, ``ast`` and ``symtable``.

Building a :class:`SourceFile` costs one ``ast.parse`` (about a tenth of a LibCST parse);
``symtable`` is built on first use only. The view also turns ``ast`` positions into
:class:`~codemods.finding.Edit` objects (:meth:`SourceFile.replace` and friends), so a codemod
whose fix is a text edit never needs a LibCST tree.

Reading a file's bytes into text (BOM, PEP 263 cookie, UTF-8; never replacing a byte) and
the digest that identifies those bytes live here too.
"""

from __future__ import annotations

import ast
import codecs
import dataclasses
import functools
import hashlib
import io
import os
import stat
import symtable
import tokenize

from codemods.astutil import physical_lines
from codemods.finding import Edit
from codemods.portability import reading_flags


class SourceFile:
    """One version of a file's text with its ``ast`` tree and lazily built ``symtable``."""

    def __init__(self, path: str, text: str) -> None:
        """Parse ``text`` with ``ast`` (raises ``SyntaxError`` on invalid code)."""
        self.path = path
        self.text = text
        self.tree: ast.Module = ast.parse(text, filename=path, type_comments=False)

    @functools.cached_property
    def lines(self) -> list[str]:
        """Return the physical lines, with their endings, numbered as ``ast`` numbers them.

        Only ``\n``, ``\r\n`` and ``\r`` end a line (``str.splitlines`` would also split at
        form feeds and other Unicode breaks, and shift every later line number).
        """
        return physical_lines(self.text)

    @functools.cached_property
    def symtable(self) -> symtable.SymbolTable:
        """Return the compiler's scope analysis of the text (built on first use)."""
        return symtable.symtable(self.text, self.path, "exec")

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        return starts

    def offset(self, line: int, column: int) -> int:
        """Return the text offset of ``ast`` position (1-based line, UTF-8 byte column)."""
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        prefix = text.encode("utf-8", "surrogatepass")[:column]
        return self._line_starts[line - 1] + len(prefix.decode("utf-8", "surrogatepass"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        """Return the text offsets where ``node`` starts and ends."""
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def replace(self, node: ast.AST, text: str) -> Edit:
        """Return the edit that replaces ``node``'s source with ``text``."""
        start, end = self.span(node)
        return Edit(start, end, text)

    def replace_lines(self, first: int, last: int, text: str) -> Edit:
        """Return the edit that replaces whole lines ``first``..``last`` (endings included)."""
        return Edit(self._line_starts[first - 1], self._line_starts[last], text)

    def insert_before_line(self, line: int, text: str) -> Edit:
        """Return the edit that inserts ``text`` at the start of ``line``."""
        start = self._line_starts[min(line, len(self.lines) + 1) - 1]
        return Edit(start, start, text)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Return ``text`` with ``edits`` applied; they must not overlap (``ValueError``)."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        if edit.start < position or edit.end < edit.start or edit.end > len(text):
            raise ValueError(f"overlapping or out-of-range edit at offset {edit.start}")
        pieces.append(text[position : edit.start])
        pieces.append(edit.text)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclasses.dataclass(frozen=True)
class DecodedSource:
    """Text decoded from a file's bytes, with the codec that gives the same bytes back."""

    text: str
    encoding: str


class DecodeError(Exception):
    """The bytes are not text in the encoding the file declares."""

    def __init__(self, line: int, column: int, message: str) -> None:
        """Record the position (1-based) and the message."""
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def decode_source(data: bytes) -> DecodedSource:
    """Decode Python source bytes as the interpreter would (BOM, then coding cookie, then UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise DecodeError(getattr(error, "lineno", None) or 1, 1, str(error)) from None
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"cannot decode byte {data[error.start]:#04x} as {encoding}"
        raise DecodeError(line, column, message) from None
    except LookupError:
        raise DecodeError(1, 1, f"unknown encoding {encoding!r}") from None
    return DecodedSource(text=text, encoding=encoding)


class NotRegularFile(Exception):
    """The path names a device, a FIFO, a socket or a directory, not a regular file."""


class FileTooLarge(OSError):
    """The file is larger than the run's ``--max-file-size``."""


def read_regular_file(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """Return the bytes of the regular file at ``path``; refuse anything else.

    The file is checked before it is opened (opening a device can have effects) and
    opened without blocking (a FIFO would wait for a writer forever; see
    :func:`~codemods.portability.open_flags_nonblocking`), then checked again. With
    ``limit``, a file of more bytes (or one that grows past it while read) is refused.
    Raises :class:`NotRegularFile`, :class:`FileTooLarge` or ``OSError``.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile("not a regular file")
    descriptor = os.open(path, reading_flags())
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile("not a regular file")
        if limit is None:
            return handle.read()
        data = handle.read(limit + 1)
        if status.st_size > limit or len(data) > limit:
            raise FileTooLarge(f"larger than --max-file-size ({limit} bytes); it was not read")
        return data


def file_digest(data: bytes) -> str:
    """Return the digest that identifies the exact bytes of a file."""
    return hashlib.sha256(data).hexdigest()
