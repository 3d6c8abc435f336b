"""Findings in: the seed review triaged on the real Nova file, and real ruff and pylint reports.

The reports are produced here by the real tools, on a tree of hand-written samples plus Nova
and standard-library files. Each claim must get a verdict with a reason, and after
``apply --findings`` the same tool must report exactly the claims we fixed as gone -- so the
diff holds nothing that no finding asked for.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import sysconfig
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from codemods.config import Config
from codemods.reports import WHOLE_FILE, ReportError, read_report
from codemods.triage import triage as triage_claims

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMAND = str(BIN / "codemods")
SEED_REVIEW = ROOT / "examples/reviews/seed-review.json"
SEED = "nova/tests/functional/regressions/test_bug_1825537.py"

SAMPLES = {
    "pkg/__init__.py": "",
    "pkg/unused.py": '''"""Unused locals of several kinds."""


def plain():
    """Drop a literal."""
    total = 1
    return 2


def with_call(values):
    """The call stays; the binding is an unsafe fix (its result is released early)."""
    handle = open(values)
    return 3


def read_later():
    """Ruff's F841 and ours agree: never read."""
    spare = [1, 2]
    return 4


def by_name():
    """eval() may read any local: ruff reports F841, we decline and say why."""
    hidden = 5
    return eval("hidden")
