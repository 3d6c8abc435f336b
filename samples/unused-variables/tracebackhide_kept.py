"""pytest, zope and IPython read these from the frame."""


def check_equal(left, right):
    __tracebackhide__ = True
    __traceback_info__ = (left, right)
    __debuggerskip__ = True
    assert left == right
