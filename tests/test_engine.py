"""Unit tests of the engine with codemods defined in the tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import libcst as cst
import pytest

from codemods.engine import Engine, decode_source
from codemods.fixes.base import Change, Codemod, FixSafety, Plan, TextCodemod

sys.path.insert(0, str(Path(__file__).parent / "plugin"))
from codemods_example_plugin import PrintToLog, PrintToLogOptions  # noqa: E402


class Exploding(Codemod):
    """A codemod whose rewrite raises, to check that a codemod's bug stays in its file."""

    id = "exploding"
    summary = "Raise."
    safety = FixSafety.SAFE

    def plan(self, source):
        return Plan(work=[1])

    def rewrite(self, module, source, plan):
        raise RuntimeError("boom")


class Breaking(Codemod):
    """A codemod that writes invalid code, which the engine must refuse."""

    id = "breaking"
    summary = "Break the code."
    safety = FixSafety.SAFE

    def plan(self, source):
        return Plan(work=[1])

    def rewrite(self, module, source, plan):
        broken = module.with_changes(body=[cst.parse_statement("return 1\n")])
        return broken, [Change(self.id, 1, "broke it")]


def fix(text: str, *codemods: Codemod):
    return Engine(codemods or [PrintToLog()]).fix_text("example.py", text)


def test_rewrites_and_reports_changes_in_line_order() -> None:
    result = fix("print(1)\nx = 2\nprint(3)\n")
    assert result.new_text == "log(1)\nx = 2\nlog(3)\n"
    assert [(c.codemod_id, c.line) for c in result.changes] == [
        ("print-to-log", 1),
        ("print-to-log", 3),
    ]
    assert result.changed and result.error is None


def test_options_reach_the_codemod() -> None:
    result = fix("print(1)\n", PrintToLog(PrintToLogOptions(function="logger.info")))
    assert result.new_text == "logger.info(1)\n"


def test_nothing_to_do_never_parses_with_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(cst, "parse_module", lambda *a, **k: calls.append(a))
    result = fix("x = 1\n")
    assert not result.changed and calls == []


def test_two_codemods_share_one_libcst_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = cst.parse_module
    calls = []

    def counting_parse(text: str) -> cst.Module:
        calls.append(text)
        return real_parse(text)

    monkeypatch.setattr(cst, "parse_module", counting_parse)
    first = PrintToLog(PrintToLogOptions(function="print2"))
    second = PrintToLog(PrintToLogOptions(function="log"))
    result = fix("print(1)\n", first, second)
    assert len(calls) == 1
    # the second codemod planned on the first one's output: print2 is no print any more
    assert result.new_text == "print2(1)\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("print(1)  # codemods: skip\n", "print(1)  # codemods: skip\n"),
        (
            "print(1)  # codemods: skip[print-to-log]\n",
            "print(1)  # codemods: skip[print-to-log]\n",
        ),
        ("print(1)  # codemods: skip[other-id]\n", "log(1)  # codemods: skip[other-id]\n"),
        ("print(\n    1,\n)  # codemods: skip\n", "print(\n    1,\n)  # codemods: skip\n"),
        ("s = '# codemods: skip'\nprint(1)\n", "s = '# codemods: skip'\nlog(1)\n"),
    ],
)
def test_skip_comments(text: str, expected: str) -> None:
    assert fix(text).new_text == expected


def test_skip_comment_reports_a_skip() -> None:
    result = fix("print(1)  # codemods: skip\n")
    assert [(s.codemod_id, s.line) for s in result.skips] == [("print-to-log", 1)]


def test_skip_file_leaves_the_file_alone() -> None:
    text = "print(1)\n# codemods: skip-file\n"
    result = fix(text)
    assert result.new_text == text and not result.changes
    assert "skip-file" in result.skips[0].reason


def test_syntax_error_is_the_files_error_with_position() -> None:
    result = fix("x = 1\ndef f(:\n")
    assert result.error is not None and not result.changed
    assert result.error.format("example.py").startswith("example.py:2:7: error: ")


def test_codemod_exception_is_reported_with_its_id_and_file_untouched() -> None:
    result = fix("print(1)\n", PrintToLog(), Exploding())
    assert result.error is not None
    assert (
        result.error.format("f.py")
        == "f.py:1:1: error: [exploding] internal error: RuntimeError: boom"
    )
    assert result.new_text == result.old_text == "print(1)\n" and not result.changed


def test_codemod_output_that_does_not_compile_is_refused() -> None:
    result = fix("x = 1\n", Breaking())
    assert result.error is not None and result.error.codemod_id is None
    assert "does not compile" in result.error.message
    assert not result.changed


