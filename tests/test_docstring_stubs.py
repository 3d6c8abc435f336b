"""Tests of ``docstring-stubs`` beyond the samples: the seed file, the Nova sample, edge cases."""

from __future__ import annotations

import ast
import collections
import difflib
import re
from pathlib import Path

import pycodestyle
import pytest
from corpus_docstring_stubs import (
    new_findings,
    only_docstrings_added,
    pydoclint_findings,
    ruff_findings,
    write_tree,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemods.config import ConfigError, options_from_table
from codemods.engine import Engine
from codemods.fixes.docstring_stubs import DocstringStubs, DocstringStubsOptions
from codemods.naming import name_words


def fix(text: str, path: str = "pkg/module.py", **options: object) -> str:
    result = Engine([DocstringStubs(DocstringStubsOptions(**options))]).fix_text(path, text)
    assert result.error is None, result.error
    return result.new_text


def added_lines(old: str, new: str) -> list[str]:
    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    assert not [line for line in diff if line.startswith("- ")], "a line was removed"
    return [line[2:] for line in diff if line.startswith("+ ")]


# --- the seed file and the Nova sample --------------------------------------------------------


def test_seed_file_gets_exactly_the_d1_docstrings(nova_seed, tmp_path: Path) -> None:
    old = nova_seed.data.decode()
    result = Engine([DocstringStubs()]).fix_text(nova_seed.name, old)

    assert added_lines(old, result.new_text) == [
        "\n",
        '"""Test bug 1825537."""\n',
        '        """Set up."""\n',
        '        """Test finish resize fails allocation cleanup."""\n',
    ]
    assert only_docstrings_added(old, result.new_text)
    (tmp_path / "test_bug_1825537.py").write_text(result.new_text)
    assert ruff_findings(tmp_path, "D1") == []


@pytest.mark.slow
def test_nova_sample_leaves_nothing_for_ruff_d1(nova_sample, tmp_path: Path) -> None:
    engine = Engine([DocstringStubs()])
    fixed, skipped = [], set()
    for corpus_file in nova_sample:
        result = engine.fix_bytes(corpus_file.name, corpus_file.data)
        assert result.error is None, result.error.format(corpus_file.name)
        assert only_docstrings_added(result.old_text, result.new_text), corpus_file.name
        again = engine.fix_text(corpus_file.name, result.new_text)
        assert not again.changed, f"second run changes {corpus_file.name}"
        fixed.append(type(corpus_file)(corpus_file.name, result.new_bytes()))
        old_lines = result.old_text.splitlines()
        # by the line's text: the docstrings added above a skipped definition move it down
        skipped |= {(corpus_file.name, old_lines[skip.line - 1]) for skip in result.skips}
    write_tree(tmp_path / "before", nova_sample)
    write_tree(tmp_path / "after", fixed)

    before = ruff_findings(tmp_path / "before", "D1")
    after = ruff_findings(tmp_path / "after", "D1")
    assert len(before) > 100  # the sample really is undocumented
    after_lines = {f.name: f.data.decode().splitlines() for f in fixed}
    assert [f for f in after if (f[0], after_lines[f[0]][f[1] - 1]) not in skipped] == []


@pytest.mark.slow
@pytest.mark.parametrize("convention", ["google", "numpy", "sphinx"])
def test_nova_sample_stubs_add_no_docstyle_finding(
    nova_sample, tmp_path: Path, convention: str
) -> None:
    engine = Engine([DocstringStubs(DocstringStubsOptions(convention=convention))])
    fixed = [type(f)(f.name, engine.fix_bytes(f.name, f.data).new_bytes()) for f in nova_sample]
    write_tree(tmp_path / "before", nova_sample)
    write_tree(tmp_path / "after", fixed)
    ruff_convention = "pep257" if convention == "sphinx" else convention
    for root_findings in (
        lambda root: ruff_findings(root, "D2,D3,D4", ruff_convention),
        lambda root: [f for f in pydoclint_findings(root, convention) if f[2] not in TYPE_POLICY],
    ):
        before = root_findings(tmp_path / "before")
        after = root_findings(tmp_path / "after")
        assert new_findings(before, after) == {}


TYPE_POLICY = {"DOC106", "DOC107", "DOC108", "DOC109", "DOC110", "DOC111"}


# --- summaries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "test_finish_resize_fails_allocation_cleanup",
            "test finish resize fails allocation cleanup",
        ),
        ("setUpClass", "set up class"),
        ("HTTPServerError", "HTTP server error"),
        ("get_v2_flavors", "get v2 flavors"),
        ("__init__", "init"),
        ("Ω", ""),
        # mixed-case acronyms stay one word, known acronyms are spelled as such
        ("CrossCellResizeWithQoSPort", "cross cell resize with QoS port"),
        ("ComputeVersion5xPinnedRpcTests", "compute version 5x pinned RPC tests"),
        ("test_get_server_by_uuid", "test get server by UUID"),
        ("get_vm_ids", "get VM IDs"),
        ("NumaTopologyFilter", "NUMA topology filter"),
        ("qos_policy", "QoS policy"),
        ("VCPUsPerHost", "vCPUs per host"),
        ("https_url", "HTTPS URL"),
        # digits: a version or count stays together, a CamelCase word lets go of it
        ("ApiV2Client", "API v2 client"),
        ("Ipv6Address", "IPv6 address"),
        ("test_ipv6_address", "test IPv6 address"),
        ("HTTP2Server", "HTTP2 server"),
        ("sha256sum", "sha256sum"),
        ("Version5", "version 5"),
        ("Base64Encoder", "base64 encoder"),
        ("TestBug2140631", "test bug 2140631"),
        ("test_resize_5x", "test resize 5x"),
        ("x86_64", "x86 64"),
        ("IsAPort", "is a port"),
    ],
)
def test_name_words(name: str, words: str) -> None:
    assert " ".join(name_words(name)) == words


