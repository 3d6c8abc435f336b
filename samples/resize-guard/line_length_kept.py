"""A guard would push a line past 79 columns, the default: the site is left."""
from _project import FunctionalTestBase


class ResizeWideTest(FunctionalTestBase):
    def test_resize(self, server, f):
        self.api.post_server_action(server['id'], {'resize': {'flavorRef': f}})
