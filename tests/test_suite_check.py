"""The pure parts of ``scripts/suite_check.py``: test dependencies, outcomes, patches, bisection.

No network, no pip: the script's runs install other projects and take minutes; these take
well under a second.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import suite_check  # scripts/ is on sys.path (see conftest.py)
from suite_check import (
    FilePatch,
    Recipe,
    apply_hunks,
    broken_tests,
    extras_for_tests,
    find_cause,
    group_requirements,
    minimal_cause,
    package_test_dirs,
    parse_junit,
    parse_outcome_lines,
    parse_patch,
    plan_requirements,
    pytest_config,
    pytest_node_id,
    resolve_group,
    split_hunk,
    split_patch,
    tally,
    top_level_paths,
    tox_deps,
    tox_ini_deps,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def reader(files: dict[str, str]):
    """A stand-in for the sdist: relative path -> text."""
    return lambda path: files.get(path.removeprefix("./"))


# Test dependencies


def test_extras_named_test_tests_or_testing_in_any_spelling() -> None:
    provided = ["dev", "Test", "test", "tests", "Testing", "tls", "docs"]
    assert extras_for_tests(provided) == ["Test", "tests", "Testing"]
    assert extras_for_tests(["dev", "all-non-platform", "tls"]) == []


PYPROJECT_GROUPS = """
[project]
name = "demo"

[dependency-groups]
coverage = ["coverage[toml]>=7"]
Typing = ["mypy"]
tests = ["pytest>=8", {include-group = "coverage"}, {include-group = "base"}]
base = ["hypothesis", {include-group = "Typing"}]
docs = ["sphinx"]
"""


def test_dependency_groups_follow_include_group() -> None:
    pyproject = tomllib.loads(PYPROJECT_GROUPS)
    assert group_requirements(pyproject) == [
        "pytest>=8",
        "coverage[toml]>=7",
        "hypothesis",
        "mypy",
    ]
    assert group_requirements(pyproject, ["docs"]) == ["sphinx"]
    assert group_requirements({"project": {}}) == []


def test_dependency_group_names_are_normalized_and_cycles_refused() -> None:
    groups = {"Unit_Tests": ["a", {"include-group": "unit-tests"}]}
    with pytest.raises(ValueError, match="includes itself"):
        resolve_group(groups, "unit.tests")
    with pytest.raises(ValueError, match="no dependency group"):
        resolve_group({"tests": [{"include-group": "missing"}]}, "tests")


TOX_INI = """
[tox]
envlist = py{310,311}, lint

[base]
deps =
    hypothesis>=6  # property tests
    -r requirements/test.txt

[testenv]
extras = tests, {env:EXTRA:}
deps =
    {[base]deps}
    pytest
    py310: tomli
    !pypy: cffi
    coverage: pytest-cov
    -c constraints.txt
    -e .[speedups]
    {posargs}
    requests @ https://example.invalid/requests.tar.gz
commands = pytest {posargs}

[testenv:lint]
deps = ruff
"""


def test_tox_ini_deps() -> None:
    files = {
        "requirements/test.txt": "# pinned\nattrs==23.1\n-r common.txt\n--index-url x\n",
        "requirements/common.txt": "pyyaml\n",
    }
    deps = tox_ini_deps(TOX_INI, reader(files))
    assert deps.requirements == [
        "hypothesis>=6",
        "attrs==23.1",
        "pyyaml",
        "pytest",
        "requests @ https://example.invalid/requests.tar.gz",
    ]
    assert deps.extras == ["speedups", "tests"]
    assert deps.groups == []


def test_tox_ini_without_testenv_or_broken_names_nothing() -> None:
    assert not tox_ini_deps("[tox]\nenvlist = py3\n", reader({}))
    assert not tox_ini_deps("not an ini file [", reader({}))
    assert tox_ini_deps("[testenv]\ndependency_groups = test\n", reader({})).groups == ["test"]


def test_tox_in_pyproject_legacy_and_toml() -> None:
    legacy = '[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ndeps = pytest\n"""\n'
    assert tox_deps(reader({"pyproject.toml": legacy})).requirements == ["pytest"]
    native = '[env_run_base]\ndeps = ["pytest", "-r req.txt"]\nextras = ["test"]\n'
    found = tox_deps(reader({"tox.toml": native, "req.txt": "mock\n"}))
    assert (found.requirements, found.extras) == (["pytest", "mock"], ["test"])


