"""Each cleanup call isolated, so a failing cleanup cannot hide the resize error."""
import os
import contextlib


def resize(self, server):
    try:
        self.api.post_server_action(server['id'], {'resize': {'flavorRef': os.environ['FLAVOR']}})
    except BaseException:
        with contextlib.suppress(Exception):
            self.api.delete_server(server['id'])
        with contextlib.suppress(Exception):
            self._release_allocations(server['id'])
        raise
