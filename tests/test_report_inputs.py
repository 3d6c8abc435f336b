"""What ``triage`` and ``--findings`` read: every report format, made by the real tools.

Each report is produced here by the installed tool -- ruff (``json``, ``sarif``, ``concise``,
``github``, ``rdjson``, ``pylint``), pylint (``json``, ``json2``, ``parseable``, ``text``),
pycodestyle, and this tool's own ``check --format json|sarif|rdjson|github`` -- on one small
tree with F841 and D1 findings; the formats of one tool must give the same verdicts. Anything
no reader fits, ruff's default ``full`` output among it, is exit 2 with one line that lists
the formats read and, for another output of ruff or pylint, the ``--output-format`` to use.
The commands run in this process (click's ``CliRunner``); the reports come from the tools'
own executables.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from codemods import cli
from codemods.reports import ACCEPTED, read_report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

TREE = {
    "shapes/area.py": """def area(width, height):
    unused = width * 2
    return width * height


class Box:
    def open(self):
        spare = [1, 2]
        return 2

    def close(self):
        return 3
""",
    "shapes/volume.py": '''"""Volumes."""


def volume(side):
    """Return the volume of a cube."""
    scratch = side + 1
    return side**3
''',
    "indent.py": '"""Indented by two."""\n\n\ndef twice(x):\n  """Twice."""\n  return x * 2\n',
}
"""F841 in two files, D100-D103 in one, E111 (two-space blocks) in one."""

RUFF_READ = ("json", "sarif", "concise", "github", "rdjson", "pylint")
RUFF_REFUSED = ("full", "grouped", "json-lines", "azure", "junit", "gitlab")
PYLINT_READ = ("json", "json2", "parseable", "text")
PYLINT_REFUSED = ("msvs", "colorized")
OWN_READ = ("json", "sarif", "rdjson", "github")
PYLINT_ENABLE = "W0612,C0114,C0115,C0116"


def tool(name: str, *args: str, cwd: Path) -> str:
    """Run an installed tool in ``cwd`` and return what it printed on stdout."""
    done = subprocess.run(
        [str(BIN / name), *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1, 4, 16, 20, 22, 28, 30), (name, args, done.stderr)
    return done.stdout


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-inputs") / "tree"
    for name, text in TREE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def reports(tree: Path) -> dict[str, Path]:
    """Write every report, read or refused, next to the tree: ``ruff.github`` and so on."""
    made = {}
    files = sorted(str(path.relative_to(tree)) for path in tree.rglob("*.py"))

    def keep(name: str, text: str) -> None:
        made[name] = tree.parent / name
        made[name].write_text(text)

    for output in RUFF_READ + RUFF_REFUSED:
        ruff = ("check", "--isolated", "--no-cache", "--exit-zero", "--select", "F841,D1")
        keep(f"ruff.{output}", tool("ruff", *ruff, "--output-format", output, ".", cwd=tree))
    for output in PYLINT_READ + PYLINT_REFUSED:
        pylint = ("--disable=all", f"--enable={PYLINT_ENABLE}", "--persistent=n", "-sn")
        keep(f"pylint.{output}", tool("pylint", *pylint, f"--output-format={output}", *files,
                                      cwd=tree))  # fmt: skip
    keep("pycodestyle.txt", tool("pycodestyle", "--select=E111", *files, cwd=tree))
    for output in OWN_READ:
        keep(f"own.{output}", tool("codemods", "check", "--no-cache", "--format", output, ".",
                                   cwd=tree))  # fmt: skip
    return made


def invoke(cwd: Path, *args: str) -> Result:
    """Run ``codemods ARGS`` in this process, in ``cwd``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(cli.main, list(args))


def verdicts(report: Path, root: Path) -> list[tuple[str, int, str, str]]:
    """Return ``(file name, line, rule, verdict)`` of each claim of ``report``, sorted."""
    done = invoke(root, "triage", "--format", "json", "--root", str(root), str(report))
    assert done.exit_code in (0, 1), done.stderr or done.output
    return sorted(
        (Path(item["path"]).name, item["line"], item["rule"], item["verdict"])
        for item in json.loads(done.stdout)["verdicts"]
    )


