"""oslo style: the cleanup runs under excutils.save_and_reraise_exception()."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def _resize(self, server):
        req = {'resize': {'flavorRef': self.flavor2['id']}}
        self.api.post_server_action(server['id'], req)
