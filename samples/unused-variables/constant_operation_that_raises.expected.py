"""An operation on literals that raises is kept as a statement: deleting it removes the error."""


def broken():
    ("a" + "b") - 1
    return None
