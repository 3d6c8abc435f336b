"""Each cleanup call isolated, so a failing cleanup cannot hide the resize error."""
import os
from _project import FunctionalTestBase
import contextlib


class ResizeTest(FunctionalTestBase):
    def resize(self, server):
        try:
            self.api.post_server_action(server['id'], {'resize': {'flavorRef': os.environ['FLAVOR']}})
        except BaseException:
            with contextlib.suppress(Exception):
                self.api.delete_server(server['id'])
            with contextlib.suppress(Exception):
                self._delete_server_allocations(server['id'])
            raise
