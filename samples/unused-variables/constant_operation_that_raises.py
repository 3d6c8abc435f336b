"""An operation on literals that raises is kept as a statement: deleting it removes the error."""


def broken():
    mixed = ("a" + "b") - 1
    fine = (1 + 2) * 3
    return None
