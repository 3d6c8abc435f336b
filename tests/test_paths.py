"""Paths in diffs, reports, baselines and cache keys: forward slashes on every OS.

Windows is checked on any OS in two ways: the helpers of :mod:`codemods.paths` take Windows
path syntax (``PureWindowsPath``), and every renderer is run with :data:`codemods.paths.NATIVE`
set to it, on a file named ``pkg\\sub\\mod.py`` as Windows names it. On this OS, the command
line's output is checked end to end against what docs/usage.md says: paths as the files were
named, except SARIF's URIs (relative to the project root) and baseline entries (relative to
the baseline's directory, the project root by default).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path, PurePosixPath, PureWindowsPath

import jsonschema
import pytest

from codemods import paths
from codemods.baseline import Baseline
from codemods.cache import ResultCache, run_fingerprint
from codemods.config import Config
from codemods.diffs import diff_path
from codemods.engine import FileError, FileResult
from codemods.formats import render_github, render_json, render_rdjson, render_sarif, report_path
from codemods.paths import posix_path, relative_posix, under_root
from codemods.reports import Claim
from codemods.summary import change_lines, skip_lines, would_fix_line
from codemods.triage import Triaged, Verdict
from codemods.triage_formats import TRIAGE_RENDERERS, render_triage

W = PureWindowsPath
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
UNDOCUMENTED = '''"""Shapes."""


def area(width, height):
    return width * height


def volume(side):  # codemods: skip
    return side**3
'''
"""A function docstring-stubs fixes, and one it skips (the comment)."""


# -- the helpers, with Windows paths on any OS ----------------------------------------------


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ("pkg\\sub\\mod.py", "pkg/sub/mod.py"),
        ("mod.py", "mod.py"),
        ("C:\\src\\pkg\\mod.py", "C:/src/pkg/mod.py"),
        ("..\\other\\mod.py", "../other/mod.py"),
        ("\\\\server\\share\\mod.py", "//server/share/mod.py"),
        ("pkg/already/slashed.py", "pkg/already/slashed.py"),
    ],
)
def test_a_windows_path_gets_forward_slashes(windows: str, expected: str) -> None:
    assert posix_path(windows, W) == expected
    assert "\\" not in posix_path(windows, W)


def test_a_posix_path_is_kept_as_it_is_backslashes_included() -> None:
    """On POSIX a backslash is part of a file name: nothing changes there."""
    assert posix_path("odd\\name.py", PurePosixPath) == "odd\\name.py"
    assert posix_path("./pkg//mod.py", PurePosixPath) == "./pkg//mod.py"
    assert paths.NATIVE is (PureWindowsPath if os.name == "nt" else PurePosixPath)


@pytest.mark.parametrize(
    ("path", "start", "expected"),
    [
        ("C:\\proj\\pkg\\mod.py", "C:\\proj", "pkg/mod.py"),
        ("c:\\PROJ\\pkg\\mod.py", "C:\\proj", "pkg/mod.py"),  # Windows names ignore case
        ("C:\\other\\mod.py", "C:\\proj", "../other/mod.py"),
        ("D:\\proj\\mod.py", "C:\\proj", "D:/proj/mod.py"),  # another drive: absolute
        ("\\\\server\\share\\mod.py", "C:\\proj", "//server/share/mod.py"),
    ],
)
def test_relative_windows_paths(path: str, start: str, expected: str) -> None:
    assert relative_posix(path, start, W) == expected


def test_under_root_says_none_outside_the_root() -> None:
    assert under_root("C:\\proj\\pkg\\mod.py", "C:\\proj", W) == "pkg/mod.py"
    assert under_root("C:\\other\\mod.py", "C:\\proj", W) is None
    assert under_root("D:\\proj\\mod.py", "C:\\proj", W) is None
    assert under_root("/proj/pkg/mod.py", "/proj", PurePosixPath) == "pkg/mod.py"
    assert under_root("/proj/..hidden/mod.py", "/proj", PurePosixPath) == "..hidden/mod.py"
    assert under_root("/elsewhere/mod.py", "/proj", PurePosixPath) is None


def test_diff_and_report_paths_of_windows_paths() -> None:
    assert diff_path(".\\pkg\\mod.py", W) == "pkg/mod.py"
    assert report_path("pkg\\mod.py", W) == "pkg/mod.py"
    assert diff_path("./pkg/mod.py", PurePosixPath) == "pkg/mod.py"


# -- every renderer, as on Windows ----------------------------------------------------------

WINDOWS_NAME = "pkg\\sub\\mod.py"
SLASHED = "pkg/sub/mod.py"


@pytest.fixture
def as_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Read paths with Windows syntax (as :mod:`codemods.paths` does on Windows), from tmp."""
    monkeypatch.setattr(paths, "NATIVE", PureWindowsPath)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def windows_result() -> FileResult:
    result = Config().build_engine().fix_text(WINDOWS_NAME, UNDOCUMENTED)
    assert result.changed and result.changes and result.skips, "a change and a skip to show"
    return result


