"""The ``codemods`` command line: parse options, call the engine, print. Nothing else.

The exit codes follow ruff and black; each command's ``--help`` shows its own
(:data:`EXIT_CODES`). Every error is one line on stderr, ``error: ...``, and exit 2 (usage
errors included: :class:`_Commands`). ``-q`` prints findings but no summary and ``-s``
nothing but errors, as ruff's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal

import click

from codemods import __version__, inputs
from codemods.baseline import BASELINE_FILE, Baseline, BaselineError
from codemods.cache import (
    CACHE_DIR_VARIABLE,
    NO_CACHE_VARIABLE,
    ResultCache,
    default_directory,
    run_fingerprint,
    tool_fingerprint,
)
from codemods.changes import in_changes
from codemods.config import Config, ConfigError, config_for_run
from codemods.discovery import (
    DiscoveryError,
    Exclusions,
    check_paths,
    discover,
    shard,
)
from codemods.engine import FILE_SKIP_ID, FileError, FileResult
from codemods.fixes.registry import RegistryError, all_codemods, get_codemod, plugin_versions
from codemods.formats import RENDERERS, render_report
from codemods.interrupts import Interrupted, stopped_by_signals
from codemods.outputs import (
    StreamError,
    check_output_file,
    check_standard_streams,
    coloured,
    guarded_stdout,
    output_stream,
    standard_input,
    use_color,
    write_diff,
)
from codemods.patching import PatchError, apply_patch
from codemods.pathguard import OutsideRoots, guard_for_run
from codemods.pathguard import current as current_guard
from codemods.pathguard import install as install_guard
from codemods.portability import signal_name
from codemods.progress import Progress
from codemods.reports import ReportError, resolve
from codemods.review import Keeper, Terminal
from codemods.review import review as review_hunks
from codemods.runner import WorkerStartError, default_jobs, fix_bytes, run
from codemods.scope import (
    ScopeError,
    ScopeOptions,
    baseline_path,
    load_baseline,
    read_claims,
    report_root,
    with_scope,
)
from codemods.statistics import Statistics
from codemods.summary import Tally, change_lines, skip_lines, would_fix_line
from codemods.triage import Verdict
from codemods.triage import triage as triage_claims
from codemods.triage_formats import TRIAGE_RENDERERS, counts, render_triage
from codemods.writes import set_racy_window

EXIT_CLEAN = 0
EXIT_CHANGES = 1
EXIT_ERROR = 2


class _Size(click.ParamType):
    """A size in bytes: ``1000000``, ``64M``, ``512K``, ``1G``."""

    name = "size"
    _UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Return the size in bytes, or fail with a usage error."""
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B")
        number, unit = (text[:-1], text[-1]) if text[-1:] in "KMG" and text[-1:] else (text, "")
        if not number.isdigit() or int(number) <= 0:
            self.fail(f"{value!r} is not a size (bytes, or with a K, M or G suffix)", param, ctx)
        size = int(number) * self._UNITS[unit]
        if size > 2**40:
            self.fail(f"{value!r} is more than 1T, the largest size accepted", param, ctx)
        return size


_SIZE = _Size()
STDIN = "-"

Mode = Literal["diff", "apply", "check"]


def _exit_codes(*rows: str) -> str:
    """Return a ``--help`` epilog listing exit codes, one row each (``\\b``: not rewrapped)."""
    return "\n\b\nExit codes:\n" + "".join(f"  {row}\n" for row in rows)


_STOPPED = "128+N  stopped by signal N (130: Ctrl-C, 143: SIGTERM)"
_ERRORS = "2  usage, configuration or file errors (errors win over changes)"

EXIT_CODES_HELP = _exit_codes(
    "0  success: nothing to change (diff, check), or done",
    "1  changes found (diff, check), or a finding fixed (triage)",
    "2  usage, configuration or file errors; each command's --help has its own codes",
    _STOPPED,
)
"""The group's epilog: what the codes mean across commands."""

EXIT_CODES = {
    "diff": _exit_codes("0  nothing to change", "1  changes found", _ERRORS, _STOPPED),
    "check": _exit_codes("0  nothing to change", "1  changes found", _ERRORS, _STOPPED),
    "apply": _exit_codes(
        "0  fixes written, or nothing to do (--patch: the patch is applied)",
        "2  usage, configuration or file errors; a file that failed is left as it was",
        "   (--patch: the patch is refused and nothing is written)",
        _STOPPED + ":",
        "       each file is as it was or fully fixed",
    ),
    "review": _exit_codes(
        "0  the accepted hunks are written (also when none is, or after q)",
        "2  usage or configuration errors, no terminal, or a file that failed",
        "130  stopped by Ctrl-C",
    ),
    "baseline": _exit_codes(
        "0  the findings are recorded",
        "2  usage or configuration errors, or a file that failed (its entries are kept)",
        _STOPPED,
    ),
    "triage": _exit_codes(
        "0  no finding is fixed: each is refuted, not fixed or unsupported",
        "1  a codemod fixes at least one ('apply --findings REPORT' would write it)",
        "2  usage or configuration errors, or a report that cannot be read",
        _STOPPED,
    ),
    "list": _exit_codes("0  listed", "2  a plugin codemod cannot be loaded"),
    "explain": _exit_codes("0  shown", "2  no codemod has this id, or a plugin cannot be loaded"),
}
"""Each command's ``--help`` epilog: the exit codes it can give and what they mean."""

