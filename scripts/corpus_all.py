"""All codemods on whole corpora: the invariants every run keeps, and what the run did.

Usage: ``python scripts/corpus_check.py all [--corpus NAME,...] [--unsafe-fixes] [--step N]
[--limit N] [-j N] [--json FILE]``.

Each file goes through :class:`codemods.engine.Engine` with every built-in codemod, built as
the command line builds it (``Config.build_engine``: unsafe fixes held back unless
``--unsafe-fixes``), under the file's real path (``resize-guard`` reads the project around
it). For each file this script checks, independently of the engine's own checks:

* no exception escapes the engine and no codemod fails on it (``internal error``, or output
  the engine had to reject because it does not parse or compile);
* a changed file's new bytes compile (``compile`` of the bytes: cookie and BOM included);
* every line outside the edited ones keeps its bytes: the lines the text diff leaves equal
  are compared as the bytes read and the bytes that would be written;
* the codemods' promises hold: the calls, awaits and yields of the program are the same
  ones (guards ``resize-guard`` added set aside), see :func:`same_effects`;
* the output is a fixed point: the engine changes nothing on a second run.

Per corpus it reports the files, the edits per codemod, the skips by reason, the errors by
kind and every violation; the exit code is 1 when there is any violation. The corpora are
Nova 34.0.0, this interpreter's standard library and the PyPI projects of
:data:`corpora.PYPI_PROJECTS`, downloaded at run time into the corpora cache.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import collections
import concurrent.futures
import dataclasses
import inspect
import io
import json
import re
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from difflib import SequenceMatcher
from pathlib import Path

import corpora

from codemods.config import Config
from codemods.deepstack import TooDeep, call_with_room
from codemods.engine import Engine, FileResult

CORPORA = ("nova", "stdlib", *corpora.PYPI_PROJECTS)
"""Every corpus this script knows, in run order."""

Promise = Callable[[ast.Module, ast.Module], "str | None"]
"""Compares a program before and after a run: ``None`` when the promise holds, else why not.
It may change the trees it is given."""

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_LINE_BYTES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclasses.dataclass(frozen=True)
class Violation:
    """A broken invariant on one file: its kind and what exactly went wrong."""

    kind: str
    detail: str


@dataclasses.dataclass
class FileCheck:
    """What the codemods did to one file, and the invariants it broke."""

    name: str
    changed: bool = False
    edits: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    """Fixed findings per codemod id."""
    skips: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    """Skipped findings per ``codemod: reason`` (names and numbers in the reason elided)."""
    error: str | None = None
    """The kind of the file's error, if the engine reported one."""
    violations: list[Violation] = dataclasses.field(default_factory=list)


# --- one file -----------------------------------------------------------------------------


def check_file(
    engine: Engine, path: str, data: bytes, promise: Promise | None = None
) -> FileCheck:
    """Run ``engine`` on ``data`` (read from ``path``) and check every invariant.

    ``promise`` compares the old and new programs (default: :func:`same_effects`). The
    checks walk trees recursively, so deep code is checked again with a large stack.
    """
    try:
        return call_with_room(lambda: _check_file(engine, path, data, promise))
    except TooDeep as error:
        return FileCheck(path, violations=[Violation("too deep to check", str(error))])


def _check_file(engine: Engine, path: str, data: bytes, promise: Promise | None) -> FileCheck:
    check = FileCheck(path)
    try:
        result = engine.fix_bytes(path, data)
    except Exception:
        check.violations.append(Violation("exception", traceback.format_exc()))
        return check
    for finding in result.findings:
        if finding.fixed:
            check.edits[finding.codemod_id] += 1
        else:
            check.skips[f"{finding.codemod_id}: {elide(finding.skip or '')}"] += 1
    if result.error is not None:
        check.error = error_kind(result)
        if result.error.codemod_id is not None:
            check.violations.append(Violation("codemod failed", result.error.format(path)))
        return check
    check.changed = result.changed
    if check.changed:
        check.violations.extend(_changed_file_violations(engine, path, data, result, promise))
    return check


