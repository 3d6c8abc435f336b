"""Report formats: JSON, SARIF (validated against the official schema), GitHub, rdjson.

The fixes carried by SARIF and rdjson are applied back to the old text: they must give the
new text exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from codemods.engine import FileError, FileResult
from codemods.finding import Finding, FixSafety
from codemods.formats import render_github, render_json, render_rdjson, render_sarif
from codemods.hunks import file_hunks

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
"""The OASIS SARIF 2.1.0 schema, carried as test data (see tests/data/README.md)."""

OLD = "".join(f"line{i} = {i}\n" for i in range(1, 21)).replace("line5", "café5")
CASES = {
    "replace_two_places": (
        OLD,
        OLD.replace("café5 = 5", "café5 = 50").replace("line18 = 18", "line18 = 180"),
    ),
    "insert_at_top": (OLD, '"""Doc."""\n' + OLD),
    "delete_lines": (OLD, OLD.replace("line10 = 10\nline11 = 11\n", "")),
    "insert_at_end": (OLD, OLD + "tail = 1\n"),
    "no_final_newline": ("a = 1\nb = 2", "a = 1\nb = 3"),
    "one_line_file": ("a = 1\n", "a = 2\n"),
}


def finding(path: str, line: int, message: str, **fields) -> Finding:
    return Finding(
        line,
        message,
        codemod_id="unused-variables",
        rule="unused-variable",
        path=path,
        safety=FixSafety.SAFE,
        fingerprint=f"fp{line}",
        **fields,
    )


def result_for(old: str, new: str, path: str = "pkg/mod.py") -> FileResult:
    hunks = file_hunks(FileResult(path, old, new))
    changes = tuple(finding(path, max(1, h.first_line), f"edit at {h.first_line}") for h in hunks)
    return FileResult(path, old, new, changes)


def test_the_schema_is_in_the_repository() -> None:
    assert SCHEMA.is_file(), f"missing {SCHEMA}: the SARIF tests need it"


def offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def byte_offset(data: bytes, position: dict[str, int]) -> int:
    lines = data.split(b"\n")
    return sum(len(x) + 1 for x in lines[: position["line"] - 1]) + position["column"] - 1


def apply_replacements(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, inserted in sorted(replacements, reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


@pytest.mark.parametrize("case", sorted(CASES))
def test_sarif_is_valid_and_its_fixes_give_the_new_text(case: str) -> None:
    old, new = CASES[case]
    log = json.loads(render_sarif([result_for(old, new)]))
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    replacements = []
    for result in run["results"]:
        assert (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/mod.py"
        )
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        for change in result["fixes"][0]["artifactChanges"]:
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                start = offset(old, region["startLine"], region["startColumn"])
                end = offset(old, region["endLine"], region["endColumn"])
                replacements.append((start, end, replacement["insertedContent"]["text"]))
    assert apply_replacements(old, replacements) == new


@pytest.mark.parametrize("case", sorted(CASES))
def test_rdjson_suggestions_give_the_new_text(case: str) -> None:
    old, new = CASES[case]
    report = json.loads(render_rdjson([result_for(old, new)]))
    data = old.encode()
    replacements = []
    for diagnostic in report["diagnostics"]:
        assert diagnostic["code"]["value"] == "unused-variables"
        for suggestion in diagnostic["suggestions"]:
            start, end = suggestion["range"]["start"], suggestion["range"]["end"]
            replacements.append(
                (byte_offset(data, start), byte_offset(data, end), suggestion["text"].encode())
            )
    for start, end, inserted in sorted(replacements, reverse=True):
        data = data[:start] + inserted + data[end:]
    assert data.decode() == new


def test_rdjson_columns_count_utf8_bytes() -> None:
    old = "x = 'é'; y = 1\n"
    result = result_for(old, "x = 'é'; y = 2\n")
    suggestion = json.loads(render_rdjson([result]))["diagnostics"][0]["suggestions"][0]
    assert suggestion["range"] == {
        "start": {"line": 1, "column": 1},
        "end": {"line": 2, "column": 1},
    }


def test_json_report_has_changes_skips_and_errors() -> None:
    changed = result_for(*CASES["replace_two_places"])
    skip = finding("pkg/keep.py", 3, "`x` is never read", skip="uses locals()")
    skipped = FileResult("pkg/keep.py", "x = 1\n", "x = 1\n", (skip,))
    failed = FileResult("pkg/bad.py", "", "", error=FileError(2, 7, "invalid syntax"))
    report = json.loads(render_json([changed, skipped, failed]))
    assert report["summary"] == {"files_with_changes": 1, "files_unchanged": 1, "files_failed": 1}
    first = report["changes"][0]
    assert first == {
        "file": "pkg/mod.py",
        "line": 5,
        "end_line": 5,
        "codemod": "unused-variables",
        "rule": "unused-variable",
        "message": "edit at 5",
        "action": "",
        "fix_safety": "safe",
        "fingerprint": "fp5",
        "hunk": first["hunk"],
    }
    assert first["hunk"].startswith("@@ -2,7 +2,7 @@\n")
    assert report["skips"] == [
        {
            "file": "pkg/keep.py",
            "line": 3,
            "end_line": 3,
            "codemod": "unused-variables",
            "rule": "unused-variable",
            "message": "`x` is never read",
            "action": "",
            "fix_safety": "safe",
            "fingerprint": "fp3",
            "reason": "uses locals()",
        }
    ]
    assert report["errors"] == [
        {
            "file": "pkg/bad.py",
            "line": 2,
            "column": 7,
            "codemod": None,
            "message": "invalid syntax",
        }
    ]


def test_github_annotations_escape_their_fields() -> None:
    result = FileResult(
        "a,b:c.py",
        "x = 1\n",
        "x = 2\n",
        (finding("a,b:c.py", 1, "50% done\nnext"),),
    )
    failed = FileResult("bad.py", "", "", error=FileError(2, 7, "invalid syntax"))
    assert render_github([result, failed]) == (
        "::warning file=a%2Cb%3Ac.py,line=1,endLine=1,title=codemods unused-variables::50%25 done%0Anext\n"
        "::error file=bad.py,line=2,col=7,title=codemods::invalid syntax\n"
    )


def test_sarif_reports_errors_as_notifications() -> None:
    failed = FileResult("bad.py", "", "", error=FileError(2, 7, "invalid syntax"))
    log = json.loads(render_sarif([failed]))
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "invalid syntax"


def test_findings_keep_their_own_region_and_a_hunk_is_one_fix() -> None:
    old = "a = 1\nb = 2\nc = 3\nd = 4\n"
    new = "a = 1\nd = 4\n"
    two = (
        finding("m.py", 2, "drop b", end_line=2),
        finding("m.py", 3, "drop c", end_line=3),
    )
    result = FileResult("m.py", old, new, two)
    run = json.loads(render_sarif([result]))["runs"][0]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run["results"]]
    assert regions == [{"startLine": 2, "endLine": 2}, {"startLine": 3, "endLine": 3}]
    assert ["fixes" in r for r in run["results"]] == [True, False]
    diagnostics = json.loads(render_rdjson([result]))["diagnostics"]
    assert [d["location"]["range"]["start"]["line"] for d in diagnostics] == [2, 3]
    assert ["suggestions" in d for d in diagnostics] == [True, False]
