"""Who reads docstrings, from evidence in libraries' own source (codemods.library_docs).

Each test writes a fake environment in ``tmp_path`` -- a venv with ``pyvenv.cfg`` and a
``site-packages`` holding ``*.dist-info`` directories and library packages as text -- and
asks :class:`LibraryDocs` about a class or a decorator. The evidence matrix crosses the
forms of reading a docstring (``.__doc__``, ``getattr``, ``inspect.getdoc``/``cleandoc``,
``pydoc``, loops over ``dir``/``vars``/``inspect.getmembers``, ``__init_subclass__``, a
metaclass) with what is read (``self``, ``cls``, a method looked up by a prefixed name, a
parameter) and where the code is (the class itself, a base in another module, a base in
another distribution). Each case checks the whole answer, so a rule that found too much
fails as surely as one that found too little. The last tests read the real standard
library of the running Python.
"""

from __future__ import annotations

import os
import pickle
import sys
import textwrap
import time
from pathlib import Path

import pytest

import codemods.library_docs as library_docs
from codemods.environment import Environment, find_environment
from codemods.library_docs import ClassDocUse, DecoratorDocUse, DocReader, LibraryDocs


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _environment(tmp_path: Path, distributions: dict[str, dict[str, str]]) -> Environment:
    """Make ``tmp_path/project/.venv`` with each distribution (``"liba-1.0"``: its files)."""
    root = tmp_path / "project" / ".venv"
    site = root / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (root / "pyvenv.cfg").write_text(f"home = {tmp_path / 'nowhere' / 'bin'}\nversion = 3.11.4\n")
    for distribution, files in distributions.items():
        (site / f"{distribution}.dist-info").mkdir()
        _write(site, files)
    found = find_environment(tmp_path / "project", None, {})
    assert found is not None
    return found


def _docs(tmp_path: Path, distributions: dict[str, dict[str, str]], **options: int) -> LibraryDocs:
    return LibraryDocs(_environment(tmp_path, distributions), **options)


def _site(tmp_path: Path) -> Path:
    return tmp_path / "project" / ".venv" / "lib" / "python3.11" / "site-packages"


def _outcome(use: ClassDocUse) -> set[str]:
    """Summarise an answer: ``own``, ``generated``, ``all``, ``prefix:P``, ``method:M``."""
    found = {name for name in ("own", "generated") if getattr(use, name) is not None}
    found |= {"all"} if use.all_methods is not None else set()
    found |= {f"prefix:{prefix}" for prefix, _reader in use.method_prefixes}
    found |= {f"method:{name}" for name, _reader in use.methods}
    return found


def _readers(use: ClassDocUse) -> list[DocReader]:
    readers = [r for r in (use.own, use.generated, use.all_methods) if r is not None]
    return readers + [r for _p, r in use.method_prefixes] + [r for _m, r in use.methods]


# --- the evidence matrix ---------------------------------------------------------------------

HEADER = """\
import inspect
import pydoc

REGISTRY = {}


def prefixed_names(klass, prefix):
    return [name[len(prefix):] for name in dir(klass) if name.startswith(prefix)]


def accumulate_methods(obj, found, prefix):
    for name in prefixed_names(type(obj), prefix):
        found[name] = getattr(obj, prefix + name)


def prefixed_methods(obj, prefix):
    return [getattr(obj, name) for name in dir(obj) if name.startswith(prefix)]


def first_line(obj):
    return (obj.__doc__ or "").split("\\n")[0]


"""
"""The top of ``liba/base.py``: helpers some cases call (none reads a class's docstring)."""

