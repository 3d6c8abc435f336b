"""Configuration: [tool.codemods] tables to typed options, with one-line errors naming the key."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Literal

import pytest

from codemods.config import (
    Config,
    ConfigError,
    coerce,
    find_config,
    load_config,
    options_from_table,
)
from codemods.fixes.base import Options


@dataclasses.dataclass(frozen=True)
class Rule:
    callee: str
    keys: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SampleOptions(Options):
    width: int = 4
    pattern: str = "^_"
    style: Literal["raise", "oslo"] = "raise"
    names: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    limit: int | None = None


WHERE = "pyproject.toml: [tool.codemods.sample]"


def test_kebab_case_keys_and_types() -> None:
    options = options_from_table(
        SampleOptions,
        {
            "width": 2,
            "names": ["a", "b"],
            "style": "oslo",
            "rules": [{"callee": "x.*", "keys": ["resize"]}],
            "limit": 3,
        },
        WHERE,
    )
    assert options == SampleOptions(
        width=2, names=("a", "b"), style="oslo", rules=(Rule("x.*", ("resize",)),), limit=3
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"widht": 2},
            "pyproject.toml: [tool.codemods.sample] unknown key 'widht' (expected one of: width, pattern, style, names, rules, limit)",
        ),
        (
            {"width": "2"},
            "pyproject.toml: [tool.codemods.sample] width: expected an integer, got a string '2'",
        ),
        (
            {"width": True},
            "pyproject.toml: [tool.codemods.sample] width: expected an integer, got a boolean True",
        ),
        (
            {"style": "bare"},
            "pyproject.toml: [tool.codemods.sample] style: expected one of 'raise', 'oslo', got 'bare'",
        ),
        (
            {"names": "a"},
            "pyproject.toml: [tool.codemods.sample] names: expected a list of strings, got a string 'a'",
        ),
        (
            {"names": ["a", 1]},
            "pyproject.toml: [tool.codemods.sample] names[1]: expected a string, got an integer 1",
        ),
        (
            {"rules": [{"calee": "x"}]},
            "pyproject.toml: [tool.codemods.sample] rules[0] unknown key 'calee' (expected one of: callee, keys)",
        ),
    ],
)
def test_errors_name_file_key_and_expectation(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_table(SampleOptions, table, WHERE)
    assert str(error.value) == message
    assert "\n" not in str(error.value)


def test_an_optional_option_takes_its_type_and_nothing_else() -> None:
    # TOML has no null: "optional" means the value may be left out, never written as None
    assert coerce(5, int | None, "k") == 5
    with pytest.raises(ConfigError, match="k: expected an integer, got a string 'x'"):
        coerce("x", int | None, "k")
    with pytest.raises(ConfigError, match="k: expected nothing"):
        coerce(5, type(None), "k")


def test_per_file_ignores_turn_codemods_off_for_matching_files(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[tool.codemods]\nper-file-ignores = { "tests/*" = ["docstring-stubs"] }\n',
    )
    config = load_config(path)
    assert config.ignored_for(tmp_path / "tests" / "test_a.py") == {"docstring-stubs"}
    assert config.ignored_for(tmp_path / "pkg" / "a.py") == frozenset()
    bad = write(
        tmp_path / "bad" / "pyproject.toml",
        '[tool.codemods]\nper-file-ignores = { "t/*" = ["nope"] }\n',
    )
    with pytest.raises(ConfigError, match="per-file-ignores.t/\\*: unknown codemod 'nope'"):
        load_config(bad)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_find_config_reads_the_project_roots_pyproject_only(tmp_path: Path) -> None:
    """The nearest pyproject.toml is the root, table or not: no search further up."""
    write(tmp_path / "pyproject.toml", "[tool.codemods]\nignore = []\n")
    write(tmp_path / "pkg/pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "pkg/src/m.py", "")
    assert find_config([tmp_path / "pkg/src/m.py"]) is None
    inner = write(tmp_path / "pkg/pyproject.toml", "[tool.codemods]\n")
    assert find_config([tmp_path / "pkg/src"]) == inner


def test_load_config_top_level_lists(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.codemods]\nexclude = ["gen/"]\n')
    config = load_config(path)
    assert config == Config(path=path, exclude=("gen/",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.codemods]\nselct = []\n", "unknown key 'selct'"),
        (
            "[tool.codemods]\nselect = 'x'\n",
            "[tool.codemods] select: expected a list of strings, got a string 'x'",
        ),
        ("[tool.codemods]\nselect = ['no-such-codemod']\n", "unknown codemod 'no-such-codemod'"),
        ("[tool.codemods\n", "not valid TOML"),
        (
            "[tool.codemods]\nunsafe-fixes = 'yes'\n",
            "[tool.codemods] unsafe-fixes: expected true or false, got a string 'yes'",
        ),
        (
            "[tool.codemods]\nextend-safe-fixes = 'resize-guard'\n",
            "[tool.codemods] extend-safe-fixes: expected a list of strings",
        ),
    ],
)
def test_load_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError, match=re.escape(str(path)) + ".*" + re.escape(message)):
        load_config(path)


def test_select_and_ignore_keep_run_order() -> None:
    from codemods.fixes.registry import all_codemods

    ids = list(all_codemods())
    config = Config(select=tuple(reversed(ids)), ignore=tuple(ids[:1]))
    assert config.selected_ids() == tuple(ids[1:])
