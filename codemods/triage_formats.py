"""How ``codemods triage`` prints its verdicts: a table, JSON, SARIF, or a Markdown comment.

The table is for a terminal; JSON for scripts; SARIF puts each claim back where it came from
with the verdict and its reason; Markdown is a comment a bot can post on the pull request.
Paths are written with forward slashes on every OS (:mod:`codemods.paths`); SARIF's URIs are
relative to the directory the report's paths start from (``%SRCROOT%``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from codemods import __version__
from codemods.formats import artifact_location
from codemods.paths import posix_path
from codemods.reports import resolve
from codemods.triage import Triaged, Verdict

_ORDER = (Verdict.FIXED, Verdict.REFUTED, Verdict.NOT_FIXED, Verdict.UNSUPPORTED)


def counts(verdicts: Sequence[Triaged]) -> str:
    """Return ``2 fixed, 3 refuted, 0 not fixed, 0 unsupported``."""
    tally = Counter(triaged.verdict for triaged in verdicts)
    return ", ".join(f"{tally[verdict]} {verdict.value}" for verdict in _ORDER)


def render_table(verdicts: Sequence[Triaged]) -> str:
    """Render one line per claim: where, rule, verdict, reason; then the counts."""
    rows = [(posix_path(t.claim.where), t.claim.rule, t.verdict.value, t.reason) for t in verdicts]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    lines = [
        f"{where:<{widths[0]}}  {rule:<{widths[1]}}  {verdict:<{widths[2]}}  {reason}"
        for where, rule, verdict, reason in rows
    ]
    return "".join(line.rstrip() + "\n" for line in lines) + counts(verdicts) + ".\n"


def render_json(verdicts: Sequence[Triaged]) -> str:
    """Render the verdicts as one JSON object (claims in report order)."""
    report = {
        "tool": {"name": "codemods", "version": __version__},
        "summary": dict(Counter(t.verdict.value for t in verdicts)),
        "verdicts": [
            {
                "path": posix_path(t.claim.path),
                "line": t.claim.line,
                "end_line": None if t.claim.whole_file else t.claim.end_line,
                "rule": t.claim.rule,
                "reported_by": t.claim.tool,
                "message": t.claim.message,
                "names": list(t.claim.names),
                "verdict": t.verdict.value,
                "reason": t.reason,
                "codemod": t.codemod_id,
            }
            for t in verdicts
        ],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def render_sarif(verdicts: Sequence[Triaged], root: Path | None = None) -> str:
    """Render each claim as a SARIF result carrying its verdict and reason.

    ``root`` is where the claims' relative paths start (default: the current directory);
    the URIs are relative to it, as ``%SRCROOT%``.
    """
    root = (root or Path.cwd()).resolve()
    results: list[dict[str, Any]] = []
    for t in verdicts:
        region = {"startLine": t.claim.line}
        if not t.claim.whole_file:
            region["endLine"] = t.claim.end_line
        results.append(
            {
                "ruleId": t.claim.rule,
                "level": "note" if t.verdict is Verdict.REFUTED else "warning",
                "message": {"text": f"{t.verdict.value}: {t.reason}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact_location(
                                str(resolve(t.claim, root)), root
                            ),
                            "region": region,
                        }
                    }
                ],
                "properties": {
                    "verdict": t.verdict.value,
                    "reason": t.reason,
                    "claim": t.claim.message,
                    "codemod": t.codemod_id,
                },
            }
        )
    run = {
        "tool": {"driver": {"name": "codemods triage", "version": __version__}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
        "results": results,
    }
    log = {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json"}
    return json.dumps({**log, "runs": [run]}, indent=2, ensure_ascii=False) + "\n"


def render_markdown(verdicts: Sequence[Triaged]) -> str:
    """Render a comment for the pull request: the counts, then one table row per claim."""
    lines = [
        "### codemods triage",
        "",
        counts(verdicts) + ".",
        "",
        "| where | claim | verdict | why |",
        "| --- | --- | --- | --- |",
    ]
    for t in verdicts:
        claim = f"{t.claim.rule}: {t.claim.message}" if t.claim.message else t.claim.rule
        lines.append(
            f"| {_code_span(posix_path(t.claim.where))} | {_inline(claim)} "
            f"| **{t.verdict.value}** | {_inline(t.reason)} |"
        )
    return "\n".join(lines) + "\n"


def render_triage(name: str, verdicts: Sequence[Triaged], root: Path | None = None) -> str:
    """Render the verdicts in the format ``name``; SARIF's URIs relative to ``root``."""
    if name == "sarif":
        return render_sarif(verdicts, root)
    return TRIAGE_RENDERERS[name](verdicts)


_PLAIN = re.compile(r"[A-Za-z0-9 ,.:;'\"()=+-]*")
"""Text a table cell may show as is: no Markdown, HTML, link, mention or issue reference."""
_AUTOLINK = re.compile(r"www\.", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")


def _inline(text: str) -> str:
    """Return untrusted ``text`` as one table cell's Markdown that renders as inert text.

    Report text (messages, rule ids, reasons quoting names) comes from other tools, reviewers
    or an LLM: it must not become an image, a link, HTML, a mention or an issue reference in a
    comment a bot posts. Text between balanced single backticks is shown as code, as the text
    meant; every other run is shown as is only when it is plain words and punctuation
    (:data:`_PLAIN`), else as a code span, where GitHub renders nothing live.
    """
    text = " ".join(text.split())
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced backticks: the whole text as one code span
        return _code_span(text)
    rendered = []
    for index, part in enumerate(parts):
        if index % 2 or not _PLAIN.fullmatch(part) or _AUTOLINK.search(part):
            rendered.append(_code_span(part) if part.strip() else part)
        else:
            rendered.append(part)
    return "".join(rendered)


def _code_span(text: str) -> str:
    """Return ``text`` as a code span inside a table cell: one line, pipes escaped.

    The fence is one backtick longer than the longest run of backticks in the text, and a
    space pads a text that starts or ends with a backtick (CommonMark strips one each side),
    so the text cannot close the span early.
    """
    text = " ".join(text.split()).replace("|", "\\|")
    runs = [len(run) for run in _BACKTICKS.findall(text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


TRIAGE_RENDERERS: dict[str, Callable[[Sequence[Triaged]], str]] = {
    "table": render_table,
    "json": render_json,
    "sarif": render_sarif,
    "markdown": render_markdown,
}
"""The output formats of ``codemods triage`` by name."""
