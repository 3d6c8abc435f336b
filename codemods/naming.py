"""Turn identifiers into English: the one-line summaries that docstring stubs start with.

``get_flavors`` -> ``Get flavors.``, ``setUp`` -> ``Set up.``, ``__repr__`` ->
``Return repr(self).``, ``ServerGroupTestCase`` -> ``Server group test case.``, a module from
its file name. Where a name gives no honest summary (a function whose first word is not a
known verb, letters the word rule does not know), the answer is ``None`` and the caller writes
its placeholder: nothing here invents prose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from codemods.exports import is_private

PREDICATE_WORDS = frozenset({"is", "has", "can", "should", "was", "are", "does", "needs"})
"""First words of a yes/no name: ``is_ready`` -> ``Return whether it is ready.``."""

VERBS = frozenset(
    """
    abort accept acquire activate adapt add adjust advance aggregate allocate allow announce
    append apply archive arrange assemble assert assign attach audit authenticate authorize
    backup become begin bind block boot bootstrap bounce break build bump cache calculate call
    cancel capture cast change check choose clean cleanup clear clone close collect combine
    commit compare compile complete compose compress compute configure confirm connect consume
    convert copy count create cut deactivate debug decode decorate decrement decrypt define
    delete deliver deny deploy derive describe deserialize destroy detach detect determine
    disable disconnect discover dispatch display do download drain drop dump edit emit enable
    encode encrypt end enqueue ensure enter escape evacuate evaluate exclude execute exit expand
    expect expire export extend extract fail fetch fill filter find finish fix flatten flush
    force fork format free freeze gather generate get grab grant group guess handle hash hide
    import include increment index inject insert inspect install instantiate invalidate invoke
    iterate join keep kill launch list listen load lock log lookup make manage map mark match
    merge migrate mock modify monitor mount move normalize notify obtain open override pack
    parse pass patch pause perform persist pick ping place poll populate post prepare prepend
    print process produce prune publish pull purge push put query queue quote raise read
    rebuild receive record recover reboot redirect reduce refresh register reject release reload
    remove rename render repair replace report request require rescue reserve reset resize
    resolve restart restore resume retrieve retry return revert rollback rotate route run sanitize
    save scan schedule search select send serialize set setup shelve show shut shutdown simulate
    skip sleep sort spawn split start stash step stop store strip stub submit subscribe suspend
    swap switch sync synchronize take tear teardown terminate test throw toggle track transform
    translate trigger trim truncate try undo unlock unpack unpause unregister unrescue unset
    unshelve unsubscribe update upgrade upload use validate verify visit wait walk warn watch
    wrap write yield coerce hydrate plug unplug power initialize umount undefine generalize
    unreserve downgrade claim pin shift snapshot fake
    """.split()
)
"""First words taken to be imperative verbs; a function whose name starts otherwise gets the
placeholder (never invented prose)."""

SPLIT_VERBS = {"setup": "set up", "teardown": "tear down", "cleanup": "clean up"}

MAGIC_SUMMARIES: dict[str, str] = {
    "__repr__": "Return repr(self).",
    "__str__": "Return str(self).",
    "__bytes__": "Return bytes(self).",
    "__format__": "Return format(self, format_spec).",
    "__hash__": "Return hash(self).",
    "__bool__": "Return bool(self).",
    "__len__": "Return len(self).",
    "__length_hint__": "Return an estimate of len(self).",
    "__iter__": "Implement iter(self).",
    "__next__": "Implement next(self).",
    "__aiter__": "Implement aiter(self).",
    "__anext__": "Implement anext(self).",
    "__reversed__": "Implement reversed(self).",
    "__contains__": "Return key in self.",
    "__getitem__": "Return self[key].",
    "__setitem__": "Set self[key] to value.",
    "__delitem__": "Delete self[key].",
    "__missing__": "Return the value for a missing key.",
    "__getattr__": "Implement getattr(self, name).",
    "__getattribute__": "Implement getattr(self, name).",
    "__setattr__": "Implement setattr(self, name, value).",
    "__delattr__": "Implement delattr(self, name).",
    "__dir__": "Implement dir(self).",
    "__call__": "Call self as a function.",
    "__new__": "Create and return a new object.",
    "__del__": "Finalize the object.",
    "__enter__": "Enter the runtime context.",
    "__exit__": "Exit the runtime context.",
    "__aenter__": "Enter the asynchronous runtime context.",
    "__aexit__": "Exit the asynchronous runtime context.",
    "__await__": "Return an iterator for await.",
    "__eq__": "Return self == other.",
    "__ne__": "Return self != other.",
    "__lt__": "Return self < other.",
    "__le__": "Return self <= other.",
    "__gt__": "Return self > other.",
    "__ge__": "Return self >= other.",
    "__neg__": "Return -self.",
    "__pos__": "Return +self.",
    "__abs__": "Return abs(self).",
    "__invert__": "Return ~self.",
    "__int__": "Return int(self).",
    "__float__": "Return float(self).",
    "__complex__": "Return complex(self).",
    "__index__": "Return self as an integer index.",
    "__round__": "Return round(self).",
    "__copy__": "Return a shallow copy of self.",
    "__deepcopy__": "Return a deep copy of self.",
    "__reduce__": "Return the state for pickling.",
    "__reduce_ex__": "Return the state for pickling.",
    "__getstate__": "Return the state for pickling.",
    "__setstate__": "Restore the state from a pickle.",
    "__getnewargs__": "Return the arguments for __new__ when unpickling.",
    "__sizeof__": "Return the size of self in memory, in bytes.",
    "__fspath__": "Return the file system path of self.",
    "__get__": "Return an attribute of instance, which is of type owner.",
    "__set__": "Set an attribute of instance to value.",
    "__delete__": "Delete an attribute of instance.",
    "__set_name__": "Record the owner class and the attribute name.",
    "__init_subclass__": "Initialize a subclass.",
    "__class_getitem__": "Return a generic alias of the class.",
    "__instancecheck__": "Return isinstance(instance, self).",
    "__subclasscheck__": "Return issubclass(subclass, self).",
    "__post_init__": "Finish initializing the dataclass.",
}
"""The summary of each special method (operators are added below; a dunder not listed gets
none)."""
_OPERATORS = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "matmul": "@",
    "truediv": "/",
    "floordiv": "//",
    "mod": "%",
    "pow": "**",
    "lshift": "<<",
    "rshift": ">>",
    "and": "&",
    "xor": "^",
    "or": "|",
}
for _name, _symbol in _OPERATORS.items():
    MAGIC_SUMMARIES[f"__{_name}__"] = f"Return self {_symbol} other."
    MAGIC_SUMMARIES[f"__r{_name}__"] = f"Return other {_symbol} self."
    MAGIC_SUMMARIES[f"__i{_name}__"] = f"Implement self {_symbol}= other."

ACRONYMS: dict[str, str] = {
    word.lower(): word
    for word in """
    API CLI CPU DB DNS GPU HTTP HTTPS ID IP IPv4 IPv6 JSON NIC NUMA PCI QoS RPC SQL SSH SSL
    TLS URI URL UUID VIF VM VNC XML YAML vCPU
    """.split()
}
"""Words spelled as acronyms whatever the identifier's case (``get_rpc_api`` -> ``Get RPC
API.``, ``NumaTopology`` -> ``NUMA topology``), also with a plural ``s`` (``ids`` ->
``IDs``). The mixed-case ones (``QoS``, ``IPv6``, ``vCPU``) are also found as one word inside
a CamelCase name (``WithQoSPort`` -> with, QoS, port)."""
NUMBERED_WORDS = frozenset({"base64", "md5", "py2", "py3", "qcow2", "sha1", "sha256", "utf8"})
"""Names with a number that stay one word in CamelCase too (``Base64Encoder`` -> base64,
encoder), where another word lets go of its digits (``TestBug2140631`` -> test, bug,
2140631)."""
_MIXED_CASE = "|".join(
    sorted((w for w in ACRONYMS.values() if not w.isupper()), key=len, reverse=True)
)
_PIECE = re.compile(
    rf"(?:{_MIXED_CASE})s?(?![a-z])|[A-Z]{{2,}}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+"
    r"|[A-Z]+|[0-9]+[a-z]*"
)
"""One piece of a name part: a mixed-case acronym, a plural acronym (``IDs``), an upper-case
run before a capitalized word (``HTTPServer``), a word, an upper-case run, a number with the
letters after it (``5x``)."""


def name_words(name: str) -> list[str]:
    """Split an identifier into words the way people read it.

    Underscores and case changes separate words (``setUpClass`` -> set, up, class) and an
    upper-case run is one word (``HTTPServerError`` -> HTTP, server, error). Digits: a number
    with the letters right after it is one word (``5x``); it stays with the letters before it
    in an all-lower-case part, as written (``v2``, ``sha256sum``), after a single letter
    (``V2``, ``x86``), after an acronym (``HTTP2``), in a known acronym (``Ipv6``) and in
    :data:`NUMBERED_WORDS` (``Base64``); otherwise a CamelCase word lets go of it
    (``Version5x`` -> version, 5x; ``TestBug2140631`` -> test, bug, 2140631). Words in
    :data:`ACRONYMS` are spelled as there, other upper-case runs are kept, everything else is
    lower case. Letters outside ASCII give no words (``[]``).
    """
    words: list[str] = []
    for part in name.split("_"):
        if not part:
            continue
        pieces = _PIECE.findall(part)
        if "".join(pieces) != part:
            return []  # letters the rule does not know (non-ASCII): no summary
        lower_part = part == part.lower()
        joined: list[str] = []
        for piece in pieces:
            previous = joined[-1] if joined else ""
            if piece[0].isdigit() and previous.isalpha():
                if (
                    lower_part
                    or len(previous) == 1
                    or (previous.isupper() and not piece[-1].isalpha())
                    or (previous + piece).lower() in ACRONYMS
                    or (previous + piece).lower() in NUMBERED_WORDS
                ):
                    joined[-1] = previous + piece
                    continue
            joined.append(piece)
        words.extend(_spelled(word) for word in joined)
    return words


def _spelled(word: str) -> str:
    """Spell a word: a known acronym as such, another upper-case run as it is, else lower."""
    lower = word.lower()
    if lower in ACRONYMS:
        return ACRONYMS[lower]
    if lower.endswith("s") and lower[:-1] in ACRONYMS:
        return ACRONYMS[lower[:-1]] + "s"
    letters = [char for char in word if char.isalpha()]
    if len(letters) > 1 and word.isupper():
        return word
    return lower


def _sentence(words: Sequence[str]) -> str | None:
    if not words:
        return None
    text = " ".join(words)
    text = text[0].upper() + text[1:] + "."
    return None if text.startswith("This ") else text


def class_summary(name: str) -> str | None:
    """Summarise a class by its name: ``ServerGroupTestCase`` -> ``Server group test case.``."""
    return _sentence(name_words(name))


def function_summary(name: str, owner: str | None = None, is_property: bool = False) -> str | None:
    """Derive an imperative summary from a function's name, or ``None`` (write a placeholder).

    ``owner`` is the name of the class a method belongs to (``__init__`` initializes it);
    a property is summarised as what it is (``the flavors``), not as an action.
    """
    if name == "__init__" and owner is not None:
        return f"Initialize {owner}."
    if name.startswith("__") and name.endswith("__"):
        return MAGIC_SUMMARIES.get(name)
    words = name_words(name)
    if not words:
        return None
    if is_property:
        if words[0] in PREDICATE_WORDS and len(words) > 1:
            return _sentence(["whether", "it", *words])
        return _sentence(["the", *words])
    if words[0] in PREDICATE_WORDS and len(words) > 1:
        return _sentence(["return", "whether", "it", *words])
    first = words[0]
    if first in ("to", "from", "as") and len(words) > 1:  # to_dict, from_legacy, as_list
        verb = "create" if first == "from" else "convert"
        return _sentence([verb, "to" if first == "as" else first, *words[1:]])
    if first in SPLIT_VERBS:
        return _sentence([SPLIT_VERBS[first], *words[1:]])
    if first in VERBS:
        return _sentence(words)
    return None


def module_identity(path: str) -> tuple[str, str, bool]:
    """Return the module's name, kind (module/package) and whether ruff deems it private."""
    file_path = Path(path)
    stem = file_path.stem
    kind = "package" if stem == "__init__" else "module"
    components = [stem, *_package_parts(file_path)]
    private = any(is_private(part) for part in components)
    name = file_path.parent.name if kind == "package" else stem
    return name, kind, private


def _package_parts(file_path: Path) -> list[str]:
    """Return the names of the packages holding the file (directories with ``__init__.py``).

    For a path that does not exist on disk (text given in memory), every directory of the
    relative path is taken as a package, which is what ruff sees for such a tree.
    """
    parts: list[str] = []
    if file_path.exists():
        directory = file_path.resolve().parent
        while (directory / "__init__.py").exists() and directory != directory.parent:
            parts.append(directory.name)
            directory = directory.parent
        return parts
    return [part for part in file_path.parent.parts if part not in ("", ".", "..", os.sep)]


def module_summary(name: str, kind: str, path: str) -> str | None:
    """Summarise a module by its name (a package: ``... package.``; ``__main__``: how it runs)."""
    if not name.isprintable():  # a file name with undecodable bytes: not words to use
        return None
    if name == "__main__":
        package = name_words(Path(path).parent.name)
        return _sentence(["run", *package, "as", "a", "program"]) if package else None
    words = name_words(name)
    if kind == "package" and words:
        words = [*words, "package"]
    return _sentence(words)
