"""The ``indentation`` codemod on real code, the TabError repair hook, options and skips."""

from __future__ import annotations

import ast
import sys

import corpus_indentation
import libcst as cst
import pytest

from codemods import engine as engine_module
from codemods.config import ConfigError, options_from_table
from codemods.engine import Engine
from codemods.fixes import indentation
from codemods.fixes.indentation import Indentation, IndentationOptions
from codemods.source import SourceFile, apply_edits


def _fix(text: str, width: int = 4) -> engine_module.FileResult:
    return Engine([Indentation(IndentationOptions(indent_width=width))]).fix_text("t.py", text)


@pytest.fixture
def no_libcst_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any LibCST parse by the engine fail the test."""

    def refuse(text: str) -> cst.Module:
        raise AssertionError("the engine parsed a file that needs no work")

    monkeypatch.setattr(cst, "parse_module", refuse)  # the engine imports libcst when needed


def test_seed_nova_file_gets_no_edit_and_no_parse(nova_seed, no_libcst_parse) -> None:
    text = nova_seed.data.decode("utf-8")
    assert not list(Indentation().find(SourceFile(nova_seed.name, text)))
    result = Engine([Indentation()]).fix_bytes(nova_seed.name, nova_seed.data)
    assert result.error is None
    assert result.new_bytes() == nova_seed.data
    assert not result.changes and not result.skips


def test_nova_sample_originals_untouched_without_parse(nova_sample, no_libcst_parse) -> None:
    engine = Engine([Indentation()])
    for corpus_file in nova_sample:
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        assert result.error is None, result.error.format(corpus_file.name)
        assert result.new_bytes() == corpus_file.data, corpus_file.name


@pytest.mark.parametrize("style", sorted(corpus_indentation.STYLES))
def test_nova_sample_round_trip(nova_sample, style: str) -> None:
    engine = Engine([Indentation()])
    level = corpus_indentation.STYLES[style]
    converted_files = 0
    for corpus_file in nova_sample:
        original = corpus_file.data.decode("utf-8")
        converted = corpus_indentation.convert(original, level)
        converted_files += converted != original
        result = engine.fix_text(corpus_file.name, converted)
        assert result.error is None, result.error.format(corpus_file.name)
        assert result.new_text == original, corpus_file.name
    assert converted_files > len(nova_sample) // 2


def test_tab_error_that_tab_8_cannot_read_is_reported_and_left_alone() -> None:
    text = "if x:\n\tif y:\n\t\ta = 1\n    b = 2\n"
    with pytest.raises(SyntaxError):
        ast.parse(text)
    result = _fix(text)
    assert result.error is not None
    assert not result.changed
    assert result.new_text == text


def test_repair_is_reported_against_the_original_text() -> None:
    text = "if x:\n\tif y:\n\t\ta = 1\n        b = 2\n"
    result = _fix(text)
    assert result.error is None
    assert result.old_text == text
    assert result.new_text == "if x:\n    if y:\n        a = 1\n    b = 2\n"
    assert result.changes[0].message.startswith("repaired: inconsistent use of tabs")


def test_repair_hook_is_not_used_for_other_syntax_errors() -> None:
    text = "def f(:\n\tpass\n"
    assert Indentation().repair(text, SyntaxError("invalid syntax")) is None
    assert _fix(text).error is not None


def test_consistent_file_with_tab_in_data_string_needs_no_work() -> None:
    text = 'def f():\n    return """\n\tkept\n"""\n'
    assert not list(Indentation().find(SourceFile("t.py", text)))


def test_comment_deeper_than_its_block_is_work() -> None:
    text = "def f():\n    x = 1\n        # stray\n    return x\n"
    assert list(Indentation().find(SourceFile("t.py", text)))
    assert _fix(text).new_text == "def f():\n    x = 1\n    # stray\n    return x\n"


def test_tabs_count_to_the_next_multiple_of_8() -> None:
    text = "if x:\n  \ty = 1\n        z = 2\n"
    assert _fix(text).new_text == "if x:\n    y = 1\n    z = 2\n"


def test_form_feed_before_code_stays_and_the_line_is_re_indented() -> None:
    text = "def f():\n  return 1\n\x0cdef g():\n\x0c  return 2\n"
    result = _fix(text)
    assert result.error is None
    assert result.new_text == "def f():\n    return 1\n\x0cdef g():\n\x0c    return 2\n"
    assert not result.skips


def test_width_option_from_config() -> None:
    options = options_from_table(IndentationOptions, {"indent-width": 2}, "pyproject.toml")
    assert options == IndentationOptions(indent_width=2)
    with pytest.raises(ConfigError, match="indent-width"):
        options_from_table(IndentationOptions, {"indent-width": 0}, "pyproject.toml")


def test_changes_name_the_lines_and_indentations() -> None:
    result = _fix("def f():\n\tif x:\n\t\treturn 1\n")
    assert [(change.line, change.description) for change in result.changes] == [
        (2, "line indented with 1 tab: re-indented to 4 spaces"),
        (3, "line indented with 2 tabs: re-indented to 8 spaces"),
    ]


def test_docstring_left_of_its_statement_is_kept_and_reported() -> None:
    text = 'def f():\n  """Usage:\nflush left\n"""\n'
    result = _fix(text)
    assert result.new_text == 'def f():\n    """Usage:\nflush left\n"""\n'
    assert [skip.line for skip in result.skips] == [2]


def _keeps(text: str, new_lines: dict[int, str]) -> bool:
    """Run the safety check on a plan edited by hand (what a bug in the token pass would do)."""
    return indentation._program_change(SourceFile("t.py", text), new_lines) is None


def test_safety_check_refuses_a_moved_data_string_line() -> None:
    text = 'def f():\n  x = """\n  a"""\n  return x\n'
    moved = {1: '    x = """\n', 2: '    a"""\n', 3: "    return x\n"}
    assert not _keeps(text, moved)
    assert _keeps(text, {1: moved[1], 3: moved[3]})


def test_safety_check_refuses_a_moved_self_documenting_field_line() -> None:
    text = 'def f(x):\n  return f"""{ x\n  =}"""\n'
    assert not _keeps(text, {1: '    return f"""{ x\n', 2: '    =}"""\n'})


def test_safety_check_refuses_a_statement_moved_to_another_block() -> None:
    text = "if x:\n  y = 1\nz = 2\n"
    assert not _keeps(text, {1: "    y = 1\n", 2: "    z = 2\n"})


def test_safety_check_reads_match_statements() -> None:
    text = "match x:\n  case 1:\n    y = 1\n  case _:\n    y = (2,\n  3)\nz = 4\n"
    cases_moved = {1: "    case 1:\n", 2: "        y = 1\n", 3: "    case _:\n"}
    assert _keeps(text, {**cases_moved, 4: "        y = (2,\n"})
    assert not _keeps(text, {6: "    z = 4\n"})  # into the last case


def test_safety_check_says_why_it_refuses() -> None:
    text = "if x:\n  y = 1\nz = 2\n"
    assert indentation._program_change(SourceFile("t.py", text), {2: "  z = 2\n"}) == (
        "re-indenting would change the program's ast"
    )
    assert indentation._program_change(SourceFile("t.py", text), {2: "   z = 2\n"}) == (
        "the re-indented file would not parse"
    )


@pytest.mark.parametrize(
    ("old", "new", "same"),
    [
        ('"""Doc.\n  More."""', '"""Doc.\n    More."""', True),
        ('"""Doc.\n  More."""', '"""Doc.\nMore.  """', False),
        ('"""Doc."""', "f()", False),
        ("f()", '"""Doc."""', False),
        ('x = """\n  a"""', 'x = """\n    a"""', False),
        ("match x:\n case 1: pass", "match x:\n case 2: pass", False),
        ("match x:\n case 1: pass", "match x:\n     case 1: pass", True),
    ],
)
def test_tree_comparison(old: str, new: str, same: bool) -> None:
    assert indentation._same_tree(ast.parse(old), ast.parse(new)) is same


def test_a_plan_that_fails_the_safety_check_is_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indentation, "_program_change", lambda source, new_lines: "a reason")
    text = "def f():\n\treturn 1\n"
    result = _fix(text)
    assert result.error is None
    assert result.new_text == text
    assert [skip.skip for skip in result.skips] == ["a reason"]


_CHAIN = ["1"] * 1000
_DEEP_CASES = {
    "plus_chain_on_backslash_lines": "def f():\n\treturn " + " + \\\n\t\t".join(_CHAIN) + "\n",
    "plus_chain_in_brackets": "def f():\n\treturn (" + " +\n\t\t".join(_CHAIN) + ")\n",
    "nested_lists": "def f():\n\treturn " + "[\n\t\t" * 190 + "1" + "]" * 190 + "\n",
}


@pytest.mark.parametrize("name", sorted(_DEEP_CASES))
def test_deep_code_is_re_indented_without_recursion(name: str) -> None:
    text = _DEEP_CASES[name]
    source = SourceFile("t.py", text)
    codemod = Indentation()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default: less than a walk of the tree needs
    try:
        findings = list(codemod.find(source))
        new_text = apply_edits(text, codemod.fix(source, findings))
    finally:
        sys.setrecursionlimit(limit)
    assert not [finding for finding in findings if finding.skip]
    assert new_text == text.replace("\t\t", " " * 12).replace("\t", "    ")


def test_code_too_deep_to_parse_again_is_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "def f():\n\treturn 1\n"
    source = SourceFile("t.py", text)

    def too_deep(code: str) -> ast.Module:
        raise RecursionError("maximum recursion depth exceeded during ast construction")

    monkeypatch.setattr(indentation.ast, "parse", too_deep)
    assert [finding.skip for finding in Indentation().find(source)] == [
        "the code nests too deeply to check the re-indented file"
    ]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="multi-line fields in '...' need 3.12")
def test_self_documenting_fields_spanning_lines_keep_their_bytes() -> None:
    text = (
        "def show(x):\n"
        '  print(f"{\n  x\n=}")\n'
        "  if x:\n"
        '\t  return (f"{\n\t  x + 1\n  =!r}"\n\t    f"{x = }")\n'
    )
    result = _fix(text)
    assert result.error is None
    assert result.new_text == (
        "def show(x):\n"
        '    print(f"{\n  x\n=}")\n'
        "    if x:\n"
        '        return (f"{\n\t  x + 1\n  =!r}"\n          f"{x = }")\n'
    )
    outputs = []
    for code in (text, result.new_text):
        printed: list[str] = []
        namespace: dict = {"print": printed.append}
        exec(code, namespace)
        outputs.append((printed, namespace["show"](1)))
    assert outputs[0] == outputs[1] == (["\n  x\n=1"], "\n\t  x + 1\n  =2x = 1")


def test_docstring_moves_without_evaluating_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(token: str) -> object:
        raise AssertionError("a plain docstring was evaluated")

    monkeypatch.setattr(ast, "literal_eval", refuse)
    text = 'def f():\n  """Summary.\n\n  Details.\n  """\n'
    assert _fix(text).new_text == 'def f():\n    """Summary.\n\n    Details.\n    """\n'


_ENDINGS_CASES = [
    "  # comment\nx = 1 + \\\n  2\n",
    "def f():\n\tx = 1 + \\\n\t    2\n\treturn (x,\n\t\tx)\n",
    'class C:\n  def f(self):\n    """Doc.\n\n    More.\n    """\n    return 1 + \\\n      2\n',
    "if x:\n  y = 1  # trailing\n   # odd comment\n  z = f(\n 1)\n",
    "match ():\n\tcase {}: pass\n",
]
_TAB_ERROR_CASE = "if x:\n\tif y:\n\t\ta = 1 + \\\n\t\t  2\n        b = 2\n"


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
@pytest.mark.parametrize("text", [*_ENDINGS_CASES, _TAB_ERROR_CASE])
def test_line_endings_get_the_same_edits_and_are_kept(text: str, ending: str) -> None:
    lf_result = _fix(text)
    result = _fix(text.replace("\n", ending))
    assert lf_result.error is None and result.error is None
    assert result.new_text == lf_result.new_text.replace("\n", ending)
    assert [change.description for change in result.changes] == [
        change.description for change in lf_result.changes
    ]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
@pytest.mark.parametrize("text", _ENDINGS_CASES)
def test_line_endings_get_the_same_findings(text: str, ending: str) -> None:
    def found(code: str) -> list[tuple[int, str, str | None]]:
        return [(f.line, f.message, f.skip) for f in Indentation().find(SourceFile("t", code))]

    assert found(text.replace("\n", ending)) == found(text)


def test_cr_only_file_keeps_its_last_carriage_return() -> None:
    result = Engine([Indentation()]).fix_bytes("t.py", b"if x:\r\ty = 1 + \\\r\t    2\r")
    assert result.new_bytes() == b"if x:\r    y = 1 + \\\r        2\r"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\n\t\\\n        #", id="fuzz seed 4242"),
        pytest.param("\n\t\\\n\n\t#", id="fuzz seed 4242, 1000 examples"),
        pytest.param("\n\t\\\n#\n\t#", id="fuzz seed 4242 again"),
        pytest.param("if a:\n  \t\\\n\n  \t# c\n  \tx = 1\n", id="the block opens later"),
        pytest.param("x = 1\n\t\\\n        # note\ny = 2\n", id="between statements"),
        pytest.param("if x:\n    y = 1\n\t\\\n        # note\n    z = 2\n", id="in a block"),
    ],
)
def test_comment_after_a_backslash_continuation_is_left_alone_and_a_fixed_point(
    text: str,
) -> None:
    # `tokenize` opens a block at the backslash line; the comment has no line of its own.
    once = _fix(text)
    assert once.error is None
    assert once.new_text.splitlines()[2] == text.splitlines()[2]
    assert _fix(once.new_text).new_text == once.new_text
