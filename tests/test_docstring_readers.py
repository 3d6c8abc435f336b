"""Who reads docstrings, from evidence: the evidence matrix and one test per table row.

Each case writes a small project (a package, sometimes two modules) and runs
``docstring-stubs`` on it the way ``codemods check`` does. A stub where the program reads
the docstring at run time is left alone (or, for unittest test methods, held back as an
unsafe fix) with a reason that names the reader and where it is; the definitions nobody
reads still get their stub, so a rule that held back everything would fail too.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codemods.config import Config
from codemods.docstring_model import DocstringModel
from codemods.finding import FixSafety
from codemods.runner import fix_path
from codemods.safety import HELD_BACK


def _outcomes(path: Path, *, unsafe: bool = False) -> dict[str, str]:
    """Run docstring-stubs on ``path``; map each definition's name to its outcome.

    ``stub`` (made, safe), ``unsafe`` (made, an unsafe fix that ran), ``held`` (an unsafe
    fix held back) or ``skip: REASON``.
    """
    config = Config(select=("docstring-stubs",), unsafe_fixes=unsafe)
    result = fix_path(config.build_engine(), path, config)
    assert result.error is None, result.error
    found: dict[str, str] = {}
    lines = path.read_text().splitlines()
    for finding in result.findings:
        header = lines[finding.line - 1].strip() if finding.line <= len(lines) else ""
        name = header.split("(")[0].split(":")[0].split()[-1] if header else "?"
        if finding.anchor == "module docstring":
            name = "<module>"
        if finding.skip == HELD_BACK:
            found[name] = "held"
        elif finding.skip is not None:
            found[name] = f"skip: {finding.skip}"
        else:
            found[name] = "unsafe" if finding.safety is FixSafety.UNSAFE else "stub"
    return found


def _project(tmp_path: Path, **modules: str) -> Path:
    """Write ``pkg/NAME.py`` for each module (a documented ``__init__``); return ``pkg``."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""The package."""\n')
    for name, text in modules.items():
        (package / f"{name}.py").write_text('"""A module."""\n' + textwrap.dedent(text))
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    return package


# --- a base reads its subclasses' own docstring ------------------------------------------

OWN_READS = {
    "self.__doc__": "    def describe(self):\n        return self.__doc__\n",
    "type(self).__doc__": "    def describe(self):\n        return type(self).__doc__\n",
    "self.__class__.__doc__": "    def describe(self):\n        return self.__class__.__doc__\n",
    "inspect.getdoc(self)": "    def describe(self):\n        return inspect.getdoc(self)\n",
    "inspect.cleandoc": (
        "    def describe(self):\n        return inspect.cleandoc(self.__doc__ or '')\n"
    ),
    "pydoc.getdoc(self)": "    def describe(self):\n        return pydoc.getdoc(self)\n",
    "getattr(self, '__doc__')": (
        "    def describe(self):\n        return getattr(self, '__doc__', '')\n"
    ),
    "cls.__doc__": "    @classmethod\n    def describe(cls):\n        return cls.__doc__\n",
    "__init_subclass__": (
        "    registry = {}\n\n"
        "    def __init_subclass__(cls, **kwargs):\n"
        "        super().__init_subclass__(**kwargs)\n"
        "        Base.registry[cls.__name__] = cls.__doc__\n"
    ),
}
BASE_HEADER = 'import inspect\nimport pydoc\n\n\nclass Base:\n    """The base."""\n\n'
SUBCLASS = "\n\nclass Sub(Base):\n    def run(self):\n        return 1\n"


@pytest.mark.parametrize("form", sorted(OWN_READS))
@pytest.mark.parametrize("where", ["same module", "another module"])
def test_a_base_that_reads_its_subclasses_docstring(tmp_path: Path, form: str, where: str) -> None:
    base = BASE_HEADER + OWN_READS[form]
    if where == "same module":
        package = _project(tmp_path, mod=base + SUBCLASS)
        reason_at = "pkg/mod.py"
    else:
        package = _project(tmp_path, base=base, mod="from pkg.base import Base\n" + SUBCLASS)
        reason_at = "pkg/base.py"
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["Sub"].startswith("skip: Sub: pkg."), outcomes
    assert "reads its subclasses' docstrings" in outcomes["Sub"]
    assert reason_at in outcomes["Sub"]
    assert outcomes["run"] == "stub"  # nobody reads the method's


