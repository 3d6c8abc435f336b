"""The docs cannot drift: generated codemod pages match the code; the README stays a front page."""

from __future__ import annotations

import re
from pathlib import Path

import gen_docs  # scripts/ is on sys.path (see conftest.py)
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
README_MAX_LINES = 250
GENERATED = gen_docs.render_all()
REGENERATE = (
    "docs/codemods/ is out of date: run `python scripts/gen_docs.py` and commit the result"
)


@pytest.mark.parametrize("path", sorted(GENERATED))
def test_generated_page_matches_the_code(path: str) -> None:
    committed = ROOT / path
    assert committed.is_file(), f"{path} is missing; {REGENERATE}"
    assert committed.read_bytes() == GENERATED[path].encode(), f"{path} differs; {REGENERATE}"


def test_no_stale_generated_pages() -> None:
    assert gen_docs.stale_pages(GENERATED, ROOT) == [], REGENERATE


def test_every_builtin_codemod_has_a_page() -> None:
    pages = {Path(path).stem for path in GENERATED}
    assert pages == {*gen_docs.BUILTIN_IDS, "index"}


def test_generation_is_deterministic() -> None:
    assert gen_docs.render_all() == GENERATED


def test_check_mode_reports_a_stale_page(tmp_path: Path) -> None:
    for path, text in GENERATED.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8", newline="")
    assert gen_docs.stale_pages(GENERATED, tmp_path) == []
    edited = f"{gen_docs.OUTPUT_DIR}/indentation.md"
    (tmp_path / edited).write_text("hand-edited\n", encoding="utf-8")
    (tmp_path / gen_docs.OUTPUT_DIR / "removed-codemod.md").write_text("old\n", encoding="utf-8")
    assert gen_docs.stale_pages(GENERATED, tmp_path) == [
        edited,
        f"{gen_docs.OUTPUT_DIR}/removed-codemod.md",
    ]


def test_both_heading_styles_become_markdown_headings() -> None:
    rest = "Summary.\n\nWhat it does\n------------\nText ``x``.\n\nExample\n-------\nBefore::\n\n    a  =  1\n"
    markdown = "Summary.\n\n## What it does\nText.\n\n## Example\n```python\na = 1\n```\n"
    assert gen_docs.docstring_to_markdown(rest) == (
        "Summary.\n\n## What it does\n\nText `x`.\n\n## Example\n\nBefore:\n\n```python\na  =  1\n```\n"
    )
    assert gen_docs.docstring_to_markdown(markdown) == (
        "Summary.\n\n## What it does\n\nText.\n\n## Example\n\n```python\na = 1\n```\n"
    )


def test_option_attribute_docstrings_are_read() -> None:
    from codemods.fixes.indentation import IndentationOptions

    docs = gen_docs.attribute_docstrings(IndentationOptions)
    assert docs["indent_width"]
    assert "`indent-width` (integer; default `4`)" in GENERATED["docs/codemods/indentation.md"]


def test_readme_is_a_short_front_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_keeps_the_ci_test_command() -> None:
    assert "pip install '.[test]' && python -m pytest" in README.read_text(encoding="utf-8")


def _relative_links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", t)]


def test_readme_relative_links_exist() -> None:
    links = _relative_links(README)
    assert links, "expected the README to link to docs/"
    missing = [link for link in links if not (ROOT / link.split("#")[0]).exists()]
    assert missing == [], f"README.md links to files that do not exist: {missing}"


@pytest.mark.parametrize(
    "page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: str(p.relative_to(ROOT / "docs"))
)
def test_docs_relative_links_exist(page: Path) -> None:
    missing = [
        link for link in _relative_links(page) if not (page.parent / link.split("#")[0]).exists()
    ]
    assert missing == [], f"{page.relative_to(ROOT)} links to files that do not exist: {missing}"
