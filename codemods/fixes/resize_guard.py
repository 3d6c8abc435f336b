"""``resize-guard``: wrap resize calls in a try/except that cleans up and re-raises.

Planning is pure ``ast``: find the calls whose callee matches a rule, decide from the request
argument (a dict literal, or a local whose reaching bindings are dict literals) whether the
rule applies, and rule out the places where a ``try`` cannot go or must not go. The LibCST edit
then replaces the statement line holding each call with the same statements, the guarded one
inside a ``try`` built from the rule's template.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import functools
import io
import tokenize
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from codemods.astutil import TRY_NODES, is_name, last_name
from codemods.finding import Finding, FixSafety
from codemods.fixes.base import Options, TreeCodemod
from codemods.guard_check import cleanup_problem, self_name
from codemods.guard_rules import (
    PLACEHOLDER,
    WRAPPED,
    ArgumentCondition,
    GuardRule,
    ReraiseStyle,
    argument_selector,
)
from codemods.project_index import (
    RAISES_HELPERS,
    Project,
    Projects,
    index_for,
    module_name,
    read_project,
)
from codemods.reaching import ReachingBindings, Verdict, describe_expression, dict_literal_verdict
from codemods.source import NotRegularFile, SourceFile, read_regular_file

if TYPE_CHECKING:
    import libcst as cst

DEFAULT_CLEANUP: tuple[str, ...] = (
    "{receiver}.delete_server({server_id})",
    "{self}._delete_server_allocations({server_id})",
)
"""Nova's cleanup of a failed resize: delete the server through the client that asked for the
resize, then delete its allocations in placement (``PlacementInstanceHelperMixin``), so no
consumer is left holding resources on either host. Both resolve in Nova's functional tests."""
REVIEW_CLEANUP: tuple[str, ...] = (
    "{receiver}.delete_server({server_id})",
    "{self}._release_allocations({server_id})",
    "{self}._update_resource_provider({server_id})",
)
"""The cleanup the seed review asked for; its helpers exist nowhere in Nova, so a project
that has them configures it as ``cleanup`` (each site is checked: missing ones are skipped)."""

BUILTIN_RULE_NAME = "resize"
RULE = "unguarded-resize"


_KEYWORDS: Mapping[type[ast.stmt], str] = {
    ast.FunctionDef: "def",
    ast.AsyncFunctionDef: "async def",
    ast.ClassDef: "class",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
}
"""Statement keywords that differ from the ``ast`` class name."""
_HOLDERS = (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)
"""Simple statements whose ``value`` may be the guarded call (or its ``await``)."""


@dataclasses.dataclass(frozen=True)
class ResizeGuardOptions(Options):
    """Options of ``resize-guard`` (``[tool.codemods.resize-guard]``).

    ``exception``, ``reraise`` and ``isolate-cleanup`` apply to the built-in rule and are the
    defaults of every rule in ``rules``; ``cleanup`` is the built-in rule's cleanup.
    """

    builtin_rule: bool = True
    """Apply the built-in rule (Nova's ``post_server_action`` with a ``'resize'`` request)."""
    cleanup: tuple[str, ...] = DEFAULT_CLEANUP
    """The built-in rule's cleanup: one simple statement each, with ``{placeholders}``."""
    exception: str = "Exception"
    """The exception class (or tuple of them) the handler catches."""
    reraise: ReraiseStyle = "raise"
    """``raise`` (a bare ``raise`` after the cleanup) or ``save-and-reraise`` (oslo's
    ``excutils.save_and_reraise_exception``)."""
    isolate_cleanup: bool = False
    """Run each cleanup statement under ``contextlib.suppress(Exception)``."""
    rules: tuple[GuardRule, ...] = ()
    """More rules, tried in order before the built-in one."""
    line_length: int | None = None
    """A site whose guarded lines would pass this width is skipped: the longest line of the
    guarded form is measured (the ``try``, the statement one indentation step deeper, the
    handler), tabs to the next multiple of 8 (``None``: the project's configured maximum --
    ruff, black, flake8, pycodestyle -- else 79)."""

    def __post_init__(self) -> None:
        """Check the built-in rule; give each rule a name and the defaults it leaves open."""
        self.builtin()
        rules = tuple(
            dataclasses.replace(
                rule,
                name=rule.name or f"rules[{index}]",
                exception=rule.exception or self.exception,
                reraise=rule.reraise or self.reraise,
                isolate_cleanup=(
                    self.isolate_cleanup if rule.isolate_cleanup is None else rule.isolate_cleanup
                ),
            )
            for index, rule in enumerate(self.rules)
        )
        object.__setattr__(self, "rules", rules)

    def builtin(self) -> GuardRule:
        """Return the built-in rule: Nova's ``post_server_action`` with a ``'resize'`` request."""
        return GuardRule(
            name=BUILTIN_RULE_NAME,
            callee="*post_server_action",
            cleanup=self.cleanup,
            parameters=("server_id", "data"),
            conditions=(ArgumentCondition("data", "resize"),),
            exception=self.exception,
            reraise=self.reraise,
            isolate_cleanup=self.isolate_cleanup,
        )

    def active_rules(self) -> tuple[GuardRule, ...]:
        """Return the rules in the order they are tried: configured ones, then the built-in."""
        return (*self.rules, self.builtin()) if self.builtin_rule else self.rules