def _changed_file_violations(
    engine: Engine, path: str, data: bytes, result: FileResult, promise: Promise | None
) -> Iterator[Violation]:
    """Check a changed file: it compiles, kept its other bytes and promise, is a fixed point."""
    try:
        new_data = result.new_bytes()
    except UnicodeEncodeError as error:
        yield Violation("cannot encode", f"{result.encoding}: {error}")
        return
    try:
        compile(new_data, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        yield Violation("does not compile", f"{type(error).__name__}: {error}")
        return
    detail = untouched_bytes_differ(data, new_data, result.old_text, result.new_text)
    if detail is not None:
        yield Violation("bytes changed outside the edits", detail)
    try:
        old_tree = parse_as_read(result.old_text)
    except SyntaxError as error:
        yield Violation("promise not checked", f"the old text does not parse: {error}")
    else:
        broken = (promise or same_effects)(old_tree, ast.parse(result.new_text))
        if broken is not None:
            yield Violation("promise broken", broken)
    try:
        again = engine.fix_bytes(path, new_data)
    except Exception:
        yield Violation("exception", "on the second run: " + traceback.format_exc())
        return
    if again.error is not None:
        yield Violation("not a fixed point", "second run: " + again.error.format(path))
    elif again.changed:
        yield Violation("not a fixed point", "second run changes:\n" + _first_change(again))


def parse_as_read(text: str) -> ast.Module:
    """Parse ``text``; a ``TabError`` file as Python 2 read it (tabs to 8 columns).

    ``indentation`` repairs such files (its ``repair``); the program they hold is the one
    Python 2 ran. Lines inside strings (f-strings included) keep their whitespace.
    """
    try:
        return ast.parse(text)
    except TabError:
        pass
    inside = _rows_inside_strings(text)
    lines = split_lines(text)
    for row, line in enumerate(lines, start=1):
        indent = _indent(line)
        if row not in inside and "\t" in indent:
            keep = indent[: indent.rfind("\f") + 1]  # a form feed resets the column
            lines[row - 1] = keep + indent[len(keep) :].expandtabs(8) + line[len(indent) :]
    return ast.parse("".join(lines))


_STRING_STARTS = {tokenize.STRING} | {
    getattr(tokenize, name)
    for name in ("FSTRING_START", "TSTRING_START")
    if hasattr(tokenize, name)
}
_STRING_ENDS = {tokenize.STRING} | {
    getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)
}


def _rows_inside_strings(text: str) -> set[int]:
    """Return the rows that continue a string begun on an earlier row.

    Tokenized from a copy whose indentation is all spaces at the same columns: from Python
    3.12 ``tokenize`` is the interpreter's tokenizer, which raises the very ``TabError``, and
    an f-string comes as ``FSTRING_START`` ... ``FSTRING_END`` (nested ones too).
    """
    probe = "".join(  # LF line ends too: tokenize numbers CR-only rows as one before 3.12
        " " * len(_indent(line).split("\f")[-1].expandtabs(8))
        + line[len(_indent(line)) :].rstrip("\r\n")
        + ("\n" if line.endswith(("\r", "\n")) else "")
        for line in split_lines(text)
    )
    inside: set[int] = set()
    depth, start = 0, 0
    for token in tokenize.generate_tokens(io.StringIO(probe, newline="").readline):
        if token.type in _STRING_STARTS and depth == 0:
            start = token.start[0]
        if token.type in _STRING_STARTS and token.type != tokenize.STRING:
            depth += 1
        if token.type in _STRING_ENDS and token.type != tokenize.STRING:
            depth -= 1
        if token.type in _STRING_ENDS and depth == 0:
            inside.update(range(start + 1, token.end[0] + 1))
    return inside


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _first_change(result: FileResult) -> str:
    """Return the first lines a run changed, old and new, for a report."""
    old, new = split_lines(result.old_text), split_lines(result.new_text)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"line {i1 + 1}: {''.join(old[i1:i2])!r} -> {''.join(new[j1:j2])!r}"[:2000]
    return "(no line changed)"


def split_lines(text: str) -> list[str]:
    """Split text at ``\\n``, ``\\r\\n`` and ``\\r`` (as Python numbers lines), endings kept."""
    return _LINE.findall(text)


