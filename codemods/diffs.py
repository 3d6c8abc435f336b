"""Unified diffs that ``git apply`` and ``patch -p1`` accept, made with ``difflib``.

What ``difflib.unified_diff`` alone gets wrong, and this module adds:

* lines are split on ``\\n`` only, as ``git`` and ``patch`` do: a CRLF line keeps its ``\\r``,
  and form feeds or other Unicode line breaks stay inside their line;
* a last line without a newline gets the ``\\ No newline at end of file`` marker;
* file names get ``a/`` and ``b/`` prefixes, with forward slashes, and a name with a space is
  followed by a tab, as ``git diff`` writes it;
* a UTF-8 byte order mark is part of the first line, so hunks touching it still apply.
"""

from __future__ import annotations

import difflib
from pathlib import PurePath

import unidiff
import unidiff.constants
from unidiff.patch import Hunk, Line

from codemods.linemap import kept_blocks
from codemods.paths import pure

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"
CONTEXT_LINES = 3
MATCHER_LINES = 40_000
"""Files up to this many lines are diffed with ``difflib``, longer ones with a patience diff
(every file of the five corpora is below it: Nova's longest has 33,873 lines)."""


def split_lines(text: str) -> list[str]:
    """Split ``text`` after each ``\\n``, keeping the endings (the last line may have none)."""
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    if last:
        result.append(last)
    return result


def diff_path(path: str, flavour: type[PurePath] | None = None) -> str:
    """Return ``path`` as a diff header names it: forward slashes, no leading ``./``.

    ``flavour``: the path syntax ``path`` is written in (this OS's); under Windows syntax
    ``pkg\\mod.py`` is ``pkg/mod.py``.
    """
    return pure(path, flavour).as_posix().removeprefix("./")


_C_ESCAPES = {"\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r"}


def header_name(name: str) -> str:
    """Return ``name`` as a diff header names it: as it is, or C-quoted as git quotes it.

    A name with a control character (a newline would end the header), a double quote or a
    backslash is written ``"a/a\\nb.py"``, which git and GNU patch read back; a name with a
    space gets a tab after it, as GNU diff writes. Other characters (non-ASCII too) stay.
    """
    if not any(ord(char) < 0x20 or char in '"\\\x7f' for char in name):
        return name + ("\t" if " " in name else "")
    quoted = []
    for char in name:
        if char in _C_ESCAPES:
            quoted.append("\\" + _C_ESCAPES[char])
        elif char in '"\\':
            quoted.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            quoted.append(f"\\{ord(char):03o}")
        else:
            quoted.append(char)
    return '"' + "".join(quoted) + '"'


