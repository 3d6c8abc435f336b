"""After a docstring, the first statement is kept as it is without one (docstring_promotion_kept).

docstring-stubs runs after unused-variables and may add the docstring in the same run; if
the statement were deleted once a docstring is there, a second run would change the file.
"""


def tricky(api):
    """Return the API."""
    marker = 1
    "This string is not a docstring, and must not become one."
    return api