@dataclasses.dataclass(frozen=True)
class GuardSite:
    """One statement to wrap: the rule and where each placeholder's argument is."""

    statement: ast.stmt
    line: int
    rule: GuardRule
    callee: str
    arguments: tuple[tuple[str, tuple[str, int | str]], ...]
    self_name: str | None
    """What ``{self}`` stands for: the enclosing method's first parameter."""


@dataclasses.dataclass(frozen=True)
class RuleMatch:
    """A call some rule applies to, wrapped or not (for reports and the corpus check)."""

    line: int
    rule: str
    request: Literal["inline", "local", "other"]
    """How the condition's argument was written: a dict literal, a local name, or neither."""
    skip_reason: str | None
    """Why the call is not wrapped (``None``: it is)."""


class ResizeGuard(TreeCodemod[ResizeGuardOptions]):
    """Wrap resize call sites in a ``try`` whose handler cleans up and re-raises.

    ## What it does
    Finds calls that start a server resize and wraps the statement holding each one in
    ``try`` / ``except Exception`` whose handler runs cleanup statements and re-raises with a
    bare ``raise``. The built-in rule matches a call whose callee ends in
    ``post_server_action`` and whose request argument (the second one, or ``data=``) is a dict
    literal with a ``'resize'`` key, or a local name all of whose bindings that reach the call
    are such literals. Its cleanup, Nova's, deletes the server through the client that asked
    for the resize (``{receiver}.delete_server``) and its placement allocations through the
    test's own helper (``{self}._delete_server_allocations``). Further rules in
    ``[tool.codemods.resize-guard]`` name other callees, argument conditions, cleanup
    templates, the exception caught and the re-raise style (bare ``raise`` or oslo's
    ``excutils.save_and_reraise_exception``).

    It writes only calls that exist: a project index (``ast`` only) of the classes around the
    file must show every ``{self}.method`` on the enclosing class or its bases and every
    ``{receiver}.method`` on some class, and every other name the cleanup reads must be bound
    there. ``{self}`` is the method's own first parameter; a free function or a
    ``@staticmethod`` has none. An argument the cleanup repeats must have no effects
    (``pending.pop()`` would run twice).

    It never edits a call inside ``with self.assertRaises(...)`` / ``pytest.raises(...)``, the
    callable passed to ``assertRaises``, a helper whose callers expect it to fail (called in
    ``assertRaises(...)`` or a handling ``try`` anywhere in the project), other server
    actions, a call inside a ``try`` with handlers, or a call in an expression that cannot
    hold a statement (lambda, comprehension, ``if``/``while`` test, argument of another
    call); each is reported as a skip with its reason.

    ## Why is this bad?
    When a resize fails half way (``finish_resize`` on the destination compute), resource
    provider allocations can be left behind. Guarding the call releases them on the failure
    path while the original error still propagates with its traceback.

    ## Example
    ```python
    req = {'resize': {'flavorRef': flavor['id']}}
    self.api.post_server_action(server['id'], req)
    ```

    Use instead:
    ```python
    req = {'resize': {'flavorRef': flavor['id']}}
    try:
        self.api.post_server_action(server['id'], req)
    except Exception:
        self.api.delete_server(server['id'])
        self._delete_server_allocations(server['id'])
        raise
    ```

    The seed review's own cleanup (``self._release_allocations(...)`` and
    ``self._update_resource_provider(...)``, helpers Nova does not have) is a configuration
    example: ``cleanup = ["{receiver}.delete_server({server_id})",
    "{self}._release_allocations({server_id})", "{self}._update_resource_provider({server_id})"]``
    wraps only where a project defines them.

    ## Fix safety
    Unsafe, so only made with ``--unsafe-fixes``: it changes behaviour on the failure path
    (the cleanup runs, and a cleanup that fails hides the original error unless
    ``isolate-cleanup`` is on). Review every hunk.
    """

    id = "resize-guard"
    summary = "Wrap resize calls in try/except that cleans up and re-raises."
    claims = frozenset({"unguarded-resize", "resize-without-cleanup"})
    safety = FixSafety.UNSAFE
    options_type = ResizeGuardOptions

    def find(self, source: SourceFile) -> list[Finding]:
        """Find the calls to wrap and the ones left alone, from the ``ast`` only."""
        rules = self.options.active_rules()
        if not rules or not any(_literal_tail(rule.callee) in source.text for rule in rules):
            return []
        sites, skips = _SiteFinder(source, rules, self._line_length, self.projects).run()
        found = [
            Finding.at(
                site.statement,
                f"{site.callee}(...) starts a resize that can fail half way",
                action=f"wrapped it in try/except {site.rule.exception} with cleanup "
                f"(rule {site.rule.name!r})",
                rule=RULE,
                data=site,
            )
            for site in sites
        ]
        found.extend(
            Finding(line, message, rule=RULE, skip=reason) for line, message, reason in skips
        )
        return sorted(found, key=lambda finding: finding.line)

    def __init__(self, options: ResizeGuardOptions | None = None) -> None:
        """Create the codemod; the projects it reads are its own (kept per process)."""
        super().__init__(options)
        self.projects = Projects()
        """The projects whose index this instance has read (or been handed)."""

    @property
    def _line_length(self) -> int:
        return self.options.line_length or 79

    def prepare(self, paths: Sequence[Path]) -> Project | None:
        """Read the project of the first file that names a rule's callee, for the workers.

        Each worker would otherwise read the whole project for its first such file (Nova:
        1,508 files); read here once, it is handed to each (:meth:`receive_prepared`).
        """
        tails = [_literal_tail(rule.callee).encode() for rule in self.options.active_rules()]
        if not tails:
            return None
        for path in paths:
            try:
                data = read_regular_file(path)  # never a FIFO: it would block the run
            except (OSError, NotRegularFile):
                continue
            if any(tail in data for tail in tails):
                return read_project(path)
        return None

    def receive_prepared(self, state: object) -> None:
        """Adopt the project the main process read (see :meth:`prepare`)."""
        if isinstance(state, Project):
            self.projects.adopt(state)

    def survey(self, source: SourceFile) -> list[RuleMatch]:
        """Return every call a rule applies to, with whether (or why not) it is wrapped."""
        finder = _SiteFinder(source, self.options.active_rules(), self._line_length, self.projects)
        finder.run()
        return finder.matches

    def fix_tree(
        self, module: cst.Module, source: SourceFile, findings: Sequence[Finding]
    ) -> cst.Module:
        """Replace each statement line (or one-line block) holding a site with its guarded form."""
        from codemods.fixes.resize_guard_tree import guard_sites  # LibCST: only with work

        return guard_sites(module, source, [finding.data for finding in findings])


