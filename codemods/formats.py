"""Machine-readable reports of a run: ``json``, ``sarif``, ``github`` and ``rdjson``.

* ``json`` -- one object per fixed finding (file, its own line range, codemod, rule, message,
  fix safety, fingerprint, hunk), plus every skipped finding with its reason and every
  error, so that CI can tell "nothing to do" from "could not look";
* ``sarif`` -- SARIF 2.1.0: one result per fixed finding with its own region, rules from the
  registry, URIs relative to ``%SRCROOT%`` (the project root; a file outside it gets an
  absolute ``file:`` URI), ``columnKind: unicodeCodePoints``; each hunk is one fix, on the
  first finding it carries;
* ``github`` -- ``::warning`` workflow commands, shown as annotations by GitHub Actions;
* ``rdjson`` -- reviewdog's diagnostic format (UTF-8 byte columns, 1-based, end exclusive);
  each hunk is one ``suggestion``, on the first finding it carries, which reviewdog posts as
  a suggested change on a pull request.

Every path is written with forward slashes, on every OS (:mod:`codemods.paths`).
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Any

from codemods import __version__
from codemods.diffs import diff_path, split_lines
from codemods.engine import FileResult
from codemods.finding import Finding
from codemods.fixes.registry import all_codemods
from codemods.hunks import FileHunk, Position, fixed_with_hunks
from codemods.paths import under_root
from codemods.summary import Tally

TOOL_NAME = "codemods"
TOOL_URI = "https://github.com/codemods/codemods"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report_path(path: str, flavour: type[PurePath] | None = None) -> str:
    """Return ``path`` as reports name it: ``diff_path``, undecodable bytes as ``\\xNN``.

    A file name that is not valid UTF-8 (decoded with surrogate escapes) cannot go into
    JSON or an annotation as it is; SARIF, whose locations are URIs, percent-encodes it.
    ``flavour``: the path syntax ``path`` is written in (this OS's).
    """
    return os.fsencode(diff_path(path, flavour)).decode("utf-8", "backslashreplace")


def artifact_location(path: str, root: Path) -> dict[str, str]:
    """Return SARIF's ``artifactLocation`` of ``path``: relative to ``root`` (``%SRCROOT%``).

    ``path`` is as the run names it (relative to the current directory, or absolute);
    ``root`` is absolute and resolved. The URI is percent-encoded, with forward slashes. A
    file outside ``root`` (even through a symbolic link in its name) gets an absolute
    ``file:`` URI and no ``uriBaseId``.
    """
    absolute = os.path.abspath(path)
    relative = under_root(absolute, root)
    if relative is None:
        relative = under_root(os.path.realpath(path), root)
    if relative is None:
        return {"uri": Path(absolute).as_uri()}
    return {"uri": urllib.parse.quote(os.fsencode(relative)), "uriBaseId": "%SRCROOT%"}


def render_json(results: Sequence[FileResult]) -> str:
    """Render the run as one JSON object."""
    tally = Tally()
    changes, skips, errors = [], [], []
    for result in results:
        tally.add(result)
        for finding, hunk, _ in fixed_with_hunks(result):
            changes.append({**_json_finding(finding), "hunk": hunk.hunk if hunk else None})
        skips.extend(
            {**_json_finding(finding), "reason": finding.skip} for finding in result.skips
        )
        if result.error is not None:
            error = result.error
            errors.append(
                {
                    "file": report_path(result.path),
                    "line": error.line,
                    "column": error.column,
                    "codemod": error.codemod_id,
                    "message": error.message,
                }
            )
    report = {
        "tool": {"name": TOOL_NAME, "version": __version__},
        "summary": {
            "files_with_changes": tally.changed,
            "files_unchanged": tally.unchanged,
            "files_failed": tally.failed,
        },
        "changes": changes,
        "skips": skips,
        "errors": errors,
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _json_finding(finding: Finding) -> dict[str, Any]:
    return {
        "file": report_path(finding.path),
        "line": finding.line,
        "end_line": finding.last_line,
        "codemod": finding.codemod_id,
        "rule": finding.rule,
        "message": finding.message,
        "action": finding.action,
        "fix_safety": finding.safety.value if finding.safety else None,
        "fingerprint": finding.fingerprint,
    }


def render_sarif(results: Sequence[FileResult], root: Path | None = None) -> str:
    """Render the run as a SARIF 2.1.0 log, its URIs relative to ``root`` (default: the cwd).

    The command line passes the project root (:attr:`codemods.config.Config.project_root`).
    """
    root = (root or Path.cwd()).resolve()
    registry = all_codemods()
    rule_ids = list(registry)
    rules = [
        {
            "id": codemod_id,
            "name": "".join(part.capitalize() for part in codemod_id.split("-")),
            "shortDescription": {"text": codemod.summary},
            "fullDescription": {"text": codemod.summary},
            "help": {"text": codemod.description()},
            "properties": {"fixSafety": codemod.safety.value},
        }
        for codemod_id, codemod in registry.items()
    ]
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for result in results:
        where = artifact_location(result.path, root)
        for finding, hunk, first in fixed_with_hunks(result):
            sarif_results.append(_sarif_result(finding, hunk if first else None, where, rule_ids))
        if result.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": result.error.message},
                    "locations": [_sarif_location(where, result.error.line, result.error.line)],
                }
            )
    base = root.as_uri() + "/"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "informationUri": TOOL_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_location(where: dict[str, str], start_line: int, end_line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": dict(where),
            "region": {"startLine": start_line, "endLine": max(start_line, end_line)},
        }
    }


def _sarif_result(
    finding: Finding, edit: FileHunk | None, where: dict[str, str], rule_ids: list[str]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.codemod_id,
        "level": "warning",
        "message": {"text": finding.description},
        "locations": [_sarif_location(where, finding.line, finding.last_line)],
        "partialFingerprints": {"codemods/v1": finding.fingerprint},
        "properties": {
            "rule": finding.rule,
            "fixSafety": finding.safety.value if finding.safety else None,
        },
    }
    if finding.codemod_id in rule_ids:
        result["ruleIndex"] = rule_ids.index(finding.codemod_id)
    if edit is not None:
        result["fixes"] = [
            {
                "description": {"text": f"{finding.codemod_id}: {finding.description}"},
                "artifactChanges": [
                    {
                        "artifactLocation": dict(where),
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": edit.start.line,
                                    "startColumn": edit.start.column,
                                    "endLine": edit.end.line,
                                    "endColumn": edit.end.column,
                                },
                                "insertedContent": {"text": edit.inserted},
                            }
                        ],
                    }
                ],
            }
        ]
    return result


def render_github(results: Sequence[FileResult]) -> str:
    """Render each change as a GitHub Actions ``::warning`` annotation (errors: ``::error``)."""
    lines = []
    for result in results:
        file = _escape_property(report_path(result.path))
        for finding in result.changes:
            title = _escape_property(f"codemods {finding.codemod_id}")
            lines.append(
                f"::warning file={file},line={finding.line},endLine={finding.last_line},"
                f"title={title}::{_escape_data(finding.description)}"
            )
        if result.error is not None:
            error = result.error
            lines.append(
                f"::error file={file},line={error.line},col={error.column},"
                f"title=codemods::{_escape_data(error.message)}"
            )
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_rdjson(results: Sequence[FileResult]) -> str:
    """Render the run in reviewdog's rdjson format, each fix as a suggestion."""
    diagnostics = []
    for result in results:
        old_lines = split_lines(result.old_text)
        path = report_path(result.path)
        for finding, edit, first in fixed_with_hunks(result):
            diagnostic: dict[str, Any] = {
                "message": finding.description,
                "location": {"path": path, "range": {"start": {"line": finding.line}}},
                "severity": "WARNING",
                "code": {"value": finding.codemod_id},
            }
            if edit is not None and first:
                diagnostic["suggestions"] = [
                    {
                        "range": {
                            "start": _byte_position(edit.start, old_lines),
                            "end": _byte_position(edit.end, old_lines),
                        },
                        "text": edit.inserted,
                    }
                ]
            diagnostics.append(diagnostic)
        if result.error is not None:
            diagnostics.append(
                {
                    "message": result.error.message,
                    "location": {
                        "path": path,
                        "range": {
                            "start": {"line": result.error.line, "column": result.error.column}
                        },
                    },
                    "severity": "ERROR",
                }
            )
    report = {"source": {"name": TOOL_NAME, "url": TOOL_URI}, "diagnostics": diagnostics}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _byte_position(position: Position, old_lines: list[str]) -> dict[str, int]:
    """Turn a code-point column into reviewdog's 1-based UTF-8 byte column."""
    if position.line > len(old_lines):
        return {"line": position.line, "column": 1}
    prefix = old_lines[position.line - 1][: position.column - 1]
    return {"line": position.line, "column": len(prefix.encode("utf-8")) + 1}


def render_report(name: str, results: Sequence[FileResult], root: Path | None = None) -> str:
    """Render ``results`` in the format ``name``; SARIF's URIs relative to ``root``."""
    if name == "sarif":
        return render_sarif(results, root)
    return RENDERERS[name](results)


RENDERERS: dict[str, Callable[[Sequence[FileResult]], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "rdjson": render_rdjson,
}
"""The machine-readable formats by name (``text`` is the CLI's own output)."""
