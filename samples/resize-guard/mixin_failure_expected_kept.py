"""A mixin's test expects the failure of a helper its subclass defines: it is not wrapped."""
from _project import FunctionalTestBase


class RejectMixin:
    def test_rejected(self):
        self.assertRaises(Exception, self._resize_rejected, self.server)


class ResizeTest(RejectMixin, FunctionalTestBase):
    def _resize_rejected(self, server):
        self.api.post_server_action(server['id'], {'resize': {'flavorRef': '9'}})
