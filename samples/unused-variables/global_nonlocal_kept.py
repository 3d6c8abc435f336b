"""Names declared ``global`` or ``nonlocal`` belong to another scope."""

counter = 0


def bump():
    global counter
    counter = 1


def make():
    state = 0

    def reset():
        nonlocal state
        state = 0

    return reset