def unquoted_header_name(name: str) -> str:
    """Return the name a diff header gives, its C-quoting (git's) undone."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    text, result, index = name[1:-1], [], 0
    reverse = {letter: char for char, letter in _C_ESCAPES.items()}
    while index < len(text):
        char = text[index]
        if char != "\\" or index + 1 == len(text):
            result.append(char)
            index += 1
            continue
        following = text[index + 1]
        if following in reverse:
            result.append(reverse[following])
            index += 2
        elif following in "01234567" and text[index + 1 : index + 4].isdigit():
            result.append(chr(int(text[index + 1 : index + 4], 8)))
            index += 4
        else:
            result.append(following)
            index += 2
    return "".join(result)


def unified_diff(old_text: str, new_text: str, path: str, *, bom: bool = False) -> str:
    """Return the unified diff from ``old_text`` to ``new_text`` for ``path`` ('' if equal)."""
    if old_text == new_text:
        return ""
    prefix = "\ufeff" if bom else ""
    name = diff_path(path)
    # git's a/ and b/ prefixes for relative paths; an absolute path is named as it is
    absolute = name.startswith("/") or pure(path).is_absolute()
    old_prefix, new_prefix = ("", "") if absolute else ("a/", "b/")
    old_lines = split_lines(prefix + old_text)
    new_lines = split_lines(prefix + new_text)
    chunks = [f"--- {header_name(old_prefix + name)}\n", f"+++ {header_name(new_prefix + name)}\n"]
    for group in _hunks(old_lines, new_lines):
        (_, old_first, _, new_first, _), last = group[0], group[-1]
        old_range = _range(old_first, last[2])
        new_range = _range(new_first, last[4])
        chunks.append(f"@@ -{old_range} +{new_range} @@\n")
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                chunks.extend(" " + line for line in old_lines[old_start:old_end])
                continue
            chunks.extend("-" + line for line in old_lines[old_start:old_end])
            chunks.extend("+" + line for line in new_lines[new_start:new_end])
    return "".join(
        chunk if chunk.endswith("\n") else chunk + "\n" + NO_NEWLINE_MARKER  # the last line
        for chunk in chunks
    )


Opcode = tuple[str, int, int, int, int]
"""``(tag, old start, old end, new start, new end)`` as ``difflib`` names them."""


def _hunks(old: list[str], new: list[str]) -> list[list[Opcode]]:
    """Return the hunks: runs of opcodes with :data:`CONTEXT_LINES` of context around edits.

    Up to :data:`MATCHER_LINES` lines, ``difflib.SequenceMatcher`` finds the kept lines (the
    diffs stay those every release wrote); a longer file takes the patience diff of
    :mod:`codemods.linemap`, whose time grows as ``n log n`` where ``difflib``'s grows with
    the square of a file that size (a 5 MB module took minutes).
    """
    if max(len(old), len(new)) <= MATCHER_LINES:
        matcher = difflib.SequenceMatcher(None, old, new)
        return list(matcher.get_grouped_opcodes(CONTEXT_LINES))
    return _grouped(_opcodes(kept_blocks(old, new, exact=True), len(old), len(new)))


def _opcodes(blocks: list[tuple[int, int, int]], old_size: int, new_size: int) -> list[Opcode]:
    """Turn kept blocks into opcodes (equal, replace, delete, insert), adjacent blocks merged."""
    codes: list[Opcode] = []
    old_at = new_at = 0
    for old_start, new_start, size in [*blocks, (old_size, new_size, 0)]:
        if old_at < old_start or new_at < new_start:
            tag = (
                "replace"
                if old_at < old_start and new_at < new_start
                else ("delete" if old_at < old_start else "insert")
            )
            codes.append((tag, old_at, old_start, new_at, new_start))
        if size:
            if codes and codes[-1][0] == "equal":
                _, first_old, _, first_new, _ = codes.pop()
                codes.append(("equal", first_old, old_start + size, first_new, new_start + size))
            else:
                codes.append(("equal", old_start, old_start + size, new_start, new_start + size))
        old_at, new_at = old_start + size, new_start + size
    return codes


def _grouped(codes: list[Opcode]) -> list[list[Opcode]]:
    """Cut the opcodes into hunks, keeping :data:`CONTEXT_LINES` equal lines around edits."""
    context = CONTEXT_LINES
    if codes and codes[0][0] == "equal":
        _, old_start, old_end, new_start, new_end = codes[0]
        start = max(old_start, old_end - context)
        codes[0] = ("equal", start, old_end, new_end - (old_end - start), new_end)
    if codes and codes[-1][0] == "equal":
        _, old_start, old_end, new_start, new_end = codes[-1]
        end = min(old_end, old_start + context)
        codes[-1] = ("equal", old_start, end, new_start, new_start + (end - old_start))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, old_start, old_end, new_start, new_end in codes:
        if tag == "equal" and old_end - old_start > 2 * context:
            group.append((tag, old_start, old_start + context, new_start, new_start + context))
            groups.append(group)
            group = []
            old_start, new_start = old_end - context, new_end - context
        group.append((tag, old_start, old_end, new_start, new_end))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _range(start: int, end: int) -> str:
    """Return a hunk header's range: ``start,length`` (1-based; an empty one names the line before)."""
    length = end - start
    first = start + 1
    if length == 1:
        return f"{first}"
    if not length:
        first -= 1
    return f"{first},{length}"


def parse_patch(diff_text: str) -> unidiff.PatchSet:
    """Parse a unified diff with ``unidiff`` (raises ``unidiff.UnidiffParseError``)."""
    return unidiff.PatchSet(diff_text)


def diff_stats(diff_text: str) -> tuple[int, int, int]:
    """Return ``(hunks, added lines, removed lines)`` of a diff."""
    patch = parse_patch(diff_text)
    hunks = sum(len(patched_file) for patched_file in patch)
    return hunks, patch.added, patch.removed


def hunk_lines(hunk: Hunk) -> list[tuple[Line, str]]:
    """Pair each line of a hunk with its text, honouring ``\\ No newline at end of file``.

    The marker is dropped, and the line before it loses the newline that the marker denies.
    """
    paired: list[tuple[Line, str]] = []
    for line in hunk:
        if line.line_type == unidiff.constants.LINE_TYPE_NO_NEWLINE:
            previous, value = paired[-1]
            paired[-1] = (previous, value[:-1] if value.endswith("\n") else value)
        else:
            paired.append((line, line.value))
    return paired