class _SiteFinder:
    """The ``ast`` pass of one file: sites to wrap and skips with their reasons."""

    def __init__(
        self,
        source: SourceFile,
        rules: Sequence[GuardRule],
        line_length: int,
        projects: Projects,
    ) -> None:
        self.source = source
        self.projects = projects
        self.rules = rules
        self.line_length = line_length
        self.parents: dict[ast.AST, ast.AST] = {
            child: parent
            for parent in ast.walk(source.tree)
            for child in ast.iter_child_nodes(parent)
        }
        self.reaching: dict[tuple[ast.AST, str], ReachingBindings] = {}
        self.sites: list[GuardSite] = []
        self.skips: list[tuple[int, str, str]] = []
        """``(line, what, why it is left alone)`` of each call not wrapped."""
        self.matches: list[RuleMatch] = []

    def run(self) -> tuple[list[GuardSite], list[tuple[int, str, str]]]:
        """Visit every call of the file once."""
        for node in ast.walk(self.source.tree):
            if isinstance(node, ast.Call):
                self._visit_call(node)
        self.sites.sort(key=lambda site: site.line)
        self.skips.sort(key=lambda skip: skip[0])
        return self.sites, self.skips

    def _skip(self, line: int, callee: str, reason: str) -> None:
        self.skips.append((line, callee, reason))

    def _visit_call(self, call: ast.Call) -> None:
        if last_name(call.func) in RAISES_HELPERS:
            self._report_callables(call)
        callee = self._matching_callee(call.func)
        if callee is None:
            return
        rule, reason = self._choose_rule(call, callee)
        if rule is None:
            self._skip(call.lineno, f"{callee}(...)", reason)
            return
        reason = self._context_problem(call, rule)
        statement = self._statement_of(call)
        arguments = _resolve_all(call, rule) if reason is None else ()
        if isinstance(arguments, str):
            reason, arguments = arguments, ()
        function = self._function_of(call)
        if reason is None:
            reason = self._cleanup_problem(call, rule, function, arguments)
        if reason is None:
            reason = self._width_problem(call, statement, rule, function, arguments)
        self.matches.append(RuleMatch(call.lineno, rule.name, _request_form(call, rule), reason))
        if reason is not None:
            self._skip(call.lineno, f"{callee}(...)", reason)
            return
        owner = self._owner_class(function)
        site = GuardSite(
            statement, statement.lineno, rule, callee, arguments, self_name(function, owner)
        )
        self.sites.append(site)

    def _cleanup_problem(
        self,
        call: ast.Call,
        rule: GuardRule,
        function: ast.FunctionDef | ast.AsyncFunctionDef | None,
        arguments: tuple[tuple[str, tuple[str, int | str]], ...],
    ) -> str | None:
        """Return why the rule's cleanup would not resolve at this call, if so."""
        path = Path(self.source.path)
        return cleanup_problem(
            rule,
            function,
            self._owner_class(function),
            module_name(path),
            self.source.tree,
            {
                name: _ast_argument(call, rule, where)
                for name, where in arguments
                if name != "self"
            },
            lambda: index_for(path, self.source.text, self.projects),
        )

    def _report_callables(self, helper: ast.Call) -> None:
        for argument in helper.args[1:]:
            callee = self._matching_callee(argument)
            if callee is not None:
                self._skip(
                    argument.lineno,
                    callee,
                    f"passed as the callable to {last_name(helper.func)}(...), "
                    "its failure is the test's expectation",
                )

    def _matching_callee(self, node: ast.expr) -> str | None:
        last = last_name(node)
        if last is None:
            return None
        tails = (rule.callee.rsplit(".", 1)[-1] for rule in self.rules)
        if not any(fnmatch.fnmatchcase(last, tail) for tail in tails):
            return None
        dotted = ast.unparse(node)
        return dotted if any(rule.matches_callee(dotted) for rule in self.rules) else None

    def _choose_rule(self, call: ast.Call, callee: str) -> tuple[GuardRule | None, str]:
        """Return the first rule whose conditions hold, or the first rule's reason why not."""
        first_reason = ""
        for rule in self.rules:
            if not rule.matches_callee(callee):
                continue
            reason = self._failed_condition(call, rule)
            if reason is None:
                return rule, ""
            first_reason = first_reason or reason
        return None, first_reason

    def _failed_condition(self, call: ast.Call, rule: GuardRule) -> str | None:
        for condition in rule.conditions:
            found = _argument(call, rule, condition.argument)
            if isinstance(found, str):
                return f"cannot tell the action: {found} (rule {rule.name!r})"
            verdict, detail = self._dict_verdict(call, found[1], condition.key)
            if verdict is Verdict.OTHER:
                return f"not a {condition.key!r} request: {detail} (rule {rule.name!r})"
            if verdict is Verdict.UNKNOWN:
                return f"cannot tell whether the request has {condition.key!r}: {detail}"
        return None

    def _dict_verdict(self, call: ast.Call, value: ast.expr, key: str) -> tuple[Verdict, str]:
        if isinstance(value, ast.Dict):
            return dict_literal_verdict(value, key)
        if not isinstance(value, ast.Name):
            description = describe_expression(value)
            return Verdict.UNKNOWN, f"the argument is {description}, not a dict literal"
        function = self._function_of(call)
        if function is None:
            return Verdict.UNKNOWN, f"{value.id!r} is not a function local"
        analysis = self.reaching.get((function, value.id))
        if analysis is None:
            analysis = ReachingBindings(function, value.id)
            self.reaching[(function, value.id)] = analysis
        return analysis.key_verdict(self._statement_of(call), key)

    def _context_problem(self, call: ast.Call, rule: GuardRule) -> str | None:
        """Return why the statement holding ``call`` must not or cannot be wrapped, if so."""
        statement = self._statement_of(call)
        for child, ancestor in self._statement_ancestors(statement):
            if isinstance(ancestor, ast.With | ast.AsyncWith) and _expects_failure(ancestor):
                return f"inside 'with {ast.unparse(ancestor.items[0].context_expr)}', the failure is the test's expectation"
            if isinstance(ancestor, TRY_NODES) and child in ancestor.body and ancestor.handlers:
                if any(_reraises(handler) for handler in ancestor.handlers):
                    return "already inside a try whose handler re-raises"
                return "inside a try whose handlers decide what its failure means"
        reason = _expression_context_problem(call, statement, self.parents)
        if reason is not None:
            return reason
        for module, name in rule.needed_imports():
            bound_name = name or module
            if _name_taken(self.source.tree, bound_name, module if name else None):
                return f"the name {bound_name!r} is already bound to something else in this file"
        return None

    def _width_problem(
        self,
        call: ast.Call,
        statement: ast.stmt,
        rule: GuardRule,
        function: ast.FunctionDef | ast.AsyncFunctionDef | None,
        arguments: tuple[tuple[str, tuple[str, int | str]], ...],
    ) -> str | None:
        """Return why a line of the guarded form would be over the line length, if so.

        The guarded form is measured as :mod:`codemods.fixes.resize_guard_tree` writes it:
        the ``try`` at the statement's indentation, the statement one step deeper (LibCST's
        ``default_indent``, the file's first indented block), its continuation lines moved
        with it, the handler from the rule's template with its placeholders filled. Where
        the text alone cannot tell (a line inside a multi-line string, after a backslash)
        the line counts as moved: a site may be skipped that would just fit, never written
        over the limit.
        """
        limit = self.line_length
        step = self._default_indent
        outer, moved = self._guarded_lines(statement, step)
        for number, text in moved:
            if _width(text) > limit:
                return f"wrapping would push line {number} past the line length ({limit})"
        values = {
            name: self_name(function, self._owner_class(function)) or "self"
            if name == "self"
            else _written_operand(_ast_argument(call, rule, where), self.source.text)
            for name, where in arguments
        }
        for template_line in rule.template(step, "\n").splitlines():
            if WRAPPED in template_line:
                continue
            text = PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template_line)
            indent = outer + template_line[: len(template_line) - len(template_line.lstrip())]
            first, *more = text.splitlines()
            if any(_width(line) > limit for line in (outer + first, *(indent + m for m in more))):
                return f"the cleanup line {text.strip()!r} would pass the line length ({limit})"
        return None

    def _guarded_lines(self, statement: ast.stmt, step: str) -> tuple[str, list[tuple[int, str]]]:
        """Return the ``try``'s indentation and the statement's lines as the guard writes them.

        A statement that starts its line keeps that line's indentation for the ``try``; one
        after ``a;`` too; one in a one-line block (``if x: call()``) gets the block the edit
        makes, a step deeper than the header. Each line is numbered as in the file.
        """
        lines = self.source.lines
        first, last = statement.lineno, statement.end_lineno or statement.lineno
        head = lines[first - 1].rstrip("\r\n")
        start = _column(head, statement.col_offset)
        lead = head[: len(head) - len(head.lstrip(" \t\f"))]
        outer = block = head[:start] if not head[:start].strip(" \t\f") else lead
        suite = self._one_line_block(statement)
        if suite is not None:
            outer = lead + step
        inner = outer + step
        moved: list[tuple[int, str]] = []
        for number in range(first, last + 1):
            text = lines[number - 1].rstrip("\r\n")
            if number == last:
                end = _column(text, statement.end_col_offset or 0)
                rest = text[end:]
                beyond = rest.lstrip(" \t\f").removeprefix(";").strip(" \t\f")
                keeps_comment = suite is None and (not beyond or beyond.startswith("#"))
                text = text[:end] + (rest.replace(";", "", 1).rstrip() if keeps_comment else "")
            if number == first:
                moved.append((number, inner + text[start:]))
            elif text.startswith(block):
                moved.append((number, inner + text[len(block) :]))
            else:
                moved.append((number, text))
        if suite is not None:  # the statements sharing the line move to the new block too
            before = [other for other in suite if other.col_offset < statement.col_offset]
            after = [other for other in suite if other.col_offset > statement.col_offset]
            for group in (before, after):
                if group:
                    close = group[-1]
                    stop = _column(head, close.end_col_offset or 0)
                    if close.end_lineno != first:
                        stop = len(head)
                    moved.append((first, outer + head[_column(head, group[0].col_offset) : stop]))
        return outer, moved

    def _one_line_block(self, statement: ast.stmt) -> list[ast.stmt] | None:
        """Return the statements on the header's line of the block holding ``statement``, if
        that block is written there (``if x: a; call()``); ``None`` for a block of lines."""
        parent = self.parents.get(statement)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and statement in block:
                opener = block[0]
                line = self.source.lines[opener.lineno - 1]
                column = _column(line, opener.col_offset)
                if opener.lineno != statement.lineno or not line[:column].strip(" \t\f"):
                    return None
                return [other for other in block if other.lineno == opener.lineno]
        return None

    @functools.cached_property
    def _default_indent(self) -> str:
        """Return LibCST's ``default_indent``: the first ``INDENT`` token's text ("    ")."""
        try:
            for token in tokenize.generate_tokens(io.StringIO(self.source.text).readline):
                if token.type == tokenize.INDENT:
                    return token.string
        except (tokenize.TokenError, SyntaxError):
            pass
        return "    "

    def _owner_class(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef | None
    ) -> ast.ClassDef | None:
        """Return the class ``function`` is a method of (``None``: not a method)."""
        owner = self.parents.get(function) if function is not None else None
        return owner if isinstance(owner, ast.ClassDef) else None

    def _statement_of(self, node: ast.AST) -> ast.stmt:
        while not isinstance(node, ast.stmt):
            node = self.parents[node]
        return node

    def _statement_ancestors(self, statement: ast.stmt) -> Iterator[tuple[ast.AST, ast.AST]]:
        """Yield ``(child, ancestor)`` up to the nearest function, class or module."""
        child: ast.AST = statement
        while child in self.parents:
            ancestor = self.parents[child]
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                return
            yield child, ancestor
            child = ancestor

    def _function_of(self, call: ast.Call) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        node: ast.AST = self._statement_of(call)
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
            if isinstance(node, ast.ClassDef):
                return None
        return None


