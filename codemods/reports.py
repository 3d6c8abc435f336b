"""Reading other tools' findings: SARIF, ruff's and pylint's reports, text, rdjson, reviews.

Every format becomes a list of :class:`Claim` -- a path, a line range, a rule id (or a
review's kind), the names it is about and the reporter's text. The format is recognised from
the content's shape, strictly: a report is read only when the whole of it fits one format.

JSON:

* SARIF 2.1.0 (ruff, pylint, Semgrep, CodeQL, this tool's ``--format sarif``...):
  ``runs[].results[]`` with ``ruleId``, ``message.text`` and a physical location; a relative
  URI is resolved against its ``uriBaseId`` (``%SRCROOT%`` and the like, from
  ``originalUriBaseIds``) or the root;
* ruff's JSON (``--output-format json``): a list of objects with ``code``, ``filename``,
  ``location`` and ``message``;
* pylint's JSON (``--output-format json``: a list of objects with ``message-id``, ``line``
  and ``message``; ``json2``: ``{"messages": [...], "statistics": {...}}``);
* reviewdog's rdjson (ruff's ``--output-format rdjson``, this tool's ``--format rdjson``):
  ``diagnostics[]`` with ``location.path`` and ``code.value``;
* this tool's ``--format json``: the ``changes`` and ``skips`` of a run (its ``errors`` are
  not findings, nor are the code-less error diagnostics of its rdjson);
* the review format of this project (``docs/review-findings.schema.json``): ``findings[]``
  with ``path``, optional ``line``/``end_line`` (absent: the whole file), ``kind``, optional
  ``names`` and the reviewer's ``text``.

Text, one finding per line (blank lines and the tool's own summary lines aside):

* ``path:line:col: CODE message`` -- flake8, pycodestyle, ruff's ``concise`` (whose syntax
  errors are ``path:line:col: invalid-syntax: message``);
* ``path:line: [CODE(symbol), object] message`` -- pylint's ``parseable``; ruff's and
  flake8's ``pylint`` format is ``path:line: [CODE] message``;
* ``path:line:col: CODE: message (symbol)`` -- pylint's default ``text``;
* ``::error title=ruff (CODE),file=...,line=...::message`` -- GitHub workflow commands,
  ruff's ``--output-format github`` (and this tool's ``--format github``, titled
  ``codemods <id>``).

Anything else -- ruff's default ``full`` output, ``grouped``, ``json-lines``, a ``::error``
line without a file, a line and a rule, prose -- is a :class:`ReportError` with a one-line
message that lists the formats read and, for another format of ruff or pylint, the
``--output-format`` to ask for.
"""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from codemods.inputs import InputError, parse_json

WHOLE_FILE = 0
"""``end_line`` of a claim about a whole file (and its ``line`` is 1)."""

ACCEPTED = (
    "SARIF; ruff's json, sarif, concise, github, rdjson or pylint; pylint's json, json2, "
    "parseable or text; flake8 or pycodestyle text; this tool's json, sarif, rdjson or github; "
    "a review (docs/review-findings.schema.json)"
)
"""The formats :func:`read_report` reads, as every refusal lists them."""
_USE_INSTEAD = {
    "ruff": "run ruff check with --output-format json (or sarif, concise, github, rdjson)",
    "pylint": "run pylint with --output-format=json (or json2, parseable, text)",
}
"""What to ask a tool for when one of its other outputs is given."""

