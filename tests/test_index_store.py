"""Project indexes: only files that name what a question asks about are parsed, and their
parts are kept across runs so an unchanged file is never parsed twice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods import project_index

HELPER = "class Helper{n}(Base):\n    def cleanup_{n}(self, server_id):\n        pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text("class Base:\n    def close(self):\n        pass\n")
    for number in range(5):
        (package / f"module_{number}.py").write_text(
            "from pkg.base import Base\n\n\n" + HELPER.format(n=number)
        )
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
    new_process()
    yield seen
    new_process()
    project_index.keep_indexes_in(None)


PROJECTS = [project_index.Projects()]
"""The projects this test's "process" has read (a codemod instance keeps one)."""


def new_process() -> None:
    """Forget what this process indexed, as a new run would."""
    project_index._FILE_INDEXES.clear()
    PROJECTS[:] = [project_index.Projects()]


def index_for(path: Path, text: str) -> project_index.ProjectIndex:
    """Return the index of ``path``'s project, read once per :func:`new_process`."""
    return project_index.index_for(path, text, PROJECTS[0])


def test_a_question_parses_only_the_files_that_name_it(project, parses) -> None:
    checked = project / "module_0.py"
    index = index_for(checked, checked.read_text())
    assert parses == ["pkg.module_0"]  # the text being checked, nothing else yet
    assert index.defines_anywhere("cleanup_3")
    assert parses[1:] == ["pkg.module_3"]
    assert index.defines("pkg.module_4.Helper4", "close")  # its module, then its base's
    assert parses[2:] == ["pkg.module_4", "pkg.base"]
    assert not index.defines_anywhere("cleanup_9")
    assert len(parses) == 4


def test_a_new_run_reads_stored_parts_and_parses_only_changed_files(
    project, parses, tmp_path
) -> None:
    project_index.keep_indexes_in(tmp_path / "store")
    checked = project / "module_0.py"
    first = index_for(checked, checked.read_text())
    assert first.defines_anywhere("close") and first.defines_anywhere("cleanup_2")
    assert sorted(parses) == ["pkg.base", "pkg.module_0", "pkg.module_2"]
    parses.clear()
    new_process()
    (project / "module_2.py").write_text(
        "class Helper2:\n    def cleanup_2b(self):\n        pass\n"
    )
    second = index_for(checked, checked.read_text())
    assert not second.defines_anywhere("cleanup_2")
    assert second.defines_anywhere("close")
    assert parses == ["pkg.module_2"]  # base and the checked text came from the store
    assert second.fingerprint != first.fingerprint


def test_a_damaged_stored_part_is_rebuilt(project, parses, tmp_path) -> None:
    store = tmp_path / "store"
    project_index.keep_indexes_in(store)
    checked = project / "module_0.py"
    index_for(checked, checked.read_text()).defines_anywhere("close")
    for stored in store.glob("??/*.json"):
        stored.write_text('{"format": 1, "module": "pkg.base", "digest": "x", "index": []}')
    parses.clear()
    new_process()
    again = index_for(checked, checked.read_text())
    assert again.defines("pkg.module_0.Helper0", "close")
    assert sorted(parses) == ["pkg.base", "pkg.module_0"]


def test_without_a_store_nothing_is_written(project, parses, tmp_path) -> None:
    checked = project / "module_0.py"
    index_for(checked, checked.read_text()).defines_anywhere("close")
    assert not any(name.endswith(".json") for _, _, names in os.walk(tmp_path) for name in names)


def test_resize_guard_reads_the_project_once_for_the_workers(project, parses) -> None:
    from codemods.fixes.resize_guard import ResizeGuard

    (project / "module_2.py").write_text(
        "class Test:\n    def test(self):\n        self.api.post_server_action('s', {})\n"
    )
    paths = sorted(project.glob("*.py"))
    state = ResizeGuard().prepare(paths)
    assert isinstance(state, project_index.Project) and state.root == project
    assert all(state.data(module) is not None for module in state.paths)  # every file read
    assert parses == []  # read, not parsed: questions parse what they need
    worker = ResizeGuard()
    worker.receive_prepared(state)
    assert len(worker.projects) == 1
    assert ResizeGuard().prepare([project / "module_0.py"]) is None  # names no callee


def test_a_mixin_two_levels_down_relates_the_caller_and_the_owner(tmp_path, parses) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "class Caller:\n    def test(self):\n        self.assertRaises(Exception, self.resize)\n"
    )
    (package / "b.py").write_text("class Owner:\n    def resize(self):\n        pass\n")
    (package / "c.py").write_text(
        "from pkg.a import Caller\n\n\nclass Middle(Caller):\n    pass\n"
    )
    both = "from pkg.c import Middle\nfrom pkg.b import Owner\n\n\nclass Both(Middle, Owner):\n"
    (package / "d.py").write_text(both + "    pass\n")
    checked = package / "b.py"
    index = index_for(checked, checked.read_text())
    assert index.expected_failure("resize", "pkg.b.Owner") == ("pkg/a.py", 3)
    (package / "d.py").write_text(both.replace("Middle, Owner", "Middle") + "    pass\n")
    new_process()
    index = index_for(checked, checked.read_text())
    assert index.expected_failure("resize", "pkg.b.Owner") is None
