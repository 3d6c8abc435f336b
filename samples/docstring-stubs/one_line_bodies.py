"""One-line bodies become indented blocks."""


def answer(): return 42


class Empty: ...


class Config:
    """Settings."""

    class Defaults: pass

    def validate(self): return True  # always valid
