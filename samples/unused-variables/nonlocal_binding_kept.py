"""A nested function that rebinds the name with ``nonlocal`` needs the outer binding."""


def counter():
    count = 0

    def bump():
        nonlocal count
        count = 1

    return bump
