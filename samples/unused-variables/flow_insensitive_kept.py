"""A name read anywhere keeps all its assignments, even one overwritten before any read."""


def pick(api):
    choice = api.default()
    choice = api.override()
    if api.ready:
        result = 1
    else:
        result = 2
    print(choice, result)