QUIET_HELP = "Print the findings (diffs, 'would fix' lines, reports) but no summary."
SILENT_HELP = "Print nothing but errors: no findings, no summary (the exit code tells)."


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """The options shared by ``diff``, ``apply`` and ``check``."""

    paths: tuple[str, ...]
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    config_file: Path | None
    jobs: int
    quiet: bool
    verbose: bool
    color: bool
    stdin_filename: str | None
    output_format: str = "text"
    output_file: Path | None = None
    unsafe_fixes: bool | None = None
    scope: ScopeOptions = ScopeOptions()
    force_exclude: bool = False
    cache_dir: Path | None = None
    no_cache: bool = False
    statistics: bool = False
    shard: tuple[int, int] | None = None
    silent: bool = False
    """``-s``: nothing on stdout, and no summary (``quiet`` is set too)."""
    follow_symlinks: bool = False
    max_file_size: int = inputs.MAX_FILE_SIZE
    """``--max-file-size``: the most bytes any file read may have."""
    """``--follow-symlinks``: write through links that leave PATHS (:mod:`codemods.pathguard`)."""


def _split_ids(
    _context: click.Context, _parameter: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...] | None:
    ids = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    return ids or None


def _parse_shard(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    index, slash, count = value.partition("/")
    if slash and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
        return int(index), int(count)
    raise click.BadParameter(f"{value!r} is not K/N with 1 <= K <= N (such as 2/4)")


def _run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options shared by diff, apply and check to a click command."""
    decorators = [
        click.argument("paths", nargs=-1),
        click.option(
            "--select",
            multiple=True,
            callback=_split_ids,
            metavar="ID,...",
            help="Run only these codemods (comma-separated ids; repeatable).",
        ),
        click.option(
            "--ignore",
            multiple=True,
            callback=_split_ids,
            metavar="ID,...",
            help="Do not run these codemods.",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="GLOB",
            help="Skip files matching this gitignore-style pattern while walking (repeatable).",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Read [tool.codemods] from this file instead of the nearest pyproject.toml.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes (default: all cores).",
        ),
        click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Also print each change and each skip with its reason.",
        ),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
            help="Colour the diff.",
        ),
        click.option(
            "--unsafe-fixes/--no-unsafe-fixes",
            default=None,
            help="Also make fixes that may change behaviour (default: hold them back, or "
            "'unsafe-fixes' in the config).",
        ),
        click.option(
            "--stdin-filename",
            metavar="NAME",
            help="With '-' as the path: the name of the file read from stdin.",
        ),
        click.option(
            "--force-exclude",
            is_flag=True,
            help="Apply 'exclude' to files named on the command line and --stdin-filename too "
            "(what pre-commit and editors need).",
        ),
        click.option(
            "--max-file-size",
            type=_SIZE,
            default="64M",
            show_default=True,
            metavar="SIZE",
            help="Refuse to read a file larger than this (source, configuration, baseline, "
            "report): bytes, or with a K, M or G suffix.",
        ),
        click.option(
            "--racy-window",
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            help="Do not write a file modified less than this long before it was read: another "
            "program may still be writing it [default: 2; 0: off, as the pre-commit hooks run, "
            "since pre-commit itself rewrites partly staged files just before].",
        ),
        click.option(
            "--follow-symlinks",
            is_flag=True,
            help="Also write files reached through a symbolic link that leaves PATHS "
            "(default: skip them).",
        ),
        click.option(
            "--diff-base",
            metavar="REF",
            help="Fix only findings on lines changed between REF and the working tree "
            "(git); files the change did not touch are not read.",
        ),
        click.option(
            "--staged",
            is_flag=True,
            help="Fix only findings on lines staged for commit (git diff --cached).",
        ),
        click.option(
            "--line-ranges",
            multiple=True,
            metavar="PATH:START-END",
            help="Fix only findings on these lines (1-based, inclusive; repeatable).",
        ),
        click.option(
            "--baseline",
            "baseline_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"Leave the findings recorded in this file alone (default: {BASELINE_FILE} "
            "in the project root, when it exists).",
        ),
        click.option(
            "--no-baseline", is_flag=True, help="Ignore the baseline: act on every finding."
        ),
        click.option(
            "--statistics",
            is_flag=True,
            help="Print how many findings each codemod fixed, and skipped for which reason.",
        ),
        click.option(
            "--shard",
            metavar="K/N",
            callback=_parse_shard,
            help="Process only the K-th of N shards of the files found (1 <= K <= N), a "
            "deterministic split for a CI matrix.",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar=CACHE_DIR_VARIABLE,
            help="Keep results here, so unchanged files are not fixed again (default: the "
            f"user cache directory; ${CACHE_DIR_VARIABLE}).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            envvar=NO_CACHE_VARIABLE,
            help=f"Neither read nor write the result cache (${NO_CACHE_VARIABLE}).",
        ),
        click.option(
            "--findings",
            "findings_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Fix only what this report's findings ask for (SARIF; ruff's json, concise, "
            "github or rdjson; pylint's json or text; rdjson; flake8 text; a review); PATHS "
            "default to the files it names.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--format`` and ``--output-file`` (diff and check)."""
    command = click.option(
        "--output-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report (or the diffs) to this file instead of stdout.",
    )(command)
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", *RENDERERS]),
        default="text",
        show_default=True,
        help="text: diffs or 'would fix' lines; json, sarif, github, rdjson: a report.",
    )(command)


