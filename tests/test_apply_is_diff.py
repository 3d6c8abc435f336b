"""``apply`` writes exactly what ``diff`` shows, whatever order it writes the files in.

docstring-stubs reads other files of the project (is the method overridden documented in
a base class?). Read after ``apply`` wrote the base's stub, the answer changed: the
override was held back by ``apply`` but fixed by ``diff``, and two ``apply -j 2`` runs could
disagree (found on Twisted by ``scripts/suite_check.py``). Files are now read before the
first write.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = str(Path(sys.executable).parent / "codemods")


def _project(root: Path) -> Path:
    """A base (first in the walk) whose undocumented methods the subclasses override."""
    package = root / "pkg"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    (package / "__init__.py").write_text('"""Pkg."""\n')
    (package / "a_base.py").write_text(
        '"""Base."""\n\n\nclass Base:\n    """A base."""\n\n'
        "    def run(self):\n        return 1\n\n    def stop(self):\n        return 2\n"
    )
    # a re-export: the project index does not follow it, the library reader does (and
    # must read the base as it was before the run wrote it, too)
    (package / "b_alias.py").write_text('"""Alias."""\n\nfrom pkg.a_base import Base\n')
    for number in range(4):
        origin = "pkg.b_alias" if number % 2 else "pkg.a_base"
        (package / f"z_sub{number}.py").write_text(
            f'"""Sub {number}."""\n\nfrom {origin} import Base  # noqa: F401\n\n\n'
            f'class Sub{number}(Base):\n    """A subclass."""\n\n'
            "    def run(self):\n        return 3\n\n    def stop(self):\n        return 4\n"
        )
    return root


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *args, "--no-cache", "--select", "docstring-stubs", "pkg"],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_apply_writes_what_diff_shows(tmp_path: Path, jobs: str) -> None:
    shown = _project(tmp_path / "shown")
    patch = _run(shown, "diff", "-j", jobs).stdout
    assert '+        """Run."""' in patch  # the overrides are fixed: Base.run had none
    subprocess.run(["patch", "-p1", "-s"], input=patch, text=True, cwd=shown, check=True)

    applied = _project(tmp_path / "applied")
    done = _run(applied, "apply", "-j", jobs)
    assert done.returncode == 0, done.stderr
    for path in sorted((shown / "pkg").glob("*.py")):
        assert (applied / "pkg" / path.name).read_text() == path.read_text(), path.name
    assert _run(applied, "diff", "-j", jobs).stdout == ""


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch is not installed")
def test_two_applies_agree(tmp_path: Path) -> None:
    first = _project(tmp_path / "first")
    second = _project(tmp_path / "second")
    _run(first, "apply", "-j", "2")
    _run(second, "apply", "-j", "1")
    for path in sorted((first / "pkg").glob("*.py")):
        assert (second / "pkg" / path.name).read_text() == path.read_text(), path.name