''',
    "pkg/nodocs.py": "import os\n\n\nclass Box:\n    def open(self):\n        return os.sep\n",
    "pkg/tabs.py": '"""Tabs."""\n\n\ndef tabbed():\n\t"""Use tabs."""\n\treturn 1\n',
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def triage(report: Path, root: Path, *options: str) -> dict:
    done = run(COMMAND, "triage", "--format", "json", "--root", str(root), *options, str(report),
               cwd=root)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def verdicts(triaged: dict) -> Counter[str]:
    return Counter(item["verdict"] for item in triaged["verdicts"])


# The seed review


def test_review_schema_accepts_the_seed_review() -> None:
    schema = json.loads((ROOT / "docs/review-findings.schema.json").read_text())
    jsonschema.validate(json.loads(SEED_REVIEW.read_text()), schema)


def test_seed_review_two_claims_fixed_three_refuted_with_evidence(nova_tree: Path) -> None:
    # in-process, so the project index of all of Nova is built once for both runs
    root = nova_tree.parent
    claims = read_report(SEED_REVIEW.read_bytes(), SEED_REVIEW.name)
    config = Config(unsafe_fixes=True)
    verdicts = triage_claims(claims, config.build_engine(), root)
    got = [(t.claim.rule, t.verdict.value, t.reason) for t in verdicts]
    assert got[0][:2] == ("unguarded-resize", "fixed")
    assert "wrapped it in try/except Exception with cleanup" in got[0][2]
    assert got[1:] == [
        ("indentation", "refuted", "indentation is consistent: every block is 4 spaces"),
        (
            "missing-docstring",
            "fixed",
            "line 1: missing module docstring for test_bug_1825537: added 'Test bug 1825537.'"
            " (and 1 more)",  # setUp overrides nova.test.TestCase's documented setUp
        ),
        ("unused-variable", "refuted", "`flavors` is read at line 31"),
        (
            "unused-variable",
            "refuted",
            "`compute_driver` is a class attribute of FinishResizeErrorAllocationCleanupTestCase"
            " (class scope), not a local",
        ),
    ]
    limited = dataclasses.replace(config, claims=tuple(claims), claims_root=root)
    result = limited.build_engine().fix_bytes(str(root / SEED), (root / SEED).read_bytes())
    assert {(f.codemod_id, f.line) for f in result.changes} == {
        ("resize-guard", 38),
        ("docstring-stubs", 1),  # setUp (27) overrides nova.test.TestCase's documented one
        ("docstring-stubs", 53),
    }


def test_markdown_is_a_comment_table(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        '"""M."""\n\n\ndef f():\n    """F."""\n    x = 1\n    return x\n'
    )
    review = tmp_path / "review.json"
    review.write_text(json.dumps({"version": 1, "findings": [
        {"path": "m.py", "line": 6, "kind": "unused-variable", "names": ["x"], "text": "x unused"}
    ]}))  # fmt: skip
    done = run(COMMAND, "triage", "--format", "markdown", "--root", ".", str(review), cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == (
        "### codemods triage\n\n0 fixed, 1 refuted, 0 not fixed, 0 unsupported.\n\n"
        "| where | claim | verdict | why |\n| --- | --- | --- | --- |\n"
        "| `m.py:6` | unused-variable: x unused | **refuted** | `x` is read at line 7 |\n"
    )


# Real reports by the real tools


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hand-written samples, 15 Nova files and 15 standard-library files."""
    import corpora

    root = tmp_path_factory.mktemp("triage-tree")
    for name, text in SAMPLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for corpus_file in corpora.nova_files(step=97)[:15]:
        path = root / "nova_files" / corpus_file.name.replace("/", "__")
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(corpus_file.data)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    chosen = sorted(p for p in stdlib.glob("*.py") if 2_000 < p.stat().st_size < 40_000)[::12]
    for path in chosen[:15]:
        target = root / "stdlib_files" / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
    return root


def relative(path: str, root: Path) -> str:
    """Return a report's path relative to ``root`` (ruff names files by absolute paths)."""
    return Path(path).resolve().relative_to(root.resolve()).as_posix()


def fresh_copy(tree: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    return copy


RUFF_SELECT = "F841,D1,E1,W191"


def ruff_report(root: Path, output_format: str) -> Path:
    report = root.parent / f"ruff.{output_format}"
    done = run(str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
               "--select", RUFF_SELECT, "--output-format", output_format, ".", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report.write_text(done.stdout)
    return report


def f841_report(root: Path) -> Path:
    """Write ruff's F841 findings on ``root`` as ``ruff.json`` there; return its path."""
    done = run(str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
               "--select", "F841", "--output-format", "json", ".", cwd=root)  # fmt: skip
    (root / "ruff.json").write_text(done.stdout)
    return root / "ruff.json"


def ruff_counts(root: Path) -> Counter[str]:
    done = run(str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
               "--select", RUFF_SELECT, "--output-format", "json", ".", cwd=root)  # fmt: skip
    return Counter(item["code"] for item in json.loads(done.stdout))


def test_ruff_reports_every_claim_judged_and_only_claims_fixed(tree: Path, tmp_path: Path) -> None:
    root = fresh_copy(tree, tmp_path)
    report = ruff_report(root, "json")
    triaged = triage(report, root)
    counts = verdicts(triaged)
    assert counts["fixed"] > 20 and counts["refuted"] + counts["not fixed"] > 0, counts
    assert all(item["reason"] for item in triaged["verdicts"])
    by_claim = {(relative(i["path"], root), i["line"], i["rule"]): i for i in triaged["verdicts"]}
    assert by_claim[("pkg/unused.py", 6, "F841")]["verdict"] == "fixed"
    assert by_claim[("pkg/unused.py", 12, "F841")]["verdict"] == "not fixed"  # unsafe
    disagreement = by_claim[("pkg/unused.py", 24, "F841")]
    assert disagreement["verdict"] == "not fixed"
    assert "it can read its locals by name" in disagreement["reason"]
    before = ruff_counts(root)
    files_before = {p: p.read_bytes() for p in root.rglob("*.py")}
    done = run(COMMAND, "apply", "--findings", str(report), cwd=root)
    assert done.returncode in (0, 2), done.stderr
    after = ruff_counts(root)
    fixed = Counter(i["rule"] for i in triaged["verdicts"] if i["verdict"] == "fixed")
    assert after == before - fixed  # exactly the fixed claims are gone, nothing else moved
    claimed = {(root / relative(i["path"], root)).resolve() for i in triaged["verdicts"]}
    changed = {p.resolve() for p, data in files_before.items() if p.read_bytes() != data}
    assert changed and changed <= claimed


def test_ruff_sarif_gets_the_same_verdicts_as_its_json(tree: Path, tmp_path: Path) -> None:
    root = fresh_copy(tree, tmp_path)
    from_json = triage(ruff_report(root, "json"), root)["verdicts"]
    from_sarif = triage(ruff_report(root, "sarif"), root)["verdicts"]

    def key(item: dict) -> tuple:
        return (Path(item["path"]).name, item["line"], item["rule"], item["verdict"])

    assert sorted(map(key, from_sarif)) == sorted(map(key, from_json))


def test_pylint_json_every_claim_judged_and_only_claims_fixed(tree: Path, tmp_path: Path) -> None:
    root = fresh_copy(tree, tmp_path)
    files = [str(p.relative_to(root)) for p in sorted(root.glob("pkg/*.py"))]
    files += [str(p.relative_to(root)) for p in sorted(root.glob("nova_files/*.py"))[:5]]
    enable = "W0612,C0114,C0115,C0116"

    def pylint() -> list[dict]:
        done = run(str(BIN / "pylint"), "--disable=all", f"--enable={enable}",
                   "--output-format=json", "--persistent=n", *files, cwd=root)  # fmt: skip
        return json.loads(done.stdout)

    report = root.parent / "pylint.json"
    messages = pylint()
    report.write_text(json.dumps(messages))
    triaged = triage(report, root)
    assert len(triaged["verdicts"]) == len(messages) > 5
    assert verdicts(triaged)["unsupported"] == 0
    fixed = Counter(i["rule"] for i in triaged["verdicts"] if i["verdict"] == "fixed")
    assert fixed["W0612"] >= 2 and fixed["C0116"] >= 2
    run(COMMAND, "apply", "--findings", str(report), cwd=root)
    after = Counter(m["message-id"] for m in pylint())
    assert after == Counter(m["message-id"] for m in messages) - fixed


# Bad input


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "report.json:1: not valid JSON"),
        (
            '{"something": 1}',
            "report.json: not a report this tool reads (a JSON object with the keys",
        ),
        ('[{"a": 1}]', "not a report this tool reads"),
        ("this is prose\n", "report.json:1: not a report this tool reads ('this is prose' is not"),
        (
            '{"version": 1, "findings": [{"path": "m.py", "line": 0, "kind": "x"}]}',
            "not a report this tool reads",
        ),  # fmt: skip
    ],
)
def test_bad_reports_are_one_line_errors_and_nothing_is_written(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "m.py").write_text("def f():\n    x = 1\n")
    (tmp_path / "report.json").write_text(content)
    for command in (("triage", "report.json"), ("apply", "--findings", "report.json", ".")):
        done = run(COMMAND, *command, cwd=tmp_path)
        assert done.returncode == 2
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert (tmp_path / "m.py").read_text() == "def f():\n    x = 1\n"


def test_claims_that_cannot_be_checked_are_unsupported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "m.py").write_text('"""M."""\n\n\ndef f():\n    """F."""\n    x = 1\n')
    (tmp_path / "outside.py").write_text("def g():\n    y = 1\n")
    report = tmp_path / "report.txt"
    report.write_text(
        "../outside.py:2:5: F841 Local variable `y` is assigned to but never used\n"
        "m.py:40:5: F841 Local variable `x` is assigned to but never used\n"
        "m.py:6:5: X999 something else\n"
        "m.py:6:5: F841 Local variable `x` is assigned to but never used\n"
    )
    triaged = triage(report, root)["verdicts"]
    assert [(i["verdict"], i["reason"]) for i in triaged] == [
        ("unsupported", f"the file is outside the tree ({root}); it was not read"),
        ("unsupported", "line 40 is past the end of the file (6 lines)"),
        ("unsupported", "no codemod handles 'X999'"),
        ("fixed", "line 6: `x` is assigned but never read: removed the assignment"),
    ]
    done = run(COMMAND, "apply", "--findings", str(report), cwd=root)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "outside.py").read_text() == "def g():\n    y = 1\n"
    assert (root / "m.py").read_text() == '"""M."""\n\n\ndef f():\n    """F."""\n'


def test_readers_of_text_rdjson_and_reviews() -> None:
    pylint_text = "pkg/m.py:3: [W0612(unused-variable), f] Unused variable 'spam'\n"
    (claim,) = read_report(pylint_text.encode(), "pylint.txt")
    assert (claim.path, claim.line, claim.rule, claim.names) == ("pkg/m.py", 3, "W0612", ("spam",))
    rdjson = {"diagnostics": [{"message": "m", "location": {"path": "a.py", "range": {
        "start": {"line": 2}, "end": {"line": 4}}}, "code": {"value": "D103"}}]}  # fmt: skip
    (claim,) = read_report(json.dumps(rdjson).encode(), "r.json")
    assert (claim.path, claim.line, claim.end_line, claim.rule) == ("a.py", 2, 4, "D103")
    review = {"version": 1, "findings": [{"path": "a.py", "kind": "indentation"}]}
    (claim,) = read_report(json.dumps(review).encode(), "review.json")
    assert claim.whole_file and claim.end_line == WHOLE_FILE
    with pytest.raises(ReportError, match="not UTF-8"):
        read_report(b"\xff\xfe", "bad.txt")


def test_findings_fixes_what_the_report_asks_for_and_nothing_else(tmp_path: Path) -> None:
    source = "def f():\n    first = 1\n    second = 2\n    return 0\n"
    (tmp_path / "m.py").write_text(source)
    (tmp_path / "flake8.txt").write_text(
        "m.py:3:5: F841 local variable 'second' is assigned to but never used\n"
    )
    done = run(COMMAND, "apply", "--findings", "flake8.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "m.py").read_text() == "def f():\n    first = 1\n    return 0\n"


def test_where_ruff_and_we_disagree_about_f841_the_verdict_says_why(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        '"""M."""\n\n\ndef pair():\n    """Pair."""\n    x, y = 1, 2\n    return x\n\n\n'
        'def frame():\n    """Frame."""\n    secret = 1\n    return vars()\n\n\n'
        'def twice():\n    """Twice."""\n    try:\n        pass\n    except ValueError as ex:\n'
        "        pass\n    except OSError as ex:\n        print(ex)\n"
    )
    f841_report(tmp_path)
    got = [(i["line"], i["verdict"], i["reason"]) for i in triage(tmp_path / "ruff.json", tmp_path)[
        "verdicts"]]  # fmt: skip
    assert got == [
        (6, "not fixed", "`y` is bound by unpacking, which unused-variables leaves alone"),
        (
            12,
            "not fixed",
            "line 10: it calls vars() without argument (or passes vars on) (line 13): "
            "it can read its locals by name",
        ),
        (
            20,
            "not fixed",
            "`ex` is bound 2 times in twice() and read at line 23; unused-variables keeps a "
            "name its function reads anywhere",
        ),
    ]


def test_an_undocumented_definition_we_leave_alone_is_not_fixed_never_refuted(
    tmp_path: Path,
) -> None:
    (tmp_path / "m.py").write_text(
        '"""M."""\n\n__all__ = ["shown"]\n\n\ndef shown():\n    """Shown."""\n\n\n'
        "def hidden():\n    return 1\n\n\nclass _Private:\n    def method(self):\n"
        "        return 2\n"
    )
    (tmp_path / "review.json").write_text(json.dumps({"version": 1, "findings": [
        {"path": "m.py", "line": 10, "kind": "missing-docstring"},
        {"path": "m.py", "line": 15, "kind": "missing-docstring"},
        {"path": "m.py", "line": 6, "kind": "missing-docstring"},
    ]}))  # fmt: skip
    got = [(i["verdict"], i["reason"]) for i in triage(tmp_path / "review.json", tmp_path)[
        "verdicts"]]  # fmt: skip
    assert got == [
        ("not fixed", "'hidden' has no docstring, but 'hidden' is not in the module's __all__: "
         "not public API, left alone"),
        ("not fixed", "'method' has no docstring, but '_Private' is private: not public API, "
         "left alone"),
        ("refuted", "every definition here has a docstring (shown)"),
    ]  # fmt: skip


def test_rule_map_routes_a_teams_own_rule_and_sarif_srcroot_paths_resolve(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.codemods]\nrule-map = { "TEAM001" = "unused-variables" }\n'
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src/m.py").write_text('"""M."""\n\n\ndef f():\n    """F."""\n    x = 1\n')
    sarif = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "team-linter"}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": (tmp_path / "src").as_uri() + "/"}},
                "results": [
                    {
                        "ruleId": "TEAM001",
                        "message": {"text": "`x` is never used"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "m.py", "uriBaseId": "%SRCROOT%"},
                                    "region": {"startLine": 6},
                                }
                            }
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "team.sarif").write_text(json.dumps(sarif))
    (item,) = triage(tmp_path / "team.sarif", tmp_path)["verdicts"]
    assert (item["path"], item["verdict"], item["codemod"]) == (
        str(tmp_path / "src/m.py"),
        "fixed",
        "unused-variables",
    )
    (tmp_path / "pyproject.toml").write_text("[tool.codemods]\n")
    (item,) = triage(tmp_path / "team.sarif", tmp_path)["verdicts"]
    assert (item["verdict"], item["reason"]) == ("unsupported", "no codemod handles 'TEAM001'")


def test_true_f841_findings_are_never_refuted(tmp_path: Path) -> None:
    (tmp_path / "f.py").write_text(
        "def a():\n    x = 1\n    return lambda x: x\n\n\n"
        "def b():\n    x = 1\n\n    def g():\n        x = 2\n        return x\n    return g\n\n\n"
        "def c():\n    t = 1\n\n    class K:\n        t = 2\n        u = t\n    return K\n\n\n"
        "def d(r):\n    x = 0\n    return (lambda: [x for x in r])()\n"
    )
    f841_report(tmp_path)
    got = triage(tmp_path / "ruff.json", tmp_path)["verdicts"]
    assert len(got) == 4 and {item["verdict"] for item in got} == {"not fixed"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": 1, "findings": [{"path": null, "kind": "x"}]}', "with the path None"),
        ('{"version": 1, "findings": [{"path": "m.py", "kind": 5}]}', "with the rule 5"),
        (json.dumps({"runs": [{"results": [{"ruleId": "F841", "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": "m.py"},
                                 "region": {"startLine": 0}}}]}]}]}), "with lines 0-0"),
        (json.dumps({"runs": [{"results": [{"ruleId": "F841", "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": "file://elsewhere/m.py"}}}]}]}]}),
         "a file URI on another host"),
        ("m.py:0:1: F841 x\n", "line 0 of m.py is not a line"),
    ],
)  # fmt: skip
def test_malformed_findings_are_one_line_errors(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "m.py").write_text("def f():\n    x = 1\n")
    (tmp_path / "report.json").write_text(content)
    done = run(COMMAND, "triage", "report.json", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_ruff_text_summaries_and_syntax_errors_are_read(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def f(:\n")
    clean = read_report(b"All checks passed!\n", "ruff.txt")
    assert clean == []
    (claim,) = read_report(
        json.dumps([{"code": None, "filename": "m.py", "location": {"row": 1},
                     "message": "SyntaxError: Expected ')'"}]).encode(), "ruff.json"
    )  # fmt: skip
    assert claim.rule == "syntax-error"


def test_triage_says_fixed_only_for_what_apply_findings_writes(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text('"""M."""\n\n\ndef f():\n    """F."""\n    a = 1\n    b = a\n')
    (tmp_path / "tabs.py").write_text('"""T."""\n\n\ndef g():\n    if 1:\n\treturn 1\n')
    (tmp_path / "review.json").write_text(json.dumps({"version": 1, "findings": [
        {"path": "m.py", "line": 6, "kind": "unused-variable", "names": ["a"]},
        {"path": "tabs.py", "line": 6, "kind": "W191"},
    ]}))  # fmt: skip
    first, tabbed = triage(tmp_path / "review.json", tmp_path)["verdicts"]
    assert first["verdict"] == "not fixed"  # its cascade's cause, b, is not claimed
    assert first["reason"].startswith("line 6: it depends on the fix at line 7, which is not made")
    assert tabbed["verdict"] == "fixed"  # a TabError file, repaired by the engine
    run(COMMAND, "apply", "--findings", "review.json", cwd=tmp_path)
    assert "a = 1" in (tmp_path / "m.py").read_text()
    assert "\t" not in (tmp_path / "tabs.py").read_text()
