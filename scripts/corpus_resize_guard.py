"""Corpus check of ``resize-guard`` on the Nova 34.0.0 wheel (and optionally the stdlib).

Runs the codemod with its default options on every file (written to a temporary directory,
so that the codemod's project index reads the whole tree), then checks each edited file:
the output compiles, and a second run changes nothing. It lists every edit, counts the
calls the rules apply to (request written inline or through a local), the sites wrapped, and
the skips grouped by reason. Exit status 1 if an edit does not compile, is not idempotent,
or the codemod raised an internal error.

    python scripts/corpus_check.py resize-guard [--corpus nova|stdlib|all] [--diff] [-v]
        [--options FILE.toml]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import difflib
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import corpora
import tomllib

from codemods.config import options_from_table
from codemods.engine import Engine, FileResult
from codemods.fixes.resize_guard import ResizeGuard, ResizeGuardOptions
from codemods.source import SourceFile

_QUOTED = re.compile(r"'[^']*'")
_NUMBERS = re.compile(r"\b\d+\b")


def main(argv: list[str]) -> int:
    """Run the check; print the edits and the counts; return the exit status."""
    parser = argparse.ArgumentParser(prog="corpus_check.py resize-guard", description=__doc__)
    parser.add_argument("--corpus", choices=("nova", "stdlib", "all"), default="nova")
    parser.add_argument("--diff", action="store_true", help="print the diff of every edit")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every skip")
    parser.add_argument(
        "--options", type=Path, help="a TOML file holding a [tool.codemods.resize-guard] body"
    )
    arguments = parser.parse_args(argv)
    options = None
    if arguments.options is not None:
        table = tomllib.loads(arguments.options.read_text(encoding="utf-8"))
        options = options_from_table(ResizeGuardOptions, table, str(arguments.options))
    status = 0
    for name, files in _corpora(arguments.corpus):
        codemod = ResizeGuard(options)
        status = max(status, _check(codemod, name, files, arguments.diff, arguments.verbose))
    return status


def _corpora(choice: str) -> Iterable[tuple[str, list[corpora.CorpusFile]]]:
    if choice in ("nova", "all"):
        yield f"nova-{corpora.NOVA_VERSION}", corpora.nova_files()
    if choice in ("stdlib", "all"):
        yield "stdlib", corpora.stdlib_files()


def _check(
    codemod: ResizeGuard,
    corpus: str,
    files: list[corpora.CorpusFile],
    diff: bool,
    verbose: bool,
) -> int:
    engine = Engine([codemod])
    reasons: collections.Counter[str] = collections.Counter()
    requests: collections.Counter[tuple[str, str]] = collections.Counter()
    problems: list[str] = []
    edited_files = wrapped = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="resize-guard-corpus-") as temporary:
        root = Path(temporary)  # on disk, so that the codemod's project index can read it
        for corpus_file in files:
            target = root / corpus_file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(corpus_file.data)
        for corpus_file in files:
            result = engine.fix_bytes(str(root / corpus_file.name), corpus_file.data)
            if result.error is not None:
                if result.error.codemod_id == codemod.id:
                    problems.append(result.error.format(corpus_file.name))
                continue
            for skip in result.skips:
                reasons[_reason_kind(skip.skip or "")] += 1
                if verbose:
                    print(f"{corpus_file.name}:{skip.line}: skip: {skip.message}: {skip.skip}")
            if result.skips or result.changes:
                for match in codemod.survey(SourceFile(result.path, result.old_text)):
                    requests[(match.rule, match.request)] += 1
            if not result.changed:
                continue
            edited_files += 1
            wrapped += len(result.changes)
            problems.extend(_verify(engine, result))
            for change in result.changes:
                print(f"{corpus_file.name}:{change.line}: {change.description}")
            if diff:
                sys.stdout.writelines(_diff(dataclasses.replace(result, path=corpus_file.name)))
    elapsed = time.perf_counter() - started
    _report(corpus, len(files), elapsed, edited_files, wrapped, requests, reasons, problems)
    return 1 if problems else 0


def _verify(engine: Engine, result: FileResult) -> list[str]:
    """Return what is wrong with an edited file: output that does not compile, or a second edit."""
    try:
        compile(result.new_text, result.path, "exec", dont_inherit=True)
    except SyntaxError as error:
        return [f"{result.path}: the output does not compile: {error.msg} (line {error.lineno})"]
    again = engine.fix_text(result.path, result.new_text)
    if again.error is not None or again.changed:
        return [f"{result.path}: a second run changes the output again"]
    return []


def _diff(result: FileResult) -> Iterable[str]:
    return difflib.unified_diff(
        result.old_text.splitlines(keepends=True),
        result.new_text.splitlines(keepends=True),
        f"a/{result.path}",
        f"b/{result.path}",
    )


def _reason_kind(reason: str) -> str:
    """Group skip reasons: drop names, keys and line numbers."""
    return _NUMBERS.sub("N", _QUOTED.sub("'…'", reason))


def _report(
    corpus: str,
    file_count: int,
    elapsed: float,
    edited_files: int,
    wrapped: int,
    requests: collections.Counter[tuple[str, str]],
    reasons: collections.Counter[str],
    problems: list[str],
) -> None:
    print(f"\n== resize-guard on {corpus}: {file_count} files in {elapsed:.1f} s")
    for (rule, form), count in sorted(requests.items()):
        print(f"calls rule {rule!r} applies to, request {form}: {count}")
    print(f"wrapped: {wrapped} sites in {edited_files} files, each compiling and idempotent")
    print(f"skipped: {sum(reasons.values())}")
    for reason, count in reasons.most_common():
        print(f"  {count:5d}  {reason}")
    for problem in problems:
        print(f"PROBLEM: {problem}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