MATRIX: dict[str, tuple[str, set[str]]] = {
    # the class reads its instance's (so a subclass's) own docstring
    "self.__doc__": (
        """
        class Base:
            def describe(self):
                return self.__doc__  # READ
        """,
        {"own"},
    ),
    "inspect.getdoc(self)": (
        """
        class Base:
            def describe(self):
                return inspect.getdoc(self)  # READ
        """,
        {"own"},
    ),
    "inspect.cleandoc(type(self).__doc__)": (
        """
        class Base:
            def describe(self):
                return inspect.cleandoc(type(self).__doc__ or "")  # READ
        """,
        {"own"},
    ),
    "pydoc.render_doc(self.__class__)": (
        """
        class Base:
            def describe(self):
                return pydoc.render_doc(self.__class__)  # READ
        """,
        {"own"},
    ),
    "getattr(self, '__doc__')": (
        """
        class Base:
            def describe(this):
                return getattr(this, "__doc__", None)  # READ
        """,
        {"own"},
    ),
    "cls.__doc__ in a classmethod": (
        """
        class Base:
            @classmethod
            def help_text(cls):
                return cls.__doc__  # READ
        """,
        {"own"},
    ),
    "inspect.getmro(cls)": (
        """
        class Base:
            @classmethod
            def describe(cls):
                return [inspect.getdoc(k) for k in inspect.getmro(cls)]  # READ
        """,
        {"own"},
    ),
    "a loop over type(self).mro()": (
        """
        class Base:
            def describe(self):
                return [klass.__doc__ for klass in type(self).mro()]  # READ
        """,
        {"own"},
    ),
    "a loop over type(self).__mro__": (
        """
        class Base:
            def describe(self):
                parts = []
                for klass in type(self).__mro__:
                    parts.append(klass.__doc__)  # READ
                return parts
        """,
        {"own"},
    ),
    "vars(type(self)).get('__doc__')": (
        """
        class Base:
            def describe(self):
                return vars(type(self)).get("__doc__")  # READ
        """,
        {"own"},
    ),
    "__init_subclass__ reads": (
        """
        class Base:
            def __init_subclass__(cls, **kwargs):
                super().__init_subclass__(**kwargs)
                REGISTRY[cls.__name__] = cls.__doc__  # READ
        """,
        {"own"},
    ),
    "__init_subclass__ writes": (
        """
        class Base:
            def __init_subclass__(cls, **kwargs):
                super().__init_subclass__(**kwargs)
                cls.__doc__ = f"The {cls.__name__} command."  # READ
        """,
        {"generated"},
    ),
    "a metaclass reads": (
        """
        class Meta(type):
            def __init__(cls, name, bases, namespace):
                super().__init__(name, bases, namespace)
                REGISTRY[name] = inspect.getdoc(cls)  # READ


        class Base(metaclass=Meta):
            pass
        """,
        {"own"},
    ),
    "a metaclass fills the namespace": (
        """
        class Meta(type):
            def __new__(mcs, name, bases, namespace):
                namespace.setdefault("__doc__", f"{name} model")  # READ
                return super().__new__(mcs, name, bases, namespace)


        class Base(metaclass=Meta):
            pass
        """,
        {"generated"},
    ),
    "a metaclass by with_metaclass()": (
        """
        def with_metaclass(meta, *bases):
            return meta("temporary", bases, {})


        class Meta(type):
            def __init__(cls, name, bases, namespace):
                REGISTRY[name] = cls.__doc__  # READ


        class Base(with_metaclass(Meta, object)):
            pass
        """,
        {"own"},
    ),
    "a metaclass by __metaclass__": (
        """
        class Meta(type):
            def __init__(cls, name, bases, namespace):
                REGISTRY[name] = cls.__doc__  # READ


        class Base:
            __metaclass__ = Meta
        """,
        {"own"},
    ),
    # methods looked up by a computed name
    '"opt_" + name (twisted.python.usage)': (
        """
        class Base:
            def gather(self, names):
                docs = {}
                for name in names:
                    method = getattr(self, "opt_" + name)
                    docs[name] = getattr(method, "__doc__", None)  # READ
                return docs
        """,
        {"prefix:opt_"},
    ),
    'f"ctcp_{tag}" (twisted irc)': (
        """
        class Base:
            def client_info(self, tag):
                method = getattr(self, f"ctcp_{tag}", None)
                if not method:
                    return None
                return getattr(method, "__doc__", "")  # READ
        """,
        {"prefix:ctcp_"},
    ),
    '"rpc_%s" % name, inspect.getdoc': (
        """
        class Base:
            def help(self, name):
                return inspect.getdoc(getattr(self, "rpc_%s" % name))  # READ
        """,
        {"prefix:rpc_"},
    ),
    '"do_{}".format(name), pydoc.getdoc': (
        """
        class Base:
            def help(self, name):
                return pydoc.getdoc(getattr(self, "do_{}".format(name)))  # READ
        """,
        {"prefix:do_"},
    ),
    "dir(self) kept by startswith": (
        """
        class Base:
            def help(self):
                docs = []
                for name in dir(self):
                    if name.startswith(("cmd_", "command_")):
                        docs.append(getattr(self, name).__doc__)  # READ
                return docs
        """,
        {"prefix:cmd_", "prefix:command_"},
    ),
    "dir(self) kept by name[:3] == (cmd.Cmd)": (
        """
        class Base:
            def help(self):
                docs = []
                for name in dir(self.__class__):
                    if name[:5] == "help_":
                        pass
                for name in dir(self.__class__):
                    if name[:3] == "do_":
                        docs.append(getattr(self, name).__doc__)  # READ
                return docs
        """,
        {"prefix:do_"},
    ),
    "dir(self) after a continue guard": (
        """
        class Base:
            def help(self):
                for name in dir(self):
                    if not name.startswith("do_"):
                        continue
                    print(getattr(self, name).__doc__)  # READ
        """,
        {"prefix:do_"},
    ),
    "a comprehension over dir(self)": (
        """
        class Base:
            def help(self):
                return [
                    getattr(self, n).__doc__  # READ
                    for n in dir(self)
                    if n.startswith("x_")
                ]
        """,
        {"prefix:x_"},
    ),
    "inspect.getmembers kept by its name": (
        """
        class Base:
            def help(self):
                for name, member in inspect.getmembers(self):
                    if name.startswith("cmd_"):
                        yield name, inspect.getdoc(member)  # READ
        """,
        {"prefix:cmd_"},
    ),
    "names from a helper given self and a prefix (prefixedMethodNames)": (
        """
        class Base:
            def client_info(self):
                docs = []
                for name in sorted(prefixed_names(self.__class__, "ctcp_")):
                    method = getattr(self, name)
                    docs.append(method.__doc__)  # READ
                return docs
        """,
        {"prefix:ctcp_"},
    ),
    "methods from a helper given self and a prefix": (
        """
        class Base:
            def client_info(self):
                return [m.__doc__ for m in prefixed_methods(self, "ctcp_")]  # READ
        """,
        {"prefix:ctcp_"},
    ),
    "a container a helper fills (accumulateMethods)": (
        """
        class Base:
            def options(self):
                found = {}
                accumulate_methods(self, found, "opt_")
                docs = {}
                for name, method in found.items():
                    docs[name] = method.__doc__  # READ
                return docs
        """,
        {"prefix:opt_"},
    ),
    "a helper of the module reads its parameter's docstring": (
        """
        class Base:
            def summary(self, name):
                return first_line(getattr(self, "cmd_" + name))  # READ
        """,
        {"prefix:cmd_"},
    ),
    "another class reads what a lookup returns (twisted xmlrpc)": (
        """
        class Base:
            def lookup(self, path):
                return getattr(self, "rpc_%s" % path, None)


        class Introspection:
            def __init__(self, parent):
                self.parent = parent

            def method_help(self, path):
                method = self.parent.lookup(path)
                return getattr(method, "__doc__", None) or ""  # READ
        """,
        {"prefix:rpc_"},
    ),
    "an earlier and operand": (
        """
        class Base:
            def help(self):
                for name in dir(self):
                    doc = name.startswith("do_") and getattr(self, name).__doc__  # READ
                    print(doc)
        """,
        {"prefix:do_"},
    ),
    "type(self).__dict__.items() kept by its name": (
        """
        class Base:
            def help(self):
                for name, value in type(self).__dict__.items():
                    if name.startswith("cmd_"):
                        print(value.__doc__)  # READ
        """,
        {"prefix:cmd_"},
    ),
    "a helper method of the class reads its parameter's docstring": (
        """
        class Base:
            def _doc(self, method):
                return method.__doc__

            def help(self, name):
                return self._doc(getattr(self, "do_" + name))  # READ
        """,
        {"prefix:do_"},
    ),
    "dir(self) unfiltered": (
        """
        class Base:
            def help(self):
                return {name: getattr(self, name).__doc__ for name in dir(self)}  # READ
        """,
        {"all"},
    ),
    "vars(type(self)).values()": (
        """
        class Base:
            def help(self):
                for value in vars(type(self)).values():
                    print(value.__doc__)  # READ
        """,
        {"all"},
    ),
    "inspect.getmembers unfiltered": (
        """
        class Base:
            def help(self):
                return [inspect.getdoc(m) for _name, m in inspect.getmembers(self)]  # READ
        """,
        {"all"},
    ),
    "a parameter names the method (unittest.TestCase)": (
        """
        class Base:
            def __init__(self, method_name="run_test"):
                test_method = getattr(self, method_name)
                self._doc = test_method.__doc__  # READ
        """,
        {"all"},
    ),
    "a guard that drops names is no prefix": (
        """
        class Base:
            def help(self):
                for name in dir(self):
                    if name.startswith("_"):
                        continue
                    print(getattr(self, name).__doc__)  # READ
        """,
        {"all"},
    ),
    "a read in the else of a prefix test is no prefix": (
        """
        class Base:
            def help(self):
                for name in dir(self):
                    if name.startswith("do_"):
                        pass
                    else:
                        print(getattr(self, name).__doc__)  # READ
        """,
        {"all"},
    ),
    "self.run.__doc__": (
        """
        class Base:
            def describe(self):
                return self.run.__doc__  # READ
        """,
        {"method:run"},
    ),
    "getattr(self, 'run')": (
        """
        class Base:
            def describe(self):
                return inspect.getdoc(getattr(self, "run"))  # READ
        """,
        {"method:run"},
    ),
    # not evidence
    "Base.__doc__ names one class": (
        """
        class Base:
            def usage(self):
                return Base.__doc__
        """,
        set(),
    ),
    "a copy into the instance's __doc__": (
        """
        class Base:
            def __init__(self):
                doc = type(self).__doc__
                if doc is None:
                    doc = "Undocumented."
                self.__doc__ = doc
        """,
        set(),
    ),
    "a copy into a new class's namespace (unittest.mock)": (
        """
        class Base:
            def __new__(cls, *args, **kwargs):
                made = type(cls.__name__, (cls,), {"__doc__": cls.__doc__})
                return object.__new__(made)
        """,
        set(),
    ),
    "the module's own docstring (description=__doc__)": (
        """
        import __main__
        import argparse


        class Base:
            def parser(self):
                return argparse.ArgumentParser(description=__doc__, epilog=__main__.__doc__)
        """,
        set(),
    ),
    "a prefixed method called, not read": (
        """
        class Base:
            def dispatch(self, kind, data):
                return getattr(self, "handle_" + kind)(data)

            def describe(self, obj):
                return obj.__doc__
        """,
        set(),
    ),
    "a parameter called cls is not the class": (
        """
        class Base:
            def show(self, cls):
                return cls.__doc__
        """,
        set(),
    ),
    "the class body's __doc__": (
        """
        class Base:
            '''Documented.'''
            summary = __doc__
        """,
        set(),
    ),
}

