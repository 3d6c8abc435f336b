"""One file through the codemods: read, pre-check, parse once, rewrite, verify, encode.

The pipeline, per file:

1. decode the bytes (UTF-8 BOM, PEP 263 coding cookie, default UTF-8; never replace bytes);
2. ``ast.parse`` the text (cheap) and let every selected codemod ``plan`` on it;
   a file that does not parse may first be repaired by a codemod's ``repair`` hook;
3. only if some plan has work, parse the text with LibCST -- once -- and let those codemods
   ``rewrite`` that one tree in the registry's order; between two codemods the rendered text is
   re-read with ``ast`` (cheap) so that each plans on what the previous one left. A text
   codemod (:class:`~codemods.fixes.base.TextCodemod`) that runs before any tree exists edits
   the text itself and needs no parse;
4. check that the result parses and compiles, then encode it back with the same encoding and
   BOM. Newlines are never translated, so CRLF files stay CRLF.

Any failure is an error of this file only; the file's text is then left as it was.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import hashlib
import io
import tokenize
from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

from codemods.diffs import split_lines
from codemods.fixes.base import Change, Codemod, Skip, TextCodemod
from codemods.source import SourceFile

FILE_SKIP_ID = "*"
"""The codemod id of skips that concern the whole file."""


@dataclasses.dataclass(frozen=True)
class FileError:
    """Why a file could not be processed: position (1-based), message, codemod if any."""

    line: int
    column: int
    message: str
    codemod_id: str | None = None

    def format(self, path: str) -> str:
        """Render as ``path:line:col: error: message`` (with ``[id]`` for a codemod's error)."""
        prefix = f"[{self.codemod_id}] " if self.codemod_id else ""
        return f"{path}:{self.line}:{self.column}: error: {prefix}{self.message}"


@dataclasses.dataclass(frozen=True)
class FileResult:
    """The outcome for one file: its old and new text, what changed, what was skipped, errors."""

    path: str
    old_text: str
    new_text: str
    changes: tuple[Change, ...] = ()
    skips: tuple[Skip, ...] = ()
    error: FileError | None = None
    encoding: str = "utf-8"
    digest: str = ""
    """SHA-256 of the bytes that were read, to refuse writing over a file changed since."""

    @property
    def changed(self) -> bool:
        """Tell whether the codemods changed the text (never true for a failed file)."""
        return self.error is None and self.new_text != self.old_text

    @property
    def codemod_ids(self) -> tuple[str, ...]:
        """Return the ids of the codemods that changed the file, in run order, once each."""
        return tuple(dict.fromkeys(change.codemod_id for change in self.changes))

    @property
    def has_bom(self) -> bool:
        """Tell whether the file starts with a UTF-8 byte order mark."""
        return self.encoding == "utf-8-sig"

    def new_bytes(self) -> bytes:
        """Encode the new text the way the file was encoded (same codec, same BOM)."""
        return self.new_text.encode(self.encoding)


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


def file_digest(data: bytes) -> str:
    """Return the digest that identifies the exact bytes of a file."""
    return hashlib.sha256(data).hexdigest()


class Engine:
    """Runs a fixed sequence of codemod instances over files, one LibCST parse per file."""

    def __init__(self, codemods: Sequence[Codemod]) -> None:
        """Keep the codemods in the order they will run."""
        self.codemods = tuple(codemods)

    def fix_bytes(self, path: str, data: bytes) -> FileResult:
        """Run the codemods on a file's bytes; ``path`` is only used in messages."""
        digest = file_digest(data)
        try:
            decoded = decode_source(data)
        except DecodeError as error:
            return FileResult(
                path,
                "",
                "",
                error=FileError(error.line, error.column, error.message),
                digest=digest,
            )
        result = self.fix_text(path, decoded.text)
        return dataclasses.replace(result, encoding=decoded.encoding, digest=digest)

    def fix_text(self, path: str, text: str) -> FileResult:
        """Run the codemods on already decoded text."""
        changes: list[Change] = []
        try:
            source = SourceFile(path, text)
        except SyntaxError as error:
            repaired = self._repair(path, text, error)
            if repaired is None:
                return _failed(path, text, _syntax_error(error))
            source, repair = repaired
            changes.append(repair)
        if source.skip_file:
            skip = Skip(FILE_SKIP_ID, 1, "the file has a '# codemods: skip-file' comment")
            return FileResult(path, text, text, skips=(skip,))
        return self._run_codemods(source, text, changes)

    def _repair(
        self, path: str, text: str, error: SyntaxError
    ) -> tuple[SourceFile, Change] | None:
        """Let the codemods' ``repair`` hooks make an unparseable file parse (first one wins)."""
        for codemod in self.codemods:
            try:
                repaired = codemod.repair(text, error)
                if repaired is None or repaired == text:
                    continue
                source = SourceFile(path, repaired)
            except Exception:  # a failed repair leaves the original error standing
                continue
            line = error.lineno or 1
            return source, Change(codemod.id, line, f"repaired: {error.msg or error}")
        return None

    def _run_codemods(
        self, source: SourceFile, original: str, changes: list[Change]
    ) -> FileResult:
        module: cst.Module | None = None
        skips: list[Skip] = []
        for codemod in self.codemods:
            try:
                plan = codemod.plan(source)
                planned_skips = list(plan.skips)
                if source.text != original:
                    planned_skips = _map_lines(planned_skips, source.text, original)
                skips.extend(sorted(planned_skips, key=lambda skip: skip.line))
                if not plan.has_work:
                    continue
                if module is None and isinstance(codemod, TextCodemod):
                    new_text, made = codemod.rewrite_text(source, plan)
                else:
                    if module is None:
                        module = cst.parse_module(source.text)
                    module, made = codemod.rewrite(module, source, plan)
                    new_text = module.code  # rendering can fail (RecursionError on deep nesting)
            except cst.ParserSyntaxError as error:
                return _failed(
                    source.path,
                    original,
                    FileError(
                        error.editor_line,
                        error.editor_column,
                        f"LibCST cannot parse this file (Python can): {error.message}",
                    ),
                )
            except Exception as error:  # a codemod's bug must not take other files down
                message = f"internal error: {type(error).__name__}: {error}"
                return _failed(source.path, original, FileError(1, 1, message, codemod.id))
            if source.text != original:  # report lines of the file as it was read
                made = _map_lines(made, source.text, original)
            changes.extend(sorted(made, key=lambda change: change.line))
            if new_text == source.text:
                continue
            try:
                source = SourceFile(source.path, new_text)
            except SyntaxError as error:
                message = f"produced code that does not parse: {_syntax_error(error).message}"
                return _failed(source.path, original, FileError(1, 1, message, codemod.id))
        if source.text != original:
            error = _compile_error(source, original)
            if error is not None:
                return _failed(source.path, original, error)
        return FileResult(source.path, original, source.text, tuple(changes), tuple(skips))


LineRecord = TypeVar("LineRecord", Change, Skip)


def _map_lines(records: list[LineRecord], stage_text: str, original: str) -> list[LineRecord]:
    """Re-express lines of ``stage_text`` as lines of ``original`` (an edited line: its start).

    A codemod reports lines of the text it worked on; after an earlier codemod changed the
    text, those lines are mapped back so that every report speaks of the file as it was read.
    """
    matcher = difflib.SequenceMatcher(
        None, split_lines(original), split_lines(stage_text), autojunk=False
    )
    blocks = matcher.get_opcodes()
    mapped = []
    for record in records:
        index = record.line - 1
        for tag, old_start, _, new_start, new_end in blocks:
            if new_start <= index < new_end or (new_start == new_end == index):
                offset = index - new_start if tag == "equal" else 0
                mapped.append(dataclasses.replace(record, line=old_start + offset + 1))
                break
        else:
            mapped.append(record)
    return mapped


def _failed(path: str, text: str, error: FileError) -> FileResult:
    return FileResult(path, text, text, error=error)


def _syntax_error(error: SyntaxError) -> FileError:
    return FileError(error.lineno or 1, error.offset or 1, error.msg or str(error))


def _compile_error(source: SourceFile, old_text: str) -> FileError | None:
    """Return why the new text does not compile, unless the original did not compile either.

    The new text's ``ast`` tree is compiled, so it is not parsed a second time.
    """
    path = source.path
    try:
        compile(source.tree, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        try:
            compile(old_text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as old_error:
            if isinstance(old_error, SyntaxError):
                return _syntax_error(old_error)
            return FileError(1, 1, str(old_error))
        detail = error.msg if isinstance(error, SyntaxError) else str(error)
        return FileError(1, 1, f"the fixed code does not compile: {detail}")
    return None