def split_byte_lines(data: bytes) -> list[bytes]:
    """Split bytes at ``\\n``, ``\\r\\n`` and ``\\r``, endings kept."""
    return _LINE_BYTES.findall(data)


def untouched_bytes_differ(
    old_data: bytes, new_data: bytes, old_text: str, new_text: str
) -> str | None:
    """Tell how the bytes of a line the edit left alone changed (``None``: none did).

    The lines the text diff leaves equal are the untouched ones; each must keep its bytes.
    A UTF-8 byte order mark belongs to the file, not to its first line: it must be kept.
    """
    if old_data.startswith(codecs.BOM_UTF8) != new_data.startswith(codecs.BOM_UTF8):
        return "the byte order mark was added or lost"
    old_data, new_data = _without_bom(old_data), _without_bom(new_data)
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    old_bytes, new_bytes = split_byte_lines(old_data), split_byte_lines(new_data)
    if len(old_lines) != len(old_bytes) or len(new_lines) != len(new_bytes):
        return (
            f"the text has {len(old_lines)} -> {len(new_lines)} lines, "
            f"the bytes {len(old_bytes)} -> {len(new_bytes)}"
        )
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for offset in range(size):
            if old_bytes[i + offset] != new_bytes[j + offset]:
                before, after = old_bytes[i + offset], new_bytes[j + offset]
                return f"untouched line {i + offset + 1}: {before!r} -> {after!r}"
    return None


def _without_bom(data: bytes) -> bytes:
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


# --- the codemods' promises ---------------------------------------------------------------


def same_ast(old: ast.Module, new: ast.Module) -> str | None:
    """Require the same program, docstrings compared by their cleaned text (indentation)."""
    return _compare(_dump(old, _clean_docstrings), _dump(new, _clean_docstrings))


def same_without_docstrings(old: ast.Module, new: ast.Module) -> str | None:
    """Require the same program once docstrings are removed (docstring-stubs adds only them)."""
    return _compare(_dump(old, _drop_docstrings), _dump(new, _drop_docstrings))


def same_without_guards(old: ast.Module, new: ast.Module) -> str | None:
    """Require the same program once each guard ``try`` is replaced by its body (resize-guard)."""
    return _compare(_dump(old, _unwrap_guards), _dump(new, _unwrap_guards))


def same_effects(old: ast.Module, new: ast.Module) -> str | None:
    """Require the same calls, awaits and yields, with guards set aside (every codemod).

    ``unused-variables`` removes bindings but keeps every effect of their right-hand side
    (a pure right-hand side, a lambda included, may go); ``docstring-stubs`` and
    ``indentation`` change no expression; ``resize-guard`` adds calls only in the handlers
    of the guards it writes.
    """
    before, after = _effects(_unwrap_guards(old)), _effects(_unwrap_guards(new))
    if before == after:
        return None
    lost, gained = before - after, after - before
    return f"effects lost: {sorted(lost)[:3]}; effects gained: {sorted(gained)[:3]}"


def _compare(old: str, new: str) -> str | None:
    if old == new:
        return None
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), 0)
    return f"ast differs: {old[max(0, at - 80) : at + 80]!r} -> {new[max(0, at - 80) : at + 80]!r}"


def _dump(tree: ast.Module, normalise: Callable[[ast.Module], ast.Module]) -> str:
    return ast.dump(normalise(tree))


