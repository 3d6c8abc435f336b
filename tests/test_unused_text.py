"""``unused-variables`` without a tree: its text edits write exactly what the LibCST path writes.

Each case gives the whole text before and after. The text path must write it (and be the path
taken), and the tree path must agree: the two must never drift apart. The last cases are
shapes the text path declines, so the tree fixes them.
"""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.engine import Engine
from codemods.fixes.unused_variables import UnusedVariables
from codemods.source import SourceFile, apply_edits


def _fixes(text: str) -> tuple[str | None, str]:
    """Return what the text path writes (``None``: it declines) and what the tree path writes."""
    source = SourceFile("example.py", text)
    codemod = UnusedVariables()
    findings = [finding for finding in codemod.find(source) if finding.fixed]
    assert findings, "the case must have something to fix"
    edits = codemod.fix_text(source, findings)
    by_text = None if edits is None else apply_edits(text, edits)
    by_tree = codemod.fix_tree(cst.parse_module(text), source, findings).code
    if text.endswith("\r") and not by_tree.endswith("\r"):
        by_tree += "\r"  # as the engine does: LibCST drops the last \r of a file
    return by_text, by_tree


TEXT_CASES = {
    "crlf: comments move, a call is kept, its aligned line follows it": (
        "def f(api):\r\n"
        "    # how many\r\n"
        "    retries = 3  # see bug\r\n"
        "    api.start()\r\n"
        "    handle = api.open(1,\r\n"
        "                      2)\r\n"
        "    return api\r\n",
        "def f(api):\r\n"
        "    # how many\r\n"
        "    # see bug\r\n"
        "    api.start()\r\n"
        "    api.open(1,\r\n"
        "             2)\r\n"
        "    return api\r\n",
    ),
    "cr only, the deleted statement on the last line": (
        "def f(api):\r    retries = 3  # see bug\r    api.start()\r    handle = api.open()\r",
        "def f(api):\r    # see bug\r    api.start()\r    api.open()\r",
    ),
    "mixed line endings: a moved comment ends as the file's first line": (
        "def f(api):\r\n    api.a()\n    unused = 1  # why\n    api.b()\n",
        "def f(api):\r\n    api.a()\n    # why\r\n    api.b()\n",
    ),
    "tabs, an emptied block gets pass with the comment": (
        "def f(api):\n"
        "\tif api:\n"
        "\t\tcount = 0  # start\n"
        "\telse:\n"
        "\t\tcount = 1\n"
        "\t\tapi.go()\n"
        "\treturn api\n",
        "def f(api):\n\tif api:\n\t\tpass  # start\n\telse:\n\t\tapi.go()\n\treturn api\n",
    ),
    "an emptied block keeps the lines and comments of all its statements": (
        "def f(api):\n"
        "    for item in api:\n"
        "        # first\n"
        "        a = 1  # one\n"
        "\n"
        "        b = 2  # two\n"
        "    return api\n",
        "def f(api):\n"
        "    for item in api:\n"
        "        # first\n"
        "        # one\n"
        "\n"
        "        pass  # two\n"
        "    return api\n",
    ),
    "blank lines around a deleted statement: no longer run than either side had": (
        "def f(api):\n    api.a()\n\n    unused = 1\n\n    api.b()\n",
        "def f(api):\n    api.a()\n\n    api.b()\n",
    ),
    "the last statement of a block goes with its blank lines": (
        "def f(api):\n    api.a()\n\n    unused = 1\n\n\ndef g():\n    pass\n",
        "def f(api):\n    api.a()\n\n\ndef g():\n    pass\n",
    ),
    "the last statement of a block leaves its comments": (
        "def f(api):\n"
        "    api.a()\n"
        "    # about it\n"
        "    unused = 1  # why\n"
        "    other = 2  # noqa: E501\n"
        "\n"
        "\n"
        "def g():\n"
        "    pass\n",
        "def f(api):\n    api.a()\n    # about it\n    # why\n\n\ndef g():\n    pass\n",
    ),
    "comments inside a deleted statement move, tool directives go": (
        "def f(api):\n"
        "    api.a()\n"
        "    table = [\n"
        "        1,  # one\n"
        "        2,  # noqa: E501\n"
        "    ]  # type: list[int]\n"
        "    api.b()\n",
        "def f(api):\n    api.a()\n    # one\n    api.b()\n",
    ),
    "lines the block above owns stay with it": (
        "def f(api):\n    if api:\n        api.a()\n\n        \n    unused = 1\n\n    api.b()\n",
        "def f(api):\n    if api:\n        api.a()\n\n        \n\n    api.b()\n",
    ),
    "the last statement after an elif: its block owns the indented blank line": (
        "def f(api):\n"
        "    if api:\n"
        "        api.a()\n"
        "    elif api.b:\n"
        "        api.b()\n"
        "            \n"
        "    unused = 1\n",
        "def f(api):\n    if api:\n        api.a()\n    elif api.b:\n        api.b()\n            \n",
    ),
    "after an elif, a line indented as the if is not its block's": (
        "def f(api):\n"
        "    if api:\n"
        "        api.a()\n"
        "    elif api.b:\n"
        "        api.b()\n"
        "    \n"
        "    unused = 1\n"
        "\n"
        "\n"
        "def g():\n"
        "    pass\n",
        "def f(api):\n"
        "    if api:\n"
        "        api.a()\n"
        "    elif api.b:\n"
        "        api.b()\n"
        "\n"
        "\n"
        "def g():\n"
        "    pass\n",
    ),
    "one-line suites": (
        "def f(flag):\n"
        "    if flag: seen = True  # set\n"
        "    if flag: got = flag.get()\n"
        "    return flag\n",
        "def f(flag):\n    if flag: pass  # set\n    if flag: flag.get()\n    return flag\n",
    ),
    "aligned continuation lines move left with the kept value, others stay": (
        "def f(server, conn):\n"
        "    channel = server.channel(conn,\n"
        "                             # aligned too\n"
        "                             conn)\n"
        "    server.button = button = server.make(text='Close',\n"
        "                                         command=server.ok)\n"
        "    hanging = server.boot(\n"
        "        conn,\n"
        "    )\n"
        '    text = server.text("""a\n'
        '                       b""", conn,\n'
        "                       conn)\n"
        "    return server\n",
        "def f(server, conn):\n"
        "    server.channel(conn,\n"
        "                             # aligned too\n"
        "                   conn)\n"
        "    server.button = server.make(text='Close',\n"
        "                                command=server.ok)\n"
        "    server.boot(\n"
        "        conn,\n"
        "    )\n"
        '    server.text("""a\n'
        '                       b""", conn,\n'
        "                conn)\n"
        "    return server\n",
    ),
    "tabs: a continuation line after the block's indentation moves left too": (
        "def f(server, conn):\n\tchannel = server.channel(conn,\n\t                         conn)\n",
        "def f(server, conn):\n\tserver.channel(conn,\n\t               conn)\n",
    ),
    "an annotated assignment keeps its value": (
        "def f(api):\n    handle: int = api.open()\n    return api\n",
        "def f(api):\n    api.open()\n    return api\n",
    ),
    "except ... as name, the name unused": (
        "def f(api):\n"
        "    try:\n"
        "        api.a()\n"
        "    except (OSError, ValueError) as error:\n"
        "        api.b()\n"
        "    except KeyError as missing :\n"
        "        pass\n",
        "def f(api):\n"
        "    try:\n"
        "        api.a()\n"
        "    except (OSError, ValueError):\n"
        "        api.b()\n"
        "    except KeyError :\n"
        "        pass\n",
    ),
    "with ... as name, the names unused": (
        "def f(api):\n    with api.open() as handle, api.lock() as lock:\n        api.b()\n",
        "def f(api):\n    with api.open(), api.lock():\n        api.b()\n",
    ),
}


