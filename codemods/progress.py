"""A progress bar on stderr for long runs (tqdm), shown only to a person watching a terminal.

Nothing is drawn when stderr is not a terminal (a pipe, a file, CI logs), with ``-q``, or
for a run of fewer than :data:`MANY_FILES` files. Lines the run prints to stderr meanwhile
(errors, ``-v`` reasons) go above the bar instead of through it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

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
