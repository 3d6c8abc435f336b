"""The installed ``codemods`` command, run as a subprocess: output streams and exit codes.

The ``plugin_env`` fixture (conftest) installs a tiny third-party codemod with pip; its
``codemods.fixes`` entry point must make ``print-to-log`` appear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.fixes.registry import all_codemods

COMMAND = str(Path(sys.executable).parent / "codemods")


def codemods(
    env: dict[str, str], *args: str, cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([COMMAND, *args], cwd=cwd, env=env, input=stdin, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/a.py").write_text("print(1)\n")
    (tmp_path / "pkg/b.py").write_text("x = 1\n")
    return tmp_path


ONLY_PLUGIN = ("--select", "print-to-log")


def test_list_and_explain_show_the_plugin(plugin_env: dict[str, str], tmp_path: Path) -> None:
    listed = codemods(plugin_env, "list", cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines] == [*all_codemods(), "print-to-log"]
    assert lines[-1].split(maxsplit=2) == [
        "print-to-log",
        "safe",
        "Replace print(...) statements with log(...).",
    ]
    explained = codemods(plugin_env, "explain", "print-to-log", cwd=tmp_path)
    assert explained.returncode == 0 and "Why is this bad?" in explained.stdout.decode()
    unknown = codemods(plugin_env, "explain", "nope", cwd=tmp_path)
    assert unknown.returncode == 2 and b"unknown codemod 'nope'" in unknown.stderr


def test_diff_prints_the_diff_on_stdout_and_the_summary_on_stderr(
    plugin_env: dict[str, str], project: Path
) -> None:
    done = codemods(plugin_env, "diff", *ONLY_PLUGIN, "pkg", cwd=project)
    assert done.returncode == 1
    assert (
        done.stdout.decode() == "--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1 +1 @@\n-print(1)\n+log(1)\n"
    )
    assert done.stderr.decode() == "1 file would be fixed, 1 file left unchanged.\n"
    assert (project / "pkg/a.py").read_text() == "print(1)\n"


def test_diff_output_applies_with_git(plugin_env: dict[str, str], project: Path) -> None:
    done = codemods(plugin_env, "diff", *ONLY_PLUGIN, ".", cwd=project)
    (project / "fix.patch").write_bytes(done.stdout)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "apply", "fix.patch"], cwd=project, check=True)
    assert (project / "pkg/a.py").read_text() == "log(1)\n"


def test_check_lists_files_and_exits_1(plugin_env: dict[str, str], project: Path) -> None:
    done = codemods(plugin_env, "check", *ONLY_PLUGIN, "pkg", cwd=project)
    assert (done.returncode, done.stdout.decode()) == (1, "would fix pkg/a.py (print-to-log)\n")


def test_apply_writes_and_then_nothing_is_left(plugin_env: dict[str, str], project: Path) -> None:
    done = codemods(plugin_env, "apply", *ONLY_PLUGIN, "pkg", cwd=project)
    assert done.returncode == 0 and done.stdout == b""
    assert done.stderr.decode() == "1 file fixed, 1 file left unchanged.\n"
    assert (project / "pkg/a.py").read_text() == "log(1)\n"
    again = codemods(plugin_env, "check", *ONLY_PLUGIN, "pkg", cwd=project)
    assert again.returncode == 0 and again.stderr.decode() == "2 files left unchanged.\n"


def test_a_broken_file_is_reported_and_the_others_go_on(
    plugin_env: dict[str, str], project: Path
) -> None:
    (project / "pkg/broken.py").write_text("x = 1\ndef f(:\n")
    done = codemods(plugin_env, "diff", *ONLY_PLUGIN, "pkg", cwd=project)
    assert done.returncode == 2, "errors win over changes"
    assert done.stdout.startswith(b"--- a/pkg/a.py")
    errors = [line for line in done.stderr.decode().splitlines() if "error" in line]
    assert errors == ["pkg/broken.py:2:7: error: invalid syntax"]
    assert "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().endswith(
        "1 file would be fixed, 1 file left unchanged, 1 file failed.\n"
    )
    applied = codemods(plugin_env, "apply", *ONLY_PLUGIN, "pkg", cwd=project)
    assert applied.returncode == 2 and (project / "pkg/a.py").read_text() == "log(1)\n"


def test_read_only_file_is_an_error_on_apply(plugin_env: dict[str, str], project: Path) -> None:
    (project / "pkg/a.py").chmod(0o444)
    done = codemods(plugin_env, "apply", *ONLY_PLUGIN, "pkg/a.py", cwd=project)
    assert done.returncode == 2
    assert (
        done.stderr.decode().splitlines()[0]
        == "pkg/a.py:1:1: error: the file is read-only; it was not written"
    )
    assert (project / "pkg/a.py").read_text() == "print(1)\n"


def test_jobs_output_is_identical(plugin_env: dict[str, str], tmp_path: Path) -> None:
    for index in range(30):
        (tmp_path / f"m{index:02}.py").write_text("print(1)\n" if index % 3 else "x = 1\n")
    (tmp_path / "m07.py").write_text("def (:\n")
    one = codemods(plugin_env, "diff", *ONLY_PLUGIN, "-j", "1", ".", cwd=tmp_path)
    two = codemods(plugin_env, "diff", *ONLY_PLUGIN, "-j", "2", ".", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert (one.stdout, one.stderr) == (two.stdout, two.stderr)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_per_file_ignores_hold_in_workers_and_for_stdin(
    plugin_env: dict[str, str], project: Path, jobs: str
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.codemods]\nper-file-ignores = { "pkg/a.py" = ["print-to-log"] }\n'
    )
    (project / "pkg/c.py").write_text("print(3)\n")
    done = codemods(plugin_env, "check", *ONLY_PLUGIN, "-j", jobs, "pkg", cwd=project)
    assert done.stdout.decode() == "would fix pkg/c.py (print-to-log)\n"
    piped = codemods(
        plugin_env,
        "apply",
        *ONLY_PLUGIN,
        "--stdin-filename",
        "pkg/a.py",
        "-",
        cwd=project,
        stdin=b"print(1)\n",
    )
    assert piped.stdout == b"print(1)\n"


def test_stdin(plugin_env: dict[str, str], tmp_path: Path) -> None:
    applied = codemods(plugin_env, "apply", *ONLY_PLUGIN, "-", cwd=tmp_path, stdin=b"print(1)\r\n")
    assert (applied.returncode, applied.stdout) == (0, b"log(1)\r\n")
    diffed = codemods(
        plugin_env,
        "diff",
        *ONLY_PLUGIN,
        "--stdin-filename",
        "src/x.py",
        "-",
        cwd=tmp_path,
        stdin=b"print(1)\n",
    )
    assert diffed.returncode == 1 and diffed.stdout.startswith(b"--- a/src/x.py\n+++ b/src/x.py\n")
    broken = codemods(plugin_env, "apply", *ONLY_PLUGIN, "-", cwd=tmp_path, stdin=b"def (:\n")
    assert broken.returncode == 2 and broken.stdout == b"def (:\n"


def test_usage_errors_exit_2(plugin_env: dict[str, str], project: Path) -> None:
    missing = codemods(plugin_env, "diff", "nope.py", cwd=project)
    assert missing.returncode == 2 and b"path does not exist: nope.py" in missing.stderr
    unknown = codemods(plugin_env, "diff", "--select", "nope", "pkg", cwd=project)
    assert unknown.returncode == 2 and b"unknown codemod 'nope'" in unknown.stderr
    mixed = codemods(plugin_env, "diff", "-", "pkg", cwd=project)
    assert mixed.returncode == 2


def test_config_file_select_and_errors(plugin_env: dict[str, str], project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.codemods]\nselect = ["print-to-log"]\n[tool.codemods.print-to-log]\nfunction = "logger.info"\n'
    )
    done = codemods(plugin_env, "diff", "pkg", cwd=project)
    assert done.returncode == 1 and b"+logger.info(1)\n" in done.stdout
    (project / "pyproject.toml").write_text("[tool.codemods.print-to-log]\nfunction = 3\n")
    bad = codemods(plugin_env, "diff", "pkg", cwd=project)
    assert bad.returncode == 2
    assert bad.stderr.decode() == (
        f"error: {project / 'pyproject.toml'}: [tool.codemods.print-to-log] function: expected a string, got an integer 3\n"
    )


def test_verbose_prints_changes_and_skips(plugin_env: dict[str, str], project: Path) -> None:
    (project / "pkg/b.py").write_text("print(2)  # codemods: skip\n")
    done = codemods(plugin_env, "check", *ONLY_PLUGIN, "-v", "pkg", cwd=project)
    assert done.stderr.decode().splitlines()[2:4] == [  # after the project root and environment
        "pkg/a.py:1: [print-to-log] print -> log",
        "pkg/b.py:1: skip [print-to-log] print -> log: a '# codemods: skip' comment leaves it alone",
    ]


def test_verbose_lines_are_those_of_the_file_as_read(tmp_path: Path) -> None:
    # indentation rewrites every line first; the unused name is still reported where it is
    (tmp_path / "tabs.py").write_text(
        '"""Tabs."""\n\n\ndef f(api):\n\t"""F."""\n\tif api:\n\t\tapi.go()\n'
        "\t\tapi.stop()\n\tunused = len(api)\n\treturn api\n"
    )
    done = subprocess.run(
        [COMMAND, "diff", "-v", "--select", "indentation,unused-variables", "tabs.py"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert done.stderr.decode().splitlines()[2:6] == [  # after the project root and environment
        "tabs.py:5: [indentation] 2 lines indented with 1 tab: re-indented to 4 spaces",
        "tabs.py:7: [indentation] 2 lines indented with 2 tabs: re-indented to 8 spaces",
        "tabs.py:9: [indentation] 2 lines indented with 1 tab: re-indented to 4 spaces",
        "tabs.py:9: [unused-variables] `unused` is assigned but never read: "
        "kept the right-hand side as a statement for its effects",
    ]


def test_quiet_and_color(plugin_env: dict[str, str], project: Path) -> None:
    quiet = codemods(plugin_env, "diff", *ONLY_PLUGIN, "-q", "pkg", cwd=project)
    assert quiet.stderr == b""
    coloured = codemods(plugin_env, "diff", *ONLY_PLUGIN, "--color", "always", "pkg", cwd=project)
    assert b"\x1b[31m-print(1)" in coloured.stdout and b"\x1b[32m+log(1)" in coloured.stdout


def test_python_dash_m_and_help_documents_exit_codes(
    plugin_env: dict[str, str], tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "codemods", "diff", "--help"],
        capture_output=True,
        env=plugin_env,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert (
        b"Exit codes:" in done.stdout and b"2  usage, configuration or file errors" in done.stdout
    )


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "rdjson"])
def test_report_formats_from_the_command_line(
    plugin_env: dict[str, str], project: Path, output_format: str
) -> None:
    (project / "pkg/bad.py").write_text("def (:\n")
    done = codemods(
        plugin_env, "check", *ONLY_PLUGIN, "--format", output_format, "pkg", cwd=project
    )
    assert done.returncode == 2, "the error wins"
    assert b"pkg/bad.py:1:5: error:" in done.stderr
    if output_format == "github":
        assert done.stdout.decode().startswith(
            "::warning file=pkg/a.py,line=1,endLine=1,title=codemods print-to-log::print -> log\n"
        )
    else:
        json.loads(done.stdout)  # a whole JSON document, no diff or 'would fix' lines mixed in


def test_output_file(plugin_env: dict[str, str], project: Path) -> None:
    done = codemods(
        plugin_env,
        "diff",
        *ONLY_PLUGIN,
        "--format",
        "json",
        "--output-file",
        "report.json",
        "pkg",
        cwd=project,
    )
    assert done.returncode == 1 and done.stdout == b""
    report = json.loads((project / "report.json").read_text())
    assert [c["file"] for c in report["changes"]] == ["pkg/a.py"]
    diffed = codemods(
        plugin_env, "diff", *ONLY_PLUGIN, "--output-file", "fix.patch", "pkg", cwd=project
    )
    assert diffed.stdout == b"" and (project / "fix.patch").read_text().startswith(
        "--- a/pkg/a.py\n"
    )


def test_apply_an_edited_patch_and_refuse_a_stale_one(
    plugin_env: dict[str, str], project: Path
) -> None:
    (project / "pkg/b.py").write_text("print(2)\n")
    diffed = codemods(plugin_env, "diff", *ONLY_PLUGIN, "pkg", cwd=project)
    patch = diffed.stdout.decode()
    edited = patch[: patch.index("--- a/pkg/b.py")].replace("+log(1)", "+log(1)  # reviewed")
    (project / "fix.patch").write_text(edited)
    applied = codemods(plugin_env, "apply", "--patch", "fix.patch", cwd=project)
    assert applied.returncode == 0, applied.stderr
    assert applied.stderr == b"1 file patched.\n"
    assert (project / "pkg/a.py").read_text() == "log(1)  # reviewed\n"
    assert (project / "pkg/b.py").read_text() == "print(2)\n"
    stale = codemods(plugin_env, "apply", "--patch", "fix.patch", cwd=project)
    assert stale.returncode == 2
    assert (
        stale.stderr.decode()
        == "error: pkg/a.py: hunk 1 (@@ -1,1 +1,1 @@) does not match the file as it is now\n"
    )
    both = codemods(plugin_env, "apply", "--patch", "fix.patch", "pkg", cwd=project)
    assert both.returncode == 2 and b"--patch takes no PATHS" in both.stderr


RESIZE = (
    "class Client:\n"
    "    def delete_server(self, server_id):\n"
    "        pass\n\n\n"
    "class ResizeTest:\n"
    "    def _delete_server_allocations(self, server_uuid):\n"
    "        pass\n\n"
    "    def test_resize(self, sid):\n"
    "        self.api.post_server_action(sid, {'resize': {'flavorRef': '2'}})\n"
)


def test_unsafe_fixes_are_held_back_unless_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "test_resize.py"
    target.write_text(RESIZE)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        command = [COMMAND, *args, "--select", "resize-guard", "test_resize.py"]
        return subprocess.run(command, capture_output=True, cwd=tmp_path)

    held = run("diff")
    assert (held.returncode, held.stdout) == (0, b"")
    assert held.stderr.decode().splitlines() == [
        "1 file left unchanged.",
        "1 unsafe fix was held back; run with --unsafe-fixes to see them.",
    ]
    verbose = run("check", "-v")
    assert "an unsafe fix, held back: run with --unsafe-fixes" in verbose.stderr.decode()
    assert run("apply").returncode == 0 and target.read_text() == RESIZE
    shown = run("diff", "--unsafe-fixes")
    assert shown.returncode == 1 and b"+        try:" in shown.stdout
    assert "Unsafe fixes (resize-guard) are in this diff" in shown.stderr.decode()
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\nunsafe-fixes = true\n")
    assert run("diff").returncode == 1
    assert run("diff", "--no-unsafe-fixes").returncode == 0
    (tmp_path / "pyproject.toml").write_text(
        '[tool.codemods]\nextend-safe-fixes = ["unguarded-resize"]\n'
    )
    assert run("apply").returncode == 0 and "try:" in target.read_text()


def test_extend_unsafe_fixes_holds_back_a_safe_codemod(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def f():\n    x = 1\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.codemods]\nextend-unsafe-fixes = ["unused-variables"]\n'
    )
    done = subprocess.run(
        [COMMAND, "check", "--select", "unused-variables", "m.py"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and "1 unsafe fix was held back" in done.stderr.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"[tool.codemods\n",
            "not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 15)",
        ),
        (b"[tool]\nx = '\xff'\n", "not UTF-8"),
        (b"tool = 1\n", "[tool] must be a table"),
    ],
)
def test_a_broken_pyproject_stops_the_run(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "m.py").write_text("def f():\n    x = 1\n")
    done = subprocess.run([COMMAND, "apply", "m.py"], capture_output=True, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith(f"error: {tmp_path / 'pyproject.toml'}: ") and message in line
    assert (tmp_path / "m.py").read_text() == "def f():\n    x = 1\n"


def test_the_projects_line_length_bounds_what_codemods_write(tmp_path: Path) -> None:
    (tmp_path / "tox.ini").write_text("[flake8]\nmax-line-length = 40\n")
    (tmp_path / "m.py").write_text(
        '"""Module."""\n\n\ndef get_the_flavors_of_every_server_in_the_cell():\n    pass\n'
    )
    done = subprocess.run(
        [COMMAND, "check", "-v", "--select", "docstring-stubs", "m.py"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "over line-length 40" in done.stderr.decode()
    (tmp_path / "tox.ini").write_text("[flake8]\nmax-line-length = 99\n")
    done = subprocess.run(
        [COMMAND, "check", "--select", "docstring-stubs", "m.py"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
