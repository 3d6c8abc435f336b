"""oslo style: the cleanup runs under excutils.save_and_reraise_exception()."""
from nova.tests.functional import integrated_helpers


class ResizeTest(integrated_helpers.ProviderUsageBaseTestCase):
    def _resize(self, server):
        req = {'resize': {'flavorRef': self.flavor2['id']}}
        self.api.post_server_action(server['id'], req)