@pytest.mark.parametrize(
    ("code", "summary"),
    [
        ("def get_flavors(): pass", "Get flavors."),
        ("def setUp(): pass", "Set up."),
        ("def teardown_all(): pass", "Tear down all."),
        ("def has_quota(): pass", "Return whether it has quota."),
        ("def flavors(): pass", "Describe flavors."),
        ("def to_dict(): pass", "Convert to dict."),
        ("def from_legacy(): pass", "Create from legacy."),
        ("class ServerGroupTestCase: pass", "Server group test case."),
        ("class ThisThing: pass", "Describe ThisThing."),  # D404 forbids "This"
        ("class CrossCellResizeWithQoSPort: pass", "Cross cell resize with QoS port."),
        ("class ComputeVersion5xPinnedRpcTests: pass", "Compute version 5x pinned RPC tests."),
        ("def get_api_url(): pass", "Get API URL."),
        ("def is_numa_host(): pass", "Return whether it is NUMA host."),
        ("class QoSPolicy: pass", "QoS policy."),
    ],
)
def test_summaries(code: str, summary: str) -> None:
    new = fix(f'"""Doc."""\n\n\n{code}\n')
    assert f'"""{summary}"""' in new


def test_init_and_magic_methods() -> None:
    new = fix(
        '"""Doc."""\n\n\nclass Host:\n    def __init__(self): pass\n    def __len__(self): return 0\n    def __frob__(self): pass\n'
    )
    assert '"""Initialize Host."""' in new
    assert '"""Return len(self)."""' in new
    assert '"""Describe __frob__."""' in new


@pytest.mark.parametrize(
    ("path", "summary"),
    [
        ("nova/compute/manager.py", "Manager."),
        ("nova/compute/__init__.py", "Compute package."),
        ("nova/__main__.py", "Run nova as a program."),
    ],
)
def test_module_summary_from_path(path: str, summary: str) -> None:
    assert fix("import os\n", path) == f'"""{summary}"""\n\nimport os\n'


