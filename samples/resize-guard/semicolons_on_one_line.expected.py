"""Statements sharing the call's line stay before and after the new try."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def resize(self, api, server):
        api.log('resize')
        try:
            api.post_server_action(server['id'], {'resize': {}})
        except Exception:
            api.delete_server(server['id'])
            self._delete_server_allocations(server['id'])
            raise
        api.log('done')  # noqa: E702