def test_plan_takes_the_first_source_that_names_anything() -> None:
    tox = "[testenv]\ndeps =\n    pytest\n    demo\n    -e .\n"
    files = {"pyproject.toml": PYPROJECT_GROUPS, "tox.ini": tox}
    recipe = Recipe(requirements=("nose",))
    by_extras = plan_requirements("demo", ["tests", "dev"], reader(files), recipe)
    assert (by_extras.extras, by_extras.requirements) == (["tests"], [])
    by_groups = plan_requirements("demo", ["dev"], reader(files), recipe)
    assert by_groups.source.startswith("dependency groups")
    assert by_groups.requirements[0] == "pytest>=8"
    named = plan_requirements(
        "demo", [], reader({"pyproject.toml": PYPROJECT_GROUPS}), Recipe(groups=("docs",))
    )
    assert named.requirements == ["pytest>=8", "coverage[toml]>=7", "hypothesis", "mypy", "sphinx"]
    by_tox = plan_requirements("demo", [], reader({"tox.ini": tox}), recipe)
    assert (by_tox.source, by_tox.requirements) == ("tox deps", ["pytest"])  # not demo itself
    own = "[testenv]\ndependency_groups = dev\n"
    groups = '[dependency-groups]\ndev = ["Demo[dev, test]", "tox"]\n'
    by_own_group = plan_requirements(
        "demo", [], reader({"tox.ini": own, "pyproject.toml": groups}), recipe
    )
    assert (by_own_group.extras, by_own_group.requirements) == (["dev", "test"], ["tox"])
    by_table = plan_requirements("demo", [], reader({}), recipe)
    assert by_table.requirements == ["nose"]
    assert plan_requirements("demo", [], reader({}), Recipe()).source == "none found"


def test_where_the_tests_are() -> None:
    files = [
        "twisted/__init__.py",
        "twisted/test/__init__.py",
        "twisted/test/test_abstract.py",
        "twisted/web/test/test_http.py",
        "twisted/web/test/helpers/test_x.py",
        "twisted/python/testing.py",
        "tlz/__init__.py",
        "single.py",
        "../../../bin/trial",
        "Twisted-26.10.0.dist-info/METADATA",
        "Twisted-26.10.0.dist-info/odd.py",
        "pkg/tests/sub/tests/test_deep.py",
        "__pycache__/single.cpython-311.pyc",
    ]
    assert package_test_dirs(files) == ["pkg/tests", "twisted/test", "twisted/web/test"]
    assert top_level_paths(files) == ["pkg", "single.py", "tlz", "twisted"]
    assert package_test_dirs(["tests/test_x.py", "pkg/core.py"]) == []
    loose = ["fire/core.py", "fire/core_test.py", "fire/sub/x_test.py", "top_test.py"]
    assert package_test_dirs(loose) == []
    assert package_test_dirs(loose, loose=True) == ["fire"]


def test_pytest_config_is_found_as_pytest_finds_it() -> None:
    assert (
        pytest_config(reader({"pyproject.toml": "[tool.black]\n", "setup.cfg": "[tool:pytest]\n"}))
        == "setup.cfg"
    )
    assert (
        pytest_config(reader({"pyproject.toml": "[tool.pytest.ini_options]\n"}))
        == "pyproject.toml"
    )
    assert pytest_config(reader({"tox.ini": "[tox]\n[pytest]\naddopts = -q\n"})) == "tox.ini"
    assert pytest_config(reader({"tox.ini": "[tox]\n"})) is None


# Outcomes

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="pytest" errors="1" failures="1" skipped="2" tests="7">
    <testcase classname="tests.test_a" name="test_ok" time="0.01"/>
    <testcase classname="tests.test_a.TestThing" name="test_param[a.b-1]" time="0.01"/>
    <testcase classname="tests.test_a" name="test_fails"><failure message="x">boom</failure></testcase>
    <testcase classname="tests.test_a" name="test_skipped"><skipped type="pytest.skip" message="no"/></testcase>
    <testcase classname="tests.test_a" name="test_xfail"><skipped type="pytest.xfail" message=""/></testcase>
    <testcase classname="tests.test_a" name="test_teardown"/>
    <testcase classname="tests.test_a" name="test_teardown"><error message="teardown">e</error></testcase>
    <testcase classname="tests.test_a" name="test_rerun"><failure message="x">boom</failure></testcase>
    <testcase classname="tests.test_a" name="test_rerun"/>
    <testcase classname="" name="tests.test_broken"><error message="collection">e</error></testcase>
  </testsuite>