def test_text_output_has_forward_slashes(as_on_windows: Path) -> None:
    result = windows_result()
    diff, _ = result.diff()
    assert diff.startswith(f"--- a/{SLASHED}\n+++ b/{SLASHED}\n")
    assert would_fix_line(result) == f"would fix {SLASHED} (docstring-stubs)"
    lines = [*change_lines(result), *skip_lines(result)]
    assert lines and all(line.startswith(f"{SLASHED}:") for line in lines)
    assert FileError(1, 5, "invalid syntax").format(WINDOWS_NAME) == (
        f"{SLASHED}:1:5: error: invalid syntax"
    )
    absolute = FileResult("C:\\src\\m.py", "a = 1\n", "a = 2\n").diff()[0]
    assert absolute.startswith("--- C:/src/m.py\n+++ C:/src/m.py\n"), "no a/ before a drive"
    for text in (diff, would_fix_line(result), *lines):
        assert "\\" not in text


def test_reports_have_forward_slashes(as_on_windows: Path) -> None:
    result = windows_result()
    failed = FileResult("pkg\\bad.py", "", "", error=FileError(1, 5, "invalid syntax"))
    report = json.loads(render_json([result, failed]))
    files = {item["file"] for key in ("changes", "skips", "errors") for item in report[key]}
    assert files == {SLASHED, "pkg/bad.py"}
    assert render_github([result]).startswith(f"::warning file={SLASHED},line=")
    rdjson = json.loads(render_rdjson([result]))
    assert {d["location"]["path"] for d in rdjson["diagnostics"]} == {SLASHED}
    sarif = json.loads(render_sarif([result, failed], as_on_windows))
    run = sarif["runs"][0]
    locations = [
        location["physicalLocation"]["artifactLocation"]
        for item in (*run["results"], *run["invocations"][0]["toolExecutionNotifications"])
        for location in item["locations"]
    ]
    assert {loc["uri"] for loc in locations} == {SLASHED, "pkg/bad.py"}
    assert {loc["uriBaseId"] for loc in locations} == {"%SRCROOT%"}
    for text in (render_json([result]), render_github([result]), render_rdjson([result])):
        assert WINDOWS_NAME.replace("\\", "\\\\") not in text and WINDOWS_NAME not in text


def test_triage_output_has_forward_slashes(as_on_windows: Path) -> None:
    claim = Claim(WINDOWS_NAME, 1, 1, "unused-variable", "`x` is unused", ("x",), "review")
    verdicts = [Triaged(claim, Verdict.REFUTED, "`x` is read at line 2", "unused-variables")]
    for name in TRIAGE_RENDERERS:
        text = render_triage(name, verdicts, as_on_windows)
        assert SLASHED in text and WINDOWS_NAME not in text, name
        assert WINDOWS_NAME.replace("\\", "\\\\") not in text, name
    sarif = json.loads(render_triage("sarif", verdicts, as_on_windows))
    (location,) = sarif["runs"][0]["results"][0]["locations"]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": SLASHED,
        "uriBaseId": "%SRCROOT%",
    }


def test_baseline_entries_and_cache_keys_have_forward_slashes(as_on_windows: Path) -> None:
    result = windows_result()
    baseline = Baseline(as_on_windows / ".codemods-baseline.json")
    assert {baseline.entry(f).path for f in result.findings} == {SLASHED}
    assert baseline.replacing([WINDOWS_NAME], ["docstring-stubs"], result.findings).entries
    cache = ResultCache(as_on_windows / "cache", "t" * 64, run_fingerprint(Config()))
    assert cache.key(WINDOWS_NAME, "d") == cache.key(SLASHED, "d")


def test_fingerprints_do_not_depend_on_the_path() -> None:
    """A fingerprint names the finding, never its file: moving the file or the OS keeps it."""
    engine = Config().build_engine()
    prints = [
        [f.fingerprint for f in engine.fix_text(name, UNDOCUMENTED).findings]
        for name in (WINDOWS_NAME, SLASHED, "elsewhere/other_name.py")
    ]
    assert prints[0] and prints[0] == prints[1] == prints[2]


# -- end to end on this OS: what docs/usage.md says ----------------------------------------


