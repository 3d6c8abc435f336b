"""Statements sharing the call's line stay before and after the new try."""


def resize(api, server):
    api.log('resize')
    try:
        api.post_server_action(server['id'], {'resize': {}})
    except Exception:
        self.api.delete_server(server['id'])
        self._release_allocations(server['id'])
        self._update_resource_provider(server['id'])
        raise
    api.log('done')  # noqa: E702
