"""dir() without an argument lists the caller's locals, like locals(): the function is skipped."""


def describe():
    hidden = 1
    return dir()


def of_object(obj):
    unused = 2
    return dir(obj)
