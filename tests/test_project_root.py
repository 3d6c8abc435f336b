"""One project root, and the scope of a run: what issue 21 found on an ordinary package.

* The project root is black's: the nearest directory above the paths holding ``.git``, ``.hg``
  or a ``pyproject.toml`` (with or without ``[tool.codemods]``). The baseline, the config
  search, ``triage`` and the cache key use it, so running from a subdirectory changes nothing.
* ``triage`` takes ``--baseline``/``--no-baseline`` as the other commands do.
* A virtual environment (a directory holding ``pyvenv.cfg``) is never walked into, whatever
  its name, nor are ruff's and black's default excludes.
* Nothing in scope is said as such (exit 0); a ``--line-ranges`` path naming no file of the
  run is an error; ``--staged`` outside git names ``--staged``.
* ``extend-safe-fixes`` and ``extend-unsafe-fixes`` refuse a name that is neither a codemod nor
  a rule, and the summary's unsafe note follows them.

The commands run in this process (click's ``CliRunner``) with ``-j 1``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods import cli
from codemods.cache import run_fingerprint
from codemods.config import ConfigError, config_for_run, find_config, find_project_root
from codemods.discovery import DEFAULT_EXCLUDES, Exclusions, discover

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
MODULE = '"""M."""\n\n\ndef f(value):\n    """F."""\n    unused = value * 2\n    return value\n'
"""A module with one finding: ``unused`` (unused-variables, line 6)."""
RESIZE = (
    '"""Test."""\n\n\n'
    'class Client:\n    """C."""\n\n    def delete_server(self, server_id):\n        pass\n\n\n'
    'class Base:\n    """B."""\n\n'
    "    def _delete_server_allocations(self, server_uuid):\n        pass\n\n\n"
    'class T(Base):\n    """T."""\n\n'
    '    def test(self, server):\n        """Test."""\n'
    "        self.api.post_server_action(server['id'], {'resize': {}})\n"
)
"""A test whose resize call resize-guard wraps (an unsafe fix) with the project's cleanup."""


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return the exit code, stdout and stderr."""
    done = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return done.exit_code, done.stdout, done.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, check=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose pyproject.toml has no [tool.codemods]; the cwd is its top."""
    top = tmp_path / "repo"
    write(top / "pyproject.toml", "[project]\nname = 'pkg'\nversion = '1'\n")
    write(top / "src/pkg/__init__.py", '"""Pkg."""\n')
    write(top / "src/pkg/m.py", MODULE)
    git(top, "init", "-q")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "initial")
    monkeypatch.chdir(top)
    return top


# -- 1. one project root -------------------------------------------------------------------


@pytest.mark.parametrize("marker", [".git", ".hg", "pyproject.toml"])
def test_the_root_is_the_nearest_directory_holding_a_marker(tmp_path: Path, marker: str) -> None:
    write(tmp_path / "pyproject.toml", "[tool.codemods]\n")  # further up: not the root
    project = tmp_path / "project"
    if marker == "pyproject.toml":
        write(project / marker, "[project]\nname = 'x'\n")  # without our table
    else:
        (project / marker).mkdir(parents=True)
    write(project / "src/pkg/m.py", "")
    write(project / "tests/t.py", "")
    root = find_project_root([project / "src/pkg/m.py", project / "tests"])
    assert (root.path, root.marker) == (project.resolve(), marker)
    assert marker in root.describe()


def test_without_a_marker_the_root_is_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a/m.py", "")
    monkeypatch.chdir(tmp_path / "a")
    outside = tmp_path / "a"
    if any((parent / name).exists() for parent in outside.parents for name in (".git", ".hg")):
        pytest.skip("the temporary directory is inside a repository")
    if any((parent / "pyproject.toml").is_file() for parent in outside.parents):
        pytest.skip("the temporary directory is inside a project")
    root = find_project_root([outside / "m.py"])
    assert (root.path, root.marker) == (Path.cwd(), None)
    assert find_config([outside / "m.py"]) is None


