"""Corpus check of the ``indentation`` codemod: a lossless round trip on Nova, the stdlib kept.

Usage: ``python scripts/corpus_check.py indentation [--step N] [--limit N] [--no-anchors]
[--no-stdlib] [--keep DIR]``.

1. Every Nova file (consistent 4 spaces) must come out of the codemod unchanged.
2. Each is re-indented by this script's own converter (tokenize-based, independent of the
   codemod) to 2 spaces and to tabs -- docstrings move with their statement, data strings do
   not -- and the codemod must bring each copy back byte for byte, with the same ``ast``
   (docstrings after ``inspect.cleandoc``) and every data string unchanged.
3. ``pycodestyle --select E101,E11,W191`` and ``python -m tabnanny`` must report nothing on
   the codemod's outputs that they do not report on the originals.
4. Anchors, same files, same run: ``autopep8 --select E101,E11,W191`` (in process, its
   ``fix_code``) and ``reindent`` (Tim Peters' script, on PyPI) on the same converted copies;
   the report says how often each equals our result, how many data strings each changed, and
   the time each took next to ours.
5. Every standard-library file goes through the codemod; consistent files must stay untouched.

Needs ``autopep8`` and ``reindent`` for step 4 (``pip install -e .[test]``).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import inspect
import io
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path

import corpora

from codemods.engine import Engine
from codemods.fixes.indentation import Indentation

STYLES = {"2-spaces": "  ", "tabs": "\t"}
"""The converted copies: name -> one level of indentation."""
SOURCE_WIDTH = 4
"""Nova's indentation: 4 spaces per level."""
PEP8_CODES = "E101,E11,W191"


# --- the converter ------------------------------------------------------------------------


def convert(text: str, level: str) -> str:
    """Re-indent consistent 4-space ``text`` to ``level`` per depth (``"  "`` or ``"\\t"``).

    Statement and comment lines get ``depth x level``; continuation lines keep their column
    offset from their statement's first line (written after the statement's new indentation),
    except those left of it at an enclosing block's column, which take that block's new
    indentation; docstring lines all move by their statement's shift unless a line of text is left of
    the statement; lines inside any other string, and blank lines, keep their bytes.
    """
    lines = io.StringIO(text, newline="").readlines()
    new_indent: dict[int, str] = {}
    for row, indent in _converted_rows(text, lines, level):
        new_indent[row] = indent
    out = []
    for row, line in enumerate(lines, start=1):
        if row in new_indent:
            line = new_indent[row] + line[len(line) - len(line.lstrip(" \t")) :]
        out.append(line)
    return "".join(out)


