"""A lambda deleted with its assignment takes its reads along: one run reaches the fixed point.

The compiler sees ``error`` as read by the lambda's scope (a closure); once the lambda is
deleted, nothing reads it, wherever it is assigned.
"""


def assigned_after_the_lambda():
    return None


def assigned_before_the_lambda():
    return None


def read_by_a_default():
    return None


def two_lambdas_on_one_line_both_deleted():
    return None


def still_read_by_a_kept_lambda(register):
    register(lambda: error)
    error = 1
    return None


class Private:
    def mangled(self):
        return None

    def mangled_kept_by_a_comment(self):
        _Private__token_ = 1
        callback = lambda: __token_  # noqa: F841
        return None


def kept_by_a_comment():
    callback = lambda: error  # noqa: F841
    error = 1
    return None
