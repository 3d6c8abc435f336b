"""The result cache: a warm run answers from it, and never from an entry it cannot trust."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.cache import ResultCache, run_fingerprint
from codemods.config import Config
from codemods.runner import run

UNDOCUMENTED = "def area(width, height):\n    return width * height\n"
DOCUMENTED = '''"""Shapes."""


def area(width, height):
    """Return area."""
    return width * height
'''
NEEDS_FIX = {"shapes.py": UNDOCUMENTED, "clean.py": '"""Clean."""\n'}


def codemods(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codemods", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name, text in NEEDS_FIX.items():
        (root / name).write_text(text)
    return root


def cached_run(paths: list[Path], cache_dir: Path, config: Config | None = None) -> list:
    config = config or Config()
    cache = ResultCache(cache_dir, "t" * 64, run_fingerprint(config))
    results = list(run(paths, config, jobs=1, cache=cache, diffs=True))
    return [cache.hits, cache.stored, results]


def test_a_warm_run_answers_from_the_cache_with_the_same_results(project, tmp_path) -> None:
    paths = sorted(project.glob("*.py"))
    hits, stored, cold = cached_run(paths, tmp_path / "c")
    assert (hits, stored) == (0, 2)
    hits, stored, warm = cached_run(paths, tmp_path / "c")
    assert (hits, stored) == (2, 0)
    assert warm == cold
    assert [r.diff() for r in warm] == [r.diff() for r in cold]


def test_changed_bytes_options_or_paths_are_other_keys(project, tmp_path) -> None:
    shapes = project / "shapes.py"
    cached_run([shapes], tmp_path / "c")
    shapes.write_text(DOCUMENTED)
    hits, _, (result,) = cached_run([shapes], tmp_path / "c")
    assert hits == 0 and not result.changed
    other = Config(select=("indentation",))
    assert cached_run([shapes], tmp_path / "c", other)[0] == 0
    copy = project / "copy.py"
    copy.write_text(DOCUMENTED)
    assert cached_run([copy], tmp_path / "c")[0] == 0  # same bytes, another path


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # a write cut short
        lambda raw: raw[:-5] + raw[-5:].upper(),  # the new text or diff edited
        lambda raw: b"{}\n" + raw.partition(b"\n")[2],  # a header of another shape
        lambda raw: raw.replace(b'"format": 2', b'"format": 99'),  # another format
        lambda raw: b"\x00\xff garbage",
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(project, tmp_path, damage) -> None:
    shapes = project / "shapes.py"
    _, _, (cold,) = cached_run([shapes], tmp_path / "c")
    (entry,) = entries(tmp_path / "c")
    entry.write_bytes(damage(entry.read_bytes()))
    hits, stored, (again,) = cached_run([shapes], tmp_path / "c")
    assert (hits, stored) == (0, 1)
    assert again.new_text == cold.new_text
    assert cached_run([shapes], tmp_path / "c")[0] == 1  # rebuilt: usable again


def test_an_entry_copied_from_another_key_is_not_trusted(project, tmp_path) -> None:
    shapes, clean = project / "shapes.py", project / "clean.py"
    cached_run([shapes, clean], tmp_path / "c")
    by_size = sorted(entries(tmp_path / "c"), key=lambda p: p.stat().st_size)
    small, large = by_size
    small.write_bytes(large.read_bytes())  # a whole, valid entry under the wrong name
    hits, _, results = cached_run([shapes, clean], tmp_path / "c")
    assert hits == 1
    assert [r.changed for r in results] == [True, False]


def test_a_result_that_read_other_files_is_dropped_when_they_change(tmp_path) -> None:
    (tmp_path / "client.py").write_text(
        "class Client:\n    def delete_server(self, server_id):\n        pass\n"
    )
    (tmp_path / "test_resize.py").write_text(
        "class ResizeTest:\n"
        "    def _delete_server_allocations(self, server_uuid):\n"
        "        pass\n\n"
        "    def test_resize(self, sid):\n"
        "        self.api.post_server_action(sid, {'resize': {'flavorRef': '2'}})\n"
    )
    args = ("diff", "--unsafe-fixes", "--select", "resize-guard", "--cache-dir", "c")
    first = codemods(tmp_path, *args, "test_resize.py")
    assert first.returncode == 1 and "+        try:" in first.stdout
    (tmp_path / "client.py").write_text("class Client:\n    pass\n")
    second = codemods(tmp_path, *args, "-v", "test_resize.py")
    assert second.returncode == 0, second.stdout
    assert "no class in this project defines 'delete_server'" in second.stderr


def test_no_cache_reads_and_writes_nothing(project, tmp_path) -> None:
    cache = tmp_path / "c"
    assert codemods(project, "check", "--no-cache", "--cache-dir", str(cache), ".").returncode == 1
    assert not cache.exists()
    environment = dict(os.environ, CODEMODS_NO_CACHE="1")
    command = [sys.executable, "-m", "codemods", "check", "--cache-dir", str(cache), "."]
    subprocess.run(command, cwd=project, env=environment, capture_output=True, check=False)
    assert not cache.exists()
    assert codemods(project, "check", "--cache-dir", str(cache), ".").returncode == 1
    assert len(entries(cache)) == 2


def test_concurrent_runs_share_the_cache_safely(tmp_path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for number in range(60):
        (root / f"module_{number}.py").write_text(UNDOCUMENTED.replace("area", f"area{number}"))
    expected = codemods(root, "diff", "--no-cache", "-j", "1", ".").stdout
    command = [sys.executable, "-m", "codemods", "diff", "-j", "2", "--cache-dir", "c", "."]
    runs = [
        subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for _ in range(4)
    ]
    outputs = [process.communicate()[0].decode() for process in runs]
    assert outputs == [expected] * 4
    assert codemods(root, "diff", "--cache-dir", "c", ".").stdout == expected
    for entry in entries(root / "c"):
        header = json.loads(entry.read_bytes().partition(b"\n")[0])
        assert header["format"] == 2
    assert not [p for p in (root / "c").rglob("*") if "tmp" in p.name]


def test_the_cache_stores_or_drops_every_field_of_a_finding() -> None:
    import dataclasses

    from codemods import cache
    from codemods.finding import Finding

    names = {field.name for field in dataclasses.fields(Finding)}
    assert names == set(cache._FINDING_FIELDS) | set(cache._DROPPED)


def test_a_new_build_removes_only_marked_build_directories(tmp_path) -> None:
    from codemods.cache import BUILD_MARK

    keep = tmp_path / "0123456789abcdef"  # looks like a build, but is the user's
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    old = ResultCache(tmp_path, "a" * 64, "run")
    old.start_build()
    assert (old.directory / BUILD_MARK).is_file()
    new = ResultCache(tmp_path, "b" * 64, "run")
    new.start_build()
    assert not old.directory.exists()
    assert (keep / "notes.txt").read_text() == "mine"
    assert (new.directory / BUILD_MARK).is_file()