def test_the_config_is_read_from_the_root_only(tmp_path: Path) -> None:
    """A [tool.codemods] above the root (another project's, an untrusted parent) is not read."""
    write(tmp_path / "pyproject.toml", '[tool.codemods]\nselect = ["indentation"]\n')
    write(tmp_path / "pkg/pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "pkg/src/m.py", "")
    assert find_config([tmp_path / "pkg/src/m.py"]) is None
    config = config_for_run([str(tmp_path / "pkg/src/m.py")])
    assert config.path is None and config.select is None
    assert config.project_root == (tmp_path / "pkg").resolve()
    (tmp_path / "pkg/pyproject.toml").unlink()
    (tmp_path / "pkg/.git").mkdir()  # a repository without a pyproject.toml: same
    assert find_config([tmp_path / "pkg/src"]) is None
    (tmp_path / "pkg/.git").rmdir()
    assert find_config([tmp_path / "pkg/src"]) == tmp_path / "pyproject.toml"


def test_the_roots_pyproject_is_read_from_a_subdirectory(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.codemods]\nignore = ["unused-variables"]\n',
    )
    os.chdir(repo / "src")
    code, out, err = invoke("check", "-j", "1", "--no-cache", ".")
    assert (code, out) == (0, ""), err


def test_baseline_at_the_top_holds_from_a_subdirectory(repo: Path) -> None:
    """The issue's scenario: no [tool.codemods]; baseline at the top, then cd src."""
    code, _, err = invoke("baseline", "-j", "1")
    assert code == 0, err
    top_baseline = repo / ".codemods-baseline.json"
    assert [e["path"] for e in json.loads(top_baseline.read_text())["findings"]] == [
        "src/pkg/m.py"
    ]
    os.chdir(repo / "src")
    code, out, err = invoke("check", "-j", "1", "--no-cache", ".")
    assert (code, out) == (0, ""), err
    code, _, err = invoke("diff", "-j", "1", "--no-cache", "-v", "pkg/m.py")
    assert code == 0 and "it is in the baseline" in err, err
    write(repo / "src/pkg/n.py", MODULE)
    code, _, err = invoke("baseline", "-j", "1", ".")
    assert code == 0, err
    assert not (repo / "src/.codemods-baseline.json").exists()
    recorded = json.loads(top_baseline.read_text())["findings"]
    assert sorted(e["path"] for e in recorded) == ["src/pkg/m.py", "src/pkg/n.py"]
    assert "recorded in ../.codemods-baseline.json" in err


def test_verbose_prints_the_root_and_why(repo: Path) -> None:
    os.chdir(repo / "src")
    code, _, err = invoke("check", "-j", "1", "--no-cache", "-v", ".")
    assert code == 1
    assert f"project root: {repo.resolve()} (it holds .git); config: none" in err
    write(repo / "pyproject.toml", "[tool.codemods]\n")
    _, _, err = invoke("check", "-j", "1", "--no-cache", "-v", ".")
    assert f"config: {repo.resolve() / 'pyproject.toml'}" in err


def test_the_cache_key_does_not_depend_on_the_working_directory(repo: Path) -> None:
    at_top = run_fingerprint(config_for_run(["src"]))
    os.chdir(repo / "src")
    assert run_fingerprint(config_for_run(["."])) == at_top
    assert config_for_run(["."]).root == repo.resolve()


# -- 2. triage sees past the baseline -------------------------------------------------------


def test_triage_takes_the_roots_baseline_and_no_baseline(repo: Path) -> None:
    review = {
        "version": 1,
        "findings": [
            {"path": "src/pkg/m.py", "line": 6, "kind": "unused-variable", "names": ["unused"]}
        ],
    }
    write(repo / "review.json", json.dumps(review))
    assert invoke("baseline", "-j", "1")[0] == 0
    os.chdir(repo / "src")  # the baseline is the root's, wherever triage runs

    def verdict(*options: str) -> tuple[int, str, str]:
        code, out, err = invoke("triage", "--format", "json", *options, "../review.json")
        assert code in (0, 1), err
        (only,) = json.loads(out)["verdicts"]
        return code, only["verdict"], only["reason"]

    code, found, reason = verdict()
    assert (code, found) == (0, "not fixed") and "baseline" in reason
    assert verdict("--no-baseline")[:2] == (1, "fixed")
    write(repo / "empty.json", '{"version": 1, "findings": []}\n')
    assert verdict("--baseline", "../empty.json")[:2] == (1, "fixed")
    code, _, err = invoke("triage", "--baseline", "../missing.json", "../review.json")
    assert code == 2 and "no such baseline file" in err


