"""Tests of the text edits of ``docstring-stubs``: the bytes LibCST's tree edit writes.

Each case is written out whole, and checked three ways: the text edits give it, they are
what the codemod uses for the file (not the tree), and the tree edit gives it too.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import pytest

from codemods.engine import Engine, FileResult
from codemods.finding import Edit, Finding
from codemods.fixes.base import Options, TreeCodemod
from codemods.fixes.docstring_stubs import DocstringStubs, DocstringStubsOptions
from codemods.source import SourceFile, apply_edits


class TreeFirst(TreeCodemod[Options]):
    """A tree codemod that fixes the module through the tree and changes nothing in it."""

    id = "tree-first"
    summary = "Print the module's tree."

    def find(self, source: SourceFile) -> list[Finding]:
        """Find the module."""
        return [Finding(1, "the module")]

    def fix_tree(
        self, module: cst.Module, source: SourceFile, findings: Sequence[Finding]
    ) -> cst.Module:
        """Leave the tree as it is (the engine hands it to the next tree codemod)."""
        return module


class TreeOnly(DocstringStubs):
    """``docstring-stubs`` that always inserts through the LibCST tree."""

    def fix_text(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit] | None:
        """Decline, so that the engine uses the tree."""
        return None


def text_edits(text: str, **options: object) -> list[Edit] | None:
    """Return the text edits of ``docstring-stubs`` for every finding it would fix."""
    codemod = DocstringStubs(DocstringStubsOptions(**options))
    source = SourceFile("pkg/module.py", text)
    findings = [finding for finding in codemod.find(source) if finding.skip is None]
    return codemod.fix_text(source, findings)


def through_tree(text: str, **options: object) -> FileResult:
    """Return what the engine makes of ``text`` when the docstrings go through the tree."""
    return Engine([TreeOnly(DocstringStubsOptions(**options))]).fix_text("pkg/module.py", text)


def check(before: str, after: str, **options: object) -> None:
    """Check that the text edits, the engine and the tree edit all turn ``before`` into ``after``."""
    edits = text_edits(before, **options)
    assert edits is not None, "the text edits declined the file"
    assert apply_edits(before, edits) == after
    result = Engine([DocstringStubs(DocstringStubsOptions(**options))]).fix_text(
        "pkg/module.py", before
    )
    assert result.new_text == after
    assert through_tree(before, **options).new_text == after


CASES = {
    "crlf": (
        "class Server(object):\r\n"
        "    def get_flavors(self, name: str) -> list:\r\n"
        "        # the flavors\r\n"
        "        return name\r\n",
        '"""Module."""\r\n'
        "\r\n"
        "\r\n"
        "class Server(object):\r\n"
        '    """Server."""\r\n'
        "\r\n"
        "    def get_flavors(self, name: str) -> list:\r\n"
        '        """Get flavors.\r\n'
        "\r\n"
        "        Args:\r\n"
        "            name (str): Describe name.\r\n"
        "\r\n"
        "        Returns:\r\n"
        "            list: Describe the return value.\r\n"
        '        """\r\n'
        "        # the flavors\r\n"
        "        return name\r\n",
    ),
    "lone cr": (
        "import os\rdef get_flavors(): return 1\r",
        '"""Module."""\r'
        "\r"
        "import os\r"
        "\r"
        "\r"
        "def get_flavors():\r"
        '    """Get flavors."""\r'
        "    return 1\r",
    ),
    "mixed endings: new lines take the first line's": (
        "import os\r\ndef get_a(): return 1\n",
        '"""Module."""\r\n'
        "\r\n"
        "import os\r\n"
        "\r\n"
        "\r\n"
        "def get_a():\r\n"
        '    """Get a."""\r\n'
        "    return 1\n",
    ),
    "a bound comment keeps its line's ending, new lines take the first line's": (
        "import os\r\ndef get_a(): return 1  # pragma: no cover\n",
        '"""Module."""\r\n'
        "\r\n"
        "import os\r\n"
        "\r\n"
        "\r\n"
        "def get_a():  # pragma: no cover\n"
        '    """Get a."""\r\n'
        "    return 1\n",
    ),
    "one-line bodies: a plain comment moves, a bound one stays": (
        "def get_a(): return 1  # the answer\n"
        "\n"
        "\n"
        "class Server: pass  # pragma: no cover\n"
        "\n"
        "\n"
        "def get_b(): return 2;  # type: ignore[override]\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "def get_a():\n"
        '    """Get a."""\n'
        "    return 1  # the answer\n"
        "\n"
        "\n"
        "class Server:  # pragma: no cover\n"
        '    """Server."""\n'
        "\n"
        "    pass\n"
        "\n"
        "\n"
        "def get_b():# type: ignore[override]\n"
        '    """Get b."""\n'
        "    return 2;  \n",
    ),
    "signature type comment": (
        "def get_a(a):\n\n    # type: (int) -> int\n\n    # the answer\n    return a\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "def get_a(a):\n"
        "    # type: (int) -> int\n"
        '    """Get a."""\n'
        "    # the answer\n"
        "    return a\n",
    ),
    "module header: shebang, cookie, licence": (
        "#!/usr/bin/env python\n"
        "# -*- coding: utf-8 -*-\n"
        "# Licence text.\n"
        "\n"
        "# os first\n"
        "import os\n",
        "#!/usr/bin/env python\n"
        "# -*- coding: utf-8 -*-\n"
        "# Licence text.\n"
        "\n"
        '"""Module."""\n'
        "\n"
        "# os first\n"
        "import os\n",
    ),
    "module-wide type: ignore": (
        "#!/usr/bin/env python\n# type: ignore\n# os first\nimport os\n",
        '#!/usr/bin/env python\n# type: ignore\n"""Module."""\n\n# os first\nimport os\n',
    ),
    "comments right above the first def": (
        "# one\n# two\ndef get_a():\n    return 1\n",
        '# one\n# two\n"""Module."""\n\n\ndef get_a():\n    """Get a."""\n    return 1\n',
    ),
    "no final newline": (
        "import os\n\n\ndef get_a(): return 1  # pragma: no cover",
        '"""Module."""\n'
        "\n"
        "import os\n"
        "\n"
        "\n"
        "def get_a():  # pragma: no cover\n"
        '    """Get a."""\n'
        "    return 1",
    ),
    "comments alone, no final newline": ("# nothing here", '# nothing here\n"""Module."""\n'),
    "tabs: a one-line body takes the file's indent step": (
        "class Server:\n\tdef get_a(self):\n\t\treturn 1\n\n\tdef get_b(self): return 2\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "class Server:\n"
        '\t"""Server."""\n'
        "\n"
        "\tdef get_a(self):\n"
        '\t\t"""Get a."""\n'
        "\t\treturn 1\n"
        "\n"
        "\tdef get_b(self):\n"
        '\t\t"""Get b."""\n'
        "\t\treturn 2\n",
    ),
    "nested one-liners get E301/E302 blank lines": (
        "class Server:\n"
        "    def get_a(self): return 1\n"
        "    def get_b(self): return 2\n"
        "    x = 1\n"
        "def get_c(): return 3\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "class Server:\n"
        '    """Server."""\n'
        "\n"
        "    def get_a(self):\n"
        '        """Get a."""\n'
        "        return 1\n"
        "\n"
        "    def get_b(self):\n"
        '        """Get b."""\n'
        "        return 2\n"
        "    x = 1\n"
        "\n"
        "\n"
        "def get_c():\n"
        '    """Get c."""\n'
        "    return 3\n",
    ),
    "decorated one-liners: blank lines above the decorators": (
        "import functools\n"
        "@functools.cache\n"
        "def get_a(): return 1\n"
        "@functools.cache\n"
        "def get_b(): return 2\n",
        '"""Module."""\n'
        "\n"
        "import functools\n"
        "\n"
        "\n"
        "@functools.cache\n"
        "def get_a():\n"
        '    """Get a."""\n'
        "    return 1\n"
        "\n"
        "\n"
        "@functools.cache\n"
        "def get_b():\n"
        '    """Get b."""\n'
        "    return 2\n",
    ),
    "class A: pass at module level, code on the next line": (
        "class Server: pass\nserver = Server()\n",
        '"""Module."""\n\n\nclass Server:\n    """Server."""\n\n    pass\nserver = Server()\n',
    ),
    "nested def first: one blank line after the docstring": (
        "def get_a():\n    # helper\n    def helper():\n        return 1\n    return helper\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "def get_a():\n"
        '    """Get a."""\n'
        "\n"
        "    # helper\n"
        "    def helper():\n"
        '        """Describe helper."""\n'
        "        return 1\n"
        "    return helper\n",
    ),
    "a line of a string that starts with a backslash": (
        'PATTERN = r"""\n\\d+\n"""\n\n\ndef get_a(): return 1\n',
        '"""Module."""\n'
        "\n"
        'PATTERN = r"""\n'
        "\\d+\n"
        '"""\n'
        "\n"
        "\n"
        "def get_a():\n"
        '    """Get a."""\n'
        "    return 1\n",
    ),
    "a comment that ends in a backslash": (
        "# shapes: \\/ and /\\\ndef get_a():\n    return 1\n",
        '# shapes: \\/ and /\\\n"""Module."""\n\n\ndef get_a():\n    """Get a."""\n    return 1\n',
    ),
    "a blank line indented as the block ends it": (
        "def get_a():\n    return 1\n    \ndef get_b(): return 2\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "def get_a():\n"
        '    """Get a."""\n'
        "    return 1\n"
        "    \n"
        "\n"
        "def get_b():\n"
        '    """Get b."""\n'
        "    return 2\n",
    ),
    "a blank line indented less than the block does not; the indent step is the first's": (
        "def get_a():\n        return 1\n    \ndef get_b(): return 2\n",
        '"""Module."""\n'
        "\n"
        "\n"
        "def get_a():\n"
        '        """Get a."""\n'
        "        return 1\n"
        "\n"
        "    \n"
        "def get_b():\n"
        '        """Get b."""\n'
        "        return 2\n",
    ),
}