def test_private_module_and_its_contents_are_left_alone() -> None:
    text = "def get_flavors():\n    pass\n"
    assert fix(text, "nova/_private.py") == text
    assert fix(text, "nova/_private/api.py") == text
    assert '"""Get flavors."""' in fix(text, "nova/_private.py", include_private=True)


# --- placement ---------------------------------------------------------------------------------


def test_empty_and_comment_only_files() -> None:
    assert fix("", "nova/api/__init__.py") == '"""API package."""\n'
    assert fix("# Licence\n", "nova/api/__init__.py") == '# Licence\n"""API package."""\n'


def test_comments_attached_to_the_first_statement_stay_with_it() -> None:
    text = "#!/usr/bin/env python\n# Licence\n\n# why os\nimport os\n"
    expected = '#!/usr/bin/env python\n# Licence\n\n"""Module."""\n\n# why os\nimport os\n'
    assert fix(text) == expected


def test_blank_line_after_docstring_rules() -> None:
    text = (
        '"""Doc."""\n\n\nclass Host:\n    # kind\n    kind = 1\n\n\ndef boot():\n\n    return 1\n'
    )
    assert fix(text) == (
        '"""Doc."""\n\n\nclass Host:\n    """Host."""\n\n    # kind\n    kind = 1\n\n\n'
        'def boot():\n    """Boot."""\n    return 1\n'
    )


@pytest.mark.parametrize(
    ("comment", "kept_on_header"),
    [
        ("# pylint: disable=invalid-name", True),
        ("# pyright: ignore[reportIncompatibleMethodOverride]", True),
        ("# type: ignore[override, no-untyped-def]", True),
        ("# type: ignore[override]  # noqa: E704", True),
        ("# just a remark", False),
        ("# noqa: F821", None),
        ("# pyright: ignore", None),
        ("# type: ignore[override, return-value]", None),
    ],
)
def test_one_line_body_comment_bound_to_its_line(
    comment: str, kept_on_header: bool | None
) -> None:
    text = f'"""Doc."""\n\n\nclass Host:\n    """Host."""\n\n    def boot(self): return 1  {comment}\n'
    result = Engine([DocstringStubs()]).fix_text("m.py", text)
    if kept_on_header is None:
        assert not result.changed
        assert "may be meant for its header or its body" in result.skips[0].skip
    elif kept_on_header:
        assert f"    def boot(self):  {comment}\n" in result.new_text
    else:
        assert f"        return 1  {comment}\n" in result.new_text


def test_module_type_ignore_right_after_the_shebang_stays_first() -> None:
    text = "#!/usr/bin/env python\n# type: ignore\nimport os\n"
    assert fix(text) == '#!/usr/bin/env python\n# type: ignore\n"""Module."""\n\nimport os\n'


def test_signature_type_comment_after_other_comments_stays_above_the_docstring() -> None:
    text = '"""Doc."""\n\n\ndef get(key):\n    # why\n    # type: (str) -> int\n    return 1\n'
    new = fix(text)
    assert new.endswith('    # why\n    # type: (str) -> int\n    """Get."""\n    return 1\n')
    function = ast.parse(new, type_comments=True).body[1]
    assert function.type_comment == "(str) -> int"


@pytest.mark.parametrize(
    ("first", "blanks"),
    [
        ("def boot():\n    return 1\n", "\n\n"),
        ("@cache\ndef boot():\n    return 1\n", "\n\n"),
        ("class Host:\n    x = 1\n", "\n\n"),
        ("import os\n", "\n"),
        ("if os:\n    pass\n", "\n"),
    ],
)
def test_blank_lines_after_module_docstring(first: str, blanks: str) -> None:
    assert fix(first, include_private=True).startswith(f'"""Module."""\n{blanks}{first[:6]}')


