"""Golden samples: ``samples/<codemod-id>/<case>.py`` -> ``<case>.expected.py``.

A case without an expected file must stay byte for byte unchanged. A ``<case>.toml`` beside a
case holds that codemod's options (the body of its ``[tool.codemods.<id>]`` table). Every
expected output must be a fixed point: running the codemod on it changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from codemods.config import options_from_table
from codemods.engine import Engine
from codemods.fixes.registry import all_codemods

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _cases() -> list[Path]:
    return sorted(
        path for path in SAMPLES.glob("*/*.py") if not path.name.endswith(".expected.py")
    )


def _engine_for(case: Path) -> Engine:
    codemod_type = all_codemods()[case.parent.name]
    options_file = case.with_suffix(".toml")
    if options_file.exists():
        table = tomllib.loads(options_file.read_text(encoding="utf-8"))
        options = options_from_table(codemod_type.options_type, table, str(options_file))
        return Engine([codemod_type(options)])
    return Engine([codemod_type()])


def test_every_sample_folder_names_a_codemod() -> None:
    folders = {path.name for path in SAMPLES.iterdir() if path.is_dir()}
    assert folders <= set(all_codemods()), folders - set(all_codemods())


@pytest.mark.parametrize("case", _cases(), ids=lambda case: f"{case.parent.name}/{case.stem}")
def test_sample(case: Path) -> None:
    engine = _engine_for(case)
    before = case.read_bytes()
    expected_file = case.with_name(case.stem + ".expected.py")
    expected = expected_file.read_bytes() if expected_file.exists() else before

    result = engine.fix_bytes(str(case), before)
    assert result.error is None, result.error.format(str(case))
    assert result.new_bytes().decode(result.encoding) == expected.decode(result.encoding)
    assert result.new_bytes() == expected

    again = engine.fix_bytes(str(expected_file), expected)
    assert again.error is None, again.error.format(str(expected_file))
    assert again.new_bytes() == expected, "the codemod is not idempotent on its own output"
    assert not again.changes
