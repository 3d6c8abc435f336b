"""Unit tests of the engine with codemods defined in the tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import libcst as cst
import pytest

from codemods import Codemod, Edit, Engine, Finding, SourceFile, TreeCodemod
from codemods.source import decode_source

sys.path.insert(0, str(Path(__file__).parent / "plugin"))
from codemods_example_plugin import PrintToLog, PrintToLogOptions  # noqa: E402


class RenameCalls(TreeCodemod):
    """A tree codemod: rename the callee of every ``old(...)`` statement to ``new``."""

    id = "rename-calls"
    summary = "Rename calls."

    def __init__(self, old: str = "print", new: str = "log") -> None:
        super().__init__()
        self.old, self.new = old, new

    def find(self, source):
        for node in source.tree.body:
            if isinstance(node, ast.Expr) and ast.unparse(node.value.func) == self.old:
                yield Finding.at(node, f"{self.old} -> {self.new}", data=node)

    def fix_tree(self, module, source, findings):
        lines = {finding.line for finding in findings}
        body = []
        for statement, node in zip(module.body, source.tree.body, strict=True):
            if node.lineno in lines:
                call = statement.body[0].value
                call = call.with_changes(func=cst.Name(self.new))
                statement = statement.with_changes(
                    body=[statement.body[0].with_changes(value=call)]
                )
            body.append(statement)
        return module.with_changes(body=body)


class Exploding(Codemod):
    """A codemod whose fix raises, to check that a codemod's bug stays in its file."""

    id = "exploding"
    summary = "Raise."

    def find(self, source):
        yield Finding(1, "boom ahead")

    def fix(self, source, findings):
        raise RuntimeError("boom")


class Breaking(Codemod):
    """A codemod that writes code that parses but does not compile."""

    id = "breaking"
    summary = "Break the code."

    def find(self, source):
        if "return" not in source.text:
            yield Finding(1, "break it")

    def fix(self, source, findings):
        return [Edit(0, 0, "return 1\n")]


class Unparsable(Codemod):
    """A codemod that writes code that does not even parse."""

    id = "unparsable"
    summary = "Write garbage."

    def find(self, source):
        yield Finding(1, "garbage")

    def fix(self, source, findings):
        return [Edit(0, 0, "def (:\n")]


def fix(text: str, *codemods: Codemod, selectors=()):
    return Engine(codemods or [PrintToLog()], selectors).fix_text("example.py", text)


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


def test_two_tree_codemods_with_work_share_one_libcst_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_parses(monkeypatch)
    result = fix("print(1)\n", RenameCalls("print", "print2"), RenameCalls("print2", "log"))
    # the second codemod found work in the first one's output, and fixed it on the same tree
    assert result.new_text == "log(1)\n"
    assert [f.message for f in result.changes] == ["print -> print2", "print2 -> log"]
    assert len(calls) == 1


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
    assert [(s.codemod_id, s.line, s.skip) for s in result.skips] == [
        ("print-to-log", 1, "a '# codemods: skip' comment leaves it alone")
    ]


def test_noqa_suppresses_only_the_codes_a_codemod_declares() -> None:
    class Coded(PrintToLog):
        def find(self, source):
            for finding in super().find(source):
                yield Finding.at(finding.data, finding.message, codes=("T201",), data=finding.data)

    text = "print(1)  # noqa: T201\nprint(2)  # noqa: E501\nprint(3)  # noqa\nprint(4)\n"
    result = fix(text, Coded())
    assert (
        result.new_text
        == "print(1)  # noqa: T201\nlog(2)  # noqa: E501\nprint(3)  # noqa\nlog(4)\n"
    )
    assert [s.line for s in result.skips] == [1, 3]
    # a codemod that declares no code is not silenced by a bare noqa
    assert fix("print(1)  # noqa\n").new_text == "log(1)  # noqa\n"
    assert (
        fix("# ruff: noqa: T201\nprint(1)\n", Coded()).new_text == "# ruff: noqa: T201\nprint(1)\n"
    )


def test_skip_file_leaves_the_file_alone() -> None:
    text = "print(1)\n# codemods: skip-file\n"
    result = fix(text)
    assert result.new_text == text and not result.changes
    assert "skip-file" in result.skips[0].skip


def test_selectors_decide_on_lines_of_the_file_as_read() -> None:
    seen = []

    def only_line_4(finding: Finding) -> str | None:
        seen.append((finding.codemod_id, finding.line))
        return None if finding.line == 4 else "outside the lines asked for"

    text = "print(1)\nprint(2)\n"
    result = fix(text, InsertLines(), PrintToLog(), selectors=[only_line_4])
    # insert-lines' own finding (line 1) is not selected, so nothing shifts
    assert result.new_text == text and not result.changes
    result = fix("\n\n\nprint(4)\nprint(5)\n", PrintToLog(), selectors=[only_line_4])
    assert result.new_text == "\n\n\nlog(4)\nprint(5)\n"
    assert [(s.line, s.skip) for s in result.skips] == [(5, "outside the lines asked for")]
    assert ("print-to-log", 4) in seen


