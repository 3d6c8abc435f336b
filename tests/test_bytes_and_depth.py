"""Every byte we did not mean to change stays, and deep but valid code is no crash.

The encodings: a codec that does not decode and encode back exactly (cp932), one that does
(Latin-1), one that cannot be written line by line (``unicode_escape``), and CR-only line
endings through a LibCST codemod. The depth: long operator chains and deep brackets, which
exceed Python's default recursion limit in ``ast``, ``symtable`` and LibCST.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemods.config import Config
from codemods.runner import run

COMMAND = str(Path(sys.executable).parent / "codemods")
NEC_NOT_EQUAL = b"\x87\x90"
"""cp932 for U+2252; the codec encodes U+2252 as 81 e0, so decoding alone loses these."""


def apply(tmp_path: Path, *names: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [COMMAND, "apply", *names], cwd=tmp_path, capture_output=True, stdin=subprocess.DEVNULL
    )


def test_cp932_bytes_of_untouched_lines_are_kept(tmp_path: Path) -> None:
    original = (
        b"# -*- coding: cp932 -*-\n# " + NEC_NOT_EQUAL + b" \x82\xa0\n"
        b"def f():\n    x = 1\n    return 2\n"
    )
    path = tmp_path / "m.py"
    path.write_bytes(original)
    diff = subprocess.run([COMMAND, "diff", "m.py"], cwd=tmp_path, capture_output=True)
    assert b"\n # " + NEC_NOT_EQUAL + b" \x82\xa0\n" in diff.stdout
    assert apply(tmp_path, "m.py").returncode == 0
    fixed = path.read_bytes()
    assert fixed.splitlines()[:2] == original.splitlines()[:2]
    assert b'    """Describe f."""\n    return 2\n' in fixed
    path.write_bytes(original)  # the diff, applied by patch, gives the same bytes
    patched = subprocess.run(["patch", "-p1"], input=diff.stdout, cwd=tmp_path)
    assert patched.returncode == 0 and path.read_bytes() == fixed


def test_latin1_file_keeps_its_bytes_outside_the_edit(tmp_path: Path) -> None:
    original = b"# -*- coding: latin-1 -*-\n# caf\xe9\ndef f():\n    x = '\xe9'\n    return 2\n"
    (tmp_path / "m.py").write_bytes(original)
    assert apply(tmp_path, "m.py").returncode == 0
    fixed = (tmp_path / "m.py").read_bytes()
    assert fixed.startswith(b"# -*- coding: latin-1 -*-\n# caf\xe9\n")
    assert b"x = '\xe9'" not in fixed and fixed.endswith(b"    return 2\n")


def test_unicode_escape_files_are_refused_not_rewritten(tmp_path: Path) -> None:
    original = b"# -*- coding: unicode_escape -*-\ndef f():\n    x = 1\n    return 2\n"
    (tmp_path / "m.py").write_bytes(original)
    done = apply(tmp_path, "m.py")
    assert done.returncode == 2
    assert b"m.py:1:1: error: unicode_escape does not write ASCII as ASCII" in done.stderr
    assert (tmp_path / "m.py").read_bytes() == original


def test_cr_only_file_keeps_its_last_newline_through_libcst() -> None:
    engine = Config(select=("docstring-stubs",)).build_engine()
    result = engine.fix_text("m.py", '"""M."""\rdef f():\r    return 3\r')
    assert result.new_text == '"""M."""\rdef f():\r    """Describe f."""\r    return 3\r'


def test_a_thousand_term_chain_is_fixed_like_any_file() -> None:
    chain = " + ".join(["1"] * 1000)
    engine = Config(unsafe_fixes=True).build_engine()
    result = engine.fix_text("chain.py", f"def f():\n    x = {chain}\n    return 1\n")
    assert result.error is None
    assert result.new_text == ('"""Chain."""\n\n\ndef f():\n    """Describe f."""\n    return 1\n')


def test_deep_brackets_are_fixed_like_any_file() -> None:
    nested = "[" * 150 + "]" * 150
    result = Config().build_engine().fix_text("nested.py", f"x = {nested}\n")
    assert result.error is None
    assert result.new_text == f'"""Nested."""\n\nx = {nested}\n'


def test_code_too_deep_for_any_stack_fails_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "a_deep.py").write_text("x = " + " + ".join(["1"] * 100_000) + "\n")
    (tmp_path / "b_plain.py").write_text("def f():\n    return 1\n")
    paths = [tmp_path / "a_deep.py", tmp_path / "b_plain.py"]
    for jobs in (1, 2):
        deep, plain = run(paths, Config(), jobs)
        assert deep.error is not None
        assert (
            deep.error.message == "the code nests too deeply to be processed; it was left as it is"
        )
        assert plain.error is None and plain.changed


def test_a_deep_file_is_fixed_written_and_sent_back_by_workers(tmp_path: Path) -> None:
    chain = " + ".join(["1"] * 1200)  # past the default recursion limit of 1,000
    (tmp_path / "a_deep.py").write_text(f"def f():\n    u = 1\n    return {chain}\n")
    (tmp_path / "b_plain.py").write_text("def g():\n    v = 1\n    return 2\n")
    paths = sorted(tmp_path.glob("*.py"))
    for jobs in (2, 1):  # -j 2 pickles results; -j 1 then writes them
        results = list(run(paths, Config(), jobs, write=jobs == 1))
        assert [result.error for result in results] == [None, None]
        assert all(result.changed for result in results)
    assert (tmp_path / "a_deep.py").read_text().startswith('"""A deep."""\n\n\ndef f():\n')
    assert "u = 1" not in (tmp_path / "a_deep.py").read_text()


def test_cr_only_findings_are_reported_at_their_lines_as_read() -> None:
    engine = Config(select=("indentation",)).build_engine()
    for newline in ("\n", "\r"):
        text = newline.join(["if x:", "\tif y:", "\t\ta = 1", "        b = 2", ""])
        result = engine.fix_text("t.py", text)  # a TabError file: repaired, then re-indented
        assert [finding.line for finding in result.changes] == [4, 2, 3, 4], repr(newline)


def test_every_finding_gets_the_scope_around_it_in_one_pass() -> None:
    source = (
        "def a():\n    x = 1\n\n    def b():\n        y = 2\n        return 0\n    z = 3\n"
        "    return 0\n\n\nclass C:\n    def m(self):\n        w = 4\n        return 0\n"
        "    v = 5\n\n\nu = 6\n"
    )
    result = Config(select=("unused-variables",)).build_engine().fix_text("s.py", source)
    scopes = {finding.line: finding.scope for finding in result.findings}
    assert scopes == {2: "a", 5: "a.b", 7: "a", 13: "C.m"}
