"""Encoding fixed text back to bytes so that every line no codemod edited keeps its bytes.

For UTF-8 (the common case) decoding and encoding are exact inverses. Some codecs are not:
cp932 decodes both ``87 90`` and ``81 e0`` to U+2252 and encodes it as ``81 e0``, so a
comment no codemod touched would come back different. For such a file the new bytes are
spliced: lines equal to lines of the file as read keep their original bytes, and only the
edited lines are encoded. A codec that cannot be spliced line by line (``unicode_escape``
turns a newline into the two characters ``\\n``) is refused with a reason instead.

Whatever the codec, the new bytes are then read back as Python will read them
(:func:`verify_written`): decoded by their own BOM and coding cookie, which an edit may have
moved off line 1 or 2 (where alone Python reads a cookie), they must give the same codec and
the fixed text, and compile. Otherwise the file is refused, never written.
"""

from __future__ import annotations

import ast
import codecs
import difflib
import re

from codemods.astutil import physical_lines
from codemods.deepstack import call_with_room
from codemods.source import DecodeError, decode_source

_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_ASCII_PROBE = "".join(map(chr, range(32, 127))) + "\t\n\r\f"


class EncodeError(Exception):
    """The fixed text cannot be written in the file's encoding without changing other bytes."""


class NotReadBack(EncodeError):
    """Python would not read the new bytes back as the fixed text, or would not compile them."""


def encode_preserving(data: bytes, old_text: str, new_text: str, encoding: str) -> bytes:
    """Return ``new_text`` encoded as ``encoding``, reusing ``data``'s bytes for kept lines.

    ``old_text`` is ``data`` decoded. Raises :class:`EncodeError` when the result would not
    decode back to ``new_text`` or would change a byte of a line no codemod edited.
    """
    try:
        if _ASCII_PROBE.encode(encoding) != _ASCII_PROBE.encode("ascii"):
            raise EncodeError(
                f"{encoding} does not write ASCII as ASCII (a newline would not stay a "
                "newline); files in it are not edited"
            )
        if old_text.encode(encoding) == data:
            return _checked(new_text.encode(encoding), new_text, encoding)
        old_lines = _split(data)
        old_texts = [line.decode(encoding) for line in old_lines]
    except (UnicodeError, LookupError) as error:
        raise EncodeError(f"cannot encode the fixed text as {encoding}: {error}") from None
    if "".join(old_texts) != old_text:
        raise EncodeError(f"{encoding} does not decode this file line by line")
    new_texts = physical_lines(new_text)
    pieces: list[bytes] = []
    matcher = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            pieces.extend(old_lines[old_start:old_end])
            continue
        try:
            pieces.extend(line.encode(encoding) for line in new_texts[new_start:new_end])
        except UnicodeError as error:
            raise EncodeError(f"cannot encode the fixed text as {encoding}: {error}") from None
    return _checked(b"".join(pieces), new_text, encoding)


def _split(data: bytes) -> list[bytes]:
    return _LINE.findall(data)


def _checked(encoded: bytes, text: str, encoding: str) -> bytes:
    try:
        round_trip = encoded.decode(encoding)
    except UnicodeError:
        round_trip = None
    if round_trip != text:
        raise EncodeError(
            f"the fixed text does not encode back to itself as {encoding}; "
            "the file was left as it is"
        )
    return encoded


def verify_written(data: bytes, text: str, encoding: str, path: str) -> None:
    """Check that Python reads ``data`` back as ``text`` in ``encoding``, and compiles it.

    ``data`` is decoded as the interpreter decodes a source file (a UTF-8 BOM, else a PEP 263
    cookie on line 1 or 2, else UTF-8: :func:`codemods.source.decode_source`, built on
    :func:`tokenize.detect_encoding`), not with the codec that encoded it: a cookie that an
    edit pushed below line 2 no longer counts, one it brought up to line 2 starts to. The
    codec must be ``encoding`` still (the one the file was read with, whose cookie it keeps),
    the text ``text``, and the bytes must parse and compile (``ast.parse`` of the bytes, which
    decodes them with CPython's own tokenizer). Raises :class:`NotReadBack` saying what
    differs, or :class:`~codemods.deepstack.TooDeep` for code too deep to compile even with
    a large stack.
    """
    try:
        decoded = decode_source(data)
    except DecodeError as error:
        raise NotReadBack(
            f"Python would not decode the fixed file: {error.message} at its line {error.line}"
        ) from None
    if _codec(decoded.encoding) != _codec(encoding):
        raise NotReadBack(
            f"Python would read the fixed file as {decoded.encoding}, not {encoding}: a coding "
            "cookie or BOM no longer counts where it is, or a new one does"
        )
    if decoded.text != text:
        raise NotReadBack(
            f"Python would not read the fixed file's bytes back as the fixed text ({encoding})"
        )

    def parsed_and_compiled() -> str | None:
        try:
            tree = ast.parse(data, filename=path)
        except (SyntaxError, ValueError) as error:
            return f"the fixed file's bytes do not parse: {_detail(error)}"
        try:
            compile(tree, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            return f"the fixed file's bytes do not compile: {_detail(error)}"
        return None

    problem = call_with_room(parsed_and_compiled)
    if problem is not None:
        raise NotReadBack(problem)


def _codec(encoding: str) -> str:
    """Return the codec's canonical name (``latin-1`` and ``iso-8859-1`` are one codec)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _detail(error: SyntaxError | ValueError) -> str:
    if isinstance(error, SyntaxError):
        return f"{error.msg} (line {error.lineno})" if error.lineno else str(error.msg)
    return str(error)