@dataclasses.dataclass
class _Statement:
    """The first line of the logical line being read: old column, new indentation, unit."""

    column: int
    indent: str
    level: str

    def move(self, column: int) -> str:
        """Return the new indentation of a continuation line at ``column``.

        Left of the statement, a line at an enclosing block's column takes that block's new
        indentation (as the codemod does); any other line keeps its offset.
        """
        if column < self.column and column % SOURCE_WIDTH == 0:
            return self.level * (column // SOURCE_WIDTH)
        return self.shifted(column)

    def shifted(self, column: int) -> str:
        """Return the new indentation of a line at ``column`` that keeps its offset."""
        if column >= self.column:
            return self.indent + " " * (column - self.column)
        shift = _width(self.indent) - self.column
        return " " * max(column + shift, 0)


def _converted_rows(text: str, lines: list[str], level: str) -> Iterator[tuple[int, str]]:
    """Yield ``(row, new indentation)`` for each line the converter re-indents."""
    tokens = list(tokenize.generate_tokens(io.StringIO(text, newline="").readline))
    inside_strings = _string_interior_rows(tokens)
    depth = brackets = 0
    statement = _Statement(0, "", level)
    first_of_logical = True
    seen_rows: set[int] = set()
    for index, token in enumerate(tokens):
        kind, row = token.type, token.start[0]
        if kind == tokenize.INDENT:
            depth += 1
        elif kind == tokenize.DEDENT:
            depth -= 1
        elif kind == tokenize.NEWLINE:
            first_of_logical = True
        if kind in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL):
            continue
        if kind == tokenize.ENDMARKER:
            break
        starts_row = row not in seen_rows and row not in inside_strings
        seen_rows.add(row)
        column = token.start[1]
        if kind == tokenize.COMMENT and first_of_logical and brackets == 0:
            if starts_row:
                yield row, level * (column // SOURCE_WIDTH)
            continue
        if first_of_logical:
            statement = _Statement(column, level * depth, level)
            yield row, statement.indent
            first_of_logical = False
            if _is_docstring(tokens, index):
                yield from _docstring_rows(token, lines, statement)
        elif starts_row:
            yield row, statement.move(column)
        if kind == tokenize.OP:
            brackets += (token.string in "([{") - (token.string in ")]}")


def _string_interior_rows(tokens: list[tokenize.TokenInfo]) -> set[int]:
    """Return the rows that begin inside a multi-line string token."""
    rows: set[int] = set()
    for token in tokens:
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            rows.update(range(token.start[0] + 1, token.end[0] + 1))
    return rows


def _is_docstring(tokens: list[tokenize.TokenInfo], index: int) -> bool:
    """Tell whether the token at ``index`` is a (non-bytes) string forming its statement."""
    token = tokens[index]
    if token.type != tokenize.STRING or "b" in token.string.split(token.string[-1])[0].lower():
        return False
    following = (t for t in tokens[index + 1 :] if t.type not in (tokenize.COMMENT, tokenize.NL))
    return next(following).type in (tokenize.NEWLINE, tokenize.ENDMARKER)


def _docstring_rows(
    token: tokenize.TokenInfo, lines: list[str], statement: _Statement
) -> Iterator[tuple[int, str]]:
    """Yield new indentations for a docstring's lines: all move by the statement's shift.

    A line with text left of its statement keeps the whole docstring as it is, and so does
    a move that would change its ``inspect.cleandoc`` value (a tab in the value, such as a
    ``\\t`` escape, expands by column); the codemod does not move such a docstring either.
    Lines at column 0 (empty lines, closing quotes flush left) stay; the others, the
    closing quotes' line included, move by the same amount as the statement, stopping at
    column 0.
    """
    moved = []
    token_lines = io.StringIO(token.string, newline="").readlines()
    new_token = token_lines[0]
    for row, token_line in zip(
        range(token.start[0] + 1, token.end[0] + 1), token_lines[1:], strict=True
    ):
        indent = token_line[: len(token_line) - len(token_line.lstrip(" "))]
        text = token_line.strip() not in ("", token.string[-3:])
        if text and len(indent) < statement.column:
            return
        new_indent = statement.shifted(len(indent)) if indent else indent
        moved.append((row, new_indent))
        new_token += new_indent + token_line[len(indent) :]
    if _docstring_value(new_token) == _docstring_value(token.string):
        yield from (row_indent for row_indent in moved if row_indent[1])


def _docstring_value(token: str) -> str:
    """Return a docstring token's value as the comparisons read it (see ``normalized_ast``)."""
    return cleaned_docstring(ast.literal_eval(token))


def _width(indent: str) -> int:
    return len(indent.expandtabs(8))


# --- the comparisons -----------------------------------------------------------------------


def normalized_ast(code: str) -> str:
    """Dump ``code``'s ast with statement-strings replaced by their ``inspect.cleandoc``.

    Whitespace-only lines of a docstring count as empty: Python 3.11's ``cleandoc`` keeps
    them as they are when no later line has text, so a moved closing quote would differ.
    """
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            node.value.value = cleaned_docstring(node.value.value)
    return ast.dump(tree)


def cleaned_docstring(value: str) -> str:
    """Return ``inspect.cleandoc(value)`` with whitespace-only lines emptied."""
    cleaned = inspect.cleandoc(value).split("\n")
    return "\n".join(line if line.strip() else "" for line in cleaned)


def data_strings(code: str) -> list[str | bytes]:
    """Return every string or bytes constant of ``code`` that is not a statement by itself."""
    tree = ast.parse(code)
    statement_strings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str | bytes)
        and id(node) not in statement_strings
    ]