def _expression_context_problem(
    call: ast.Call, statement: ast.stmt, parents: Mapping[ast.AST, ast.AST]
) -> str | None:
    """Return why the call's position in its statement has no room for a ``try``, if so."""
    holder: ast.AST = call
    if isinstance(parents[holder], ast.Await):
        holder = parents[holder]
    if isinstance(statement, _HOLDERS) and statement.value is holder:
        return None
    child: ast.AST = holder
    while parents[child] is not statement:
        parent = parents[child]
        if isinstance(parent, ast.Lambda):
            return "inside a lambda, which cannot hold a statement"
        if isinstance(parent, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            return "inside a comprehension, which cannot hold a statement"
        if isinstance(parent, ast.Call) and child is not parent.func:
            return "an argument of another call; wrapping it would guard that call too"
        child = parent
    keyword = _KEYWORDS.get(type(statement), type(statement).__name__.lower())
    if isinstance(statement, ast.If | ast.While) and child is statement.test:
        return f"in the test of the '{keyword}' statement, which cannot hold a statement"
    if not isinstance(statement, _HOLDERS):
        return f"in the header of the '{keyword}' statement"
    return "part of a larger expression; wrapping the statement would guard more than the call"


def _expects_failure(node: ast.With | ast.AsyncWith) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call)
        and last_name(item.context_expr.func) in RAISES_HELPERS
        for item in node.items
    )


