"""Stopping a run on SIGINT or SIGTERM: an exception that unwinds it cleanly.

While :func:`stopped_by_signals` is active, either signal (and Ctrl-Break on Windows: the
signals of :func:`codemods.portability.stop_signals`) raises :class:`Interrupted` in the
main thread. Unwinding removes the temporary file of a write in progress
(:mod:`codemods.writes`) and terminates the worker processes (:mod:`codemods.runner`); the
caller says how far the run got and exits with ``128 + signal``, as a shell would.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from codemods.portability import stop_signals

STOP_SIGNALS = stop_signals()


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped the run.

    A KeyboardInterrupt, so that no ``except Exception`` in a codemod swallows it.
    """

    def __init__(self, signum: int) -> None:
        """Record which signal stopped the run."""
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM (where the OS has it) into :class:`Interrupted` in the body."""

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
