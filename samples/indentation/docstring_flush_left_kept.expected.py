def usage():
    """Usage: tool [options]

Options are printed as written, so this docstring is not moved.
"""
    return usage.__doc__
