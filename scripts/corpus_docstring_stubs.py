"""Corpus check of ``docstring-stubs`` on Nova 34.0.0 and the standard library.

For each corpus the files are written to a temporary tree (so that ruff and the codemod see the
same packages), then:

* ``ruff check --select D1`` runs before and after the pep257 run: after it, every finding left
  must be a place the codemod reported as skipped; a docstring added where ruff reported
  nothing counts as "beyond D1";
* for each convention the codemod runs on every file; the AST must equal the original once
  the inserted docstrings are taken out, and a second run must change nothing;
* ``ruff --select D2,D3,D4`` with that ``lint.pydocstyle.convention`` (``sphinx`` has none in
  ruff: pep257 is used) and ``pydoclint --style`` run before and after; findings are compared
  per file and code, so a stub that adds one shows as "new".

pydoclint runs with ``--allow-init-docstring True`` (D107 asks for ``__init__`` docstrings,
which pydoclint's default forbids); its DOC106-DOC111 codes judge whether the *signatures*
carry type hints, a project policy, and are counted apart, as is DOC304, which that same
option raises when a class docstring documents the parameters of an ``__init__`` that D107
makes us document (the stub is the summary only; moving the author's text is not ours to do).

Usage: ``nice python scripts/corpus_check.py docstring-stubs [--corpus nova|stdlib|all]
[--stdlib-step N] [--conventions pep257,google,...]``.
"""

from __future__ import annotations

import argparse
import ast
import collections
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Iterable, Sequence
from pathlib import Path

import corpora

from codemods.engine import Engine, FileResult
from codemods.fixes.docstring_stubs import DocstringStubs, DocstringStubsOptions

BIN = Path(sys.executable).parent
CONVENTIONS = ("pep257", "google", "numpy", "sphinx")
RUFF_CONVENTION = {"pep257": "pep257", "google": "google", "numpy": "numpy", "sphinx": "pep257"}
LINE_LENGTH = 79
_UNREADABLE = "unreadable"
"""Code given to ruff's syntax errors: ruff reads UTF-8 only, and newer syntax than it knows."""
TYPE_POLICY_CODES = frozenset(f"DOC1{n:02d}" for n in range(6, 12))
D107_CONFLICT_CODES = frozenset({"DOC304"})
"""pydoclint codes that D107 forces: once ``__init__`` has the docstring D107 asks for,
``--allow-init-docstring`` makes pydoclint want the class docstring's parameter section moved
into it (DOC304). Moving the author's text is not a stub's business: counted apart."""
KIND = re.compile(r"^missing (?P<kind>.+?) docstring")
Finding = tuple[str, int, str]
"""``(relative path, line, code)``."""


def strip_docstrings(tree: ast.AST) -> tuple[str, list[str]]:
    """Return the tree's dump without docstrings, and the docstrings in walk order."""
    docstrings: list[str] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            docstrings.append(body[0].value.value)
            node.body = body[1:]
    return ast.dump(tree), docstrings


def only_docstrings_added(old_text: str, new_text: str) -> bool:
    """Tell whether ``new_text`` is ``old_text`` plus docstrings (old ones kept as they were)."""
    old_dump, old_docs = strip_docstrings(ast.parse(old_text))
    new_dump, new_docs = strip_docstrings(ast.parse(new_text))
    remaining = collections.Counter(new_docs)
    remaining.subtract(old_docs)
    return old_dump == new_dump and all(count >= 0 for count in remaining.values())