_DEFINITIONS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _clean_docstrings(tree: ast.Module) -> ast.Module:
    """Replace each string statement by ``inspect.cleandoc`` of it, blank lines emptied.

    Every statement that is only a string counts: docstrings and attribute docstrings
    (PEP 257) alike, as for ``indentation``, which moves them with their statement.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and _is_docstring(node):
            constant = node.value  # type: ignore[attr-defined]
            lines = inspect.cleandoc(constant.value).split("\n")
            constant.value = "\n".join(line if line.strip() else "" for line in lines)
    return tree


def _drop_docstrings(tree: ast.Module) -> ast.Module:
    """Remove every docstring and every ``pass`` (a stub may stand in for a ``pass``)."""
    for node in ast.walk(tree):
        if isinstance(node, _DEFINITIONS):
            node.body = [
                statement
                for index, statement in enumerate(node.body)
                if not (index == 0 and _is_docstring(statement))
                and not isinstance(statement, ast.Pass)
            ]
    return tree


def _is_guard(node: ast.AST) -> bool:
    """Tell whether ``node`` is a ``try`` whose only handler ends by re-raising (a guard)."""
    if not isinstance(node, ast.Try) or node.orelse or node.finalbody:
        return False
    if len(node.handlers) != 1:
        return False
    last = node.handlers[0].body[-1]
    if isinstance(last, ast.Raise) and last.exc is None:
        return True
    return isinstance(last, ast.With) and "reraise" in ast.dump(last.items[0].context_expr)


def _unwrap_guards(tree: ast.Module) -> ast.Module:
    """Replace every guard ``try`` by its body, innermost first."""

    class Unwrap(ast.NodeTransformer):
        def visit_Try(self, node: ast.Try) -> ast.AST | list[ast.stmt]:
            self.generic_visit(node)
            return node.body if _is_guard(node) else node

    return Unwrap().visit(tree)


def _effects(tree: ast.AST) -> collections.Counter[str]:
    """Count the calls, awaits and yields outside lambdas and annotations, by their dump."""
    found: collections.Counter[str] = collections.Counter()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
            found[ast.dump(node)] += 1
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns"):
                continue
            values = value if isinstance(value, list) else [value]
            pending.extend(item for item in values if isinstance(item, ast.AST))
    return found


# --- kinds and reasons --------------------------------------------------------------------

_QUOTED = re.compile(r"'[^']*'|`[^`]*`|\"[^\"]*\"")
_CODE_NAME = re.compile(r"\b\w*(?:_\w|\.\w|[a-z][A-Z])[\w.]*")
"""A word that reads as a name from code: with an underscore, a dot or a camel hump."""
_NUMBER = re.compile(r"\b\d+\b")
_SUBJECT = re.compile(r"^\w+(?=: | overrides )")
"""The definition a reason starts with (``setUp: ...``, ``close overrides ...``)."""


def elide(reason: str) -> str:
    """Return ``reason`` with quoted text, names from code and numbers elided, to group it."""
    reason = _CODE_NAME.sub("…", _QUOTED.sub("'…'", _SUBJECT.sub("…", reason)))
    return _NUMBER.sub("N", reason)[:120]


def error_kind(result: FileResult) -> str:
    """Return the kind of a file's error: its codemod and the head of its message."""
    assert result.error is not None
    parts = result.error.message.split(": ")
    if result.error.codemod_id is not None:
        head = ": ".join(parts[:2]) if parts[0] == "internal error" else parts[0]
        return f"[{result.error.codemod_id}] {head}"
    for prefix in ("LibCST cannot parse", "cannot decode", "unknown encoding"):
        if parts[0].startswith(prefix):
            return prefix
    return "does not parse: " + elide(parts[0].split("(")[0].strip())


# --- corpora ------------------------------------------------------------------------------


def corpus_paths(name: str) -> list[Path]:
    """Return the ``*.py`` files of a corpus on disk, in name order (downloaded once)."""
    if name == "nova":
        root = corpora.nova_tree(corpora.cache_dir() / "trees" / f"nova-{corpora.NOVA_VERSION}")
    elif name == "stdlib":
        root = Path(sysconfig.get_paths()["stdlib"])
        skipped = {"site-packages", "__pycache__"}
        return sorted(p for p in root.rglob("*.py") if not skipped & set(p.parts))
    else:
        root = corpora.pypi_tree(name)
    return sorted(root.rglob("*.py"))


_worker_engine: Engine | None = None


def _start_worker(config: Config) -> None:
    global _worker_engine
    _worker_engine = config.build_engine()


def _check_path(path: Path) -> FileCheck:
    assert _worker_engine is not None, "worker used before its initializer ran"
    return check_file(_worker_engine, str(path), path.read_bytes())


def check_paths(paths: Sequence[Path], config: Config, jobs: int = 1) -> Iterator[FileCheck]:
    """Check every file, in order, in ``jobs`` worker processes (``1``: in this process)."""
    if jobs <= 1:
        _start_worker(config)
        yield from map(_check_path, paths)
        return
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_start_worker, initargs=(config,)
    ) as pool:
        yield from pool.map(_check_path, paths, chunksize=4)


