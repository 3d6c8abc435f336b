"""``# pylint: disable=...`` leaves the finding alone, as ``# noqa`` does.

fire's own tests keep unused locals on purpose (``fire.Fire()`` reads the caller's locals)
and say so with ``# pylint: disable=unused-variable``; removing them broke its suite.
"""

from __future__ import annotations

import pytest

from codemods.config import Config

BODY = '"""M."""\n\n\ndef f():\n    """F."""\n{lines}    return 1\n'


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        ("    last = lambda: 1  # pylint: disable=unused-variable\n", True),
        ("    last = 2  # pylint: disable=W0612\n", True),
        ("    last = 2  # pylint:disable=invalid-name,unused-variable\n", True),
        ("    # pylint: disable-next=unused-variable\n    last = 2\n", True),
        ("    last = 2  # pylint: disable=invalid-name\n", False),
        ("    # pylint: disable-next=unused-variable\n\n    last = 2\n", False),
        ("    last = 2\n", False),
    ],
)
def test_a_pylint_disable_keeps_the_unused_local(lines: str, kept: bool) -> None:
    text = BODY.format(lines=lines)
    result = Config(select=("unused-variables",)).build_engine().fix_text("m.py", text)
    assert ("last = " in result.new_text) is kept, result.new_text
    if kept:
        (skip,) = [f for f in result.findings if f.skip]
        assert skip.skip == "a '# pylint: disable' comment covers it"


def test_missing_function_docstring_covers_methods() -> None:
    text = '"""M."""\n\n\nclass A:\n    """A."""\n\n    def run(self):  # pylint: disable=C0116\n        return 1\n'
    result = Config(select=("docstring-stubs",)).build_engine().fix_text("m.py", text)
    assert result.new_text == text
