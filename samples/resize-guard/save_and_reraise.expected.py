"""oslo style: the cleanup runs under excutils.save_and_reraise_exception()."""
from nova.tests.functional import integrated_helpers
from oslo_utils import excutils


class ResizeTest(integrated_helpers.ProviderUsageBaseTestCase):
    def _resize(self, server):
        req = {'resize': {'flavorRef': self.flavor2['id']}}
        try:
            self.api.post_server_action(server['id'], req)
        except Exception:
            with excutils.save_and_reraise_exception():
                self.api.delete_server(server['id'])
                self._release_allocations(server['id'])
                self._update_resource_provider(server['id'])
