"""We verify the bytes we write (issue 23): Python reads a file's bytes, not our text.

A fix is accepted only if Python, decoding the new bytes by their own BOM and coding cookie
(PEP 263: line 1 or 2 only), reads back the fixed text in the file's codec and compiles it
(:func:`codemods.encoded.verify_written`, in the engine and again before a write); whatever
the codemod, a fix that fails is the file's error and the file is left as it was. And a
module docstring never moves a shebang, a coding cookie or a ``# type: ignore`` off the
lines where they count, in the text edits and the tree edit alike.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import subprocess
import sys
import tokenize
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods import cli
from codemods import engine as engine_module
from codemods.encoded import NotReadBack, verify_written
from codemods.engine import Engine
from codemods.finding import Edit, Finding
from codemods.fixes.base import Codemod, Options
from codemods.fixes.docstring_stubs import DocstringStubs
from codemods.source import SourceFile
from codemods.writes import WriteError, write_result

COMMAND = str(Path(sys.executable).with_name("codemods"))

COOKIES = {
    "emacs": "# -*- coding: {} -*-",
    "equals": "# coding={}",
    "vim": "# vim: set fileencoding={} :",
}
"""Every spelling of a PEP 263 cookie, as ``{}`` for the encoding's name."""

TEXT_IN = {"latin-1": "café", "cp1252": "café €", "utf-8": "café € ✓"}
"""A string each encoding writes with bytes that UTF-8 would not read as the same text."""

LEGACY_BEFORE = 'def get_s():\n    return s\n\n\ns = "café"\n'
LEGACY_AFTER = '"""Legacy."""\n\n\ndef get_s():\n    """Get s."""\n    return s\n\n\ns = "café"\n'


def encoding_of(data: bytes) -> str:
    """Return the codec Python reads ``data`` with (``tokenize``: BOM, cookie, UTF-8)."""
    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]


IMPORTS_FROM_CWD = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
"""The environment for ``python -c "import m"`` in the test's directory: a run with worker
processes in this process (``-j 2``) sets ``PYTHONSAFEPATH``, which keeps the cwd off
``sys.path``."""


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``codemods`` command in ``cwd``."""
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True)


def in_process(*args: str) -> tuple[int, str]:
    """Run the CLI in this process (so that a monkeypatch holds): exit code and stderr."""
    done = CliRunner().invoke(cli.main, list(args))
    assert "Traceback" not in done.stderr, done.stderr
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return done.exit_code, done.stderr


class TreeOnly(DocstringStubs):
    """``docstring-stubs`` that always inserts through the LibCST tree."""

    def fix_text(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit] | None:
        """Decline, so that the engine uses the tree."""
        return None


# --- the reported defect, through the real command ----------------------------------------


@pytest.mark.parametrize("spelling", sorted(COOKIES))
def test_a_cookie_below_a_blank_line_1_stays_on_line_2(tmp_path: Path, spelling: str) -> None:
    cookie = COOKIES[spelling].format("latin-1")
    path = tmp_path / "legacy.py"
    path.write_bytes(f"\n{cookie}\n{LEGACY_BEFORE}".encode("latin-1"))
    assert b"\xe9" in path.read_bytes()

    done = run_cli("apply", "--no-cache", "--select", "docstring-stubs", "legacy.py", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "1 file fixed.\n")
    assert path.read_bytes() == f"\n{cookie}\n{LEGACY_AFTER}".encode("latin-1")
    imported = subprocess.run(
        [sys.executable, "-c", "import legacy; print(ascii((legacy.__doc__, legacy.s)))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=IMPORTS_FROM_CWD,
    )
    assert (imported.returncode, imported.stdout) == (0, "('Legacy.', 'caf\\xe9')\n"), imported

    again = run_cli("apply", "--no-cache", "legacy.py", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, "1 file left unchanged.\n")
    assert path.read_bytes() == f"\n{cookie}\n{LEGACY_AFTER}".encode("latin-1")


# --- a fix whose bytes Python would not read back is refused ---------------------------------


def _utf8_instead(data: bytes, old_text: str, new_text: str, encoding: str) -> bytes:
    """A broken encoder: the new text in UTF-8, whatever the file's cookie says."""
    return new_text.encode("utf-8")


def _cookie_dropped(data: bytes, old_text: str, new_text: str, encoding: str) -> bytes:
    """A broken encoder: the right bytes, but the cookie line turned into code."""
    return new_text.replace("# -*- coding", "x = 1  # -*- coding", 1).encode(encoding)


