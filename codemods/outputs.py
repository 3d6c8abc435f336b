"""Where the command line's output goes: stdout, or an ``--output-file`` written whole.

An ``--output-file`` is refused when it names one of the files being fixed or any existing
Python file (a report must never replace source), and it is written atomically when the run
ends, so an interrupted run leaves the previous report as it was. With ``-s/--silent`` and
no ``--output-file``, nothing reaches stdout. Diffs are coloured here, when
:func:`use_color` says so.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import click

from codemods.diffs import split_lines
from codemods.discovery import PYTHON_SUFFIXES
from codemods.writes import WriteError, write_new_file

_binary_stream = typing.cast(Callable[[str], BinaryIO], click.get_binary_stream)
"""click's ``get_binary_stream`` (typed: its annotations confuse mypy --strict)."""


class StreamError(click.ClickException):
    """A standard stream that is closed or cannot be written (a full disk): exit 2, one line."""

    exit_code = 2


def check_standard_streams() -> None:
    """Refuse to run with stdout closed (``>&-``): a report would have nowhere to go.

    Python sets ``sys.stdout`` to ``None`` when descriptor 1 is closed at start.
    """
    if sys.stdout is None:
        raise StreamError("stdout is closed; nothing can be reported (redirect it instead)")


def standard_input() -> BinaryIO:
    """Return stdin as bytes; a closed stdin (``<&-``) is a :class:`StreamError`."""
    if sys.stdin is None:
        raise StreamError("stdin is closed; there is no text to fix")
    return _binary_stream("stdin")


class _GuardedStream(io.RawIOBase):
    """stdout, whose write errors (``/dev/full``, an I/O error) are one-line StreamErrors."""

    def __init__(self, stream: BinaryIO) -> None:
        """Wrap the binary ``stream``."""
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        """Tell that this stream is written to."""
        return True

    def isatty(self) -> bool:
        """Tell whether the wrapped stream is a terminal (the progress bar asks)."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """Return the wrapped stream's file descriptor."""
        return self._stream.fileno()

    def write(self, data: Any) -> int:
        """Write ``data`` through; a failure other than a closed pipe is a StreamError."""
        try:
            self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _write_error(error) from None
        return len(data)

    def flush(self) -> None:
        """Flush the wrapped stream; a failure other than a closed pipe is a StreamError."""
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _write_error(error) from None


def _write_error(error: OSError) -> StreamError:
    return StreamError(f"cannot write to stdout: {error.strerror or error}")


def guarded_stdout() -> BinaryIO:
    """Return stdout as bytes, its write errors turned into one-line StreamErrors."""
    return typing.cast(BinaryIO, _GuardedStream(_binary_stream("stdout")))


def check_output_file(output_file: Path | None, inputs: Sequence[Path]) -> None:
    """Refuse an ``--output-file`` that would overwrite Python source (an input or not)."""
    if output_file is None or not output_file.exists():
        return
    if any(_same_file(output_file, path) for path in inputs):
        raise click.UsageError(
            f"--output-file {output_file} is one of the files to fix; it would be overwritten"
        )
    if output_file.suffix in PYTHON_SUFFIXES:
        raise click.UsageError(
            f"--output-file {output_file} is Python source; a report is not written over it"
        )


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


@contextlib.contextmanager
def output_stream(output_file: Path | None, *, silent: bool = False) -> Iterator[BinaryIO]:
    """Yield the stream reports and diffs go to: stdout, or a buffer for ``output_file``.

    ``silent`` (``-s``): what would go to stdout is dropped; an ``output_file`` is still
    written, since it was asked for by name.
    """
    if output_file is None and silent:
        yield io.BytesIO()
        return
    if output_file is None:
        yield guarded_stdout()
        return
    buffer = io.BytesIO()
    yield buffer
    try:
        write_new_file(output_file, buffer.getvalue())
    except WriteError as error:
        raise click.FileError(str(output_file), str(error)) from None


def use_color(choice: str, terminal: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour the diffs: ``--color`` (``choice``), else the environment, else a tty.

    ``always`` and ``never`` win. For ``auto``, a non-empty ``NO_COLOR`` turns colour off
    (https://no-color.org), else a non-empty ``FORCE_COLOR`` turns it on even in a pipe (as
    ruff, pytest and tox do), else there is colour when stdout is a ``terminal``.
    """
    if choice in ("always", "never"):
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return terminal


def write_diff(out: BinaryIO, text: str, codec: str, color: bool) -> None:
    """Write a diff in the codec that gives the file's bytes, coloured if asked."""
    if color:
        text = "".join(coloured(text))
    out.write(text.encode(codec, "surrogateescape"))


def coloured(text: str) -> Iterator[str]:
    """Yield the lines of a diff with ANSI colours (headers bold, hunks cyan, +/- green/red)."""
    styles = {"+++": "bold", "---": "bold", "@@": "cyan", "+": "green", "-": "red"}
    for line in split_lines(text):
        style = next((s for prefix, s in styles.items() if line.startswith(prefix)), None)
        if style == "bold":
            yield click.style(line, bold=True)
        elif style is not None:
            yield click.style(line, fg=style)
        else:
            yield line