def assert_refused(root: Path, report: Path, *expected: str) -> None:
    """Both ``triage`` and ``apply --findings`` exit 2 with one line, and nothing is written."""
    before = {path: path.read_bytes() for path in root.rglob("*.py")}
    for command in (("triage", str(report)), ("apply", "--findings", str(report), ".")):
        done = invoke(root, *command)
        assert done.exit_code == 2, (command, done.output)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        assert f"it reads {ACCEPTED}" in lines[0]
        for text in expected:
            assert text in lines[0]
        assert "Traceback" not in done.output
    assert {path: path.read_bytes() for path in root.rglob("*.py")} == before


# Read: ruff


def test_ruff_json_judges_f841_and_d1_claims(reports: dict[str, Path], tree: Path) -> None:
    got = verdicts(reports["ruff.json"], tree)
    rules = Counter(rule for _, _, rule, _ in got)
    assert rules["F841"] == 3 and rules["D103"] == 1 and rules["D102"] == 2, rules
    assert ("area.py", 2, "F841", "fixed") in got and ("area.py", 1, "D103", "fixed") in got


@pytest.mark.parametrize("output", [f for f in RUFF_READ if f != "json"])
def test_every_ruff_format_gives_the_verdicts_of_its_json(
    reports: dict[str, Path], tree: Path, output: str
) -> None:
    assert verdicts(reports[f"ruff.{output}"], tree) == verdicts(reports["ruff.json"], tree)


def test_ruffs_github_annotations_are_read_claim_by_claim(reports: dict[str, Path]) -> None:
    text = reports["ruff.github"].read_text()
    assert text.startswith("::error title=ruff (")
    claims = read_report(text.encode(), "ruff.github")
    assert len(claims) == len(text.splitlines())
    unused = next(claim for claim in claims if claim.rule == "F841")
    assert (Path(unused.path).name, unused.line, unused.tool) == ("area.py", 2, "ruff")
    assert unused.message == "Local variable `unused` is assigned to but never used"
    assert unused.names == ("unused",)


