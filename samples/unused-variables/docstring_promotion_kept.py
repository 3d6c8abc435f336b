"""Deleting the first statement would turn a later string into the docstring."""


def tricky(api):
    marker = 1
    "This string is not a docstring, and must not become one."
    return api