@pytest.mark.parametrize(("before", "after"), CASES.values(), ids=CASES.keys())
def test_text_edits_write_what_the_tree_writes(before: str, after: str) -> None:
    check(before, after, convention="google", include_private=True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("def get_a(): \\\n    return 1\n", id="one-line body after a backslash"),
        pytest.param("class A:\n    @(\n        dec)\n    def get_a(self): pass\n", id="@ apart"),
        pytest.param("def get_a():\n    return 1\n# end \\\n", id="file ending in a backslash"),
        pytest.param("x = 1\nif x:\n    \\\n    pass\n", id="line starting with a backslash"),
        pytest.param('def get_a() -> """\n# x""":\n    return 1\n', id="comment-like header"),
        pytest.param("if a:\n\tx = 1\n\tif b:\n        \ty = 2\ndef get_a(): pass\n", id="tabs"),
        pytest.param("(x): int = 1\ndef get_a(): pass\n", id="parenthesized annotated target"),
        pytest.param("def get_a(): return 1\r\r", id="a blank line after a lone CR at the end"),
        pytest.param("def get_a(): return 1\n\n  # trailing\n", id="indented line at the end"),
        pytest.param("# comments alone\r", id="no statements, a lone CR at the end"),
        pytest.param(
            "def get_a():\n        if a:\n                x = 1\n       \telse:\n                y = 2\n",
            id="same columns, other characters",
        ),
        pytest.param("try:\n    pass\nexcept E :\n    pass\ndef get_a(): pass\n", id="except E :"),
    ],
)
def test_shapes_the_text_edits_do_not_model_go_through_the_tree(text: str) -> None:
    assert text_edits(text) is None
    result = Engine([DocstringStubs()]).fix_text("pkg/module.py", text)
    assert (result.new_text, result.error) == (
        through_tree(text).new_text,
        through_tree(text).error,
    )


@pytest.mark.parametrize(
    "text",
    [
        *(before for before, _ in CASES.values()),
        "def get_a(): return 1\r\r\r",
        "def get_a(): return 1\n\n  # trailing\n\n  # more\n",
        "x = 1\n\fdef get_a(): return 1\n",
        "try:\n    pass\nexcept E :\n    pass\ndef get_a(): pass\n",
    ],
)
def test_after_another_codemods_tree_the_text_edits_write_what_that_tree_gets(text: str) -> None:
    def run(codemod: DocstringStubs) -> FileResult:
        return Engine([TreeFirst(), codemod]).fix_text("pkg/module.py", text)

    text_or_tree, tree = run(DocstringStubs()), run(TreeOnly())
    assert (text_or_tree.new_text, text_or_tree.error) == (tree.new_text, tree.error)