PLACES = ("the class itself", "a base in another module", "a base in another distribution")

ASKED = {
    "the class itself": "liba.base.Base",
    "a base in another module": "liba.sub.Child",
    "a base in another distribution": "libb.leaf.Leaf",
}


def _line_of(source: str, marker: str) -> int:
    """Return the line of ``liba/base.py`` (``HEADER + source``) that ends with ``marker``."""
    lines = (HEADER + textwrap.dedent(source)).splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.endswith(marker))


def _matrix_docs(tmp_path: Path, source: str) -> LibraryDocs:
    return _docs(
        tmp_path,
        {
            "liba-1.0": {
                "liba/__init__.py": "from liba.base import Base as Base\n",
                "liba/base.py": HEADER + textwrap.dedent(source),
                "liba/sub.py": "from .base import Base\n\n\nclass Child(Base):\n    pass\n",
            },
            "libb-2.0": {
                "libb/__init__.py": "",
                "libb/leaf.py": "import liba\n\n\nclass Leaf(liba.Base):\n    pass\n",
            },
        },
    )


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("case", list(MATRIX))
def test_evidence_matrix(tmp_path: Path, case: str, place: str) -> None:
    source, expected = MATRIX[case]
    docs = _matrix_docs(tmp_path, source)
    use = docs.class_use(ASKED[place])
    assert use.found, use.notes
    assert use.unresolved == (), use.notes
    assert _outcome(use) == expected
    for reader in _readers(use):
        assert reader.where == f"liba 1.0, liba/base.py:{_line_of(source, '# READ')}"
    assert "liba.base.Base" in use.ancestors


