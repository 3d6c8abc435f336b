"""Test a codemod from before/after text, from its ``VALID``/``INVALID`` examples, or a folder.

For one case, in any test framework::

    from codemods.testing import assert_fixes, assert_unchanged

    assert_fixes(PrintToLog(), "print(1)\\n", "log(1)\\n")
    assert_unchanged(PrintToLog(), "log(1)\\n")

For pytest, two factories return a parametrised test that pytest collects when bound to a
``test_*`` name in a test module::

    test_print_to_log = example_tests(PrintToLog)        # VALID and INVALID on the class
    test_samples = sample_tests(Path("samples/print-to-log"), PrintToLog)

A samples folder holds ``<case>.py`` and, if the codemod changes it, ``<case>.expected.py``
(compared whole); ``<case>.toml`` holds options (the body of ``[tool.codemods.<id>]``);
``<case>.findings`` lists every finding, fixed or skipped with its reason, as
:func:`describe_findings` writes it, so a must-not-change case states why it is left alone.
With ``CODEMODS_UPDATE_FINDINGS=1`` in the environment, missing or stale ``.findings`` files
are written instead of compared (review the diff before committing it).

Every check also re-runs the codemod on its own output: a fixed point must change nothing.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codemods.engine import Engine, FileResult
from codemods.fixes.base import Codemod

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

UPDATE_FINDINGS = "CODEMODS_UPDATE_FINDINGS"


def assert_fixes(
    codemod: Codemod, before: str, after: str, path: str = "example.py"
) -> FileResult:
    """Assert that ``codemod`` turns ``before`` into exactly ``after`` (both dedented).

    Also asserts that the file had no error and that ``after`` is a fixed point.
    """
    before, after = textwrap.dedent(before), textwrap.dedent(after)
    result = Engine([codemod]).fix_text(path, before)
    assert result.error is None, result.error.format(path)
    assert result.new_text == after, _mismatch(after, result.new_text)
    assert_unchanged(codemod, after, path)
    return result


def assert_unchanged(codemod: Codemod, code: str, path: str = "example.py") -> FileResult:
    """Assert that ``codemod`` leaves ``code`` (dedented) exactly as it is, without an error."""
    code = textwrap.dedent(code)
    result = Engine([codemod]).fix_text(path, code)
    assert result.error is None, result.error.format(path)
    assert result.new_text == code, _mismatch(code, result.new_text)
    assert not result.changes, f"fixed findings but no change: {result.changes}"
    return result


def describe_findings(result: FileResult) -> str:
    """Return one line per finding: ``line: [rule] message: action``, or ``message -- skip: why``."""
    lines = []
    for finding in result.findings:
        line = f"{finding.line}: [{finding.rule}] {finding.description}"
        lines.append(line if finding.fixed else f"{line} -- skip: {finding.skip}")
    return "".join(line + "\n" for line in lines)


def example_tests(codemod_type: type[Codemod]) -> Callable[..., None]:
    """Return a pytest test run once per ``VALID`` and ``INVALID`` example of the codemod."""
    import pytest

    cases = [
        pytest.param(code, None, id=f"valid-{i}") for i, code in enumerate(codemod_type.VALID)
    ]
    cases += [
        pytest.param(before, after, id=f"invalid-{i}")
        for i, (before, after) in enumerate(codemod_type.INVALID)
    ]
    if not cases:
        raise ValueError(f"{codemod_type.__name__} has no VALID or INVALID examples")

    @pytest.mark.parametrize(("before", "after"), cases)
    def test_example(before: str, after: str | None) -> None:
        if after is None:
            assert_unchanged(codemod_type(), before)
        else:
            assert_fixes(codemod_type(), before, after)

    return test_example


def sample_tests(
    folder: Path, codemod_type: type[Codemod], options_reader: Callable[..., Any] | None = None
) -> Callable[..., None]:
    """Return a pytest test run once per ``<case>.py`` in ``folder`` (see the module doc).

    ``options_reader(options_type, table, where)`` builds options from a ``<case>.toml``
    table (default: the options dataclass called with the table's keys in snake_case).
    """
    import pytest

    cases = sorted(p for p in folder.glob("*.py") if not p.name.endswith(".expected.py"))
    if not cases:
        raise ValueError(f"no samples in {folder}")

    @pytest.mark.parametrize("case", cases, ids=lambda case: case.stem)
    def test_sample(case: Path) -> None:
        codemod = codemod_type(_options(case, codemod_type, options_reader))
        check_sample(case, codemod)

    return test_sample


def check_sample(case: Path, codemod: Codemod) -> None:
    """Check one sample case: its expected bytes, its findings, and the fixed point."""
    engine = Engine([codemod])
    before = case.read_bytes()
    expected_file = case.with_name(case.stem + ".expected.py")
    expected = expected_file.read_bytes() if expected_file.exists() else before
    result = engine.fix_bytes(str(case), before)
    assert result.error is None, result.error.format(str(case))
    assert result.new_bytes() == expected, _mismatch(
        expected.decode(result.encoding), result.new_text
    )
    _check_findings(case.with_suffix(".findings"), describe_findings(result))
    if not expected_file.exists():
        assert result.skips or _states_why(result.old_text), (
            f"{case.name} must not change: it needs a skip reason or a module docstring saying why"
        )
    again = engine.fix_bytes(str(expected_file), expected)
    assert again.error is None, again.error.format(str(expected_file))
    assert again.new_bytes() == expected, "the codemod is not idempotent on its own output"
    assert not again.changes


def _check_findings(path: Path, described: str) -> None:
    if os.environ.get(UPDATE_FINDINGS):
        if not path.exists() or path.read_text(encoding="utf-8") != described:
            path.write_text(described, encoding="utf-8")
        return
    assert path.exists(), f"missing {path.name}: run with {UPDATE_FINDINGS}=1 and review it"
    assert path.read_text(encoding="utf-8") == described, _mismatch(
        path.read_text(encoding="utf-8"), described
    )


def _states_why(text: str) -> bool:
    """Tell whether a sample opens with a docstring (where a must-not-change case says why)."""
    return text.lstrip().startswith(('"""', "# "))


def _options(case: Path, codemod_type: type[Codemod], reader: Callable[..., Any] | None) -> Any:
    options_file = case.with_suffix(".toml")
    if not options_file.exists():
        return None
    table = tomllib.loads(options_file.read_text(encoding="utf-8"))
    if reader is not None:
        return reader(codemod_type.options_type, table, str(options_file))
    return codemod_type.options_type(**{key.replace("-", "_"): v for key, v in table.items()})


def _mismatch(expected: str, actual: str) -> str:
    import difflib

    diff = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), "expected", "actual"
    )
    return "output differs:\n" + "".join(diff)
