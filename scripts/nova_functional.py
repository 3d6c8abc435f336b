"""Nova's own functional tests judge our edits: every test that passed must still pass.

1. Build (once, cached) a virtual environment with the Nova 34.0.0 wheel and the test
   dependencies its functional tests import, and put ``etc/nova/api-paste.ini`` beside the
   package as the tests expect.
2. Copy the installed ``nova`` package to a work directory, which the tests import first.
3. Choose the tests: the seed review's ``test_bug_1825537``, ``test_bug_2007968`` (it broke
   when ``resize-guard`` wrapped a shared helper), and every test that runs a site
   ``resize-guard`` changes (with ``--unsafe-fixes``: the test method holding the site, or
   the whole class when the site is in a helper).
4. Run them, apply the default codemods to the copy (``--unsafe-fixes`` adds the unsafe
   ones), run them again, and compare test by test.

Usage::

    python scripts/nova_functional.py [--unsafe-fixes] [--venv DIR] [--limit N] [--jobs N]

Exit status 1 if a test that passed before fails after. It stays out of the default test run
(it installs Nova and runs for minutes).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import venv
from pathlib import Path

import corpora

NOVA = f"nova=={corpora.NOVA_VERSION}"
TEST_DEPENDENCIES = (
    "openstack-placement",
    "oslotest",
    "fixtures",
    "testtools",
    "ddt",
    "requests-mock",
    "wsgi-intercept",
    "python-barbicanclient",
    "osprofiler",
    "testscenarios",
    # Nova 34 calls orm.noload, deprecated in SQLAlchemy 2.1, and its tests turn warnings into
    # errors: with 2.1 most functional tests fail before our codemods touch anything.
    "SQLAlchemy<2.1",
)
ALWAYS = (
    "nova.tests.functional.regressions.test_bug_1825537",
    "nova.tests.functional.regressions.test_bug_2007968",
)
RUNNER = textwrap.dedent(
    """\
    import json, sys, unittest
    outcomes = {}
    class Recorder(unittest.TextTestResult):
        def addSuccess(self, test):
            super().addSuccess(test); outcomes[test.id()] = "pass"
        def addFailure(self, test, err):
            super().addFailure(test, err); outcomes[test.id()] = "fail"
        def addError(self, test, err):
            super().addError(test, err); outcomes[test.id()] = "error"
        def addSkip(self, test, reason):
            super().addSkip(test, reason); outcomes[test.id()] = "skip"
        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err); outcomes[test.id()] = "pass"
        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test); outcomes[test.id()] = "fail"
    suite = unittest.defaultTestLoader.loadTestsFromNames(sys.argv[2:])
    unittest.TextTestRunner(resultclass=Recorder, verbosity=0).run(suite)
    with open(sys.argv[1], "w") as handle:
        json.dump(outcomes, handle, indent=1, sort_keys=True)
    """
)


def main(argv: list[str]) -> int:
    """Run the tests before and after the codemods; return 1 if one that passed fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unsafe-fixes", action="store_true", help="apply unsafe fixes too")
    parser.add_argument("--venv", type=Path, default=corpora.cache_dir() / "nova-venv")
    parser.add_argument("--limit", type=int, default=None, help="run at most N test names")
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args(argv)
    python = build_environment(arguments.venv)
    with tempfile.TemporaryDirectory(prefix="nova-functional-") as temporary:
        work = Path(temporary)
        package = copy_package(python, work)
        names = _without_covered([*ALWAYS, *tests_of_guarded_sites(package)])
        names = names[: arguments.limit]
        print(f"tests: {len(names)} names", flush=True)
        before = run_tests(python, work, names)
        codemods = [sys.executable, "-m", "codemods", "apply", "-j", str(arguments.jobs)]
        if arguments.unsafe_fixes:
            codemods.append("--unsafe-fixes")
        applied = subprocess.run([*codemods, str(package)], capture_output=True, text=True)
        print(applied.stderr.strip().splitlines()[-2:], flush=True)
        after = run_tests(python, work, names)
    return report(before, after, arguments.unsafe_fixes)


