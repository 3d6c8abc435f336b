"""The list of codemods, in the fixed order the engine runs them on a file.

Built-in codemods run in this order, each on the tree the previous one left:

1. ``indentation`` first, so that code the others insert follows the normalised indent;
2. ``unused-variables``, so that no later codemod wraps or documents dead code;
3. ``resize-guard``;
4. ``docstring-stubs`` last, so it documents the final structure.

Third-party codemods register through the entry-point group ``codemods.fixes``; each entry
point names a :class:`~codemods.fixes.base.Codemod` subclass. They run after the built-ins,
ordered by id. A plugin cannot replace a built-in id.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import sys
from importlib.metadata import entry_points

from codemods.fixes.base import Codemod

ENTRY_POINT_GROUP = "codemods.fixes"

_BUILTIN_CLASSES: tuple[str, ...] = (
    "codemods.fixes.indentation:Indentation",
    "codemods.fixes.unused_variables:UnusedVariables",
    "codemods.fixes.resize_guard:ResizeGuard",
    "codemods.fixes.docstring_stubs:DocstringStubs",
)
"""``module:Class`` of each built-in codemod, in run order."""


class RegistryError(Exception):
    """A plugin could not be loaded or clashes with another codemod."""


@functools.cache
def all_codemods() -> dict[str, type[Codemod]]:
    """Return every known codemod class by id, in run order (built-ins, then plugins)."""
    registry: dict[str, type[Codemod]] = {}
    for dotted in _BUILTIN_CLASSES:
        module_name, class_name = dotted.split(":")
        codemod = getattr(importlib.import_module(module_name), class_name)
        registry[codemod.id] = codemod
    plugins: dict[str, type[Codemod]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            codemod = entry.load()
        except Exception as error:  # a broken plugin must name itself
            raise RegistryError(f"cannot load codemod plugin {entry.value!r}: {error}") from error
        if not (isinstance(codemod, type) and issubclass(codemod, Codemod)):
            raise RegistryError(f"plugin {entry.value!r} is not a codemods Codemod subclass")
        if codemod.id in registry or codemod.id in plugins:
            raise RegistryError(f"plugin {entry.value!r} reuses the codemod id {codemod.id!r}")
        plugins[codemod.id] = codemod
    registry.update(sorted(plugins.items()))
    return registry


def get_codemod(codemod_id: str) -> type[Codemod]:
    """Return the codemod class with this id, or raise ``KeyError`` naming the known ids."""
    registry = all_codemods()
    if codemod_id not in registry:
        known = ", ".join(registry) or "none"
        raise KeyError(f"unknown codemod {codemod_id!r} (known: {known})")
    return registry[codemod_id]


def plugin_versions() -> dict[str, str]:
    """Return each plugin codemod's id with its distribution, version and source digest.

    What names a build of the tool for the result cache: an edited plugin (an editable
    install keeps its version) must not reuse results of its older code.
    """
    versions = {}
    for codemod_id, codemod in all_codemods().items():
        module = sys.modules.get(codemod.__module__)
        if module is None or module.__name__.startswith("codemods."):
            continue
        try:
            with open(module.__file__ or "", "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            digest = "unknown source"
        versions[codemod_id] = f"{module.__name__} {getattr(module, '__version__', '')} {digest}"
    return versions
