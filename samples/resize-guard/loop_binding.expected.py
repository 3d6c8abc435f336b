"""A binding inside the loop body reaches the call on every iteration."""


class LoopTest:
    def test_resize_each(self, server, flavors):
        for flavor in flavors:
            req = {'resize': {'flavorRef': flavor['id']}}
            try:
                self.api.post_server_action(server['id'], req)
            except Exception:
                self.api.delete_server(server['id'])
                self._release_allocations(server['id'])
                self._update_resource_provider(server['id'])
                raise
            self.api.post_server_action(server['id'], {'confirmResize': None})
