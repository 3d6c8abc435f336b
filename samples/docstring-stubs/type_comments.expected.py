"""Type comments stay on the line mypy reads them from."""

from typing import List


class Base:
    """A store of bytes."""

    def size(self):
        # type: () -> int
        """Describe size."""
        return 1

    def encode(self, text):
        # type: (str) -> bytes
        """Encode."""
        # UTF-8 is all the store speaks.
        return text.encode()

    def decode(self, data):  # type: (bytes) -> str
        """Decode."""
        return data.decode()


class Child(Base):
    """A store that counts in words."""

    def count(self) -> str:  # type: ignore[override]
        """Count."""
        return "one"

    def close(self):  # pragma: no cover
        """Close."""
        pass

    def open(self):  # noqa: E704
        """Open."""
        return self

    def keys(self): keys = []  # type: List[str]

    def load(self): return self.data  # type: ignore

    def dump(self): return self.data  # type: ignore[attr-defined]
