"""An ordinary package as a new user meets it: empty ``__init__.py`` files, crashes as exit 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods import cli, formats


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package with an empty ``__init__.py`` (that docstring-stubs gives a docstring)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_bytes(b"")
    (tmp_path / "pkg/mod.py").write_text('"""Mod."""\n\n\ndef f():\n    x = 1\n    return 2\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return the exit code, stdout and stderr."""
    done = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize("output_format", ["json", "sarif", "rdjson"])
def test_an_empty_init_gets_its_docstring_in_every_report(
    package: Path, output_format: str
) -> None:
    code, out, err = invoke("check", "--no-cache", "--format", output_format, "pkg")
    assert (code, "Traceback" in err) == (1, False), err
    assert "Pkg package." in out
    json.loads(out)


def test_our_own_diff_of_an_empty_file_applies_with_apply_patch_and_git(package: Path) -> None:
    code, diff, _ = invoke("diff", "--no-cache", "pkg")
    assert code == 1 and "@@ -0,0 +1 @@" in diff
    (package / "fixes.patch").write_text(diff)
    checked = subprocess.run(
        ["git", "apply", "--check", "fixes.patch"], cwd=package, capture_output=True
    )
    assert checked.returncode == 0, checked.stderr
    code, _, err = invoke("apply", "--patch", "fixes.patch")
    assert code == 0, err
    assert (package / "pkg/__init__.py").read_text() == '"""Pkg package."""\n'


def test_a_patch_creating_a_file_is_still_refused(package: Path) -> None:
    (package / "new.patch").write_text("--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1 @@\n+x = 1\n")
    code, _, err = invoke("apply", "--patch", "new.patch")
    assert code == 2 and "creating, deleting or renaming files is not supported" in err
    assert not (package / "pkg/new.py").exists()


@pytest.mark.parametrize("command", ["check", "diff"])
def test_an_internal_error_is_one_line_and_exit_2(
    package: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    def broken(results: object) -> str:
        raise IndexError("list index out of range")

    monkeypatch.setitem(formats.RENDERERS, "json", broken)
    monkeypatch.setitem(cli.RENDERERS, "json", broken)
    code, _, err = invoke(command, "--no-cache", "--format", "json", "pkg")
    assert code == 2, err
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("error: internal error: IndexError: list index out of range")
    assert "(at codemods/" in lines[0]  # where in our code, as a forward-slash path
