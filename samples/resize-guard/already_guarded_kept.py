"""A resize already inside a try whose handler re-raises is left as it is."""
from oslo_utils import excutils
from _project import FunctionalTestBase


class GuardedTest(FunctionalTestBase):
    def test_guarded(self, server):
        req = {'resize': {'flavorRef': '2'}}
        try:
            self.api.post_server_action(server['id'], req)
        except client.OpenStackApiException:
            self._cleanup(server)
            raise

    def test_guarded_oslo(self, server):
        try:
            self.api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})
        except Exception:
            with excutils.save_and_reraise_exception():
                self._cleanup(server)
