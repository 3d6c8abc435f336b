"""One-line bodies become indented blocks."""


def answer():
    """Describe answer."""
    return 42


class Empty:
    """Empty."""

    ...


class Config:
    """Settings."""

    class Defaults:
        """Defaults."""

        pass

    def validate(self):
        """Validate."""
        return True  # always valid
