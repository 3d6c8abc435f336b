"""``x += 1`` reads ``x``: removing ``x = 0`` would raise UnboundLocalError."""


def count(items):
    seen = 0
    for item in items:
        seen += 1
    return items
