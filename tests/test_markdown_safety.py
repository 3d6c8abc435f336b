"""``triage --format markdown`` is a comment a bot posts: report text in it must stay inert.

Messages, rule ids, reasons and paths come from other tools, reviewers or an LLM. Rendered by
GitHub's own Markdown (cmark-gfm, raw HTML allowed), the comment must hold no image, link or
``<details>`` element, and no ``@mention`` or ``#123`` reference outside code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from codemods.reports import Claim
from codemods.triage import Triaged, Verdict
from codemods.triage_formats import render_markdown

PAYLOADS = [
    "![x](http://evil/p.png)",
    "<img src=x>",
    "@everyone look",
    "ping @org/team now",
    "see #123 and org/repo#4",
    "<details><summary>more</summary>",
    "text with `back`ticks` and ``two``",
    "[link](javascript:alert(1))",
    "[ref]: http://evil/r.png",
    "www.evil.example and http://evil.example/x",
    "mail me@evil.example",
    "` <img src=x> `",
    "``` ![x](http://evil/p.png) ```",
    "a | b ![x](http://evil/p.png) |",
    "end\\| ![x](http://evil/q.png)",
    "</code><img src=x>",
    "*bold* _em_ ~~gone~~",
]
PATHS = [
    "dir/`evil`.py",
    "a\nb/![x](http://evil/p.png).py",
    "`` <img src=x> ``.py",
    "@everyone/#12.py",
    "x`|`<details>.py",
]


class _Inspector(HTMLParser):
    """Collect the elements and the text outside ``code`` of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.code_depth = 0
        self.outside_code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in {"code", "pre"}:
            self.code_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"code", "pre"}:
            self.code_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.code_depth:
            self.outside_code.append(data)


def _render(markdown: str) -> _Inspector:
    """Render as GitHub does (raw HTML kept, ``CMARK_OPT_UNSAFE``) and parse the HTML."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def _triaged(path: str, rule: str, message: str, reason: str) -> Triaged:
    claim = Claim(path=path, line=3, end_line=3, rule=rule, message=message)
    return Triaged(claim, Verdict.REFUTED, reason)


def _assert_inert(markdown: str) -> None:
    inspector = _render(markdown)
    live = set(inspector.tags) & {"img", "a", "details", "summary", "script", "iframe"}
    assert not live, markdown
    text = "".join(inspector.outside_code)
    assert not re.search(r"@[\w-]", text), (text, markdown)
    assert not re.search(r"#\d", text), (text, markdown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_untrusted_report_text_is_inert(payload: str) -> None:
    verdicts = [
        _triaged("m.py", payload, "", "fine"),
        _triaged("m.py", "F841", payload, "fine"),
        _triaged("m.py", "F841", "x unused", f"`x` is read: {payload}"),
        _triaged("m.py", "F841", "x unused", payload),
    ]
    markdown = render_markdown(verdicts)
    _assert_inert(markdown)
    assert _render(markdown).tags.count("td") == 4 * len(verdicts)


@pytest.mark.parametrize("path", PATHS)
def test_untrusted_paths_are_inert(path: str) -> None:
    markdown = render_markdown([_triaged(path, "F841", "x unused", "fine")])
    _assert_inert(markdown)
    assert _render(markdown).tags.count("td") == 4


def test_every_payload_in_one_comment_is_inert() -> None:
    verdicts = [_triaged(p, p, p, p) for p in PATHS + PAYLOADS]
    markdown = render_markdown(verdicts)
    _assert_inert(markdown)
    assert _render(markdown).tags.count("td") == 4 * len(verdicts)


def test_code_text_keeps_its_meaning() -> None:
    """Text shown as code renders as the text it was (backticks and pipes included)."""
    markdown = render_markdown([_triaged("a`b|c.py", "F841", "x `y` z", "`q` is read")])
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    assert "<code>a`b|c.py:3</code>" in html
    assert "F841: x <code>y</code> z" in html
    assert "<code>q</code> is read" in html
