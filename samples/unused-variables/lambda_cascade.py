"""A lambda deleted with its assignment takes its reads along: one run reaches the fixed point.

The compiler sees ``error`` as read by the lambda's scope (a closure); once the lambda is
deleted, nothing reads it, wherever it is assigned.
"""


def assigned_after_the_lambda():
    callback = lambda: error
    error = 1
    return None


def assigned_before_the_lambda():
    error = 1
    factory = lambda: lambda: [error for _ in range(3)]
    return None


def read_by_a_default():
    error = 1
    callback = lambda value=error: value
    return None


def two_lambdas_on_one_line_both_deleted():
    first = lambda: error; second = lambda: 2
    error = 1
    return None


def still_read_by_a_kept_lambda(register):
    register(lambda: error); callback = lambda: error
    error = 1
    return None


class Private:
    def mangled(self):
        _Private__token_ = 1
        callback = lambda: __token_
        return None

    def mangled_kept_by_a_comment(self):
        _Private__token_ = 1
        callback = lambda: __token_  # noqa: F841
        return None


def kept_by_a_comment():
    callback = lambda: error  # noqa: F841
    error = 1
    return None