def test_a_metaclass_that_reads_its_classes_docstrings(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        meta=(
            "class Meta(type):\n"
            "    def __init__(cls, name, bases, namespace):\n"
            "        super().__init__(name, bases, namespace)\n"
            "        cls.help = cls.__doc__\n"
        ),
        base='from pkg.meta import Meta\n\n\nclass Base(metaclass=Meta):\n    """Base."""\n',
        mod="from pkg.base import Base\n\n\nclass Command(Base):\n    pass\n",
    )
    outcomes = _outcomes(package / "mod.py")
    assert "the metaclass pkg.meta.Meta reads the docstrings of its classes" in outcomes["Command"]


# --- a base reads its methods' docstrings by name or by prefix ---------------------------

METHOD_READS = {
    "getattr + concatenation": "getattr(self, 'do_' + name).__doc__",
    "getattr + f-string": "getattr(self, f'do_{name}').__doc__",
    "getattr + %": "getattr(self, 'do_%s' % name).__doc__",
    "getattr + format": "getattr(self, 'do_{}'.format(name)).__doc__",
    "inspect.getdoc(getattr(...))": "inspect.getdoc(getattr(self, 'do_' + name))",
}


@pytest.mark.parametrize("form", sorted(METHOD_READS))
@pytest.mark.parametrize("where", ["same module", "another module"])
def test_a_base_that_reads_methods_by_prefix(tmp_path: Path, form: str, where: str) -> None:
    base = (
        'import inspect\n\n\nclass Shell:\n    """A shell."""\n\n'
        "    def help(self, name):\n"
        '        """Return the help of a command."""\n'
        f"        return {METHOD_READS[form]}\n"
    )
    sub = (
        '\n\nclass MyShell(Shell):\n    """Mine."""\n\n'
        "    def do_open(self):\n        pass\n\n"
        "    def close(self):\n        pass\n"
    )
    if where == "same module":
        package = _project(tmp_path, mod=base + sub)
    else:
        package = _project(tmp_path, shell=base, mod="from pkg.shell import Shell\n" + sub)
    outcomes = _outcomes(package / "mod.py")
    assert "reads the docstrings of its do_* methods" in outcomes["do_open"], outcomes
    assert outcomes["close"] == "stub"


@pytest.mark.parametrize(
    ("loop", "reads_close"),
    [
        (
            "for name in dir(self):\n            if name.startswith('do_'):\n"
            "                found.append(getattr(self, name).__doc__)",
            False,
        ),
        (
            "for name, member in inspect.getmembers(self):\n"
            "            found.append(member.__doc__)",
            True,
        ),
        (
            "for member in vars(type(self)).values():\n            found.append(member.__doc__)",
            True,
        ),
    ],
)
def test_a_base_that_loops_over_its_members(tmp_path: Path, loop: str, reads_close: bool) -> None:
    base = (
        'import inspect\n\n\nclass Shell:\n    """A shell."""\n\n'
        "    def helps(self):\n"
        '        """Return the helps."""\n'
        "        found = []\n"
        f"        {loop}\n"
        "        return found\n"
    )
    sub = (
        'from pkg.shell import Shell\n\n\nclass MyShell(Shell):\n    """Mine."""\n\n'
        "    def do_open(self):\n        pass\n\n"
        "    def close(self):\n        pass\n"
    )
    package = _project(tmp_path, shell=base, mod=sub)
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["do_open"].startswith("skip: do_open: pkg.shell.Shell reads"), outcomes
    assert outcomes["close"].startswith("skip") is reads_close, outcomes


def test_a_base_that_reads_one_method_by_name(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        tool=(
            'class Tool:\n    """A tool."""\n\n    def usage(self):\n'
            '        """Return the usage."""\n        return self.run.__doc__\n'
        ),
        mod=(
            'from pkg.tool import Tool\n\n\nclass Mine(Tool):\n    """Mine."""\n\n'
            "    def run(self):\n        pass\n\n    def stop(self):\n        pass\n"
        ),
    )
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["run"].startswith("skip: run: pkg.tool.Tool reads this method's docstring")
    assert outcomes["stop"] == "stub"


def test_an_override_of_a_documented_method_in_another_module(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        base=(
            'class Plugin:\n    """A plugin."""\n\n    def load(self):\n'
            '        """Load the plugin\'s data; return whether it worked."""\n'
            "        return True\n"
        ),
        mod=(
            'from pkg import base\n\n\nclass Mine(base.Plugin):\n    """Mine."""\n\n'
            "    def load(self):\n        return False\n\n    def unload(self):\n        pass\n"
        ),
    )
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["load"].startswith("skip: load: it overrides pkg.base.Plugin.load"), outcomes
    assert outcomes["unload"] == "stub"


