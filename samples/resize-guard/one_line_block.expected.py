"""A resize in a one-line block: the block becomes an indented one."""


def maybe_resize(self, server, wanted):
    if wanted:  # noqa: E701
        try:
            self.api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})
        except Exception:
            self.api.delete_server(server['id'])
            self._release_allocations(server['id'])
            self._update_resource_provider(server['id'])
            raise
