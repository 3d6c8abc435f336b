"""Type comments stay on the line mypy reads them from."""

from typing import List


class Base:
    """A store of bytes."""

    def size(self):
        # type: () -> int
        return 1

    def encode(self, text):
        # type: (str) -> bytes
        # UTF-8 is all the store speaks.
        return text.encode()

    def decode(self, data):  # type: (bytes) -> str
        return data.decode()


class Child(Base):
    """A store that counts in words."""

    def count(self) -> str: return "one"  # type: ignore[override]

    def close(self): pass  # pragma: no cover

    def open(self): return self  # noqa: E704

    def keys(self): keys = []  # type: List[str]

    def load(self): return self.data  # type: ignore

    def dump(self): return self.data  # type: ignore[attr-defined]
