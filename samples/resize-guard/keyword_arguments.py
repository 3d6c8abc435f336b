"""Arguments passed by keyword are found by their parameter names."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    async def resize(self, server):
        await self.api.post_server_action(data={'resize': {'flavorRef': '2'}}, server_id=server.id)