# -- 3. virtual environments and the default excludes --------------------------------------


def venv(path: Path) -> Path:
    """Lay out what ``python -m venv`` writes that matters here (no .gitignore: Python < 3.13)."""
    write(path / "pyvenv.cfg", "home = /usr/bin\nversion = 3.11.0\n")
    write(path / "lib/python3.11/site-packages/dep/mod.py", MODULE)
    write(path / "bin/tool.py", MODULE)
    return path


def test_a_virtualenv_is_never_walked_into_whatever_its_name(tmp_path: Path) -> None:
    write(tmp_path / "app.py", MODULE)
    venv(tmp_path / "env")
    venv(tmp_path / "src/py311")
    write(tmp_path / "src/lib.py", MODULE)
    found = discover([tmp_path], Exclusions(root=tmp_path))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found) == ["app.py", "src/lib.py"]


def test_apply_leaves_a_virtualenv_named_env_alone(repo: Path) -> None:
    venv(repo / "env")
    code, _, err = invoke("apply", "-j", "1", "--no-cache", ".")
    assert code == 0, err
    assert (repo / "env/lib/python3.11/site-packages/dep/mod.py").read_text() == MODULE
    assert (repo / "env/bin/tool.py").read_text() == MODULE
    assert (repo / "src/pkg/m.py").read_text() != MODULE


def test_a_virtualenv_named_on_the_command_line_is_walked_but_not_site_packages(
    tmp_path: Path,
) -> None:
    """As ruff walks a directory it is given; its installed packages stay out."""
    env = venv(tmp_path / "env")
    found = discover([env], Exclusions(root=tmp_path))
    assert [p.relative_to(env).as_posix() for p in found] == ["bin/tool.py"]


@pytest.mark.parametrize(
    "name",
    [
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "__pypackages__",
        "_build",
        "buck-out",
        "node_modules",
        "site-packages",
        ".mypy_cache",
        ".pytype",
        ".direnv",
        ".pyenv",
        ".svn",
        ".pants.d",
    ],
)
def test_ruffs_and_blacks_default_excludes_are_not_walked(tmp_path: Path, name: str) -> None:
    assert name in DEFAULT_EXCLUDES
    write(tmp_path / name / "pkg/m.py", MODULE)
    write(tmp_path / "keep.py", MODULE)
    assert discover([tmp_path], Exclusions(root=tmp_path)) == [tmp_path / "keep.py"]


# -- 4. nothing in scope -------------------------------------------------------------------


@pytest.mark.parametrize("scope", [["--staged"], ["--diff-base", "HEAD"]])
def test_files_found_but_none_in_scope_says_so(repo: Path, scope: list[str]) -> None:
    code, out, err = invoke("check", "-j", "1", "--no-cache", *scope, ".")
    assert (code, out) == (0, ""), err
    assert f"2 files found, none in scope ({' '.join(scope)})" in err
    assert "No Python files found." not in err


def test_none_in_scope_of_a_report(repo: Path) -> None:
    write(repo / "report.txt", "src/pkg/other.py:1:1: F841 local variable 'x' is never used\n")
    code, out, err = invoke("diff", "-j", "1", "--no-cache", "--findings", "report.txt", "src")
    assert (code, out) == (0, ""), err
    assert "2 files found, none in scope (--findings report.txt)" in err


def test_a_line_range_naming_no_file_of_the_run_is_an_error(repo: Path) -> None:
    os.chdir(repo / "src/pkg")
    code, out, err = invoke("check", "--no-cache", "--line-ranges", "typo.py:1-9", "m.py")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: --line-ranges 'typo.py:1-9': typo.py names no file of the run (m.py)"
    ]
    # a file under a directory given is one of the run, as is the file given itself
    for ranges, path in (("m.py:6-6", "."), ("m.py:6-6", "m.py"), ("./m.py:1-9", "m.py")):
        code, _, err = invoke("check", "-j", "1", "--no-cache", "--line-ranges", ranges, path)
        assert code == 1, err
    code, _, err = invoke("check", "--no-cache", "--line-ranges", "__init__.py:1-1", "m.py")
    assert code == 2 and "names no file of the run" in err


