"""Project indexes kept across runs: only files whose stamp changed are parsed again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods import project_index

HELPER = "class Helper:\n    def cleanup(self, server_id):\n        pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for number in range(5):
        (package / f"module_{number}.py").write_text(HELPER.replace("Helper", f"Helper{number}"))
    return package


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each module the index parses, starting each test with empty in-process caches."""
    seen: list[str] = []
    build = project_index._build_file_index

    def counting(module: str, data: bytes | str, is_package: bool):  # type: ignore[no-untyped-def]
        seen.append(module)
        return build(module, data, is_package)

    monkeypatch.setattr(project_index, "_build_file_index", counting)
    monkeypatch.setattr(project_index, "_FILE_INDEXES", {})
    project_index._index_of.cache_clear()
    yield seen
    project_index._index_of.cache_clear()
    project_index.keep_indexes_in(None)


def new_process() -> None:
    """Forget what this process indexed, as a new run would."""
    project_index._FILE_INDEXES.clear()
    project_index._index_of.cache_clear()


def test_a_second_run_parses_only_the_file_that_changed(project, parses, tmp_path) -> None:
    project_index.keep_indexes_in(tmp_path / "store")
    checked = project / "module_0.py"
    first = project_index.index_for(checked, checked.read_text())
    every = ["pkg", "pkg.module_0", "pkg.module_0", *(f"pkg.module_{n}" for n in range(1, 5))]
    assert sorted(parses) == every  # module_0 twice: from disk, and the text being checked
    assert first.defines_anywhere("cleanup") and first.defines("pkg.module_3.Helper3", "cleanup")
    parses.clear()
    new_process()
    for by_digest in (tmp_path / "store").glob("??/*.json"):
        by_digest.unlink()  # only the project's entry (file stamps) can spare the parses now
    (project / "module_3.py").write_text("class Helper3:\n    pass\n")
    second = project_index.index_for(checked, checked.read_text())
    assert parses == ["pkg.module_3", "pkg.module_0"]  # the changed file, the checked text
    assert not second.defines("pkg.module_3.Helper3", "cleanup")
    assert second.fingerprint != first.fingerprint


def test_a_damaged_project_entry_is_rebuilt(project, parses, tmp_path) -> None:
    store = tmp_path / "store"
    project_index.keep_indexes_in(store)
    checked = project / "module_0.py"
    project_index.index_for(checked, checked.read_text())
    (entry,) = (store / "projects").iterdir()
    entry.write_text('{"format": 1, "root": "elsewhere"')
    for stored in store.glob("??/*.json"):
        stored.write_text("[]")
    parses.clear()
    new_process()
    again = project_index.index_for(checked, checked.read_text())
    assert len(parses) == 7  # the package, five modules, and the text being checked
    assert again.defines("pkg.module_4.Helper4", "cleanup")


def test_without_a_store_nothing_is_written(project, parses, tmp_path) -> None:
    checked = project / "module_0.py"
    project_index.index_for(checked, checked.read_text())
    new_process()
    parses.clear()
    project_index.index_for(checked, checked.read_text())
    assert len(parses) == 7
    assert not any(name.endswith(".json") for _, _, names in os.walk(tmp_path) for name in names)


def test_resize_guard_prepares_the_index_once_for_the_workers(project, parses) -> None:
    from codemods.fixes.resize_guard import ResizeGuard

    (project / "module_2.py").write_text(
        "class Test:\n    def test(self):\n        self.api.post_server_action('s', {})\n"
    )
    paths = sorted(project.glob("*.py"))
    ResizeGuard().prepare(paths)
    assert project_index._index_of.cache_info().currsize == 1
    assert len(parses) == 6  # the package and its five modules, before any worker starts
    ResizeGuard().prepare([project / "module_0.py"])  # names no callee: nothing to build
    assert len(parses) == 6