# --- read through a parameter -------------------------------------------------------------


def test_a_function_reading_its_parameters_docstring(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        mod=(
            "def describe(obj):\n    return obj.__doc__\n\n\n"
            "class Point:\n    pass\n\n\nclass Line:\n    pass\n\n\n"
            "TITLE = describe(Point)\n"
        ),
    )
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["Point"].startswith("skip: Point.__doc__ is read"), outcomes
    assert outcomes["Line"] == "stub"


DECORATORS = {
    "stores f.__doc__": (
        "def register(f):\n    COMMANDS[f.__name__] = f.__doc__\n    return f\n",
        "@register",
    ),
    "stores inspect.getdoc(f)": (
        "def register(f):\n    COMMANDS[f.__name__] = inspect.getdoc(f)\n    return f\n",
        "@register",
    ),
    "a factory's decorator stores it": (
        "def command(name):\n"
        "    def register(f):\n        COMMANDS[name] = f.__doc__\n        return f\n\n"
        "    return register\n",
        "@command('go')",
    ),
}


@pytest.mark.parametrize("form", sorted(DECORATORS))
def test_a_decorator_that_stores_the_docstring(tmp_path: Path, form: str) -> None:
    definition, decorator = DECORATORS[form]
    package = _project(
        tmp_path,
        mod=(
            "import inspect\n\nCOMMANDS = {}\n\n\n" + definition + "\n\n"
            f"{decorator}\ndef start():\n    pass\n\n\ndef stop():\n    pass\n"
        ),
    )
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["start"].startswith("skip"), outcomes
    assert outcomes["stop"] == "stub"


# --- the built-in table, one test per row -------------------------------------------------

TEST_CASE = "\n\nclass ATest({base}):\n    def test_add(self):\n        pass\n\n    def helper(self):\n        pass\n"


@pytest.mark.parametrize(
    ("imports", "base"),
    [
        ("import unittest\n", "unittest.TestCase"),
        ("from unittest import IsolatedAsyncioTestCase\n", "IsolatedAsyncioTestCase"),
        ("from twisted.trial import unittest\n", "unittest.TestCase"),
        ("from twisted.trial.unittest import SynchronousTestCase\n", "SynchronousTestCase"),
        ("import testtools\n", "testtools.TestCase"),
        ("from django.test import TestCase\n", "TestCase"),
        ("from oslotest import base\n", "base.BaseTestCase"),
    ],
)
def test_test_methods_of_a_unittest_style_class_are_an_unsafe_fix(
    tmp_path: Path, imports: str, base: str
) -> None:
    package = _project(tmp_path, test_mod=imports + TEST_CASE.format(base=base))
    outcomes = _outcomes(package / "test_mod.py")
    assert outcomes["test_add"] == "held", outcomes
    assert outcomes["helper"] == "stub"
    assert _outcomes(package / "test_mod.py", unsafe=True)["test_add"] == "unsafe"


def test_a_test_case_in_the_project_leads_to_unittest(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        base='import unittest\n\n\nclass TestCase(unittest.TestCase):\n    """Ours."""\n',
        test_mod="from pkg import base\n" + TEST_CASE.format(base="base.TestCase"),
    )
    outcomes = _outcomes(package / "test_mod.py")
    assert outcomes["test_add"] == "held", outcomes


def test_pytest_style_test_methods_get_their_stub(tmp_path: Path) -> None:
    """pytest names tests by node id; it does not read their docstrings."""
    package = _project(
        tmp_path,
        test_mod="\n\nclass TestAdd:\n    def test_add(self):\n        pass\n\n\n"
        "def test_sub():\n    pass\n",
    )
    outcomes = _outcomes(package / "test_mod.py")
    assert outcomes["test_add"] == "stub"
    assert outcomes["test_sub"] == "stub"


def test_test_methods_of_a_class_with_an_unknown_base_are_held_back(tmp_path: Path) -> None:
    package = _project(
        tmp_path, test_mod="from nowhere import Base\n" + TEST_CASE.format(base="Base")
    )
    outcomes = _outcomes(package / "test_mod.py")
    assert outcomes["test_add"] == "held"
    assert outcomes["helper"] == "stub"


def test_a_named_tuple_keeps_its_generated_docstring(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        mod="import typing\n\n\nclass Point(typing.NamedTuple):\n    x: int\n\n\n"
        "class Plain:\n    pass\n",
    )
    outcomes = _outcomes(package / "mod.py")
    assert "typing.NamedTuple generates the class docstring" in outcomes["Point"]
    assert outcomes["Plain"] == "stub"