def test_expected_samples_add_no_pycodestyle_finding() -> None:
    samples = Path(__file__).resolve().parent.parent / "samples" / "docstring-stubs"
    for expected in sorted(samples.glob("*.expected.py")):
        before = _pycodestyle_codes(expected.with_name(expected.name.replace(".expected", "")))
        after = _pycodestyle_codes(expected)
        assert after - before == collections.Counter(), expected.name


def _pycodestyle_codes(path: Path) -> collections.Counter:
    report = pycodestyle.StyleGuide(quiet=True).check_files([str(path)])
    return collections.Counter({code: n for code, n in report.counters.items() if code[0] in "EW"})


@pytest.mark.parametrize(
    ("body", "after_docstring"),
    [
        ("    def g():\n        pass\n", "\n    def g():"),
        ("    # c\n    @dec\n    def g():\n        pass\n", "\n    # c\n    @dec"),
        ("    # c\n\n    def g():\n        pass\n", "    # c\n\n    def g():"),
        ("\n    # c\n\n    # d\n    def g():\n        pass\n", "    # c\n\n    # d\n"),
        ("    # c\n    g = 1\n", "    # c\n    g = 1"),
    ],
)
def test_blank_line_after_function_docstring_before_nested_def(
    body: str, after_docstring: str
) -> None:
    """One blank line only where black and ruff format want it and ruff's D202 allows it."""
    new = fix(f'"""Doc."""\n\n\ndef boot():\n{body}    return 1\n')
    assert f'    """Boot."""\n{after_docstring}' in new


def test_tab_indented_one_line_body_uses_the_file_indent() -> None:
    text = '"""Doc."""\n\n\nclass Host:\n\t"""Host."""\n\n\tdef boot(self): return 1\n'
    assert fix(text).endswith('\tdef boot(self):\n\t\t"""Boot."""\n\t\treturn 1\n')


def test_crlf_file_gets_crlf_in_multiline_docstrings() -> None:
    text = '"""Doc."""\r\n\r\n\r\ndef get(key: str) -> int:\r\n    return 1\r\n'
    new = fix(text, convention="google")
    assert "\n" not in new.replace("\r\n", "")
    assert "        key (str): Describe key.\r\n" in new


def test_backslash_in_section_text_uses_raw_string() -> None:
    text = '"""Doc."""\n\n\ndef split(sep: Literal["\\\\t"]) -> None:\n    pass\n'
    new = fix(text, convention="google")
    assert new == (
        '"""Doc."""\n\n\ndef split(sep: Literal["\\\\t"]) -> None:\n'
        '    r"""Split.\n\n    Args:\n        sep (Literal[\'\\\\t\']): Describe sep.\n    """\n'
        "    pass\n"
    )
    docstring = ast.get_docstring(ast.parse(new).body[1])
    assert docstring == "Split.\n\nArgs:\n    sep (Literal['\\\\t']): Describe sep."


def test_long_descriptions_wrap_to_line_length() -> None:
    text = '"""Doc."""\n\n\ndef get(key):\n    pass\n'
    new = fix(
        text,
        convention="numpy",
        line_length=40,
        placeholder="TODO: say what {name} is and where it comes from.",
    )
    assert new == (
        '"""Doc."""\n\n\ndef get(key):\n    """Get.\n\n    Parameters\n    ----------\n'
        "    key\n        TODO: say what key is and where\n        it comes from.\n"
        '    """\n    pass\n'
    )
    assert max(len(line) for line in new.splitlines()) <= 40


def test_summary_longer_than_the_line_is_a_skip() -> None:
    text = '"""Doc."""\n\n\ndef get_flavors(key):\n    pass\n'
    assert '    """Get flavors."""\n' in fix(text, line_length=22)  # 4 + 3 + 12 + 3 = 22
    result = Engine([DocstringStubs(DocstringStubsOptions(line_length=21))]).fix_text("m.py", text)
    assert not result.changed
    assert [skip.skip for skip in result.skips] == [
        "get_flavors: the summary 'Get flavors.' would make the docstring's first line 22 "
        "columns, over line-length 21 (a summary line cannot wrap)"
    ]
    # a multi-line docstring's first line has no closing quotes
    sections = fix(text, line_length=20, convention="google")
    assert '    """Get flavors.\n\n    Args:\n' in sections


