"""Arguments passed by keyword are found by their parameter names."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    async def resize(self, server):
        try:
            await self.api.post_server_action(data={'resize': {'flavorRef': '2'}}, server_id=server.id)
        except Exception:
            self.api.delete_server(server.id)
            self._delete_server_allocations(server.id)
            raise