def test_the_readers_say_what_reads_and_where(tmp_path: Path) -> None:
    source, _expected = MATRIX['"opt_" + name (twisted.python.usage)']
    use = _matrix_docs(tmp_path, source).class_use("libb.leaf.Leaf")
    assert use.method_prefixes == (
        (
            "opt_",
            DocReader(
                "liba.base.Base reads the docstrings of its opt_* methods (in Base.gather)",
                f"liba 1.0, liba/base.py:{_line_of(source, '# READ')}",
            ),
        ),
    )
    assert use.where == "libb 2.0, libb/leaf.py:4"
    assert use.ancestors == ("libb.leaf.Leaf", "liba.Base", "liba.base.Base")


def test_a_linked_lookup_says_where_the_lookup_is(tmp_path: Path) -> None:
    source, _expected = MATRIX["another class reads what a lookup returns (twisted xmlrpc)"]
    use = _matrix_docs(tmp_path, source).class_use("liba.base.Base")
    (_prefix, reader), *_rest = use.method_prefixes
    lookup_line = _line_of(source, 'return getattr(self, "rpc_%s" % path, None)')
    assert reader.what == (
        "liba.base.Base reads the docstrings of its rpc_* methods (in "
        f"Introspection.method_help; looked up in Base.lookup, line {lookup_line})"
    )


def test_a_metaclass_asked_about_itself(tmp_path: Path) -> None:
    source, _expected = MATRIX["a metaclass fills the namespace"]
    use = _matrix_docs(tmp_path, source).class_use("liba.base.Meta")
    assert _outcome(use) == {"generated"}
    assert use.generated is not None
    assert use.generated.what.startswith("the metaclass liba.base.Meta writes the __doc__")


def test_a_metaclass_names_itself_and_the_class(tmp_path: Path) -> None:
    source, _expected = MATRIX["a metaclass reads"]
    use = _matrix_docs(tmp_path, source).class_use("liba.sub.Child")
    assert use.own is not None
    assert use.own.what == (
        "the metaclass liba.base.Meta of liba.base.Base reads the docstring of each class it "
        "makes (in Meta.__init__)"
    )