def _with_silent(command: click.Command) -> click.Command:
    """Add ``-s/--silent`` to a command, listed right after its ``-q/--quiet``."""
    names = [parameter.name for parameter in command.params]
    at = names.index("quiet") + 1 if "quiet" in names else len(names)
    text = SILENT_HELP + (" An --output-file is still written." if "output_file" in names else "")
    command.params.insert(at, click.Option(["-s", "--silent"], is_flag=True, help=text))
    return command


def _options(paths: tuple[str, ...], **values: Any) -> RunOptions:
    if not paths and values.get("findings_file") is not None:
        paths = (".",)  # the files the report names, found from here
    silent = bool(values.get("silent"))  # review has no -s
    if silent and values["verbose"]:
        raise click.UsageError("-s/--silent and -v/--verbose cannot be used together")
    color = use_color(values["color"], sys.stdout.isatty())
    follow_symlinks = bool(values.get("follow_symlinks"))
    _racy(values)
    findings = values.get("findings_file") is not None
    install_guard(guard_for_run(paths, findings=findings, follow_symlinks=follow_symlinks))
    jobs = values["jobs"] or default_jobs()
    return RunOptions(
        paths=paths,
        select=values["select"],
        ignore=values["ignore"] or (),
        exclude=tuple(values["exclude"]),
        config_file=values["config_file"],
        jobs=jobs,
        quiet=values["quiet"] or silent,
        verbose=values["verbose"],
        color=color,
        stdin_filename=values["stdin_filename"],
        output_format=values.get("output_format", "text"),
        output_file=values.get("output_file"),
        unsafe_fixes=values["unsafe_fixes"],
        scope=ScopeOptions(
            diff_base=values["diff_base"],
            staged=values["staged"],
            line_ranges=tuple(values["line_ranges"]),
            baseline=values["baseline_file"],
            no_baseline=values["no_baseline"],
            findings=values["findings_file"],
        ),
        force_exclude=values["force_exclude"],
        cache_dir=values["cache_dir"],
        no_cache=values["no_cache"],
        statistics=values["statistics"] and not silent,
        shard=values["shard"],
        silent=silent,
        follow_symlinks=follow_symlinks,
        max_file_size=_bounded_inputs(values.get("max_file_size")),
    )


def _racy(values: dict[str, Any]) -> None:
    """Set the run's racy window (``--racy-window``) before anything is written."""
    set_racy_window(values.get("racy_window"))


def _bounded_inputs(size: int | None) -> int:
    """Bound every input this process reads at ``size`` bytes; return the bound."""
    if size is not None:
        inputs.MAX_FILE_SIZE = size
    return inputs.MAX_FILE_SIZE


class OneLineError(click.ClickException):
    """An error shown as ours are: one line, ``error: MESSAGE``, on stderr; exit 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``error: MESSAGE`` on stderr (or ``file``)."""
        click.echo(f"error: {self.message}", file=file, err=file is None)

    @classmethod
    def of(cls, error: click.ClickException, help_for: str | None = None) -> OneLineError:
        """Return click's ``error`` as one line: its text (lower-cased first word) and, for a
        usage error of the command line of ``help_for`` (a command path), a hint to --help."""
        message = " ".join(line.strip() for line in error.format_message().splitlines())
        if message[:1].isupper() and message[1:2].islower():
            message = message[0].lower() + message[1:]  # "No such option" -> "no such option"
        if help_for is not None and isinstance(error, click.UsageError):
            if error.ctx is not None:
                help_for = error.ctx.command_path
            stop = "" if message.rstrip(")").endswith((".", "?", "!")) else "."
            message = f"{message}{stop} Try '{help_for} --help' for help."
        return cls(message)


_LEFT_AS_THEY_ARE: tuple[type[Exception], ...] = (
    OneLineError,
    *(
        getattr(click.exceptions, name)
        for name in ("NoArgsIsHelpError",)
        if hasattr(click.exceptions, name)
    ),
)
"""Already one line; or no arguments at all, for which click >= 8.2 shows the help (exit 2)."""


