"""A binding inside the loop body reaches the call on every iteration."""
from _project import FunctionalTestBase


class LoopTest(FunctionalTestBase):
    def test_resize_each(self, server, flavors):
        for flavor in flavors:
            req = {'resize': {'flavorRef': flavor['id']}}
            try:
                self.api.post_server_action(server['id'], req)
            except Exception:
                self.api.delete_server(server['id'])
                self._delete_server_allocations(server['id'])
                raise
            self.api.post_server_action(server['id'], {'confirmResize': None})
