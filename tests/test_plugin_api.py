"""The plugin API as a third party uses it: the example plugin tested with codemods.testing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from codemods.testing import assert_fixes, assert_unchanged, example_tests

sys.path.insert(0, str(Path(__file__).parent / "plugin"))
from codemods_example_plugin import PrintToLog, PrintToLogOptions  # noqa: E402

test_print_to_log_examples = example_tests(PrintToLog)


def test_assert_fixes_with_options_and_dedented_text() -> None:
    assert_fixes(
        PrintToLog(PrintToLogOptions(function="logger.info")),
        """
        if x:
            print(1)
        """,
        """
        if x:
            logger.info(1)
        """,
    )


def test_the_helpers_fail_on_a_wrong_expectation() -> None:
    with pytest.raises(AssertionError, match="output differs"):
        assert_fixes(PrintToLog(), "print(1)\n", "print(1)\n")
    with pytest.raises(AssertionError, match="output differs"):
        assert_unchanged(PrintToLog(), "print(1)\n")


def test_a_codemod_without_examples_is_refused() -> None:
    class NoExamples(PrintToLog):
        VALID = ()
        INVALID = ()

    with pytest.raises(ValueError, match="no VALID or INVALID"):
        example_tests(NoExamples)
