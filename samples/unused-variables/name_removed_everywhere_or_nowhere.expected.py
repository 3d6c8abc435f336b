"""Every binding of an unused name goes, or none does: half removed, it would stay unused."""

import weakref


def clear(buffer):
    weakref.ref(buffer)
    buffer = None
    return buffer