def test_an_instance_write_is_not_a_generated_class_docstring(tmp_path: Path) -> None:
    docs = _matrix_docs(
        tmp_path,
        """
        class Base:
            def __init__(self, text):
                self.__doc__ = text
        """,
    )
    assert _outcome(docs.class_use("liba.base.Base")) == set()


def test_a_metaclass_in_another_distribution(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "metalib-1.0": {
                "metalib/__init__.py": "from metalib._meta import ModelMeta\n",
                "metalib/_meta.py": """\
                    class ModelMeta(type):
                        def __new__(mcs, name, bases, namespace):
                            if "__doc__" not in namespace:
                                namespace["__doc__"] = name + "()"
                            return super().__new__(mcs, name, bases, namespace)
                    """,
            },
            "models-1.0": {
                "models/__init__.py": """\
                    import metalib


                    class Model(metaclass=metalib.ModelMeta):
                        pass
                    """,
            },
        },
    )
    use = docs.class_use("models.Model")
    assert _outcome(use) == {"generated"}
    assert use.generated is not None
    assert use.generated.where == "metalib 1.0, metalib/_meta.py:4"


def test_documented_methods_of_the_class_and_its_bases(tmp_path: Path) -> None:
    source = """
        class Base:
            def run(self):
                '''Run it.'''

            def stop(self):
                pass
        """
    use = _matrix_docs(tmp_path, source).class_use("libb.leaf.Leaf")
    line = _line_of(source, "def run(self):")
    assert use.documented_methods == {"run": f"liba 1.0, liba/base.py:{line}"}


# --- decorators ------------------------------------------------------------------------------

DECORATORS: dict[str, tuple[str, set[str]]] = {
    "stores f.__doc__": (
        """
        REGISTRY = {}


        def register(f):
            REGISTRY[f.__name__] = f.__doc__  # LINE
            return f
        """,
        {"reads"},
    ),
    "description=f.__doc__ in a factory": (
        """
        class Command:
            def __init__(self, name, callback, description):
                self.name = name


        def register(name=None):
            def decorator(f):
                return Command(name or f.__name__, f, description=f.__doc__)  # LINE

            return decorator
        """,
        {"reads"},
    ),
    "inspect.getdoc(f), passed on to a helper": (
        """
        import inspect

        HELP = {}


        def _remember(func):
            HELP[func.__name__] = inspect.getdoc(func)  # LINE


        def register(func):
            _remember(func)
            return func
        """,
        {"reads"},
    ),
    "the implementation after @overload stubs (click.command)": (
        """
        from typing import overload

        HELP = {}


        @overload
        def register(name): ...


        @overload
        def register(name=None): ...


        def register(name=None):
            def decorator(f):
                HELP[f.__name__] = f.__doc__  # LINE
                return f

            if callable(name):
                return decorator(name)
            return decorator
        """,
        {"reads"},
    ),
    "applies a factory's decorator at once (click.group)": (
        """
        HELP = {}


        def command(name=None):
            def decorator(f):
                HELP[name] = f.__doc__  # LINE
                return f

            return decorator


        def register(f):
            return command(f.__name__)(f)
        """,
        {"reads"},
    ),
    "returns another factory's decorator": (
        """
        HELP = {}


        def command(name=None):
            def decorator(f):
                HELP[name] = f.__doc__  # LINE
                return f

            return decorator


        def register(name=None):
            return command(name)
        """,
        {"reads"},
    ),
    "a class whose __init__ stores it": (
        """
        class register:
            def __init__(self, function):
                self.function = function
                self.help = function.__doc__  # LINE
        """,
        {"reads"},
    ),
    "a class whose instances decorate (__call__)": (
        """
        class register:
            def __init__(self, name):
                self.name = name

            def __call__(self, function):
                self.help = getattr(function, "__doc__", None)  # LINE
                return function
        """,
        {"reads"},
    ),
    "writes __doc__ when there is none (dataclass-like)": (
        """
        def _process(cls, init):
            if cls.__doc__ is None:
                cls.__doc__ = cls.__name__ + "(...)"  # LINE
            return cls


        def register(cls=None, /, *, init=True):
            def wrap(cls):
                return _process(cls, init)

            if cls is None:
                return wrap
            return wrap(cls)
        """,
        {"reads", "generated"},  # LINE marks the write; the read is the test above it
    ),
    "copies it to a wrapper (functools.wraps-like)": (
        """
        def register(f):
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)

            wrapper.__doc__ = f.__doc__
            wrapper.__name__ = f.__name__
            return wrapper
        """,
        set(),
    ),
    "copies it through a local (contextlib-like)": (
        """
        class _Manager:
            def __init__(self, func):
                doc = getattr(func, "__doc__", None)
                if doc is None:
                    doc = type(self).__doc__
                self.__doc__ = doc


        def register(func):
            return _Manager(func)
        """,
        set(),
    ),
    "uses only the name": (
        """
        REGISTRY = {}


        def register(f):
            REGISTRY[f.__name__] = f
            return f
        """,
        set(),
    ),
}