_PATH = r"(?P<path>(?:[A-Za-z]:)?[^\s:][^:]*?)"
"""A file name in a text report: no colon (a drive letter aside), not starting with a space."""
_CONCISE = re.compile(
    rf"^{_PATH}:(?P<line>\d+):(?P<column>\d+): "
    r"(?:(?P<code>[A-Z]+[0-9]+) (?:\[\*\] )?|(?P<kind>[a-z]+(?:-[a-z]+)*|SyntaxError): )"
    r"(?P<message>.*)$"
)
"""flake8, pycodestyle and ruff's ``concise`` (``[*]``: ruff can fix it)."""
_PARSEABLE = re.compile(
    rf"^{_PATH}:(?P<line>\d+): "
    r"\[(?P<code>[A-Z]+[0-9]+|[a-z]+(?:-[a-z]+)*)(?:\((?P<symbol>[\w-]+)\), [^\]]*)?\] "
    r"(?P<message>.*)$"
)
"""pylint's ``parseable`` (``[C0116(missing-function-docstring), f]``), ruff's ``pylint``."""
_PYLINT_TEXT = re.compile(
    rf"^{_PATH}:(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z][0-9]{{4}}): "
    r"(?P<message>.*) \((?P<symbol>[a-z]+(?:-[a-z]+)*)\)$"
)
"""pylint's default ``text``."""
_GITHUB = re.compile(
    r"^::(?P<command>error|warning|notice)(?: (?P<properties>.*?))?::(?P<message>.*)$"
)
"""A GitHub Actions workflow command that makes an annotation."""
_RUFF_SUMMARY = re.compile(
    r"^(All checks passed!|Found \d+ errors?\b.*|\[\*\] \d+ fixable with .*"
    r"|\d+ (hidden |unsafe )?fix(es)? (is |are )?available.*|No fixes available.*|\d+)$"
)
"""ruff's summary lines (and flake8's ``--count``): no finding."""
_PYLINT_HEADER = re.compile(r"^(\*{13} Module .*|-{3,}|Your code has been rated at .*)$")
"""pylint's module headers and score: no finding."""
_QUOTED_NAME = re.compile(r"[`'\"]([A-Za-z_]\w*)[`'\"]")
_GITHUB_PROPERTIES = frozenset({"file", "line", "endLine", "col", "endColumn", "title"})
_GITHUB_TITLE = re.compile(
    r"^(?P<tool>[\w.-]+) \((?P<code>[^()\s]+)\)$|^codemods(?: (?P<id>\S+))?$"
)
"""``ruff (F841)`` (any ``tool (CODE)``), or this tool's ``codemods <id>`` (no id: an error)."""


class ReportError(Exception):
    """The report cannot be read; the message says why in one line."""


@dataclasses.dataclass(frozen=True)
class Claim:
    """One finding another tool or a reviewer reports."""

    path: str
    """The file as the report names it, resolved against the report's base when it has one."""
    line: int
    end_line: int
    """Last line of the region (:data:`WHOLE_FILE`: the claim is about the whole file)."""
    rule: str
    """The rule id (``F841``, ``W0612``) or the review's kind (``unused-variable``)."""
    message: str
    names: tuple[str, ...] = ()
    """The names the claim is about (``flavors``), when it says."""
    tool: str = ""

    @property
    def whole_file(self) -> bool:
        """Tell whether the claim is about the whole file rather than some lines."""
        return self.end_line == WHOLE_FILE

    @property
    def where(self) -> str:
        """Return ``path:line`` or ``path:first-last`` (``path`` for a whole-file claim)."""
        if self.whole_file:
            return self.path
        if self.end_line > self.line:
            return f"{self.path}:{self.line}-{self.end_line}"
        return f"{self.path}:{self.line}"