def test_tab_indentation_counts_to_the_next_multiple_of_8() -> None:
    text = '"""Doc."""\n\n\nclass Host:\n\t"""Host."""\n\n\tdef boot(self):\n\t\tpass\n'
    assert '\t\t"""Boot."""' in fix(text, line_length=27)  # 16 + 3 + 5 + 3 = 27
    assert fix(text, line_length=26) == text


# --- what is never documented ------------------------------------------------------------------


def test_overloads_overrides_accessors_and_noqa_are_not_targets() -> None:
    text = (
        '"""Doc."""\n\nimport typing as t\nfrom typing import overload as ov\n'
        "from typing_extensions import override\n\n\n"
        "@t.overload\ndef get(a: int) -> int: ...\n@ov\ndef get(a: str) -> str: ...\n"
        'def get(a):\n    """Get."""\n\n\nclass Host:\n    """Host."""\n\n'
        "    @override\n    def boot(self): pass\n"
        '    @property\n    def name(self):\n        """The name."""\n'
        "    @name.setter\n    def name(self, value): pass\n"
        "    def stop(self):  # noqa: D102\n        pass\n"
    )
    assert fix(text) == text


def test_dunder_all_decides_what_is_public() -> None:
    text = '"""Doc."""\n\n__all__ = ["boot"]\n__all__ += ("stop",)\n\n\ndef boot(): pass\ndef stop(): pass\ndef kill(): pass\n'
    new = fix(text)
    assert '"""Boot."""' in new and '"""Stop."""' in new and "Kill." not in new


def test_module_reading_doc_is_skipped_with_reason() -> None:
    result = Engine([DocstringStubs()]).fix_text("tool.py", "import sys\nprint(__doc__)\n")
    assert not result.changed
    assert [skip.skip for skip in result.skips] == [
        "the module reads __doc__; a docstring would change its behaviour"
    ]


# --- options -----------------------------------------------------------------------------------


