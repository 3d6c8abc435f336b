"""A custom rule: guard cold migrations, with the cleanup the project chose."""
from _project import FunctionalTestBase


class MigrateTest(FunctionalTestBase):
    def test_migrate(self, server):
        self.admin_api.post_server_action(server['id'], {'migrate': None})
        req = {'resize': {'flavorRef': '2'}}
        self.api.post_server_action(server['id'], req)