</testsuites>
"""


def test_parse_junit_outcomes() -> None:
    assert parse_junit(JUNIT) == {
        "tests.test_a::test_ok": "pass",
        "tests.test_a.TestThing::test_param[a.b-1]": "pass",
        "tests.test_a::test_fails": "fail",
        "tests.test_a::test_skipped": "skip",
        "tests.test_a::test_xfail": "xfail",
        "tests.test_a::test_teardown": "error",
        "tests.test_a::test_rerun": "fail",
        "::tests.test_broken": "error",
    }
    with pytest.raises(ValueError):
        parse_junit("<testsuite")


def test_parse_junit_with_node_ids() -> None:
    exists = {"tests/test_a.py", "README.rst", "pkg/mod.py"}.__contains__
    outcomes = parse_junit(JUNIT, lambda c, n: pytest_node_id(c, n, exists))
    assert "tests/test_a.py::TestThing::test_param[a.b-1]" in outcomes
    assert outcomes["tests/test_a.py::test_fails"] == "fail"
    assert pytest_node_id("README", "rst", exists) == "README::rst"  # no such file: as given
    assert pytest_node_id("README.rst", "README.rst", exists) == "README.rst::README.rst"
    assert pytest_node_id("pkg.mod", "pkg.mod.func", exists) == "pkg/mod.py::pkg.mod.func"


def test_outcome_lines_of_trial_and_unittest() -> None:
    text = (
        "pass\ta.T.test_1\nfail\ta.T.test_2\npass\ta.T.test_3\nerror\ta.T.test_3\nnoise\nskip\tb\n"
    )
    assert parse_outcome_lines(text) == {
        "a.T.test_1": "pass",
        "a.T.test_2": "fail",
        "a.T.test_3": "error",
        "b": "skip",
    }


def test_broken_means_passed_then_failed_or_missing() -> None:
    before = {"a": "pass", "b": "pass", "c": "pass", "d": "fail", "e": "skip", "f": "pass"}
    after = {"a": "pass", "b": "error", "d": "fail", "e": "fail", "f": "skip"}
    assert broken_tests(before, after) == ["b", "c"]
    assert tally(after) == {"total": 5, "passed": 1, "failed": 3, "skipped": 1}


# Patches


def unified(path: str, old: bytes, new: bytes, context: int = 3) -> bytes:
    """A ``codemods diff``-style patch of one file."""
    lines = difflib.unified_diff(
        old.decode().splitlines(keepends=True),
        new.decode().splitlines(keepends=True),
        f"a/{path}",
        f"b/{path}",
        n=context,
    )
    return "".join(lines).encode()


OLD = b"".join(b"line %d\n" % n for n in range(1, 31))
NEW = (
    OLD.replace(b"line 2\n", b'"""Doc."""\nline 2\n')
    .replace(b"line 4\n", b"")
    .replace(b"line 20\n", b"line twenty\n")
    .replace(b"line 30\n", b"line 30\nline 31\n")
)


def test_parse_and_apply_every_subset_of_hunks() -> None:
    patch = parse_patch(unified("m.py", OLD, NEW, context=1))
    assert [f.path for f in patch] == ["m.py"]
    hunks = patch[0].hunks
    assert len(hunks) == 3
    assert apply_hunks(OLD, hunks) == NEW
    assert apply_hunks(OLD, []) == OLD
    only_middle = apply_hunks(OLD, [hunks[1]])
    assert b"line twenty\n" in only_middle and b"line 4\n" in only_middle
    assert b'"""Doc."""' not in only_middle and b"line 31" not in only_middle


def test_a_hunk_that_does_not_match_is_refused() -> None:
    patch = parse_patch(unified("m.py", OLD, NEW))
    with pytest.raises(suite_check.PatchError):
        apply_hunks(OLD.replace(b"line 20\n", b"line XX\n"), patch[0].hunks)
    with pytest.raises(suite_check.PatchError):
        parse_patch(b"--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n line\n")


def test_bytes_crlf_and_no_newline_at_end() -> None:
    old = b"x = 1\r\ny = '\xe9'\r\nz = 3"
    patch = (
        b"--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,4 @@\n"
        b'+"""M."""\r\n x = 1\r\n y = \'\xe9\'\r\n-z = 3\n\\ No newline at end of file\n+z = 4\n'
        b"\\ No newline at end of file\n"
    )
    files = parse_patch(patch)
    assert apply_hunks(old, files[0].hunks) == b'"""M."""\r\nx = 1\r\ny = \'\xe9\'\r\nz = 4'
    blocks = split_patch(files)[0].hunks
    assert len(blocks) == 2
    assert apply_hunks(old, [blocks[1]]) == b"x = 1\r\ny = '\xe9'\r\nz = 4"


def test_split_hunk_into_blocks_that_apply_alone() -> None:
    hunk = parse_patch(unified("m.py", OLD, NEW, context=10))[0].hunks[0]
    blocks = split_hunk(hunk)
    assert len(blocks) == 4  # line 2 insert, line 4 removal, line 20 change, line 31 added
    assert apply_hunks(OLD, [blocks[1]]) == OLD.replace(b"line 4\n", b"")
    assert apply_hunks(OLD, [blocks[0], blocks[2]]) == OLD.replace(
        b"line 2\n", b'"""Doc."""\nline 2\n'
    ).replace(b"line 20\n", b"line twenty\n")
    assert apply_hunks(OLD, [blocks[3]]) == OLD + b"line 31\n"
    shown = blocks[0].text()
    assert shown == '@@ -1,3 +1,4 @@\n line 1\n+"""Doc."""\n line 2\n line 3\n'
    whole = split_patch(parse_patch(unified("m.py", OLD, NEW)))[0].hunks
    assert apply_hunks(OLD, whole) == NEW


# Bisection


def test_minimal_cause_finds_one_item_in_few_runs() -> None:
    calls: list[Sequence[int]] = []

    def fails(chosen: Sequence[int]) -> bool:
        calls.append(chosen)
        return 37 in chosen

    assert minimal_cause(list(range(100)), fails) == [37]
    assert len(calls) <= 14


def test_minimal_cause_finds_items_that_break_only_together() -> None:
    def fails(chosen: Sequence[int]) -> bool:
        return {3, 12}.issubset(chosen)

    assert minimal_cause(list(range(16)), fails) == [3, 12]


def make_patch(sizes: dict[str, int]) -> list[FilePatch]:
    """Files with the given number of (dummy) hunks."""
    hunk = suite_check.Hunk(1, 1, 1, 1, b"@@ -1 +1 @@\n", (b"-a\n", b"+b\n"))
    return [FilePatch(path, (hunk,) * count) for path, count in sizes.items()]


def test_find_cause_bisects_files_then_hunks() -> None:
    patch = make_patch({f"f{n}.py": 5 for n in range(12)})
    runs: list[dict[str, frozenset[int]]] = []

    def fails_with(selection) -> bool:
        """The fake suite run: the test breaks when hunk 3 of f7.py is applied."""
        runs.append(dict(selection))
        return 3 in selection.get("f7.py", frozenset())

    assert find_cause(patch, fails_with) == [("f7.py", 3)]
    assert runs[0] == {f"f{n}.py": frozenset(range(5)) for n in range(12)}
    assert len(runs) < 15


def test_find_cause_of_a_flaky_test_is_none() -> None:
    assert find_cause(make_patch({"a.py": 2}), lambda selection: False) is None


def test_a_state_that_does_not_compile_does_not_count_as_breaking(tmp_path: Path) -> None:
    old = b"a = 1\nb = 2\nc = 3\n"
    new = b'"""Doc\na = 1\nb = 2\n"""\nc = 3\n'
    (tmp_path / "m.py").write_bytes(new)  # as codemods apply left it
    patch = split_patch(parse_patch(unified("m.py", old, new)))
    assert len(patch[0].hunks) == 2
    space = suite_check.Workspace(tmp_path, patch, Path(sys.executable), {"m.py": old})
    assert not space.set_state({"m.py": frozenset({0})})  # a string left open
    assert space.set_state({"m.py": frozenset({0, 1})})
    assert (tmp_path / "m.py").read_bytes() == new
    assert space.set_state({})
    assert (tmp_path / "m.py").read_bytes() == old


# The command line


def test_usage_and_setup_errors_exit_2_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        suite_check.main([])
    assert exited.value.code == 2
    assert suite_check.main(["twisted", "--codemods", sys.executable]) == 2
    assert suite_check.main(["demo==1.0", "--codemods", "/nonexistent/codemods"]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(e.startswith("suite_check: error: ") for e in errors)
    assert suite_check.parse_spec("Twisted == 26.10.0") == ("Twisted", "26.10.0")
    assert suite_check._version_key("1.0") == suite_check._version_key("1.0.0") != "1.0.1"


def test_make_patch_of_what_apply_wrote_round_trips() -> None:
    old = b"x = 1\r\ny = '\xe9'\nz = 3"
    new = b'"""M."""\r\nx = 1\r\ny = \'\xe9\'\nz = 4'
    made = suite_check.make_patch("pkg/m.py", old, new)
    assert made.startswith(b"--- a/pkg/m.py\n+++ b/pkg/m.py\n")
    assert b"\\ No newline at end of file\n" in made
    files = parse_patch(made + suite_check.make_patch("n.py", b"a\n", b"b\n"))
    assert [f.path for f in files] == ["pkg/m.py", "n.py"]
    assert apply_hunks(old, files[0].hunks) == new
    assert suite_check.make_patch("same.py", old, old) == b""
    pristine = {"pkg/m.py": old, "n.py": b"a\n", "o.py": b"o\n"}
    written = {"pkg/m.py": new, "n.py": b"a\n", "o.py": b"o\n"}
    assert suite_check.differing_files(files, pristine, written) == ["n.py"]
