"""Tests of :mod:`codemods.linemap`: each line of an edited text maps to the line it came from."""

from __future__ import annotations

import difflib
import random

import pytest

from codemods import linemap
from codemods.diffs import split_lines
from codemods.linemap import MAX_ROUNDS, LineMap, kept_blocks


def _mapped(old: str, new: str) -> list[int]:
    """Return the original line of every line of ``new``, in order."""
    line_map = LineMap()
    line_map.add(old, new)
    return [line_map.original_line(line) for line in range(1, len(split_lines(new)) + 1)]


def _reindented(lines: list[str], width: int) -> list[str]:
    """Return ``lines`` with each 4-space indentation step made ``width`` spaces wide."""
    return [
        " " * ((len(line) - len(line.lstrip(" "))) // 4 * width) + line.lstrip(" ")
        for line in lines
    ]


def _module(functions: int) -> list[str]:
    """Return the lines of a module of small functions, with repeated lines in each."""
    lines = ['"""A module."""\n']
    for number in range(functions):
        lines += [
            "\n",
            "\n",
            f"def function_{number}(value):\n",
            "    if value:\n",
            f"        result = value + {number}\n",
            "    else:\n",
            "        result = None\n",
            "    return result\n",
        ]
    return lines


def test_an_unchanged_text_maps_every_line_to_itself() -> None:
    text = "a = 1\n\nb = 2\n"
    assert _mapped(text, text) == [1, 2, 3]


def test_an_inserted_line_maps_to_the_line_it_was_inserted_before() -> None:
    assert _mapped("a\nb\nc\n", "a\nnew\nb\nc\n") == [1, 2, 2, 3]
    assert _mapped("a\nb\n", "a\nb\nend\n") == [1, 2, 2]  # at the end: the last line


def test_lines_below_a_deleted_line_map_past_it() -> None:
    assert _mapped("a\nb\nc\nd\n", "a\nd\n") == [1, 4]


def test_an_edited_region_maps_by_offset_to_its_last_line() -> None:
    old = "keep\none\ntwo\nkeep too\n"
    assert _mapped(old, "keep\nuno\ndos\ntres\nkeep too\n") == [1, 2, 3, 3, 4]
    assert _mapped(old, "keep\nboth\nkeep too\n") == [1, 2, 4]


def test_a_reindented_line_is_the_line_it_came_from() -> None:
    old = _module(50)
    new = _reindented(old, 2)
    new.insert(4, '  """A docstring inserted into function_0."""\n')
    mapped = _mapped("".join(old), "".join(new))
    assert mapped == [1, 2, 3, 4, 5, *range(5, len(old) + 1)]


def test_lines_that_repeat_map_to_their_own_place() -> None:
    old = _module(30)
    new = [line for line in old if line != "        result = value + 7\n"]
    mapped = _mapped("".join(old), "".join(new))
    removed = old.index("        result = value + 7\n")
    assert mapped == [*range(1, removed + 1), *range(removed + 2, len(old) + 1)]


def test_stages_map_back_one_after_the_other() -> None:
    line_map = LineMap()
    line_map.add("a\nb\nc\n", "\ta\n\tb\n\tc\n")
    line_map.add("\ta\n\tb\n\tc\n", "top\n\ta\n\tb\n\tc\n")
    assert [line_map.original_line(line) for line in range(1, 5)] == [1, 1, 2, 3]


def test_lines_out_of_range_map_to_the_last_line() -> None:
    assert [_mapped("a\nb\n", "a\nb\n")[0]] == [1]
    line_map = LineMap()
    line_map.add("a\nb\n", "b\n")
    assert line_map.original_line(5) == 2
    empty = LineMap()
    empty.add("", "x = 1\n")
    assert empty.original_line(1) == 1


def test_no_sequence_matcher_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # difflib's matcher is quadratic in the lines of a file where most lines changed
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("difflib.SequenceMatcher was called")

    monkeypatch.setattr(difflib, "SequenceMatcher", refuse)
    old = _module(2_000)
    assert _mapped("".join(old), "".join(_reindented(old, 2))) == list(range(1, len(old) + 1))


@pytest.mark.parametrize("functions", [1_000, 4_000])
def test_matching_looks_at_each_line_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch, functions: int
) -> None:
    looked_at = 0
    unique_anchors = linemap._unique_anchors

    def counting(old: list[str], new: list[str]) -> list[tuple[int, int]]:
        nonlocal looked_at
        looked_at += len(old) + len(new)
        return unique_anchors(old, new)

    monkeypatch.setattr(linemap, "_unique_anchors", counting)
    old = _module(functions)
    new = _reindented([line for line in old if "+ 7" not in line and "+ 9" not in line], 2)
    kept_blocks(old, new)
    assert looked_at <= (MAX_ROUNDS + 1) * (len(old) + len(new))


def test_kept_blocks_are_equal_lines_in_order_on_random_edits() -> None:
    chooser = random.Random(12)
    vocabulary = ["pass\n", "\n", "x = 1\n", "    return x\n", "y = 2\n", "z\n"]
    for _ in range(300):
        old = [chooser.choice(vocabulary) for _ in range(chooser.randint(0, 30))]
        new = list(old)
        for _ in range(chooser.randint(0, 6)):
            position = chooser.randint(0, len(new))
            if new and chooser.random() < 0.5:
                del new[min(position, len(new) - 1)]
            else:
                new.insert(position, chooser.choice(vocabulary))
        old_end = new_end = 0
        for old_start, new_start, count in kept_blocks(old, new):
            assert old_start >= old_end and new_start >= new_end and count > 0
            assert [line.strip() for line in old[old_start : old_start + count]] == [
                line.strip() for line in new[new_start : new_start + count]
            ]
            old_end, new_end = old_start + count, new_start + count
        mapped = _mapped("".join(old), "".join(new))
        assert mapped == sorted(mapped)
        assert all(1 <= line <= max(1, len(old)) for line in mapped)
