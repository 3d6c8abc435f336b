"""resize-guard beyond the samples: the seed Nova file, real Nova files, options, flow cases."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from codemods.config import ConfigError, config_from_table, options_from_table
from codemods.engine import Engine
from codemods.fixes.base import FixSafety
from codemods.fixes.resize_guard import REVIEW_CLEANUP, ResizeGuard, ResizeGuardOptions
from codemods.source import SourceFile

SEED_CALL = "        self.api.post_server_action(server['id'], req)\n"
SEED_GUARDED = (
    "        try:\n"
    "            self.api.post_server_action(server['id'], req)\n"
    "        except Exception:\n"
    "            self.api.delete_server(server['id'])\n"
    "            self._delete_server_allocations(server['id'])\n"
    "            raise\n"
)
PROJECT = (
    "class Client:\n"
    "    def delete_server(self, server_id):\n"
    "        pass\n\n\n"
    "class Base:\n"
    "    def _delete_server_allocations(self, server_uuid):\n"
    "        pass\n\n\n"
    "class T(Base):\n"
)
"""A project in one file: the helpers the default cleanup calls, and a test class."""


def _fix(text: str, options: ResizeGuardOptions | None = None) -> str:
    """Fix ``text``'s functions as methods of a test class whose project has the helpers."""
    source = PROJECT + textwrap.indent(textwrap.dedent(text), "    ")
    result = Engine([ResizeGuard(options)]).fix_text("example.py", source)
    assert result.error is None, result.error
    assert result.new_text.startswith(PROJECT)
    return textwrap.dedent(result.new_text[len(PROJECT) :])


def _skips(text: str) -> list[str]:
    result = Engine([ResizeGuard()]).fix_text("example.py", textwrap.dedent(text))
    return [f"{skip.message}: {skip.skip}" for skip in result.skips]


def _unwrapped(tree: ast.AST) -> str:
    """Dump ``tree`` with every generated guard replaced by the statements it wraps."""

    class Unwrap(ast.NodeTransformer):
        def visit_Try(self, node: ast.Try) -> object:
            self.generic_visit(node)
            handler = node.handlers[0] if len(node.handlers) == 1 else None
            if handler is not None and isinstance(handler.body[-1], ast.Raise):
                return node.body
            return node

    return ast.dump(Unwrap().visit(tree))


def test_seed_file_gets_exactly_the_guard_that_resolves_in_nova(nova_seed, nova_tree) -> None:
    old = nova_seed.data.decode()
    assert old.count(SEED_CALL) == 1
    path = str(nova_tree.parent / nova_seed.name)  # on disk: the project index reads Nova
    result = Engine([ResizeGuard()]).fix_bytes(path, nova_seed.data)

    assert result.error is None
    assert result.new_text == old.replace(SEED_CALL, SEED_GUARDED)
    assert [change.line for change in result.changes] == [
        old[: old.index(SEED_CALL)].count("\n") + 1
    ]
    compile(result.new_text, nova_seed.name, "exec")
    function = next(
        node
        for node in ast.walk(ast.parse(result.new_text))
        if isinstance(node, ast.FunctionDef) and node.name == "_resize_and_assert_error"
    )
    assert sum(isinstance(node, ast.Try) for node in ast.walk(function)) == 1
    again = Engine([ResizeGuard()]).fix_text(path, result.new_text)
    assert again.new_text == result.new_text and not again.changes


def test_the_review_cleanup_is_refused_in_nova(nova_seed, nova_tree) -> None:
    options = ResizeGuardOptions(cleanup=REVIEW_CLEANUP)
    path = str(nova_tree.parent / nova_seed.name)
    result = Engine([ResizeGuard(options)]).fix_bytes(path, nova_seed.data)
    assert not result.changed
    assert [s.skip for s in result.skips] == [
        "'_release_allocations' is not defined on 'FinishResizeErrorAllocationCleanupTestCase' "
        "or its bases in this project"
    ]