def test_default_placeholder_is_an_imperative_summary_without_a_fixme_word() -> None:
    placeholder = DocstringStubsOptions().placeholder.format(name="flavors")
    assert placeholder == "Describe flavors."
    assert not re.search(r"\b(TODO|FIXME|XXX)\b", placeholder, re.IGNORECASE)  # pylint W0511


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"convention": "pydoc"}, "expected one of"),
        ({"ignore-names": ["("]}, "is not a pattern the linear-time engine"),
        ({"placeholder": "TODO {what}."}, "only use the field {name}"),
        ({"placeholder": "TODO: describe {name}"}, "ending with a period"),
        ({"line-length": 5}, "at least 20"),
    ],
)
def test_bad_options_name_the_problem(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        options_from_table(DocstringStubsOptions, table, "pyproject.toml")


# Form feeds: a stub's edit changes no line outside its own insertion

_FORM_FEED_PREFIXES = ("", "", "\f", " \f", "\t\f", "\f\f", "  \f")
"""Whitespace before a line's indentation: a form feed resets the column Python counts."""
_BLANKS = ("\n", "\f\n", "  \f\n", "\f  \n")


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


@st.composite
def _form_feed_programs(draw: st.DrawFn) -> tuple[str, frozenset[int]]:
    """Return a program with form feeds before indentation, and the lines a stub may edit.

    Those are the blank lines right below a ``def``/``class`` header (the docstring replaces
    them) and one-line definitions (their body moves below the docstring).
    """
    lines: list[str] = []
    editable: set[int] = set()
    names = iter(range(1000))

    def add(depth: int, code: str) -> None:
        lines.append(draw(st.sampled_from(_FORM_FEED_PREFIXES)) + "    " * depth + code + "\n")

    def block(depth: int, documented: bool) -> None:
        for index in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                if documented and not index:
                    editable.add(len(lines))
                lines.append(draw(st.sampled_from(_BLANKS)))
            kind = draw(st.sampled_from(["x = 1", "# note", "def", "class", "if", "one-line"]))
            if kind in {"def", "class", "if"} and depth < 3:
                header = {"def": "def f{}():", "class": "class C{}:", "if": "if x{}:"}[kind]
                add(depth, header.format(next(names)))
                if kind != "if":
                    for _ in range(draw(st.integers(0, 2))):
                        editable.add(len(lines))
                        lines.append(draw(st.sampled_from(_BLANKS)))
                block(depth + 1, kind != "if")
            elif kind == "one-line":
                editable.add(len(lines))
                add(depth, f"def g{next(names)}(): return 1")
            else:
                if kind == "# note":
                    add(depth, kind)
                add(depth, "x = 1")

    block(0, False)
    return "".join(lines), frozenset(editable)


def _lines_changed_outside(before: str, after: str, editable: frozenset[int]) -> list[str]:
    """Return the lines of ``before`` but ``editable`` that ``after`` lacks, in their order.

    The rest must be in ``after`` unchanged and in order; the stubs only add lines between.
    """
    old, new = _LINE.findall(before), _LINE.findall(after)  # str.splitlines splits at \f
    position = 0
    for index, line in enumerate(old):
        if index in editable:
            continue
        try:
            position = new.index(line, position) + 1
        except ValueError:
            return old[index:]
    return []


@pytest.mark.parametrize(
    ("text", "editable"),
    [
        ("if True:\n\f    x = 1\n", ()),
        ("def f():\n\f    x = 1\n    y = 2\n", ()),
        ("def f():\n    x = 1\n\f    y = 2\n", ()),
        ("x = 1\n\fdef f():\n    pass\n", ()),
        ("\fdef f():\n    x = 1\n", ()),
        ("class C:\n\f    def f(self):\n\f        pass\n", ()),
        ("def f():\n\f\n  \f\n\f    x = 1\n", (1, 2)),
        ("class C:\n  \f  def f(self): pass\n", (1,)),
        ("x = 1\n\f@dec\ndef get_a(): pass\n", (2,)),
    ],
)
def test_form_feeds_stay_on_the_lines_that_have_them(text: str, editable: tuple[int]) -> None:
    result = Engine([DocstringStubs()]).fix_text("pkg/module.py", text)
    assert result.error is None
    assert result.changes
    assert _lines_changed_outside(text, result.new_text, frozenset(editable)) == []
    assert editable or result.new_text.count("\f") == text.count("\f")
    compile(result.new_text, "pkg/module.py", "exec")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_form_feed_programs())
def test_no_line_outside_a_stub_changes_with_form_feeds(
    program: tuple[str, frozenset[int]],
) -> None:
    text, editable = program
    compile(text, "pkg/module.py", "exec")
    result = Engine([DocstringStubs()]).fix_text("pkg/module.py", text)
    assert result.error is None
    assert _lines_changed_outside(text, result.new_text, editable) == []
    compile(result.new_text, "pkg/module.py", "exec")
    again = Engine([DocstringStubs()]).fix_text("pkg/module.py", result.new_text)
    assert again.new_text == result.new_text


@pytest.mark.parametrize(
    "text",
    [
        "try:\n    pass\nexcept E :\n    pass\ndef f():\n\f    x = 1\n    y = 2\n",
        "def f():\n\f    x = 1\n    y = 2\ndef g(): \\\n    return 1\n",
    ],
)
def test_form_feeds_the_tree_would_move_make_a_skip(text: str) -> None:
    # The text edits do not model these files, and LibCST would print `\f` on every line.
    result = Engine([DocstringStubs()]).fix_text("pkg/module.py", text)
    assert (result.new_text, result.error, tuple(result.changes)) == (text, None, ())
    assert result.skips
    assert all("form feeds" in skip.skip for skip in result.skips)