@pytest.mark.parametrize(
    ("encoder", "reason"),
    [
        (
            _utf8_instead,
            "Python would not read the fixed file's bytes back as the fixed text (iso-8859-1)",
        ),
        (_cookie_dropped, "Python would not decode the fixed file: cannot decode byte 0xe9"),
    ],
)
@pytest.mark.parametrize("command", ["apply", "diff", "check"])
def test_bytes_that_do_not_read_back_are_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    encoder: object,
    reason: str,
    command: str,
) -> None:
    before = f"# -*- coding: latin-1 -*-\n{LEGACY_BEFORE}".encode("latin-1")
    path = tmp_path / "legacy.py"
    path.write_bytes(before)
    monkeypatch.setattr(engine_module, "encode_preserving", encoder)

    code, stderr = in_process(command, "--no-cache", "-j", "1", str(path))
    lines = stderr.splitlines()
    assert code == 2, stderr
    assert lines[0].startswith(f"{path.as_posix()}:1:1: error: [docstring-stubs] {reason}")
    assert lines[0].endswith("; it was left as it is")
    assert lines[1:] == ["1 file failed."]
    assert path.read_bytes() == before


class InsertImport(Codemod[Options]):
    """A codemod that puts ``import os`` on line 1 (above any cookie)."""

    id = "insert-import"
    summary = "Insert an import on line 1."

    def find(self, source: SourceFile) -> list[Finding]:
        """Find the module."""
        return [Finding(1, "no import on line 1")]

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        """Insert the import above everything."""
        return [source.insert_before_line(1, "import os\n")]


class DropLine1(Codemod[Options]):
    """A codemod that deletes line 1 (bringing line 3 up to line 2)."""

    id = "drop-line-1"
    summary = "Delete line 1."

    def find(self, source: SourceFile) -> list[Finding]:
        """Find line 1."""
        return [Finding(1, "line 1")]

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        """Delete it."""
        return [source.replace_lines(1, 1, "")]


@pytest.mark.parametrize(
    ("codemod", "before", "reason"),
    [
        pytest.param(
            InsertImport(),
            '# coding: latin-1\ns = "café"\n'.encode("latin-1"),
            "Python would not decode the fixed file: cannot decode byte 0xe9 as utf-8 at its "
            "line 3",
            id="cookie pushed to line 3",
        ),
        pytest.param(
            InsertImport(),
            b'\n# vim: set fileencoding=cp1252 :\ns = "ascii"\n',
            "Python would read the fixed file as utf-8, not cp1252",
            id="cookie pushed out of an ASCII file",
        ),
        pytest.param(
            DropLine1(),
            'import os\n# coding: latin-1\ns = "café"\n'.encode(),
            "Python would read the fixed file as iso-8859-1, not utf-8",
            id="dead cookie brought to line 1",
        ),
    ],
)
def test_every_codemod_is_verified(codemod: Codemod[Options], before: bytes, reason: str) -> None:
    result = Engine([codemod]).fix_bytes("m.py", before)
    assert result.error is not None and not result.changed
    assert result.error.codemod_id == codemod.id
    assert result.error.message.startswith(reason), result.error.message
    assert result.new_bytes() == before


def test_a_cookie_that_still_counts_may_move() -> None:
    before = '\n# coding: latin-1\nimport sys\ns = "café"\n'.encode("latin-1")
    result = Engine([DropLine1()]).fix_bytes("m.py", before)
    assert result.error is None, "the cookie moves from line 2 to line 1: it still counts"
    assert result.new_bytes() == before[1:]
    result = Engine([DropLine1()]).fix_bytes("m.py", before[1:])
    assert result.error is not None, "dropping the cookie itself is refused"
    assert result.error.message.startswith("Python would not decode the fixed file")


def test_verify_written_names_each_difference() -> None:
    text = '# coding: latin-1\ns = "café"\n'
    verify_written(text.encode("latin-1"), text, "latin-1", "m.py")
    cases = [
        ("\n\n" + text, "latin-1", "latin-1", "would not decode"),
        ("x = 1\n", "ascii", "cp1252", "as utf-8, not cp1252"),
        ("x = 1\n", "utf-8-sig", "utf-8", "as utf-8-sig, not utf-8"),
        ("def (:\n", "utf-8", "utf-8", r"bytes do not parse: invalid syntax \(line 1\)"),
        ("return 1\n", "utf-8", "utf-8", "bytes do not compile: 'return' outside function"),
    ]
    for written, codec, encoding, reason in cases:
        with pytest.raises(NotReadBack, match=reason):
            verify_written(written.encode(codec), written, encoding, "m.py")
    with pytest.raises(NotReadBack, match="back as the fixed text"):
        verify_written(b"x = 1\n", "x = 2\n", "utf-8", "m.py")


def test_the_write_is_the_last_net(tmp_path: Path) -> None:
    path = tmp_path / "legacy.py"
    before = f"\n# coding: latin-1\n{LEGACY_BEFORE}".encode("latin-1")
    path.write_bytes(before)
    result = Engine([DocstringStubs()]).fix_bytes(str(path), before)
    assert result.error is None and result.changed
    moved = b"\n" + result.new_bytes()  # as if the engine's check had been skipped
    with pytest.raises(WriteError, match="would not decode the fixed file.*; not written"):
        write_result(path, dataclasses.replace(result, old_data=before, new_data=moved))
    assert path.read_bytes() == before
    write_result(path, result)
    assert path.read_bytes() == f"\n# coding: latin-1\n{LEGACY_AFTER}".encode("latin-1")


