"""A result that read the project's environment is kept only while that environment is.

docstring-stubs reads library source from the project's virtualenv; the cache must not
serve a result computed against other libraries (an upgrade, a removed package).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMAND = str(Path(sys.executable).parent / "codemods")
LIBRARY_READS = (
    'class Base:\n    """A base."""\n\n    def describe(self):\n'
    '        """Describe the subclass."""\n        return self.__doc__\n'
)
LIBRARY_IGNORES = 'class Base:\n    """A base."""\n'


def _virtualenv(root: Path, version: str, source: str) -> Path:
    """Write a virtualenv layout with one library, ``lib`` at ``version``."""
    venv = root / ".venv"
    site = venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    (venv / "pyvenv.cfg").write_text(
        f"home = {Path(sys.executable).parent}\nversion = {sys.version.split()[0]}\n"
    )
    for old in site.glob("lib-*.dist-info"):
        for file in old.iterdir():
            file.unlink()
        old.rmdir()
    info = site / f"lib-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: lib\nVersion: {version}\n")
    (site / "lib.py").write_text(source)
    return venv


def _check(project: Path, cache: Path) -> str:
    done = subprocess.run(
        [COMMAND, "check", "-v", "--cache-dir", str(cache), "--select", "docstring-stubs", "."],
        cwd=project,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stderr


def test_a_changed_environment_is_not_served_from_the_cache(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (project / "mod.py").write_text(
        '"""Mod."""\n\nfrom lib import Base\n\n\nclass Sub(Base):\n    pass\n'
    )
    cache = tmp_path / "cache"
    venv = _virtualenv(project, "1.0", LIBRARY_READS)
    first = _check(project, cache)
    assert f"environment: {venv}" in first
    # the reader is named with the library's version, read from the environment
    assert "Sub: lib.Base reads the docstring of each subclass" in first, first
    assert "(lib 1.0, lib.py:6)" in first, first
    _virtualenv(project, "2.0", LIBRARY_IGNORES)  # an upgrade that stops reading them
    second = _check(project, cache)
    assert "missing class docstring for Sub: added 'Sub.'" in second, second