@contextlib.contextmanager
def _one_line_usage_errors(info_name: str | None, parent: click.Context | None) -> Iterator[None]:
    """Turn an error in parsing a command line (bad option value, missing argument, unknown
    option or command) into a :class:`OneLineError` that points to the command's --help."""
    try:
        yield
    except _LEFT_AS_THEY_ARE:
        raise
    except click.ClickException as error:
        path = " ".join(name for name in (parent and parent.command_path, info_name) if name)
        raise OneLineError.of(error, help_for=path or "codemods") from None


class _Command(click.Command):
    """A command whose command-line errors are one line (see :class:`_Commands`)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parse the command's arguments; a usage error is one line, exit 2."""
        with _one_line_usage_errors(info_name, parent):
            return super().make_context(info_name, args, parent, **extra)


class _Commands(_Command, click.Group):
    """The command group: every error is one line, ``error: ...`` on stderr, and exit 2.

    Exit 1 means "changes found" to CI; a crash must never look like that. So an error
    nobody foresaw is one line and exit 2, never a traceback; click's own errors (usage
    errors in four lines, ``Error: ...`` and exit 1 for a file error) are made one line like
    ours, keeping click's text and, for the command line's errors, its hint to --help; and a
    Ctrl-C that no command handled exits 130 (128 + the signal), not click's 1.
    """

    command_class = _Command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Find the subcommand; an unknown one is a one-line usage error, exit 2."""
        with _one_line_usage_errors(ctx.info_name, ctx.parent):
            return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; turn an unexpected exception into a one-line error, exit 2."""
        try:
            check_standard_streams()  # stdout closed: one line, exit 2
            return super().invoke(ctx)
        except (OneLineError, click.exceptions.Exit, click.Abort):
            raise
        except click.exceptions.ClickException as error:  # ours, from a command's body
            raise OneLineError.of(error) from None
        except WorkerStartError as error:  # a plugin's or the machine's fault, not ours
            raise OneLineError(str(error)) from None
        except BrokenPipeError:
            raise  # the reader went away (``| head``): click closes the output quietly
        except KeyboardInterrupt as stop:  # a command that does not say how far it got
            signum = getattr(stop, "signum", signal.SIGINT)
            click.echo(f"interrupted by {signal_name(signum)}.", err=True)
            ctx.exit(128 + signum)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            click.echo(f"error: {internal_error(error)}", err=True)
            ctx.exit(EXIT_ERROR)


