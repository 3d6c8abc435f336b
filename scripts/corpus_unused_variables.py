"""Corpus check of ``unused-variables`` on Nova 34.0.0 and the running interpreter's stdlib.

For every file: the output compiles, a second run changes nothing, and every removed name is
checked independently of the codemod's own finder:

* in the ORIGINAL file's ``symtable``: the name is an assigned local of its function (not a
  parameter, not global/nonlocal, not free there nor in any child scope);
* in the ORIGINAL ``ast``: every read of it (load, ``del``, ``+=``) lies inside a statement
  the codemod deletes whole -- none at all, except for cascades (``b = a`` deleted, then ``a``);
* in the OUTPUT: no read of it is left in that function, by ``ast`` and by ``symtable``.

Then it compares the names it removes with ``ruff check --select F841`` and ``pyflakes`` on the
same files and prints the agreement table, each disagreement sorted into a class with an
example. Usage::

    python scripts/corpus_check.py unused-variables [--corpus nova|stdlib|all] [--step N]
"""

from __future__ import annotations

import argparse
import ast
import collections
import copy
import dataclasses
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import corpora

from codemods.engine import Engine, FileResult
from codemods.fixes.unused_variables import Removal, UnusedVariables
from codemods.source import SourceFile

Key = tuple[str, int, str]
"""A reported name: (file, line of the name, name)."""
_PYFLAKES_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?:\d+:)? local variable '(?P<name>[^']+)' (is assigned to|defined .*) but never used"
)


@dataclasses.dataclass
class CorpusReport:
    """What one corpus gave: counts, problems, the names we removed, the time it took."""

    name: str
    files: int = 0
    unparsable: int = 0
    changed: int = 0
    changes: int = 0
    cascades: int = 0
    skips: int = 0
    seconds: float = 0.0
    problems: list[str] = dataclasses.field(default_factory=list)
    removed: dict[Key, str] = dataclasses.field(default_factory=dict)
    """Each removed name with the kind of binding it was."""
    skipped_functions: dict[tuple[str, int], str] = dataclasses.field(default_factory=dict)


def main(argv: list[str]) -> int:
    """Run the check; return 1 if any file fails it."""
    parser = argparse.ArgumentParser(prog="corpus_check.py unused-variables")
    parser.add_argument("--corpus", choices=("nova", "stdlib", "all"), default="all")
    parser.add_argument("--step", type=int, default=1, help="take every N-th file")
    parser.add_argument("--no-compare", action="store_true", help="skip ruff and pyflakes")
    args = parser.parse_args(argv)
    loaders = {"nova": corpora.nova_files, "stdlib": corpora.stdlib_files}
    names = list(loaders) if args.corpus == "all" else [args.corpus]
    status = 0
    for corpus in names:
        files = loaders[corpus](step=args.step)
        with tempfile.TemporaryDirectory(prefix=f"uv-{corpus}-") as directory:
            report = check_corpus(corpus, files, Path(directory))
            print_report(report)
            if not args.no_compare:
                print_agreement(report, Path(directory))
        status = max(status, 1 if report.problems else 0)
    return status


def check_corpus(name: str, files: list[corpora.CorpusFile], directory: Path) -> CorpusReport:
    """Run the codemod on every file (writing the originals under ``directory``)."""
    codemod = UnusedVariables()
    engine = Engine([codemod])
    report = CorpusReport(name)
    started = time.perf_counter()
    for corpus_file in files:
        report.files += 1
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        if result.error is not None:
            report.unparsable += 1  # files the interpreter cannot parse either (test data)
            continue
        original = directory / corpus_file.name
        original.parent.mkdir(parents=True, exist_ok=True)
        original.write_bytes(corpus_file.data)
        report.skips += len(result.skips)
        for skip in result.skips:
            report.skipped_functions[(corpus_file.name, skip.line)] = skip.skip or ""
        if result.changed:
            report.changed += 1
            report.changes += len(result.changes)
            check_file(corpus_file.name, result, codemod, report)
    report.seconds = time.perf_counter() - started
    return report


