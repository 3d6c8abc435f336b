"""A docstring's value as indentation leaves it unchanged: :func:`docstring_value`.

Re-indenting moves a docstring's lines; what must stay is the text ``inspect.cleandoc``
gives, with whitespace-only lines read as empty.
"""

from __future__ import annotations

import inspect


def docstring_value(value: str) -> str:
    """Return ``inspect.cleandoc(value)`` with whitespace-only lines emptied.

    Python 3.11's ``cleandoc`` keeps whitespace-only lines as they are when no line after
    the first has text (``"Summary.\\n    "``), so the closing quotes' column would count;
    moving them is the point, and such lines read the same whatever their length.
    """
    return "\n".join(line if line.strip() else "" for line in inspect.cleandoc(value).split("\n"))
