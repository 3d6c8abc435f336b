"""Compare this engine's output with a reference commit's, byte for byte, on real corpora.

The performance work (text edits instead of LibCST, a cache, lazy imports) must not change
one byte of what the tool writes. This runs ``codemods diff`` of a reference commit (checked
out once with ``git worktree`` under the corpus cache) and of the working tree on the same
corpus directories, with the same options, and reports the files whose diffs differ.

Usage::

    python scripts/reference.py [--rev REV] [--corpus nova,stdlib,django,sqlalchemy,sympy]
                                [--unsafe-fixes] [--select ID,...] [-j N]

Exit status 1 when some output differs. The reference's output is cached per commit and
options, so a second comparison runs only the working tree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
REFERENCE_REV = "9cff55d"
"""The last commit before the performance work: its engine's output is the one to keep."""


def corpus_directory(name: str) -> Path:
    """Return the directory of a corpus's Python files (downloaded and extracted once)."""
    if name == "nova":
        return corpora.nova_tree(corpora.cache_dir() / "trees" / f"nova-{corpora.NOVA_VERSION}")
    if name == "stdlib":
        return stdlib_tree()
    return corpora.pypi_tree(name)


def stdlib_tree() -> Path:
    """Return a copy of the standard library's files (once): the real one may sit under a
    directory that a ``.gitignore`` above it ignores (pyenv ignores ``/versions``)."""
    version = sysconfig.get_python_version()
    directory = corpora.cache_dir() / "trees" / f"stdlib-{version}"
    done = directory / ".copied"
    if not done.exists():
        for corpus_file in corpora.stdlib_files():
            target = directory / corpus_file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(corpus_file.data)
        done.touch()
    return directory


def reference_checkout(rev: str) -> Path:
    """Return a checkout of ``rev`` (a git worktree under the corpus cache, made once)."""
    full = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    checkout = corpora.cache_dir() / "reference" / full
    if not (checkout / "codemods" / "__init__.py").exists():
        checkout.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=PROJECT, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(checkout), full],
            cwd=PROJECT,
            check=True,
            capture_output=True,
        )
    return checkout


def diff_command(directory: Path, options: list[str]) -> list[str]:
    """Return the ``codemods diff`` command line for ``directory`` (paths sorted, no colour)."""
    return [sys.executable, "-m", "codemods", "diff", "--color=never", *options, str(directory)]


def run_diff(code_root: Path, directory: Path, options: list[str]) -> bytes:
    """Return the stdout of ``codemods diff`` as the code under ``code_root`` writes it."""
    environment = dict(os.environ, PYTHONPATH=str(code_root), CODEMODS_NO_CACHE="1")
    completed = subprocess.run(
        diff_command(directory, options),
        cwd=corpora.cache_dir(),  # not the corpus: python -m puts the cwd first on sys.path
        env=environment,
        capture_output=True,
        check=False,
    )
    if completed.returncode not in (0, 1, 2):  # 2: some files are invalid (the stdlib's are)
        sys.stderr.write(completed.stderr.decode(errors="replace"))
        raise SystemExit(f"codemods diff failed under {code_root} (exit {completed.returncode})")
    return completed.stdout + completed.stderr  # the errors must match too


def reference_output(rev: str, corpus: str, directory: Path, options: list[str]) -> bytes:
    """Return the reference commit's diff of a corpus (cached per commit and options)."""
    checkout = reference_checkout(rev)
    key = hashlib.sha256(
        "\0".join(["stdout+stderr", corpus, str(directory), *options]).encode()
    ).hexdigest()[:16]
    cached = checkout.parent / f"{checkout.name}-{corpus}-{key}.diff"
    if not cached.exists():
        output = run_diff(checkout, directory, options)
        cached.write_bytes(output)
    return cached.read_bytes()


def per_file(diff: bytes) -> dict[bytes, bytes]:
    """Split a multi-file unified diff into each file's part, keyed by its ``---`` line."""
    parts: dict[bytes, bytes] = {}
    current = b""
    for line in diff.splitlines(keepends=True):
        if line.startswith(b"--- "):
            current = line
            parts[current] = b""
        parts[current] = parts.get(current, b"") + line
    return parts


def compare(rev: str, corpus: str, options: list[str]) -> list[str]:
    """Return the names of the files whose diff differs from the reference's."""
    directory = corpus_directory(corpus)
    expected = reference_output(rev, corpus, directory, options)
    actual = run_diff(PROJECT, directory, options)
    if expected == actual:
        return []
    old, new = per_file(expected), per_file(actual)
    return sorted(
        name.decode(errors="replace").strip()
        for name in old.keys() | new.keys()
        if old.get(name) != new.get(name)
    )


def main(argv: list[str]) -> int:
    """Compare every asked corpus and print the files whose output differs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default=REFERENCE_REV)
    parser.add_argument("--corpus", default="nova,stdlib,django,sqlalchemy,sympy")
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--select", default=None)
    parser.add_argument("-j", "--jobs", default="2")
    args = parser.parse_args(argv)
    options = ["-j", args.jobs]
    if args.unsafe_fixes:
        options.append("--unsafe-fixes")
    if args.select:
        options += ["--select", args.select]
    differing = 0
    for corpus in args.corpus.split(","):
        names = compare(args.rev, corpus, options)
        differing += len(names)
        print(f"{corpus}: {'identical' if not names else f'{len(names)} files differ'}")
        for name in names[:20]:
            print(f"  {name}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
