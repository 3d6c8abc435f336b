"""``project_line_length``: the max line length a project configures, found walking up."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.project_style import project_line_length


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "length", "where"),
    [
        ("pyproject.toml", "[tool.ruff]\nline-length = 99\n", 99, "[tool.ruff] line-length"),
        ("pyproject.toml", "[tool.black]\nline-length = 100\n", 100, "[tool.black] line-length"),
        (
            "pyproject.toml",
            "[tool.ruff]\nline-length = 88\n[tool.ruff.lint.pycodestyle]\nmax-line-length = 120\n",
            120,
            "[tool.ruff.lint.pycodestyle] max-line-length",
        ),
        (
            "pyproject.toml",
            "[tool.black]\nline-length = 100\n[tool.ruff]\nline-length = 90\n",
            90,
            "[tool.ruff] line-length",
        ),
        ("ruff.toml", "line-length = 110\n", 110, "line-length"),
        (".ruff.toml", "[lint.pycodestyle]\nmax-line-length = 95\n", 95, "[lint.pycodestyle]"),
        ("setup.cfg", "[flake8]\nmax-line-length = 100\n", 100, "[flake8] max-line-length"),
        ("setup.cfg", "[flake8]\nmax_line_length = 101\n", 101, "[flake8] max_line_length"),
        ("setup.cfg", "[pycodestyle]\nmax-line-length = 102\n", 102, "[pycodestyle]"),
        ("setup.cfg", "[pep8]\nmax-line-length = 103\n", 103, "[pep8] max-line-length"),
        ("tox.ini", "[flake8]\nmax-line-length = 104\n", 104, "[flake8] max-line-length"),
        (".flake8", "[flake8]\nmax-line-length = 105\n", 105, "[flake8] max-line-length"),
    ],
)
def test_each_file_and_key(tmp_path: Path, name: str, text: str, length: int, where: str) -> None:
    config = write(tmp_path / name, text)
    found = project_line_length(tmp_path)
    assert found is not None
    assert found[0] == length
    assert found[1].startswith(f"{config}: ") and where in found[1]


def test_walks_up_to_the_first_directory_that_configures_it(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "[flake8]\nmax-line-length = 100\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'pkg'\n")  # says nothing
    start = tmp_path / "pkg" / "sub"
    start.mkdir()
    assert project_line_length(start) == (
        100,
        f"{tmp_path / 'setup.cfg'}: [flake8] max-line-length",
    )
    write(tmp_path / "pkg" / "tox.ini", "[flake8]\nmax-line-length = 90\n")
    assert project_line_length(start) == (
        90,
        f"{tmp_path / 'pkg' / 'tox.ini'}: [flake8] max-line-length",
    )


def test_ruff_and_black_come_before_flake8_in_one_directory(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "[flake8]\nmax-line-length = 79\n")
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    assert project_line_length(tmp_path)[0] == 100  # type: ignore[index]
    write(tmp_path / "ruff.toml", "line-length = 120\n")
    assert project_line_length(tmp_path)[0] == 120  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", "[tool.ruff\nline-length = 99\n"),  # not TOML
        ("pyproject.toml", "[tool.ruff]\nline-length = 'long'\n"),  # not an integer
        ("pyproject.toml", "[tool.ruff]\nline-length = true\n"),
        ("pyproject.toml", "tool = 3\n"),  # [tool] not a table
        ("ruff.toml", "line-length = 0\n"),
        ("setup.cfg", "[flake8\nmax-line-length = 100\n"),  # not INI
        ("setup.cfg", "[flake8]\nmax-line-length = wide\n"),
        ("tox.ini", "[flake8]\nmax-line-length = 100\nmax-line-length = 101\n"),  # duplicate
    ],
)
def test_a_broken_file_is_ignored(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / "outer" / ".flake8", "[flake8]\nmax-line-length = 88\n")
    write(tmp_path / "outer" / "inner" / name, text)
    found = project_line_length(tmp_path / "outer" / "inner")
    assert found == (88, f"{tmp_path / 'outer' / '.flake8'}: [flake8] max-line-length")


def test_undecodable_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_bytes(b"[flake8]\nmax-line-length = 100\n# \xff\n")
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.ruff]\nline-length = 99 # \xff\n")
    assert project_line_length(tmp_path) is None or project_line_length(tmp_path)[1].startswith(
        str(tmp_path.parent)
    )


def test_nothing_configured(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.ruff]\nselect = ['E']\n")
    write(tmp_path / "setup.cfg", "[metadata]\nname = x\n")
    found = project_line_length(tmp_path)
    assert found is None or not found[1].startswith(str(tmp_path))


def test_a_directory_named_like_a_config_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    write(tmp_path / "tox.ini", "[flake8]\nmax-line-length = 100\n")
    assert project_line_length(tmp_path) == (
        100,
        f"{tmp_path / 'tox.ini'}: [flake8] max-line-length",
    )
