"""Each file's part of a project index, kept on disk beside the result cache.

Checking one file with resize-guard needs the index of its whole project: every module's
classes, methods and expected failures (:mod:`codemods.project_index`). Building it parses
every file of the project (Nova: 1,508 files, about 5 seconds), which a pre-commit hook
cannot pay on each commit. A file's part depends only on its module name and bytes, so it
is stored under their digest and read back on the next run; only new or edited files are
parsed again.

A project's entry maps each of its files (relative path) to the file's size and modification
time and its index, so a run reads and parses only the files whose stamp changed.

An entry is JSON naming what it is of (module and digest, or project root); one that does
not match, does not parse or has another shape is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from codemods.writes import WriteError, write_new_file

FORMAT = 1
MISSING = object()
"""What :func:`load` returns when nothing usable is stored (``None`` is a stored answer:
the file does not parse)."""


def _entry(directory: Path, module: str, digest: str) -> Path:
    name = hashlib.sha256(f"{module}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()
    return directory / name[:2] / f"{name}.json"


def load(directory: Path, module: str, digest: str) -> Any:
    """Return the stored plain data of a file's index (``None`` too), or :data:`MISSING`."""
    try:
        entry = json.loads(_entry(directory, module, digest).read_bytes())
    except (OSError, ValueError):
        return MISSING
    if not isinstance(entry, dict) or [entry.get(k) for k in ("format", "module", "digest")] != [
        FORMAT,
        module,
        digest,
    ]:
        return MISSING
    return entry.get("index", MISSING)


def save(directory: Path, module: str, digest: str, index: Any) -> None:
    """Store the plain data of a file's index; a cache that cannot be written is skipped."""
    entry = {"format": FORMAT, "module": module, "digest": digest, "index": index}
    target = _entry(directory, module, digest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_new_file(target, json.dumps(entry, separators=(",", ":")).encode("utf-8"))
    except (OSError, WriteError):
        return


def _project_entry(directory: Path, root: str, prefix: str) -> Path:
    name = hashlib.sha256(f"{root}\0{prefix}".encode("utf-8", "surrogateescape")).hexdigest()
    return directory / "projects" / f"{name}.json"


def load_project(directory: Path, root: str, prefix: str) -> dict[str, Any]:
    """Return the stored ``relative path -> [stamp, index]`` of a project, or ``{}``."""
    try:
        entry = json.loads(_project_entry(directory, root, prefix).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(entry, dict) or [entry.get(k) for k in ("format", "root", "prefix")] != [
        FORMAT,
        root,
        prefix,
    ]:
        return {}
    files = entry.get("files")
    return files if isinstance(files, dict) else {}


def save_project(directory: Path, root: str, prefix: str, files: dict[str, Any]) -> None:
    """Store a project's ``relative path -> [stamp, index]``; a failure to write is skipped."""
    entry = {"format": FORMAT, "root": root, "prefix": prefix, "files": files}
    target = _project_entry(directory, root, prefix)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_new_file(target, json.dumps(entry, separators=(",", ":")).encode("utf-8"))
    except (OSError, WriteError):
        return
