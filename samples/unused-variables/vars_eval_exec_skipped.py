"""``vars()``, ``eval`` and ``exec`` reach locals by name, even inside a comprehension."""


def with_vars(template):
    greeting = "Hello"
    return template % vars()


def with_eval(expression):
    scale = 10
    return eval(expression)


def with_exec(code):
    namespace = {}
    prefix = "x"
    exec(code)
    return namespace


def in_comprehension(names):
    greeting = "Hello"
    return [locals() for name in names]
