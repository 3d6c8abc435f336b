"""``--statistics``: how many findings each codemod fixed, and why the others were left alone.

Skip reasons name the code they are about (``snapshot_extract overrides Image.snapshot_extract``);
counted one by one they would not add up to anything. Each reason is counted by its kind: every
identifier and number in it is masked with ``…``, quoted or not, so ``'post' holds 'rebuild'``
and ``'req' holds 'shelve'`` count as one kind, and so do ``class Foo reads its own __doc__``
and ``class bar reads its own __doc__``. Masked are:

* quoted text (``'…'``, ``"…"``, `````…`````), dotted names and calls (``self.api.post(...)``);
* every word with an underscore, a digit or a capital letter (``snake_case``, ``__doc__``,
  ``CamelCase``, ``Image``, ``F841``, ``12``, ``3.11``) -- the reasons' own words are
  lower-case English;
* every name of the code the finding is about -- the identifiers on its lines in the file
  and in its scope's qualified name (``area``, ``flavors``) -- except the few English words
  a reason is made of (``a``, ``the``, ``it``...), which a name may happen to spell.
"""

from __future__ import annotations

import collections
import io
import keyword
import re
import tokenize
from collections.abc import Collection, Iterator, Sequence

from codemods.engine import FileResult
from codemods.finding import Finding

_CODE_WORDS = re.compile(
    r"""'[^']*'|"[^"]*"|`[^`]*`"""  # quoted
    r"|\b\w+(?:\.\w+)+(?:\(\.\.\.\))?"  # dotted names, calls and numbers: self.api.post(...)
    r"|\b\w*[_\d]\w*\b"  # snake_case and dunder names, numbers, names with digits
    r"|\b\w*[A-Z]\w*\b"  # CamelCase, Capitalized and UPPER names
)
_WORD = re.compile(r"\b[^\W\d]\w*\b")
_REASON_WORDS = frozenset(
    "a an the it its this that these those of to on at by be no or and for from with".split()
)
"""English words reasons are made of: never masked as names (a local may be called ``a``)."""


def reason_kind(reason: str, names: Collection[str] = ()) -> str:
    """Return ``reason`` with its identifiers and numbers masked (see the module doc).

    ``names`` are the identifiers of the code the reason is about: masked wherever they
    appear, as plain words too.
    """
    masked = _CODE_WORDS.sub("…", reason)
    if not names:
        return masked
    return _WORD.sub(
        lambda word: "…" if word[0] in names and word[0] not in _REASON_WORDS else word[0],
        masked,
    )


def code_names(lines: Sequence[str], finding: Finding) -> frozenset[str]:
    """Return the identifiers of ``finding``'s lines (of the file as read) and of its scope.

    Keywords are left out; a region that does not tokenize gives the names before the error.
    """
    first = max(finding.line, 1)
    region = "".join(lines[first - 1 : max(finding.last_line, first)])
    names = set(finding.scope.split(".")) if finding.scope else set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(region).readline):
            if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                names.add(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass  # part of a statement, or a string left open: the names read so far
    return frozenset(names)


class Statistics:
    """Counts of fixed findings per codemod, and of skipped ones per codemod and reason kind."""

    def __init__(self) -> None:
        """Start with nothing counted."""
        self.fixed: collections.Counter[str] = collections.Counter()
        self.skipped: collections.Counter[tuple[str, str]] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()

    def add(self, result: FileResult) -> None:
        """Count the findings of one file (a failed file counts as one error)."""
        if result.error is not None:
            self.errors[result.error.codemod_id or "file"] += 1
            return
        lines = result.old_text.splitlines(keepends=True)
        for finding in result.findings:
            if finding.fixed:
                self.fixed[finding.codemod_id] += 1
            else:
                kind = reason_kind(finding.skip or "", code_names(lines, finding))
                self.skipped[(finding.codemod_id, kind)] += 1

    def lines(self) -> Iterator[str]:
        """Yield the table: ``count  codemod  fixed | skipped: reason | error``, largest first."""
        rows = [(count, codemod, "fixed") for codemod, count in self.fixed.items()]
        rows += [
            (count, codemod, f"skipped: {reason}")
            for (codemod, reason), count in self.skipped.items()
        ]
        rows += [(count, where, "failed") for where, count in self.errors.items()]
        if not rows:
            return
        count_width = max(len(str(count)) for count, _, _ in rows)
        id_width = max(len(codemod) for _, codemod, _ in rows)
        for count, codemod, what in sorted(rows, key=lambda row: (-row[0], row[1], row[2])):
            yield f"{count:>{count_width}}  {codemod:<{id_width}}  {what}"
