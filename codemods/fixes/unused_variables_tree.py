"""The LibCST half of ``unused-variables``: edit the findings' statements in the file's tree.

Imported only when a file's findings need a tree (LibCST takes a tenth of a second to import
and ten ``ast`` parses to parse); :meth:`UnusedVariables.fix_text` writes the common shapes as
text edits instead, and the planning is :mod:`codemods.fixes.unused_variables`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import libcst as cst

from codemods.blockedit import REMOVE, BlockEdits, SmallEdit, shifted
from codemods.finding import Finding
from codemods.locate import statement_paths
from codemods.source import SourceFile

if TYPE_CHECKING:
    from codemods.fixes.unused_variables import Removal


def remove_bindings(
    module: cst.Module, source: SourceFile, findings: Sequence[Finding]
) -> cst.Module:
    """Return ``module`` (the tree of ``source``) with the findings' statements edited."""
    paths = statement_paths(module, source.tree)
    edits = BlockEdits()
    for finding in findings:
        removal: Removal = finding.data
        path = paths[removal.statement]
        if removal.kind == "with":
            for position in removal.positions:
                edits.edit_node((*path, ("items", position)), _without_asname)
        elif removal.kind == "except":
            for position in removal.positions:
                edits.edit_node((*path, ("handlers", position)), _without_name)
        else:
            edits.edit_small(path, _small_edit(removal))
    return edits.apply(module)


def _without_asname(item: cst.WithItem) -> cst.WithItem:
    return item.with_changes(asname=None)


def _without_name(handler: cst.ExceptHandler) -> cst.ExceptHandler:
    return handler.with_changes(name=None)


def _small_edit(finding: Removal) -> SmallEdit:
    if finding.action == "drop":
        return REMOVE
    if finding.action == "drop-targets":
        positions = set(finding.positions)

        def drop_targets(assign: Any) -> cst.BaseSmallStatement:
            targets = [t for i, t in enumerate(assign.targets) if i not in positions]
            value = shifted(assign.value, finding.shift)
            return assign.with_changes(targets=targets, value=value)

        return drop_targets

    def keep_value(assign: Any) -> cst.BaseSmallStatement:
        return cst.Expr(value=shifted(assign.value, finding.shift), semicolon=assign.semicolon)

    return keep_value
