"""The project's linters judge our output: no fix may add a finding they report.

Writes a corpus (the Nova 34.0.0 wheel, the standard library) to a temporary directory, runs
``ruff check`` (pycodestyle's E/W rules, pyflakes' F rules, pydocstyle's D2-D4) and
``pycodestyle`` at the line length given, applies the default codemods with ``codemods
apply`` (``--unsafe-fixes`` adds the unsafe ones), runs them again and prints the findings
that are new, by code. Exit status 1 when any is new.

    python scripts/corpus_linters.py [--corpus nova|stdlib] [--line-length 79] [--unsafe-fixes]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import corpora

from codemods.linemap import LineMap

RUFF_RULES = "E,W,F,D2,D3,D4"
_PYCODESTYLE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>[EW]\d+) ")


def main(argv: list[str]) -> int:
    """Run the linters before and after the codemods; return 1 if a finding is new."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("nova", "stdlib"), default="nova")
    parser.add_argument("--line-length", type=int, default=79)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args(argv)
    files = corpora.nova_files() if arguments.corpus == "nova" else corpora.stdlib_files()
    with tempfile.TemporaryDirectory(prefix="codemods-linters-") as temporary:
        root = Path(temporary) / arguments.corpus
        for corpus_file in files:
            target = root / corpus_file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(corpus_file.data)
        originals = {f.name: f.data.decode("utf-8", "replace") for f in files}
        before = lint(root, arguments.line_length, {})
        command = [sys.executable, "-m", "codemods", "apply", "-q", "-j", str(arguments.jobs)]
        if arguments.unsafe_fixes:
            command.append("--unsafe-fixes")
        subprocess.run([*command, str(root)], cwd=root, check=False)
        after = lint(root, arguments.line_length, originals)
    new = after - before
    print(f"== {arguments.corpus}: {len(files)} files, line length {arguments.line_length}")
    print(f"findings before: {sum(before.values())}, after: {sum(after.values())}")
    print(
        f"new findings by code: {dict(sorted(collections.Counter(k[0] for k in new.elements()).items()))}"
    )
    for (code, path, line), count in sorted(new.items())[:40]:
        print(f"  {code} {path}:{line} (line of the original) x{count}")
    return 1 if new else 0


def lint(
    root: Path, line_length: int, originals: dict[str, str]
) -> collections.Counter[tuple[str, str, str]]:
    """Return ``(code, file, line)`` of every ruff and pycodestyle finding under ``root``.

    With ``originals`` (the files before the codemods), each line is mapped back to the line
    it came from, so that lines a fix inserted above, or an edit of the line itself, do not
    make an old finding look new.
    """
    maps: dict[str, LineMap] = {}

    def key(code: str, file: str, line: int) -> tuple[str, str, str]:
        relative = str((root / file).resolve().relative_to(root.resolve()))
        if relative in originals:
            if relative not in maps:
                maps[relative] = LineMap()
                new = (root / relative).read_text(encoding="utf-8", errors="replace")
                maps[relative].add(originals[relative], new)
            line = maps[relative].original_line(line)
        return code, relative, str(line)

    found: collections.Counter[tuple[str, str, str]] = collections.Counter()
    ruff = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            RUFF_RULES,
            "--line-length",
            str(line_length),
            "--output-format",
            "json",
            "--exit-zero",
            ".",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    for item in json.loads(ruff.stdout or "[]"):
        found[key(item["code"] or "syntax", item["filename"], item["location"]["row"])] += 1
    pycodestyle = subprocess.run(
        [sys.executable, "-m", "pycodestyle", f"--max-line-length={line_length}", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    for line in pycodestyle.stdout.splitlines():
        match = _PYCODESTYLE_LINE.match(line)
        if match is not None:
            found[key("pycodestyle " + match["code"], match["path"], int(match["line"]))] += 1
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
