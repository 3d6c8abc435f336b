"""Arguments passed by keyword are found by their parameter names."""


async def resize(self, server):
    try:
        await self.api.post_server_action(data={'resize': {'flavorRef': '2'}}, server_id=server.id)
    except Exception:
        self.api.delete_server(server.id)
        self._release_allocations(server.id)
        self._update_resource_provider(server.id)
        raise
