"""A content cache of results: a file whose bytes, path and run settings were seen is not fixed again.

Each result is one JSON file under the cache directory, named by its key: the SHA-256 of

* the tool: its version, the bytes of its own source files, and every file of each plugin's
  distribution (:func:`plugin_files`: the hashes its ``RECORD`` lists with each file's size
  and modification time, or for an editable install or a plugin outside a distribution the
  bytes of its package's ``.py`` files), so a development build that changed one line, or
  a plugin whose helper module was edited, is another tool;
* the run: the codemods selected, their options, the fix-safety settings and the scope
  (changed lines, baseline, a report's findings), made canonical (sets sorted);
* the file: its path and the digest of its bytes.

The cache is private to its user and authenticated (the trust model in docs/usage.md): its
directory must belong to this user and not be writable by group or others, nor be under a
directory that is (else one warning, and the run goes on without the cache); it is created
0700 and entries are written 0600 whatever the umask; each entry carries an HMAC-SHA256
under a secret of 32 random bytes kept 0600 in the cache directory, so only a process that
can read that secret (this user) can write an entry this tool will use. Entries are read
through a bounded reader (:func:`codemods.index_store.read_private_file`: a regular file of
this user, not through a link, at most :data:`~codemods.index_store.MAX_ENTRY_SIZE`).

An entry is checked before it is used: it must be valid JSON of this format, name its own
key, carry a MAC that verifies over its payload, and describe a result of that file's bytes.
Anything else (a truncated write, a foreign or older format, a hand-edited file) is ignored
and replaced; a corrupt entry is never trusted. Entries are written to a temporary file and
renamed into place, so concurrent runs share the directory safely: a reader sees a whole
entry or none, and two writers of one key write the same bytes. A result that depends on
more than its file (resize-guard read the project's other files) names those projects with
the digest of their files' names, sizes and modification times
(:func:`codemods.project_index.project_fingerprint`), and is used only while that digest
is unchanged.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import enum
import hashlib
import hmac
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Mapping
from importlib.metadata import Distribution, EntryPoint
from pathlib import Path, PurePath
from typing import Any

from codemods.config import Config
from codemods.engine import FileError, FileResult
from codemods.environment import environment_fingerprint
from codemods.finding import Finding, FixSafety
from codemods.index_store import (
    MAX_ENTRY_SIZE,
    UntrustedStore,
    directory_secret,
    mac,
    private_subdirectory,
    read_private_file,
    write_private_file,
)
from codemods.paths import posix_path
from codemods.project_index import ENVIRONMENT_PREFIX, project_fingerprint
from codemods.source import (
    DecodeError,
    NotRegularFile,
    decode_source,
    file_digest,
    read_regular_file,
)

FORMAT = 2
"""The version of the entry layout; entries of another format are ignored."""
CACHE_DIR_VARIABLE = "CODEMODS_CACHE_DIR"
"""The environment variable that sets the cache directory (as ``--cache-dir``)."""
BUILD_MARK = ".codemods-cache-build"
"""The file that marks a directory as one build's entries (the only ones ever removed)."""
NO_CACHE_VARIABLE = "CODEMODS_NO_CACHE"
"""The environment variable that turns the cache off (as ``--no-cache``)."""

_FINDING_FIELDS = (
    "line",
    "message",
    "action",
    "end_line",
    "rule",
    "codes",
    "safety",
    "skip",
    "anchor",
    "extent",
    "codemod_id",
    "path",
    "scope",
    "fingerprint",
)
"""The fields of a :class:`Finding` a result carries out of the engine (``data``, ``key``
and ``requires`` serve the engine's own selection and are dropped before)."""


class CacheError(Exception):
    """A cache entry is not one this run can use (the message says why)."""


def default_directory() -> Path:
    """Return the user cache directory of codemods (``~/.cache/codemods`` on Linux)."""
    import platformdirs  # only runs that use the cache pay for the import

    return Path(platformdirs.user_cache_dir("codemods", appauthor=False))


