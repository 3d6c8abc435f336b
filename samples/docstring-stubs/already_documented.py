"""Already documented."""


class Server:
    """A server."""

    def boot(self):
        """Boot the server."""


def _helper():
    return None


def test_nothing():
    r"""Test nothing \o/."""
