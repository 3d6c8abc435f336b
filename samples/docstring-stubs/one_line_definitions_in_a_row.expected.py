"""Errors of the client."""


class Client:
    """A client."""

    class Error(Exception):
        """Error."""

        pass

    class Abort(Error):
        """Abort."""

        pass

    def ping(self):
        """Ping."""
        return True

    def pong(self):
        """Describe pong."""
        return False


def first():
    """Describe first."""
    return 1


def second():
    """Describe second."""
    return 2
