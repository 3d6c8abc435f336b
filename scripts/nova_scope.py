"""Scope by change on Nova: every edit ``--diff-base`` makes lies inside the changed functions.

Usage: ``python scripts/nova_scope.py [--functions N] [--seed S]``.

Nova's ``nova/tests/functional`` (from the 34.0.0 wheel) becomes a git repository with one
commit. N functions spread over different files get a one-line change each (a trailing
comment on a one-line statement of their body, so the change adds no finding of its own);
then ``codemods diff --diff-base HEAD --unsafe-fixes`` runs on the whole tree. Every line the
diff removes or inserts must lie inside one of the changed functions (as they are in the
working tree). The script prints the counts -- files and findings of the whole tree, what a
run without scope would change, edits in scope and out of scope -- and fails if any edit is
out of scope.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora  # noqa: E402  (scripts/ is not a package)

COMMAND = str(Path(sys.executable).parent / "codemods")
MARK = "  # touched by scripts/nova_scope.py"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "nova-scope",
    "GIT_AUTHOR_EMAIL": "nova-scope@example.invalid",
    "GIT_COMMITTER_NAME": "nova-scope",
    "GIT_COMMITTER_EMAIL": "nova-scope@example.invalid",
}


def main(argv: list[str]) -> int:
    """Run the check; return 0 when no edit lies outside the changed functions."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--functions", type=int, default=8, help="functions to change")
    parser.add_argument("--seed", type=int, default=1825537, help="which functions")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nova-scope-") as directory:
        repo = _repository(Path(directory))
        touched = _touch_functions(repo, arguments.functions, random.Random(arguments.seed))
        whole = _codemods(repo, "check", "--unsafe-fixes", "--no-baseline", ".")
        scoped = _codemods(repo, "diff", "--diff-base", "HEAD", "--unsafe-fixes", ".")
        inside, outside = _count_edits(scoped.stdout, touched)
        files = sum(1 for _ in repo.rglob("*.py"))
        print(f"files in nova/tests/functional: {files}")
        print(f"files a run without scope would change: {whole.stdout.count(b'would fix ')}")
        print(f"functions changed: {len(touched)} in {len({p for p, _, _ in touched})} files")
        for path, first, last in touched:
            print(f"  {path.relative_to(repo)}:{first}-{last}")
        names = [str(path.relative_to(repo)) for path, _, _ in touched]
        unscoped = _codemods(repo, "diff", "--unsafe-fixes", "--no-baseline", *names)
        print(f"lines a run without scope adds or removes in those files: {_edited(unscoped)}")
        print(f"files --diff-base HEAD changes: {scoped.stdout.count(b'+++ b/')}")
        print(f"lines --diff-base HEAD adds or removes: {_edited(scoped)}")
        print(f"edited lines in scope: {inside}, out of scope: {outside}")
        if scoped.returncode not in (0, 1):
            print(scoped.stderr.decode(errors="replace"), file=sys.stderr)
            return 2
        return 1 if outside else 0


def _repository(directory: Path) -> Path:
    """Extract Nova's functional tests into a fresh git repository with one commit."""
    package = corpora.nova_tree(directory / "wheel")
    repo = directory / "repo"
    shutil.copytree(package / "tests" / "functional", repo / "functional")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "nova 34.0.0"]):
        subprocess.run(["git", *command], cwd=repo, env=GIT_ENV, check=True)
    return repo


def _touch_functions(
    repo: Path, count: int, chooser: random.Random
) -> list[tuple[Path, int, int]]:
    """Change one line in ``count`` functions of different files; return their line spans."""
    files = sorted(repo.rglob("test_*.py"))
    chooser.shuffle(files)
    touched: list[tuple[Path, int, int]] = []
    for path in files:
        if len(touched) == count:
            break
        text = path.read_text(encoding="utf-8")
        candidates = [
            (function, statement)
            for function in ast.walk(ast.parse(text))
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for statement in function.body
            if _can_take_a_comment(statement, text)
        ]
        if not candidates:
            continue
        function, statement = chooser.choice(candidates)
        lines = text.splitlines(keepends=True)
        line = lines[statement.lineno - 1]
        lines[statement.lineno - 1] = line.rstrip("\n") + MARK + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
        touched.append((path, first, function.end_lineno or function.lineno))
    return touched


def _can_take_a_comment(statement: ast.stmt, text: str) -> bool:
    """Tell whether a trailing comment can go on the statement's one line."""
    if statement.lineno != statement.end_lineno or isinstance(statement, ast.Expr):
        return False
    line = text.splitlines()[statement.lineno - 1]
    return "#" not in line and not line.rstrip().endswith("\\") and ";" not in line


def _codemods(repo: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [COMMAND, *arguments], cwd=repo, env=GIT_ENV, capture_output=True, check=False
    )


def _edited(done: subprocess.CompletedProcess[bytes]) -> int:
    """Count the lines a diff adds or removes."""
    return sum(
        1
        for line in done.stdout.splitlines()
        if line[:1] in (b"+", b"-") and not line.startswith((b"+++ ", b"--- "))
    )


def _count_edits(diff: bytes, touched: list[tuple[Path, int, int]]) -> tuple[int, int]:
    """Count the diff's edited lines inside and outside the touched functions' old lines."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for path, first, last in touched:
        spans.setdefault(path.parent.name + "/" + path.name, []).append((first, last))
    inside = outside = 0
    name = ""
    old_line = 0
    for line in diff.decode("utf-8", "replace").splitlines():
        if line.startswith("+++ b/"):
            name = "/".join(Path(line[6:]).parts[-2:])
        elif line.startswith("@@"):
            old_line = int(line.split()[1].split(",")[0].lstrip("-"))
        elif line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            at = old_line if line.startswith("-") else max(old_line - 1, 1)
            if any(first <= at <= last + 1 for first, last in spans.get(name, [])):
                inside += 1
            else:
                outside += 1
            old_line += line.startswith("-")
        elif line.startswith(" "):
            old_line += 1
    return inside, outside


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