def test_nova_sample_edits_only_add_guards(nova_sample, nova_tree) -> None:
    engine = Engine([ResizeGuard()])
    edited = 0
    for corpus_file in nova_sample:
        path = str(nova_tree.parent / corpus_file.name)
        result = engine.fix_bytes(path, corpus_file.data)
        assert result.error is None, result.error.format(corpus_file.name)
        if not result.changed:
            continue
        edited += 1
        old_lines = result.old_text.splitlines()
        for change in result.changes:
            assert "post_server_action" in old_lines[change.line - 1]
        assert _unwrapped(ast.parse(result.new_text)) == ast.dump(ast.parse(result.old_text))
        again = engine.fix_text(path, result.new_text)
        assert again.new_text == result.new_text and not again.changes
    assert edited >= 1  # the seed file is always in the sample


def test_survey_tells_inline_from_local_requests() -> None:
    method = """\
    def test(self, server):
        self.api.post_server_action(server['id'], {'resize': {}})
        req = {'resize': {}}
        with self.assertRaises(Exception):
            self.api.post_server_action(server['id'], req)
    """
    source = SourceFile("example.py", PROJECT + textwrap.indent(textwrap.dedent(method), "    "))
    matches = ResizeGuard().survey(source)
    first = PROJECT.count("\n")
    assert [(m.line - first, m.request, m.skip_reason is None) for m in matches] == [
        (2, "inline", True),
        (5, "local", False),
    ]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            """\
            try:
                req = {'migrate': None}
                self.check()
            except ValueError:
                pass
            """,
            id="binding-in-try-may-have-happened",
        ),
        pytest.param(
            """\
            while self.more():
                self.api.post_server_action(server['id'], req)
                if self.done():
                    break
                req = {'confirmResize': None}
            """,
            id="rebinding-reaches-through-loop-back-edge",
        ),
        pytest.param(
            """\
            with contextlib.suppress(KeyError):
                req = {'migrate': None}
                self.check()
            """,
            id="with-may-swallow-after-rebinding",
        ),
        pytest.param(
            """\
            match self.kind:
                case 'cold':
                    req = {'migrate': None}
            """,
            id="match-case-rebinding",
        ),
        pytest.param(
            """\
            req['resize'] = None
            del req['resize']
            """,
            id="key-deleted",
        ),
    ],
)
def test_bindings_that_may_not_be_a_resize_are_skipped(body: str) -> None:
    text = (
        "def test(self, server):\n"
        "    req = {'resize': {'flavorRef': '2'}}\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + "    self.api.post_server_action(server['id'], req)\n"
    )
    assert _fix(text) == text


def test_binding_before_a_try_that_does_not_rebind_is_followed() -> None:
    text = """\
    def test(self, server):
        req = {'resize': {'flavorRef': '2'}}
        try:
            self.check()
        except ValueError:
            return
        self.api.post_server_action(server['id'], req)
    """
    assert "        raise\n" in _fix(text)


def test_keys_stored_after_the_literal_are_followed() -> None:
    text = """\
    def test(self, server):
        req = {}
        req['resize'] = {'flavorRef': '2'}
        self.api.post_server_action(server['id'], req)
    """
    assert "        raise\n" in _fix(text)


def test_module_level_request_names_are_not_followed() -> None:
    reasons = _skips(
        """\
        REQ = {'resize': {}}
        api.post_server_action(server_id, REQ)
        """
    )
    assert reasons == [
        "api.post_server_action(...): cannot tell whether the request has "
        "'resize': 'REQ' is not a function local"
    ]


def test_crlf_and_tab_indent_are_kept() -> None:
    text = PROJECT + "\tdef f(self, s):\n\t\tself.api.post_server_action(s, {'resize': {}})\n"
    text = text.replace("    ", "\t").replace("\n", "\r\n")
    new = Engine([ResizeGuard()]).fix_text("example.py", text).new_text
    assert "\r\n\t\ttry:\r\n\t\t\tself.api.post_server_action" in new
    assert new.count("\r\n") == new.count("\n")
    assert "\t\t\traise\r\n" in new


def test_save_and_reraise_reuses_an_existing_import() -> None:
    text = (
        "from oslo_utils import excutils\n\n\n"
        + PROJECT
        + ("    def f(self, s):\n        self.api.post_server_action(s, {'resize': {}})\n")
    )
    options = ResizeGuardOptions(reraise="save-and-reraise")
    new = Engine([ResizeGuard(options)]).fix_text("example.py", text).new_text
    assert new.count("from oslo_utils import excutils") == 1
    assert "with excutils.save_and_reraise_exception():" in new


