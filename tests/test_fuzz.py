"""Fuzzing: every codemod on generated programs and on mutated real files.

The inputs:

* ``hypothesmith.from_grammar()``: programs drawn from Python's grammar (they parse, though
  many do not compile);
* ``hypothesmith.from_node()``: programs built as LibCST trees;
* real files -- the Nova sample the suite downloads, this project's sources and its samples
  -- with the mutations of ``scripts/mutations.py``: tabs, 2 spaces, mixed tabs and spaces,
  form feeds, a UTF-8 BOM, Latin-1 and cp932 with a coding cookie and non-ASCII comments and
  strings, CRLF, CR only, no final newline; one at a time and combined.

The property (``scripts/corpus_all.py``, ``check_file``), for every input, through the engine
built as the command line builds it (``Config.build_engine``) with all four codemods, with the
default fixes and with ``--unsafe-fixes``, then with each codemod alone: no exception escapes
the engine and no codemod fails (an "internal error", or output the engine must reject); the
file is left alone, or its new bytes compile, keep every line outside the edited ones byte for
byte, keep the codemod's promise (indentation: the same ``ast``, docstrings compared by their
cleaned text; docstring-stubs: the same ``ast`` without docstrings; resize-guard: the same
``ast`` once its guards are unwrapped; unused-variables and all four: the same calls, awaits
and yields), and are a fixed point (a second run changes nothing).

The default run uses a fixed set of examples (``derandomize=True``, no example database) and
takes about 40 s. For a long run, give the number of examples per test::

    python -m pytest tests/test_fuzz.py --fuzz-examples 2000     # or CODEMODS_FUZZ_EXAMPLES=2000

Each test then draws that many random examples (and real files up to 100 KB); a failure prints
the falsifying example and a ``@reproduce_failure`` blob. A failure found becomes a case of
``REPRODUCERS`` below, marked ``xfail`` while its defect is open. Measurements and results:
``docs/measurements/reliability.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import corpus_all
import hypothesmith
import mutations
import pytest
from corpora import CorpusFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemods import Codemod, Edit, Engine, Finding, SourceFile
from codemods.config import Config
from codemods.fixes.registry import all_codemods

T = TypeVar("T")

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code warns

ROOT = Path(__file__).resolve().parent.parent

ENGINES = {
    "default": Config().build_engine(),
    "unsafe-fixes": Config(unsafe_fixes=True).build_engine(),
}
"""All four codemods, as ``codemods apply`` and ``codemods apply --unsafe-fixes`` run them."""
SINGLE = {
    codemod_id: Config(select=(codemod_id,), unsafe_fixes=True).build_engine()
    for codemod_id in all_codemods()
}
"""Each codemod alone (unsafe fixes on, so that resize-guard edits)."""
PROMISES: dict[str, corpus_all.Promise] = {
    "indentation": corpus_all.same_ast,
    "unused-variables": corpus_all.same_effects,
    "resize-guard": corpus_all.same_without_guards,
    "docstring-stubs": corpus_all.same_without_docstrings,
}
DEFAULT_MAX_BYTES = 16_000
"""The default run mutates only real files up to this size."""
LONG_RUN_MAX_BYTES = 100_000
"""Long runs mutate real files up to this size (the corpus run covers the few larger ones)."""
PROGRAM_PATH = "fuzzed_program.py"
"""The name generated programs go by (no such file: resize-guard sees a project of one file)."""


def violations(path: str, data: bytes) -> list[str]:
    """Return every invariant the codemods break on ``data`` (all four, then each alone)."""
    found = []
    for mode, engine in ENGINES.items():
        check = corpus_all.check_file(engine, path, data)
        found += [f"all codemods ({mode}): {v.kind}: {v.detail}" for v in check.violations]
    for codemod_id, engine in SINGLE.items():
        check = corpus_all.check_file(engine, path, data, PROMISES[codemod_id])
        found += [f"{codemod_id} alone: {v.kind}: {v.detail}" for v in check.violations]
    return found


def assert_keeps_invariants(path: str, data: bytes) -> None:
    """Fail with every broken invariant and the input that broke it."""
    found = violations(path, data)
    assert not found, f"{path}: {data!r}\n" + "\n".join(found)


def fuzz(
    strategy: st.SearchStrategy[T],
    test: Callable[[T], None],
    default_examples: int,
    fuzz_examples: int | None,
) -> None:
    """Run ``test`` on examples of ``strategy``: fixed ones by default, random in long runs."""

    @settings(
        max_examples=fuzz_examples or default_examples,
        derandomize=fuzz_examples is None,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )
    @given(strategy)
    def run(example: T) -> None:
        test(example)

    run()


MUTATION_CHOICES = st.builds(
    mutations.Mutation,
    indent=st.sampled_from(mutations.INDENTS),
    form_feeds=st.booleans(),
    encoding=st.sampled_from(mutations.ENCODINGS),
    newline=st.sampled_from(list(mutations.NEWLINES)),
    final_newline=st.booleans(),
    unused_locals=st.booleans(),
)
"""Every combination of mutations."""


# --- generated programs -------------------------------------------------------------------


def check_program(code: str) -> None:
    """Check the invariants on a generated program."""
    assert_keeps_invariants(PROGRAM_PATH, code.encode("utf-8", "surrogatepass"))


def test_programs_from_grammar(fuzz_examples: int | None) -> None:
    fuzz(hypothesmith.from_grammar(), check_program, 150, fuzz_examples)


def test_programs_from_libcst_nodes(fuzz_examples: int | None) -> None:
    fuzz(hypothesmith.from_node(), check_program, 40, fuzz_examples)


def test_mutated_programs_from_grammar(fuzz_examples: int | None) -> None:
    def check(drawn: tuple[str, mutations.Mutation]) -> None:
        code, mutation = drawn
        data = mutations.mutate(code.encode("utf-8", "surrogatepass"), mutation)
        assert_keeps_invariants(PROGRAM_PATH, data)

    fuzz(st.tuples(hypothesmith.from_grammar(), MUTATION_CHOICES), check, 60, fuzz_examples)


# --- mutated real files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_files(
    nova_sample: list[CorpusFile], nova_tree: Path, fuzz_examples: int | None
) -> st.SearchStrategy[tuple[str, bytes]]:
    """Draw ``(path, bytes)`` of a file: half from the Nova sample, half from this project."""
    limit = DEFAULT_MAX_BYTES if fuzz_examples is None else LONG_RUN_MAX_BYTES
    nova = [(str(nova_tree.parent / f.name), f.data) for f in nova_sample]
    own_paths = sorted((ROOT / "codemods").rglob("*.py")) + sorted(
        path for path in (ROOT / "samples").rglob("*.py") if ".expected" not in path.suffixes
    )
    own = [(str(path), path.read_bytes()) for path in own_paths]
    return st.one_of(
        st.sampled_from([(path, data) for path, data in files if len(data) <= limit])
        for files in (nova, own)
    )


def check_mutated(file: tuple[str, bytes], mutation: mutations.Mutation) -> None:
    """Check the invariants on a mutated real file."""
    path, data = file
    assert_keeps_invariants(path, mutations.mutate(data, mutation))


@pytest.mark.parametrize("name", mutations.MUTATIONS)
def test_mutated_real_files(
    name: str, real_files: st.SearchStrategy[tuple[str, bytes]], fuzz_examples: int | None
) -> None:
    mutation = mutations.MUTATIONS[name]
    fuzz(
        real_files,
        lambda file: check_mutated(file, mutation),
        8,
        fuzz_examples,
    )


def test_combined_mutations_of_real_files(
    real_files: st.SearchStrategy[tuple[str, bytes]], fuzz_examples: int | None
) -> None:
    fuzz(
        st.tuples(real_files, MUTATION_CHOICES),
        lambda drawn: check_mutated(*drawn),
        24,
        fuzz_examples,
    )


# --- the corpus invariant run, on a sample ------------------------------------------------


def test_corpus_sample_keeps_every_invariant(nova_sample: list[CorpusFile], nova_tree: Path):
    small = [f for f in nova_sample if len(f.data) <= DEFAULT_MAX_BYTES]
    report = corpus_all.CorpusReport("nova sample")
    for engine in ENGINES.values():
        for corpus_file in small:
            path = str(nova_tree.parent / corpus_file.name)
            report.add(corpus_all.check_file(engine, path, corpus_file.data))
    assert report.files == 2 * len(small) >= 60
    assert report.edits["docstring-stubs"] > 100  # Nova lacks most docstrings
    assert not report.errors
    assert report.violations == []


# --- the property itself fails on broken codemods -----------------------------------------


class AppendsALine(Codemod):
    """Appends a comment on every run: never a fixed point."""

    id = "appends-a-line"
    summary = "Append a line."

    def find(self, source: SourceFile) -> list[Finding]:
        return [Finding(1, "append")]

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        return [Edit(len(source.text), len(source.text), "# again\n")]


class DropsACall(Codemod):
    """Deletes the first statement: the program loses an effect."""

    id = "drops-a-call"
    summary = "Drop a statement."

    def find(self, source: SourceFile) -> list[Finding]:
        return [Finding.at(source.tree.body[0], "drop")] if source.tree.body else []

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        return [source.replace(source.tree.body[0], "pass")]


class Explodes(Codemod):
    """Raises from its fix: an internal error."""

    id = "explodes"
    summary = "Raise."

    def find(self, source: SourceFile) -> list[Finding]:
        return [Finding(1, "boom")]

    def fix(self, source: SourceFile, findings: Sequence[Finding]) -> list[Edit]:
        raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("codemod", "kind"),
    [
        (AppendsALine(), "not a fixed point"),
        (DropsACall(), "promise broken"),
        (Explodes(), "codemod failed"),
    ],
)
def test_check_file_reports_a_broken_codemod(codemod: Codemod, kind: str) -> None:
    check = corpus_all.check_file(Engine([codemod]), "m.py", b"print(1)\nx = 2\n")
    assert [violation.kind for violation in check.violations] == [kind]


def test_untouched_lines_must_keep_their_bytes() -> None:
    old = "# ≒\nx = 1\n"
    new = "# ≒\nx = 2\n"
    assert (
        corpus_all.untouched_bytes_differ(b"# \x81\xe0\nx = 1\n", new.encode("cp932"), old, new)
        is None
    )
    assert "untouched line 1" in corpus_all.untouched_bytes_differ(
        b"# \x87\x90\nx = 1\n", new.encode("cp932"), old, new
    )


def test_the_byte_order_mark_belongs_to_the_file_not_its_first_line() -> None:
    old, new = "x = 1\n", '"""M."""\nx = 1\n'
    bom = b"\xef\xbb\xbf"
    assert (
        corpus_all.untouched_bytes_differ(bom + old.encode(), bom + new.encode(), old, new) is None
    )
    assert "byte order mark" in corpus_all.untouched_bytes_differ(
        bom + old.encode(), new.encode(), old, new
    )


# --- every failure found, reduced ---------------------------------------------------------

REPRODUCERS = [
    pytest.param(b"x = " + b" + ".join([b"a"] * 1000) + b"\n", id="plus-chain-of-1000-terms"),
    pytest.param(b'def f():\n\t"""Doc.\n\n\tMore.\n\t"""\n\treturn 1\n', id="tab-docstring"),
    pytest.param(b"def f(x):\n\tmatch x:\n\t\tcase 1:\n\t\t\treturn 2\n", id="tab-match"),
    pytest.param(b"def m():\n    a = lambda: err\n    err = 1\n", id="cascade-through-lambda"),
    pytest.param(b"import os\rdef f():\r    x = os.getcwd()\r    return 1\r", id="cr-only"),
    pytest.param(b"# -*- coding: cp932 -*-\n# \x87\x90\ndef f():\n    return 1\n", id="cp932-nec"),
    pytest.param(
        b"# -*- coding: unicode_escape -*-\ndef f():\n    return 1\n", id="unicode-escape-cookie"
    ),
    pytest.param(
        b"class T:\n    def test(self):\n        return\n"
        b"        self.api.post_server_action(1, {'resize': {}})\n",
        id="resize-call-in-unreachable-code",
    ),
    pytest.param(b"def f(a, a):\n    x = 1\n", id="duplicate-argument"),
    pytest.param(b"def f():\n    nonlocal y\n    x = 1\n", id="unbound-nonlocal"),
    pytest.param(
        b"from __future__ import nested_scopes; import string; "
        b"from __future__ import nested_scopes\ndef f():\n    x = 1\n",
        id="late-future-import-on-line-1",
    ),
    pytest.param(b"\n\t\\\n        #", id="comment-after-backslash-line"),
    pytest.param(b"\n\t\\\n\n\t#", id="comment-after-backslash-and-blank-line"),
    pytest.param(b"\n\t\\\n#\n\t#", id="comment-after-backslash-and-comment"),
    pytest.param(b"if True:\n\f    x = 1\n    y = 2\n", id="form-feed-indent"),
    pytest.param(
        b"class A:\n    def f(self):\n        __class__ = A\n        return super()\n",
        id="class-cell-for-super",
    ),
]
"""Inputs that broke an invariant once, reduced: issue 12's defects and those the fuzzing
found (code that parses but fails the compiler's symbol table), all fixed."""


@pytest.mark.parametrize("data", REPRODUCERS)
def test_reproducers_keep_every_invariant(data: bytes) -> None:
    assert_keeps_invariants(PROGRAM_PATH, data)