def check_file(
    path: str, result: FileResult, codemod: UnusedVariables, report: CorpusReport
) -> None:
    """Check one changed file: compiles, fixed point, every removed name dead."""
    old_text, new_text = result.old_text, result.new_text
    try:
        compile(new_text, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        report.problems.append(f"{path}: output does not compile: {error}")
        return
    again = Engine([codemod]).fix_text(path, new_text)
    if again.changes:
        report.problems.append(f"{path}: a second run changed it again")
    source = SourceFile(path, old_text)
    output = SourceFile(path, new_text)
    fixed = {(finding.line, finding.message) for finding in result.changes}
    found = [f for f in codemod.find(source) if (f.line, f.message) in fixed]
    removals = tuple(finding.data for finding in found)
    for finding in found:
        removal: Removal = finding.data
        for name in removal.names:
            problem, cascade = verify_removal(source, output, removals, removal, name)
            if problem:
                report.problems.append(f"{path}:{finding.line}: `{name}`: {problem}")
            report.cascades += cascade
            for line in name_lines(removal, name):
                report.removed[(path, line, name)] = removal.kind


def verify_removal(
    source: SourceFile,
    output: SourceFile,
    findings: tuple[Removal, ...],
    finding: Removal,
    name: str,
) -> tuple[str | None, bool]:
    """Return why removing ``name`` was wrong (None if right) and whether it was a cascade."""
    function = finding.function
    scope = function_table(source, function)
    if scope is None:
        return "no symtable scope for its function", False
    symbol = scope.lookup(name)
    if not (symbol.is_assigned() and symbol.is_local()) or symbol.is_parameter():
        return "not an assigned local in the original symtable", False
    if symbol.is_global() or symbol.is_nonlocal() or symbol.is_free():
        return "global, nonlocal or free in the original symtable", False
    if any(name in t.get_identifiers() and t.lookup(name).is_free() for t in descendants(scope)):
        return "free in a child scope of the original", False
    deleted = [f.statement for f in findings if f.function is function and f.action == "drop"]
    live_reads = [read for read in reads_of(function, name) if not inside(read, deleted)]
    if live_reads:
        return f"read at line {live_reads[0].lineno} of the original", False
    cascade = symbol.is_referenced()
    new_function = matching_function(source, output, function)
    if new_function is None:
        return "its function is gone from the output", cascade
    if any(True for _ in reads_of(new_function, name)):
        return "still read in the output", cascade
    new_scope = function_table(output, new_function)
    if new_scope is not None and name in new_scope.get_identifiers():
        if new_scope.lookup(name).is_referenced():
            return "still referenced in the output's symtable", cascade
    return None, cascade


def reads_of(function: ast.AST, name: str) -> Iterator[ast.AST]:
    """Yield every use of ``name`` in a function and the scopes nested in it."""
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Store):
            yield node
        elif isinstance(node, ast.AugAssign) and getattr(node.target, "id", None) == name:
            yield node
        elif isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            yield node


def inside(node: ast.AST, statements: list[ast.stmt]) -> bool:
    """Tell whether ``node`` lies within one of ``statements`` (by position)."""
    where = (node.lineno, node.col_offset)
    return any(
        (s.lineno, s.col_offset) <= where <= (s.end_lineno or s.lineno, s.end_col_offset or 0)
        for s in statements
    )


def function_table(source: SourceFile, function: ast.AST):  # noqa: ANN201
    """Return the symtable scope of a ``def`` by name and line."""
    for table in descendants(source.symtable):
        if (
            table.get_type() == "function"
            and table.get_name() == getattr(function, "name", None)
            and table.get_lineno() == function.lineno
        ):
            return table
    return None


def descendants(table):  # noqa: ANN001, ANN201
    """Yield every scope nested in ``table`` (not itself)."""
    for child in table.get_children():
        yield child
        yield from descendants(child)