@dataclasses.dataclass
class Tally:
    """Counts of one tool on one converted style."""

    files: int = 0
    identical: int = 0
    same_ast: int = 0
    data_changed: int = 0
    equal_to_ours: int = 0
    errors: int = 0
    seconds: float = 0.0
    failures: list[str] = dataclasses.field(default_factory=list)

    def line(self, name: str, with_ours: bool) -> str:
        """Render one report line."""
        equal = f", equal to ours {self.equal_to_ours}" if with_ours else ""
        return (
            f"  {name:<10} {self.files} files: byte-identical {self.identical}, "
            f"same ast {self.same_ast}, data strings changed in {self.data_changed}{equal}, "
            f"errors {self.errors}, {self.seconds:.1f} s"
        )


def _timed(tool: Callable[[str], str], text: str) -> tuple[str | None, float]:
    start = time.perf_counter()
    try:
        result: str | None = tool(text)
    except Exception:  # an anchor's crash is counted, not fatal
        result = None
    return result, time.perf_counter() - start


def _tally(tally: Tally, name: str, original: str, output: str | None, seconds: float) -> None:
    tally.files += 1
    tally.seconds += seconds
    if output is None:
        tally.errors += 1
        tally.failures.append(f"{name}: error")
        return
    if output == original:
        tally.identical += 1
    else:
        tally.failures.append(name)
    try:
        if normalized_ast(output) == normalized_ast(original):
            tally.same_ast += 1
        if data_strings(output) != data_strings(original):
            tally.data_changed += 1
    except SyntaxError:
        tally.errors += 1


def _ours(engine: Engine) -> Callable[[str], str]:
    def run(text: str) -> str:
        result = engine.fix_text("converted.py", text)
        if result.error is not None:
            raise RuntimeError(result.error.message)
        return result.new_text

    return run


def _autopep8(text: str) -> str:
    import autopep8

    return autopep8.fix_code(text, options={"select": PEP8_CODES.split(",")})


def _reindent(text: str) -> str:
    import reindent

    reindenter = reindent.Reindenter(io.StringIO(text))
    reindenter.run()
    return "".join(reindenter.after)


def _lint(directory: Path) -> tuple[int, int]:
    """Return how many lines pycodestyle (the indentation codes) and tabnanny report."""
    pep8 = subprocess.run(
        [sys.executable, "-m", "pycodestyle", f"--select={PEP8_CODES}", str(directory)],
        capture_output=True,
        text=True,
    )
    nanny = subprocess.run(
        [sys.executable, "-m", "tabnanny", str(directory)], capture_output=True, text=True
    )
    return len(pep8.stdout.splitlines()), len((nanny.stdout + nanny.stderr).splitlines())


# --- the runs ------------------------------------------------------------------------------


def check_nova(files: list[corpora.CorpusFile], anchors: bool, keep: Path | None) -> bool:
    """Run steps 1-4 on ``files``; print the report; tell whether every promise held."""
    engine = Engine([Indentation()])
    ours = _ours(engine)
    originals_changed: list[str] = []
    tallies = {
        (style, tool): Tally()
        for style in STYLES
        for tool in ("ours", *(("autopep8", "reindent") if anchors else ()))
    }
    converter_broken: list[str] = []
    workdir = Path(keep or tempfile.mkdtemp(prefix="indentation-corpus-"))
    for corpus_file in files:
        original = corpus_file.data.decode("utf-8")
        if ours(original) != original:
            originals_changed.append(corpus_file.name)
        flat_name = corpus_file.name.replace("/", "__")
        (workdir / "original").mkdir(parents=True, exist_ok=True)
        (workdir / "original" / flat_name).write_text(original, encoding="utf-8", newline="")
        for style, level in STYLES.items():
            ours_output: str | None = None
            converted = convert(original, level)
            if normalized_ast(converted) != normalized_ast(original) or (
                data_strings(converted) != data_strings(original)
            ):
                converter_broken.append(f"{style}:{corpus_file.name}")
                continue
            for tool, run in (("ours", ours), ("autopep8", _autopep8), ("reindent", _reindent)):
                if (style, tool) not in tallies:
                    continue
                output, seconds = _timed(run, converted)
                tally = tallies[style, tool]
                _tally(tally, corpus_file.name, original, output, seconds)
                if tool == "ours" and output is not None:
                    out_dir = workdir / style
                    out_dir.mkdir(exist_ok=True)
                    (out_dir / flat_name).write_text(output, encoding="utf-8", newline="")
                    ours_output = output
                elif output is not None and output == ours_output:
                    tally.equal_to_ours += 1
    print(f"Nova {corpora.NOVA_VERSION}: {len(files)} files (work dir {workdir})")
    print(f"  originals changed by the codemod: {len(originals_changed)} {originals_changed[:5]}")
    print(f"  converter copies rejected (ast or data strings differ): {len(converter_broken)}")
    for (style, tool), tally in tallies.items():
        print(tally.line(f"{tool}/{style}", tool != "ours"))
        if tool == "ours" and tally.failures:
            print(f"    not identical: {tally.failures[:10]}")
    baseline = _lint(workdir / "original")
    print(f"  pycodestyle {PEP8_CODES} / tabnanny lines on the originals: {baseline}")
    clean = True
    for style in STYLES:
        found = _lint(workdir / style)
        print(f"  pycodestyle {PEP8_CODES} / tabnanny lines on our {style} outputs: {found}")
        clean = clean and found == baseline
    ours_all = [tallies[style, "ours"] for style in STYLES]
    return (
        clean
        and not originals_changed
        and not converter_broken
        and all(t.identical == t.files == t.same_ast and not t.data_changed for t in ours_all)
    )


