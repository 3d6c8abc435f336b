"""``del x`` is a use: removing ``x = ...`` would make the ``del`` fail."""


def scratch(api):
    buffer = api.allocate()
    api.fill()
    del buffer