def canonical(value: Any) -> Any:
    """Return ``value`` as plain JSON data that is the same in every process (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return {"type": type(value).__qualname__, **canonical(fields)}
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=_text_key)}
    if isinstance(value, set | frozenset):
        return sorted((canonical(item) for item in value), key=json.dumps)
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, PurePath):
        return value.as_posix()  # forward slashes on every OS
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def _text_key(item: tuple[Any, Any]) -> str:
    return str(item[0])


def tool_fingerprint(
    version: str, plugins: Mapping[str, str], files: Mapping[str, str] | None = None
) -> str:
    """Return the digest that names this build of the tool and its plugins.

    ``plugins`` maps each plugin codemod id to its distribution and version; ``files``
    maps each plugin entry point to the digest of its distribution's files
    (:func:`plugin_files`, computed when not given).
    """
    digest = hashlib.sha256(f"codemods {version} format {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    digest.update(json.dumps(canonical(plugins)).encode())
    digest.update(json.dumps(canonical(plugin_files() if files is None else files)).encode())
    return digest.hexdigest()


def plugin_files() -> dict[str, str]:
    """Return, for each plugin entry point (``name=module:Class``), a digest of its files.

    From the distribution's ``RECORD`` (:func:`distribution_digest`) when it has one and
    is not an editable install; else (editable, no ``RECORD``, no distribution) from the
    ``.py`` files of the entry point's top-level package (:func:`package_digest`).
    """
    from importlib.metadata import entry_points

    from codemods.fixes.registry import ENTRY_POINT_GROUP

    digests = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        distribution: Distribution | None = getattr(entry, "dist", None)
        digest = None
        if distribution is not None and not _is_editable(distribution):
            digest = distribution_digest(distribution)
        digests[f"{entry.name}={entry.value}"] = digest or package_digest(entry)
    return digests


def _is_editable(distribution: Distribution) -> bool:
    """Return whether ``distribution`` is an editable install (PEP 610 ``direct_url.json``)."""
    try:
        direct = json.loads(distribution.read_text("direct_url.json") or "{}")
        return bool(direct.get("dir_info", {}).get("editable", False))
    except (ValueError, AttributeError, OSError):
        return False


def distribution_digest(distribution: Distribution) -> str | None:
    """Return the digest of every file ``distribution``'s ``RECORD`` lists, or ``None``.

    Each file counts by its name, its current size and modification time, and the hash
    ``RECORD`` gives (the bytes of a ``.py`` file that has none); compiled ``__pycache__``
    files are left out (Python rewrites them). ``None``: no ``RECORD``.
    """
    files = distribution.files
    if not files:
        return None
    digest = hashlib.sha256(f"{distribution.name} {distribution.version}\n".encode())
    for file in sorted(files, key=str):
        if "__pycache__" in file.parts:
            continue
        digest.update(str(file).encode("utf-8", "surrogateescape") + b"\0")
        located = Path(str(file.locate()))
        try:
            status = located.stat()
        except OSError:
            digest.update(b"missing\0")
            continue
        digest.update(f"{status.st_size} {status.st_mtime_ns}\0".encode())
        if file.hash is not None:
            digest.update(f"{file.hash.mode}={file.hash.value}\0".encode())
        elif located.suffix == ".py":
            digest.update(_source_digest(located).encode() + b"\0")
    return digest.hexdigest()


def package_digest(entry: EntryPoint) -> str:
    """Return the digest of the ``.py`` files of ``entry``'s top-level package.

    A package: every ``.py`` file under its directories; a single module: the ``.py``
    files beside it (its helpers, if any, are there). ``"unknown"`` if it cannot be found.
    """
    top = entry.value.partition(":")[0].strip().partition(".")[0]
    module = sys.modules.get(top)
    locations: list[str] = list(getattr(module, "__path__", None) or [])
    origin = getattr(module, "__file__", None)
    if module is None:
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            locations = list(spec.submodule_search_locations or [])
            origin = spec.origin
    if locations:
        sources = [s for place in locations for s in sorted(Path(place).rglob("*.py"))]
    elif origin:
        sources = sorted(Path(origin).parent.glob("*.py"))
    else:
        return "unknown"
    digest = hashlib.sha256(top.encode() + b"\n")
    for source in sources:
        if "__pycache__" not in source.parts:
            digest.update(source.as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(_source_digest(source).encode() + b"\0")
    return digest.hexdigest()


def _source_digest(path: Path) -> str:
    """Return the digest of a source file's bytes (``"unreadable"`` if it cannot be read)."""
    try:
        return file_digest(read_regular_file(path))
    except (OSError, NotRegularFile):
        return "unreadable"


