"""A helper whose failure its callers expect is not wrapped: they handle the error first."""
from _project import FunctionalTestBase


class ResizeRejectedTest(FunctionalTestBase):
    def _resize(self, server, flavor):
        self.api.post_server_action(server['id'], {'resize': {'flavorRef': flavor}})

    def test_resize_to_same_flavor_is_rejected(self):
        self.assertRaises(Exception, self._resize, self.server, '1')
