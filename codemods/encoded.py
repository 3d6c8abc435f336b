"""Encoding fixed text back to bytes so that every line no codemod edited keeps its bytes.

For UTF-8 (the common case) decoding and encoding are exact inverses. Some codecs are not:
cp932 decodes both ``87 90`` and ``81 e0`` to U+2252 and encodes it as ``81 e0``, so a
comment no codemod touched would come back different. For such a file the new bytes are
spliced: lines equal to lines of the file as read keep their original bytes, and only the
edited lines are encoded. A codec that cannot be spliced line by line (``unicode_escape``
turns a newline into the two characters ``\\n``) is refused with a reason instead.
"""

from __future__ import annotations

import difflib
import re

from codemods.astutil import physical_lines

_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_ASCII_PROBE = "".join(map(chr, range(32, 127))) + "\t\n\r\f"


class EncodeError(Exception):
    """The fixed text cannot be written in the file's encoding without changing other bytes."""


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