def run_fingerprint(config: Config) -> str:
    """Return the digest of everything in ``config`` that can change a file's result."""
    settings = {
        "codemods": [(codemod.id, codemod.options) for codemod in config.build_codemods()],
        "unsafe_fixes": config.unsafe_fixes,
        "extend_safe_fixes": config.extend_safe_fixes,
        "extend_unsafe_fixes": config.extend_unsafe_fixes,
        "per_file_ignores": config.per_file_ignores,
        "root": config.root.as_posix(),  # the project root (patterns are relative to it)
        "changes": None
        if config.changes is None
        else {k.as_posix(): v for k, v in config.changes.items()},
        "changes_source": config.changes_source,
        "baseline": config.baseline,
        "rule_map": config.rule_map,
        "claims": config.claims,
        "claims_root": None if config.claims_root is None else config.claims_root.as_posix(),
    }
    return hashlib.sha256(json.dumps(canonical(settings), sort_keys=True).encode()).hexdigest()


class ResultCache:
    """Results by key, one JSON file each, under ``directory/<tool fingerprint>/``."""

    def __init__(self, directory: Path, tool: str, run: str) -> None:
        """Use ``directory`` for this tool build (``tool``) and these run settings (``run``)."""
        self.root = directory
        self.directory = directory / tool[:16]
        self.run = run
        self.hits = 0
        self.stored = 0
        self._projects: dict[str, str] = {}
        self._secret: bytes | None = None
        self._checked = False
        self._private: set[Path] = set()
        """Entry directories already made or checked private in this run."""

    @property
    def usable(self) -> bool:
        """Whether the cache directory is private to this user (checked once, warned once)."""
        return self._ready() is not None

    def _ready(self) -> bytes | None:
        """Return the cache's secret once its directory is private; ``None``: not usable.

        The first call checks (and makes) the directory and reads (or creates) the secret;
        if either is not private to this user, one warning line goes to stderr and the
        cache is neither read nor written for the rest of the run.
        """
        if not self._checked:
            self._checked = True
            try:
                self._secret = directory_secret(self.root)
            except UntrustedStore as error:
                _warn(f"{error}; running without the result cache")
            except OSError as error:
                _warn(
                    f"cannot use the cache directory {self.root}: {error.strerror or error}; "
                    "running without the result cache"
                )
        return self._secret

    def _private_directory(self, directory: Path) -> None:
        """Make ``directory`` (the build's, or one of its entry folders) private, once."""
        if directory not in self._private:
            private_subdirectory(directory)
            self._private.add(directory)

    def key(self, path: str, digest: str) -> str:
        """Return the key of the result for ``path`` with bytes of ``digest`` in this run.

        The path is the run's own name for the file (the one the entry records), keyed with
        forward slashes on every OS (:mod:`codemods.paths`).
        """
        name = posix_path(path)
        return hashlib.sha256(
            f"{self.run}\0{name}\0{digest}".encode("utf-8", "surrogatepass")
        ).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def load(self, path: str, data: bytes) -> FileResult | None:
        """Return the stored result for ``path`` with these bytes, or ``None`` (never a bad one)."""
        secret = self._ready()
        if secret is None:
            return None
        digest = file_digest(data)
        key = self.key(path, digest)
        try:
            raw = read_private_file(self._entry(key), MAX_ENTRY_SIZE)
            result = _result_from_entry(raw, key, path, data, digest, secret)
        except (OSError, UntrustedStore, CacheError, ValueError, TypeError, KeyError):
            return None
        if any(self._fingerprint(root) != digest for root, digest in result.projects):
            return None  # a file it read besides its own has changed
        self.hits += 1
        return result

    def _fingerprint(self, root: str) -> str:
        """Return the project's fingerprint now (read once per run)."""
        if root not in self._projects:
            if root.startswith(ENVIRONMENT_PREFIX):
                self._projects[root] = environment_fingerprint(root[len(ENVIRONMENT_PREFIX) :])
            else:
                self._projects[root] = project_fingerprint(Path(root))
        return self._projects[root]

    def store(self, result: FileResult) -> None:
        """Keep ``result`` (of the bytes whose digest it carries); failures to write are ignored."""
        secret = self._ready()
        if not result.digest or secret is None:
            return  # no bytes were read (a read error): nothing to key it by; or no cache
        key = self.key(result.path, result.digest)
        entry = self._entry(key)
        try:
            self._private_directory(self.directory)
            self._private_directory(entry.parent)
            write_private_file(entry, _entry_bytes(key, result, secret))
        except (OSError, UntrustedStore):
            return  # a read-only or full cache directory slows the next run, nothing more
        self.stored += 1

    def start_build(self) -> None:
        """On this build's first run: mark its directory, and remove other builds' entries.

        Only directories that carry the mark (:data:`BUILD_MARK`) are removed: a
        ``--cache-dir`` pointed at a directory of other things never loses any of them.
        """
        if self._ready() is None or os.path.lexists(self.directory):
            return
        try:
            siblings = [child for child in self.root.iterdir() if child.is_dir()]
        except OSError:
            siblings = []
        for sibling in siblings:
            if (sibling / BUILD_MARK).is_file():
                shutil.rmtree(sibling, ignore_errors=True)
        try:
            self._private_directory(self.directory)
            write_private_file(self.directory / BUILD_MARK, b"")
        except (OSError, UntrustedStore):
            return  # an unwritable cache: entries are not stored, nothing else changes


