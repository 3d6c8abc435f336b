"""The request is rebound to confirmResize: only the first post is a resize."""
from _project import FunctionalTestBase


class BootFromVolumeTest(FunctionalTestBase):
    def test_resize_then_confirm(self):
        server_id = self._create_server()['id']
        post_data = {'resize': {'flavorRef': '2'}}
        try:
            self.api.post_server_action(server_id, post_data)
        except Exception:
            self.api.delete_server(server_id)
            self._delete_server_allocations(server_id)
            raise
        self._wait_for_state_change(server_id, 'VERIFY_RESIZE')

        post_data = {'confirmResize': None}
        self.api.post_server_action(server_id, post_data)