@pytest.mark.parametrize("case", list(DECORATORS))
def test_decorators(tmp_path: Path, case: str) -> None:
    source, expected = DECORATORS[case]
    docs = _docs(
        tmp_path,
        {
            "decolib-3.1": {
                "decolib/__init__.py": "from ._impl import register\n",
                "decolib/_impl.py": textwrap.dedent(source),
            }
        },
    )
    use = docs.decorator_use("decolib.register")
    assert use.found, use.notes
    assert use.where.startswith("decolib 3.1, decolib/_impl.py:")
    found = {name for name in ("reads", "generated") if getattr(use, name) is not None}
    assert found == expected
    if expected:
        reader = use.generated or use.reads
        assert reader is not None
        lines = textwrap.dedent(source).splitlines()
        line = next(n for n, text in enumerate(lines, 1) if "# LINE" in text)
        assert reader.where == f"decolib 3.1, decolib/_impl.py:{line}"


def test_a_decorator_that_is_not_there(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"decolib-1.0": {"decolib/__init__.py": "x = 1\n"}})
    assert docs.decorator_use("decolib.register").found is False
    assert docs.decorator_use("nolib.register") == DecoratorDocUse(
        "nolib.register", False, notes=("no Python source found for it",)
    )


def test_a_method_used_as_a_decorator(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "app-1.0": {
                "app/__init__.py": """\
                    class App:
                        def command(self, name):
                            def decorator(f):
                                self.commands[name] = (f, f.__doc__)
                                return f

                            return decorator
                    """
            }
        },
    )
    use = docs.decorator_use("app.App.command")
    assert use.reads is not None and use.reads.where == "app 1.0, app/__init__.py:4"


# --- finding the source ----------------------------------------------------------------------


def test_a_missing_class_and_a_missing_base(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "liba-1.0": {
                "liba/__init__.py": """\
                    from gone import Vanished
                    from .compiled import Fast


                    class Base(Vanished, Fast, Exception, dict):
                        pass


                    def factory():
                        pass
                    """,
                "liba/compiled.cpython-311-x86_64-linux-gnu.so": "",
            }
        },
    )
    missing = docs.class_use("liba.Nothing")
    assert not missing.found
    assert missing.unresolved == ("liba.Nothing",)
    assert docs.class_use("liba.factory").notes == (
        "liba.factory: not a class in liba/__init__.py (a function or a method)",
    )
    use = docs.class_use("liba.Base")
    assert use.found
    assert use.unresolved == ("gone.Vanished", "liba.compiled.Fast")  # builtins are known
    assert use.notes == (
        "gone.Vanished: no Python source found for it",
        "liba.compiled.Fast: a compiled extension module: no source to read",
    )


def test_a_base_from_the_standard_library(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "shell-1.0": {
                "shell/__init__.py": """\
                    import cmd
                    from typing import Generic, TypeVar

                    T = TypeVar("T")


                    class Shell(cmd.Cmd, Generic[T]):
                        pass
                    """
            }
        },
    )
    use = docs.class_use("shell.Shell")
    assert use.unresolved == (), use.notes
    assert [prefix for prefix, _reader in use.method_prefixes] == ["do_"]
    reader = use.method_prefixes[0][1]
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert reader.where.startswith(f"the standard library {version}, cmd.py:")


def test_distribution_names_from_top_level_txt_and_record(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "PyYAML-6.0": {"yaml/__init__.py": "class Loader:\n    pass\n"},
            "attrs-23.2.0": {"attr/__init__.py": "class Attribute:\n    pass\n"},
        },
    )
    site = _site(tmp_path)
    (site / "PyYAML-6.0.dist-info" / "top_level.txt").write_text("_yaml\nyaml\n")
    (site / "attrs-23.2.0.dist-info" / "RECORD").write_text("attr/__init__.py,sha256=x,1\n")
    _write(site, {"loose.py": "class Loose:\n    pass\n"})
    assert docs.class_use("yaml.Loader").where == "PyYAML 6.0, yaml/__init__.py:1"
    assert docs.class_use("attr.Attribute").where == "attrs 23.2.0, attr/__init__.py:1"
    assert docs.class_use("loose.Loose").where == "loose (no distribution found), loose.py:1"


def test_an_editable_install_through_a_pth_file(tmp_path: Path) -> None:
    source = tmp_path / "checkout" / "src"
    _write(
        source,
        {"editable/__init__.py": "class Tool:\n    def run(self):\n        return self.__doc__\n"},
    )
    docs_env = _environment(tmp_path, {"editable-0.1": {}})
    pth = docs_env.site_packages[0] / "__editable__.editable-0.1.pth"
    pth.write_text(f"import os\n{source}\n")
    use = LibraryDocs(docs_env).class_use("editable.Tool")
    assert use.own is not None
    assert use.own.where == "editable 0.1, editable/__init__.py:3"


