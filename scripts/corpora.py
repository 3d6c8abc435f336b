"""The real corpora the scripts and the corpus tests run on, downloaded at run time.

* Nova: the OpenStack Nova 34.0.0 wheel from PyPI (``pip download --no-deps nova==34.0.0``),
  its ``*.py`` files read straight from the wheel;
* the standard library of the running interpreter (not ``site-packages``);
* large projects from PyPI for the all-codemods invariant run (:data:`PYPI_PROJECTS`:
  Django, SQLAlchemy, SymPy), each wheel downloaded with ``pip download --no-deps`` and its
  ``*.py`` files extracted next to it.

Downloads are cached in ``$CODEMODS_CORPUS_DIR`` (default ``~/.cache/codemods-corpora``).
Nothing here is ever committed to the project.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

NOVA_VERSION = "34.0.0"
NOVA_SEED_FILE = "nova/tests/functional/regressions/test_bug_1825537.py"
"""The file of the code review this tool grew from."""

PYPI_PROJECTS = {"django": "5.2.19", "sqlalchemy": "2.1.9", "sympy": "1.14.0"}
"""Large projects of the invariant run: name -> pinned version. SymPy brings odd code (huge
expressions, deep nesting, generated tables), SQLAlchemy dense typing and ``if TYPE_CHECKING``
stubs, Django a bit of everything."""


@dataclasses.dataclass(frozen=True)
class CorpusFile:
    """One source file of a corpus: its name inside the corpus and its bytes."""

    name: str
    data: bytes


def cache_dir() -> Path:
    """Return (and create) the directory downloads are cached in."""
    directory = Path(
        os.environ.get("CODEMODS_CORPUS_DIR", Path.home() / ".cache" / "codemods-corpora")
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def nova_wheel() -> Path:
    """Return the path of the Nova wheel, downloading it once with pip."""
    directory = cache_dir()
    wheel = directory / f"nova-{NOVA_VERSION}-py3-none-any.whl"
    if not wheel.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                f"nova=={NOVA_VERSION}",
                "-d",
                str(directory),
            ],
            check=True,
        )
    return wheel


def nova_files(limit: int | None = None, step: int = 1) -> list[CorpusFile]:
    """Return Nova's Python files in name order (every ``step``-th, at most ``limit``)."""
    with zipfile.ZipFile(nova_wheel()) as wheel:
        names = sorted(n for n in wheel.namelist() if n.endswith(".py"))[::step][:limit]
        return [CorpusFile(name, wheel.read(name)) for name in names]


def pypi_wheel(project: str, version: str) -> Path:
    """Return the path of a project's wheel for this interpreter, downloading it once with pip."""
    directory = cache_dir()
    prefix = f"{project.replace('-', '_').lower()}-{version}-"
    for wheel in sorted(directory.glob("*.whl")):
        if wheel.name.lower().startswith(prefix):
            return wheel
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--quiet",
            f"{project}=={version}",
            "-d",
            str(directory),
        ],
        check=True,
    )
    return pypi_wheel(project, version)


def pypi_tree(project: str, version: str | None = None) -> Path:
    """Extract a PyPI project's ``*.py`` files (once) under the cache; return that directory.

    ``version`` defaults to the one pinned in :data:`PYPI_PROJECTS`.
    """
    version = version or PYPI_PROJECTS[project]
    directory = cache_dir() / "trees" / f"{project}-{version}"
    done = directory / ".extracted"
    if not done.exists():
        with zipfile.ZipFile(pypi_wheel(project, version)) as wheel:
            wheel.extractall(directory, [n for n in wheel.namelist() if n.endswith(".py")])
        done.touch()
    return directory


def nova_tree(directory: Path) -> Path:
    """Extract Nova's Python files under ``directory`` (once); return the ``nova`` package.

    Codemods that read the whole project (resize-guard's index of classes and methods) need
    the files on disk, as a user's checkout has them.
    """
    package = directory / "nova"
    if not (package / "__init__.py").exists():
        with zipfile.ZipFile(nova_wheel()) as wheel:
            names = [n for n in wheel.namelist() if n.startswith("nova/") and n.endswith(".py")]
            wheel.extractall(directory, names)
    return package


def nova_file(name: str = NOVA_SEED_FILE) -> CorpusFile:
    """Return one file of the Nova wheel by its name in the wheel."""
    with zipfile.ZipFile(nova_wheel()) as wheel:
        return CorpusFile(name, wheel.read(name))


def stdlib_files(limit: int | None = None, step: int = 1) -> list[CorpusFile]:
    """Return the running interpreter's standard library ``*.py`` files, in name order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return [
        CorpusFile(str(path.relative_to(root)), path.read_bytes())
        for path in sorted(_stdlib_paths(root))[::step][:limit]
    ]


def _stdlib_paths(root: Path) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            d for d in subdirectories if d not in ("site-packages", "__pycache__")
        )
        for name in files:
            if name.endswith(".py"):
                yield Path(directory) / name
