"""Names read in f-strings, including the ``=`` specifier, are used."""


def describe(server):
    name = server.name
    state = server.state
    return f"{name=} {state!r:>10}"
