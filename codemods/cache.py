"""A content cache of results: a file whose bytes, path and run settings were seen is not fixed again.

Each result is one JSON file under the cache directory, named by its key: the SHA-256 of

* the tool: its version, the bytes of its own source files and each plugin's distribution
  and version (a development build that changed one line is another tool);
* the run: the codemods selected, their options, the fix-safety settings and the scope
  (changed lines, baseline, a report's findings), made canonical (sets sorted);
* the file: its path and the digest of its bytes.

An entry is checked before it is used: it must be valid JSON of this format, name its own
key, carry a checksum that matches its payload, and describe a result of that file's bytes.
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
import dataclasses
import enum
import hashlib
import json
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from codemods.config import Config
from codemods.engine import FileError, FileResult
from codemods.finding import Finding, FixSafety
from codemods.paths import posix_path
from codemods.project_index import project_fingerprint
from codemods.source import DecodeError, decode_source, file_digest
from codemods.writes import WriteError, write_new_file

FORMAT = 1
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


def tool_fingerprint(version: str, plugins: Mapping[str, str]) -> str:
    """Return the digest that names this build of the tool and its plugins.

    ``plugins`` maps each plugin codemod id to its distribution and version.
    """
    digest = hashlib.sha256(f"codemods {version} format {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    digest.update(json.dumps(canonical(plugins)).encode())
    return digest.hexdigest()


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
        digest = file_digest(data)
        key = self.key(path, digest)
        try:
            raw = self._entry(key).read_bytes()
            result = _result_from_entry(raw, key, path, data, digest)
        except (OSError, CacheError, ValueError, TypeError, KeyError):
            return None
        if any(self._fingerprint(root) != digest for root, digest in result.projects):
            return None  # a file it read besides its own has changed
        self.hits += 1
        return result

    def _fingerprint(self, root: str) -> str:
        """Return the project's fingerprint now (read once per run)."""
        if root not in self._projects:
            self._projects[root] = project_fingerprint(Path(root))
        return self._projects[root]

    def store(self, result: FileResult) -> None:
        """Keep ``result`` (of the bytes whose digest it carries); failures to write are ignored."""
        if not result.digest:
            return  # no bytes were read (a read error): nothing to key it by
        key = self.key(result.path, result.digest)
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_new_file(entry, _entry_bytes(key, result))
        except (OSError, WriteError):
            return  # a read-only or full cache directory slows the next run, nothing more
        self.stored += 1

    def start_build(self) -> None:
        """On this build's first run: mark its directory, and remove other builds' entries.

        Only directories that carry the mark (:data:`BUILD_MARK`) are removed: a
        ``--cache-dir`` pointed at a directory of other things never loses any of them.
        """
        if self.directory.exists():
            return
        try:
            siblings = [child for child in self.root.iterdir() if child.is_dir()]
        except OSError:
            siblings = []
        for sibling in siblings:
            if (sibling / BUILD_MARK).is_file():
                shutil.rmtree(sibling, ignore_errors=True)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / BUILD_MARK).touch()
        except OSError:
            return  # an unwritable cache: entries are not stored, nothing else changes


def _entry_bytes(key: str, result: FileResult) -> bytes:
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
    header = {
        "format": FORMAT,
        "key": key,
        "checksum": hashlib.sha256(payload).hexdigest(),
        "sizes": [len(section) for section in sections],
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


def _result_from_entry(raw: bytes, key: str, path: str, data: bytes, digest: str) -> FileResult:
    """Rebuild a result from an entry, checking every part of it (``CacheError`` if wrong)."""
    head, _, payload = raw.partition(b"\n")
    header = json.loads(head)
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        raise CacheError("another format or key")
    if hashlib.sha256(payload).hexdigest() != header.get("checksum"):
        raise CacheError("checksum mismatch")
    sizes = header["sizes"]
    if not (isinstance(sizes, list) and len(sizes) == 3 and sum(sizes) == len(payload)):
        raise CacheError("sections of another size")
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
_DROPPED = {"key": None, "requires": frozenset(), "data": None}
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
