"""A custom rule: guard cold migrations, with the cleanup the project chose."""
from _project import FunctionalTestBase


class MigrateTest(FunctionalTestBase):
    def test_migrate(self, server):
        try:
            self.admin_api.post_server_action(server['id'], {'migrate': None})
        except client.OpenStackApiException:
            self.admin_api.delete_server(server['id'])
            self._cleanup_migration(server['id'], {'migrate': None})
            raise
        req = {'resize': {'flavorRef': '2'}}
        self.api.post_server_action(server['id'], req)
