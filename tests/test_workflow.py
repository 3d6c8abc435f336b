"""The GitHub Actions workflow: valid against GitHub's schema, running the README's test command
on a matrix that covers every Python version pyproject.toml claims and admits."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from ruamel.yaml import YAML

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
README_TEST_COMMAND = "pip install '.[test]' && python -m pytest"
# Operating System classifiers, and the runner-label prefix that shows each has run.
OS_CLASSIFIERS = {
    "Operating System :: POSIX :: Linux": "ubuntu-",
    "Operating System :: MacOS": "macos-",
    "Operating System :: Microsoft :: Windows": "windows-",
}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _job() -> dict:
    jobs = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    assert "tests" in jobs, f"no job 'tests' in {WORKFLOW.name}: {list(jobs)}"
    return jobs["tests"]


def _matrix_pythons() -> list[str]:
    return [str(v) for v in _job()["strategy"]["matrix"]["python-version"]]


def _claimed_pythons() -> set[str]:
    pattern = re.compile(r"Programming Language :: Python :: (3\.\d+)$")
    return {m[1] for c in _project().get("classifiers", []) if (m := pattern.match(c))}


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema"]
    command += ["--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_workflow_validates_against_the_github_workflow_schema() -> None:
    """The schema is vendored in check-jsonschema: no network is needed."""
    result = _check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_misspelled_key(tmp_path: Path) -> None:
    """A guard on the guard: a workflow with ``runs-onn`` fails the same check."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on:" in text
    broken = tmp_path / "tests.yml"
    broken.write_text(text.replace("runs-on:", "runs-onn:"), encoding="utf-8")
    result = _check_jsonschema(broken)
    assert result.returncode != 0
    assert "runs-on" in result.stdout + result.stderr


def test_the_workflow_runs_the_readme_test_command() -> None:
    assert README_TEST_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")
    runs = [step.get("run", "").strip() for step in _job()["steps"]]
    assert README_TEST_COMMAND in runs


def test_the_matrix_spans_three_operating_systems_and_does_not_stop_at_a_failure() -> None:
    strategy = _job()["strategy"]
    assert strategy["fail-fast"] is False
    assert set(strategy["matrix"]["os"]) == {"ubuntu-latest", "macos-latest", "windows-latest"}


def test_the_matrix_covers_every_python_that_requires_python_admits() -> None:
    """From the oldest Python ``requires-python`` admits to the newest in the matrix, none
    missing, and no job for a Python that pip would refuse to install the project on."""
    admits = SpecifierSet(_project()["requires-python"])
    matrix = _matrix_pythons()
    assert len(matrix) == len(set(matrix)), f"a Python twice in the matrix: {matrix}"
    refused = [v for v in matrix if Version(f"{v}.0") not in admits]
    assert not refused, f"requires-python {admits} refuses {refused}"
    newest = max(Version(v).minor for v in matrix)
    admitted = [f"3.{m}" for m in range(0, newest + 1) if Version(f"3.{m}.0") in admits]
    assert admitted, f"requires-python {admits} admits none of 3.0-3.{newest}"
    missing = [v for v in admitted if v not in matrix]
    assert not missing, f"requires-python {admits} admits {missing}, not in the matrix"


def test_the_matrix_covers_every_python_the_classifiers_claim() -> None:
    claimed = _claimed_pythons()
    assert claimed, "no 'Programming Language :: Python :: 3.X' classifier"
    admits = SpecifierSet(_project()["requires-python"])
    not_admitted = sorted(v for v in claimed if Version(f"{v}.0") not in admits)
    assert not not_admitted, f"classifiers claim {not_admitted}; requires-python {admits}"
    not_run = sorted(set(claimed) - set(_matrix_pythons()))
    assert not not_run, f"classifiers claim {not_run}, which the workflow does not run"


@pytest.mark.parametrize("classifier", sorted(OS_CLASSIFIERS))
def test_an_operating_system_is_claimed_only_if_the_matrix_runs_it(classifier: str) -> None:
    claimed = [c for c in _project().get("classifiers", []) if c.startswith(classifier)]
    if claimed:
        runners = _job()["strategy"]["matrix"]["os"]
        assert any(r.startswith(OS_CLASSIFIERS[classifier]) for r in runners), (claimed, runners)
