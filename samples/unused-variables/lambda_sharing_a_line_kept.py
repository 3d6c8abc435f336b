"""A deleted lambda that starts on the line of a kept one, and reads what nothing else does.

``symtable`` gives a lambda's scope only its line, so which of the two reads ``error`` is
unknown: the assignment is kept (deleting it would leave ``error`` for a second run).
"""


def shared_line(register):
    register(lambda: 1); callback = lambda: error
    error = 1
    return None
