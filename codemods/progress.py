"""A progress bar on stderr for long runs (tqdm), shown only to a person watching a terminal.

Nothing is drawn when stderr is not a terminal (a pipe, a file, CI logs), with ``-q``, or
for a run of fewer than :data:`MANY_FILES` files. Lines the run prints to stderr meanwhile
(errors, ``-v`` reasons) go above the bar instead of through it, and so does what it prints
to stdout (diffs, ``would fix`` lines) when stdout shows on the bar's terminal: the bar is
cleared before each write and drawn again after, so no frame of it is left among them and a
diff copied from the screen is a valid patch.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

import click

MANY_FILES = 20
"""Runs with fewer files finish before a bar would tell anything."""

ItemT = TypeVar("ItemT")


class Progress:
    """Counts files done on a bar (done/total, rate, ETA), or stays silent."""

    def __init__(self, total: int, *, quiet: bool) -> None:
        """Show a bar for ``total`` files unless quiet, too few files, or no terminal."""
        self._bar: Any = None
        if not quiet and total >= MANY_FILES and sys.stderr.isatty():
            from tqdm import tqdm  # imported only when a bar is drawn

            self._bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    def track(self, items: Iterable[ItemT]) -> Iterator[ItemT]:
        """Yield ``items``, counting each on the bar after the caller is done with it."""
        try:
            for item in items:
                yield item
                if self._bar is not None:
                    self._bar.update()
        finally:
            self.close()

    @contextlib.contextmanager
    def above(self, out: IO[bytes]) -> Iterator[None]:
        """Write to ``out`` within this block without leaving a frame of the bar in it.

        When the bar is drawn on the terminal ``out`` shows on (stdout and stderr are one
        terminal), its line is cleared first (and stderr flushed, so the cursor is back in
        column 0 before ``out`` writes), then ``out`` is flushed and the bar drawn again below
        what was written. Otherwise (no bar, stdout redirected, a report buffered for
        ``--output-file``) it does nothing.
        """
        if self._bar is None or not same_terminal(out, sys.stderr):
            yield
            return
        self._bar.clear()
        sys.stderr.flush()
        try:
            yield
        finally:
            out.flush()
            if self._bar is not None:
                self._bar.refresh()

    def echo(self, line: str) -> None:
        """Print a line to stderr, above the bar when one is drawn."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        """Remove the bar (idempotent)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def same_terminal(first: IO[Any], second: IO[Any]) -> bool:
    """Whether both streams are terminals and the same one (what one writes, the other sees)."""
    try:
        if not (first.isatty() and second.isatty()):
            return False
        return os.path.samestat(os.fstat(first.fileno()), os.fstat(second.fileno()))
    except (OSError, ValueError, AttributeError):  # closed, or no file descriptor
        return False