def test_save_and_reraise_refuses_a_taken_name() -> None:
    text = """\
    excutils = None


    def f(self, s):
        self.api.post_server_action(s, {'resize': {}})
    """
    options = ResizeGuardOptions(reraise="save-and-reraise")
    result = Engine([ResizeGuard(options)]).fix_text("example.py", textwrap.dedent(text))
    assert not result.changed
    assert "'excutils' is already bound" in result.skips[0].skip


def test_files_without_the_callee_are_not_analysed() -> None:
    assert not ResizeGuard().find(SourceFile("example.py", "def f():\n    return 1\n"))


def test_options_load_from_the_codemods_table() -> None:
    config = config_from_table(
        {
            "resize-guard": {
                "exception": "BaseException",
                "rules": [
                    {
                        "name": "migrate",
                        "callee": "*.post_server_action",
                        "parameters": ["server_id", "data"],
                        "conditions": [{"argument": 1, "key": "migrate"}],
                        "cleanup": ["{receiver}.delete_server({server_id})"],
                    }
                ],
            }
        },
        "pyproject.toml",
    )
    options = config.options["resize-guard"]
    assert isinstance(options, ResizeGuardOptions)
    (rule, builtin) = options.active_rules()
    assert rule.name == "migrate" and rule.exception == "BaseException"
    assert builtin.exception == "BaseException"


