"""One file through the codemods: find, select, fix, verify.

The pipeline, per file (decoding the bytes is :mod:`codemods.source`'s job):

1. ``ast.parse`` the text (cheap); a file that does not parse may first be repaired by a
   codemod's ``repair`` hook, else it is this file's error -- naming the Python it needs
   when it is code for a newer one (:mod:`codemods.syntax_version`);
2. for each selected codemod, in the registry's order, on the text the previous ones left:

   a. ``find`` yields findings; the engine names their scope and fingerprint;
   b. the engine selects which get fixed: suppression comments first, then every
      :data:`Selector` the engine was given (lines a change touched, a baseline, a review's
      findings...); a finding whose ``requires`` are not all selected is not fixed either;
   c. the codemod fixes exactly the selected findings: text edits, or for a
      :class:`~codemods.fixes.base.TreeCodemod` an edit of the one LibCST tree, parsed only
      when a tree codemod has work and shared by the next ones;

3. check that the result parses and compiles;
4. encode it as the file was encoded (:mod:`codemods.encoded`) and read those bytes back as
   Python will (BOM, a coding cookie on line 1 or 2): they must give the same codec and the
   same text, and compile -- a cookie an edit moved off line 2 is this file's error, not a
   file that no longer imports.

Every finding is reported at its lines in the file as it was read. Any failure is an error
of this file only; its text is then left as it was.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from codemods.deepstack import TooDeep, call_with_room
from codemods.diffs import unified_diff
from codemods.encoded import EncodeError, NotReadBack, encode_preserving, verify_written
from codemods.finding import Finding
from codemods.fingerprints import with_fingerprints
from codemods.fixes.base import Codemod, TreeCodemod
from codemods.linemap import LineMap
from codemods.paths import posix_path
from codemods.source import DecodeError, SourceFile, apply_edits, decode_source, file_digest
from codemods.suppression import read_suppressions

if TYPE_CHECKING:
    import libcst as cst  # imported when a file first needs a tree (a tenth of a second)

FILE_SKIP_ID = "*"
"""The codemod id of findings that concern the whole file (a ``skip-file`` comment)."""

Selector = Callable[[Finding], "str | None"]
"""Decides whether a finding (lines of the file as read) is fixed: ``None``, or why not."""


@dataclasses.dataclass(frozen=True)
class FileError:
    """Why a file could not be processed: position (1-based), message, codemod if any."""

    line: int
    column: int
    message: str
    codemod_id: str | None = None

    def format(self, path: str) -> str:
        """Render as ``path:line:col: error: message`` (with ``[id]`` for a codemod's error).

        The path is written with forward slashes on every OS (:mod:`codemods.paths`).
        """
        prefix = f"[{self.codemod_id}] " if self.codemod_id else ""
        return f"{posix_path(path)}:{self.line}:{self.column}: error: {prefix}{self.message}"


@dataclasses.dataclass(frozen=True)
class FileResult:
    """The outcome for one file: its old and new text, its findings, an error if any."""

    path: str
    old_text: str
    new_text: str
    findings: tuple[Finding, ...] = ()
    """Every finding, fixed or skipped, at lines of the file as read, in report order."""
    error: FileError | None = None
    encoding: str = "utf-8"
    digest: str = ""
    """SHA-256 of the bytes that were read, to refuse writing over a file changed since."""
    old_data: bytes | None = None
    """The bytes read, kept only when :attr:`new_data` is set (to diff bytes with bytes)."""
    new_data: bytes | None = None
    """The new bytes, when the codec alone would not give back the bytes of kept lines."""
    rendered_diff: tuple[str, str] | None = None
    """:meth:`diff`'s answer, once rendered (by a worker, or read from the cache)."""
    projects: tuple[tuple[str, str], ...] = ()
    """``(root, fingerprint)`` of each project whose other files a codemod read (the
    result cache keeps the result only while those files stay the same)."""

    @property
    def changed(self) -> bool:
        """Tell whether the codemods changed the text (never true for a failed file)."""
        return self.error is None and self.new_text != self.old_text

    @property
    def changes(self) -> tuple[Finding, ...]:
        """Return the findings whose fix is in the new text."""
        return tuple(finding for finding in self.findings if finding.fixed)

    @property
    def skips(self) -> tuple[Finding, ...]:
        """Return the findings left as they are, each with its reason."""
        return tuple(finding for finding in self.findings if not finding.fixed)

    @property
    def codemod_ids(self) -> tuple[str, ...]:
        """Return the ids of the codemods that changed the file, in run order, once each."""
        return tuple(dict.fromkeys(finding.codemod_id for finding in self.changes))

    @property
    def has_bom(self) -> bool:
        """Tell whether the file starts with a UTF-8 byte order mark."""
        return self.encoding == "utf-8-sig"

    def new_bytes(self) -> bytes:
        """Encode the new text the way the file was encoded (same codec, same BOM)."""
        if self.new_data is not None:
            return self.new_data
        return self.new_text.encode(self.encoding)

    def with_diff(self) -> FileResult:
        """Return this result with its diff rendered (where the work is: a worker process)."""
        if not self.changed or self.rendered_diff is not None:
            return self
        return dataclasses.replace(self, rendered_diff=self.diff())

    def diff(self) -> tuple[str, str]:
        """Return the unified diff of the change and the codec that writes it as the file's bytes.

        When the new bytes were spliced (:mod:`codemods.encoded`), the diff is of the bytes
        themselves (each byte one ``latin-1`` character), so its context lines are exactly
        the file's lines and the patch applies.
        """
        if self.rendered_diff is not None:
            return self.rendered_diff
        if self.old_data is not None and self.new_data is not None:
            name = os.fsencode(self.path).decode("latin-1")
            old, new = self.old_data.decode("latin-1"), self.new_data.decode("latin-1")
            return unified_diff(old, new, name), "latin-1"
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        return unified_diff(self.old_text, self.new_text, self.path, bom=self.has_bom), codec


class Engine:
    """Runs a fixed sequence of codemod instances over files, one LibCST parse per file."""

    def __init__(self, codemods: Sequence[Codemod], selectors: Sequence[Selector] = ()) -> None:
        """Keep the codemods in the order they will run, and the extra finding filters."""
        self.codemods = tuple(codemods)
        self.selectors = tuple(selectors)

    def fix_bytes(
        self, path: str, data: bytes, ignore: frozenset[str] = frozenset()
    ) -> FileResult:
        """Run the codemods (but those in ``ignore``) on a file's bytes.

        ``path`` is only used in messages and findings.
        """
        digest = file_digest(data)
        try:
            decoded = decode_source(data)
        except DecodeError as error:
            file_error = FileError(error.line, error.column, error.message)
            return FileResult(path, "", "", error=file_error, digest=digest)
        result = self.fix_text(path, decoded.text, ignore)
        result = dataclasses.replace(result, encoding=decoded.encoding, digest=digest)
        if not result.changed:
            return result

        def refused(error: FileError) -> FileResult:
            failed = _failed(path, decoded.text, error)
            return dataclasses.replace(failed, encoding=decoded.encoding, digest=digest)

        utf8 = decoded.encoding in ("utf-8", "utf-8-sig")  # decodes and encodes back exactly
        try:
            if utf8:
                new_data = result.new_text.encode(decoded.encoding)
            else:
                new_data = encode_preserving(data, decoded.text, result.new_text, decoded.encoding)
        except EncodeError as error:
            return refused(FileError(1, 1, str(error)))
        except UnicodeError as error:
            return refused(FileError(1, 1, f"cannot encode the fixed text as utf-8: {error}"))
        written = _written_error(path, new_data, result)
        if written is not None:
            return refused(written)
        if utf8 or new_data == result.new_text.encode(decoded.encoding):
            return result
        return dataclasses.replace(result, old_data=data, new_data=new_data)

    def fix_text(self, path: str, text: str, ignore: frozenset[str] = frozenset()) -> FileResult:
        """Run the codemods (but those in ``ignore``) on already decoded text.

        Deep but valid code gets a large stack (:mod:`codemods.deepstack`); code too deep
        even for that is this file's error.
        """
        try:
            return call_with_room(lambda: self._fix_text(path, text, ignore))
        except TooDeep as error:
            return _failed(path, text, FileError(1, 1, f"{error}; it was left as it is"))

    def _fix_text(self, path: str, text: str, ignore: frozenset[str]) -> FileResult:
        codemods = [codemod for codemod in self.codemods if codemod.id not in ignore]
        findings: list[Finding] = []
        try:
            source = SourceFile(path, text)
        except SyntaxError as error:
            repaired = _repair(codemods, path, text, error)
            if repaired is None:
                return _failed(path, text, _parse_error(text, error))
            source, repair = repaired
            findings.append(repair)
        if read_suppressions(source.text).skip_file:
            reason = "the file has a '# codemods: skip-file' comment"
            skip = Finding(1, "every codemod", codemod_id=FILE_SKIP_ID, path=path, skip=reason)
            return FileResult(path, text, text, (skip,))
        return _Run(codemods, self.selectors, source, text, findings).result()


def _repair(
    codemods: Sequence[Codemod], path: str, text: str, error: SyntaxError
) -> tuple[SourceFile, Finding] | None:
    """Let the codemods' ``repair`` hooks make an unparseable file parse (first one wins)."""
    for codemod in codemods:
        try:
            repaired = codemod.repair(text, error)
            if repaired is None or repaired == text:
                continue
            source = SourceFile(path, repaired)
        except Exception:  # a failed repair leaves the original error standing
            continue
        line = error.lineno or 1
        message = f"repaired: {error.msg or error}"
        repair = Finding(line, message, rule="repair", codemod_id=codemod.id, path=path)
        return source, repair
    return None


class _CodemodFailed(Exception):
    """A file's run stops: the error to report."""

    def __init__(self, error: FileError) -> None:
        super().__init__(error.message)
        self.error = error


class _Run:
    """One file through every codemod: the current text, its LibCST tree, what was found."""

    def __init__(
        self,
        codemods: Sequence[Codemod],
        selectors: Sequence[Selector],
        source: SourceFile,
        original: str,
        findings: list[Finding],
    ) -> None:
        self.codemods = codemods
        self.selectors = selectors
        self.source = source
        self.original = original
        self.findings = findings
        self.module: cst.Module | None = None
        self.edited_by: list[tuple[str, str]] = []
        """Each codemod that changed the text, with the text it left."""
        self.line_map = LineMap()
        if source.text != original:  # a repair
            self.line_map.add(original, source.text)

    def result(self) -> FileResult:
        path = self.source.path
        try:
            for codemod in self.codemods:
                self._run_codemod(codemod)
            if self.source.text != self.original:
                self._check_compiles()
        except _CodemodFailed as failure:
            return _failed(path, self.original, failure.error)
        return FileResult(path, self.original, self.source.text, tuple(self.findings))

    def _run_codemod(self, codemod: Codemod) -> None:
        source = self.source
        try:
            found = [
                dataclasses.replace(
                    finding,
                    codemod_id=codemod.id,
                    path=source.path,
                    rule=finding.rule or codemod.id,
                    safety=finding.safety or codemod.safety,
                    end_line=finding.last_line,
                )
                for finding in codemod.find(source)
            ]
            if not found:
                return
            decided = self._select(with_fingerprints(found, source), codemod.bare_noqa)
            chosen = [finding for finding in decided if finding.fixed]
            new_text = self._fix(codemod, chosen) if chosen else source.text
        except _CodemodFailed:
            raise
        except RecursionError:
            raise  # deep code, not a bug: the caller retries with a larger stack
        except SyntaxError as error:
            # code that parses but that the compiler rejects (a duplicate argument, a late
            # __future__ import) fails ``symtable``: that is the file's error, not a bug
            own = _compile_error(self.original, source.path)
            if isinstance(own, SyntaxError):
                raise _CodemodFailed(_syntax_error(own)) from None
            message = f"internal error: {type(error).__name__}: {error}"
            raise _CodemodFailed(FileError(1, 1, message, codemod.id)) from None
        except Exception as error:  # a codemod's bug must not take other files down
            message = f"internal error: {type(error).__name__}: {error}"
            raise _CodemodFailed(FileError(1, 1, message, codemod.id)) from None
        # a finding's data (ast nodes, plans) served its fix: dropped now, an earlier stage's
        # tree is freed (three trees of a 10 MB module take gigabytes), and a result stays
        # small and pickles without recursing into deep trees (workers send it back)
        done = (dataclasses.replace(self._as_read(f), data=None) for f in decided)
        self.findings.extend(sorted(done, key=lambda f: f.line))
        if new_text == source.text:
            return
        self.line_map.add(source.text, new_text)
        try:
            self.source = SourceFile(source.path, new_text)
        except SyntaxError as error:
            message = f"produced code that does not parse: {_syntax_error(error).message}"
            raise _CodemodFailed(FileError(1, 1, message, codemod.id)) from None
        self.edited_by.append((codemod.id, new_text))

    def _select(self, found: list[Finding], bare_noqa: bool) -> list[Finding]:
        """Mark the findings no comment, selector or missing requirement lets us fix."""
        suppressions = read_suppressions(self.source.text)
        decided = []
        for finding in found:
            reason = finding.skip or suppressions.reason(finding, bare_noqa=bare_noqa)
            if reason is None and self.selectors:
                as_read = self._as_read(finding)
                reason = next(
                    (r for select in self.selectors if (r := select(as_read)) is not None),
                    None,
                )
            decided.append(dataclasses.replace(finding, skip=reason))
        return _with_requirements(decided, lambda finding: self._as_read(finding).line)

    def _fix(self, codemod: Codemod, chosen: list[Finding]) -> str:
        if isinstance(codemod, TreeCodemod):
            edits = codemod.fix_text(self.source, chosen)
            if edits is None:
                return self._fix_tree(codemod, chosen)
        else:
            edits = codemod.fix(self.source, chosen)
        new_text = apply_edits(self.source.text, edits)
        if new_text != self.source.text:
            self.module = None  # the tree no longer matches the text
        return new_text

    def _fix_tree(self, codemod: TreeCodemod, chosen: list[Finding]) -> str:
        """Fix through the shared LibCST tree, parsed on the first tree codemod's need."""
        import libcst as cst

        if self.module is None:
            try:
                self.module = cst.parse_module(self.source.text)
            except cst.ParserSyntaxError as error:
                message = f"LibCST cannot parse this file (Python can): {error.message}"
                line, column = error.editor_line, error.editor_column
                raise _CodemodFailed(FileError(line, column, message)) from None
        self.module = codemod.fix_tree(self.module, self.source, chosen)
        code = self.module.code  # rendering can fail (RecursionError on deep nesting)
        if self.source.text.endswith("\r") and not code.endswith("\r"):
            code += "\r"  # LibCST drops the last newline of a file whose lines end in \r
        return code

    def _as_read(self, finding: Finding) -> Finding:
        """Return ``finding`` with its lines those of the file as it was read."""
        line = self.line_map.original_line(finding.line)
        end_line = self.line_map.original_line(finding.last_line)
        extent = finding.extent
        if extent is not None:
            original = self.line_map.original_line
            extent = tuple(
                (original(first), max(original(first), original(last))) for first, last in extent
            )
        return dataclasses.replace(finding, line=line, end_line=max(line, end_line), extent=extent)

    def _check_compiles(self) -> None:
        """Raise unless the new text compiles.

        The new text's ``ast`` tree is compiled, so it is not parsed a second time. When it
        does not compile and the original did not either, the error is the original's (no
        fix is written into a file that never compiled); otherwise it names the first
        codemod whose output did not compile.
        """
        path = self.source.path
        if _compile_error(self.source.tree, path) is None:
            return
        old_error = _compile_error(self.original, path)
        if old_error is not None:
            if isinstance(old_error, SyntaxError):
                raise _CodemodFailed(_syntax_error(old_error))
            raise _CodemodFailed(FileError(1, 1, str(old_error)))
        for codemod_id, stage in self.edited_by:
            error = _compile_error(stage, path)
            if error is not None:
                detail = error.msg if isinstance(error, SyntaxError) else str(error)
                message = f"the fixed code does not compile: {detail}"
                raise _CodemodFailed(FileError(1, 1, message, codemod_id))


def _compile_error(code: str | ast.Module, path: str) -> SyntaxError | ValueError | None:
    try:
        compile(code, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return error
    return None


def _with_requirements(
    findings: list[Finding], line_of: Callable[[Finding], int]
) -> list[Finding]:
    """Skip each selected finding that requires one not selected, until none is left."""
    while True:
        by_key = {finding.key: finding for finding in findings if finding.key is not None}
        chosen_keys = {key for key, finding in by_key.items() if finding.fixed}
        blocked = [
            (index, _first(missing, by_key))
            for index, finding in enumerate(findings)
            if finding.fixed and (missing := finding.requires - chosen_keys)
        ]
        if not blocked:
            return findings
        for index, missing_key in blocked:
            other = by_key.get(missing_key)
            if other is None:
                reason = "it depends on a fix that is not made"
            else:
                reason = f"it depends on the fix at line {line_of(other)}, which is not made"
                reason += f" ({other.skip})" if other.skip else ""
            findings[index] = dataclasses.replace(findings[index], skip=reason)


def _first(keys: frozenset[Hashable], by_key: dict[Hashable, Finding]) -> Hashable:
    """Return the missing requirement to name: the earliest finding's (stable across runs)."""
    return min(
        keys, key=lambda key: (by_key[key].line, by_key[key].message) if key in by_key else (0, "")
    )


def _written_error(path: str, data: bytes, result: FileResult) -> FileError | None:
    """Return why the new bytes ``data`` must not be written, or ``None``: Python must read
    them as the file's codec and the fixed text, and compile them (:func:`verify_written`).

    The refusal names the codemod when one made every change, and the codemods otherwise.
    """
    try:
        verify_written(data, result.new_text, result.encoding, path)
    except NotReadBack as error:
        message = str(error)
    except TooDeep:
        message = "the fixed file's bytes nest too deeply to compile"
    else:
        return None
    codemod_ids = result.codemod_ids
    if len(codemod_ids) == 1:
        return FileError(1, 1, f"{message}; it was left as it is", codemod_ids[0])
    by = f" (the fixes of {', '.join(codemod_ids)})" if codemod_ids else ""
    return FileError(1, 1, f"{message}{by}; it was left as it is")


def _failed(path: str, text: str, error: FileError) -> FileResult:
    return FileResult(path, text, text, error=error)


def _parse_error(text: str, error: SyntaxError) -> FileError:
    """Return the error of ``text``, which does not parse: the Python it needs, if newer.

    Code written for a newer Python (a 3.12 ``type`` statement under 3.10) is one line at
    1:1 naming that Python (:mod:`codemods.syntax_version`); invalid code keeps its
    ``SyntaxError``, at its position.
    """
    from codemods.syntax_version import newer_python_message  # LibCST: on this path only

    message = newer_python_message(text)
    if message is not None:
        return FileError(1, 1, message)
    return _syntax_error(error)


def _syntax_error(error: SyntaxError) -> FileError:
    return FileError(error.lineno or 1, error.offset or 1, error.msg or str(error))