def internal_error(error: BaseException) -> str:
    """Describe an error of the tool itself in one line: what, and where in our code."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if f"{os.sep}codemods{os.sep}" in frame.filename]
    where = ""
    if ours:
        frame = ours[-1]
        where = f" (at codemods/{Path(frame.filename).name}:{frame.lineno})"
    message = str(error).splitlines()[0] if str(error) else ""
    return (
        f"internal error: {type(error).__name__}: {message}{where}; nothing more was done. "
        "This is a bug in codemods: please report it with the command that ran."
    )


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, prog_name="codemods")
def main() -> None:
    """Turn code-review findings into safe, reviewable fixes for Python code."""


@_with_silent
@main.command(epilog=EXIT_CODES["diff"])
@_run_options
@_report_options
def diff(paths: tuple[str, ...], **values: Any) -> None:
    """Print the fixes as unified diffs (a dry run); the summary goes to stderr."""
    sys.exit(_execute("diff", _options(paths, **values)))


@_with_silent
@main.command(epilog=EXIT_CODES["apply"])
@_run_options
@click.option(
    "--patch",
    "patch_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Apply this (reviewed, maybe edited) patch from 'codemods diff' instead; all or nothing.",
)
def apply(paths: tuple[str, ...], patch_file: Path | None, **values: Any) -> None:
    """Rewrite the files in place ('-' reads stdin and prints the fixed text)."""
    if patch_file is not None:
        if paths:
            raise click.UsageError("--patch takes no PATHS: the patch names its files")
        sys.exit(_apply_patch(patch_file, quiet=values["quiet"] or values["silent"]))
    sys.exit(_execute("apply", _options(paths, **values)))


def _apply_patch(patch_file: Path, *, quiet: bool) -> int:
    """Apply a reviewed patch to files under the current directory, all or nothing."""
    try:
        patched = apply_patch(patch_file.read_bytes(), Path.cwd())
    except PatchError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR
    if not quiet:
        count = len(patched)
        click.echo(f"{count} file{'s' if count != 1 else ''} patched.", err=True)
    return EXIT_CLEAN


@_with_silent
@main.command(epilog=EXIT_CODES["check"])
@_run_options
@_report_options
def check(paths: tuple[str, ...], **values: Any) -> None:
    """Print 'would fix PATH (ids)' for each file with fixes pending; for CI."""
    sys.exit(_execute("check", _options(paths, **values)))


@main.command(epilog=EXIT_CODES["review"])
@_run_options
def review(paths: tuple[str, ...], **values: Any) -> None:
    """Walk the fixes hunk by hunk on a terminal and apply the accepted ones (like git add -p).

    \b
    y apply this hunk, n skip it, a apply it and the rest of this file,
    q quit (keep the answers so far), s split the hunk, e edit it in $EDITOR, ? help

    \b
    Each file is written once all its hunks are answered, and the fixes of its
    declined hunks are recorded in the baseline (unless --no-baseline). Ctrl-C keeps
    the files already answered, leaves the current one as it was, and exits 130.
    End of input (Ctrl-D) quits as 'q' does, like git add -p (exit 0), without
    recording the hunks not answered.
    """
    options = _options(paths, **values)
    if STDIN in options.paths:
        raise click.UsageError("review works on files, not on stdin")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(
            "error: codemods review needs a terminal; without one, use "
            "'codemods diff PATHS > fixes.patch', edit the patch, then "
            "'codemods apply --patch fixes.patch'",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(_review(options))


def _review(options: RunOptions) -> int:
    """Fix the files, review their hunks and keep each file's answers; return the exit code."""
    config = _prepare(options)
    if config is None:
        return EXIT_ERROR
    baseline = None
    if options.scope.no_baseline:
        if not options.quiet:
            click.echo(
                "--no-baseline: declined hunks are not recorded; they will be proposed again.",
                err=True,
            )
    else:
        try:  # a baseline that cannot be read is refused before any question
            baseline = config.baseline or Baseline.load(
                baseline_path(config, options.scope.baseline)
            )
        except BaselineError as error:
            click.echo(f"error: {error}", err=True)
            return EXIT_ERROR
    # The patches name files relative to a directory above the cwd and every path named
    # (``review ../other/m.py`` as ``apply`` takes it); the path guard still bounds writes.
    top = os.path.commonpath([os.getcwd(), *(os.path.abspath(path) for path in options.paths)])
    top = top if os.path.isdir(top) else os.path.dirname(top)
    keeper = Keeper(Path(top), baseline, lambda line: click.echo(line, err=True), current_guard())
    terminal = Terminal(
        # each line's colour ends after its newline: nl=False, or a blank line would follow
        show=lambda text: click.echo(
            "".join(coloured(text + "\n")), nl=False, color=options.color
        ),
        ask=_ask_line,
        edit=lambda text: click.edit(text, extension=".diff", require_save=False),
    )
    try:
        with stopped_by_signals():
            results = _review_results(options, config)
            tally = review_hunks(results, terminal, keeper)
    except Interrupted as stop:
        click.echo("", err=True)  # Ctrl-C came at a prompt: end its line
        click.echo(keeper.stopped(f"interrupted by {signal_name(stop.signum)}"), err=True)
        return 128 + stop.signum
    except BaselineError as error:
        click.echo(f"error: {error}; the review stopped", err=True)
        click.echo(keeper.stopped("stopped by this error"), err=True)
        return EXIT_ERROR
    if not options.quiet:
        if tally.recorded and keeper.baseline is not None:
            click.echo(
                f"{tally.recorded} declined fix{'es' if tally.recorded != 1 else ''} recorded "
                f"in {os.path.relpath(keeper.baseline.path)}; they will not be proposed again.",
                err=True,
            )
        applied, written = tally.hunks_applied, tally.files_written
        click.echo(
            f"{applied} hunk{'s' if applied != 1 else ''} applied to "
            f"{written} file{'s' if written != 1 else ''}, {tally.skipped} skipped.",
            err=True,
        )
    failed = tally.failed or any(result.error for result in results)
    return EXIT_ERROR if failed else EXIT_CLEAN


def _ask_line(question: str) -> str:
    """Print ``question`` and read the answer (``EOFError`` at end of input, Ctrl-C raises).

    Not ``click.prompt``: it turns both Ctrl-C and end of input into ``Abort``.
    """
    click.echo(question, nl=False)
    return input()


def _review_results(options: RunOptions, config: Config) -> list[FileResult]:
    """Fix every file to review (a progress bar from 20 files); print each file's error."""
    paths, unreadable = _discover(options, config)
    progress = Progress(len(paths) + len(unreadable), quiet=options.quiet)
    results: list[FileResult] = []
    guard = current_guard()
    for result in progress.track(itertools.chain(unreadable, run(paths, config, options.jobs))):
        if result.error is not None:
            progress.echo(result.error.format(result.path))
        elif result.changed:
            try:  # a file apply would skip (a link leaving PATHS) is not offered either
                guard.locate(result.path)
            except OutsideRoots as outside:
                progress.echo(
                    f"{result.path}: not offered: {outside} (--follow-symlinks writes it)"
                )
                continue
        results.append(result)
    return results