def test_re_exports_lazy_imports_and_star_imports(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "pkg-1.0": {
                "pkg/__init__.py": """\
                    from pkg.star import *


                    def __getattr__(name):
                        if name == "Lazy":
                            from ._lazy import Lazy
                            return Lazy
                        raise AttributeError(name)
                    """,
                "pkg/star.py": "from ._deep import *\n",
                "pkg/_deep.py": "class Starred:\n    def f(self):\n        return self.__doc__\n",
                "pkg/_lazy.py": "class Lazy:\n    def f(self):\n        return self.__doc__\n",
            }
        },
    )
    for name, defined in (("pkg.Starred", "pkg._deep.Starred"), ("pkg.Lazy", "pkg._lazy.Lazy")):
        use = docs.class_use(name)
        assert use.own is not None, name
        assert defined in use.ancestors


# --- bounds and hostile libraries --------------------------------------------------------------


def test_cycles_end_quietly(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "loop-1.0": {
                "loop/__init__.py": "from loop.b import X\nfrom loop.star2 import *\n",
                "loop/b.py": "from loop import X\n",
                "loop/a.py": "from loop.c import C\n\n\nclass A(C):\n    pass\n",
                "loop/c.py": "from loop.a import A\n\n\nclass C(A):\n    pass\n",
                "loop/star1.py": "from loop.star2 import *\n",
                "loop/star2.py": "from loop.star1 import *\n",
            }
        },
    )
    assert docs.class_use("loop.X").found is False
    assert docs.class_use("loop.Nowhere").found is False
    use = docs.class_use("loop.a.A")
    assert use.found and use.unresolved == ()
    assert use.ancestors == ("loop.a.A", "loop.c.C")


def test_at_most_max_files_per_question_and_the_same_answer_every_time(tmp_path: Path) -> None:
    chain = {
        f"chain/m{i}.py": f"from chain.m{i + 1} import C{i + 1}\n\n\nclass C{i}(C{i + 1}):\n    pass\n"
        for i in range(6)
    }
    chain["chain/__init__.py"] = ""
    chain["chain/m6.py"] = "class C6:\n    def f(self):\n        return self.__doc__\n"
    docs = _docs(tmp_path, {"chain-1.0": chain}, max_files=3)
    first = docs.class_use("chain.m0.C0")
    assert first.own is None
    assert first.unresolved == ("chain.m3.C3",)
    assert first.notes == ("chain.m3.C3: the limit of 3 files per question was reached",)
    docs.class_use("chain.m3.C3")  # now memoised: still the same answer
    assert docs.class_use("chain.m0.C0") == first
    assert docs.class_use("chain.m4.C4").own is not None
    assert LibraryDocs(docs.environment, max_files=8).class_use("chain.m0.C0").own is not None


def test_unreadable_modules_are_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "x = " + "(" * 150 + "1" + ")" * 150 + "\n"
    docs = _docs(
        tmp_path,
        {
            "bad-1.0": {
                "bad/__init__.py": "",
                "bad/syntax.py": "class Broken(:\n",
                "bad/deep.py": "x = " + "-" * 100_000 + "1\n\nclass Deep:\n    pass\n",
                "bad/chain.py": "x = self" + ".a" * 100_000 + "\n\nclass Chain:\n    pass\n",
                "bad/nested.py": deep + "class Nested:\n    pass\n",
                "bad/big.py": "class Big:\n    pass\n" + "#" * 2000 + "\n",
                "bad/sub.py": "from bad.syntax import Broken\n\n\nclass Sub(Broken):\n    pass\n",
            }
        },
    )
    syntax = docs.class_use("bad.syntax.Broken")
    assert not syntax.found
    assert syntax.notes == (
        "bad.syntax.Broken: bad/syntax.py: it could not be parsed (a syntax error)",
    )
    deep_use = docs.class_use("bad.deep.Deep")  # the parser runs out of memory
    assert deep_use.notes == ("bad.deep.Deep: bad/deep.py: it could not be parsed (MemoryError)",)
    chain = docs.class_use("bad.chain.Chain")  # parsed by 3.10, a RecursionError on 3.11+
    assert chain.found or chain.notes == (
        "bad.chain.Chain: bad/chain.py: it is nested too deeply to analyse",
    )
    assert docs.class_use("bad.nested.Nested").found  # deep but parseable: fine
    monkeypatch.setattr(library_docs, "MAX_SOURCE_SIZE", 1000)
    big = docs.class_use("bad.big.Big")
    assert not big.found and "was not read" in big.notes[0]
    sub = docs.class_use("bad.sub.Sub")
    assert sub.found and sub.unresolved == ("bad.syntax.Broken",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_as_a_module_is_not_read(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "odd-1.0": {
                "odd/__init__.py": "from .device import D\n",
                "oddity/__init__.py": "class Fine:\n    pass\n",
            }
        },
    )
    site = _site(tmp_path)
    os.mkfifo(site / "odd" / "fifo.py")
    (site / "odd" / "device.py").symlink_to("/dev/zero")
    (site / "odd-1.0.dist-info" / "RECORD").symlink_to("/dev/zero")
    started = time.monotonic()
    assert not docs.class_use("odd.fifo.F").found
    assert not docs.class_use("odd.D").found
    assert not docs.class_use("odd.device.D").found
    fine = docs.class_use("oddity.Fine")  # its distribution is looked for in the RECORD
    assert fine.where == "oddity (no distribution found), oddity/__init__.py:1"
    assert time.monotonic() - started < 10


