"""Golden samples: ``samples/<codemod-id>/<case>.py`` -> ``<case>.expected.py`` and ``.findings``.

Each folder runs through :func:`codemods.testing.sample_tests`, the same convention a
third-party codemod uses: a case without an expected file must stay byte for byte unchanged
and say why (a skip reason in its ``.findings``, or its docstring); ``<case>.toml`` holds the
codemod's options; every expected output must be a fixed point.
"""

from __future__ import annotations

from pathlib import Path

from codemods.config import options_from_table
from codemods.fixes.registry import all_codemods
from codemods.testing import sample_tests

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CODEMODS = all_codemods()


def test_every_sample_folder_names_a_codemod() -> None:
    folders = {path.name for path in SAMPLES.iterdir() if path.is_dir()}
    assert folders <= set(CODEMODS), folders - set(CODEMODS)


test_indentation = sample_tests(
    SAMPLES / "indentation", CODEMODS["indentation"], options_from_table
)
test_unused_variables = sample_tests(
    SAMPLES / "unused-variables", CODEMODS["unused-variables"], options_from_table
)
test_resize_guard = sample_tests(
    SAMPLES / "resize-guard", CODEMODS["resize-guard"], options_from_table
)
test_docstring_stubs = sample_tests(
    SAMPLES / "docstring-stubs", CODEMODS["docstring-stubs"], options_from_table
)
