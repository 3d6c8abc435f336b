"""Benchmark: the whole run as a ratio of the bare LibCST parse, on a real corpus.

Measured in one process, in the same run, on the same files:

* ``floor`` -- ``libcst.parse_module`` of every file (the bare parse the ratio is held to);
* ``ast`` -- ``ast.parse`` of every file, for scale;
* ``engine`` -- the engine with every built-in codemod (decode, find, parse where needed,
  fix, verify), as ``codemods diff -j 1`` runs it, minus printing;

and reports ``engine / floor``, how many files needed a LibCST parse, the time per codemod's
``find`` and ``fix``, and the peak memory. Usage::

    python scripts/bench.py [--corpus nova|stdlib] [--limit N] [--select ID,...]
"""

from __future__ import annotations

import argparse
import ast
import collections
import resource
import sys
import time
from pathlib import Path

import libcst as cst

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora  # noqa: E402

from codemods.config import Config  # noqa: E402
from codemods.engine import Engine  # noqa: E402
from codemods.fixes.base import Codemod  # noqa: E402


def timed_codemods(codemods: list[Codemod], clock: dict[str, float]) -> list[Codemod]:
    """Wrap each codemod's find and fix (or fix_tree) so that their time adds up in ``clock``."""
    for codemod in codemods:
        for step in ("find", "fix", "fix_tree"):
            original = getattr(codemod, step, None)
            if original is None:
                continue

            def wrapper(*args, _original=original, _key=f"{codemod.id}.{step}", _step=step):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    found = _original(*args)
                    return list(found) if _step == "find" else found  # find may be lazy
                finally:
                    clock[_key] += time.perf_counter() - start

            setattr(codemod, step, wrapper)
    return codemods


def main(argv: list[str]) -> int:
    """Run the benchmark and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["nova", "stdlib"], default="nova")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--select", default=None, help="comma-separated codemod ids")
    args = parser.parse_args(argv)
    load = corpora.nova_files if args.corpus == "nova" else corpora.stdlib_files
    files = load(limit=args.limit)
    texts = []
    for corpus_file in files:
        try:
            text = corpus_file.data.decode("utf-8")
            ast.parse(text)
            texts.append((corpus_file, text))
        except (UnicodeDecodeError, SyntaxError):
            continue
    megabytes = sum(len(f.data) for f, _ in texts) / 1e6

    start = time.perf_counter()
    for _, text in texts:
        cst.parse_module(text)
    floor = time.perf_counter() - start

    start = time.perf_counter()
    for _, text in texts:
        ast.parse(text)
    ast_time = time.perf_counter() - start

    select = tuple(args.select.split(",")) if args.select else None
    clock: dict[str, float] = collections.defaultdict(float)
    engine = Engine(timed_codemods(Config(select=select).build_codemods(), clock))
    parses = 0
    real_parse = cst.parse_module

    def counting_parse(text: str) -> cst.Module:
        nonlocal parses
        parses += 1
        return real_parse(text)

    cst.parse_module = counting_parse  # type: ignore[assignment]
    changed = failed = 0
    start = time.perf_counter()
    for corpus_file, _ in texts:
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        changed += result.changed
        failed += result.error is not None
    engine_time = time.perf_counter() - start
    cst.parse_module = real_parse  # type: ignore[assignment]

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.corpus}, {len(texts)} files, {megabytes:.1f} MB")
    print(
        f"floor (libcst.parse_module, every file): {floor:7.2f} s  ({floor / megabytes:.2f} s/MB)"
    )
    print(f"ast.parse, every file:                   {ast_time:7.2f} s")
    print(f"engine, all codemods:                    {engine_time:7.2f} s")
    print(f"ratio engine / floor:                    {engine_time / floor:7.2f}")
    print(
        f"files parsed with LibCST: {parses} of {len(texts)}; changed {changed}, failed {failed}"
    )
    for key in sorted(clock):
        print(f"  {key:<28} {clock[key]:7.2f} s")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
