"""Each cleanup call isolated, so a failing cleanup cannot hide the resize error."""
import os
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def resize(self, server):
        self.api.post_server_action(server['id'], {'resize': {'flavorRef': os.environ['FLAVOR']}})
