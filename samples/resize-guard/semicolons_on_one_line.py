"""Statements sharing the call's line stay before and after the new try."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def resize(self, api, server):
        api.log('resize'); api.post_server_action(server['id'], {'resize': {}}); api.log('done')  # noqa: E702
