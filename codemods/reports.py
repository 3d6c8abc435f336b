"""Reading other tools' findings: SARIF, ruff's and pylint's JSON, parseable text, rdjson, reviews.

Every format becomes a list of :class:`Claim` -- a path, a line range, a rule id (or a
review's kind), the names it is about and the reporter's text. The format is recognised from
the content:

* SARIF 2.1.0 (ruff, pylint, Semgrep, CodeQL...): ``runs[].results[]`` with ``ruleId``,
  ``message.text`` and a physical location; a relative URI is resolved against its
  ``uriBaseId`` (``%SRCROOT%`` and the like, from ``originalUriBaseIds``) or the root;
* ruff's JSON (``--output-format json``): objects with ``code``, ``filename``, ``location``;
* pylint's JSON (``--output-format json``): objects with ``message-id``, ``path``, ``line``;
* reviewdog's rdjson: ``diagnostics[]`` with ``location.path`` and ``code.value``;
* the review format of this project (``docs/review-findings.schema.json``): ``findings[]``
  with ``path``, optional ``line``/``end_line`` (absent: the whole file), ``kind``, optional
  ``names`` and the reviewer's ``text``;
* parseable text, one finding per line: ``path:line:col: CODE message`` (flake8,
  pycodestyle, ruff's ``concise``), ``path:line: [CODE...] message`` (pylint's
  ``parseable``).

Anything else is a :class:`ReportError` with a one-line message.
"""

from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

WHOLE_FILE = 0
"""``end_line`` of a claim about a whole file (and its ``line`` is 1)."""

_TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?:(?P<column>\d+):?)?\s+(?P<rest>.*)$")
_CODE_FIRST = re.compile(r"^\[?(?P<code>[A-Z]+\d+)(?:\([\w-]+\))?(?:,[^\]]*)?\]?:?\s*(?P<msg>.*)$")
_QUOTED_NAME = re.compile(r"[`'\"]([A-Za-z_]\w*)[`'\"]")
_SUMMARY_LINE = re.compile(
    r"^(All checks passed!|Found \d+ errors?|\[\*\] \d+ fix|\d+ (hidden |unsafe )?fix"
    r"|No fixes available|Your code has been rated|-{3,}|\*{5,} Module )"
)
"""Lines of ruff's and pylint's text output that report no finding (summaries, headers)."""


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
    """Read the claims of one report (any supported format); ``name`` is for messages."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportError(f"{name}: not UTF-8 text (byte {error.start})") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ReportError(f"{name}:{error.lineno}: not valid JSON: {error.msg}") from None
        try:
            return [_checked(claim) for claim in _from_json(document, name)]
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise ReportError(f"{name}: not a report this tool reads ({error!r})") from None
    return list(_from_text(text, name))


def _checked(claim: Claim) -> Claim:
    """Refuse a claim with no path, no rule, or lines that are not 1-based and in order."""
    if not isinstance(claim.path, str) or not claim.path:
        raise ValueError(f"a finding with the path {claim.path!r}")
    if not isinstance(claim.rule, str) or not claim.rule:
        raise ValueError(f"a finding at {claim.path} with the rule {claim.rule!r}")
    if claim.line < 1 or not (claim.whole_file or claim.end_line >= claim.line):
        raise ValueError(f"a finding at {claim.path} with lines {claim.line}-{claim.end_line}")
    return claim


def _from_json(document: Any, name: str) -> Iterator[Claim]:
    if isinstance(document, dict) and "runs" in document:
        yield from _from_sarif(document)
    elif isinstance(document, dict) and "diagnostics" in document:
        yield from _from_rdjson(document)
    elif isinstance(document, dict) and "findings" in document:
        yield from _from_review(document)
    elif isinstance(document, list) and all(isinstance(item, dict) for item in document):
        for item in document:
            if "code" in item and "filename" in item:
                yield _from_ruff(item)
            elif "message-id" in item or "messageId" in item:
                yield _from_pylint(item)
            else:
                raise ValueError(f"an entry with keys {sorted(item)[:6]}")
    else:
        raise ReportError(f"{name}: not SARIF, ruff or pylint JSON, rdjson or a review")


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
    """Turn a SARIF artifact URI into a path (relative ones joined to their base's URI)."""
    if base_id and base_id in bases and bases[base_id]:
        uri = urllib.parse.urljoin(bases[base_id], uri)
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise ValueError(f"a file URI on another host: {uri!r}")
        return urllib.parse.unquote(parsed.path)
    if parsed.scheme:
        raise ValueError(f"an artifact URI that is not a file: {uri!r}")
    return urllib.parse.unquote(uri)


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
        yield Claim(location["path"], line, end_line, rule, message, _names(message), tool)


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


def _from_text(text: str, name: str) -> Iterator[Claim]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _SUMMARY_LINE.match(line):
            continue  # ruff's and pylint's summaries and module headers
        match = _TEXT_LINE.match(line)
        coded = _CODE_FIRST.match(match["rest"]) if match else None
        if match is None or coded is None:
            raise ReportError(
                f"{name}:{number}: expected 'path:line:col: CODE message', got {line[:60]!r}"
            )
        message = coded["msg"]
        line_number = int(match["line"])
        if line_number < 1:
            raise ReportError(
                f"{name}:{number}: line {line_number} of {match['path']} is not a line"
            )
        yield Claim(
            match["path"], line_number, line_number, coded["code"], message, _names(message)
        )


def _names(message: str) -> tuple[str, ...]:
    """Return the names a message quotes (``Local variable `x` is...``, ``Unused variable 'x'``)."""
    return tuple(dict.fromkeys(_QUOTED_NAME.findall(message)))


def resolve(claim: Claim, root: Path) -> Path:
    """Return the claim's file as an absolute path (a relative one is under ``root``)."""
    path = Path(claim.path)
    return path if path.is_absolute() else root / path
