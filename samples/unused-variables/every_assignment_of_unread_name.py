"""A name never read loses every assignment, wherever it is in the function."""


def status(server):
    state = "unknown"
    if server.active:
        state = "active"
    elif server.error:
        state = server.describe()
    return server