# --- the class: every header a cookie counts in, every spelling, three encodings ------------

BEFORE_COOKIE = {
    "nothing": [],
    "blank": [""],
    "spaces": [" \t"],
    "shebang": ["#!/usr/bin/env python"],
    "comment": ["# the module"],
    "type-ignore": ["# type: ignore"],
}
"""What line 1 holds when the cookie is on line 2 (nothing: the cookie is on line 1)."""

AFTER_COOKIE = {
    "nothing": [],
    "blank": [""],
    "comment": ["# {text}, licence"],
    "type-ignore": ["# type: ignore"],
    "blank+comment": ["", "# attached to the code"],
    "comment+blank": ["# licence", ""],
}
"""The header lines between the cookie and the code."""

BODIES = {
    "statement": 's = "{text}"\n\n\ndef get_s():\n    return s\n',
    "def": 'def get_s():\n    return s\n\n\ns = "{text}"\n',
}
"""The code: a statement first (one blank line below the docstring) or a def (two)."""


@dataclasses.dataclass(frozen=True)
class Case:
    """One file of the matrix: its bytes, the line of its cookie and the string it holds."""

    name: str
    data: bytes
    cookie_line: int
    text: str


def matrix() -> Iterator[Case]:
    """Yield every combination of the tables above, cookie spelling and encoding."""
    combinations = itertools.product(
        sorted(TEXT_IN), sorted(COOKIES), BEFORE_COOKIE, AFTER_COOKIE, BODIES
    )
    for encoding, spelling, before, after, body in combinations:
        text = TEXT_IN[encoding]
        lines = [
            *BEFORE_COOKIE[before],
            COOKIES[spelling].format(encoding),
            *(line.format(text=text) for line in AFTER_COOKIE[after]),
        ]
        source = "".join(f"{line}\n" for line in lines) + BODIES[body].format(text=text)
        name = f"{encoding} {spelling}, before: {before}, after: {after}, {body} first"
        yield Case(name, source.encode(encoding), len(BEFORE_COOKIE[before]) + 1, text)


CASES = list(matrix())


def check_fixed(case: Case, new: bytes) -> None:
    """Check the fixed bytes of ``case``: same codec, cookie kept, compiles, docstring below."""
    assert encoding_of(new) == encoding_of(case.data), case.name
    old_lines, new_lines = case.data.splitlines(), new.splitlines()
    assert new_lines[: case.cookie_line] == old_lines[: case.cookie_line], case.name
    namespace: dict[str, object] = {}
    exec(compile(new, "m.py", "exec", dont_inherit=True), namespace)
    assert namespace["s"] == case.text, case.name
    assert isinstance(namespace["__doc__"], str), case.name
    docstring = next(i for i, line in enumerate(new_lines) if line.startswith(b'"""'))
    pinned = [i for i, line in enumerate(new_lines) if line == b"# type: ignore"]
    assert docstring >= case.cookie_line and all(i < docstring for i in pinned), case.name


def test_the_matrix_has_the_reported_cases() -> None:
    names = {case.name for case in CASES}
    assert "latin-1 emacs, before: blank, after: nothing, statement first" in names
    assert "latin-1 vim, before: blank, after: nothing, statement first" in names
    assert len(CASES) == 3 * 3 * 6 * 6 * 2


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_text_edits_and_tree_keep_every_cookie(case: Case) -> None:
    text_edits = Engine([DocstringStubs()]).fix_bytes("m.py", case.data)
    tree = Engine([TreeOnly()]).fix_bytes("m.py", case.data)
    assert text_edits.error is None and text_edits.changed, text_edits.error
    assert tree.error is None, tree.error
    assert text_edits.new_bytes() == tree.new_bytes()
    check_fixed(case, text_edits.new_bytes())
    again = Engine([DocstringStubs()]).fix_bytes("m.py", text_edits.new_bytes())
    assert again.error is None and not again.changed


def test_apply_keeps_every_cookie_and_the_modules_import(tmp_path: Path) -> None:
    names = [f"case_{index:03}" for index in range(len(CASES))]
    for name, case in zip(names, CASES, strict=True):
        (tmp_path / f"{name}.py").write_bytes(case.data)

    done = run_cli("apply", "--no-cache", "--select", "docstring-stubs", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, f"{len(CASES)} files fixed.\n")
    fixed = {name: (tmp_path / f"{name}.py").read_bytes() for name in names}
    for name, case in zip(names, CASES, strict=True):
        check_fixed(case, fixed[name])
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    print(ascii(importlib.import_module(name).s))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script, *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=IMPORTS_FROM_CWD,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [ascii(case.text) for case in CASES]

    again = run_cli("apply", "--no-cache", ".", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, f"{len(CASES)} files left unchanged.\n")
    assert {name: (tmp_path / f"{name}.py").read_bytes() for name in names} == fixed