def _reraises(handler: ast.ExceptHandler) -> bool:
    """Tell whether a handler has a bare ``raise`` (or its own name) or oslo's re-raise block."""
    for node in _walk_same_scope(handler.body):
        if isinstance(node, ast.Raise) and (
            node.exc is None or (handler.name is not None and is_name(node.exc, handler.name))
        ):
            return True
        if isinstance(node, ast.With | ast.AsyncWith) and any(
            isinstance(item.context_expr, ast.Call)
            and last_name(item.context_expr.func) == "save_and_reraise_exception"
            for item in node.items
        ):
            return True
    return False


def _walk_same_scope(statements: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    pending: list[ast.AST] = list(statements)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        ):
            pending.extend(ast.iter_child_nodes(node))


def _name_taken(tree: ast.Module, name: str, from_module: str | None) -> bool:
    """Tell whether ``name`` is bound in the file other than by the import we would add."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound != name:
                    continue
                expected = (
                    isinstance(node, ast.ImportFrom)
                    and node.module == from_module
                    and node.level == 0
                    if from_module
                    else isinstance(node, ast.Import) and alias.name == name
                )
                if not expected or (alias.asname not in (None, name)):
                    return True
        elif isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return True
        elif isinstance(node, ast.arg | ast.ExceptHandler):
            if getattr(node, "arg", None) == name or getattr(node, "name", None) == name:
                return True
    return False


def _argument(
    call: ast.Call, rule: GuardRule, selector: int | str
) -> tuple[tuple[str, int | str], ast.expr] | str:
    """Find an argument by position or parameter name; return where it is and its node.

    A string result says why it cannot be found.
    """
    position = selector if isinstance(selector, int) else None
    keyword = selector if isinstance(selector, str) else None
    if keyword is not None and keyword in rule.parameters:
        position = rule.parameters.index(keyword)
    if position is not None and keyword is None and position < len(rule.parameters):
        keyword = rule.parameters[position]
    plain = []
    for argument in call.args:
        if isinstance(argument, ast.Starred):
            break
        plain.append(argument)
    if position is not None and position < len(plain):
        return ("position", position), plain[position]
    if position is not None and len(plain) < len(call.args):
        return f"argument {position} may be inside a '*' unpacking"
    for item in call.keywords:
        if item.arg is not None and item.arg == keyword:
            return ("keyword", keyword), item.value
    if any(item.arg is None for item in call.keywords):
        return f"argument {selector!r} may be inside a '**' unpacking"
    return f"the call has no argument {selector!r}"


def _request_form(call: ast.Call, rule: GuardRule) -> Literal["inline", "local", "other"]:
    """Tell how the first condition's argument is written at this call."""
    if not rule.conditions:
        return "other"
    found = _argument(call, rule, rule.conditions[0].argument)
    if isinstance(found, str):
        return "other"
    value = found[1]
    return (
        "inline"
        if isinstance(value, ast.Dict)
        else "local"
        if isinstance(value, ast.Name)
        else "other"
    )