RULE = {"name": "mine", "callee": "*.post_server_action", "cleanup": ["self.cleanup({arg0})"]}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            {"rules": [{**RULE, "cleanup": ["self.x({srv})"]}]},
            "rules[0]: rule 'mine' cleanup[0]: unknown placeholder {srv}",
        ),
        (
            {"rules": [{**RULE, "cleanup": ["return 1"]}]},
            "rules[0]: rule 'mine' cleanup[0]: return would stop",
        ),
        (
            {"rules": [{**RULE, "cleanup": ["if x: y()"]}]},
            "cleanup[0]: expected exactly one simple statement",
        ),
        (
            {"rules": [{**RULE, "cleanup": []}]},
            "rules[0]: rule 'mine' cleanup: expected at least one",
        ),
        (
            {"rules": [{**RULE, "exception": "Exception()"}]},
            "rules[0]: rule 'mine' exception: expected a class name",
        ),
        (
            {"rules": [{**RULE, "reraise": "raise e"}]},
            "rules[0] reraise: expected one of 'raise', 'save-and-reraise'",
        ),
        ({"rules": [{**RULE, "colour": 1}]}, "rules[0] unknown key 'colour'"),
        (
            {
                "rules": [
                    {
                        "callee": "*.x",
                        "cleanup": ["a()"],
                        "conditions": [{"argument": "data", "key": "k"}],
                    }
                ]
            },
            "rules[0]: rule conditions: argument 'data' is not one of the parameters",
        ),
        (
            {"rules": [{"callee": "*.x", "cleanup": ["a()"], "conditions": [{"argument": 1}]}]},
            "rules[0] conditions[0]: missing required key 'key'",
        ),
        ({"rules": [{"cleanup": ["a()"]}]}, "rules[0]: missing required key 'callee'"),
        (
            {"rules": [{**RULE, "callee": "self.api.post(x)"}]},
            "rules[0]: rule 'mine' callee: expected a dotted name",
        ),
        ({"rules": ["x"]}, "rules[0]: expected a table"),
        ({"rules": {"a": 1}}, "rules: expected a list of tables"),
        (
            {"cleanup": ["self.x({data2})"]},
            "rule 'resize' cleanup[0]: unknown placeholder {data2}",
        ),
        ({"isolate-cleanup": "yes"}, "isolate-cleanup: expected true or false"),
        ({"unknown": 1}, "unknown key 'unknown'"),
    ],
)
def test_bad_options_are_one_line_errors_naming_rule_and_key(table: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_table(
            ResizeGuardOptions, table, "pyproject.toml: [tool.codemods.resize-guard]"
        )
    message = str(error.value)
    assert expected in message
    assert message.startswith("pyproject.toml: [tool.codemods.resize-guard]")
    assert "\n" not in message


def test_documentation_has_ruffs_four_parts_and_says_unsafe() -> None:
    doc = ResizeGuard.description()
    for part in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert part in doc
    assert ResizeGuard.safety is FixSafety.UNSAFE


@pytest.mark.parametrize(
    ("cleanup", "reason"),
    [
        (
            ("{receiver}.forget_server({server_id})",),
            "no class in this project defines 'forget_server'",
        ),
        (
            ("cleanup_registry.release({server_id})",),
            "the cleanup reads 'cleanup_registry', which is not defined where the call is",
        ),
        (
            ("self._release_allocations({server_id})",),
            "'_release_allocations' is not defined on 'T' or its bases in this project",
        ),
    ],
)
def test_a_cleanup_that_does_not_resolve_is_not_written(
    cleanup: tuple[str, ...], reason: str
) -> None:
    text = (
        PROJECT + "    def f(self, s):\n        self.api.post_server_action(s, {'resize': {}})\n"
    )
    options = ResizeGuardOptions(cleanup=cleanup)
    result = Engine([ResizeGuard(options)]).fix_text("example.py", text)
    assert not result.changed
    assert [s.skip for s in result.skips] == [reason]


# A base class in an implicit namespace package (PEP 420)

NAMESPACE_BASE = (
    "class Client:\n"
    "    def delete_server(self, server_id):\n"
    "        pass\n\n\n"
    "class ServersTestBase:\n"
    "    def _delete_server_allocations(self, server_id):\n"
    "        pass\n"
)
NAMESPACE_TEST = (
    "{imports}\n\n\n"
    "class ResizeTest({base}):\n"
    "    def test_resize(self, server):\n"
    "        self.api.post_server_action(server['id'], {{'resize': {{}}}})\n"
)


@pytest.mark.parametrize(
    ("marker", "packages", "imports", "base"),
    [
        pytest.param(".git", (), "from tests.functional import base", "base.ServersTestBase",
                     id="namespace-from-import-module"),
        pytest.param("pyproject.toml", (), "from tests.functional.base import ServersTestBase",
                     "ServersTestBase", id="namespace-from-import-class"),
        pytest.param(None, (), "import tests.functional.base",
                     "tests.functional.base.ServersTestBase", id="namespace-no-marker"),
        pytest.param(".git", ("tests/functional",), "from tests.functional import base",
                     "base.ServersTestBase", id="package-in-a-namespace"),
        pytest.param(".git", (), "from base import ServersTestBase", "ServersTestBase",
                     id="sibling-import"),
    ],
)  # fmt: skip
def test_a_base_class_in_a_namespace_package_is_found(
    tmp_path: Path, marker: str | None, packages: tuple[str, ...], imports: str, base: str
) -> None:
    from codemods.project_index import module_name, project_root

    root = tmp_path / "project"
    functional = root / "tests/functional"
    functional.mkdir(parents=True)
    if marker == ".git":
        (root / ".git").mkdir()
    elif marker is not None:
        (root / marker).write_text("")
    for package in packages:
        (root / package / "__init__.py").write_text("")
    (functional / "base.py").write_text(NAMESPACE_BASE)
    test = functional / "test_resize.py"
    test.write_text(NAMESPACE_TEST.format(imports=imports, base=base))

    result = Engine([ResizeGuard()]).fix_bytes(str(test), test.read_bytes())
    assert result.error is None and not result.skips, [s.skip for s in result.skips]
    assert "            self._delete_server_allocations(server['id'])\n" in result.new_text
    if imports.startswith("from base"):  # pytest's rootdir-less import: the file's directory
        assert project_root(test) == (functional.resolve(), "")
    else:
        assert module_name(test) == "tests.functional.test_resize"
        assert project_root(test)[0] == root.resolve()


def test_a_base_the_namespace_does_not_define_is_still_refused(tmp_path: Path) -> None:
    functional = tmp_path / "project/tests/functional"
    functional.mkdir(parents=True)
    (tmp_path / "project/.git").mkdir()
    (functional / "base.py").write_text(NAMESPACE_BASE.replace("_delete_server_", "_drop_"))
    test = functional / "test_resize.py"
    test.write_text(
        NAMESPACE_TEST.format(
            imports="from tests.functional import base", base="base.ServersTestBase"
        )
    )
    result = Engine([ResizeGuard()]).fix_bytes(str(test), test.read_bytes())
    assert [s.skip for s in result.skips] == [
        "'_delete_server_allocations' is not defined on 'ResizeTest' or its bases in this project"
    ]


# The line length: the guarded form's longest line is measured


def _call_line(width: int) -> str:
    """Return the seed's call, indented for a method, padded by a comment to ``width``."""
    call = "        self.api.post_server_action(server['id'], {'resize': {}})"
    line = call + "  # " + "x" * (width - len(call) - 4)
    assert len(line) == width
    return line + "\n"


@pytest.mark.parametrize(
    ("limit", "original"),
    [(79, 75), (79, 76), (79, 77), (79, 79), (79, 80), (79, 81), (80, 76), (80, 77)],
)
def test_a_site_is_wrapped_only_when_its_guarded_lines_fit(limit: int, original: int) -> None:
    """The guarded call is 4 columns wider: 79, 80, 81 guarded; 79, 80, 81 to begin with."""
    text = PROJECT + "    def f(self, server):\n" + _call_line(original)
    options = ResizeGuardOptions(line_length=limit)
    result = Engine([ResizeGuard(options)]).fix_text("example.py", text)
    widest = max(len(line) for line in result.new_text.splitlines())
    if original + 4 <= limit:
        assert result.changed and widest == original + 4
    else:  # (79, 81): the call the issue saw wrapped to 85 columns
        assert not result.changed and widest == original
        line = PROJECT.count("\n") + 2
        assert [s.skip for s in result.skips] == [
            f"wrapping would push line {line} past the line length ({limit})"
        ]


SHAPES = {
    "plain": "    def f(self, server):\n        {call}\n",
    "comment": "    def f(self, server):\n        {call}  # a note\n",
    "after-a-statement": "    def f(self, server):\n        x = 1; {call}\n",
    "before-a-statement": "    def f(self, server):\n        {call}; x = 1  # a note\n",
    "one-line-block": "    def f(self, server):\n        if server: {call}  # a note\n",
    "one-line-block-shared": "    def f(self, server):\n        if server: x = 1; {call}; y = 2\n",
    "continued": "    def f(self, server):\n        self.api.post_server_action(\n"
    "            {server}, {{'resize': {{}}}})\n",
    "not-an-atom": "    def f(self, server):\n"
    "        req = {{'resize': {{}}}}\n"
    "        self.api.post_server_action('id' '{pad}', req)\n",
    "awaited": "    async def f(self, server):\n        await {call}\n",
}
"""Statement shapes; ``{server}`` (in ``{call}`` too) and ``{pad}`` grow with the padding
(``'id' 'xx'`` is no atom: the cleanup writes it in parentheses)."""


@pytest.mark.parametrize(
    "options",
    [{}, {"isolate_cleanup": True}, {"reraise": "save-and-reraise"}],
    ids=["raise", "isolate-cleanup", "save-and-reraise"],
)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("tabs", [False, True], ids=["spaces", "tabs"])
def test_the_width_check_measures_what_the_guard_writes(
    shape: str, options: dict[str, object], tabs: bool
) -> None:
    """Around the limit, a site is wrapped exactly when the written lines all fit."""

    def fix(pad: int, limit: int) -> tuple[bool, int]:
        server = f"server['{'x' * pad}']"
        call = f"self.api.post_server_action({server}, {{'resize': {{}}}})"
        text = PROJECT + SHAPES[shape].format(call=call, server=server, pad="x" * pad)
        if tabs:
            text = text.replace("    ", "\t")
        guard = ResizeGuard(ResizeGuardOptions(line_length=limit, **options))  # type: ignore[arg-type]
        result = Engine([guard]).fix_text("example.py", text)
        assert result.error is None, result.error
        old = set(result.old_text.splitlines())
        new = [line for line in result.new_text.splitlines() if line not in old]
        return result.changed, max((len(line.expandtabs()) for line in new), default=0)

    changed, widest = fix(0, 10_000)
    assert changed
    limit = max(79, widest + 5)  # tabs count 8 columns: the seed's call is 79 wide already
    for pad in (limit - widest - 1, limit - widest, limit - widest + 1):
        assert fix(pad, 10_000) == (True, widest + pad)  # the widest line grows with the pad
        assert fix(pad, limit)[0] is (widest + pad <= limit), (pad, widest + pad)