def codemods(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codemods", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (its root holds pyproject.toml) with a file to fix and one that fails."""
    root = tmp_path / "project"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (root / "pkg" / "sub" / "mod.py").write_text(UNDOCUMENTED)
    (root / "pkg" / "sub" / "bad.py").write_text("def (:\n")
    return root


ONLY = ("--select", "docstring-stubs", "--no-cache")


def test_paths_from_a_subdirectory_are_as_named_and_sarif_is_project_relative(
    project: Path,
) -> None:
    """Run from ``pkg/`` on ``sub``: every path is ``sub/...``, as named on the command line
    (docs/usage.md: diffs apply from the current directory), but SARIF's URIs are relative to
    the project root, ``%SRCROOT%``, and resolve to the files."""
    cwd = project / "pkg"
    diffed = codemods(cwd, "diff", *ONLY, "sub")
    assert diffed.returncode == 2, diffed.stderr  # the error wins
    assert diffed.stdout.startswith("--- a/sub/mod.py\n+++ b/sub/mod.py\n")
    assert diffed.stderr.startswith("sub/bad.py:1:5: error: invalid syntax\n")
    checked = codemods(cwd, "check", *ONLY, "sub")
    assert checked.stdout == "would fix sub/mod.py (docstring-stubs)\n"
    verbose = codemods(cwd, "check", *ONLY, "-v", "sub").stderr.splitlines()
    assert any(line.startswith("sub/mod.py:4: [docstring-stubs] ") for line in verbose)
    assert any(line.startswith("sub/mod.py:8: skip [docstring-stubs] ") for line in verbose)

    report = json.loads(codemods(cwd, "check", *ONLY, "--format", "json", "sub").stdout)
    files = {item["file"] for key in ("changes", "skips", "errors") for item in report[key]}
    assert files == {"sub/mod.py", "sub/bad.py"}
    github = codemods(cwd, "check", *ONLY, "--format", "github", "sub").stdout
    assert "::warning file=sub/mod.py," in github and "::error file=sub/bad.py," in github
    rdjson = json.loads(codemods(cwd, "check", *ONLY, "--format", "rdjson", "sub").stdout)
    assert {d["location"]["path"] for d in rdjson["diagnostics"]} == {"sub/mod.py", "sub/bad.py"}

    sarif = json.loads(codemods(cwd, "check", *ONLY, "--format", "sarif", "sub").stdout)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.resolve().as_uri() + "/"
    locations = [
        location["physicalLocation"]["artifactLocation"]
        for item in (*run["results"], *run["invocations"][0]["toolExecutionNotifications"])
        for location in item["locations"]
    ]
    assert {loc["uri"] for loc in locations} == {"pkg/sub/mod.py", "pkg/sub/bad.py"}
    for loc in locations:
        assert loc["uriBaseId"] == "%SRCROOT%"
        resolved = urllib.parse.urljoin(base, loc["uri"])
        assert resolved in {
            (project / "pkg/sub" / n).resolve().as_uri() for n in ("mod.py", "bad.py")
        }
    for done in (diffed, checked):
        assert "\\" not in done.stdout + done.stderr


def test_a_file_outside_the_project_root_gets_an_absolute_sarif_uri(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "loose.py").write_text(UNDOCUMENTED)
    named = str(outside / "loose.py")
    sarif = json.loads(codemods(project, "check", *ONLY, "--format", "sarif", named).stdout)
    (result, *_) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (outside / "loose.py").resolve().as_uri()}


def test_baseline_entries_are_relative_to_the_project_root_from_a_subdirectory(
    project: Path,
) -> None:
    (project / "pkg" / "sub" / "bad.py").unlink()
    recorded = codemods(project / "pkg", "baseline", "--select", "docstring-stubs", "sub")
    assert recorded.returncode == 0, recorded.stderr
    data = json.loads((project / ".codemods-baseline.json").read_text())
    assert {entry["path"] for entry in data["findings"]} == {"pkg/sub/mod.py"}
    again = codemods(project / "pkg" / "sub", "check", *ONLY, ".")
    assert (again.returncode, again.stdout) == (0, ""), "the baseline matches from anywhere"


def test_triage_sarif_uris_are_relative_to_the_root_of_the_reports_paths(project: Path) -> None:
    review = {
        "version": 1,
        "findings": [{"path": "pkg/sub/mod.py", "kind": "missing-docstring", "line": 1}],
    }
    (project / "review.json").write_text(json.dumps(review))
    done = codemods(
        project / "pkg", "triage", "--root", str(project), "--format", "sarif", "../review.json"
    )
    assert done.returncode in (0, 1), done.stderr
    sarif = json.loads(done.stdout)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    (result,) = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "pkg/sub/mod.py",
        "uriBaseId": "%SRCROOT%",
    }