@_with_silent
@main.command(epilog=EXIT_CODES["baseline"])
@click.argument("paths", nargs=-1)
@click.option(
    "--select", multiple=True, callback=_split_ids, metavar="ID,...", help="Only these codemods."
)
@click.option(
    "--ignore", multiple=True, callback=_split_ids, metavar="ID,...", help="Not these codemods."
)
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching paths.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read [tool.codemods] from this file.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The file to write (default: {BASELINE_FILE} in the project root).",
)
def baseline(paths: tuple[str, ...], baseline_file: Path | None, **values: Any) -> None:
    """Record today's findings in PATHS (default: .) so later runs act only on new ones.

    Entries of other files, of codemods not run and of files that could not be read are kept;
    the others of PATHS are replaced.
    """
    options = RunOptions(
        paths=paths or (".",),
        select=values["select"],
        ignore=values["ignore"] or (),
        exclude=tuple(values["exclude"]),
        config_file=values["config_file"],
        jobs=values["jobs"] or default_jobs(),
        quiet=values["quiet"] or values["silent"],
        verbose=False,
        color=False,
        stdin_filename=None,
        scope=ScopeOptions(no_baseline=True),
    )
    if STDIN in options.paths:
        raise click.UsageError("baseline works on files, not on stdin")
    config = _prepare(options)
    if config is None:
        sys.exit(EXIT_ERROR)
    files, unreadable = _discover(options, config)
    results = [*unreadable, *run(files, config, options.jobs)]
    findings = [
        finding
        for result in results
        for finding in result.findings
        if finding.codemod_id != FILE_SKIP_ID
    ]
    path = baseline_path(config, baseline_file)
    try:
        read = [result.path for result in results if result.error is None]  # failed: kept
        Baseline.load(path).replacing(read, config.selected_ids(), findings).save()
    except BaselineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    for result in results:
        if result.error is not None:
            click.echo(result.error.format(result.path), err=True)
    if not options.quiet:
        count = len(findings)
        click.echo(
            f"{count} finding{'s' if count != 1 else ''} of {len(files)} "
            f"file{'s' if len(files) != 1 else ''} recorded in {os.path.relpath(path)}.",
            err=True,
        )
    sys.exit(EXIT_ERROR if any(result.error for result in results) else EXIT_CLEAN)


