"""A tiny third-party codemod: ``print(...)`` statements become ``log(...)`` calls.

The tests install this module as a real distribution (with pip) to check that codemods
registered through the ``codemods.fixes`` entry-point group are found, listed and run. The
engine's unit tests use it directly as "a codemod defined in the tests".
"""

from __future__ import annotations

import ast
import dataclasses

import libcst as cst

from codemods.fixes.base import Change, Codemod, FixSafety, Options, Plan, Skip
from codemods.locate import node_at, replace_many, statement_paths
from codemods.source import SourceFile


@dataclasses.dataclass(frozen=True)
class PrintToLogOptions(Options):
    """Options of ``print-to-log``."""

    function: str = "log"
    """The name that replaces ``print``."""


class PrintToLog(Codemod[PrintToLogOptions]):
    """Replace ``print(...)`` statements with calls to a logging function.

    What it does: rewrites the callee of a ``print(...)`` expression statement.
    Why is this bad? Prints in library code bypass logging configuration.
    Example: ``print(x)`` becomes ``log(x)``.
    Fix safety: safe for this test's purposes.
    """

    id = "print-to-log"
    summary = "Replace print(...) statements with log(...)."
    safety = FixSafety.SAFE
    options_type = PrintToLogOptions

    def plan(self, source: SourceFile) -> Plan:
        """Find ``print(...)`` expression statements that no skip comment covers."""
        work: list[ast.stmt] = []
        skips: list[Skip] = []
        for node in ast.walk(source.tree):
            if not (
                isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "print"
            ):
                continue
            if source.is_suppressed(self.id, node):
                skips.append(Skip(self.id, node.lineno, "suppressed by a skip comment"))
            else:
                work.append(node)
        return Plan(work=work, skips=tuple(skips))

    def rewrite(
        self, module: cst.Module, source: SourceFile, plan: Plan
    ) -> tuple[cst.Module, list[Change]]:
        """Rename the callee of each planned statement."""
        paths = statement_paths(module, source.tree)
        edits = []
        for node in plan.work:
            path = (*paths[node], ("value", None), ("func", None))
            edits.append((path, cst.parse_expression(self.options.function)))
            assert isinstance(node_at(module, path), cst.Name), "the callee is the print name"
        changes = [
            Change(self.id, node.lineno, f"print -> {self.options.function}") for node in plan.work
        ]
        return replace_many(module, edits), changes
