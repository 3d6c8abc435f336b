"""A name read only in a comprehension is used (Python 3.12 inlines comprehensions: PEP 709)."""


def scale(values):
    factor = 2
    offset = 1
    doubled = [value * factor for value in values]
    shifted = {value: offset for value in values}
    return doubled, shifted
