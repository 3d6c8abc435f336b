"""Discovery: walking, default excludes, --exclude, .gitignore files, symlinks, explicit files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods.discovery import DiscoveryError, Exclusions, discover


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def names(found: list[Path], root: Path) -> list[str]:
    return [path.relative_to(root).as_posix() for path in found]


def test_walks_python_files_in_sorted_order_and_skips_default_excludes(tmp_path: Path) -> None:
    make(
        tmp_path,
        "b.py",
        "a.pyi",
        "pkg/z.py",
        "pkg/readme.txt",
        ".venv/x.py",
        "build/y.py",
        "node_modules/m.py",
        "pkg/__pycache__/c.py",
        ".git/h.py",
    )
    assert names(discover([tmp_path]), tmp_path) == ["a.pyi", "b.py", "pkg/z.py"]


def test_exclude_patterns_are_gitignore_style(tmp_path: Path) -> None:
    make(tmp_path, "keep.py", "migrations/0001.py", "deep/migrations/0002.py", "gen_x.py")
    found = discover([tmp_path], Exclusions(["migrations/", "gen_*.py"], tmp_path))
    assert names(found, tmp_path) == ["keep.py"]


def test_gitignore_files_are_honoured_including_the_repositorys_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n*_pb2.py\n")
    make(
        tmp_path,
        "src/app.py",
        "src/generated/g.py",
        "src/msg_pb2.py",
        "src/sub/keep.py",
        "src/sub/drop.py",
    )
    (tmp_path / "src/sub/.gitignore").write_text("drop.py\n")
    assert names(discover([tmp_path / "src"]), tmp_path) == ["src/app.py", "src/sub/keep.py"]


def test_gitignore_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n!keep.py\n")
    make(tmp_path, "keep.py", "drop.py")
    assert names(discover([tmp_path]), tmp_path) == ["keep.py"]


def test_explicit_file_is_always_processed(tmp_path: Path) -> None:
    make(tmp_path, "build/explicit.py", "script")
    found = discover(
        [tmp_path / "build/explicit.py", tmp_path / "script"], Exclusions(["*.py"], tmp_path)
    )
    assert names(found, tmp_path) == ["build/explicit.py", "script"]


def test_paths_keep_the_form_they_were_given(tmp_path: Path) -> None:
    make(tmp_path, "pkg/m.py")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert discover([Path("pkg")]) == [Path("pkg/m.py")]
    finally:
        os.chdir(cwd)


def test_symlink_loop_does_not_hang_and_files_are_listed_once(tmp_path: Path) -> None:
    make(tmp_path, "pkg/m.py")
    (tmp_path / "pkg/loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "alias.py").symlink_to(tmp_path / "pkg/m.py")
    found = discover([tmp_path, tmp_path / "pkg/m.py"])
    assert names(found, tmp_path) == ["alias.py"]


def test_dangling_symlink_is_ignored(tmp_path: Path) -> None:
    make(tmp_path, "m.py")
    (tmp_path / "gone.py").symlink_to(tmp_path / "missing.py")
    assert names(discover([tmp_path]), tmp_path) == ["m.py"]


def test_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="path does not exist: .*nope.py"):
        discover([tmp_path / "nope.py"])