def _resolve_all(
    call: ast.Call, rule: GuardRule
) -> tuple[tuple[str, tuple[str, int | str]], ...] | str:
    """Map every placeholder of the rule's cleanup to an argument of the call."""
    resolved = []
    for placeholder in rule.placeholders():
        if placeholder == "self":
            resolved.append((placeholder, ("self", 0)))
            continue
        if placeholder == "receiver":
            if not isinstance(call.func, ast.Attribute):
                return "the cleanup uses {receiver} but the callee is a plain name"
            resolved.append((placeholder, ("receiver", 0)))
            continue
        found = _argument(call, rule, argument_selector(placeholder))
        if isinstance(found, str):
            return f"the cleanup uses {{{placeholder}}} but {found}"
        resolved.append((placeholder, found[0]))
    return tuple(resolved)


def _ast_argument(call: ast.Call, rule: GuardRule, where: tuple[str, int | str]) -> ast.expr:
    """Return the ``ast`` of the argument a resolved placeholder stands for."""
    kind, selector = where
    if kind == "receiver":
        assert isinstance(call.func, ast.Attribute)
        return call.func.value
    found = _argument(call, rule, selector)
    assert not isinstance(found, str), "placeholders are resolved before their arguments"
    return found[1]


def _width(text: str) -> int:
    """Return how many columns a line takes (a tab: to the next multiple of 8)."""
    return len(text.expandtabs())


