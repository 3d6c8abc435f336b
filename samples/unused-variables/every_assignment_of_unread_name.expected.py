"""A name never read loses every assignment, wherever it is in the function."""


def status(server):
    if server.active:
        pass
    elif server.error:
        server.describe()
    return server
