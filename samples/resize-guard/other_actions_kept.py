"""Other server actions are left alone unless a rule names them."""
from _project import FunctionalTestBase


class MoveTest(FunctionalTestBase):
    def test_migrate_and_revert(self, server):
        self.api.post_server_action(server['id'], {'migrate': None})
        req = {'revertResize': None}
        self.api.post_server_action(server['id'], req)
        self.api.post_server_action(server['id'], {'os-migrateLive': {'host': None}})
