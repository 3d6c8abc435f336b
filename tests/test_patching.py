"""Applying reviewed and edited patches: all or nothing, never outside the directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.diffs import unified_diff
from codemods.patching import PatchError, apply_patch

A_OLD = "".join(f"a{i} = {i}\n" for i in range(1, 21))
A_NEW = A_OLD.replace("a2 = 2", "a2 = 20").replace("a18 = 18", "a18 = 180")
B_OLD = "b = 1\r\nc = 2\r\n"
B_NEW = "b = 1\r\nc = 3\r\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/a.py").write_text(A_OLD)
    (tmp_path / "pkg/b.py").write_bytes(B_OLD.encode())
    return tmp_path


def patch_text() -> str:
    return unified_diff(A_OLD, A_NEW, "pkg/a.py") + unified_diff(B_OLD, B_NEW, "pkg/b.py")


def contents(tree: Path) -> tuple[str, bytes]:
    return (tree / "pkg/a.py").read_text(), (tree / "pkg/b.py").read_bytes()


def test_applies_a_whole_patch(tree: Path) -> None:
    patched = apply_patch(patch_text().encode(), tree)
    assert [p.path.relative_to(tree).as_posix() for p in patched] == ["pkg/a.py", "pkg/b.py"]
    assert contents(tree) == (A_NEW, B_NEW.encode())


def test_dropped_hunk_is_not_applied(tree: Path) -> None:
    text = patch_text()
    first_hunk_end = text.index("@@ -15,")
    second_hunk = text.index("--- a/pkg/b.py")
    edited = text[:first_hunk_end] + text[second_hunk:]
    apply_patch(edited.encode(), tree)
    assert contents(tree) == (A_OLD.replace("a2 = 2", "a2 = 20"), B_NEW.encode())


def test_edited_lines_are_applied_and_counts_recomputed(tree: Path) -> None:
    edited = patch_text().replace("+a2 = 20\n", "+a2 = 200  # reviewed\n+extra = 1\n")
    apply_patch(edited.encode(), tree)
    assert (tree / "pkg/a.py").read_text() == A_NEW.replace(
        "a2 = 20\n", "a2 = 200  # reviewed\nextra = 1\n"
    )


def test_stale_hunk_is_refused_naming_file_and_hunk_and_nothing_is_written(tree: Path) -> None:
    text = patch_text()
    (tree / "pkg/b.py").write_bytes(b"b = 1\r\nc = 9\r\n")
    with pytest.raises(
        PatchError,
        match=r"^pkg/b.py: hunk 1 \(@@ -1,2 \+1,2 @@\) does not match the file as it is now$",
    ):
        apply_patch(text.encode(), tree)
    assert (tree / "pkg/a.py").read_text() == A_OLD, "all or nothing: a.py is untouched"


@pytest.mark.parametrize("name", ["../outside.py", "/etc/outside.py", "pkg/../../outside.py"])
def test_paths_leading_outside_are_refused(tree: Path, name: str) -> None:
    text = unified_diff("x = 1\n", "x = 2\n", name).replace("a//", "a/").replace("b//", "b/")
    if name.startswith("/"):
        text = text.replace("--- a/etc", "--- /etc").replace("+++ b/etc", "+++ /etc")
    with pytest.raises(PatchError, match="outside the current directory"):
        apply_patch((patch_text() + text).encode(), tree)
    assert contents(tree) == (A_OLD, B_OLD.encode())


def test_symlink_leading_outside_is_refused(
    tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "t.py"
    outside.write_text("x = 1\n")
    (tree / "pkg/link.py").symlink_to(outside)
    with pytest.raises(PatchError, match="symbolic link"):
        apply_patch(unified_diff("x = 1\n", "x = 2\n", "pkg/link.py").encode(), tree)
    assert outside.read_text() == "x = 1\n"


def test_patch_that_breaks_the_code_is_refused(tree: Path) -> None:
    broken = patch_text().replace("+a2 = 20\n", "+a2 = (\n")
    with pytest.raises(PatchError, match=r"pkg/a.py:\d+: the patched file does not parse"):
        apply_patch(broken.encode(), tree)
    assert contents(tree) == (A_OLD, B_OLD.encode())


def test_creating_files_is_refused(tree: Path) -> None:
    created = "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1 @@\n+x = 1\n"
    with pytest.raises(PatchError, match="not supported"):
        apply_patch(created.encode(), tree)


def test_garbage_is_refused(tree: Path) -> None:
    with pytest.raises(PatchError, match="no file changes|cannot parse"):
        apply_patch(b"hello\n", tree)


def test_no_newline_at_end_and_bom(tree: Path) -> None:
    (tree / "c.py").write_bytes("\ufeffx = 1\ny = 2".encode())
    text = unified_diff("x = 1\ny = 2", "x = 1\ny = 3", "c.py", bom=True)
    apply_patch(text.encode(), tree)
    assert (tree / "c.py").read_bytes() == "\ufeffx = 1\ny = 3".encode()