@_with_silent
@main.command(epilog=EXIT_CODES["triage"])
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--select", multiple=True, callback=_split_ids, metavar="ID,...", help="Only these codemods."
)
@click.option(
    "--ignore", multiple=True, callback=_split_ids, metavar="ID,...", help="Not these codemods."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read [tool.codemods] from this file.",
)
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Count unsafe fixes as fixes (otherwise their claims are 'not fixed').",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Where the report's relative paths start (default: the git repository's top, "
    "else the current directory).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(TRIAGE_RENDERERS)),
    default="table",
    show_default=True,
    help="table for a terminal, json, sarif, or markdown (a comment for the pull request).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Leave the findings recorded in this file alone, as 'apply --findings' would "
    f"(default: {BASELINE_FILE} in the project root, when it exists).",
)
@click.option(
    "--no-baseline",
    is_flag=True,
    help="Ignore the baseline: a finding recorded there gets its own verdict.",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the verdicts to this file instead of stdout.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the verdicts without their counts.")
def triage(report: Path, root: Path | None, output_format: str, **values: Any) -> None:
    """Check each finding of REPORT against the code: fixed, refuted, not fixed, unsupported.

    \b
    fixed        a codemod fixes exactly this finding ('apply --findings REPORT' writes it)
    refuted      the code shows the finding is false; the reason is the evidence
    not fixed    the finding may be true but the codemod declines; the reason says why
    unsupported  no codemod handles its rule, or its file or line cannot be checked
    """
    try:  # the project root: found from --root, else from the current directory
        config = config_for_run(
            (str(root),) if root is not None else (),
            config_file=values["config_file"],
            select=values["select"],
            ignore=values["ignore"] or (),
            unsafe_fixes=values["unsafe_fixes"],
        )
        claims = read_claims(report)
    except (ConfigError, ReportError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    base = root if root is not None else report_root(Path.cwd())
    try:  # the engine 'apply --findings' would run: its claims selector and the baseline
        no_baseline = values["no_baseline"]
        baseline = None if no_baseline else load_baseline(config, values["baseline_file"])
    except BaselineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    config = dataclasses.replace(config, claims=tuple(claims), claims_root=base, baseline=baseline)
    verdicts = triage_claims(
        claims, config.build_engine(), base, config.rule_map, config.ignored_for
    )
    check_output_file(values["output_file"], [])
    text = render_triage(output_format, verdicts, base)
    if values["quiet"] and output_format == "table":
        text = text.removesuffix(counts(verdicts) + ".\n")  # the table's summary line
    with output_stream(values["output_file"], silent=values["silent"]) as out:
        out.write(text.encode("utf-8", "backslashreplace"))
    fixed = any(triaged.verdict is Verdict.FIXED for triaged in verdicts)
    sys.exit(EXIT_CHANGES if fixed else EXIT_CLEAN)


@main.command("list", epilog=EXIT_CODES["list"])
def list_codemods() -> None:
    """List every codemod: id, fix safety and summary, in run order."""
    registry = _registry()
    width = max((len(codemod_id) for codemod_id in registry), default=0)
    for codemod_id, codemod in registry.items():
        click.echo(f"{codemod_id:<{width}}  {codemod.safety.value:<6}  {codemod.summary}")


@main.command(epilog=EXIT_CODES["explain"])
@click.argument("codemod_id", metavar="ID")
def explain(codemod_id: str) -> None:
    """Print a codemod's full documentation."""
    _registry()
    try:
        codemod = get_codemod(codemod_id)
    except KeyError as error:
        raise click.UsageError(str(error.args[0])) from None
    click.echo(f"{codemod.id} ({codemod.safety.value} fix)\n")
    click.echo(codemod.description())


def _registry() -> dict[str, Any]:
    try:
        return dict(all_codemods())
    except RegistryError as error:
        raise click.ClickException(str(error)) from None


def _prepare(options: RunOptions) -> Config | None:
    """Check the paths and load the configuration; ``None`` (error printed) if it is bad."""
    if not options.paths:
        raise click.UsageError("missing argument 'PATHS...'")
    if STDIN in options.paths and options.paths != (STDIN,):
        raise click.UsageError("'-' (stdin) cannot be combined with other paths")
    _registry()
    try:
        check_paths(Path(path) for path in options.paths if path != STDIN)
    except DiscoveryError as error:
        raise click.UsageError(str(error)) from None
    try:
        config = config_for_run(
            options.paths,
            config_file=options.config_file,
            select=options.select,
            ignore=options.ignore,
            exclude=options.exclude,
            stdin_filename=options.stdin_filename,
            unsafe_fixes=options.unsafe_fixes,
        )
        if options.force_exclude:
            config = dataclasses.replace(config, force_exclude=True)
        config = dataclasses.replace(config, max_file_size=options.max_file_size)
        config = with_scope(
            config, options.scope, options.paths, stdin_filename=options.stdin_filename
        )
    except (ConfigError, ScopeError) as error:
        click.echo(f"error: {error}", err=True)
        return None
    if options.verbose and config.project is not None:
        settings = config.path if config.path is not None else "none, the defaults"
        click.echo(f"project root: {config.project.describe()}; config: {settings}", err=True)
        click.echo(f"environment: {_environment_line(config)}", err=True)
    return config


def _environment_line(config: Config) -> str:
    """Say which Python environment docstring-stubs reads libraries from (``-v``)."""
    from codemods.environment import find_environment

    options = config.options.get("docstring-stubs")
    configured = getattr(options, "environment", None)
    root = config.project.path if config.project is not None else Path.cwd()
    found = find_environment(root, configured, os.environ)
    if found is None:
        return "none found (libraries: the running Python's standard library only)"
    return f"{found.root} ({found.how})"


def _discover(options: RunOptions, config: Config) -> tuple[list[Path], list[FileResult]]:
    """Return the files to process, and an error result for each directory not readable."""
    found, unreadable = _find(options, config)
    return _in_scope(found, config), unreadable


def _find(options: RunOptions, config: Config) -> tuple[list[Path], list[FileResult]]:
    """Return the files the paths name or hold, and an error result per unreadable directory."""
    unreadable: list[FileResult] = []

    def report(directory: Path, error: OSError) -> None:
        message = f"cannot read directory: {error.strerror or error}; it was skipped"
        unreadable.append(FileResult(str(directory), "", "", error=FileError(1, 1, message)))

    try:
        exclusions = Exclusions(config.exclude, config.root)
        paths = discover(
            [Path(path) for path in options.paths],
            exclusions,
            report,
            force_exclude=config.force_exclude,
        )
    except DiscoveryError as error:
        raise click.UsageError(str(error)) from None
    return paths, unreadable


def _in_scope(paths: list[Path], config: Config) -> list[Path]:
    """Return the files in the scope of the run (a change's, a report's), in their order."""
    if config.changes is not None:
        paths = in_changes(paths, config.changes)  # files the change did not touch: unread
    if config.claims is not None:
        root = config.claims_root or Path.cwd()
        claimed = {os.path.realpath(resolve(claim, root)) for claim in config.claims}
        paths = [path for path in paths if os.path.realpath(path) in claimed]
    return paths


def _nothing_in_scope(found: int, scope: ScopeOptions) -> str:
    """Return the summary of a run none of whose files is in scope: ``3 files found, ...``."""
    given = [
        name
        for name, chosen in (
            (f"--diff-base {scope.diff_base}", scope.diff_base is not None),
            ("--staged", scope.staged),
            ("--line-ranges", bool(scope.line_ranges)),
            (f"--findings {scope.findings}", scope.findings is not None),
        )
        if chosen
    ]
    files = f"{found} file{'s' if found != 1 else ''}"
    return f"{files} found, none in scope ({', '.join(given)})"


def _execute(mode: Mode, options: RunOptions) -> int:
    """Run one of diff/apply/check and return the exit code."""
    config = _prepare(options)
    if config is None:
        return EXIT_ERROR
    paths: list[Path] = []
    unreadable: list[FileResult] = []
    no_files = Tally.no_files  # the summary when no file is processed
    if options.paths == (STDIN,):
        check_output_file(options.output_file, [])
        results: Iterable[FileResult] = _fix_stdin(mode, options, config)
    else:
        found, unreadable = _find(options, config)
        paths = _in_scope(found, config)
        if found and not paths:
            no_files = _nothing_in_scope(len(found), options.scope)
        if options.shard is not None:
            paths = shard(paths, *options.shard, config.root)
        check_output_file(options.output_file, paths)
        cache = _result_cache(options, config)
        diffs = mode == "diff" and options.output_format == "text"
        written = run(paths, config, options.jobs, write=mode == "apply", cache=cache, diffs=diffs)
        results = itertools.chain(unreadable, written)
    tally = Tally(
        extend_safe=config.extend_safe_fixes,
        extend_unsafe=config.extend_unsafe_fixes,
        no_files=no_files,
    )
    statistics = Statistics() if options.statistics else None
    progress = Progress(len(paths) + len(unreadable), quiet=options.quiet)
    stream = output_stream(options.output_file, silent=options.silent)
    try:
        with stopped_by_signals(), stream as out:
            tracked = progress.track(results)
            _report(mode, tracked, options, out, tally, statistics, progress, config.project_root)
    except Interrupted as stop:
        progress.close()
        _print_summary(mode, tally, options)
        total = len(paths) + len(unreadable) or 1  # 1: stdin
        done = tally.changed + tally.unchanged + tally.failed
        state = "every file is as it was or fully fixed" if mode == "apply" else "no report"
        name = signal_name(stop.signum)
        click.echo(f"interrupted by {name} after {done} of {total} files; {state}.", err=True)
        return 128 + stop.signum
    _print_summary(mode, tally, options)
    for line in statistics.lines() if statistics is not None else ():
        click.echo(line, err=True)
    return _exit_code(mode, tally)


def _result_cache(options: RunOptions, config: Config) -> ResultCache | None:
    """Return the run's result cache, or ``None`` with ``--no-cache``."""
    if options.no_cache:
        return None
    directory = options.cache_dir or default_directory()
    tool = tool_fingerprint(__version__, plugin_versions())
    cache = ResultCache(directory, tool, run_fingerprint(config))
    cache.start_build()  # its first run: older builds' entries are removed
    return cache


def _fix_stdin(mode: Mode, options: RunOptions, config: Config) -> list[FileResult]:
    """Fix the text read from stdin; ``apply -`` prints the fixed (or unchanged) text.

    With ``--force-exclude``, a ``--stdin-filename`` that ``exclude`` matches is passed
    through untouched and reported as nothing.
    """
    name = options.stdin_filename or STDIN
    limit = inputs.MAX_FILE_SIZE  # --max-file-size
    data = standard_input().read(limit + 1)
    if len(data) > limit:
        raise StreamError(f"stdin has more than {limit} bytes (--max-file-size); it is not read")
    excluded = (
        config.force_exclude
        and options.stdin_filename is not None
        and Exclusions(config.exclude, config.root).excludes(Path(name))
    )
    result = None if excluded else fix_bytes(name, data, config)
    if mode == "apply":
        out = guarded_stdout()
        out.write(data if result is None or result.error is not None else result.new_bytes())
        out.flush()
    return [] if result is None else [result]


def _report(
    mode: Mode,
    results: Iterable[FileResult],
    options: RunOptions,
    out: BinaryIO,
    tally: Tally,
    statistics: Statistics | None,
    progress: Progress,
    root: Path | None = None,
) -> None:
    """Print per-file output and the report; count the outcomes as they come.

    ``root``: the project root, which SARIF's URIs are relative to.

    Lines go above the progress bar, when one is drawn: stderr's through ``progress.echo``,
    stdout's (diffs, ``would fix`` lines) within ``progress.above``.
    """
    collected: list[FileResult] = []
    for result in results:
        tally.add(result)
        if statistics is not None:
            statistics.add(result)
        if options.output_format != "text":
            collected.append(result)
        _print_result(mode, result, options, out, progress)
    if options.output_format != "text":
        report = render_report(options.output_format, collected, root)
        out.write(report.encode("utf-8", "backslashreplace"))  # a message may quote a name
    out.flush()


def _print_result(
    mode: Mode, result: FileResult, options: RunOptions, out: BinaryIO, progress: Progress
) -> None:
    if result.error is not None:
        progress.echo(result.error.format(result.path))
    elif options.output_format != "text" or mode == "apply" or not result.changed:
        pass
    elif mode == "diff":
        text, codec = result.diff()
        with progress.above(out):
            write_diff(out, text, codec, options.color and options.output_file is None)
    else:
        with progress.above(out):
            out.write((would_fix_line(result) + "\n").encode("utf-8", "surrogateescape"))
    if options.verbose:
        for line in (*change_lines(result), *skip_lines(result)):
            progress.echo(line)


def _print_summary(mode: Mode, tally: Tally, options: RunOptions) -> None:
    if options.quiet:
        return
    lines: Iterable[str | None] = (
        tally.summary(applied=mode == "apply"),
        tally.unsafe_note(applied=mode == "apply"),
        tally.held_back_note(),
    )
    for line in lines:
        if line:
            click.echo(line, err=True)


def _exit_code(mode: Mode, tally: Tally) -> int:
    if tally.failed:
        return EXIT_ERROR
    if tally.changed and mode != "apply":
        return EXIT_CHANGES
    return EXIT_CLEAN
