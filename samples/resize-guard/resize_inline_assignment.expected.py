"""An inline resize request whose result is kept: the whole assignment is wrapped."""


def resize(self, server_id, flavor_id):
    try:
        resp = self.admin_api.post_server_action(
            server_id, {'resize': {'flavorRef': flavor_id}})
    except Exception:
        self.api.delete_server(server_id)
        self._release_allocations(server_id)
        self._update_resource_provider(server_id)
        raise
    return resp
