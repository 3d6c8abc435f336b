"""``x: T = value`` is handled like ``x = value``; a bare annotation stays."""


def annotated(loader):
    count: int = 0
    rows: list[str] = loader.load()
    pending: int
    return loader
