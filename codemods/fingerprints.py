"""Stable fingerprints of findings, and the scope each finding sits in.

A fingerprint is a digest of the codemod id, the finding's rule, the qualified name of the
innermost class or function around it, the text of its lines with all whitespace
collapsed, and its occurrence index among findings with the same four values. Moving code,
adding or removing unrelated lines and re-indenting keep it; editing the finding's own
lines, renaming its scope or moving it to another scope change it.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import hashlib
from collections.abc import Iterable, Sequence

from codemods.finding import Finding
from codemods.source import SourceFile


def with_fingerprints(findings: Sequence[Finding], source: SourceFile) -> list[Finding]:
    """Return ``findings`` (lines of ``source``) with their ``scope`` and ``fingerprint``."""
    scopes = _Scopes(source.tree)
    seen: dict[tuple[str, ...], int] = {}
    completed = []
    for finding in findings:
        scope = scopes.around(finding.line)
        anchor = finding.anchor
        if anchor is None:
            anchor = "".join(source.lines[finding.line - 1 : finding.last_line])
        identity = (finding.codemod_id, finding.rule, scope, " ".join(anchor.split()))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        digest = hashlib.sha256("\0".join((*identity, str(occurrence))).encode("utf-8"))
        completed.append(
            dataclasses.replace(finding, scope=scope, fingerprint=digest.hexdigest()[:20])
        )
    return completed


class _Scopes:
    """The classes and functions of a module by line, to name the one around a line."""

    def __init__(self, tree: ast.Module) -> None:
        self.spans: list[tuple[int, int, str]] = sorted(_definitions(tree.body, ""))
        self.starts = [start for start, _, _ in self.spans]
        self.parents: list[int] = []
        """The index of the span around each span (-1 for none)."""
        enclosing: list[int] = []
        for start, _, _ in self.spans:
            while enclosing and self.spans[enclosing[-1]][1] < start:
                enclosing.pop()
            self.parents.append(enclosing[-1] if enclosing else -1)
            enclosing.append(len(self.parents) - 1)

    def around(self, line: int) -> str:
        """Return the qualified name of the innermost definition holding ``line``."""
        index = bisect.bisect_right(self.starts, line) - 1
        while index >= 0 and self.spans[index][1] < line:
            index = self.parents[index]  # it ended above: the one around it may hold the line
        return self.spans[index][2] if index >= 0 else ""


def _definitions(body: Iterable[ast.stmt], prefix: str) -> Iterable[tuple[int, int, str]]:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            yield first, node.end_lineno or node.lineno, name
            yield from _definitions(node.body, name + ".")
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()) or ():
                    if isinstance(child, ast.stmt):
                        yield from _definitions([child], prefix)
                    else:  # an except handler or a match case
                        yield from _definitions(child.body, prefix)