def matching_function(source: SourceFile, output: SourceFile, function: ast.AST) -> ast.AST | None:
    """Return the function of ``output`` at the same place (nesting and order) as in ``source``."""
    old = [
        n for n in ast.walk(source.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    new = [
        n for n in ast.walk(output.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    if len(old) != len(new):
        return None
    index = old.index(function)
    return new[index] if new[index].name == old[index].name else None


def name_lines(finding: Removal, name: str) -> list[int]:
    """Return the lines where the removed binding names ``name`` (what linters report)."""
    statement = finding.statement
    if finding.kind == "assign":
        targets = [statement.targets[p] for p in finding.positions]  # type: ignore[attr-defined]
        return [t.lineno for t in targets if t.id == name]
    if finding.kind == "annassign":
        return [statement.target.lineno]  # type: ignore[attr-defined]
    if finding.kind == "with":
        items = [statement.items[p] for p in finding.positions]  # type: ignore[attr-defined]
        return [i.optional_vars.lineno for i in items if i.optional_vars.id == name]
    return [statement.handlers[p].lineno for p in finding.positions]  # type: ignore[attr-defined]


def print_report(report: CorpusReport) -> None:
    """Print the counts and every problem of one corpus."""
    print(f"== {report.name}: {report.files} files in {report.seconds:.1f} s")
    print(f"   not parsable by this interpreter (left alone): {report.unparsable}")
    print(f"   changed files: {report.changed}, changes: {report.changes}, skips: {report.skips}")
    print(f"   removed names: {len(report.removed)} (cascades: {report.cascades})")
    print(f"   problems: {len(report.problems)}")
    for problem in report.problems[:50]:
        print(f"   PROBLEM {problem}")


# -- agreement with ruff and pyflakes --------------------------------------------------------


def ruff_f841(directory: Path) -> set[Key]:
    """Return the names ``ruff check --select F841`` reports under ``directory``."""
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "ruff"),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F841",
            "--output-format",
            "json",
            ".",
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for diagnostic in json.loads(completed.stdout or "[]"):
        if diagnostic.get("code") != "F841":
            continue
        name = re.search(r"`([^`]+)`", diagnostic["message"])
        path = str(Path(diagnostic["filename"]).resolve().relative_to(directory.resolve()))
        found.add((path, diagnostic["location"]["row"], name[1] if name else "?"))
    return found


def pyflakes_unused(directory: Path) -> set[Key]:
    """Return the unused local variables ``pyflakes`` reports under ``directory``."""
    completed = subprocess.run(
        [sys.executable, "-m", "pyflakes", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for line in completed.stdout.splitlines():
        match = _PYFLAKES_LINE.match(line)
        if match:
            path = match["path"].removeprefix("./")
            found.add((path, int(match["line"]), match["name"]))
    return found


def print_agreement(report: CorpusReport, directory: Path) -> None:
    """Print the agreement table and the disagreement classes with an example each."""
    ours = set(report.removed)
    for tool, theirs in (
        ("ruff F841", ruff_f841(directory)),
        ("pyflakes", pyflakes_unused(directory)),
    ):
        both, only_them, only_us = ours & theirs, theirs - ours, ours - theirs
        print(
            f"   vs {tool}: both {len(both)}, only {tool} {len(only_them)}, only us {len(only_us)}"
        )
        for label, keys in ((f"only {tool}", only_them), ("only us", only_us)):
            classes: dict[str, list[Key]] = collections.defaultdict(list)
            for key in sorted(keys):
                if label == "only us":
                    reason = classify_extra(key, report, directory)
                else:
                    reason = classify_missed(key, report, directory)
                classes[reason].append(key)
            for reason, members in sorted(classes.items(), key=lambda item: -len(item[1])):
                path, line, name = members[0]
                print(f"      {label}: {len(members):4d}  {reason}  e.g. {path}:{line} `{name}`")


def classify_missed(key: Key, report: CorpusReport, directory: Path) -> str:
    """Say why the codemod keeps a name that a linter reports."""
    path, line, name = key
    tree, lines = _parse(directory / path)
    function = _enclosing_function(tree, line)
    if function is None:
        return "module level (only function scopes are edited)"
    if (path, function.lineno) in report.skipped_functions:
        return "function reads its frame (locals/vars/eval/exec/introspection): skipped"
    if (path, line) in report.skipped_functions or "noqa" in lines[line - 1]:
        return "suppression comment (# noqa / codemods: skip) or docstring guard"
    if UnusedVariables()._dummy.search(name):  # noqa: SLF001
        return "dummy name (dummy-variable-rgx)"
    kind = _binding_kind(function, line, name)
    if kind != "plain":
        return f"binding form left alone: {kind}"
    if any(True for _ in reads_of(_own_scope(function), name)):
        return "read elsewhere in its function (the linter binds reads in source order)"
    if any(True for _ in reads_of(function, name)):
        return "a same-named variable is read in a nested scope (we are conservative)"
    return "other"


def classify_extra(key: Key, report: CorpusReport, directory: Path) -> str:
    """Say why the codemod removes a name that a linter does not report."""
    path, line, name = key
    tree, _ = _parse(directory / path)
    function = _enclosing_function(tree, line)
    if function is not None and any(True for _ in reads_of(function, name)):
        return "cascade: only read by a statement we delete"
    if function is not None and any(
        isinstance(node, ast.Name) and node.id == name and node.lineno != line
        for node in ast.walk(_own_scope(function))
    ):
        return "name bound more than once: the linter reports one binding, we remove each"
    if report.removed[key] == "with":
        return "with ... as name: the linter does not report with targets"
    return f"other ({report.removed[key]})"


def _own_scope(function: ast.AST) -> ast.Module:
    """Return the function's statements with nested scopes (defs, lambdas, comprehensions) cut."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    comprehensions = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

    root = copy.deepcopy(function)

    class Cut(ast.NodeTransformer):
        def generic_visit(self, node: ast.AST) -> ast.AST | None:
            if node is not root and isinstance(node, nested + comprehensions):
                return None
            return super().generic_visit(node)

    return ast.Module(body=[Cut().visit(root)], type_ignores=[])


def _parse(path: Path) -> tuple[ast.Module, list[str]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return ast.parse(text), text.splitlines()


def _enclosing_function(tree: ast.Module, line: int) -> ast.AST | None:
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
            node.lineno <= line <= (node.end_lineno or node.lineno)
        ):
            if best is None or node.lineno >= best.lineno:
                best = node
    return best


def _binding_kind(function: ast.AST, line: int, name: str) -> str:
    arguments = getattr(function, "args", None)
    if arguments is not None and name in {
        a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    }:
        return "parameter reassigned"
    for node in ast.walk(function):
        if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name == name:
            return "match capture"
        if isinstance(node, ast.Assign) and node.lineno <= line <= (node.end_lineno or line):
            if any(isinstance(t, ast.Tuple | ast.List) for t in node.targets):
                return "tuple/list unpacking"
        if isinstance(node, ast.NamedExpr) and node.lineno == line:
            return "walrus target"
        if isinstance(node, ast.AugAssign) and node.lineno == line:
            return "augmented assignment"
        if isinstance(node, ast.For | ast.AsyncFor) and node.lineno == line:
            return "loop variable"
        if isinstance(node, ast.With | ast.AsyncWith) and node.lineno == line:
            if any(isinstance(i.optional_vars, ast.Tuple | ast.List) for i in node.items):
                return "with ... as (a, b)"
    return "plain"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
