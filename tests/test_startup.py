"""Start-up: a run imports LibCST only when a file needs a tree rewrite (a tenth of a second)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import RESIZE  # a resize call whose cleanup resolves in its file

LOADED = """
import sys
from codemods.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(any(name == "libcst" or name.startswith("libcst.") for name in sys.modules))
"""


def libcst_loaded(cwd: Path, *args: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args], capture_output=True, text=True, cwd=cwd
    )
    return {"True": True, "False": False}[done.stdout.strip().splitlines()[-1]]


@pytest.mark.parametrize(
    "text",
    [
        "def area(width):\n  unused = 1\n  return width\n",  # stubs, dead store, 2 spaces
        '"""Clean."""\n',
    ],
)
def test_text_edits_never_import_libcst(tmp_path: Path, text: str) -> None:
    (tmp_path / "module.py").write_text(text)
    assert not libcst_loaded(tmp_path, "diff", "--no-cache", "module.py")
    assert not libcst_loaded(tmp_path, "list")


def test_a_resize_guard_imports_libcst_for_its_rewrite(tmp_path: Path) -> None:
    (tmp_path / "test_resize.py").write_text(RESIZE)
    assert not libcst_loaded(tmp_path, "diff", "--no-cache", "test_resize.py")  # held back
    assert libcst_loaded(tmp_path, "diff", "--no-cache", "--unsafe-fixes", "test_resize.py")
