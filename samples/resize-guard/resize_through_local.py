"""A resize posted through a local request, like Nova's regression tests."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def _resize_and_assert_error(self, server, flavor):
        req = {'resize': {'flavorRef': flavor['id']}}
        # Resize the server; finish_resize fails on the destination.
        self.api.post_server_action(server['id'], req)  # expected to fail later
        self._wait_for_state_change(server, 'ERROR')
