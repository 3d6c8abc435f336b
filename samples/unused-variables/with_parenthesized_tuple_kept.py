"""`with (a, b) as x:` would become two context managers without its `as`: it is kept."""


def enter(first, second):
    with (first, second) as pair:
        return 1