@pytest.mark.parametrize(("before", "after"), TEXT_CASES.values(), ids=TEXT_CASES.keys())
def test_text_edits_write_what_the_tree_writes(before: str, after: str) -> None:
    by_text, by_tree = _fixes(before)

    assert by_text == after
    assert by_tree == after


def test_the_engine_takes_the_text_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_tree(*args: object) -> None:
        raise AssertionError("the tree path was taken")

    monkeypatch.setattr(UnusedVariables, "fix_tree", no_tree)
    for before, after in TEXT_CASES.values():
        result = Engine([UnusedVariables()]).fix_text("example.py", before)

        assert result.error is None
        assert result.new_text == after


TREE_CASES = {
    "a comment line with a quote above a block's first statement (could end a string)": (
        "def f(api):\n    # it's unused\n    unused = 1\n    api.b()\n",
        "def f(api):\n    # it's unused\n    api.b()\n",
    ),
    "a statement sharing its line": (
        "def f(api):\n    unused = 1; api.b()\n",
        "def f(api):\n    api.b()\n",
    ),
    "LibCST drops the space of `except E :` anywhere in the file": (
        "def f(api):\n"
        "    unused = 1\n"
        "    try:\n"
        "        api.b()\n"
        "    except OSError :\n"
        "        pass\n",
        "def f(api):\n    try:\n        api.b()\n    except OSError:\n        pass\n",
    ),
    "... and in a match case": (
        "def f(api, x):\n"
        "    unused = 1\n"
        "    match x:\n"
        "        case 1:\n"
        "            try:\n"
        "                api.b()\n"
        "            except OSError :\n"
        "                pass\n",
        "def f(api, x):\n"
        "    match x:\n"
        "        case 1:\n"
        "            try:\n"
        "                api.b()\n"
        "            except OSError:\n"
        "                pass\n",
    ),
    "indented blank lines at the end of the file": (
        "def f(api):\n    unused = 1\n    api.b()\n\n    \n",
        "def f(api):\n    api.b()\n\n    \n",
    ),
    "a blank last line in a file of \\r line endings": (
        "def f(api):\r    unused = 1\r    api.b()\r\r",
        "def f(api):\r    api.b()\r",
    ),
    "a value after a backslash": (
        "def f(api):\n    handle = \\\n        api.open()\n",
        "def f(api):\n    api.open()\n",
    ),
    "a continuation line after a backslash in a value that moves": (
        "def f(api):\n    handle = api.open(1, \\\n                      2)\n",
        "def f(api):\n    api.open(1, \\\n                      2)\n",
    ),
}


