"""Errors of the client."""


class Client:
    """A client."""

    class Error(Exception): pass
    class Abort(Error): pass

    def ping(self): return True
    def pong(self): return False


def first(): return 1
def second(): return 2
