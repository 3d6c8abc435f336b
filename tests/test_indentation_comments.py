"""``indentation`` and comment lines aligned under a trailing comment (its continuation).

::

    def f():
        x = 1  # a long comment that
               # continues here
        return x

The continuation stays where it is in a consistent file (byte for byte) and, in a file that
is re-indented, keeps its column relative to the comment it continues. The cases are
generated: blocks nested 1 to 3 deep, comments at different columns (a tab before the ``#``
too), runs of 1 to 3 aligned lines, followed by a statement of the same block, of an outer
block, or of the block a header opens; files indented with 2, 3 or 8 spaces or tabs, the
aligned lines written with spaces or with tabs. Every output is a fixed point, and ``ruff
format`` gives the same result on it as on the original.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.engine import Engine, FileResult
from codemods.fixes.indentation import TAB_SIZE, Indentation

CODES = ("x = 1", "total = compute(x, 2)", "if x:")
"""The line the comment ends: short, longer, a header opening a block."""
GAPS = (" ", "  ", "      ", "\t")
"""What separates the code from its ``#``."""
DEPTHS = (1, 2, 3)
RUNS = (1, 2, 3)
NEXT = ("same", "outer")
"""The statement after the aligned lines: in the same block, or in the enclosing one."""
UNITS = {
    "4 spaces": "    ",
    "2 spaces": "  ",
    "3 spaces": "   ",
    "8 spaces": " " * 8,
    "tabs": "\t",
}
STYLES = ("spaces", "tabs")
"""How the aligned lines reach their column."""
HEADERS = ("if x:", "for item in x:", "while x:")


