"""Each file's part of a project index, kept on disk beside the result cache.

Checking one file with resize-guard asks questions of its project: which classes define a
method, where a function is expected to fail (:mod:`codemods.project_index`). Each file
that may answer is parsed for its part of the index. That part depends only on the file's
module name and bytes, so it is stored under their digest and read back on the next run:
only new or edited files are parsed again.

An entry is JSON naming its module and digest; one that does not match, does not parse or
has another shape is ignored and rebuilt, never trusted.
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