@pytest.mark.parametrize(("before", "after"), TREE_CASES.values(), ids=TREE_CASES.keys())
def test_shapes_left_to_the_tree(before: str, after: str) -> None:
    by_text, by_tree = _fixes(before)

    assert by_text is None
    assert by_tree == after


UNPARSED_CASES = {
    "tabs and spaces mixed, as Python allows": "def f(api):\n\tif api:\n        \tunused = 1\n        \tapi.b()\n",
    "a parenthesized annotated target": "def f(api):\n    unused = 1\n    (api.x): int = 2\n",
}


@pytest.mark.parametrize("text", UNPARSED_CASES.values(), ids=UNPARSED_CASES.keys())
def test_files_libcst_cannot_parse_are_left_to_it(text: str) -> None:
    # the tree path reports the file as an error; text edits would fix it instead
    source = SourceFile("example.py", text)
    codemod = UnusedVariables()
    findings = [finding for finding in codemod.find(source) if finding.fixed]

    assert findings
    assert codemod.fix_text(source, findings) is None
    with pytest.raises(cst.ParserSyntaxError):
        cst.parse_module(text)


def test_importing_the_codemod_does_not_import_libcst() -> None:
    import subprocess
    import sys

    code = "import sys, codemods.fixes.unused_variables; print('libcst' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert output.stdout.strip() == "False", output.stderr
