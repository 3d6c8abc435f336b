"""The LibCST half of ``resize-guard``: wrap each planned site in its rule's ``try``.

Imported only when a file has a resize guard to write (LibCST takes a tenth of a second to
import and ten ``ast`` parses to parse); the planning is :mod:`codemods.fixes.resize_guard`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.helpers import parse_template_statement

from codemods.guard_rules import WRAPPED
from codemods.locate import Path as TreePath
from codemods.locate import node_at, replace_many, statement_paths
from codemods.source import SourceFile

if TYPE_CHECKING:
    from codemods.fixes.resize_guard import GuardSite


def guard_sites(module: cst.Module, source: SourceFile, sites: Sequence[GuardSite]) -> cst.Module:
    """Return ``module`` (the tree of ``source``) with every site wrapped, imports added."""
    paths = statement_paths(module, source.tree)
    targets: dict[TreePath, dict[int, GuardSite]] = {}
    for site in sites:
        path = paths[site.statement]
        index = path[-1][1]
        assert index is not None
        targets.setdefault(path[:-1], {})[index] = site
    edits = [
        (container_path, _guarded_container(module, node_at(module, container_path), group))
        for container_path, group in targets.items()
    ]
    module = replace_many(module, edits)
    return _add_imports(module, {i for site in sites for i in site.rule.needed_imports()})


def _guarded_container(
    module: cst.Module, container: cst.CSTNode, sites: Mapping[int, GuardSite]
) -> cst.BaseSuite | list[cst.BaseStatement]:
    """Rebuild a statement line, or a one-line block, with its sites wrapped."""
    if isinstance(container, cst.SimpleStatementLine):
        return _pieces(
            module, container.body, sites, container.leading_lines, container.trailing_whitespace
        )
    assert isinstance(container, cst.SimpleStatementSuite)
    body = _pieces(module, container.body, sites, (), cst.TrailingWhitespace())
    return cst.IndentedBlock(body=body, header=container.trailing_whitespace)


def _pieces(
    module: cst.Module,
    smalls: Sequence[cst.BaseSmallStatement],
    sites: Mapping[int, GuardSite],
    leading_lines: Sequence[cst.EmptyLine],
    trailing: cst.TrailingWhitespace,
) -> list[cst.BaseStatement]:
    """Split ``a; call; b`` into lines and ``try`` statements, comments kept in place."""
    pieces: list[cst.BaseStatement] = []
    run: list[cst.BaseSmallStatement] = []
    last = len(smalls) - 1
    for index, small in enumerate(smalls):
        if index not in sites:
            run.append(small)
            if index != last:
                continue
        if run:
            end = trailing if index == last and index not in sites else cst.TrailingWhitespace()
            pieces.append(
                cst.SimpleStatementLine(body=_without_last_semicolon(run), trailing_whitespace=end)
            )
            run = []
        if index in sites:
            line_end = trailing if index == last else cst.TrailingWhitespace()
            pieces.append(_guard(module, small, sites[index], line_end))
    first = pieces[0]
    pieces[0] = first.with_changes(leading_lines=(*leading_lines, *first.leading_lines))
    return pieces


def _without_last_semicolon(
    smalls: Sequence[cst.BaseSmallStatement],
) -> list[cst.BaseSmallStatement]:
    return [*smalls[:-1], smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]


def _guard(
    module: cst.Module,
    small: cst.BaseSmallStatement,
    site: GuardSite,
    trailing: cst.TrailingWhitespace,
) -> cst.BaseStatement:
    """Build the ``try`` around one small statement from the rule's template."""
    wrapped = cst.SimpleStatementLine(
        body=_without_last_semicolon([small]), trailing_whitespace=trailing
    )
    call = _call_of(small)
    replacements = {
        name: cst.Name(site.self_name or "self")
        if name == "self"
        else _operand(_cst_argument(call, where))
        for name, where in site.arguments
    }
    template = site.rule.template(module.default_indent, module.default_newline)
    return parse_template_statement(
        template, config=module.config_for_parsing, **{WRAPPED: wrapped}, **replacements
    )


def _call_of(small: cst.BaseSmallStatement) -> cst.Call:
    value = getattr(small, "value", None)
    if isinstance(value, cst.Await):
        value = value.expression
    assert isinstance(value, cst.Call)
    return value


def _cst_argument(call: cst.Call, where: tuple[str, int | str]) -> cst.BaseExpression:
    kind, selector = where
    if kind == "receiver":
        assert isinstance(call.func, cst.Attribute)
        return call.func.value
    if kind == "position":
        plain = [arg for arg in call.args if arg.keyword is None]
        return plain[int(selector)].value
    return next(arg.value for arg in call.args if arg.keyword and arg.keyword.value == selector)


_ATOMS = (
    cst.Name,
    cst.Attribute,
    cst.Subscript,
    cst.Call,
    cst.SimpleString,
    cst.FormattedString,
    cst.List,
    cst.Dict,
    cst.Set,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
)


def _operand(expression: cst.BaseExpression) -> cst.BaseExpression:
    """Parenthesise an argument that is not an atom, so the template cannot regroup it."""
    if isinstance(expression, _ATOMS) or expression.lpar:
        return expression
    return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _add_imports(module: cst.Module, imports: set[tuple[str, str | None]]) -> cst.Module:
    """Add the imports the new handlers need with LibCST's ``AddImportsVisitor``."""
    if not imports:
        return module
    context = CodemodContext()
    for imported, name in sorted(imports, key=lambda item: (item[0], item[1] or "")):
        AddImportsVisitor.add_needed_import(context, imported, name)
    return module.visit(AddImportsVisitor(context))