@pytest.mark.parametrize(
    "decorator", ["dataclass", "dataclasses.dataclass", "dataclass(frozen=True)"]
)
def test_a_dataclass_keeps_its_generated_docstring(tmp_path: Path, decorator: str) -> None:
    package = _project(
        tmp_path,
        mod=f"import dataclasses\nfrom dataclasses import dataclass\n\n\n@{decorator}\n"
        "class Point:\n    x: int\n",
    )
    assert "dataclasses.dataclass generates" in _outcomes(package / "mod.py")["Point"]


@pytest.mark.parametrize(("version", "held"), [((3, 10), True), ((3, 11), False)])
def test_an_enum_before_python_3_11_has_a_generated_docstring(
    version: tuple[int, int], held: bool
) -> None:
    model = DocstringModel("mod", None, None, version)
    reader = model.class_reader(("enum.Enum",), ())
    assert (reader is not None) is held
    if reader is not None:
        assert "An enumeration." in reader.what


def test_a_pydantic_model_docstring_is_its_schema_description(tmp_path: Path) -> None:
    package = _project(
        tmp_path,
        mod="from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    name: str\n\n"
        "    def greet(self):\n        return self.name\n",
    )
    outcomes = _outcomes(package / "mod.py")
    assert "JSON schema" in outcomes["User"]
    assert outcomes["greet"] == "stub"


def test_a_reader_by_prefix_in_another_class_of_the_bases_module(tmp_path: Path) -> None:
    """An introspection class answers with the docstring of a method the server looks up by
    prefix (Twisted's XMLRPC): the subclass's ``rpc_*`` methods are read."""
    package = _project(
        tmp_path,
        rpc=(
            'class Server:\n    """A server."""\n\n    def lookup(self, name):\n'
            '        """Find a procedure."""\n        return getattr(self, "rpc_" + name)\n\n\n'
            'class Introspection:\n    """Help on procedures."""\n\n'
            "    def __init__(self, server):\n"
            '        """Keep the server."""\n        self.server = server\n\n'
            "    def help(self, name):\n"
            '        """Return a procedure\'s help."""\n'
            "        return getattr(self.server.lookup(name), '__doc__', '')\n"
        ),
        mod=(
            'from pkg.rpc import Server\n\n\nclass Mine(Server):\n    """Mine."""\n\n'
            "    def rpc_add(self, a, b):\n        return a + b\n\n"
            "    def close(self):\n        pass\n"
        ),
    )
    outcomes = _outcomes(package / "mod.py")
    assert outcomes["rpc_add"].startswith("skip: rpc_add:"), outcomes
    assert "rpc_" in outcomes["rpc_add"]
    assert outcomes["close"] == "stub"


def test_test_methods_of_a_mixin_used_by_a_test_case(tmp_path: Path) -> None:
    """trial's skipping tests: the test methods sit in a mixin without bases; unittest
    collects them through a TestCase subclass in another module."""
    package = _project(
        tmp_path,
        mixins="\n\nclass SkippingMixin:\n    def test_skip(self):\n        pass\n\n"
        "    def helper(self):\n        pass\n\n\n"
        "class Plain:\n    def test_alone(self):\n        pass\n",
        test_mod="import unittest\n\nfrom pkg.mixins import SkippingMixin\n\n\n"
        "class SkippingTests(SkippingMixin, unittest.TestCase):\n    pass\n",
    )
    outcomes = _outcomes(package / "mixins.py")
    assert outcomes["test_skip"] == "held", outcomes
    assert outcomes["helper"] == "stub"
    assert outcomes["test_alone"] == "stub"  # no test case inherits it: pytest-style


def test_a_class_whose_own_methods_are_read_through_a_local(tmp_path: Path) -> None:
    """Twisted's IRCClient answers CLIENTINFO with ``getattr(self, "ctcpQuery_" + x)``'s
    docstring, bound to a local first: read from the module's source as a library's."""
    package = _project(
        tmp_path,
        irc=(
            'class Client:\n    """A client."""\n\n    def clientinfo(self, data):\n'
            '        """Answer CLIENTINFO."""\n'
            '        method = getattr(self, "query_" + data, None)\n'
            "        return method.__doc__\n\n"
            "    def query_ping(self):\n        pass\n\n    def close(self):\n        pass\n"
        ),
    )
    outcomes = _outcomes(package / "irc.py")
    assert outcomes["query_ping"].startswith("skip: query_ping:"), outcomes
    assert outcomes["close"] == "stub"
