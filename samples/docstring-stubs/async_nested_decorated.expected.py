"""Async, nested and decorated definitions."""

import functools
import sys


@functools.lru_cache(maxsize=None)
def load_config(path):
    """Load config."""

    def parse(text):
        return text.split()

    return parse(open(path).read())


async def fetch_server(client, server_id):
    """Fetch server."""
    # Ask the API for the server.
    return await client.get(server_id)


if sys.platform == "win32":
    def open_console():
        """Open console."""
        return None
else:
    def open_console():
        """Open console."""
        return sys.stdout


def build_handler():
    """Build handler."""

    class Handler:
        def handle(self):
            return None

    return Handler