def test_a_finding_whose_requirement_is_not_fixed_is_not_fixed() -> None:
    class Chained(Codemod):
        id = "chained"
        summary = "Two findings, the second needs the first."

        def find(self, source):
            yield Finding(1, "first", key="a", data=0)
            yield Finding(2, "second", key="b", requires=frozenset({"a"}), data=1)

        def fix(self, source, findings):
            return [
                source.replace_lines(f.line, f.line, f"# fixed {f.message}\n") for f in findings
            ]

    text = "x = 1  # codemods: skip\ny = 2\n"
    result = fix(text, Chained())
    assert result.new_text == text
    assert [(s.line, s.skip) for s in result.skips] == [
        (1, "a '# codemods: skip' comment leaves it alone"),
        (
            2,
            "it depends on the fix at line 1, which is not made (a '# codemods: skip' comment leaves it alone)",
        ),
    ]
    assert fix("x = 1\ny = 2\n", Chained()).new_text == "# fixed first\n# fixed second\n"


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


def test_codemod_output_that_does_not_compile_is_refused_naming_the_codemod() -> None:
    result = fix("print(1)\n", PrintToLog(), Breaking())
    assert result.error is not None and result.error.codemod_id == "breaking"
    assert result.error.message == "the fixed code does not compile: 'return' outside function"
    assert result.new_text == result.old_text == "print(1)\n" and not result.changed


def test_codemod_output_that_does_not_parse_is_refused_naming_the_codemod() -> None:
    result = fix("print(1)\n", PrintToLog(), Unparsable())
    assert result.error is not None and result.error.codemod_id == "unparsable"
    assert result.error.message.startswith("produced code that does not parse")
    assert result.new_text == result.old_text and not result.changed


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


def test_lines_of_a_later_codemod_refer_to_the_file_as_read() -> None:
    result = fix("x = 1\nprint(2)\n", InsertLines(), PrintToLog())
    assert result.new_text == "a = 0\nb = 0\nx = 1\nlog(2)\n"
    assert [(c.codemod_id, c.line) for c in result.changes] == [
        ("insert-lines", 1),
        ("print-to-log", 2),
    ]


def test_lines_stay_right_when_an_earlier_codemod_changed_every_line() -> None:
    text = "if x:\n\tpass\n\tpass\n\tprint(4)\n"
    result = fix(text, UpperCaseComments(), IndentTabs(), PrintToLog())
    assert result.new_text == "if x:\n    pass\n    pass\n    log(4)\n"
    assert [(c.codemod_id, c.line) for c in result.changes] == [
        ("indent-tabs", 2),
        ("indent-tabs", 3),
        ("indent-tabs", 4),
        ("print-to-log", 4),
    ]


class InsertLines(Codemod):
    """Insert two lines at the top, so later codemods see shifted lines."""

    id = "insert-lines"
    summary = "Insert lines."

    def find(self, source):
        if not source.text.startswith("a = 0"):
            yield Finding(1, "added")

    def fix(self, source, findings):
        return [source.insert_before_line(1, "a = 0\nb = 0\n")]


class IndentTabs(Codemod):
    """A text codemod that turns each leading tab into four spaces (changes every line)."""

    id = "indent-tabs"
    summary = "Tabs to spaces."

    def find(self, source):
        for number, line in enumerate(source.lines, 1):
            if line.startswith("\t"):
                yield Finding(number, "tab", data=line)

    def fix(self, source, findings):
        return [
            source.replace_lines(f.line, f.line, f.data.replace("\t", "    ", 1)) for f in findings
        ]


class UpperCaseComments(Codemod):
    """A text codemod: upper-case every comment line (a stand-in for layout fixes)."""

    id = "upper-comments"
    summary = "Upper-case comment lines."

    def find(self, source):
        for number, line in enumerate(source.lines, 1):
            if line.lstrip().startswith("#") and line != line.upper():
                yield Finding(number, "upper")

    def fix(self, source, findings):
        return [
            source.replace_lines(f.line, f.line, source.lines[f.line - 1].upper())
            for f in findings
        ]


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
    result = fix("# note\nx = 1\n", UpperCaseComments(), RenameCalls())
    assert result.new_text == "# NOTE\nx = 1\n" and calls == []
    result = fix("# note\nprint(1)\n", UpperCaseComments(), RenameCalls())
    assert result.new_text == "# NOTE\nlog(1)\n" and len(calls) == 1


def test_a_tree_codemod_after_a_text_edit_parses_the_new_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_parses(monkeypatch)
    result = fix("# note\nprint(1)\n", RenameCalls(), UpperCaseComments(), RenameCalls("log", "x"))
    assert result.new_text == "# NOTE\nx(1)\n" and len(calls) == 2
    assert calls[1] == "# NOTE\nlog(1)\n"


def test_source_lines_are_numbered_like_ast() -> None:
    source = SourceFile("f.py", "a = '\x0c'\r\nb = '\u2028'\rc = 1\n")
    assert source.lines == ["a = '\x0c'\r\n", "b = '\u2028'\r", "c = 1\n"]
    assert source.tree.body[2].lineno == 3


def test_a_file_libcst_cannot_parse_is_that_files_error() -> None:
    text = "def f():\n  if f():\n\x0c    print(2)\nprint(1)\n"  # a form feed in an indent: Python accepts it
    result = fix(text, RenameCalls())
    assert result.error is not None and not result.changed
    assert result.error.message.startswith("LibCST cannot parse this file (Python can): ")