def check_stdlib(files: list[corpora.CorpusFile], anchors: bool) -> bool:
    """Run the codemod on the stdlib; print counts; tell whether no consistent file changed."""
    engine = Engine([Indentation()])
    changed: dict[str, bytes] = {}
    errors = kept = 0
    start = time.perf_counter()
    for corpus_file in files:
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        if result.error is not None:
            errors += 1
        elif result.changed:
            changed[corpus_file.name] = corpus_file.data
        else:
            kept += 1
    seconds = time.perf_counter() - start
    print(
        f"stdlib {sys.version.split()[0]}: {len(files)} files, untouched {kept}, "
        f"re-indented {len(changed)}, not parsed by Python {errors}, {seconds:.1f} s"
    )
    flagged = _flagged_by_pycodestyle(changed)
    same_as_autopep8 = 0
    for name, data in changed.items():
        verdict = "pycodestyle flags it" if name in flagged else "NOT flagged by pycodestyle"
        text = data.decode("utf-8")
        ours = engine.fix_text(name, text).new_text
        anchor, _ = _timed(_autopep8, text) if anchors else (None, 0.0)
        if anchor == ours:
            same_as_autopep8 += 1
            verdict += ", same result as autopep8"
        print(f"  re-indented: {name} ({verdict})")
    if anchors:
        print(f"  re-indented files where autopep8 gives the same result: {same_as_autopep8}")
    return set(changed) == flagged


def _flagged_by_pycodestyle(files: dict[str, bytes]) -> set[str]:
    """Return the names among ``files`` where pycodestyle reports an indentation code."""
    with tempfile.TemporaryDirectory() as directory:
        paths = {}
        for name, data in files.items():
            path = Path(directory) / name.replace("/", "__")
            path.write_bytes(data)
            paths[str(path)] = name
        if not paths:
            return set()
        report = subprocess.run(
            [sys.executable, "-m", "pycodestyle", f"--select={PEP8_CODES}", *paths],
            capture_output=True,
            text=True,
        )
    return {paths[line.split(":")[0]] for line in report.stdout.splitlines() if ":" in line}


def main(argv: list[str]) -> int:
    """Run the checks; return 0 when every promise held."""
    parser = argparse.ArgumentParser(prog="corpus_check.py indentation", description=__doc__)
    parser.add_argument("--step", type=int, default=1, help="take every N-th file")
    parser.add_argument("--limit", type=int, default=None, help="at most N files per corpus")
    parser.add_argument("--no-anchors", action="store_true", help="skip autopep8 and reindent")
    parser.add_argument("--no-stdlib", action="store_true", help="skip the stdlib run")
    parser.add_argument("--keep", type=Path, default=None, help="write outputs under DIR")
    args = parser.parse_args(argv)
    ok = check_nova(corpora.nova_files(args.limit, args.step), not args.no_anchors, args.keep)
    if not args.no_stdlib:
        stdlib = corpora.stdlib_files(args.limit, args.step)
        ok = check_stdlib(stdlib, not args.no_anchors) and ok
    print("indentation corpus check:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
