"""Map line numbers of a text that codemods edited in turn back to the file as it was read.

Each codemod reports lines of the text it was handed. When earlier codemods changed that
text, :class:`LineMap` follows every edit back, one stage at a time, so that every report
speaks of the file as the user has it. A line inside an edited region maps to the line at
the same offset in the old region (its last line when the old region is shorter); an
inserted line maps to the line the insertion was made before.
"""

from __future__ import annotations

import difflib
import functools

from codemods.diffs import split_lines


class _Stage:
    """One edit of the text: from ``old`` to ``new``."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new

    @functools.cached_property
    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        old_lines, new_lines = split_lines(self.old), split_lines(self.new)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        return matcher.get_opcodes()

    @functools.cached_property
    def old_line_count(self) -> int:
        return max(1, len(split_lines(self.old)))

    def back(self, line: int) -> int:
        """Return the line of ``old`` that ``line`` of ``new`` came from."""
        index = line - 1
        for tag, old_start, old_end, new_start, new_end in self.opcodes:
            if not new_start <= index < new_end:
                continue
            if tag == "equal":
                return old_start + (index - new_start) + 1
            if tag == "replace":
                return old_start + min(index - new_start, old_end - old_start - 1) + 1
            return min(old_start + 1, self.old_line_count)  # an inserted line
        return self.old_line_count


class LineMap:
    """The edits made so far to a file's text, to map lines back to the original."""

    def __init__(self) -> None:
        """Start with no edit: every line maps to itself."""
        self._stages: list[_Stage] = []

    def add(self, old: str, new: str) -> None:
        """Record that the text went from ``old`` to ``new``."""
        self._stages.append(_Stage(old, new))

    def original_line(self, line: int) -> int:
        """Return the line of the original text that ``line`` of the current text came from."""
        for stage in reversed(self._stages):
            line = stage.back(line)
        return line
