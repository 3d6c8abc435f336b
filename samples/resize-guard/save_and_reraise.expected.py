"""oslo style: the cleanup runs under excutils.save_and_reraise_exception()."""
from _project import FunctionalTestBase
from oslo_utils import excutils


class ResizeTest(FunctionalTestBase):
    def _resize(self, server):
        req = {'resize': {'flavorRef': self.flavor2['id']}}
        try:
            self.api.post_server_action(server['id'], req)
        except Exception:
            with excutils.save_and_reraise_exception():
                self.api.delete_server(server['id'])
                self._delete_server_allocations(server['id'])