def test_a_line_range_of_stdin_names_the_stdin_filename(repo: Path) -> None:
    os.chdir(repo / "src/pkg")
    runner = CliRunner()
    args = ["check", "--no-cache", "--stdin-filename", "m.py", "--line-ranges", "m.py:6-6", "-"]
    done = runner.invoke(cli.main, args, input=MODULE)
    assert done.exit_code == 1, done.stderr
    args[5] = "other.py:6-6"
    done = runner.invoke(cli.main, args, input=MODULE)
    assert done.exit_code == 2 and "--stdin-filename m.py" in done.stderr


def test_staged_outside_a_repository_names_staged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "m.py", MODULE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = invoke("check", "--no-cache", "--staged", "m.py")
    assert code == 2
    assert err.strip().endswith("is not in a git repository; --staged needs one"), err
    code, _, err = invoke("check", "--no-cache", "--diff-base", "main", "m.py")
    assert err.strip().endswith("is not in a git repository; --diff-base needs one"), err


# -- 5. extend-safe-fixes and extend-unsafe-fixes -------------------------------------------


@pytest.mark.parametrize("key", ["extend-safe-fixes", "extend-unsafe-fixes"])
def test_a_typo_in_the_fix_safety_lists_is_refused(repo: Path, key: str) -> None:
    write(repo / "pyproject.toml", f'[tool.codemods]\n{key} = ["resize-gaurd"]\n')
    code, out, err = invoke("check", "--no-cache", ".")
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"error: {repo.resolve() / 'pyproject.toml'}: [tool.codemods] {key}")
    assert "'resize-gaurd'" in line and "resize-guard" in line


@pytest.mark.parametrize("name", ["resize-guard", "unguarded-resize", "unused-variable"])
def test_codemod_ids_and_rules_are_accepted(tmp_path: Path, name: str) -> None:
    write(tmp_path / "pyproject.toml", f'[tool.codemods]\nextend-safe-fixes = ["{name}"]\n')
    assert config_for_run([str(tmp_path)]).extend_safe_fixes == (name,)


def test_another_linters_code_is_refused_with_the_names_to_use(tmp_path: Path) -> None:
    """F841 is unused-variables' code, but the safety lists match ids and rules only."""
    write(tmp_path / "pyproject.toml", '[tool.codemods]\nextend-safe-fixes = ["F841"]\n')
    with pytest.raises(ConfigError, match="'F841' is a code of unused-variables.*unused-variable"):
        config_for_run([str(tmp_path)])


def test_a_typo_in_per_file_ignores_is_refused(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[tool.codemods]\nper-file-ignores = { "tests/*" = ["docstring-stub"] }\n',
    )
    code, _, err = invoke("check", "--no-cache", ".")
    assert code == 2
    (line,) = err.splitlines()
    assert "per-file-ignores" in line and "'docstring-stub'" in line and "pyproject.toml" in line


@pytest.mark.parametrize("name", ["resize-guard", "unguarded-resize"])
def test_a_fix_made_safe_is_not_called_unsafe_in_the_summary(repo: Path, name: str) -> None:
    write(repo / "pyproject.toml", f'[tool.codemods]\nextend-safe-fixes = ["{name}"]\n')
    write(repo / "tests/test_resize.py", RESIZE)
    code, out, err = invoke("diff", "-j", "1", "--no-cache", "--select", "resize-guard", "tests")
    assert code == 1 and "+        try:" in out, err
    assert "Unsafe fixes" not in err and "held back" not in err


def test_a_fix_made_unsafe_is_called_unsafe_in_the_summary(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.codemods]\nextend-unsafe-fixes = ["unused-variables"]\n')
    code, _, err = invoke("diff", "-j", "1", "--no-cache", "--unsafe-fixes", "src")
    assert code == 1, err
    assert "Unsafe fixes (unused-variables) are in this diff" in err
