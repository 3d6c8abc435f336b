"""Every binding of an unused name goes, or none does: half removed, it would stay unused."""

import weakref


def clear(buffer):
    ref = weakref.ref(buffer)
    buffer = None
    ref = None
    return buffer
