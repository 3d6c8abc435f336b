"""Fixing only what a change touched, a baseline that ratchets, and exclusions that hold.

Every test builds a real git repository and runs the installed ``codemods`` command (and the
real ``pre-commit``) in it: a legacy file with a finding in each of its functions, then a
change to one function.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMAND = str(Path(sys.executable).parent / "codemods")
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "NO_COLOR": "1",
}


def legacy(count: int = 6) -> str:
    """Return a module whose every function has an unused local and no docstring."""
    functions = "".join(
        f"\n\ndef step_{i}(value):\n    unused_{i} = value * 2\n    return value + {i}\n"
        for i in range(count)
    )
    return '"""Legacy steps."""\n' + functions


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout


def codemods(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COMMAND, *args],
        cwd=repo,
        env=GIT_ENV,
        capture_output=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def committed(tmp_path: Path, name: str, text: str) -> Path:
    """Return a new repository with one file committed."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    (path / name).write_text(text)
    git(path, "add", name)
    git(path, "commit", "-qm", name)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the legacy module committed."""
    return committed(tmp_path, "legacy.py", legacy())


def touch_step(repo: Path, number: int, name: str = "legacy.py") -> None:
    """Change one line of the body of ``step_<number>``."""
    path = repo / name
    path.write_text(
        path.read_text().replace(f"return value + {number}\n", f"return value + {number} + 0\n")
    )


def line_of(path: Path, text: str) -> int:
    """Return the number of the first line of ``path`` that contains ``text``."""
    lines = path.read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def changed_functions(diff: str) -> set[str]:
    """Return the names of the functions whose lines a diff adds or removes."""
    names, current = set(), None
    for line in diff.splitlines():
        if line.startswith("@@"):
            current = line.split("def ")[-1].split("(")[0] if "def " in line else None
        elif line[:1] in "+-" and not line.startswith(("+++", "---")):
            stripped = line[1:]
            if stripped.startswith("def "):
                current = stripped[4:].split("(")[0]
            names.add(current)
        elif line.startswith(" def "):
            current = line[5:].split("(")[0]
    return names


# Scope by change


def test_diff_base_fixes_only_the_function_the_change_touched(repo: Path) -> None:
    touch_step(repo, 3)
    done = codemods(repo, "diff", "--diff-base", "HEAD", ".")
    assert done.returncode == 1, done.stderr
    diff = done.stdout.decode()
    assert '+    """Step 3."""\n' in diff
    assert diff.count("+    ") == 1  # the stub of step_3 only: its unused local is not touched
    git(repo, "commit", "-qam", "touch step_3")
    after_commit = codemods(repo, "diff", "--diff-base", "HEAD~1", ".")
    assert after_commit.stdout.decode() == diff


def test_staged_sees_the_index_and_not_the_rest_of_the_working_tree(repo: Path) -> None:
    (repo / "other.py").write_text(legacy(2))
    git(repo, "add", "other.py")
    git(repo, "commit", "-qm", "other")
    touch_step(repo, 1)
    git(repo, "add", "legacy.py")
    touch_step(repo, 0, "other.py")  # changed, but not staged
    done = codemods(repo, "diff", "--staged", "-v", ".")
    diff = done.stdout.decode()
    assert '+    """Step 1."""\n' in diff and "other.py" not in diff
    assert b"other.py" not in done.stderr  # a file with nothing staged is not even read


def test_a_finding_on_a_changed_line_is_fixed_and_its_cascade_reported(repo: Path) -> None:
    path = repo / "legacy.py"
    path.write_text(
        legacy() + "\n\ndef chain():\n    first = 1\n    second = first\n    return 0\n"
    )
    git(repo, "commit", "-qam", "chain")
    path.write_text(path.read_text().replace("second = first\n", "second = first  # noted\n"))
    done = codemods(repo, "diff", "--diff-base", "HEAD", "--format", "json", "--select",
                    "unused-variables", ".")  # fmt: skip
    report = json.loads(done.stdout)
    first, second = line_of(path, "first = 1"), line_of(path, "second = first")
    assert [change["line"] for change in report["changes"]] == [second]
    skipped = {skip["line"]: skip["reason"] for skip in report["skips"]}
    assert skipped[first] == "not on a line changed since HEAD"
    assert path.read_text().count("first = 1") == 1


def test_new_and_untracked_files_are_all_changed_and_renamed_ones_only_where_changed(
    repo: Path,
) -> None:
    git(repo, "mv", "legacy.py", "renamed.py")
    touch_step(repo, 2, "renamed.py")
    (repo / "fresh.py").write_text("def fresh():\n    spare = 1\n    return 2\n")
    done = codemods(repo, "check", "-v", "--diff-base", "HEAD", ".")
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert "would fix fresh.py (unused-variables, docstring-stubs)" in stdout
    assert "would fix renamed.py (docstring-stubs)" in stdout
    line = line_of(repo / "renamed.py", "def step_2(")
    assert f"renamed.py:{line}: [docstring-stubs] missing function docstring for step_2" in stderr
    assert "missing function docstring for step_1: not on a line changed since HEAD" in stderr


def test_files_outside_the_change_are_not_read(repo: Path) -> None:
    (repo / "broken.py").write_text("def broken(:\n")
    git(repo, "add", "broken.py")
    git(repo, "commit", "-qm", "broken")
    assert codemods(repo, "check", ".").returncode == 2  # read: a syntax error
    touch_step(repo, 0)
    done = codemods(repo, "check", "--diff-base", "HEAD", ".")
    assert done.returncode == 1, done.stderr
    assert b"broken.py" not in done.stderr + done.stdout


def test_line_ranges_limit_fixes_like_a_change(repo: Path) -> None:
    done = codemods(repo, "diff", "--line-ranges", "legacy.py:9-9", ".")
    diff = done.stdout.decode()
    assert '+    """Step 1."""\n' in diff and diff.count("+    ") == 1
    bad = codemods(repo, "diff", "--line-ranges", "legacy.py:9", ".")
    assert bad.returncode == 2 and b"expected PATH:START-END" in bad.stderr


@pytest.mark.parametrize(
    "options",
    [("--diff-base", "HEAD"), ("--staged",)],
)
def test_outside_a_repository_the_change_options_are_a_one_line_error(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    done = codemods(tmp_path, "check", *options, "m.py")
    assert done.returncode == 2
    needs = f"is not in a git repository; {options[0]} needs one"  # the option given
    assert done.stderr.decode().strip().endswith(needs)
    assert b"Traceback" not in done.stderr


def test_change_options_exclude_each_other_and_an_unknown_ref_is_one_line(repo: Path) -> None:
    both = codemods(repo, "check", "--staged", "--diff-base", "HEAD", ".")
    assert both.returncode == 2 and b"--diff-base and --staged cannot be used together" in (
        both.stderr
    )
    unknown = codemods(repo, "check", "--diff-base", "no-such-ref", ".")
    assert unknown.returncode == 2 and b"error: git diff failed: " in unknown.stderr


# The baseline


def test_baseline_passes_legacy_code_and_catches_a_new_finding(repo: Path) -> None:
    assert codemods(repo, "check", ".").returncode == 1
    recorded = codemods(repo, "baseline")
    assert recorded.returncode == 0, recorded.stderr
    assert b"12 findings of 1 file recorded in .codemods-baseline.json." in recorded.stderr
    assert codemods(repo, "check", ".").returncode == 0
    path = repo / "legacy.py"
    path.write_text(path.read_text() + "\n\ndef added():\n    spare = 1\n    return 2\n")
    done = codemods(repo, "diff", ".")
    assert done.returncode == 1
    assert changed_functions(done.stdout.decode()) == {"added"}
    assert codemods(repo, "check", "--no-baseline", ".").stdout.count(b"would fix") == 1


def test_baseline_survives_moved_code_but_not_a_renamed_function(repo: Path) -> None:
    codemods(repo, "baseline")
    path = repo / "legacy.py"
    text = path.read_text()
    first, _, rest = text.partition("\n\ndef step_0")
    moved = first + "\nimport os\n\nLIMIT = 3\n" + "\n\ndef step_0" + rest
    step_5 = moved[moved.index("\n\ndef step_5") :]
    moved = moved.replace(step_5, "").replace(
        '"""Legacy steps."""\n', '"""Legacy steps."""\n' + step_5
    )
    path.write_text(moved)
    assert codemods(repo, "check", ".").returncode == 0  # lines moved, findings still known
    path.write_text(moved.replace("def step_2(", "def renamed_step(").replace("step_2.", "x."))
    done = codemods(repo, "diff", ".")
    assert changed_functions(done.stdout.decode()) == {"renamed_step"}


def test_a_broken_baseline_is_a_one_line_error(repo: Path) -> None:
    (repo / ".codemods-baseline.json").write_text("{not json")
    done = codemods(repo, "check", ".")
    assert done.returncode == 2
    assert b"error: " in done.stderr and b".codemods-baseline.json: not a codemods baseline" in (
        done.stderr
    )
    assert b"Traceback" not in done.stderr


def test_a_declined_hunk_is_never_proposed_again(repo: Path) -> None:
    (repo / "small.py").write_text('"""Small."""\n\n\ndef only(value):\n    return value\n')
    child = pexpect.spawn(
        COMMAND, ["review", "-j", "1", "small.py"], cwd=str(repo), env=GIT_ENV,
        encoding="utf-8", timeout=30,
    )  # fmt: skip
    child.expect(r"Apply this hunk to small.py \[y,n,a,q,e,\?\]\? ")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "1 declined fix recorded in .codemods-baseline.json" in child.before
    assert json.loads((repo / ".codemods-baseline.json").read_text())["findings"][0]["path"] == (
        "small.py"
    )
    assert codemods(repo, "check", "small.py").returncode == 0
    assert codemods(repo, "check", "--no-baseline", "small.py").returncode == 1


# Exclusions


def test_force_exclude_holds_for_named_files_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.codemods]\nexclude = ["migrations/"]\n')
    (tmp_path / "app/migrations").mkdir(parents=True)
    migration = tmp_path / "app/migrations/0001.py"
    source = "def forwards():\n    spare = 1\n    return 2\n"
    migration.write_text(source)
    named = codemods(tmp_path, "apply", "app/migrations/0001.py")
    assert named.returncode == 0 and migration.read_text() != source  # named: processed
    migration.write_text(source)
    forced = codemods(tmp_path, "apply", "--force-exclude", "app/migrations/0001.py")
    assert forced.returncode == 0 and migration.read_text() == source
    piped = codemods(
        tmp_path,
        "apply",
        "--force-exclude",
        "--stdin-filename",
        "app/migrations/0001.py",
        "-",
        stdin=source.encode(),
    )
    assert piped.returncode == 0 and piped.stdout == source.encode()


def test_exclude_is_relative_to_the_pyproject_whatever_is_walked(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.codemods]\nexclude = ["pkg/migrations/"]\n')
    (tmp_path / "pkg/migrations").mkdir(parents=True)
    for name in ("pkg/migrations/0001.py", "pkg/models.py"):
        (tmp_path / name).write_text("def f():\n    spare = 1\n    return 2\n")
    from_root = codemods(tmp_path, "check", ".").stdout.decode()
    from_pkg = codemods(tmp_path, "check", "pkg").stdout.decode()
    inside = codemods(tmp_path / "pkg", "check", ".").stdout.decode()
    assert from_root == from_pkg == "would fix pkg/models.py (unused-variables, docstring-stubs)\n"
    assert inside == "would fix models.py (unused-variables, docstring-stubs)\n"


# The real pre-commit


@pytest.mark.slow
def test_pre_commit_changed_hook_fixes_only_the_function_the_commit_touches(
    tmp_path: Path, repo: Path
) -> None:
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    touch_step(repo, 5)
    git(repo, "add", "legacy.py")
    before = (repo / "legacy.py").read_text()
    done = subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "codemods-changed"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "files were modified by this hook" in done.stdout
    diff = git(repo, "diff", "legacy.py")
    assert changed_functions(diff) == {"step_5"}
    assert (repo / "legacy.py").read_text() == before.replace(
        "def step_5(value):\n", 'def step_5(value):\n    """Step 5."""\n'
    )


def test_a_changed_method_concerns_its_own_docstring_not_its_classs(tmp_path: Path) -> None:
    models = (
        '"""Models."""\n\n\nclass Order:\n    limit = 3\n\n'
        "    def total(self):\n        return 1\n\n    def count(self):\n        return 2\n"
    )
    repo = committed(tmp_path, "models.py", models)
    path = repo / "models.py"
    path.write_text(path.read_text().replace("return 1", "return 10"))
    diff = codemods(repo, "diff", "--diff-base", "HEAD", ".").stdout.decode()
    assert [line for line in diff.splitlines() if line.startswith("+ ")] == [
        '+        """Describe total."""'
    ]
    path.write_text(path.read_text().replace("limit = 3", "limit = 4"))
    diff = codemods(repo, "diff", "--diff-base", "HEAD", ".").stdout.decode()
    assert '+    """Order."""' in diff and "Count." not in diff


def test_indentation_re_indents_only_the_changed_top_level_statement(tmp_path: Path) -> None:
    tabs = (
        '"""Tabs."""\n\n\ndef first():\n\t"""First."""\n\treturn 1\n\n\n'
        'def second():\n\t"""Second."""\n\treturn 2\n'
    )
    repo = committed(tmp_path, "tabs.py", tabs)
    path = repo / "tabs.py"
    path.write_text(path.read_text().replace("return 2", "return 22"))
    done = codemods(repo, "apply", "--diff-base", "HEAD", "--select", "indentation", ".")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == (
        '"""Tabs."""\n\n\ndef first():\n\t"""First."""\n\treturn 1\n\n\n'
        'def second():\n    """Second."""\n    return 22\n'
    )
    assert codemods(repo, "check", "--select", "indentation", ".").returncode == 1  # first()


def test_a_suppression_leaves_its_top_level_statement_only(tmp_path: Path) -> None:
    path = tmp_path / "tabs.py"
    path.write_text(
        '"""Tabs."""\n\n\ndef first():\n\treturn 1  # noqa: W191\n\n\ndef second():\n\treturn 2\n'
    )
    done = codemods(tmp_path, "apply", "--select", "indentation", "tabs.py")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == (
        '"""Tabs."""\n\n\ndef first():\n\treturn 1  # noqa: W191\n\n\n'
        "def second():\n    return 2\n"
    )


def test_an_added_line_starting_with_two_pluses_is_not_a_file_header(repo: Path) -> None:
    path = repo / "legacy.py"
    text = (
        path.read_text()
        .replace("return value + 0\n", "return (value\n++ 0)\n")  # diff line: '+++ 0)'
        .replace("return value + 4\n", "return value + 4 + 0\n")
    )
    path.write_text(text)
    diff = codemods(repo, "diff", "--diff-base", "HEAD", ".").stdout.decode()
    assert '+    """Step 0."""' in diff and '+    """Step 4."""' in diff


def test_partly_staged_files_are_refused_by_staged(repo: Path) -> None:
    touch_step(repo, 1)
    git(repo, "add", "legacy.py")
    touch_step(repo, 2)
    done = codemods(repo, "diff", "--staged", ".")
    assert done.returncode == 2
    assert b"legacy.py has unstaged changes; --staged needs the working tree" in done.stderr


def test_a_repository_inside_another_ignores_the_outer_gitignore(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    (outer / "proj").mkdir(parents=True)
    git(outer, "init", "-q")
    (outer / ".gitignore").write_text("*\n")
    git(outer / "proj", "init", "-q")
    (outer / "proj/m.py").write_text("def f():\n    spare = 1\n    return 2\n")
    done = codemods(outer / "proj", "check", ".")
    assert done.stdout == b"would fix m.py (unused-variables, docstring-stubs)\n"


def test_baseline_keeps_entries_of_codemods_not_run_and_of_files_not_read(repo: Path) -> None:
    assert codemods(repo, "baseline").returncode == 0
    entries = json.loads((repo / ".codemods-baseline.json").read_text())["findings"]
    assert codemods(repo, "baseline", "--select", "docstring-stubs").returncode == 0
    again = json.loads((repo / ".codemods-baseline.json").read_text())["findings"]
    assert again == entries
    (repo / "legacy.py").write_text("def broken(:\n")
    assert codemods(repo, "baseline").returncode == 2
    assert json.loads((repo / ".codemods-baseline.json").read_text())["findings"] == entries