def test_ruffs_syntax_errors_and_summaries_are_read(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    x = 1\n")
    (tmp_path / "clean.py").write_text('"""Clean."""\n')
    ruff = ("check", "--isolated", "--no-cache", "--exit-zero", "--select", "F841")
    for output in ("concise", "github", "json"):
        report = tool("ruff", *ruff, "--output-format", output, "broken.py", cwd=tmp_path)
        claims = read_report(report.encode(), f"ruff.{output}")
        assert claims and {claim.rule for claim in claims} == {"invalid-syntax"}, output
        clean = tool("ruff", *ruff, "--output-format", output, "clean.py", cwd=tmp_path)
        assert read_report(clean.encode(), f"clean.{output}") == []


def test_apply_and_diff_findings_act_on_ruffs_github_report(tree: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    report = tmp_path / "ruff.github"  # ruff names each file by its absolute path
    report.write_text(tool("ruff", "check", "--isolated", "--no-cache", "--exit-zero", "--select",
                           "F841,D1", "--output-format", "github", ".", cwd=copy))  # fmt: skip
    diff = invoke(copy, "diff", "--findings", str(report), ".")
    assert diff.exit_code == 1, diff.output
    assert "-    unused = width * 2\n" in diff.stdout
    done = invoke(copy, "apply", "--findings", str(report), ".")
    assert done.exit_code == 0, done.output
    area = (copy / "shapes/area.py").read_text()
    assert "unused =" not in area and "spare =" not in area
    assert '"""Describe area.' in area
    assert (copy / "indent.py").read_text() == TREE["indent.py"]  # no ruff claim there


# Read: pylint, pycodestyle


@pytest.mark.parametrize("output", [f for f in PYLINT_READ if f != "json"])
def test_every_pylint_format_gives_the_verdicts_of_its_json(
    reports: dict[str, Path], tree: Path, output: str
) -> None:
    from_json = verdicts(reports["pylint.json"], tree)
    assert len(from_json) == len(json.loads(reports["pylint.json"].read_text())) > 5
    assert {verdict for *_, verdict in from_json} <= {"fixed", "refuted", "not fixed"}
    assert verdicts(reports[f"pylint.{output}"], tree) == from_json


def test_pycodestyle_text_is_read(reports: dict[str, Path], tree: Path) -> None:
    text = reports["pycodestyle.txt"].read_text()
    assert text.count(": E111 ") == 2
    assert verdicts(reports["pycodestyle.txt"], tree) == [
        ("indent.py", 5, "E111", "fixed"),
        ("indent.py", 6, "E111", "fixed"),
    ]


# Read: our own reports, the review format


@pytest.mark.parametrize("output", OWN_READ)
def test_our_own_reports_are_read_and_each_claim_is_fixed(
    reports: dict[str, Path], tree: Path, output: str
) -> None:
    changes = json.loads(reports["own.json"].read_text())["changes"]
    got = verdicts(reports[f"own.{output}"], tree)
    assert len(got) == len(changes) > 5
    assert {verdict for *_, verdict in got} == {"fixed"}
    expected = sorted((Path(c["file"]).name, c["line"], c["codemod"]) for c in changes)
    assert [item[:3] for item in got] == expected


def test_the_review_format_is_read(tree: Path, tmp_path: Path) -> None:
    review = {
        "version": 1,
        "reviewer": "a colleague",
        "findings": [
            {"path": "shapes/volume.py", "line": 6, "kind": "unused-variable",
             "names": ["scratch"], "text": "scratch is never read"},
            {"path": "indent.py", "kind": "indentation"},
        ],
    }  # fmt: skip
    schema = json.loads((ROOT / "docs/review-findings.schema.json").read_text())
    jsonschema.validate(review, schema)
    report = tmp_path / "review.json"
    report.write_text(json.dumps(review))
    assert verdicts(report, tree) == [
        ("indent.py", 1, "indentation", "fixed"),
        ("volume.py", 6, "unused-variable", "fixed"),
    ]


@pytest.mark.parametrize("output", OWN_READ)
def test_our_reports_name_a_file_whose_name_is_not_utf8(tmp_path: Path, output: str) -> None:
    name = b"caf\xe9.py"
    try:
        (tmp_path / os.fsdecode(name)).write_text("def f():\n    x = 1\n    return 2\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes UTF-8 names only")
    report = tool("codemods", "check", "--no-cache", "--format", output, ".", cwd=tmp_path)
    claims = read_report(report.encode(), f"own.{output}")
    assert claims and {os.fsencode(Path(claim.path).name) for claim in claims} == {name}


# Refused


@pytest.mark.parametrize("output", RUFF_REFUSED)
def test_ruffs_other_outputs_are_refused_naming_the_format_to_use(
    reports: dict[str, Path], tree: Path, output: str
) -> None:
    assert reports[f"ruff.{output}"].read_text().strip()
    assert_refused(
        tree,
        reports[f"ruff.{output}"],
        f"ruff's '{output}' output is not a report this tool reads",
        "run ruff check with --output-format json",
    )


@pytest.mark.parametrize("output", PYLINT_REFUSED)
def test_pylints_other_outputs_are_refused_naming_the_format_to_use(
    reports: dict[str, Path], tree: Path, output: str
) -> None:
    assert_refused(tree, reports[f"pylint.{output}"], "run pylint with --output-format=json")


def _concatenated(reports: dict[str, Path], *names: str) -> str:
    return "".join(reports[name].read_text() for name in names)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda _: "::error::Process completed with exit code 1.\n",
            "'::error::Process completed with exit code 1.' is not a finding line",
            id="error-command-without-file",
        ),
        pytest.param(
            lambda _: "::error file=indent.py,line=5::indent.py:5:3: E111 indentation\n",
            "is not a finding line",
            id="error-command-without-rule",
        ),
        pytest.param(
            lambda _: "::error title=ruff (F841),file=a.py,line=x::a.py:x:1: F841 x\n",
            "is not a finding line",
            id="error-command-line-not-a-number",
        ),
        pytest.param(lambda _: "Everything is fine.\n", "is not a finding line", id="prose"),
        pytest.param(
            lambda reports: _concatenated(reports, "ruff.concise") + "and some prose\n",
            "'and some prose' is not 'path:line:col: CODE message'",
            id="concise-then-prose",
        ),
        pytest.param(
            lambda reports: _concatenated(reports, "ruff.concise", "ruff.pylint"),
            "is not 'path:line:col: CODE message'",
            id="concise-then-pylint-format",
        ),
        pytest.param(
            lambda reports: _concatenated(reports, "ruff.github", "pycodestyle.txt"),
            "is not a GitHub annotation",
            id="github-then-pycodestyle",
        ),
        pytest.param(
            lambda reports: json.dumps(
                json.loads(reports["ruff.json"].read_text())[:1]
                + json.loads(reports["pylint.json"].read_text())[:1]
            ),
            "a JSON list",
            id="ruff-and-pylint-json-mixed",
        ),
        pytest.param(
            lambda reports: json.dumps(
                {**json.loads(reports["ruff.sarif"].read_text()), "extra": 1}
            ),
            "a JSON object with the keys",
            id="sarif-with-a-key-sarif-has-not",
        ),
        pytest.param(
            lambda _: json.dumps(
                {"version": 1, "findings": [{"path": "a.py", "kind": "x", "severity": "high"}]}
            ),
            "a JSON object with the keys",
            id="review-with-a-key-the-schema-has-not",
        ),
        pytest.param(
            lambda reports: (
                invoke(
                    reports["ruff.json"].parent / "tree",
                    "triage",
                    "--format",
                    "json",
                    "--root",
                    ".",
                    str(reports["ruff.json"]),
                ).stdout
            ),
            "the verdicts of 'codemods triage', not findings",
            id="triage-output",
        ),  # fmt: skip
    ],
)
def test_inputs_no_reader_fits_are_refused_in_one_line(
    reports: dict[str, Path], tree: Path, tmp_path: Path, make: object, expected: str
) -> None:
    report = tmp_path / "report.txt"
    report.write_text(make(reports))  # type: ignore[operator]
    assert_refused(tree, report, expected)


