"""Emitted diffs parse with unidiff and apply with the real ``git apply`` and ``patch -p1``."""

from __future__ import annotations

import difflib
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemods import diffs
from codemods.diffs import (
    NO_NEWLINE_MARKER,
    diff_stats,
    parse_patch,
    split_lines,
    unified_diff,
)


def apply_with_tools(tmp_path: Path, name: str, old: bytes, new: bytes, diff: str) -> None:
    """Apply ``diff`` with git apply and with patch -p1 in two copies; both must give ``new``."""
    for tool in ("git", "patch"):
        root = tmp_path / tool
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(old)
        patch_file = tmp_path / f"{tool}.patch"
        patch_file.write_bytes(diff.encode("utf-8"))
        if tool == "git":
            subprocess.run(["git", "init", "-q", str(root)], check=True)
            check = subprocess.run(
                ["git", "apply", "--check", str(patch_file)],
                cwd=root,
                capture_output=True,
                text=True,
            )
            assert check.returncode == 0, check.stderr
            command = ["git", "apply", str(patch_file)]
        else:
            command = ["patch", "-p1", "--quiet", "--batch", "-i", str(patch_file)]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, (tool, done.stdout, done.stderr)
        assert target.read_bytes() == new, tool


CASES = {
    "simple": ("a\nb\nc\n", "a\nB\nc\n"),
    "no_newline_old_and_new": ("a\nb", "a\nc"),
    "newline_added_at_end": ("a\nb", "a\nb\n"),
    "newline_removed_at_end": ("a\nb\n", "a\nb"),
    "crlf": ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),
    "crlf_without_final_newline": ("a\r\nb", "a\r\nc"),
    "form_feed_stays_in_line": ("a\n\x0cb\nc\n", "a\n\x0cB\nc\n"),
    "unicode_line_separator": ("x = '\u2028'\ny = 1\n", "x = '\u2028'\ny = 2\n"),
    "far_apart_hunks": (
        "".join(f"l{i}\n" for i in range(40)),
        "".join(f"l{i}\n" for i in range(40)).replace("l3\n", "L3\n").replace("l35\n", "L35\n"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_diff_applies_with_git_and_patch(tmp_path: Path, case: str) -> None:
    old, new = CASES[case]
    diff = unified_diff(old, new, "pkg/mod.py")
    parse_patch(diff)
    apply_with_tools(tmp_path, "pkg/mod.py", old.encode(), new.encode(), diff)


def test_file_name_with_spaces(tmp_path: Path) -> None:
    diff = unified_diff("a\n", "b\n", "my dir/my file.py")
    assert diff.startswith("--- a/my dir/my file.py\t\n+++ b/my dir/my file.py\t\n")
    apply_with_tools(tmp_path, "my dir/my file.py", b"a\n", b"b\n", diff)


def test_bom_is_part_of_the_first_line(tmp_path: Path) -> None:
    diff = unified_diff("a = 1\n", "a = 2\n", "bom.py", bom=True)
    old, new = "\ufeffa = 1\n".encode(), "\ufeffa = 2\n".encode()
    apply_with_tools(tmp_path, "bom.py", old, new, diff)


def test_no_newline_marker_and_stats() -> None:
    diff = unified_diff("a\nb", "a\nc", "m.py")
    assert diff.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")
    assert diff_stats(diff) == (1, 1, 1)


def test_equal_texts_give_no_diff() -> None:
    assert unified_diff("a\n", "a\n", "m.py") == ""


def test_dot_slash_prefix_is_dropped() -> None:
    assert unified_diff("a\n", "b\n", "./m.py").startswith("--- a/m.py\n")


@pytest.mark.parametrize(
    ("text", "lines"),
    [("", []), ("a", ["a"]), ("a\n", ["a\n"]), ("a\r\nb", ["a\r\n", "b"]), ("\x0c\n", ["\x0c\n"])],
)
def test_split_lines(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


line = st.sampled_from(["x = 1", "y = 2", "", "    pass", "# c", "\tz", "é"])
ending = st.sampled_from(["\n", "\r\n"])
texts = st.lists(st.tuples(line, ending), max_size=12).map(
    lambda ls: "".join(a + b for a, b in ls)
)
tails = st.sampled_from(["", "tail", "x = 3"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(old=texts, old_tail=tails, new=texts, new_tail=tails)
def test_any_diff_applies(
    tmp_path_factory: pytest.TempPathFactory, old: str, old_tail: str, new: str, new_tail: str
) -> None:
    old_text, new_text = old + old_tail, new + new_tail
    diff = unified_diff(old_text, new_text, "f.py")
    if old_text == new_text:
        assert diff == ""
        return
    apply_with_tools(
        tmp_path_factory.mktemp("d"), "f.py", old_text.encode(), new_text.encode(), diff
    )


def _difflib_diff(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(
        split_lines(old), split_lines(new), fromfile=f"a/{name}", tofile=f"b/{name}", n=3
    )
    return "".join(
        line if line.endswith("\n") else line + "\n" + NO_NEWLINE_MARKER for line in lines
    )


def test_hunks_are_difflibs_up_to_the_matcher_limit() -> None:
    generator = random.Random(7)
    for _ in range(2000):
        old = [generator.choice("abcdefg \n") + "\n" for _ in range(generator.randint(0, 40))]
        new = list(old)
        for _ in range(generator.randint(1, 5)):
            at = generator.randint(0, len(new))
            roll = generator.random()
            if roll < 0.5:
                new.insert(at, generator.choice(["x\n", "\n", "a\n"]))
            elif new:
                new[min(at, len(new) - 1)] = "z\n" if roll < 0.8 else new[0]
        old_text, new_text = "".join(old), "".join(new).rstrip("\n" if roll < 0.3 else "")
        if old_text != new_text:
            assert unified_diff(old_text, new_text, "m.py") == _difflib_diff(
                old_text, new_text, "m.py"
            )


def test_a_long_file_gets_a_patience_diff_that_patch_applies(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(diffs, "MATCHER_LINES", 50)
    old = "".join(f"def f{n}():\n    return {n}\n\n" for n in range(400))
    new = old.replace("def f7():\n", 'def f7():\n    """Doc."""\n').replace("return 9\n", "")
    new = new.replace("def f300():\n", "def f300():\n    pass\n") + "tail = 1"
    patch_text = unified_diff(old, new, "m.py")
    (tmp_path / "m.py").write_text(old)
    (tmp_path / "fix.patch").write_text(patch_text)
    done = subprocess.run(["patch", "-p1", "-i", "fix.patch"], cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "m.py").read_text() == new
    assert patch_text.count("@@ -") == 3  # f7 and f9 share one hunk; f300; the new last line
