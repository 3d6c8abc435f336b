"""``x: T = value`` is handled like ``x = value``; a bare annotation stays."""


def annotated(loader):
    loader.load()
    pending: int
    return loader
