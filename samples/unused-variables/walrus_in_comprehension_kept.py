"""A walrus in a comprehension binds in the function: ``total`` is read there."""


def running_total(values):
    total = 0
    return [total := total + value for value in values]


def last_match(lines):
    if any((found := line).startswith("#") for line in lines):
        return lines
    return None