def test_a_baseline_is_not_a_review(tree: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    baseline = tmp_path / "baseline.json"
    done = invoke(copy, "baseline", "-j", "1", "--baseline", str(baseline), ".")
    assert done.exit_code == 0, done.output
    assert json.loads(baseline.read_text())["findings"]
    assert_refused(copy, baseline, "a JSON object with the keys")


def test_an_empty_report_has_no_claims(tree: Path, tmp_path: Path) -> None:
    """flake8 and pycodestyle print nothing when they find nothing."""
    report = tmp_path / "flake8.txt"
    report.write_text("")
    done = invoke(tree, "triage", "--root", str(tree), str(report))
    assert (
        done.exit_code == 0 and done.stdout == "0 fixed, 0 refuted, 0 not fixed, 0 unsupported.\n"
    )


# --statistics: a skip reason is counted by its kind, whatever names and numbers it holds


def test_reason_kinds_mask_every_identifier_and_number_quoted_or_not() -> None:
    from codemods.statistics import reason_kind

    kind = "class … reads its own …; a docstring would change it"
    assert reason_kind("class Foo reads its own __doc__; a docstring would change it") == kind
    assert reason_kind("class Server reads its own __doc__; a docstring would change it") == kind
    assert (
        reason_kind("class bar reads its own __doc__; a docstring would change it", {"bar"})
        == kind
    )
    assert reason_kind("argument 2 may be inside a '*' unpacking") == (
        "argument … may be inside a … unpacking"
    )
    assert reason_kind("needs Python 3.11 or v2 (x1)") == "needs … … or … (…)"
    # a local named like a reason's own words leaves those words alone
    assert (
        reason_kind("a '# noqa' comment covers it", {"a", "it", "noqa"}) == "a … comment covers it"
    )


def test_statistics_count_equal_reasons_together_whatever_the_names(tmp_path: Path) -> None:
    reads_own = "class {name}:\n    def show(self):\n        return self.__doc__\n\n\n"
    (tmp_path / "a.py").write_text('"""A."""\n\n\n' + reads_own.format(name="Foo"))
    (tmp_path / "b.py").write_text(
        '"""B."""\n\n\n' + reads_own.format(name="bar") + reads_own.format(name="Server")
    )
    done = invoke(tmp_path, "check", "--no-cache", "-j", "1", "--statistics", "--select",
                  "docstring-stubs", ".")  # fmt: skip
    assert done.exit_code == 1, done.output
    assert "3  docstring-stubs  skipped: class … reads its own …; a docstring would change it" in (
        done.stderr.splitlines()
    ), done.stderr