def _column(line: str, byte_column: int) -> int:
    """Return the code-point column of an ``ast`` UTF-8 byte column on ``line``."""
    return len(line.encode("utf-8", "surrogatepass")[:byte_column].decode("utf-8", "replace"))


_ATOMS = (
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Call,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
)
"""The nodes the guard writes as they are in a cleanup; it parenthesises any other."""


def _written_operand(node: ast.expr, text: str) -> str:
    """Return an argument as a cleanup writes it: its source, parenthesised unless an atom.

    (:func:`codemods.fixes.resize_guard_tree._operand` does the same on the LibCST node; a
    parenthesised argument's parentheses are outside its ``ast`` span, so they count here.)
    """
    segment = ast.get_source_segment(text, node) or ""
    if isinstance(node, _ATOMS):
        return segment
    if isinstance(node, ast.Constant | ast.JoinedStr) and _one_string(segment):
        return segment
    return f"({segment})"


def _one_string(segment: str) -> bool:
    """Tell whether ``segment`` is one string literal (not ``'a' 'b'``, not a number)."""
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(segment).readline)
            if token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError):
        return False
    if len(tokens) == 1:
        return tokens[0].type == tokenize.STRING
    starts = [t for t in tokens if t.type == getattr(tokenize, "FSTRING_START", -1)]
    ends = [t for t in tokens if t.type == getattr(tokenize, "FSTRING_END", -1)]
    return len(starts) == len(ends) == 1 and tokens[0] is starts[0] and tokens[-1] is ends[0]


def _literal_tail(pattern: str) -> str:
    """Return the longest literal part of a callee pattern (for the text pre-check)."""
    return max(pattern.split("*"), key=len)