def _column(text: str) -> int:
    column = 0
    for char in text:
        column = (column // TAB_SIZE + 1) * TAB_SIZE if char == "\t" else column + 1
    return column


def _reach(column: int, style: str) -> str:
    """Return whitespace reaching ``column``: spaces, or tabs then spaces."""
    if style == "tabs":
        return "\t" * (column // TAB_SIZE) + " " * (column % TAB_SIZE)
    return " " * column


def _case(name: str, unit: str, style: str, code: str, gap: str, depth: int, run: int, after: str):
    """Return one function with a comment ending ``code`` and ``run`` lines aligned under it."""
    lines = [f"def {name}(x):\n"]
    for level in range(1, depth):
        lines.append(unit * level + HEADERS[level - 1] + "\n")
    indent = unit * depth
    anchor = f"{indent}{code}{gap}# the comment of {name}"
    lines.append(anchor + "\n")
    column = _column(anchor[: anchor.index("#")])
    lines.extend(f"{_reach(column, style)}# continued {line}\n" for line in range(run))
    if code.endswith(":"):
        lines.append(unit * (depth + 1) + "x = 2\n")
    body_depth = depth if after == "same" or depth == 1 else depth - 1
    lines.append(unit * body_depth + "x = 3\n")
    lines.append(unit + "return x\n")
    return "".join(lines)


def _module(unit: str, style: str, gaps: tuple[str, ...]) -> str:
    functions = []
    combinations = itertools.product(CODES, gaps, DEPTHS, RUNS, NEXT)
    for number, (code, gap, depth, run, after) in enumerate(combinations):
        functions.append(_case(f"case_{number}", unit, style, code, gap, depth, run, after))
    return "\n\n".join(functions)


SPACE_GAPS = tuple(gap for gap in GAPS if "\t" not in gap)
"""A tab before the ``#`` reaches a column that depends on the indentation before it."""


def _fix(text: str) -> FileResult:
    result = Engine([Indentation()]).fix_text("comments.py", text)
    assert result.error is None, result.error
    return result


def _misaligned(text: str) -> list[str]:
    """Return the continued lines whose ``#`` is not under the ``#`` of the line they continue."""
    problems = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("# continued"):
            above = number - 1
            while lines[above].lstrip().startswith("# continued"):
                above -= 1
            anchor = lines[above]
            expected = _column(anchor[: anchor.index("#")])
            if _column(line[: line.index("#")]) != expected:
                problems.append(f"line {number + 1}: {line!r} is not under {anchor!r}")
    return problems


def test_the_example_of_the_issue_is_left_alone() -> None:
    text = (
        "def f():\n    x = 1  # a long comment that\n           # continues here\n    return x\n"
    )
    result = _fix(text)
    assert result.new_text == text and not result.changes


def test_a_consistent_file_is_left_byte_for_byte() -> None:
    text = _module(UNITS["4 spaces"], "spaces", GAPS)
    result = _fix(text)
    assert result.new_text == text
    assert not result.changes and not result.skips


def test_aligned_lines_written_with_tabs_keep_their_column_in_spaces() -> None:
    # W191: a tab in a comment's indentation is fixed, at the same column
    text = _module(UNITS["4 spaces"], "tabs", GAPS)
    result = _fix(text)
    assert result.new_text == _module(UNITS["4 spaces"], "spaces", GAPS)
    assert result.changes
    changed = {
        line for change in result.changes for line in range(change.line, change.end_line + 1)
    }
    assert all("# continued" in text.splitlines()[line - 1] for line in changed)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("unit", sorted(UNITS))
def test_re_indented_files_keep_the_alignment(unit: str, style: str) -> None:
    text = _module(UNITS[unit], style, SPACE_GAPS)
    result = _fix(text)
    assert result.new_text == _module(UNITS["4 spaces"], "spaces", SPACE_GAPS)
    assert _misaligned(text) == []  # the cases are aligned to start with


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("unit", sorted(UNITS))
def test_a_tab_before_the_comment_keeps_the_alignment_and_a_fixed_point(
    unit: str, style: str
) -> None:
    text = _module(UNITS[unit], style, GAPS)
    first = _fix(text)
    assert _misaligned(text) == []
    assert _misaligned(first.new_text) == []
    second = _fix(first.new_text)
    assert second.new_text == first.new_text, [change.message for change in second.changes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "def f():\n    x = 1  # a comment\n            # one column right\n    return x\n",
            "def f():\n    x = 1  # a comment\n    # one column right\n    return x\n",
            id="not-aligned",
        ),
        pytest.param(
            "def f():\n    x = 1  # a comment\n\n           # after a blank line\n    return x\n",
            "def f():\n    x = 1  # a comment\n\n    # after a blank line\n    return x\n",
            id="blank-line-between",
        ),
        pytest.param(
            "def f():\n    x = 1\n           # no comment above\n    return x\n",
            "def f():\n    x = 1\n    # no comment above\n    return x\n",
            id="no-comment-above",
        ),
        pytest.param(
            "def f():\n    x = 1  # a comment\n           # aligned\n       # not aligned\n"
            "           # aligned again, but the run broke\n    return x\n",
            "def f():\n    x = 1  # a comment\n           # aligned\n    # not aligned\n"
            "    # aligned again, but the run broke\n    return x\n",
            id="run-broken",
        ),
        pytest.param(
            "def f(x):\n  y = g(x,\n        1)  # a comment\n            # aligned\n  return y\n",
            "def f(x):\n    y = g(x,\n          1)  # a comment\n              # aligned\n"
            "    return y\n",
            id="under-a-continuation-line",
        ),
        pytest.param(
            'def f():\n  """Doc\n\n  more."""  # a comment\n            # aligned\n  return 1\n',
            'def f():\n    """Doc\n\n    more."""  # a comment\n              # aligned\n'
            "    return 1\n",
            id="under-a-docstring-end",
        ),
        pytest.param(
            "def f(x):\n  return [x,  # a comment\n          # inside brackets\n          x]\n",
            "def f(x):\n    return [x,  # a comment\n            # inside brackets\n            x]\n",
            id="inside-brackets-moves-with-the-statement",
        ),
    ],
)
def test_what_is_and_is_not_a_continuation(text: str, expected: str) -> None:
    result = _fix(text)
    assert result.new_text == expected
    assert _fix(expected).new_text == expected


def test_moved_continuations_are_reported_as_such() -> None:
    text = "def f():\n  x = 1  # a comment\n         # continued\n  return x\n"
    result = _fix(text)
    assert result.new_text == (
        "def f():\n    x = 1  # a comment\n           # continued\n    return x\n"
    )
    assert [(change.line, change.message) for change in result.changes] == [
        (2, "line indented with 2 spaces"),
        (3, "line indented with 9 spaces"),
        (4, "line indented with 2 spaces"),
    ]


def _ruff() -> str:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    return ruff


def _ruff_format(ruff: str, text: str) -> str:
    run = subprocess.run(
        [ruff, "format", "--isolated", "--no-cache", "--stdin-filename", "comments.py", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize(
    ("unit", "style"), [*((unit, "spaces") for unit in sorted(UNITS)), ("tabs", "tabs")]
)
def test_ruff_format_gives_the_same_result_after_the_codemod(unit: str, style: str) -> None:
    # what a black/ruff user sees: the formatter moves such lines to their block itself,
    # the same way whether this codemod ran first or not. Not for aligned lines written with
    # tabs in a file of spaces: ruff format reads such a tab as one column where Python
    # reads it to the next multiple of 8 (the codemod writes the spaces Python reads).
    ruff = _ruff()
    text = _module(UNITS[unit], style, GAPS)
    assert _ruff_format(ruff, _fix(text).new_text) == _ruff_format(ruff, text)