def _warn(message: str) -> None:
    """Write one warning line to stderr (the run goes on)."""
    with contextlib.suppress(OSError, ValueError):  # a closed stderr: nothing to tell
        sys.stderr.write(f"warning: {message}\n")
        sys.stderr.flush()


def _entry_mac(secret: bytes, key: str, sizes: list[int], payload: bytes) -> str:
    """Return the MAC of an entry: its format, key, section sizes and payload."""
    return mac(
        secret,
        f"codemods result entry {FORMAT}".encode(),
        key.encode("ascii"),
        json.dumps(sizes).encode("ascii"),
        payload,
    )


def _entry_bytes(key: str, result: FileResult, secret: bytes) -> bytes:
    """Return an entry: a JSON header line, then the result's description, new text and diff.

    The texts are stored as they are (not inside JSON), so reading an entry back costs
    little more than reading the file.
    """
    changed = result.new_text != result.old_text
    rendered = result.rendered_diff
    meta = {
        "path": result.path,
        "digest": result.digest,
        "encoding": result.encoding,
        "changed": changed,
        "new_data": None
        if result.new_data is None
        else base64.b64encode(result.new_data).decode("ascii"),
        "error": None if result.error is None else dataclasses.astuple(result.error),
        "findings": [_finding_data(finding) for finding in result.findings],
        "diff_codec": None if rendered is None else rendered[1],
        "projects": result.projects,
    }
    sections = [
        json.dumps(meta, separators=(",", ":")).encode("ascii"),
        _encoded(result.new_text if changed else ""),
        _encoded("" if rendered is None else rendered[0]),
    ]
    payload = b"".join(sections)
    sizes = [len(section) for section in sections]
    header = {
        "format": FORMAT,
        "key": key,
        "mac": _entry_mac(secret, key, sizes, payload),
        "sizes": sizes,
    }
    return json.dumps(header).encode("ascii") + b"\n" + payload


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _finding_data(finding: Finding) -> list[Any]:
    values = [getattr(finding, name) for name in _FINDING_FIELDS]
    safety_index = _FINDING_FIELDS.index("safety")
    safety = values[safety_index]
    values[safety_index] = None if safety is None else safety.value
    return values