def ruff_findings(root: Path, select: str, convention: str | None = None) -> list[Finding]:
    """Run ruff (isolated from any config) on ``root``; return its findings."""
    command = [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--select", select]
    command += ["--output-format", "json", "--exit-zero", "--target-version", "py311"]
    command += ["--config", "exclude = []"]  # ruff skips venv/, build/... by default
    if convention is not None:
        command += ["--config", f'lint.pydocstyle.convention="{convention}"']
    output = subprocess.run([*command, str(root)], capture_output=True, text=True, check=True)
    return [
        (
            str(Path(item["filename"]).relative_to(root)),
            item["location"]["row"],
            _UNREADABLE if item["code"] in (None, "invalid-syntax", "E902") else item["code"],
        )
        for item in json.loads(output.stdout)
    ]


def pydoclint_findings(root: Path, style: str) -> list[Finding]:
    """Run pydoclint with ``style`` on ``root``; return its findings."""
    command = [str(BIN / "pydoclint"), "--quiet", "--style", style, "--exclude", r"\.git"]
    command += ["--allow-init-docstring", "True", str(root)]
    output = subprocess.run(command, capture_output=True, text=True)
    findings: list[Finding] = []
    current = ""
    for line in (output.stdout + output.stderr).splitlines():
        match = re.match(r"\s+(\d+): (DOC\d+):", line)
        if match and current:
            findings.append((current, int(match[1]), match[2]))
        elif line.strip() and not line.startswith(" "):
            path = Path(line.strip())
            current = str(path.relative_to(root)) if path.is_absolute() else str(path)
    return findings


def new_findings(before: Iterable[Finding], after: Iterable[Finding]) -> collections.Counter:
    """Count, per code, findings that appear after and not before (per file and code)."""
    old = collections.Counter((path, code) for path, _, code in before)
    new = collections.Counter((path, code) for path, _, code in after)
    added: collections.Counter = collections.Counter()
    for (path, code), count in new.items():
        if count > old[(path, code)]:
            added[code] += count - old[(path, code)]
    return added


def _is_utf8(data: bytes) -> bool:
    """Tell whether the file is UTF-8 (ruff reads nothing else; it reports nothing there)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:  # an unknown coding cookie
        return False
    return encoding in ("utf-8", "utf-8-sig")


def _line_text(path: Path, line: int) -> str:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _compiles(data: bytes) -> bool:
    try:
        compile(data, "<corpus file>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def write_tree(root: Path, files: Sequence[corpora.CorpusFile]) -> list[Path]:
    """Write the corpus files under ``root``; return their paths."""
    paths = []
    for corpus_file in files:
        path = root / corpus_file.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(corpus_file.data)
        paths.append(path)
    return paths


def run_convention(
    convention: str, paths: Sequence[Path], source_root: Path, target_root: Path
) -> dict:
    """Run the codemod with ``convention`` on every file; write results under ``target_root``."""
    engine = Engine([DocstringStubs(DocstringStubsOptions(convention=convention))])
    kinds: collections.Counter = collections.Counter()
    placeholders = errors = unparsable = ast_mismatch = not_idempotent = long_lines = 0
    skips: list[tuple[str, int, str]] = []
    added: list[tuple[str, int]] = []
    libcst_failures: list[str] = []
    rerun: list[tuple[Path, Path, str]] = []
    not_compiling: list[str] = []
    started = time.perf_counter()
    for path in paths:
        relative = path.relative_to(source_root)
        result: FileResult = engine.fix_bytes(str(path), path.read_bytes())
        target = target_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if result.error is not None and not _compiles(path.read_bytes()):
            unparsable += 1  # stdlib test data that does not compile on purpose
            not_compiling.append(str(relative))
            target.write_bytes(path.read_bytes())
            continue
        if result.error is not None:
            message = result.error.message
            library = message.startswith("LibCST cannot parse") or "RecursionError" in message
            errors += not library
            libcst_failures.append(str(relative))
            print(f"  error: {result.error.format(str(relative))}", file=sys.stderr)
            target.write_bytes(path.read_bytes())
            continue
        target.write_bytes(result.new_bytes() if result.changed else path.read_bytes())
        lines = result.old_text.splitlines()
        skips.extend(
            (str(relative), lines[skip.line - 1].strip(), skip.skip) for skip in result.skips
        )
        # ruff reports D1 at the def/class line; a finding's region starts at its decorators
        added.extend(
            (str(relative), _header_line(lines, change.line)) for change in result.changes
        )
        for change in result.changes:
            match = KIND.match(change.message)
            kinds[match["kind"] if match else "?"] += 1
            placeholders += "'Describe " in change.action
        if result.changed:
            old_lines = set(result.old_text.splitlines())
            long_lines += sum(
                len(line) > LINE_LENGTH and line not in old_lines
                for line in result.new_text.splitlines()
            )
            if not only_docstrings_added(result.old_text, result.new_text):
                ast_mismatch += 1
                print(f"  AST differs beyond docstrings: {relative}", file=sys.stderr)
            rerun.append((relative, target, result.new_text))
    # the second run once every file is written: the codemod reads the project's other
    # files (a base class's documented method), which must be the fixed ones
    for relative, target, text in rerun:
        again = engine.fix_text(str(target), text)
        if again.changed or again.error is not None:
            not_idempotent += 1
            print(f"  second run changes: {relative}", file=sys.stderr)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "added": dict(kinds),
        "added_total": sum(kinds.values()),
        "placeholders": placeholders,
        "new_lines_over_79": long_lines,
        "errors": errors,
        "libcst_failures": len(libcst_failures),
        "libcst_failed_files": libcst_failures,
        "unparsable": unparsable,
        "unparsable_files": not_compiling,
        "ast_mismatch": ast_mismatch,
        "not_idempotent": not_idempotent,
        "skips": skips,
        "places": added,
    }


def _header_line(lines: list[str], line: int) -> int:
    """Return the ``def``/``class`` line of a finding that starts at a decorator."""
    while line <= len(lines) and lines[line - 1].lstrip().startswith("@"):
        line += 1
        while line <= len(lines) and not lines[line - 1].lstrip().startswith(
            ("@", "def ", "async def ", "class ")
        ):
            line += 1  # a decorator's continuation lines
    return line


def check_corpus(name: str, files: Sequence[corpora.CorpusFile], conventions: Sequence[str]):
    """Run the whole check on one corpus; print and return its numbers."""
    report: dict = {"corpus": name, "files": len(files)}
    with tempfile.TemporaryDirectory(prefix=f"docstring-stubs-{name}-") as temporary:
        base = Path(temporary)
        source_root = base / "original"
        paths = write_tree(source_root, files)
        d1_before = ruff_findings(source_root, "D1")
        report["d1_before"] = dict(collections.Counter(code for _, _, code in d1_before))
        for convention in conventions:
            target_root = base / convention
            numbers = run_convention(convention, paths, source_root, target_root)
            skips = numbers.pop("skips")
            places = numbers.pop("places")
            if convention == "pep257" or "d1_after" not in report:
                d1_after = ruff_findings(target_root, "D1")
                skipped = {(path, text) for path, text, _ in skips}
                unreadable = {path for path, _, code in d1_before if code == _UNREADABLE}
                unreadable |= {f.name for f in files if not _is_utf8(f.data)}
                failed = set(numbers["libcst_failed_files"]) | set(numbers["unparsable_files"])
                unexplained = [
                    f
                    for f in d1_after
                    if (f[0], _line_text(target_root / f[0], f[1])) not in skipped
                    and f[0] not in failed
                    and f[0] not in unreadable
                ]
                report["d1_after_in_libcst_failures"] = sum(f[0] in failed for f in d1_after)
                report["d1_after"] = dict(collections.Counter(code for _, _, code in d1_after))
                report["d1_after_unexplained"] = unexplained[:20]
                report["d1_after_unexplained_count"] = len(unexplained)
                flagged = {(path, line) for path, line, _ in d1_before}
                beyond = [p for p in places if p not in flagged and p[0] not in unreadable]
                report["ruff_unreadable_files"] = sorted(unreadable)
                report["beyond_d1"] = len(beyond)
                report["beyond_d1_examples"] = beyond[:20]
                report["skips"] = [f"{path}: {reason}" for path, _, reason in skips]
            ruff_convention = RUFF_CONVENTION[convention]
            before = ruff_findings(source_root, "D2,D3,D4", ruff_convention)
            after = ruff_findings(target_root, "D2,D3,D4", ruff_convention)
            numbers["ruff_d234_before"] = len(before)
            numbers["ruff_d234_new"] = dict(new_findings(before, after))
            if convention != "pep257":
                doc_before = pydoclint_findings(source_root, convention)
                doc_after = pydoclint_findings(target_root, convention)
                added = new_findings(doc_before, doc_after)
                policy = {code: n for code, n in added.items() if code in TYPE_POLICY_CODES}
                conflicts = {code: n for code, n in added.items() if code in D107_CONFLICT_CODES}
                numbers["pydoclint_before"] = len(doc_before)
                numbers["pydoclint_new"] = {
                    code: n
                    for code, n in added.items()
                    if code not in TYPE_POLICY_CODES | D107_CONFLICT_CODES
                }
                numbers["pydoclint_new_type_policy"] = policy
                numbers["pydoclint_new_d107_conflict"] = conflicts
            report[convention] = numbers
            print(f"{name} {convention}: {json.dumps(numbers)}", flush=True)
    print(f"{name}: {json.dumps({k: v for k, v in report.items() if k not in CONVENTIONS})}")
    return report


def passed(report: dict) -> bool:
    """Tell whether a corpus report meets the issue's bar."""
    conventions = [report[c] for c in CONVENTIONS if c in report]
    return (
        report["d1_after_unexplained_count"] == 0
        and report["beyond_d1"] == 0
        and all(
            not c["ruff_d234_new"]
            and not c.get("pydoclint_new")
            and c["errors"] == c["ast_mismatch"] == c["not_idempotent"] == 0
            for c in conventions
        )
    )


def main(argv: list[str]) -> int:
    """Run the check; exit 0 when every corpus passes, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="corpus_check.py docstring-stubs")
    parser.add_argument("--corpus", choices=("nova", "stdlib", "all"), default="all")
    parser.add_argument("--stdlib-step", type=int, default=1, help="take every N-th stdlib file")
    parser.add_argument("--conventions", default=",".join(CONVENTIONS))
    arguments = parser.parse_args(argv)
    conventions = [c for c in arguments.conventions.split(",") if c]
    reports = []
    if arguments.corpus in ("nova", "all"):
        reports.append(check_corpus("nova", corpora.nova_files(), conventions))
    if arguments.corpus in ("stdlib", "all"):
        stdlib = corpora.stdlib_files(step=arguments.stdlib_step)
        reports.append(check_corpus("stdlib", stdlib, conventions))
    ok = all(passed(report) for report in reports)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
