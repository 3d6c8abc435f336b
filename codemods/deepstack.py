"""Deep but valid code: retry a call with room for deep recursion, or fail with a clear error.

``ast``, ``symtable``, LibCST and our own tree walks recurse once per nesting level, so a
valid file with a 1,000-term ``+`` chain or deeply nested brackets can exceed Python's default
recursion limit of 1,000. :func:`call_with_room` first calls the function as it is (no cost
for ordinary files); on :class:`RecursionError` it calls it again in a thread with a large
stack and a higher recursion limit. If that fails too, :class:`TooDeep` says so, and the
caller refuses the one file -- never the whole batch.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

STACK_BYTES = 512 * 1024 * 1024
"""The retry thread's stack: reserved address space, only touched pages cost memory."""
RECURSION_LIMIT = 30_000
"""The recursion limit while the retry runs (the stack above has room for it)."""

Result = TypeVar("Result")


class TooDeep(Exception):
    """The code nests too deeply to be processed even with a large stack."""


def call_with_room(function: Callable[[], Result]) -> Result:
    """Return ``function()``; on RecursionError retry it with a large stack, else TooDeep."""
    try:
        return function()
    except RecursionError:
        pass
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # handed to the calling thread below
            failure.append(error)

    previous_limit = sys.getrecursionlimit()
    previous_stack = threading.stack_size(STACK_BYTES)
    try:
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        thread = threading.Thread(target=target, name="codemods-deep-stack", daemon=True)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    if failure:
        if isinstance(failure[0], RecursionError):
            raise TooDeep("the code nests too deeply to be processed") from None
        raise failure[0]
    return outcome[0]