def _result_from_entry(
    raw: bytes, key: str, path: str, data: bytes, digest: str, secret: bytes
) -> FileResult:
    """Rebuild a result from an entry, checking every part of it (``CacheError`` if wrong)."""
    head, _, payload = raw.partition(b"\n")
    header = json.loads(head)
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        raise CacheError("another format or key")
    sizes = header["sizes"]
    if not (
        isinstance(sizes, list)
        and len(sizes) == 3
        and all(type(size) is int and size >= 0 for size in sizes)
        and sum(sizes) == len(payload)
    ):
        raise CacheError("sections of another size")
    code = header.get("mac")
    if not isinstance(code, str) or not hmac.compare_digest(
        code.encode("ascii", "replace"), _entry_mac(secret, key, sizes, payload).encode("ascii")
    ):
        raise CacheError("the MAC does not verify (not written by this user's cache)")
    meta_end, text_end = sizes[0], sizes[0] + sizes[1]
    meta = json.loads(payload[:meta_end])
    if meta["path"] != path or meta["digest"] != digest:
        raise CacheError("an entry of other bytes")
    try:
        old_text = decode_source(data).text
    except DecodeError:
        old_text = ""  # the engine reports undecodable bytes with an empty text
    new_text = payload[meta_end:text_end].decode("utf-8", "surrogatepass")
    new_data = meta["new_data"]
    error = meta["error"]
    codec = meta["diff_codec"]
    rendered = None
    if codec is not None:
        rendered = (payload[text_end:].decode("utf-8", "surrogatepass"), _text(codec))
    return FileResult(
        path,
        old_text,
        new_text if meta["changed"] is True else old_text,
        tuple(_finding(values) for values in meta["findings"]),
        error=None if error is None else FileError(*error),
        encoding=_text(meta["encoding"]),
        digest=digest,
        old_data=None if new_data is None else data,
        new_data=None if new_data is None else base64.b64decode(new_data, validate=True),
        rendered_diff=rendered,
        projects=tuple((_text(root), _text(digest)) for root, digest in meta["projects"]),
    )


_SAFETY = {safety.value: safety for safety in FixSafety}
_DROPPED: dict[str, Any] = {"key": None, "requires": frozenset(), "data": None}
"""The fields a result's findings no longer carry (see :data:`_FINDING_FIELDS`)."""


def _finding(values: list[Any]) -> Finding:
    """Rebuild a finding (tens of thousands in a warm run: set its fields, skip ``__init__``)."""
    if not isinstance(values, list) or len(values) != len(_FINDING_FIELDS):
        raise CacheError("a finding of another shape")
    fields = dict(zip(_FINDING_FIELDS, values, strict=True))
    if not isinstance(fields["line"], int) or not isinstance(fields["message"], str):
        raise CacheError("a finding without its line or message")
    fields["codes"] = tuple(fields["codes"])
    safety = fields["safety"]
    fields["safety"] = None if safety is None else _SAFETY[safety]
    if fields["extent"] is not None:
        fields["extent"] = tuple((int(first), int(last)) for first, last in fields["extent"])
    finding = object.__new__(Finding)
    finding.__dict__.update(fields, **_DROPPED)
    return finding


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise CacheError("a text field that is not text")
    return value