def read_report(data: bytes, name: str) -> list[Claim]:
    """Read the claims of one report (any supported format); ``name`` is for messages.

    A report that fits no format read here, or only in part, is a :class:`ReportError`.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportError(f"{name}: not UTF-8 text (byte {error.start})") from None
    if text.lstrip().startswith(("{", "[")):
        return _from_json_text(text, name)
    return _from_text(text, name)


def _refused(where: str, why: str, other_output: tuple[str, str] | None = None) -> ReportError:
    """Return the one-line error for a report of no format read here.

    ``other_output`` is ``(tool, format)`` when the report is another output of a tool whose
    reports are read (ruff's ``full``): the message says which ``--output-format`` to use.
    """
    if other_output is not None:
        tool, output = other_output
        return ReportError(
            f"{where}: {tool}'s {output!r} output is not a report this tool reads: "
            f"{_USE_INSTEAD[tool]}; it reads {ACCEPTED}"
        )
    return ReportError(f"{where}: not a report this tool reads ({why}); it reads {ACCEPTED}")


def _from_json_text(text: str, name: str) -> list[Claim]:
    try:
        document = parse_json(text)
    except InputError as error:
        raise ReportError(f"{name}: {error}") from None
    except json.JSONDecodeError as error:
        if _json_lines(text):
            raise _refused(name, "", ("ruff", "json-lines")) from None
        raise ReportError(
            f"{name}:{error.lineno}: not valid JSON: {error.msg}; it reads {ACCEPTED}"
        ) from None
    reader = _json_reader(document)
    if reader is None:
        raise _refused(name, _json_shape(document), _json_other_output(document))
    try:
        return [_checked(claim) for claim in reader(document)]
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise ReportError(f"{name}: not a report this tool reads ({error!r})") from None


def _json_lines(text: str) -> bool:
    """Tell whether ``text`` is one JSON object per line (ruff's ``json-lines``)."""
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        return len(lines) > 1 and all(isinstance(parse_json(line), dict) for line in lines)
    except (json.JSONDecodeError, InputError):
        return False


_SARIF_KEYS = frozenset({"$schema", "version", "runs", "inlineExternalProperties", "properties"})
_RDJSON_KEYS = frozenset({"source", "severity", "diagnostics"})
_REVIEW_KEYS = frozenset({"$schema", "version", "reviewer", "findings"})
_REVIEW_FINDING_KEYS = frozenset({"path", "line", "end_line", "kind", "names", "text"})
_OWN_JSON_KEYS = frozenset({"tool", "summary", "changes", "skips", "errors"})
_RUFF_KEYS = frozenset({"code", "filename", "location", "message"})
_PYLINT_KEYS = frozenset({"message-id", "line", "message"})
_PYLINT2_KEYS = frozenset({"messageId", "line", "message"})


def _json_reader(document: Any) -> Callable[[Any], Iterator[Claim]] | None:
    """Return the reader of the one JSON format ``document`` fits (``None``: none)."""
    if isinstance(document, dict):
        keys = set(document)
        if "runs" in keys and keys <= _SARIF_KEYS and _list_of_dicts(document["runs"]):
            if document.get("version", "2.1.0") == "2.1.0":
                return _from_sarif
        if "diagnostics" in keys and keys <= _RDJSON_KEYS:
            if _list_of_dicts(document["diagnostics"]):
                return _from_rdjson
        if "findings" in keys and keys <= _REVIEW_KEYS and document.get("version", 1) == 1:
            findings = document["findings"]
            if _list_of_dicts(findings) and all(set(f) <= _REVIEW_FINDING_KEYS for f in findings):
                return _from_review
        if _is_own_json(document):
            return _from_own_json
        if keys <= {"messages", "statistics"} and _list_of_dicts(document.get("messages")):
            if all(_PYLINT2_KEYS <= set(item) for item in document["messages"]):
                return lambda report: map(_from_pylint, report["messages"])
    elif _list_of_dicts(document):
        if all(_RUFF_KEYS <= set(item) for item in document):
            return lambda report: map(_from_ruff, report)
        if all(_PYLINT_KEYS <= set(item) for item in document):
            return lambda report: map(_from_pylint, report)
    return None


def _list_of_dicts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_own_json(document: Mapping[str, Any]) -> bool:
    """Tell whether ``document`` is this tool's ``--format json`` report of a run."""
    tool = document.get("tool")
    return (
        isinstance(tool, dict)
        and tool.get("name") == "codemods"
        and "changes" in document
        and set(document) <= _OWN_JSON_KEYS
        and all(_list_of_dicts(document.get(key, [])) for key in ("changes", "skips"))
    )


def _json_shape(document: Any) -> str:
    """Describe a JSON document no reader fits, for the refusal."""
    if isinstance(document, dict):
        tool = document.get("tool")
        if isinstance(tool, dict) and tool.get("name") == "codemods" and "verdicts" in document:
            return "the verdicts of 'codemods triage', not findings"
        return f"a JSON object with the keys {sorted(document)[:6]}"
    if isinstance(document, list):  # not empty: [] is a report without findings
        first = document[0]
        entry = f"keys {sorted(first)[:6]}" if isinstance(first, dict) else type(first).__name__
        return f"a JSON list, not all ruff's or all pylint's findings (the first: {entry})"
    return f"a JSON {type(document).__name__}"


def _json_other_output(document: Any) -> tuple[str, str] | None:
    """Return ``("ruff", "gitlab")`` for ruff's GitLab report (not read), else ``None``."""
    if _list_of_dicts(document) and document and all("check_name" in item for item in document):
        return "ruff", "gitlab"
    return None


def _checked(claim: Claim) -> Claim:
    """Refuse a claim with no path, no rule, or lines that are not 1-based and in order."""
    if not isinstance(claim.path, str) or not claim.path:
        raise ValueError(f"a finding with the path {claim.path!r}")
    if "\0" in claim.path:
        raise ValueError(f"a finding whose path has a NUL byte: {claim.path!r}")
    if not isinstance(claim.rule, str) or not claim.rule:
        raise ValueError(f"a finding at {claim.path} with the rule {claim.rule!r}")
    if claim.line < 1 or not (claim.whole_file or claim.end_line >= claim.line):
        raise ValueError(f"a finding at {claim.path} with lines {claim.line}-{claim.end_line}")
    return claim


def _from_sarif(document: Mapping[str, Any]) -> Iterator[Claim]:
    for run in document["runs"]:
        bases = {
            key: value.get("uri", "")
            for key, value in (run.get("originalUriBaseIds") or {}).items()
        }
        tool = run.get("tool", {}).get("driver", {}).get("name", "sarif")
        rules = run.get("tool", {}).get("driver", {}).get("rules") or []
        for result in run.get("results") or []:
            rule = result.get("ruleId") or _rule_at(rules, result.get("ruleIndex"))
            message = result.get("message", {}).get("text", "")
            for location in result.get("locations") or [{}]:
                physical = location.get("physicalLocation") or {}
                artifact = physical.get("artifactLocation") or {}
                region = physical.get("region") or {}
                path = _sarif_path(artifact.get("uri", ""), artifact.get("uriBaseId"), bases)
                line = int(region.get("startLine", 1))
                end_line = int(region.get("endLine", line)) if region else WHOLE_FILE
                yield Claim(path, line, end_line, str(rule), message, _names(message), tool)


def _rule_at(rules: list[Mapping[str, Any]], index: Any) -> str:
    if isinstance(index, int) and 0 <= index < len(rules):
        return str(rules[index].get("id", ""))
    return ""


def _sarif_path(uri: str, base_id: str | None, bases: Mapping[str, str]) -> str:
    """Turn a SARIF artifact URI into a path (relative ones joined to their base's URI).

    A base with a scheme (``file:///src/``) is joined as a URL. A relative base
    (``../``, ``sub/dir/``) is joined as a path, keeping its ``..`` (``urljoin`` would drop
    the ones that climb above the relative base's start), so the path stays relative to the
    report's root. A base is a directory, with or without its trailing slash.
    """
    if base_id and base_id in bases and bases[base_id] and not _absolute_uri(uri):
        base = bases[base_id]
        if urllib.parse.urlparse(base).scheme:
            uri = urllib.parse.urljoin(base if base.endswith("/") else base + "/", uri)
        else:
            uri = posixpath.join(base, uri)
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise ValueError(f"a file URI on another host: {uri!r}")
        return os.fsdecode(urllib.parse.unquote_to_bytes(parsed.path))
    if parsed.scheme:
        raise ValueError(f"an artifact URI that is not a file: {uri!r}")
    return os.fsdecode(urllib.parse.unquote_to_bytes(uri))


def _from_ruff(item: Mapping[str, Any]) -> Claim:
    start = item["location"]["row"]
    end = (item.get("end_location") or {}).get("row", start)
    message = item.get("message", "")
    return Claim(
        item["filename"],
        start,
        end,
        item["code"] or "syntax-error",  # ruff gives a syntax error no code
        message,
        _names(message),
        "ruff",
    )


def _from_pylint(item: Mapping[str, Any]) -> Claim:
    rule = item.get("message-id") or item["messageId"]
    line = int(item.get("line") or 1)
    end_line = int(item.get("endLine") or line)
    message = item.get("message", "")
    path = item.get("path") or item["module"]
    return Claim(path, line, end_line, rule, message, _names(message), "pylint")


def _from_rdjson(document: Mapping[str, Any]) -> Iterator[Claim]:
    tool = (document.get("source") or {}).get("name", "rdjson")
    for diagnostic in document["diagnostics"]:
        location = diagnostic["location"]
        span = location.get("range") or {}
        line = int((span.get("start") or {}).get("line", 1))
        end_line = int((span.get("end") or {}).get("line", line))
        message = diagnostic.get("message", "")
        rule = (diagnostic.get("code") or {}).get("value", "")
        if not rule and tool == "codemods":
            continue  # this tool's error diagnostic: a file it could not read, not a finding
        path = _own_path(location["path"]) if tool == "codemods" else location["path"]
        yield Claim(path, line, end_line, rule, message, _names(message), tool)


def _from_own_json(document: Mapping[str, Any]) -> Iterator[Claim]:
    """Read this tool's ``--format json``: each change and skip is a finding (by codemod id)."""
    for key in ("changes", "skips"):
        for item in document.get(key, []):
            line = int(item["line"])
            end_line = int(item.get("end_line") or line)
            message = item["message"]
            rule = item.get("codemod") or item["rule"]
            path = _own_path(item["file"])
            yield Claim(path, line, end_line, rule, message, _names(message), "codemods")


_ESCAPED_BYTE = re.compile(rb"\\x([0-9a-f]{2})")


def _own_path(path: str) -> str:
    """Return the file this tool's json, rdjson or github report names.

    They write a byte of a file name that is not UTF-8 as ``\\xNN``
    (:func:`codemods.formats.report_path`); it is read back as that byte.
    """
    if not isinstance(path, str) or "\\x" not in path:
        return path
    data = _ESCAPED_BYTE.sub(lambda match: bytes([int(match[1], 16)]), path.encode("utf-8"))
    return os.fsdecode(data)


def _from_review(document: Mapping[str, Any]) -> Iterator[Claim]:
    reviewer = document.get("reviewer") or "review"
    for item in document["findings"]:
        line = item.get("line")
        if line is None:
            start, end = 1, WHOLE_FILE
        else:
            start = int(line)
            end = int(item.get("end_line", start))
            if start < 1 or end < start:
                raise ValueError(f"a finding with lines {start}-{end}")
        names = tuple(str(name) for name in item.get("names") or ())
        yield Claim(item["path"], start, end, item["kind"], item.get("text", ""), names, reviewer)


class _NoFit(Exception):
    """The line is not one of the text format's lines."""


def _line_claim(match: re.Match[str], rule: str, tool: str) -> Claim:
    line = int(match["line"])
    message = match["message"]
    return Claim(match["path"], line, line, rule, message, _names(message), tool)


def _concise_line(line: str) -> Claim | None:
    """Read ``path:line:col: CODE message`` (flake8, pycodestyle, ruff's ``concise``)."""
    match = _CONCISE.match(line)
    if match is None:
        if _RUFF_SUMMARY.match(line):
            return None
        raise _NoFit
    kind = match["kind"]
    return _line_claim(
        match, match["code"] or ("syntax-error" if kind == "SyntaxError" else kind), ""
    )


def _parseable_line(line: str) -> Claim | None:
    """Read ``path:line: [CODE(symbol), object] message`` (pylint), ``[CODE]`` (ruff)."""
    match = _PARSEABLE.match(line)
    if match is None:
        if _PYLINT_HEADER.match(line):
            return None
        raise _NoFit
    return _line_claim(match, match["code"], "pylint" if match["symbol"] else "")


def _pylint_text_line(line: str) -> Claim | None:
    """Read ``path:line:col: CODE: message (symbol)`` (pylint's default output)."""
    match = _PYLINT_TEXT.match(line)
    if match is None:
        if _PYLINT_HEADER.match(line):
            return None
        raise _NoFit
    return _line_claim(match, match["code"], "pylint")


_GITHUB_ESCAPES = {"%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ",", "%25": "%"}
_DIGITS = re.compile(r"[0-9]+")


def _github_line(line: str) -> Claim | None:
    """Read a GitHub annotation with a file, a line and a rule in its title.

    ruff's title is ``ruff (F841)`` and its message repeats ``path:line:col: F841 ``, then a
    ``help:`` line; this tool's title is ``codemods <id>`` (``codemods`` alone: an error of
    the run, no finding).
    """
    match = _GITHUB.match(line)
    if match is None:
        raise _NoFit
    properties: dict[str, str] = {}
    for item in (match["properties"] or "").split(","):
        key, equals, value = item.partition("=")
        if not equals or key not in _GITHUB_PROPERTIES or key in properties:
            raise _NoFit
        properties[key] = _github_unescaped(value)
    title = _GITHUB_TITLE.match(properties.get("title", ""))
    first = properties.get("line", "")
    last = properties.get("endLine", first)
    if title is None or not properties.get("file") or not _DIGITS.fullmatch(first):
        raise _NoFit
    if not _DIGITS.fullmatch(last):
        raise _NoFit
    if title["tool"] is None and title["id"] is None:
        return None
    rule = title["code"] or title["id"]
    message = _github_unescaped(match["message"]).split("\n", 1)[0]
    repeated = _CONCISE.match(message)
    if repeated is not None and (repeated["code"] or repeated["kind"]) == rule:
        message = repeated["message"]
    tool = title["tool"] or "codemods"
    path = _own_path(properties["file"]) if tool == "codemods" else properties["file"]
    return Claim(path, int(first), int(last), rule, message, _names(message), tool)


def _github_unescaped(text: str) -> str:
    return re.sub("%(0D|0A|3A|2C|25)", lambda escape: _GITHUB_ESCAPES[escape[0]], text)


_TEXT_FORMATS: tuple[tuple[str, Callable[[str], Claim | None]], ...] = (
    ("a GitHub annotation with a file, a line and a rule ('title=ruff (F841)')", _github_line),
    ("'path:line:col: CODE message' (flake8, pycodestyle, ruff's concise)", _concise_line),
    ("'path:line: [CODE(symbol), object] message' (pylint's parseable)", _parseable_line),
    ("'path:line:col: CODE: message (symbol)' (pylint's text)", _pylint_text_line),
)
"""The text formats: what their lines look like, and the reader of one line."""


def _from_text(text: str, name: str) -> list[Claim]:
    """Read a text report: every line that is not blank must fit one and the same format."""
    lines = text.splitlines()
    read_so_far: list[tuple[str, Callable[[str], Claim | None], list[tuple[int, Claim]]]] = [
        (describe, read, []) for describe, read in _TEXT_FORMATS
    ]
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line:
            continue
        fitting = []
        for describe, read, claims in read_so_far:
            try:
                claim = read(line)
            except _NoFit:
                continue
            if claim is not None:
                claims.append((number, claim))
            fitting.append((describe, read, claims))
        if not fitting:
            expected = read_so_far[0][0] if len(read_so_far) == 1 else "a finding line"
            why = f"{line[:60]!r} is not {expected}"
            raise _refused(f"{name}:{number}", why, _text_other_output(lines))
        read_so_far = fitting
    for number, claim in read_so_far[0][2]:
        if claim.line < 1:
            raise ReportError(f"{name}:{number}: line {claim.line} of {claim.path} is not a line")
        if "\0" in claim.path:
            raise ReportError(f"{name}:{number}: the path {claim.path!r} has a NUL byte")
    return [claim for _, claim in read_so_far[0][2]]


_RUFF_ARROW = re.compile(r"^\s*--> \S.*:\d+:\d+$")
_CODE_FRAME = re.compile(r"^\s*\d+ \|")
_RUFF_GROUPED = re.compile(r"^\s+\d+:\d+ (?:[A-Z]+[0-9]+|[a-z]+(?:-[a-z]+)*:) ")
_PYLINT_MSVS = re.compile(r"^\S.*\(\d+\): \[[A-Z][0-9]{4}\(")


def _text_other_output(lines: list[str]) -> tuple[str, str] | None:
    """Return ``(tool, format)`` when the text is another output of ruff or pylint."""
    if any(_RUFF_ARROW.match(line) for line in lines) or (
        any(_CODE_FRAME.match(line) for line in lines)
        and any(_CONCISE.match(line) for line in lines)
    ):
        return "ruff", "full"
    if any(_RUFF_GROUPED.match(line) for line in lines):
        return "ruff", "grouped"
    if any(line.startswith("##vso[task.logissue") for line in lines):
        return "ruff", "azure"
    if lines and lines[0].startswith("<?xml") and any("ruff" in line for line in lines):
        return "ruff", "junit"
    if any(_PYLINT_MSVS.match(line) for line in lines):
        return "pylint", "msvs"
    if any("\x1b[" in line and "Module" in line for line in lines):
        return "pylint", "colorized"
    return None


def _absolute_uri(uri: str) -> bool:
    """Tell whether ``uri`` needs no base: it has a scheme, or is an absolute path."""
    return bool(urllib.parse.urlparse(uri).scheme) or uri.startswith("/")


def _names(message: str) -> tuple[str, ...]:
    """Return the names a message quotes (``Local variable `x` is...``, ``Unused variable 'x'``)."""
    return tuple(dict.fromkeys(_QUOTED_NAME.findall(message)))


def resolve(claim: Claim, root: Path) -> Path:
    """Return the claim's file as an absolute path (a relative one is under ``root``)."""
    path = Path(claim.path)
    return path if path.is_absolute() else root / path
