"""A binding inside the loop body reaches the call on every iteration."""
from _project import FunctionalTestBase


class LoopTest(FunctionalTestBase):
    def test_resize_each(self, server, flavors):
        for flavor in flavors:
            req = {'resize': {'flavorRef': flavor['id']}}
            self.api.post_server_action(server['id'], req)
            self.api.post_server_action(server['id'], {'confirmResize': None})