def build_environment(directory: Path) -> Path:
    """Return the Python of a virtual environment with Nova and its test dependencies."""
    python = directory / "bin" / "python"
    marker = directory / ".codemods-nova-ready-2"
    if marker.exists():
        return python
    if not python.exists():
        venv.create(directory, with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, NOVA, *TEST_DEPENDENCIES], check=True)
    site = _site_packages(python)
    paste = directory / "etc" / "nova" / "api-paste.ini"
    (site / "etc" / "nova").mkdir(parents=True, exist_ok=True)
    shutil.copy(paste, site / "etc" / "nova" / "api-paste.ini")
    marker.write_text("ok\n")
    return python


def _site_packages(python: Path) -> Path:
    """Return the directory the environment of ``python`` installed ``nova`` in."""
    found = subprocess.run(
        [str(python), "-c", "import nova, os; print(os.path.dirname(nova.__path__[0]))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(found.stdout.strip())


def copy_package(python: Path, work: Path) -> Path:
    """Copy the installed ``nova`` package (and ``etc/nova``) into ``work``; return the copy."""
    site = _site_packages(python)
    shutil.copytree(site / "nova", work / "nova", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(site / "etc" / "nova", work / "etc" / "nova")
    return work / "nova"


def tests_of_guarded_sites(package: Path) -> list[str]:
    """Return the test names that run a site ``resize-guard`` would change."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "codemods",
            "check",
            "--select",
            "resize-guard",
            "--unsafe-fixes",
            "--format",
            "json",
            str(package / "tests" / "functional"),
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    return [_test_name(package, change["file"], change["line"]) for change in report["changes"]]


def _test_name(package: Path, file: str, line: int) -> str:
    """Return the test method holding ``line`` of ``file``, or its class for a helper."""
    path = Path(file)
    module = ".".join(path.resolve().relative_to(package.parent).with_suffix("").parts)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or 0):
            for item in node.body:
                inside = item.lineno <= line <= (getattr(item, "end_lineno", 0) or 0)
                if isinstance(item, ast.FunctionDef) and inside:
                    if item.name.startswith("test"):
                        return f"{module}.{node.name}.{item.name}"
                    return f"{module}.{node.name}"
    return module


def _without_covered(names: list[str]) -> list[str]:
    """Drop duplicates and names inside a class or module that is itself in the list."""
    unique = list(dict.fromkeys(names))
    return [n for n in unique if not any(n.startswith(other + ".") for other in unique)]


def run_tests(python: Path, work: Path, names: list[str]) -> dict[str, str]:
    """Run the tests with ``work`` first on the path; return each test's outcome."""
    results = work / "outcomes.json"
    runner = work / "run_tests.py"
    runner.write_text(RUNNER)
    environment = {**os.environ, "PYTHONPATH": str(work), "OS_TEST_TIMEOUT": "300"}
    subprocess.run(
        [str(python), str(runner), str(results), *names],
        cwd=work,
        env=environment,
        capture_output=True,
        check=False,
    )
    return json.loads(results.read_text()) if results.exists() else {}


def report(before: dict[str, str], after: dict[str, str], unsafe: bool) -> int:
    """Print the comparison; return 1 when a test that passed no longer does."""
    broken = sorted(
        t for t, outcome in before.items() if outcome == "pass" and after.get(t) != "pass"
    )
    counts = {
        label: sum(1 for o in outcomes.values() if o == "pass")
        for label, outcomes in (("before", before), ("after", after))
    }
    mode = "default codemods + --unsafe-fixes" if unsafe else "default codemods"
    print(f"== Nova functional tests, {mode}")
    print(f"tests run: {len(before)} before, {len(after)} after")
    print(f"passed: {counts['before']} before, {counts['after']} after")
    for label, outcomes in (("before", before), ("after", after)):
        tally = {
            o: sum(1 for v in outcomes.values() if v == o) for o in sorted(set(outcomes.values()))
        }
        print(f"outcomes {label}: {tally}")
    for test in broken:
        print(f"  BROKEN: {test} ({before[test]} -> {after.get(test, 'not run')})")
    print("PASS" if not broken else "FAIL")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
