"""Map line numbers of a text that codemods edited in turn back to the file as it was read.

Each codemod reports lines of the text it was handed. When earlier codemods changed that
text, :class:`LineMap` follows every edit back, one stage at a time, so that every report
speaks of the file as the user has it. A kept line maps to itself, wherever it moved and
however it was re-indented (lines are compared without the whitespace around their text);
a line inside an edited region maps to the line at the same offset in the old region (its
last line when the old region is shorter); an inserted line maps to the line the insertion
was made before.

The kept lines are found in time that grows as ``n log n`` with the file (a patience diff),
not with the product of its old and new lengths as :class:`difflib.SequenceMatcher`'s does
when most lines differ: the lines both texts start and end with are kept; in between, the
lines found once in each text, in the same order in both, are kept, and the regions between
them are matched the same way. A region with none of them is an edited region.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

from codemods.astutil import physical_lines

MAX_ROUNDS = 8
"""How many times a region between kept lines is searched again for kept lines of its own.

Real edits need two or three rounds; the bound keeps contrived texts, whose lines turn unique
one region at a time, from costing more than ``MAX_ROUNDS + 1`` passes over the file.
"""

Block = tuple[int, int, int]
"""Lines kept by a stage: ``(old index, new index, count)``, 0-based."""


class _Stage:
    """One edit of the text: from ``old`` to ``new``."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new

    @functools.cached_property
    def mapping(self) -> tuple[list[int], int]:
        """Return the line of ``old`` each line of ``new`` came from, and ``old``'s line count.

        The list is indexed by new line - 1; the count is at least 1.
        """
        old_lines, new_lines = physical_lines(self.old), physical_lines(self.new)
        old_count = max(1, len(old_lines))
        mapped: list[int] = []
        old_end = new_end = 0
        for old_start, new_start, count in [
            *kept_blocks(old_lines, new_lines),
            (len(old_lines), len(new_lines), 0),
        ]:
            edited = old_start - old_end  # the old lines replaced by new_end:new_start
            for offset in range(new_start - new_end):
                if edited:
                    mapped.append(old_end + min(offset, edited - 1) + 1)
                else:  # an inserted line: the line it was inserted before
                    mapped.append(min(old_end + 1, old_count))
            mapped.extend(range(old_start + 1, old_start + count + 1))
            old_end, new_end = old_start + count, new_start + count
        return mapped, old_count

    def back(self, line: int) -> int:
        """Return the line of ``old`` that ``line`` of ``new`` came from."""
        mapped, old_count = self.mapping
        return mapped[line - 1] if 1 <= line <= len(mapped) else old_count


def kept_blocks(old: Sequence[str], new: Sequence[str], *, exact: bool = False) -> list[Block]:
    """Return the runs of lines that ``new`` keeps from ``old``, in order, without overlap.

    Lines are compared without the whitespace around their text (``exact``: as they are,
    for diffs). Each region (at first, the
    whole texts) keeps the lines it starts and ends with; in between, the lines found exactly
    once on each side, in the same order on both, are kept, and the regions between them are
    searched again, up to :data:`MAX_ROUNDS` times.
    """
    old_keys = list(old) if exact else [line.strip() for line in old]
    new_keys = list(new) if exact else [line.strip() for line in new]
    blocks: list[Block] = []
    regions = [(0, len(old_keys), 0, len(new_keys), 0)]
    while regions:
        old_start, old_end, new_start, new_end, rounds = regions.pop()
        head = 0
        while (
            old_start + head < old_end
            and new_start + head < new_end
            and old_keys[old_start + head] == new_keys[new_start + head]
        ):
            head += 1
        if head:
            blocks.append((old_start, new_start, head))
            old_start, new_start = old_start + head, new_start + head
        tail = 0
        while (
            old_start < old_end - tail
            and new_start < new_end - tail
            and old_keys[old_end - tail - 1] == new_keys[new_end - tail - 1]
        ):
            tail += 1
        if tail:
            old_end, new_end = old_end - tail, new_end - tail
            blocks.append((old_end, new_end, tail))
        if old_start == old_end or new_start == new_end or rounds == MAX_ROUNDS:
            continue
        anchors = _unique_anchors(old_keys[old_start:old_end], new_keys[new_start:new_end])
        old_base, new_base = old_start, new_start
        for old_offset, new_offset in anchors:
            old_anchor, new_anchor = old_base + old_offset, new_base + new_offset
            regions.append((old_start, old_anchor, new_start, new_anchor, rounds + 1))
            blocks.append((old_anchor, new_anchor, 1))
            old_start, new_start = old_anchor + 1, new_anchor + 1
        if anchors:
            regions.append((old_start, old_end, new_start, new_end, rounds + 1))
    blocks.sort()
    return blocks


def _unique_anchors(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Return the longest in-order run of lines found once in each side, as index pairs."""
    old_seen: dict[str, int | None] = {}
    for index, line in enumerate(old):
        old_seen[line] = None if line in old_seen else index
    new_seen: dict[str, int | None] = {}
    for index, line in enumerate(new):
        new_seen[line] = None if line in new_seen else index
    pairs = sorted(
        (
            (old_index, new_index)
            for line, new_index in new_seen.items()
            if new_index is not None and (old_index := old_seen.get(line)) is not None
        ),
        key=lambda pair: pair[1],
    )
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the longest subsequence of ``pairs`` (sorted by new index) with rising old index."""
    tails: list[int] = []  # [k]: the smallest old index ending a rising run of k + 1 pairs
    tail_pair: list[int] = []  # [k]: the position in ``pairs`` of that pair
    previous: list[int] = []
    for position, (old_index, _) in enumerate(pairs):
        length = bisect.bisect_left(tails, old_index)
        if length == len(tails):
            tails.append(old_index)
            tail_pair.append(position)
        else:
            tails[length] = old_index
            tail_pair[length] = position
        previous.append(tail_pair[length - 1] if length else -1)
    run: list[tuple[int, int]] = []
    position = tail_pair[-1] if tail_pair else -1
    while position >= 0:
        run.append(pairs[position])
        position = previous[position]
    run.reverse()
    return run


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