def test_crlf_is_kept() -> None:
    result = Engine([PrintToLog()]).fix_bytes("f.py", b"import os\r\nprint(1)\r\n")
    assert result.new_bytes() == b"import os\r\nlog(1)\r\n"


def test_bom_is_kept() -> None:
    result = Engine([PrintToLog()]).fix_bytes("f.py", b"\xef\xbb\xbfprint('\xc3\xa9')\n")
    assert result.new_bytes() == b"\xef\xbb\xbflog('\xc3\xa9')\n"


def test_coding_cookie_encoding_is_kept() -> None:
    data = "# -*- coding: latin-1 -*-\nprint('café')\n".encode("latin-1")
    result = Engine([PrintToLog()]).fix_bytes("f.py", data)
    assert result.encoding == "iso-8859-1"
    assert result.new_bytes() == "# -*- coding: latin-1 -*-\nlog('café')\n".encode("latin-1")


def test_undecodable_bytes_are_an_error_naming_the_line() -> None:
    result = Engine([PrintToLog()]).fix_bytes("f.py", b"x = 1\ny = '\xff'\n")
    assert result.error is not None and (result.error.line, result.error.column) == (2, 6)
    assert "cannot decode" in result.error.message


def test_decode_source_defaults_to_utf8() -> None:
    decoded = decode_source("é = 1\n".encode())
    assert (decoded.text, decoded.encoding) == ("é = 1\n", "utf-8")


def test_new_text_always_parses() -> None:
    result = fix("def f():\n    print(1)\n")
    ast.parse(result.new_text)


def test_lines_of_a_later_codemod_refer_to_the_file_as_read() -> None:
    class InsertLines(Codemod):
        """Insert two lines at the top, so later codemods see shifted lines."""

        id = "insert-lines"
        summary = "Insert lines."
        safety = FixSafety.SAFE

        def plan(self, source):
            return Plan(work=None if source.text.startswith("a = 0") else [1])

        def rewrite(self, module, source, plan):
            added = [cst.parse_statement("a = 0\n"), cst.parse_statement("b = 0\n")]
            return module.with_changes(body=[*added, *module.body]), [Change(self.id, 1, "added")]

    result = fix("x = 1\nprint(2)\n", InsertLines(), PrintToLog())
    assert result.new_text == "a = 0\nb = 0\nx = 1\nlog(2)\n"
    assert [(c.codemod_id, c.line) for c in result.changes] == [
        ("insert-lines", 1),
        ("print-to-log", 2),
    ]


class UpperCaseComments(TextCodemod):
    """A text codemod: upper-case every comment line (a stand-in for layout fixes)."""

    id = "upper-comments"
    summary = "Upper-case comment lines."
    safety = FixSafety.SAFE

    def plan(self, source):
        lines = [
            i
            for i, line in enumerate(source.lines, 1)
            if line.lstrip().startswith("#") and line != line.upper()
        ]
        return Plan(work=lines)

    def rewrite_text(self, source, plan):
        lines = list(source.lines)
        for number in plan.work:
            lines[number - 1] = lines[number - 1].upper()
        return "".join(lines), [Change(self.id, n, "upper") for n in plan.work]


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    real_parse = cst.parse_module
    calls: list[str] = []

    def counting_parse(text: str) -> cst.Module:
        calls.append(text)
        return real_parse(text)

    monkeypatch.setattr(cst, "parse_module", counting_parse)
    return calls


def test_text_codemod_first_needs_no_libcst_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_parses(monkeypatch)
    result = fix("# note\nx = 1\n", UpperCaseComments(), PrintToLog())
    assert result.new_text == "# NOTE\nx = 1\n" and calls == []
    result = fix("# note\nprint(1)\n", UpperCaseComments(), PrintToLog())
    assert result.new_text == "# NOTE\nlog(1)\n" and len(calls) == 1


def test_text_codemod_after_a_tree_codemod_falls_back_to_a_second_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_parses(monkeypatch)
    result = fix("# note\nprint(1)\n", PrintToLog(), UpperCaseComments())
    assert result.new_text == "# NOTE\nlog(1)\n" and len(calls) == 2


def test_source_lines_are_numbered_like_ast() -> None:
    from codemods.source import SourceFile

    source = SourceFile("f.py", "a = '\x0c'\r\nb = '\u2028'\rc = 1\n")
    assert source.lines == ["a = '\x0c'\r\n", "b = '\u2028'\r", "c = 1\n"]
    assert source.tree.body[2].lineno == 3


def test_a_file_libcst_cannot_parse_is_that_files_error() -> None:
    text = (
        "def f():\n  if f():\n\x0c    print(2)\n"  # a form feed in indentation: Python accepts it
    )
    result = fix(text)
    assert result.error is not None and not result.changed
    assert result.error.message.startswith("LibCST cannot parse this file (Python can): ")