def test_answers_are_memoised_per_file_and_follow_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _expected = MATRIX["self.__doc__"]
    docs = _matrix_docs(tmp_path, source)
    parsed: list[str] = []
    analyse = library_docs._analyse_module

    def counting(data: bytes, module: str, is_package: bool, path: str) -> object:
        parsed.append(module)
        return analyse(data, module, is_package, path)

    monkeypatch.setattr(library_docs, "_analyse_module", counting)
    first = docs.class_use("libb.leaf.Leaf")
    assert first.own is not None
    count = len(parsed)
    assert docs.class_use("libb.leaf.Leaf") == first
    assert len(parsed) == count  # nothing parsed again
    base = _site(tmp_path) / "liba" / "base.py"
    base.write_text(HEADER + "class Base:\n    pass\n")
    os.utime(base, ns=(1, 1))
    assert docs.class_use("libb.leaf.Leaf").own is None
    assert parsed[count:] == ["liba.base"]


def test_a_library_docs_is_plain_data_for_workers(tmp_path: Path) -> None:
    source, _expected = MATRIX['"opt_" + name (twisted.python.usage)']
    docs = _matrix_docs(tmp_path, source)
    answer = docs.class_use("libb.leaf.Leaf")
    copy = pickle.loads(pickle.dumps(docs))
    assert copy.class_use("libb.leaf.Leaf") == answer
    assert pickle.loads(pickle.dumps(answer)) == answer
    fresh = pickle.loads(pickle.dumps(LibraryDocs(docs.environment)))
    assert fresh.class_use("libb.leaf.Leaf") == answer


# --- the real standard library ---------------------------------------------------------------


@pytest.fixture(scope="module")
def stdlib() -> LibraryDocs:
    return LibraryDocs(None)


def test_stdlib_dataclass_generates_the_class_docstring(stdlib: LibraryDocs) -> None:
    use = stdlib.decorator_use("dataclasses.dataclass")
    assert use.generated is not None
    assert use.generated.where.startswith("the standard library ")
    assert "dataclasses.py:" in use.generated.where
    assert "_process_class" in use.generated.what


def test_stdlib_copies_are_not_reads(stdlib: LibraryDocs) -> None:
    for name in ("functools.cached_property", "contextlib.contextmanager", "functools.wraps"):
        use = stdlib.decorator_use(name)
        assert use.found and use.reads is None and use.generated is None, name


def test_stdlib_cmd_reads_do_methods(stdlib: LibraryDocs) -> None:
    use = stdlib.class_use("cmd.Cmd")
    assert _outcome(use) == {"prefix:do_"}  # not help_ (called), not every method
    assert "cmd.py:" in use.method_prefixes[0][1].where


def test_stdlib_unittest_test_case_reads_methods_by_a_parameter(stdlib: LibraryDocs) -> None:
    """``TestCase.__init__`` reads ``getattr(self, methodName).__doc__``: no prefix there
    (the loader's ``test`` is in another module), so every method counts."""
    use = stdlib.class_use("unittest.TestCase")
    assert _outcome(use) == {"all"}
    assert use.all_methods is not None and "unittest/case.py:" in use.all_methods.where
    assert use.all_methods.what == (
        "unittest.case.TestCase reads its methods' docstrings by a computed name that no "
        "prefix narrows (in TestCase.__init__; the name is its parameter methodName)"
    )
    assert "unittest.case.TestCase" in use.ancestors
    assert "setUp" in use.documented_methods


def test_stdlib_enum_generated_docstring_before_3_11(stdlib: LibraryDocs) -> None:
    use = stdlib.class_use("enum.Enum")
    if sys.version_info < (3, 11):  # EnumMeta.__new__: classdict['__doc__'] = 'An enumeration.'
        assert use.generated is not None and "metaclass enum.EnumMeta" in use.generated.what
    else:
        assert use.generated is None