@dataclasses.dataclass
class CorpusReport:
    """The counts of one corpus and its violations."""

    corpus: str
    files: int = 0
    changed: int = 0
    seconds: float = 0.0
    edits: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    skips: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    errors: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    violations: list[tuple[str, Violation]] = dataclasses.field(default_factory=list)

    def add(self, check: FileCheck) -> None:
        """Count one file's check."""
        self.files += 1
        self.changed += check.changed
        self.edits.update(check.edits)
        self.skips.update(check.skips)
        if check.error is not None:
            self.errors[check.error] += 1
        self.violations.extend((check.name, violation) for violation in check.violations)

    def markdown(self, top: int) -> str:
        """Render the counts and violations as Markdown (the ``top`` commonest skips)."""
        kinds = collections.Counter(violation.kind for _, violation in self.violations)
        edits = ", ".join(f"{key} {count}" for key, count in sorted(self.edits.items()))
        lines = [
            f"### {self.corpus}",
            "",
            f"{self.files} files, {self.changed} changed, {self.seconds:.0f} s.",
            f"Edits per codemod: {edits or 'none'}.",
            *_counted(f"Skips by reason (the {top} commonest)", self.skips, top),
            *_counted("Errors by kind", self.errors),
            *_counted("Invariant violations", kinds),
        ]
        for name, violation in self.violations:
            lines += ["", f"`{name}`: **{violation.kind}**", "", "```", violation.detail, "```"]
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        """Return the counts as plain data."""
        return {
            "corpus": self.corpus,
            "files": self.files,
            "changed": self.changed,
            "seconds": round(self.seconds, 1),
            "edits": dict(self.edits),
            "skips": dict(self.skips),
            "errors": dict(self.errors),
            "violations": [
                {"file": name, "kind": v.kind, "detail": v.detail} for name, v in self.violations
            ],
        }


def _counted(title: str, counts: collections.Counter[str], top: int | None = None) -> list[str]:
    """Return a Markdown list of the commonest counts under ``title`` and their total."""
    total = sum(counts.values())
    if not total:
        return ["", f"{title}: none."]
    items = [f"- {count} × {key}" for key, count in counts.most_common(top)]
    return ["", f"{title}, {total} in all:", "", *items]


def check_corpus(name: str, paths: Sequence[Path], config: Config, jobs: int) -> CorpusReport:
    """Check every file of one corpus and count the results."""
    report = CorpusReport(name)
    start = time.perf_counter()
    for check in check_paths(paths, config, jobs):
        report.add(check)
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str]) -> int:
    """Run the invariant check on the chosen corpora; return 1 when any invariant broke."""
    parser = argparse.ArgumentParser(prog="corpus_check.py all", description=__doc__)
    parser.add_argument("--corpus", default=",".join(CORPORA), help="comma-separated corpora")
    parser.add_argument("--unsafe-fixes", action="store_true", help="make unsafe fixes too")
    parser.add_argument("--step", type=int, default=1, help="every N-th file only")
    parser.add_argument("--limit", type=int, help="at most N files per corpus")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--top", type=int, default=15, help="skip reasons listed per corpus")
    parser.add_argument("--json", type=Path, help="also write the counts to this file")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore", SyntaxWarning)  # the stdlib's tests hold odd code
    names = options.corpus.split(",")
    unknown = sorted(set(names) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)} (known: {', '.join(CORPORA)})")
    config = Config(unsafe_fixes=options.unsafe_fixes)
    reports = []
    for name in names:
        paths = corpus_paths(name)[:: options.step][: options.limit]
        report = check_corpus(name, paths, config, options.jobs)
        print(report.markdown(options.top), flush=True)
        reports.append(report)
    if options.json is not None:
        options.json.write_text(json.dumps([r.as_json() for r in reports], indent=1) + "\n")
    broken = sum(len(report.violations) for report in reports)
    mode = "with --unsafe-fixes" if options.unsafe_fixes else "default fixes"
    print(f"{sum(r.files for r in reports)} files ({mode}), {broken} invariant violations.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
